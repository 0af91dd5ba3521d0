//! The decrypted JSON of a 201 response: the network token and fresh credentials.

use aws_lc_rs::error::Unspecified;
use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

use crate::request::PaymentCredentialType;
use crate::token::{CardBrand, Token};

/// The API version a request was sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ApiVersion {
    V2,
    V3,
}

/// Builds the response payload for an active token.
///
/// `request_path` is the path as on the request line, used as the v2 `_links.self.href`.
/// Cryptograms and security codes are drawn from `rng` on every call.
pub(crate) fn build_payload(
    token: &Token,
    version: ApiVersion,
    request_path: &str,
    credential_type: Option<PaymentCredentialType>,
    rng: &SystemRandom,
) -> Result<Value, Unspecified> {
    let brand = token.brand;
    let mut tokenized_card = Map::new();
    tokenized_card.insert("state".into(), "ACTIVE".into());
    tokenized_card.insert("enrollmentId".into(), token.enrollment_id.clone().into());
    tokenized_card.insert(
        "tokenReferenceId".into(),
        token.token_reference_id.clone().into(),
    );
    tokenized_card.insert("number".into(), token.network_token_number.clone().into());
    tokenized_card.insert(
        "expirationMonth".into(),
        token.network_token_expiration_month.clone().into(),
    );
    tokenized_card.insert(
        "expirationYear".into(),
        token.network_token_expiration_year.clone().into(),
    );
    tokenized_card.insert("type".into(), brand.network_name().into());

    // Without an explicit type, American Express tokens get a dynamic security code and
    // the other brands a cryptogram.
    let effective_type = credential_type.unwrap_or(if brand == CardBrand::AmericanExpress {
        PaymentCredentialType::SecurityCode
    } else {
        PaymentCredentialType::Cryptogram
    });
    match effective_type {
        PaymentCredentialType::NetworkToken => {}
        PaymentCredentialType::Cryptogram => {
            tokenized_card.insert("cryptogram".into(), fresh_cryptogram(rng)?.into());
            tokenized_card.insert("eci".into(), brand.eci().into());
        }
        PaymentCredentialType::SecurityCode => {
            tokenized_card.insert("securityCode".into(), fresh_security_code(rng)?.into());
        }
    }

    let links = match version {
        ApiVersion::V2 => json!({ "self": { "href": request_path } }),
        ApiVersion::V3 => json!({
            "customer": { "href": format!("/tms/v2/customers/{}", token.customer_id) },
            "paymentInstruments": {
                "href": format!("/tms/v1/paymentinstruments/{}", token.payment_instrument_id)
            },
            "instrumentIdentifier": {
                "href": format!("/tms/v1/instrumentidentifiers/{}", token.instrument_identifier_id)
            },
            "tokenizedCard": {
                "href": format!("/tms/v2/tokenized-cards/{}", token.tokenized_card_id)
            },
        }),
    };

    Ok(json!({
        "_links": links,
        "tokenizedCard": tokenized_card,
        "card": {
            "number": token.masked_card_number,
            "expirationMonth": token.card_expiration_month,
            "expirationYear": token.card_expiration_year,
            "type": brand.card_type_code(),
        },
        "issuer": { "paymentAccountReference": token.payment_account_reference },
        "processingInformation": { "commerceIndicator": brand.commerce_indicator() },
    }))
}

/// Returns 20 random bytes in base64, the size of a network token cryptogram.
fn fresh_cryptogram(rng: &SystemRandom) -> Result<String, Unspecified> {
    let mut bytes = [0u8; 20];
    rng.fill(&mut bytes)?;
    Ok(STANDARD.encode(bytes))
}

/// Returns four random decimal digits, the length of an American Express security code.
fn fresh_security_code(rng: &SystemRandom) -> Result<String, Unspecified> {
    let mut code = String::with_capacity(4);
    let mut byte = [0u8; 1];
    while code.len() < 4 {
        rng.fill(&mut byte)?;
        // Bytes 250..=255 are skipped so that every digit is equally likely.
        if byte[0] < 250 {
            code.push(char::from(b'0' + byte[0] % 10));
        }
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(token: &Token, version: ApiVersion, kind: Option<PaymentCredentialType>) -> Value {
        build_payload(
            token,
            version,
            "/tms/v2/tokens/t/payment-credentials",
            kind,
            &SystemRandom::new(),
        )
        .expect("payload")
    }

    #[test]
    fn default_type_depends_on_brand() {
        let visa = payload(&Token::visa("t"), ApiVersion::V2, None);
        assert_eq!(
            visa["tokenizedCard"]["cryptogram"].as_str().map(str::len),
            Some(28)
        );
        assert_eq!(visa["tokenizedCard"]["eci"], "07");
        assert!(visa["tokenizedCard"].get("securityCode").is_none());

        let amex = payload(&Token::american_express("t"), ApiVersion::V2, None);
        let code = amex["tokenizedCard"]["securityCode"]
            .as_str()
            .expect("code");
        assert_eq!(code.len(), 4);
        assert!(code.bytes().all(|b| b.is_ascii_digit()));
        assert!(amex["tokenizedCard"].get("cryptogram").is_none());
        assert_eq!(amex["processingInformation"]["commerceIndicator"], "aesk");
        assert_eq!(amex["card"]["type"], "003");
    }

    #[test]
    fn network_token_type_has_no_cryptogram() {
        let value = payload(
            &Token::mastercard("t"),
            ApiVersion::V2,
            Some(PaymentCredentialType::NetworkToken),
        );
        let card = value["tokenizedCard"].as_object().expect("object");
        assert!(!card.contains_key("cryptogram"));
        assert!(!card.contains_key("eci"));
        assert!(!card.contains_key("securityCode"));
        assert_eq!(card["number"], "5222220000001235");
        assert_eq!(card["type"], "mastercard");
    }

    #[test]
    fn links_by_version() {
        let token = Token::visa("t");
        let v2 = payload(&token, ApiVersion::V2, None);
        assert_eq!(
            v2["_links"]["self"]["href"],
            "/tms/v2/tokens/t/payment-credentials"
        );
        assert!(v2["_links"].get("customer").is_none());

        let v3 = payload(&token, ApiVersion::V3, None);
        assert!(v3["_links"].get("self").is_none());
        for link in [
            "customer",
            "paymentInstruments",
            "instrumentIdentifier",
            "tokenizedCard",
        ] {
            assert!(v3["_links"][link]["href"].is_string(), "{link}");
        }
        assert_eq!(
            v3["_links"]["customer"]["href"],
            format!("/tms/v2/customers/{}", token.customer_id)
        );
    }

    #[test]
    fn cryptograms_are_fresh() {
        let token = Token::visa("t");
        let first = payload(&token, ApiVersion::V2, None);
        let second = payload(&token, ApiVersion::V2, None);
        assert_ne!(
            first["tokenizedCard"]["cryptogram"],
            second["tokenizedCard"]["cryptogram"]
        );
    }
}
