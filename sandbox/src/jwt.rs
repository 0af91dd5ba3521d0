//! JWT (`Authorization: Bearer <JWS>`) verification as CyberSource applies it to REST
//! requests, in the current format (`v-c-jwt-version` 2).
//!
//! A token's protected header is `{"alg","kid","typ":"JWT"}` with `alg` RS256 or HS256:
//!
//! - RS256 tokens are signed with the RSA key of the merchant's PKCS#12 file. The `kid` is
//!   the `serialNumber` attribute (OID 2.5.4.5) of the certificate subject, and the
//!   signature verifies with the certificate's public key.
//! - HS256 tokens are signed with the base64-decoded shared secret, and the `kid` is the
//!   key id.
//!
//! The claims bind the token to one request: `iat` and `exp` (epoch seconds), `iss` (the
//! merchant id, or the portfolio id with a meta key), `jti`, `v-c-jwt-version` = `"2"`,
//! `v-c-merchant-id`, `request-host`, `request-resource-path` (path and query as on the
//! request line), `request-method`, and for POST, PUT and PATCH `digest` (the base64
//! SHA-256 of the body) with `digestAlgorithm` = `SHA-256`. CyberSource's Python SDK sends
//! the method in upper case and names the algorithm claim `digestAlgorithm`. Its Node SDK
//! uses lower case and `digest-algorithm`, so both forms are accepted.
//!
//! The legacy format is accepted too, for accounts that have not moved: its header is
//! `{"alg":"RS256","v-c-merchant-id",...,"x5c":[certificate]}` with no `kid`, and its claims
//! are `iat` as an HTTP date, `digest` and `digestAlgorithm`. The certificate in `x5c` must be
//! the configured one, and `iat` must be within the date tolerance of the sandbox clock.

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::digest;
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use serde_json::{Map, Value};
use x509_parser::oid_registry::{OID_PKCS1_RSAENCRYPTION, OID_X509_SERIALNUMBER};

use crate::SandboxError;
use crate::signature::method_signs_digest;

/// The lifetime of a token: `exp` is `iat` plus this.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(120);

/// How many recent `jti` values are kept to detect replays.
const SEEN_JTI_CAPACITY: usize = 10_000;

/// The only `v-c-jwt-version` claim accepted.
pub const JWT_VERSION: &str = "2";

/// The only digest algorithm accepted in the `digestAlgorithm` claim.
pub const DIGEST_ALGORITHM: &str = "SHA-256";

