//! The RSA key that signs RS256 JWTs for JWT authentication.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use zeroize::Zeroizing;

use super::error::{KeyError, KeyErrorKind};
use super::pem::private_key_from_pem;
use super::pkcs12::Pkcs12Identity;
use super::{KeyUse, check_rsa_key_size, pkcs1_from_pkcs8, read_key_file, wrap_pkcs1_in_pkcs8};

/// An RSA private key for RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signatures.
///
/// The key is checked to be between [`MIN_KEY_BITS`](super::MIN_KEY_BITS) and
/// [`MAX_KEY_BITS`](super::MAX_KEY_BITS) and parsed by aws-lc-rs when it is loaded. Cloning
/// is cheap because the key material is shared behind an [`Arc`]. `Debug` prints only the
/// key size.
#[derive(Clone)]
pub struct RsaSigningKey {
    inner: Arc<SigningKeyMaterial>,
}

struct SigningKeyMaterial {
    key_pair: RsaKeyPair,
    pkcs8_der: Zeroizing<Vec<u8>>,
    pkcs1_der: Zeroizing<Vec<u8>>,
    bits: usize,
}

impl RsaSigningKey {
    /// Loads a key from a DER-encoded PKCS#8 `PrivateKeyInfo`.
    ///
    /// # Errors
    /// [`KeyErrorKind::TooSmall`] for a key under [`MIN_KEY_BITS`](super::MIN_KEY_BITS), and
    /// [`KeyErrorKind::Invalid`] when the DER is not an RSA private key or aws-lc-rs rejects
    /// it.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, KeyError> {
        let bits = check_rsa_key_size(der, KeyUse::Signing)?;
        // aws-lc-rs validates the key's consistency here and rejects it without a reason.
        let key_pair = RsaKeyPair::from_pkcs8(der).map_err(|_| {
            KeyError::new(
                KeyErrorKind::Invalid,
                "the RSA private key failed its consistency checks",
            )
        })?;
        let pkcs1_der = pkcs1_from_pkcs8(der)?;
        Ok(Self {
            inner: Arc::new(SigningKeyMaterial {
                key_pair,
                pkcs8_der: Zeroizing::new(der.to_vec()),
                pkcs1_der,
                bits,
            }),
        })
    }

    /// Loads a key from a DER-encoded PKCS#1 `RSAPrivateKey`.
    ///
    /// # Errors
    /// The same as [`RsaSigningKey::from_pkcs8_der`].
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self, KeyError> {
        let pkcs8 = wrap_pkcs1_in_pkcs8(der)?;
        Self::from_pkcs8_der(&pkcs8)
    }

    /// Loads a key from PEM bytes containing an unencrypted PKCS#8 or PKCS#1 RSA private key.
    ///
    /// # Errors
    /// The same as [`DecryptionKey::from_pem`](super::DecryptionKey::from_pem).
    pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
        let pkcs8 = private_key_from_pem(pem, None)?;
        Self::from_pkcs8_der(&pkcs8)
    }

    /// Loads a key from PEM text containing an unencrypted PKCS#8 or PKCS#1 RSA private key.
    ///
    /// # Errors
    /// The same as [`RsaSigningKey::from_pem`].
    pub fn from_pem_str(pem: &str) -> Result<Self, KeyError> {
        Self::from_pem(pem.as_bytes())
    }

    /// Loads a key from a PEM file containing an unencrypted PKCS#8 or PKCS#1 RSA private key.
    ///
    /// # Errors
    /// The same as [`RsaSigningKey::from_pem`], naming `path`, and [`KeyErrorKind::Io`].
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, KeyError> {
        let path = path.as_ref();
        let contents = read_key_file(path)?;
        Self::from_pem(&contents).map_err(|error| error.with_path(path))
    }

    /// Loads a key from PEM bytes containing a password-protected RSA private key; an
    /// unencrypted key loads too.
    ///
    /// # Errors
    /// The same as
    /// [`DecryptionKey::from_encrypted_pem`](super::DecryptionKey::from_encrypted_pem).
    pub fn from_encrypted_pem(pem: &[u8], password: &str) -> Result<Self, KeyError> {
        let pkcs8 = private_key_from_pem(pem, Some(password))?;
        Self::from_pkcs8_der(&pkcs8)
    }

    /// Loads a key from PEM text containing a password-protected RSA private key.
    ///
    /// # Errors
    /// The same as [`RsaSigningKey::from_encrypted_pem`].
    pub fn from_encrypted_pem_str(pem: &str, password: &str) -> Result<Self, KeyError> {
        Self::from_encrypted_pem(pem.as_bytes(), password)
    }

    /// Loads a key from a PEM file containing a password-protected RSA private key.
    ///
    /// # Errors
    /// The same as [`RsaSigningKey::from_encrypted_pem`], naming `path`, and
    /// [`KeyErrorKind::Io`].
    pub fn from_encrypted_pem_file(
        path: impl AsRef<Path>,
        password: &str,
    ) -> Result<Self, KeyError> {
        let path = path.as_ref();
        let contents = read_key_file(path)?;
        Self::from_encrypted_pem(&contents, password).map_err(|error| error.with_path(path))
    }

    /// Loads the key of one entry of a PKCS#12 file, chosen by its certificate's common name
    /// as [`Pkcs12Identity::select_entry`] does.
    ///
    /// To get the certificate and its subject serial number too, read the file with
    /// [`Pkcs12Identity::from_file`] and call [`Pkcs12Entry::signing_key`].
    ///
    /// # Errors
    /// The same as
    /// [`DecryptionKey::from_pkcs12_file`](super::DecryptionKey::from_pkcs12_file).
    ///
    /// [`Pkcs12Entry::signing_key`]: super::Pkcs12Entry::signing_key
    pub fn from_pkcs12_file(
        path: impl AsRef<Path>,
        password: &str,
        name: Option<&str>,
    ) -> Result<Self, KeyError> {
        let path = path.as_ref();
        let identity = Pkcs12Identity::from_file(path, password)?;
        identity
            .select_entry(name)
            .and_then(|entry| entry.signing_key())
            .map_err(|error| error.with_path(path))
    }

    /// Returns the size of the RSA modulus in bits.
    pub fn bits(&self) -> usize {
        self.inner.bits
    }

    /// Returns the aws-lc-rs key pair, for signing with any RSA padding.
    pub fn key_pair(&self) -> &RsaKeyPair {
        &self.inner.key_pair
    }

    /// Returns the key as a DER-encoded PKCS#8 `PrivateKeyInfo`, the input of
    /// `aws_lc_rs::signature::RsaKeyPair::from_pkcs8`.
    pub fn pkcs8_der(&self) -> &[u8] {
        &self.inner.pkcs8_der
    }

    /// Returns the key as a DER-encoded PKCS#1 `RSAPrivateKey`, the input of
    /// `jsonwebtoken::EncodingKey::from_rsa_der` (jsonwebtoken 10.4 with aws-lc-rs passes it
    /// to `RsaKeyPair::from_der`, which parses PKCS#1).
    pub fn pkcs1_der(&self) -> &[u8] {
        &self.inner.pkcs1_der
    }

    /// Signs `message` with RS256: RSASSA-PKCS1-v1_5 with SHA-256.
    ///
    /// # Errors
    /// Returns [`aws_lc_rs::error::Unspecified`] when aws-lc-rs reports a signing failure.
    pub fn sign_rs256(&self, message: &[u8]) -> Result<Vec<u8>, aws_lc_rs::error::Unspecified> {
        let key_pair = &self.inner.key_pair;
        let mut signature = vec![0u8; key_pair.public_modulus_len()];
        key_pair.sign(
            &RSA_PKCS1_SHA256,
            &SystemRandom::new(),
            message,
            &mut signature,
        )?;
        Ok(signature)
    }
}

impl fmt::Debug for RsaSigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaSigningKey")
            .field("bits", &self.inner.bits)
            .finish_non_exhaustive()
    }
}
