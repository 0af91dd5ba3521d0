//! Decryption of password-protected private keys.
//!
//! - Encrypted PKCS#8 (`BEGIN ENCRYPTED PRIVATE KEY`): PBES2 with PBKDF2 or scrypt and
//!   AES-CBC, AES-GCM or DES-EDE3-CBC, through the `pkcs8` crate.
//! - Traditional OpenSSL PKCS#1 (`Proc-Type: 4,ENCRYPTED` with `DEK-Info`): the key comes
//!   from OpenSSL's `EVP_BytesToKey` with MD5 and one iteration, salted with the first 8 bytes
//!   of the IV, and the body is CBC-encrypted with PKCS#7 padding.
//!
//! Both formats are unauthenticated, so a wrong password shows only as invalid padding or as
//! plaintext that is not a valid key. Both cases give [`KeyErrorKind::WrongPassword`].

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipherDecrypt, BlockModeDecrypt, KeyInit, KeyIvInit};
use md5::{Digest, Md5};
use pkcs8::der::{Decode, Reader, SliceReader};
use pkcs8::pkcs5::pbes2::Kdf;
use pkcs8::pkcs5::{self, EncryptionScheme};
use pkcs8::spki::AlgorithmIdentifierRef;
use pkcs8::{EncryptedPrivateKeyInfoRef, ObjectIdentifier, PrivateKeyInfoRef};
use zeroize::{Zeroize, Zeroizing};

use super::error::{KeyError, KeyErrorKind};
use super::pem::PemSection;

/// Largest PBKDF2 iteration count accepted, to bound the work a crafted file can cause.
///
/// OpenSSL 3.0 writes 2,048 iterations by default, and p12-keystore 0.4 accepts up to
/// 1,000,000. That many PBKDF2-SHA512 iterations cost an estimated 0.6 s in a release build
/// on a 2-core AMD EPYC machine, where 10,000,000 took 6.4 s.
///
/// NOTE: the limit is a judgment call. A file with more iterations, though legitimate, is
/// rejected with [`KeyErrorKind::UnsupportedEncryption`].
const MAX_PBKDF2_ITERATIONS: u32 = 1_000_000;

/// Largest scrypt work (128 · N · r · p bytes) accepted, which bounds both the memory
/// (128 · N · r) and the CPU time a crafted file can cost: four times OpenSSL 3.0's defaults
/// (N = 16384, r = 8, p = 1, 16 MiB).
const MAX_SCRYPT_WORK_BYTES: u64 = 64 * 1024 * 1024;

/// Largest scrypt parallelization parameter `p` accepted. OpenSSL 3.0 writes 1.
const MAX_SCRYPT_PARALLELIZATION: u16 = 4;

const CONVERT_HINT: &str = "convert the key with `openssl pkcs8 -topk8 -v2 aes-256-cbc \
     -in OLD.pem -out NEW.pem`, which keeps it encrypted";

/// Decrypts a DER `EncryptedPrivateKeyInfo` and returns the PKCS#8 `PrivateKeyInfo` DER.
pub(super) fn decrypt_encrypted_pkcs8(
    der: &[u8],
    password: &str,
) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let info = EncryptedPrivateKeyInfoRef::from_der(der).map_err(|_| undecodable_pkcs8(der))?;
    let parameters = match &info.encryption_algorithm {
        EncryptionScheme::Pbes2(parameters) => parameters,
        EncryptionScheme::Pbes1(algorithm) => {
            let message = format!(
                "the encrypted PKCS#8 key uses the legacy PBES1 scheme {}, which is not \
                 supported; {CONVERT_HINT}",
                algorithm.encryption.oid()
            );
            return Err(KeyError::new(KeyErrorKind::UnsupportedEncryption, message));
        }
        _ => {
            let message = format!(
                "the encrypted PKCS#8 key uses the encryption scheme {}, which is not \
                 supported; {CONVERT_HINT}",
                info.encryption_algorithm.oid()
            );
            return Err(KeyError::new(KeyErrorKind::UnsupportedEncryption, message));
        }
    };
    check_kdf_limits(&parameters.kdf)?;

    let mut buffer = Zeroizing::new(info.encrypted_data.as_bytes().to_vec());
    let plaintext_len = parameters
        .decrypt_in_place(password, &mut buffer)
        .map_err(pkcs5_error)?
        .len();
    buffer.truncate(plaintext_len);

    if PrivateKeyInfoRef::from_der(&buffer).is_err() {
        return Err(wrong_password_error("encrypted PKCS#8 key"));
    }
    Ok(buffer)
}

