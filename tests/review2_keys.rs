//! Temporary review tests: key loader robustness and KDF cost limits.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use cybersource_tms::keys::{DecryptionKey, Pkcs12Identity, RsaSigningKey};
use cybersource_tms::tls::ClientCertificate;
use pkcs8::der::Encode;
use pkcs8::der::asn1::OctetString;
use pkcs8::pkcs5;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/keys");

fn files() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(DIR).unwrap() {
        let path = entry.unwrap().path();
        out.push((
            path.file_name().unwrap().to_string_lossy().into_owned(),
            std::fs::read(&path).unwrap(),
        ));
    }
    out.sort();
    out
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut data = input.to_vec();
    match rng.below(5) {
        0 => {
            let n = rng.below(data.len());
            data.truncate(n);
        }
        1 => {
            for _ in 0..=rng.below(4) {
                let i = rng.below(data.len());
                if !data.is_empty() {
                    data[i] ^= 1 << rng.below(8);
                }
            }
        }
        2 => {
            let i = rng.below(data.len());
            if !data.is_empty() {
                data[i] = rng.next() as u8;
            }
        }
        3 => {
            let i = rng.below(data.len());
            let j = (i + rng.below(64)).min(data.len());
            data.drain(i..j);
        }
        _ => {
            let i = rng.below(data.len());
            data.insert(i, rng.next() as u8);
        }
    }
    data
}

/// Returns the DER body of the first PEM section, or the bytes themselves.
fn der_of(bytes: &[u8]) -> Option<(String, Vec<u8>)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let (label, der) = pem_rfc7468::decode_vec(text.as_bytes()).ok()?;
    Some((label.to_string(), der))
}

fn run_all_loaders(input: &[u8]) -> Vec<String> {
    let mut results = Vec::new();
    let text = String::from_utf8_lossy(input).into_owned();
    results.push(format!(
        "{:?}",
        DecryptionKey::from_pem(input).err().map(|e| e.to_string())
    ));
    results.push(format!(
        "{:?}",
        DecryptionKey::from_encrypted_pem(input, "test-pass")
            .err()
            .map(|e| e.to_string())
    ));
    results.push(format!(
        "{:?}",
        DecryptionKey::from_encrypted_pem(input, "wrong")
            .err()
            .map(|e| e.to_string())
    ));
    results.push(format!(
        "{:?}",
        DecryptionKey::from_pkcs8_der(input)
            .err()
            .map(|e| e.to_string())
    ));
    results.push(format!(
        "{:?}",
        DecryptionKey::from_pkcs1_der(input)
            .err()
            .map(|e| e.to_string())
    ));
    results.push(format!(
        "{:?}",
        DecryptionKey::from_pem_str(&text)
            .err()
            .map(|e| e.to_string())
    ));
    results.push(format!(
        "{:?}",
        RsaSigningKey::from_pem(input).err().map(|e| e.to_string())
    ));
    results.push(format!(
        "{:?}",
        Pkcs12Identity::from_der(input, "test-pass")
            .err()
            .map(|e| e.to_string())
    ));
    results.push(format!(
        "{:?}",
        ClientCertificate::from_pem(input, input)
            .err()
            .map(|e| e.to_string())
    ));
    results.push(format!(
        "{:?}",
        ClientCertificate::from_pkcs12(input, "test-pass", None)
            .err()
            .map(|e| e.to_string())
    ));
    results
}

#[test]
fn review2_every_file_with_every_loader() {
    for (name, bytes) in files() {
        let started = Instant::now();
        let results = run_all_loaders(&bytes);
        eprintln!("{name}: {:?} {:?}", started.elapsed(), results);
    }
}

