//! Typed view of the decrypted payment-credentials JSON.
//!
//! Every field is optional, because CyberSource omits fields depending on the token and the
//! requested credential type. Fields this crate does not know are kept in `other`. Enum
//! values it does not know are kept in an `Unknown` arm.
//!
//! Cardholder data (card and token numbers, expiration dates, cryptograms and security
//! codes) is held in [`CardNumber`] or [`SecretString`], which are zeroized on drop and
//! redacted in `Debug`. No type here implements `Display` or `Serialize` for that data.
//!
//! NOTE: serde_json copies strings that contain escape sequences through a scratch buffer
//! that is freed without zeroizing.

mod enums;
mod fields;
mod secret;

use serde_json::Value;
use zeroize::Zeroizing;

use crate::jose::JweError;
use fields::{FromJsonObject, ObjectReader, ZeroizingValue};

pub use enums::{TokenSource, TokenState, TokenizedCardType};
pub use fields::ExtraFields;
pub use secret::{CardNumber, RawJson, SecretString, mask_card_number};

/// The decrypted payment credentials of a network token.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct PaymentCredentials {
    /// `_links`: links to the token and its related resources.
    pub links: Option<Links>,
    /// `tokenizedCard`: the network token, with a cryptogram or dynamic security code.
    pub tokenized_card: Option<TokenizedCard>,
    /// `card`: the card that the token replaces. Its number is masked in v2 responses, but v3
    /// may return the real PAN when the token has no network token.
    pub card: Option<Card>,
    /// `issuer`: details from the card issuer.
    pub issuer: Option<Issuer>,
    /// `processingInformation`: values to pass on to the authorization request.
    pub processing_information: Option<ProcessingInformation>,
    /// Top-level fields without a typed field.
    pub other: ExtraFields,
    raw: RawJson,
}

impl PaymentCredentials {
    /// Parses payment credentials from JSON text, such as a v3 response that carries the
    /// credentials as plain JSON instead of a JWE.
    ///
    /// The text is copied into a buffer that is zeroized on drop and returned by
    /// [`PaymentCredentials::raw_json`]. The caller's copy is left as it is.
    ///
    /// # Errors
    /// [`JweErrorKind::InvalidPayload`](crate::jose::JweErrorKind::InvalidPayload) when the
    /// text is not a UTF-8 JSON object.
    pub fn from_json(json: &[u8]) -> Result<Self, JweError> {
        Self::from_json_owned(Zeroizing::new(json.to_vec()))
    }

    /// Parses payment credentials from JSON text, keeping `json` as the raw JSON.
    ///
    /// # Errors
    /// The same as [`PaymentCredentials::from_json`].
    pub fn from_json_owned(json: Zeroizing<Vec<u8>>) -> Result<Self, JweError> {
        if std::str::from_utf8(&json).is_err() {
            return Err(JweError::invalid_payload(
                "the payment credentials payload is not UTF-8 text",
            ));
        }

        let mut parsed = match serde_json::from_slice::<Value>(&json) {
            Ok(value) => ZeroizingValue(value),
            Err(error) => {
                return Err(JweError::invalid_payload(format!(
                    "the payment credentials payload is not valid JSON (line {}, column {})",
                    error.line(),
                    error.column()
                )));
            }
        };
        let Value::Object(fields) = std::mem::take(&mut parsed.0) else {
            return Err(JweError::invalid_payload(
                "the payment credentials payload is JSON but not a JSON object",
            ));
        };

        let mut reader = ObjectReader::new(fields);
        Ok(Self {
            links: reader.object("_links"),
            tokenized_card: reader.object("tokenizedCard"),
            card: reader.object("card"),
            issuer: reader.object("issuer"),
            processing_information: reader.object("processingInformation"),
            other: reader.into_extra(),
            raw: RawJson::new(json),
        })
    }

    /// Returns the decrypted JSON exactly as received.
    pub fn raw_json(&self) -> &RawJson {
        &self.raw
    }
}

/// `_links`: hypermedia links. v2 responses have `self`, v3 responses the other links.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct Links {
    /// `self` (v2).
    pub self_link: Option<Link>,
    /// `customer` (v3).
    pub customer: Option<Link>,
    /// `paymentInstruments` (v3).
    pub payment_instruments: Option<Link>,
    /// `instrumentIdentifier` (v3).
    pub instrument_identifier: Option<Link>,
    /// `tokenizedCard` (v3).
    pub tokenized_card: Option<Link>,
    /// Links without a typed field.
    pub other: ExtraFields,
}

impl FromJsonObject for Links {
    fn from_json_object(mut fields: ObjectReader) -> Self {
        Self {
            self_link: fields.object("self"),
            customer: fields.object("customer"),
            payment_instruments: fields.object("paymentInstruments"),
            instrument_identifier: fields.object("instrumentIdentifier"),
            tokenized_card: fields.object("tokenizedCard"),
            other: fields.into_extra(),
        }
    }
}