/// Rejects key-derivation parameters that would take too long or use too much memory.
fn check_kdf_limits(kdf: &Kdf) -> Result<(), KeyError> {
    match kdf {
        Kdf::Pbkdf2(parameters) => {
            if parameters.iteration_count > MAX_PBKDF2_ITERATIONS {
                let message = format!(
                    "the encrypted PKCS#8 key asks for {} PBKDF2 iterations, more than the \
                     limit of {MAX_PBKDF2_ITERATIONS}; {CONVERT_HINT}",
                    parameters.iteration_count
                );
                return Err(KeyError::new(KeyErrorKind::UnsupportedEncryption, message));
            }
        }
        Kdf::Scrypt(parameters) => {
            let cost = parameters.cost_parameter;
            // scrypt requires N to be a power of two greater than 1. pkcs5 0.8.1 panics on
            // N = 0, so this check must run before the parameters reach it.
            if cost < 2 || !cost.is_power_of_two() {
                return Err(KeyError::new(
                    KeyErrorKind::Invalid,
                    format!("the scrypt cost parameter N = {cost} is not a power of two above 1"),
                ));
            }
            let memory = 128u64
                .checked_mul(cost)
                .and_then(|bytes| bytes.checked_mul(u64::from(parameters.block_size)));
            let work =
                memory.and_then(|bytes| bytes.checked_mul(u64::from(parameters.parallelization)));
            let within_limits = work.is_some_and(|bytes| bytes <= MAX_SCRYPT_WORK_BYTES)
                && parameters.parallelization <= MAX_SCRYPT_PARALLELIZATION;
            if !within_limits {
                let message = format!(
                    "the encrypted PKCS#8 key asks for scrypt with N = {cost}, r = {}, p = {}, \
                     above the limits of 128 * N * r * p <= {} MiB and \
                     p <= {MAX_SCRYPT_PARALLELIZATION}; {CONVERT_HINT}",
                    parameters.block_size,
                    parameters.parallelization,
                    MAX_SCRYPT_WORK_BYTES / (1024 * 1024)
                );
                return Err(KeyError::new(KeyErrorKind::UnsupportedEncryption, message));
            }
        }
        _ => {
            let message = format!(
                "the encrypted PKCS#8 key uses the key-derivation function {}, which is not \
                 supported; {CONVERT_HINT}",
                kdf.oid()
            );
            return Err(KeyError::new(KeyErrorKind::UnsupportedEncryption, message));
        }
    }
    Ok(())
}

fn pkcs5_error(error: pkcs5::Error) -> KeyError {
    match error {
        pkcs5::Error::DecryptFailed => wrong_password_error("encrypted PKCS#8 key"),
        pkcs5::Error::UnsupportedAlgorithm { oid } => KeyError::new(
            KeyErrorKind::UnsupportedEncryption,
            format!(
                "the encrypted PKCS#8 key uses the algorithm {oid}, which is not supported; \
                 {CONVERT_HINT}"
            ),
        ),
        pkcs5::Error::AlgorithmParametersInvalid { oid } => KeyError::new(
            KeyErrorKind::Invalid,
            format!("the encrypted PKCS#8 key has invalid parameters for the algorithm {oid}"),
        ),
        _ => KeyError::new(
            KeyErrorKind::Invalid,
            "the encrypted PKCS#8 key could not be decrypted",
        ),
    }
}

/// Explains why an `EncryptedPrivateKeyInfo` failed to decode. The cause is either an
/// encryption scheme that the `pkcs8` crate cannot represent, such as the PKCS#12 PBE scheme
/// that `openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES` writes, or a damaged structure.
fn undecodable_pkcs8(der: &[u8]) -> KeyError {
    match encryption_algorithm_oid(der) {
        Some(oid) => KeyError::new(
            KeyErrorKind::UnsupportedEncryption,
            format!(
                "the encrypted PKCS#8 key uses the encryption scheme {oid}, which is not \
                 supported (only PBES2 is); {CONVERT_HINT}"
            ),
        ),
        None => KeyError::new(
            KeyErrorKind::Invalid,
            "the encrypted PKCS#8 key is not a valid `EncryptedPrivateKeyInfo` structure",
        ),
    }
}

/// Reads the algorithm OID at the start of an `EncryptedPrivateKeyInfo`.
fn encryption_algorithm_oid(der: &[u8]) -> Option<ObjectIdentifier> {
    let mut reader = SliceReader::new(der).ok()?;
    reader
        .sequence(|sequence| {
            let algorithm: AlgorithmIdentifierRef<'_> = sequence.decode()?;
            // The encrypted data follows. Skipping it lets `sequence` check the length.
            sequence.tlv_bytes()?;
            Ok::<_, pkcs8::der::Error>(algorithm.oid)
        })
        .ok()
}

