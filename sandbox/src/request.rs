//! The payment-credentials request body, checked as strictly as the API schema allows.
//!
//! Every field is optional, but unknown fields, wrong JSON types and unknown enum values
//! are rejected, so that a client sending a misspelled field learns it from the sandbox.

use serde::Deserialize;

use crate::token::CardBrand;

/// The request body. Fields are only read by the business rules, the rest exist so that
/// the schema check covers them.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct PaymentCredentialsRequest {
    pub payment_credential_type: Option<PaymentCredentialType>,
    pub transaction_type: Option<TransactionType>,
    pub client_correlation_id: Option<String>,
    pub order_information: Option<OrderInformation>,
    pub merchant_information: Option<MerchantInformation>,
    pub device_information: Option<DeviceInformation>,
    pub authenticated_identities: Option<Vec<AuthenticatedIdentity>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum PaymentCredentialType {
    NetworkToken,
    Cryptogram,
    SecurityCode,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum TransactionType {
    Ecom,
    Aft,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct OrderInformation {
    amount_details: Option<AmountDetails>,
    bill_to: Option<BillTo>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct AmountDetails {
    total_amount: Option<String>,
    currency: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct BillTo {
    first_name: Option<String>,
    last_name: Option<String>,
    address1: Option<String>,
    locality: Option<String>,
    administrative_area: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
    email: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct MerchantInformation {
    merchant_descriptor: Option<MerchantDescriptor>,
}

/// Older SDKs send `name` and `url`, the newest ones `alternateName`: all three are valid.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct MerchantDescriptor {
    name: Option<String>,
    url: Option<String>,
    alternate_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct DeviceInformation {
    platform_type: Option<PlatformType>,
    ip_address: Option<String>,
    http_accept_content: Option<String>,
    http_browser_language: Option<String>,
    http_browser_java_enabled: Option<bool>,
    http_browser_java_script_enabled: Option<bool>,
    http_browser_color_depth: Option<String>,
    http_browser_screen_height: Option<String>,
    http_browser_screen_width: Option<String>,
    http_browser_time_difference: Option<String>,
    user_agent_browser_value: Option<String>,
}

#[derive(Debug, Deserialize)]
enum PlatformType {
    #[serde(rename = "iOS")]
    Ios,
    #[serde(rename = "ANDROID")]
    Android,
    #[serde(rename = "WINDOWS")]
    Windows,
    #[serde(rename = "WEB")]
    Web,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
pub(crate) struct AuthenticatedIdentity {
    id: Option<String>,
    data: Option<String>,
    relying_party_id: Option<String>,
    provider: Option<IdentityProvider>,
    user_authentication_method: Option<UserAuthenticationMethod>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum IdentityProvider {
    VisaPaymentPasskey,
    ClientDeviceCertJws,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum UserAuthenticationMethod {
    UsernamePassword,
    PasscodePassword,
    Passcode,
    Password,
    Pattern,
    BiometricFingerprint,
    BiometricFacial,
    BiometricIris,
    BiometricVoice,
    BiometricBehavioral,
    DeviceUnlockedMethodUnknown,
    OtpSms,
    OtpEmail,
    OtpSmsKnowledge,
    KnowledgeBasedAuthentication,
    UserUnverified,
    Biometric,
}

/// A schema violation: the JSON path of the offending field and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldError {
    /// The dotted path of the field, such as `deviceInformation.platformType`, or `body`
    /// when the body as a whole is invalid.
    pub field: String,
    pub message: String,
}

/// Parses and checks a request body against the schema.
pub(crate) fn parse_body(body: &[u8]) -> Result<PaymentCredentialsRequest, FieldError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let parsed: Result<PaymentCredentialsRequest, _> =
        serde_path_to_error::deserialize(&mut deserializer);
    let request = parsed.map_err(|error| field_error(&error))?;
    deserializer.end().map_err(|_| FieldError {
        field: "body".to_owned(),
        message: "The request body has data after the JSON object".to_owned(),
    })?;
    Ok(request)
}

fn field_error(error: &serde_path_to_error::Error<serde_json::Error>) -> FieldError {
    let inner = error.inner();
    if inner.is_syntax() || inner.is_eof() || inner.is_io() {
        return FieldError {
            field: "body".to_owned(),
            message: format!("The request body is not valid JSON: {inner}"),
        };
    }

    // The path ends with the offending key, unknown keys included, and is `.` when the
    // body as a whole has the wrong type.
    let mut field = error.path().to_string();
    if field == "." {
        field = "body".to_owned();
    }
    let message = inner.to_string();

    FieldError {
        message: format!("Invalid field {field}: {message}"),
        field,
    }
}

/// A request that is valid on its own but not for the token's brand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CombinationError {
    /// The request fields involved.
    pub fields: Vec<&'static str>,
    pub message: &'static str,
}

/// Applies the rules that tie the credential type and transaction type to the brand:
/// AFT only with CRYPTOGRAM and Visa, CRYPTOGRAM not for American Express, and
/// SECURITY_CODE only for American Express.
pub(crate) fn check_combination(
    request: &PaymentCredentialsRequest,
    brand: CardBrand,
) -> Result<(), CombinationError> {
    let credential_type = request.payment_credential_type;
    let is_amex = brand == CardBrand::AmericanExpress;

    if request.transaction_type == Some(TransactionType::Aft) {
        if credential_type != Some(PaymentCredentialType::Cryptogram) {
            return Err(CombinationError {
                fields: vec!["transactionType", "paymentCredentialType"],
                message: "transactionType AFT requires paymentCredentialType CRYPTOGRAM",
            });
        }
        if brand != CardBrand::Visa {
            return Err(CombinationError {
                fields: vec!["transactionType"],
                message: "transactionType AFT is only available for Visa tokens",
            });
        }
    }
    if credential_type == Some(PaymentCredentialType::Cryptogram) && is_amex {
        return Err(CombinationError {
            fields: vec!["paymentCredentialType"],
            message: "paymentCredentialType CRYPTOGRAM is not available for American Express tokens",
        });
    }
    if credential_type == Some(PaymentCredentialType::SecurityCode) && !is_amex {
        return Err(CombinationError {
            fields: vec!["paymentCredentialType"],
            message: "paymentCredentialType SECURITY_CODE is only available for American Express tokens",
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(body: &str) -> String {
        match parse_body(body.as_bytes()) {
            Ok(_) => panic!("accepted: {body}"),
            Err(error) => error.field,
        }
    }

    #[test]
    fn full_request_parses() {
        let body = r#"{
            "paymentCredentialType": "CRYPTOGRAM",
            "transactionType": "AFT",
            "clientCorrelationId": "c-1",
            "orderInformation": {
                "amountDetails": {"totalAmount": "10.00", "currency": "USD"},
                "billTo": {"firstName": "Jane", "lastName": "Doe", "address1": "1 Main St",
                    "locality": "Springfield", "administrativeArea": "CA", "postalCode": "94000",
                    "country": "US", "email": "jane@example.com"}
            },
            "merchantInformation": {"merchantDescriptor": {"name": "Shop", "url": "https://shop.example", "alternateName": "S"}},
            "deviceInformation": {"platformType": "iOS", "ipAddress": "192.0.2.1",
                "httpAcceptContent": "text/html", "httpBrowserLanguage": "en",
                "httpBrowserJavaEnabled": false, "httpBrowserJavaScriptEnabled": true,
                "httpBrowserColorDepth": "24", "httpBrowserScreenHeight": "800",
                "httpBrowserScreenWidth": "1200", "httpBrowserTimeDifference": "0",
                "userAgentBrowserValue": "Mozilla/5.0"},
            "authenticatedIdentities": [{"id": "aWQ", "data": "ZGF0YQ", "relyingPartyId": "cnA",
                "provider": "VISA_PAYMENT_PASSKEY", "userAuthenticationMethod": "BIOMETRIC_FACIAL"}]
        }"#;
        let request = parse_body(body.as_bytes()).expect("valid request");
        assert_eq!(
            request.payment_credential_type,
            Some(PaymentCredentialType::Cryptogram)
        );
        assert_eq!(request.transaction_type, Some(TransactionType::Aft));
    }

    #[test]
    fn empty_object_parses() {
        assert!(parse_body(b"{}").is_ok());
    }

    #[test]
    fn error_names_field_path() {
        assert_eq!(
            field_of(r#"{"deviceInformation": {"platformType": "MAC"}}"#),
            "deviceInformation.platformType"
        );
        assert_eq!(field_of(r#"{"colour": 1}"#), "colour");
        assert_eq!(
            field_of(r#"{"orderInformation": {"billTo": {"city": "x"}}}"#),
            "orderInformation.billTo.city"
        );
        assert_eq!(
            field_of(r#"{"deviceInformation": {"httpBrowserJavaEnabled": "yes"}}"#),
            "deviceInformation.httpBrowserJavaEnabled"
        );
        assert_eq!(
            field_of(r#"{"authenticatedIdentities": [{"provider": "OTHER"}]}"#),
            "authenticatedIdentities[0].provider"
        );
        assert_eq!(
            field_of(r#"{"transactionType": "MOTO"}"#),
            "transactionType"
        );
    }

    #[test]
    fn invalid_json_names_body() {
        assert_eq!(field_of(""), "body");
        assert_eq!(field_of("{"), "body");
        assert_eq!(field_of("[]"), "body");
        assert_eq!(field_of("{} {}"), "body");
    }

    #[test]
    fn combination_rules() {
        let request = |credential, transaction| PaymentCredentialsRequest {
            payment_credential_type: credential,
            transaction_type: transaction,
            ..Default::default()
        };
        use CardBrand::*;
        use PaymentCredentialType::*;
        let aft = Some(TransactionType::Aft);

        assert!(check_combination(&request(Some(Cryptogram), aft), Visa).is_ok());
        assert!(check_combination(&request(Some(Cryptogram), aft), Mastercard).is_err());
        assert!(check_combination(&request(Some(NetworkToken), aft), Visa).is_err());
        assert!(check_combination(&request(None, aft), Visa).is_err());
        assert!(check_combination(&request(Some(Cryptogram), None), AmericanExpress).is_err());
        assert!(check_combination(&request(Some(SecurityCode), None), AmericanExpress).is_ok());
        assert!(check_combination(&request(Some(SecurityCode), None), Visa).is_err());
        assert!(check_combination(&request(None, None), AmericanExpress).is_ok());
        assert!(check_combination(&request(Some(NetworkToken), None), Discover).is_ok());
    }
}
