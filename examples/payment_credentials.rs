//! Requests payment credentials for a TMS token and prints them with every card value masked.
//!
//! With no CyberSource settings in the environment, it starts the local sandbox with
//! throwaway keys and calls it:
//!
//!     cargo run --example payment_credentials
//!
//! With any `CYBERSOURCE_*` variable set, it calls that environment instead:
//!
//!     cargo run --example payment_credentials -- --token-id ID [--profile-id ID] [--type TYPE]
//!
//! `--type` is `NETWORK_TOKEN`, `CRYPTOGRAM` or `SECURITY_CODE` (American Express); without it
//! CyberSource returns what the card supports.
//!
//! | variable | meaning |
//! | --- | --- |
//! | `CYBERSOURCE_ENVIRONMENT` | required: a name such as `test`, or a base URL |
//! | `CYBERSOURCE_MERCHANT_ID` | required: the transacting merchant |
//! | `CYBERSOURCE_AUTH_TYPE` | `http_signature` (default) or `jwt` |
//! | `CYBERSOURCE_KEY_ID`, `CYBERSOURCE_SECRET_KEY` | the REST shared secret key: HTTP Signature, or JWT HS256 |
//! | `CYBERSOURCE_P12_FILE`, `CYBERSOURCE_P12_PASSWORD` | JWT RS256 with the Business Center's PKCS#12 file |
//! | `CYBERSOURCE_PORTFOLIO_ID` | a meta key's portfolio id (optional) |
//! | `CYBERSOURCE_PRIVATE_KEY_FILE` or `CYBERSOURCE_PRIVATE_KEY` | the decryption key: a PEM or PKCS#12 (`.p12`, `.pfx`) file path, or the PEM text itself |
//! | `CYBERSOURCE_PRIVATE_KEY_PASSWORD` | the password of an encrypted PEM key or a PKCS#12 file |

use std::process::ExitCode;

use cybersource_tms::credentials::{CardNumber, SecretString};
use cybersource_tms::{
    Client, ClientBuilder, DecryptionKey, Environment, Error, HttpSignatureCredentials,
    JwtCredentials, KeyError, KeyErrorKind, PaymentCredentialType, PaymentCredentials,
    Pkcs12Identity,
};
use cybersource_tms_sandbox::{Sandbox, Token};
use zeroize::Zeroizing;

const SETTINGS: [&str; 11] = [
    "CYBERSOURCE_ENVIRONMENT",
    "CYBERSOURCE_MERCHANT_ID",
    "CYBERSOURCE_AUTH_TYPE",
    "CYBERSOURCE_KEY_ID",
    "CYBERSOURCE_SECRET_KEY",
    "CYBERSOURCE_P12_FILE",
    "CYBERSOURCE_P12_PASSWORD",
    "CYBERSOURCE_PORTFOLIO_ID",
    "CYBERSOURCE_PRIVATE_KEY_FILE",
    "CYBERSOURCE_PRIVATE_KEY",
    "CYBERSOURCE_PRIVATE_KEY_PASSWORD",
];

const SANDBOX_TOKEN_ID: &str = "7030000000012345678";

const USAGE: &str = "usage: payment_credentials [--token-id ID [--profile-id ID] [--type TYPE]]
  without CYBERSOURCE_* variables: calls the embedded sandbox
  with them: calls that environment; --token-id is required
  --type: NETWORK_TOKEN, CRYPTOGRAM or SECURITY_CODE (American Express)";

