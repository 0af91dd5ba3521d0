//! CyberSource's JWT authentication (`Authorization: Bearer <JWS>`) as pure functions.
//!
//! Two token formats exist:
//!
//! - The current one, which CyberSource calls JWT version 2 ([`bearer_token`]): the header
//!   is `{"alg","kid","typ":"JWT"}` and the claims bind the token to one request (`iat`,
//!   `exp` = `iat` + 120 s, `iss`, `jti`, `v-c-jwt-version`, `v-c-merchant-id`,
//!   `request-host`, `request-resource-path`, `request-method`, and for POST, PUT and PATCH
//!   `digest` with `digestAlgorithm`). It is signed with RS256 (the RSA key of the
//!   merchant's PKCS#12 file, `kid` = the certificate subject's `serialNumber`) or HS256
//!   (the decoded shared secret, `kid` = the key id).
//! - The legacy one ([`legacy_bearer_token`]), which merchants are to move off by
//!   September 2026. It is RS256 only, the certificate travels in `x5c`, `iat` is an HTTP
//!   date and the claims cover only the body digest.
//!
//! Header and claims are serialized with their members in byte order of the names and
//! without spaces, which is what CyberSource's Python SDK 0.0.80 sends. RS256 (RSASSA
//! PKCS#1 v1.5) is deterministic, so an RS256 token equals that SDK's token byte for byte.
//! For that reason the JWS is assembled here on aws-lc-rs primitives: `jsonwebtoken` 10
//! writes `typ` before `alg` and has no member for the legacy `v-c-merchant-id` header.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use aws_lc_rs::{digest as sha, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use pkcs8::PrivateKeyInfoRef;
use pkcs8::der::Decode as _;
use serde::Serialize;
use x509_parser::oid_registry::OID_X509_SERIALNUMBER;
use x509_parser::public_key::PublicKey;

use crate::auth::SharedSecret;
use crate::auth::http_signature;
use crate::keys::{RsaSigningKey, bit_length, strip_leading_zeros};

/// Time from `iat` to `exp` in current-format tokens.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(120);

/// The `v-c-jwt-version` claim of current-format tokens.
pub const JWT_VERSION: &str = "2";

/// The `digestAlgorithm` claim.
pub const DIGEST_ALGORITHM: &str = "SHA-256";

/// Smallest RSA modulus, in bits, accepted for RS256 signing.
pub const MIN_RSA_BITS: usize = 2048;

/// Largest RSA modulus, in bits, accepted for RS256 signing (the limit of aws-lc-rs 1.19).
pub const MAX_RSA_BITS: usize = 8192;

/// An error from loading a JWT signing key or building a token.
///
/// Messages name the failed check and never contain key bytes, secrets or tokens.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtError {
    /// The private key is not PKCS#8 DER holding an RSA private key.
    #[error("the private key is not a valid PKCS#8 DER RSA private key")]
    InvalidPrivateKey,
    /// The PKCS#8 key is of another algorithm than RSA.
    #[error("the private key is not an RSA key (algorithm OID {oid}); RS256 requires RSA")]
    NotRsaKey {
        /// The algorithm OID of the PKCS#8 key.
        oid: String,
    },
    /// The RSA modulus is smaller than [`MIN_RSA_BITS`].
    #[error(
        "the RSA key is {bits} bits, but RS256 signing requires at least {MIN_RSA_BITS} bits; \
         create a new key in the Business Center and load its PKCS#12 file"
    )]
    KeyTooSmall {
        /// The modulus size in bits.
        bits: usize,
    },
    /// The RSA modulus is larger than [`MAX_RSA_BITS`].
    #[error("the RSA key is {bits} bits, larger than the supported maximum of {MAX_RSA_BITS}")]
    KeyTooLarge {
        /// The modulus size in bits.
        bits: usize,
    },
    /// The certificate is not a single DER-encoded X.509 certificate with an RSA key.
    #[error("invalid certificate: {reason}")]
    InvalidCertificate {
        /// The reason the certificate was rejected.
        reason: String,
    },
    /// The certificate subject has no `serialNumber` attribute (OID 2.5.4.5), or more than
    /// one, so the RS256 `kid` is unknown.
    #[error(
        "the certificate subject must have exactly one serialNumber attribute (OID 2.5.4.5), \
         which is the RS256 kid; use the certificate from CyberSource's PKCS#12 file"
    )]
    MissingSerialNumber,
    /// The certificate's public key is not the public half of the private key.
    #[error(
        "the certificate's public key does not match the private key; load both from the same \
         PKCS#12 entry"
    )]
    CertificateKeyMismatch,
    /// A key id, `kid` or `jti` is empty or contains control characters.
    #[error("invalid {name}: it must be non-empty and contain no control characters")]
    InvalidValue {
        /// The name of the value, such as `key id` or `jti`.
        name: &'static str,
    },
    /// The time is before 1970, or (legacy format) after the year 9999.
    #[error("the time is outside the range a JWT can carry (1970 to 9999)")]
    TimeOutOfRange,
    /// The JSON of the header or claims could not be written.
    #[error("failed to serialize the JWT header or claims")]
    Serialization,
    /// The signing primitive failed.
    #[error("failed to sign the JWT")]
    SigningFailed,
    /// The system random generator failed while making a `jti`.
    #[error("the system random generator failed")]
    RandomFailed,
}

