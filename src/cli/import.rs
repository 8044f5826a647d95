//! `avisa import`. PLACEHOLDER: replaced by the importer implementation.

use std::process::ExitCode;

/// Arguments of `avisa import`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {}

/// Runs `import`.
pub(crate) fn run(_args: Args) -> ExitCode {
    ExitCode::from(2)
}
