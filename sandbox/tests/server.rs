//! End-to-end tests: signed requests over HTTP to a running sandbox.

use std::time::{Duration, SystemTime};

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use aws_lc_rs::rsa::{OAEP_SHA256_MGF1SHA256, OaepPrivateDecryptingKey, PrivateDecryptingKey};
use aws_lc_rs::{digest, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use cybersource_tms_sandbox::http::StatusCode;
use cybersource_tms_sandbox::{Sandbox, SandboxError, Token};
use rustls_pki_types::PrivatePkcs8KeyDer;
use rustls_pki_types::pem::PemObject;
use serde_json::{Value, json};

const VISA_ID: &str = "7030000000012345678";
const MASTERCARD_ID: &str = "A560EECDED74936DE0533F36CF0ACEBC";
const AMEX_ID: &str = "7030000000087654321";
const AUTH_FAILED: &str = r#"{"response":{"rmsg":"Authentication Failed"}}"#;

/// The credentials and header overrides used to sign one request. The signing code here
/// is written independently of the sandbox's verifier.
struct Signer {
    merchant_id: String,
    signed_merchant_id: String,
    key_id: String,
    secret: Vec<u8>,
    date: SystemTime,
    header_list: String,
}

impl Signer {
    fn for_sandbox(sandbox: &Sandbox) -> Self {
        Self {
            merchant_id: sandbox.merchant_id().to_owned(),
            signed_merchant_id: sandbox.merchant_id().to_owned(),
            key_id: sandbox.key_id().to_owned(),
            secret: STANDARD
                .decode(sandbox.shared_secret())
                .expect("secret is base64"),
            date: SystemTime::now(),
            header_list: "host date request-target digest v-c-merchant-id".to_owned(),
        }
    }

    /// Returns the headers for a POST of `body` to `path` on `host`.
    fn headers(&self, host: &str, path: &str, body: &[u8]) -> Vec<(&'static str, String)> {
        let date = httpdate::fmt_http_date(self.date);
        let digest = format!(
            "SHA-256={}",
            STANDARD.encode(digest::digest(&digest::SHA256, body))
        );
        let text = format!(
            "host: {host}\ndate: {date}\nrequest-target: post {path}\ndigest: {digest}\nv-c-merchant-id: {}",
            self.signed_merchant_id
        );
        let key = hmac::Key::new(hmac::HMAC_SHA256, &self.secret);
        let signature = STANDARD.encode(hmac::sign(&key, text.as_bytes()));
        vec![
            ("v-c-merchant-id", self.merchant_id.clone()),
            ("date", date),
            ("digest", digest),
            (
                "signature",
                format!(
                    r#"keyid="{}", algorithm="HmacSHA256", headers="{}", signature="{signature}""#,
                    self.key_id, self.header_list
                ),
            ),
        ]
    }
}

struct Reply {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("response body is JSON")
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

async fn send_with(
    sandbox: &Sandbox,
    signer: &Signer,
    path: &str,
    signed_body: &[u8],
    sent_body: &[u8],
    content_type: Option<&str>,
) -> Reply {
    let host = sandbox.addr().to_string();
    let client = reqwest::Client::new();
    let mut request = client
        .post(format!("{}{path}", sandbox.base_url()))
        .body(sent_body.to_vec());
    for (name, value) in signer.headers(&host, path, signed_body) {
        request = request.header(name, value);
    }
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.send().await.expect("request sent");
    Reply {
        status: response.status(),
        headers: response.headers().clone(),
        body: response.text().await.expect("response body"),
    }
}

async fn send(sandbox: &Sandbox, path: &str, body: &Value) -> Reply {
    let body = body.to_string();
    let signer = Signer::for_sandbox(sandbox);
    send_with(
        sandbox,
        &signer,
        path,
        body.as_bytes(),
        body.as_bytes(),
        Some("application/json;charset=utf-8"),
    )
    .await
}

fn v2_path(token_id: &str) -> String {
    format!("/tms/v2/tokens/{token_id}/payment-credentials")
}

fn v3_path(token_id: &str) -> String {
    format!("/tms/v3/tokens/{token_id}/payment-credentials")
}

async fn start_with_tokens() -> Sandbox {
    Sandbox::builder()
        .merchant_id("demo_merchant_01")
        .token(Token::visa(VISA_ID))
        .token(Token::mastercard(MASTERCARD_ID))
        .token(Token::american_express(AMEX_ID))
        .start()
        .await
        .expect("sandbox starts")
}

/// Decrypts a compact JWE with an RSA-OAEP-256 / A256GCM private key given as PKCS#8 PEM
/// and returns the protected header and the payload.
fn decrypt(jwe: &str, private_key_pem: &str) -> (Value, Value) {
    let segments: Vec<&str> = jwe.split('.').collect();
    assert_eq!(segments.len(), 5, "compact JWE has five segments");
    let decode = |segment: &str| URL_SAFE_NO_PAD.decode(segment).expect("base64url segment");

    let der = PrivatePkcs8KeyDer::from_pem_slice(private_key_pem.as_bytes()).expect("PEM key");
    let key = PrivateDecryptingKey::from_pkcs8(der.secret_pkcs8_der()).expect("RSA key");
    let key = OaepPrivateDecryptingKey::new(key).expect("OAEP key");
    let mut buffer = vec![0u8; key.min_output_size()];
    let cek = key
        .decrypt(
            &OAEP_SHA256_MGF1SHA256,
            &decode(segments[1]),
            &mut buffer,
            None,
        )
        .expect("content key unwraps");
    assert_eq!(cek.len(), 32);

    let iv: [u8; NONCE_LEN] = decode(segments[2]).try_into().expect("12-byte IV");
    let mut sealed = decode(segments[3]);
    sealed.extend_from_slice(&decode(segments[4]));
    let aead = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, cek).expect("AES key"));
    let plaintext = aead
        .open_in_place(
            Nonce::assume_unique_for_key(iv),
            Aad::from(segments[0].as_bytes()),
            &mut sealed,
        )
        .expect("payload decrypts");

    let header = serde_json::from_slice(&decode(segments[0])).expect("header JSON");
    let payload = serde_json::from_slice(plaintext).expect("payload JSON");
    (header, payload)
}

