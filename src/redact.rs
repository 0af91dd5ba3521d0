//! Redaction of text that comes from a server before it reaches an error message or a log:
//! card-like digit runs are replaced, control characters escaped, and bodies that carry card
//! data fields are not shown at all.

/// The maximum length of the body prefix kept in an error, in bytes.
pub(crate) const SNIPPET_BYTES: usize = 512;

/// Replaces a run of at least this many digits, which could be a card or token number.
const MIN_REDACTED_DIGITS: usize = 12;

/// JSON keys whose presence means a body contains payment credentials.
const CARD_DATA_KEYS: [&str; 4] = ["tokenizedCard", "cryptogram", "securityCode", "number"];

/// Placeholder for a body that is not shown.
pub(crate) const CARD_DATA_WITHHELD: &str = "[body not shown: it may hold card data]";

/// Returns the start of `body` as text for an error message, or a placeholder when the body
/// is JSON with payment-credential fields.
pub(crate) fn body_snippet(body: &[u8]) -> String {
    if has_card_data_keys(body) {
        return CARD_DATA_WITHHELD.to_string();
    }
    let end = body.len().min(SNIPPET_BYTES);
    sanitize(&String::from_utf8_lossy(&body[..end]))
}

/// Returns `text` with card-like digit runs replaced and control characters escaped, so that
/// a server cannot put card numbers or forged log lines into messages. A run counts digits
/// across single spaces and dashes, as in `4111 1111 1111 1111`.
pub(crate) fn sanitize(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    let mut run = String::new();
    let mut run_digits = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next_is_digit = chars.peek().is_some_and(char::is_ascii_digit);
        if c.is_ascii_digit() {
            run.push(c);
            run_digits += 1;
            continue;
        }
        if run_digits > 0 && matches!(c, ' ' | '-') && next_is_digit {
            run.push(c);
            continue;
        }
        flush_run(&mut output, &mut run, &mut run_digits);
        if c.is_control() {
            output.extend(c.escape_default());
        } else {
            output.push(c);
        }
    }
    flush_run(&mut output, &mut run, &mut run_digits);
    output
}

fn flush_run(output: &mut String, run: &mut String, run_digits: &mut usize) {
    if *run_digits >= MIN_REDACTED_DIGITS {
        output.push_str("[digits redacted]");
    } else {
        output.push_str(run);
    }
    run.clear();
    *run_digits = 0;
}

fn has_card_data_keys(body: &[u8]) -> bool {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return false;
    };
    let mut pending = vec![&value];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::Object(map) => {
                if map.keys().any(|key| CARD_DATA_KEYS.contains(&key.as_str())) {
                    return true;
                }
                pending.extend(map.values());
            }
            serde_json::Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_redacts_card_numbers() {
        let snippet = body_snippet(b"<p>4111111111111111, id 12345</p>");

        assert_eq!(snippet, "<p>[digits redacted], id 12345</p>");
    }

    #[test]
    fn sanitize_redacts_spaced_and_dashed_numbers() {
        assert_eq!(
            sanitize("a 4111 1111 1111 1111 / 4111-1111-1111-1111 b"),
            "a [digits redacted] / [digits redacted] b"
        );
    }

    #[test]
    fn sanitize_keeps_short_numbers_and_dates() {
        assert_eq!(
            sanitize("code 42, 2026-12-04 10:00"),
            "code 42, 2026-12-04 10:00"
        );
    }

    #[test]
    fn sanitize_escapes_control_characters() {
        assert_eq!(sanitize("a\nforged\u{1b}[31m"), "a\\nforged\\u{1b}[31m");
    }

    #[test]
    fn snippet_withholds_credentials_json() {
        let body = br#"{"tokenizedCard":{"cryptogram":"AgAAAAAAAIR8CQrXcIhbQAAAAAA=","securityCode":"4321"}}"#;

        assert_eq!(body_snippet(body), CARD_DATA_WITHHELD);
    }

    #[test]
    fn snippet_is_bounded() {
        let body = vec![b'x'; 10_000];

        assert_eq!(body_snippet(&body).len(), SNIPPET_BYTES);
    }
}
