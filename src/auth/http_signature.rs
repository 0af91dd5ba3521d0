//! CyberSource's HTTP Signature scheme as pure functions: `Digest`, the signing string, the
//! HMAC-SHA256 signature and the `Signature` header.
//!
//! The rules follow CyberSource's REST SDKs (the Python SDK's signing code produced the test
//! vectors): the signed headers are `host date request-target digest v-c-merchant-id` for
//! requests with a body and `host date request-target v-c-merchant-id` otherwise, and the
//! pseudo-header is spelled `request-target`; CyberSource stopped accepting
//! `(request-target)` in 2024.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::{digest as sha, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// The first instant that has no four-digit year, 10000-01-01T00:00:00Z.
const YEAR_10000: Duration = Duration::from_secs(253_402_300_800);

/// Formats `time` as an IMF-fixdate (`Fri, 04 Dec 2026 19:34:36 GMT`): always GMT, English
/// names and a two-digit day, whatever the process locale or time zone. Returns `None` for a
/// time before 1970 or after the year 9999, which the format cannot hold.
pub fn http_date(time: SystemTime) -> Option<String> {
    let since_epoch = time.duration_since(UNIX_EPOCH).ok()?;
    (since_epoch < YEAR_10000).then(|| httpdate::fmt_http_date(time))
}

/// Returns the `Digest` header value: `SHA-256=` and the base64 SHA-256 of the exact body
/// bytes sent. A plain hash, not an HMAC.
pub fn digest(body: &[u8]) -> String {
    let hash = sha::digest(&sha::SHA256, body);
    format!("SHA-256={}", STANDARD.encode(hash.as_ref()))
}

/// Returns whether requests with `method` carry a `Digest` header and sign it.
pub fn method_has_digest(method: &str) -> bool {
    matches!(
        method.to_ascii_uppercase().as_str(),
        "POST" | "PUT" | "PATCH"
    )
}

/// The request parts the signature covers, as sent on the wire.
#[derive(Debug, Clone, Copy)]
pub struct SigningInput<'a> {
    /// `host[:port]` of the request URL; a non-default port is included.
    pub host: &'a str,
    /// The `Date` header value.
    pub date: &'a str,
    /// The HTTP method, in any case.
    pub method: &'a str,
    /// The percent-encoded path and query exactly as on the request line.
    pub path_and_query: &'a str,
    /// The `Digest` header value, for POST, PUT and PATCH.
    pub digest: Option<&'a str>,
    /// The merchant id of the signing key: the portfolio id with a meta key, otherwise the
    /// merchant id sent in the `v-c-merchant-id` header.
    pub signing_merchant_id: &'a str,
}

/// Returns the names of the signed headers, for the `headers` parameter.
pub fn signed_header_names(input: &SigningInput<'_>) -> &'static str {
    if input.digest.is_some() {
        "host date request-target digest v-c-merchant-id"
    } else {
        "host date request-target v-c-merchant-id"
    }
}

/// Builds the signing string: one `name: value` line per signed header, joined by `\n`, with
/// no trailing newline.
pub fn signing_string(input: &SigningInput<'_>) -> String {
    let method = input.method.to_ascii_lowercase();
    let mut lines = vec![
        format!("host: {}", input.host),
        format!("date: {}", input.date),
        format!("request-target: {method} {}", input.path_and_query),
    ];
    if let Some(digest) = input.digest {
        lines.push(format!("digest: {digest}"));
    }
    lines.push(format!("v-c-merchant-id: {}", input.signing_merchant_id));
    lines.join("\n")
}

/// Returns base64(HMAC-SHA256(secret, signing string)); `secret` is the base64-decoded shared
/// secret.
pub fn signature(secret: &[u8], signing_string: &str) -> String {
    let key = hmac::Key::new(hmac::HMAC_SHA256, secret);
    let tag = hmac::sign(&key, signing_string.as_bytes());
    STANDARD.encode(tag.as_ref())
}

/// Formats the `Signature` header value.
pub fn signature_header(key_id: &str, signed_header_names: &str, signature: &str) -> String {
    format!(
        "keyid=\"{key_id}\", algorithm=\"HmacSHA256\", headers=\"{signed_header_names}\", signature=\"{signature}\""
    )
}
