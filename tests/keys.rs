//! Loading of the RSA decryption key from the test keys under `tests/vectors/keys`.

use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cybersource_tms::keys::{DecryptionKey, KeyError, KeyErrorKind};

fn key_path(file_name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/keys")
        .join(file_name)
}

fn read_key_file(file_name: &str) -> String {
    std::fs::read_to_string(key_path(file_name))
        .unwrap_or_else(|error| panic!("{file_name} should be readable: {error}"))
}

/// Returns the DER bytes inside a single-section PEM file.
fn pem_body_der(file_name: &str) -> Vec<u8> {
    let body: String = read_key_file(file_name)
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    STANDARD.decode(body).expect("PEM body should be base64")
}

fn load_error(file_name: &str) -> KeyError {
    DecryptionKey::from_pem_file(key_path(file_name)).expect_err("the key file should be rejected")
}

/// Asserts that neither the message nor the `Debug` output of `error` contains any line of
/// the base64 body of `file_name`.
fn assert_no_key_material(error: &KeyError, file_name: &str) {
    let message = error.to_string();
    let debug = format!("{error:?}");
    for line in read_key_file(file_name).lines() {
        if line.starts_with("-----") || line.len() < 16 {
            continue;
        }
        assert!(
            !message.contains(line),
            "{file_name}: message shows key text: {message}"
        );
        assert!(
            !debug.contains(line),
            "{file_name}: Debug shows key text: {debug}"
        );
    }
}

#[test]
fn pem_keys_load() {
    let cases = [
        ("key-a.pkcs8.pem", 2048),
        ("key-a.pkcs1.pem", 2048),
        ("key-b.pkcs8.pem", 2048),
        ("key-b.pkcs1.pem", 2048),
        ("key-c.pkcs8.pem", 4096),
        ("key-c.pkcs1.pem", 4096),
    ];
    for (file_name, bits) in cases {
        let key = DecryptionKey::from_pem_file(key_path(file_name))
            .unwrap_or_else(|error| panic!("{file_name} should load: {error}"));
        assert_eq!(key.bits(), bits, "{file_name}");
        assert_eq!(key.kid(), None, "{file_name}");
    }
}

#[test]
fn pem_string_loads() {
    let pem = read_key_file("key-a.pkcs8.pem");
    let from_str: DecryptionKey = pem.parse().expect("PKCS#8 PEM text should load");
    assert_eq!(from_str.bits(), 2048);

    let pkcs1 = read_key_file("key-a.pkcs1.pem");
    let from_pem_str = DecryptionKey::from_pem_str(&pkcs1).expect("PKCS#1 PEM text should load");
    assert_eq!(from_pem_str.bits(), 2048);

    let from_bytes = DecryptionKey::from_pem(pem.as_bytes()).expect("PEM bytes should load");
    assert_eq!(from_bytes.bits(), 2048);
}

#[test]
fn der_keys_load() {
    let pkcs8 = DecryptionKey::from_pkcs8_der(&pem_body_der("key-a.pkcs8.pem"))
        .expect("PKCS#8 DER should load");
    assert_eq!(pkcs8.bits(), 2048);

    let pkcs1 = DecryptionKey::from_pkcs1_der(&pem_body_der("key-c.pkcs1.pem"))
        .expect("PKCS#1 DER should load");
    assert_eq!(pkcs1.bits(), 4096);

    let error = DecryptionKey::from_pkcs8_der(b"not DER").expect_err("garbage is rejected");
    assert_eq!(error.kind(), KeyErrorKind::Invalid);
}

#[test]
fn pem_with_certificate_and_key_loads() {
    let combined = format!(
        "{}\n{}",
        read_key_file("key-a.cert.pem"),
        read_key_file("key-a.pkcs8.pem")
    );
    let key = DecryptionKey::from_pem_str(&combined).expect("the key section should load");
    assert_eq!(key.bits(), 2048);
}

#[test]
fn small_key_rejected_with_size() {
    for file_name in ["key-small.pkcs8.pem", "key-small.pkcs1.pem"] {
        let error = load_error(file_name);
        assert_eq!(error.kind(), KeyErrorKind::TooSmall, "{file_name}: {error}");
        assert_eq!(error.key_bits(), Some(1024), "{file_name}");
        let message = error.to_string();
        assert!(message.contains("1024 bits"), "{file_name}: {message}");
        assert!(message.contains("2048"), "{file_name}: {message}");
        assert_no_key_material(&error, file_name);
    }

    let der = pem_body_der("key-small.pkcs1.pem");
    let error = DecryptionKey::from_pkcs1_der(&der).expect_err("1024-bit DER is rejected");
    assert_eq!(error.kind(), KeyErrorKind::TooSmall);
}

