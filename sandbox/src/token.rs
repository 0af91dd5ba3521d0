//! Tokens served by the sandbox, and the shared store that contains them.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, PoisonError, RwLock};

use aws_lc_rs::digest;

/// The card network behind a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CardBrand {
    /// Visa (card type code `001`).
    Visa,
    /// Mastercard (card type code `002`).
    Mastercard,
    /// American Express (card type code `003`).
    AmericanExpress,
    /// Discover (card type code `004`).
    Discover,
}

impl CardBrand {
    /// Returns CyberSource's three-digit card type code, such as `001` for Visa.
    pub fn card_type_code(self) -> &'static str {
        match self {
            Self::Visa => "001",
            Self::Mastercard => "002",
            Self::AmericanExpress => "003",
            Self::Discover => "004",
        }
    }

    /// Returns the `tokenizedCard.type` value, such as `visa`.
    pub fn network_name(self) -> &'static str {
        match self {
            Self::Visa => "visa",
            Self::Mastercard => "mastercard",
            Self::AmericanExpress => "americanexpress",
            Self::Discover => "discover",
        }
    }

    /// Returns the `processingInformation.commerceIndicator` value for an e-commerce
    /// payment with a network token: `vbv`, `spa`, `aesk` or `dipb`.
    pub fn commerce_indicator(self) -> &'static str {
        match self {
            Self::Visa => "vbv",
            Self::Mastercard => "spa",
            Self::AmericanExpress => "aesk",
            Self::Discover => "dipb",
        }
    }

    /// Returns the electronic commerce indicator sent with a cryptogram.
    pub(crate) fn eci(self) -> &'static str {
        match self {
            Self::Visa | Self::Discover => "07",
            Self::Mastercard => "02",
            Self::AmericanExpress => "07",
        }
    }
}

/// The lifecycle state of a token in the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TokenState {
    /// Payment credentials are issued (`201`).
    #[default]
    Active,
    /// The token was deleted: requests for it receive `410` with type `notAvailable`.
    Deleted,
}

/// A token with its network token and the card it stands for.
///
/// All values are strings because the API sends them as strings. The convenience
/// constructors ([`Token::visa`] and the others) fill in test values: published test card
/// numbers, Luhn-valid network token numbers that no network issued, and identifiers
/// derived from the token id so that the same id always yields the same values.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    /// The token id used in the request path (before percent-encoding).
    pub id: String,
    /// The card network.
    pub brand: CardBrand,
    /// Whether the token is active or deleted.
    pub state: TokenState,
    /// The network token number (`tokenizedCard.number`).
    pub network_token_number: String,
    /// The network token's expiration month, two digits (`tokenizedCard.expirationMonth`).
    pub network_token_expiration_month: String,
    /// The network token's expiration year, four digits (`tokenizedCard.expirationYear`).
    pub network_token_expiration_year: String,
    /// The masked card number (`card.number`), such as `411111XXXXXX1111`.
    pub masked_card_number: String,
    /// The card's expiration month, two digits (`card.expirationMonth`).
    pub card_expiration_month: String,
    /// The card's expiration year, four digits (`card.expirationYear`).
    pub card_expiration_year: String,
    /// The payment account reference assigned by the issuer (`issuer.paymentAccountReference`).
    pub payment_account_reference: String,
    /// The network's enrollment id (`tokenizedCard.enrollmentId`).
    pub enrollment_id: String,
    /// The network's token reference id (`tokenizedCard.tokenReferenceId`).
    pub token_reference_id: String,
    /// The customer token id used in the v3 `customer` link.
    pub customer_id: String,
    /// The payment instrument token id used in the v3 `paymentInstruments` link.
    pub payment_instrument_id: String,
    /// The instrument identifier token id used in the v3 `instrumentIdentifier` link.
    pub instrument_identifier_id: String,
    /// The tokenized card id used in the v3 `tokenizedCard` link.
    pub tokenized_card_id: String,
}

