//! `avisa import`: published advisories of one locale (Microsoft's Markdown dialect) into
//! `content/advisories/<ID>/`. Pass 1 reads each source for its facts and where its body
//! lies (`extract`, `cut`), then plans purely (`plan`); pass 2 writes through `sink`,
//! reading each source again and cutting its body right before its file is written, so
//! memory does not grow with the bodies. Run once per locale; one id, one advisory.

mod cut;
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

use cut::BodyCut;
use extract::{Outcome, extract, normalize_text};
use manifest::{MANIFEST_NAME, Manifest};
use plan::{Imported, Planned, plan_import, planned_text};

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
    /// True when advisories were imported into a folder without a `site.yaml`, which
    /// `avisa init` writes.
    pub no_site_yaml: bool,
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
    #[error("`{}` changed during the import; run it again", path.display())]
    Changed { path: PathBuf },
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

    // Pass 1: each file is read by the worker that extracts it, and only its facts and
    // where its body lies are kept (not the text), so memory does not grow with the bodies.
    let results: Vec<(Outcome, Vec<Problem>, PathBuf)> = sources
        .par_iter()
        .map(|path| {
            let (text, mut problems) = read_source(path)?;
            let (outcome, p) = extract(stem_of(path), path, &text, &opts.locale, &reader);
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
            Outcome::Refused => report.problems.extend(problems),
        }
    }
    let (imported, dup_problems) = drop_duplicates(imported);
    report.problems.extend(dup_problems);
    report.advisories = imported.len();

    let manifest_path = opts.into.join(MANIFEST_NAME);
    // the text is dropped once parsed: it grows with the corpus
    let mut manifest = {
        let text = match fs::read_to_string(&manifest_path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => {
                return Err(ImportError::Read {
                    path: manifest_path,
                    source,
                });
            }
        };
        Manifest::parse(&text).map_err(|message| ImportError::Manifest {
            path: manifest_path.clone(),
            message,
        })?
    };

    let plan = plan_import(&opts.locale, imported, &mut manifest);
    report.problems.extend(plan.problems);
    // Pass 2: each translation's source is read again, one file per worker, right before
    // the file is written, and its body cut where pass 1 found it (no second extraction).
    let text_of = |planned: &Planned| -> Result<String, ImportError> {
        let body = match planned {
            Planned::Text(_) => None,
            Planned::Translation { translation, body } => {
                Some(cut_body(&translation.source, body)?)
            }
        };
        Ok(planned_text(planned, body))
    };
    let outcome = sink::write_files(&opts.into, &plan.files, text_of, &mut manifest, opts.force)
        .map_err(|e| match e {
            sink::WriteError::Text(e) => e,
            sink::WriteError::Io(path, source) => ImportError::Write { path, source },
        })?;
    for rel in &outcome.kept {
        let mut message = match outcome.never_imported.contains(rel) {
            true => {
                "not written by `avisa import` (written by hand or by another tool); not overwritten"
            }
            false => "edited since the last import; not overwritten",
        }
        .to_string();
        // what of this import's facts it lacks (a hand-set `kind` kept the revisions and
        // disagreements a new locale brought out of it, and `check` from seeing them)
        // (the planned files are sorted by path)
        let planned = (plan
            .files
            .binary_search_by(|(r, _)| r.as_str().cmp(rel))
            .ok())
        .map(|i| &plan.files[i].1);
        if let Some(Planned::Text(text)) = planned
            && let Ok(existing) = fs::read_to_string(opts.into.join(rel))
        {
            let keys = crate::frontmatter::top_level_differences(&existing, text);
            if !keys.is_empty() {
                message.push_str(&format!(
                    ", so it lacks what this import found: it would have written other {}",
                    crate::diag::code_list(&keys)
                ));
            }
        }
        report.problems.push(
            Problem::warning(opts.into.join(rel), message)
                .help("rerun with `--force` to replace it (then set again what you edited), or copy the import's values in by hand"),
        );
    }
    report.written = outcome.written;
    report.unchanged = outcome.unchanged;
    report.kept = outcome.kept;
    if report.advisories == 0 {
        report.problems.push(nothing_imported(opts, sources.len()));
    } else {
        let path = opts.into.join("site.yaml");
        let yaml = crate::load::site_yaml_text(&path).map_err(|source| ImportError::Read {
            path: path.clone(),
            source,
        })?;
        report.no_site_yaml = !path.exists();
        let what = "`avisa build` will reject the translations just imported";
        report.problems.extend(
            yaml.and_then(|yaml| crate::config::unlisted_locale(&yaml, &path, &opts.locale, what)),
        );
    }
    sort_problems(&mut report.problems);
    Ok(report)
}

