//! `avisa check-log`. PLACEHOLDER: replaced by the checker implementation.

use std::process::ExitCode;

/// Arguments of `avisa check-log`.
#[derive(clap::Args, Debug)]
pub(crate) struct Args {}

/// Runs `check-log`.
pub(crate) fn run(_args: Args) -> ExitCode {
    ExitCode::from(2)
}
