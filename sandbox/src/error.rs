//! Errors from configuring, starting or stopping a sandbox.

use std::io;
use std::net::SocketAddr;

/// An error from starting or stopping a [`Sandbox`](crate::Sandbox).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The listening socket could not be bound.
    #[error("failed to bind the sandbox to {addr}: {source}")]
    Bind {
        /// The requested address.
        addr: SocketAddr,
        /// The error from the operating system.
        source: io::Error,
    },
    /// The configured shared secret is not standard base64 or decodes to no bytes.
    #[error("the shared secret must be non-empty standard base64 text")]
    InvalidSharedSecret,
    /// The configured JWT certificate cannot be used to verify RS256 tokens.
    #[error("invalid JWT certificate: {0}")]
    InvalidJwtCertificate(String),
    /// The configured encryption key is not a usable RSA public key.
    #[error("invalid encryption key: {0}")]
    InvalidEncryptionKey(String),
    /// Generating the default RSA key pair failed.
    #[error("failed to generate the RSA key pair for response encryption")]
    KeyGeneration,
    /// The server task failed or panicked.
    #[error("the sandbox server failed: {0}")]
    Server(#[source] io::Error),
}