fn decrypt_reply(sandbox: &Sandbox, reply: &Reply) -> (Value, Value) {
    let pem = sandbox.decryption_key_pem().expect("generated key pair");
    decrypt(&reply.body, pem)
}

fn first_error(reply: &Reply) -> Value {
    reply.json()["errors"][0].clone()
}

#[tokio::test]
async fn cryptogram_for_visa_v2() {
    let sandbox = start_with_tokens().await;
    let reply = send(
        &sandbox,
        &v2_path(VISA_ID),
        &json!({"paymentCredentialType": "CRYPTOGRAM", "transactionType": "ECOM"}),
    )
    .await;

    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        Some("application/jose;charset=utf-8")
    );
    let correlation_id = reply.header("v-c-correlation-id").expect("correlation id");
    assert_eq!(correlation_id.len(), 36);
    assert!(reply.header("uniqueTransactionID").is_some());

    let (header, payload) = decrypt_reply(&sandbox, &reply);
    assert_eq!(
        header,
        json!({"kid": sandbox.encryption_key_id(), "cty": "json", "typ": "JWT",
               "enc": "A256GCM", "alg": "RSA-OAEP-256"})
    );
    assert_eq!(sandbox.encryption_key_id().len(), 40);

    let token = Token::visa(VISA_ID);
    let card = &payload["tokenizedCard"];
    assert_eq!(payload["_links"]["self"]["href"], v2_path(VISA_ID));
    assert_eq!(card["state"], "ACTIVE");
    assert_eq!(card["number"], "4895370000001237");
    assert_eq!(
        card["expirationMonth"],
        token.network_token_expiration_month
    );
    assert_eq!(card["expirationYear"], token.network_token_expiration_year);
    assert_eq!(card["type"], "visa");
    assert_eq!(card["enrollmentId"], token.enrollment_id);
    assert_eq!(card["tokenReferenceId"], token.token_reference_id);
    assert_eq!(card["eci"], "07");
    let cryptogram = card["cryptogram"].as_str().expect("cryptogram");
    assert_eq!(STANDARD.decode(cryptogram).expect("base64").len(), 20);
    assert!(card.get("securityCode").is_none());

    assert_eq!(payload["card"]["number"], "411111XXXXXX1111");
    assert_eq!(payload["card"]["type"], "001");
    assert_eq!(
        payload["issuer"]["paymentAccountReference"],
        token.payment_account_reference
    );
    assert_eq!(payload["processingInformation"]["commerceIndicator"], "vbv");
}

