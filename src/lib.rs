//! A client for CyberSource's Token Management Service payment-credentials operations:
//! `POST /tms/v2/tokens/{tokenId}/payment-credentials` and its successor `/tms/v3/...`, which
//! turn a stored TMS token into a network token with a cryptogram or a dynamic security code.
//!
//! - `generated` (private): the client progenitor generates from the OpenAPI spec at build
//!   time; its request and error types are re-exported.
//! - [`auth`]: HTTP Signature and JWT credentials and signing, with an injectable clock.
//! - [`client`]: the [`Client`], its builder, and the call builder.
//! - [`response`]: the return adapter from a 201 `application/jose` body to a [`Jwe`].
//! - [`jose`]: JWE parsing and decryption with aws-lc-rs.
//! - [`keys`]: private keys from PEM, encrypted PEM or PKCS#12, and key sets for rotation.
//! - [`credentials`]: the decrypted, redacted [`PaymentCredentials`].
//! - [`tls`]: client certificates for the mutual-TLS hosts.
//! - [`error`]: the one [`Error`] type.
//!
//! # Example
//!
//! ```no_run
//! use cybersource_tms::{Client, DecryptionKey, Environment, PaymentCredentialType};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // Build once and share: clones are cheap and use one connection pool.
//! let client = Client::builder()
//!     .environment(Environment::Test)
//!     .http_signature("your_merchant_id", "key-id-uuid", "c2hhcmVkLXNlY3JldA==")
//!     .build()?;
//! // The private half of the "Token Management MLE key" uploaded in the Business Center.
//! let key = DecryptionKey::from_pem_file("tms-mle-private-key.pem")?;
//!
//! let response = client
//!     .payment_credentials("7030000000012345678")
//!     .payment_credential_type(PaymentCredentialType::Cryptogram)
//!     .send()
//!     .await?;
//! let credentials = response.decrypt(&key)?;
//!
//! if let Some(card) = &credentials.tokenized_card {
//!     // Debug output masks numbers and hides cryptograms; read values with expose().
//!     println!("{card:?}");
//!     let _cryptogram = card.cryptogram.as_ref().map(|c| c.expose());
//! }
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

#[macro_use]
mod open_enum;

pub mod auth;
pub mod client;
pub mod config;
pub mod credentials;
pub mod error;
mod exchange;
mod generated;
mod hooks;
pub mod jose;
pub mod keys;
mod redact;
pub mod request;
pub mod response;
pub mod tls;

pub use auth::{Clock, FixedClock, HttpSignatureCredentials, JwtCredentials, SystemClock};
pub use client::{Client, ClientBuilder, PaymentCredentialsCall};
pub use config::Environment;
pub use credentials::PaymentCredentials;
pub use error::{ApiError, Error, InvalidInput, UnexpectedResponse};
pub use generated::types::{ErrorBody, ErrorDetail, ErrorItem};
pub use jose::{Jwe, JweError, JweErrorKind};
pub use keys::{
    DecryptionKey, DecryptionKeys, KeyError, KeyErrorKind, Pkcs12Identity, RsaSigningKey,
};
pub use request::{PaymentCredentialType, TransactionType};
pub use response::{ApiVersion, CredentialsResponse};
