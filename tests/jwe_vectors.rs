//! Runs every case of `tests/vectors/jwe-cases.json`, JWEs made by jwcrypto (Python), jose
//! (Node) and by hand, and checks the typed, redacted view of the decrypted credentials.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::{Path, PathBuf};

use cybersource_tms::credentials::{
    PaymentCredentials, TokenSource, TokenState, TokenizedCardType,
};
use cybersource_tms::jose::{
    Compression, ContentEncryption, DEFAULT_MAX_PAYLOAD_BYTES, DecryptOptions, Jwe, JweError,
    JweErrorKind, KeyAlgorithm,
};
use cybersource_tms::keys::{DecryptionKey, DecryptionKeys};
use serde_json::Value;

/// Counts the bytes allocated and not yet freed by the current thread, and their peak, so
/// that a test can show that inflating stops at the limit.
struct ThreadCountingAllocator;

thread_local! {
    static LIVE_BYTES: Cell<isize> = const { Cell::new(0) };
    static PEAK_LIVE_BYTES: Cell<isize> = const { Cell::new(0) };
}

fn record_allocation_change(delta: isize) {
    // `try_with` fails only while the thread is being torn down; those changes are ignored.
    let _ = LIVE_BYTES.try_with(|live| {
        let now = live.get().wrapping_add(delta);
        live.set(now);
        let _ = PEAK_LIVE_BYTES.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged and only
// adds bookkeeping in thread-local cells, which never allocate.
unsafe impl GlobalAlloc for ThreadCountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract, which `System` shares.
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            record_allocation_change(layout.size() as isize);
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` was returned by `alloc` above, that is by `System`.
        unsafe { System.dealloc(pointer, layout) };
        record_allocation_change(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `pointer` was returned by this allocator, that is by `System`.
        let new_pointer = unsafe { System.realloc(pointer, layout, new_size) };
        if !new_pointer.is_null() {
            record_allocation_change(new_size as isize - layout.size() as isize);
        }
        new_pointer
    }
}

#[global_allocator]
static ALLOCATOR: ThreadCountingAllocator = ThreadCountingAllocator;

/// Runs `f` and returns its result with the peak of this thread's live heap bytes above the
/// level at the start.
fn measure_peak_heap<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let start = LIVE_BYTES.with(Cell::get);
    PEAK_LIVE_BYTES.with(|peak| peak.set(start));
    let result = f();
    let peak = PEAK_LIVE_BYTES.with(Cell::get);
    (result, usize::try_from(peak - start).unwrap_or(0))
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

struct Case {
    name: String,
    private_key: String,
    jwe: String,
    expected: Value,
}

fn load_cases() -> Vec<Case> {
    let text = std::fs::read_to_string(vectors_dir().join("jwe-cases.json"))
        .expect("tests/vectors/jwe-cases.json should be readable");
    let document: Value = serde_json::from_str(&text).expect("jwe-cases.json should be JSON");
    let cases = document["cases"]
        .as_array()
        .expect("jwe-cases.json should have a `cases` array");
    cases
        .iter()
        .map(|case| Case {
            name: case["name"].as_str().expect("case name").to_owned(),
            private_key: case["private_key"]
                .as_str()
                .expect("case private_key")
                .to_owned(),
            jwe: case["jwe"].as_str().expect("case jwe").to_owned(),
            expected: case["expected"].clone(),
        })
        .collect()
}

fn find_case(name: &str) -> Case {
    load_cases()
        .into_iter()
        .find(|case| case.name == name)
        .unwrap_or_else(|| panic!("jwe-cases.json has no case named {name}"))
}

fn load_key(relative_path: &str) -> DecryptionKey {
    DecryptionKey::from_pem_file(vectors_dir().join(relative_path))
        .unwrap_or_else(|error| panic!("key {relative_path} should load: {error}"))
}

/// Parses and decrypts a case's JWE with its key, returning the payload as a JSON value.
fn decrypt_case(case: &Case, options: &DecryptOptions) -> Result<Value, JweError> {
    let key = load_key(&case.private_key);
    let jwe = Jwe::parse(&case.jwe)?;
    let payload = jwe.decrypt_payload(&key, options)?;
    Ok(serde_json::from_slice(&payload).expect("a decrypted payload should be JSON"))
}

fn decrypt_credentials(name: &str) -> (Jwe, PaymentCredentials) {
    let case = find_case(name);
    let key = load_key(&case.private_key);
    let jwe = Jwe::parse(&case.jwe).expect("the case's JWE should parse");
    let credentials = jwe.decrypt(&key).expect("the case's JWE should decrypt");
    (jwe, credentials)
}

#[test]
fn every_case_gives_expected_result() {
    let cases = load_cases();
    assert!(
        cases.len() >= 30,
        "expected at least 30 cases, found {}",
        cases.len()
    );

    for case in &cases {
        let result = decrypt_case(case, &DecryptOptions::default());
        if let Some(expected_json) = case.expected.get("plaintext_json") {
            match result {
                Ok(actual) => assert_eq!(&actual, expected_json, "case {}", case.name),
                Err(error) => panic!("case {}: expected plaintext, got error {error}", case.name),
            }
        } else {
            let expected_kind = case.expected["error"]
                .as_str()
                .unwrap_or_else(|| panic!("case {} has neither plaintext nor error", case.name));
            match result {
                Ok(_) => panic!(
                    "case {}: expected error {expected_kind}, got plaintext",
                    case.name
                ),
                Err(error) => assert_eq!(
                    error.kind().as_str(),
                    expected_kind,
                    "case {}: message was {error}",
                    case.name
                ),
            }
        }
    }
}

#[test]
fn every_success_case_parses_as_credentials() {
    for case in load_cases() {
        let Some(expected_json) = case.expected.get("plaintext_json") else {
            continue;
        };
        let key = load_key(&case.private_key);
        let jwe = Jwe::parse(&case.jwe).expect("the case's JWE should parse");
        let credentials = jwe
            .decrypt(&key)
            .unwrap_or_else(|error| panic!("case {}: {error}", case.name));
        let raw = credentials
            .raw_json()
            .to_value()
            .expect("raw JSON should parse");
        assert_eq!(&raw, expected_json, "case {}", case.name);
    }
}

#[test]
fn documented_case_typed_fields() {
    let (_, credentials) = decrypt_credentials("jwcrypto_rsa_oaep_256_a256gcm");

    let links = credentials.links.as_ref().expect("_links");
    let self_link = links.self_link.as_ref().expect("_links.self");
    assert_eq!(
        self_link.href.as_deref(),
        Some("/tms/v2/tokens/7030000000012345678/payment-credentials")
    );

    let token = credentials.tokenized_card.as_ref().expect("tokenizedCard");
    assert_eq!(token.state, Some(TokenState::Active));
    assert_eq!(token.card_type, Some(TokenizedCardType::Visa));
    assert_eq!(token.source, None);
    assert_eq!(
        token.number.as_ref().map(|n| n.expose()),
        Some("4895370000001234")
    );
    assert_eq!(
        token.cryptogram.as_ref().map(|c| c.expose()),
        Some("AwAAAADggP/Ce5+ZciCXQUUAAAA=")
    );
    assert_eq!(
        token.expiration_month.as_ref().map(|m| m.expose()),
        Some("12")
    );
    assert_eq!(
        token.expiration_year.as_ref().map(|y| y.expose()),
        Some("2031")
    );
    assert_eq!(token.eci.as_deref(), Some("05"));
    assert_eq!(token.requestor_id.as_deref(), Some("40010000001"));
    assert_eq!(
        token.enrollment_id.as_deref(),
        Some("e0c6a5f0c2d94a1e9a3c000000000001")
    );
    assert_eq!(
        token.token_reference_id.as_deref(),
        Some("DNITHE000000000000000001")
    );
    assert!(token.security_code.is_none());
    assert!(token.other.is_empty());

    let token_card = token.card.as_ref().expect("tokenizedCard.card");
    assert_eq!(token_card.suffix.as_deref(), Some("1111"));
    assert!(token_card.number.is_none());

    let card = credentials.card.as_ref().expect("card");
    assert_eq!(
        card.number.as_ref().map(|n| n.expose()),
        Some("411111XXXXXX1111")
    );
    assert_eq!(card.card_type.as_deref(), Some("001"));

    let issuer = credentials.issuer.as_ref().expect("issuer");
    assert_eq!(
        issuer.payment_account_reference.as_deref(),
        Some("V0010013019000000000000000001")
    );

    let processing = credentials
        .processing_information
        .as_ref()
        .expect("processingInformation");
    assert_eq!(processing.commerce_indicator.as_deref(), Some("vbv"));
    assert!(processing.authorization_options.is_none());
    assert!(credentials.other.is_empty());
}

#[test]
fn amex_case_has_security_code() {
    let (_, credentials) = decrypt_credentials("jwcrypto_amex_security_code");
    let token = credentials.tokenized_card.as_ref().expect("tokenizedCard");
    assert_eq!(token.card_type, Some(TokenizedCardType::AmericanExpress));
    assert_eq!(
        token.security_code.as_ref().map(|c| c.expose()),
        Some("4321")
    );
    assert!(token.cryptogram.is_none());
    assert_eq!(
        token.number.as_ref().map(|n| n.expose()),
        Some("3700000000001234")
    );

    let debug = format!("{credentials:?}");
    assert!(
        !debug.contains("4321"),
        "Debug shows the security code: {debug}"
    );
    assert!(
        !debug.contains("3700000000001234"),
        "Debug shows the token number: {debug}"
    );
}

#[test]
fn unknown_state_and_fields_kept() {
    let (_, credentials) = decrypt_credentials("jwcrypto_unknown_fields");
    let token = credentials.tokenized_card.as_ref().expect("tokenizedCard");
    assert_eq!(
        token.state,
        Some(TokenState::Unknown("SOME_NEW_STATE".to_owned()))
    );
    assert_eq!(
        token.state.as_ref().map(|s| s.as_str()),
        Some("SOME_NEW_STATE")
    );
    assert_eq!(token.other.expose("futureField"), Some(&Value::from("x")));
    assert_eq!(
        credentials.other.expose("newTopLevelField"),
        Some(&serde_json::json!({ "anything": [1, 2, 3] }))
    );
    assert_eq!(
        credentials.other.keys().collect::<Vec<_>>(),
        ["newTopLevelField"]
    );
}

#[test]
fn open_enums_round_trip_through_serde() {
    let state: TokenState = serde_json::from_str("\"SOME_NEW_STATE\"").expect("state");
    assert_eq!(state, TokenState::Unknown("SOME_NEW_STATE".to_owned()));
    assert_eq!(
        serde_json::to_string(&state).expect("serialize"),
        "\"SOME_NEW_STATE\""
    );

    let source: TokenSource = serde_json::from_str("\"ONFILE\"").expect("source");
    assert_eq!(source, TokenSource::OnFile);
    assert_eq!(
        serde_json::to_string(&source).expect("serialize"),
        "\"ONFILE\""
    );

    let card_type = TokenizedCardType::from("mastercard");
    assert_eq!(card_type, TokenizedCardType::Mastercard);
    assert_eq!(card_type.to_string(), "mastercard");
}

#[test]
fn credentials_debug_is_redacted() {
    let (_, credentials) = decrypt_credentials("jwcrypto_unknown_fields");
    let debug = format!("{credentials:?}");
    let pretty_debug = format!("{credentials:#?}");

    for text in [&debug, &pretty_debug] {
        assert!(
            !text.contains("4895370000001234"),
            "Debug shows the token number: {text}"
        );
        assert!(
            !text.contains("AwAAAADggP"),
            "Debug shows the cryptogram: {text}"
        );
        assert!(
            !text.contains("411111XXXXXX1111"),
            "Debug shows the card number: {text}"
        );
        assert!(
            !text.contains("2031"),
            "Debug shows an expiration year: {text}"
        );
        assert!(
            !text.contains("\"x\""),
            "Debug shows an unknown field's value: {text}"
        );
    }
    assert!(
        debug.contains("…1234"),
        "Debug should keep the last four digits: {debug}"
    );
    assert!(
        debug.contains("futureField"),
        "Debug should name unknown fields: {debug}"
    );
    assert!(!format!("{:?}", credentials.raw_json()).contains('{'));
}

#[test]
fn token_number_masked_to_last_four() {
    let (_, credentials) = decrypt_credentials("jwcrypto_rsa_oaep_256_a256gcm");
    let token = credentials.tokenized_card.as_ref().expect("tokenizedCard");
    let number = token.number.as_ref().expect("tokenizedCard.number");
    assert_eq!(number.masked(), "************1234");
    assert_eq!(number.last_four(), Some("1234"));
    assert_eq!(
        cybersource_tms::credentials::mask_card_number("12345"),
        "*****"
    );
}

#[test]
fn jwe_debug_and_display_hide_token() {
    let case = find_case("jwcrypto_rsa_oaep_256_a256gcm");
    let jwe = Jwe::parse(&case.jwe).expect("JWE should parse");
    let debug = format!("{jwe:?}");
    let display = jwe.to_string();

    for segment in case.jwe.split('.') {
        assert!(
            !debug.contains(segment),
            "Debug shows a JWE segment: {debug}"
        );
        assert!(
            !display.contains(segment),
            "Display shows a JWE segment: {display}"
        );
    }
    assert!(
        debug.contains("RSA-OAEP-256"),
        "Debug should show alg: {debug}"
    );
    assert!(debug.contains("A256GCM"), "Debug should show enc: {debug}");
    assert!(
        debug.contains(&format!("len: {}", case.jwe.len())),
        "Debug: {debug}"
    );
}

#[test]
fn jwe_header_fields_exposed() {
    let case = find_case("jwcrypto_rsa_oaep_256_a256gcm");
    let jwe = Jwe::parse(&case.jwe).expect("JWE should parse");
    let header = jwe.header();
    assert_eq!(header.alg(), KeyAlgorithm::RsaOaep256);
    assert_eq!(header.enc(), ContentEncryption::A256Gcm);
    assert_eq!(header.zip(), None);
    assert_eq!(
        header.kid(),
        Some("8f3a1c0e9b7d4e2f6a5b3c1d0e9f8a7b6c5d4e3f")
    );
    assert_eq!(header.cty(), Some("json"));
    assert_eq!(header.typ(), Some("JWT"));
    assert_eq!(jwe.as_str(), case.jwe);

    let minimal = Jwe::parse(&find_case("jwcrypto_minimal_header").jwe).expect("parse");
    assert_eq!(minimal.header().kid(), None);
    assert_eq!(minimal.header().cty(), None);
    assert_eq!(minimal.header().typ(), None);

    let oaep_sha1 = Jwe::parse(&find_case("node_jose_rsa_oaep_a128gcm").jwe).expect("parse");
    assert_eq!(oaep_sha1.header().alg(), KeyAlgorithm::RsaOaep);
    assert_eq!(oaep_sha1.header().enc(), ContentEncryption::A128Gcm);

    let zipped = Jwe::parse(&find_case("jwcrypto_zip_def").jwe).expect("parse");
    assert_eq!(zipped.header().zip(), Some(Compression::Deflate));
}

#[test]
fn jwe_parse_accepts_surrounding_newline() {
    let case = find_case("jwcrypto_rsa_oaep_256_a256gcm");
    let jwe = Jwe::from_bytes(format!("{}\r\n", case.jwe).as_bytes()).expect("parse");
    assert_eq!(jwe.as_str(), case.jwe);
}

#[test]
fn jwe_parse_rejects_bad_base64url() {
    let case = find_case("jwcrypto_rsa_oaep_256_a256gcm");
    let mut segments: Vec<String> = case.jwe.split('.').map(str::to_owned).collect();
    segments[3].replace_range(0..1, "+");
    let error = Jwe::parse(&segments.join(".")).expect_err("'+' is not base64url");
    assert_eq!(error.kind(), JweErrorKind::Malformed);
    assert!(error.to_string().contains("ciphertext"), "message: {error}");
}

#[test]
fn unsupported_algorithm_message_names_value() {
    let error = Jwe::parse(&find_case("alg_rsa1_5").jwe).expect_err("RSA1_5 is rejected");
    assert_eq!(error.kind(), JweErrorKind::UnsupportedAlgorithm);
    assert!(error.to_string().contains("\"RSA1_5\""), "message: {error}");

    let error = Jwe::parse(&find_case("enc_a128cbc_hs256").jwe).expect_err("CBC is rejected");
    assert!(
        error.to_string().contains("\"A128CBC-HS256\""),
        "message: {error}"
    );
}

#[test]
fn decryption_failures_share_one_message() {
    let names = [
        "wrong_key",
        "tampered_ciphertext",
        "tampered_tag",
        "tampered_protected_header",
        "tampered_encrypted_key",
        "wrong_cek_length",
    ];
    let messages: Vec<String> = names
        .iter()
        .map(|name| {
            let error = decrypt_case(&find_case(name), &DecryptOptions::default())
                .expect_err("the case should fail to decrypt");
            assert_eq!(error.kind(), JweErrorKind::DecryptionFailed, "case {name}");
            error.to_string()
        })
        .collect();

    for (name, message) in names.iter().zip(&messages) {
        assert_eq!(message, &messages[0], "case {name} has a different message");
    }
    assert!(
        messages[0].contains("Business Center"),
        "message: {}",
        messages[0]
    );
}

#[test]
fn inflate_over_limit_stops_early() {
    let case = find_case("inflate_over_limit");
    let key = load_key(&case.private_key);
    let jwe = Jwe::parse(&case.jwe).expect("JWE should parse");
    assert_eq!(
        DecryptOptions::default().max_payload_bytes(),
        DEFAULT_MAX_PAYLOAD_BYTES
    );
    assert_eq!(DEFAULT_MAX_PAYLOAD_BYTES, 1024 * 1024);

    let (result, peak_bytes) = measure_peak_heap(|| jwe.decrypt(&key));
    let error = result.expect_err("64 MiB of output passes the default limit");
    assert_eq!(error.kind(), JweErrorKind::PayloadTooLarge);
    assert!(error.to_string().contains("1048576"), "message: {error}");
    // Inflating everything would allocate 64 MiB. Stopping at the limit needs only the 1 MiB
    // output buffer, its previous half-size copy and the decoder state.
    assert!(
        peak_bytes < 4 * 1024 * 1024,
        "decrypting allocated up to {peak_bytes} bytes at once"
    );
}

#[test]
fn small_custom_limit_rejects_zip_case() {
    let case = find_case("jwcrypto_zip_def");
    let options = DecryptOptions::new().with_max_payload_bytes(100);
    let error = decrypt_case(&case, &options).expect_err("the payload is over 100 bytes");
    assert_eq!(error.kind(), JweErrorKind::PayloadTooLarge);
    assert!(error.to_string().contains("100 bytes"), "message: {error}");

    assert!(decrypt_case(&case, &DecryptOptions::default()).is_ok());
}

#[test]
fn small_custom_limit_rejects_uncompressed_case() {
    let case = find_case("jwcrypto_rsa_oaep_256_a256gcm");
    let options = DecryptOptions::new().with_max_payload_bytes(100);
    let error = decrypt_case(&case, &options).expect_err("the payload is over 100 bytes");
    assert_eq!(error.kind(), JweErrorKind::PayloadTooLarge);
}

#[test]
fn configured_kid_must_match() {
    let case = find_case("jwcrypto_rsa_oaep_256_a256gcm");
    let jwe = Jwe::parse(&case.jwe).expect("JWE should parse");
    let key = load_key(&case.private_key);

    let matching = key
        .clone()
        .with_kid("8f3a1c0e9b7d4e2f6a5b3c1d0e9f8a7b6c5d4e3f");
    assert!(jwe.decrypt(&matching).is_ok());

    let other = key.clone().with_kid("another-key");
    let error = jwe.decrypt(&other).expect_err("the kid differs");
    assert_eq!(error.kind(), JweErrorKind::KeyIdMismatch);
    assert!(
        error.to_string().contains("\"another-key\""),
        "message: {error}"
    );

    // A JWE without `kid` is decrypted with any key.
    let minimal = Jwe::parse(&find_case("jwcrypto_minimal_header").jwe).expect("parse");
    assert!(minimal.decrypt(&other).is_ok());
}

#[test]
fn plain_json_credentials_parse() {
    let json = br#"{"tokenizedCard":{"number":"4895370000001234","state":"ACTIVE"}}"#;
    let credentials = PaymentCredentials::from_json(json).expect("JSON object");
    let token = credentials.tokenized_card.as_ref().expect("tokenizedCard");
    assert_eq!(
        token.number.as_ref().map(|n| n.expose()),
        Some("4895370000001234")
    );
    assert_eq!(credentials.raw_json().expose_bytes(), json);

    let error = PaymentCredentials::from_json(b"[1]").expect_err("not an object");
    assert_eq!(error.kind(), JweErrorKind::InvalidPayload);
}

#[test]
fn error_messages_hide_token() {
    for case in load_cases() {
        let Err(error) = decrypt_case(&case, &DecryptOptions::default()) else {
            continue;
        };
        let message = error.to_string();
        let debug = format!("{error:?}");
        for segment in case.jwe.split('.').filter(|segment| segment.len() >= 8) {
            assert!(!message.contains(segment), "case {}: {message}", case.name);
            assert!(!debug.contains(segment), "case {}: {debug}", case.name);
        }
    }
}

const PASSWORD: &str = "test-pass";

/// The JWE `kid` of the cases made by jwcrypto and jose that carry one.
const CASE_KID: &str = "8f3a1c0e9b7d4e2f6a5b3c1d0e9f8a7b6c5d4e3f";

fn key_file_path(file_name: &str) -> PathBuf {
    vectors_dir().join("keys").join(file_name)
}

/// Loads key A from every format it is stored in, named by format.
fn key_a_in_every_format() -> Vec<(&'static str, DecryptionKey)> {
    let load = |format: &'static str, result: Result<DecryptionKey, _>| {
        let key = result.unwrap_or_else(|error| panic!("key A as {format} should load: {error}"));
        (format, key)
    };
    vec![
        load(
            "PKCS#8 PEM",
            DecryptionKey::from_pem_file(key_file_path("key-a.pkcs8.pem")),
        ),
        load(
            "PKCS#1 PEM",
            DecryptionKey::from_pem_file(key_file_path("key-a.pkcs1.pem")),
        ),
        load(
            "encrypted PKCS#8 PEM",
            DecryptionKey::from_encrypted_pem_file(
                key_file_path("key-a.pkcs8-encrypted.pem"),
                PASSWORD,
            ),
        ),
        load(
            "encrypted PKCS#1 PEM",
            DecryptionKey::from_encrypted_pem_file(
                key_file_path("key-a.pkcs1-encrypted.pem"),
                PASSWORD,
            ),
        ),
        load(
            "PKCS#12",
            DecryptionKey::from_pkcs12_file(key_file_path("key-a.p12"), PASSWORD, None),
        ),
        load(
            "legacy PKCS#12",
            DecryptionKey::from_pkcs12_file(
                key_file_path("key-a.legacy.p12"),
                PASSWORD,
                Some("demo_merchant_01"),
            ),
        ),
    ]
}

#[test]
fn key_a_formats_decrypt_every_case() {
    let keys = key_a_in_every_format();
    let cases: Vec<Case> = load_cases()
        .into_iter()
        .filter(|case| case.private_key.starts_with("keys/key-a."))
        .collect();
    assert!(cases.len() >= 20, "found {} key A cases", cases.len());

    for (format, key) in &keys {
        for case in &cases {
            let result = Jwe::parse(&case.jwe)
                .and_then(|jwe| jwe.decrypt_payload(key, &DecryptOptions::default()));
            match (case.expected.get("plaintext_json"), result) {
                (Some(expected_json), Ok(payload)) => {
                    let actual: Value =
                        serde_json::from_slice(&payload).expect("a decrypted payload is JSON");
                    assert_eq!(&actual, expected_json, "{format}, case {}", case.name);
                }
                (Some(_), Err(error)) => {
                    panic!(
                        "{format}, case {}: expected plaintext, got {error}",
                        case.name
                    )
                }
                (None, Ok(_)) => panic!("{format}, case {}: expected an error", case.name),
                (None, Err(error)) => assert_eq!(
                    Some(error.kind().as_str()),
                    case.expected["error"].as_str(),
                    "{format}, case {}",
                    case.name
                ),
            }
        }
    }
}

fn key(file_name: &str) -> DecryptionKey {
    load_key(&format!("keys/{file_name}"))
}

#[test]
fn key_set_uses_key_with_matching_kid() {
    let jwe = Jwe::parse(&find_case("jwcrypto_rsa_oaep_256_a256gcm").jwe).expect("parse");
    let keys = DecryptionKeys::new()
        .with_key(key("key-b.pkcs8.pem").with_kid("key-b"))
        .with_key(key("key-c.pkcs8.pem").with_kid("key-c"))
        .with_key(key("key-a.pkcs8.pem").with_kid(CASE_KID));
    let credentials = jwe.decrypt(&keys).expect("key A has the JWE's kid");
    assert!(credentials.tokenized_card.is_some());
}

#[test]
fn key_set_tries_only_keys_with_matching_kid() {
    let jwe = Jwe::parse(&find_case("jwcrypto_rsa_oaep_256_a256gcm").jwe).expect("parse");
    // Key B is registered under the JWE's kid, so key A, which would decrypt the token but
    // has another id, is never tried.
    let keys = DecryptionKeys::new()
        .with_key(key("key-a.pkcs8.pem").with_kid("previous-key"))
        .with_key(key("key-b.pkcs8.pem").with_kid(CASE_KID));
    let error = jwe.decrypt(&keys).expect_err("key B cannot decrypt");
    assert_eq!(error.kind(), JweErrorKind::DecryptionFailed);
}

#[test]
fn key_set_unknown_kid_fails_before_decrypting() {
    let jwe = Jwe::parse(&find_case("jwcrypto_rsa_oaep_256_a256gcm").jwe).expect("parse");
    // Key A would decrypt the token, but every key has an id and none is the JWE's kid.
    let keys = DecryptionKeys::new()
        .with_key(key("key-a.pkcs8.pem").with_kid("2024-key"))
        .with_key(key("key-b.pkcs8.pem").with_kid("2025-key"));
    let error = jwe.decrypt(&keys).expect_err("no key has the JWE's kid");
    assert_eq!(error.kind(), JweErrorKind::KeyIdMismatch);
    let message = error.to_string();
    assert!(message.contains(&format!("\"{CASE_KID}\"")), "{message}");
    assert!(message.contains("\"2024-key\""), "{message}");
    assert!(message.contains("\"2025-key\""), "{message}");

    let single = DecryptionKeys::from(key("key-a.pkcs8.pem").with_kid("2024-key"));
    let error = jwe
        .decrypt(&single)
        .expect_err("the only key has another id");
    assert_eq!(error.kind(), JweErrorKind::KeyIdMismatch);
}

#[test]
fn key_set_unknown_kid_uses_keys_without_id() {
    let jwe = Jwe::parse(&find_case("jwcrypto_rsa_oaep_256_a256gcm").jwe).expect("parse");
    let keys = DecryptionKeys::new()
        .with_key(key("key-b.pkcs8.pem").with_kid("2025-key"))
        .with_key(key("key-a.pkcs8.pem"));
    assert!(jwe.decrypt(&keys).is_ok(), "key A has no id and is tried");

    let keys = DecryptionKeys::new()
        .with_key(key("key-a.pkcs8.pem").with_kid("2024-key"))
        .with_key(key("key-b.pkcs8.pem"));
    let error = jwe.decrypt(&keys).expect_err("only key B has no id");
    assert_eq!(error.kind(), JweErrorKind::DecryptionFailed);
}

#[test]
fn key_set_without_kid_tries_keys_in_order() {
    let minimal = Jwe::parse(&find_case("jwcrypto_minimal_header").jwe).expect("parse");
    assert_eq!(minimal.header().kid(), None);
    let keys: DecryptionKeys = [
        key("key-b.pkcs8.pem").with_kid("key-b"),
        key("key-c.pkcs8.pem"),
        key("key-a.pkcs8.pem").with_kid("key-a"),
    ]
    .into_iter()
    .collect();
    assert_eq!(keys.len(), 3);
    let credentials = minimal.decrypt(&keys).expect("key A is tried last");
    assert!(credentials.tokenized_card.is_some());

    // A JWE with a kid and a set whose keys have no ids tries every key too.
    let jwe = Jwe::parse(&find_case("node_jose_rsa_oaep_a128gcm").jwe).expect("parse");
    assert_eq!(jwe.header().kid(), Some(CASE_KID));
    let keys = DecryptionKeys::from(vec![key("key-c.pkcs8.pem"), key("key-a.pkcs1.pem")]);
    let payload = jwe
        .decrypt_payload(&keys, &DecryptOptions::default())
        .expect("key A is tried second");
    assert!(!payload.is_empty());
}

#[test]
fn key_set_of_wrong_keys_fails() {
    let case = find_case("jwcrypto_rsa_oaep_256_a256gcm");
    let jwe = Jwe::parse(&case.jwe).expect("parse");
    let keys = DecryptionKeys::from(vec![key("key-b.pkcs8.pem"), key("key-c.pkcs8.pem")]);
    let error = jwe.decrypt(&keys).expect_err("neither key decrypts");
    assert_eq!(error.kind(), JweErrorKind::DecryptionFailed);

    // The message is the one every other decryption failure has.
    let single_error = jwe
        .decrypt(&key("key-b.pkcs8.pem"))
        .expect_err("key B does not decrypt");
    assert_eq!(error.to_string(), single_error.to_string());

    let tampered = Jwe::parse(&find_case("tampered_tag").jwe).expect("parse");
    let keys = DecryptionKeys::from(vec![key("key-b.pkcs8.pem"), key("key-a.pkcs8.pem")]);
    let error = tampered.decrypt(&keys).expect_err("the tag is wrong");
    assert_eq!(error.kind(), JweErrorKind::DecryptionFailed);
}

#[test]
fn empty_key_set_fails() {
    let jwe = Jwe::parse(&find_case("jwcrypto_minimal_header").jwe).expect("parse");
    let keys = DecryptionKeys::new();
    assert!(keys.is_empty());
    let error = jwe.decrypt(&keys).expect_err("no keys");
    assert_eq!(error.kind(), JweErrorKind::DecryptionFailed);
    assert!(error.to_string().contains("empty"), "{error}");
}

#[test]
fn key_set_debug_and_clone() {
    let keys = DecryptionKeys::new()
        .with_key(key("key-a.pkcs8.pem").with_kid("2024-key"))
        .with_key(key("key-c.pkcs8.pem"));
    let mut copy = keys.clone();
    copy.push(key("key-b.pkcs8.pem"));
    assert_eq!(
        keys.len(),
        2,
        "pushing to a clone leaves the original unchanged"
    );
    assert_eq!(copy.len(), 3);
    assert_eq!(
        format!("{keys:?}"),
        "[DecryptionKey { bits: 2048, kid: Some(\"2024-key\") }, \
         DecryptionKey { bits: 4096, kid: None }]"
    );
    let kids: Vec<Option<&str>> = copy.iter().map(DecryptionKey::kid).collect();
    assert_eq!(kids, [Some("2024-key"), None, None]);
}

#[test]
fn key_set_payload_limit_applies() {
    let case = find_case("jwcrypto_zip_def");
    let jwe = Jwe::parse(&case.jwe).expect("parse");
    let keys = DecryptionKeys::from(key("key-a.pkcs8.pem"));
    let options = DecryptOptions::new().with_max_payload_bytes(100);
    let error = jwe
        .decrypt_with(&keys, &options)
        .expect_err("the payload is over 100 bytes");
    assert_eq!(error.kind(), JweErrorKind::PayloadTooLarge);
}
