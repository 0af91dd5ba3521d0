//! JWT (`Authorization: Bearer`) authentication over HTTP. Tokens are built here on
//! aws-lc-rs primitives, independently of the sandbox's jsonwebtoken-based verifier, so
//! that tests can also build tokens a correct client never sends.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{RSA_PKCS1_SHA256, RSA_PKCS1_SHA512, RsaEncoding, RsaKeyPair};
use aws_lc_rs::{digest, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use cybersource_tms_sandbox::http::StatusCode;
use cybersource_tms_sandbox::jwt::{BearerRequest, JwtAuthError, JwtCertificate, JwtVerifier};
use cybersource_tms_sandbox::{Sandbox, SandboxError, Token};
use rustls_pki_types::PrivatePkcs8KeyDer;
use rustls_pki_types::pem::PemObject;
use serde_json::{Value, json};

const KEYS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/keys");
const MERCHANT_ID: &str = "demo_merchant_01";
const PORTFOLIO_ID: &str = "demo_portfolio_01";
const KEY_A_KID: &str = "4f1d2c3b5a6978807f6e5d4c3b2a1908";
const KEY_B_KID: &str = "7a6b5c4d3e2f10987a6b5c4d3e2f1098";
const KEY_ID: &str = "00000000-1111-4222-8333-444444444444";
const SHARED_SECRET: &str = "dGVzdC1vbmx5LXNoYXJlZC1zZWNyZXQtMzItYnl0ZXMhIQ==";
const VISA_ID: &str = "7030000000012345678";
const BODY: &str = r#"{"paymentCredentialType":"CRYPTOGRAM","transactionType":"ECOM"}"#;
const AUTH_FAILED: &str = r#"{"response":{"rmsg":"Authentication Failed"}}"#;
/// 2026-12-04T19:34:36Z, the sandbox clock in these tests.
const NOW_SECONDS: u64 = 1_796_412_876;
/// The sandbox's default date tolerance.
const TOLERANCE_SECONDS: u64 = 300;

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW_SECONDS)
}

fn path() -> String {
    format!("/tms/v2/tokens/{VISA_ID}/payment-credentials")
}

fn read_key(file: &str) -> Vec<u8> {
    std::fs::read(format!("{KEYS_DIR}/{file}")).expect("test key file is readable")
}

fn rsa_key(stem: &str) -> RsaKeyPair {
    let der = PrivatePkcs8KeyDer::from_pem_slice(&read_key(&format!("{stem}.pkcs8.pem")))
        .expect("PKCS#8 PEM");
    RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()).expect("RSA key")
}

fn secret() -> Vec<u8> {
    STANDARD.decode(SHARED_SECRET).expect("secret is base64")
}

/// How a test token is signed.
enum Signing {
    Rsa(RsaKeyPair, &'static dyn RsaEncoding),
    Hmac(Vec<u8>, hmac::Algorithm),
    /// No signature segment content, as with `alg` `none`.
    Unsigned,
}

/// Builds a compact JWS from a header and claims as given.
fn sign(header: &Value, claims: &Value, signing: &Signing) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = match signing {
        Signing::Rsa(key, encoding) => {
            let mut signature = vec![0u8; key.public_modulus_len()];
            key.sign(
                *encoding,
                &SystemRandom::new(),
                input.as_bytes(),
                &mut signature,
            )
            .expect("RSA signature");
            signature
        }
        Signing::Hmac(secret, algorithm) => {
            let key = hmac::Key::new(*algorithm, secret);
            hmac::sign(&key, input.as_bytes()).as_ref().to_vec()
        }
        Signing::Unsigned => Vec::new(),
    };
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// Returns a `jti` not used before in this test process.
fn fresh_jti() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let next = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("3f2b8c1e-4d5a-4e6f-9a7b-{next:012x}")
}

