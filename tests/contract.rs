//! Contract tests against httpmock on loopback: the exact request the client sends, and how
//! it handles every documented status and the responses the spec does not describe.

use std::sync::Arc;
use std::time::Duration;

use aws_lc_rs::{digest as sha, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cybersource_tms::{
    Client, DecryptionKey, Environment, Error, FixedClock, JweErrorKind, PaymentCredentialType,
    TransactionType,
};
use httpmock::prelude::*;
use serde_json::{Value, json};

const MERCHANT_ID: &str = "demo_merchant_01";
const KEY_ID: &str = "00000000-1111-4222-8333-444444444444";
const SECRET: &str = "dGVzdC1vbmx5LXNoYXJlZC1zZWNyZXQtMzItYnl0ZXMhIQ==";
const DATE: &str = "Fri, 04 Dec 2026 19:34:36 GMT";
const TOKEN_ID: &str = "7030000000012345678";
const V2_PATH: &str = "/tms/v2/tokens/7030000000012345678/payment-credentials";
const V3_PATH: &str = "/tms/v3/tokens/7030000000012345678/payment-credentials";
const JOSE: &str = "application/jose;charset=utf-8";

fn client(server: &MockServer) -> Client {
    client_builder(server).build().expect("client builds")
}

fn client_builder(server: &MockServer) -> cybersource_tms::ClientBuilder {
    let time = httpdate::parse_http_date(DATE).expect("date parses");
    Client::builder()
        .environment(Environment::BaseUrl(server.base_url()))
        .http_signature(MERCHANT_ID, KEY_ID, SECRET)
        .clock(Arc::new(FixedClock(time)))
}

fn jwe_case(name: &str) -> Value {
    let document: Value =
        serde_json::from_str(include_str!("vectors/jwe-cases.json")).expect("vectors are JSON");
    document["cases"]
        .as_array()
        .expect("cases is an array")
        .iter()
        .find(|case| case["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no JWE case {name}"))
}

fn key_a() -> DecryptionKey {
    DecryptionKey::from_pem_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/keys/key-a.pkcs8.pem"
    ))
    .expect("key A loads")
}

/// Computes the `Digest` and `Signature` the server expects with aws-lc-rs directly, rather
/// than with the crate's signing code.
fn expected_signature(host: &str, path: &str, body: &str) -> (String, String) {
    let digest = format!(
        "SHA-256={}",
        STANDARD.encode(sha::digest(&sha::SHA256, body.as_bytes()))
    );
    let signing_string = format!(
        "host: {host}\ndate: {DATE}\nrequest-target: post {path}\ndigest: {digest}\nv-c-merchant-id: {MERCHANT_ID}"
    );
    let key = hmac::Key::new(hmac::HMAC_SHA256, &STANDARD.decode(SECRET).unwrap());
    let signature = STANDARD.encode(hmac::sign(&key, signing_string.as_bytes()));
    let header = format!(
        "keyid=\"{KEY_ID}\", algorithm=\"HmacSHA256\", headers=\"host date request-target digest v-c-merchant-id\", signature=\"{signature}\""
    );
    (digest, header)
}

fn host(server: &MockServer) -> String {
    format!("127.0.0.1:{}", server.port())
}

#[tokio::test]
async fn v2_request_is_exact_and_signed() {
    let server = MockServer::start_async().await;
    let body = r#"{"paymentCredentialType":"CRYPTOGRAM","transactionType":"ECOM"}"#;
    let (digest, signature) = expected_signature(&host(&server), V2_PATH, body);
    let jwe = jwe_case("jwcrypto_rsa_oaep_256_a256gcm");
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(V2_PATH)
                .header("host", host(&server))
                .header("accept", JOSE)
                .header("content-type", "application/json;charset=utf-8")
                .header("v-c-merchant-id", MERCHANT_ID)
                .header("date", DATE)
                .header("digest", digest.as_str())
                .header("signature", signature.as_str())
                .header_missing("api-version")
                .header_missing("profile-id")
                .header_prefix("user-agent", "cybersource-tms-rust/")
                .body(body);
            then.status(201)
                .header("content-type", JOSE)
                .header("v-c-correlation-id", "corr-123")
                .header("uniqueTransactionID", "utx-456")
                .body(jwe["jwe"].as_str().unwrap());
        })
        .await;

    let response = client(&server)
        .payment_credentials(TOKEN_ID)
        .payment_credential_type(PaymentCredentialType::Cryptogram)
        .transaction_type(TransactionType::Ecom)
        .send()
        .await
        .expect("call succeeds");

    mock.assert_async().await;
    assert_eq!(response.correlation_id(), Some("corr-123"));
    assert_eq!(response.unique_transaction_id(), Some("utx-456"));
    let credentials = response.decrypt(&key_a()).expect("JWE decrypts");
    let expected = &jwe["expected"]["plaintext_json"];
    let raw: Value = serde_json::from_slice(credentials.raw_json().expose_bytes()).unwrap();
    assert_eq!(&raw, expected);
}

