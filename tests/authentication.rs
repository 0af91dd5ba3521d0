//! Every authentication mode end to end against the sandbox: HTTP Signature and JWT (RS256,
//! HS256, legacy), with and without a meta key, and the rejections the sandbox must give.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cybersource_tms::{
    Client, DecryptionKey, Environment, Error, FixedClock, HttpSignatureCredentials,
    JwtCredentials, KeyErrorKind, Pkcs12Identity,
};
use cybersource_tms_sandbox::{Sandbox, Token};
use serde_json::Value;

const MERCHANT: &str = "demo_merchant_01";
const PORTFOLIO: &str = "demo_portfolio_01";
const TOKEN_ID: &str = "7030000000012345678";

fn key_file(name: &str) -> String {
    format!("{}/tests/vectors/keys/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn read_key_file(name: &str) -> Vec<u8> {
    std::fs::read(key_file(name)).expect("vector key file is readable")
}

fn identity(name: &str) -> Pkcs12Identity {
    Pkcs12Identity::from_file(key_file(name), "test-pass").expect("PKCS#12 file loads")
}

async fn sandbox(portfolio: Option<&str>, certificate: &str) -> Sandbox {
    let mut builder = Sandbox::builder()
        .merchant_id(MERCHANT)
        .jwt_certificate(read_key_file(certificate))
        .token(Token::visa(TOKEN_ID));
    if let Some(portfolio) = portfolio {
        builder = builder.portfolio_id(portfolio);
    }
    builder.start().await.expect("sandbox starts")
}

fn builder(sandbox: &Sandbox) -> cybersource_tms::ClientBuilder {
    Client::builder().environment(Environment::BaseUrl(sandbox.base_url().to_string()))
}

async fn call(client: &Client, sandbox: &Sandbox) -> Result<(), Error> {
    let key = DecryptionKey::from_pem_str(sandbox.decryption_key_pem().expect("throwaway key"))?;
    let credentials = client
        .payment_credentials(TOKEN_ID)
        .send()
        .await?
        .decrypt(&key)?;
    assert!(credentials.tokenized_card.is_some());
    Ok(())
}

fn status(result: Result<(), Error>) -> Option<u16> {
    result
        .err()
        .and_then(|error| error.status())
        .map(|status| status.as_u16())
}

/// Decodes the header and claims of the bearer token the sandbox received last.
fn last_token(sandbox: &Sandbox) -> (Value, Value) {
    let requests = sandbox.requests();
    let authorization = requests
        .last()
        .and_then(|request| request.header("authorization"))
        .expect("an Authorization header was sent")
        .to_string();
    let token = authorization
        .strip_prefix("Bearer ")
        .expect("Bearer scheme");
    let mut parts = token.split('.');
    let mut decode = || -> Value {
        let part = parts.next().expect("token part");
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    };
    (decode(), decode())
}

#[tokio::test]
async fn jwt_rs256_from_pkcs12() {
    let sandbox = sandbox(None, "key-a.cert.pem").await;
    let credentials = JwtCredentials::rs256(MERCHANT, &identity("key-a.p12")).unwrap();
    let client = builder(&sandbox).jwt(credentials).build().unwrap();

    call(&client, &sandbox).await.expect("RS256 is accepted");

    let (header, claims) = last_token(&sandbox);
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], "4f1d2c3b5a6978807f6e5d4c3b2a1908");
    assert_eq!(claims["iss"], MERCHANT);
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        120
    );
    let requests = sandbox.requests();
    let request = requests.last().unwrap();
    assert_eq!(request.header("signature"), None);
    assert_eq!(request.header("digest"), None);
}

#[tokio::test]
async fn jwt_rs256_from_encrypted_pem_and_certificate() {
    use cybersource_tms::RsaSigningKey;
    use cybersource_tms::auth::jwt::{JwtError, RsaJwtKey};
    use rustls_pki_types::CertificateDer;
    use rustls_pki_types::pem::PemObject;

    let sandbox = sandbox(None, "key-a.cert.pem").await;
    let signing_key =
        RsaSigningKey::from_encrypted_pem_file(key_file("key-a.pkcs8-encrypted.pem"), "test-pass")
            .unwrap();
    let certificate = |name: &str| {
        CertificateDer::from_pem_slice(&read_key_file(name))
            .unwrap()
            .to_vec()
    };

    let key = RsaJwtKey::from_signing_key(&signing_key, certificate("key-a.cert.pem")).unwrap();
    let mismatch = RsaJwtKey::from_signing_key(&signing_key, certificate("key-b.cert.pem"));
    let credentials = JwtCredentials::rs256_with_key(MERCHANT, key).unwrap();
    let client = builder(&sandbox).jwt(credentials).build().unwrap();

    assert_eq!(mismatch.unwrap_err(), JwtError::CertificateKeyMismatch);
    call(&client, &sandbox)
        .await
        .expect("RS256 from PEM is accepted");
}

