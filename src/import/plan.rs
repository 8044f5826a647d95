//! Pure planning: from the advisories extracted for one locale and the manifest of earlier
//! imports, the files to write (`advisory.yaml` from a vote over every locale's facts, and
//! this locale's translation) and the updated manifest. No I/O.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::cut::BodyCut;
use super::extract::Extracted;
use super::manifest::{LocaleFacts, Manifest};
use crate::diag::Problem;
use crate::frontmatter::write::{advisory_yaml, translation_file};
use crate::model::{
    Affected, Body, Conflict, Date, Kind, Locale, Meta, ProductName, Reference, Revision,
    SortedMap, Translation,
};

/// One extracted advisory and the file it came from (as shown to the user).
#[derive(Debug, Clone)]
pub(crate) struct Imported {
    pub(crate) source: PathBuf,
    pub(crate) extracted: Extracted,
}

/// Files to write, relative to `content/`, sorted by path.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub(crate) files: Vec<(String, Planned)>,
    pub(crate) problems: Vec<Problem>,
}

/// A planned file's content.
#[derive(Debug, Clone)]
pub(crate) enum Planned {
    /// The whole text (`advisory.yaml`).
    Text(String),
    /// A translation whose body is still in its source file (`Translation::source`), where
    /// `body` says it lies: read again when the file is written, so the bodies are never
    /// all in memory at once.
    Translation {
        translation: Box<Translation>,
        body: BodyCut,
    },
}

/// The date written when no locale gave a published date (with a warning): an obviously
/// wrong value that still lets the site build, to be fixed by hand.
pub(crate) const PLACEHOLDER_PUBLISHED: Date = Date {
    year: 1970,
    month: 1,
    day: 1,
};

/// Records this locale's facts in `manifest` and plans the files for every advisory in
/// `imported`. `advisory.yaml` depends on every locale recorded so far, the translation on
/// this locale's source only.
pub(crate) fn plan_import(
    locale: &Locale,
    imported: Vec<Imported>,
    manifest: &mut Manifest,
) -> Plan {
    let mut plan = Plan::default();
    for mut item in imported {
        let body = std::mem::take(&mut item.extracted.body);
        let e = &item.extracted;
        let before = manifest.sources.get(e.id.as_str()).cloned();
        manifest.record(e.id.as_str(), facts_of(locale, &item));
        let all = manifest
            .sources
            .get(e.id.as_str())
            .cloned()
            .unwrap_or_default();
        let (meta, problems) = merge_facts(&all, &item.source);
        plan.problems.extend(problems);
        plan.problems.extend(history_changed(
            locale,
            e.id.as_str(),
            before.as_deref(),
            &all,
            &meta,
            &item.source,
        ));
        let dir = format!("advisories/{}", e.id);
        plan.files.push((
            format!("{dir}/advisory.yaml"),
            Planned::Text(advisory_yaml(&e.id, &meta)),
        ));
        let (translation, problems) = translation_of(locale, &item, &meta);
        plan.problems.extend(problems);
        plan.files.push((
            format!("{dir}/{locale}.md"),
            Planned::Translation {
                translation: Box::new(translation),
                body,
            },
        ));
    }
    plan.files.sort_by(|a, b| a.0.cmp(&b.0));
    plan
}

/// A warning when this import changed the revision history kept for an advisory that
/// other locales' translations were imported for: they were matched to the history kept
/// then (which revision they follow, their notes), and are not rewritten now (their
/// sources are not at hand), so they are to be imported again.
fn history_changed(
    locale: &Locale,
    id: &str,
    before: Option<&[LocaleFacts]>,
    all: &[LocaleFacts],
    meta: &Meta,
    source: &std::path::Path,
) -> Option<Problem> {
    let before = before.filter(|b| !b.is_empty())?;
    let kept = |all: &[LocaleFacts]| vote(&histories(all), None).map(|(kept, _)| kept);
    if kept(before) == kept(all) {
        return None;
    }
    let others: Vec<&str> = (all.iter())
        .map(|f| f.locale.as_str())
        .filter(|l| *l != locale.as_str())
        .collect();
    if others.is_empty() {
        return None;
    }
    let last = meta.revisions.last().map_or(String::new(), |r| {
        format!(" (it now ends at revision {} of {})", r.number, r.date)
    });
    Some(
        Problem::warning(
            source,
            format!(
                "with this file, the revision history kept for `{id}` changed{last}: the translations imported before in {} were matched to the history kept then",
                crate::diag::code_list(&others)
            ),
        )
        .help(format!(
            "import {} again, so each translation says which revision it follows and has its notes",
            others.iter().map(|l| format!("`--locale {l}`")).collect::<Vec<_>>().join(", ")
        )),
    )
}

