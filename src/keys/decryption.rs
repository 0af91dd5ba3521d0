//! The JWE decryption key and the key set used for key rotation.

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use aws_lc_rs::rsa::{OaepAlgorithm, OaepPrivateDecryptingKey, PrivateDecryptingKey};
use zeroize::Zeroizing;

use super::error::{KeyError, KeyErrorKind};
use super::pem::private_key_from_pem;
use super::pkcs12::Pkcs12Identity;
use super::{KeyUse, check_rsa_key_size, read_key_file, wrap_pkcs1_in_pkcs8};
use crate::jose::JweError;

/// An RSA private key for RSA-OAEP and RSA-OAEP-256 JWE decryption.
///
/// Cloning is cheap because the key material is shared behind an [`Arc`]. `Debug` prints
/// only the key size and the key id.
#[derive(Clone)]
pub struct DecryptionKey {
    inner: Arc<LoadedKey>,
    kid: Option<Arc<str>>,
}

struct LoadedKey {
    key: OaepPrivateDecryptingKey,
    bits: usize,
}

impl DecryptionKey {
    /// Loads a key from a PEM file containing an unencrypted PKCS#8 or PKCS#1 RSA private
    /// key.
    ///
    /// Other PEM sections in the file, such as a certificate, are ignored.
    ///
    /// # Errors
    /// Returns a [`KeyError`] naming `path` when the file cannot be read or contains no usable
    /// RSA private key. An encrypted key gives [`KeyErrorKind::Encrypted`]: load it with
    /// [`DecryptionKey::from_encrypted_pem_file`].
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, KeyError> {
        let path = path.as_ref();
        let contents = read_key_file(path)?;
        Self::from_pem(&contents).map_err(|error| error.with_path(path))
    }

