//! Request values: the validated token and profile ids, and the open enums of the request
//! body. The body structs themselves are generated from the spec and re-exported here.

use std::fmt;

use crate::error::InvalidInput;

pub use crate::generated::types::{
    AmountDetails, AuthenticatedIdentity, BillTo, DeviceInformation, MerchantDescriptor,
    MerchantInformation, OrderInformation, PaymentCredentialsRequest,
};

/// A TMS token id, checked so that it reaches the API as one path segment.
///
/// The generated client percent-encodes the id (`/`, `?`, `#`, `%` and control characters
/// included), but two cases escape the segment, so they are rejected here before any I/O.
/// URL parsers remove `.` and `..` as dot segments, so `..` would post to
/// `/tms/v2/payment-credentials`. They also read `\` as `/` in `http(s)` paths.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct TokenId(String);

impl TokenId {
    /// Checks `value` as a token id: a Customer, Payment Instrument, Instrument Identifier or
    /// Tokenized Card id (32 hexadecimal characters, or 16, 19 or 22 digits).
    ///
    /// # Errors
    ///
    /// [`InvalidInput::InvalidTokenId`] for an empty id, `.` or `..`, an id with `\`, and an
    /// id with a control character or leading or trailing whitespace, which are copy mistakes
    /// that the API would reject with 404. Other characters are allowed and percent-encoded
    /// when sent.
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidInput> {
        let value = value.into();
        let reason = match value.as_str() {
            "" => Some("it is empty"),
            "." | ".." => Some("\".\" and \"..\" cannot be sent as a path segment"),
            id if id.contains('\\') => {
                Some("it contains a backslash, which URL parsing turns into a path separator")
            }
            id if id.chars().any(char::is_control) => Some("it contains a control character"),
            id if id.trim() != id => Some("it starts or ends with whitespace"),
            _ => None,
        };
        match reason {
            Some(reason) => Err(InvalidInput::InvalidTokenId { reason }),
            None => Ok(Self(value)),
        }
    }

    /// Returns the id as given, before percent-encoding.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TokenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("TokenId").field(&self.0).finish()
    }
}

impl fmt::Display for TokenId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<TokenId> for String {
    fn from(id: TokenId) -> Self {
        id.0
    }
}