#[tokio::test]
async fn only_expected_headers_are_sent() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(V2_PATH).is_true(|request| {
                let allowed = [
                    "host",
                    "accept",
                    "content-type",
                    "content-length",
                    "user-agent",
                    "v-c-merchant-id",
                    "date",
                    "digest",
                    "signature",
                    "profile-id",
                ];
                request
                    .headers()
                    .keys()
                    .all(|name| allowed.contains(&name.as_str()))
            });
            then.status(201)
                .body(jwe_case("handmade_reference")["jwe"].as_str().unwrap());
        })
        .await;

    client(&server)
        .payment_credentials(TOKEN_ID)
        .profile_id("93B32398-AD51-4CC2-A682-EA3E93614EB1")
        .send()
        .await
        .expect("call succeeds");

    mock.assert_async().await;
}

#[tokio::test]
async fn empty_request_sends_empty_object() {
    let server = MockServer::start_async().await;
    let (digest, signature) = expected_signature(&host(&server), V3_PATH, "{}");
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(V3_PATH)
                .header("digest", digest.as_str())
                .header("signature", signature.as_str())
                .body("{}");
            then.status(201)
                .body(jwe_case("handmade_reference")["jwe"].as_str().unwrap());
        })
        .await;

    client(&server)
        .payment_credentials_v3(TOKEN_ID)
        .send()
        .await
        .expect("call succeeds");

    mock.assert_async().await;
}

#[tokio::test]
async fn token_id_is_encoded_and_signed_as_sent() {
    let server = MockServer::start_async().await;
    let path = "/tms/v2/tokens/ABC%2F..%2FDEF%3Fx%231/payment-credentials";
    let (_, signature) = expected_signature(&host(&server), path, "{}");
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(path)
                .header("signature", signature.as_str());
            then.status(201)
                .body(jwe_case("handmade_reference")["jwe"].as_str().unwrap());
        })
        .await;

    client(&server)
        .payment_credentials("ABC/../DEF?x#1")
        .send()
        .await
        .expect("call succeeds");

    mock.assert_async().await;
}

#[tokio::test]
async fn profile_id_is_sent_when_set() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(V2_PATH)
                .header("profile-id", "93B32398-AD51-4CC2-A682-EA3E93614EB1");
            then.status(201)
                .body(jwe_case("handmade_reference")["jwe"].as_str().unwrap());
        })
        .await;

    client(&server)
        .payment_credentials(TOKEN_ID)
        .profile_id("93B32398-AD51-4CC2-A682-EA3E93614EB1")
        .send()
        .await
        .expect("call succeeds");

    mock.assert_async().await;
}

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await;
    let client = client(&server);

    for token_id in ["", ".", "..", r"x\..\..\v3\tokens\OTHER"] {
        let error = client
            .payment_credentials(token_id)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::InvalidInput(_)),
            "{token_id:?}: {error:?}"
        );
    }
    let error = client
        .payment_credentials(TOKEN_ID)
        .profile_id("abc\r\nx-injected: 1")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");

    assert_eq!(mock.calls_async().await, 0);
}

