//! Compact JWE parsing and decryption for the `application/jose` payment-credentials
//! response.
//!
//! The accepted subset is the one CyberSource's own SDK helpers accept: `alg` `RSA-OAEP-256`
//! or `RSA-OAEP`, `enc` `A256GCM` or `A128GCM`, and `zip` absent or `DEF`. Everything else
//! (`RSA1_5`, `dir`, `none`, AES-CBC-HMAC, key wrapping) is rejected. The crypto runs on
//! aws-lc-rs.
//!
//! ```no_run
//! use cybersource_tms::jose::Jwe;
//! use cybersource_tms::keys::DecryptionKey;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let response_body = String::new();
//! let key = DecryptionKey::from_pem_file("tms-mle-key.pem")?;
//! let jwe = Jwe::parse(&response_body)?;
//! let credentials = jwe.decrypt(&key)?;
//! if let Some(card) = &credentials.tokenized_card {
//!     if let Some(number) = &card.number {
//!         println!("network token {}", number.masked());
//!     }
//! }
//! # Ok(())
//! # }
//! ```

mod decrypt;
mod error;
mod header;
mod jwe;

pub use decrypt::{DEFAULT_MAX_PAYLOAD_BYTES, DecryptOptions};
pub use error::{JweError, JweErrorKind};
pub use header::{Compression, ContentEncryption, KeyAlgorithm, ProtectedHeader};
pub use jwe::Jwe;
