//! End-to-end tests: the client against the local sandbox, over real HTTP on loopback, with
//! the sandbox's own signature checks and JWE encryption.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use cybersource_tms::request::PlatformType;
use cybersource_tms::{
    Client, DecryptionKey, Environment, Error, FixedClock, PaymentCredentialType, TransactionType,
};
use cybersource_tms_sandbox::{Sandbox, Token};

const VISA: &str = "7030000000012345678";
const AMEX: &str = "7030000000087654321";
const DELETED: &str = "A560EECDED74936DE0533F36CF0ACEBC";

async fn sandbox() -> Sandbox {
    Sandbox::builder()
        .token(Token::visa(VISA))
        .token(Token::american_express(AMEX))
        .token(Token::visa(DELETED).deleted())
        .start()
        .await
        .expect("sandbox starts")
}

fn client_for(sandbox: &Sandbox) -> Client {
    builder_for(sandbox).build().expect("client builds")
}

fn builder_for(sandbox: &Sandbox) -> cybersource_tms::ClientBuilder {
    Client::builder()
        .environment(Environment::BaseUrl(sandbox.base_url().to_string()))
        .http_signature(
            sandbox.merchant_id(),
            sandbox.key_id(),
            sandbox.shared_secret(),
        )
}

fn key_for(sandbox: &Sandbox) -> DecryptionKey {
    DecryptionKey::from_pem_str(sandbox.decryption_key_pem().expect("throwaway key"))
        .expect("sandbox key loads")
}