/// The maximum accepted length of an `Authorization` header value, in bytes. A token of
/// CyberSource's current format with a 4096-bit RSA signature is under 2 KiB.
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// A reason why a request's bearer token was rejected.
///
/// Messages name the failed check but never contain the token or a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtAuthError {
    /// The `Authorization` header does not use the `Bearer` scheme.
    #[error("the Authorization header does not use the Bearer scheme")]
    NotBearer,
    /// The token is longer than [`MAX_TOKEN_BYTES`].
    #[error("the bearer token is longer than {MAX_TOKEN_BYTES} bytes")]
    TooLong,
    /// The token is not three base64url segments with a JSON object header and claims.
    #[error("the bearer token is not a compact JWS with JSON header and claims")]
    Malformed,
    /// The `alg` header is not RS256 or HS256 (this covers `none`).
    #[error("unsupported JWT algorithm; expected RS256 or HS256")]
    UnsupportedAlgorithm,
    /// The header lists `crit` extensions, none of which the sandbox understands.
    #[error("the JWT header has critical extensions that are not supported")]
    UnsupportedCritical,
    /// A legacy token's `x5c` certificate is missing or is not the configured certificate.
    #[error("the x5c certificate of the legacy token is missing or not the configured one")]
    UnknownCertificate,
    /// The `kid` header is missing or names no configured key.
    #[error("unknown or missing kid")]
    UnknownKeyId,
    /// An RS256 token arrived but no certificate is configured.
    #[error("RS256 tokens are not accepted: no JWT certificate is configured")]
    NoCertificate,
    /// The signature does not verify with the key that `kid` names.
    #[error("the JWT signature does not verify")]
    SignatureMismatch,
    /// A required claim is absent or has the wrong JSON type.
    #[error("missing or invalid claim `{0}`")]
    InvalidClaim(&'static str),
    /// The `v-c-jwt-version` claim is not `"2"`.
    #[error("unsupported v-c-jwt-version; expected \"2\"")]
    UnsupportedVersion,
    /// The token's `exp` is not after the sandbox clock.
    #[error("the token has expired")]
    Expired,
    /// The token's `iat` is further ahead of the sandbox clock than the allowed skew.
    #[error("the token's iat is in the future beyond the allowed clock skew")]
    IssuedInFuture,
    /// The token's `exp` is not `iat` plus at most [`TOKEN_LIFETIME`], or `iat` is older than
    /// the allowed skew.
    #[error("the token's lifetime is not the 120 seconds CyberSource issues, or iat is too old")]
    InvalidLifetime,
    /// The token's `jti` was already used.
    #[error("the token's jti was already used")]
    Replayed,
    /// The `iss` claim is not the configured portfolio id or merchant id.
    #[error("the iss claim does not match the configured merchant or portfolio")]
    IssuerMismatch,
    /// The `v-c-merchant-id` claim or header is not the configured merchant id.
    #[error("the v-c-merchant-id claim or header does not match the configured merchant id")]
    MerchantMismatch,
    /// The `request-host` claim is not the request's `Host`.
    #[error("the request-host claim does not match the Host header")]
    HostMismatch,
    /// The `request-resource-path` claim is not the request's path and query.
    #[error("the request-resource-path claim does not match the request path")]
    PathMismatch,
    /// The `request-method` claim is not the request's method.
    #[error("the request-method claim does not match the request method")]
    MethodMismatch,
    /// The digest algorithm claim is not `SHA-256`.
    #[error("unsupported digest algorithm claim; expected SHA-256")]
    UnsupportedDigestAlgorithm,
    /// The `digest` claim is not the base64 SHA-256 of the body.
    #[error("the digest claim does not match the SHA-256 digest of the body")]
    DigestMismatch,
}

/// The parts of a received request that a bearer token covers.
#[derive(Debug, Clone, Copy)]
pub struct BearerRequest<'a> {
    /// The request method, such as `POST`.
    pub method: &'a str,
    /// The path and query exactly as on the request line, still percent-encoded.
    pub path_and_query: &'a str,
    /// The `Host` header.
    pub host: Option<&'a str>,
    /// The `v-c-merchant-id` header, which a JWT request may leave out.
    pub merchant_id: Option<&'a str>,
    /// The `Authorization` header.
    pub authorization: &'a str,
    /// The body bytes as received.
    pub body: &'a [u8],
}

/// A certificate whose key verifies RS256 tokens.
#[derive(Clone)]
pub struct JwtCertificate {
    serial_number: String,
    der: Vec<u8>,
    key: DecodingKey,
}

impl std::fmt::Debug for JwtCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtCertificate")
            .field("serial_number", &self.serial_number)
            .finish_non_exhaustive()
    }
}

