//! Site-wide rules that need more than one file: stale translations, log-check
//! messages per locale, and the advisory × locale translation matrix. No I/O.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::checker;
use crate::diag::Problem;
use crate::load::Unloaded;
use crate::model::{Advisory, Locale};

/// The state of one translation in the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Present and current.
    Ok,
    /// Present, translated from an older revision.
    Stale { from: String, current: String },
    /// No translation in this locale.
    Missing,
    /// A translation file is there, but it (or the advisory's `advisory.yaml`) has an
    /// error, so it gets no page.
    Error,
}

/// One advisory's row of the translation matrix.
#[derive(Debug, Clone)]
pub struct MatrixRow {
    pub id: String,
    /// One cell per site locale, in site order.
    pub cells: Vec<Cell>,
    /// `field (locale: value)` for each recorded disagreement between sources.
    pub conflicts: Vec<String>,
    /// Its `advisory.yaml` is missing or did not load (an error says why): its cells are
    /// its translation files, and it has no page.
    pub unloaded: bool,
}

/// Advisory × locale: which translations exist, which are stale, where sources disagreed.
#[derive(Debug, Clone)]
pub struct Matrix {
    pub locales: Vec<Locale>,
    pub rows: Vec<MatrixRow>,
}

impl Matrix {
    /// The number of cells of each kind, and of advisories whose sources disagree.
    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for r in &self.rows {
            for c in &r.cells {
                match c {
                    Cell::Ok => t.ok += 1,
                    Cell::Stale { .. } => t.stale += 1,
                    Cell::Missing => t.missing += 1,
                    Cell::Error => t.errors += 1,
                }
            }
            t.conflicts += usize::from(!r.conflicts.is_empty());
            t.unloaded += usize::from(r.unloaded);
        }
        t
    }
}

/// The counts of [`Matrix::totals`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub ok: usize,
    pub stale: usize,
    pub missing: usize,
    pub errors: usize,
    /// Advisories with at least one disagreement between sources.
    pub conflicts: usize,
    /// Advisories whose `advisory.yaml` is missing or did not load.
    pub unloaded: usize,
}

/// Builds the translation matrix, its rows in natural order of id (`973882` before
/// `2028859`, `2024-9` before `2024-10`). `failed`: the files with an error (a
/// translation among them is `Error`, not `Missing`); the advisories that did not load
/// get a row too, `Error` where they have a translation file.
pub(crate) fn translation_matrix(
    advisories: &[Advisory],
    unloaded: &[Unloaded],
    locales: &[Locale],
    failed: &BTreeSet<PathBuf>,
) -> Matrix {
    let mut rows: Vec<MatrixRow> = advisories
        .iter()
        .map(|a| MatrixRow {
            id: a.id.to_string(),
            cells: locales.iter().map(|l| cell(a, l, failed)).collect(),
            conflicts: a
                .meta
                .conflicts
                .iter()
                .map(|c| format!("{} ({}: {})", c.field, c.locale, c.value))
                .collect(),
            unloaded: false,
        })
        .chain(unloaded.iter().map(|u| {
            MatrixRow {
                id: u.id.to_string(),
                cells: locales
                    .iter()
                    .map(|l| match u.locales.contains(l) {
                        true => Cell::Error,
                        false => Cell::Missing,
                    })
                    .collect(),
                conflicts: Vec::new(),
                unloaded: true,
            }
        }))
        .collect();
    rows.sort_by(|a, b| natural_order(&a.id, &b.id));
    Matrix {
        locales: locales.to_vec(),
        rows,
    }
}

/// Compares ids as a person reads them: runs of digits by their value, the rest as text;
/// ids that read the same (`07` and `7`) fall back to plain text order.
fn natural_order(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    // (is a run of ASCII digits, the run); such runs end at character boundaries
    fn runs(s: &str) -> impl Iterator<Item = (bool, &[u8])> {
        s.as_bytes()
            .chunk_by(|x, y| x.is_ascii_digit() == y.is_ascii_digit())
            .map(|run| (run[0].is_ascii_digit(), run))
    }
    let (mut x, mut y) = (runs(a), runs(b));
    loop {
        let order = match (x.next(), y.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some((true, m)), Some((true, n))) => {
                let zeros = |d: &[u8]| d.iter().take_while(|&&c| c == b'0').count();
                let (m, n) = (&m[zeros(m)..], &n[zeros(n)..]);
                m.len().cmp(&n.len()).then_with(|| m.cmp(n))
            }
            (Some((_, m)), Some((_, n))) => m.cmp(n),
        };
        if order != Ordering::Equal {
            return order;
        }
    }
}

