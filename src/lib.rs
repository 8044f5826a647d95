//! avisa: a static site generator for multilingual security advisories.
//!
//! A build is a pipeline of plain data: load → validate → render → sink. This crate
//! never prints; the `avisa` binary (`main.rs`) owns output and exit codes.

pub mod checker;
pub mod config;
pub mod diag;
pub(crate) mod frontmatter;
pub mod i18n;
pub mod import;
pub(crate) mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub(crate) mod redirects;
pub(crate) mod render;
mod scaffold;
pub mod serve;
pub(crate) mod urls;
pub(crate) mod validate;

mod embedded {
    //! Built-in templates and locales, compiled in by `build.rs`.
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

    /// The built-in UI-strings files as (locale, file name, text); `LOCALES` holds them
    /// as `<locale>/<file>`.
    pub(crate) fn locale_files()
    -> impl Iterator<Item = (crate::model::Locale, &'static str, &'static str)> {
        LOCALES.iter().filter_map(|(path, text)| {
            let (tag, file) = path.split_once('/')?;
            Some((tag.parse().ok()?, file, *text))
        })
    }
}

pub use config::{BuildOptions, Preview, SiteConfig};
pub use diag::{Problem, Severity};
pub use load::{Site, Unloaded, load_site};
pub use scaffold::{Copied, NewAdvisory, NewLocale, NewSite, new_advisory, new_locale, new_site};
pub use validate::{Cell, Matrix, MatrixRow, Totals};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Why a command could not finish.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed (exit code 2).
    #[error("cannot access `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The command was used wrongly (exit code 2).
    #[error("{0}")]
    Usage(String),
    /// The content has errors (exit code 1); warnings may be included.
    #[error("the content has problems")]
    Content(Vec<Problem>),
    /// Templates did not compile or one failed to render (exit code 1): each problem is at
    /// a template, with line and column when tera knows them.
    #[error("a template failed")]
    Template(Vec<Problem>),
}

impl Error {
    /// An I/O error on `path`.
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// Whether a source file changed while the build read it ([`FileChanged`]): nothing
    /// is wrong with the site, and a build started now would read it as it is.
    pub fn is_file_changed(&self) -> bool {
        match self {
            Error::Io { source, .. } => source.get_ref().is_some_and(|e| e.is::<FileChanged>()),
            _ => false,
        }
    }
}

/// Why a build stopped when a file it had read changed before it was done with it.
#[derive(Debug, thiserror::Error)]
#[error("the file changed during the build; build again")]
pub struct FileChanged;

/// What a successful build produced, with the warnings it met.
#[derive(Debug)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub advisories: usize,
    /// Warnings (errors would have failed the build).
    pub problems: Vec<Problem>,
}

/// What `check` found: every problem and the translation matrix.
#[derive(Debug)]
pub struct CheckReport {
    pub problems: Vec<Problem>,
    pub matrix: Matrix,
}

impl CheckReport {
    /// True when the site would fail to build (errors, or warnings under `strict`).
    pub fn has_failures(&self, strict: bool) -> bool {
        self.problems.iter().any(|p| p.is_error() || strict)
    }
}

/// The files with an error among the problems of loading.
fn failed_files(site: &Site) -> BTreeSet<PathBuf> {
    (site.problems.iter())
        .filter(|p| p.is_error())
        .map(|p| p.file.clone())
        .collect()
}

/// Adds the cross-file problems to those of loading, sorted.
fn validate_site(site: &mut Site) {
    let failed = failed_files(site);
    let more = validate::validate_advisories(&site.advisories, &site.config, &failed);
    site.problems.extend(more);
    diag::sort_problems(&mut site.problems);
}

/// Loads the site at `root` as [`load_site`] does, and adds the problems between files
/// (a message a check uses missing in the default locale, legacy URLs, stale
/// translations) to `Site::problems`, sorted: the site `avisa check-log` reads its rules
/// and texts from.
pub fn load_validated_site(root: &Path) -> Result<Site, Error> {
    let mut site = load_site(root)?;
    validate_site(&mut site);
    Ok(site)
}

/// Loads and validates; returns the site and every problem, sorted. Fails with
/// `Error::Content` when there are errors (or warnings under `strict`).
fn load_and_validate(root: &Path, strict: bool) -> Result<Site, Error> {
    let mut site = load_validated_site(root)?;
    if site.problems.iter().any(|p| p.is_error() || strict) {
        let template = render::template_problems(&site);
        site.problems.extend(template);
        return Err(Error::Content(std::mem::take(&mut site.problems)));
    }
    Ok(site)
}