/// An RSA private key for RS256 with its certificate, from the merchant's PKCS#12 file.
///
/// The key is parsed once and kept inside aws-lc-rs. `Debug` shows only the `kid` and the
/// key size.
#[derive(Clone)]
pub struct RsaJwtKey {
    signing_key: RsaSigningKey,
    kid: String,
    certificate_der: Vec<u8>,
}

impl RsaJwtKey {
    /// Checks and loads an RSA private key (PKCS#8 DER) and its X.509 certificate (DER).
    ///
    /// The `kid` is the `serialNumber` attribute (OID 2.5.4.5) of the certificate subject,
    /// which is not the certificate's serial number. The key must be RSA with
    /// [`MIN_RSA_BITS`] to [`MAX_RSA_BITS`] bits, and the certificate must carry its public
    /// half. The caller keeps ownership of `private_key_pkcs8` and should hold it in a
    /// zeroizing buffer.
    ///
    /// # Errors
    ///
    /// [`JwtError::InvalidPrivateKey`], [`JwtError::NotRsaKey`], [`JwtError::KeyTooSmall`]
    /// or [`JwtError::KeyTooLarge`] for the key; [`JwtError::InvalidCertificate`],
    /// [`JwtError::MissingSerialNumber`] or [`JwtError::CertificateKeyMismatch`] for the
    /// certificate.
    pub fn from_der(
        private_key_pkcs8: &[u8],
        certificate_der: impl Into<Vec<u8>>,
    ) -> Result<Self, JwtError> {
        let certificate_der = certificate_der.into();
        let public_key = rsa_public_key_of_pkcs8(private_key_pkcs8)?;
        let bits = bit_length(&public_key.modulus);
        if bits < MIN_RSA_BITS {
            return Err(JwtError::KeyTooSmall { bits });
        }
        if bits > MAX_RSA_BITS {
            return Err(JwtError::KeyTooLarge { bits });
        }

        let signing_key = RsaSigningKey::from_pkcs8_der(private_key_pkcs8)
            .map_err(|_| JwtError::InvalidPrivateKey)?;
        Self::with_certificate(signing_key, &public_key, certificate_der)
    }

    /// Pairs a loaded signing key (from PEM, encrypted PEM or PKCS#12) with its X.509
    /// certificate (DER), whose subject `serialNumber` becomes the `kid`.
    ///
    /// # Errors
    ///
    /// [`JwtError::InvalidCertificate`], [`JwtError::MissingSerialNumber`] or
    /// [`JwtError::CertificateKeyMismatch`] for the certificate.
    pub fn from_signing_key(
        signing_key: &RsaSigningKey,
        certificate_der: impl Into<Vec<u8>>,
    ) -> Result<Self, JwtError> {
        let public_key = rsa_public_key_of_pkcs8(signing_key.pkcs8_der())?;
        Self::with_certificate(signing_key.clone(), &public_key, certificate_der.into())
    }