/// One hypermedia link.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct Link {
    /// `href`: path of the linked resource.
    pub href: Option<String>,
    /// Fields without a typed field.
    pub other: ExtraFields,
}

impl FromJsonObject for Link {
    fn from_json_object(mut fields: ObjectReader) -> Self {
        Self {
            href: fields.text("href"),
            other: fields.into_extra(),
        }
    }
}

/// `tokenizedCard`: the network token and its one-time payment data.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct TokenizedCard {
    /// `id`: TMS id of the tokenized card.
    pub id: Option<String>,
    /// `object`: resource type name.
    pub object: Option<String>,
    /// `source`: where the token came from.
    pub source: Option<TokenSource>,
    /// `state`: token lifecycle state.
    pub state: Option<TokenState>,
    /// `enrollmentId`: card network enrollment id.
    pub enrollment_id: Option<String>,
    /// `tokenReferenceId`: card network reference for the token.
    pub token_reference_id: Option<String>,
    /// `number`: the network token number (DPAN).
    pub number: Option<CardNumber>,
    /// `expirationMonth`: two-digit month of the network token.
    pub expiration_month: Option<SecretString>,
    /// `expirationYear`: four-digit year of the network token.
    pub expiration_year: Option<SecretString>,
    /// `type`: card network of the token.
    pub card_type: Option<TokenizedCardType>,
    /// `reason`: reason for the current state, when the network gives one.
    pub reason: Option<String>,
    /// `cryptogram`: one-time cryptogram for this payment.
    pub cryptogram: Option<SecretString>,
    /// `securityCode`: dynamic security code, returned instead of a cryptogram for American
    /// Express and SCOF.
    pub security_code: Option<SecretString>,
    /// `eci`: electronic commerce indicator.
    pub eci: Option<String>,
    /// `requestorId`: token requestor id.
    pub requestor_id: Option<String>,
    /// `paymentAccountReference`: PAR, which links the token to its card.
    pub payment_account_reference: Option<String>,
    /// `applicationTransactionCounter`: ATC of the cryptogram.
    pub application_transaction_counter: Option<String>,
    /// `card`: details of the card behind the token.
    pub card: Option<TokenizedCardDetails>,
    /// `verificationResults`: results of the checks run when the token was provisioned.
    pub verification_results: Option<VerificationResults>,
    /// Fields without a typed field.
    pub other: ExtraFields,
}

impl FromJsonObject for TokenizedCard {
    fn from_json_object(mut fields: ObjectReader) -> Self {
        Self {
            id: fields.text("id"),
            object: fields.text("object"),
            source: fields.parsed("source"),
            state: fields.parsed("state"),
            enrollment_id: fields.text("enrollmentId"),
            token_reference_id: fields.text("tokenReferenceId"),
            number: fields.card_number("number"),
            expiration_month: fields.secret("expirationMonth"),
            expiration_year: fields.secret("expirationYear"),
            card_type: fields.parsed("type"),
            reason: fields.text("reason"),
            cryptogram: fields.secret("cryptogram"),
            security_code: fields.secret("securityCode"),
            eci: fields.text("eci"),
            requestor_id: fields.text("requestorId"),
            payment_account_reference: fields.text("paymentAccountReference"),
            application_transaction_counter: fields.text("applicationTransactionCounter"),
            card: fields.object("card"),
            verification_results: fields.object("verificationResults"),
            other: fields.into_extra(),
        }
    }
}

/// `tokenizedCard.card`: the card behind a network token, as the card network reports it.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct TokenizedCardDetails {
    /// `number`: card number, when returned.
    pub number: Option<CardNumber>,
    /// `expirationMonth`: two-digit month of the card.
    pub expiration_month: Option<SecretString>,
    /// `expirationYear`: four-digit year of the card.
    pub expiration_year: Option<SecretString>,
    /// `type`: card type.
    pub card_type: Option<String>,
    /// `suffix`: last four digits of the card number.
    pub suffix: Option<String>,
    /// `issueDate`: date the card was issued.
    pub issue_date: Option<String>,
    /// `activationDate`: date the card was activated.
    pub activation_date: Option<String>,
    /// `expirationPrinted`: whether the expiration date is printed on the card.
    pub expiration_printed: Option<Value>,
    /// `securityCodePrinted`: whether the security code is printed on the card.
    pub security_code_printed: Option<Value>,
    /// `termsAndConditions`: the card's terms and conditions, as the network returns them.
    pub terms_and_conditions: Option<Value>,
    /// Fields without a typed field.
    pub other: ExtraFields,
}