impl JwtCertificate {
    /// Parses an X.509 certificate given as PEM (`BEGIN CERTIFICATE`) or DER.
    ///
    /// The certificate must hold an RSA public key and have exactly one `serialNumber`
    /// attribute (OID 2.5.4.5) in its subject, which RS256 tokens must send as `kid`.
    pub fn parse(pem_or_der: &[u8]) -> Result<Self, SandboxError> {
        let invalid = |reason: String| SandboxError::InvalidJwtCertificate(reason);
        let der = if pem_or_der.starts_with(b"-----BEGIN") {
            CertificateDer::from_pem_slice(pem_or_der)
                .map_err(|error| invalid(format!("the PEM cannot be read: {error}")))?
                .to_vec()
        } else {
            pem_or_der.to_vec()
        };

        let (rest, certificate) = x509_parser::parse_x509_certificate(&der)
            .map_err(|error| invalid(format!("not a DER X.509 certificate: {error}")))?;
        if !rest.is_empty() {
            return Err(invalid("trailing bytes after the certificate".into()));
        }

        let mut serial_numbers = certificate.subject().iter_by_oid(&OID_X509_SERIALNUMBER);
        let serial_number = match (serial_numbers.next(), serial_numbers.next()) {
            (Some(attribute), None) => attribute.as_str().map_err(|_| {
                invalid("the subject serialNumber attribute is not a string".into())
            })?,
            _ => {
                return Err(invalid(
                    "the subject must have exactly one serialNumber attribute (OID 2.5.4.5)".into(),
                ));
            }
        };

        let public_key = certificate.public_key();
        if public_key.algorithm.algorithm != OID_PKCS1_RSAENCRYPTION {
            return Err(invalid("the certificate key is not an RSA key".into()));
        }
        let key = DecodingKey::from_rsa_der(public_key.raw);
        Ok(Self {
            serial_number: serial_number.to_owned(),
            der: der.clone(),
            // aws-lc-rs, under jsonwebtoken, reads SubjectPublicKeyInfo DER as well as
            // PKCS#1, and its RS256 verification rejects moduli under 2048 bits.
            key,
        })
    }

    /// Returns the subject's `serialNumber` attribute, the `kid` of RS256 tokens.
    pub fn serial_number(&self) -> &str {
        &self.serial_number
    }
}

/// Checks bearer tokens against one set of credentials.
#[derive(Clone)]
pub struct JwtVerifier {
    merchant_id: String,
    portfolio_id: Option<String>,
    key_id: String,
    hmac_key: DecodingKey,
    certificate: Option<JwtCertificate>,
    date_tolerance: Duration,
    seen_jti: Arc<Mutex<SeenJti>>,
}

/// The most recent `jti` values, oldest first, with a set for lookups.
#[derive(Default)]
struct SeenJti {
    order: VecDeque<String>,
    set: HashSet<String>,
}

impl SeenJti {
    /// Records `jti` and returns false when it was already recorded.
    fn insert(&mut self, jti: &str) -> bool {
        if self.set.contains(jti) {
            return false;
        }
        if self.order.len() == SEEN_JTI_CAPACITY
            && let Some(oldest) = self.order.pop_front()
        {
            self.set.remove(&oldest);
        }
        self.order.push_back(jti.to_owned());
        self.set.insert(jti.to_owned());
        true
    }
}

impl std::fmt::Debug for JwtVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtVerifier")
            .field("merchant_id", &self.merchant_id)
            .field("portfolio_id", &self.portfolio_id)
            .field("key_id", &self.key_id)
            .field("certificate", &self.certificate)
            .field("date_tolerance", &self.date_tolerance)
            .finish_non_exhaustive()
    }
}

impl JwtVerifier {
    /// Creates a verifier.
    ///
    /// `secret` is the decoded shared secret for HS256 and `key_id` its `kid`. RS256 tokens
    /// are accepted only when `certificate` is set. With `portfolio_id` set, `iss` must be
    /// the portfolio id. `date_tolerance` is how far `iat` may be ahead of the clock.
    pub fn new(
        merchant_id: impl Into<String>,
        portfolio_id: Option<String>,
        key_id: impl Into<String>,
        secret: &[u8],
        certificate: Option<JwtCertificate>,
        date_tolerance: Duration,
    ) -> Self {
        Self {
            merchant_id: merchant_id.into(),
            portfolio_id,
            key_id: key_id.into(),
            hmac_key: DecodingKey::from_secret(secret),
            certificate,
            date_tolerance,
            seen_jti: Arc::default(),
        }
    }

