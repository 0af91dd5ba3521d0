//! Decryption of a parsed JWE: RSA-OAEP key unwrapping, AES-GCM and optional DEFLATE.

use std::io::Read;

use aws_lc_rs::aead::{Aad, LessSafeKey, Nonce, UnboundKey};
use flate2::read::DeflateDecoder;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use zeroize::Zeroizing;

use super::error::JweError;
use super::header::Compression;
use super::jwe::Jwe;
use crate::credentials::PaymentCredentials;
use crate::keys::{DecryptionKey, DecryptionKeySource};

/// Default for [`DecryptOptions::max_payload_bytes`]: 1 MiB.
///
/// A payment-credentials payload is a few kilobytes, so this leaves a wide margin while
/// bounding the memory a compressed token can make the client allocate.
pub const DEFAULT_MAX_PAYLOAD_BYTES: usize = 1024 * 1024;

/// Settings for [`Jwe::decrypt_with`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecryptOptions {
    max_payload_bytes: usize,
}

impl DecryptOptions {
    /// Creates options with the defaults.
    pub fn new() -> Self {
        Self {
            max_payload_bytes: DEFAULT_MAX_PAYLOAD_BYTES,
        }
    }

    /// Sets the maximum size in bytes of the decrypted payload, after inflating when the
    /// token uses `zip: DEF`.
    ///
    /// Inflating stops as soon as the output would pass this limit.
    #[must_use]
    pub fn with_max_payload_bytes(mut self, max_payload_bytes: usize) -> Self {
        self.max_payload_bytes = max_payload_bytes;
        self
    }

    /// Returns the maximum size in bytes of the decrypted payload.
    pub fn max_payload_bytes(&self) -> usize {
        self.max_payload_bytes
    }
}

impl Default for DecryptOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl Jwe {
    /// Decrypts the token into typed payment credentials with the default options.
    ///
    /// `keys` is one [`DecryptionKey`] or a [`DecryptionKeys`](crate::keys::DecryptionKeys)
    /// set, which chooses the key by the JWE `kid`.
    ///
    /// # Errors
    /// See [`Jwe::decrypt_payload`].
    pub fn decrypt<K>(&self, keys: &K) -> Result<PaymentCredentials, JweError>
    where
        K: DecryptionKeySource + ?Sized,
    {
        self.decrypt_with(keys, &DecryptOptions::default())
    }

    /// Decrypts the token into typed payment credentials.
    ///
    /// # Errors
    /// See [`Jwe::decrypt_payload`].
    pub fn decrypt_with<K>(
        &self,
        keys: &K,
        options: &DecryptOptions,
    ) -> Result<PaymentCredentials, JweError>
    where
        K: DecryptionKeySource + ?Sized,
    {
        let payload = self.decrypt_payload(keys, options)?;
        PaymentCredentials::from_json_owned(payload)
    }