#[tokio::test]
async fn jwt_rs256_from_legacy_pkcs12_file() {
    let sandbox = sandbox(None, "key-a.cert.pem").await;
    let credentials =
        JwtCredentials::rs256_from_pkcs12_file(MERCHANT, key_file("key-a.legacy.p12"), "test-pass")
            .unwrap();
    let client = builder(&sandbox).jwt(credentials).build().unwrap();

    call(&client, &sandbox).await.expect("RS256 is accepted");
}

#[tokio::test]
async fn jwt_hs256_with_shared_secret() {
    let sandbox = sandbox(None, "key-a.cert.pem").await;
    let credentials =
        JwtCredentials::hs256(MERCHANT, sandbox.key_id(), sandbox.shared_secret()).unwrap();
    let client = builder(&sandbox).jwt(credentials).build().unwrap();

    call(&client, &sandbox).await.expect("HS256 is accepted");

    let (header, _) = last_token(&sandbox);
    assert_eq!(header["alg"], "HS256");
    assert_eq!(header["kid"], sandbox.key_id());
}

#[tokio::test]
async fn jwt_each_request_gets_fresh_jti() {
    let sandbox = sandbox(None, "key-a.cert.pem").await;
    let credentials = JwtCredentials::rs256(MERCHANT, &identity("key-a.p12")).unwrap();
    let client = builder(&sandbox).jwt(credentials).build().unwrap();

    call(&client, &sandbox).await.unwrap();
    let (_, first) = last_token(&sandbox);
    call(&client, &sandbox).await.unwrap();
    let (_, second) = last_token(&sandbox);

    assert_ne!(first["jti"], second["jti"]);
}

#[tokio::test]
async fn jwt_meta_key_uses_portfolio_certificate() {
    let sandbox = sandbox(Some(PORTFOLIO), "key-b.cert.pem").await;
    let credentials =
        JwtCredentials::rs256_meta_key(MERCHANT, PORTFOLIO, &identity("key-b.p12")).unwrap();
    let client = builder(&sandbox).jwt(credentials).build().unwrap();

    call(&client, &sandbox).await.expect("meta key is accepted");

    let (header, claims) = last_token(&sandbox);
    assert_eq!(header["kid"], "7a6b5c4d3e2f10987a6b5c4d3e2f1098");
    assert_eq!(claims["iss"], PORTFOLIO);
    assert_eq!(claims["v-c-merchant-id"], MERCHANT);
}

#[tokio::test]
async fn http_signature_meta_key_with_merchant_per_call() {
    let sandbox = sandbox(Some(PORTFOLIO), "key-a.cert.pem").await;
    let credentials = HttpSignatureCredentials::new(
        "another_merchant",
        sandbox.key_id(),
        sandbox.shared_secret(),
    )
    .unwrap()
    .with_portfolio_id(PORTFOLIO)
    .unwrap();
    let client = builder(&sandbox).credentials(credentials).build().unwrap();
    let key = DecryptionKey::from_pem_str(sandbox.decryption_key_pem().unwrap()).unwrap();

    let response = client
        .payment_credentials(TOKEN_ID)
        .merchant_id(MERCHANT)
        .send()
        .await
        .expect("the portfolio signs for the merchant of the call");
    response.decrypt(&key).unwrap();

    let requests = sandbox.requests();
    assert_eq!(
        requests.last().unwrap().header("v-c-merchant-id"),
        Some(MERCHANT)
    );
}

#[tokio::test]
async fn merchant_per_call_is_checked_before_sending() {
    let sandbox = sandbox(None, "key-a.cert.pem").await;
    let client = builder(&sandbox)
        .http_signature(MERCHANT, sandbox.key_id(), sandbox.shared_secret())
        .build()
        .unwrap();

    let error = client
        .payment_credentials(TOKEN_ID)
        .merchant_id("bad\r\nmerchant")
        .send()
        .await
        .unwrap_err();

    assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
    assert!(sandbox.requests().is_empty());
}

#[tokio::test]
async fn other_merchant_without_meta_key_is_rejected() {
    let sandbox = sandbox(None, "key-a.cert.pem").await;
    let credentials = JwtCredentials::rs256(MERCHANT, &identity("key-a.p12")).unwrap();
    let client = builder(&sandbox).jwt(credentials).build().unwrap();

    let error = client
        .payment_credentials(TOKEN_ID)
        .merchant_id("other_merchant")
        .send()
        .await
        .unwrap_err();

    assert!(
        matches!(
            error,
            Error::InvalidInput(cybersource_tms::InvalidInput::MerchantWithoutMetaKey)
        ),
        "{error:?}"
    );
    assert!(sandbox.requests().is_empty());
}

