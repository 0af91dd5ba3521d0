//! PEM parsing and extraction of the one private key in a PEM document as PKCS#8 DER.
//!
//! The parser accepts the RFC 7468 textual encoding plus the RFC 1421 headers that OpenSSL
//! writes into traditional encrypted keys (`Proc-Type`, `DEK-Info`). Text outside the
//! `-----BEGIN`/`-----END` lines is ignored.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use zeroize::Zeroizing;

use super::encrypted::{decrypt_encrypted_pkcs8, decrypt_traditional_pkcs1};
use super::error::{KeyError, KeyErrorKind};
use super::wrap_pkcs1_in_pkcs8;

const PKCS8_LABEL: &str = "PRIVATE KEY";
const PKCS1_LABEL: &str = "RSA PRIVATE KEY";
const ENCRYPTED_PKCS8_LABEL: &str = "ENCRYPTED PRIVATE KEY";

/// One `-----BEGIN LABEL-----` … `-----END LABEL-----` section.
pub(super) struct PemSection {
    pub(super) label: String,
    /// RFC 1421 header lines as (name, value) pairs, in file order.
    pub(super) headers: Vec<(String, String)>,
    /// The decoded base64 body.
    pub(super) der: Zeroizing<Vec<u8>>,
}

impl PemSection {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(header_name, _)| header_name.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Returns whether the section has OpenSSL's `Proc-Type: 4,ENCRYPTED` header.
    fn is_traditionally_encrypted(&self) -> bool {
        self.header("Proc-Type")
            .is_some_and(|value| value.trim().ends_with("ENCRYPTED"))
    }
}

/// Parses every PEM section in `input`.
///
/// Fails with [`KeyErrorKind::NotPem`] when there is no `-----BEGIN` line or the PEM syntax
/// is invalid. Messages quote no input, because the input may be key material.
pub(super) fn parse_pem(input: &[u8]) -> Result<Vec<PemSection>, KeyError> {
    let unescaped = unescape_newlines(input);
    let input = unescaped.as_deref().map_or(input, |text| &text[..]);
    let lines: Vec<&[u8]> = input
        .split(|&byte| byte == b'\n')
        .map(<[u8]>::trim_ascii)
        .collect();

    let mut sections = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let Some(label) = boundary_label(lines[index], b"-----BEGIN ") else {
            index += 1;
            continue;
        };
        let end_line = lines[index + 1..]
            .iter()
            .position(|line| line.starts_with(b"-----END "))
            .map(|offset| index + 1 + offset)
            .ok_or_else(|| {
                pem_syntax_error("a `-----BEGIN` line has no matching `-----END` line")
            })?;
        if boundary_label(lines[end_line], b"-----END ") != Some(label) {
            return Err(pem_syntax_error(
                "a `-----END` line has a different label than its `-----BEGIN` line",
            ));
        }

        let label = std::str::from_utf8(label)
            .map_err(|_| pem_syntax_error("a `-----BEGIN` line has a label that is not UTF-8"))?
            .to_owned();
        let (headers, der) = parse_section_body(&lines[index + 1..end_line])?;
        sections.push(PemSection {
            label,
            headers,
            der,
        });
        index = end_line + 1;
    }

    if sections.is_empty() {
        return Err(KeyError::new(
            KeyErrorKind::NotPem,
            "the input is not PEM because it has no `-----BEGIN ...-----` line; expected a \
             PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`) key, or use \
             `from_pkcs8_der` for DER input and `from_pkcs12` for a PKCS#12 file",
        ));
    }
    Ok(sections)
}

/// Returns the label of a `-----BEGIN LABEL-----` or `-----END LABEL-----` line.
/// Returns `input` with the two-character escapes `\n` and `\r` turned into line breaks, for
/// PEM text that went through a `.env` file or a secret store on one line. Returns `None`
/// when `input` already has a line break or no such escape.
fn unescape_newlines(input: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if input.contains(&b'\n') || !input.windows(2).any(|pair| pair == b"\\n") {
        return None;
    }
    let mut output = Zeroizing::new(Vec::with_capacity(input.len()));
    let mut bytes = input.iter().copied().peekable();
    while let Some(byte) = bytes.next() {
        match (byte, bytes.peek()) {
            (b'\\', Some(b'n')) => {
                bytes.next();
                output.push(b'\n');
            }
            (b'\\', Some(b'r')) => {
                bytes.next();
            }
            _ => output.push(byte),
        }
    }
    Some(output)
}

fn boundary_label<'a>(line: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    line.strip_prefix(prefix)?.strip_suffix(b"-----")
}

type SectionBody = (Vec<(String, String)>, Zeroizing<Vec<u8>>);

/// Splits the lines between the boundaries into RFC 1421 headers and the base64 body.
fn parse_section_body(lines: &[&[u8]]) -> Result<SectionBody, KeyError> {
    let mut headers = Vec::new();
    let mut body_start = 0;
    // Header lines come first and contain a colon, which base64 text never does.
    for line in lines {
        let Some(colon) = line.iter().position(|&byte| byte == b':') else {
            break;
        };
        let name = String::from_utf8_lossy(&line[..colon]).trim().to_owned();
        let value = String::from_utf8_lossy(&line[colon + 1..])
            .trim()
            .to_owned();
        headers.push((name, value));
        body_start += 1;
    }

    let body_lines = &lines[body_start..];
    let body_len: usize = body_lines.iter().map(|line| line.len()).sum();
    // One allocation of the final size, so that no reallocation leaves base64 key text
    // behind in freed memory.
    let mut base64_text = Zeroizing::new(Vec::with_capacity(body_len));
    for line in body_lines {
        base64_text.extend(line.iter().filter(|byte| !byte.is_ascii_whitespace()));
    }

    let der = STANDARD
        .decode(base64_text.as_slice())
        .map_err(|_| pem_syntax_error("the base64 text inside a PEM section is invalid"))?;
    Ok((headers, Zeroizing::new(der)))
}

