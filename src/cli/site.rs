//! `avisa build`, `check`, `init`, `new` and `new-locale`: run the library and print problems
//! compiler-style, the translation matrix, and a one-line summary.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use avisa::{BuildOptions, BuildReport, Cell, Error, Problem};

use super::counted;

/// Arguments of `avisa build`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit codes: 0 built, 1 content problems (nothing written), 2 usage or I/O failure."
)]
pub(crate) struct BuildArgs {
    /// Site folder (holding `content/`, and optionally `templates/` and `locales/`).
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Output folder [default: ROOT/public]; replaced only when the whole build succeeds.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Treat warnings (missing UI strings, stale translations, …) as errors.
    #[arg(long)]
    strict: bool,
    /// Address the site is published at, in place of `base_url` in content/site.yaml (for
    /// canonical links, hreflang, the sitemap and feeds), e.g. for a staging copy.
    #[arg(long, value_name = "URL", value_parser = parse_base_url)]
    base_url: Option<String>,
}

/// `--base-url`, checked as `site.yaml`'s `base_url` is.
fn parse_base_url(text: &str) -> Result<String, String> {
    avisa::config::base_url(text).map_err(|e| format!("{e}: {}", avisa::config::BASE_URL_HELP))
}

/// Arguments of `avisa check`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Exit codes: 0 no errors, 1 content problems, 2 usage or I/O failure.")]
pub(crate) struct CheckArgs {
    /// Site folder.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
}

/// Arguments of `avisa init`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Without --locales, the site's locales are those of the translations already in DIR/content/advisories/ (as after `avisa import`), most translations first, or else en-US. Change the settings in content/site.yaml afterwards; set base_url before publishing.\n\nExit codes: 0 created, 2 usage or I/O failure (an existing site.yaml is never overwritten)."
)]
pub(crate) struct InitArgs {
    /// Site folder to create `content/site.yaml` in (made if missing).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Comma-separated locales of the site, the default one first.
    #[arg(long, value_delimiter = ',')]
    locales: Vec<String>,
    /// The site's title [default: "Security advisories"].
    #[arg(long)]
    title: Option<String>,
    /// The address the site will be published at [default: https://example.org/].
    #[arg(long)]
    base_url: Option<String>,
}

