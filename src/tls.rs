//! TLS settings: the client certificate that the mutual-TLS hosts (`api-matest` and
//! `api-ma.cybersource.com`) require, and extra trusted root certificates for private CAs.

use std::fmt;
use std::path::Path;

use pem_rfc7468::LineEnding;
use rustls::sign::CertifiedKey;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use zeroize::Zeroizing;

use crate::keys::{KeyError, KeyErrorKind, Pkcs12Identity, private_key_from_pem, read_key_file};

/// A TLS client certificate with its private key, for the mutual-TLS hosts.
///
/// `Debug` shows only the number of certificates; the key is zeroized when dropped, though
/// reqwest keeps its own copy for the client's lifetime.
#[derive(Clone)]
pub struct ClientCertificate {
    /// The private key and the certificate chain as one PEM text, which is what reqwest's
    /// rustls backend reads.
    identity_pem: Zeroizing<Vec<u8>>,
    certificates: usize,
}

impl ClientCertificate {
    /// Reads a certificate chain (one or more `CERTIFICATE` blocks, leaf first) and an
    /// unencrypted private key (`PRIVATE KEY`, `RSA PRIVATE KEY` or `EC PRIVATE KEY`).
    ///
    /// # Errors
    ///
    /// [`KeyError`] when `certificate_chain_pem` contains no certificate, or
    /// `private_key_pem` contains no private key. The error never contains key material.
    pub fn from_pem(
        certificate_chain_pem: &[u8],
        private_key_pem: &[u8],
    ) -> Result<Self, KeyError> {
        Self::from_pem_at(certificate_chain_pem, private_key_pem, None)
    }

    /// Reads the certificate chain and the private key from two PEM files (they may be the
    /// same file).
    ///
    /// # Errors
    ///
    /// [`KeyError`] naming the file that is missing, unreadable, or lacks a certificate or a
    /// key.
    pub fn from_pem_files(
        certificate_chain_path: impl AsRef<Path>,
        private_key_path: impl AsRef<Path>,
    ) -> Result<Self, KeyError> {
        let certificate_path = certificate_chain_path.as_ref();
        let key_path = private_key_path.as_ref();
        let certificates = read_key_file(certificate_path)?;
        let key = read_key_file(key_path)?;
        Self::from_pem_at(&certificates, &key, Some((certificate_path, key_path)))
    }

    /// Reads the certificate chain from one PEM file and a password-protected private key
    /// (encrypted PKCS#8, or traditional encrypted PKCS#1 RSA) from another.
    ///
    /// # Errors
    ///
    /// [`KeyError`] naming the file that is missing or unreadable, a wrong password, or the
    /// errors of [`ClientCertificate::from_pem`].
    pub fn from_encrypted_pem_files(
        certificate_chain_path: impl AsRef<Path>,
        private_key_path: impl AsRef<Path>,
        password: &str,
    ) -> Result<Self, KeyError> {
        let certificate_path = certificate_chain_path.as_ref();
        let key_path = private_key_path.as_ref();
        let certificates = read_key_file(certificate_path)?;
        let encrypted = read_key_file(key_path)?;
        let pkcs8 = private_key_from_pem(&encrypted, Some(password))
            .map_err(|error| error.with_path(key_path))?;
        let mut key_pem = Zeroizing::new(Vec::new());
        append_pem(&mut key_pem, "PRIVATE KEY", &pkcs8);
        Self::from_pem_at(&certificates, &key_pem, Some((certificate_path, key_path)))
    }

    /// Reads the certificate and key from a PKCS#12 file's bytes, such as the one the Business
    /// Center issues. With several entries, `name` selects the certificate whose subject CN
    /// equals it (case-insensitively).
    ///
    /// # Errors
    ///
    /// [`KeyError`] for a wrong password, a file of another format, or no matching entry.
    pub fn from_pkcs12(der: &[u8], password: &str, name: Option<&str>) -> Result<Self, KeyError> {
        Self::from_identity(&Pkcs12Identity::from_der(der, password)?, name)
    }

    /// Reads the certificate and key from a PKCS#12 file; see [`ClientCertificate::from_pkcs12`].
    ///
    /// # Errors
    ///
    /// [`KeyError`] naming the file, as [`ClientCertificate::from_pkcs12`].
    pub fn from_pkcs12_file(
        path: impl AsRef<Path>,
        password: &str,
        name: Option<&str>,
    ) -> Result<Self, KeyError> {
        Self::from_identity(&Pkcs12Identity::from_file(path, password)?, name)
    }