#[tokio::test]
async fn each_call_mints_fresh_cryptogram() {
    let sandbox = start_with_tokens().await;
    let mut cryptograms = Vec::new();
    for _ in 0..2 {
        let reply = send(&sandbox, &v2_path(VISA_ID), &json!({})).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let (_, payload) = decrypt_reply(&sandbox, &reply);
        cryptograms.push(payload["tokenizedCard"]["cryptogram"].clone());
    }
    assert!(cryptograms[0].is_string());
    assert_ne!(cryptograms[0], cryptograms[1]);
}

#[tokio::test]
async fn v3_links_and_network_token_only() {
    let sandbox = start_with_tokens().await;
    let reply = send(
        &sandbox,
        &v3_path(MASTERCARD_ID),
        &json!({"paymentCredentialType": "NETWORK_TOKEN"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);

    let (_, payload) = decrypt_reply(&sandbox, &reply);
    let token = Token::mastercard(MASTERCARD_ID);
    let links = &payload["_links"];
    assert!(links.get("self").is_none());
    assert_eq!(
        links["customer"]["href"],
        format!("/tms/v2/customers/{}", token.customer_id)
    );
    for link in [
        "paymentInstruments",
        "instrumentIdentifier",
        "tokenizedCard",
    ] {
        assert!(links[link]["href"].is_string(), "link {link}");
    }
    let card = payload["tokenizedCard"].as_object().expect("tokenizedCard");
    assert_eq!(card["number"], "5222220000001235");
    assert_eq!(card["type"], "mastercard");
    assert!(!card.contains_key("cryptogram"));
    assert!(!card.contains_key("securityCode"));
    assert_eq!(payload["processingInformation"]["commerceIndicator"], "spa");
}

#[tokio::test]
async fn security_code_for_amex() {
    let sandbox = start_with_tokens().await;
    for body in [json!({"paymentCredentialType": "SECURITY_CODE"}), json!({})] {
        let reply = send(&sandbox, &v2_path(AMEX_ID), &body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        let (_, payload) = decrypt_reply(&sandbox, &reply);
        let code = payload["tokenizedCard"]["securityCode"]
            .as_str()
            .expect("securityCode");
        assert_eq!(code.len(), 4);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        assert!(payload["tokenizedCard"].get("cryptogram").is_none());
        assert_eq!(payload["tokenizedCard"]["type"], "americanexpress");
        assert_eq!(payload["card"]["type"], "003");
        assert_eq!(
            payload["processingInformation"]["commerceIndicator"],
            "aesk"
        );
    }
}

#[tokio::test]
async fn authentication_failures_return_401() {
    let sandbox = start_with_tokens().await;
    let path = v2_path(VISA_ID);
    let body = br#"{"paymentCredentialType":"CRYPTOGRAM"}"#;
    let json = Some("application/json;charset=utf-8");

    let mut wrong_secret = Signer::for_sandbox(&sandbox);
    wrong_secret.secret = b"not the sandbox secret".to_vec();

    let mut wrong_key_id = Signer::for_sandbox(&sandbox);
    wrong_key_id.key_id = "99999999-1111-4222-8333-444444444444".to_owned();

    let mut old_spelling = Signer::for_sandbox(&sandbox);
    old_spelling.header_list = "host date (request-target) digest v-c-merchant-id".to_owned();

    let mut stale_date = Signer::for_sandbox(&sandbox);
    stale_date.date = SystemTime::now() - Duration::from_secs(10 * 60);

    let mut future_date = Signer::for_sandbox(&sandbox);
    future_date.date = SystemTime::now() + Duration::from_secs(10 * 60);

    let mut wrong_merchant = Signer::for_sandbox(&sandbox);
    wrong_merchant.merchant_id = "other_merchant".to_owned();
    wrong_merchant.signed_merchant_id = "other_merchant".to_owned();

    let cases = [
        ("wrong secret", wrong_secret),
        ("wrong key id", wrong_key_id),
        ("(request-target) spelling", old_spelling),
        ("stale date", stale_date),
        ("future date", future_date),
        ("wrong merchant", wrong_merchant),
    ];
    for (name, signer) in cases {
        let reply = send_with(&sandbox, &signer, &path, body, body, json).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{name}");
        assert_eq!(reply.body, AUTH_FAILED, "{name}");
    }

    // The body differs from the one the Digest header was computed for.
    let signer = Signer::for_sandbox(&sandbox);
    let sent = br#"{"paymentCredentialType":"NETWORK_TOKEN"}"#;
    let reply = send_with(&sandbox, &signer, &path, body, sent, json).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "digest mismatch");
    assert_eq!(reply.body, AUTH_FAILED);

    // The signed path differs from the one on the request line.
    let reply = send_with(&sandbox, &signer, &v3_path(VISA_ID), body, body, json).await;
    assert_eq!(reply.status, StatusCode::CREATED, "control");
    let client = reqwest::Client::new();
    let mut request = client
        .post(format!("{}{}", sandbox.base_url(), v3_path(VISA_ID)))
        .header("content-type", "application/json")
        .body(body.to_vec());
    for (name, value) in signer.headers(&sandbox.addr().to_string(), &path, body) {
        request = request.header(name, value);
    }
    let response = request.send().await.expect("request sent");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "path mismatch");

    // No auth headers at all.
    let response = client
        .post(format!("{}{path}", sandbox.base_url()))
        .header("content-type", "application/json")
        .body(body.to_vec())
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "unsigned");
}

