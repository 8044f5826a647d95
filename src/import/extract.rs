//! Pure extraction from one published Markdown file: the facts (dates, revisions, KB
//! numbers, CVEs, affected software, old address) and the translation (title, subtitle,
//! revision notes, body without the parts that became facts). Finds parts by their shape,
//! never by localized words; what cannot be found is a warning with `file:line`.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::cut::BodyCut;
use super::dates::DateReader;
use crate::diag::Problem;
use crate::frontmatter::ms::{MsFrontMatter, parse_ms};
use crate::markdown::{PlainCell, PlainTable, inline_to_plain_text, plain_tables};
use crate::model::{AdvisoryId, Affected, Date, Locale};

/// One item of a revision history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RevisionItem {
    /// As written ("1.2") or given in order ("1.0", "1.1", …).
    pub(crate) number: String,
    pub(crate) date: Date,
    /// The item's text after its date, as plain text (inline Markdown read).
    pub(crate) note: String,
}

/// Everything read from one advisory file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Extracted {
    pub(crate) id: AdvisoryId,
    pub(crate) title: String,
    pub(crate) summary: Option<String>,
    /// `None` when neither the date line, `ms:date` nor the revisions gave one.
    pub(crate) published: Option<Date>,
    pub(crate) updated: Option<Date>,
    /// Oldest first, as listed.
    pub(crate) revisions: Vec<RevisionItem>,
    /// KB article numbers, in order of first appearance.
    pub(crate) kb: Vec<String>,
    /// CVE ids, sorted.
    pub(crate) cves: Vec<String>,
    /// Rows of the affected-software table, cleaned of Markdown emphasis, with the versions
    /// of its version column when it has one (else empty).
    pub(crate) affected: Vec<Affected>,
    /// KB links as (url, type), in order of first appearance.
    pub(crate) references: Vec<(String, String)>,
    /// `ms:mtpsurl`.
    pub(crate) legacy_url: Option<String>,
    /// Where the Markdown body that remains lies in the normalized source (LF line endings,
    /// ending with one newline once rebuilt).
    pub(crate) body: BodyCut,
}

/// What a source file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    Advisory(Box<Extracted>),
    /// Not an advisory (an index page…): the reason, for an info line.
    Skipped(String),
    /// Not imported, as a warning among the problems says (a page published in another
    /// language than `--locale`).
    Refused,
}

/// For a file that opens front matter (`---`) and never closes it: its `key: value` lines
/// right after the opening (the front matter), what follows them (the body) and the
/// body's 1-based first line; `None` when no such line follows.
fn unclosed_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let rest = text.strip_prefix("---\n")?;
    let mut end = 0;
    let mut lines = 0;
    for line in rest.split_inclusive('\n') {
        if crate::frontmatter::ms::key_value_line(line).is_none() {
            break;
        }
        end += line.len();
        lines += 1;
    }
    (lines > 0).then(|| (&rest[..end], &rest[end..], lines + 2))
}

/// The language a published page's address names in its path (`https://h/pt-BR/library/
/// 954474`): its first segment that is a language tag with a subtag after the language
/// (`pt-BR`, `zh-Hans`, `de-de`), as documentation sites put the locale in their paths.
pub(crate) fn url_language(url: &str) -> Option<Locale> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = path.split(['?', '#']).next().unwrap_or_default();
    path.split('/').skip(1).find_map(|segment| {
        let (language, rest) = segment.split_once('-')?;
        let plausible = (2..=3).contains(&language.len())
            && language.chars().all(|c| c.is_ascii_alphabetic())
            && !rest.is_empty();
        plausible.then(|| segment.parse::<Locale>().ok()).flatten()
    })
}

/// Removes a UTF-8 BOM and turns CRLF and lone CR line endings into LF.
pub(crate) fn normalize_text(text: &str) -> String {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Extracts one file written in `locale`. `stem` is its file name without `.md`; `file` is
/// only for messages; `text` is already normalized ([`normalize_text`]).
pub(crate) fn extract(
    stem: &str,
    file: &Path,
    text: &str,
    locale: &Locale,
    reader: &DateReader,
) -> (Outcome, Vec<Problem>) {
    let mut problems = Vec::new();
    let Ok(id) = stem.parse::<AdvisoryId>() else {
        return (
            Outcome::Skipped(format!("`{stem}` is not an advisory id")),
            problems,
        );
    };
    let (fm, body, body_line) = match crate::frontmatter::split(text) {
        Ok(split) => {
            let fm = match split.yaml {
                Some(yaml) => {
                    let (fm, p) = parse_ms(yaml, file, split.yaml_line);
                    problems.extend(p);
                    fm
                }
                None => MsFrontMatter::default(),
            };
            (fm, split.body, split.body_line)
        }
        Err(msg) => match unclosed_front_matter(text) {
            // the `key: value` lines after an opening `---` that is never closed are the
            // front matter, and the rest the body (they were published as its first lines)
            Some((yaml, body, body_line)) => {
                problems.push(
                    Problem::warning(file, msg)
                        .at(1, 1)
                        .help(format!(
                            "its `key: value` lines (up to line {}) are read as front matter; add the closing `---` after them",
                            body_line - 1
                        )),
                );
                let (fm, p) = parse_ms(yaml, file, 2);
                problems.extend(p);
                (fm, body, body_line)
            }
            None => {
                problems.push(
                    Problem::warning(file, msg)
                        .at(1, 1)
                        .help("the whole file is read as Markdown"),
                );
                (MsFrontMatter::default(), text, 1)
            }
        },
    };
    // a page whose own address says it is in another language (an untranslated original
    // among translations, or the wrong `--locale`; its date line may still read, when its
    // dates are numeric) is not imported as a translation into `locale`
    if let Some(named) = fm.mtps_url.as_deref().and_then(url_language)
        && named.language() != locale.language()
    {
        let at = crate::frontmatter::locate(text, &["ms:mtpsurl:"], 1);
        problems.push(
            Problem::warning(
                file,
                format!("its address says it is in `{named}`, not in `{locale}`: not imported"),
            )
            .at_opt(at)
            .help(format!(
                "import it with `--locale {named}`, or with the other files of its language"
            )),
        );
        return (Outcome::Refused, problems);
    }
    let lines: Vec<&str> = body.split('\n').collect();
    let at = |i: usize| body_line + i;
    let mut removed = vec![false; lines.len()];

    let title_block = find_title_block(&lines);
    let mut search_from = 0;
    let mut h1 = None;
    if let Some(tb) = &title_block {
        for r in removed.iter_mut().take(tb.end).skip(tb.start) {
            *r = true;
        }
        search_from = tb.end;
        h1 = Some(tb.h1.clone());
    }
    let mut summary = None;
    let date_line = match (
        &title_block,
        title_block.as_ref().and_then(|tb| tb.subtitle.as_ref()),
    ) {
        (Some(_), Some(sub)) => match find_date_line(&lines, sub.end, 3, reader) {
            Some(found) => {
                for r in removed.iter_mut().take(sub.end).skip(search_from) {
                    *r = true;
                }
                summary = Some(sub.text.clone());
                Some(found)
            }
            None => find_date_line(&lines, search_from, 3, reader),
        },
        (Some(_), None) => find_date_line(&lines, search_from, 3, reader),
        (None, _) => find_date_line(&lines, 0, 10, reader),
    };
    let revision_section = find_revisions(&lines, reader);

    if date_line.is_none() && revision_section.is_none() {
        let why = "no date line after the title and no revision list: not an advisory".to_string();
        return (Outcome::Skipped(why), problems);
    }

    let (mut published, mut updated) = (None, None);
    match &date_line {
        Some((i, dates)) => {
            removed[*i] = true;
            if let Some(v) = next_non_blank(&lines, *i + 1).filter(|&j| is_version_line(lines[j])) {
                removed[v] = true;
            }
            let line = lines[*i];
            let parts: Vec<&str> = line.split('|').collect();
            if parts.len() < 2 && dates.len() == 1 && reader.says_updated(line) {
                // "Atualizado: 17 de junho de 2008": the updated date alone; the published
                // one comes from the revision list
                updated = dates.first().copied();
            } else if parts.len() < 2 {
                published = dates.first().copied();
                updated = dates.get(1).copied();
            } else {
                // "published: <date> | updated: <date>": each date is read in its own part,
                // so one that cannot be read leaves its place empty (and says so) instead of
                // the other date taking it
                let mut offset = 0;
                for (k, part) in parts.iter().take(2).enumerate() {
                    let found = reader.find(part).first().copied();
                    match k {
                        0 => published = found,
                        _ => updated = found,
                    }
                    let text = part.trim();
                    if found.is_none() && text.chars().any(|c| c.is_numeric()) {
                        let lead = part.len() - part.trim_start().len();
                        let column = line[..offset + lead].chars().count() + 1;
                        let (which, other) = match k {
                            0 => ("published", updated),
                            _ => ("updated", published),
                        };
                        let example = other
                            .or(Date::new(2008, 6, 13))
                            .map(|d| crate::i18n::format_date_long(locale, d))
                            .unwrap_or_default();
                        problems.push(
                            Problem::warning(
                                file,
                                format!("the {which} date in `{text}` could not be read; it is left out"),
                            )
                            .at(at(*i), column)
                            .help(format!(
                                "write the date as this locale's other dates are written, e.g. `{example}`, and import again (or set `{which}` in `advisory.yaml` by hand)"
                            )),
                        );
                    }
                    offset += part.len() + 1;
                }
            }
            if dates.len() > 2 {
                problems.push(
                    Problem::warning(
                        file,
                        format!(
                            "the date line has {} dates; only the first two are used",
                            dates.len()
                        ),
                    )
                    .at(at(*i), 1),
                );
            }
            let latest = Date::latest_today();
            for (which, d) in [("published", published), ("updated", updated)] {
                if let Some(d) = d.filter(|d| *d > latest) {
                    problems.push(
                        Problem::warning(
                            file,
                            format!("the {which} date ({d}) is in the future: no time zone has reached that day yet"),
                        )
                        .at(at(*i), 1)
                        .help("check the date in the source: it was most likely written or read wrong; correct it there or in `advisory.yaml`"),
                    );
                }
            }
            if let (Some(p), Some(u)) = (published, updated)
                && u < p
            {
                problems.push(
                    Problem::warning(
                        file,
                        format!("the updated date ({u}) is before the published date ({p})"),
                    )
                    .at(at(*i), 1)
                    .help("check both in the source and in `advisory.yaml`; the revision list's dates may tell which is right"),
                );
            }
        }
        None => {
            let line = title_block.as_ref().map_or(1, |tb| at(tb.end));
            problems.push(
                Problem::warning(file, "no date line (\"published: <date> | updated: <date>\") after the title")
                    .at(line, 1)
                    .help("expected a short line with one or two dates right after the title and subtitle"),
            );
        }
    }

    let mut revisions = Vec::new();
    match revision_section {
        Some(sec) => {
            for r in removed.iter_mut().take(sec.end).skip(sec.start) {
                *r = true;
            }
            for (i, msg, help) in &sec.problems {
                let p = Problem::warning(file, msg.clone()).at(at(*i), 1);
                problems.push(match help {
                    Some(help) => p.help(help.clone()),
                    None => p,
                });
            }
            revisions = sec.items;
        }
        None => problems.push(
            Problem::warning(file, "no revision list found; `revisions` left empty")
                .at(at(lines.len().saturating_sub(1)), 1)
                .help("expected a list of items starting with a date (or `V1.0 (<date>)`) near the end"),
        ),
    }

    if published.is_none() {
        if let Some(d) = fm.date.as_deref().and_then(|s| {
            s.parse::<Date>()
                .ok()
                .or_else(|| reader.find(s).first().copied())
        }) {
            published = Some(d);
            problems.push(Problem::warning(file, "published date taken from `ms:date`").at(1, 1));
        } else if let Some(first) = revisions.first() {
            published = Some(first.date);
            problems.push(
                Problem::warning(file, "published date taken from the first revision").at(1, 1),
            );
        } else {
            problems.push(
                Problem::warning(file, "no published date found")
                    .at(1, 1)
                    .help("set `published` in `advisory.yaml` by hand"),
            );
        }
    }

    // Generator stamps ("*Built at …*", "*Página gerada em …*") at the very end.
    for i in (0..lines.len()).rev() {
        if removed[i] || lines[i].trim().is_empty() {
            continue;
        }
        if is_stamp(lines[i]) {
            removed[i] = true;
        } else {
            break;
        }
    }

    let title = fm
        .title
        .clone()
        .or(h1)
        .or_else(|| fm.toc_title.clone())
        .unwrap_or_else(|| {
            problems.push(
                Problem::warning(
                    file,
                    "no title (`Title` in the front matter or a first heading); the id is used",
                )
                .at(1, 1),
            );
            id.to_string()
        });

    let tables = plain_tables(body);
    let affected = match find_affected(&tables) {
        Ok(list) => {
            if !list.by_shape.is_empty() {
                let rows = list
                    .by_shape
                    .iter()
                    .map(|r| match r.char_indices().nth(60) {
                        Some((cut, _)) => format!("`{}…`", &r[..cut]),
                        None => format!("`{r}`"),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                problems.push(
                    Problem::warning(
                        file,
                        format!(
                            "the affected-software table has no bold or header rows, so its rows were told apart by shape alone: {rows} set aside as labels, group headings or the start of another list; {} product(s) kept",
                            list.affected.len()
                        ),
                    )
                    .at(at(list.line - 1), 1)
                    .help("check `affected` in `advisory.yaml` and correct it by hand if a product was taken for a label or a label for a product"),
                );
            }
            list.affected
        }
        Err(why) => {
            let line = tables.first().map_or(body_line, |t| at(t.line - 1));
            problems.push(
                Problem::warning(file, format!("no affected-software table: {why}; `affected` left empty"))
                    .at(line, 1)
                    .help("expected a table whose first column lists products under a label row; add them to `advisory.yaml` by hand if needed"),
            );
            Vec::new()
        }
    };

    let (kb, references) = find_kb(body, &id, &title, locale);
    let mut cves: Vec<String> = CVE
        .find_iter(body)
        .map(|m| m.as_str().to_string())
        .collect();
    cves.sort();
    cves.dedup();

    // `body` is a suffix of `text` (what follows the front matter, or all of it).
    let keep: Vec<bool> = removed.iter().map(|r| !r).collect();
    let body_cut = BodyCut::new(text, text.len() - body.len(), &keep);

    let extracted = Extracted {
        id,
        title,
        summary,
        published,
        updated,
        revisions,
        kb,
        cves,
        affected,
        references,
        legacy_url: fm.mtps_url,
        body: body_cut,
    };
    (Outcome::Advisory(Box::new(extracted)), problems)
}

static CVE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"CVE-\d{4}-\d{4,}").expect("valid regex"));
static ATX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$").expect("valid regex"));
static LIST_ITEM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+(.*)$").expect("valid regex"));
/// A paragraph written like a revision item without a bullet: "V2.0 (9 de setembro de 2013): …".
static BARE_REVISION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\s*)([Vv]\d+(?:\.\d+)+\s*\(.*)$").expect("valid regex"));
static BOLD_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\*\*[^*]+\*\*\s*:?\s*$").expect("valid regex"));
static EMPTY_SPAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*<span[^>]*>\s*</span>\s*$").expect("valid regex"));
static VERSION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[Vv]?\s?(\d+(?:\.\d+)+)\b").expect("valid regex"));
/// A time of day with its offset from UTC, as generators stamp pages: `13:49:36Z-07:00`,
/// `11:31-08:00`, `15:50 Z 08:00`.
static STAMP_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:Z\s*[-+]?\s*\d{2}:\d{2}|[-+]\d{2}:\d{2})")
        .expect("valid regex")
});
static KB_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\]\((https?://[^)\s]*?/kb/(\d{5,8})\b[^)\s]*)\)").expect("valid regex")
});
static KB_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(?:/kb/|\bKB\s?)(\d{5,8})\b").expect("valid regex"));

