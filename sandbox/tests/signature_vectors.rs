//! Checks the signature functions against the HTTP Signature vectors, which were made
//! with CyberSource's Python SDK 0.0.80 signing code.

use std::time::{Duration, SystemTime};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cybersource_tms_sandbox::signature::{
    AuthError, SignedRequest, Verifier, compute_signature, digest_header_value, signing_string,
};
use serde_json::Value;

const CASES: &str = include_str!("../../tests/vectors/http-signature-cases.json");

/// One vector case with the values the tests read.
struct Case {
    name: String,
    merchant_id: String,
    portfolio_id: Option<String>,
    key_id: String,
    secret: Vec<u8>,
    method: String,
    path_and_query: String,
    body: Option<String>,
    expected: Value,
}

impl Case {
    fn from_json(case: &Value) -> Self {
        let input = &case["input"];
        let text = |value: &Value| value.as_str().map(str::to_owned);
        Self {
            name: text(&case["name"]).expect("name"),
            merchant_id: text(&input["merchant_id"]).expect("merchant_id"),
            portfolio_id: text(&input["portfolio_id"]),
            key_id: text(&input["key_id"]).expect("key_id"),
            secret: STANDARD
                .decode(input["shared_secret"].as_str().expect("shared_secret"))
                .expect("secret is base64"),
            method: text(&input["method"]).expect("method"),
            path_and_query: text(&input["path_and_query"]).expect("path_and_query"),
            body: text(&input["body_utf8"]),
            expected: case["expected"].clone(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.expected["headers"][name].as_str()
    }

    fn date(&self) -> SystemTime {
        httpdate::parse_http_date(self.header("date").expect("date")).expect("vector date")
    }

    fn verifier(&self) -> Verifier {
        Verifier::new(
            self.merchant_id.clone(),
            self.portfolio_id.clone(),
            self.key_id.clone(),
            &self.secret,
            Duration::from_secs(300),
        )
    }

    fn request(&self) -> SignedRequest<'_> {
        SignedRequest {
            method: &self.method,
            path_and_query: &self.path_and_query,
            host: self.header("host"),
            date: self.header("date"),
            digest: self.header("digest"),
            merchant_id: self.header("v-c-merchant-id"),
            signature: self.header("signature"),
            body: self.body.as_deref().unwrap_or_default().as_bytes(),
        }
    }
}

fn cases() -> Vec<Case> {
    let file: Value = serde_json::from_str(CASES).expect("vector file is JSON");
    let cases: Vec<Case> = file["cases"]
        .as_array()
        .expect("cases array")
        .iter()
        .map(Case::from_json)
        .collect();
    assert!(
        cases.len() >= 9,
        "expected every vector case, found {}",
        cases.len()
    );
    cases
}

#[test]
fn digest_matches_vectors() {
    for case in cases() {
        let expected = case.expected["digest"].as_str();
        let actual = case
            .body
            .as_deref()
            .map(|body| digest_header_value(body.as_bytes()));
        assert_eq!(actual.as_deref(), expected, "case {}", case.name);
    }
}

#[test]
fn signing_string_matches_vectors() {
    for case in cases() {
        let merchant_line = case.portfolio_id.as_deref().unwrap_or(&case.merchant_id);
        let text = signing_string(
            case.header("host").expect("host"),
            case.header("date").expect("date"),
            &case.method,
            &case.path_and_query,
            case.header("digest"),
            merchant_line,
        );
        assert_eq!(
            text,
            case.expected["signing_string"]
                .as_str()
                .expect("signing_string"),
            "case {}",
            case.name
        );
        assert_eq!(
            compute_signature(&case.secret, &text),
            case.expected["signature"].as_str().expect("signature"),
            "case {}",
            case.name
        );
    }
}

#[test]
fn vector_headers_are_accepted() {
    for case in cases() {
        let result = case.verifier().verify(&case.request(), case.date());
        assert_eq!(result, Ok(()), "case {}", case.name);
    }
}

#[test]
fn vector_accepted_at_tolerance_edge() {
    for case in cases() {
        let verifier = case.verifier();
        let late = case.date() + Duration::from_secs(300);
        assert_eq!(
            verifier.verify(&case.request(), late),
            Ok(()),
            "case {}",
            case.name
        );
        let too_late = case.date() + Duration::from_secs(301);
        assert_eq!(
            verifier.verify(&case.request(), too_late),
            Err(AuthError::DateOutOfRange),
            "case {}",
            case.name
        );
    }
}

#[test]
fn changed_header_is_rejected() {
    for case in cases() {
        let verifier = case.verifier();
        let now = case.date();

        let mut request = case.request();
        request.host = Some("api.example.test");
        assert_eq!(
            verifier.verify(&request, now),
            Err(AuthError::SignatureMismatch),
            "host, case {}",
            case.name
        );

        // One second later is inside the tolerance but not what was signed.
        let other_date = httpdate::fmt_http_date(now + Duration::from_secs(1));
        let mut request = case.request();
        request.date = Some(&other_date);
        assert_eq!(
            verifier.verify(&request, now),
            Err(AuthError::SignatureMismatch),
            "date, case {}",
            case.name
        );

        let mut request = case.request();
        request.merchant_id = Some("other_merchant");
        assert_eq!(
            verifier.verify(&request, now),
            Err(AuthError::MerchantMismatch),
            "merchant, case {}",
            case.name
        );

        let other_path = format!("{}x", case.path_and_query);
        let mut request = case.request();
        request.path_and_query = &other_path;
        assert_eq!(
            verifier.verify(&request, now),
            Err(AuthError::SignatureMismatch),
            "path, case {}",
            case.name
        );

        let mut request = case.request();
        request.method = if case.method == "POST" {
            "PUT"
        } else {
            "DELETE"
        };
        assert_eq!(
            verifier.verify(&request, now),
            Err(AuthError::SignatureMismatch),
            "method, case {}",
            case.name
        );

        let signature = case.header("signature").expect("signature");
        let expected = case.expected["signature"].as_str().expect("signature");
        let other_signature = signature.replace(expected, &compute_signature(b"key", "text"));
        assert_ne!(other_signature, signature);
        let mut request = case.request();
        request.signature = Some(&other_signature);
        assert_eq!(
            verifier.verify(&request, now),
            Err(AuthError::SignatureMismatch),
            "signature, case {}",
            case.name
        );
    }
}

#[test]
fn changed_body_is_rejected() {
    for case in cases().into_iter().filter(|case| case.body.is_some()) {
        let verifier = case.verifier();
        let mut request = case.request();
        request.body = b"{\"paymentCredentialType\":\"NETWORK_TOKEN\",\"x\":1}";
        assert_eq!(
            verifier.verify(&request, case.date()),
            Err(AuthError::DigestMismatch),
            "case {}",
            case.name
        );

        // A Digest header recomputed for the new body no longer matches the signature.
        let digest = digest_header_value(request.body);
        request.digest = Some(&digest);
        assert_eq!(
            verifier.verify(&request, case.date()),
            Err(AuthError::SignatureMismatch),
            "case {}",
            case.name
        );
    }
}

#[test]
fn wrong_credentials_are_rejected() {
    for case in cases() {
        let now = case.date();

        let wrong_secret = Verifier::new(
            case.merchant_id.clone(),
            case.portfolio_id.clone(),
            case.key_id.clone(),
            b"another secret of thirty-two bytes",
            Duration::from_secs(300),
        );
        assert_eq!(
            wrong_secret.verify(&case.request(), now),
            Err(AuthError::SignatureMismatch),
            "case {}",
            case.name
        );

        let wrong_key_id = Verifier::new(
            case.merchant_id.clone(),
            case.portfolio_id.clone(),
            "99999999-1111-4222-8333-444444444444",
            &case.secret,
            Duration::from_secs(300),
        );
        assert_eq!(
            wrong_key_id.verify(&case.request(), now),
            Err(AuthError::UnknownKeyId),
            "case {}",
            case.name
        );

        // The meta key case verifies only with the portfolio id configured, and the
        // other cases fail when one is configured.
        let toggled_portfolio = match case.portfolio_id {
            Some(_) => None,
            None => Some("demo_portfolio_01".to_owned()),
        };
        let wrong_portfolio = Verifier::new(
            case.merchant_id.clone(),
            toggled_portfolio,
            case.key_id.clone(),
            &case.secret,
            Duration::from_secs(300),
        );
        assert_eq!(
            wrong_portfolio.verify(&case.request(), now),
            Err(AuthError::SignatureMismatch),
            "case {}",
            case.name
        );
    }
}

#[test]
fn parenthesized_request_target_is_rejected() {
    for case in cases() {
        let signature = case.header("signature").expect("signature");
        let old_spelling = signature.replace("request-target", "(request-target)");
        assert_ne!(old_spelling, signature);
        let mut request = case.request();
        request.signature = Some(&old_spelling);
        assert!(
            matches!(
                case.verifier().verify(&request, case.date()),
                Err(AuthError::WrongHeaderList { .. })
            ),
            "case {}",
            case.name
        );
    }
}

#[test]
fn missing_headers_are_rejected() {
    let case = cases()
        .into_iter()
        .find(|case| case.name == "post_v2_cryptogram")
        .expect("post_v2_cryptogram case");
    let verifier = case.verifier();
    let now = case.date();

    let mut request = case.request();
    request.signature = None;
    assert_eq!(
        verifier.verify(&request, now),
        Err(AuthError::MissingHeader("signature"))
    );
    let mut request = case.request();
    request.date = None;
    assert_eq!(
        verifier.verify(&request, now),
        Err(AuthError::MissingHeader("date"))
    );
    let mut request = case.request();
    request.host = None;
    assert_eq!(
        verifier.verify(&request, now),
        Err(AuthError::MissingHeader("host"))
    );
    let mut request = case.request();
    request.digest = None;
    assert_eq!(
        verifier.verify(&request, now),
        Err(AuthError::MissingHeader("digest"))
    );
    let mut request = case.request();
    request.merchant_id = None;
    assert_eq!(
        verifier.verify(&request, now),
        Err(AuthError::MissingHeader("v-c-merchant-id"))
    );
}

#[test]
fn other_algorithm_is_rejected() {
    let case = cases()
        .into_iter()
        .find(|case| case.name == "post_v2_cryptogram")
        .expect("post_v2_cryptogram case");
    let signature = case
        .header("signature")
        .expect("signature")
        .replace("HmacSHA256", "HmacSHA512");
    let mut request = case.request();
    request.signature = Some(&signature);
    assert_eq!(
        case.verifier().verify(&request, case.date()),
        Err(AuthError::UnsupportedAlgorithm)
    );
}