/// Builds the claims a correct client sends for a POST of `body` to `path` on `host`.
fn claims(host: &str, path: &str, body: &[u8]) -> Value {
    let digest = STANDARD.encode(digest::digest(&digest::SHA256, body));
    json!({
        "digest": digest,
        "digestAlgorithm": "SHA-256",
        "exp": NOW_SECONDS + 120,
        "iat": NOW_SECONDS,
        "iss": MERCHANT_ID,
        "jti": fresh_jti(),
        "request-host": host,
        "request-method": "POST",
        "request-resource-path": path,
        "v-c-jwt-version": "2",
        "v-c-merchant-id": MERCHANT_ID,
    })
}

fn rs256_header(kid: &str) -> Value {
    json!({"alg": "RS256", "kid": kid, "typ": "JWT"})
}

fn hs256_header(kid: &str) -> Value {
    json!({"alg": "HS256", "kid": kid, "typ": "JWT"})
}

async fn start_sandbox() -> Sandbox {
    Sandbox::builder()
        .merchant_id(MERCHANT_ID)
        .key_id(KEY_ID)
        .shared_secret(SHARED_SECRET)
        .jwt_certificate(read_key("key-a.cert.pem"))
        .clock(now)
        .token(Token::visa(VISA_ID))
        .start()
        .await
        .expect("sandbox starts")
}

struct Reply {
    status: StatusCode,
    body: String,
}

/// Sends a POST of `body` with `Authorization: Bearer <token>` and extra headers.
async fn send(sandbox: &Sandbox, token: &str, body: &str, extra: &[(&str, &str)]) -> Reply {
    let mut request = reqwest::Client::new()
        .post(format!("{}{}", sandbox.base_url(), path()))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json;charset=utf-8")
        .body(body.to_owned());
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("request sent");
    Reply {
        status: response.status(),
        body: response.text().await.expect("response body"),
    }
}

#[tokio::test]
async fn valid_rs256_token_is_accepted() {
    let sandbox = start_sandbox().await;
    let host = sandbox.addr().to_string();
    let token = sign(
        &rs256_header(KEY_A_KID),
        &claims(&host, &path(), BODY.as_bytes()),
        &Signing::Rsa(rsa_key("key-a"), &RSA_PKCS1_SHA256),
    );

    let reply = send(&sandbox, &token, BODY, &[("v-c-merchant-id", MERCHANT_ID)]).await;

    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(sandbox.jwt_certificate_kid(), Some(KEY_A_KID));
}

#[tokio::test]
async fn valid_hs256_token_is_accepted() {
    let sandbox = start_sandbox().await;
    let host = sandbox.addr().to_string();
    let token = sign(
        &hs256_header(KEY_ID),
        &claims(&host, &path(), BODY.as_bytes()),
        &Signing::Hmac(secret(), hmac::HMAC_SHA256),
    );

    let reply = send(&sandbox, &token, BODY, &[]).await;

    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

/// CyberSource's Node SDK sends the method in lower case and names the algorithm claim
/// `digest-algorithm`.
#[tokio::test]
async fn node_sdk_claim_spelling_is_accepted() {
    let sandbox = start_sandbox().await;
    let host = sandbox.addr().to_string();
    let mut node_claims = claims(&host, &path(), BODY.as_bytes());
    let object = node_claims.as_object_mut().expect("claims object");
    object.remove("digestAlgorithm");
    object.insert("digest-algorithm".into(), json!("SHA-256"));
    object.insert("request-method".into(), json!("post"));
    let token = sign(
        &hs256_header(KEY_ID),
        &node_claims,
        &Signing::Hmac(secret(), hmac::HMAC_SHA256),
    );

    let reply = send(&sandbox, &token, BODY, &[]).await;

    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

#[tokio::test]
async fn meta_key_token_uses_portfolio_issuer() {
    let sandbox = Sandbox::builder()
        .merchant_id(MERCHANT_ID)
        .portfolio_id(PORTFOLIO_ID)
        .jwt_certificate(read_key("key-b.cert.pem"))
        .clock(now)
        .token(Token::visa(VISA_ID))
        .start()
        .await
        .expect("sandbox starts");
    let host = sandbox.addr().to_string();
    let key_b = || Signing::Rsa(rsa_key("key-b"), &RSA_PKCS1_SHA256);

    let mut portfolio_claims = claims(&host, &path(), BODY.as_bytes());
    portfolio_claims["iss"] = json!(PORTFOLIO_ID);
    let token = sign(&rs256_header(KEY_B_KID), &portfolio_claims, &key_b());
    let reply = send(&sandbox, &token, BODY, &[]).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);

    let merchant_claims = claims(&host, &path(), BODY.as_bytes());
    let token = sign(&rs256_header(KEY_B_KID), &merchant_claims, &key_b());
    let reply = send(&sandbox, &token, BODY, &[]).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "merchant id as iss");
    assert_eq!(reply.body, AUTH_FAILED);
}