/// The KB article number a support URL points to (`…/kb/954474`), if any: the same article
/// is linked through per-language paths (`/pt-br/kb/N`, `/kb/N`), one reference for all.
pub(crate) fn kb_article_of(url: &str) -> Option<&str> {
    KB_NUMBER
        .captures(url)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str())
}

/// A heading found at a line: its text and the line after it.
#[derive(Debug, Clone)]
struct Heading {
    text: String,
    level: usize,
    /// Index of the line after the heading (setext headings take two lines).
    end: usize,
}

/// A heading starting at `lines[i]`: ATX (`# x`) or setext (`x` over `===` / `---`).
fn heading_at(lines: &[&str], i: usize) -> Option<Heading> {
    let line = lines.get(i)?;
    if let Some(c) = ATX.captures(line) {
        return Some(Heading {
            text: c[2].to_string(),
            level: c[1].len(),
            end: i + 1,
        });
    }
    let next = lines.get(i + 1)?.trim();
    if line.trim().is_empty() || LIST_ITEM.is_match(line) || line.trim_start().starts_with('|') {
        return None;
    }
    let level = if !next.is_empty() && next.chars().all(|c| c == '=') {
        1
    } else if next.len() >= 2 && next.chars().all(|c| c == '-') {
        2
    } else {
        return None;
    };
    Some(Heading {
        text: line.trim().to_string(),
        level,
        end: i + 2,
    })
}

/// The title block: stray lines, the first-level heading, and the heading right after it.
struct TitleBlock {
    start: usize,
    h1: String,
    /// Index of the first line after the H1.
    end: usize,
    subtitle: Option<Heading>,
}

fn next_non_blank(lines: &[&str], from: usize) -> Option<usize> {
    (from..lines.len()).find(|&i| !lines[i].trim().is_empty())
}

fn find_title_block(lines: &[&str]) -> Option<TitleBlock> {
    let start = next_non_blank(lines, 0)?;
    // Up to two stray lines ("Security Advisory", a template name) before the title.
    let mut i = start;
    for _ in 0..3 {
        if let Some(h) = heading_at(lines, i).filter(|h| h.level == 1) {
            let subtitle = next_non_blank(lines, h.end)
                .and_then(|j| heading_at(lines, j))
                .filter(|s| s.level <= 2);
            return Some(TitleBlock {
                start,
                h1: h.text,
                end: h.end,
                subtitle,
            });
        }
        if heading_at(lines, i).is_some() || lines[i].chars().count() > 80 {
            return None;
        }
        i = next_non_blank(lines, i + 1)?;
    }
    None
}

/// The first of the next `max` non-blank lines (template leftovers skipped) that looks like
/// a date line: short, not a heading, list or table, with one or two dates.
fn find_date_line(
    lines: &[&str],
    from: usize,
    max: usize,
    reader: &DateReader,
) -> Option<(usize, Vec<Date>)> {
    let mut seen = 0;
    let mut i = from;
    while seen < max {
        i = next_non_blank(lines, i)?;
        let line = lines[i];
        if EMPTY_SPAN.is_match(line) {
            i += 1;
            continue;
        }
        seen += 1;
        let t = line.trim();
        let is_block = heading_at(lines, i).is_some()
            || LIST_ITEM.is_match(line)
            || t.starts_with('|')
            || t.starts_with('<');
        if !is_block && t.chars().count() <= 200 {
            let dates = reader.find(t);
            if !dates.is_empty() && dates.len() <= 3 && reader.other_words(t) <= 12 {
                return Some((i, dates));
            }
        }
        i += 1;
    }
    None
}

/// The revision history: lines to remove and the items read.
struct RevisionSection {
    start: usize,
    end: usize,
    items: Vec<RevisionItem>,
    /// (line index, message) for items that could not be read.
    problems: Vec<(usize, String, Option<String>)>,
}

/// One Markdown list item with its continuation lines.
struct ListItem {
    start: usize,
    end: usize,
    text: String,
}

