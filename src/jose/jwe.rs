//! Parsing of the compact JWE serialization.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::error::JweError;
use super::header::ProtectedHeader;

/// AES-GCM initialization vector length in bytes: JWE fixes it at 96 bits.
pub(crate) const IV_LEN: usize = 12;

/// AES-GCM authentication tag length in bytes: JWE fixes it at 128 bits.
pub(crate) const TAG_LEN: usize = 16;

/// A parsed compact JWE, such as the body of a `201` payment-credentials response.
///
/// Parsing checks the structure and the algorithms but decrypts nothing: call
/// [`Jwe::decrypt`]. `Debug` and `Display` show only header fields and the length, never
/// the token.
#[derive(Clone)]
pub struct Jwe {
    pub(super) compact: String,
    pub(super) header: ProtectedHeader,
    /// Byte length of the protected header segment, whose ASCII text is the AES-GCM AAD.
    pub(super) header_segment_len: usize,
    pub(super) encrypted_key: Vec<u8>,
    pub(super) iv: [u8; IV_LEN],
    pub(super) ciphertext: Vec<u8>,
    pub(super) tag: [u8; TAG_LEN],
}

impl Jwe {
    /// Parses a compact JWE: five base64url segments without padding, separated by `.`.
    ///
    /// ASCII whitespace around the token, such as a trailing newline in a response body, is
    /// ignored. The protected header is decoded and its `alg`, `enc` and `zip` are checked
    /// before the other segments are examined.
    ///
    /// # Errors
    /// [`JweErrorKind::Malformed`] when the input is not a compact JWE, and
    /// [`JweErrorKind::UnsupportedAlgorithm`] when `alg`, `enc` or `zip` is not accepted.
    ///
    /// [`JweErrorKind::Malformed`]: super::JweErrorKind::Malformed
    /// [`JweErrorKind::UnsupportedAlgorithm`]: super::JweErrorKind::UnsupportedAlgorithm
    pub fn parse(compact: &str) -> Result<Self, JweError> {
        let compact = compact.trim_ascii();
        let segments: Vec<&str> = compact.split('.').collect();
        let [
            header_segment,
            key_segment,
            iv_segment,
            ciphertext_segment,
            tag_segment,
        ] = segments[..]
        else {
            if compact.is_empty() {
                return Err(JweError::malformed("malformed JWE: the input is empty"));
            }
            if compact.starts_with('{') {
                return Err(JweError::malformed(
                    "malformed JWE: the input is a JSON document, but only the compact \
                     serialization (5 base64url segments separated by '.') is accepted",
                ));
            }
            return Err(JweError::malformed(format!(
                "malformed JWE: expected a compact JWE of 5 base64url segments separated by \
                 '.', found {} segment(s); the response body must be the JWE text as received",
                segments.len()
            )));
        };

        let header_json = decode_segment(header_segment, "protected header")?;
        let header = ProtectedHeader::parse(&header_json)?;

        let encrypted_key = decode_segment(key_segment, "encrypted key")?;
        if encrypted_key.is_empty() {
            return Err(JweError::malformed(
                "malformed JWE: the encrypted key segment is empty, but RSA-OAEP requires one",
            ));
        }

        let iv_bytes = decode_segment(iv_segment, "initialization vector")?;
        let iv: [u8; IV_LEN] = iv_bytes.as_slice().try_into().map_err(|_| {
            JweError::malformed(format!(
                "malformed JWE: the initialization vector is {} bits, but AES-GCM in JWE \
                 requires 96 bits",
                iv_bytes.len() * 8
            ))
        })?;

        let ciphertext = decode_segment(ciphertext_segment, "ciphertext")?;

        let tag_bytes = decode_segment(tag_segment, "authentication tag")?;
        let tag: [u8; TAG_LEN] = tag_bytes.as_slice().try_into().map_err(|_| {
            JweError::malformed(format!(
                "malformed JWE: the authentication tag is {} bits, but AES-GCM in JWE \
                 requires 128 bits",
                tag_bytes.len() * 8
            ))
        })?;

        Ok(Self {
            compact: compact.to_owned(),
            header,
            header_segment_len: header_segment.len(),
            encrypted_key,
            iv,
            ciphertext,
            tag,
        })
    }

    /// Parses a compact JWE from bytes, such as a raw response body.
    ///
    /// # Errors
    /// The same as [`Jwe::parse`]. Input that is not UTF-8 is malformed.
    pub fn from_bytes(compact: &[u8]) -> Result<Self, JweError> {
        let text = std::str::from_utf8(compact)
            .map_err(|_| JweError::malformed("malformed JWE: the input is not UTF-8 text"))?;
        Self::parse(text)
    }

    /// Returns the parsed protected header.
    pub fn header(&self) -> &ProtectedHeader {
        &self.header
    }

    /// Returns the compact serialization, for storing or forwarding the token.
    ///
    /// Anyone holding the matching private key can read the payment credentials from this
    /// text, so treat it like the credentials: do not log it.
    pub fn as_str(&self) -> &str {
        &self.compact
    }

    /// Returns the ASCII text of the protected header segment, which is the AES-GCM AAD.
    pub(super) fn aad(&self) -> &[u8] {
        self.compact
            .as_bytes()
            .get(..self.header_segment_len)
            .unwrap_or_default()
    }
}

impl FromStr for Jwe {
    type Err = JweError;

    fn from_str(compact: &str) -> Result<Self, Self::Err> {
        Self::parse(compact)
    }
}

impl TryFrom<&str> for Jwe {
    type Error = JweError;

    fn try_from(compact: &str) -> Result<Self, Self::Error> {
        Self::parse(compact)
    }
}

impl TryFrom<&[u8]> for Jwe {
    type Error = JweError;

    fn try_from(compact: &[u8]) -> Result<Self, Self::Error> {
        Self::from_bytes(compact)
    }
}

impl fmt::Debug for Jwe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwe")
            .field("alg", &format_args!("{}", self.header.alg()))
            .field("enc", &format_args!("{}", self.header.enc()))
            .field("zip", &self.header.zip().map(|zip| zip.as_str()))
            .field("kid", &self.header.kid())
            .field("len", &self.compact.len())
            .finish()
    }
}

impl fmt::Display for Jwe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "JWE ({}, {}, {} bytes)",
            self.header.alg(),
            self.header.enc(),
            self.compact.len()
        )
    }
}

/// Decodes one base64url segment, rejecting padding and characters outside the alphabet.
fn decode_segment(segment: &str, name: &str) -> Result<Vec<u8>, JweError> {
    URL_SAFE_NO_PAD.decode(segment).map_err(|_| {
        JweError::malformed(format!(
            "malformed JWE: the {name} segment is not base64url without padding"
        ))
    })
}