impl Token {
    /// Creates an active token of the given brand filled with that brand's test values.
    pub fn new(id: impl Into<String>, brand: CardBrand) -> Self {
        let id = id.into();
        let (network_token_number, masked_card_number, par_prefix) = match brand {
            CardBrand::Visa => ("4895370000001237", "411111XXXXXX1111", "V001"),
            CardBrand::Mastercard => ("5222220000001235", "555555XXXXXX4444", "5001"),
            CardBrand::AmericanExpress => ("374245000001239", "378282XXXXX0005", "A001"),
            CardBrand::Discover => ("6011000000001234", "601111XXXXXX1117", "D001"),
        };
        let par_digits: String = derived_hex(&id, "par")
            .bytes()
            .map(|b| char::from(b'0' + b % 10))
            .take(25)
            .collect();

        Self {
            brand,
            state: TokenState::Active,
            network_token_number: network_token_number.to_owned(),
            network_token_expiration_month: "12".to_owned(),
            network_token_expiration_year: "2031".to_owned(),
            masked_card_number: masked_card_number.to_owned(),
            card_expiration_month: "12".to_owned(),
            card_expiration_year: "2030".to_owned(),
            payment_account_reference: format!("{par_prefix}{par_digits}"),
            enrollment_id: derived_hex(&id, "enrollment"),
            token_reference_id: derived_hex(&id, "token-reference"),
            customer_id: derived_hex(&id, "customer").to_ascii_uppercase(),
            payment_instrument_id: derived_hex(&id, "payment-instrument").to_ascii_uppercase(),
            instrument_identifier_id: derived_hex(&id, "instrument-identifier")
                .to_ascii_uppercase(),
            tokenized_card_id: derived_hex(&id, "tokenized-card").to_ascii_uppercase(),
            id,
        }
    }

    /// Creates an active Visa token with test values (network token `4895370000001237`,
    /// card `411111XXXXXX1111`).
    pub fn visa(id: impl Into<String>) -> Self {
        Self::new(id, CardBrand::Visa)
    }

    /// Creates an active Mastercard token with test values (network token
    /// `5222220000001235`, card `555555XXXXXX4444`).
    pub fn mastercard(id: impl Into<String>) -> Self {
        Self::new(id, CardBrand::Mastercard)
    }

    /// Creates an active American Express token with test values (network token
    /// `374245000001239`, card `378282XXXXX0005`).
    pub fn american_express(id: impl Into<String>) -> Self {
        Self::new(id, CardBrand::AmericanExpress)
    }

    /// Creates an active Discover token with test values (network token
    /// `6011000000001234`, card `601111XXXXXX1117`).
    pub fn discover(id: impl Into<String>) -> Self {
        Self::new(id, CardBrand::Discover)
    }

    /// Returns the token with its state set to [`TokenState::Deleted`].
    pub fn deleted(mut self) -> Self {
        self.state = TokenState::Deleted;
        self
    }
}

/// Shows the id, brand and state, and only the last four digits of the network token.
impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.network_token_number.chars().count();
        let last_four: String = self
            .network_token_number
            .chars()
            .skip(digits.saturating_sub(4))
            .collect();
        f.debug_struct("Token")
            .field("id", &self.id)
            .field("brand", &self.brand)
            .field("state", &self.state)
            .field("network_token_last_four", &last_four)
            .finish_non_exhaustive()
    }
}

