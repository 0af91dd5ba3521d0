//! Compiles the OpenAPI spec into the generated client with progenitor, into
//! `$OUT_DIR/client.rs`, which `src/generated.rs` includes. `generated/client.rs` is the
//! committed copy of the same file; `cargo xtask codegen --check` fails when they differ.

use std::path::PathBuf;
use std::process::ExitCode;

use cybersource_tms_codegen::{SPEC_PATH, generate_file};

fn main() -> ExitCode {
    println!("cargo::rerun-if-changed={SPEC_PATH}");
    println!("cargo::rerun-if-changed=build.rs");

    let (Some(root), Some(out_dir)) = (
        std::env::var_os("CARGO_MANIFEST_DIR"),
        std::env::var_os("OUT_DIR"),
    ) else {
        eprintln!(
            "error: cargo did not set CARGO_MANIFEST_DIR and OUT_DIR; run this through cargo"
        );
        return ExitCode::FAILURE;
    };

    let code = match generate_file(&PathBuf::from(root)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let path = PathBuf::from(out_dir).join("client.rs");
    if let Err(error) = std::fs::write(&path, code) {
        eprintln!("error: failed to write {}: {error}", path.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