    fn with_certificate(
        signing_key: RsaSigningKey,
        public_key: &RsaPublicNumbers,
        certificate_der: Vec<u8>,
    ) -> Result<Self, JwtError> {
        let certificate = CertificateInfo::parse(&certificate_der)?;
        if strip_leading_zeros(&certificate.modulus) != strip_leading_zeros(&public_key.modulus)
            || strip_leading_zeros(&certificate.exponent)
                != strip_leading_zeros(&public_key.exponent)
        {
            return Err(JwtError::CertificateKeyMismatch);
        }
        check_value("kid", &certificate.serial_number)?;
        Ok(Self {
            signing_key,
            kid: certificate.serial_number,
            certificate_der,
        })
    }

    /// Returns the `kid`: the certificate subject's `serialNumber` attribute.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// Returns the certificate as DER, as sent in the legacy `x5c` header.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// Returns the size of the RSA modulus in bits.
    pub fn bits(&self) -> usize {
        self.signing_key.bits()
    }

    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>, JwtError> {
        self.signing_key
            .sign_rs256(signing_input)
            .map_err(|_| JwtError::SigningFailed)
    }
}

impl fmt::Debug for RsaJwtKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaJwtKey")
            .field("kid", &self.kid)
            .field("bits", &self.bits())
            .field("private_key", &"[REDACTED]")
            .finish_non_exhaustive()
    }
}

/// A REST shared secret key for HS256: the key id and the base64-decoded secret.
#[derive(Clone)]
pub struct HmacJwtKey {
    key_id: String,
    secret: SharedSecret,
}

impl HmacJwtKey {
    /// Stores the key id (the `kid`) and the shared secret.
    ///
    /// # Errors
    ///
    /// [`JwtError::InvalidValue`] when the key id is empty or contains control characters.
    pub fn new(key_id: impl Into<String>, secret: SharedSecret) -> Result<Self, JwtError> {
        let key_id = key_id.into();
        check_value("key id", &key_id)?;
        Ok(Self { key_id, secret })
    }

    /// Returns the key id, sent as `kid`.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }
}

impl fmt::Debug for HmacJwtKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HmacJwtKey")
            .field("key_id", &self.key_id)
            .field("secret", &self.secret)
            .finish()
    }
}

/// The key that signs current-format tokens, which decides `alg`.
#[derive(Debug, Clone)]
pub enum JwtKey {
    /// RS256 with the RSA key from the merchant's PKCS#12 file.
    Rsa(RsaJwtKey),
    /// HS256 with a REST shared secret key.
    Hmac(HmacJwtKey),
}

impl JwtKey {
    /// Returns the `alg` header value: `RS256` or `HS256`.
    pub fn algorithm(&self) -> &'static str {
        match self {
            Self::Rsa(_) => "RS256",
            Self::Hmac(_) => "HS256",
        }
    }

    /// Returns the `kid` header value.
    pub fn kid(&self) -> &str {
        match self {
            Self::Rsa(key) => key.kid(),
            Self::Hmac(key) => key.key_id(),
        }
    }

    fn sign(&self, signing_input: &[u8]) -> Result<Vec<u8>, JwtError> {
        match self {
            Self::Rsa(key) => key.sign(signing_input),
            Self::Hmac(key) => {
                let hmac_key = hmac::Key::new(hmac::HMAC_SHA256, key.secret.as_bytes());
                Ok(hmac::sign(&hmac_key, signing_input).as_ref().to_vec())
            }
        }
    }
}

impl From<RsaJwtKey> for JwtKey {
    fn from(key: RsaJwtKey) -> Self {
        Self::Rsa(key)
    }
}

impl From<HmacJwtKey> for JwtKey {
    fn from(key: HmacJwtKey) -> Self {
        Self::Hmac(key)
    }
}