/// A block cipher, used in CBC mode, that OpenSSL names in a `DEK-Info` header.
#[derive(Clone, Copy)]
enum TraditionalCipher {
    Aes128,
    Aes192,
    Aes256,
    DesEde3,
}

impl TraditionalCipher {
    fn from_name(name: &str) -> Option<Self> {
        match name.to_ascii_uppercase().as_str() {
            "AES-128-CBC" => Some(Self::Aes128),
            "AES-192-CBC" => Some(Self::Aes192),
            "AES-256-CBC" => Some(Self::Aes256),
            "DES-EDE3-CBC" => Some(Self::DesEde3),
            _ => None,
        }
    }

    fn key_len(self) -> usize {
        match self {
            Self::Aes128 => 16,
            Self::Aes192 | Self::DesEde3 => 24,
            Self::Aes256 => 32,
        }
    }

    fn iv_len(self) -> usize {
        match self {
            Self::DesEde3 => 8,
            _ => 16,
        }
    }

    /// Decrypts `buffer` in place and returns the length of the unpadded plaintext, or
    /// `None` when the padding is invalid.
    fn decrypt(self, key: &[u8], iv: &[u8], buffer: &mut [u8]) -> Option<usize> {
        match self {
            Self::Aes128 => cbc_decrypt::<aes::Aes128>(key, iv, buffer),
            Self::Aes192 => cbc_decrypt::<aes::Aes192>(key, iv, buffer),
            Self::Aes256 => cbc_decrypt::<aes::Aes256>(key, iv, buffer),
            Self::DesEde3 => cbc_decrypt::<des::TdesEde3>(key, iv, buffer),
        }
    }
}

fn cbc_decrypt<C>(key: &[u8], iv: &[u8], buffer: &mut [u8]) -> Option<usize>
where
    C: BlockCipherDecrypt + KeyInit,
{
    let decryptor = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
    decryptor
        .decrypt_padded::<Pkcs7>(buffer)
        .ok()
        .map(<[u8]>::len)
}

/// Decrypts a traditional OpenSSL encrypted `RSA PRIVATE KEY` section and returns the
/// PKCS#1 `RSAPrivateKey` DER.
pub(super) fn decrypt_traditional_pkcs1(
    section: &PemSection,
    password: &str,
) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let dek_info = section.header("DEK-Info").ok_or_else(|| {
        KeyError::new(
            KeyErrorKind::Invalid,
            "the encrypted PKCS#1 key has `Proc-Type: 4,ENCRYPTED` but no `DEK-Info` header",
        )
    })?;
    let (cipher_name, iv_hex) = dek_info.split_once(',').ok_or_else(|| {
        KeyError::new(
            KeyErrorKind::Invalid,
            "the `DEK-Info` header of the encrypted PKCS#1 key is not `CIPHER,IV`",
        )
    })?;
    let cipher_name = cipher_name.trim();
    let cipher = TraditionalCipher::from_name(cipher_name).ok_or_else(|| {
        KeyError::new(
            KeyErrorKind::UnsupportedEncryption,
            format!(
                "the encrypted PKCS#1 key uses the cipher {cipher_name:?}, but only \
                 AES-128-CBC, AES-192-CBC, AES-256-CBC and DES-EDE3-CBC are supported; \
                 {CONVERT_HINT}"
            ),
        )
    })?;

    let iv = decode_hex(iv_hex.trim())
        .filter(|iv| iv.len() == cipher.iv_len())
        .ok_or_else(|| {
            KeyError::new(
                KeyErrorKind::Invalid,
                format!(
                    "the IV in the `DEK-Info` header is not {} hexadecimal bytes",
                    cipher.iv_len()
                ),
            )
        })?;
    // OpenSSL salts the key derivation with the first 8 bytes of the IV.
    let key = evp_bytes_to_key_md5(password.as_bytes(), &iv[..8], cipher.key_len());

    let mut buffer = Zeroizing::new(section.der.to_vec());
    let plaintext_len = cipher
        .decrypt(&key, &iv, &mut buffer)
        .ok_or_else(|| wrong_password_error("encrypted PKCS#1 key"))?;
    buffer.truncate(plaintext_len);

    if pkcs1::RsaPrivateKeyRef::from_der(&buffer).is_err() {
        return Err(wrong_password_error("encrypted PKCS#1 key"));
    }
    Ok(buffer)
}