    fn from_identity(identity: &Pkcs12Identity, name: Option<&str>) -> Result<Self, KeyError> {
        // A PKCS#12 entry pairs a key with the certificate of the same modulus, so the two
        // match by construction.
        let entry = identity.select_entry(name)?;
        let mut pem = Zeroizing::new(Vec::new());
        append_pem(&mut pem, "PRIVATE KEY", entry.private_key_pkcs8_der());
        append_pem(&mut pem, "CERTIFICATE", entry.certificate_der());
        Ok(Self {
            identity_pem: pem,
            certificates: 1,
        })
    }

    fn from_pem_at(
        certificate_chain_pem: &[u8],
        private_key_pem: &[u8],
        paths: Option<(&Path, &Path)>,
    ) -> Result<Self, KeyError> {
        let certificate_path = paths.map(|(certificate, _)| certificate);
        let key_path = paths.map(|(_, key)| key);

        // Only CERTIFICATE blocks of the first text and the first private key of the second
        // are used, so a stale key next to the certificates cannot take the key's place.
        let mut chain: Vec<CertificateDer<'static>> = Vec::new();
        for certificate in CertificateDer::pem_slice_iter(certificate_chain_pem) {
            let certificate = certificate.map_err(|_| {
                not_pem(
                    certificate_path,
                    "a CERTIFICATE block of the chain is not valid PEM",
                )
            })?;
            if !chain.contains(&certificate) {
                chain.push(certificate);
            }
        }
        if chain.is_empty() {
            return Err(not_pem(
                certificate_path,
                "no CERTIFICATE block was found for the TLS client certificate",
            ));
        }
        let key = PrivateKeyDer::from_pem_slice(private_key_pem).map_err(|_| {
            not_pem(
                key_path,
                "no unencrypted PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block was found \
                 for the TLS client certificate; decrypt it first or use a PKCS#12 file",
            )
        })?;
        check_key_matches(&chain, &key, key_path)?;

        let mut pem = Zeroizing::new(Vec::new());
        let key_label = match &key {
            PrivateKeyDer::Pkcs1(_) => "RSA PRIVATE KEY",
            PrivateKeyDer::Sec1(_) => "EC PRIVATE KEY",
            _ => "PRIVATE KEY",
        };
        append_pem(&mut pem, key_label, key.secret_der());
        for certificate in &chain {
            append_pem(&mut pem, "CERTIFICATE", certificate);
        }
        Ok(Self {
            identity_pem: pem,
            certificates: chain.len(),
        })
    }

    pub(crate) fn to_identity(&self) -> Result<reqwest::Identity, reqwest::Error> {
        reqwest::Identity::from_pem(&self.identity_pem)
    }
}

impl fmt::Debug for ClientCertificate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCertificate")
            .field("certificates", &self.certificates)
            .field("private_key", &"[REDACTED]")
            .finish()
    }
}

/// Checks that `key` is the private half of the leaf certificate's public key, so that a
/// mismatch fails here with a clear message rather than in the TLS handshake.
fn check_key_matches(
    chain: &[CertificateDer<'static>],
    key: &PrivateKeyDer<'_>,
    key_path: Option<&Path>,
) -> Result<(), KeyError> {
    let provider = rustls::crypto::aws_lc_rs::default_provider();
    let error = |message: &str| {
        let error = KeyError::new(KeyErrorKind::Invalid, message);
        match key_path {
            Some(path) => error.with_path(path),
            None => error,
        }
    };
    CertifiedKey::from_der(chain.to_vec(), key.clone_key(), &provider).map_err(|failure| {
        match failure {
            rustls::Error::InconsistentKeys(_) => error(
                "the private key does not belong to the first certificate of the chain; pass \
                 the key that was issued with the client certificate",
            ),
            _ => error("the private key cannot be used for a TLS client certificate"),
        }
    })?;
    Ok(())
}

fn not_pem(path: Option<&Path>, message: &str) -> KeyError {
    let error = KeyError::new(KeyErrorKind::NotPem, message);
    match path {
        Some(path) => error.with_path(path),
        None => error,
    }
}

fn append_pem(output: &mut Zeroizing<Vec<u8>>, label: &str, der: &[u8]) {
    // pem-rfc7468 1.0 fails only for an invalid label or a length overflow. The labels here
    // are constants and keys are a few KiB, so the error arm is not expected to run.
    if let Ok(text) = pem_rfc7468::encode_string(label, LineEnding::LF, der) {
        let text = Zeroizing::new(text);
        output.extend_from_slice(text.as_bytes());
    }
}
