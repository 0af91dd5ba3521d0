//! Enumerations of the payment-credentials JSON that keep values this crate does not know.
//!
//! CyberSource adds enum values without notice, so every enum has an `Unknown` arm holding
//! the text as received. Serialization writes back the original text.

open_enum! {
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

open_enum! {
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

open_enum! {
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