    /// Loads a key from PEM bytes containing an unencrypted PKCS#8 or PKCS#1 RSA private key.
    ///
    /// # Errors
    /// Returns a [`KeyError`] when the input is not PEM, contains no RSA private key, contains
    /// an encrypted key, or contains a key smaller than [`MIN_KEY_BITS`](super::MIN_KEY_BITS).
    pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
        let pkcs8 = private_key_from_pem(pem, None)?;
        Self::from_pkcs8_der(&pkcs8)
    }

    /// Loads a key from PEM text, such as the value of an environment variable.
    ///
    /// # Errors
    /// The same as [`DecryptionKey::from_pem`].
    pub fn from_pem_str(pem: &str) -> Result<Self, KeyError> {
        Self::from_pem(pem.as_bytes())
    }

    /// Loads a key from a PEM file containing a password-protected RSA private key: encrypted
    /// PKCS#8 (`BEGIN ENCRYPTED PRIVATE KEY`) or traditional OpenSSL PKCS#1
    /// (`Proc-Type: 4,ENCRYPTED`).
    ///
    /// An unencrypted key loads too, and the password is then unused.
    ///
    /// # Errors
    /// Returns a [`KeyError`] naming `path`: [`KeyErrorKind::WrongPassword`] for a wrong
    /// password, [`KeyErrorKind::UnsupportedEncryption`] for a cipher or key derivation this
    /// crate does not support, and the errors of [`DecryptionKey::from_pem_file`].
    pub fn from_encrypted_pem_file(
        path: impl AsRef<Path>,
        password: &str,
    ) -> Result<Self, KeyError> {
        let path = path.as_ref();
        let contents = read_key_file(path)?;
        Self::from_encrypted_pem(&contents, password).map_err(|error| error.with_path(path))
    }

    /// Loads a key from PEM bytes containing a password-protected RSA private key.
    ///
    /// # Errors
    /// The same as [`DecryptionKey::from_encrypted_pem_file`], without the path.
    pub fn from_encrypted_pem(pem: &[u8], password: &str) -> Result<Self, KeyError> {
        let pkcs8 = private_key_from_pem(pem, Some(password))?;
        Self::from_pkcs8_der(&pkcs8)
    }

    /// Loads a key from PEM text containing a password-protected RSA private key.
    ///
    /// # Errors
    /// The same as [`DecryptionKey::from_encrypted_pem`].
    pub fn from_encrypted_pem_str(pem: &str, password: &str) -> Result<Self, KeyError> {
        Self::from_encrypted_pem(pem.as_bytes(), password)
    }

    /// Loads the key of one entry of a PKCS#12 file.
    ///
    /// With `name`, the entry is the one whose certificate's subject common name (CN) equals
    /// `name`, compared case-insensitively. Without `name`, the file must hold exactly one
    /// private key with a certificate.
    ///
    /// # Errors
    /// Returns a [`KeyError`] naming `path`: [`KeyErrorKind::WrongPassword`],
    /// [`KeyErrorKind::NotPkcs12`], [`KeyErrorKind::EntryNotFound`] or
    /// [`KeyErrorKind::AmbiguousEntry`] (both list the common names found), and the key
    /// errors of [`DecryptionKey::from_pkcs8_der`].
    pub fn from_pkcs12_file(
        path: impl AsRef<Path>,
        password: &str,
        name: Option<&str>,
    ) -> Result<Self, KeyError> {
        let path = path.as_ref();
        let contents = read_key_file(path)?;
        Self::from_pkcs12(&contents, password, name).map_err(|error| error.with_path(path))
    }

    /// Loads the key of one entry of a DER-encoded PKCS#12 file.
    ///
    /// # Errors
    /// The same as [`DecryptionKey::from_pkcs12_file`], without the path.
    pub fn from_pkcs12(der: &[u8], password: &str, name: Option<&str>) -> Result<Self, KeyError> {
        let identity = Pkcs12Identity::from_der(der, password)?;
        identity.select_entry(name)?.decryption_key()
    }

    /// Loads the key of one entry of a base64-encoded PKCS#12 file, such as the value of an
    /// environment variable. Whitespace in `base64` is ignored.
    ///
    /// # Errors
    /// [`KeyErrorKind::NotPkcs12`] when `base64` is not valid base64, and otherwise the same
    /// as [`DecryptionKey::from_pkcs12`].
    pub fn from_pkcs12_base64(
        base64: &str,
        password: &str,
        name: Option<&str>,
    ) -> Result<Self, KeyError> {
        let identity = Pkcs12Identity::from_base64(base64, password)?;
        identity.select_entry(name)?.decryption_key()
    }

    /// Loads a key from a DER-encoded PKCS#8 `PrivateKeyInfo`.
    ///
    /// # Errors
    /// Returns a [`KeyError`] when the DER is not a PKCS#8 RSA private key or the key is
    /// smaller than [`MIN_KEY_BITS`](super::MIN_KEY_BITS).
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, KeyError> {
        let bits = check_rsa_key_size(der, KeyUse::Decryption)?;

        // aws-lc-rs validates the key's consistency here and rejects it without a reason.
        let private_key = PrivateDecryptingKey::from_pkcs8(der).map_err(|_| {
            KeyError::new(
                KeyErrorKind::Invalid,
                "the RSA private key failed its consistency checks",
            )
        })?;
        let key = OaepPrivateDecryptingKey::new(private_key).map_err(|_| {
            KeyError::new(
                KeyErrorKind::Invalid,
                "the RSA private key cannot be used for RSA-OAEP decryption",
            )
        })?;

        Ok(Self {
            inner: Arc::new(LoadedKey { key, bits }),
            kid: None,
        })
    }

    /// Loads a key from a DER-encoded PKCS#1 `RSAPrivateKey`.
    ///
    /// # Errors
    /// The same as [`DecryptionKey::from_pkcs8_der`].
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self, KeyError> {
        let pkcs8 = wrap_pkcs1_in_pkcs8(der)?;
        Self::from_pkcs8_der(&pkcs8)
    }

    /// Sets the key id that a JWE `kid` header must match.
    ///
    /// Without a key id, any `kid` in the JWE is accepted.
    #[must_use]
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(Arc::from(kid.into()));
        self
    }

    /// Returns the key id set with [`DecryptionKey::with_kid`].
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// Returns the size of the RSA modulus in bits.
    pub fn bits(&self) -> usize {
        self.inner.bits
    }

    /// Decrypts an RSA-OAEP ciphertext into a zeroizing buffer.
    ///
    /// Returns `None` on any failure, so that callers cannot tell the causes apart.
    pub(crate) fn decrypt_oaep(
        &self,
        algorithm: &'static OaepAlgorithm,
        ciphertext: &[u8],
    ) -> Option<Zeroizing<Vec<u8>>> {
        let key = &self.inner.key;
        let mut output = Zeroizing::new(vec![0u8; key.min_output_size()]);
        let plaintext_len = key
            .decrypt(algorithm, ciphertext, &mut output, None)
            .ok()?
            .len();
        output.truncate(plaintext_len);
        Some(output)
    }
}

impl fmt::Debug for DecryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecryptionKey")
            .field("bits", &self.inner.bits)
            .field("kid", &self.kid)
            .finish()
    }
}

impl FromStr for DecryptionKey {
    type Err = KeyError;

    fn from_str(pem: &str) -> Result<Self, Self::Err> {
        Self::from_pem_str(pem)
    }
}

