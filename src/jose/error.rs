//! Errors from parsing and decrypting a compact JWE.

use std::borrow::Cow;
use std::fmt;

/// Category of a [`JweError`], for callers that handle the cases differently.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JweErrorKind {
    /// The input is not a compact JWE: wrong segment count, invalid base64url, a protected
    /// header that is not a JSON object, or a wrong IV or tag length.
    Malformed,
    /// The `alg`, `enc` or `zip` header parameter has a value this crate does not accept, or
    /// the header lists critical extensions (`crit`).
    UnsupportedAlgorithm,
    /// The JWE `kid` differs from the key id set on the [`DecryptionKey`], or from the ids of
    /// all keys in a [`DecryptionKeys`] set whose keys all have ids.
    ///
    /// [`DecryptionKey`]: crate::keys::DecryptionKey
    /// [`DecryptionKeys`]: crate::keys::DecryptionKeys
    KeyIdMismatch,
    /// Decryption failed: wrong key, tampered token or wrong content-key length. One kind
    /// covers every step, so the error reveals nothing about which step failed.
    DecryptionFailed,
    /// The token decrypted, but the payload is not a JSON object.
    InvalidPayload,
    /// The decrypted or inflated payload exceeds the configured size limit.
    PayloadTooLarge,
}

impl JweErrorKind {
    /// Returns the snake_case name of the kind, such as `decryption_failed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Malformed => "malformed",
            Self::UnsupportedAlgorithm => "unsupported_algorithm",
            Self::KeyIdMismatch => "key_id_mismatch",
            Self::DecryptionFailed => "decryption_failed",
            Self::InvalidPayload => "invalid_payload",
            Self::PayloadTooLarge => "payload_too_large",
        }
    }
}

impl fmt::Display for JweErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error from parsing or decrypting a compact JWE.
///
/// Messages never contain the token, key material or decrypted data. They may quote header
/// values such as `alg` or `kid`, which are sent in clear text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JweError {
    kind: JweErrorKind,
    message: Cow<'static, str>,
}

const DECRYPTION_FAILED_MESSAGE: &str = "JWE decryption failed; check that the private key \
     matches the Token Management MLE key uploaded in the Business Center for this \
     environment (test and production use different keys)";

impl JweError {
    pub(crate) fn new(kind: JweErrorKind, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    pub(crate) fn malformed(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(JweErrorKind::Malformed, message)
    }

    pub(crate) fn unsupported(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(JweErrorKind::UnsupportedAlgorithm, message)
    }

    pub(crate) fn decryption_failed() -> Self {
        Self::new(JweErrorKind::DecryptionFailed, DECRYPTION_FAILED_MESSAGE)
    }

    /// Creates the error for a JWE `kid` that differs from the id of the only decryption key.
    pub(crate) fn key_id_mismatch(found: &str, expected: &str) -> Self {
        Self::new(
            JweErrorKind::KeyIdMismatch,
            format!(
                "the JWE was encrypted for key id {}, but the decryption key has key id {}; \
                 use the key with the id in the JWE",
                quote_header_value(found),
                quote_header_value(expected)
            ),
        )
    }

    /// Creates the error for a JWE `kid` that matches none of the ids in a key set.
    pub(crate) fn no_key_for_kid(found: &str, configured: &[&str]) -> Self {
        const MAX_LISTED_IDS: usize = 10;
        let mut listed: Vec<String> = configured
            .iter()
            .take(MAX_LISTED_IDS)
            .map(|kid| quote_header_value(kid))
            .collect();
        if configured.len() > MAX_LISTED_IDS {
            listed.push(format!("and {} more", configured.len() - MAX_LISTED_IDS));
        }
        Self::new(
            JweErrorKind::KeyIdMismatch,
            format!(
                "the JWE was encrypted for key id {}, but no decryption key has that id \
                 (configured ids: {}); add the key with that id to the key set",
                quote_header_value(found),
                listed.join(", ")
            ),
        )
    }

    /// Creates the error for decrypting with an empty key set.
    pub(crate) fn no_decryption_keys() -> Self {
        Self::new(
            JweErrorKind::DecryptionFailed,
            "the decryption key set is empty; add at least one key to `DecryptionKeys`",
        )
    }

    pub(crate) fn invalid_payload(message: impl Into<Cow<'static, str>>) -> Self {
        Self::new(JweErrorKind::InvalidPayload, message)
    }

    pub(crate) fn payload_too_large(limit: usize) -> Self {
        Self::new(
            JweErrorKind::PayloadTooLarge,
            format!(
                "the decrypted JWE payload is larger than the limit of {limit} bytes; raise \
                 the limit with `DecryptOptions::with_max_payload_bytes` if responses this \
                 large are expected"
            ),
        )
    }

    /// Returns the category of the error.
    pub fn kind(&self) -> JweErrorKind {
        self.kind
    }
}

impl fmt::Display for JweError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JweError {}

/// Formats an untrusted header value for an error message: quoted, escaped and cut to 64
/// characters.
pub(crate) fn quote_header_value(value: &str) -> String {
    const MAX_CHARS: usize = 64;
    let mut truncated: String = value.chars().take(MAX_CHARS).collect();
    if value.chars().nth(MAX_CHARS).is_some() {
        truncated.push('…');
    }
    format!("{truncated:?}")
}
