//! JWT (`Authorization: Bearer`) tokens checked against the cases that CyberSource's Python
//! SDK 0.0.80 produced with a fixed clock and `jti`. Header and claims must match as JSON
//! objects. Signatures must verify with `jsonwebtoken`, which is independent of the code
//! under test.

use std::collections::HashSet;
use std::time::{Duration, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use cybersource_tms::auth::SharedSecret;
use cybersource_tms::auth::jwt::{
    self, HmacJwtKey, JwtError, JwtKey, JwtRequest, RsaJwtKey, bearer_token, legacy_bearer_token,
};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use p12_keystore::{KeyStore, Pkcs12ImportPolicy};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivatePkcs8KeyDer};
use serde_json::Value;

const VECTORS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors");
const P12_PASSWORD: &str = "test-pass";

fn cases() -> Vec<Value> {
    let text = std::fs::read_to_string(format!("{VECTORS_DIR}/jwt-cases.json"))
        .expect("jwt-cases.json is readable");
    let file: Value = serde_json::from_str(&text).expect("jwt-cases.json is JSON");
    file["cases"].as_array().expect("cases is an array").clone()
}

fn text<'a>(value: &'a Value, name: &str) -> &'a str {
    value[name]
        .as_str()
        .unwrap_or_else(|| panic!("`{name}` is a string"))
}

/// Returns the PKCS#8 key and the certificate of the single entry of a PKCS#12 file.
fn load_p12(file_name: &str) -> (Vec<u8>, Vec<u8>) {
    let data = std::fs::read(format!("{VECTORS_DIR}/keys/{file_name}")).expect("p12 readable");
    let store = KeyStore::from_pkcs12(&data, P12_PASSWORD, Pkcs12ImportPolicy::Strict)
        .expect("p12 opens with the test password");
    let (_, chain) = store.private_key_chain().expect("p12 has a key entry");
    let certificate = chain.certs().first().expect("entry has a certificate");
    (chain.key().as_der().to_vec(), certificate.as_der().to_vec())
}

fn pem_certificate(stem: &str) -> Vec<u8> {
    CertificateDer::from_pem_file(format!("{VECTORS_DIR}/keys/{stem}.cert.pem"))
        .expect("certificate PEM")
        .to_vec()
}

fn pem_private_key(stem: &str) -> Vec<u8> {
    PrivatePkcs8KeyDer::from_pem_file(format!("{VECTORS_DIR}/keys/{stem}.pkcs8.pem"))
        .expect("PKCS#8 PEM")
        .secret_pkcs8_der()
        .to_vec()
}

/// Loads the key of a case, and the `jsonwebtoken` key that verifies its signatures.
fn case_keys(input: &Value) -> (JwtKey, DecodingKey, Algorithm) {
    let auth = text(input, "auth");
    if auth.starts_with("HS256") {
        let secret_text = text(input, "shared_secret");
        let secret = SharedSecret::from_base64(secret_text).expect("secret is base64");
        let key = HmacJwtKey::new(text(input, "key_id"), secret).expect("HMAC key");
        let decoded = STANDARD.decode(secret_text).expect("secret is base64");
        return (
            key.into(),
            DecodingKey::from_secret(&decoded),
            Algorithm::HS256,
        );
    }

    let file_name = auth
        .split_whitespace()
        .nth(1)
        .expect("auth names the PKCS#12 file");
    let (private_key, certificate) = load_p12(file_name);
    let stem = file_name.trim_end_matches(".p12");
    assert_eq!(
        certificate,
        pem_certificate(stem),
        "{file_name} holds the certificate of {stem}.cert.pem"
    );
    let key = RsaJwtKey::from_der(&private_key, certificate.clone()).expect("RSA key");
    (
        key.into(),
        DecodingKey::from_rsa_der(&spki_der(&certificate)),
        Algorithm::RS256,
    )
}

/// Returns the SubjectPublicKeyInfo DER of a certificate.
fn spki_der(certificate: &[u8]) -> Vec<u8> {
    let (_, parsed) = x509_parser::parse_x509_certificate(certificate).expect("certificate");
    parsed.public_key().raw.to_vec()
}

