//! RSA private keys: the key that decrypts the payment-credentials JWE, and the key that
//! signs RS256 JWTs.
//!
//! The decryption key is the merchant's own RSA key pair whose public half is uploaded in the
//! Business Center as a "Token Management MLE key". The signing key comes from the PKCS#12
//! file that CyberSource issues for JWT authentication.
//!
//! Keys load from:
//! - PKCS#8 PEM (`BEGIN PRIVATE KEY`) and PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`);
//! - encrypted PKCS#8 PEM (`BEGIN ENCRYPTED PRIVATE KEY`), PBES2 with PBKDF2 or scrypt;
//! - traditional OpenSSL encrypted PKCS#1 PEM (`Proc-Type: 4,ENCRYPTED`) with AES-128-CBC,
//!   AES-192-CBC, AES-256-CBC or DES-EDE3-CBC;
//! - PKCS#12 files, both the PBES2/AES files with a SHA-256 MAC that CyberSource issues since
//!   2024 and legacy files with RC2 or 3DES and a SHA-1 MAC (see [`Pkcs12Identity`]);
//! - PKCS#8 and PKCS#1 DER.
//!
//! Every loader takes a file path, bytes, or a string such as the value of an environment
//! variable. Buffers that hold key bytes are zeroized when dropped.
//!
//! For key rotation, [`DecryptionKeys`] contains several decryption keys and picks one by the
//! JWE `kid`.

mod decryption;
mod encrypted;
mod error;
mod pem;
mod pkcs12;
mod signing;

use std::path::Path;

use pkcs8::PrivateKeyInfoRef;
use pkcs8::der::asn1::OctetStringRef;
use pkcs8::der::{Decode, Encode};
use zeroize::Zeroizing;

pub use decryption::{DecryptionKey, DecryptionKeySource, DecryptionKeys};
pub use error::{KeyError, KeyErrorKind};
pub use pkcs12::{Pkcs12Entry, Pkcs12Identity};
pub use signing::RsaSigningKey;

pub(crate) use pem::private_key_from_pem;

/// Smallest RSA modulus, in bits, that a [`DecryptionKey`] or [`RsaSigningKey`] accepts.
pub const MIN_KEY_BITS: usize = 2048;

/// Largest RSA modulus, in bits, that a [`DecryptionKey`] or [`RsaSigningKey`] accepts (the
/// limit of aws-lc-rs 1.19).
pub const MAX_KEY_BITS: usize = 8192;

/// What a key is loaded for, which decides the advice in a size error.
#[derive(Clone, Copy)]
enum KeyUse {
    Decryption,
    Signing,
}

/// Reads a whole key file into a zeroizing buffer.
pub(crate) fn read_key_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    match std::fs::read(path) {
        Ok(contents) => Ok(Zeroizing::new(contents)),
        Err(error) => {
            let message = format!("cannot read the file: {error}");
            Err(KeyError::new(KeyErrorKind::Io, message)
                .with_source(error)
                .with_path(path))
        }
    }
}

/// Checks that a PKCS#8 `PrivateKeyInfo` contains an RSA key between [`MIN_KEY_BITS`] and
/// [`MAX_KEY_BITS`], and returns its modulus size in bits.
fn check_rsa_key_size(pkcs8_der: &[u8], key_use: KeyUse) -> Result<usize, KeyError> {
    let bits = rsa_modulus_bits(pkcs8_der)?;
    if bits < MIN_KEY_BITS {
        let advice = match key_use {
            KeyUse::Decryption => {
                "generate a new key of 2048 bits or more and upload its public key in the \
                 Business Center"
            }
            KeyUse::Signing => {
                "create a new key of 2048 bits or more in the Business Center and load its \
                 PKCS#12 file"
            }
        };
        let message = format!(
            "the RSA key is {bits} bits, but at least {MIN_KEY_BITS} bits are required; {advice}"
        );
        return Err(KeyError::new(KeyErrorKind::TooSmall, message).with_bits(bits));
    }
    if bits > MAX_KEY_BITS {
        let message = format!(
            "the RSA key is {bits} bits, larger than the supported maximum of {MAX_KEY_BITS} bits"
        );
        return Err(KeyError::new(KeyErrorKind::Invalid, message).with_bits(bits));
    }
    Ok(bits)
}

/// Returns the modulus size of the RSA key in a PKCS#8 `PrivateKeyInfo`.
fn rsa_modulus_bits(pkcs8_der: &[u8]) -> Result<usize, KeyError> {
    let modulus = rsa_modulus(pkcs8_der)?;
    Ok(bit_length(&modulus))
}

/// Returns the big-endian modulus of the RSA key in a PKCS#8 `PrivateKeyInfo`, without
/// leading zero bytes.
fn rsa_modulus(pkcs8_der: &[u8]) -> Result<Vec<u8>, KeyError> {
    let info = PrivateKeyInfoRef::from_der(pkcs8_der).map_err(|_| {
        KeyError::new(
            KeyErrorKind::Invalid,
            "the key is not a valid PKCS#8 private key",
        )
    })?;
    if info.algorithm.oid != pkcs1::ALGORITHM_OID {
        let message = format!(
            "the PKCS#8 key is not an RSA key (algorithm {}); an RSA key is required",
            info.algorithm.oid
        );
        return Err(KeyError::new(KeyErrorKind::Invalid, message));
    }
    let rsa_key = pkcs1::RsaPrivateKeyRef::from_der(info.private_key.as_bytes()).map_err(|_| {
        KeyError::new(
            KeyErrorKind::Invalid,
            "the RSA private key inside the PKCS#8 structure is invalid",
        )
    })?;
    Ok(strip_leading_zeros(rsa_key.modulus.as_bytes()).to_vec())
}

pub(crate) fn strip_leading_zeros(big_endian: &[u8]) -> &[u8] {
    match big_endian.iter().position(|&byte| byte != 0) {
        Some(start) => &big_endian[start..],
        None => &[],
    }
}

/// Returns the bit length of a big-endian unsigned integer.
pub(crate) fn bit_length(big_endian: &[u8]) -> usize {
    let significant = strip_leading_zeros(big_endian);
    let Some(first) = significant.first() else {
        return 0;
    };
    significant.len() * 8 - first.leading_zeros() as usize
}

/// Wraps a PKCS#1 `RSAPrivateKey` in a PKCS#8 `PrivateKeyInfo`, the only form aws-lc-rs
/// decrypting keys accept.
fn wrap_pkcs1_in_pkcs8(pkcs1_der: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let invalid = || {
        KeyError::new(
            KeyErrorKind::Invalid,
            "the PKCS#1 RSA private key is invalid",
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

/// Returns the PKCS#1 `RSAPrivateKey` inside a PKCS#8 `PrivateKeyInfo`, in a zeroizing copy.
fn pkcs1_from_pkcs8(pkcs8_der: &[u8]) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let info = PrivateKeyInfoRef::from_der(pkcs8_der).map_err(|_| {
        KeyError::new(
            KeyErrorKind::Invalid,
            "the key is not a valid PKCS#8 private key",
        )
    })?;
    Ok(Zeroizing::new(info.private_key.as_bytes().to_vec()))
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
}