fn cell(a: &Advisory, l: &Locale, failed: &BTreeSet<PathBuf>) -> Cell {
    match a.translations.get(l) {
        None if did_not_load(a, l, failed) => Cell::Error,
        None => Cell::Missing,
        // loaded, with an error of its own (`translated_from_revision` no revision has)
        Some(t) if failed.contains(&t.source) => Cell::Error,
        Some(t) if a.is_stale(l) => Cell::Stale {
            from: t.translated_from_revision.clone().unwrap_or_default(),
            current: a.meta.current_revision().unwrap_or_default().to_string(),
        },
        Some(_) => Cell::Ok,
    }
}

/// Whether `a` has a translation file for `l` that has an error (is in `failed`).
fn did_not_load(a: &Advisory, l: &Locale, failed: &BTreeSet<PathBuf>) -> bool {
    failed.contains(&a.dir.join(format!("{l}.md")))
}

/// Cross-file problems of every advisory. `failed` holds the files that already have an
/// error (a translation that did not load is not reported again as missing).
pub(crate) fn validate_advisories(
    advisories: &[Advisory],
    config: &crate::config::SiteConfig,
    failed: &BTreeSet<PathBuf>,
) -> Vec<Problem> {
    let default_locale = &config.default_locale;
    let mut problems = Vec::new();
    validate_legacy_urls(advisories, config, failed, &mut problems);
    validate_id_case(advisories, &mut problems);
    for a in advisories {
        // (a file of the folder that has an error may be the translation meant)
        let unloaded = failed.iter().any(|f| f.parent() == Some(a.dir.as_path()));
        if a.translations.is_empty() && !unloaded {
            let locales = config.locales.iter().map(|l| format!("`{l}`"));
            problems.push(
                Problem::warning(
                    a.dir.join("advisory.yaml"),
                    format!("advisory `{}` has no translation, so the site has no page for it", a.id),
                )
                .help(format!(
                    "add its text as `{}.md` beside `advisory.yaml` (or a file for another of the site's locales: {})",
                    config.default_locale,
                    locales.collect::<Vec<_>>().join(", ")
                )),
            );
        }
        for (locale, t) in &a.translations {
            if let Cell::Stale { from, current } = cell(a, locale, failed) {
                problems.push(
                    Problem::warning(&t.source, format!("translation `{locale}` of `{}` may be out of date: translated from revision {from}, the advisory is at revision {current}", a.id))
                        .at_opt(t.spots.get("translated_from_revision").copied())
                        .help(format!("update the text, then set `translated_from_revision: \"{current}\"`")),
                );
            }
        }
        validate_messages(a, default_locale, failed, &mut problems);
    }
    problems
}

/// Two advisory ids that differ only in case (`ADV-1`, `adv-1`) are one folder on a file
/// system that ignores case (macOS, Windows): a checkout there holds one of them, and a
/// build there writes one's pages over the other's. An error at the later folder.
fn validate_id_case(advisories: &[Advisory], problems: &mut Vec<Problem>) {
    let mut first: BTreeMap<String, &Advisory> = BTreeMap::new();
    for a in advisories {
        let folded = a.id.as_str().to_lowercase();
        match first.get(&folded) {
            Some(earlier) => problems.push(
                Problem::error(
                    &a.dir,
                    format!(
                        "advisory `{}` differs from `{}` only in case: on a file system that ignores case (macOS, Windows) their folders and pages are one",
                        a.id, earlier.id
                    ),
                )
                .help("give one of them another id: rename its folder and its `id:`"),
            ),
            None => {
                first.insert(folded, a);
            }
        }
    }
}