/// Groups list items into blocks: items separated only by blank lines or their own
/// continuation lines.
fn list_blocks(lines: &[&str]) -> Vec<Vec<ListItem>> {
    let mut blocks: Vec<Vec<ListItem>> = Vec::new();
    let mut current: Vec<ListItem> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(c) = LIST_ITEM
            .captures(lines[i])
            .or_else(|| BARE_REVISION.captures(lines[i]))
        else {
            if !lines[i].trim().is_empty() && !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
            i += 1;
            continue;
        };
        let indent = c[1].len();
        let mut text = c[2].trim().to_string();
        let start = i;
        i += 1;
        let mut end = i;
        while i < lines.len() {
            let l = lines[i];
            if l.trim().is_empty() {
                i += 1;
                continue;
            }
            let lead = l.len() - l.trim_start().len();
            let lazy = end == i && !ATX.is_match(l) && !is_stamp(l);
            if LIST_ITEM.is_match(l) || BARE_REVISION.is_match(l) || (lead <= indent && !lazy) {
                break;
            }
            text.push(' ');
            text.push_str(l.trim());
            i += 1;
            end = i;
        }
        current.push(ListItem { start, end, text });
        i = end;
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

/// Reads "V1.0 (13 de junho de 2008): note", "13 de junho de 2008: note", "(…): note",
/// with the full-width `（` `）` `：` of CJK typesetting as well ("V2.0（2008年7月1日）：…").
/// A number with dots that is a date ("13.06.2008: note") is the date, not a version.
fn parse_revision_item(text: &str, reader: &DateReader) -> Option<(Option<String>, Date, String)> {
    const OPEN: [char; 2] = ['(', '（'];
    const CLOSE: [char; 2] = [')', '）'];
    const COLON: [char; 2] = [':', '：'];
    let t = text.trim();
    let (number, rest) = match VERSION.captures(t) {
        Some(c)
            if t[c.get(0)?.end()..]
                .trim_start()
                .starts_with(|ch| OPEN.contains(&ch) || COLON.contains(&ch))
                && reader.find(&c[0]).is_empty() =>
        {
            (Some(c[1].to_string()), t[c.get(0)?.end()..].trim_start())
        }
        _ => (None, t),
    };
    let (head, note) = if let Some(inner) = rest.strip_prefix(OPEN) {
        let close = inner.find(CLOSE)?;
        (&inner[..close], &inner[close..])
    } else {
        match rest.find(COLON) {
            Some(c) => (&rest[..c], &rest[c..]),
            None => (rest, ""),
        }
    };
    let date = *reader.find(head).first()?;
    let note = note
        .trim_start_matches(|c: char| CLOSE.contains(&c) || COLON.contains(&c) || c.is_whitespace())
        .trim_end();
    Some((number, date, note.to_string()))
}

fn find_revisions(lines: &[&str], reader: &DateReader) -> Option<RevisionSection> {
    let blocks = list_blocks(lines);
    let parses = |it: &ListItem| parse_revision_item(&it.text, reader).is_some();
    // its first item has a date read, or (a date that is no date, 29 February 2007) its
    // second one does after a first with digits
    let block = blocks.into_iter().rev().find(|b| match b.as_slice() {
        [first, ..] if parses(first) => true,
        [first, second, ..] => first.text.chars().any(char::is_numeric) && parses(second),
        _ => false,
    })?;
    let mut items = Vec::new();
    let mut problems = Vec::new();
    let mut used: Vec<String> = Vec::new();
    for (k, it) in block.iter().enumerate() {
        let Some((number, date, note)) = parse_revision_item(&it.text, reader) else {
            // an item of the list has a date read, or it would not be the list
            let example = (block.iter().find(|f| parses(f)))
                .map(|f| f.text.lines().next().unwrap_or_default().trim())
                .map(|f| match f.char_indices().nth(60) {
                    Some((cut, _)) => format!("{}…", &f[..cut]),
                    None => f.to_string(),
                })
                .unwrap_or_default();
            problems.push((
                it.start,
                "revision item without a readable date; it is left out".to_string(),
                Some(format!(
                    "start the item with its date, written as the list's items whose date was read are (`{example}`), and import again; or add the revision to `revisions` in `advisory.yaml` by hand"
                )),
            ));
            continue;
        };
        let mut number = number.unwrap_or_else(|| format!("1.{k}"));
        if used.contains(&number) {
            let unique = (2..)
                .map(|n| format!("{number}-{n}"))
                .find(|c| !used.contains(c))
                .unwrap_or_default();
            problems.push((
                it.start,
                format!("revision number `{number}` repeats; this one is numbered `{unique}`"),
                None,
            ));
            number = unique;
        }
        used.push(number.clone());
        let mut date = date;
        if let Some(prev) = items.last().map(|p: &RevisionItem| p.date)
            && date < prev
        {
            // Typos of the year happen ("13 de fevereiro de 2006" after 2007): one year
            // later when that fits, else the previous revision's date. Always said.
            let next_year = Date::new(date.year + 1, date.month, date.day).filter(|d| *d >= prev);
            let fixed = next_year.unwrap_or(prev);
            problems.push((
                it.start,
                format!(
                    "revision `{number}` is dated {date}, before the revision above it ({prev}); it is imported as {fixed}"
                ),
                None,
            ));
            date = fixed;
        }
        // Notes are plain-text fields: the list's Markdown (`**3033929**`) is read here.
        let note = inline_to_plain_text(&note);
        items.push(RevisionItem { number, date, note });
    }
    let first = block.first()?.start;
    let end = block.last()?.end;
    // The heading right above the list ("**Revisões:**", "### Revisiones", setext).
    let mut start = first;
    let mut j = first;
    while j > 0 {
        j -= 1;
        let l = lines[j];
        if l.trim().is_empty() || EMPTY_SPAN.is_match(l) {
            continue;
        }
        if BOLD_LINE.is_match(l) || ATX.is_match(l) {
            start = j;
        } else if j > 0 && heading_at(lines, j - 1).is_some_and(|h| h.end == j + 1) {
            start = j - 1;
        }
        break;
    }
    Some(RevisionSection {
        start,
        end,
        items,
        problems,
    })
}

/// A whole-line emphasis with a time of day and its UTC offset: a page generator's stamp
/// (a note that names a time, "*a janela começa às 22:00 UTC.*", is the author's).
fn is_stamp(line: &str) -> bool {
    let t = line.trim();
    let emphasized = (t.starts_with('*') && t.ends_with('*') && !t.starts_with("**"))
        || (t.starts_with('_') && t.ends_with('_') && !t.starts_with("__"));
    emphasized && t.len() > 2 && STAMP_TIME.is_match(t)
}

/// Products from the first table of the body that lists them (pipe and raw HTML tables
/// alike), found by shape, never by words: the first row with text is a label ("Software
/// afetado"); when it is bold, the bold rows right after it are labels too ("Sistema
/// operacional | Componente"). The first cell of each remaining row is a product, until a
/// row shaped like a bold one-cell label opens another list ("Software não afetado");
/// bold rows narrower than a wider label are group headings ("Windows 7") and skipped.
/// In a table with no bold cell at all, a row without a digit whose first word starts no
/// other row is a label: before the first product another label row, after it a group
/// heading (skipped) or, when it shares a word with a label, the start of another list.
/// A table is not a product list when a first cell is a link,
/// a `{class id}` or has no letter, when bold first cells are followed by plain values
/// or a name by one link (key–value tables of references), or when most first cells repeat (a category
/// column). Repeated products (one per component) are listed once. A column the header row
/// names and that holds only version numbers in every product row gives each product its
/// versions ([`version_column`]). Rows set aside by shape alone are listed, for a warning.
/// `Err` says what was seen instead.
fn find_affected(tables: &[PlainTable]) -> Result<ProductList, String> {
    let mut first_rejected: Option<(usize, String, &str)> = None;
    for t in tables {
        match products_of(t) {
            Ok(products) => return Ok(products),
            Err(why) => {
                let label = t
                    .rows
                    .iter()
                    .flatten()
                    .find(|c| !c.text.is_empty())
                    .map(|c| c.text.chars().take(60).collect())
                    .unwrap_or_default();
                first_rejected.get_or_insert((t.line, label, why));
            }
        }
    }
    Err(match first_rejected {
        None => "no table in the body".to_string(),
        Some((line, label, why)) => format!(
            "{} table(s), none a product list (the first, at body line {line} under `{label}`: {why})",
            tables.len()
        ),
    })
}

/// The products [`find_affected`] found, and where.
#[derive(Debug)]
struct ProductList {
    affected: Vec<Affected>,
    /// 1-based body line of the table.
    line: usize,
    /// Rows of a table without any bold cell that were set aside as labels, group headings
    /// or the start of another list by their shape alone (the first row excepted): worth a
    /// person's look.
    by_shape: Vec<String>,
}

/// The products of one table (see [`find_affected`]), or why it is not a product list.
fn products_of(t: &PlainTable) -> Result<ProductList, &'static str> {
    let lines = one_per_line(&t.rows);
    let all_rows = lines.as_deref().unwrap_or(&t.rows);
    let is_blank = |r: &Vec<PlainCell>| r.iter().all(|c| c.text.is_empty());
    let is_bold = |r: &Vec<PlainCell>| r.iter().filter(|c| !c.text.is_empty()).all(|c| c.is_strong);
    let is_marked = all_rows
        .iter()
        .flatten()
        .any(|c| c.is_strong && !c.text.is_empty());
    let mut rows = all_rows.iter().filter(|r| !is_blank(r)).peekable();
    let label = rows.next().ok_or("it is empty")?;
    let label_bold = is_bold(label);
    let label_cells = label.iter().filter(|c| !c.text.is_empty()).count();
    let mut header = label;
    while label_bold && let Some(next) = rows.next_if(|r| is_bold(r)) {
        header = next;
    }
    let rows: Vec<&Vec<PlainCell>> = rows.collect();
    // Without any bold cell, label rows look like product rows (the conversion to
    // Markdown dropped their header style): tell them apart by shape instead.
    let mut labels: Vec<&str> = vec![label.first().map_or("", |c| c.text.as_str())];
    let firsts_text: Vec<&str> = rows
        .iter()
        .filter_map(|r| r.first().map(|c| c.text.as_str()))
        .collect();
    let mut products: Vec<String> = Vec::new();
    let mut by_shape: Vec<String> = Vec::new();
    let mut product_rows: Vec<(usize, &Vec<PlainCell>)> = Vec::new();
    let mut firsts = 0;
    for (k, row) in rows.iter().enumerate() {
        let cells: Vec<&PlainCell> = row.iter().filter(|c| !c.text.is_empty()).collect();
        let Some(first) = row.first().filter(|c| !c.text.is_empty()) else {
            continue;
        };
        if label_bold && is_bold(row) {
            if cells.len() == label_cells && label_cells == 1 && !products.is_empty() {
                break; // another list under its own label
            }
            if cells.len() < label_cells {
                continue; // a group heading ("Windows 7") spanning the columns
            }
        }
        if first.is_link
            || first.text.starts_with('{')
            || !first.text.chars().any(char::is_alphabetic)
        {
            return Err("its first column holds links, class ids or numbers");
        }
        if first.is_strong && cells.iter().skip(1).any(|c| !c.is_strong) {
            return Err("bold labels with values: a key-value table");
        }
        if cells.len() == 2 && cells[1].is_link {
            return Err("names with links: a table of references");
        }
        if !is_marked && !is_name_like(&first.text, k, &firsts_text) {
            by_shape.push(first.text.clone());
            if products.is_empty() {
                labels.push(&first.text); // a second label row ("Sistema operativo")
                continue;
            }
            if labels.iter().any(|l| shares_word(l, &first.text)) {
                break; // shaped like the label ("Software no afectado"): another list
            }
            continue; // a group heading ("Opción de instalación Server Core")
        }
        firsts += 1;
        let index = match products.iter().position(|p| p == &first.text) {
            Some(i) => i,
            None => {
                products.push(first.text.clone());
                products.len() - 1
            }
        };
        product_rows.push((index, row));
    }
    if products.is_empty() {
        return Err("it has no rows under its label");
    }
    if products.len() * 2 < firsts {
        return Err("its first column repeats a few values: categories, not products");
    }
    let mut affected: Vec<Affected> = products
        .into_iter()
        .map(|product| Affected {
            product,
            versions: Vec::new(),
        })
        .collect();
    if let Some(col) = version_column(header, &product_rows) {
        for (index, row) in &product_rows {
            let versions = &mut affected[*index].versions;
            for v in version_tokens(&row[col].text) {
                if !versions.iter().any(|w| w == v) {
                    versions.push(v.to_string());
                }
            }
        }
    }
    Ok(ProductList {
        affected,
        line: t.line,
        by_shape,
    })
}