/// The request a token is bound to, as sent on the wire.
#[derive(Clone, Copy)]
pub struct JwtRequest<'a> {
    /// The transacting merchant id, sent as the `v-c-merchant-id` claim (and the legacy
    /// `v-c-merchant-id` header).
    pub merchant_id: &'a str,
    /// The portfolio id of a meta key. When set it is the `iss` claim, otherwise the
    /// merchant id is.
    pub portfolio_id: Option<&'a str>,
    /// `host[:port]` of the request URL; a non-default port is included.
    pub host: &'a str,
    /// The HTTP method, in any case; the claim carries it in upper case.
    pub method: &'a str,
    /// The percent-encoded path and query exactly as on the request line.
    pub path_and_query: &'a str,
    /// The exact body bytes sent; its digest is a claim for POST, PUT and PATCH.
    pub body: &'a [u8],
}

impl fmt::Debug for JwtRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body may contain cardholder data, so only its length is shown.
        f.debug_struct("JwtRequest")
            .field("merchant_id", &self.merchant_id)
            .field("portfolio_id", &self.portfolio_id)
            .field("host", &self.host)
            .field("method", &self.method)
            .field("path_and_query", &self.path_and_query)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// The protected header of a current-format token, members in byte order of their names.
#[derive(Serialize)]
struct Header<'a> {
    alg: &'a str,
    kid: &'a str,
    typ: &'a str,
}

/// The claims of a current-format token, members in byte order of their names.
#[derive(Serialize)]
struct Claims<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    digest: Option<&'a str>,
    #[serde(rename = "digestAlgorithm", skip_serializing_if = "Option::is_none")]
    digest_algorithm: Option<&'a str>,
    exp: u64,
    iat: u64,
    iss: &'a str,
    jti: &'a str,
    #[serde(rename = "request-host")]
    request_host: &'a str,
    #[serde(rename = "request-method")]
    request_method: &'a str,
    #[serde(rename = "request-resource-path")]
    request_resource_path: &'a str,
    #[serde(rename = "v-c-jwt-version")]
    jwt_version: &'a str,
    #[serde(rename = "v-c-merchant-id")]
    merchant_id: &'a str,
}

/// The protected header of a legacy token, members in byte order of their names.
#[derive(Serialize)]
struct LegacyHeader<'a> {
    alg: &'a str,
    #[serde(rename = "v-c-merchant-id")]
    merchant_id: &'a str,
    x5c: [&'a str; 1],
}

/// The claims of a legacy token, members in byte order of their names.
#[derive(Serialize)]
struct LegacyClaims<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    digest: Option<&'a str>,
    #[serde(rename = "digestAlgorithm", skip_serializing_if = "Option::is_none")]
    digest_algorithm: Option<&'a str>,
    iat: &'a str,
}

/// Builds a current-format (`v-c-jwt-version` 2) token for one request.
///
/// `now` becomes `iat` in whole epoch seconds and `exp` is [`TOKEN_LIFETIME`] later. `jti`
/// must be fresh for every request; [`random_jti`] makes one.
///
/// # Errors
///
/// [`JwtError::InvalidValue`] for an empty `jti` or one with control characters,
/// [`JwtError::TimeOutOfRange`] for a time before 1970, and [`JwtError::SigningFailed`]
/// when aws-lc-rs fails to sign.
pub fn bearer_token(
    key: &JwtKey,
    request: &JwtRequest<'_>,
    now: SystemTime,
    jti: &str,
) -> Result<String, JwtError> {
    check_value("jti", jti)?;
    let iat = now
        .duration_since(UNIX_EPOCH)
        .map_err(|_| JwtError::TimeOutOfRange)?
        .as_secs();
    let exp = iat
        .checked_add(TOKEN_LIFETIME.as_secs())
        .ok_or(JwtError::TimeOutOfRange)?;

    let digest =
        http_signature::method_has_digest(request.method).then(|| body_digest(request.body));
    let method = request.method.to_ascii_uppercase();
    let header = Header {
        alg: key.algorithm(),
        kid: key.kid(),
        typ: "JWT",
    };
    let claims = Claims {
        digest: digest.as_deref(),
        digest_algorithm: digest.as_ref().map(|_| DIGEST_ALGORITHM),
        exp,
        iat,
        iss: request.portfolio_id.unwrap_or(request.merchant_id),
        jti,
        request_host: request.host,
        request_method: &method,
        request_resource_path: request.path_and_query,
        jwt_version: JWT_VERSION,
        merchant_id: request.merchant_id,
    };
    sign_compact(&header, &claims, |input| key.sign(input))
}