/// A set of decryption keys, for rotating the Token Management MLE key.
///
/// Each key may carry a key id, set with [`DecryptionKey::with_kid`]. A JWE is decrypted
/// with these keys as follows:
///
/// 1. A JWE with a `kid` that equals the id of one or more keys is decrypted with those keys.
/// 2. Otherwise, a JWE with a `kid` is decrypted with the keys that have no id. A key without
///    an id accepts any `kid`, as a single [`DecryptionKey`] does.
/// 3. Otherwise, when every key has an id and none equals the `kid`, decryption fails with
///    [`JweErrorKind::KeyIdMismatch`] before any RSA operation.
/// 4. A JWE without a `kid` is decrypted with every key.
///
/// The candidate keys are tried in the order they were added, and the first that decrypts
/// the token wins. When all fail, the error is [`JweErrorKind::DecryptionFailed`].
///
/// Cloning is cheap because the keys are shared behind an [`Arc`].
///
/// [`JweErrorKind::KeyIdMismatch`]: crate::jose::JweErrorKind::KeyIdMismatch
/// [`JweErrorKind::DecryptionFailed`]: crate::jose::JweErrorKind::DecryptionFailed
#[derive(Clone, Default)]
pub struct DecryptionKeys {
    keys: Arc<Vec<DecryptionKey>>,
}

impl DecryptionKeys {
    /// Creates an empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a key after the keys already in the set.
    #[must_use]
    pub fn with_key(mut self, key: DecryptionKey) -> Self {
        self.push(key);
        self
    }

    /// Adds a key after the keys already in the set.
    pub fn push(&mut self, key: DecryptionKey) {
        Arc::make_mut(&mut self.keys).push(key);
    }

    /// Returns the number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Returns whether the set has no keys.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Returns the keys in the order they are tried.
    pub fn iter(&self) -> std::slice::Iter<'_, DecryptionKey> {
        self.keys.iter()
    }
}

impl fmt::Debug for DecryptionKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.keys.iter()).finish()
    }
}

impl From<DecryptionKey> for DecryptionKeys {
    fn from(key: DecryptionKey) -> Self {
        Self::new().with_key(key)
    }
}

impl From<Vec<DecryptionKey>> for DecryptionKeys {
    fn from(keys: Vec<DecryptionKey>) -> Self {
        Self {
            keys: Arc::new(keys),
        }
    }
}

impl FromIterator<DecryptionKey> for DecryptionKeys {
    fn from_iter<I: IntoIterator<Item = DecryptionKey>>(keys: I) -> Self {
        Self::from(keys.into_iter().collect::<Vec<_>>())
    }
}

impl<'a> IntoIterator for &'a DecryptionKeys {
    type Item = &'a DecryptionKey;
    type IntoIter = std::slice::Iter<'a, DecryptionKey>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The keys that [`Jwe::decrypt`](crate::jose::Jwe::decrypt) can use: one [`DecryptionKey`]
/// or a [`DecryptionKeys`] set.
///
/// This trait is sealed: only this crate implements it.
pub trait DecryptionKeySource: sealed::SelectKeys {}

impl DecryptionKeySource for DecryptionKey {}

impl DecryptionKeySource for DecryptionKeys {}

pub(crate) mod sealed {
    use super::{DecryptionKey, DecryptionKeys, JweError};

    /// Chooses the keys to try for a JWE with the given `kid`.
    pub trait SelectKeys {
        /// Returns the candidate keys in the order to try them, or the error to return
        /// without trying any key.
        fn select_keys(&self, kid: Option<&str>) -> Result<Vec<&DecryptionKey>, JweError>;
    }

    impl SelectKeys for DecryptionKey {
        fn select_keys(&self, kid: Option<&str>) -> Result<Vec<&DecryptionKey>, JweError> {
            match (self.kid(), kid) {
                (Some(expected), Some(found)) if expected != found => {
                    Err(JweError::key_id_mismatch(found, expected))
                }
                _ => Ok(vec![self]),
            }
        }
    }

    impl SelectKeys for DecryptionKeys {
        fn select_keys(&self, kid: Option<&str>) -> Result<Vec<&DecryptionKey>, JweError> {
            if self.is_empty() {
                return Err(JweError::no_decryption_keys());
            }
            let Some(kid) = kid else {
                return Ok(self.iter().collect());
            };

            let matching: Vec<&DecryptionKey> =
                self.iter().filter(|key| key.kid() == Some(kid)).collect();
            if !matching.is_empty() {
                return Ok(matching);
            }
            let without_id: Vec<&DecryptionKey> =
                self.iter().filter(|key| key.kid().is_none()).collect();
            if !without_id.is_empty() {
                return Ok(without_id);
            }
            let configured: Vec<&str> = self.iter().filter_map(DecryptionKey::kid).collect();
            Err(JweError::no_key_for_kid(kid, &configured))
        }
    }
}
