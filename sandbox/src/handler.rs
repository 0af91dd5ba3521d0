//! Request handling: routing, authentication, body checks and the encrypted response.

use std::sync::Arc;

use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE, HOST};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt as _;
use serde_json::{Value, json};

use crate::jwe::ResponseEncrypter;
use crate::jwt::{BearerRequest, JwtAuthError, JwtVerifier};
use crate::payload::{ApiVersion, build_payload};
use crate::record::{RecordedRequest, RequestLog};
use crate::request::{check_combination, parse_body};
use crate::server::Clock;
use crate::signature::{AuthError, SignedRequest, Verifier};
use crate::token::{TokenState, TokenStore, hex};

/// The maximum accepted request body size in bytes; larger bodies receive `413`.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

const JSON_MEDIA_TYPE: &str = "application/json;charset=utf-8";
const JOSE_MEDIA_TYPE: &str = "application/jose;charset=utf-8";

/// State shared by all requests of one sandbox.
pub(crate) struct AppState {
    pub verifier: Verifier,
    pub jwt_verifier: JwtVerifier,
    pub clock: Clock,
    pub tokens: TokenStore,
    pub log: RequestLog,
    pub encrypter: ResponseEncrypter,
    pub rng: SystemRandom,
}

/// Handles every request: builds the response, then records the request with its status.
pub(crate) async fn handle(State(state): State<Arc<AppState>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();

    let (body, mut response) = match read_body(&parts.headers, body).await {
        Ok(bytes) => {
            let response = respond(&state, &parts, &bytes);
            (bytes, response)
        }
        Err(BodyError::TooLarge) => {
            tracing::warn!(limit = MAX_BODY_BYTES, "request rejected: body too large");
            let response = error_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                "invalidFields",
                format!("The request body exceeds {MAX_BODY_BYTES} bytes"),
                &[("body", "body")],
            );
            (Vec::new(), response)
        }
        Err(BodyError::Read(error)) => {
            tracing::warn!(%error, "failed to read the request body");
            let response = error_response(
                StatusCode::BAD_REQUEST,
                "invalidFields",
                "The request body could not be read".to_owned(),
                &[("body", "body")],
            );
            (Vec::new(), response)
        }
    };

    // CyberSource sends a correlation id with every response, errors included.
    if let Some(id) = random_uuid(&state.rng) {
        response.headers_mut().insert("v-c-correlation-id", id);
    }

    state.log.push(RecordedRequest {
        method: parts.method.clone(),
        path_and_query: path_and_query(&parts).to_owned(),
        headers: parts.headers.clone(),
        body,
        status: response.status(),
    });
    response
}

enum BodyError {
    TooLarge,
    Read(axum::Error),
}

async fn read_body(headers: &HeaderMap, mut body: Body) -> Result<Vec<u8>, BodyError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Err(BodyError::TooLarge);
    }

    let mut bytes = Vec::new();
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(BodyError::Read)?;
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > MAX_BODY_BYTES {
                return Err(BodyError::TooLarge);
            }
            bytes.extend_from_slice(&data);
        }
    }
    Ok(bytes)
}

fn path_and_query(parts: &Parts) -> &str {
    parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path(), |value| value.as_str())
}

/// Runs the checks in the order CyberSource applies them and builds the response.
fn respond(state: &AppState, parts: &Parts, body: &[u8]) -> Response {
    let Some((version, encoded_token_id)) = match_route(parts.uri.path()) else {
        tracing::debug!(path = parts.uri.path(), "request rejected: no such route");
        return error_response(
            StatusCode::NOT_FOUND,
            "notFound",
            "No resource exists at this path".to_owned(),
            &[],
        );
    };
    if parts.method != Method::POST {
        tracing::debug!(method = %parts.method, "request rejected: method not allowed");
        let mut response = error_response(
            StatusCode::METHOD_NOT_ALLOWED,
            "invalidRequest",
            "Only POST is allowed on this path".to_owned(),
            &[],
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("POST"));
        return response;
    }

    if let Err(failure) = authenticate(state, parts, body) {
        tracing::warn!(
            scheme = failure.scheme(),
            check = %failure,
            "request rejected: authentication failed"
        );
        return authentication_failed();
    }

    if let Err(error) = check_content_type(&parts.headers) {
        tracing::debug!(?error, "request rejected: Content-Type");
        return error.into_response();
    }

    let request = match parse_body(body) {
        Ok(request) => request,
        Err(error) => {
            tracing::debug!(field = %error.field, "request rejected: invalid field");
            return error_response(
                StatusCode::BAD_REQUEST,
                "invalidFields",
                error.message,
                &[(error.field.as_str(), "body")],
            );
        }
    };

    let token = percent_decode(encoded_token_id).and_then(|id| state.tokens.get(&id));
    let Some(token) = token else {
        tracing::debug!(
            token_segment = encoded_token_id,
            "request rejected: token not found"
        );
        return error_response(
            StatusCode::NOT_FOUND,
            "notFound",
            "The token does not exist".to_owned(),
            &[],
        );
    };
    if token.state == TokenState::Deleted {
        tracing::debug!(
            token_segment = encoded_token_id,
            "request rejected: token deleted"
        );
        return error_response(
            StatusCode::GONE,
            "notAvailable",
            "The token has been deleted".to_owned(),
            &[],
        );
    }

    if let Err(error) = check_combination(&request, token.brand) {
        tracing::debug!(
            fields = ?error.fields,
            brand = ?token.brand,
            "request rejected: invalid field combination"
        );
        let details: Vec<(&str, &str)> =
            error.fields.iter().map(|field| (*field, "body")).collect();
        return error_response(
            StatusCode::BAD_REQUEST,
            "invalidCombination",
            error.message.to_owned(),
            &details,
        );
    }

    let encrypted = build_payload(
        &token,
        version,
        parts.uri.path(),
        request.payment_credential_type,
        &state.rng,
    )
    .map(|payload| payload.to_string())
    .and_then(|payload| state.encrypter.encrypt(payload.as_bytes()));
    match encrypted {
        Ok(jwe) => {
            let mut response = (StatusCode::CREATED, jwe).into_response();
            let headers = response.headers_mut();
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(JOSE_MEDIA_TYPE));
            add_transaction_id(headers, &state.rng);
            response
        }
        Err(_) => {
            tracing::error!("failed to build or encrypt the payment credentials");
            error_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internalError",
                "The payment credentials could not be encrypted".to_owned(),
                &[],
            )
        }
    }
}