/// The text of a planned file; a translation gets `body` (its source's body, read again).
pub(crate) fn planned_text(planned: &Planned, body: Option<String>) -> String {
    match planned {
        Planned::Text(text) => text.clone(),
        Planned::Translation { translation: t, .. } => {
            translation_file(t, body.as_deref().unwrap_or_default())
        }
    }
}

fn facts_of(locale: &Locale, item: &Imported) -> LocaleFacts {
    let e = &item.extracted;
    LocaleFacts {
        locale: locale.to_string(),
        source: item.source.display().to_string(),
        published: e.published.map(|d| d.to_string()),
        updated: e.updated.map(|d| d.to_string()),
        revisions: e
            .revisions
            .iter()
            .map(|r| (r.number.clone(), r.date.to_string()))
            .collect(),
        kb: e.kb.clone(),
        cves: e.cves.clone(),
        affected: e.affected.iter().map(|a| a.product.clone()).collect(),
        affected_versions: e
            .affected
            .iter()
            .filter(|a| !a.versions.is_empty())
            .map(|a| (a.product.clone(), a.versions.clone()))
            .collect(),
        references: e.references.clone(),
        legacy_url: e.legacy_url.clone(),
    }
}

/// The translation planned from `item`, with an empty body (filled in when written).
fn translation_of(locale: &Locale, item: &Imported, meta: &Meta) -> (Translation, Vec<Problem>) {
    let e = &item.extracted;
    let (revision_notes, problems) = map_notes(e, &meta.revisions, &item.source);
    let t = Translation {
        locale: locale.clone(),
        source: item.source.clone(),
        title: e.title.clone(),
        summary: e.summary.clone(),
        translated_from_revision: translated_from(e, &meta.revisions),
        revision_notes,
        product_names: product_names(&meta.affected, &e.affected),
        log_check_messages: BTreeMap::new(),
        body: Body::Text(String::new()),
        body_line: 1,
        // (what the importer writes is checked when the site is read)
        spots: BTreeMap::new(),
    };
    (t, problems)
}

/// The revision of the kept (`canonical`) history that this source's last revision is:
/// same number and date, else the same date, else the same number. A translation whose
/// own history stops before the current revision is then reported as out of date (the
/// older text of a locale that was not updated with the others); `None` for a source
/// without a revision list.
fn translated_from(e: &Extracted, canonical: &[Revision]) -> Option<String> {
    let last = e.revisions.iter().max_by_key(|r| r.date)?;
    let find = |f: &dyn Fn(&Revision) -> bool| canonical.iter().rev().find(|c| f(c));
    find(&|c| c.number == last.number && c.date == last.date)
        .or_else(|| find(&|c| c.date == last.date))
        .or_else(|| find(&|c| c.number == last.number))
        .map(|c| c.number.clone())
}

/// This source's revision notes keyed by the numbers of the kept (`canonical`) history:
/// same number and date, else the same date, else the same number. A note with no
/// counterpart is dropped with a warning (its revision is recorded as a conflict).
fn map_notes(
    e: &Extracted,
    canonical: &[Revision],
    source: &std::path::Path,
) -> (SortedMap<String, String>, Vec<Problem>) {
    let mut notes = SortedMap::new();
    let mut problems = Vec::new();
    let mut used = vec![false; canonical.len()];
    for r in e.revisions.iter().filter(|r| !r.note.is_empty()) {
        let free = |f: &dyn Fn(&Revision) -> bool| {
            (0..canonical.len()).find(|&i| !used[i] && f(&canonical[i]))
        };
        let found = free(&|c| c.number == r.number && c.date == r.date)
            .or_else(|| free(&|c| c.date == r.date))
            .or_else(|| free(&|c| c.number == r.number));
        match found {
            Some(i) => {
                used[i] = true;
                notes.insert(canonical[i].number.clone(), r.note.clone());
            }
            None => problems.push(
                Problem::warning(
                    source,
                    format!(
                        "revision `{}` ({}) is not in the history kept for `{}`; its note is left out",
                        r.number, r.date, e.id
                    ),
                )
                .help("see `conflicts` in `advisory.yaml`"),
            ),
        }
    }
    (notes, problems)
}

