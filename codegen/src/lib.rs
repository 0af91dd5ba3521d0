//! Code generation for `cybersource-tms`: the one place that loads the OpenAPI spec, checks
//! it, and turns it into the generated client with progenitor.
//!
//! The facade's `build.rs` and `cargo xtask codegen` both call [`generate_file`], so the file
//! written to `OUT_DIR` and the committed `generated/client.rs` come from the same settings
//! and are byte for byte equal.

mod checks;

use std::path::{Path, PathBuf};

pub use checks::{SpecProblem, check_spec};
use progenitor_impl::{
    GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl,
};
use quote::quote;

/// Path of the spec, relative to the workspace root.
pub const SPEC_PATH: &str = "openapi/tms-payment-credentials.json";

/// Path of the committed copy of the generated client, relative to the workspace root.
pub const GENERATED_PATH: &str = "generated/client.rs";

/// Spec enums that the facade replaces with its own open enums.
///
/// typify generates closed enums, which fail to deserialize a value they do not know, and
/// CyberSource adds enum values without notice. Each replacement type has an `Unknown(String)`
/// arm and serializes exactly the spec's strings.
const OPEN_ENUMS: [&str; 5] = [
    "PaymentCredentialType",
    "TransactionType",
    "PlatformType",
    "AuthenticatedIdentityProvider",
    "UserAuthenticationMethod",
];

/// Failure to load, check or generate from the spec.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    #[error("failed to read the OpenAPI spec {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the OpenAPI spec {path} is not valid JSON or not OpenAPI 3.0: {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(
        "the OpenAPI spec {path} has {} problem(s) that would break code generation:\n{}",
        problems.len(),
        problems.iter().map(|p| format!("- {p}")).collect::<Vec<_>>().join("\n")
    )]
    Spec {
        path: PathBuf,
        problems: Vec<SpecProblem>,
    },
    #[error("progenitor failed to generate the client from {path}: {message}")]
    Generate { path: PathBuf, message: String },
}

/// Loads, checks and compiles the spec at `workspace_root/SPEC_PATH` into the text of
/// `generated/client.rs`, header included.
pub fn generate_file(workspace_root: &Path) -> Result<String, CodegenError> {
    let path = workspace_root.join(SPEC_PATH);
    let text = std::fs::read_to_string(&path).map_err(|source| CodegenError::Read {
        path: path.clone(),
        source,
    })?;

    // The checks run on the untyped document first: openapiv3 refuses some of the shapes they
    // report (an OpenAPI 3.1 version, for one) with a far less helpful message.
    let document: serde_json::Value =
        serde_json::from_str(&text).map_err(|source| CodegenError::Parse {
            path: path.clone(),
            source,
        })?;
    let problems = check_spec(&document);
    if !problems.is_empty() {
        return Err(CodegenError::Spec { path, problems });
    }
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(document).map_err(|source| CodegenError::Parse {
            path: path.clone(),
            source,
        })?;

    let code = generate_code(&spec).map_err(|message| CodegenError::Generate { path, message })?;
    Ok(format!("{}{code}", header()))
}

/// Returns the settings shared by `build.rs` and the xtask.
pub fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // The facade signs every request in its `ClientHooks` impl; without one, requests
        // would go out unsigned, so a missing impl must be a compile error.
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(crate::hooks::ClientState))
        .with_derive("PartialEq");
    for name in OPEN_ENUMS {
        settings.with_replacement(
            name,
            format!("crate::request::{name}"),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

fn generate_code(spec: &openapiv3::OpenAPI) -> Result<String, String> {
    let mut generator = Generator::new(&settings());
    // progenitor panics on some shapes. `check_spec` rejects the known ones first, and this
    // turns any other panic into an error instead of a crash of the build script.
    let tokens = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generator.generate_tokens(spec)
    }))
    .map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "unknown panic".to_string());
        format!("progenitor panicked: {message}")
    })?
    .map_err(|error| error.to_string())?;

    let file: syn::File = syn::parse2(tokens).map_err(|error| error.to_string())?;
    Ok(prettyplease::unparse(&file))
}

fn header() -> String {
    format!(
        "// @generated by progenitor from {SPEC_PATH}. Do not edit: run `cargo xtask codegen` to regenerate.\n\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_names_spec_and_command() {
        let header = header();

        assert!(header.contains(SPEC_PATH));
        assert!(header.contains("cargo xtask codegen"));
    }
}
