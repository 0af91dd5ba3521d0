//! PKCS#12 (PFX) files: private keys with their certificates.
//!
//! CyberSource issues a password-protected PKCS#12 file for JWT authentication. The entry to
//! use is the one whose certificate's subject common name (CN) is the merchant id, or the
//! portfolio id with a meta key, and the JWT `kid` is that subject's `serialNumber`
//! attribute.

use std::fmt;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use p12_keystore::Pkcs12Archive;
use pkcs8::der::asn1::AnyRef;
use pkcs8::der::{Decode, Reader, SliceReader, Tag, Tagged};
use x509_parser::oid_registry::OID_X509_SERIALNUMBER;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;
use zeroize::Zeroizing;

use super::decryption::DecryptionKey;
use super::error::{KeyError, KeyErrorKind};
use super::signing::RsaSigningKey;
use super::{read_key_file, rsa_modulus, strip_leading_zeros};

/// The largest PKCS#12 file accepted, in bytes.
const MAX_PKCS12_BYTES: usize = 64 * 1024;

/// The private keys of a PKCS#12 file, each with its certificate.
///
/// Only RSA keys with a matching certificate in the file become entries. `Debug` prints the
/// common names and subject serial numbers, never key bytes.
#[derive(Clone)]
pub struct Pkcs12Identity {
    entries: Vec<Pkcs12Entry>,
}

/// One private key of a PKCS#12 file with its certificate.
#[derive(Clone)]
pub struct Pkcs12Entry {
    certificate_der: Vec<u8>,
    common_name: Option<String>,
    subject_serial_number: Option<String>,
    private_key_pkcs8: Zeroizing<Vec<u8>>,
}

impl Pkcs12Identity {
    /// Reads a PKCS#12 file.
    ///
    /// # Errors
    /// Returns a [`KeyError`] naming `path`: [`KeyErrorKind::Io`] when the file cannot be
    /// read, and the errors of [`Pkcs12Identity::from_der`].
    pub fn from_file(path: impl AsRef<Path>, password: &str) -> Result<Self, KeyError> {
        let path = path.as_ref();
        let contents = read_key_file(path)?;
        Self::from_der(&contents, password).map_err(|error| error.with_path(path))
    }

    /// Reads a DER-encoded PKCS#12 file.
    ///
    /// Both the PBES2/AES files with a SHA-256 MAC that CyberSource issues since 2024 and
    /// legacy files with RC2 or 3DES and a SHA-1 MAC are read.
    ///
    /// # Errors
    /// - [`KeyErrorKind::NotPkcs12`] when the input is not a PKCS#12 file.
    /// - [`KeyErrorKind::WrongPassword`] when the MAC check or the decryption fails.
    /// - [`KeyErrorKind::UnsupportedEncryption`] for an encryption or MAC algorithm that
    ///   `p12-keystore` does not support.
    /// - [`KeyErrorKind::EntryNotFound`] when the file has no private key with a certificate.
    /// - [`KeyErrorKind::Invalid`] when the file or a certificate is damaged.
    pub fn from_der(der: &[u8], password: &str) -> Result<Self, KeyError> {
        if !looks_like_pfx(der) {
            return Err(not_pkcs12_error(der));
        }
        // p12-keystore bounds the key derivation of each bag but not the number of bags, so
        // the file size bounds the total work. A Business Center file is about 3 KiB.
        if der.len() > MAX_PKCS12_BYTES {
            return Err(KeyError::new(
                KeyErrorKind::Invalid,
                format!(
                    "the PKCS#12 file is {} bytes, larger than the limit of {MAX_PKCS12_BYTES}; \
                     export the merchant's certificate and key into a file of their own",
                    der.len()
                ),
            ));
        }
        // NOTE: p12-keystore 0.4 returns the decrypted keys in plain `Vec<u8>` buffers, which
        // are copied into zeroizing buffers here and then freed without zeroizing.
        //
        // p12-keystore 0.4.1 passes scrypt parameters to pkcs5 0.8.1, which panics on a cost
        // parameter of 0. Catching the panic turns such a crafted file into an error when
        // panics unwind, which is Rust's default.
        let archive = std::panic::catch_unwind(|| Pkcs12Archive::from_pkcs12(der, password))
            .map_err(|_| {
                KeyError::new(
                    KeyErrorKind::Invalid,
                    "the PKCS#12 file has invalid encryption parameters",
                )
            })?
            .map_err(archive_error)?;

        let mut entries = Vec::new();
        for key_bag in &archive.keys {
            let private_key_pkcs8 = Zeroizing::new(key_bag.key.as_der().to_vec());
            let Ok(key_modulus) = rsa_modulus(&private_key_pkcs8) else {
                // Keys other than RSA keys cannot sign RS256 or decrypt RSA-OAEP.
                continue;
            };
            let certificate = archive.certs.iter().find(|bag| {
                certificate_rsa_modulus(bag.cert.as_der()).as_deref()
                    == Some(key_modulus.as_slice())
            });
            let Some(certificate) = certificate else {
                continue;
            };
            entries.push(Pkcs12Entry::new(
                certificate.cert.as_der(),
                private_key_pkcs8,
            )?);
        }

        if entries.is_empty() {
            return Err(KeyError::new(
                KeyErrorKind::EntryNotFound,
                "the PKCS#12 file has no RSA private key with its certificate",
            ));
        }
        Ok(Self { entries })
    }