#[tokio::test]
async fn full_request_body_serializes_every_field() {
    use cybersource_tms::request::*;

    let server = MockServer::start_async().await;
    let expected = json!({
        "authenticatedIdentities": [{
            "data": "ZGF0YQ", "id": "aWQ", "provider": "VISA_PAYMENT_PASSKEY",
            "relyingPartyId": "cnA", "userAuthenticationMethod": "BIOMETRIC_FACIAL"
        }],
        "clientCorrelationId": "corr-1",
        "deviceInformation": {
            "httpAcceptContent": "text/html", "httpBrowserColorDepth": "24",
            "httpBrowserJavaEnabled": false, "httpBrowserJavaScriptEnabled": true,
            "httpBrowserLanguage": "en-US", "httpBrowserScreenHeight": "1080",
            "httpBrowserScreenWidth": "1920", "httpBrowserTimeDifference": "-60",
            "ipAddress": "192.0.2.10", "platformType": "WEB", "userAgentBrowserValue": "Mozilla/5.0"
        },
        "merchantInformation": {"merchantDescriptor": {"alternateName": "Alt", "name": "Shop", "url": "https://shop.example"}},
        "orderInformation": {
            "amountDetails": {"currency": "EUR", "totalAmount": "10.00"},
            "billTo": {"address1": "1 Main St", "administrativeArea": "ZH", "country": "CH",
                       "email": "zoe@example.com", "firstName": "Zoë", "lastName": "Muster",
                       "locality": "Zürich", "postalCode": "8001"}
        },
        "paymentCredentialType": "SECURITY_CODE",
        "transactionType": "AFT"
    });
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path(V2_PATH).json_body(expected.clone());
            then.status(201)
                .body(jwe_case("handmade_reference")["jwe"].as_str().unwrap());
        })
        .await;

    client(&server)
        .payment_credentials(TOKEN_ID)
        .payment_credential_type(PaymentCredentialType::SecurityCode)
        .transaction_type(TransactionType::Aft)
        .client_correlation_id("corr-1")
        .amount("10.00", "EUR")
        .bill_to(BillTo {
            address1: Some("1 Main St".into()),
            administrative_area: Some("ZH".into()),
            country: Some("CH".into()),
            email: Some("zoe@example.com".into()),
            first_name: Some("Zoë".into()),
            last_name: Some("Muster".into()),
            locality: Some("Zürich".into()),
            postal_code: Some("8001".into()),
        })
        .merchant_information(MerchantInformation {
            merchant_descriptor: Some(MerchantDescriptor {
                alternate_name: Some("Alt".into()),
                name: Some("Shop".into()),
                url: Some("https://shop.example".into()),
            }),
        })
        .device_information(DeviceInformation {
            http_accept_content: Some("text/html".into()),
            http_browser_color_depth: Some("24".into()),
            http_browser_java_enabled: Some(false),
            http_browser_java_script_enabled: Some(true),
            http_browser_language: Some("en-US".into()),
            http_browser_screen_height: Some("1080".into()),
            http_browser_screen_width: Some("1920".into()),
            http_browser_time_difference: Some("-60".into()),
            ip_address: Some("192.0.2.10".into()),
            platform_type: Some(PlatformType::Web),
            user_agent_browser_value: Some("Mozilla/5.0".into()),
        })
        .authenticated_identity(AuthenticatedIdentity {
            data: Some("ZGF0YQ".into()),
            id: Some("aWQ".into()),
            provider: Some(AuthenticatedIdentityProvider::VisaPaymentPasskey),
            relying_party_id: Some("cnA".into()),
            user_authentication_method: Some(UserAuthenticationMethod::BiometricFacial),
        })
        .send()
        .await
        .expect("call succeeds");

    mock.assert_async().await;
}

/// Mounts one response for every request and returns the error of a v3 call.
async fn error_for(status: u16, content_type: &str, body: &str) -> Error {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(status)
                .header("content-type", content_type)
                .header("v-c-correlation-id", "corr-err")
                .body(body);
        })
        .await;
    client(&server)
        .payment_credentials_v3(TOKEN_ID)
        .send()
        .await
        .expect_err("the call fails")
}

#[tokio::test]
async fn documented_statuses_become_api_errors() {
    let cases = [
        (
            400,
            "invalidFields",
            r#"{"errors":[{"type":"invalidFields","message":"Invalid platformType","details":[{"name":"deviceInformation.platformType","location":"body"}]}]}"#,
        ),
        (
            403,
            "forbidden",
            r#"{"errors":[{"type":"forbidden","message":"Request not permitted"}]}"#,
        ),
        (
            404,
            "notFound",
            r#"{"errors":[{"type":"notFound","message":"Token not found"}]}"#,
        ),
        (
            409,
            "tokenIdConflict",
            r#"{"errors":[{"type":"tokenIdConflict","message":"Conflict"}]}"#,
        ),
        (
            410,
            "notAvailable",
            r#"{"errors":[{"type":"notAvailable","message":"Token deleted"}]}"#,
        ),
        (
            424,
            "notFound",
            r#"{"errors":[{"type":"notFound","message":"Profile not found"}]}"#,
        ),
        (
            500,
            "internalError",
            r#"{"errors":[{"type":"internalError","message":"Try again"}]}"#,
        ),
        (
            502,
            "SYSTEM_ERROR",
            r#"{"status":"SERVER_ERROR","reason":"SYSTEM_ERROR","message":"Error","id":"1"}"#,
        ),
    ];
    for (status, error_type, body) in cases {
        let error = error_for(status, "application/json;charset=utf-8", body).await;

        let Error::Api(api) = &error else {
            panic!("{status}: expected an API error, got {error:?}");
        };
        assert_eq!(api.status.as_u16(), status);
        assert_eq!(api.error_type(), Some(error_type), "{status}");
        assert!(api.message().is_some(), "{status}");
        assert_eq!(error.correlation_id(), Some("corr-err"));
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    }
}

