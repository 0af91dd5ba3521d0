//! Requests payment credentials for a TMS token and prints them with every card value masked.
//!
//! With no CyberSource settings in the environment, it starts the local sandbox with
//! throwaway keys and calls it:
//!
//!     cargo run --example payment_credentials
//!
//! With all of `CYBERSOURCE_MERCHANT_ID`, `CYBERSOURCE_KEY_ID`, `CYBERSOURCE_SECRET_KEY`,
//! `CYBERSOURCE_PRIVATE_KEY_FILE` and `CYBERSOURCE_ENVIRONMENT` (a name such as `test`, or a
//! base URL) set, it calls that environment instead:
//!
//!     cargo run --example payment_credentials -- --token-id ID [--profile-id ID]

use std::process::ExitCode;

use cybersource_tms::credentials::{CardNumber, SecretString};
use cybersource_tms::{
    Client, DecryptionKey, Environment, Error, PaymentCredentialType, PaymentCredentials,
};
use cybersource_tms_sandbox::{Sandbox, Token};

const SETTINGS: [&str; 5] = [
    "CYBERSOURCE_MERCHANT_ID",
    "CYBERSOURCE_KEY_ID",
    "CYBERSOURCE_SECRET_KEY",
    "CYBERSOURCE_PRIVATE_KEY_FILE",
    "CYBERSOURCE_ENVIRONMENT",
];

const SANDBOX_TOKEN_ID: &str = "7030000000012345678";

#[tokio::main]
async fn main() -> ExitCode {
    let outcome = if SETTINGS.iter().any(|name| std::env::var_os(name).is_some()) {
        call_configured_environment().await
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

    request_and_print(&client, &key, SANDBOX_TOKEN_ID, None).await?;
    sandbox
        .shutdown()
        .await
        .map_err(|error| format!("failed to stop the sandbox: {error}"))
}

async fn call_configured_environment() -> Result<(), String> {
    let [merchant_id, key_id, secret, key_file, environment] = SETTINGS.map(read_setting);
    let (merchant_id, key_id, secret, key_file, environment) =
        (merchant_id?, key_id?, secret?, key_file?, environment?);
    let arguments = Arguments::parse(std::env::args().skip(1))?;
    let token_id = arguments
        .token_id
        .ok_or("--token-id is required when CYBERSOURCE_* settings are set")?;

    let environment: Environment = environment.parse().map_err(describe_input)?;
    let client = Client::builder()
        .environment(environment)
        .http_signature(merchant_id, key_id, &secret)
        .build()
        .map_err(|error| error.to_string())?;
    let key = DecryptionKey::from_pem_file(&key_file).map_err(|error| error.to_string())?;

    request_and_print(&client, &key, &token_id, arguments.profile_id).await
}

async fn request_and_print(
    client: &Client,
    key: &DecryptionKey,
    token_id: &str,
    profile_id: Option<String>,
) -> Result<(), String> {
    let mut call = client
        .payment_credentials(token_id)
        .payment_credential_type(PaymentCredentialType::Cryptogram);
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
        None => format!("the call failed: {error}"),
    }
}

fn describe_input(error: cybersource_tms::InvalidInput) -> String {
    format!("CYBERSOURCE_ENVIRONMENT: {error}")
}

fn read_setting(name: &'static str) -> Result<String, String> {
    std::env::var(name).map_err(|_| {
        format!(
            "{name} is not set; set all of {} to call CyberSource, or none to use the sandbox",
            SETTINGS.join(", ")
        )
    })
}

#[derive(Default)]
struct Arguments {
    token_id: Option<String>,
    profile_id: Option<String>,
}

impl Arguments {
    fn parse(mut arguments: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut parsed = Self::default();
        while let Some(argument) = arguments.next() {
            let (name, inline_value) = match argument.split_once('=') {
                Some((name, value)) => (name.to_string(), Some(value.to_string())),
                None => (argument, None),
            };
            let slot = match name.as_str() {
                "--token-id" => &mut parsed.token_id,
                "--profile-id" => &mut parsed.profile_id,
                other => {
                    return Err(format!(
                        "unknown argument {other}; use --token-id ID [--profile-id ID]"
                    ));
                }
            };
            let value = inline_value
                .or_else(|| arguments.next())
                .ok_or_else(|| format!("{name} needs a value"))?;
            *slot = Some(value);
        }
        Ok(parsed)
    }
}