    /// Reads a base64-encoded PKCS#12 file, such as the value of an environment variable.
    /// Whitespace in `base64` is ignored.
    ///
    /// # Errors
    /// [`KeyErrorKind::NotPkcs12`] when `base64` is not valid base64, and otherwise the same
    /// as [`Pkcs12Identity::from_der`].
    pub fn from_base64(base64: &str, password: &str) -> Result<Self, KeyError> {
        let mut compact = Zeroizing::new(Vec::with_capacity(base64.len()));
        compact.extend(base64.bytes().filter(|byte| !byte.is_ascii_whitespace()));
        let der = STANDARD.decode(compact.as_slice()).map_err(|_| {
            KeyError::new(
                KeyErrorKind::NotPkcs12,
                "the PKCS#12 text is not valid base64; encode the file with `base64 -w0 FILE`",
            )
        })?;
        let der = Zeroizing::new(der);
        Self::from_der(&der, password)
    }

    /// Returns the entries in file order.
    pub fn entries(&self) -> &[Pkcs12Entry] {
        &self.entries
    }

    /// Returns the common names of the entries' certificates, in file order.
    pub fn common_names(&self) -> Vec<&str> {
        self.entries
            .iter()
            .filter_map(Pkcs12Entry::common_name)
            .collect()
    }

    /// Returns the entry whose certificate's subject common name equals `name`, compared
    /// case-insensitively.
    ///
    /// # Errors
    /// [`KeyErrorKind::EntryNotFound`] when no entry has that name, and
    /// [`KeyErrorKind::AmbiguousEntry`] when several do. Both messages list the common names
    /// found.
    pub fn select(&self, name: &str) -> Result<&Pkcs12Entry, KeyError> {
        let requested = name.to_lowercase();
        let mut matching = self.entries.iter().filter(|entry| {
            entry
                .common_name()
                .is_some_and(|common_name| common_name.to_lowercase() == requested)
        });
        match (matching.next(), matching.next()) {
            (Some(entry), None) => Ok(entry),
            (Some(_), Some(_)) => Err(KeyError::new(
                KeyErrorKind::AmbiguousEntry,
                format!(
                    "the PKCS#12 file has several certificates with the common name {name:?}; \
                     found {}",
                    self.describe_common_names()
                ),
            )),
            (None, _) => Err(KeyError::new(
                KeyErrorKind::EntryNotFound,
                format!(
                    "the PKCS#12 file has no certificate with the common name {name:?}; found \
                     {}; use the merchant id, or the portfolio id with a meta key",
                    self.describe_common_names()
                ),
            )),
        }
    }

    /// Returns the entry named `name` as [`Pkcs12Identity::select`] does, or without a name
    /// the only entry.
    ///
    /// # Errors
    /// The errors of [`Pkcs12Identity::select`], and [`KeyErrorKind::AmbiguousEntry`] when
    /// `name` is `None` and the file has several entries.
    pub fn select_entry(&self, name: Option<&str>) -> Result<&Pkcs12Entry, KeyError> {
        if let Some(name) = name {
            return self.select(name);
        }
        match self.entries.as_slice() {
            [entry] => Ok(entry),
            _ => Err(KeyError::new(
                KeyErrorKind::AmbiguousEntry,
                format!(
                    "the PKCS#12 file has {} private keys; choose one by its certificate's \
                     common name, found {}",
                    self.entries.len(),
                    self.describe_common_names()
                ),
            )),
        }
    }

    fn describe_common_names(&self) -> String {
        let names: Vec<String> = self
            .entries
            .iter()
            .map(|entry| match entry.common_name() {
                Some(name) => format!("{name:?}"),
                None => "a certificate without a common name".to_owned(),
            })
            .collect();
        names.join(", ")
    }
}

impl fmt::Debug for Pkcs12Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkcs12Identity")
            .field("entries", &self.entries)
            .finish()
    }
}

