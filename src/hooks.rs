//! The generated client's hooks: each request is signed in `pre`, over the exact bytes that
//! are sent, and each response body is read once, under the size limit, in `exec`.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use progenitor_client::{ClientHooks, ClientInfo, Error as GeneratedError, OperationInfo};
use reqwest::header::{self, HeaderName, HeaderValue};

use crate::auth::jwt::{self, JwtKey, JwtRequest};
use crate::auth::{
    Authentication, Clock, HttpSignatureCredentials, JwtCredentials, http_signature,
};
use crate::exchange;
use crate::generated::Client as GeneratedClient;

/// The request media type of the spec; reqwest's `.json()` sends it without the charset.
const CONTENT_TYPE: &str = "application/json;charset=utf-8";
/// The 201 media type of the spec; progenitor sends no `Accept` for raw responses.
const ACCEPT: &str = "application/jose;charset=utf-8";

/// Settings shared by every request of a client, held by the generated client.
#[doc(hidden)]
#[derive(Clone)]
pub struct ClientState(Arc<ClientSettings>);

pub(crate) struct ClientSettings {
    pub authentication: Authentication,
    pub clock: Arc<dyn Clock>,
    pub user_agent: HeaderValue,
    pub max_response_bytes: usize,
    /// The total timeout of a call, for error messages.
    pub timeout: Duration,
    /// The same timeout applied per request, when the caller brought their own reqwest
    /// client; the client this crate builds has it set already.
    pub request_timeout: Option<Duration>,
}

impl ClientState {
    pub(crate) fn new(settings: ClientSettings) -> Self {
        Self(Arc::new(settings))
    }

    pub(crate) fn settings(&self) -> &ClientSettings {
        &self.0
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientState")
            .field("authentication", &self.0.authentication)
            .field("clock", &self.0.clock)
            .field("user_agent", &self.0.user_agent)
            .field("max_response_bytes", &self.0.max_response_bytes)
            .field("timeout", &self.0.timeout)
            .field("request_timeout", &self.0.request_timeout)
            .finish()
    }
}

impl ClientHooks<ClientState> for GeneratedClient {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), GeneratedError<E>> {
        let settings = self.inner().settings();
        prepare_headers(request, settings);
        authenticate(request, settings).map_err(GeneratedError::Custom)?;
        if let Some(timeout) = settings.request_timeout {
            *request.timeout_mut() = Some(timeout);
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let started = Instant::now();
        let method = request.method().clone();
        let response = self.client().execute(request).await;
        let response = match response {
            Ok(response) => response,
            Err(error) => {
                // The URL is dropped because its path contains the token id.
                let error = error.without_url();
                tracing::debug!(
                    operation = info.operation_id,
                    http.request.method = %method,
                    error = %error,
                    "request failed"
                );
                return Err(error);
            }
        };
        let response =
            exchange::read_and_record(response, self.inner().settings().max_response_bytes).await?;
        tracing::debug!(
            operation = info.operation_id,
            http.request.method = %method,
            http.response.status_code = response.status().as_u16(),
            v_c_correlation_id = response
                .headers()
                .get(exchange::CORRELATION_ID)
                .and_then(|value| value.to_str().ok()),
            duration_ms = started.elapsed().as_millis() as u64,
            "response received"
        );
        Ok(response)
    }
}

/// Sets the spec's `Accept` and `Content-Type`, the user agent, and removes the
/// `api-version` header that progenitor adds to every request: CyberSource does not define it.
fn prepare_headers(request: &mut reqwest::Request, settings: &ClientSettings) {
    let headers = request.headers_mut();
    headers.remove("api-version");
    headers.insert(header::ACCEPT, HeaderValue::from_static(ACCEPT));
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
    headers.insert(header::USER_AGENT, settings.user_agent.clone());
}

/// The parts of one request that authentication covers, taken from the request as sent.
struct RequestParts<'a> {
    host: String,
    path_and_query: String,
    body: &'a [u8],
}