/// Returns 32 lower-case hex characters derived from a token id and a label.
fn derived_hex(id: &str, label: &str) -> String {
    let mut context = digest::Context::new(&digest::SHA256);
    context.update(label.as_bytes());
    context.update(b"\0");
    context.update(id.as_bytes());
    hex(&context.finish().as_ref()[..16])
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// A shared, thread-safe handle to the sandbox's tokens, keyed by token id.
///
/// Clones share the same tokens, so a test can add, delete or remove tokens while the
/// server runs. Each request reads the store as it is when the request arrives.
#[derive(Clone, Default)]
pub struct TokenStore {
    tokens: Arc<RwLock<HashMap<String, Token>>>,
}

impl TokenStore {
    /// Creates an empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Inserts a token under its id and returns the token it replaced, if any.
    pub fn insert(&self, token: Token) -> Option<Token> {
        let mut tokens = self.tokens.write().unwrap_or_else(PoisonError::into_inner);
        tokens.insert(token.id.clone(), token)
    }

    /// Returns a copy of the token with this id.
    pub fn get(&self, id: &str) -> Option<Token> {
        let tokens = self.tokens.read().unwrap_or_else(PoisonError::into_inner);
        tokens.get(id).cloned()
    }

    /// Marks a token as deleted, so that requests for it receive `410`. Returns `false`
    /// when no token has this id.
    pub fn delete(&self, id: &str) -> bool {
        let mut tokens = self.tokens.write().unwrap_or_else(PoisonError::into_inner);
        match tokens.get_mut(id) {
            Some(token) => {
                token.state = TokenState::Deleted;
                true
            }
            None => false,
        }
    }

    /// Removes a token, so that requests for it receive `404`, and returns it.
    pub fn remove(&self, id: &str) -> Option<Token> {
        let mut tokens = self.tokens.write().unwrap_or_else(PoisonError::into_inner);
        tokens.remove(id)
    }

    /// Removes every token.
    pub fn clear(&self) {
        let mut tokens = self.tokens.write().unwrap_or_else(PoisonError::into_inner);
        tokens.clear();
    }

    /// Returns the ids of all tokens, sorted.
    pub fn ids(&self) -> Vec<String> {
        let tokens = self.tokens.read().unwrap_or_else(PoisonError::into_inner);
        let mut ids: Vec<String> = tokens.keys().cloned().collect();
        ids.sort();
        ids
    }

    /// Returns the number of tokens, deleted ones included.
    pub fn len(&self) -> usize {
        self.tokens
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// Returns whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Debug for TokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenStore")
            .field("len", &self.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luhn_valid(number: &str) -> bool {
        let mut sum = 0;
        for (position, c) in number.chars().rev().enumerate() {
            let Some(mut digit) = c.to_digit(10) else {
                return false;
            };
            if position % 2 == 1 {
                digit *= 2;
                if digit > 9 {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        sum % 10 == 0
    }

    #[test]
    fn constructors_fill_brand_values() {
        let cases = [
            (Token::visa("a"), CardBrand::Visa, 16, "001"),
            (Token::mastercard("a"), CardBrand::Mastercard, 16, "002"),
            (
                Token::american_express("a"),
                CardBrand::AmericanExpress,
                15,
                "003",
            ),
            (Token::discover("a"), CardBrand::Discover, 16, "004"),
        ];
        for (token, brand, length, code) in cases {
            assert_eq!(token.brand, brand);
            assert_eq!(token.state, TokenState::Active);
            assert_eq!(token.network_token_number.len(), length);
            assert!(luhn_valid(&token.network_token_number), "{brand:?}");
            assert_eq!(token.masked_card_number.len(), length, "{brand:?}");
            assert_eq!(token.brand.card_type_code(), code);
            assert_eq!(token.payment_account_reference.len(), 29, "{brand:?}");
            assert_eq!(token.enrollment_id.len(), 32);
        }
    }

    #[test]
    fn derived_ids_depend_on_token_id() {
        assert_eq!(Token::visa("a"), Token::visa("a"));
        assert_ne!(
            Token::visa("a").enrollment_id,
            Token::visa("b").enrollment_id
        );
        assert_ne!(
            Token::visa("a").enrollment_id,
            Token::visa("a").token_reference_id
        );
    }

    #[test]
    fn store_delete_and_remove() {
        let store = TokenStore::new();
        assert!(store.is_empty());
        assert!(store.insert(Token::visa("t1")).is_none());
        assert!(store.insert(Token::visa("t1")).is_some());
        assert_eq!(store.len(), 1);

        assert!(store.delete("t1"));
        assert!(!store.delete("missing"));
        assert_eq!(store.get("t1").map(|t| t.state), Some(TokenState::Deleted));

        assert!(store.remove("t1").is_some());
        assert!(store.get("t1").is_none());
    }

    #[test]
    fn debug_hides_network_token() {
        let text = format!("{:?}", Token::visa("t1"));
        assert!(!text.contains("4895370000001237"), "{text}");
        assert!(text.contains("1237"), "{text}");
    }
}
