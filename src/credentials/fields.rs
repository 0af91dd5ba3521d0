//! Conversion from a parsed JSON object into typed fields, keeping the fields it does not
//! know.
//!
//! Values are moved out of the parsed [`serde_json::Value`] rather than copied, so each
//! string of the payload lives in exactly one place that is zeroized on drop: a typed
//! wrapper or an [`ExtraFields`] map.

use std::fmt;

use serde_json::{Map, Value};
use zeroize::Zeroize;

use super::secret::{CardNumber, SecretString};

/// Fields of a JSON object that this crate has no typed field for.
///
/// CyberSource adds fields without notice, so they are kept rather than rejected. Their
/// values may be cardholder data: `Debug` prints only the field names, and the strings are
/// zeroized on drop.
#[derive(Clone, Default)]
pub struct ExtraFields(Map<String, Value>);

impl ExtraFields {
    /// Returns the field names.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Returns whether a field with this name is present.
    pub fn contains_key(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// Returns the value of one field. It may be cardholder data: do not log it.
    pub fn expose(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// Returns all fields. The values may be cardholder data: do not log them.
    pub fn expose_map(&self) -> &Map<String, Value> {
        &self.0
    }

    /// Returns the number of fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Returns whether there are no unknown fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for ExtraFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Drop for ExtraFields {
    fn drop(&mut self) {
        for value in self.0.values_mut() {
            zeroize_value(value);
        }
    }
}

/// Overwrites every string inside a JSON value with zeros.
///
/// NOTE: object keys and numbers cannot be wiped in place and are freed as they are.
pub(crate) fn zeroize_value(value: &mut Value) {
    match value {
        Value::String(text) => text.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(zeroize_value),
        Value::Object(fields) => fields.values_mut().for_each(zeroize_value),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// A parsed JSON value that is zeroized when dropped, for values not yet moved into typed
/// fields.
pub(crate) struct ZeroizingValue(pub(crate) Value);

impl Drop for ZeroizingValue {
    fn drop(&mut self) {
        zeroize_value(&mut self.0);
    }
}

/// A typed view that is built from one JSON object.
pub(crate) trait FromJsonObject: Sized {
    fn from_json_object(fields: ObjectReader) -> Self;
}

/// Moves known fields out of a JSON object; what remains becomes [`ExtraFields`].
pub(crate) struct ObjectReader(ExtraFields);

impl ObjectReader {
    pub(crate) fn new(fields: Map<String, Value>) -> Self {
        Self(ExtraFields(fields))
    }

    /// Takes a text field. A JSON number is taken as its decimal text. A value of any other
    /// type stays among the extra fields, and `null` counts as absent.
    pub(crate) fn text(&mut self, name: &str) -> Option<String> {
        let fields = &mut (self.0).0;
        match fields.get(name)? {
            Value::String(_) | Value::Number(_) | Value::Null => {}
            _ => return None,
        }
        match fields.remove(name)? {
            Value::String(text) => Some(text),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        }
    }

    pub(crate) fn secret(&mut self, name: &str) -> Option<SecretString> {
        self.text(name).map(SecretString::new)
    }

    pub(crate) fn card_number(&mut self, name: &str) -> Option<CardNumber> {
        self.text(name).map(CardNumber::new)
    }

    /// Takes a text field and converts it, for enums that keep unknown values.
    pub(crate) fn parsed<T: From<String>>(&mut self, name: &str) -> Option<T> {
        self.text(name).map(T::from)
    }

    /// Takes a nested object. A value of another type stays among the extra fields.
    pub(crate) fn object<T: FromJsonObject>(&mut self, name: &str) -> Option<T> {
        let fields = &mut (self.0).0;
        if !matches!(fields.get(name)?, Value::Object(_) | Value::Null) {
            return None;
        }
        match fields.remove(name)? {
            Value::Object(nested) => Some(T::from_json_object(Self::new(nested))),
            _ => None,
        }
    }

    /// Takes a field of any JSON type, for fields whose type the API does not document.
    /// `null` counts as absent.
    pub(crate) fn value(&mut self, name: &str) -> Option<Value> {
        match (self.0).0.remove(name)? {
            Value::Null => None,
            value => Some(value),
        }
    }

    /// Returns the fields that were not taken.
    pub(crate) fn into_extra(self) -> ExtraFields {
        self.0
    }
}
