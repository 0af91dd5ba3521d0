//! A local CyberSource-compatible Token Management Service (TMS) server for tests and
//! examples.
//!
//! The sandbox serves `POST /tms/v2/tokens/{tokenId}/payment-credentials` and its v3
//! form on loopback, inside the caller's tokio runtime. It checks requests the way
//! CyberSource does and responds with the same status codes and bodies:
//!
//! - HTTP Signature authentication (`v-c-merchant-id`, `Date`, `Host`, `Digest`,
//!   `Signature` with `HmacSHA256`); any failure receives `401` with
//!   `{"response":{"rmsg":"Authentication Failed"}}`. The reason is logged with
//!   [`tracing`] at warn level, without the secret or the signature.
//! - JWT authentication as the alternative: `Authorization: Bearer <JWS>` signed with
//!   RS256 (verified with the certificate set by [`SandboxBuilder::jwt_certificate`]) or
//!   HS256 (the shared secret). The claims bind the token to the request, see [`jwt`].
//!   Failures receive the same `401`, and the reason is logged without the token.
//! - The request body schema: unknown fields, wrong types and unknown enum values
//!   receive `400` with type `invalidFields` and the field's path, such as
//!   `deviceInformation.platformType`.
//! - The combinations the API forbids (AFT only with `CRYPTOGRAM` and Visa, `CRYPTOGRAM`
//!   not for American Express, `SECURITY_CODE` only for American Express) receive `400`
//!   with type `invalidCombination`.
//! - Unknown tokens receive `404` (`notFound`), deleted tokens `410` (`notAvailable`),
//!   bodies over [`MAX_BODY_BYTES`] receive `413`.
//! - Active tokens receive `201` with a compact JWE (`RSA-OAEP-256`, `A256GCM`) whose
//!   payload contains the network token and a fresh cryptogram or security code.
//!
//! Every request is recorded with the status it received, see [`Sandbox::requests`].
//!
//! # Example
//!
//! ```
//! use cybersource_tms_sandbox::{Sandbox, Token};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), cybersource_tms_sandbox::SandboxError> {
//! let sandbox = Sandbox::builder()
//!     .merchant_id("demo_merchant_01")
//!     .token(Token::visa("7030000000012345678"))
//!     .start()
//!     .await?;
//! sandbox.tokens().insert(Token::american_express("7030000000087654321"));
//!
//! println!("TMS sandbox at {}", sandbox.base_url());
//! println!("key id {}, merchant {}", sandbox.key_id(), sandbox.merchant_id());
//! assert!(sandbox.decryption_key_pem().is_some());
//!
//! sandbox.shutdown().await?;
//! # Ok(())
//! # }
//! ```

mod error;
mod handler;
mod jwe;
pub mod jwt;
mod payload;
mod record;
mod request;
mod server;
pub mod signature;
mod token;

pub use axum::http;
pub use error::SandboxError;
pub use handler::MAX_BODY_BYTES;
pub use record::{MAX_RECORDED_REQUESTS, RecordedRequest};
pub use server::{Clock, DEFAULT_DATE_TOLERANCE, DEFAULT_MERCHANT_ID, Sandbox, SandboxBuilder};
pub use token::{CardBrand, Token, TokenState, TokenStore};