#[test]
fn review2_mutations_never_panic_or_hang() {
    let iterations: usize = std::env::var("REVIEW2_ITER")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let mut rng = Rng(0x9e3779b97f4a7c15);
    let mut panics = Vec::new();
    let mut slow = Vec::new();
    let mut leaks = Vec::new();
    let started_all = Instant::now();
    for (name, bytes) in files() {
        let der = der_of(&bytes);
        for round in 0..iterations {
            let mutated = if round % 2 == 0 || der.is_none() {
                mutate(&mut rng, &bytes)
            } else {
                let (label, der) = der.clone().unwrap();
                let m = mutate(&mut rng, &der);
                pem_rfc7468::encode_string(&label, pem_rfc7468::LineEnding::LF, &m)
                    .map(String::into_bytes)
                    .unwrap_or(m)
            };
            let started = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| run_all_loaders(&mutated)));
            let elapsed = started.elapsed();
            match outcome {
                Err(_) => {
                    let path = format!("/tmp/review2/panic-{name}-{round}");
                    std::fs::write(&path, &mutated).unwrap();
                    panics.push(path);
                }
                Ok(results) => {
                    for r in results {
                        if r.contains("test-pass") || r.contains("MII") {
                            leaks.push(format!("{name} {round}: {r}"));
                        }
                    }
                }
            }
            if elapsed > Duration::from_secs(2) {
                let path = format!("/tmp/review2/slow-{name}-{round}");
                std::fs::write(&path, &mutated).unwrap();
                slow.push((path, elapsed));
            }
        }
    }
    eprintln!("total {:?}", started_all.elapsed());
    eprintln!("panics: {panics:#?}\nslow: {slow:#?}\nleaks: {leaks:#?}");
    assert!(panics.is_empty() && slow.is_empty() && leaks.is_empty());
}

fn encrypted_pkcs8_pem(kdf: pkcs5::pbes2::Kdf) -> String {
    let params = pkcs5::pbes2::Parameters {
        kdf,
        encryption: pkcs5::pbes2::EncryptionScheme::Aes256Cbc { iv: [7u8; 16] },
    };
    let info = pkcs8::EncryptedPrivateKeyInfoOwned {
        encryption_algorithm: pkcs5::EncryptionScheme::Pbes2(params),
        encrypted_data: OctetString::new(vec![0x42u8; 1232]).unwrap(),
    };
    let der = info.to_der().unwrap();
    pem_rfc7468::encode_string("ENCRYPTED PRIVATE KEY", pem_rfc7468::LineEnding::LF, &der).unwrap()
}

fn time_load(label: &str, pem: &str) {
    let started = Instant::now();
    let result = DecryptionKey::from_encrypted_pem_str(pem, "test-pass");
    eprintln!(
        "{label}: {:?} -> {:?}",
        started.elapsed(),
        result.err().map(|e| (e.kind(), e.to_string()))
    );
}

#[test]
fn review2_pbkdf2_just_under_limit() {
    for (label, prf) in [
        ("sha256", pkcs5::pbes2::Pbkdf2Prf::HmacWithSha256),
        ("sha1", pkcs5::pbes2::Pbkdf2Prf::HmacWithSha1),
        ("sha512", pkcs5::pbes2::Pbkdf2Prf::HmacWithSha512),
    ] {
        let count: u32 = std::env::var("REVIEW2_PBKDF2")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(10_000_000);
        let kdf = pkcs5::pbes2::Kdf::Pbkdf2(pkcs5::pbes2::Pbkdf2Params {
            salt: [1u8; 16].as_slice().try_into().unwrap(),
            iteration_count: count,
            key_length: None,
            prf,
        });
        time_load(
            &format!("pbkdf2 {label} {count}"),
            &encrypted_pkcs8_pem(kdf),
        );
    }
    let kdf = pkcs5::pbes2::Kdf::Pbkdf2(pkcs5::pbes2::Pbkdf2Params {
        salt: [1u8; 16].as_slice().try_into().unwrap(),
        iteration_count: 10_000_001,
        key_length: None,
        prf: pkcs5::pbes2::Pbkdf2Prf::HmacWithSha256,
    });
    time_load("pbkdf2 over limit", &encrypted_pkcs8_pem(kdf));
}

#[test]
fn review2_scrypt_at_limit() {
    // 128 * N * r = 256 MiB with p = 16.
    let log_n: u32 = std::env::var("REVIEW2_LOGN")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(18);
    let p: u16 = std::env::var("REVIEW2_P")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16);
    let kdf = pkcs5::pbes2::Kdf::Scrypt(pkcs5::pbes2::ScryptParams {
        salt: [1u8; 16].as_slice().try_into().unwrap(),
        cost_parameter: 1u64 << log_n,
        block_size: 8,
        parallelization: p,
        key_length: None,
    });
    time_load(
        &format!("scrypt N=2^{log_n} r=8 p={p}"),
        &encrypted_pkcs8_pem(kdf),
    );
}