/// Builds a legacy-format token for one request.
///
/// The header is `{"alg":"RS256","v-c-merchant-id":…,"x5c":[base64 DER certificate]}` and
/// the claims are `iat` as an IMF-fixdate (`Fri, 04 Dec 2026 19:34:36 GMT`), plus `digest`
/// and `digestAlgorithm` for POST, PUT and PATCH. The request host, path and method are not
/// covered, and the token has no `exp`.
///
/// NOTE: no reference token exists for this format. It follows CyberSource's published
/// description (header `alg`, `v-c-merchant-id`, `x5c`) and sends no `typ` or `kid`. With a
/// meta key, the header names the transacting merchant beside the portfolio's certificate,
/// which is unconfirmed.
///
/// # Errors
///
/// [`JwtError::TimeOutOfRange`] for a time before 1970 or after the year 9999, and
/// [`JwtError::SigningFailed`] when aws-lc-rs fails to sign.
pub fn legacy_bearer_token(
    key: &RsaJwtKey,
    request: &JwtRequest<'_>,
    now: SystemTime,
) -> Result<String, JwtError> {
    let iat = http_signature::http_date(now).ok_or(JwtError::TimeOutOfRange)?;
    let digest =
        http_signature::method_has_digest(request.method).then(|| body_digest(request.body));
    let certificate = STANDARD.encode(key.certificate_der());
    let header = LegacyHeader {
        alg: "RS256",
        merchant_id: request.merchant_id,
        x5c: [&certificate],
    };
    let claims = LegacyClaims {
        digest: digest.as_deref(),
        digest_algorithm: digest.as_ref().map(|_| DIGEST_ALGORITHM),
        iat: &iat,
    };
    sign_compact(&header, &claims, |input| key.sign(input))
}

/// Formats the `Authorization` header value: `Bearer <token>`.
pub fn authorization_header_value(token: &str) -> String {
    format!("Bearer {token}")
}

/// Returns the `digest` claim: the base64 SHA-256 of the exact body bytes, without the
/// `SHA-256=` prefix of the HTTP Signature `Digest` header.
pub fn body_digest(body: &[u8]) -> String {
    let hash = sha::digest(&sha::SHA256, body);
    STANDARD.encode(hash.as_ref())
}

/// Generates a random version 4 UUID for the `jti` claim.
///
/// # Errors
///
/// [`JwtError::RandomFailed`] when the system random generator fails.
pub fn random_jti() -> Result<String, JwtError> {
    let mut bytes = [0u8; 16];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| JwtError::RandomFailed)?;
    // RFC 9562: version 4 in the high nibble of byte 6, variant 0b10 in byte 8.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// Serializes header and claims as compact JSON, signs `base64url(header).base64url(claims)`
/// and returns the compact JWS.
fn sign_compact<H: Serialize, C: Serialize>(
    header: &H,
    claims: &C,
    sign: impl FnOnce(&[u8]) -> Result<Vec<u8>, JwtError>,
) -> Result<String, JwtError> {
    let header_json = serde_json::to_vec(header).map_err(|_| JwtError::Serialization)?;
    let claims_json = serde_json::to_vec(claims).map_err(|_| JwtError::Serialization)?;
    let mut token = URL_SAFE_NO_PAD.encode(header_json);
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(claims_json));
    let signature = sign(token.as_bytes())?;
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(signature));
    Ok(token)
}

