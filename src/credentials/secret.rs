//! Wrappers for cardholder data: zeroized on drop, redacted in `Debug`, with no `Display`.

use std::fmt;

use zeroize::Zeroizing;

/// A sensitive text value, such as a cryptogram, a security code or an expiration date.
///
/// `Debug` prints `[REDACTED]`. Read the value with [`SecretString::expose`].
#[derive(Clone)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    /// Wraps a value; the string is zeroized when the wrapper is dropped.
    pub fn new(value: String) -> Self {
        Self(Zeroizing::new(value))
    }

    /// Returns the value. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// Number of trailing characters that masking keeps visible.
const VISIBLE_SUFFIX_CHARS: usize = 4;

/// Values shorter than this are masked completely, because showing four characters would
/// reveal too large a share of them.
const MIN_CHARS_TO_SHOW_SUFFIX: usize = 12;

/// A card or network token number (PAN or DPAN).
///
/// `Debug` prints only the last four characters, such as `CardNumber(…1234)`. Read the
/// value with [`CardNumber::expose`], or print it safely with [`CardNumber::masked`].
#[derive(Clone)]
pub struct CardNumber(Zeroizing<String>);

impl CardNumber {
    /// Wraps a value; the string is zeroized when the wrapper is dropped.
    pub fn new(value: String) -> Self {
        Self(Zeroizing::new(value))
    }

    /// Returns the full number. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Returns the last four characters, or `None` when the number is shorter than 12
    /// characters.
    pub fn last_four(&self) -> Option<&str> {
        let char_count = self.0.chars().count();
        if char_count < MIN_CHARS_TO_SHOW_SUFFIX {
            return None;
        }
        let (start, _) = self
            .0
            .char_indices()
            .nth(char_count - VISIBLE_SUFFIX_CHARS)?;
        self.0.get(start..)
    }

    /// Returns the number with every character but the last four replaced by `*`, such as
    /// `************1234`, for display and logs.
    ///
    /// A number shorter than 12 characters is masked completely.
    pub fn masked(&self) -> String {
        mask_card_number(&self.0)
    }
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.last_four() {
            Some(last_four) => write!(f, "CardNumber(…{last_four})"),
            None => f.write_str("CardNumber([REDACTED])"),
        }
    }
}

/// Masks a card or token number for display: every character but the last four becomes
/// `*`, and a value shorter than 12 characters is masked completely.
pub fn mask_card_number(number: &str) -> String {
    let char_count = number.chars().count();
    let visible = if char_count < MIN_CHARS_TO_SHOW_SUFFIX {
        0
    } else {
        VISIBLE_SUFFIX_CHARS
    };
    number
        .chars()
        .enumerate()
        .map(|(index, c)| if index + visible < char_count { '*' } else { c })
        .collect()
}

/// The decrypted JSON text of a payment-credentials response.
///
/// The bytes are zeroized on drop and `Debug` prints only their length. Read them with
/// [`RawJson::expose_bytes`] or [`RawJson::expose_str`].
#[derive(Clone)]
pub struct RawJson(Zeroizing<Vec<u8>>);

impl RawJson {
    /// Wraps bytes that the caller has checked to be UTF-8 JSON.
    pub(crate) fn new(json: Zeroizing<Vec<u8>>) -> Self {
        Self(json)
    }

    /// Returns the JSON bytes. They contain cardholder data: do not log them.
    pub fn expose_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Returns the JSON text. It contains cardholder data: do not log it.
    pub fn expose_str(&self) -> &str {
        // The constructor's callers have validated the bytes as UTF-8, so the fallback is
        // never taken.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// Parses the JSON into a [`serde_json::Value`].
    ///
    /// The returned value is an ordinary copy that is not zeroized on drop.
    ///
    /// # Errors
    /// Never in practice, because the bytes were parsed as JSON before being wrapped.
    pub fn to_value(&self) -> serde_json::Result<serde_json::Value> {
        serde_json::from_slice(&self.0)
    }

    /// Returns the length of the JSON text in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Returns whether the JSON text is empty, which a parsed JSON object never is.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RawJson([REDACTED; {} bytes])", self.0.len())
    }
}