/// Matches `/tms/v2/tokens/{tokenId}/payment-credentials` or its v3 form on the raw path
/// and returns the version and the still percent-encoded token id segment.
fn match_route(path: &str) -> Option<(ApiVersion, &str)> {
    let rest = path.strip_prefix("/tms/")?;
    let (version, rest) = if let Some(rest) = rest.strip_prefix("v2/tokens/") {
        (ApiVersion::V2, rest)
    } else {
        (ApiVersion::V3, rest.strip_prefix("v3/tokens/")?)
    };
    let segment = rest.strip_suffix("/payment-credentials")?;
    if segment.is_empty() || segment.contains('/') {
        return None;
    }
    Some((version, segment))
}

/// Decodes `%XX` escapes in a path segment. Returns `None` for a malformed escape or a
/// result that is not UTF-8.
fn percent_decode(segment: &str) -> Option<String> {
    let bytes = segment.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let high = hex_value(*bytes.get(index + 1)?)?;
            let low = hex_value(*bytes.get(index + 2)?)?;
            decoded.push(high << 4 | low);
            index += 3;
        } else {
            decoded.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// The reason a request failed authentication, by scheme.
#[derive(Debug, thiserror::Error)]
enum AuthFailure {
    #[error(transparent)]
    Signature(#[from] AuthError),
    #[error(transparent)]
    Jwt(#[from] JwtAuthError),
}

impl AuthFailure {
    fn scheme(&self) -> &'static str {
        match self {
            Self::Signature(_) => "http_signature",
            Self::Jwt(_) => "jwt",
        }
    }
}

/// Authenticates with the JWT when an `Authorization` header is present, otherwise with
/// the HTTP Signature headers.
fn authenticate(state: &AppState, parts: &Parts, body: &[u8]) -> Result<(), AuthFailure> {
    let headers = &parts.headers;
    let host = match single_header(headers, HOST.as_str(), "host")? {
        Some(host) => Some(host),
        None => parts.uri.authority().map(|authority| authority.as_str()),
    };
    let merchant_id = single_header(headers, "v-c-merchant-id", "v-c-merchant-id")?;

    if let Some(authorization) = single_header(headers, "authorization", "authorization")? {
        let request = BearerRequest {
            method: parts.method.as_str(),
            path_and_query: path_and_query(parts),
            host,
            merchant_id,
            authorization,
            body,
        };
        state.jwt_verifier.verify(&request, (state.clock)())?;
        return Ok(());
    }

    let request = SignedRequest {
        method: parts.method.as_str(),
        path_and_query: path_and_query(parts),
        host,
        date: single_header(headers, "date", "date")?,
        digest: single_header(headers, "digest", "digest")?,
        merchant_id,
        signature: single_header(headers, "signature", "signature")?,
        body,
    };
    state.verifier.verify(&request, (state.clock)())?;
    Ok(())
}

/// Returns a header's value as text, or `None` when it is absent. A repeated header or
/// a value that is not visible ASCII is an error.
fn single_header<'a>(
    headers: &'a HeaderMap,
    name: &str,
    label: &'static str,
) -> Result<Option<&'a str>, AuthError> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(AuthError::InvalidHeader(label));
    }
    value
        .to_str()
        .map(Some)
        .map_err(|_| AuthError::InvalidHeader(label))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ContentTypeError {
    Missing,
    Invalid,
}

