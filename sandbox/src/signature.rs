//! HTTP Signature verification as CyberSource applies it to REST requests.
//!
//! The functions here are pure: they take header values and body bytes and return a
//! verdict, so tests can run them against fixed inputs without a server.
//!
//! A client signs five lines, joined by `\n` with no trailing newline:
//!
//! ```text
//! host: <Host header>
//! date: <Date header>
//! request-target: <lower-case method> <path and query as on the request line>
//! digest: <Digest header>            (POST, PUT and PATCH only)
//! v-c-merchant-id: <merchant id, or the portfolio id with a meta key>
//! ```
//!
//! The signature is the base64 HMAC-SHA256 of that text, keyed with the base64-decoded
//! shared secret.

use std::time::{Duration, SystemTime};

use aws_lc_rs::{digest, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The only `algorithm` value accepted in the `Signature` header.
pub const ALGORITHM: &str = "HmacSHA256";

/// The signed header list required for methods with a body (POST, PUT, PATCH).
pub const HEADERS_WITH_DIGEST: &str = "host date request-target digest v-c-merchant-id";

/// The signed header list required for methods without a body (GET, DELETE).
pub const HEADERS_WITHOUT_DIGEST: &str = "host date request-target v-c-merchant-id";

/// A reason why a request's HTTP Signature was rejected.
///
/// Messages name the failed check but never contain the secret or a signature.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// A required header is absent.
    #[error("missing header `{0}`")]
    MissingHeader(&'static str),
    /// A signed header appears more than once or is not visible ASCII.
    #[error("header `{0}` is repeated or contains characters other than visible ASCII")]
    InvalidHeader(&'static str),
    /// The `Signature` header is not a list of `keyid`, `algorithm`, `headers` and
    /// `signature` parameters in double quotes, or its signature is not base64.
    #[error("the Signature header is malformed")]
    MalformedSignature,
    /// The `algorithm` parameter is not `HmacSHA256`.
    #[error("unsupported signature algorithm; expected `HmacSHA256`")]
    UnsupportedAlgorithm,
    /// The `headers` parameter differs from the list required for the method.
    #[error("the signed header list must be `{expected}`")]
    WrongHeaderList {
        /// The list the method requires.
        expected: &'static str,
    },
    /// The `keyid` parameter is not the configured key id.
    #[error("unknown key id")]
    UnknownKeyId,
    /// The `v-c-merchant-id` header is not the configured merchant id.
    #[error("the v-c-merchant-id header does not match the configured merchant id")]
    MerchantMismatch,
    /// The `Date` header is not an IMF-fixdate such as `Fri, 04 Dec 2026 19:34:36 GMT`.
    #[error("the Date header is not an IMF-fixdate")]
    InvalidDate,
    /// The `Date` header is further from the server clock than the allowed skew.
    #[error("the Date header is outside the allowed clock skew")]
    DateOutOfRange,
    /// The `Digest` header is not `SHA-256=` followed by the base64 SHA-256 of the body.
    #[error("the Digest header does not match the SHA-256 digest of the body")]
    DigestMismatch,
    /// The HMAC of the rebuilt signing string differs from the `signature` parameter.
    #[error("the signature does not match the signing string")]
    SignatureMismatch,
}

/// Returns the `Digest` header value for a body: `SHA-256=` and the base64 SHA-256 hash.
pub fn digest_header_value(body: &[u8]) -> String {
    let hash = digest::digest(&digest::SHA256, body);
    format!("SHA-256={}", STANDARD.encode(hash.as_ref()))
}

/// Returns whether a method signs a `Digest` line (POST, PUT and PATCH do).
pub fn method_signs_digest(method: &str) -> bool {
    ["POST", "PUT", "PATCH"]
        .iter()
        .any(|m| m.eq_ignore_ascii_case(method))
}

/// Builds the signing string from header values as received.
///
/// `merchant_line` is the value of the `v-c-merchant-id` line: the merchant id, or the
/// portfolio id when the request is signed with a meta key. `digest` is left out when
/// `None`.
pub fn signing_string(
    host: &str,
    date: &str,
    method: &str,
    path_and_query: &str,
    digest: Option<&str>,
    merchant_line: &str,
) -> String {
    let mut text = format!(
        "host: {host}\ndate: {date}\nrequest-target: {} {path_and_query}\n",
        method.to_ascii_lowercase()
    );
    if let Some(digest) = digest {
        text.push_str("digest: ");
        text.push_str(digest);
        text.push('\n');
    }
    text.push_str("v-c-merchant-id: ");
    text.push_str(merchant_line);
    text
}

/// Computes the base64 HMAC-SHA256 of a signing string with the decoded shared secret.
pub fn compute_signature(secret: &[u8], signing_string: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
    STANDARD.encode(hmac::sign(&key, signing_string.as_bytes()).as_ref())
}

/// The parameters of a `Signature` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureParams<'a> {
    /// The `keyid` parameter.
    pub key_id: &'a str,
    /// The `algorithm` parameter.
    pub algorithm: &'a str,
    /// The `headers` parameter: signed header names separated by single spaces.
    pub headers: &'a str,
    /// The `signature` parameter (base64).
    pub signature: &'a str,
}

impl<'a> SignatureParams<'a> {
    /// Parses `keyid="…", algorithm="…", headers="…", signature="…"`.
    ///
    /// Parameters may come in any order, separated by commas with optional spaces. A
    /// missing, repeated or unknown parameter, or a value without double quotes, is
    /// rejected with [`AuthError::MalformedSignature`].
    pub fn parse(value: &'a str) -> Result<Self, AuthError> {
        let mut key_id = None;
        let mut algorithm = None;
        let mut headers = None;
        let mut signature = None;

        for part in value.split(',') {
            let (name, quoted) = part
                .trim()
                .split_once('=')
                .ok_or(AuthError::MalformedSignature)?;
            let inner = quoted
                .strip_prefix('"')
                .and_then(|rest| rest.strip_suffix('"'))
                .filter(|inner| !inner.contains('"'))
                .ok_or(AuthError::MalformedSignature)?;
            let slot = match name.trim() {
                "keyid" => &mut key_id,
                "algorithm" => &mut algorithm,
                "headers" => &mut headers,
                "signature" => &mut signature,
                _ => return Err(AuthError::MalformedSignature),
            };
            if slot.replace(inner).is_some() {
                return Err(AuthError::MalformedSignature);
            }
        }

        match (key_id, algorithm, headers, signature) {
            (Some(key_id), Some(algorithm), Some(headers), Some(signature)) => Ok(Self {
                key_id,
                algorithm,
                headers,
                signature,
            }),
            _ => Err(AuthError::MalformedSignature),
        }
    }
}

/// The parts of a received request that the signature covers.
///
/// Header values are `None` when the header is absent.
#[derive(Debug, Clone, Copy)]
pub struct SignedRequest<'a> {
    /// The request method, such as `POST`.
    pub method: &'a str,
    /// The path and query exactly as on the request line, still percent-encoded.
    pub path_and_query: &'a str,
    /// The `Host` header.
    pub host: Option<&'a str>,
    /// The `Date` header.
    pub date: Option<&'a str>,
    /// The `Digest` header.
    pub digest: Option<&'a str>,
    /// The `v-c-merchant-id` header.
    pub merchant_id: Option<&'a str>,
    /// The `Signature` header.
    pub signature: Option<&'a str>,
    /// The body bytes as received.
    pub body: &'a [u8],
}