/// Why an import found no advisory, as an error on the source folder (the command then
/// exits with 1): it holds no Markdown file, or none has a date line or revision list in
/// `opts.locale`, which is what happens when the files are in another language than
/// `--locale` says.
fn nothing_imported(opts: &ImportOptions, sources: usize) -> Problem {
    let locale = &opts.locale;
    if sources == 0 {
        Problem::error(&opts.from, "no `*.md` file in this folder or below it")
            .help("pass the folder that holds the published Markdown files with `--from`")
    } else {
        Problem::error(
            &opts.from,
            format!("none of the {sources} Markdown file(s) here was read as an advisory in `{locale}`"),
        )
        .help(format!(
            "dates are read with `{locale}`'s month names: if the files are written in another language, pass its tag with `--locale`"
        ))
    }
}

/// A source file's text, normalized ([`normalize_text`]); invalid UTF-8 is replaced, with a
/// warning.
fn read_source(path: &Path) -> Result<(String, Vec<Problem>), ImportError> {
    let bytes = fs::read(path).map_err(|source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut problems = Vec::new();
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => normalize_text(t),
        Err(e) => {
            // where the first invalid byte is: after the text that is valid
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let (line, column) = crate::diag::line_column(valid, valid.len());
            let byte = bytes[e.valid_up_to()];
            problems.push(
                Problem::warning(
                    path,
                    format!("not valid UTF-8 (byte 0x{byte:02X}); invalid bytes replaced with U+FFFD"),
                )
                .at(line, column)
                .help("convert the file to UTF-8 (it may be Windows-1252 or Latin-1), and import again"),
            );
            normalize_text(&String::from_utf8_lossy(&bytes))
        }
    };
    Ok((text, problems))
}

/// The body of `source` cut where pass 1 found it; [`ImportError::Changed`] when the file
/// is no longer the one pass 1 read.
fn cut_body(source: &Path, cut: &BodyCut) -> Result<String, ImportError> {
    let (text, _) = read_source(source)?;
    cut.apply(&text).map_err(|_| ImportError::Changed {
        path: source.to_path_buf(),
    })
}

/// The file name without `.md`: the advisory id when it is one.
fn stem_of(path: &Path) -> &str {
    path.file_stem().and_then(|s| s.to_str()).unwrap_or("")
}

/// Every `*.md` file under `from`, sorted by path. Symbolic links are followed, to files
/// and to folders (a publisher's tree often links the sources it shares); a link to
/// nothing, or one that loops back to a folder above it, stops the import naming it.
fn source_files(from: &Path) -> Result<Vec<PathBuf>, ImportError> {
    if !from.is_dir() {
        return Err(ImportError::NotAFolder {
            path: from.to_path_buf(),
        });
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(from)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| {
            let (path, source) = crate::load::walk_error(from, e);
            ImportError::Read { path, source }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes that are not UTF-8 are a warning at their line and column, naming the byte
    /// (it named only its offset in the file).
    #[test]
    fn invalid_utf8_is_a_warning_at_its_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("900003.md");
        fs::write(&path, b"---\r\ntitle: x\r\n---\r\nAn \xe9t\xe9\r\n").unwrap();
        let (text, problems) = read_source(&path).unwrap();
        assert_eq!(text, "---\ntitle: x\n---\nAn \u{fffd}t\u{fffd}\n");
        let [p] = problems.as_slice() else {
            panic!("{problems:?}")
        };
        assert_eq!((p.line, p.column), (Some(4), Some(4)), "{p:?}");
        assert!(p.message.contains("byte 0xE9"), "{p:?}");
    }

    #[test]
    fn a_source_changed_between_the_passes_fails_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("954474.md");
        let text = "# T\r\n\r\nPublicado: 1\r\n\r\nTexto.\r\n";
        fs::write(&path, text).unwrap();
        let normalized = normalize_text(text);
        let cut = BodyCut::new(&normalized, 0, &[false, false, false, true, true, true]);
        assert_eq!(cut_body(&path, &cut).unwrap(), "Texto.\n");

        fs::write(&path, "# T\n\nPublicado: 2\n\nTexto.\n").unwrap();
        let err = cut_body(&path, &cut).unwrap_err();
        assert!(matches!(err, ImportError::Changed { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "`{}` changed during the import; run it again",
                path.display()
            )
        );
    }
}
