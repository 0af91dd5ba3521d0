//! The error type for loading keys.

use std::fmt;
use std::path::{Path, PathBuf};

/// Category of a [`KeyError`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyErrorKind {
    /// The key file could not be read.
    Io,
    /// The input contains no PEM section, or its PEM syntax is invalid.
    NotPem,
    /// The PEM contains no private key, several private keys, or a kind of key this crate
    /// does not load, such as a certificate, a public key or an EC key.
    UnsupportedPem,
    /// The key is password-protected, but it was loaded without a password.
    Encrypted,
    /// The password is wrong, or the encrypted data is damaged.
    ///
    /// The two causes cannot be distinguished, because both make the MAC check fail or the
    /// decrypted bytes invalid.
    WrongPassword,
    /// The key is encrypted with a cipher or key-derivation function this crate does not
    /// support, or with key-derivation parameters above this crate's limits.
    UnsupportedEncryption,
    /// The input is not a PKCS#12 (PFX) file.
    NotPkcs12,
    /// The PKCS#12 file has no private key whose certificate has the requested common name,
    /// or no private key with a certificate at all.
    EntryNotFound,
    /// The PKCS#12 file has several private keys with certificates, and no common name was
    /// given to choose one, or several certificates have the requested common name.
    AmbiguousEntry,
    /// The key could not be decoded or failed validation.
    Invalid,
    /// The RSA key is smaller than [`MIN_KEY_BITS`](super::MIN_KEY_BITS).
    TooSmall,
}

/// Error loading a private key or a PKCS#12 file.
///
/// Messages name the file path when there is one. They never contain key material or the
/// password.
#[derive(Debug)]
pub struct KeyError {
    kind: KeyErrorKind,
    message: String,
    path: Option<PathBuf>,
    bits: Option<usize>,
    source: Option<std::io::Error>,
}

impl KeyError {
    pub(crate) fn new(kind: KeyErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            path: None,
            bits: None,
            source: None,
        }
    }

    pub(crate) fn with_path(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }

    pub(crate) fn with_bits(mut self, bits: usize) -> Self {
        self.bits = Some(bits);
        self
    }

    pub(crate) fn with_source(mut self, source: std::io::Error) -> Self {
        self.source = Some(source);
        self
    }

    /// Returns the category of the error.
    pub fn kind(&self) -> KeyErrorKind {
        self.kind
    }

    /// Returns the path of the key file, when the key was loaded from a file.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Returns the size of the rejected RSA key in bits, when the size was the reason.
    pub fn key_bits(&self) -> Option<usize> {
        self.bits
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(
                f,
                "failed to load the private key from {}: {}",
                path.display(),
                self.message
            ),
            None => write!(f, "failed to load the private key: {}", self.message),
        }
    }
}

impl std::error::Error for KeyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|error| error as &(dyn std::error::Error + 'static))
    }
}