/// Checks HTTP Signatures against one set of credentials.
#[derive(Clone)]
pub struct Verifier {
    merchant_id: String,
    portfolio_id: Option<String>,
    key_id: String,
    key: hmac::Key,
    date_tolerance: Duration,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("merchant_id", &self.merchant_id)
            .field("portfolio_id", &self.portfolio_id)
            .field("key_id", &self.key_id)
            .field("date_tolerance", &self.date_tolerance)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// Creates a verifier.
    ///
    /// `secret` is the decoded shared secret. With `portfolio_id` set, requests must be
    /// signed with a meta key: the signing string's `v-c-merchant-id` line carries the
    /// portfolio id while the header carries `merchant_id`. `date_tolerance` is the
    /// largest accepted difference, in either direction, between `Date` and the clock.
    pub fn new(
        merchant_id: impl Into<String>,
        portfolio_id: Option<String>,
        key_id: impl Into<String>,
        secret: &[u8],
        date_tolerance: Duration,
    ) -> Self {
        Self {
            merchant_id: merchant_id.into(),
            portfolio_id,
            key_id: key_id.into(),
            key: hmac::Key::new(hmac::HMAC_SHA256, secret),
            date_tolerance,
        }
    }

    /// Verifies a request's HTTP Signature, with `now` as the current time.
    ///
    /// The checks run in this order, and the first failure is returned:
    ///
    /// 1. The `Signature` header parses and its algorithm is `HmacSHA256`.
    /// 2. The signed header list is exactly the one the method requires, so the spelling
    ///    `(request-target)` is rejected.
    /// 3. The key id and the `v-c-merchant-id` header match the configuration.
    /// 4. `Date` is an IMF-fixdate within the tolerance.
    /// 5. `Digest` matches the body (POST, PUT and PATCH only).
    /// 6. The HMAC of the rebuilt signing string matches, compared in constant time.
    pub fn verify(&self, request: &SignedRequest<'_>, now: SystemTime) -> Result<(), AuthError> {
        let signature_header = request
            .signature
            .ok_or(AuthError::MissingHeader("signature"))?;
        let params = SignatureParams::parse(signature_header)?;
        if params.algorithm != ALGORITHM {
            return Err(AuthError::UnsupportedAlgorithm);
        }

        let signs_digest = method_signs_digest(request.method);
        let expected_headers = if signs_digest {
            HEADERS_WITH_DIGEST
        } else {
            HEADERS_WITHOUT_DIGEST
        };
        if params.headers != expected_headers {
            return Err(AuthError::WrongHeaderList {
                expected: expected_headers,
            });
        }

        if params.key_id != self.key_id {
            return Err(AuthError::UnknownKeyId);
        }
        let merchant_header = request
            .merchant_id
            .ok_or(AuthError::MissingHeader("v-c-merchant-id"))?;
        if merchant_header != self.merchant_id {
            return Err(AuthError::MerchantMismatch);
        }

        let host = request.host.ok_or(AuthError::MissingHeader("host"))?;
        let date = request.date.ok_or(AuthError::MissingHeader("date"))?;
        self.check_date(date, now)?;

        let digest = if signs_digest {
            let received = request.digest.ok_or(AuthError::MissingHeader("digest"))?;
            if received != digest_header_value(request.body) {
                return Err(AuthError::DigestMismatch);
            }
            Some(received)
        } else {
            None
        };

        let merchant_line = self.portfolio_id.as_deref().unwrap_or(merchant_header);
        let text = signing_string(
            host,
            date,
            request.method,
            request.path_and_query,
            digest,
            merchant_line,
        );
        let tag = STANDARD
            .decode(params.signature)
            .map_err(|_| AuthError::MalformedSignature)?;
        hmac::verify(&self.key, text.as_bytes(), &tag).map_err(|_| AuthError::SignatureMismatch)
    }