fn request_of(input: &Value) -> JwtRequest<'_> {
    JwtRequest {
        merchant_id: text(input, "merchant_id"),
        portfolio_id: input["portfolio_id"].as_str(),
        host: text(input, "host"),
        method: text(input, "method"),
        path_and_query: text(input, "path_and_query"),
        body: input["body_utf8"].as_str().unwrap_or_default().as_bytes(),
    }
}

/// Decodes one base64url segment of a compact JWS as JSON.
fn segment_json(token: &str, index: usize) -> Value {
    let segment = token.split('.').nth(index).expect("token has the segment");
    let bytes = URL_SAFE_NO_PAD
        .decode(segment)
        .expect("segment is base64url");
    serde_json::from_slice(&bytes).expect("segment is JSON")
}

/// Verifies the signature only: the vector times lie outside any clock window.
fn verify_signature(token: &str, key: &DecodingKey, algorithm: Algorithm) -> Result<(), String> {
    let mut validation = Validation::new(algorithm);
    validation.required_spec_claims = HashSet::new();
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    jsonwebtoken::decode::<Value>(token, key, &validation)
        .map(|_| ())
        .map_err(|error| error.to_string())
}

#[test]
fn vector_cases_match_header_and_claims() {
    for case in cases() {
        let name = text(&case, "name");
        let input = &case["input"];
        let expected = &case["expected"];
        let (key, _, _) = case_keys(input);
        let iat = input["iat"].as_u64().expect("iat is a number");
        let now = UNIX_EPOCH + Duration::from_secs(iat);

        let token = bearer_token(&key, &request_of(input), now, text(input, "jti"))
            .unwrap_or_else(|error| panic!("{name}: {error}"));

        assert_eq!(
            segment_json(&token, 0),
            expected["header"],
            "{name}: header"
        );
        assert_eq!(
            segment_json(&token, 1),
            expected["claims"],
            "{name}: claims"
        );
    }
}

#[test]
fn vector_signatures_verify() {
    for case in cases() {
        let name = text(&case, "name");
        let input = &case["input"];
        let (key, decoding_key, algorithm) = case_keys(input);
        let iat = input["iat"].as_u64().expect("iat is a number");
        let now = UNIX_EPOCH + Duration::from_secs(iat);

        let token = bearer_token(&key, &request_of(input), now, text(input, "jti"))
            .unwrap_or_else(|error| panic!("{name}: {error}"));

        assert_eq!(
            verify_signature(&token, &decoding_key, algorithm),
            Ok(()),
            "{name}"
        );
    }
}

#[test]
fn python_sdk_tokens_verify() {
    for case in cases() {
        let name = text(&case, "name");
        let (_, decoding_key, algorithm) = case_keys(&case["input"]);
        let python_token = text(&case["expected"], "token_from_python_sdk");

        assert_eq!(
            verify_signature(python_token, &decoding_key, algorithm),
            Ok(()),
            "{name}"
        );
    }
}

/// Header and claim members are written in byte order without spaces, as the Python SDK
/// writes them, and RS256 and HS256 are deterministic: so whole tokens are equal.
#[test]
fn tokens_equal_python_sdk_bytes() {
    for case in cases() {
        let name = text(&case, "name");
        let input = &case["input"];
        let (key, _, _) = case_keys(input);
        let iat = input["iat"].as_u64().expect("iat is a number");
        let now = UNIX_EPOCH + Duration::from_secs(iat);

        let token = bearer_token(&key, &request_of(input), now, text(input, "jti"))
            .unwrap_or_else(|error| panic!("{name}: {error}"));

        assert_eq!(
            token,
            text(&case["expected"], "token_from_python_sdk"),
            "{name}"
        );
    }
}

fn key_a() -> RsaJwtKey {
    RsaJwtKey::from_der(&pem_private_key("key-a"), pem_certificate("key-a")).expect("key A")
}