/// A locale's affected-software rows, as recorded.
fn affected_of(f: &LocaleFacts) -> Vec<Affected> {
    f.affected
        .iter()
        .map(|p| Affected {
            product: p.clone(),
            versions: f.affected_versions.get(p).cloned().unwrap_or_default(),
        })
        .collect()
}

/// A row of an affected-software table, as [`align_products`] compares it: the numbers in
/// its product name, in any order ("x64 Service Pack 1" is "Service Pack 1 baseados em
/// x64"), its versions, and its product name as written.
#[derive(PartialEq)]
struct Row<'a> {
    numbers: Vec<&'a str>,
    versions: &'a [String],
    text: &'a str,
}

impl Row<'_> {
    fn of(a: &Affected) -> Row<'_> {
        let mut numbers: Vec<&str> = a
            .product
            .split(|c: char| !c.is_ascii_digit())
            .filter(|s| !s.is_empty())
            .collect();
        numbers.sort_unstable();
        Row {
            numbers,
            versions: &a.versions,
            text: &a.product,
        }
    }

    /// What the same row has in every language: its numbers and versions.
    fn same_key(&self, other: &Row) -> bool {
        self.numbers == other.numbers && self.versions == other.versions
    }
}

/// Pairs the rows of another locale's affected-software table (`other`) with the rows
/// kept (`kept`): one table in two languages, rows in the same order. For each kept row,
/// the index of its counterpart in `other`, if any.
///
/// As in a patience diff: anchors are rows whose numbers and versions (see [`Row`]) occur
/// once on each side, with at least one number, or whose product name and versions occur
/// once on each side, written the same; they are paired along a longest common
/// subsequence. The stretches between anchors are paired the same way in turn, and a
/// stretch without anchors pairs position by position only when both sides hold as many
/// rows with the same numbers and versions. Any other row stays unpaired: a wrong pair
/// would show another product's name on the page.
pub(crate) fn align_products(kept: &[Affected], other: &[Affected]) -> Vec<Option<usize>> {
    let a: Vec<Row> = kept.iter().map(Row::of).collect();
    let b: Vec<Row> = other.iter().map(Row::of).collect();
    let mut pairs = vec![None; a.len()];
    align_stretch(&a, &b, 0, 0, &mut pairs);
    pairs
}

