//! The return adapter: turns the recorded exchange of a call into a [`CredentialsResponse`]
//! or an [`Error`], by status code first and never by `Content-Type`.

use std::fmt;
use std::time::Duration;

use progenitor_client::Error as GeneratedError;
use reqwest::StatusCode;

use crate::credentials::PaymentCredentials;
use crate::error::{ApiError, Error, InvalidInput, UnexpectedResponse};
use crate::exchange::Exchange;
use crate::generated::types::ErrorBody;
use crate::hooks::ClientSettings;
use crate::jose::Jwe;
#[cfg(doc)]
use crate::keys::DecryptionKey;
use crate::keys::DecryptionKeySource;
use crate::redact::{CARD_DATA_WITHHELD, body_snippet};

/// The version of the operation a call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    /// `POST /tms/v2/tokens/{tokenId}/payment-credentials`.
    V2,
    /// `POST /tms/v3/tokens/{tokenId}/payment-credentials`.
    V3,
}

impl ApiVersion {
    /// Returns whether the spec documents `status` as an error response of this version.
    fn documents_error(self, status: StatusCode) -> bool {
        match status.as_u16() {
            400 | 401 | 403 | 404 | 410 | 424 | 500 | 502 => true,
            409 => self == Self::V3,
            _ => false,
        }
    }
}

/// A successful (201) response: the credentials, still encrypted, with the response ids.
pub struct CredentialsResponse {
    payload: Payload,
    correlation_id: Option<String>,
    unique_transaction_id: Option<String>,
}

enum Payload {
    Encrypted(Jwe),
    /// v3 can respond with the JSON object itself.
    Plain(Box<PaymentCredentials>),
}

impl CredentialsResponse {
    /// Returns the JWE, or `None` when a v3 response carried the credentials unencrypted.
    pub fn jwe(&self) -> Option<&Jwe> {
        match &self.payload {
            Payload::Encrypted(jwe) => Some(jwe),
            Payload::Plain(_) => None,
        }
    }

    /// Decrypts the JWE with `keys`: one [`DecryptionKey`], or a
    /// [`crate::DecryptionKeys`] set during a key rotation. An unencrypted v3 response is
    /// returned as a copy.
    ///
    /// # Errors
    ///
    /// [`Error::Jwe`], with the response's correlation id, when the JWE uses an algorithm
    /// that is not accepted, was encrypted to another key, or was altered.
    pub fn decrypt<K>(&self, keys: &K) -> Result<PaymentCredentials, Error>
    where
        K: DecryptionKeySource + ?Sized,
    {
        match &self.payload {
            Payload::Encrypted(jwe) => jwe.decrypt(keys).map_err(|source| Error::Jwe {
                source,
                correlation_id: self.correlation_id.clone(),
            }),
            Payload::Plain(credentials) => Ok(credentials.as_ref().clone()),
        }
    }

    /// Returns the `v-c-correlation-id` response header, for CyberSource support.
    pub fn correlation_id(&self) -> Option<&str> {
        self.correlation_id.as_deref()
    }

    /// Returns the `uniqueTransactionID` response header.
    pub fn unique_transaction_id(&self) -> Option<&str> {
        self.unique_transaction_id.as_deref()
    }
}

impl fmt::Debug for CredentialsResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("CredentialsResponse");
        match &self.payload {
            Payload::Encrypted(jwe) => debug.field("jwe", jwe),
            Payload::Plain(credentials) => debug.field("credentials", credentials),
        };
        debug
            .field("correlation_id", &self.correlation_id)
            .field("unique_transaction_id", &self.unique_transaction_id)
            .finish()
    }
}

/// Decides the outcome of a call from the generated client's result and the exchange that
/// the `exec` hook recorded under `settings`.
pub(crate) fn classify(
    version: ApiVersion,
    result: Result<(), GeneratedError<ErrorBody>>,
    exchange: Option<Exchange>,
    settings: &ClientSettings,
) -> Result<CredentialsResponse, Error> {
    let exchange = match (result, exchange) {
        (_, Some(exchange)) => exchange,
        (Err(error), None) => return Err(without_response(error, settings.timeout)),
        // The generated client cannot succeed without running `exec`, which records the
        // exchange; reported instead of trusted.
        (Ok(()), None) => {
            return Err(InvalidInput::HttpClient {
                reason: "no response was recorded for the call".to_string(),
            }
            .into());
        }
    };

    if exchange.too_large {
        return Err(Error::ResponseTooLarge {
            status: exchange.status,
            limit: settings.max_response_bytes,
        });
    }
    if exchange.status == StatusCode::CREATED {
        return created(version, exchange);
    }
    if version.documents_error(exchange.status) {
        return Err(Error::Api(Box::new(ApiError {
            status: exchange.status,
            body: serde_json::from_slice(&exchange.body).ok(),
            correlation_id: exchange.correlation_id,
            snippet: body_snippet(&exchange.body),
        })));
    }
    Err(unexpected(exchange))
}

fn created(version: ApiVersion, exchange: Exchange) -> Result<CredentialsResponse, Error> {
    let body = exchange.body.trim_ascii();
    let payload = if version == ApiVersion::V3 && body.starts_with(b"{") {
        match PaymentCredentials::from_json(body) {
            Ok(credentials) => Payload::Plain(Box::new(credentials)),
            Err(_) => return Err(unexpected(exchange)),
        }
    } else {
        match Jwe::from_bytes(body) {
            Ok(jwe) => Payload::Encrypted(jwe),
            Err(source) => {
                return Err(Error::Jwe {
                    source,
                    correlation_id: exchange.correlation_id,
                });
            }
        }
    };
    Ok(CredentialsResponse {
        payload,
        correlation_id: exchange.correlation_id,
        unique_transaction_id: exchange.unique_transaction_id,
    })
}

fn unexpected(exchange: Exchange) -> Error {
    // A 2xx body may be payment credentials in a shape this crate does not know.
    let snippet = if exchange.status.is_success() {
        CARD_DATA_WITHHELD.to_string()
    } else {
        body_snippet(&exchange.body)
    };
    Error::UnexpectedResponse(Box::new(UnexpectedResponse {
        status: exchange.status,
        content_type: exchange.content_type,
        correlation_id: exchange.correlation_id,
        snippet,
    }))
}

/// Maps an error of the generated client that happened before any response arrived. The URL
/// is dropped from reqwest's error because its path contains the token id.
fn without_response(error: GeneratedError<ErrorBody>, timeout: Duration) -> Error {
    match error {
        GeneratedError::CommunicationError(source) | GeneratedError::ResponseBodyError(source)
            if source.is_timeout() =>
        {
            Error::Timeout {
                timeout,
                source: source.without_url(),
            }
        }
        GeneratedError::CommunicationError(source) | GeneratedError::ResponseBodyError(source) => {
            Error::Transport {
                source: source.without_url(),
            }
        }
        other => InvalidInput::HttpClient {
            reason: other.to_string(),
        }
        .into(),
    }
}
