//! Temporary review tests: sandbox JWT verifier bypass attempts.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_lc_rs::{digest, hmac};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use cybersource_tms_sandbox::{Sandbox, Token};
use serde_json::{Value, json};

const NOW: u64 = 1_796_412_876;
const MERCHANT: &str = "demo_merchant_01";
const KEY_ID: &str = "00000000-1111-4222-8333-444444444444";
const SECRET: &str = "dGVzdC1vbmx5LXNoYXJlZC1zZWNyZXQtMzItYnl0ZXMhIQ==";
const TOKEN: &str = "7030000000012345678";
const BODY: &str = r#"{"paymentCredentialType":"CRYPTOGRAM"}"#;

fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(NOW)
}

fn path() -> String {
    format!("/tms/v2/tokens/{TOKEN}/payment-credentials")
}

fn hs256(header: &Value, claims: &Value) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let key = hmac::Key::new(hmac::HMAC_SHA256, &STANDARD.decode(SECRET).unwrap());
    let signature = hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
}

fn hs256_raw(header: &str, claims: &str) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    );
    let key = hmac::Key::new(hmac::HMAC_SHA256, &STANDARD.decode(SECRET).unwrap());
    let signature = hmac::sign(&key, input.as_bytes());
    format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature.as_ref()))
}

fn claims(host: &str) -> Value {
    json!({
        "digest": STANDARD.encode(digest::digest(&digest::SHA256, BODY.as_bytes())),
        "digestAlgorithm": "SHA-256",
        "exp": NOW + 120,
        "iat": NOW,
        "iss": MERCHANT,
        "jti": "3f2b8c1e-4d5a-4e6f-9a7b-0c1d2e3f4a5b",
        "request-host": host,
        "request-method": "POST",
        "request-resource-path": path(),
        "v-c-jwt-version": "2",
        "v-c-merchant-id": MERCHANT,
    })
}

fn header() -> Value {
    json!({"alg": "HS256", "kid": KEY_ID, "typ": "JWT"})
}

async fn sandbox() -> Sandbox {
    Sandbox::builder()
        .merchant_id(MERCHANT)
        .key_id(KEY_ID)
        .shared_secret(SECRET)
        .jwt_certificate(
            std::fs::read(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/vectors/keys/key-a.cert.pem"
            ))
            .unwrap(),
        )
        .clock(now)
        .token(Token::visa(TOKEN))
        .start()
        .await
        .unwrap()
}