fn check_value(name: &'static str, value: &str) -> Result<(), JwtError> {
    if value.is_empty() || value.chars().any(char::is_control) {
        return Err(JwtError::InvalidValue { name });
    }
    Ok(())
}

/// The RSA public key as big-endian integers.
struct RsaPublicNumbers {
    modulus: Vec<u8>,
    exponent: Vec<u8>,
}

/// Reads the modulus and public exponent from a PKCS#8 RSA private key.
fn rsa_public_key_of_pkcs8(pkcs8_der: &[u8]) -> Result<RsaPublicNumbers, JwtError> {
    let info = PrivateKeyInfoRef::from_der(pkcs8_der).map_err(|_| JwtError::InvalidPrivateKey)?;
    if info.algorithm.oid != pkcs1::ALGORITHM_OID {
        return Err(JwtError::NotRsaKey {
            oid: info.algorithm.oid.to_string(),
        });
    }
    let key = pkcs1::RsaPrivateKeyRef::from_der(info.private_key.as_bytes())
        .map_err(|_| JwtError::InvalidPrivateKey)?;
    Ok(RsaPublicNumbers {
        modulus: key.modulus.as_bytes().to_vec(),
        exponent: key.public_exponent.as_bytes().to_vec(),
    })
}

/// The certificate fields that RS256 signing uses.
struct CertificateInfo {
    serial_number: String,
    modulus: Vec<u8>,
    exponent: Vec<u8>,
}

impl CertificateInfo {
    fn parse(der: &[u8]) -> Result<Self, JwtError> {
        let invalid = |reason: &str| JwtError::InvalidCertificate {
            reason: reason.to_owned(),
        };
        let (rest, certificate) = x509_parser::parse_x509_certificate(der)
            .map_err(|error| invalid(&format!("not a DER X.509 certificate ({error})")))?;
        if !rest.is_empty() {
            return Err(invalid("trailing bytes after the certificate"));
        }

        let mut serial_numbers = certificate.subject().iter_by_oid(&OID_X509_SERIALNUMBER);
        let serial_number = match (serial_numbers.next(), serial_numbers.next()) {
            (Some(attribute), None) => attribute
                .as_str()
                .map_err(|_| JwtError::MissingSerialNumber)?
                .to_owned(),
            _ => return Err(JwtError::MissingSerialNumber),
        };

        let public_key = certificate
            .public_key()
            .parsed()
            .map_err(|_| invalid("the subject public key cannot be parsed"))?;
        let PublicKey::RSA(rsa) = public_key else {
            return Err(invalid("the subject public key is not an RSA key"));
        };
        Ok(Self {
            serial_number,
            modulus: rsa.modulus.to_vec(),
            exponent: rsa.exponent.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_jti_is_uuid_v4() {
        let jti = random_jti().expect("random jti");
        assert_eq!(jti.len(), 36);
        assert_eq!(&jti[14..15], "4");
        assert!(matches!(&jti[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(jti, random_jti().expect("second jti"));
    }

    #[test]
    fn body_digest_has_no_prefix() {
        assert_eq!(
            body_digest(b"{}"),
            "RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o="
        );
    }

    #[test]
    fn empty_jti_is_rejected() {
        let secret = SharedSecret::from_base64("c2VjcmV0").expect("secret");
        let key = JwtKey::from(HmacJwtKey::new("key", secret).expect("key"));
        let request = JwtRequest {
            merchant_id: "m",
            portfolio_id: None,
            host: "h",
            method: "GET",
            path_and_query: "/",
            body: b"",
        };
        assert_eq!(
            bearer_token(&key, &request, UNIX_EPOCH, ""),
            Err(JwtError::InvalidValue { name: "jti" })
        );
    }

    #[test]
    fn empty_key_id_is_rejected() {
        let secret = SharedSecret::from_base64("c2VjcmV0").expect("secret");
        assert!(matches!(
            HmacJwtKey::new("", secret),
            Err(JwtError::InvalidValue { name: "key id" })
        ));
    }
}