#[tokio::test]
async fn jwt_legacy_format_is_accepted() {
    let sandbox = sandbox(None, "key-a.cert.pem").await;
    let credentials = JwtCredentials::rs256(MERCHANT, &identity("key-a.p12"))
        .unwrap()
        .legacy()
        .unwrap();
    let client = builder(&sandbox).jwt(credentials).build().unwrap();

    call(&client, &sandbox)
        .await
        .expect("the legacy format is accepted");

    let (header, claims) = last_token(&sandbox);
    assert_eq!(header["v-c-merchant-id"], MERCHANT);
    assert!(header["x5c"][0].is_string());
    assert!(claims["iat"].as_str().unwrap().ends_with(" GMT"));
}

#[tokio::test]
async fn jwt_legacy_with_other_certificate_is_rejected() {
    let sandbox = sandbox(None, "key-b.cert.pem").await;
    let credentials = JwtCredentials::rs256(MERCHANT, &identity("key-a.p12"))
        .unwrap()
        .legacy()
        .unwrap();
    let client = builder(&sandbox).jwt(credentials).build().unwrap();

    assert_eq!(status(call(&client, &sandbox).await), Some(401));
}

#[tokio::test]
async fn jwt_legacy_stale_token_is_rejected() {
    let sandbox = sandbox(None, "key-a.cert.pem").await;
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let credentials = JwtCredentials::rs256(MERCHANT, &identity("key-a.p12"))
        .unwrap()
        .legacy()
        .unwrap();
    let client = builder(&sandbox)
        .jwt(credentials)
        .clock(Arc::new(FixedClock(an_hour_ago)))
        .build()
        .unwrap();

    assert_eq!(status(call(&client, &sandbox).await), Some(401));
}

#[tokio::test]
async fn jwt_expired_token_is_rejected() {
    let sandbox = sandbox(None, "key-a.cert.pem").await;
    let ten_minutes_ago = SystemTime::now() - Duration::from_secs(600);
    let credentials = JwtCredentials::rs256(MERCHANT, &identity("key-a.p12")).unwrap();
    let client = builder(&sandbox)
        .jwt(credentials)
        .clock(Arc::new(FixedClock(ten_minutes_ago)))
        .build()
        .unwrap();

    assert_eq!(status(call(&client, &sandbox).await), Some(401));
}

#[tokio::test]
async fn jwt_other_key_is_rejected() {
    let sandbox = sandbox(None, "key-b.cert.pem").await;
    let credentials = JwtCredentials::rs256(MERCHANT, &identity("key-a.p12")).unwrap();
    let client = builder(&sandbox).jwt(credentials).build().unwrap();

    assert_eq!(status(call(&client, &sandbox).await), Some(401));
}

#[tokio::test]
async fn jwt_hs256_wrong_secret_is_rejected() {
    let sandbox = sandbox(None, "key-a.cert.pem").await;
    let credentials =
        JwtCredentials::hs256(MERCHANT, sandbox.key_id(), "d3Jvbmcgc2VjcmV0").unwrap();
    let client = builder(&sandbox).jwt(credentials).build().unwrap();

    assert_eq!(status(call(&client, &sandbox).await), Some(401));
}

#[test]
fn rs256_without_matching_certificate_names_found_cns() {
    let error = JwtCredentials::rs256("someone_else", &identity("key-a.p12")).unwrap_err();

    let Error::Key(key_error) = &error else {
        panic!("expected a key error, got {error:?}");
    };
    assert_eq!(key_error.kind(), KeyErrorKind::EntryNotFound);
    assert!(error.to_string().contains("demo_merchant_01"), "{error}");
}

#[test]
fn rs256_matches_merchant_case_insensitively() {
    assert!(JwtCredentials::rs256("DEMO_MERCHANT_01", &identity("key-a.p12")).is_ok());
}

#[test]
fn rs256_portfolio_needs_meta_key_constructor() {
    let credentials = JwtCredentials::rs256(MERCHANT, &identity("key-a.p12")).unwrap();

    let error = credentials.with_portfolio_id(PORTFOLIO).unwrap_err();

    assert!(error.to_string().contains("rs256_meta_key"), "{error}");
}

#[test]
fn legacy_format_rejects_hs256() {
    let credentials = JwtCredentials::hs256(MERCHANT, "key", "c2VjcmV0").unwrap();

    assert!(matches!(credentials.legacy(), Err(Error::InvalidInput(_))));
}

#[test]
fn jwt_credentials_debug_hides_secrets() {
    let credentials = JwtCredentials::hs256(MERCHANT, "key", "c2VjcmV0LXZhbHVl").unwrap();

    let debug = format!("{credentials:?}");

    assert!(!debug.contains("c2VjcmV0LXZhbHVl"), "{debug}");
    assert!(!debug.contains("secret-value"), "{debug}");
}