impl ContentTypeError {
    fn into_response(self) -> Response {
        let (error_type, message) = match self {
            Self::Missing => (
                "missingHeaders",
                format!("Content-Type is required and must be {JSON_MEDIA_TYPE}"),
            ),
            Self::Invalid => (
                "invalidHeaders",
                format!("Content-Type must be {JSON_MEDIA_TYPE}"),
            ),
        };
        error_response(
            StatusCode::BAD_REQUEST,
            error_type,
            message,
            &[("Content-Type", "header")],
        )
    }
}

/// Accepts `application/json` with an optional `charset=utf-8`, in any letter case.
fn check_content_type(headers: &HeaderMap) -> Result<(), ContentTypeError> {
    let value = headers
        .get(CONTENT_TYPE)
        .ok_or(ContentTypeError::Missing)?
        .to_str()
        .map_err(|_| ContentTypeError::Invalid)?;

    let mut sections = value.split(';');
    let media_type = sections.next().unwrap_or_default().trim();
    if !media_type.eq_ignore_ascii_case("application/json") {
        return Err(ContentTypeError::Invalid);
    }
    for parameter in sections {
        let Some((name, parameter_value)) = parameter.split_once('=') else {
            return Err(ContentTypeError::Invalid);
        };
        let parameter_value = parameter_value.trim().trim_matches('"');
        if !name.trim().eq_ignore_ascii_case("charset")
            || !parameter_value.eq_ignore_ascii_case("utf-8")
        {
            return Err(ContentTypeError::Invalid);
        }
    }
    Ok(())
}

fn authentication_failed() -> Response {
    json_response(
        StatusCode::UNAUTHORIZED,
        &json!({ "response": { "rmsg": "Authentication Failed" } }),
    )
}

/// Builds a CyberSource error body: `{"errors":[{"type","message","details"}]}`, where
/// each detail names a field and where it was sent (`body` or `header`).
fn error_response(
    status: StatusCode,
    error_type: &str,
    message: String,
    details: &[(&str, &str)],
) -> Response {
    let mut error = json!({ "type": error_type, "message": message });
    if !details.is_empty() {
        let details: Vec<Value> = details
            .iter()
            .map(|(name, location)| json!({ "name": name, "location": location }))
            .collect();
        error["details"] = Value::Array(details);
    }
    json_response(status, &json!({ "errors": [error] }))
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(JSON_MEDIA_TYPE));
    response
}

/// Returns a random UUID v4 as a header value.
fn random_uuid(rng: &SystemRandom) -> Option<HeaderValue> {
    let mut bytes = [0u8; 16];
    rng.fill(&mut bytes).ok()?;
    HeaderValue::from_str(&crate::server::format_uuid_v4(&bytes)).ok()
}

/// Adds `uniqueTransactionID` (32 random hex characters).
fn add_transaction_id(headers: &mut HeaderMap, rng: &SystemRandom) {
    let mut bytes = [0u8; 16];
    if rng.fill(&mut bytes).is_err() {
        return;
    }
    if let Ok(value) = HeaderValue::from_str(&hex(&bytes)) {
        headers.insert("uniqueTransactionID", value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_matches_raw_segment() {
        assert_eq!(
            match_route("/tms/v2/tokens/ABC%2F..%2FDEF/payment-credentials"),
            Some((ApiVersion::V2, "ABC%2F..%2FDEF"))
        );
        assert_eq!(
            match_route("/tms/v3/tokens/t1/payment-credentials"),
            Some((ApiVersion::V3, "t1"))
        );
        assert_eq!(match_route("/tms/v2/tokens//payment-credentials"), None);
        assert_eq!(match_route("/tms/v2/tokens/a/b/payment-credentials"), None);
        assert_eq!(match_route("/tms/v1/tokens/t1/payment-credentials"), None);
        assert_eq!(match_route("/tms/v2/tokens/t1/payment-credentials/"), None);
    }

    #[test]
    fn percent_decode_cases() {
        assert_eq!(
            percent_decode("ABC%2F..%2FDEF%3Fx%231").as_deref(),
            Some("ABC/../DEF?x#1")
        );
        assert_eq!(percent_decode("Z%c3%bc").as_deref(), Some("Zü"));
        assert_eq!(percent_decode("%2"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%ff"), None);
    }

    #[test]
    fn content_type_variants() {
        let check = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(CONTENT_TYPE, HeaderValue::from_str(value).expect("value"));
            check_content_type(&headers).is_ok()
        };
        assert!(check("application/json;charset=utf-8"));
        assert!(check("application/json"));
        assert!(check("Application/JSON; charset=UTF-8"));
        assert!(!check("text/plain"));
        assert!(!check("application/json;charset=latin1"));
        assert!(!check("application/json;boundary=x"));
        assert_eq!(
            check_content_type(&HeaderMap::new()),
            Err(ContentTypeError::Missing)
        );
    }
}
