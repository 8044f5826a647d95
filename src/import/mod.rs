//! `avisa import`: published advisories of one locale (Microsoft's Markdown dialect) into
//! `content/advisories/<ID>/`. Reads sources and the manifest at the start, extracts and
//! plans purely (`extract`, `plan`), and writes only through `sink` at the end. Run once
//! per locale; the same id in several locales becomes one advisory.

mod dates;
mod extract;
mod manifest;
mod plan;
mod sink;

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Problem, sort_problems};
use crate::model::Locale;

use extract::{Outcome, extract, normalize_text};
use manifest::{MANIFEST_NAME, Manifest};
use plan::{Imported, plan_import};

/// What to import and where.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The language of the sources.
    pub locale: Locale,
    /// Folder searched recursively for `*.md` files.
    pub from: PathBuf,
    /// The site's `content/` folder.
    pub into: PathBuf,
    /// Replace files a person edited since the last import.
    pub force: bool,
}

/// What an import did. Warnings are in `problems`; nothing here is fatal.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Advisories imported from this locale (after removing duplicate ids).
    pub advisories: usize,
    /// Warnings with `file:line`, sorted.
    pub problems: Vec<Problem>,
    /// Informational lines (files skipped because they are not advisories).
    pub notes: Vec<String>,
    /// Files created or replaced, relative to `into`.
    pub written: Vec<String>,
    /// Files that already had the right bytes.
    pub unchanged: usize,
    /// Files left alone because a person edited them (use `force` to replace them).
    pub kept: Vec<String>,
}

/// Why an import stopped: the sources or `content/` could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write `{}`: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{}` is not a valid import manifest: {message}", path.display())]
    Manifest { path: PathBuf, message: String },
    #[error("`{}` is not a folder", path.display())]
    NotAFolder { path: PathBuf },
}

/// Imports every advisory under `opts.from` into `opts.into` (see the module doc).
pub fn import(opts: &ImportOptions) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport::default();
    let sources = source_files(&opts.from)?;
    let reader = dates::DateReader::for_locale(&opts.locale);
    if reader.primary.is_empty() {
        report.notes.push(format!(
            "no CLDR month names for `{}`: only numeric dates can be read",
            opts.locale
        ));
    }

    // Each file is read by the worker that extracts it and dropped right after, so the
    // sources are never all in memory at once.
    let results: Vec<(Outcome, Vec<Problem>, PathBuf)> = sources
        .par_iter()
        .map(|path| {
            let bytes = fs::read(path).map_err(|source| ImportError::Read {
                path: path.clone(),
                source,
            })?;
            let mut problems = Vec::new();
            let text = match std::str::from_utf8(&bytes) {
                Ok(t) => t.to_string(),
                Err(e) => {
                    problems.push(
                        Problem::warning(
                            path,
                            format!(
                                "not valid UTF-8 (byte {}); invalid bytes replaced",
                                e.valid_up_to()
                            ),
                        )
                        .help("convert the file to UTF-8"),
                    );
                    String::from_utf8_lossy(&bytes).into_owned()
                }
            };
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
            let (outcome, p) = extract(stem, path, &normalize_text(&text), &opts.locale, &reader);
            problems.extend(p);
            Ok((outcome, problems, path.clone()))
        })
        .collect::<Result<_, ImportError>>()?;

    let mut imported: Vec<Imported> = Vec::new();
    for (outcome, problems, path) in results {
        match outcome {
            Outcome::Advisory(e) => {
                report.problems.extend(problems);
                imported.push(Imported {
                    source: path,
                    extracted: *e,
                });
            }
            Outcome::Skipped(why) => report
                .notes
                .push(format!("skipped `{}`: {why}", path.display())),
        }
    }
    let (imported, dup_problems) = drop_duplicates(imported);
    report.problems.extend(dup_problems);
    report.advisories = imported.len();

    let manifest_path = opts.into.join(MANIFEST_NAME);
    let manifest_text = match fs::read_to_string(&manifest_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(source) => {
            return Err(ImportError::Read {
                path: manifest_path,
                source,
            });
        }
    };
    let mut manifest =
        Manifest::parse(&manifest_text).map_err(|message| ImportError::Manifest {
            path: manifest_path.clone(),
            message,
        })?;

    let plan = plan_import(&opts.locale, imported, &mut manifest);
    report.problems.extend(plan.problems);
    let outcome = sink::write_files(&opts.into, &plan.files, &mut manifest, opts.force)
        .map_err(|(path, source)| ImportError::Write { path, source })?;
    for rel in &outcome.kept {
        report.problems.push(
            Problem::warning(
                opts.into.join(rel),
                "edited since the last import; not overwritten",
            )
            .help("rerun with `--force` to replace it, or keep your edit"),
        );
    }
    report.written = outcome.written;
    report.unchanged = outcome.unchanged;
    report.kept = outcome.kept;
    sort_problems(&mut report.problems);
    Ok(report)
}

/// Every `*.md` file under `from`, sorted by path.
fn source_files(from: &Path) -> Result<Vec<PathBuf>, ImportError> {
    if !from.is_dir() {
        return Err(ImportError::NotAFolder {
            path: from.to_path_buf(),
        });
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(|e| ImportError::Read {
            path: e
                .path()
                .map_or_else(|| from.to_path_buf(), Path::to_path_buf),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("file system loop")),
        })?;
        let path = entry.path();
        if entry.file_type().is_file() && path.extension().is_some_and(|x| x == "md") {
            out.push(path.to_path_buf());
        }
    }
    Ok(out)
}

/// Keeps one file per id: the newest by updated (else published) date; on a tie, the last
/// by path. Each dropped file is a warning naming the one kept.
fn drop_duplicates(imported: Vec<Imported>) -> (Vec<Imported>, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut by_id: std::collections::BTreeMap<String, Imported> = std::collections::BTreeMap::new();
    for item in imported {
        let id = item.extracted.id.to_string();
        match by_id.remove(&id) {
            None => {
                by_id.insert(id, item);
            }
            Some(prev) => {
                let date = |i: &Imported| i.extracted.updated.or(i.extracted.published);
                let (keep, drop) = if date(&prev) > date(&item) {
                    (prev, item)
                } else {
                    (item, prev)
                };
                problems.push(
                    Problem::warning(
                        &drop.source,
                        format!(
                            "advisory `{id}` appears twice; `{}` is newer and is imported instead",
                            keep.source.display()
                        ),
                    )
                    .help("remove one of the two files from the source folder"),
                );
                by_id.insert(id, keep);
            }
        }
    }
    (by_id.into_values().collect(), problems)
}