impl Pkcs12Entry {
    fn new(
        certificate_der: &[u8],
        private_key_pkcs8: Zeroizing<Vec<u8>>,
    ) -> Result<Self, KeyError> {
        let invalid = || {
            KeyError::new(
                KeyErrorKind::Invalid,
                "a certificate in the PKCS#12 file is not a valid X.509 certificate",
            )
        };
        let (_, certificate) = X509Certificate::from_der(certificate_der).map_err(|_| invalid())?;
        let subject = certificate.subject();
        let common_name = subject
            .iter_common_name()
            .next()
            .map(|attribute| attribute.as_str().map_err(|_| invalid()))
            .transpose()?
            .map(str::to_owned);
        let subject_serial_number = subject
            .iter_by_oid(&OID_X509_SERIALNUMBER)
            .next()
            .map(|attribute| attribute.as_str().map_err(|_| invalid()))
            .transpose()?
            .map(str::to_owned);

        Ok(Self {
            certificate_der: certificate_der.to_vec(),
            common_name,
            subject_serial_number,
            private_key_pkcs8,
        })
    }

    /// Returns the DER-encoded X.509 certificate.
    pub fn certificate_der(&self) -> &[u8] {
        &self.certificate_der
    }

    /// Returns the first common name (CN) of the certificate's subject.
    pub fn common_name(&self) -> Option<&str> {
        self.common_name.as_deref()
    }

    /// Returns the `serialNumber` attribute (OID 2.5.4.5) of the certificate's subject, which
    /// is the JWT `kid` for RS256. This is not the certificate's X.509 serial number.
    pub fn subject_serial_number(&self) -> Option<&str> {
        self.subject_serial_number.as_deref()
    }

    /// Returns the private key as a DER-encoded PKCS#8 `PrivateKeyInfo`.
    pub fn private_key_pkcs8_der(&self) -> &[u8] {
        &self.private_key_pkcs8
    }

    /// Loads the private key as an RS256 signing key.
    ///
    /// # Errors
    /// The errors of [`RsaSigningKey::from_pkcs8_der`], such as [`KeyErrorKind::TooSmall`].
    pub fn signing_key(&self) -> Result<RsaSigningKey, KeyError> {
        RsaSigningKey::from_pkcs8_der(&self.private_key_pkcs8)
    }

    /// Loads the private key as a JWE decryption key.
    ///
    /// # Errors
    /// The errors of [`DecryptionKey::from_pkcs8_der`], such as [`KeyErrorKind::TooSmall`].
    pub fn decryption_key(&self) -> Result<DecryptionKey, KeyError> {
        DecryptionKey::from_pkcs8_der(&self.private_key_pkcs8)
    }
}

impl fmt::Debug for Pkcs12Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pkcs12Entry")
            .field("common_name", &self.common_name)
            .field("subject_serial_number", &self.subject_serial_number)
            .finish_non_exhaustive()
    }
}

/// Returns the RSA modulus in a certificate's public key, without leading zero bytes.
fn certificate_rsa_modulus(certificate_der: &[u8]) -> Option<Vec<u8>> {
    let (_, certificate) = X509Certificate::from_der(certificate_der).ok()?;
    match certificate.public_key().parsed().ok()? {
        PublicKey::RSA(rsa) => Some(strip_leading_zeros(rsa.modulus).to_vec()),
        _ => None,
    }
}

/// Checks the outer structure of a PFX: one DER `SEQUENCE` that starts with the version
/// `INTEGER` 3, the only version RFC 7292 defines.
fn looks_like_pfx(der: &[u8]) -> bool {
    let Ok(outer) = AnyRef::from_der(der) else {
        return false;
    };
    if outer.tag() != Tag::Sequence {
        return false;
    }
    let Ok(mut reader) = SliceReader::new(outer.value()) else {
        return false;
    };
    matches!(reader.decode::<u8>(), Ok(3))
}

fn not_pkcs12_error(input: &[u8]) -> KeyError {
    let hint = if input.trim_ascii_start().starts_with(b"-----BEGIN") {
        "; the input is PEM, so load it with `from_pem` or `from_encrypted_pem`"
    } else {
        ""
    };
    KeyError::new(
        KeyErrorKind::NotPkcs12,
        format!("the input is not a PKCS#12 (PFX) file{hint}"),
    )
}

fn archive_error(error: p12_keystore::error::Error) -> KeyError {
    use p12_keystore::error::Error;

    match error {
        Error::MacError(_) | Error::UnpadError => KeyError::new(
            KeyErrorKind::WrongPassword,
            "the PKCS#12 file could not be opened: the password is wrong, or the file is \
             damaged",
        ),
        Error::UnsupportedEncryptionScheme | Error::UnsupportedMacAlgorithm => KeyError::new(
            KeyErrorKind::UnsupportedEncryption,
            "the PKCS#12 file uses an encryption or MAC algorithm that is not supported; \
             re-export it with `openssl pkcs12 -export` and its default (AES-256, SHA-256 MAC)",
        ),
        Error::InvalidParameters => KeyError::new(
            KeyErrorKind::UnsupportedEncryption,
            "the PKCS#12 file has missing or out-of-range encryption parameters; p12-keystore \
             0.4 accepts at most 1,000,000 iterations",
        ),
        _ => KeyError::new(
            KeyErrorKind::Invalid,
            "the PKCS#12 file is damaged or has a structure that cannot be read",
        ),
    }
}