#[tokio::test]
async fn rs256_without_certificate_is_rejected() {
    let sandbox = Sandbox::builder()
        .merchant_id(MERCHANT_ID)
        .clock(now)
        .token(Token::visa(VISA_ID))
        .start()
        .await
        .expect("sandbox starts");
    let host = sandbox.addr().to_string();
    let token = sign(
        &rs256_header(KEY_A_KID),
        &claims(&host, &path(), BODY.as_bytes()),
        &Signing::Rsa(rsa_key("key-a"), &RSA_PKCS1_SHA256),
    );

    let reply = send(&sandbox, &token, BODY, &[]).await;

    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.body, AUTH_FAILED);
    assert_eq!(sandbox.jwt_certificate_kid(), None);
}

#[tokio::test]
async fn invalid_certificate_fails_start() {
    for (name, certificate) in [
        ("garbage", b"not a certificate".to_vec()),
        ("public key PEM", read_key("key-a.public.pem")),
    ] {
        let result = Sandbox::builder()
            .jwt_certificate(certificate)
            .start()
            .await;
        assert!(
            matches!(result, Err(SandboxError::InvalidJwtCertificate(_))),
            "{name}: {result:?}"
        );
    }
}

#[tokio::test]
async fn certificate_as_der_is_accepted() {
    let pem = read_key("key-a.cert.pem");
    let der = rustls_pki_types::CertificateDer::from_pem_slice(&pem).expect("certificate PEM");
    let sandbox = Sandbox::builder()
        .jwt_certificate(der.as_ref())
        .start()
        .await
        .expect("sandbox starts");
    assert_eq!(sandbox.jwt_certificate_kid(), Some(KEY_A_KID));
}

/// One token a correct client never sends, and the check that must reject it.
struct Rejection {
    name: &'static str,
    token: String,
    body: &'static str,
    extra_headers: Vec<(&'static str, &'static str)>,
    expected: JwtAuthError,
}