/// The rows of a one-column table (no row with text beyond its first cell) in which some
/// cell holds several lines (`<br>`, paragraphs), as one row per line: such a cell lists
/// several products, one per line. A line in parentheses qualifies the line above it
/// (`Windows XP Service Pack 3<br>(KB2749655)`) and stays with it. `None` for any other
/// table.
fn one_per_line(rows: &[Vec<PlainCell>]) -> Option<Vec<Vec<PlainCell>>> {
    let one_column = rows
        .iter()
        .all(|r| r.iter().skip(1).all(|c| c.text.is_empty()));
    if !one_column || !rows.iter().flatten().any(|c| !c.lines.is_empty()) {
        return None;
    }
    let mut out: Vec<Vec<PlainCell>> = Vec::new();
    for row in rows {
        let Some(cell) = row.first().filter(|c| !c.lines.is_empty()) else {
            out.push(row.clone());
            continue;
        };
        let mut lines: Vec<PlainCell> = Vec::new();
        for line in &cell.lines {
            match lines.last_mut() {
                Some(above) if line.text.starts_with('(') => {
                    above.text = format!("{} {}", above.text, line.text);
                    above.is_link &= line.is_link;
                    above.is_strong &= line.is_strong;
                }
                _ => lines.push(line.clone()),
            }
        }
        out.extend(lines.into_iter().map(|l| vec![l]));
    }
    Some(out)
}

/// The first column after the product column that the header row names and where every
/// product row holds only version numbers ("4.0.0, 4.3.0"): the affected versions. `None`
/// when the table has no such column (a component, a severity, …).
fn version_column(header: &[PlainCell], rows: &[(usize, &Vec<PlainCell>)]) -> Option<usize> {
    let named = |c: usize| header.get(c).is_some_and(|h| !h.text.is_empty());
    if !named(0) {
        return None;
    }
    (1..header.len()).find(|&c| {
        named(c)
            && rows.iter().all(|(_, row)| {
                row.get(c)
                    .is_some_and(|cell| version_tokens(&cell.text).next().is_some())
            })
    })
}

/// The version numbers of a cell whose every word is one ("1.0.0, 1.0.1 1.1.0"; a leading
/// `v` allowed): dotted numbers of two or more parts. Empty when any word is something else.
fn version_tokens(text: &str) -> impl Iterator<Item = &str> {
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|w| !w.is_empty())
        .collect();
    let is_version = |w: &str| {
        let w = w.strip_prefix(['v', 'V']).unwrap_or(w);
        w.split('.').count() >= 2
            && w.split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    };
    let all = !words.is_empty() && words.iter().all(|w| is_version(w));
    words.into_iter().filter(move |_| all)
}

/// Whether row `k` of a table's first column (`firsts`, label rows excluded) is shaped like
/// a product name rather than a label: it has a digit (a version), or its first word starts
/// another row too (a product family: "Windows Vista" next to "Windows 7"), or it is the
/// only row.
fn is_name_like(text: &str, k: usize, firsts: &[&str]) -> bool {
    let first_word = |s: &str| s.split_whitespace().next().map(str::to_lowercase);
    text.chars().any(char::is_numeric)
        || firsts.len() == 1
        || firsts
            .iter()
            .enumerate()
            .any(|(j, other)| j != k && first_word(other) == first_word(text))
}

/// Whether `a` and `b` share a word of three or more letters, ignoring case.
fn shares_word(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_lowercase)
            .collect()
    };
    let b = words(b);
    words(a).iter().any(|w| b.contains(w))
}

/// A short "Label: 1.2" line (label of one to three words without digits, a dotted
/// number of one- to three-digit parts, so not a date): the version line that repeats the last revision next to the date line.
fn is_version_line(line: &str) -> bool {
    let text = inline_to_plain_text(line);
    let Some((label, value)) = text.rsplit_once(':') else {
        return false;
    };
    let words = label.split_whitespace().count();
    let value = value.trim();
    let value = value.strip_prefix(['V', 'v']).unwrap_or(value).trim_start();
    (1..=3).contains(&words)
        && !label
            .chars()
            .any(|c| c.is_ascii_digit() || c.is_ascii_punctuation())
        && value.split('.').count() >= 2
        && value
            .split('.')
            .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// KB numbers from `/kb/NNNNNN` links and `KBNNNNNN` mentions, plus the id when the
/// title names it (Microsoft advisories are numbered after their KB article); and the KB
/// links as references, made language-neutral ([`without_locale_segment`]), one per article.
fn find_kb(
    body: &str,
    id: &AdvisoryId,
    title: &str,
    locale: &Locale,
) -> (Vec<String>, Vec<(String, String)>) {
    let mut kb: Vec<String> = Vec::new();
    let id_in_title = id.as_str().bytes().all(|b| b.is_ascii_digit())
        && title
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w == id.as_str());
    if id_in_title {
        kb.push(id.to_string());
    }
    for c in KB_NUMBER.captures_iter(body) {
        if !kb.iter().any(|k| k == &c[1]) {
            kb.push(c[1].to_string());
        }
    }
    let mut refs: Vec<(String, String)> = Vec::new();
    for c in KB_LINK.captures_iter(body) {
        let url = without_locale_segment(&c[1], locale);
        if !refs
            .iter()
            .any(|(u, _)| u == &url || kb_article_of(u) == Some(&c[2]))
        {
            refs.push((url, "kb".to_string()));
        }
    }
    (kb, refs)
}

