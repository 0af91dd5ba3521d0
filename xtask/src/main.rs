//! Project tasks: `cargo xtask codegen` regenerates `generated/client.rs` from the OpenAPI spec,
//! and `cargo xtask codegen --check` fails with a diff when the committed file is out of date.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cybersource_tms_codegen::{GENERATED_PATH, SPEC_PATH, generate_file};

const USAGE: &str = "usage: cargo xtask codegen [--check]

  codegen          regenerate generated/client.rs from the OpenAPI spec
  codegen --check  exit with status 1 and print a diff when generated/client.rs is out of date";

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let result = match arguments.as_slice() {
        ["codegen"] => write_generated(&workspace_root()),
        ["codegen", "--check"] => check_generated(&workspace_root()),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => Err(format!("unknown arguments {arguments:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    // The xtask package lives one folder below the workspace root.
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn write_generated(root: &Path) -> Result<(), String> {
    let code = generate_file(root).map_err(|error| error.to_string())?;
    let path = root.join(GENERATED_PATH);
    std::fs::write(&path, code)
        .map_err(|error| format!("failed to write {}: {error}", path.display()))?;
    println!("wrote {GENERATED_PATH} from {SPEC_PATH}");
    Ok(())
}

fn check_generated(root: &Path) -> Result<(), String> {
    let expected = generate_file(root).map_err(|error| error.to_string())?;
    let path = root.join(GENERATED_PATH);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed == expected {
        println!("{GENERATED_PATH} is up to date with {SPEC_PATH}");
        return Ok(());
    }

    let diff = similar::TextDiff::from_lines(&committed, &expected)
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("{GENERATED_PATH} (committed)"),
            &format!("{GENERATED_PATH} (generated from {SPEC_PATH})"),
        )
        .to_string();
    Err(format!(
        "{GENERATED_PATH} differs from what {SPEC_PATH} generates; \
         run `cargo xtask codegen` and commit the result\n\n{diff}"
    ))
}