fn rejections(host: &str) -> Vec<Rejection> {
    let key_a = || Signing::Rsa(rsa_key("key-a"), &RSA_PKCS1_SHA256);
    let shared = || Signing::Hmac(secret(), hmac::HMAC_SHA256);
    let good = || claims(host, &path(), BODY.as_bytes());
    let with = |name: &str, value: Value| {
        let mut claims = good();
        claims[name] = value;
        claims
    };
    let rejection = |name: &'static str, token: String, expected: JwtAuthError| Rejection {
        name,
        token,
        body: BODY,
        extra_headers: Vec::new(),
        expected,
    };
    let certificate_der =
        rustls_pki_types::CertificateDer::from_pem_slice(&read_key("key-a.cert.pem"))
            .expect("certificate PEM")
            .to_vec();

    let mut cases = vec![
        rejection(
            "expired",
            sign(
                &rs256_header(KEY_A_KID),
                &with("exp", json!(NOW_SECONDS - 1)),
                &key_a(),
            ),
            JwtAuthError::Expired,
        ),
        rejection(
            "expires now",
            sign(
                &hs256_header(KEY_ID),
                &with("exp", json!(NOW_SECONDS)),
                &shared(),
            ),
            JwtAuthError::Expired,
        ),
        rejection(
            "issued beyond tolerance ahead",
            sign(
                &rs256_header(KEY_A_KID),
                &{
                    let mut claims = with("iat", json!(NOW_SECONDS + TOLERANCE_SECONDS + 1));
                    claims["exp"] = json!(NOW_SECONDS + TOLERANCE_SECONDS + 121);
                    claims
                },
                &key_a(),
            ),
            JwtAuthError::IssuedInFuture,
        ),
        rejection(
            "lifetime over 120 seconds",
            sign(
                &hs256_header(KEY_ID),
                &with("exp", json!(NOW_SECONDS + 10 * 365 * 86_400)),
                &shared(),
            ),
            JwtAuthError::InvalidLifetime,
        ),
        rejection(
            "issued long ago",
            sign(
                &hs256_header(KEY_ID),
                &{
                    let mut claims = with("iat", json!(0));
                    claims["exp"] = json!(NOW_SECONDS + 60);
                    claims
                },
                &shared(),
            ),
            JwtAuthError::InvalidLifetime,
        ),
        rejection(
            "expires before issued",
            sign(
                &hs256_header(KEY_ID),
                &{
                    let mut claims = with("iat", json!(NOW_SECONDS + 60));
                    claims["exp"] = json!(NOW_SECONDS + 30);
                    claims
                },
                &shared(),
            ),
            JwtAuthError::InvalidLifetime,
        ),
        rejection(
            "empty jti",
            sign(&hs256_header(KEY_ID), &with("jti", json!("")), &shared()),
            JwtAuthError::InvalidClaim("jti"),
        ),
        rejection(
            "wrong RS256 kid",
            sign(&rs256_header(KEY_B_KID), &good(), &key_a()),
            JwtAuthError::UnknownKeyId,
        ),
        rejection(
            "wrong HS256 kid",
            sign(&hs256_header("another-key-id"), &good(), &shared()),
            JwtAuthError::UnknownKeyId,
        ),
        rejection(
            "missing kid",
            sign(&json!({"alg": "HS256", "typ": "JWT"}), &good(), &shared()),
            JwtAuthError::UnknownKeyId,
        ),
        rejection(
            "digest of another body",
            sign(
                &rs256_header(KEY_A_KID),
                &claims(host, &path(), b"{}"),
                &key_a(),
            ),
            JwtAuthError::DigestMismatch,
        ),
        rejection(
            "missing digest",
            sign(
                &hs256_header(KEY_ID),
                &{
                    let mut claims = good();
                    claims.as_object_mut().map(|object| object.remove("digest"));
                    claims
                },
                &shared(),
            ),
            JwtAuthError::InvalidClaim("digest"),
        ),
        rejection(
            "digest algorithm SHA-512",
            sign(
                &hs256_header(KEY_ID),
                &with("digestAlgorithm", json!("SHA-512")),
                &shared(),
            ),
            JwtAuthError::UnsupportedDigestAlgorithm,
        ),
        rejection(
            "signed with key B",
            sign(
                &rs256_header(KEY_A_KID),
                &good(),
                &Signing::Rsa(rsa_key("key-b"), &RSA_PKCS1_SHA256),
            ),
            JwtAuthError::SignatureMismatch,
        ),
        rejection(
            "signed with another secret",
            sign(
                &hs256_header(KEY_ID),
                &good(),
                &Signing::Hmac(b"another secret".to_vec(), hmac::HMAC_SHA256),
            ),
            JwtAuthError::SignatureMismatch,
        ),
        rejection(
            "HS256 keyed with the certificate",
            sign(
                &hs256_header(KEY_A_KID),
                &good(),
                &Signing::Hmac(certificate_der, hmac::HMAC_SHA256),
            ),
            JwtAuthError::UnknownKeyId,
        ),
        rejection(
            "alg none",
            sign(
                &json!({"alg": "none", "kid": KEY_ID, "typ": "JWT"}),
                &good(),
                &Signing::Unsigned,
            ),
            JwtAuthError::UnsupportedAlgorithm,
        ),
        rejection(
            "alg HS512",
            sign(
                &json!({"alg": "HS512", "kid": KEY_ID, "typ": "JWT"}),
                &good(),
                &Signing::Hmac(secret(), hmac::HMAC_SHA512),
            ),
            JwtAuthError::UnsupportedAlgorithm,
        ),
        rejection(
            "alg RS512",
            sign(
                &json!({"alg": "RS512", "kid": KEY_A_KID, "typ": "JWT"}),
                &good(),
                &Signing::Rsa(rsa_key("key-a"), &RSA_PKCS1_SHA512),
            ),
            JwtAuthError::UnsupportedAlgorithm,
        ),
        rejection(
            "critical extension",
            sign(
                &json!({"alg": "HS256", "kid": KEY_ID, "typ": "JWT", "crit": ["exp"]}),
                &good(),
                &shared(),
            ),
            JwtAuthError::UnsupportedCritical,
        ),
        rejection(
            "iss of another merchant",
            sign(
                &rs256_header(KEY_A_KID),
                &with("iss", json!("other_merchant")),
                &key_a(),
            ),
            JwtAuthError::IssuerMismatch,
        ),
        rejection(
            "v-c-merchant-id claim of another merchant",
            sign(
                &hs256_header(KEY_ID),
                &with("v-c-merchant-id", json!("other_merchant")),
                &shared(),
            ),
            JwtAuthError::MerchantMismatch,
        ),
        rejection(
            "request-resource-path of another token",
            sign(
                &rs256_header(KEY_A_KID),
                &with(
                    "request-resource-path",
                    json!("/tms/v2/tokens/7030000000087654321/payment-credentials"),
                ),
                &key_a(),
            ),
            JwtAuthError::PathMismatch,
        ),
        rejection(
            "request-host of another server",
            sign(
                &hs256_header(KEY_ID),
                &with("request-host", json!("apitest.cybersource.com")),
                &shared(),
            ),
            JwtAuthError::HostMismatch,
        ),
        rejection(
            "request-method GET",
            sign(
                &rs256_header(KEY_A_KID),
                &with("request-method", json!("GET")),
                &key_a(),
            ),
            JwtAuthError::MethodMismatch,
        ),
        rejection(
            "v-c-jwt-version 1",
            sign(
                &hs256_header(KEY_ID),
                &with("v-c-jwt-version", json!("1")),
                &shared(),
            ),
            JwtAuthError::UnsupportedVersion,
        ),
        rejection(
            "iat as an HTTP date",
            sign(
                &hs256_header(KEY_ID),
                &with("iat", json!("Fri, 04 Dec 2026 19:34:36 GMT")),
                &shared(),
            ),
            JwtAuthError::InvalidClaim("iat"),
        ),
        rejection(
            "not a JWS",
            "not-a-token".to_owned(),
            JwtAuthError::Malformed,
        ),
    ];

    let mut other_header = rejection(
        "v-c-merchant-id header of another merchant",
        sign(&hs256_header(KEY_ID), &good(), &shared()),
        JwtAuthError::MerchantMismatch,
    );
    other_header.extra_headers = vec![("v-c-merchant-id", "other_merchant")];
    cases.push(other_header);

    let mut other_body = rejection(
        "body changed after signing",
        sign(&rs256_header(KEY_A_KID), &good(), &key_a()),
        JwtAuthError::DigestMismatch,
    );
    other_body.body = r#"{"paymentCredentialType":"NETWORK_TOKEN","transactionType":"ECOM"}"#;
    cases.push(other_body);
    cases
}

