//! The crate's error type. A caller can tell apart invalid input (nothing was sent), a
//! transport failure or timeout, an API error, an unexpected response, and each JWE failure.
//! No variant contains the shared secret, a private key or decrypted card data.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;

use crate::generated::types::ErrorBody;
use crate::jose::JweError;
use crate::redact::sanitize;

/// Everything that can go wrong in a call or while building a client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input was rejected before any I/O; nothing was sent.
    #[error("invalid input, nothing was sent: {0}")]
    InvalidInput(#[from] InvalidInput),
    /// The request or the response body did not finish within the timeout. The request may
    /// have reached CyberSource: a POST mints new credentials, so it is not retried.
    #[error(
        "the call timed out after {timeout:?}; the request may have reached the server \
         (raise ClientBuilder::timeout if the network is slow)"
    )]
    Timeout {
        /// The total timeout that applied.
        timeout: Duration,
        /// reqwest's error, without the request URL.
        source: reqwest::Error,
    },
    /// Connecting, TLS, or reading the response failed.
    #[error(
        "the call failed before a complete answer arrived: {}",
        root_cause(source)
    )]
    Transport {
        /// reqwest's error, without the request URL.
        source: reqwest::Error,
    },
    /// CyberSource responded with a documented error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The response has a status the API does not document, or a body that cannot be read.
    #[error("{0}")]
    UnexpectedResponse(Box<UnexpectedResponse>),
    /// The response body is over the client's size limit; reading stopped there.
    #[error(
        "the response body with status {status} is larger than the limit of {limit} bytes; \
         raise it with ClientBuilder::max_response_bytes if the answer is expected"
    )]
    ResponseTooLarge {
        /// The HTTP status of the response.
        status: StatusCode,
        /// The limit in bytes.
        limit: usize,
    },
    /// Key material could not be loaded: a missing file, a wrong password, another format,
    /// a key that is too small, or no PKCS#12 entry for the merchant.
    #[error(transparent)]
    Key(#[from] crate::keys::KeyError),
    /// A JWT signing key is unusable, or a token could not be built.
    #[error("JWT authentication failed: {0}")]
    Jwt(#[from] crate::auth::jwt::JwtError),
    /// The JWE in a 201 response could not be parsed or decrypted.
    #[error("{source}")]
    Jwe {
        /// The JWE failure.
        source: JweError,
        /// The `v-c-correlation-id` of the response that carried it.
        correlation_id: Option<String>,
    },
}

impl From<JweError> for Error {
    fn from(source: JweError) -> Self {
        Self::Jwe {
            source,
            correlation_id: None,
        }
    }
}

impl Error {
    /// Returns the HTTP status when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(error) => Some(error.status),
            Self::UnexpectedResponse(response) => Some(response.status),
            Self::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Returns true when the call timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Self::Timeout { .. })
    }

    /// Returns the kind of JWE failure, for [`Error::Jwe`].
    pub fn jwe_kind(&self) -> Option<crate::JweErrorKind> {
        match self {
            Self::Jwe { source, .. } => Some(source.kind()),
            _ => None,
        }
    }

    /// Returns the `v-c-correlation-id` of the response, for CyberSource support.
    pub fn correlation_id(&self) -> Option<&str> {
        match self {
            Self::Api(error) => error.correlation_id.as_deref(),
            Self::UnexpectedResponse(response) => response.correlation_id.as_deref(),
            Self::Jwe { correlation_id, .. } => correlation_id.as_deref(),
            _ => None,
        }
    }
}

/// Input rejected before any I/O.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidInput {
    /// The token id cannot be sent as one path segment, or is surely a mistake.
    #[error(
        "invalid token id: {reason}; TMS token ids are 32 hexadecimal characters, or 16, 19 \
         or 22 digits"
    )]
    InvalidTokenId {
        /// The reason the value was rejected.
        reason: &'static str,
    },
    /// The profile id cannot be sent as a header value.
    #[error("invalid profile id: {reason}")]
    InvalidProfileId {
        /// The reason the value was rejected.
        reason: &'static str,
    },
    /// The shared secret is not base64.
    #[error(
        "invalid shared secret: it is empty or not standard base64; copy the shared secret \
         of the REST key from the Business Center unchanged"
    )]
    InvalidSharedSecret,
    /// A credential value cannot be sent in a header.
    #[error("invalid {name}: {reason}")]
    InvalidCredential {
        /// The credential: merchant id, key id or portfolio id.
        name: &'static str,
        /// The reason the value was rejected.
        reason: &'static str,
    },
    /// A call names another merchant, but the credentials are not a meta key.
    #[error(
        "the call sets another merchant id, which only a meta key may act for; set the \
         portfolio id on the credentials, or build a client per merchant"
    )]
    MerchantWithoutMetaKey,
    /// The client builder has no credentials.
    #[error(
        "no credentials set; call ClientBuilder::http_signature (merchant id, key id and shared \
         secret), ClientBuilder::credentials or ClientBuilder::jwt"
    )]
    MissingCredentials,
    /// The environment name is not one of the known hosts.
    #[error(
        "unknown environment {name:?}; use one of {}, or an https:// base URL",
        crate::config::Environment::NAMES.join(", ")
    )]
    UnknownEnvironment {
        /// The name given.
        name: String,
    },
    /// The base URL cannot be used.
    #[error("invalid base URL: {reason}")]
    InvalidBaseUrl {
        /// The reason the URL was rejected.
        reason: String,
    },
    /// The HTTP client could not be built.
    #[error("failed to build the HTTP client: {reason}")]
    HttpClient {
        /// The reason given by reqwest.
        reason: String,
    },
}

