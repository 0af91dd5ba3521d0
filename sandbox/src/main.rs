//! Runs the sandbox as a standalone server, for calling it from another process such as the
//! `payment_credentials` example in its configured mode:
//!
//!     cargo run -p cybersource-tms-sandbox -- [--port PORT] [--merchant-id ID]
//!
//! It listens on 127.0.0.1, stores a Visa token `7030000000012345678`, an American Express
//! token `7030000000087654321` and a deleted token `7030000000000000410`, writes its
//! throwaway decryption key to a file, and prints the `CYBERSOURCE_*` variables to export.
//! It stops on Ctrl-C.

use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

use cybersource_tms_sandbox::{Sandbox, Token};

const USAGE: &str = "usage: cybersource-tms-sandbox [--port PORT] [--merchant-id ID]
  --port         TCP port on 127.0.0.1 (default: a free port)
  --merchant-id  the merchant id requests must carry (default: sandbox_merchant)";

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let (port, merchant_id) = parse_arguments(std::env::args().skip(1))?;
    let mut builder = Sandbox::builder()
        .bind_addr(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        .token(Token::visa("7030000000012345678"))
        .token(Token::american_express("7030000000087654321"))
        .token(Token::visa("7030000000000000410").deleted());
    if let Some(merchant_id) = merchant_id {
        builder = builder.merchant_id(merchant_id);
    }
    let sandbox = builder
        .start()
        .await
        .map_err(|error| format!("failed to start the sandbox: {error}"))?;

    let key_path = std::env::temp_dir().join(format!(
        "cybersource-tms-sandbox-{}.pem",
        sandbox.addr().port()
    ));
    let key_pem = sandbox
        .decryption_key_pem()
        .ok_or("the sandbox generated no decryption key")?;
    std::fs::write(&key_path, key_pem)
        .map_err(|error| format!("failed to write {}: {error}", key_path.display()))?;

    println!("# sandbox listening; export these and run the example with --token-id:");
    println!("export CYBERSOURCE_ENVIRONMENT={}", sandbox.base_url());
    println!("export CYBERSOURCE_MERCHANT_ID={}", sandbox.merchant_id());
    println!("export CYBERSOURCE_KEY_ID={}", sandbox.key_id());
    println!("export CYBERSOURCE_SECRET_KEY={}", sandbox.shared_secret());
    println!("export CYBERSOURCE_PRIVATE_KEY_FILE={}", key_path.display());

    tokio::signal::ctrl_c()
        .await
        .map_err(|error| format!("failed to wait for Ctrl-C: {error}"))?;
    let _ = std::fs::remove_file(&key_path);
    sandbox
        .shutdown()
        .await
        .map_err(|error| format!("failed to stop the sandbox: {error}"))
}

fn parse_arguments(
    mut arguments: impl Iterator<Item = String>,
) -> Result<(u16, Option<String>), String> {
    let mut port = 0;
    let mut merchant_id = None;
    while let Some(argument) = arguments.next() {
        let mut value = || {
            arguments
                .next()
                .ok_or_else(|| format!("{argument} needs a value\n{USAGE}"))
        };
        match argument.as_str() {
            "--port" => {
                let text = value()?;
                port = text
                    .parse()
                    .map_err(|_| format!("--port {text:?} is not a port number\n{USAGE}"))?;
            }
            "--merchant-id" => merchant_id = Some(value()?),
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    Ok((port, merchant_id))
}