fn pem_syntax_error(problem: &str) -> KeyError {
    KeyError::new(KeyErrorKind::NotPem, format!("invalid PEM: {problem}"))
}

/// Finds the one private key in a PEM document and returns it as PKCS#8 DER, decrypting it
/// with `password` when it is encrypted.
///
/// An unencrypted key loads whether or not a password is given, so that one configuration
/// can hold either kind of key.
pub(crate) fn private_key_from_pem(
    pem: &[u8],
    password: Option<&str>,
) -> Result<Zeroizing<Vec<u8>>, KeyError> {
    let sections = parse_pem(pem)?;
    let is_private_key = |section: &&PemSection| {
        matches!(
            section.label.as_str(),
            PKCS8_LABEL | PKCS1_LABEL | ENCRYPTED_PKCS8_LABEL
        )
    };
    let mut private_keys = sections.iter().filter(is_private_key);
    let section = match (private_keys.next(), private_keys.next()) {
        (Some(section), None) => section,
        (Some(_), Some(_)) => {
            let count = 2 + private_keys.count();
            let message = format!(
                "the PEM contains {count} private keys, but exactly one is expected; keep only \
                 the key to load"
            );
            return Err(KeyError::new(KeyErrorKind::UnsupportedPem, message));
        }
        (None, _) => return Err(no_private_key_error(&sections)),
    };

    match section.label.as_str() {
        ENCRYPTED_PKCS8_LABEL => {
            let password = password.ok_or_else(|| password_required_error("PKCS#8"))?;
            decrypt_encrypted_pkcs8(&section.der, password)
        }
        PKCS1_LABEL if section.is_traditionally_encrypted() => {
            let password = password.ok_or_else(|| password_required_error("PKCS#1"))?;
            let pkcs1 = decrypt_traditional_pkcs1(section, password)?;
            wrap_pkcs1_in_pkcs8(&pkcs1)
        }
        PKCS1_LABEL => wrap_pkcs1_in_pkcs8(&section.der),
        _ => Ok(Zeroizing::new(section.der.to_vec())),
    }
}

fn password_required_error(format: &str) -> KeyError {
    KeyError::new(
        KeyErrorKind::Encrypted,
        format!(
            "the {format} private key is encrypted with a password; load it with \
             `from_encrypted_pem` or `from_encrypted_pem_file` and the password"
        ),
    )
}

fn no_private_key_error(sections: &[PemSection]) -> KeyError {
    let has = |label: &str| sections.iter().any(|section| section.label == label);
    let message = if has("CERTIFICATE") {
        "the PEM contains a certificate but no private key; load the private key file whose \
         public key the certificate carries, or the PKCS#12 file that holds both"
            .to_owned()
    } else if has("PUBLIC KEY") || has("RSA PUBLIC KEY") {
        "the PEM contains a public key, but the private key is required; load the private \
         key of this key pair"
            .to_owned()
    } else if has("EC PRIVATE KEY") {
        "the PEM contains an EC private key, but an RSA key is required".to_owned()
    } else if has("OPENSSH PRIVATE KEY") {
        "the PEM contains an OpenSSH private key; convert it to PKCS#8 with \
         `ssh-keygen -p -m PKCS8 -f FILE`"
            .to_owned()
    } else {
        let found: Vec<String> = sections
            .iter()
            .map(|section| format!("`{}`", section.label))
            .collect();
        format!(
            "the PEM contains no private key (found {}); expected `{PKCS8_LABEL}`, \
             `{PKCS1_LABEL}` or `{ENCRYPTED_PKCS8_LABEL}`",
            found.join(", ")
        )
    };
    KeyError::new(KeyErrorKind::UnsupportedPem, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_body_parsed() {
        let pem = b"text before\r\n-----BEGIN RSA PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\r\n\
                    DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\r\n\r\nAAEC\r\nAw==\r\n\
                    -----END RSA PRIVATE KEY-----\r\n";
        let sections = parse_pem(pem).expect("valid PEM");
        assert_eq!(sections.len(), 1);
        let section = &sections[0];
        assert_eq!(section.label, "RSA PRIVATE KEY");
        assert_eq!(section.header("proc-type"), Some("4,ENCRYPTED"));
        assert_eq!(
            section.header("DEK-Info"),
            Some("AES-128-CBC,00112233445566778899AABBCCDDEEFF")
        );
        assert!(section.is_traditionally_encrypted());
        assert_eq!(section.der.as_slice(), [0, 1, 2, 3]);
    }

    #[test]
    fn mismatched_end_label_rejected() {
        let pem = b"-----BEGIN PRIVATE KEY-----\nAAEC\n-----END PUBLIC KEY-----\n";
        let error = parse_pem(pem).err().expect("labels differ");
        assert_eq!(error.kind(), KeyErrorKind::NotPem);
    }

    #[test]
    fn missing_end_line_rejected() {
        let pem = b"-----BEGIN PRIVATE KEY-----\nAAEC\n";
        let error = parse_pem(pem).err().expect("no END line");
        assert_eq!(error.kind(), KeyErrorKind::NotPem);
        assert!(error.to_string().contains("`-----END`"), "{error}");
    }

    #[test]
    fn invalid_base64_rejected() {
        let pem = b"-----BEGIN PRIVATE KEY-----\nA!EC\n-----END PRIVATE KEY-----\n";
        let error = parse_pem(pem).err().expect("not base64");
        assert_eq!(error.kind(), KeyErrorKind::NotPem);
        assert!(!error.to_string().contains("A!EC"), "{error}");
    }
}