    fn check_date(&self, date: &str, now: SystemTime) -> Result<(), AuthError> {
        let sent = httpdate::parse_http_date(date).map_err(|_| AuthError::InvalidDate)?;
        // httpdate also accepts the obsolete RFC 850 and asctime forms. Formatting the
        // parsed time back yields an IMF-fixdate, so a round trip that changes the text
        // means the header was in another form (or named the wrong weekday).
        if httpdate::fmt_http_date(sent) != date {
            return Err(AuthError::InvalidDate);
        }
        let skew = match now.duration_since(sent) {
            Ok(behind) => behind,
            Err(ahead) => ahead.duration(),
        };
        if skew > self.date_tolerance {
            return Err(AuthError::DateOutOfRange);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_any_parameter_order() {
        let params = SignatureParams::parse(
            r#"signature="c2ln", headers="host date", keyid="k", algorithm="HmacSHA256""#,
        );
        assert_eq!(
            params,
            Ok(SignatureParams {
                key_id: "k",
                algorithm: "HmacSHA256",
                headers: "host date",
                signature: "c2ln",
            })
        );
    }

    #[test]
    fn parse_rejects_malformed_headers() {
        let cases = [
            "",
            r#"keyid="k", algorithm="HmacSHA256", headers="h""#,
            r#"keyid="k", keyid="k", algorithm="HmacSHA256", headers="h", signature="s""#,
            r#"keyid=k, algorithm="HmacSHA256", headers="h", signature="s""#,
            r#"keyid="k", algorithm="HmacSHA256", headers="h", signature="s", extra="x""#,
            r#"keyid="k"", algorithm="HmacSHA256", headers="h", signature="s""#,
        ];
        for case in cases {
            assert_eq!(
                SignatureParams::parse(case),
                Err(AuthError::MalformedSignature),
                "input: {case}"
            );
        }
    }

    #[test]
    fn digest_of_empty_object() {
        assert_eq!(
            digest_header_value(b"{}"),
            "SHA-256=RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o="
        );
    }

    #[test]
    fn date_in_obsolete_form_is_rejected() {
        let verifier = Verifier::new("m", None, "k", b"secret", Duration::from_secs(300));
        let now = httpdate::parse_http_date("Fri, 04 Dec 2026 19:34:36 GMT").unwrap();
        assert_eq!(
            verifier.check_date("Friday, 04-Dec-26 19:34:36 GMT", now),
            Err(AuthError::InvalidDate)
        );
        assert_eq!(
            verifier.check_date("Fri Dec  4 19:34:36 2026", now),
            Err(AuthError::InvalidDate)
        );
        assert_eq!(
            verifier.check_date("Thu, 04 Dec 2026 19:34:36 GMT", now),
            Err(AuthError::InvalidDate)
        );
        assert_eq!(
            verifier.check_date("Fri, 04 Dec 2026 19:34:36 GMT", now),
            Ok(())
        );
    }

    #[test]
    fn date_tolerance_is_inclusive_both_ways() {
        let verifier = Verifier::new("m", None, "k", b"secret", Duration::from_secs(300));
        let sent = httpdate::parse_http_date("Fri, 04 Dec 2026 19:34:36 GMT").unwrap();
        let date = "Fri, 04 Dec 2026 19:34:36 GMT";
        let limit = Duration::from_secs(300);
        let second = Duration::from_secs(1);

        assert_eq!(verifier.check_date(date, sent + limit), Ok(()));
        assert_eq!(verifier.check_date(date, sent - limit), Ok(()));
        assert_eq!(
            verifier.check_date(date, sent + limit + second),
            Err(AuthError::DateOutOfRange)
        );
        assert_eq!(
            verifier.check_date(date, sent - limit - second),
            Err(AuthError::DateOutOfRange)
        );
    }
}
