//! TLS settings: the client certificate that the mutual-TLS hosts (`api-matest` and
//! `api-ma.cybersource.com`) require, and extra trusted root certificates for private CAs.

use std::fmt;
use std::path::Path;

use pem_rfc7468::LineEnding;
use rustls_pki_types::CertificateDer;
use rustls_pki_types::pem::PemObject;
use zeroize::Zeroizing;

use crate::keys::{KeyError, KeyErrorKind, Pkcs12Identity, read_key_file};

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
        let certificates = CertificateDer::pem_slice_iter(certificate_chain_pem)
            .filter_map(Result::ok)
            .count();
        if certificates == 0 {
            return Err(not_pem(
                paths.map(|(certificate, _)| certificate),
                "no CERTIFICATE block was found for the TLS client certificate",
            ));
        }
        if rustls_pki_types::PrivateKeyDer::from_pem_slice(private_key_pem).is_err() {
            return Err(not_pem(
                paths.map(|(_, key)| key),
                "no unencrypted PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block was found \
                 for the TLS client certificate; decrypt it first or use a PKCS#12 file",
            ));
        }

        let mut pem = Zeroizing::new(Vec::with_capacity(
            private_key_pem.len() + certificate_chain_pem.len() + 1,
        ));
        pem.extend_from_slice(private_key_pem);
        pem.push(b'\n');
        pem.extend_from_slice(certificate_chain_pem);
        Ok(Self {
            identity_pem: pem,
            certificates,
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

fn not_pem(path: Option<&Path>, message: &str) -> KeyError {
    let error = KeyError::new(KeyErrorKind::NotPem, message);
    match path {
        Some(path) => error.with_path(path),
        None => error,
    }
}

fn append_pem(output: &mut Zeroizing<Vec<u8>>, label: &str, der: &[u8]) {
    // pem-rfc7468 fails only for an invalid label or a length overflow, and neither happens
    // with these labels and key sizes.
    if let Ok(text) = pem_rfc7468::encode_string(label, LineEnding::LF, der) {
        let text = Zeroizing::new(text);
        output.extend_from_slice(text.as_bytes());
    }
}