/// Each legacy URL gets a redirect page, unless its locale has no translation or
/// `redirects::plan` leaves it out (an unsafe path, a path another legacy URL already
/// has, a page that would replace a file of the site or need a folder where the site
/// writes one): each of those is a warning (not for a translation whose file is in
/// `failed`: its error says enough).
fn validate_legacy_urls(
    advisories: &[Advisory],
    config: &crate::config::SiteConfig,
    failed: &BTreeSet<PathBuf>,
    problems: &mut Vec<Problem>,
) {
    let warn = |a: &Advisory, locale: &Locale, url: &str, why: &str| {
        Problem::warning(
            a.dir.join("advisory.yaml"),
            format!("legacy URL `{url}` ({locale}) gets no redirect: {why}"),
        )
        .at_opt(a.meta.legacy_url_spots.get(locale).copied())
        .help("fix or remove the entry under `legacy_urls`")
    };
    for a in advisories {
        for (locale, url) in &a.meta.legacy_urls {
            if !a.translations.contains_key(locale) && !did_not_load(a, locale, failed) {
                let why = format!("there is no `{locale}` translation to redirect to");
                problems.push(warn(a, locale, url, &why));
            }
        }
    }
    let (entries, owners) = crate::redirects::legacy_entries(advisories);
    let generated = crate::urls::generated_files(advisories, config);
    let base_path = crate::urls::base_path(&config.base_url);
    for (i, why) in crate::redirects::plan(&entries, &generated, base_path).skipped {
        let (a, locale) = owners[i];
        problems.push(warn(a, locale, &entries[i].0, &why));
    }
}

/// Where the messages of check `id` are written in `t`'s front matter.
fn spot(t: &crate::model::Translation, id: &str) -> Option<(usize, usize)> {
    t.spots.get(&format!("log_check_messages/{id}")).copied()
}

/// Every message key a rule uses must exist in the default locale (error); other
/// locales fall back to it (warning). `failed`: see `validate_advisories`.
fn validate_messages(
    a: &Advisory,
    default_locale: &Locale,
    failed: &BTreeSet<PathBuf>,
    problems: &mut Vec<Problem>,
) {
    // a default translation that did not load has its own error, which says enough
    let default_failed = failed.contains(&a.dir.join(format!("{default_locale}.md")));
    for check in &a.meta.log_checks {
        // (an advisory with no translation at all has a warning that says so)
        if !a.translations.contains_key(default_locale)
            && !default_failed
            && !a.translations.is_empty()
        {
            problems.push(
                Problem::error(a.dir.join("advisory.yaml"), format!("check `{}` needs its messages in the default locale `{default_locale}`, which has no translation", check.id))
                    .help(format!("add `{}` with `log_check_messages`", a.dir.join(format!("{default_locale}.md")).display())),
            );
        }
        for key in checker::message_keys(check) {
            for (locale, t) in &a.translations {
                let has = t
                    .log_check_messages
                    .get(&check.id)
                    .is_some_and(|m| m.contains_key(&key));
                if has {
                    continue;
                }
                let hint = format!(
                    "add `{key}: …` under `log_check_messages:` → `{}:` in the front matter",
                    check.id
                );
                // at the check's messages, where the missing one goes
                let at = spot(t, &check.id);
                if locale == default_locale {
                    problems.push(Problem::error(&t.source, format!("message `{key}` of check `{}` is missing in the default locale `{locale}`", check.id)).at_opt(at).help(hint));
                } else {
                    problems.push(Problem::warning(&t.source, format!("message `{key}` of check `{}` is missing in `{locale}`; the `{default_locale}` text is used", check.id)).at_opt(at).help(hint));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::natural_order;

    #[test]
    fn ids_are_ordered_as_a_person_reads_them() {
        let mut ids = [
            "2028859",
            "973882",
            "2024-10",
            "2024-9",
            "MS08-001",
            "ms08-002",
            "2024-09",
            "MS08-0010",
            "b",
            "a10",
            "a9",
            "á1",
        ];
        ids.sort_by(|a, b| natural_order(a, b));
        assert_eq!(
            ids,
            [
                "2024-09",
                "2024-9",
                "2024-10",
                "973882",
                "2028859",
                "MS08-001",
                "MS08-0010",
                "a9",
                "a10",
                "b",
                "ms08-002",
                "á1",
            ]
        );
    }
}
