//! Every case of `http-signature-cases.json` (made with CyberSource's Python SDK signing code)
//! through the pure signing functions.

use cybersource_tms::auth::http_signature::{
    SigningInput, digest, http_date, method_has_digest, signature, signature_header,
    signed_header_names, signing_string,
};
use serde_json::Value;

fn cases() -> Vec<Value> {
    let text = include_str!("vectors/http-signature-cases.json");
    let document: Value = serde_json::from_str(text).expect("vector file is JSON");
    document["cases"]
        .as_array()
        .expect("cases is an array")
        .clone()
}

fn text<'a>(value: &'a Value, field: &str) -> &'a str {
    value[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} is a string"))
}

#[test]
fn every_case_signs_as_expected() {
    let cases = cases();
    assert!(
        cases.len() >= 9,
        "expected the full vector file, found {} cases",
        cases.len()
    );

    for case in cases {
        let name = text(&case, "name");
        let input = &case["input"];
        let expected = &case["expected"];
        let method = text(input, "method");
        let body = input["body_utf8"].as_str();

        let digest = method_has_digest(method).then(|| digest(body.unwrap_or("").as_bytes()));
        assert_eq!(
            digest.as_deref(),
            expected["digest"].as_str(),
            "{name}: digest"
        );

        let merchant_id = text(input, "merchant_id");
        let signing_input = SigningInput {
            host: text(input, "host"),
            date: text(input, "date"),
            method,
            path_and_query: text(input, "path_and_query"),
            digest: digest.as_deref(),
            signing_merchant_id: input["portfolio_id"].as_str().unwrap_or(merchant_id),
        };
        let signing_string = signing_string(&signing_input);
        assert_eq!(
            signing_string,
            text(expected, "signing_string"),
            "{name}: signing string"
        );

        let secret = base64_decode(text(input, "shared_secret"));
        let signature = signature(&secret, &signing_string);
        assert_eq!(signature, text(expected, "signature"), "{name}: signature");

        let header = signature_header(
            text(input, "key_id"),
            signed_header_names(&signing_input),
            &signature,
        );
        assert_eq!(
            header,
            text(expected, "signature_header"),
            "{name}: Signature header"
        );
        assert_eq!(
            text(&expected["headers"], "signature"),
            header,
            "{name}: headers.signature"
        );
        assert_eq!(
            text(&expected["headers"], "v-c-merchant-id"),
            merchant_id,
            "{name}: v-c-merchant-id"
        );
    }
}

#[test]
fn every_case_date_formats_as_sent() {
    for case in cases() {
        let name = text(&case, "name");
        let date = text(&case["input"], "date");
        let time = httpdate::parse_http_date(date).expect("vector date parses");

        assert_eq!(http_date(time).as_deref(), Some(date), "{name}");
    }
}

#[test]
fn date_outside_format_range_is_none() {
    use std::time::{Duration, UNIX_EPOCH};

    assert_eq!(http_date(UNIX_EPOCH - Duration::from_secs(1)), None);
    assert_eq!(
        http_date(UNIX_EPOCH + Duration::from_secs(253_402_300_800)),
        None
    );
    assert_eq!(
        http_date(UNIX_EPOCH + Duration::from_secs(253_402_300_799)).as_deref(),
        Some("Fri, 31 Dec 9999 23:59:59 GMT")
    );
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .expect("vector secret is base64")
}