    /// Decrypts the token and returns the plaintext JSON object in a buffer that is zeroized
    /// on drop.
    ///
    /// The keys to try are chosen by the JWE `kid` before any RSA operation, as
    /// [`DecryptionKeys`](crate::keys::DecryptionKeys) describes. They are tried in order,
    /// and the first that decrypts the token wins.
    ///
    /// # Errors
    /// - [`JweErrorKind::KeyIdMismatch`] when the JWE `kid` matches no usable key: `keys` is
    ///   a key with another id, or a set in which every key has another id.
    /// - [`JweErrorKind::DecryptionFailed`] when no key decrypts the token (wrong key or any
    ///   tampering) or the key set is empty.
    /// - [`JweErrorKind::PayloadTooLarge`] when the payload passes
    ///   [`DecryptOptions::max_payload_bytes`].
    /// - [`JweErrorKind::InvalidPayload`] when the payload is not a JSON object or not valid
    ///   DEFLATE data.
    ///
    /// [`JweErrorKind::KeyIdMismatch`]: super::JweErrorKind::KeyIdMismatch
    /// [`JweErrorKind::DecryptionFailed`]: super::JweErrorKind::DecryptionFailed
    /// [`JweErrorKind::PayloadTooLarge`]: super::JweErrorKind::PayloadTooLarge
    /// [`JweErrorKind::InvalidPayload`]: super::JweErrorKind::InvalidPayload
    pub fn decrypt_payload<K>(
        &self,
        keys: &K,
        options: &DecryptOptions,
    ) -> Result<Zeroizing<Vec<u8>>, JweError>
    where
        K: DecryptionKeySource + ?Sized,
    {
        let candidates = keys.select_keys(self.header.kid())?;

        let limit = options.max_payload_bytes;
        if self.header.zip().is_none() && self.ciphertext.len() > limit {
            // Without compression the plaintext is as long as the ciphertext.
            return Err(JweError::payload_too_large(limit));
        }

        let decrypted = self.decrypt_with_candidates(&candidates)?;
        let payload = match self.header.zip() {
            None => decrypted,
            Some(Compression::Deflate) => inflate_limited(&decrypted, limit)?,
        };

        if serde_json::from_slice::<JsonObjectCheck>(&payload).is_err() {
            return Err(JweError::invalid_payload(
                "the decrypted JWE payload is not a JSON object",
            ));
        }
        Ok(payload)
    }

    /// Tries each key in order and returns the first plaintext.
    ///
    /// Each failed attempt runs the full RSA and AES-GCM steps, so the time an attempt takes
    /// does not reveal which step failed.
    fn decrypt_with_candidates(
        &self,
        candidates: &[&DecryptionKey],
    ) -> Result<Zeroizing<Vec<u8>>, JweError> {
        for key in candidates {
            if let Some(plaintext) = self.decrypt_content(key) {
                return Ok(plaintext);
            }
        }
        Err(JweError::decryption_failed())
    }

    /// Unwraps the content-encryption key and opens the AES-GCM ciphertext.
    ///
    /// Returns `None` on any failure, so that callers cannot tell the causes apart.
    fn decrypt_content(&self, key: &DecryptionKey) -> Option<Zeroizing<Vec<u8>>> {
        let enc = self.header.enc();
        let cek_len = enc.key_len();

        // When unwrapping fails or yields a key of the wrong length, decryption goes on with
        // a random key, as RFC 7516 section 11.5 recommends. The random key is drawn on every
        // call and chosen without a branch. An RSA failure then takes the same path as a GCM
        // failure, so the timing reveals less about which step failed.
        let mut random = Zeroizing::new(vec![0u8; cek_len]);
        // A failed fill leaves zeros, which is harmless because the key is then discarded.
        let _ = aws_lc_rs::rand::fill(&mut random);
        let unwrapped = key.decrypt_oaep(self.header.alg().oaep(), &self.encrypted_key);
        let cek_is_valid = unwrapped.as_ref().is_some_and(|cek| cek.len() == cek_len);
        let candidate = unwrapped
            .filter(|cek| cek.len() == cek_len)
            .unwrap_or_else(|| Zeroizing::new(vec![0u8; cek_len]));
        let mask = 0u8.wrapping_sub(u8::from(cek_is_valid));
        let cek: Zeroizing<Vec<u8>> = Zeroizing::new(
            candidate
                .iter()
                .zip(random.iter())
                .map(|(unwrapped, random)| (unwrapped & mask) | (random & !mask))
                .collect(),
        );

        let unbound_key = UnboundKey::new(enc.aead_algorithm(), &cek).ok()?;
        let aead_key = LessSafeKey::new(unbound_key);
        let nonce = Nonce::assume_unique_for_key(self.iv);

        let mut plaintext = Zeroizing::new(self.ciphertext.clone());
        let opened = aead_key.open_in_place_separate_tag(
            nonce,
            Aad::from(self.aad()),
            &self.tag,
            &mut plaintext,
        );
        if opened.is_err() || !cek_is_valid {
            return None;
        }
        Some(plaintext)
    }
}

/// Size of the buffer that each inflate read fills.
const INFLATE_CHUNK_LEN: usize = 16 * 1024;