async fn send(sandbox: &Sandbox, headers: &[(&str, String)]) -> u16 {
    let mut request = reqwest::Client::new()
        .post(format!("{}{}", sandbox.base_url(), path()))
        .header("content-type", "application/json;charset=utf-8")
        .body(BODY);
    for (name, value) in headers {
        request = request.header(*name, value.clone());
    }
    request.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn review2_sandbox_bypass_attempts() {
    let sandbox = sandbox().await;
    let host = sandbox.addr().to_string();
    let bearer = |token: String| ("authorization", format!("Bearer {token}"));

    let mut results = Vec::new();
    let valid = hs256(&header(), &claims(&host));
    results.push(("valid", send(&sandbox, &[bearer(valid.clone())]).await));
    results.push((
        "replayed same token",
        send(&sandbox, &[bearer(valid.clone())]).await,
    ));

    let mut long = claims(&host);
    long["exp"] = json!(NOW + 10 * 365 * 86400);
    results.push((
        "exp ten years after iat",
        send(&sandbox, &[bearer(hs256(&header(), &long))]).await,
    ));

    let mut old = claims(&host);
    old["iat"] = json!(0);
    old["exp"] = json!(NOW + 60);
    results.push((
        "iat 1970, exp in a minute",
        send(&sandbox, &[bearer(hs256(&header(), &old))]).await,
    ));

    let mut day_old = claims(&host);
    day_old["iat"] = json!(NOW - 86400);
    day_old["exp"] = json!(NOW + 60);
    results.push((
        "iat a day ago",
        send(&sandbox, &[bearer(hs256(&header(), &day_old))]).await,
    ));

    let mut exp_before_iat = claims(&host);
    exp_before_iat["iat"] = json!(NOW + 200);
    exp_before_iat["exp"] = json!(NOW + 100);
    results.push((
        "exp before iat (iat within tolerance)",
        send(&sandbox, &[bearer(hs256(&header(), &exp_before_iat))]).await,
    ));

    let mut empty_jti = claims(&host);
    empty_jti["jti"] = json!("");
    results.push((
        "empty jti",
        send(&sandbox, &[bearer(hs256(&header(), &empty_jti))]).await,
    ));

    let mut no_typ = header();
    no_typ.as_object_mut().unwrap().remove("typ");
    results.push((
        "header without typ",
        send(&sandbox, &[bearer(hs256(&no_typ, &claims(&host)))]).await,
    ));

    let mut typ_other = header();
    typ_other["typ"] = json!("JWE");
    results.push((
        "typ JWE",
        send(&sandbox, &[bearer(hs256(&typ_other, &claims(&host)))]).await,
    ));

    results.push((
        "valid bearer and garbage Signature",
        send(
            &sandbox,
            &[
                bearer(valid.clone()),
                (
                    "signature",
                    "keyid=\"x\", algorithm=\"HmacSHA256\", headers=\"host\", signature=\"AAAA\""
                        .into(),
                ),
            ],
        )
        .await,
    ));
    results.push((
        "two Authorization headers",
        send(&sandbox, &[bearer(valid.clone()), bearer(valid.clone())]).await,
    ));

    // Duplicate JSON members: the sandbox's own parse and jsonwebtoken's parse may disagree.
    let c = claims(&host);
    let dup_claims = format!(
        r#"{{"digest":{},"digestAlgorithm":"SHA-256","exp":{},"iat":{},"iss":"someone_else","iss":"{MERCHANT}","jti":"j","request-host":"{host}","request-method":"POST","request-resource-path":"{}","v-c-jwt-version":"2","v-c-merchant-id":"{MERCHANT}"}}"#,
        c["digest"],
        NOW + 120,
        NOW,
        path()
    );
    results.push((
        "duplicate iss member",
        send(
            &sandbox,
            &[bearer(hs256_raw(&header().to_string(), &dup_claims))],
        )
        .await,
    ));
    let dup_header = format!(r#"{{"alg":"none","alg":"HS256","kid":"{KEY_ID}","typ":"JWT"}}"#);
    results.push((
        "duplicate alg member",
        send(
            &sandbox,
            &[bearer(hs256_raw(&dup_header, &claims(&host).to_string()))],
        )
        .await,
    ));
    let dup_kid = format!(r#"{{"alg":"HS256","kid":"other","kid":"{KEY_ID}","typ":"JWT"}}"#);
    results.push((
        "duplicate kid member",
        send(
            &sandbox,
            &[bearer(hs256_raw(&dup_kid, &claims(&host).to_string()))],
        )
        .await,
    ));

    let mut path_query = claims(&host);
    path_query["request-resource-path"] = json!(format!("{}?x=1", path()));
    results.push((
        "path claim with query, request without",
        send(&sandbox, &[bearer(hs256(&header(), &path_query))]).await,
    ));

    let mut host_upper = claims(&host);
    host_upper["request-host"] = json!(host.replace("127.0.0.1", "localhost"));
    results.push((
        "request-host localhost vs Host 127.0.0.1",
        send(&sandbox, &[bearer(hs256(&header(), &host_upper))]).await,
    ));

    results.push((
        "Host header spoofed to match claim",
        send(
            &sandbox,
            &[
                bearer(hs256(&header(), &host_upper)),
                ("host", host.replace("127.0.0.1", "localhost")),
            ],
        )
        .await,
    ));

    let mut number_merchant = claims(&host);
    number_merchant["v-c-merchant-id"] = json!(MERCHANT.to_uppercase());
    results.push((
        "merchant claim upper case",
        send(&sandbox, &[bearer(hs256(&header(), &number_merchant))]).await,
    ));

    results.push((
        "lowercase bearer scheme",
        send(&sandbox, &[("authorization", format!("bearer {valid}"))]).await,
    ));
    results.push((
        "tab separator",
        send(&sandbox, &[("authorization", format!("Bearer\t{valid}"))]).await,
    ));

    for (name, status) in &results {
        eprintln!("{status}  {name}");
    }
}
