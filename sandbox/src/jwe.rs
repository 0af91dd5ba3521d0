//! Compact JWE encryption of response payloads (RSA-OAEP-256 key wrapping, A256GCM).

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::digest;
use aws_lc_rs::encoding::{AsDer, Pkcs8V1Der, PublicKeyX509Der};
use aws_lc_rs::error::Unspecified;
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use aws_lc_rs::rsa::{
    KeySize, OAEP_SHA256_MGF1SHA256, OaepPublicEncryptingKey, PrivateDecryptingKey,
    PublicEncryptingKey,
};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use rustls_pki_types::SubjectPublicKeyInfoDer;
use rustls_pki_types::pem::PemObject;

use crate::SandboxError;
use crate::token::hex;

/// The content encryption key length for A256GCM, in bytes.
const CEK_LEN: usize = 32;

/// Encrypts payloads to one RSA public key.
pub(crate) struct ResponseEncrypter {
    key: OaepPublicEncryptingKey,
    protected_header_b64: String,
    rng: SystemRandom,
}

impl ResponseEncrypter {
    /// Creates an encrypter for an RSA public key in SubjectPublicKeyInfo DER.
    pub(crate) fn new(public_key: PublicEncryptingKey) -> Result<Self, SandboxError> {
        let spki = public_key
            .as_der()
            .map_err(|_| SandboxError::InvalidEncryptionKey("the key cannot be encoded".into()))?;
        let kid = key_id(spki.as_ref());
        let key = OaepPublicEncryptingKey::new(public_key).map_err(|_| {
            SandboxError::InvalidEncryptionKey("the key cannot be used for RSA-OAEP".into())
        })?;
        // The member order matches the header CyberSource documents.
        let header = format!(
            r#"{{"kid":"{kid}","cty":"json","typ":"JWT","enc":"A256GCM","alg":"RSA-OAEP-256"}}"#
        );
        Ok(Self {
            key,
            protected_header_b64: URL_SAFE_NO_PAD.encode(header),
            rng: SystemRandom::new(),
        })
    }

    /// Encrypts a payload with a fresh content key and IV and returns the compact JWE.
    pub(crate) fn encrypt(&self, payload: &[u8]) -> Result<String, Unspecified> {
        let mut cek = [0u8; CEK_LEN];
        self.rng.fill(&mut cek)?;
        let mut iv = [0u8; NONCE_LEN];
        self.rng.fill(&mut iv)?;

        let mut wrapped = vec![0u8; self.key.ciphertext_size()];
        let wrapped = self
            .key
            .encrypt(&OAEP_SHA256_MGF1SHA256, &cek, &mut wrapped, None)?;

        let aead_key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &cek)?);
        let mut ciphertext = payload.to_vec();
        let tag = aead_key.seal_in_place_separate_tag(
            Nonce::assume_unique_for_key(iv),
            Aad::from(self.protected_header_b64.as_bytes()),
            &mut ciphertext,
        )?;

        Ok(format!(
            "{}.{}.{}.{}.{}",
            self.protected_header_b64,
            URL_SAFE_NO_PAD.encode(wrapped),
            URL_SAFE_NO_PAD.encode(iv),
            URL_SAFE_NO_PAD.encode(&ciphertext),
            URL_SAFE_NO_PAD.encode(tag.as_ref()),
        ))
    }
}

/// Returns the JWE `kid`: the first 20 bytes of the SHA-256 of the public key's
/// SubjectPublicKeyInfo DER, as 40 lower-case hex characters.
pub(crate) fn key_id(spki_der: &[u8]) -> String {
    let hash = digest::digest(&digest::SHA256, spki_der);
    hex(&hash.as_ref()[..20])
}

/// Parses an RSA public key given as SubjectPublicKeyInfo PEM (`BEGIN PUBLIC KEY`) or DER.
pub(crate) fn parse_public_key(input: &[u8]) -> Result<PublicEncryptingKey, SandboxError> {
    let trimmed = input.trim_ascii_start();
    let der = if trimmed.starts_with(b"-----BEGIN") {
        SubjectPublicKeyInfoDer::from_pem_slice(trimmed)
            .map_err(|error| {
                SandboxError::InvalidEncryptionKey(format!(
                    "expected a PEM block `BEGIN PUBLIC KEY` (SubjectPublicKeyInfo): {error}"
                ))
            })?
            .to_vec()
    } else {
        input.to_vec()
    };
    PublicEncryptingKey::from_der(&der).map_err(|error| {
        SandboxError::InvalidEncryptionKey(format!(
            "not an RSA SubjectPublicKeyInfo key that aws-lc accepts: {error}"
        ))
    })
}

/// A key pair generated for one sandbox, with its private key as PKCS#8 PEM.
pub(crate) struct GeneratedKeyPair {
    pub public_key: PublicEncryptingKey,
    pub private_key_pem: String,
}