fn post_request(body: &[u8]) -> JwtRequest<'_> {
    JwtRequest {
        merchant_id: "demo_merchant_01",
        portfolio_id: None,
        host: "apitest.cybersource.com",
        method: "post",
        path_and_query: "/tms/v2/tokens/7030000000012345678/payment-credentials?x=1",
        body,
    }
}

#[test]
fn rsa_key_kid_is_subject_serial_number() {
    let key = key_a();
    assert_eq!(key.kid(), "4f1d2c3b5a6978807f6e5d4c3b2a1908");
    assert_eq!(key.bits(), 2048);
    assert_eq!(key.certificate_der(), pem_certificate("key-a").as_slice());
}

#[test]
fn method_claim_is_upper_case() {
    let key = JwtKey::from(key_a());
    let now = UNIX_EPOCH + Duration::from_secs(1_796_412_876);
    let token = bearer_token(&key, &post_request(b"{}"), now, "jti-1").expect("token");
    let claims = segment_json(&token, 1);
    assert_eq!(claims["request-method"], "POST");
    assert_eq!(
        claims["request-resource-path"],
        "/tms/v2/tokens/7030000000012345678/payment-credentials?x=1"
    );
    assert_eq!(claims["exp"], 1_796_412_996);
}

#[test]
fn small_rsa_key_is_rejected() {
    let result = RsaJwtKey::from_der(&pem_private_key("key-small"), pem_certificate("key-a"));
    assert_eq!(result.err(), Some(JwtError::KeyTooSmall { bits: 1024 }));
}

#[test]
fn certificate_of_other_key_is_rejected() {
    let result = RsaJwtKey::from_der(&pem_private_key("key-b"), pem_certificate("key-a"));
    assert_eq!(result.err(), Some(JwtError::CertificateKeyMismatch));
}

#[test]
fn invalid_inputs_are_rejected() {
    let certificate = pem_certificate("key-a");
    let garbage = RsaJwtKey::from_der(b"not a key", certificate.clone());
    assert_eq!(garbage.err(), Some(JwtError::InvalidPrivateKey));

    let bad_certificate =
        RsaJwtKey::from_der(&pem_private_key("key-a"), b"not a certificate".to_vec());
    assert!(matches!(
        bad_certificate,
        Err(JwtError::InvalidCertificate { .. })
    ));

    let mut trailing = certificate;
    trailing.push(0);
    let trailing_bytes = RsaJwtKey::from_der(&pem_private_key("key-a"), trailing);
    assert!(matches!(
        trailing_bytes,
        Err(JwtError::InvalidCertificate { .. })
    ));
}

#[test]
fn debug_output_hides_secrets() {
    let secret_text = "dGVzdC1vbmx5LXNoYXJlZC1zZWNyZXQtMzItYnl0ZXMhIQ==";
    let secret = SharedSecret::from_base64(secret_text).expect("secret");
    let hmac_key = JwtKey::from(HmacJwtKey::new("key-1", secret).expect("key"));
    let rsa_key = JwtKey::from(key_a());
    let body = br#"{"orderInformation":{"billTo":{"firstName":"Jane"}}}"#;

    let printed = format!("{hmac_key:?} {rsa_key:?} {:?}", post_request(body));

    assert!(!printed.contains(secret_text), "{printed}");
    assert!(!printed.contains("test-only"), "{printed}");
    assert!(!printed.contains("Jane"), "{printed}");
    assert!(
        printed.contains("4f1d2c3b5a6978807f6e5d4c3b2a1908"),
        "{printed}"
    );
}

#[test]
fn get_without_body_has_no_digest() {
    let key = JwtKey::from(key_a());
    let request = JwtRequest {
        method: "GET",
        body: b"",
        ..post_request(b"")
    };
    let token = bearer_token(&key, &request, UNIX_EPOCH, "jti-1").expect("token");
    let claims = segment_json(&token, 1);
    assert!(claims.get("digest").is_none(), "{claims}");
    assert!(claims.get("digestAlgorithm").is_none(), "{claims}");
}