/// Inflates raw DEFLATE data, failing as soon as the output would pass `limit` bytes.
///
/// The output grows by copying into a larger zeroizing buffer, so that no reallocation
/// leaves plaintext behind in freed memory.
///
/// NOTE: flate2's decoder keeps up to 32 KiB of recent output in its own window, which is
/// freed without zeroizing.
fn inflate_limited(compressed: &[u8], limit: usize) -> Result<Zeroizing<Vec<u8>>, JweError> {
    let read_limit = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut decoder = DeflateDecoder::new(compressed).take(read_limit);
    let mut output = Zeroizing::new(Vec::new());
    let mut chunk = Zeroizing::new(vec![0u8; INFLATE_CHUNK_LEN]);

    loop {
        let read = match decoder.read(&mut chunk) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => {
                return Err(JweError::invalid_payload(
                    "the decrypted JWE payload is not valid DEFLATE data, although the header \
                     has zip DEF",
                ));
            }
        };
        if output.len().saturating_add(read) > limit {
            return Err(JweError::payload_too_large(limit));
        }
        extend_zeroizing(&mut output, &chunk[..read], limit);
    }
    Ok(output)
}

/// Appends `data` to `buffer`, moving to a new allocation of at most `limit` bytes by hand
/// so that the old allocation is zeroized.
fn extend_zeroizing(buffer: &mut Zeroizing<Vec<u8>>, data: &[u8], limit: usize) {
    let needed = buffer.len().saturating_add(data.len());
    if needed > buffer.capacity() {
        let doubled = buffer.capacity().saturating_mul(2).max(INFLATE_CHUNK_LEN);
        let new_capacity = doubled.min(limit).max(needed);
        let mut grown = Zeroizing::new(Vec::with_capacity(new_capacity));
        grown.extend_from_slice(buffer);
        // Assigning drops the old buffer, and `Zeroizing` wipes it.
        *buffer = grown;
    }
    buffer.extend_from_slice(data);
}

/// Accepts any JSON object and rejects every other JSON value, without keeping copies of
/// the object's contents.
struct JsonObjectCheck;

impl<'de> Deserialize<'de> for JsonObjectCheck {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(JsonObjectVisitor)
    }
}

struct JsonObjectVisitor;

impl<'de> Visitor<'de> for JsonObjectVisitor {
    type Value = JsonObjectCheck;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(JsonObjectCheck)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use flate2::write::DeflateEncoder;

    use super::*;
    use crate::jose::JweErrorKind;

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut encoder = DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        encoder
            .write_all(data)
            .expect("writing to a Vec cannot fail");
        encoder.finish().expect("writing to a Vec cannot fail")
    }

    #[test]
    fn inflate_output_at_limit_accepted() {
        let data = vec![b'a'; 100_000];
        let inflated = inflate_limited(&deflate(&data), data.len()).expect("exactly at limit");
        assert_eq!(inflated.as_slice(), data.as_slice());
    }

    #[test]
    fn inflate_output_over_limit_rejected() {
        let data = vec![b'a'; 100_001];
        let error = inflate_limited(&deflate(&data), 100_000).expect_err("one byte over");
        assert_eq!(error.kind(), JweErrorKind::PayloadTooLarge);
    }

    #[test]
    fn inflate_invalid_data_rejected() {
        let error = inflate_limited(&[0xff; 32], 1024).expect_err("not DEFLATE");
        assert_eq!(error.kind(), JweErrorKind::InvalidPayload);
    }

    #[test]
    fn extend_zeroizing_keeps_contents() {
        let mut buffer = Zeroizing::new(Vec::new());
        for chunk in [&[1u8; 10_000][..], &[2u8; 20_000][..], &[3u8; 5][..]] {
            extend_zeroizing(&mut buffer, chunk, 30_005);
        }
        assert_eq!(buffer.len(), 30_005);
        assert_eq!(buffer[9_999], 1);
        assert_eq!(buffer[10_000], 2);
        assert_eq!(buffer[30_004], 3);
    }
}
