//! The `cybersource-tms-sandbox` binary starts, prints the variables to export, and writes
//! the decryption key it names.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn binary_prints_exports_and_writes_key() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cybersource-tms-sandbox"))
        .args(["--merchant-id", "binary_merchant"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout is piped");

    let exports: Vec<String> = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .filter(|line| line.starts_with("export "))
        .take(5)
        .collect();
    let _ = child.kill();
    let _ = child.wait();

    let value = |name: &str| {
        exports
            .iter()
            .find_map(|line| line.strip_prefix(&format!("export {name}=")))
            .unwrap_or_else(|| panic!("{name} is not exported: {exports:?}"))
            .to_string()
    };
    assert!(value("CYBERSOURCE_ENVIRONMENT").starts_with("http://127.0.0.1:"));
    assert_eq!(value("CYBERSOURCE_MERCHANT_ID"), "binary_merchant");
    let key_path = value("CYBERSOURCE_PRIVATE_KEY_FILE");
    let key = std::fs::read_to_string(&key_path).expect("key file");
    let _ = std::fs::remove_file(&key_path);
    assert!(key.starts_with("-----BEGIN PRIVATE KEY-----"));
}

#[test]
fn binary_rejects_unknown_argument() {
    let output = Command::new(env!("CARGO_BIN_EXE_cybersource-tms-sandbox"))
        .arg("--bogus")
        .output()
        .expect("the binary runs");

    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown argument --bogus"));
}