#[test]
fn legacy_token_structure() {
    let key = key_a();
    let body = br#"{"paymentCredentialType":"CRYPTOGRAM"}"#;
    let now = UNIX_EPOCH + Duration::from_secs(1_796_412_876);

    let token = legacy_bearer_token(&key, &post_request(body), now).expect("legacy token");

    let header = segment_json(&token, 0);
    let expected_header = serde_json::json!({
        "alg": "RS256",
        "v-c-merchant-id": "demo_merchant_01",
        "x5c": [STANDARD.encode(pem_certificate("key-a"))],
    });
    assert_eq!(header, expected_header);

    let claims = segment_json(&token, 1);
    let expected_claims = serde_json::json!({
        "digest": jwt::body_digest(body),
        "digestAlgorithm": "SHA-256",
        "iat": "Fri, 04 Dec 2026 19:34:36 GMT",
    });
    assert_eq!(claims, expected_claims);
}

#[test]
fn legacy_token_verifies_with_certificate() {
    let key = key_a();
    let now = UNIX_EPOCH + Duration::from_secs(1_796_412_876);
    let token = legacy_bearer_token(&key, &post_request(b"{}"), now).expect("legacy token");

    let decoding_key = DecodingKey::from_rsa_der(&spki_der(&pem_certificate("key-a")));
    assert_eq!(
        verify_signature(&token, &decoding_key, Algorithm::RS256),
        Ok(())
    );

    let other_key = DecodingKey::from_rsa_der(&spki_der(&pem_certificate("key-b")));
    assert!(verify_signature(&token, &other_key, Algorithm::RS256).is_err());
}

#[test]
fn legacy_get_has_only_iat() {
    let request = JwtRequest {
        method: "GET",
        ..post_request(b"")
    };
    let token = legacy_bearer_token(&key_a(), &request, UNIX_EPOCH).expect("legacy token");
    let claims = segment_json(&token, 1);
    assert_eq!(
        claims,
        serde_json::json!({ "iat": "Thu, 01 Jan 1970 00:00:00 GMT" })
    );
}

#[test]
fn authorization_header_is_bearer() {
    assert_eq!(jwt::authorization_header_value("a.b.c"), "Bearer a.b.c");
}

/// Tokens from this crate pass the sandbox's verifier, an implementation on jsonwebtoken.
#[tokio::test]
async fn sandbox_accepts_facade_tokens() {
    use cybersource_tms_sandbox::{Sandbox, Token};

    let token_id = "7030000000012345678";
    let shared_secret = "dGVzdC1vbmx5LXNoYXJlZC1zZWNyZXQtMzItYnl0ZXMhIQ==";
    let key_id = "00000000-1111-4222-8333-444444444444";
    let sandbox = Sandbox::builder()
        .merchant_id("demo_merchant_01")
        .key_id(key_id)
        .shared_secret(shared_secret)
        .jwt_certificate(pem_certificate("key-a"))
        .token(Token::visa(token_id))
        .start()
        .await
        .expect("sandbox starts");
    let host = sandbox.addr().to_string();
    let path = format!("/tms/v2/tokens/{token_id}/payment-credentials");
    let body = br#"{"paymentCredentialType":"CRYPTOGRAM"}"#;
    let secret = SharedSecret::from_base64(shared_secret).expect("secret");
    let keys = [
        JwtKey::from(key_a()),
        JwtKey::from(HmacJwtKey::new(key_id, secret).expect("HMAC key")),
    ];

    for key in keys {
        let request = JwtRequest {
            merchant_id: "demo_merchant_01",
            portfolio_id: None,
            host: &host,
            method: "POST",
            path_and_query: &path,
            body,
        };
        let jti = jwt::random_jti().expect("jti");
        let token =
            bearer_token(&key, &request, std::time::SystemTime::now(), &jti).expect("token");
        let response = reqwest::Client::new()
            .post(format!("{}{path}", sandbox.base_url()))
            .header("authorization", jwt::authorization_header_value(&token))
            .header("content-type", "application/json;charset=utf-8")
            .body(body.to_vec())
            .send()
            .await
            .expect("request sent");
        assert_eq!(
            response.status().as_u16(),
            201,
            "{}: {}",
            key.algorithm(),
            response.text().await.unwrap_or_default()
        );
    }
}
