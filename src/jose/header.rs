//! The JWE protected header and the algorithms this crate accepts.

use std::fmt;

use aws_lc_rs::aead;
use aws_lc_rs::rsa::{OAEP_SHA1_MGF1SHA1, OAEP_SHA256_MGF1SHA256, OaepAlgorithm};
use serde_json::{Map, Value};

use super::error::{JweError, quote_header_value};

/// Key management algorithm (`alg`) that wraps the content-encryption key.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyAlgorithm {
    /// `RSA-OAEP`: RSAES-OAEP with SHA-1 and MGF1 with SHA-1.
    RsaOaep,
    /// `RSA-OAEP-256`: RSAES-OAEP with SHA-256 and MGF1 with SHA-256, which CyberSource uses.
    RsaOaep256,
}

impl KeyAlgorithm {
    /// Returns the `alg` value as written in the header.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RsaOaep => "RSA-OAEP",
            Self::RsaOaep256 => "RSA-OAEP-256",
        }
    }

    fn from_header_value(value: &str) -> Option<Self> {
        match value {
            "RSA-OAEP" => Some(Self::RsaOaep),
            "RSA-OAEP-256" => Some(Self::RsaOaep256),
            _ => None,
        }
    }

    pub(crate) fn oaep(self) -> &'static OaepAlgorithm {
        match self {
            Self::RsaOaep => &OAEP_SHA1_MGF1SHA1,
            Self::RsaOaep256 => &OAEP_SHA256_MGF1SHA256,
        }
    }
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Content encryption algorithm (`enc`).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContentEncryption {
    /// `A128GCM`: AES-128 in GCM mode.
    A128Gcm,
    /// `A256GCM`: AES-256 in GCM mode, which CyberSource uses.
    A256Gcm,
}

impl ContentEncryption {
    /// Returns the `enc` value as written in the header.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::A128Gcm => "A128GCM",
            Self::A256Gcm => "A256GCM",
        }
    }

    fn from_header_value(value: &str) -> Option<Self> {
        match value {
            "A128GCM" => Some(Self::A128Gcm),
            "A256GCM" => Some(Self::A256Gcm),
            _ => None,
        }
    }

    /// Returns the content-encryption key length in bytes.
    pub fn key_len(self) -> usize {
        match self {
            Self::A128Gcm => 16,
            Self::A256Gcm => 32,
        }
    }

    pub(crate) fn aead_algorithm(self) -> &'static aead::Algorithm {
        match self {
            Self::A128Gcm => &aead::AES_128_GCM,
            Self::A256Gcm => &aead::AES_256_GCM,
        }
    }
}

impl fmt::Display for ContentEncryption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Compression applied to the plaintext before encryption (`zip`).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Compression {
    /// `DEF`: raw DEFLATE (RFC 1951), without zlib or gzip framing.
    Deflate,
}

impl Compression {
    /// Returns the `zip` value as written in the header.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Deflate => "DEF",
        }
    }
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The parsed JOSE protected header of a JWE.
///
/// `typ` is `JWT` in CyberSource responses, but the payload is plain JSON, not signed
/// claims, so no JWT claim checks apply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtectedHeader {
    alg: KeyAlgorithm,
    enc: ContentEncryption,
    zip: Option<Compression>,
    kid: Option<String>,
    cty: Option<String>,
    typ: Option<String>,
}

impl ProtectedHeader {
    /// Parses the decoded protected header.
    ///
    /// `alg`, `enc`, `zip` and `crit` are checked before the optional string parameters.
    pub(crate) fn parse(json: &[u8]) -> Result<Self, JweError> {
        let Ok(Value::Object(params)) = serde_json::from_slice::<Value>(json) else {
            return Err(JweError::malformed(
                "malformed JWE: the protected header is not a JSON object",
            ));
        };

        let alg_value = required_string(&params, "alg")?;
        let alg = KeyAlgorithm::from_header_value(alg_value).ok_or_else(|| {
            JweError::unsupported(format!(
                "unsupported JWE key algorithm: alg {} is not accepted; expected RSA-OAEP-256 \
                 or RSA-OAEP",
                quote_header_value(alg_value)
            ))
        })?;

        let enc_value = required_string(&params, "enc")?;
        let enc = ContentEncryption::from_header_value(enc_value).ok_or_else(|| {
            JweError::unsupported(format!(
                "unsupported JWE content encryption: enc {} is not accepted; expected A256GCM \
                 or A128GCM",
                quote_header_value(enc_value)
            ))
        })?;

        let zip = match optional_string(&params, "zip")? {
            None => None,
            Some("DEF") => Some(Compression::Deflate),
            Some(other) => {
                return Err(JweError::unsupported(format!(
                    "unsupported JWE compression: zip {} is not accepted; expected DEF or no \
                     zip parameter",
                    quote_header_value(other)
                )));
            }
        };

        // RFC 7516 requires rejecting a token whose `crit` names extensions the recipient
        // does not understand, and this crate understands none.
        if params.contains_key("crit") {
            return Err(JweError::unsupported(
                "unsupported JWE: the protected header lists critical extensions (crit), which \
                 this client does not support",
            ));
        }

        Ok(Self {
            alg,
            enc,
            zip,
            kid: optional_string(&params, "kid")?.map(str::to_owned),
            cty: optional_string(&params, "cty")?.map(str::to_owned),
            typ: optional_string(&params, "typ")?.map(str::to_owned),
        })
    }

    /// Returns the key management algorithm (`alg`).
    pub fn alg(&self) -> KeyAlgorithm {
        self.alg
    }

    /// Returns the content encryption algorithm (`enc`).
    pub fn enc(&self) -> ContentEncryption {
        self.enc
    }

    /// Returns the compression (`zip`), if any.
    pub fn zip(&self) -> Option<Compression> {
        self.zip
    }

    /// Returns the key id (`kid`) of the recipient's key, if present.
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// Returns the content type (`cty`), `json` in CyberSource responses, if present.
    pub fn cty(&self) -> Option<&str> {
        self.cty.as_deref()
    }

    /// Returns the token type (`typ`), if present.
    pub fn typ(&self) -> Option<&str> {
        self.typ.as_deref()
    }
}

fn required_string<'a>(params: &'a Map<String, Value>, name: &str) -> Result<&'a str, JweError> {
    optional_string(params, name)?.ok_or_else(|| {
        JweError::malformed(format!(
            "malformed JWE: the protected header has no `{name}` parameter"
        ))
    })
}

fn optional_string<'a>(
    params: &'a Map<String, Value>,
    name: &str,
) -> Result<Option<&'a str>, JweError> {
    match params.get(name) {
        None => Ok(None),
        Some(Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(JweError::malformed(format!(
            "malformed JWE: the `{name}` header parameter is not a string"
        ))),
    }
}