fn verifier() -> JwtVerifier {
    fresh_verifier()
}

/// Returns a verifier that has seen no `jti` yet.
fn fresh_verifier() -> JwtVerifier {
    let certificate = JwtCertificate::parse(&read_key("key-a.cert.pem")).expect("certificate");
    JwtVerifier::new(
        MERCHANT_ID,
        None,
        KEY_ID,
        &secret(),
        Some(certificate),
        Duration::from_secs(TOLERANCE_SECONDS),
    )
}

/// Each rejection is checked twice: against the verifier, for the exact reason, and over
/// HTTP, for CyberSource's `401` body.
#[tokio::test]
async fn invalid_tokens_receive_401() {
    let sandbox = start_sandbox().await;
    let host = sandbox.addr().to_string();
    let verifier = verifier();
    let path = path();

    for case in rejections(&host) {
        let authorization = format!("Bearer {}", case.token);
        let merchant_header = case
            .extra_headers
            .iter()
            .find(|(name, _)| *name == "v-c-merchant-id")
            .map(|(_, value)| *value);
        let request = BearerRequest {
            method: "POST",
            path_and_query: &path,
            host: Some(&host),
            merchant_id: merchant_header,
            authorization: &authorization,
            body: case.body.as_bytes(),
        };
        assert_eq!(
            verifier.verify(&request, now()),
            Err(case.expected.clone()),
            "{}",
            case.name
        );

        let reply = send(&sandbox, &case.token, case.body, &case.extra_headers).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", case.name);
        assert_eq!(reply.body, AUTH_FAILED, "{}", case.name);
    }
}