    /// Verifies a request's bearer token, with `now` as the current time.
    ///
    /// The checks run in this order, and the first failure is returned:
    ///
    /// 1. The header is `Bearer <compact JWS>`, and the JWS header names RS256 or HS256
    ///    with no `crit` extensions.
    /// 2. The `kid` names the configured certificate (RS256) or key id (HS256).
    /// 3. The signature verifies.
    /// 4. `v-c-jwt-version` is `"2"`, `exp` is after `now`, and `iat` is at most the date
    ///    tolerance ahead of `now`.
    /// 5. `iss`, `v-c-merchant-id` (claim, and header when sent), `request-host`,
    ///    `request-resource-path` and `request-method` match the configuration and the
    ///    request.
    /// 6. For POST, PUT and PATCH, `digestAlgorithm` is `SHA-256` and `digest` matches
    ///    the body.
    pub fn verify(&self, request: &BearerRequest<'_>, now: SystemTime) -> Result<(), JwtAuthError> {
        let token = bearer_token(request.authorization)?;
        let header = decode_segment(token, 0)?;
        if header.contains_key("crit") {
            return Err(JwtAuthError::UnsupportedCritical);
        }
        let algorithm = match header.get("alg").and_then(Value::as_str) {
            Some("RS256") => Algorithm::RS256,
            Some("HS256") => Algorithm::HS256,
            _ => return Err(JwtAuthError::UnsupportedAlgorithm),
        };
        if algorithm == Algorithm::RS256
            && header.contains_key("x5c")
            && !header.contains_key("kid")
        {
            return self.verify_legacy(token, &header, request, now);
        }
        let kid = header
            .get("kid")
            .and_then(Value::as_str)
            .ok_or(JwtAuthError::UnknownKeyId)?;
        let key = self.key_for(algorithm, kid)?;

        let claims = verify_signature(token, key, algorithm)?;
        self.check_times(&claims, now)?;
        self.check_binding(&claims, request)?;
        check_digest(&claims, request)?;
        self.check_replay(&claims)
    }

    /// Rejects a `jti` seen before; checked last, so that only valid tokens are recorded.
    fn check_replay(&self, claims: &Map<String, Value>) -> Result<(), JwtAuthError> {
        let jti = string_claim(claims, "jti")?;
        let mut seen = self.seen_jti.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.insert(jti) {
            Ok(())
        } else {
            Err(JwtAuthError::Replayed)
        }
    }

    /// Verifies a legacy-format token: the configured certificate in `x5c`, the merchant in
    /// the `v-c-merchant-id` header field, `iat` as an HTTP date within the date tolerance,
    /// and the body digest.
    fn verify_legacy(
        &self,
        token: &str,
        header: &Map<String, Value>,
        request: &BearerRequest<'_>,
        now: SystemTime,
    ) -> Result<(), JwtAuthError> {
        let certificate = self
            .certificate
            .as_ref()
            .ok_or(JwtAuthError::NoCertificate)?;
        let sent_certificate = header
            .get("x5c")
            .and_then(Value::as_array)
            .and_then(|chain| chain.first())
            .and_then(Value::as_str)
            .and_then(|text| STANDARD.decode(text).ok())
            .ok_or(JwtAuthError::UnknownCertificate)?;
        if sent_certificate != certificate.der {
            return Err(JwtAuthError::UnknownCertificate);
        }
        let claims = verify_signature(token, &certificate.key, Algorithm::RS256)?;

        let merchant_id = header
            .get("v-c-merchant-id")
            .and_then(Value::as_str)
            .ok_or(JwtAuthError::InvalidClaim("v-c-merchant-id"))?;
        if merchant_id != self.merchant_id
            || request
                .merchant_id
                .is_some_and(|sent| sent != self.merchant_id)
        {
            return Err(JwtAuthError::MerchantMismatch);
        }

        let issued_at = httpdate::parse_http_date(string_claim(&claims, "iat")?)
            .map_err(|_| JwtAuthError::InvalidClaim("iat"))?;
        if now
            .duration_since(issued_at)
            .is_ok_and(|age| age > self.date_tolerance)
        {
            return Err(JwtAuthError::Expired);
        }
        if issued_at
            .duration_since(now)
            .is_ok_and(|ahead| ahead > self.date_tolerance)
        {
            return Err(JwtAuthError::IssuedInFuture);
        }
        check_digest(&claims, request)
    }