#[tokio::test]
async fn invalid_fields_return_400_with_path() {
    let sandbox = start_with_tokens().await;
    let cases = [
        (
            json!({"deviceInformation": {"platformType": "MACOS"}}),
            "deviceInformation.platformType",
        ),
        (
            json!({"paymentCredentialType": "PAN"}),
            "paymentCredentialType",
        ),
        (json!({"unknownField": true}), "unknownField"),
        (
            json!({"orderInformation": {"billTo": {"middleName": "Q"}}}),
            "orderInformation.billTo.middleName",
        ),
        (
            json!({"deviceInformation": {"httpBrowserJavaEnabled": "true"}}),
            "deviceInformation.httpBrowserJavaEnabled",
        ),
        (
            json!({"authenticatedIdentities": [{"userAuthenticationMethod": "RETINA"}]}),
            "authenticatedIdentities[0].userAuthenticationMethod",
        ),
        (json!([]), "body"),
    ];
    for (body, field) in cases {
        let reply = send(&sandbox, &v2_path(VISA_ID), &body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        let error = first_error(&reply);
        assert_eq!(error["type"], "invalidFields", "{body}");
        assert_eq!(
            error["details"],
            json!([{"name": field, "location": "body"}]),
            "{body}"
        );
        assert!(
            error["message"].as_str().is_some_and(|m| m.contains(field)),
            "{body}"
        );
    }
}

#[tokio::test]
async fn malformed_json_returns_400() {
    let sandbox = start_with_tokens().await;
    let signer = Signer::for_sandbox(&sandbox);
    let body = b"{\"paymentCredentialType\":";
    let json = Some("application/json");
    let reply = send_with(&sandbox, &signer, &v2_path(VISA_ID), body, body, json).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let error = first_error(&reply);
    assert_eq!(error["type"], "invalidFields");
    assert_eq!(error["details"][0]["name"], "body");
}

#[tokio::test]
async fn content_type_is_checked() {
    let sandbox = start_with_tokens().await;
    let signer = Signer::for_sandbox(&sandbox);
    let path = v2_path(VISA_ID);
    let body = b"{}";

    let reply = send_with(&sandbox, &signer, &path, body, body, Some("text/plain")).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(first_error(&reply)["type"], "invalidHeaders");
    assert_eq!(first_error(&reply)["details"][0]["name"], "Content-Type");

    let reply = send_with(&sandbox, &signer, &path, body, body, None).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(first_error(&reply)["type"], "missingHeaders");

    let reply = send_with(
        &sandbox,
        &signer,
        &path,
        body,
        body,
        Some("application/json"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

#[tokio::test]
async fn unknown_and_deleted_tokens() {
    let sandbox = start_with_tokens().await;

    let reply = send(&sandbox, &v2_path("0000000000000000000"), &json!({})).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(first_error(&reply)["type"], "notFound");

    assert!(sandbox.tokens().delete(VISA_ID));
    let reply = send(&sandbox, &v2_path(VISA_ID), &json!({})).await;
    assert_eq!(reply.status, StatusCode::GONE);
    assert_eq!(first_error(&reply)["type"], "notAvailable");

    sandbox.tokens().insert(Token::visa(VISA_ID));
    let reply = send(&sandbox, &v2_path(VISA_ID), &json!({})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "reinserted token");

    assert!(sandbox.tokens().remove(VISA_ID).is_some());
    let reply = send(&sandbox, &v2_path(VISA_ID), &json!({})).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "removed token");
}

#[tokio::test]
async fn unknown_route_returns_404() {
    let sandbox = start_with_tokens().await;
    let client = reqwest::Client::new();
    for path in [
        "/tms/v2/customers/ABC",
        "/tms/v1/tokens/ABC/payment-credentials",
        "/tms/v2/tokens/a/b/payment-credentials",
    ] {
        let response = client
            .post(format!("{}{path}", sandbox.base_url()))
            .body("{}")
            .send()
            .await
            .expect("request sent");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let body: Value = response.json().await.expect("JSON body");
        assert_eq!(body["errors"][0]["type"], "notFound", "{path}");
    }

    let response = client
        .get(format!("{}{}", sandbox.base_url(), v2_path(VISA_ID)))
        .send()
        .await
        .expect("request sent");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        response
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok()),
        Some("POST")
    );
}

#[tokio::test]
async fn forbidden_combinations_return_400() {
    let sandbox = start_with_tokens().await;
    let cases = [
        (
            MASTERCARD_ID,
            json!({"paymentCredentialType": "CRYPTOGRAM", "transactionType": "AFT"}),
            vec!["transactionType"],
        ),
        (
            VISA_ID,
            json!({"paymentCredentialType": "NETWORK_TOKEN", "transactionType": "AFT"}),
            vec!["transactionType", "paymentCredentialType"],
        ),
        (
            AMEX_ID,
            json!({"paymentCredentialType": "CRYPTOGRAM"}),
            vec!["paymentCredentialType"],
        ),
        (
            VISA_ID,
            json!({"paymentCredentialType": "SECURITY_CODE"}),
            vec!["paymentCredentialType"],
        ),
    ];
    for (token_id, body, fields) in cases {
        let reply = send(&sandbox, &v2_path(token_id), &body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        let error = first_error(&reply);
        assert_eq!(error["type"], "invalidCombination", "{body}");
        let names: Vec<&str> = error["details"]
            .as_array()
            .expect("details")
            .iter()
            .filter_map(|detail| detail["name"].as_str())
            .collect();
        assert_eq!(names, fields, "{body}");
    }

    let reply = send(
        &sandbox,
        &v2_path(VISA_ID),
        &json!({"paymentCredentialType": "CRYPTOGRAM", "transactionType": "AFT"}),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::CREATED,
        "AFT for Visa: {}",
        reply.body
    );
}

#[tokio::test]
async fn requests_are_recorded() {
    let sandbox = start_with_tokens().await;
    let body = json!({"clientCorrelationId": "corr-1"});
    send(&sandbox, &v2_path(VISA_ID), &body).await;
    send(&sandbox, &v2_path("missing"), &body).await;

    let requests = sandbox.requests();
    assert_eq!(requests.len(), 2);
    let first = &requests[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.path_and_query, v2_path(VISA_ID));
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(first.body, body.to_string().into_bytes());
    assert_eq!(first.body_json().expect("JSON body"), body);
    assert_eq!(first.header("v-c-merchant-id"), Some("demo_merchant_01"));
    assert!(first.header("signature").is_some());
    assert_eq!(requests[1].status, StatusCode::NOT_FOUND);

    sandbox.clear_requests();
    assert!(sandbox.requests().is_empty());
}

#[tokio::test]
async fn oversized_body_returns_413() {
    let sandbox = start_with_tokens().await;
    let padding = "x".repeat(cybersource_tms_sandbox::MAX_BODY_BYTES);
    let body = json!({"clientCorrelationId": padding});
    let reply = send(&sandbox, &v2_path(VISA_ID), &body).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    let recorded = sandbox.requests();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(recorded[0].body.is_empty());
}

#[tokio::test]
async fn configured_public_key_encrypts() {
    let public_pem = include_str!("../../tests/vectors/keys/key-a.public.pem");
    let private_pem = include_str!("../../tests/vectors/keys/key-a.pkcs8.pem");
    let sandbox = Sandbox::builder()
        .encryption_key(public_pem)
        .token(Token::visa(VISA_ID))
        .start()
        .await
        .expect("sandbox starts");
    assert!(sandbox.decryption_key_pem().is_none());

    let reply = send(&sandbox, &v2_path(VISA_ID), &json!({})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let (header, payload) = decrypt(&reply.body, private_pem);
    assert_eq!(header["kid"], sandbox.encryption_key_id());
    assert_eq!(payload["tokenizedCard"]["number"], "4895370000001237");

    // The other test key cannot decrypt it.
    let other_key = include_str!("../../tests/vectors/keys/key-b.pkcs8.pem");
    let der = PrivatePkcs8KeyDer::from_pem_slice(other_key.as_bytes()).expect("PEM key");
    let key = PrivateDecryptingKey::from_pkcs8(der.secret_pkcs8_der()).expect("RSA key");
    let key = OaepPrivateDecryptingKey::new(key).expect("OAEP key");
    let wrapped = URL_SAFE_NO_PAD
        .decode(reply.body.split('.').nth(1).expect("segment"))
        .expect("base64url");
    let mut buffer = vec![0u8; key.min_output_size()];
    assert!(
        key.decrypt(&OAEP_SHA256_MGF1SHA256, &wrapped, &mut buffer, None)
            .is_err()
    );
}

#[tokio::test]
async fn invalid_configuration_fails_start() {
    let result = Sandbox::builder()
        .shared_secret("not base64!")
        .start()
        .await;
    assert!(matches!(result, Err(SandboxError::InvalidSharedSecret)));

    let result = Sandbox::builder().encryption_key("not a key").start().await;
    assert!(matches!(result, Err(SandboxError::InvalidEncryptionKey(_))));

    let private_pem = include_str!("../../tests/vectors/keys/key-a.pkcs8.pem");
    let result = Sandbox::builder().encryption_key(private_pem).start().await;
    assert!(matches!(result, Err(SandboxError::InvalidEncryptionKey(_))));
}

/// Replays a vector case byte for byte: its Host header, its date on a fixed clock, and
/// a token id that needs percent-encoding.
#[tokio::test]
async fn vector_request_replays_with_fixed_clock() {
    let file: Value = serde_json::from_str(include_str!(
        "../../tests/vectors/http-signature-cases.json"
    ))
    .expect("vector JSON");
    let cases = file["cases"].as_array().expect("cases");
    for name in [
        "post_encoded_token_id",
        "post_meta_key",
        "post_v3_production",
    ] {
        let case = cases
            .iter()
            .find(|case| case["name"] == name)
            .expect("vector case");
        let input = &case["input"];
        let headers = &case["expected"]["headers"];
        let text = |value: &Value| value.as_str().expect("string").to_owned();

        let date = httpdate::parse_http_date(&text(&input["date"])).expect("date");
        let path = text(&input["path_and_query"]);
        let token_id = input["raw_token_id"].as_str().map_or_else(
            || {
                let segment = path.split('/').nth(4).expect("token segment");
                segment.to_owned()
            },
            str::to_owned,
        );
        let mut builder = Sandbox::builder()
            .merchant_id(text(&input["merchant_id"]))
            .key_id(text(&input["key_id"]))
            .shared_secret(text(&input["shared_secret"]))
            .clock(move || date)
            .token(Token::visa(token_id));
        if let Some(portfolio_id) = input["portfolio_id"].as_str() {
            builder = builder.portfolio_id(portfolio_id);
        }
        let sandbox = builder.start().await.expect("sandbox starts");

        let client = reqwest::Client::new();
        let mut request = client
            .post(format!("{}{path}", sandbox.base_url()))
            .header("content-type", "application/json;charset=utf-8")
            .body(text(&input["body_utf8"]));
        for (header, value) in headers.as_object().expect("headers") {
            request = request.header(header.as_str(), text(value));
        }
        let response = request.send().await.expect("request sent");
        assert_eq!(response.status(), StatusCode::CREATED, "case {name}");

        let recorded = sandbox.requests();
        assert_eq!(recorded[0].path_and_query, path, "case {name}");
        assert_eq!(
            recorded[0].header("host"),
            headers["host"].as_str(),
            "case {name}"
        );
        sandbox.shutdown().await.expect("clean shutdown");
    }
}

#[tokio::test]
async fn shutdown_stops_listening() {
    let sandbox = Sandbox::start().await.expect("sandbox starts");
    let url = format!("{}/", sandbox.base_url());
    let client = reqwest::Client::new();
    let response = client.get(&url).send().await.expect("server responds");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);

    sandbox.shutdown().await.expect("clean shutdown");
    let fresh_client = reqwest::Client::new();
    assert!(fresh_client.get(&url).send().await.is_err());
}

#[tokio::test]
async fn default_credentials_are_random() {
    let first = Sandbox::start().await.expect("sandbox starts");
    let second = Sandbox::start().await.expect("sandbox starts");
    assert_ne!(first.shared_secret(), second.shared_secret());
    assert_ne!(first.key_id(), second.key_id());
    assert_ne!(first.addr(), second.addr());
    assert_eq!(
        STANDARD
            .decode(first.shared_secret())
            .expect("base64")
            .len(),
        32
    );
    assert_eq!(
        first.merchant_id(),
        cybersource_tms_sandbox::DEFAULT_MERCHANT_ID
    );
    assert!(first.addr().ip().is_loopback());
    assert!(
        first
            .decryption_key_pem()
            .is_some_and(|pem| pem.starts_with("-----BEGIN PRIVATE KEY-----"))
    );
}