fn request_parts(request: &reqwest::Request) -> Result<RequestParts<'_>, String> {
    let url = request.url();
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        (None, _) => return Err("the request URL has no host".to_string()),
    };
    let path_and_query = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_string(),
    };
    let body = match request.body() {
        None => &[][..],
        Some(body) => body
            .as_bytes()
            .ok_or("the request body is a stream and cannot be signed")?,
    };
    Ok(RequestParts {
        host,
        path_and_query,
        body,
    })
}

/// Adds the auth headers of `settings.authentication`, built fresh for this request from its
/// URL and its body buffer, which is the one sent.
fn authenticate(request: &mut reqwest::Request, settings: &ClientSettings) -> Result<(), String> {
    let merchant_id = crate::exchange::call_merchant_id()
        .unwrap_or_else(|| settings.authentication.merchant_id().to_string());
    let headers = match &settings.authentication {
        Authentication::HttpSignature(credentials) => {
            http_signature_headers(request, settings, credentials, &merchant_id)?
        }
        Authentication::Jwt(credentials) => {
            jwt_headers(request, settings, credentials, &merchant_id)?
        }
    };
    let target = request.headers_mut();
    target.insert(
        HeaderName::from_static("v-c-merchant-id"),
        header_value(&merchant_id)?,
    );
    for (name, value) in headers {
        target.insert(name, value);
    }
    Ok(())
}

/// `Date`, `Digest` and `Signature`; the date is read once and used for both the header and
/// the signing string.
fn http_signature_headers(
    request: &reqwest::Request,
    settings: &ClientSettings,
    credentials: &HttpSignatureCredentials,
    merchant_id: &str,
) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
    let date = http_signature::http_date(settings.clock.now())
        .ok_or("the clock returned a time before 1970 or after 9999, which has no HTTP date")?;
    let parts = request_parts(request)?;
    let signed = credentials.sign(
        merchant_id,
        &date,
        request.method().as_str(),
        &parts.host,
        &parts.path_and_query,
        parts.body,
    );

    let mut headers = vec![(header::DATE, header_value(&date)?)];
    if let Some(digest) = &signed.digest {
        headers.push((HeaderName::from_static("digest"), header_value(digest)?));
    }
    headers.push((
        HeaderName::from_static("signature"),
        header_value(&signed.signature)?,
    ));
    Ok(headers)
}

/// `Authorization: Bearer <JWS>` with a fresh `jti`.
fn jwt_headers(
    request: &reqwest::Request,
    settings: &ClientSettings,
    credentials: &JwtCredentials,
    merchant_id: &str,
) -> Result<Vec<(HeaderName, HeaderValue)>, String> {
    let parts = request_parts(request)?;
    let jwt_request = JwtRequest {
        merchant_id,
        portfolio_id: credentials.portfolio_id.as_deref(),
        host: &parts.host,
        method: request.method().as_str(),
        path_and_query: &parts.path_and_query,
        body: parts.body,
    };
    let now = settings.clock.now();
    let token = match (&credentials.key, credentials.legacy) {
        (JwtKey::Rsa(key), true) => jwt::legacy_bearer_token(key, &jwt_request, now),
        (key, _) => {
            jwt::random_jti().and_then(|jti| jwt::bearer_token(key, &jwt_request, now, &jti))
        }
    }
    .map_err(|error| format!("failed to build the JWT: {error}"))?;
    Ok(vec![(
        header::AUTHORIZATION,
        header_value(&jwt::authorization_header_value(&token))?,
    )])
}

fn header_value(text: &str) -> Result<HeaderValue, String> {
    // The values are checked when the credentials are built; this only guards the invariant.
    let mut value = HeaderValue::from_str(text)
        .map_err(|_| "a signed header value is not valid".to_string())?;
    // Keeps the value out of hyper's and h2's debug output and HPACK tables.
    value.set_sensitive(true);
    Ok(value)
}