    fn key_for(&self, algorithm: Algorithm, kid: &str) -> Result<&DecodingKey, JwtAuthError> {
        if algorithm == Algorithm::HS256 {
            return if kid == self.key_id {
                Ok(&self.hmac_key)
            } else {
                Err(JwtAuthError::UnknownKeyId)
            };
        }
        let certificate = self
            .certificate
            .as_ref()
            .ok_or(JwtAuthError::NoCertificate)?;
        if kid != certificate.serial_number {
            return Err(JwtAuthError::UnknownKeyId);
        }
        Ok(&certificate.key)
    }

    fn check_times(
        &self,
        claims: &Map<String, Value>,
        now: SystemTime,
    ) -> Result<(), JwtAuthError> {
        if string_claim(claims, "v-c-jwt-version")? != JWT_VERSION {
            return Err(JwtAuthError::UnsupportedVersion);
        }
        let issued_at = seconds_claim(claims, "iat")?;
        let expires_at = seconds_claim(claims, "exp")?;
        // RFC 7519 4.1.4: the current time must be before `exp`.
        if now >= expires_at {
            return Err(JwtAuthError::Expired);
        }
        if issued_at
            .duration_since(now)
            .is_ok_and(|ahead| ahead > self.date_tolerance)
        {
            return Err(JwtAuthError::IssuedInFuture);
        }
        // CyberSource's SDKs issue tokens for exactly 120 seconds. A token issued earlier
        // than the skew plus that lifetime is stale, whatever its `exp` claims.
        let lifetime = expires_at.duration_since(issued_at).ok();
        let age = now.duration_since(issued_at).unwrap_or_default();
        if lifetime.is_none_or(|lifetime| lifetime.is_zero() || lifetime > TOKEN_LIFETIME)
            || age > self.date_tolerance + TOKEN_LIFETIME
        {
            return Err(JwtAuthError::InvalidLifetime);
        }
        if string_claim(claims, "jti")?.is_empty() {
            return Err(JwtAuthError::InvalidClaim("jti"));
        }
        Ok(())
    }

    fn check_binding(
        &self,
        claims: &Map<String, Value>,
        request: &BearerRequest<'_>,
    ) -> Result<(), JwtAuthError> {
        let expected_issuer = self.portfolio_id.as_deref().unwrap_or(&self.merchant_id);
        if string_claim(claims, "iss")? != expected_issuer {
            return Err(JwtAuthError::IssuerMismatch);
        }
        if string_claim(claims, "v-c-merchant-id")? != self.merchant_id
            || request
                .merchant_id
                .is_some_and(|header| header != self.merchant_id)
        {
            return Err(JwtAuthError::MerchantMismatch);
        }
        if Some(string_claim(claims, "request-host")?) != request.host {
            return Err(JwtAuthError::HostMismatch);
        }
        if string_claim(claims, "request-resource-path")? != request.path_and_query {
            return Err(JwtAuthError::PathMismatch);
        }
        if !string_claim(claims, "request-method")?.eq_ignore_ascii_case(request.method) {
            return Err(JwtAuthError::MethodMismatch);
        }
        Ok(())
    }
}

/// Returns the token of a `Bearer` credential; the scheme name is case-insensitive.
fn bearer_token(authorization: &str) -> Result<&str, JwtAuthError> {
    let (scheme, token) = authorization
        .split_once(' ')
        .ok_or(JwtAuthError::NotBearer)?;
    if !scheme.eq_ignore_ascii_case("Bearer") {
        return Err(JwtAuthError::NotBearer);
    }
    let token = token.trim();
    if token.len() > MAX_TOKEN_BYTES {
        return Err(JwtAuthError::TooLong);
    }
    if token.is_empty() {
        return Err(JwtAuthError::Malformed);
    }
    Ok(token)
}

/// Decodes the header (`index` 0) or claims (`index` 1) segment as a JSON object.
fn decode_segment(token: &str, index: usize) -> Result<Map<String, Value>, JwtAuthError> {
    let segments: Vec<&str> = token.split('.').collect();
    if segments.len() != 3 {
        return Err(JwtAuthError::Malformed);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(segments[index])
        .map_err(|_| JwtAuthError::Malformed)?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(JwtAuthError::Malformed),
    }
}