/// `url` without a first path segment that is `locale`'s tag in any case
/// (`https://support.microsoft.com/pt-br/kb/954474` → `https://support.microsoft.com/kb/954474`
/// for pt-BR), so every locale's page links the same address. Other URLs are unchanged.
fn without_locale_segment(url: &str, locale: &Locale) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_string();
    };
    let host_end = url[scheme_end + 3..]
        .find('/')
        .map_or(url.len(), |i| scheme_end + 3 + i);
    let path = &url[host_end..];
    let segment_end = path[1.min(path.len())..]
        .find(['/', '?', '#'])
        .map_or(path.len(), |i| i + 1);
    let segment = path.get(1..segment_end).unwrap_or("");
    if !segment.is_empty() && segment.eq_ignore_ascii_case(locale.as_str()) {
        format!("{}{}", &url[..host_end], &path[segment_end..])
    } else {
        url.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_a_page_address_names_is_its_first_tag_like_segment() {
        let named = |url: &str| url_language(url).map(|l| l.to_string());
        for (url, want) in [
            (
                "https://technet.microsoft.com/pt-BR/library/954474(v=Security.10)",
                Some("pt-BR"),
            ),
            (
                "https://technet.microsoft.com/en-us/library/3010060(v=Security.10)",
                Some("en-US"),
            ),
            (
                "https://learn.microsoft.com/zh-hans/security-updates/x",
                Some("zh-Hans"),
            ),
            ("https://h/docs/de-de/a?lang=fr-FR#es-ES", Some("de-DE")),
            ("https://technet.microsoft.com/library/954474", None),
            ("https://h/security-updates/ms08-001", None),
            ("https://pt-br.example.org/a", None),
            ("/es-ES/library/x", Some("es-ES")),
        ] {
            assert_eq!(named(url).as_deref(), want, "{url}");
        }
    }

    /// A page whose address says it is in another language than `--locale` is not
    /// imported as a translation into it: a warning says so, at `ms:mtpsurl`.
    #[test]
    fn a_page_in_another_language_than_the_locale_is_refused_with_a_warning() {
        let reader = DateReader::for_locale(&"es-ES".parse().unwrap());
        let text = PT;
        let (outcome, problems) = extract(
            "954474",
            Path::new("954474.md"),
            text,
            &"es-ES".parse().unwrap(),
            &reader,
        );
        assert!(matches!(outcome, Outcome::Refused));
        let p = problems
            .iter()
            .find(|p| p.message.contains("its address says"))
            .unwrap();
        assert!(!p.is_error());
        assert_eq!(
            p.message,
            "its address says it is in `pt-BR`, not in `es-ES`: not imported"
        );
        assert_eq!((p.line, p.column), (Some(4), Some(1)));
        // the same language in another region is the same language
        let reader = DateReader::for_locale(&"pt-PT".parse().unwrap());
        let (outcome, _) = extract(
            "954474",
            Path::new("954474.md"),
            text,
            &"pt-PT".parse().unwrap(),
            &reader,
        );
        assert!(matches!(outcome, Outcome::Advisory(_)));
    }
    use crate::import::dates::tests::fake_names;

    fn reader() -> DateReader {
        DateReader {
            primary: fake_names(),
            fallback: None,
            updated_word: Some("atualizado".into()),
        }
    }

    fn advisory(text: &str) -> (Extracted, Vec<Problem>) {
        let (o, p) = extract(
            "954474",
            Path::new("x.md"),
            &normalize_text(text),
            &"pt-BR".parse().unwrap(),
            &reader(),
        );
        match o {
            Outcome::Advisory(e) => (*e, p),
            Outcome::Skipped(why) => panic!("skipped: {why}"),
            Outcome::Refused => panic!("refused: {p:?}"),
        }
    }

    /// The problem of `problems` whose message starts with `start`.
    fn problem_with<'p>(problems: &'p [Problem], start: &str) -> &'p Problem {
        (problems.iter())
            .find(|p| p.message.starts_with(start))
            .unwrap_or_else(|| panic!("no problem starts with {start:?}: {problems:?}"))
    }

    /// The body of `text` rebuilt from its cut, as pass 2 does.
    fn body_of(text: &str) -> String {
        let text = normalize_text(text);
        advisory(&text).0.body.apply(&text).expect("the same text")
    }

    const PT: &str = "---\nTOCTitle: 954474\nTitle: Comunicado de Segurança da Microsoft 954474\nms:mtpsurl: 'https://technet.microsoft.com/pt-BR/library/954474(v=Security.10)'\n---\n\nSecurity Advisory\n\nComunicado de Segurança da Microsoft 954474\n===========\n\nSystem Center bloqueado\n-----------\n\nPublicado: sexta-feira, 13 de junho de 2008 | Atualizado: terça-feira, 17 de junho de 2008\n\nTexto com [Artigo 954474](http://support.microsoft.com/kb/954474) e CVE-2008-1447.\n\n|                  |\n|------------------|\n| Software relacionado |\n| **System Center Configuration Manager 2007** |\n\n**Revisões:**\n\n-   13 de junho de 2008: Comunicado publicado\n-   17 de junho de 2008: Comunicado atualizado para refletir\n    a disponibilidade de correção.\n\n*Built at 2014-04-18T13:49:36Z-07:00*\n";

    #[test]
    fn a_classic_advisory_gives_its_facts_and_a_body_without_them() {
        let (e, problems) = advisory(PT);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(e.title, "Comunicado de Segurança da Microsoft 954474");
        assert_eq!(e.summary.as_deref(), Some("System Center bloqueado"));
        assert_eq!(e.published, Some("2008-06-13".parse().unwrap()));
        assert_eq!(e.updated, Some("2008-06-17".parse().unwrap()));
        let revs: Vec<(&str, String, &str)> = e
            .revisions
            .iter()
            .map(|r| (r.number.as_str(), r.date.to_string(), r.note.as_str()))
            .collect();
        assert_eq!(
            revs,
            [
                ("1.0", "2008-06-13".to_string(), "Comunicado publicado"),
                (
                    "1.1",
                    "2008-06-17".to_string(),
                    "Comunicado atualizado para refletir a disponibilidade de correção."
                )
            ]
        );
        assert_eq!(e.kb, ["954474"]);
        assert_eq!(e.cves, ["CVE-2008-1447"]);
        assert_eq!(
            e.affected,
            [Affected {
                product: "System Center Configuration Manager 2007".to_string(),
                versions: vec![]
            }]
        );
        assert_eq!(
            e.references,
            [(
                "http://support.microsoft.com/kb/954474".to_string(),
                "kb".to_string()
            )]
        );
        assert_eq!(
            e.legacy_url.as_deref(),
            Some("https://technet.microsoft.com/pt-BR/library/954474(v=Security.10)")
        );
        let body = body_of(PT);
        assert!(body.starts_with("Texto com"), "{body}");
        assert!(
            body.ends_with("| **System Center Configuration Manager 2007** |\n"),
            "{body}"
        );
    }

    #[test]
    fn rows_set_aside_by_shape_alone_are_named_in_a_warning_at_the_table() {
        let table = "| Softwares afetados |\n|---|\n| Sistema operacional |\n| Windows Vista Service Pack 2 |\n| Windows 7 para sistemas de 32 bits |\n| Opção de instalação Server Core |\n| Windows Server 2008 R2 (instalação Server Core) |\n";
        let text = PT.replace(
            "|                  |\n|------------------|\n| Software relacionado |\n| **System Center Configuration Manager 2007** |\n",
            table,
        );
        assert_ne!(text, PT);
        let (e, problems) = advisory(&text);
        let names: Vec<&str> = e.affected.iter().map(|a| a.product.as_str()).collect();
        assert_eq!(
            names,
            [
                "Windows Vista Service Pack 2",
                "Windows 7 para sistemas de 32 bits",
                "Windows Server 2008 R2 (instalação Server Core)"
            ]
        );
        let line = text
            .lines()
            .position(|l| l == "| Softwares afetados |")
            .unwrap()
            + 1;
        let [p] = problems.as_slice() else {
            panic!("one warning: {problems:?}")
        };
        let shown = p.to_string();
        assert!(
            shown.contains("`Sistema operacional`, `Opção de instalação Server Core` set aside")
                && shown.contains("3 product(s) kept")
                && shown.contains(&format!("x.md:{line}:1")),
            "{shown}"
        );
    }

    #[test]
    fn bom_crlf_and_missing_front_matter_are_read() {
        let text = "\u{feff}# Comunicado 954474\r\n\r\n# Atualização no algoritmo\r\n\r\nPublicado em: 8 de maio de 2018 | Atualizado em 29 de junho de 2018\r\n\r\n**Versão:** 1.2\r\n\r\nTexto.\r\n\r\n### Revisões\r\n\r\n- V1.0 (8 de maio de 2018): Comunicado publicado.\r\n- V1.1 (24 de maio de 2018)): Adição.\r\n- V1.2 (29 de junho de 2018): Referências\r\n";
        let (e, _) = advisory(text);
        assert_eq!(e.title, "Comunicado 954474");
        assert_eq!(e.summary.as_deref(), Some("Atualização no algoritmo"));
        assert_eq!(e.published, Some("2018-05-08".parse().unwrap()));
        let numbers: Vec<&str> = e.revisions.iter().map(|r| r.number.as_str()).collect();
        assert_eq!(numbers, ["1.0", "1.1", "1.2"]);
        assert_eq!(e.revisions[1].note, "Adição.");
        assert_eq!(
            body_of(text),
            "Texto.\n",
            "the version line goes with the date line"
        );
    }

    /// A date of the "published | updated" line that cannot be read leaves its own place
    /// empty, with a warning at it: the other date used to take its place (the updated
    /// date became the published one), without a word.
    #[test]
    fn an_unreadable_date_of_the_date_line_leaves_its_place_empty_with_a_warning() {
        let text = PT.replace("13 de junho de 2008 |", "13 de junhoo de 2008 |");
        let (e, problems) = advisory(&text);
        assert_eq!(
            e.published,
            Some("2008-06-13".parse().unwrap()),
            "first revision"
        );
        assert_eq!(e.updated, Some("2008-06-17".parse().unwrap()));
        let p = problem_with(
            &problems,
            "the published date in `Publicado: sexta-feira, 13 de junhoo de 2008`",
        );
        assert_eq!((p.line, p.column), (Some(15), Some(1)), "{p:?}");
        assert!(
            problems
                .iter()
                .any(|p| p.message == "published date taken from the first revision")
        );
        let text = PT.replace("17 de junho de 2008\n", "17 de junhoo de 2008\n");
        let (e, problems) = advisory(&text);
        assert_eq!(e.published, Some("2008-06-13".parse().unwrap()));
        assert_eq!(e.updated, None);
        let p = problem_with(
            &problems,
            "the updated date in `Atualizado: terça-feira, 17 de junhoo de 2008`",
        );
        assert_eq!((p.line, p.column), (Some(15), Some(47)), "{p:?}");
        assert!(
            p.help
                .as_deref()
                .is_some_and(|h| h.contains("13 de junho de 2008")),
            "{p:?}"
        );
    }

    /// A revision item without a readable date says how to write it: as the list's first
    /// item does.
    #[test]
    fn a_revision_item_without_a_date_says_how_the_list_writes_dates() {
        let text = PT.replace("-   17 de junho de 2008:", "-   17 de junhoo de 2008:");
        let (e, problems) = advisory(&text);
        assert_eq!(e.revisions.len(), 1);
        let p = problem_with(&problems, "revision item without a readable date");
        assert_eq!(p.line, Some(27), "{p:?}");
        assert!(
            p.help
                .as_deref()
                .is_some_and(|h| h.contains("(`13 de junho de 2008: Comunicado publicado`)")),
            "{p:?}"
        );
    }

    #[test]
    fn a_page_without_date_line_or_revisions_is_skipped() {
        let text = "---\nTitle: Comunicados\n---\n\nComunicados\n===\n\nUm texto longo sobre os comunicados.\n\n- [954474](2008/954474.md)\n";
        let (o, _) = extract(
            "securityadvisories",
            Path::new("x.md"),
            text,
            &"pt-BR".parse().unwrap(),
            &reader(),
        );
        assert!(matches!(o, Outcome::Skipped(_)));
    }

    /// Front matter that is never closed: its `key: value` lines are the front matter, and
    /// the title, date line and body are read after them (the lines were published as the
    /// body's first paragraph, and the title was the bare id).
    #[test]
    fn front_matter_never_closed_is_read_up_to_its_last_key_line() {
        let text = PT.replacen("'\n---\n\n", "'\n\n", 1);
        assert_ne!(text, PT);
        let (e, problems) = advisory(&text);
        assert_eq!(e.title, "Comunicado de Segurança da Microsoft 954474");
        assert_eq!(
            e.published.map(|d| d.to_string()).as_deref(),
            Some("2008-06-13")
        );
        assert_eq!(
            e.updated.map(|d| d.to_string()).as_deref(),
            Some("2008-06-17")
        );
        assert!(e.legacy_url.is_some());
        let body = e.body.apply(&normalize_text(&text)).unwrap();
        assert!(!body.contains("TOCTitle"), "{body}");
        let p = problem_with(&problems, "the front matter opened with `---`");
        assert!(
            p.help.as_deref().unwrap().contains("(up to line 4)"),
            "{p:?}"
        );
        // no `key: value` line after `---`: the whole file is Markdown, as before
        assert!(unclosed_front_matter("---\n\nText\n").is_none());
        assert!(unclosed_front_matter("---\n# Title\n").is_none());
    }

    /// A date line with the updated date alone gives the updated date, and the published
    /// one comes from the revision list (the updated date was taken for the published one).
    #[test]
    fn a_date_line_with_the_updated_date_alone_is_the_updated_date() {
        let text = PT.replace(
            "Publicado: sexta-feira, 13 de junho de 2008 | Atualizado: terça-feira, 17 de junho de 2008",
            "Atualizado: terça-feira, 17 de junho de 2008",
        );
        assert_ne!(text, PT);
        let (e, _) = advisory(&text);
        assert_eq!(
            e.updated.map(|d| d.to_string()).as_deref(),
            Some("2008-06-17")
        );
        assert_ne!(
            e.published.map(|d| d.to_string()).as_deref(),
            Some("2008-06-17")
        );
    }

    /// A revision list whose first item has a date that is no date (29 February 2007) is
    /// still the list: that item is left out with a warning naming a readable one, and the
    /// others are kept (no list was found: the revisions were lost and the list stayed in
    /// the body).
    #[test]
    fn a_revision_list_whose_first_date_is_no_date_is_still_read() {
        let text = PT.replace(
            "-   13 de junho de 2008: Comunicado publicado",
            "-   31 de junho de 2008: Comunicado publicado",
        );
        assert_ne!(text, PT);
        let (e, problems) = advisory(&text);
        let revisions: Vec<String> = (e.revisions.iter())
            .map(|r| format!("{} {}", r.number, r.date))
            .collect();
        assert_eq!(revisions, ["1.1 2008-06-17"]);
        let body = e.body.apply(&normalize_text(&text)).unwrap();
        assert!(!body.contains("Comunicado publicado"), "{body}");
        let p = problem_with(&problems, "revision item without a readable date");
        assert!(
            (p.help.as_deref().unwrap()).contains("(`17 de junho de 2008: Comunicado atualizado"),
            "{p:?}"
        );
    }

    /// An updated date before the published one is a warning at the date line (it was
    /// imported without a word).
    #[test]
    fn an_updated_date_before_the_published_one_is_a_warning() {
        let text = PT.replace(
            "terça-feira, 17 de junho de 2008",
            "terça-feira, 10 de junho de 2008",
        );
        let (e, problems) = advisory(&text);
        assert_eq!(
            e.updated.map(|d| d.to_string()).as_deref(),
            Some("2008-06-10")
        );
        let p = problem_with(
            &problems,
            "the updated date (2008-06-10) is before the published date (2008-06-13)",
        );
        assert_eq!((p.line, p.column), (Some(15), Some(1)));
        let (_, problems) = advisory(PT);
        assert!(
            !problems
                .iter()
                .any(|p| p.message.contains("is before the published"))
        );
    }

    /// A date line's date that no time zone has reached yet is a warning at the line: a
    /// typo in the source or a misread (it was imported without a word).
    #[test]
    fn a_date_in_the_future_is_a_warning() {
        let text = PT.replace(
            "terça-feira, 17 de junho de 2008",
            "sexta-feira, 17 de junho de 9999",
        );
        let (e, problems) = advisory(&text);
        assert_eq!(
            e.updated.map(|d| d.to_string()).as_deref(),
            Some("9999-06-17")
        );
        let p = problem_with(
            &problems,
            "the updated date (9999-06-17) is in the future: no time zone has reached that day yet",
        );
        assert_eq!((p.line, p.column), (Some(15), Some(1)));
        let (_, problems) = advisory(PT);
        assert!(!problems.iter().any(|p| p.message.contains("future")));
    }

    #[test]
    fn revision_items_of_every_corpus_shape_are_read() {
        let r = reader();
        let cases: &[(&str, Option<&str>, &str, &str)] = &[
            (
                "13 de junho de 2008: Comunicado publicado",
                None,
                "2008-06-13",
                "Comunicado publicado",
            ),
            (
                "V1.0 (13 de junho de 2008): Publicado",
                Some("1.0"),
                "2008-06-13",
                "Publicado",
            ),
            (
                "V1.1 (24 de maio de 2018)): Adição",
                Some("1.1"),
                "2018-05-24",
                "Adição",
            ),
            (
                "V2.0 (13.05.2014) : Comunicado",
                Some("2.0"),
                "2014-05-13",
                "Comunicado",
            ),
            (
                "(13 de junio de 2008): Documento",
                None,
                "2008-06-13",
                "Documento",
            ),
            // a date written like a version number is the date
            ("13.06.2008: Publicado", None, "2008-06-13", "Publicado"),
            // CJK typesetting's full-width brackets and colon
            (
                "V2.0（13/07/2008）：Atualizado，com correção",
                Some("2.0"),
                "2008-07-13",
                "Atualizado，com correção",
            ),
            ("（13/07/2008）：Nota", None, "2008-07-13", "Nota"),
        ];
        for (text, number, date, note) in cases {
            let (n, d, t) = parse_revision_item(text, &r).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(
                (n.as_deref(), d.to_string(), t.as_str()),
                (*number, date.to_string(), *note),
                "{text}"
            );
        }
        assert!(parse_revision_item("Windows Server 2008: versões", &r).is_none());
    }

    #[test]
    fn a_revision_dated_before_the_previous_one_is_moved_forward_with_a_warning() {
        let text = "Título\n===\n\nPublicado: 2 de fevereiro de 2007\n\n**Revisões:**\n\n-   V1.0 (2 de fevereiro de 2007): Comunicado publicado\n-   (13 de fevereiro de 2006): Atualizado\n-   (1 de janeiro de 2005): Outro\n";
        let (e, problems) = advisory(text);
        let dates: Vec<String> = e.revisions.iter().map(|r| r.date.to_string()).collect();
        assert_eq!(dates, ["2007-02-02", "2007-02-13", "2007-02-13"]);
        assert_eq!(
            problems
                .iter()
                .filter(|p| p.message.contains("before the revision above"))
                .count(),
            2
        );
    }

    #[test]
    fn version_lines_next_to_the_date_line_are_recognized_by_shape() {
        for (line, want) in [
            ("**Versão:** 2.0", true),
            ("**Versión:** 1.2", true),
            ("**Version:** 32.0", true),
            ("**Versăo:** 1.14", true),
            ("Versión: V1.2", true),
            ("**Revisões:**", false),
            ("Windows RT 8.1", false),
            ("Versão 2.0", false),
            ("Publicado em: 05.05.2014", false),
            ("Consulte o artigo 2960358: 1.2", false),
        ] {
            assert_eq!(is_version_line(line), want, "{line}");
        }
    }

    #[test]
    fn affected_products_are_read_from_tables_of_every_corpus_shape() {
        // (markdown with its tables, products or the start of the reason)
        let cases: &[(&str, Result<&[&str], &str>)] = &[
            // pt-BR/2008/954474.md: a key-value table, then a one-column pipe table.
            (
                "|   |   |\n|---|---|\n| **Artigo do Microsoft Knowledge Base** | [954474](http://support.microsoft.com/kb/954474) |\n\n|                  |\n|------------------|\n| Software relacionado |\n| **System Center Configuration Manager 2007** |\n| **System Center Configuration Manager 2007 Service Pack 1** |\n",
                Ok(&[
                    "System Center Configuration Manager 2007",
                    "System Center Configuration Manager 2007 Service Pack 1",
                ]),
            ),
            // pt-BR/2014/2962393.md: raw HTML, two columns, bold header row.
            (
                "<table style=\"border:1px solid black;\">\n<tr class=\"odd\">\n<td style=\"border:1px solid black;\"><strong>Sistema operacional</strong></td>\n<td style=\"border:1px solid black;\"><strong>Componente</strong></td>\n</tr>\n<tr class=\"even\">\n<td style=\"border:1px solid black;\">Windows 8.1 para sistemas de 32 bits</td>\n<td style=\"border:1px solid black;\">Cliente Junos Pulse</td>\n</tr>\n<tr class=\"odd\">\n<td style=\"border:1px solid black;\">Windows RT 8.1</td>\n<td style=\"border:1px solid black;\">Cliente Junos Pulse</td>\n</tr>\n</table>\n",
                Ok(&["Windows 8.1 para sistemas de 32 bits", "Windows RT 8.1"]),
            ),
            // pt-BR/2014/2755801.md: Markdown in cells, two bold label rows, repeated products.
            (
                "<table style=\"border:1px solid black;\">\n<tr>\n<td style=\"border:1px solid black;\" colspan=\"2\">\n**Softwares Afetados**\n\n</td>\n</tr>\n<tr>\n<td style=\"border:1px solid black;\">\n**Sistema operacional**\n\n</td>\n<td style=\"border:1px solid black;\">\n**Componente**\n\n</td>\n</tr>\n<tr>\n<td style=\"border:1px solid black;\">\nWindows 8 para sistemas de 32 bits\n</td>\n<td style=\"border:1px solid black;\">\nAdobe Flash Player no Internet Explorer 10\n</td>\n</tr>\n<tr>\n<td style=\"border:1px solid black;\">\nWindows 8 para sistemas de 32 bits\n</td>\n<td style=\"border:1px solid black;\">\nAdobe Flash Player 11\n</td>\n</tr>\n</table>\n",
                Ok(&["Windows 8 para sistemas de 32 bits"]),
            ),
            // es-ES/2014/2960358.md: group headings spanning two columns are not products.
            (
                "<table>\n<tr><td><strong>Sistema operativo</strong></td><td><strong>Componente</strong></td></tr>\n<tr><td colspan=\"2\">\n**Windows 7**\n</td></tr>\n<tr><td>Windows 7 para sistemas x64 Service Pack 1</td><td>\n[Microsoft .NET Framework 3.5.1](http://x/)<sup>[1]</sup>\n</td></tr>\n</table>\n",
                Ok(&["Windows 7 para sistemas x64 Service Pack 1"]),
            ),
            // A bold one-cell row like the label opens the list of software not affected.
            (
                "<table>\n<tr><td><strong>Softwares afetados</strong></td></tr>\n<tr><td>Windows XP Service Pack 3</td></tr>\n<tr><td><strong>Softwares não afetados</strong></td></tr>\n<tr><td>Windows 7</td></tr>\n</table>\n",
                Ok(&["Windows XP Service Pack 3"]),
            ),
            // es-ES/2012/2718704.md-like: no bold anywhere; a second label row, a group
            // heading and a list of software not affected are told apart by shape.
            (
                "| Software afectado |\n|---|\n| Sistema operativo |\n| Windows Vista |\n| Windows 7 para sistemas x64 |\n| Opción de instalación Server Core |\n| Windows Server 2008 R2 (Server Core) |\n| Software no afectado |\n| Windows 8 |\n",
                Ok(&[
                    "Windows Vista",
                    "Windows 7 para sistemas x64",
                    "Windows Server 2008 R2 (Server Core)",
                ]),
            ),
            // es-ES/2009/974926.md: one cell lists the products, one per `<br/>` line.
            (
                "<table style=\"border:1px solid black;\">\n<tbody>\n<tr class=\"odd\">\n<td style=\"border:1px solid black;\">Software afectado</td>\n</tr>\n<tr class=\"even\">\n<td style=\"border:1px solid black;\">Windows XP Service Pack 2 y Windows XP Service Pack 3<br/>\nWindows Server 2003 Service Pack 2<br/>\nWindows 7 para sistemas x64*</td>\n</tr>\n</tbody>\n</table>\n",
                Ok(&[
                    "Windows XP Service Pack 2 y Windows XP Service Pack 3",
                    "Windows Server 2003 Service Pack 2",
                    "Windows 7 para sistemas x64*",
                ]),
            ),
            // pt-BR/2009/974926.md: the same cell as Markdown paragraphs, which end the HTML
            // block; the last one holds the cell's end tag.
            (
                "<table style=\"border:1px solid black;\">\n<tbody>\n<tr class=\"odd\">\n<td style=\"border:1px solid black;\">Softwares afetados</td>\n</tr>\n<tr class=\"even\">\n<td style=\"border:1px solid black;\">Windows XP Service Pack 2 e Windows XP Service Pack 3  \n\nWindows Server 2003 Service Pack 2  \n\nWindows 7 para sistemas baseados em x64*</td>\n</tr>\n</tbody>\n</table>\n",
                Ok(&[
                    "Windows XP Service Pack 2 e Windows XP Service Pack 3",
                    "Windows Server 2003 Service Pack 2",
                    "Windows 7 para sistemas baseados em x64*",
                ]),
            ),
            // pt-BR/2012/2749655.md: a line in parentheses belongs to the product above it;
            // a line wrapped in the source (no `<br>`) is one line.
            (
                "<table>\n<tr><td>Sistema operacional</td></tr>\n<tr><td>Windows XP Service Pack 3<br />\n(KB2749655)</td></tr>\n<tr><td>Windows Server 2003 com SP2 para sistemas\nbaseados no Itanium<br />\n(KB2749655)</td></tr>\n</table>\n",
                Ok(&[
                    "Windows XP Service Pack 3 (KB2749655)",
                    "Windows Server 2003 com SP2 para sistemas baseados no Itanium (KB2749655)",
                ]),
            ),
            // ... but a cell of a table with more columns stays one product.
            (
                "<table>\n<tr><td><strong>Produto</strong></td><td><strong>KB</strong></td></tr>\n<tr><td>Windows XP<br/>Service Pack 3</td><td>2749655</td></tr>\n</table>\n",
                Ok(&["Windows XP Service Pack 3"]),
            ),
            // pt-BR/2008/954462.md: a lone row without a version is still the product.
            (
                "|   |\n|---|\n| Software relacionado |\n| Tecnologias Microsoft ASP e ASP.NET |\n",
                Ok(&["Tecnologias Microsoft ASP e ASP.NET"]),
            ),
            // es-ES/2010/2264072.md-like: only a references table.
            (
                "| Referências | Identificação |\n|---|---|\n| **Referência CVE** | [CVE-2010-1886](http://www.cve.mitre.org/) |\n",
                Err(
                    "1 table(s), none a product list (the first, at body line 1 under `Referências`: bold labels",
                ),
            ),
            // es-ES/2006/904420.md: vendor links.
            (
                "|   |\n|---|\n| Proveedor |\n| [Aladdin](http://www.aladdin.com/) |\n| [F-Secure](http://www.f-secure.com/) |\n",
                Err(
                    "1 table(s), none a product list (the first, at body line 1 under `Proveedor`: its first column holds links",
                ),
            ),
            // es-ES/2009/960715.md: class ids.
            (
                "|   |\n|---|\n| CLSID |\n| {FFBB3F3B-0A5A-4106-BE53-DFE1E2340CB1} |\n",
                Err(
                    "1 table(s), none a product list (the first, at body line 1 under `CLSID`: its first column holds links",
                ),
            ),
            // pt-BR/2017/4056318.md: a permissions table.
            (
                "| Tipo | Nome |\n|---|---|\n| Permitir | SISTEMA |\n| Permitir | Admins |\n| Permitir | Usuários |\n",
                Err(
                    "1 table(s), none a product list (the first, at body line 1 under `Tipo`: its first column repeats",
                ),
            ),
            (
                "Texto sem tabela.\n\n-   Windows 7\n",
                Err("no table in the body"),
            ),
        ];
        for (src, want) in cases {
            let got = find_affected(&plain_tables(src)).map(|l| l.affected);
            match (got, want) {
                (Ok(got), Ok(want)) => {
                    let names: Vec<&str> = got.iter().map(|a| a.product.as_str()).collect();
                    assert_eq!(names, *want, "{src:?}");
                    assert!(got.iter().all(|a| a.versions.is_empty()), "{src:?}");
                }
                (Err(got), Err(want)) => assert!(got.starts_with(want), "{got:?} for {src:?}"),
                (got, _) => panic!("{got:?} for {src:?}"),
            }
        }
    }

    #[test]
    fn unmarked_tables_of_the_corpus_give_their_products_without_label_rows() {
        // Tables whose label rows lost their header style: a second label row, group
        // headings and a "not affected" list look like products. Checked by hand against
        // the source tables: (file, product count, first, last).
        let root = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/ms-security-updates"
        );
        let cases = [
            (
                "es-ES/2012/2718704.md",
                22,
                "Windows XP Service Pack 3",
                "Windows Server 2008 R2 para sistemas x64 Service Pack 1 (instalación de Server Core)",
            ),
            (
                "es-ES/2013/2916652.md",
                28,
                "Windows XP Service Pack 3",
                "Windows Phone 8",
            ),
            (
                "es-ES/2013/2861855.md",
                12,
                "Windows Vista Service Pack 2",
                "Windows Server 2008 R2 para sistemas x64 Service Pack 1 (instalación Server Core)",
            ),
            (
                "es-ES/2010/979267.md",
                2,
                "Windows XP Service Pack 2 y Windows XP Service Pack 3",
                "Windows XP Professional x64 Edition Service Pack 2",
            ),
            (
                "pt-BR/2009/2401593.md",
                3,
                "Microsoft Exchange Server 2003 Service Pack 2",
                "Microsoft Exchange Server 2007 Service Pack 2",
            ),
            // one-column raw HTML tables whose cells list products one per line
            // (`<br />`; paragraphs in pt-BR/2009/974926.md)
            (
                "es-ES/2009/973811.md",
                10,
                "Windows XP Service Pack 2 y Windows XP Service Pack 3",
                "Windows Server 2008 para sistemas con Itanium y Windows Server 2008 para sistemas con Itanium Service Pack 2",
            ),
            (
                "pt-BR/2009/974926.md",
                13,
                "Windows XP Service Pack 2 e Windows XP Service Pack 3",
                "Windows Server 2008 R2 para sistemas baseados no Itanium*",
            ),
            (
                "es-ES/2009/974926.md",
                13,
                "Windows XP Service Pack 2 y Windows XP Service Pack 3",
                "Windows Server 2008 R2 para sistemas con Itanium*",
            ),
        ];
        let labels = [
            "Sistema operativo",
            "Software afectado",
            "Software no afectado",
            "Opción de instalación Server Core",
            "Dispositivos afectados",
            "Softwares não afetados",
        ];
        for (file, count, first, last) in cases {
            let path = format!("{root}/{file}");
            let bytes = std::fs::read(&path).unwrap();
            let text = normalize_text(&String::from_utf8_lossy(&bytes));
            let stem = Path::new(file).file_stem().unwrap().to_str().unwrap();
            let locale: Locale = file[..5].parse().unwrap();
            let r = DateReader::for_locale(&locale);
            let Outcome::Advisory(e) = extract(stem, Path::new(file), &text, &locale, &r).0 else {
                panic!("{file} is an advisory");
            };
            let a: Vec<&str> = e.affected.iter().map(|a| a.product.as_str()).collect();
            assert_eq!(
                (a.len(), a.first().copied(), a.last().copied()),
                (count, Some(first), Some(last)),
                "{file}: {a:#?}"
            );
            assert!(!a.iter().any(|p| labels.contains(p)), "{file}: {a:#?}");
        }
    }

    #[test]
    fn a_named_column_of_version_numbers_gives_each_product_its_versions() {
        // (markdown, [(product, versions)])
        type Want = &'static [(&'static str, &'static [&'static str])];
        let cases: &[(&str, Want)] = &[
            // pt-BR/2017/3214296.md: a package and its version under a bold header row.
            (
                "<table>\n<tr><td colspan=\"2\">\n**Pacote e versão afetados**\n\n</td></tr>\n<tr><td>\n**Nome do pacote**\n\n</td><td>\n**Versão do pacote**\n\n</td></tr>\n<tr><td>\nMicrosoft.IdentityModel.Tokens\n\n</td><td>\n5.1.0\n\n</td></tr>\n</table>\n",
                &[("Microsoft.IdentityModel.Tokens", &["5.1.0"])],
            ),
            // pt-BR/2017/4021279.md: the first version column (affected, not fixed);
            // several versions per cell, split at hard breaks and commas.
            (
                "| **Nome** | **Versões** | **Corrigidas** |\n|---|---|---|\n| System.Net.Http | 4.1.1<br>4.3.1 | 4.1.2 |\n| Microsoft.AspNetCore.Mvc | 1.0.0, 1.0.1 1.1.0 | 1.0.4 |\n",
                &[
                    ("System.Net.Http", &["4.1.1", "4.3.1"]),
                    ("Microsoft.AspNetCore.Mvc", &["1.0.0", "1.0.1", "1.1.0"]),
                ],
            ),
            // A repeated product collects the versions of all its rows, once each.
            (
                "| **Produto** | **Versão** |\n|---|---|\n| Pacote | 1.0 |\n| Outro | 2.0 |\n| Pacote | 1.1, 1.0 |\n",
                &[("Pacote", &["1.0", "1.1"]), ("Outro", &["2.0"])],
            ),
            // pt-BR/2014/2962393.md: a component column is not versions.
            (
                "| **Sistema operacional** | **Componente** |\n|---|---|\n| Windows RT 8.1 | Cliente Junos Pulse 8.1 |\n",
                &[("Windows RT 8.1", &[])],
            ),
            // One row that is not a version number: the column is not a version column.
            (
                "| **Produto** | **Versão** |\n|---|---|\n| Pacote | 1.0 |\n| Outro | todas |\n",
                &[("Pacote", &[]), ("Outro", &[])],
            ),
            // No header cell over the column: not clearly a version column.
            (
                "| **Produtos afetados** |\n|---|\n| Pacote | 1.0 |\n| Outro | 2.0 |\n",
                &[("Pacote", &[]), ("Outro", &[])],
            ),
        ];
        for (src, want) in cases {
            let got = find_affected(&plain_tables(src)).unwrap_or_else(|e| panic!("{e}: {src:?}"));
            let got: Vec<(&str, Vec<&str>)> = got
                .affected
                .iter()
                .map(|a| {
                    (
                        a.product.as_str(),
                        a.versions.iter().map(String::as_str).collect(),
                    )
                })
                .collect();
            let want: Vec<(&str, Vec<&str>)> = want.iter().map(|(p, v)| (*p, v.to_vec())).collect();
            assert_eq!(got, want, "{src:?}");
        }
    }

    #[test]
    fn version_columns_of_corpus_package_tables_are_read() {
        // Checked by hand against the source tables: (file, product, versions).
        let root = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/ms-security-updates/pt-BR"
        );
        let locale: Locale = "pt-BR".parse().unwrap();
        let r = DateReader::for_locale(&locale);
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "2017/3214296.md",
                "Microsoft.IdentityModel.Tokens",
                &["5.1.0"],
            ),
            (
                "2017/4010983.md",
                "Microsoft.AspNetCore.Mvc.Core",
                &["1.1.0"],
            ),
            (
                "2017/4021279.md",
                "System.Text.Encodings.Web",
                &["4.0.0", "4.3.0"],
            ),
            (
                "2017/4021279.md",
                "Microsoft.AspNetCore.Mvc.WebApiCompatShim",
                &[
                    "1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.1.0", "1.1.1", "1.1.2",
                ],
            ),
            ("2014/2962393.md", "Windows RT 8.1", &[]),
        ];
        for (file, product, versions) in cases {
            let text = normalize_text(&std::fs::read_to_string(format!("{root}/{file}")).unwrap());
            let stem = Path::new(file).file_stem().unwrap().to_str().unwrap();
            let Outcome::Advisory(e) = extract(stem, Path::new(file), &text, &locale, &r).0 else {
                panic!("{file} is an advisory");
            };
            let found = e.affected.iter().find(|a| a.product == *product);
            assert_eq!(
                found.map(|a| a.versions.clone()),
                Some(versions.iter().map(|v| v.to_string()).collect()),
                "{file}: {:#?}",
                e.affected
            );
        }
    }

    #[test]
    fn a_first_path_segment_naming_the_source_locale_is_dropped_from_references() {
        // (locale, url, language-neutral url)
        let cases = [
            (
                "pt-BR",
                "https://support.microsoft.com/pt-br/kb/954474",
                "https://support.microsoft.com/kb/954474",
            ),
            (
                "es-ES",
                "http://support.microsoft.com/ES-ES/kb/954474/",
                "http://support.microsoft.com/kb/954474/",
            ),
            (
                "pt-BR",
                "https://support.microsoft.com/pt-BR?x=1",
                "https://support.microsoft.com?x=1",
            ),
            // Another locale's tag, a later segment or a longer one are not this locale's.
            (
                "es-ES",
                "https://support.microsoft.com/pt-br/kb/954474",
                "https://support.microsoft.com/pt-br/kb/954474",
            ),
            (
                "pt-BR",
                "https://support.microsoft.com/kb/pt-br/954474",
                "https://support.microsoft.com/kb/pt-br/954474",
            ),
            (
                "pt-BR",
                "https://support.microsoft.com/pt-bra/kb/1",
                "https://support.microsoft.com/pt-bra/kb/1",
            ),
            (
                "pt-BR",
                "https://support.microsoft.com",
                "https://support.microsoft.com",
            ),
            ("pt-BR", "not a url", "not a url"),
        ];
        for (locale, url, want) in cases {
            assert_eq!(
                without_locale_segment(url, &locale.parse().unwrap()),
                want,
                "{locale} {url}"
            );
        }
    }

    #[test]
    fn kb_links_through_the_locale_path_and_the_neutral_one_are_one_reference() {
        let body = "Veja [954474](https://support.microsoft.com/pt-br/kb/954474), \
                    [de novo](http://support.microsoft.com/kb/954474) e \
                    [outro](https://support.microsoft.com/PT-BR/kb/2871997).";
        let id: AdvisoryId = "954474".parse().unwrap();
        let (_, refs) = find_kb(body, &id, "Comunicado", &"pt-BR".parse().unwrap());
        let urls: Vec<&str> = refs.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://support.microsoft.com/kb/954474",
                "https://support.microsoft.com/kb/2871997"
            ]
        );
    }

    #[test]
    fn corpus_kb_references_keep_no_pt_br_path() {
        // pt-BR/2014/2871997.md links `support.microsoft.com/pt-br/kb/…` many times.
        let file = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/ms-security-updates/pt-BR/2014/2871997.md"
        );
        let text = normalize_text(&std::fs::read_to_string(file).unwrap());
        assert!(text.contains("support.microsoft.com/pt-br/kb/"));
        let locale: Locale = "pt-BR".parse().unwrap();
        let r = DateReader::for_locale(&locale);
        let Outcome::Advisory(e) = extract("2871997", Path::new(file), &text, &locale, &r).0 else {
            panic!("an advisory");
        };
        assert!(e.references.len() > 3, "{:?}", e.references);
        for (url, _) in &e.references {
            assert!(!url.to_lowercase().contains("/pt-br/"), "{url}");
        }
    }

    #[test]
    fn revision_notes_lose_their_inline_markdown() {
        let text = "Título\n===\n\nPublicado: 2 de fevereiro de 2007\n\n**Revisões:**\n\n-   V1.0 (2 de fevereiro de 2007): Comunicado publicado.\n-   V2.0 (13 de fevereiro de 2007): Comunicado revisado para anunciar a atualização **3033929** e o [artigo](http://support.microsoft.com/kb/3033929).\n";
        let (e, _) = advisory(text);
        let notes: Vec<&str> = e.revisions.iter().map(|r| r.note.as_str()).collect();
        assert_eq!(
            notes,
            [
                "Comunicado publicado.",
                "Comunicado revisado para anunciar a atualização 3033929 e o artigo."
            ]
        );
    }

    #[test]
    fn stamps_are_recognized_by_shape() {
        for (line, want) in [
            ("*Built at 2014-04-18T13:49:36Z-07:00*", true),
            ("*Página gerada em 2017-01-04 11:31-08:00.*", true),
            ("*Página generada el 05-11-2014 15:50Z-08:00.*", true),
            ("*Página gerada em 05-11-2014 15:50 Z 08:00.*", true),
            ("*Página gerada em 21.09.12 às 10:15:02-07:00.*", true),
            // an author's note that names a time is kept
            (
                "*Observação: a janela de manutenção começa às 22:00 UTC.*",
                false,
            ),
            ("_Reinicie às 9:30._", false),
            ("**Revisões:**", false),
            ("*Nota importante*", false),
        ] {
            assert_eq!(is_stamp(line), want, "{line}");
        }
    }

    #[test]
    fn every_corpus_file_is_read_without_panic_and_every_advisory_gets_a_published_date() {
        let root = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/corpus/ms-security-updates"
        );
        // (locale, advisory files, index pages, files in another language) from the
        // corpus README: es-ES/2014/3010060.md is the English original
        for (locale, advisories, indexes, refused) in [("pt-BR", 165, 2, 0), ("es-ES", 157, 1, 1)] {
            let locale: Locale = locale.parse().unwrap();
            let reader = DateReader::for_locale(&locale);
            let (mut seen, mut skipped, mut not_imported) = (0, 0, 0);
            for entry in walkdir::WalkDir::new(format!("{root}/{locale}")).sort_by_file_name() {
                let entry = entry.unwrap();
                if entry.path().extension().is_none_or(|x| x != "md") {
                    continue;
                }
                let bytes = std::fs::read(entry.path()).unwrap();
                let text = normalize_text(&String::from_utf8_lossy(&bytes));
                let stem = entry.path().file_stem().unwrap().to_str().unwrap();
                match extract(stem, entry.path(), &text, &locale, &reader).0 {
                    Outcome::Advisory(e) => {
                        seen += 1;
                        assert!(e.published.is_some(), "{}", entry.path().display());
                        let body = e.body.apply(&text);
                        assert!(
                            body.is_ok_and(|b| !b.is_empty()),
                            "{}",
                            entry.path().display()
                        );
                    }
                    Outcome::Skipped(_) => skipped += 1,
                    Outcome::Refused => not_imported += 1,
                }
            }
            assert_eq!(
                (seen, skipped, not_imported),
                (advisories, indexes, refused),
                "{locale}"
            );
        }
    }
}
