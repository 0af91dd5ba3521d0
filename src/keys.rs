//! RSA private keys that decrypt the payment-credentials JWE.
//!
//! The key is the merchant's own RSA key pair whose public half is uploaded in the Business
//! Center as a "Token Management MLE key". Keys load from PKCS#8 PEM (`BEGIN PRIVATE KEY`),
//! PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`) or PKCS#8 DER. Encrypted PEM files are not supported
//! yet: decrypt them first with `openssl pkey`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use aws_lc_rs::rsa::{OaepAlgorithm, OaepPrivateDecryptingKey, PrivateDecryptingKey};
use pkcs8::PrivateKeyInfoRef;
use pkcs8::der::asn1::OctetStringRef;
use pkcs8::der::{Decode, Encode};
use rustls_pki_types::pem::{self, PemObject, SectionKind};
use zeroize::Zeroizing;

/// Smallest RSA modulus, in bits, that a [`DecryptionKey`] accepts.
pub const MIN_KEY_BITS: usize = 2048;

/// Largest RSA modulus, in bits, that a [`DecryptionKey`] accepts (the limit of aws-lc-rs 1.19).
pub const MAX_KEY_BITS: usize = 8192;

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
    /// Loads a key from a PEM file containing a PKCS#8 or PKCS#1 RSA private key.
    ///
    /// Other PEM sections in the file, such as a certificate, are ignored.
    ///
    /// # Errors
    /// Returns a [`KeyError`] naming `path` when the file cannot be read or contains no usable
    /// RSA private key.
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, KeyError> {
        let path = path.as_ref();
        let contents = match std::fs::read(path) {
            Ok(contents) => Zeroizing::new(contents),
            Err(error) => {
                let message = format!("cannot read the file: {error}");
                return Err(KeyError::new(KeyErrorKind::Io, message)
                    .with_source(error)
                    .with_path(path));
            }
        };
        Self::from_pem(&contents).map_err(|error| error.with_path(path))
    }

    /// Loads a key from PEM bytes containing a PKCS#8 or PKCS#1 RSA private key.
    ///
    /// # Errors
    /// Returns a [`KeyError`] when the input is not PEM, contains no RSA private key, contains
    /// an encrypted key, or contains a key smaller than [`MIN_KEY_BITS`].
    pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
        let pkcs8 = pkcs8_from_pem(pem)?;
        Self::from_pkcs8_der(&pkcs8)
    }

    /// Loads a key from PEM text, such as the value of an environment variable.
    ///
    /// # Errors
    /// The same as [`DecryptionKey::from_pem`].
    pub fn from_pem_str(pem: &str) -> Result<Self, KeyError> {
        Self::from_pem(pem.as_bytes())
    }

    /// Loads a key from a DER-encoded PKCS#8 `PrivateKeyInfo`.
    ///
    /// # Errors
    /// Returns a [`KeyError`] when the DER is not a PKCS#8 RSA private key or the key is
    /// smaller than [`MIN_KEY_BITS`].
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, KeyError> {
        let bits = rsa_modulus_bits(der)?;
        if bits < MIN_KEY_BITS {
            let message = format!(
                "the RSA key is {bits} bits, but at least {MIN_KEY_BITS} bits are required; \
                 generate a new key of 2048 bits or more and upload its public key in the \
                 Business Center"
            );
            return Err(KeyError::new(KeyErrorKind::TooSmall, message).with_bits(bits));
        }
        if bits > MAX_KEY_BITS {
            let message = format!(
                "the RSA key is {bits} bits, larger than the supported maximum of \
                 {MAX_KEY_BITS} bits"
            );
            return Err(KeyError::new(KeyErrorKind::Invalid, message).with_bits(bits));
        }

        // aws-lc-rs validates the key's consistency here and rejects it without a reason.
        let private_key = PrivateDecryptingKey::from_pkcs8(der).map_err(|_| {
            KeyError::new(
                KeyErrorKind::Invalid,
                "the RSA private key failed its consistency checks".to_owned(),
            )
        })?;
        let key = OaepPrivateDecryptingKey::new(private_key).map_err(|_| {
            KeyError::new(
                KeyErrorKind::Invalid,
                "the RSA private key cannot be used for RSA-OAEP decryption".to_owned(),
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

/// Category of a [`KeyError`].
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum KeyErrorKind {
    /// The key file could not be read.
    Io,
    /// The input contains no PEM section.
    NotPem,
    /// The PEM contains no private key, or a kind of key this crate does not load, such as a
    /// certificate, a public key or an EC key.
    UnsupportedPem,
    /// The PEM contains a password-protected key, which is not supported yet.
    Encrypted,
    /// The key could not be decoded or failed validation.
    Invalid,
    /// The RSA key is smaller than [`MIN_KEY_BITS`].
    TooSmall,
}

/// Error loading a [`DecryptionKey`].
///
/// Messages name the file path when there is one and never contain key material.
#[derive(Debug)]
pub struct KeyError {
    kind: KeyErrorKind,
    message: String,
    path: Option<PathBuf>,
    bits: Option<usize>,
    source: Option<std::io::Error>,
}

impl KeyError {
    fn new(kind: KeyErrorKind, message: String) -> Self {
        Self {
            kind,
            message,
            path: None,
            bits: None,
            source: None,
        }
    }

    fn with_path(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }

    fn with_bits(mut self, bits: usize) -> Self {
        self.bits = Some(bits);
        self
    }

    fn with_source(mut self, source: std::io::Error) -> Self {
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
                "failed to load the RSA private key from {}: {}",
                path.display(),
                self.message
            ),
            None => write!(f, "failed to load the RSA private key: {}", self.message),
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

const PKCS8_LABEL: &str = "PRIVATE KEY";
const PKCS1_LABEL: &str = "RSA PRIVATE KEY";
const ENCRYPTED_PKCS8_LABEL: &str = "ENCRYPTED PRIVATE KEY";

/// Finds the one private key in a PEM document and returns it as PKCS#8 DER.
fn pkcs8_from_pem(pem: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let labels = scan_pem_labels(pem);
    if labels.labels.is_empty() {
        return Err(KeyError::new(
            KeyErrorKind::NotPem,
            "the input is not PEM because it has no `-----BEGIN ...-----` line; expected a \
             PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) key, or use \
             `DecryptionKey::from_pkcs8_der` for DER input"
                .to_owned(),
        ));
    }
    if labels.encrypted || labels.labels.iter().any(|l| l == ENCRYPTED_PKCS8_LABEL) {
        return Err(KeyError::new(
            KeyErrorKind::Encrypted,
            "encrypted PEM keys are not supported yet; decrypt with \
             `openssl pkey -in FILE -out key.pem`"
                .to_owned(),
        ));
    }

    let mut private_keys: Vec<(SectionKind, Zeroizing<Vec<u8>>)> = Vec::new();
    for section in <(SectionKind, Vec<u8>)>::pem_slice_iter(pem) {
        let (kind, der) = section.map_err(pem_syntax_error)?;
        let der = Zeroizing::new(der);
        if matches!(kind, SectionKind::PrivateKey | SectionKind::RsaPrivateKey) {
            private_keys.push((kind, der));
        }
    }

    let mut private_keys = private_keys.into_iter();
    let (kind, der) = match (private_keys.next(), private_keys.next()) {
        (Some(key), None) => key,
        (Some(_), Some(_)) => {
            let count = 2 + private_keys.count();
            let message = format!(
                "the PEM contains {count} private keys, but exactly one is expected; keep only \
                 the Token Management MLE key"
            );
            return Err(KeyError::new(KeyErrorKind::UnsupportedPem, message));
        }
        (None, _) => return Err(no_private_key_error(&labels.labels)),
    };

    match kind {
        SectionKind::RsaPrivateKey => wrap_pkcs1_in_pkcs8(&der),
        _ => Ok(der),
    }
}

struct PemLabels {
    labels: Vec<String>,
    /// Whether a traditional OpenSSL `Proc-Type: 4,ENCRYPTED` header is present.
    encrypted: bool,
}

/// Lists the labels of the `-----BEGIN LABEL-----` lines, including labels that
/// rustls-pki-types skips, such as `ENCRYPTED PRIVATE KEY`.
fn scan_pem_labels(pem: &[u8]) -> PemLabels {
    let mut labels = Vec::new();
    let mut encrypted = false;
    for line in pem.split(|&byte| byte == b'\n') {
        let line = line.trim_ascii();
        if let Some(rest) = line.strip_prefix(b"-----BEGIN ")
            && let Some(label) = rest.strip_suffix(b"-----")
        {
            labels.push(String::from_utf8_lossy(label).into_owned());
        } else if let Some(value) = line.strip_prefix(b"Proc-Type:")
            && value.trim_ascii().ends_with(b"ENCRYPTED")
        {
            encrypted = true;
        }
    }
    PemLabels { labels, encrypted }
}

fn no_private_key_error(labels: &[String]) -> KeyError {
    let has = |label: &str| labels.iter().any(|l| l == label);
    let message = if has("CERTIFICATE") {
        "the PEM contains a certificate but no private key; load the private key file whose \
         public key the certificate carries"
            .to_owned()
    } else if has("PUBLIC KEY") || has("RSA PUBLIC KEY") {
        "the PEM contains a public key, but decryption needs the private key; load the \
         private key whose public half was uploaded in the Business Center"
            .to_owned()
    } else if has("EC PRIVATE KEY") {
        "the PEM contains an EC private key, but the Token Management MLE key is an RSA key"
            .to_owned()
    } else {
        let found: Vec<String> = labels.iter().map(|l| format!("`{l}`")).collect();
        format!(
            "the PEM contains no private key (found {}); expected `{PKCS8_LABEL}` or \
             `{PKCS1_LABEL}`",
            found.join(", ")
        )
    };
    KeyError::new(KeyErrorKind::UnsupportedPem, message)
}

/// Maps a PEM syntax error to a message that quotes no input, because the input may be key
/// material.
fn pem_syntax_error(error: pem::Error) -> KeyError {
    let problem = match error {
        pem::Error::MissingSectionEnd { .. } => {
            "a `-----BEGIN` line has no matching `-----END` line"
        }
        pem::Error::IllegalSectionStart { .. } => "a `-----BEGIN` line is malformed",
        pem::Error::Base64Decode(_) => "the base64 text inside a PEM section is invalid",
        pem::Error::SectionTooLarge => "a PEM section is larger than 256 MB",
        _ => "the PEM text is invalid",
    };
    KeyError::new(KeyErrorKind::NotPem, format!("invalid PEM: {problem}"))
}

/// Returns the modulus size of the RSA key in a PKCS#8 `PrivateKeyInfo`.
fn rsa_modulus_bits(pkcs8_der: &[u8]) -> Result<usize, KeyError> {
    let info = PrivateKeyInfoRef::from_der(pkcs8_der).map_err(|_| {
        KeyError::new(
            KeyErrorKind::Invalid,
            "the key is not a valid PKCS#8 private key".to_owned(),
        )
    })?;
    if info.algorithm.oid != pkcs1::ALGORITHM_OID {
        let message = format!(
            "the PKCS#8 key is not an RSA key (algorithm {}); the Token Management MLE key \
             must be an RSA key",
            info.algorithm.oid
        );
        return Err(KeyError::new(KeyErrorKind::Invalid, message));
    }
    let rsa_key = pkcs1::RsaPrivateKeyRef::from_der(info.private_key.as_bytes()).map_err(|_| {
        KeyError::new(
            KeyErrorKind::Invalid,
            "the RSA private key inside the PKCS#8 structure is invalid".to_owned(),
        )
    })?;
    Ok(bit_length(rsa_key.modulus.as_bytes()))
}

/// Returns the bit length of a big-endian unsigned integer.
fn bit_length(big_endian: &[u8]) -> usize {
    let significant = match big_endian.iter().position(|&byte| byte != 0) {
        Some(start) => &big_endian[start..],
        None => return 0,
    };
    let leading_zeros = significant[0].leading_zeros() as usize;
    significant.len() * 8 - leading_zeros
}

/// Wraps a PKCS#1 `RSAPrivateKey` in a PKCS#8 `PrivateKeyInfo`, the only form aws-lc-rs
/// decrypting keys accept.
fn wrap_pkcs1_in_pkcs8(pkcs1_der: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let invalid = || {
        KeyError::new(
            KeyErrorKind::Invalid,
            "the PKCS#1 RSA private key is invalid".to_owned(),
        )
    };

    // Validate the PKCS#1 structure first so that errors name PKCS#1 rather than PKCS#8.
    pkcs1::RsaPrivateKeyRef::from_der(pkcs1_der).map_err(|_| invalid())?;

    let private_key = OctetStringRef::new(pkcs1_der).map_err(|_| invalid())?;
    let info = PrivateKeyInfoRef::new(pkcs1::ALGORITHM_ID, private_key);
    let len = info
        .encoded_len()
        .ok()
        .and_then(|len| usize::try_from(u32::from(len)).ok())
        .ok_or_else(invalid)?;
    let mut der = Zeroizing::new(vec![0u8; len]);
    let written = info.encode_to_slice(&mut der).map_err(|_| invalid())?.len();
    der.truncate(written);
    Ok(der)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_length_counts_significant_bits() {
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0, 0]), 0);
        assert_eq!(bit_length(&[1]), 1);
        assert_eq!(bit_length(&[0, 0x80, 0]), 16);
        assert_eq!(bit_length(&[0x7f, 0xff]), 15);
    }

    #[test]
    fn pem_labels_found() {
        let pem = b"-----BEGIN RSA PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\r\nAA\r\n";
        let labels = scan_pem_labels(pem);
        assert_eq!(labels.labels, ["RSA PRIVATE KEY"]);
        assert!(labels.encrypted);
    }
}