/// Builds the site at `opts.root` into `opts.out`. The output folder is replaced
/// only when every file rendered; on any failure it is left untouched.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    refuse_output_among_sources(&opts.root, &opts.out)?;
    if let Some(outer) = output::enclosing_output(&opts.out) {
        // named as the current folder's, as `--out` most likely was
        let here = std::env::current_dir().unwrap_or_default();
        let outer = outer.strip_prefix(&here).unwrap_or(&outer);
        return Err(Error::Usage(format!(
            "the output folder `{}` is inside `{}`, the output of an earlier build, which would deploy it as part of that site and delete it when that site is built again: choose an `--out` outside it",
            opts.out.display(),
            outer.display()
        )));
    }
    let mut site = load_and_validate(&opts.root, opts.strict)?;
    if let Some(url) = &opts.base_url {
        site.config.base_url.clone_from(url);
    }
    let sink = match opts.preview {
        Some(_) => output::DirSink::new_preview(&opts.out)?,
        None => output::DirSink::new(&opts.out)?,
    };
    let script = opts.preview.as_ref().map(|p| p.script.as_str());
    let report = render::render_site(&site, &sink, script)?;
    // dropping the sink without committing it leaves the previous output as it was
    let report = build_report(site, report, opts.strict)?;
    sink.commit()?;
    Ok(report)
}

/// An output folder inside `content/`, `templates/` or `locales/` would be read as part
/// of the site by the next build (an advisory folder without `advisory.yaml`, files that
/// are not the site's): a usage error. Paths are compared as written, made absolute, `.`
/// and `..` resolved, and, where they exist, with symbolic links resolved too (an
/// `--out` may be a link, which the build writes through).
fn refuse_output_among_sources(root: &Path, out: &Path) -> Result<(), Error> {
    let absolute = |p: &Path| -> Result<PathBuf, Error> {
        let full = std::path::absolute(p).map_err(|e| Error::io(p, e))?;
        let mut clean = PathBuf::new();
        for c in full.components() {
            match c {
                std::path::Component::CurDir => {}
                std::path::Component::ParentDir => {
                    clean.pop();
                }
                other => clean.push(other),
            }
        }
        Ok(clean)
    };
    let out_abs = absolute(out)?;
    // with its links resolved: those of the deepest folder that exists (`c/new` where `c`
    // leads to `content/`), the names after it as written; a `..` read after the links
    // before it, as the system reads it
    let out_real = output::resolved(out);
    for source in ["content", "templates", "locales"] {
        let dir = root.join(source);
        let inside = out_abs.starts_with(absolute(&dir)?)
            || out_real
                .as_ref()
                .zip(std::fs::canonicalize(&dir).ok())
                .is_some_and(|(out, dir)| out.starts_with(dir));
        if inside {
            return Err(Error::Usage(format!(
                "the output folder `{}` is inside the site's `{source}/`, which the next build would read: choose an `--out` outside `content/`, `templates/` and `locales/`",
                out.display()
            )));
        }
    }
    Ok(())
}

/// The report of a render of `site`, its warnings added to those of loading; under
/// `strict`, warnings found while rendering (links into the site that lead nowhere) fail
/// the build as the others did before it.
fn build_report(
    site: Site,
    report: render::RenderReport,
    strict: bool,
) -> Result<BuildReport, Error> {
    let mut problems = site.problems;
    let failed = strict && !report.problems.is_empty();
    problems.extend(report.problems);
    diag::sort_problems(&mut problems);
    if failed {
        return Err(Error::Content(problems));
    }
    Ok(BuildReport {
        pages: report.pages,
        files: report.files,
        advisories: site.advisories.len(),
        problems,
    })
}

/// Builds the site at `root` into any sink (tests use `output::MemorySink`).
pub fn build_into(
    root: &Path,
    strict: bool,
    sink: &dyn output::Sink,
) -> Result<BuildReport, Error> {
    let site = load_and_validate(root, strict)?;
    let report = render::render_site(&site, sink, None)?;
    build_report(site, report, strict)
}

/// Validates the site at `root` without writing: content problems, missing UI
/// strings, stale translations, and a full render into a discarding sink.
pub fn check(root: &Path) -> Result<CheckReport, Error> {
    let mut site = load_site(root)?;
    validate_site(&mut site);
    // every file with an error, those of the checks between files too
    let failed = failed_files(&site);
    let matrix = validate::translation_matrix(
        &site.advisories,
        &site.unloaded,
        &site.config.locales,
        &failed,
    );
    if !site.problems.iter().any(Problem::is_error) {
        match render::render_site(&site, &output::NullSink, None) {
            Ok(report) => site.problems.extend(report.problems),
            Err(Error::Template(problems)) => site.problems.extend(problems),
            Err(e) => return Err(e),
        }
    } else {
        let template = render::template_problems(&site);
        site.problems.extend(template);
    }
    diag::sort_problems(&mut site.problems);
    Ok(CheckReport {
        problems: site.problems,
        matrix,
    })
}