#[tokio::test]
async fn status_401_keeps_gateway_message() {
    let error = error_for(
        401,
        "application/json",
        r#"{"response":{"rmsg":"Authentication Failed"}}"#,
    )
    .await;

    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.status.as_u16(), 401);
    assert_eq!(api.message(), Some("Authentication Failed"));
    assert!(error.to_string().contains("401"), "{error}");
}

#[tokio::test]
async fn html_error_page_keeps_status() {
    let error = error_for(502, "text/html", "<html><body>Bad Gateway</body></html>").await;

    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.status.as_u16(), 502);
    assert!(api.body.is_none());
    assert!(api.snippet.contains("Bad Gateway"));
}

#[tokio::test]
async fn empty_error_body_keeps_status() {
    let error = error_for(404, "application/json", "").await;

    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.status.as_u16(), 404);
    assert!(api.body.is_none());
    assert!(error.to_string().contains("empty body"), "{error}");
}

#[tokio::test]
async fn unknown_status_is_unexpected_response() {
    for status in [200, 302, 418, 503] {
        let error = error_for(status, "text/plain", "maintenance 4111111111111111").await;

        let Error::UnexpectedResponse(response) = &error else {
            panic!("{status}: expected an unexpected response, got {error:?}");
        };
        assert_eq!(response.status.as_u16(), status);
        assert_eq!(response.content_type.as_deref(), Some("text/plain"));
        assert!(!error.to_string().contains("4111111111111111"), "{error}");
    }
}

#[tokio::test]
async fn status_409_on_v2_is_unexpected() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(409).body(r#"{"errors":[{"type":"conflict"}]}"#);
        })
        .await;

    let error = client(&server)
        .payment_credentials(TOKEN_ID)
        .send()
        .await
        .unwrap_err();

    assert!(matches!(error, Error::UnexpectedResponse(_)), "{error:?}");
}

#[tokio::test]
async fn v3_accepts_plain_json_credentials() {
    let server = MockServer::start_async().await;
    let plaintext = jwe_case("handmade_reference")["expected"]["plaintext_json"].to_string();
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201)
                .header("content-type", "application/json")
                .body(plaintext.as_str());
        })
        .await;

    let response = client(&server)
        .payment_credentials_v3(TOKEN_ID)
        .send()
        .await
        .unwrap();

    assert!(response.jwe().is_none());
    let credentials = response
        .decrypt(&key_a())
        .expect("plain credentials pass through");
    let raw: Value = serde_json::from_slice(credentials.raw_json().expose_bytes()).unwrap();
    assert_eq!(raw.to_string(), plaintext);
}

#[tokio::test]
async fn v2_201_without_jwe_is_malformed() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201).body("{}");
        })
        .await;

    let error = client(&server)
        .payment_credentials(TOKEN_ID)
        .send()
        .await
        .unwrap_err();

    assert_eq!(error.jwe_kind(), Some(JweErrorKind::Malformed), "{error:?}");
}

