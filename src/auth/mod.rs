//! Request authentication: the credentials, the clock, and the HTTP Signature headers added
//! to every request.

pub mod http_signature;
pub mod jwt;
mod jwt_credentials;

pub use jwt_credentials::JwtCredentials;

use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use crate::error::InvalidInput;

/// A source of the current time, injectable so that signed requests can be reproduced in
/// tests. The time is read once per request and used for both the `Date` header and the
/// signing string.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Returns the current time.
    fn now(&self) -> SystemTime;
}

/// The system clock, [`SystemTime::now`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// A clock that always returns the same time, for tests and reproducible signatures.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub SystemTime);

impl Clock for FixedClock {
    fn now(&self) -> SystemTime {
        self.0
    }
}

/// The shared secret of an HTTP Signature key, decoded from base64. It never prints and is
/// zeroized when dropped.
#[derive(Clone)]
pub struct SharedSecret(Arc<Zeroizing<Vec<u8>>>);

impl SharedSecret {
    /// Decodes the base64 shared secret shown in the Business Center.
    ///
    /// # Errors
    ///
    /// [`InvalidInput::InvalidSharedSecret`] when `text` is empty or not standard base64. The
    /// error never contains the secret.
    pub fn from_base64(text: &str) -> Result<Self, InvalidInput> {
        let decoded = Zeroizing::new(
            STANDARD
                .decode(text.trim())
                .map_err(|_| InvalidInput::InvalidSharedSecret)?,
        );
        if decoded.is_empty() {
            return Err(InvalidInput::InvalidSharedSecret);
        }
        Ok(Self(Arc::new(decoded)))
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedSecret([REDACTED])")
    }
}

/// HTTP Signature credentials: the merchant id, and the key id and shared secret of a REST
/// shared secret key from the Business Center.
#[derive(Clone)]
pub struct HttpSignatureCredentials {
    merchant_id: String,
    key_id: String,
    secret: SharedSecret,
    portfolio_id: Option<String>,
}

impl HttpSignatureCredentials {
    /// Checks and stores the credentials; the secret is decoded from base64 here, so a wrong
    /// secret fails before any request.
    ///
    /// # Errors
    ///
    /// [`InvalidInput::InvalidCredential`] for an empty merchant id or key id, or one with
    /// other characters than ASCII letters, digits, `_`, `-` and `.`.
    /// [`InvalidInput::InvalidSharedSecret`] for a secret that is not base64.
    pub fn new(
        merchant_id: impl Into<String>,
        key_id: impl Into<String>,
        shared_secret: &str,
    ) -> Result<Self, InvalidInput> {
        let merchant_id = merchant_id.into();
        let key_id = key_id.into();
        check_header_token("merchant id", &merchant_id)?;
        check_header_token("key id", &key_id)?;
        Ok(Self {
            merchant_id,
            key_id,
            secret: SharedSecret::from_base64(shared_secret)?,
            portfolio_id: None,
        })
    }

    /// Signs with a meta key of the portfolio `portfolio_id`: the signing string carries the
    /// portfolio id while the `v-c-merchant-id` header carries the transacting merchant id.
    ///
    /// # Errors
    ///
    /// [`InvalidInput::InvalidCredential`] for an empty portfolio id, or one with other
    /// characters than ASCII letters, digits, `_`, `-` and `.`.
    pub fn with_portfolio_id(
        mut self,
        portfolio_id: impl Into<String>,
    ) -> Result<Self, InvalidInput> {
        let portfolio_id = portfolio_id.into();
        check_header_token("portfolio id", &portfolio_id)?;
        self.portfolio_id = Some(portfolio_id);
        Ok(self)
    }

    /// Returns the transacting merchant id.
    pub fn merchant_id(&self) -> &str {
        &self.merchant_id
    }

    /// Returns the key id.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Builds the auth headers of one request for the transacting `merchant_id`, which is
    /// the credentials' own unless the call sets another.
    pub(crate) fn sign(
        &self,
        merchant_id: &str,
        date: &str,
        method: &str,
        host: &str,
        path_and_query: &str,
        body: &[u8],
    ) -> SignedHeaders {
        let digest =
            http_signature::method_has_digest(method).then(|| http_signature::digest(body));
        let input = http_signature::SigningInput {
            host,
            date,
            method,
            path_and_query,
            digest: digest.as_deref(),
            signing_merchant_id: self.portfolio_id.as_deref().unwrap_or(merchant_id),
        };
        let signing_string = http_signature::signing_string(&input);
        let signature = http_signature::signature(self.secret.as_bytes(), &signing_string);
        SignedHeaders {
            signature: http_signature::signature_header(
                &self.key_id,
                http_signature::signed_header_names(&input),
                &signature,
            ),
            digest,
        }
    }
}

impl fmt::Debug for HttpSignatureCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpSignatureCredentials")
            .field("merchant_id", &self.merchant_id)
            .field("key_id", &self.key_id)
            .field("secret", &self.secret)
            .field("portfolio_id", &self.portfolio_id)
            .finish()
    }
}

/// The authentication scheme of a client, with its credentials.
#[derive(Clone, Debug)]
pub(crate) enum Authentication {
    HttpSignature(HttpSignatureCredentials),
    Jwt(JwtCredentials),
}

impl Authentication {
    /// Returns the merchant id the credentials transact for by default.
    pub(crate) fn merchant_id(&self) -> &str {
        match self {
            Self::HttpSignature(credentials) => credentials.merchant_id(),
            Self::Jwt(credentials) => credentials.merchant_id(),
        }
    }

    /// Returns whether the credentials are a meta key, which may act for other merchants.
    pub(crate) fn is_meta_key(&self) -> bool {
        match self {
            Self::HttpSignature(credentials) => credentials.portfolio_id.is_some(),
            Self::Jwt(credentials) => credentials.portfolio_id.is_some(),
        }
    }
}

/// The `Digest` and `Signature` header values of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SignedHeaders {
    pub digest: Option<String>,
    pub signature: String,
}

pub(crate) fn check_header_token(name: &'static str, value: &str) -> Result<(), InvalidInput> {
    // Merchant ids are letters, digits and underscores, and key ids are UUIDs; a quote or
    // comma would change the parameters of the `Signature` header.
    let reason = if value.is_empty() {
        Some("it is empty")
    } else if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    {
        Some("it may hold only ASCII letters, digits, '_', '-' and '.'")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(InvalidInput::InvalidCredential { name, reason }),
        None => Ok(()),
    }
}
