//! `avisa build`, `avisa check` and `avisa new`.

use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `avisa build`.
#[derive(clap::Args, Debug)]
pub(crate) struct BuildArgs {
    /// Site folder (holding `content/`, and optionally `templates/` and `locales/`).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Output folder; replaced only when the whole build succeeds.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Treat warnings (missing UI strings, stale translations…) as errors.
    #[arg(long)]
    strict: bool,
}

/// Arguments of `avisa check`.
#[derive(clap::Args, Debug)]
pub(crate) struct CheckArgs {
    /// Site folder.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
}

/// Arguments of `avisa new`.
#[derive(clap::Args, Debug)]
pub(crate) struct NewArgs {
    /// The new advisory's id (a safe path segment, e.g. `954474`).
    id: String,
    /// Comma-separated locales to create translation files for (default: the site's locales).
    #[arg(long, value_delimiter = ',')]
    locales: Vec<String>,
    /// Site folder.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Runs `build`.
pub(crate) fn build(_a: BuildArgs) -> ExitCode {
    ExitCode::from(2)
}

/// Runs `check`.
pub(crate) fn check(_a: CheckArgs) -> ExitCode {
    ExitCode::from(2)
}

/// Runs `new`.
pub(crate) fn new(_a: NewArgs) -> ExitCode {
    ExitCode::from(2)
}
