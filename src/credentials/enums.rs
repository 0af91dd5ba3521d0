//! Enumerations of the payment-credentials JSON that keep values this crate does not know.
//!
//! CyberSource adds enum values without notice, so every enum has an `Unknown` arm holding
//! the text as received. Serialization writes back the original text.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Defines a string enum with known values, an `Unknown(String)` arm, `as_str`, `Display`,
/// `From<String>`, `From<&str>` and serde support as a JSON string.
macro_rules! open_string_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[non_exhaustive]
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$variant_meta])* $variant, )+
            /// A value this version of the crate does not know, as received.
            Unknown(String),
        }

        impl $name {
            /// Returns the value as written in the JSON.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )+
                    Self::Unknown(text) => text,
                }
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                match text.as_str() {
                    $( $text => Self::$variant, )+
                    _ => Self::Unknown(text),
                }
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                Self::from(text.to_owned())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    };
}

open_string_enum! {
    /// `tokenizedCard.source`: where the network token came from.
    TokenSource {
        /// `ONFILE`: provisioned from a card stored on file.
        OnFile => "ONFILE",
        /// `TOKEN`: provisioned from another token.
        Token => "TOKEN",
        /// `ISSUER`: pushed by the card issuer.
        Issuer => "ISSUER",
    }
}

open_string_enum! {
    /// `tokenizedCard.state`: lifecycle state of the network token.
    TokenState {
        /// `ACTIVE`: usable for payments.
        Active => "ACTIVE",
        /// `SUSPENDED`: temporarily unusable.
        Suspended => "SUSPENDED",
        /// `DELETED`: permanently unusable.
        Deleted => "DELETED",
        /// `UNPROVISIONED`: not provisioned by the card network.
        Unprovisioned => "UNPROVISIONED",
    }
}

open_string_enum! {
    /// `tokenizedCard.type`: card network of the token.
    TokenizedCardType {
        /// `visa`.
        Visa => "visa",
        /// `mastercard`.
        Mastercard => "mastercard",
        /// `americanexpress`.
        AmericanExpress => "americanexpress",
    }
}