#[tokio::test]
async fn replayed_token_is_rejected() {
    let sandbox = start_sandbox().await;
    let host = sandbox.addr().to_string();
    let token = sign(
        &hs256_header(KEY_ID),
        &claims(&host, &path(), BODY.as_bytes()),
        &Signing::Hmac(secret(), hmac::HMAC_SHA256),
    );

    let first = send(&sandbox, &token, BODY, &[]).await;
    let second = send(&sandbox, &token, BODY, &[]).await;

    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(second.status, StatusCode::UNAUTHORIZED);
    assert_eq!(second.body, AUTH_FAILED);
}

#[tokio::test]
async fn other_authorization_scheme_is_rejected() {
    let sandbox = start_sandbox().await;
    let reply = reqwest::Client::new()
        .post(format!("{}{}", sandbox.base_url(), path()))
        .header("authorization", "Basic ZGVtbzpwYXNz")
        .header("content-type", "application/json;charset=utf-8")
        .body(BODY)
        .send()
        .await
        .expect("request sent");
    assert_eq!(reply.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(reply.text().await.expect("body"), AUTH_FAILED);
}

#[test]
fn verifier_accepts_valid_tokens() {
    let verifier = verifier();
    let host = "127.0.0.1:8443";
    let path = path();
    let tokens = [
        sign(
            &rs256_header(KEY_A_KID),
            &claims(host, &path, BODY.as_bytes()),
            &Signing::Rsa(rsa_key("key-a"), &RSA_PKCS1_SHA256),
        ),
        sign(
            &hs256_header(KEY_ID),
            &claims(host, &path, BODY.as_bytes()),
            &Signing::Hmac(secret(), hmac::HMAC_SHA256),
        ),
    ];
    for token in tokens {
        let authorization = format!("Bearer {token}");
        let request = BearerRequest {
            method: "POST",
            path_and_query: &path,
            host: Some(host),
            merchant_id: Some(MERCHANT_ID),
            authorization: &authorization,
            body: BODY.as_bytes(),
        };
        assert_eq!(verifier.verify(&request, now()), Ok(()));
        let last_second = now() + Duration::from_secs(119);
        assert_eq!(fresh_verifier().verify(&request, last_second), Ok(()));
    }
}