#[tokio::test]
async fn oversized_body_stops_at_limit() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500).body(vec![b'x'; 64 * 1024]);
        })
        .await;
    let client = client_builder(&server)
        .max_response_bytes(1024)
        .build()
        .unwrap();

    let error = client
        .payment_credentials(TOKEN_ID)
        .send()
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::ResponseTooLarge { limit: 1024, .. }),
        "{error:?}"
    );
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn slow_answer_times_out() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201).delay(Duration::from_secs(5)).body("x.y.z");
        })
        .await;
    let client = client_builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let error = client
        .payment_credentials(TOKEN_ID)
        .send()
        .await
        .unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn own_http_client_gets_request_timeout() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201).delay(Duration::from_secs(5)).body("x.y.z");
        })
        .await;
    let client = client_builder(&server)
        .http_client(reqwest::Client::new())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();

    let error = client
        .payment_credentials(TOKEN_ID)
        .send()
        .await
        .unwrap_err();

    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn connection_refused_is_transport_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder()
        .environment(Environment::BaseUrl(format!("http://{address}")))
        .http_signature(MERCHANT_ID, KEY_ID, SECRET)
        .build()
        .unwrap();

    let error = client
        .payment_credentials(TOKEN_ID)
        .send()
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(error.status(), None);
    let text = format!("{error} {error:?}");
    assert!(!text.contains(TOKEN_ID), "{text}");
    assert!(text.to_lowercase().contains("refused"), "{text}");
}

#[test]
fn builder_rejects_bad_secret_without_echo() {
    let secret = "not base64 at all: s3cr3t!";

    let error = Client::builder()
        .http_signature(MERCHANT_ID, KEY_ID, secret)
        .build()
        .unwrap_err();

    assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
    assert!(!error.to_string().contains("s3cr3t"), "{error}");
    assert!(!format!("{error:?}").contains("s3cr3t"), "{error:?}");
}

#[test]
fn builder_requires_credentials() {
    let error = Client::builder().build().unwrap_err();

    assert!(error.to_string().contains("http_signature"), "{error}");
    assert!(error.to_string().contains("jwt"), "{error}");
}

#[test]
fn client_debug_hides_secret() {
    let client = Client::builder()
        .http_signature(MERCHANT_ID, KEY_ID, SECRET)
        .build()
        .unwrap();

    let debug = format!("{client:?}");

    assert!(!debug.contains(SECRET), "{debug}");
    assert!(debug.contains("REDACTED"), "{debug}");
}

#[test]
fn client_is_send_sync_clone() {
    fn assert_traits<T: Send + Sync + Clone + 'static>() {}
    assert_traits::<Client>();
}

#[tokio::test]
async fn redirect_is_not_followed() {
    let server = MockServer::start_async().await;
    let elsewhere = MockServer::start_async().await;
    let collector = elsewhere
        .mock_async(|when, then| {
            when.any_request();
            then.status(201);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(307)
                .header("location", elsewhere.url("/collect"));
        })
        .await;

    let error = client(&server)
        .payment_credentials(TOKEN_ID)
        .send()
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|s| s.as_u16()), Some(307), "{error:?}");
    assert_eq!(collector.calls_async().await, 0);
}

#[tokio::test]
async fn unexpected_success_body_is_withheld() {
    let body = r#"{"tokenizedCard":{"number":"4895370000001237","cryptogram":"AgAAAAAAAIR8CQrXcIhbQAAAAAA=","securityCode":"4321"}}"#;

    let error = error_for(200, "application/json", body).await;

    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains("AgAAAAAAAIR8CQrXcIhbQAAAAAA="), "{text}");
        assert!(!text.contains("4321"), "{text}");
        assert!(text.contains("not shown"), "{text}");
    }
}

#[tokio::test]
async fn api_error_text_is_redacted() {
    let body = r#"{"errors":[{"type":"invalidFields","message":"card 4111 1111 1111 1111 is invalid\nFAKE LOG LINE"}]}"#;

    let error = error_for(400, "application/json", body).await;

    for text in [error.to_string(), format!("{error:?}")] {
        assert!(!text.contains("4111 1111"), "{text}");
        assert!(text.contains("[digits redacted]"), "{text}");
        assert!(!text.contains('\n'), "{text}");
    }
}

#[tokio::test]
async fn clock_before_epoch_fails_without_panic() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(201);
        })
        .await;
    let before_epoch = std::time::UNIX_EPOCH - Duration::from_secs(1);
    let client = client_builder(&server)
        .clock(Arc::new(FixedClock(before_epoch)))
        .build()
        .unwrap();

    let error = client
        .payment_credentials(TOKEN_ID)
        .send()
        .await
        .unwrap_err();

    assert!(error.to_string().contains("before 1970"), "{error}");
    assert_eq!(mock.calls_async().await, 0);
}

#[test]
fn builder_rejects_quote_in_key_id() {
    let error = Client::builder()
        .http_signature(MERCHANT_ID, r#"k",headers="host",x=""#, SECRET)
        .build()
        .unwrap_err();

    assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
}