/// Generates a 2048-bit RSA key pair.
pub(crate) fn generate_key_pair() -> Result<GeneratedKeyPair, SandboxError> {
    let private_key = PrivateDecryptingKey::generate(KeySize::Rsa2048)
        .map_err(|_| SandboxError::KeyGeneration)?;
    let pkcs8: Pkcs8V1Der<'static> = private_key
        .as_der()
        .map_err(|_| SandboxError::KeyGeneration)?;
    Ok(GeneratedKeyPair {
        public_key: private_key.public_key(),
        private_key_pem: pem_encode("PRIVATE KEY", pkcs8.as_ref()),
    })
}

/// Returns the SubjectPublicKeyInfo DER of a public key.
pub(crate) fn public_key_der(key: &PublicEncryptingKey) -> Option<Vec<u8>> {
    let der: PublicKeyX509Der<'static> = key.as_der().ok()?;
    Some(der.as_ref().to_vec())
}

/// Encodes DER bytes as PEM with 64-character lines.
fn pem_encode(label: &str, der: &[u8]) -> String {
    let body = STANDARD.encode(der);
    let mut pem = format!("-----BEGIN {label}-----\n");
    for line in body.as_bytes().chunks(64) {
        // Base64 output is ASCII, so every chunk is valid UTF-8.
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str(&format!("-----END {label}-----\n"));
    pem
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_lc_rs::rsa::OaepPrivateDecryptingKey;
    use rustls_pki_types::PrivatePkcs8KeyDer;

    fn decrypt(jwe: &str, private_pem: &str) -> (serde_json::Value, Vec<u8>) {
        let parts: Vec<&str> = jwe.split('.').collect();
        assert_eq!(parts.len(), 5);
        let decode = |s: &str| URL_SAFE_NO_PAD.decode(s).expect("base64url");

        let der = PrivatePkcs8KeyDer::from_pem_slice(private_pem.as_bytes()).expect("pem");
        let private_key = PrivateDecryptingKey::from_pkcs8(der.secret_pkcs8_der()).expect("key");
        let oaep = OaepPrivateDecryptingKey::new(private_key).expect("oaep");
        let mut cek = vec![0u8; oaep.min_output_size()];
        let cek = oaep
            .decrypt(&OAEP_SHA256_MGF1SHA256, &decode(parts[1]), &mut cek, None)
            .expect("unwrap cek")
            .to_vec();
        assert_eq!(cek.len(), CEK_LEN);

        let iv: [u8; NONCE_LEN] = decode(parts[2]).try_into().expect("iv length");
        let mut in_out = decode(parts[3]);
        in_out.extend_from_slice(&decode(parts[4]));
        let key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, &cek).expect("cek"));
        let plaintext = key
            .open_in_place(
                Nonce::assume_unique_for_key(iv),
                Aad::from(parts[0].as_bytes()),
                &mut in_out,
            )
            .expect("decrypt")
            .to_vec();
        let header = serde_json::from_slice(&decode(parts[0])).expect("header json");
        (header, plaintext)
    }

    #[test]
    fn encrypt_round_trip_with_generated_key() {
        let pair = generate_key_pair().expect("key pair");
        let spki = public_key_der(&pair.public_key).expect("spki");
        let encrypter = ResponseEncrypter::new(pair.public_key).expect("encrypter");

        let jwe = encrypter.encrypt(br#"{"a":1}"#).expect("encrypt");
        let (header, plaintext) = decrypt(&jwe, &pair.private_key_pem);

        assert_eq!(plaintext, br#"{"a":1}"#);
        assert_eq!(header["alg"], "RSA-OAEP-256");
        assert_eq!(header["enc"], "A256GCM");
        assert_eq!(header["typ"], "JWT");
        assert_eq!(header["cty"], "json");
        assert_eq!(header["kid"], key_id(&spki));
        assert_eq!(key_id(&spki).len(), 40);
    }

    #[test]
    fn each_encryption_uses_fresh_key_and_iv() {
        let pair = generate_key_pair().expect("key pair");
        let encrypter = ResponseEncrypter::new(pair.public_key).expect("encrypter");
        let first: Vec<String> = encrypter
            .encrypt(b"{}")
            .expect("encrypt")
            .split('.')
            .map(str::to_owned)
            .collect();
        let second: Vec<String> = encrypter
            .encrypt(b"{}")
            .expect("encrypt")
            .split('.')
            .map(str::to_owned)
            .collect();
        assert_eq!(first[0], second[0]);
        assert_ne!(first[1], second[1]);
        assert_ne!(first[2], second[2]);
    }

    #[test]
    fn parse_public_key_rejects_garbage() {
        assert!(parse_public_key(b"not a key").is_err());
        assert!(
            parse_public_key(b"-----BEGIN PUBLIC KEY-----\n!!\n-----END PUBLIC KEY-----\n")
                .is_err()
        );
    }
}