/// [`align_products`] on the stretches `a` and `b`, which start at `a_at` and `b_at`.
fn align_stretch(a: &[Row], b: &[Row], a_at: usize, b_at: usize, pairs: &mut [Option<usize>]) {
    if a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.same_key(y)) {
        for k in 0..a.len() {
            pairs[a_at + k] = Some(b_at + k);
        }
        return;
    }
    // which rows of `a` may anchor, by numbers and versions or by name (worked out once
    // per row, not once per pair the table below compares)
    let once =
        |rows: &[Row], same: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| same(r)).count() == 1;
    let by_key: Vec<bool> = a
        .iter()
        .map(|x| {
            !x.numbers.is_empty() && once(a, &|r| r.same_key(x)) && once(b, &|r| r.same_key(x))
        })
        .collect();
    let by_text: Vec<bool> = a
        .iter()
        .map(|x| once(a, &|r| r == x) && once(b, &|r| r == x))
        .collect();
    let anchor =
        |i: usize, j: usize| (by_key[i] && a[i].same_key(&b[j])) || (by_text[i] && a[i] == b[j]);
    // lcs[i][j]: the most anchors along a[i..] and b[j..]
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if anchor(i, j) {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut anchors = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if anchor(i, j) {
            anchors.push((i, j));
            i += 1;
            j += 1;
        } else if lcs[i + 1][j] >= lcs[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    if anchors.is_empty() {
        return;
    }
    let (mut from_a, mut from_b) = (0, 0);
    for (to_a, to_b) in anchors.into_iter().chain([(n, m)]) {
        align_stretch(
            &a[from_a..to_a],
            &b[from_b..to_b],
            a_at + from_a,
            b_at + from_b,
            pairs,
        );
        if to_a < n {
            pairs[a_at + to_a] = Some(b_at + to_b);
        }
        (from_a, from_b) = (to_a + 1, to_b + 1);
    }
}

/// This locale's names of the kept affected products, where they differ, in their order.
fn product_names(kept: &[Affected], own: &[Affected]) -> Vec<ProductName> {
    let mut names: Vec<ProductName> = Vec::new();
    for (k, j) in align_products(kept, own).into_iter().enumerate() {
        let Some(j) = j else { continue };
        let (product, name) = (&kept[k].product, &own[j].product);
        if product != name && !names.iter().any(|p| &p.product == product) {
            names.push(ProductName {
                product: product.clone(),
                name: name.clone(),
            });
        }
    }
    names
}

/// The most common value (ties: `prefer` when it is among them, else the one seen first,
/// i.e. from the earliest-imported locale) and every (locale, value) that differs from it.
fn vote<T: PartialEq + Clone>(
    values: &[(String, T)],
    prefer: Option<&T>,
) -> Option<(T, Vec<(String, T)>)> {
    let mut best: Option<(usize, &T)> = None;
    for (_, v) in values {
        let n = values.iter().filter(|(_, w)| w == v).count();
        let preferred = n == best.map_or(0, |(b, _)| b) && prefer == Some(v);
        if best.is_none_or(|(b, _)| n > b) || preferred {
            best = Some((n, v));
        }
    }
    let (_, winner) = best?;
    let others = values
        .iter()
        .filter(|(_, v)| v != winner)
        .cloned()
        .collect();
    Some((winner.clone(), others))
}

/// The revision history of each locale that has one, for the vote on the kept one.
fn histories(all: &[LocaleFacts]) -> Vec<(String, Vec<(String, String)>)> {
    (all.iter())
        .filter(|f| !f.revisions.is_empty())
        .map(|f| (f.locale.clone(), f.revisions.clone()))
        .collect()
}

/// `Meta` from every locale's facts: revisions, published and updated by vote (values a
/// locale could not read do not vote; a tie of published dates goes to the kept first
/// revision's), conflicts for the losers; KB numbers, CVEs and references as the union;
/// affected software (with its versions) from the earliest locale that had a table, a
/// product only another locale's table lists being a conflict (each translation names
/// the kept products in its language: `product_names`).
pub(crate) fn merge_facts(all: &[LocaleFacts], source: &std::path::Path) -> (Meta, Vec<Problem>) {
    let mut problems = Vec::new();
    let mut conflicts = Vec::new();
    let mut add_conflicts = |field: &str, losers: Vec<(String, String)>| {
        for (locale, value) in losers {
            if let Ok(locale) = locale.parse::<Locale>() {
                conflicts.push(Conflict {
                    field: field.to_string(),
                    locale,
                    value,
                });
            }
        }
    };
    let date = |s: &str| s.parse::<Date>().ok();

    let render = |r: &[(String, String)]| {
        r.iter()
            .map(|(n, d)| format!("{n} {d}"))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let revisions: Vec<Revision> = match vote(&histories(all), None) {
        Some((r, losers)) => {
            add_conflicts(
                "revisions",
                losers.into_iter().map(|(l, v)| (l, render(&v))).collect(),
            );
            r.into_iter()
                .filter_map(|(number, d)| date(&d).map(|date| Revision { number, date }))
                .collect()
        }
        None => Vec::new(),
    };

    let published: Vec<(String, String)> = all
        .iter()
        .filter_map(|f| f.published.clone().map(|p| (f.locale.clone(), p)))
        .collect();
    // on a tie, the date the kept history gives: its first revision's (the date lines of
    // the corpus disagree where one locale mistyped it, 2401593: 2009 for 2010)
    let first = revisions.first().map(|r| r.date.to_string());
    let published = match vote(&published, first.as_ref()) {
        Some((p, losers)) => {
            add_conflicts("published", losers);
            date(&p)
        }
        None => None,
    }
    .unwrap_or_else(|| {
        problems.push(
            Problem::warning(
                source,
                format!(
                    "no locale gave a published date; `published` is set to {PLACEHOLDER_PUBLISHED}"
                ),
            )
            .help("edit `published` in `advisory.yaml`"),
        );
        PLACEHOLDER_PUBLISHED
    });

    // Absence of an update date is a value too ("never updated"), written `none`, of a
    // locale whose source has a date (not of one whose dates could not be read at all).
    let updated: Vec<(String, String)> = all
        .iter()
        .filter(|f| f.published.is_some() || f.updated.is_some())
        .map(|f| {
            (
                f.locale.clone(),
                f.updated.clone().unwrap_or_else(|| "none".to_string()),
            )
        })
        .collect();
    // not the last revision's date on a tie: a locale's date line may be later because
    // its history misses a revision (pt-BR 2871997: updated 2016-02-09, "V5.0 (9 de
    // fevereiro de 2016)" written above the list, which ends at 4.0 as es-ES's does)
    let updated = match vote(&updated, None) {
        Some((u, losers)) => {
            add_conflicts("updated", losers);
            date(&u)
        }
        None => None,
    };

    let mut kb: Vec<String> = all.iter().flat_map(|f| f.kb.iter().cloned()).collect();
    kb.sort_by(|a, b| (a.len(), a).cmp(&(b.len(), b)));
    kb.dedup();
    let mut cves: Vec<String> = all.iter().flat_map(|f| f.cves.iter().cloned()).collect();
    cves.sort();
    cves.dedup();
    let mut references: Vec<Reference> = Vec::new();
    for (url, kind) in all.iter().flat_map(|f| f.references.iter()) {
        let article = super::extract::kb_article_of(url);
        let known = references.iter().any(|r| {
            &r.url == url || (article.is_some() && super::extract::kb_article_of(&r.url) == article)
        });
        if !known {
            references.push(Reference {
                url: url.clone(),
                kind: kind.clone(),
            });
        }
    }
    // the kept list: the earliest locale's table; a product another locale's table lists
    // and the kept one does not is a conflict
    let kept_from = all.iter().position(|f| !f.affected.is_empty());
    let affected = kept_from.map_or_else(Vec::new, |k| affected_of(&all[k]));
    for (i, f) in all.iter().enumerate() {
        if Some(i) == kept_from || f.affected.is_empty() {
            continue;
        }
        let other = affected_of(f);
        let pairs = align_products(&affected, &other);
        let extra = other
            .iter()
            .enumerate()
            .filter(|(j, _)| !pairs.contains(&Some(*j)))
            .map(|(_, a)| {
                let value = if a.versions.is_empty() {
                    a.product.clone()
                } else {
                    format!("{}: {}", a.product, a.versions.join(", "))
                };
                (f.locale.clone(), value)
            })
            .collect();
        add_conflicts("affected", extra);
    }
    let legacy_urls = all
        .iter()
        .filter_map(|f| Some((f.locale.parse::<Locale>().ok()?, f.legacy_url.clone()?)))
        .collect();
    conflicts.sort_by(|a, b| (&a.field, &a.locale).cmp(&(&b.field, &b.locale)));

    let meta = Meta {
        kind: Kind::Security,
        published,
        updated,
        kb,
        cves,
        affected,
        revisions,
        references,
        legacy_urls,
        log_checks: Vec::new(),
        conflicts,
        legacy_url_spots: Default::default(),
    };
    (meta, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn facts(locale: &str, published: Option<&str>, updated: Option<&str>) -> LocaleFacts {
        LocaleFacts {
            locale: locale.into(),
            published: published.map(Into::into),
            updated: updated.map(Into::into),
            ..Default::default()
        }
    }

    /// (facts in import order, published date kept, (locale, value) conflicts).
    type VoteCase<'a> = (&'a [LocaleFacts], &'a str, &'a [(&'a str, &'a str)]);

    #[test]
    fn the_most_common_value_wins_and_ties_go_to_the_earliest_locale() {
        let cases: &[VoteCase] = &[
            (
                &[facts("pt-BR", Some("2008-06-13"), None)],
                "2008-06-13",
                &[],
            ),
            (
                &[
                    facts("pt-BR", Some("2008-06-13"), None),
                    facts("es-ES", Some("2008-06-14"), None),
                ],
                "2008-06-13",
                &[("es-ES", "2008-06-14")],
            ),
            (
                &[
                    facts("pt-BR", Some("2008-06-13"), None),
                    facts("es-ES", Some("2008-06-14"), None),
                    facts("de-DE", Some("2008-06-14"), None),
                ],
                "2008-06-14",
                &[("pt-BR", "2008-06-13")],
            ),
            (
                &[
                    facts("pt-BR", None, None),
                    facts("es-ES", Some("2008-06-14"), None),
                ],
                "2008-06-14",
                &[],
            ),
        ];
        for (all, want, want_conflicts) in cases {
            let (meta, problems) = merge_facts(all, Path::new("x"));
            assert!(problems.is_empty());
            assert_eq!(meta.published.to_string(), *want);
            let got: Vec<(&str, &str)> = meta
                .conflicts
                .iter()
                .filter(|c| c.field == "published")
                .map(|c| (c.locale.as_str(), c.value.as_str()))
                .collect();
            assert_eq!(&got, want_conflicts);
        }
    }

    #[test]
    fn a_tie_of_published_dates_goes_to_the_first_kept_revision_s() {
        let with_revisions = |mut f: LocaleFacts, revs: &[(&str, &str)]| {
            f.revisions = (revs.iter())
                .map(|(n, d)| (n.to_string(), d.to_string()))
                .collect();
            f
        };
        let history = [("1.0", "2011-02-23"), ("1.1", "2011-03-08")];
        // 2491888: pt-BR's date line says 2011-02-25 | 2011-03-16, es-ES's and both
        // revision lists 2011-02-23 and 2011-03-08; updated stays with the first locale
        let all = [
            with_revisions(
                facts("pt-BR", Some("2011-02-25"), Some("2011-03-16")),
                &history,
            ),
            with_revisions(
                facts("es-ES", Some("2011-02-23"), Some("2011-03-08")),
                &history,
            ),
        ];
        let (meta, _) = merge_facts(&all, Path::new("x"));
        assert_eq!(meta.published.to_string(), "2011-02-23");
        assert_eq!(meta.updated.unwrap().to_string(), "2011-03-16");
        let conflicts: Vec<(&str, &str, &str)> = (meta.conflicts.iter())
            .map(|c| (c.field.as_str(), c.locale.as_str(), c.value.as_str()))
            .collect();
        assert_eq!(
            conflicts,
            [
                ("published", "pt-BR", "2011-02-25"),
                ("updated", "es-ES", "2011-03-08")
            ]
        );
        // a majority still wins over the history
        let all = [
            with_revisions(facts("pt-BR", Some("2011-02-25"), None), &history),
            with_revisions(facts("es-ES", Some("2011-02-25"), None), &history),
            with_revisions(facts("de-DE", Some("2011-02-23"), None), &history),
        ];
        let (meta, _) = merge_facts(&all, Path::new("x"));
        assert_eq!(meta.published.to_string(), "2011-02-25");
    }

    /// A locale whose published date could not be read still gives its updated date (it
    /// was dropped: only locales with a published date voted on it).
    #[test]
    fn an_updated_date_without_a_published_one_is_kept() {
        let (meta, _) = merge_facts(&[facts("pt-BR", None, Some("2007-03-01"))], Path::new("x"));
        assert_eq!(
            meta.updated.map(|d| d.to_string()).as_deref(),
            Some("2007-03-01")
        );
        // a source with no date at all is no vote for "never updated"
        let all = [
            facts("pt-BR", Some("2007-02-01"), Some("2007-03-01")),
            facts("es-ES", None, None),
        ];
        let (meta, _) = merge_facts(&all, Path::new("x"));
        assert_eq!(
            meta.updated.map(|d| d.to_string()).as_deref(),
            Some("2007-03-01")
        );
        assert!(meta.conflicts.is_empty(), "{:?}", meta.conflicts);
    }

    /// An import that changes the kept revision history says which locales imported
    /// before are to be imported again (their translations were matched to the old one
    /// and went on saying they were current).
    #[test]
    fn a_changed_kept_history_names_the_locales_to_import_again() {
        let with = |locale: &str, revs: &[(&str, &str)]| {
            let mut f = facts(locale, Some("2008-06-13"), None);
            f.revisions = (revs.iter())
                .map(|(n, d)| (n.to_string(), d.to_string()))
                .collect();
            f
        };
        let two = [("1.0", "2008-06-13"), ("1.1", "2008-06-17")];
        let three = [
            ("1.0", "2008-06-13"),
            ("1.1", "2008-06-17"),
            ("2.0", "2008-07-01"),
        ];
        let before = [with("pt-BR", &two), with("es-ES", &three)];
        let it: Locale = "it-IT".parse().unwrap();
        let mut all = before.to_vec();
        all.push(with("it-IT", &three));
        let (meta, _) = merge_facts(&all, Path::new("x"));
        assert_eq!(meta.revisions.len(), 3, "two locales of three now have 2.0");
        let p = history_changed(
            &it,
            "954474",
            Some(&before),
            &all,
            &meta,
            Path::new("it.md"),
        )
        .expect("a warning");
        assert_eq!(
            p.message,
            "with this file, the revision history kept for `954474` changed (it now ends at revision 2.0 of 2008-07-01): the translations imported before in `pt-BR`, `es-ES` were matched to the history kept then"
        );
        assert!(
            p.help
                .unwrap()
                .contains("`--locale pt-BR`, `--locale es-ES`")
        );
        // the same history kept: nothing to say; nor for a first import
        let mut same = before.to_vec();
        same.push(with("it-IT", &two));
        let (meta, _) = merge_facts(&same, Path::new("x"));
        assert!(
            history_changed(&it, "954474", Some(&before), &same, &meta, Path::new("x")).is_none()
        );
        let first = [with("it-IT", &three)];
        let (meta, _) = merge_facts(&first, Path::new("x"));
        assert!(history_changed(&it, "954474", None, &first, &meta, Path::new("x")).is_none());
    }

    #[test]
    fn one_kb_article_linked_through_several_language_paths_is_one_reference() {
        let kb = |u: &str| (u.to_string(), "kb".to_string());
        let mut pt = facts("pt-BR", Some("2014-04-08"), None);
        pt.references = vec![
            kb("https://support.microsoft.com/pt-br/kb/2871997"),
            kb("https://support.microsoft.com/kb/2973351"),
        ];
        let mut es = facts("es-ES", Some("2014-04-08"), None);
        es.references = vec![
            kb("https://support.microsoft.com/kb/2871997"),
            kb("https://support.microsoft.com/es-es/kb/2982378"),
        ];
        let (meta, _) = merge_facts(&[pt, es], Path::new("x"));
        let urls: Vec<&str> = meta.references.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://support.microsoft.com/pt-br/kb/2871997",
                "https://support.microsoft.com/kb/2973351",
                "https://support.microsoft.com/es-es/kb/2982378",
            ]
        );
    }

    #[test]
    fn missing_published_everywhere_gives_the_placeholder_and_a_warning() {
        let (meta, problems) = merge_facts(&[facts("pt-BR", None, None)], Path::new("x"));
        assert_eq!(meta.published, PLACEHOLDER_PUBLISHED);
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn a_missing_update_date_is_a_vote_for_never_updated() {
        let all = [
            facts("pt-BR", Some("2008-06-13"), Some("2008-06-17")),
            facts("es-ES", Some("2008-06-13"), None),
        ];
        let (meta, _) = merge_facts(&all, Path::new("x"));
        assert_eq!(
            meta.updated.map(|d| d.to_string()).as_deref(),
            Some("2008-06-17")
        );
        assert_eq!(meta.conflicts.len(), 1);
        assert_eq!(
            (
                meta.conflicts[0].field.as_str(),
                meta.conflicts[0].value.as_str()
            ),
            ("updated", "none")
        );
    }

    #[test]
    fn notes_follow_the_kept_history_by_date_and_unmatched_ones_are_dropped() {
        use crate::import::extract::RevisionItem;
        let d = |s: &str| s.parse::<Date>().unwrap();
        let e = Extracted {
            id: "1".parse().unwrap(),
            title: String::new(),
            summary: None,
            published: None,
            updated: None,
            revisions: vec![
                RevisionItem {
                    number: "1.0".into(),
                    date: d("2008-06-13"),
                    note: "a".into(),
                },
                RevisionItem {
                    number: "1.1".into(),
                    date: d("2008-06-17"),
                    note: "b".into(),
                },
                RevisionItem {
                    number: "1.2".into(),
                    date: d("2008-07-01"),
                    note: "c".into(),
                },
            ],
            kb: vec![],
            cves: vec![],
            affected: vec![],
            references: vec![],
            legacy_url: None,
            body: BodyCut::default(),
        };
        let canonical = [
            Revision {
                number: "1.0".into(),
                date: d("2008-06-13"),
            },
            Revision {
                number: "2.0".into(),
                date: d("2008-06-17"),
            },
        ];
        let (notes, problems) = map_notes(&e, &canonical, Path::new("x"));
        let got: Vec<(&str, &str)> = notes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(got, [("1.0", "a"), ("2.0", "b")]);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("`1.2`"));
    }

    fn rows(names: &[&str]) -> Vec<Affected> {
        names
            .iter()
            .map(|n| Affected {
                product: n.to_string(),
                versions: vec![],
            })
            .collect()
    }

    #[test]
    fn rows_of_one_table_in_two_languages_pair_by_their_numbers() {
        /// (kept rows, another locale's rows, the pairs expected)
        type Case<'a> = (&'a [&'a str], &'a [&'a str], &'a [Option<usize>]);
        let cases: &[Case] = &[
            // the same keys: row by row, also rows without numbers
            (
                &[
                    "Microsoft Windows",
                    "Windows 7 para sistemas baseados em x64",
                    "Office 2007",
                ],
                &[
                    "Microsoft Windows",
                    "Windows 7 para sistemas x64",
                    "Office 2007",
                ],
                &[Some(0), Some(1), Some(2)],
            ),
            // numbers in another order
            (
                &["Windows 7 para Sistemas Service Pack 1 baseados em x64"],
                &["Windows 7 para sistemas x64 Service Pack 1"],
                &[Some(0)],
            ),
            // a row only one side has stays unpaired, and the rows around it pair
            (
                &["Windows Vista", "Windows 7", "Windows 8"],
                &[
                    "Windows Vista",
                    "Windows Phone 7.5",
                    "Windows 7",
                    "Windows 8",
                ],
                &[Some(0), Some(2), Some(3)],
            ),
            // rows without numbers pair when written the same, or when their whole stretch
            // matches; never by position in a stretch of another length
            (
                &["Microsoft Windows", "Microsoft Office"],
                &["Microsoft Office"],
                &[None, Some(0)],
            ),
            (
                &["Microsoft Live Services", "Recurso \"Anexar Foto\""],
                &["Servicios de Microsoft Live"],
                &[None, None],
            ),
            // a key found twice is no anchor, but one found once between two anchors is
            (
                &[
                    "Server 2008",
                    "Windows 7",
                    "Server 2008 R2",
                    "Server 2008",
                    "Windows 8",
                ],
                &[
                    "Server 2008",
                    "Windows 7",
                    "Zune",
                    "Server 2008 R2",
                    "Server 2008",
                    "Windows 8",
                ],
                &[Some(0), Some(1), Some(3), Some(4), Some(5)],
            ),
            // different numbers: different products
            (
                &["Windows Server 2008 para sistemas baseados no Itanium"],
                &["Windows Server 2008 para sistemas x64"],
                &[None],
            ),
        ];
        for (kept, other, want) in cases {
            assert_eq!(
                align_products(&rows(kept), &rows(other)),
                *want,
                "{kept:?} / {other:?}"
            );
        }
        // versions are part of the key
        let mut a = rows(&["Produto"]);
        let mut b = rows(&["Producto"]);
        a[0].versions = vec!["4.0.0".into()];
        b[0].versions = vec!["4.3.0".into()];
        assert_eq!(align_products(&a, &b), [None]);
        b[0].versions = vec!["4.0.0".into()];
        assert_eq!(align_products(&a, &b), [Some(0)]);
    }

    #[test]
    fn products_only_another_locale_lists_are_conflicts_and_names_differ_per_locale() {
        let mut pt = facts("pt-BR", Some("2011-06-14"), None);
        pt.affected = vec![
            "Windows Server 2003 com SP2 para sistemas baseados no Itanium".into(),
            "Windows Vista".into(),
        ];
        let mut es = facts("es-ES", Some("2011-06-14"), None);
        es.affected = vec![
            "Windows Server 2003 con SP2 para sistemas con Itanium".into(),
            "Windows Vista".into(),
            "Windows Phone 7".into(),
        ];
        let (meta, _) = merge_facts(&[pt, es.clone()], Path::new("x"));
        let kept: Vec<&str> = meta.affected.iter().map(|a| a.product.as_str()).collect();
        assert_eq!(
            kept,
            [
                "Windows Server 2003 com SP2 para sistemas baseados no Itanium",
                "Windows Vista"
            ]
        );
        let conflicts: Vec<(&str, &str, &str)> = meta
            .conflicts
            .iter()
            .map(|c| (c.field.as_str(), c.locale.as_str(), c.value.as_str()))
            .collect();
        assert_eq!(conflicts, [("affected", "es-ES", "Windows Phone 7")]);
        let names = product_names(&meta.affected, &affected_of(&es));
        assert_eq!(
            names,
            [ProductName {
                product: "Windows Server 2003 com SP2 para sistemas baseados no Itanium".into(),
                name: "Windows Server 2003 con SP2 para sistemas con Itanium".into(),
            }]
        );
    }
}