/// Verifies the signature with jsonwebtoken and returns the claims. The time and claim
/// checks of jsonwebtoken are off because the sandbox runs its own against its own clock.
fn verify_signature(
    token: &str,
    key: &DecodingKey,
    algorithm: Algorithm,
) -> Result<Map<String, Value>, JwtAuthError> {
    let mut validation = Validation::new(algorithm);
    validation.required_spec_claims = HashSet::new();
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    match jsonwebtoken::decode::<Map<String, Value>>(token, key, &validation) {
        Ok(data) => Ok(data.claims),
        Err(error) => match error.kind() {
            ErrorKind::InvalidSignature | ErrorKind::InvalidRsaKey(_) => {
                Err(JwtAuthError::SignatureMismatch)
            }
            ErrorKind::InvalidAlgorithm => Err(JwtAuthError::UnsupportedAlgorithm),
            _ => Err(JwtAuthError::Malformed),
        },
    }
}

fn check_digest(
    claims: &Map<String, Value>,
    request: &BearerRequest<'_>,
) -> Result<(), JwtAuthError> {
    if !method_signs_digest(request.method) {
        return Ok(());
    }
    let algorithm = match (
        claims.get("digestAlgorithm"),
        claims.get("digest-algorithm"),
    ) {
        (Some(Value::String(algorithm)), None) | (None, Some(Value::String(algorithm))) => {
            algorithm
        }
        _ => return Err(JwtAuthError::InvalidClaim("digestAlgorithm")),
    };
    if algorithm != DIGEST_ALGORITHM {
        return Err(JwtAuthError::UnsupportedDigestAlgorithm);
    }
    if string_claim(claims, "digest")? != body_digest(request.body) {
        return Err(JwtAuthError::DigestMismatch);
    }
    Ok(())
}

/// Returns the `digest` claim value for a body: the base64 SHA-256, with no prefix.
pub fn body_digest(body: &[u8]) -> String {
    STANDARD.encode(digest::digest(&digest::SHA256, body).as_ref())
}

fn string_claim<'a>(
    claims: &'a Map<String, Value>,
    name: &'static str,
) -> Result<&'a str, JwtAuthError> {
    claims
        .get(name)
        .and_then(Value::as_str)
        .ok_or(JwtAuthError::InvalidClaim(name))
}

/// Reads a `NumericDate` claim in whole epoch seconds.
fn seconds_claim(
    claims: &Map<String, Value>,
    name: &'static str,
) -> Result<SystemTime, JwtAuthError> {
    claims
        .get(name)
        .and_then(Value::as_u64)
        .and_then(|seconds| UNIX_EPOCH.checked_add(Duration::from_secs(seconds)))
        .ok_or(JwtAuthError::InvalidClaim(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_scheme_is_required() {
        assert_eq!(bearer_token("Bearer a.b.c"), Ok("a.b.c"));
        assert_eq!(bearer_token("bearer a.b.c"), Ok("a.b.c"));
        assert_eq!(bearer_token("Basic dXNlcg=="), Err(JwtAuthError::NotBearer));
        assert_eq!(bearer_token("Bearer"), Err(JwtAuthError::NotBearer));
        assert_eq!(bearer_token("Bearer  "), Err(JwtAuthError::Malformed));
        let long = format!("Bearer {}", "a".repeat(MAX_TOKEN_BYTES + 1));
        assert_eq!(bearer_token(&long), Err(JwtAuthError::TooLong));
    }

    #[test]
    fn segments_must_be_json_objects() {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256"}"#);
        let array = URL_SAFE_NO_PAD.encode(b"[1]");
        assert!(decode_segment(&format!("{header}.{header}.sig"), 0).is_ok());
        assert_eq!(
            decode_segment(&format!("{array}.{header}.sig"), 0),
            Err(JwtAuthError::Malformed)
        );
        assert_eq!(
            decode_segment(&format!("{header}.{header}"), 0),
            Err(JwtAuthError::Malformed)
        );
        assert_eq!(
            decode_segment("!!.e30.sig", 0),
            Err(JwtAuthError::Malformed)
        );
    }

    #[test]
    fn digest_of_empty_object() {
        assert_eq!(
            body_digest(b"{}"),
            "RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o="
        );
    }
}