impl TryFrom<&str> for TokenId {
    type Error = InvalidInput;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl TryFrom<String> for TokenId {
    type Error = InvalidInput;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

/// A TMS profile id for the `profile-id` header, checked so that it is a valid header value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProfileId(String);

impl ProfileId {
    /// Checks `value` as a profile id (a 36-character UUID in CyberSource's samples).
    ///
    /// # Errors
    ///
    /// [`InvalidInput::InvalidProfileId`] when the value is empty, contains a control character
    /// (CR and LF included), leading or trailing whitespace, or a character outside ASCII.
    pub fn new(value: impl Into<String>) -> Result<Self, InvalidInput> {
        let value = value.into();
        let reason = if value.is_empty() {
            Some("it is empty; leave the profile id unset to use the default profile")
        } else if value.chars().any(|c| c.is_control()) {
            Some("it contains a control character")
        } else if value.trim() != value {
            Some("it starts or ends with whitespace")
        } else if !value.is_ascii() {
            Some("it contains a character outside ASCII")
        } else {
            None
        };
        match reason {
            Some(reason) => Err(InvalidInput::InvalidProfileId { reason }),
            None => Ok(Self(value)),
        }
    }

    /// Returns the id as sent in the `profile-id` header.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<ProfileId> for String {
    fn from(id: ProfileId) -> Self {
        id.0
    }
}

impl TryFrom<&str> for ProfileId {
    type Error = InvalidInput;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl TryFrom<String> for ProfileId {
    type Error = InvalidInput;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

open_enum! {
    /// The credentials to return (`paymentCredentialType`).
    PaymentCredentialType {
        /// The network token only.
        NetworkToken => "NETWORK_TOKEN",
        /// The network token and a cryptogram; not for American Express.
        Cryptogram => "CRYPTOGRAM",
        /// The network token and a dynamic security code (American Express, Secure Card on File).
        SecurityCode => "SECURITY_CODE",
    }
}

open_enum! {
    /// The kind of transaction the credentials are for (`transactionType`).
    TransactionType {
        /// E-commerce, the API's default.
        Ecom => "ECOM",
        /// Account funding transaction: Visa, with [`PaymentCredentialType::Cryptogram`] only.
        Aft => "AFT",
    }
}

open_enum! {
    /// The platform of the customer's device (`deviceInformation.platformType`).
    PlatformType {
        /// Apple iOS.
        Ios => "iOS",
        /// Android.
        Android => "ANDROID",
        /// Microsoft Windows.
        Windows => "WINDOWS",
        /// A web browser.
        Web => "WEB",
    }
}

open_enum! {
    /// The provider of an authenticated identity (`authenticatedIdentities[].provider`).
    AuthenticatedIdentityProvider {
        /// A Visa payment passkey assertion.
        VisaPaymentPasskey => "VISA_PAYMENT_PASSKEY",
        /// A JWS signed with a client device certificate.
        ClientDeviceCertJws => "CLIENT_DEVICE_CERT_JWS",
    }
}

open_enum! {
    /// The cardholder's authentication method
    /// (`authenticatedIdentities[].userAuthenticationMethod`).
    UserAuthenticationMethod {
        /// User name and password.
        UsernamePassword => "USERNAME_PASSWORD",
        /// Passcode and password.
        PasscodePassword => "PASSCODE_PASSWORD",
        /// Passcode.
        Passcode => "PASSCODE",
        /// Password.
        Password => "PASSWORD",
        /// Unlock pattern.
        Pattern => "PATTERN",
        /// Fingerprint.
        BiometricFingerprint => "BIOMETRIC_FINGERPRINT",
        /// Face recognition.
        BiometricFacial => "BIOMETRIC_FACIAL",
        /// Iris scan.
        BiometricIris => "BIOMETRIC_IRIS",
        /// Voice recognition.
        BiometricVoice => "BIOMETRIC_VOICE",
        /// Behavioral biometrics.
        BiometricBehavioral => "BIOMETRIC_BEHAVIORAL",
        /// The device was unlocked by a method that is not known.
        DeviceUnlockedMethodUnknown => "DEVICE_UNLOCKED_METHOD_UNKNOWN",
        /// One-time password by SMS.
        OtpSms => "OTP_SMS",
        /// One-time password by email.
        OtpEmail => "OTP_EMAIL",
        /// One-time password by SMS with a knowledge question.
        OtpSmsKnowledge => "OTP_SMS_KNOWLEDGE",
        /// Knowledge-based authentication.
        KnowledgeBasedAuthentication => "KNOWLEDGE_BASED_AUTHENTICATION",
        /// The user was not verified.
        UserUnverified => "USER_UNVERIFIED",
        /// Biometrics of an unspecified kind.
        Biometric => "BIOMETRIC",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_id_rejects_segment_escapes() {
        for value in [
            "",
            ".",
            "..",
            r"x\..\..\v3\tokens\OTHER",
            " 703",
            "703\n",
            "7\t03",
        ] {
            assert!(
                matches!(
                    TokenId::new(value),
                    Err(InvalidInput::InvalidTokenId { .. })
                ),
                "{value:?} was accepted"
            );
        }
        assert_eq!(TokenId::new("...").map(|id| id.0), Ok("...".to_string()));
        assert_eq!(
            TokenId::new("ABC/../DEF?x#1").map(|id| id.0),
            Ok("ABC/../DEF?x#1".to_string())
        );
    }

    #[test]
    fn profile_id_rejects_control_characters() {
        for value in [
            "",
            "a\r\nb",
            "tab\there",
            "nul\0",
            "del\u{7f}",
            "é",
            " id",
            "id ",
        ] {
            assert!(ProfileId::new(value).is_err(), "{value:?} was accepted");
        }
        assert!(ProfileId::new("93B32398-AD51-4CC2-A682-EA3E93614EB1").is_ok());
    }

    #[test]
    fn open_enum_keeps_unknown_values() {
        let known: PaymentCredentialType = serde_json::from_str("\"CRYPTOGRAM\"").unwrap();
        let unknown: PaymentCredentialType = serde_json::from_str("\"QUANTUM\"").unwrap();

        assert_eq!(known, PaymentCredentialType::Cryptogram);
        assert_eq!(
            unknown,
            PaymentCredentialType::Unknown("QUANTUM".to_string())
        );
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"QUANTUM\"");
        assert_eq!(
            serde_json::to_string(&PlatformType::Ios).unwrap(),
            "\"iOS\""
        );
    }
}