/// Arguments of `avisa new`.
#[derive(clap::Args, Debug)]
#[command(after_help = "Exit codes: 0 created, 2 usage or I/O failure (nothing is overwritten).")]
pub(crate) struct NewArgs {
    /// The new advisory's id (a safe path segment, e.g. `954474`).
    id: String,
    /// Comma-separated locales to create translation files for [default: the site's locales].
    #[arg(long, value_delimiter = ',')]
    locales: Vec<String>,
    /// Site folder.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Arguments of `avisa new-locale`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "The built-in files (main.ftl, checker.ftl) are copied from the built-in locale of the same language when there is one (es-ES for es-MX), else from en-US; the site's own other .ftl files from its locale of the same language, else en-US, else the first that has them. A file that exists is left as it is.\n\nExit codes: 0 done, 1 a file to copy is not UTF-8 (the others are written), 2 usage or I/O failure."
)]
pub(crate) struct NewLocaleArgs {
    /// The locale to translate the UI into (a BCP 47 tag, e.g. `de-DE`).
    locale: String,
    /// Site folder.
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

/// Prints problems to stderr, then a count line (`--strict` says that warnings fail).
pub(crate) fn print_problems(problems: &[Problem], strict: bool) {
    for p in problems {
        tell!("{p}\n");
    }
    if !problems.is_empty() {
        let note = if strict && problems.iter().any(|p| !p.is_error()) {
            " (--strict: warnings fail)"
        } else {
            ""
        };
        tell!("{}{note}", avisa::diag::tally(problems));
    }
}

/// Prints a build's warnings, then what it built (`into` a folder) and how fast.
pub(crate) fn print_built(r: &BuildReport, into: Option<&Path>, took: Duration) {
    print_problems(&r.problems, false);
    let into = into.map_or(String::new(), |p| format!(" into {}", p.display()));
    say!(
        "built {} pages ({} files) for {}{into} in {:.2} s",
        r.pages,
        r.files,
        counted(r.advisories, "advisory", "advisories"),
        took.as_secs_f64()
    );
}

/// Prints an operational error and returns its exit code.
pub(crate) fn fail(e: Error, strict: bool) -> ExitCode {
    ExitCode::from(print_error(&e, strict))
}

/// Prints why a command failed; returns its exit code (1 content, 2 usage or I/O).
pub(crate) fn print_error(e: &Error, strict: bool) -> u8 {
    match e {
        Error::Content(problems) => {
            print_problems(problems, strict);
            tell!("error: the content has problems; nothing was written");
            1
        }
        Error::Template(problems) => {
            print_problems(problems, strict);
            tell!("error: a template failed; nothing was written");
            1
        }
        e @ (Error::Io { .. } | Error::Usage(_)) => {
            tell!("error: {}", avisa::diag::escape_terminal(&e.to_string()));
            2
        }
    }
}

/// Runs `build`.
pub(crate) fn build(a: BuildArgs) -> ExitCode {
    let started = Instant::now();
    let out = a.out.clone().unwrap_or_else(|| a.root.join("public"));
    let opts = BuildOptions {
        root: a.root,
        out: out.clone(),
        strict: a.strict,
        base_url: a.base_url,
        preview: None,
    };
    match avisa::build(&opts) {
        Ok(r) => {
            print_built(&r, Some(&out), started.elapsed());
            ExitCode::SUCCESS
        }
        Err(e) => fail(e, a.strict),
    }
}

/// Runs `check`.
pub(crate) fn check(a: CheckArgs) -> ExitCode {
    let report = match avisa::check(&a.root) {
        Ok(r) => r,
        // (the site's configuration is unusable; `check` writes nothing anyway)
        Err(Error::Content(problems)) => {
            print_problems(&problems, a.strict);
            tell!("error: the content has problems");
            return ExitCode::from(1);
        }
        Err(e) => return fail(e, a.strict),
    };
    let m = &report.matrix;
    let width = m
        .rows
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(0)
        .max("advisory".len());
    let cols: Vec<usize> = m.locales.iter().map(|l| l.as_str().len().max(7)).collect();
    let mut header = format!("{:width$}", "advisory");
    for (l, w) in m.locales.iter().zip(&cols) {
        header.push_str(&format!("  {:w$}", l.as_str()));
    }
    header.push_str("  disagreements");
    say!("{}", header.trim_end());
    for r in &m.rows {
        let mut line = format!("{:width$}", r.id);
        for (c, w) in r.cells.iter().zip(&cols) {
            let s = match c {
                Cell::Ok => "ok".to_string(),
                Cell::Stale { from, .. } => format!("stale:{from}"),
                Cell::Missing => "missing".to_string(),
                Cell::Error => "error".to_string(),
            };
            line.push_str(&format!("  {s:w$}"));
        }
        let mut notes = r.conflicts.clone();
        if r.unloaded {
            notes.insert(0, "(advisory.yaml did not load)".to_string());
        }
        line.push_str(&format!("  {}", notes.join("; ")));
        say!("{}", line.trim_end());
    }
    let t = m.totals();
    let unloaded = match t.unloaded {
        0 => String::new(),
        n => format!(
            "; {} whose advisory.yaml did not load",
            counted(n, "advisory", "advisories")
        ),
    };
    say!(
        "summary: {} × {}: {} current, {} stale, {} missing translations, {} with errors{unloaded}; {} with disagreeing sources",
        counted(m.rows.len(), "advisory", "advisories"),
        counted(m.locales.len(), "locale", "locales"),
        t.ok,
        t.stale,
        t.missing,
        t.errors,
        counted(t.conflicts, "advisory", "advisories"),
    );
    print_problems(&report.problems, a.strict);
    if report.has_failures(a.strict) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Runs `new`.
pub(crate) fn new(a: NewArgs) -> ExitCode {
    let locales = if a.locales.is_empty() {
        match avisa::load_site(&a.root) {
            Ok(site) => site
                .config
                .locales
                .iter()
                .map(ToString::to_string)
                .collect(),
            Err(e) => return fail(e, false),
        }
    } else {
        a.locales
    };
    match avisa::new_advisory(
        &a.root,
        &a.id,
        &locales,
        &avisa::model::Date::today_utc().to_string(),
    ) {
        Ok(created) => {
            for f in created.files {
                say!("created {}", f.display());
            }
            for p in created.problems {
                tell!("{p}");
            }
            // written before `init`, or under a mistyped `--root`: either way, say so
            let site_yaml = a.root.join("content").join("site.yaml");
            if !site_yaml.exists() {
                say!(
                    "next: `{}` does not exist yet: `avisa init {}` writes one that lists the locales of its advisories",
                    site_yaml.display(),
                    a.root.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e, false),
    }
}

pub(crate) fn init(a: InitArgs) -> ExitCode {
    match avisa::new_site(
        &a.dir,
        a.title.as_deref(),
        a.base_url.as_deref(),
        &a.locales,
    ) {
        Ok(site) => {
            let tags: Vec<&str> = site.locales.iter().map(|l| l.as_str()).collect();
            let whose = if site.found {
                " of its advisories:"
            } else {
                ""
            };
            let locales = match tags.as_slice() {
                [one] => format!("the locale{whose} {one}"),
                _ => format!(
                    "the locales{whose} {} (the first is the default)",
                    tags.join(", ")
                ),
            };
            say!("created {} with {locales}", site.site_yaml.display());
            if let Some(dir) = site.advisories {
                say!("created {}", dir.display());
            }
            if a.base_url.is_none() {
                say!(
                    "set `base_url` in {} to where the site will be published",
                    site.site_yaml.display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e, false),
    }
}

pub(crate) fn new_locale(a: NewLocaleArgs) -> ExitCode {
    match avisa::new_locale(&a.root, &a.locale) {
        Ok(created) => {
            for f in &created.files {
                match &f.site_file {
                    Some(copied) => {
                        say!("created {} (from {})", f.path.display(), copied.display())
                    }
                    None => say!(
                        "created {} (from the built-in `{}` strings)",
                        f.path.display(),
                        f.from
                    ),
                }
            }
            for f in &created.kept {
                say!("kept {} (it exists; nothing written)", f.display());
            }
            for p in &created.problems {
                tell!("{p}");
            }
            // a site file that could not be copied (not UTF-8)
            if created.problems.iter().any(|p| p.is_error()) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => fail(e, false),
    }
}