impl FromJsonObject for TokenizedCardDetails {
    fn from_json_object(mut fields: ObjectReader) -> Self {
        Self {
            number: fields.card_number("number"),
            expiration_month: fields.secret("expirationMonth"),
            expiration_year: fields.secret("expirationYear"),
            card_type: fields.text("type"),
            suffix: fields.text("suffix"),
            issue_date: fields.text("issueDate"),
            activation_date: fields.text("activationDate"),
            expiration_printed: fields.value("expirationPrinted"),
            security_code_printed: fields.value("securityCodePrinted"),
            terms_and_conditions: fields.value("termsAndConditions"),
            other: fields.into_extra(),
        }
    }
}

/// `tokenizedCard.verificationResults`.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct VerificationResults {
    /// `securityCode`: result of the security code check (a result code, not the code).
    pub security_code: Option<String>,
    /// `address`: result of the address check.
    pub address: Option<String>,
    /// Fields without a typed field.
    pub other: ExtraFields,
}

impl FromJsonObject for VerificationResults {
    fn from_json_object(mut fields: ObjectReader) -> Self {
        Self {
            security_code: fields.text("securityCode"),
            address: fields.text("address"),
            other: fields.into_extra(),
        }
    }
}

/// `card`: the card that a token replaces.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct Card {
    /// `number`: masked in v2 responses, such as `411111XXXXXX1111`, but possibly the real
    /// PAN in v3.
    pub number: Option<CardNumber>,
    /// `expirationMonth`: two-digit month.
    pub expiration_month: Option<SecretString>,
    /// `expirationYear`: four-digit year.
    pub expiration_year: Option<SecretString>,
    /// `type`: three-digit CyberSource card type code, such as `001` for Visa.
    pub card_type: Option<String>,
    /// Fields without a typed field.
    pub other: ExtraFields,
}

impl FromJsonObject for Card {
    fn from_json_object(mut fields: ObjectReader) -> Self {
        Self {
            number: fields.card_number("number"),
            expiration_month: fields.secret("expirationMonth"),
            expiration_year: fields.secret("expirationYear"),
            card_type: fields.text("type"),
            other: fields.into_extra(),
        }
    }
}

/// `issuer`.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct Issuer {
    /// `paymentAccountReference`: PAR of the card.
    pub payment_account_reference: Option<String>,
    /// Fields without a typed field.
    pub other: ExtraFields,
}

impl FromJsonObject for Issuer {
    fn from_json_object(mut fields: ObjectReader) -> Self {
        Self {
            payment_account_reference: fields.text("paymentAccountReference"),
            other: fields.into_extra(),
        }
    }
}

/// `processingInformation`.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct ProcessingInformation {
    /// `commerceIndicator`: value for the authorization's commerce indicator, such as `vbv`.
    pub commerce_indicator: Option<String>,
    /// `authorizationOptions`.
    pub authorization_options: Option<AuthorizationOptions>,
    /// Fields without a typed field.
    pub other: ExtraFields,
}

impl FromJsonObject for ProcessingInformation {
    fn from_json_object(mut fields: ObjectReader) -> Self {
        Self {
            commerce_indicator: fields.text("commerceIndicator"),
            authorization_options: fields.object("authorizationOptions"),
            other: fields.into_extra(),
        }
    }
}

/// `processingInformation.authorizationOptions`.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct AuthorizationOptions {
    /// `initiator`.
    pub initiator: Option<Initiator>,
    /// Fields without a typed field.
    pub other: ExtraFields,
}

impl FromJsonObject for AuthorizationOptions {
    fn from_json_object(mut fields: ObjectReader) -> Self {
        Self {
            initiator: fields.object("initiator"),
            other: fields.into_extra(),
        }
    }
}

/// `processingInformation.authorizationOptions.initiator`.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct Initiator {
    /// `merchantInitiatedTransaction`.
    pub merchant_initiated_transaction: Option<MerchantInitiatedTransaction>,
    /// Fields without a typed field.
    pub other: ExtraFields,
}

impl FromJsonObject for Initiator {
    fn from_json_object(mut fields: ObjectReader) -> Self {
        Self {
            merchant_initiated_transaction: fields.object("merchantInitiatedTransaction"),
            other: fields.into_extra(),
        }
    }
}

/// `processingInformation.authorizationOptions.initiator.merchantInitiatedTransaction`.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct MerchantInitiatedTransaction {
    /// `previousTransactionId`: network transaction id of the previous payment in the series.
    pub previous_transaction_id: Option<String>,
    /// Fields without a typed field.
    pub other: ExtraFields,
}

impl FromJsonObject for MerchantInitiatedTransaction {
    fn from_json_object(mut fields: ObjectReader) -> Self {
        Self {
            previous_transaction_id: fields.text("previousTransactionId"),
            other: fields.into_extra(),
        }
    }
}
