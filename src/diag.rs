//! Content problems: what is wrong, where (file:line:column) and how to fix it.
//! Problems are collected by every stage and printed together by `main.rs`,
//! compiler-style; this module only formats them.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is: errors fail the build, warnings do not (unless `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Fails `build` and `check` (exit code 1).
    Error,
    /// Reported; fails only under `--strict`.
    Warning,
}

/// One content problem with its location and an optional fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// Path as shown to the user (relative to the site root when possible).
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
    /// Lowercase sentence: what is wrong.
    pub message: String,
    /// How to fix it, when a fix is known.
    pub help: Option<String>,
}

impl Problem {
    /// An error at `file` with no position yet.
    pub(crate) fn error(file: impl AsRef<Path>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Error,
            file: file.as_ref().to_path_buf(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `file` with no position yet.
    pub(crate) fn warning(file: impl AsRef<Path>, message: impl Into<String>) -> Problem {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(file, message)
        }
    }

    /// Sets the 1-based line and column.
    pub(crate) fn at(mut self, line: usize, column: usize) -> Problem {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Sets the position from an optional (line, column) pair.
    pub(crate) fn at_opt(self, pos: Option<(usize, usize)>) -> Problem {
        match pos {
            Some((l, c)) => self.at(l, c),
            None => self,
        }
    }

    /// Adds a `help:` line.
    pub(crate) fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }

    /// Adds a `help:` line unless the problem has one (a more precise one, such as a
    /// "did you mean" for a misspelt field).
    pub(crate) fn or_help(self, help: impl Into<String>) -> Problem {
        match self.help {
            Some(_) => self,
            None => self.help(help),
        }
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column` (or fewer parts when unknown).
    pub fn location(&self) -> String {
        let mut s = self.file.display().to_string();
        if let Some(l) = self.line {
            s.push_str(&format!(":{l}"));
            if let Some(c) = self.column {
                s.push_str(&format!(":{c}"));
            }
        }
        s
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // content quoted in a message (a legacy URL, a key) cannot drive the terminal
        writeln!(f, "{label}: {}", escape_terminal(&self.message))?;
        write!(f, "  --> {}", escape_terminal(&self.location()))?;
        if let Some(help) = &self.help {
            write!(f, "\n   = help: {}", escape_terminal(help))?;
        }
        Ok(())
    }
}

/// `s` with C0 controls (except TAB), DEL, C1 controls, the bidi controls U+202A–U+202E
/// and U+2066–U+2069, and U+2028/U+2029 shown as `\x1b` or `\u{202e}`, so text from
/// content or a log cannot drive the terminal it is printed to.
pub fn escape_terminal(s: &str) -> Cow<'_, str> {
    let escaped = |c: char| c != '\t' && drives_terminal(c);
    if !s.chars().any(escaped) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        let u = c as u32;
        if !escaped(c) {
            out.push(c);
        } else if u < 0x80 {
            out.push_str(&format!("\\x{u:02x}"));
        } else {
            out.push_str(&format!("\\u{{{u:x}}}"));
        }
    }
    Cow::Owned(out)
}

/// Whether `c` is one of the characters [`escape_terminal`] escapes (TAB included).
fn drives_terminal(c: char) -> bool {
    let u = c as u32;
    u < 0x20 || (0x7f..=0x9f).contains(&u) || is_bidi_control(c) || u == 0x2028 || u == 0x2029
}

/// Whether `c` is a bidi embedding, override or isolate control (U+202A–U+202E,
/// U+2066–U+2069): invisible, and able to reorder the text after it.
pub(crate) fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// JSON text (as `serde_json` writes it) with DEL, the C1 controls, the bidi controls and
/// U+2028/U+2029 written as `\u` escapes, which JSON allows in strings (the only place
/// such characters can be) and a terminal shows as text. C0 controls are escaped
/// by `serde_json` already.
pub fn escape_json_controls(json: &str) -> Cow<'_, str> {
    // (not C0: the layout's line ends are C0 too)
    let escaped = |c: char| c as u32 >= 0x7f && drives_terminal(c);
    if !json.chars().any(escaped) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if escaped(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The count line that closes a list of problems: `2 error(s), 1 warning(s)`.
pub fn tally(problems: &[Problem]) -> String {
    let errors = problems.iter().filter(|p| p.is_error()).count();
    format!("{errors} error(s), {} warning(s)", problems.len() - errors)
}

/// Sorts problems by file, position, then message, so reports are deterministic.
pub(crate) fn sort_problems(problems: &mut [Problem]) {
    problems.sort_by(|a, b| {
        (&a.file, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
    });
}

/// The candidate a mistyped `given` most likely meant (`securty` → `security`, `Title` →
/// `title`): the nearest by edit distance, ignoring case, counting a swap of two neighbours
/// as one edit, and at most one edit per three characters. `None` when nothing is that
/// close or two candidates are equally close.
pub(crate) fn closest<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let given_lower = given.to_lowercase();
    let limit = (given.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    let mut tie = false;
    for c in candidates {
        if c == given {
            continue;
        }
        let d = strsim::damerau_levenshtein(&given_lower, &c.to_lowercase());
        if d > limit {
            continue;
        }
        match best {
            Some((b, _)) if d > b => {}
            Some((b, _)) if d == b => tie = true,
            _ => {
                best = Some((d, c));
                tie = false;
            }
        }
    }
    best.filter(|_| !tie).map(|(_, c)| c)
}

/// Names for a help line, each in backticks: "`a`, `b`, `c`".
pub(crate) fn code_list<T: fmt::Display>(names: impl IntoIterator<Item = T>) -> String {
    names
        .into_iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether `name` is most likely `meant` mistyped (`advisory.yml` for `advisory.yaml`,
/// `advisory` for `advisories`), within [`closest`]'s distance for `meant`.
pub(crate) fn is_near(name: &str, meant: &str) -> bool {
    closest(meant, [name]).is_some()
}

/// "did you mean `x`?" for [`closest`]'s answer.
pub(crate) fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(given, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// An error for each invisible bidi control in `text` (a file's whole text) that can
/// reorder what a page shows after it, so that a page shows other versions, dates or
/// commands than the file holds ("Trojan Source", CVE-2021-42574): every embedding or
/// override (U+202A–U+202E), and each isolate (U+2066–U+2068) that U+2069 does not close
/// on the same line, or U+2069 closing none; at its line and column.
pub(crate) fn bidi_control_problems(text: &str, file: &Path) -> Vec<Problem> {
    let bytes = text.as_bytes();
    // all of them are `E2 80 AA`–`E2 80 AE` and `E2 81 A6`–`E2 81 A9` in UTF-8
    let at = |i: usize| match bytes.get(i + 1..i + 3) {
        Some([0x80, 0xAA..=0xAE] | [0x81, 0xA6..=0xA9]) => text[i..].chars().next(),
        _ => None,
    };
    let found = memchr::memchr_iter(0xE2, bytes).filter_map(|i| Some((i, at(i)?)));
    bidi_problems_at(text, file, 1, found, "")
}

/// The errors of [`bidi_control_problems`] for the bidi controls at `found` (byte offsets
/// into `text`, in order, each with the control it stands for), written otherwise than as
/// themselves as `written` says (`, written as a character reference,`); `text` starts at
/// line `first_line` of `file`.
pub(crate) fn bidi_problems_at(
    text: &str,
    file: &Path,
    first_line: usize,
    found: impl IntoIterator<Item = (usize, char)>,
    written: &str,
) -> Vec<Problem> {
    let bytes = text.as_bytes();
    let mut found = found.into_iter();
    let Some(first) = found.next() else {
        return Vec::new();
    };
    let name = |c: char| match c {
        '\u{202A}' => "left-to-right embedding",
        '\u{202B}' => "right-to-left embedding",
        '\u{202C}' => "pop directional formatting",
        '\u{202D}' => "left-to-right override",
        '\u{202E}' => "right-to-left override",
        '\u{2066}' => "left-to-right isolate",
        '\u{2067}' => "right-to-left isolate",
        '\u{2068}' => "first strong isolate",
        _ => "pop directional isolate",
    };
    let problem = |offset: usize, c: char, why: &str| {
        let (line, column) = line_column(text, offset);
        Problem::error(
            file,
            format!(
                "invisible bidi control U+{:04X} ({}){written} {why}: it can reorder the text a page shows after it (versions, dates, commands)",
                c as u32,
                name(c)
            ),
        )
        .at(line + first_line - 1, column)
        .help("delete it (pages give each language its own direction); to isolate a phrase, close each U+2066, U+2067 or U+2068 with U+2069 on the same line")
    };
    let mut problems = Vec::new();
    // the isolates open on the current line: (offset, character)
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut line_end = 0;
    for (i, c) in std::iter::once(first).chain(found) {
        if i >= line_end {
            // a new line: what the last one left open stays open
            problems.extend(
                open.drain(..)
                    .map(|(o, c)| problem(o, c, "not closed on its line")),
            );
            line_end = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n);
        }
        match c {
            '\u{2066}'..='\u{2068}' => open.push((i, c)),
            '\u{2069}' if open.pop().is_some() => {}
            '\u{2069}' => problems.push(problem(i, c, "that closes no isolate")),
            _ => problems.push(problem(i, c, "in the text")),
        }
    }
    problems.extend(
        open.drain(..)
            .map(|(o, c)| problem(o, c, "not closed on its line")),
    );
    problems.sort_by_key(|p| (p.line, p.column));
    problems
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// The byte offset of 1-based `line` and `column` (in characters) in `text`: the
/// inverse of [`line_column`].
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let rest = &text[start.min(text.len())..];
    start
        + rest
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(rest.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_its_layout_and_escapes_bidi_and_c1_controls() {
        let value = serde_json::json!({"file": "a\u{202e}b\u{85}\u{7f}\u{2066}é\n", "n": [1]});
        let json = serde_json::to_string_pretty(&value).expect("json");
        let escaped = escape_json_controls(&json);
        assert!(
            escaped.contains(r#""a\u202eb\u0085\u007f\u2066é\n""#),
            "{escaped}"
        );
        assert_eq!(escaped.lines().count(), json.lines().count());
        let back: serde_json::Value = serde_json::from_str(&escaped).expect("still JSON");
        assert_eq!(back, value);
        assert!(matches!(
            escape_json_controls("{\n  \"a\": \"é\"\n}"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn terminal_controls_are_shown_escaped() {
        assert_eq!(escape_terminal("a\x1b[31mb\tc\x7f"), "a\\x1b[31mb\tc\\x7f");
        assert_eq!(
            escape_terminal("\u{202e}x\u{2066}\u{2028}\u{85}é"),
            "\\u{202e}x\\u{2066}\\u{2028}\\u{85}é"
        );
        assert!(matches!(escape_terminal("plain é"), Cow::Borrowed(_)));
        // a problem quoting content prints it escaped, in its message, help and path
        let p = Problem::warning("a\x1b]0;t\x07.yaml", "legacy URL `/old/\x1b[31mRED`")
            .at(2, 3)
            .help("fix `\u{202e}`");
        assert_eq!(
            p.to_string(),
            "warning: legacy URL `/old/\\x1b[31mRED`\n  --> a\\x1b]0;t\\x07.yaml:2:3\n   = help: fix `\\u{202e}`"
        );
    }

    #[test]
    fn offset_of_is_the_inverse_of_line_column() {
        let text = "a: 1\r\nβ: ção\n\nlast";
        for (offset, _) in text.char_indices() {
            let (line, column) = line_column(text, offset);
            assert_eq!(offset_of(text, line, column), offset, "{line}:{column}");
        }
        assert_eq!(offset_of(text, 9, 1), text.len());
    }

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        assert_eq!(line_column("ação = x\nbé", 0), (1, 1));
        assert_eq!(line_column("ação = x\nbé", "ação".len()), (1, 5));
        assert_eq!(line_column("ação = x\nbé", "ação = x\nbé".len()), (2, 3));
        assert_eq!(line_column("abc", 99), (1, 4));
    }

    #[test]
    fn bidi_controls_that_can_reorder_the_text_after_them_are_errors_at_their_place() {
        let found = |text: &str| -> Vec<(usize, usize, String)> {
            bidi_control_problems(text, Path::new("f.md"))
                .into_iter()
                .map(|p| {
                    assert!(p.is_error());
                    (p.line.unwrap(), p.column.unwrap(), p.message)
                })
                .collect()
        };
        // other characters of the same UTF-8 block: dashes, quotes, ellipsis, `€`, LRM/RLM
        assert!(found("a – b ’c’ … 5 € \u{200E}\u{200F}\u{2060}\u{206A}").is_empty());
        // isolates closed on their line, nested too
        assert!(found("x \u{2068}abc\u{2069} y\n\u{2066}\u{2067}a\u{2069}\u{2069}").is_empty());
        let p = found("vers\u{00E3}o: \u{202E}9.0.1 ,2.0.1");
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].0, p[0].1), (1, 9));
        assert!(
            p[0].2
                .starts_with("invisible bidi control U+202E (right-to-left override) in the text"),
            "{}",
            p[0].2
        );
        for (c, name) in [
            ('\u{202A}', "left-to-right embedding"),
            ('\u{202B}', "right-to-left embedding"),
            ('\u{202C}', "pop directional formatting"),
            ('\u{202D}', "left-to-right override"),
        ] {
            let p = found(&format!("a\n  {c}b"));
            assert_eq!((p[0].0, p[0].1), (2, 3));
            assert!(p[0].2.contains(name), "{}", p[0].2);
        }
        // an isolate left open at the end of its line, and one closing none on the next
        let p = found("title: \u{2067}abc\n\u{2069} x \u{2068}");
        let at: Vec<(usize, usize)> = p.iter().map(|(l, c, _)| (*l, *c)).collect();
        assert_eq!(at, [(1, 8), (2, 1), (2, 5)]);
        assert!(
            p[0].2
                .contains("U+2067 (right-to-left isolate) not closed on its line")
        );
        assert!(
            p[1].2
                .contains("U+2069 (pop directional isolate) that closes no isolate")
        );
        assert!(
            p[2].2
                .contains("U+2068 (first strong isolate) not closed on its line")
        );
    }

    #[test]
    fn closest_finds_typos_but_not_strangers() {
        let kinds = ["security", "non-security", "informational"];
        assert_eq!(closest("securty", kinds), Some("security"));
        assert_eq!(closest("Security", kinds), Some("security"));
        assert_eq!(closest("non-secuirty", kinds), Some("non-security"));
        assert_eq!(closest("informatinal", kinds), Some("informational"));
        assert_eq!(closest("advisory", kinds), None);
        assert_eq!(
            closest("security", kinds),
            None,
            "an exact match is no typo"
        );
        // one edit in a short word is still a guess; two are not
        assert_eq!(closest("kd", ["kb", "cve"]), Some("kb"));
        assert_eq!(closest("xy", ["kb", "cve"]), None);
        assert!(is_near("advisory", "advisories") && is_near("site.yml", "site.yaml"));
        assert!(!is_near("NOTICE.md", "site.yaml"));
        // equally close candidates: no guess
        assert_eq!(closest("cat", ["bat", "hat"]), None);
        assert_eq!(
            did_you_mean("titel", ["title", "summary"]).as_deref(),
            Some("did you mean `title`?")
        );
    }

    #[test]
    fn problem_prints_location_and_help() {
        let p = Problem::error("content/a.md", "unknown field `published`")
            .at(3, 1)
            .help("move it to `advisory.yaml`");
        assert_eq!(
            p.to_string(),
            "error: unknown field `published`\n  --> content/a.md:3:1\n   = help: move it to `advisory.yaml`"
        );
    }

    #[test]
    fn problem_without_position_prints_file_only() {
        let p = Problem::warning("content/site.yaml", "x");
        assert_eq!(p.location(), "content/site.yaml");
    }
}