/// Derives a key as OpenSSL's `EVP_BytesToKey` does with MD5 and one iteration:
/// `D_1 = MD5(password || salt)`, `D_i = MD5(D_(i-1) || password || salt)`, and the key is
/// the first `key_len` bytes of `D_1 || D_2 || ...`.
fn evp_bytes_to_key_md5(password: &[u8], salt: &[u8], key_len: usize) -> Zeroizing<Vec<u8>> {
    let mut key = Zeroizing::new(Vec::with_capacity(key_len + 16));
    let mut previous = Zeroizing::new([0u8; 16]);
    let mut first = true;
    while key.len() < key_len {
        let mut hasher = Md5::new();
        if !first {
            hasher.update(previous.as_slice());
        }
        hasher.update(password);
        hasher.update(salt);
        let mut block = hasher.finalize();
        previous.copy_from_slice(&block);
        block.as_mut_slice().zeroize();
        key.extend_from_slice(previous.as_slice());
        first = false;
    }
    key.truncate(key_len);
    key
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digits = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(digits, 16).ok()
        })
        .collect()
}

fn wrong_password_error(what: &str) -> KeyError {
    KeyError::new(
        KeyErrorKind::WrongPassword,
        format!("the {what} could not be decrypted: the password is wrong, or the file is damaged"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evp_bytes_to_key_matches_openssl() {
        // `openssl enc -aes-256-cbc -md md5 -pass pass:password -S 0102030405060708 -P`
        // prints this key (OpenSSL 3.0.19).
        let key = evp_bytes_to_key_md5(b"password", &[1, 2, 3, 4, 5, 6, 7, 8], 32);
        let expected =
            decode_hex("E7B0971E52CA5CC8D0539FB3412F6316F7BA2E6EE293D9F3457B99436B51CE02");
        assert_eq!(key.len(), 32);
        assert_eq!(Some(key.to_vec()), expected);
    }

    #[test]
    fn hex_decoding() {
        assert_eq!(decode_hex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(decode_hex("0"), None);
        assert_eq!(decode_hex("zz"), None);
        assert_eq!(decode_hex("é0"), None);
    }

    #[test]
    fn scrypt_zero_cost_rejected() {
        let parameters = pkcs5::pbes2::ScryptParams {
            salt: [0u8; 8].as_slice().try_into().expect("8-byte salt"),
            cost_parameter: 0,
            block_size: 8,
            parallelization: 1,
            key_length: None,
        };
        let error = check_kdf_limits(&Kdf::Scrypt(parameters)).expect_err("N = 0 is invalid");
        assert_eq!(error.kind(), KeyErrorKind::Invalid);
    }

    #[test]
    fn scrypt_huge_memory_rejected() {
        let parameters = pkcs5::pbes2::ScryptParams {
            salt: [0u8; 8].as_slice().try_into().expect("8-byte salt"),
            cost_parameter: 1 << 30,
            block_size: 8,
            parallelization: 1,
            key_length: None,
        };
        let error = check_kdf_limits(&Kdf::Scrypt(parameters)).expect_err("128 GiB");
        assert_eq!(error.kind(), KeyErrorKind::UnsupportedEncryption);
    }

    #[test]
    fn pbkdf2_over_limit_rejected() {
        let parameters = |iteration_count| pkcs5::pbes2::Pbkdf2Params {
            salt: [0u8; 8].as_slice().try_into().expect("8-byte salt"),
            iteration_count,
            key_length: None,
            prf: pkcs5::pbes2::Pbkdf2Prf::HmacWithSha256,
        };

        let over = check_kdf_limits(&Kdf::Pbkdf2(parameters(MAX_PBKDF2_ITERATIONS + 1)));
        let at_limit = check_kdf_limits(&Kdf::Pbkdf2(parameters(MAX_PBKDF2_ITERATIONS)));

        assert_eq!(
            over.expect_err("over the limit").kind(),
            KeyErrorKind::UnsupportedEncryption
        );
        assert!(at_limit.is_ok());
    }

    #[test]
    fn scrypt_high_parallel_work_rejected() {
        // 16 MiB of memory, as OpenSSL's defaults, but p = 16 makes 256 MiB of work.
        let parameters = |parallelization| pkcs5::pbes2::ScryptParams {
            salt: [0u8; 8].as_slice().try_into().expect("8-byte salt"),
            cost_parameter: 1 << 14,
            block_size: 8,
            parallelization,
            key_length: None,
        };

        let heavy = check_kdf_limits(&Kdf::Scrypt(parameters(16)));
        let default = check_kdf_limits(&Kdf::Scrypt(parameters(1)));

        assert_eq!(
            heavy.expect_err("256 MiB of work").kind(),
            KeyErrorKind::UnsupportedEncryption
        );
        assert!(default.is_ok());
    }
}