#[test]
fn certificate_pem_rejected() {
    let error = load_error("key-a.cert.pem");
    assert_eq!(error.kind(), KeyErrorKind::UnsupportedPem);
    let message = error.to_string();
    assert!(message.contains("certificate"), "message: {message}");
    assert!(message.contains("key-a.cert.pem"), "message: {message}");
    assert_no_key_material(&error, "key-a.cert.pem");
}

#[test]
fn public_key_pem_rejected() {
    let error = load_error("key-a.public.pem");
    assert_eq!(error.kind(), KeyErrorKind::UnsupportedPem);
    let message = error.to_string();
    assert!(message.contains("public key"), "message: {message}");
    assert!(message.contains("private key"), "message: {message}");
    assert_no_key_material(&error, "key-a.public.pem");
}

#[test]
fn encrypted_pem_not_supported_yet() {
    for file_name in [
        "key-a.pkcs8-encrypted.pem",
        "key-a.pkcs1-encrypted.pem",
        "key-c.pkcs8-encrypted.pem",
    ] {
        let error = load_error(file_name);
        assert_eq!(
            error.kind(),
            KeyErrorKind::Encrypted,
            "{file_name}: {error}"
        );
        let message = error.to_string();
        assert!(
            message.contains("not supported yet"),
            "{file_name}: {message}"
        );
        assert!(message.contains("openssl pkey"), "{file_name}: {message}");
        assert!(message.contains(file_name), "{file_name}: {message}");
        assert_no_key_material(&error, file_name);
    }
}

#[test]
fn missing_file_names_path() {
    let path = key_path("no-such-key.pem");
    let error = DecryptionKey::from_pem_file(&path).expect_err("the file does not exist");
    assert_eq!(error.kind(), KeyErrorKind::Io);
    assert_eq!(error.path(), Some(path.as_path()));
    let message = error.to_string();
    assert!(message.contains("no-such-key.pem"), "message: {message}");
    assert!(std::error::Error::source(&error).is_some());
}

#[test]
fn non_pem_input_rejected() {
    let error = DecryptionKey::from_pem(b"just some text").expect_err("not PEM");
    assert_eq!(error.kind(), KeyErrorKind::NotPem);
    assert!(
        error.to_string().contains("from_pkcs8_der"),
        "message: {error}"
    );

    let unterminated = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n";
    let error = DecryptionKey::from_pem_str(unterminated).expect_err("no END line");
    assert_eq!(error.kind(), KeyErrorKind::NotPem);
    assert!(!error.to_string().contains("MIIEvQ"), "message: {error}");
}

#[test]
fn two_private_keys_rejected() {
    let two = format!(
        "{}\n{}",
        read_key_file("key-a.pkcs8.pem"),
        read_key_file("key-b.pkcs8.pem")
    );
    let error = DecryptionKey::from_pem_str(&two).expect_err("two keys are ambiguous");
    assert_eq!(error.kind(), KeyErrorKind::UnsupportedPem);
    assert!(
        error.to_string().contains("2 private keys"),
        "message: {error}"
    );
}

#[test]
fn invalid_key_body_rejected() {
    let pem = "-----BEGIN PRIVATE KEY-----\nAAECAwQF\n-----END PRIVATE KEY-----\n";
    let error = DecryptionKey::from_pem_str(pem).expect_err("not a PKCS#8 structure");
    assert_eq!(error.kind(), KeyErrorKind::Invalid);
}

#[test]
fn debug_shows_size_and_kid_only() {
    let key = DecryptionKey::from_pem_file(key_path("key-a.pkcs8.pem"))
        .expect("key A should load")
        .with_kid("8f3a1c0e");
    assert_eq!(key.kid(), Some("8f3a1c0e"));
    assert_eq!(
        format!("{key:?}"),
        "DecryptionKey { bits: 2048, kid: Some(\"8f3a1c0e\") }"
    );
}

#[test]
fn key_is_send_sync_clone() {
    fn assert_send_sync_clone<T: Send + Sync + Clone>() {}
    assert_send_sync_clone::<DecryptionKey>();
}