/// A documented error status from CyberSource, with the parsed body when it is JSON.
///
/// `Display` and `Debug` show the body's type and message with card-like numbers redacted
/// and control characters escaped; the fields hold them as received.
#[derive(Clone)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The body, when it parses as one of the documented shapes.
    pub body: Option<ErrorBody>,
    /// The `v-c-correlation-id` response header.
    pub correlation_id: Option<String>,
    /// The start of the raw body (at most 512 bytes), with card-like numbers redacted and
    /// control characters escaped.
    pub snippet: String,
}

impl ApiError {
    /// Returns the most specific message of the body: the first `errors[].message`, the
    /// payments-style `message`, or the gateway's `response.rmsg`.
    pub fn message(&self) -> Option<&str> {
        let body = self.body.as_ref()?;
        body.errors
            .iter()
            .find_map(|item| item.message.as_deref())
            .or(body.message.as_deref())
            .or(body.response.as_ref().and_then(|r| r.rmsg.as_deref()))
    }

    /// Returns the first `errors[].type` (such as `notFound`) or the payments-style `reason`.
    pub fn error_type(&self) -> Option<&str> {
        let body = self.body.as_ref()?;
        body.errors
            .iter()
            .find_map(|item| item.type_.as_deref())
            .or(body.reason.as_deref())
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("error_type", &self.error_type().map(sanitize))
            .field("message", &self.message().map(sanitize))
            .field("correlation_id", &self.correlation_id)
            .field("snippet", &self.snippet)
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CyberSource answered {}", self.status)?;
        let error_type = self.error_type().map(sanitize);
        let message = self.message().map(sanitize);
        match (error_type, message) {
            (Some(kind), Some(message)) => write!(f, ": {kind}: {message}")?,
            (None, Some(message)) => write!(f, ": {message}")?,
            (Some(kind), None) => write!(f, ": {kind}")?,
            (None, None) if self.snippet.is_empty() => write!(f, " with an empty body")?,
            (None, None) => write!(f, " with a body that is not JSON: {}", self.snippet)?,
        }
        if let Some(id) = &self.correlation_id {
            write!(f, " (v-c-correlation-id {})", sanitize(id))?;
        }
        if self.status == StatusCode::UNAUTHORIZED {
            write!(
                f,
                "; check the merchant id and the credentials (key id and shared secret, or the \
                 PKCS#12 certificate), and that the system clock is correct"
            )?;
        }
        Ok(())
    }
}

/// Returns the messages of `error` and its sources joined by ": ", such as "builder error:
/// invalid private key".
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut messages = vec![error.to_string()];
    let mut cause = error.source();
    while let Some(inner) = cause {
        messages.push(inner.to_string());
        cause = inner.source();
    }
    messages.join(": ")
}

/// Returns the innermost error's message, such as "Connection refused (os error 111)".
fn root_cause(error: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    cause.to_string()
}

/// A response the API does not document: an unknown status, or a 201 whose body is neither a
/// JWE nor (for v3) a JSON object.
#[derive(Debug, Clone)]
pub struct UnexpectedResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The `Content-Type` response header.
    pub content_type: Option<String>,
    /// The `v-c-correlation-id` response header.
    pub correlation_id: Option<String>,
    /// The start of the raw body (at most 512 bytes), with card-like numbers redacted and
    /// control characters escaped. It is withheld for 2xx responses and for bodies with card
    /// data fields.
    pub snippet: String,
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected response {}", self.status)?;
        if let Some(content_type) = &self.content_type {
            write!(f, " ({content_type})")?;
        }
        if self.snippet.is_empty() {
            write!(f, " with an empty body")?;
        } else {
            write!(f, ": {}", self.snippet)?;
        }
        if let Some(id) = &self.correlation_id {
            write!(f, " (v-c-correlation-id {})", sanitize(id))?;
        }
        Ok(())
    }
}