fn api_status(error: &Error) -> u16 {
    match error {
        Error::Api(api) => api.status.as_u16(),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn v2_cryptogram_decrypts() {
    let sandbox = sandbox().await;

    let response = client_for(&sandbox)
        .payment_credentials(VISA)
        .payment_credential_type(PaymentCredentialType::Cryptogram)
        .send()
        .await
        .expect("call succeeds");
    assert!(response.correlation_id().is_some());
    let credentials = response.decrypt(&key_for(&sandbox)).expect("decrypts");

    let card = credentials.tokenized_card.as_ref().expect("tokenized card");
    assert_eq!(
        card.number.as_ref().map(|n| n.expose()),
        Some("4895370000001237")
    );
    assert!(card.cryptogram.is_some());
    assert!(card.security_code.is_none());
    let links = credentials.links.as_ref().expect("links");
    assert_eq!(
        links
            .self_link
            .as_ref()
            .and_then(|link| link.href.as_deref()),
        Some("/tms/v2/tokens/7030000000012345678/payment-credentials")
    );
}

#[tokio::test]
async fn v3_amex_security_code_decrypts() {
    let sandbox = sandbox().await;

    let credentials = client_for(&sandbox)
        .payment_credentials_v3(AMEX)
        .send()
        .await
        .expect("call succeeds")
        .decrypt(&key_for(&sandbox))
        .expect("decrypts");

    let card = credentials.tokenized_card.as_ref().expect("tokenized card");
    assert!(card.security_code.is_some());
    assert!(card.cryptogram.is_none());
    assert!(
        credentials
            .links
            .as_ref()
            .and_then(|l| l.customer.as_ref())
            .is_some()
    );
}

#[tokio::test]
async fn each_call_mints_new_cryptogram() {
    let sandbox = sandbox().await;
    let client = client_for(&sandbox);
    let key = key_for(&sandbox);
    let mut cryptograms = Vec::new();

    for _ in 0..2 {
        let credentials = client
            .payment_credentials(VISA)
            .send()
            .await
            .unwrap()
            .decrypt(&key)
            .unwrap();
        let card = credentials.tokenized_card.expect("tokenized card");
        cryptograms.push(card.cryptogram.expect("cryptogram").expose().to_string());
    }

    assert_ne!(cryptograms[0], cryptograms[1]);
}

#[tokio::test]
async fn sandbox_records_signed_request() {
    let sandbox = sandbox().await;

    client_for(&sandbox)
        .payment_credentials(VISA)
        .profile_id("93B32398-AD51-4CC2-A682-EA3E93614EB1")
        .device_information(cybersource_tms::request::DeviceInformation {
            platform_type: Some(PlatformType::Android),
            ..Default::default()
        })
        .send()
        .await
        .expect("call succeeds");

    let requests = sandbox.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.status.as_u16(), 201);
    assert_eq!(
        request.path_and_query,
        "/tms/v2/tokens/7030000000012345678/payment-credentials"
    );
    assert_eq!(
        request.header("profile-id"),
        Some("93B32398-AD51-4CC2-A682-EA3E93614EB1")
    );
    assert_eq!(request.header("api-version"), None);
    assert_eq!(
        request.body,
        br#"{"deviceInformation":{"platformType":"ANDROID"}}"#
    );
}

#[tokio::test]
async fn wrong_secret_gets_401() {
    let sandbox = sandbox().await;
    let client = Client::builder()
        .environment(Environment::BaseUrl(sandbox.base_url().to_string()))
        .http_signature(sandbox.merchant_id(), sandbox.key_id(), "d3Jvbmcgc2VjcmV0")
        .build()
        .unwrap();

    let error = client.payment_credentials(VISA).send().await.unwrap_err();

    assert_eq!(api_status(&error), 401);
    let Error::Api(api) = &error else {
        unreachable!()
    };
    assert_eq!(api.message(), Some("Authentication Failed"));
}

#[tokio::test]
async fn stale_date_gets_401() {
    let sandbox = sandbox().await;
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    let client = builder_for(&sandbox)
        .clock(Arc::new(FixedClock(an_hour_ago)))
        .build()
        .unwrap();

    let error = client.payment_credentials(VISA).send().await.unwrap_err();

    assert_eq!(api_status(&error), 401);
}

#[tokio::test]
async fn unknown_token_gets_404() {
    let sandbox = sandbox().await;

    let error = client_for(&sandbox)
        .payment_credentials("7030000000099999999")
        .send()
        .await
        .unwrap_err();

    assert_eq!(api_status(&error), 404);
    let Error::Api(api) = &error else {
        unreachable!()
    };
    assert_eq!(api.error_type(), Some("notFound"));
}

#[tokio::test]
async fn deleted_token_gets_410() {
    let sandbox = sandbox().await;

    let error = client_for(&sandbox)
        .payment_credentials_v3(DELETED)
        .send()
        .await
        .unwrap_err();

    assert_eq!(api_status(&error), 410);
    let Error::Api(api) = &error else {
        unreachable!()
    };
    assert_eq!(api.error_type(), Some("notAvailable"));
}

#[tokio::test]
async fn token_deleted_while_running_gets_410() {
    let sandbox = sandbox().await;
    let client = client_for(&sandbox);
    client
        .payment_credentials(VISA)
        .send()
        .await
        .expect("active at first");

    assert!(sandbox.tokens().delete(VISA));
    let error = client.payment_credentials(VISA).send().await.unwrap_err();

    assert_eq!(api_status(&error), 410);
}

#[tokio::test]
async fn unknown_enum_value_gets_400_naming_field() {
    let sandbox = sandbox().await;

    let error = client_for(&sandbox)
        .payment_credentials(VISA)
        .payment_credential_type(PaymentCredentialType::Unknown("QUANTUM".into()))
        .send()
        .await
        .unwrap_err();

    assert_eq!(api_status(&error), 400);
    let Error::Api(api) = &error else {
        unreachable!()
    };
    let body = api.body.as_ref().expect("JSON body");
    let detail_names: Vec<_> = body
        .errors
        .iter()
        .flat_map(|item| item.details.iter())
        .filter_map(|detail| detail.name.as_deref())
        .collect();
    assert_eq!(detail_names, ["paymentCredentialType"]);
}

#[tokio::test]
async fn amex_cryptogram_gets_400() {
    let sandbox = sandbox().await;

    let error = client_for(&sandbox)
        .payment_credentials(AMEX)
        .payment_credential_type(PaymentCredentialType::Cryptogram)
        .send()
        .await
        .unwrap_err();

    assert_eq!(api_status(&error), 400);
    let Error::Api(api) = &error else {
        unreachable!()
    };
    assert_eq!(api.error_type(), Some("invalidCombination"));
}

#[tokio::test]
async fn aft_with_visa_cryptogram_succeeds() {
    let sandbox = sandbox().await;

    let response = client_for(&sandbox)
        .payment_credentials(VISA)
        .payment_credential_type(PaymentCredentialType::Cryptogram)
        .transaction_type(TransactionType::Aft)
        .send()
        .await;

    assert!(response.is_ok(), "{response:?}");
}

#[tokio::test]
async fn wrong_decryption_key_fails_cleanly() {
    let sandbox = sandbox().await;
    let other_key = DecryptionKey::from_pem_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/keys/key-b.pkcs8.pem"
    ))
    .unwrap();

    let error = client_for(&sandbox)
        .payment_credentials(VISA)
        .send()
        .await
        .unwrap()
        .decrypt(&other_key)
        .unwrap_err();

    assert_eq!(
        error.jwe_kind(),
        Some(cybersource_tms::JweErrorKind::DecryptionFailed),
        "{error:?}"
    );
    assert!(error.correlation_id().is_some(), "{error:?}");
}

#[tokio::test]
async fn rotation_selects_key_by_kid() {
    use cybersource_tms::DecryptionKeys;

    let sandbox = sandbox().await;
    let old_key = DecryptionKey::from_pem_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/keys/key-b.pkcs8.pem"
    ))
    .unwrap();
    let response = client_for(&sandbox)
        .payment_credentials(VISA)
        .send()
        .await
        .unwrap();
    let kid = response
        .jwe()
        .and_then(|jwe| jwe.header().kid())
        .map(str::to_string);
    assert_eq!(kid.as_deref(), Some(sandbox.encryption_key_id()));

    let in_order = DecryptionKeys::new()
        .with_key(old_key.clone())
        .with_key(key_for(&sandbox));
    let by_kid = DecryptionKeys::new()
        .with_key(old_key.clone().with_kid("old-key"))
        .with_key(key_for(&sandbox).with_kid(sandbox.encryption_key_id()));
    let no_match = DecryptionKeys::new()
        .with_key(old_key.with_kid("old-key"))
        .with_key(key_for(&sandbox).with_kid("retired-key"));

    assert!(response.decrypt(&in_order).is_ok());
    assert!(response.decrypt(&by_kid).is_ok());
    assert_eq!(
        response.decrypt(&no_match).unwrap_err().jwe_kind(),
        Some(cybersource_tms::JweErrorKind::KeyIdMismatch)
    );
}