#[tokio::main]
async fn main() -> ExitCode {
    let arguments = match Arguments::parse(std::env::args().skip(1)) {
        Ok(arguments) if arguments.help => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(arguments) => arguments,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = if SETTINGS.iter().any(|name| std::env::var_os(name).is_some()) {
        call_configured_environment(arguments).await
    } else {
        call_sandbox().await
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn call_sandbox() -> Result<(), String> {
    let sandbox = Sandbox::builder()
        .token(Token::visa(SANDBOX_TOKEN_ID))
        .start()
        .await
        .map_err(|error| format!("failed to start the sandbox: {error}"))?;
    println!("sandbox listening at {}", sandbox.base_url());

    let environment: Environment = sandbox.base_url().parse().map_err(describe_input)?;
    let client = Client::builder()
        .environment(environment)
        .http_signature(
            sandbox.merchant_id(),
            sandbox.key_id(),
            sandbox.shared_secret(),
        )
        .build()
        .map_err(|error| error.to_string())?;
    let pem = sandbox
        .decryption_key_pem()
        .ok_or("the sandbox generated no decryption key")?;
    let key = DecryptionKey::from_pem_str(pem).map_err(|error| error.to_string())?;

    let credential_type = Some(PaymentCredentialType::Cryptogram);
    request_and_print(&client, &key, SANDBOX_TOKEN_ID, None, credential_type).await?;
    sandbox
        .shutdown()
        .await
        .map_err(|error| format!("failed to stop the sandbox: {error}"))
}

async fn call_configured_environment(arguments: Arguments) -> Result<(), String> {
    let token_id = arguments
        .token_id
        .ok_or("--token-id is required when CYBERSOURCE_* settings are set")?;

    let environment: Environment = required("CYBERSOURCE_ENVIRONMENT")?
        .parse()
        .map_err(describe_input)?;
    let client = authenticate(Client::builder().environment(environment))?
        .build()
        .map_err(|error| error.to_string())?;
    let key = decryption_key_from_env()?;

    let credential_type = arguments
        .credential_type
        .map(|text| PaymentCredentialType::from(text.as_str()));
    request_and_print(
        &client,
        &key,
        &token_id,
        arguments.profile_id,
        credential_type,
    )
    .await
}

/// Adds the credentials that `CYBERSOURCE_AUTH_TYPE` selects.
fn authenticate(builder: ClientBuilder) -> Result<ClientBuilder, String> {
    let merchant_id = required("CYBERSOURCE_MERCHANT_ID")?;
    let portfolio_id = optional("CYBERSOURCE_PORTFOLIO_ID");
    let auth_type = optional("CYBERSOURCE_AUTH_TYPE").unwrap_or_else(|| "http_signature".into());
    match auth_type.as_str() {
        "http_signature" => {
            let key_id = required("CYBERSOURCE_KEY_ID")?;
            let secret = Zeroizing::new(required("CYBERSOURCE_SECRET_KEY")?);
            let mut credentials = HttpSignatureCredentials::new(merchant_id, key_id, &secret)
                .map_err(|error| error.to_string())?;
            if let Some(portfolio_id) = portfolio_id {
                credentials = credentials
                    .with_portfolio_id(portfolio_id)
                    .map_err(|error| error.to_string())?;
            }
            Ok(builder.credentials(credentials))
        }
        "jwt" => Ok(builder.jwt(jwt_credentials(merchant_id, portfolio_id)?)),
        other => Err(format!(
            "CYBERSOURCE_AUTH_TYPE is {other:?}; use http_signature or jwt"
        )),
    }
}

/// RS256 when `CYBERSOURCE_P12_FILE` is set, HS256 with the shared secret otherwise.
fn jwt_credentials(
    merchant_id: String,
    portfolio_id: Option<String>,
) -> Result<JwtCredentials, String> {
    let credentials = match optional("CYBERSOURCE_P12_FILE") {
        Some(path) => {
            let password = Zeroizing::new(required("CYBERSOURCE_P12_PASSWORD")?);
            let identity = Pkcs12Identity::from_file(&path, &password)
                .map_err(|error| format!("CYBERSOURCE_P12_FILE: {error}"))?;
            let credentials = match portfolio_id {
                Some(portfolio_id) => {
                    JwtCredentials::rs256_meta_key(merchant_id, portfolio_id, &identity)
                }
                None => JwtCredentials::rs256(merchant_id, &identity),
            };
            return credentials.map_err(|error| format!("CYBERSOURCE_P12_FILE: {error}"));
        }
        None => {
            let key_id = required("CYBERSOURCE_KEY_ID")?;
            let secret = Zeroizing::new(required("CYBERSOURCE_SECRET_KEY")?);
            let credentials = JwtCredentials::hs256(merchant_id, key_id, &secret);
            match portfolio_id {
                Some(portfolio_id) => credentials.and_then(|c| c.with_portfolio_id(portfolio_id)),
                None => credentials,
            }
        }
    };
    credentials.map_err(|error| error.to_string())
}

/// Loads the decryption key from `CYBERSOURCE_PRIVATE_KEY_FILE` (a PEM or PKCS#12 path) or
/// `CYBERSOURCE_PRIVATE_KEY` (the PEM text), encrypted or not.
fn decryption_key_from_env() -> Result<DecryptionKey, String> {
    let password = optional("CYBERSOURCE_PRIVATE_KEY_PASSWORD").map(Zeroizing::new);
    let password = password.as_ref().map(|password| password.as_str());
    if let Some(path) = optional("CYBERSOURCE_PRIVATE_KEY_FILE") {
        let is_pkcs12 = [".p12", ".pfx"]
            .iter()
            .any(|extension| path.to_ascii_lowercase().ends_with(extension));
        let key = match (is_pkcs12, password) {
            (true, password) => {
                DecryptionKey::from_pkcs12_file(&path, password.unwrap_or(""), None)
            }
            (false, Some(password)) => DecryptionKey::from_encrypted_pem_file(&path, password),
            (false, None) => DecryptionKey::from_pem_file(&path),
        };
        return key.map_err(|error| describe_key_error("CYBERSOURCE_PRIVATE_KEY_FILE", &error));
    }
    let pem = optional("CYBERSOURCE_PRIVATE_KEY")
        .map(Zeroizing::new)
        .ok_or(
            "set CYBERSOURCE_PRIVATE_KEY_FILE to the decryption key's PEM or PKCS#12 file, or \
         CYBERSOURCE_PRIVATE_KEY to its PEM text",
        )?;
    let key = match password {
        Some(password) => DecryptionKey::from_encrypted_pem_str(&pem, password),
        None => DecryptionKey::from_pem_str(&pem),
    };
    key.map_err(|error| describe_key_error("CYBERSOURCE_PRIVATE_KEY", &error))
}

fn describe_key_error(variable: &str, error: &KeyError) -> String {
    match error.kind() {
        KeyErrorKind::Encrypted => {
            format!("{variable}: {error}; set CYBERSOURCE_PRIVATE_KEY_PASSWORD")
        }
        _ => format!("{variable}: {error}"),
    }
}

async fn request_and_print(
    client: &Client,
    key: &DecryptionKey,
    token_id: &str,
    profile_id: Option<String>,
    credential_type: Option<PaymentCredentialType>,
) -> Result<(), String> {
    let mut call = client.payment_credentials(token_id);
    if let Some(credential_type) = credential_type {
        call = call.payment_credential_type(credential_type);
    }
    if let Some(profile_id) = profile_id {
        call = call.profile_id(profile_id);
    }
    let response = call.send().await.map_err(describe_error)?;
    if let Some(jwe) = response.jwe() {
        println!("received {jwe}");
    }
    let correlation_id = response.correlation_id().map(str::to_string);
    let credentials = response.decrypt(key).map_err(describe_error)?;

    print_credentials(&credentials);
    if let Some(id) = correlation_id {
        println!("v-c-correlation-id: {id}");
    }
    Ok(())
}

fn print_credentials(credentials: &PaymentCredentials) {
    let Some(card) = &credentials.tokenized_card else {
        println!("the answer holds no tokenized card");
        return;
    };
    let masked =
        |number: &Option<CardNumber>| number.as_ref().map_or("-".to_string(), CardNumber::masked);
    let present = |value: &Option<SecretString>| {
        if value.is_some() {
            "present (not shown)"
        } else {
            "-"
        }
    };

    println!("network token:  {}", masked(&card.number));
    println!(
        "token state:    {}",
        card.state.as_ref().map_or("-", |state| state.as_str())
    );
    println!(
        "token type:     {}",
        card.card_type.as_ref().map_or("-", |kind| kind.as_str())
    );
    println!("cryptogram:     {}", present(&card.cryptogram));
    println!("security code:  {}", present(&card.security_code));
    println!("eci:            {}", card.eci.as_deref().unwrap_or("-"));
    if let Some(card) = &credentials.card {
        println!("card:           {}", masked(&card.number));
    }
}

fn describe_error(error: Error) -> String {
    match error.status() {
        Some(status) => format!("the call failed with status {status}: {error}"),
        None => error.to_string(),
    }
}

fn describe_input(error: cybersource_tms::InvalidInput) -> String {
    format!("CYBERSOURCE_ENVIRONMENT: {error}")
}

fn required(name: &'static str) -> Result<String, String> {
    optional(name).ok_or_else(|| {
        format!(
            "{name} is not set; the CYBERSOURCE_* variables are described at the top of \
             examples/payment_credentials.rs, or unset them all to use the sandbox"
        )
    })
}

fn optional(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

#[derive(Default)]
struct Arguments {
    token_id: Option<String>,
    profile_id: Option<String>,
    credential_type: Option<String>,
    help: bool,
}

impl Arguments {
    fn parse(mut arguments: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut parsed = Self::default();
        while let Some(argument) = arguments.next() {
            if argument == "--help" || argument == "-h" {
                parsed.help = true;
                continue;
            }
            let (name, inline_value) = match argument.split_once('=') {
                Some((name, value)) => (name.to_string(), Some(value.to_string())),
                None => (argument, None),
            };
            let slot = match name.as_str() {
                "--token-id" => &mut parsed.token_id,
                "--profile-id" => &mut parsed.profile_id,
                "--type" => &mut parsed.credential_type,
                other => return Err(format!("unknown argument {other}\n{USAGE}")),
            };
            let value = inline_value
                .or_else(|| arguments.next())
                .ok_or_else(|| format!("{name} needs a value"))?;
            *slot = Some(value);
        }
        Ok(parsed)
    }
}
