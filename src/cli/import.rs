//! `avisa import --locale L --from DIR [--into content/] [--force]`: prints the importer's
//! notes and warnings, then a one-line summary. Exit codes: 0 imported, 1 nothing was
//! imported (an error says why) or some files were kept because a person edited them,
//! 2 usage or I/O failure.

use std::path::PathBuf;
use std::process::ExitCode;

use avisa::import::{ImportOptions, import};
use avisa::model::Locale;

use super::counted;

/// Arguments of `avisa import`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Run it once per locale; the same advisory id in several locales becomes one advisory folder. Re-running changes nothing; a file edited since the last import is kept unless --force.\n\nExit codes: 0 imported, 1 nothing was imported (an error says why) or a file was kept because a person edited it, 2 usage or I/O failure (nothing is written)."
)]
pub(crate) struct Args {
    /// Language of the sources (BCP 47), e.g. `pt-BR`.
    #[arg(long)]
    locale: String,
    /// Folder with the published Markdown files (searched recursively for `*.md`).
    #[arg(long)]
    from: PathBuf,
    /// The site's content folder.
    #[arg(long, default_value = "content")]
    into: PathBuf,
    /// Replace files edited by hand since the last import.
    #[arg(long)]
    force: bool,
}

/// Runs `import`.
pub(crate) fn run(args: Args) -> ExitCode {
    let locale = match args.locale.parse::<Locale>() {
        Ok(l) => l,
        Err(e) => {
            tell!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let opts = ImportOptions {
        locale: locale.clone(),
        from: args.from.clone(),
        into: args.into.clone(),
        force: args.force,
    };
    let report = match import(&opts) {
        Ok(r) => r,
        Err(e) => {
            tell!("error: {e}");
            return ExitCode::from(2);
        }
    };
    // notes (files skipped) first: a warning that nothing was imported sums them up
    for n in &report.notes {
        tell!("info: {n}");
    }
    for p in &report.problems {
        tell!("{p}");
    }
    let errors = report.problems.iter().filter(|p| p.is_error()).count();
    let warnings = counted(report.problems.len() - errors, "warning", "warnings");
    say!(
        "imported {} ({locale}) from `{}` into `{}`: {} written, {} unchanged, {} kept (edited by hand), {}",
        counted(report.advisories, "advisory", "advisories"),
        args.from.display(),
        args.into.display(),
        counted(report.written.len(), "file", "files"),
        report.unchanged,
        report.kept.len(),
        match errors {
            0 => warnings,
            _ => format!("{}, {warnings}", counted(errors, "error", "errors")),
        },
    );
    // the site folder `avisa init` takes is the one holding `content/`
    let root = args
        .into
        .parent()
        .filter(|_| args.into.ends_with("content"));
    if let Some(root) = root.filter(|_| report.no_site_yaml) {
        let dir = if root.as_os_str().is_empty() {
            String::new()
        } else {
            format!(" {}", root.display())
        };
        say!(
            "next: `{}` does not exist yet: `avisa init{dir}` writes one that lists the locales imported",
            args.into.join("site.yaml").display()
        );
    }
    for k in &report.kept {
        tell!(
            "kept: `{}` (rerun with `--force` to replace)",
            args.into.join(k).display()
        );
    }
    if report.kept.is_empty() && errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
