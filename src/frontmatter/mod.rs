//! Front matter: splitting `---` YAML from Markdown, the `Raw*` input structs, and
//! YAML errors turned into located problems. The only module that uses YAML.

pub(crate) mod ms;
pub(crate) mod write;

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diag::Problem;

/// A text file split into its YAML front matter and its Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split<'a> {
    /// The YAML between the `---` fences (without them); `None` when the file has none.
    pub(crate) yaml: Option<&'a str>,
    /// 1-based line of the file where `yaml` starts.
    pub(crate) yaml_line: usize,
    /// The Markdown after the closing fence.
    pub(crate) body: &'a str,
    /// 1-based line of the file where `body` starts.
    pub(crate) body_line: usize,
}

/// Splits `text` (BOM already removed) at its `---` fences. A file that does not start
/// with `---` has no front matter; an opening fence without a closing one is an error.
pub(crate) fn split(text: &str) -> Result<Split<'_>, String> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_end].trim_end() != "---" {
        return Ok(Split {
            yaml: None,
            yaml_line: 1,
            body: text,
            body_line: 1,
        });
    }
    let mut pos = first_end;
    let mut line = 2;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let l = text[pos..end].trim_end();
        if l == "---" || l == "..." {
            return Ok(Split {
                yaml: Some(&text[first_end..pos]),
                yaml_line: 2,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        pos = end;
        line += 1;
    }
    Err("the front matter opened with `---` on line 1 is never closed".to_string())
}

/// Parses YAML into `T`; an error names `file:line:column` (offset by `first_line - 1`)
/// and says how to fix it (`yaml_help`; the callers add the allowed fields to an unknown
/// one).
pub(crate) fn parse_yaml<T: DeserializeOwned>(
    yaml: &str,
    file: &Path,
    first_line: usize,
) -> Result<T, Problem> {
    serde_yaml::from_str(yaml).map_err(|e| {
        let mut pos = e
            .location()
            .map(|l| (l.line() + first_line - 1, l.column()));
        let full = e.to_string();
        // yaml_serde appends " at line X column Y" to the problem, and to the construct
        // the scanner was in when it has one (", while scanning a quoted scalar at line
        // 1 column 8"); the problem's location is printed separately
        let mut msg = match full.find(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full.clone(),
        };
        if let Some((context, at)) = full
            .split_once(", while ")
            .and_then(|(_, c)| c.split_once(" at line "))
            .and_then(|(c, at)| Some((c, line_column(at)?)))
        {
            let (line, column) = (at.0 + first_line - 1, at.1);
            if msg.starts_with("found unexpected end of stream") {
                // the end of the input is never where the fix goes: the unclosed
                // construct's start is
                msg = format!("{msg}, while {context} that starts here");
                pos = Some((line, column));
            } else {
                msg = format!("{msg}, while {context} that starts at line {line}");
            }
        }
        // serde names the Rust type a mapping is read into (`expected struct RawAffected`)
        const STRUCT: &str = "expected struct ";
        if let Some(at) = msg.find(STRUCT) {
            let name = at + STRUCT.len();
            let name_end = msg[name..]
                .find(|c: char| !c.is_alphanumeric() && c != '_')
                .map_or(msg.len(), |i| name + i);
            msg.replace_range(at..name_end, "expected a mapping");
        }
        // A key written twice: yaml_serde points at the mapping; the second key is
        // the one to remove.
        let twice = duplicated_key(&msg);
        if let (Some(key), Some(l)) = (&twice, e.location())
            && let Some(at) = second_key(
                yaml,
                crate::diag::offset_of(yaml, l.line(), l.column()),
                key,
            )
        {
            let (line, column) = crate::diag::line_column(yaml, at);
            pos = Some((line + first_line - 1, column));
        }
        // A tab that indents a line: the scanner takes it for the start of a value
        if msg.starts_with("found character that cannot start any token")
            && e.location().is_some_and(|l| {
                tab_in_indentation(yaml, crate::diag::offset_of(yaml, l.line(), l.column()))
            })
        {
            msg = "found a tab character in the indentation".to_string();
        }
        // A quote left open at the end of a value: the scanner reads on to the next
        // quote, lines below, and stops past it; the open quote is where the fix goes
        let syntax = [
            "did not find expected",
            "mapping values are not allowed",
            "could not find expected",
        ];
        let unclosed = e
            .location()
            .filter(|_| syntax.iter().any(|s| msg.starts_with(s)))
            .and_then(|l| {
                unclosed_quote_before(yaml, crate::diag::offset_of(yaml, l.line(), l.column()))
            })
            // or never closed at all: the scanner met the end of the input in it
            .or_else(|| {
                let (line, column) = pos?;
                let at = crate::diag::offset_of(yaml, line + 1 - first_line, column);
                let quote = yaml[at..].chars().next()?;
                let in_quotes = msg.ends_with("while scanning a quoted scalar that starts here");
                (in_quotes && matches!(quote, '"' | '\'')).then_some((at, quote))
            });
        if let Some((at, quote)) = unclosed {
            let (line, column) = crate::diag::line_column(yaml, at);
            msg = format!("the quoted value that starts here has no closing `{quote}` on its line");
            pos = Some((line + first_line - 1, column));
        }
        let help = match (twice, unclosed) {
            (Some(key), _) => Some(format!(
                "`{key}` is already set above in the same mapping: keep one of the two"
            )),
            (None, Some((_, '"'))) => {
                Some("end the value with `\"` (and write a `\"` inside it as `\\\"`)".to_string())
            }
            (None, Some(_)) => {
                Some("end the value with `'` (and write a `'` inside it as `''`)".to_string())
            }
            (None, None) => yaml_help(&msg),
        };
        // libyaml names a character YAML does not allow by its byte offset only: name it
        // and its place
        let mut help = help;
        if msg.starts_with("control characters are not allowed")
            && let Some((at, c)) = yaml.char_indices().find(|&(_, c)| !yaml_printable(c))
        {
            let (line, column) = crate::diag::line_column(yaml, at);
            msg = format!(
                "the control character U+{:04X} is not allowed in YAML",
                u32::from(c)
            );
            pos = Some((line + first_line - 1, column));
            help = Some(
                "delete it: most editors do not show it (it often comes from a copy and paste)"
                    .to_string(),
            );
        }
        let problem = Problem::error(file, msg).at_opt(pos);
        match help {
            Some(help) => problem.help(help),
            None => problem,
        }
    })
}

/// Whether YAML 1.1 allows `c` in a stream (its `c-printable`, which libyaml applies):
/// tab, line feed, carriage return, the printable ASCII characters, NEL, and every other
/// character but the C1 controls, surrogates and U+FFFE, U+FFFF.
fn yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// The byte offset and the quote of a quoted value that opens on a line above `error`
/// (byte offset of a syntax error in `yaml`), does not close on its own line and closes
/// first on the error's line or below, the nearest such: `title: "Advisory 954474` with
/// its closing quote forgotten, which the scanner closes with the next value's opening
/// quote. Only a value that starts with its quote (`key: "…`, `- '…`) counts, so an
/// apostrophe in plain text (`title: It's`) is no quote.
fn unclosed_quote_before(yaml: &str, error: usize) -> Option<(usize, char)> {
    let error_line = yaml[..error.min(yaml.len())].rfind('\n')?;
    let mut end = error_line;
    for line in yaml[..error_line].split_inclusive('\n').rev() {
        let start = end - line.len();
        end = start;
        let body = line.trim_end_matches(['\n', '\r']);
        let Some(value_at) = quoted_value_start(body) else {
            continue;
        };
        let quote = char::from(body.as_bytes()[value_at]);
        let open = start + value_at;
        let close = closing_quote(&yaml[open + 1..], quote).map(|i| open + 1 + i);
        let unclosed = close.is_none_or(|c| c > error_line);
        // (a value closed above the error's line is not in the scanner's way)
        return unclosed.then_some((open, quote));
    }
    None
}

/// Where the value of a `key: …` or `- …` line starts, when it starts with a quote.
fn quoted_value_start(line: &str) -> Option<usize> {
    let trimmed = line.trim_start_matches(' ');
    let indent = line.len() - trimmed.len();
    let value = if let Some(rest) = trimmed.strip_prefix("- ") {
        indent + 2 + (rest.len() - rest.trim_start_matches(' ').len())
    } else {
        let colon = trimmed.find(": ")?;
        // (a quoted key, `"1.0": …`, is a key, not the value)
        let after = &trimmed[colon + 1..];
        indent + colon + 1 + (after.len() - after.trim_start_matches(' ').len())
    };
    matches!(line.as_bytes().get(value), Some(b'"' | b'\'')).then_some(value)
}

/// The byte offset in `rest` (what follows an opening `quote`) of the quote that closes
/// it: a `"` not escaped by `\\`, or a `'` not doubled.
fn closing_quote(rest: &str, quote: char) -> Option<usize> {
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                chars.next();
            }
            c if c == quote => return Some(i),
            _ => {}
        }
    }
    None
}

/// At most this many problems are reported from one file's YAML.
const MAX_PROBLEMS: usize = 20;

/// Parses YAML into `T` like [`parse_yaml`], but reports every problem of the
/// document's top-level keys, not only the first: when the YAML itself is well formed,
/// the key whose value has a problem is set aside (its lines blanked) and the rest read
/// again, until it reads or no key can be set aside. A syntax error stops the reading
/// at once: what follows it cannot be read.
/// `required`: the document's top-level fields that `T` cannot do without, each reported
/// when missing (serde names only the first it misses).
pub(crate) fn parse_yaml_all<T: DeserializeOwned>(
    yaml: &str,
    file: &Path,
    first_line: usize,
    required: &[&str],
) -> Result<T, Vec<Problem>> {
    parse_yaml_repairing(yaml, file, first_line, required).map_err(|(problems, _)| problems)
}

/// A document that did not read, read again after repairs: its misspelt keys respelt, the
/// keys it could not read set aside (blanked, every line kept where it was).
#[derive(Debug)]
pub(crate) struct Repaired<T> {
    pub(crate) value: T,
    /// The repaired text, line for line the document's, in which to find where a problem of
    /// `value` is: a key set aside is not there (nor a stand-in for a missing field), so
    /// no problem is shown at a place that does not say what was read.
    pub(crate) text: String,
    /// No key was set aside: every value the document gives is in `value` (misspelt keys
    /// respelt, missing fields stood in for), so other files can be checked against it.
    pub(crate) complete: bool,
}

/// A document read, or its problems and, when it then read, the document read after
/// repairs (boxed: a large value carried only on failure).
pub(crate) type Repairing<T> = Result<T, (Vec<Problem>, Option<Box<Repaired<T>>>)>;

/// The problems of a document that did not read (a [`Repairing`] error): its own, then
/// those `check` finds in its reading after repairs that are at a place in the file,
/// which concern what is written there, not what a key set aside would have said.
pub(crate) fn with_repaired_problems<T>(
    (mut problems, repaired): (Vec<Problem>, Option<Box<Repaired<T>>>),
    check: impl FnOnce(T, &str, bool, &mut Vec<Problem>),
) -> Vec<Problem> {
    if let Some(r) = repaired {
        let mut more = Vec::new();
        check(r.value, &r.text, r.complete, &mut more);
        problems.extend(more.into_iter().filter(|p| p.line.is_some()));
    }
    problems
}

/// [`parse_yaml_all`], which on failure also gives the document read after repairs, when
/// it then reads: its values can still be checked for problems of their own, which would
/// otherwise show only once the first ones are fixed.
pub(crate) fn parse_yaml_repairing<T: DeserializeOwned>(
    yaml: &str,
    file: &Path,
    first_line: usize,
    required: &[&str],
) -> Result<T, (Vec<Problem>, Option<Repaired<T>>)> {
    let first = match parse_yaml::<T>(yaml, file, first_line) {
        Ok(v) => return Ok(v),
        Err(p) => p,
    };
    let well_formed = |text: &str| serde_yaml::from_str::<serde::de::IgnoredAny>(text).is_ok();
    let mut problems = vec![first];
    if !well_formed(yaml) {
        return Err((problems, None));
    }
    let mut repaired = None;
    let mut text = yaml.to_string();
    let mut set_aside: Vec<String> = Vec::new();
    while problems.len() < MAX_PROBLEMS {
        let last = problems.last().expect("one problem at least");
        // a missing top-level field is found once every key was read: nothing follows it
        if top_level_missing_field(&last.message).is_some() {
            break;
        }
        let Some(line) = last.line.and_then(|l| (l + 1).checked_sub(first_line)) else {
            break;
        };
        // a misspelt key with one likely meaning is read under that name, so its value is
        // checked too and nothing else is set aside; otherwise its top-level block is
        let read = if let Some((respelt, read)) = respelt_key(&text, last, line, file, first_line) {
            text = respelt;
            read
        } else {
            let Some((key, range)) = top_level_block(&text, line) else {
                break;
            };
            // blanks keep every other line where it was, so problems stay located
            let blank: String = text[range.clone()]
                .chars()
                .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
                .collect();
            text.replace_range(range, &blank);
            set_aside.push(key);
            parse_yaml::<T>(&text, file, first_line)
        };
        let next = match read {
            Ok(value) => {
                let complete = set_aside.is_empty();
                repaired = Some(Repaired {
                    value,
                    text,
                    complete,
                });
                break;
            }
            Err(_) if !well_formed(&text) => break,
            Err(p) => p,
        };
        // a field the document must have is missing only because it was set aside, or
        // because it is misspelt, which an earlier problem says ("did you mean `x`?")
        if let Some(field) = top_level_missing_field(&next.message)
            && (set_aside.contains(&field) || misspelling_said(&problems, &field))
        {
            break;
        }
        if problems
            .iter()
            .any(|p| (&p.message, p.line) == (&next.message, next.line))
        {
            break;
        }
        problems.push(next);
    }
    add_missing_fields(&mut problems, yaml, first_line, required);
    Err((problems, repaired))
}

/// `text` with the key that `problem` reports unknown (at 1-based `line` of `text`)
/// renamed to the allowed field it most likely meant (`knid` to `kind`, `numbr` to
/// `number`), for the document to be read as its author meant it, and that reading;
/// `None` when the problem is no such misspelling, the key is not where the problem
/// points, or the mapping has that field already.
fn respelt_key<T: DeserializeOwned>(
    text: &str,
    problem: &Problem,
    line: usize,
    file: &Path,
    first_line: usize,
) -> Option<(String, Result<T, Problem>)> {
    let (field, meant) = meant_field(&problem.message)?;
    let at = crate::diag::offset_of(text, line, problem.column?);
    let rest = &text[at..];
    let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''));
    let key_at = at + quote.map_or(0, char::len_utf8);
    let after = text[key_at..].strip_prefix(field.as_str())?;
    let ends = match quote {
        Some(q) => after.starts_with(q),
        None => after.trim_start_matches(' ').starts_with(':'),
    };
    if !ends {
        return None;
    }
    let mut respelt = text.to_string();
    respelt.replace_range(key_at..key_at + field.len(), meant);
    match parse_yaml::<T>(&respelt, file, first_line) {
        // the field is there already: the two would be one key written twice
        Err(p) if duplicated_key(&p.message).is_some() => None,
        read => Some((respelt, read)),
    }
}

/// Adds a "missing field" problem for every field of `required` that the document (well
/// formed, its problems in `problems`) lacks, at the start of its mapping (`first_line`),
/// unless a problem already names it (`did you mean `kind`?` for a misspelt `knid`): serde
/// names only the first field it misses, and none when another problem stopped it.
fn add_missing_fields(
    problems: &mut Vec<Problem>,
    yaml: &str,
    first_line: usize,
    required: &[&str],
) {
    let Some(file) = problems.first().map(|p| p.file.clone()) else {
        return;
    };
    let Ok(mapping) = serde_yaml::from_str::<serde_yaml::Mapping>(yaml) else {
        return;
    };
    for field in required {
        let said = problems
            .iter()
            .any(|p| top_level_missing_field(&p.message).as_deref() == Some(*field))
            || misspelling_said(problems, field);
        if mapping.contains_key(*field) || said {
            continue;
        }
        let message = format!("missing field `{field}`");
        let p = Problem::error(&file, &message).at(first_line, 1);
        problems.push(match yaml_help(&message) {
            Some(help) => p.help(help),
            None => p,
        });
    }
}

/// The top-level key whose block holds 1-based `line` of `yaml`, and the block's bytes:
/// from the key's line to the next line that starts in the first column (comments and
/// blank lines aside). `None` when `line` is above the first key or the document is not
/// a mapping written one key per line.
fn top_level_block(yaml: &str, line: usize) -> Option<(String, std::ops::Range<usize>)> {
    let lines: Vec<(usize, &str)> = yaml
        .split_inclusive('\n')
        .scan(0, |at, l| {
            let start = *at;
            *at += l.len();
            Some((start, l))
        })
        .collect();
    let starts_key = |l: &str| {
        let first = l.chars().next().unwrap_or(' ');
        !matches!(first, ' ' | '\t' | '\r' | '\n' | '#' | '-' | '{' | '[')
    };
    let index = line.checked_sub(1)?.min(lines.len().checked_sub(1)?);
    let start = (0..=index).rev().find(|&i| starts_key(lines[i].1))?;
    let end = (start + 1..lines.len())
        .find(|&i| starts_key(lines[i].1))
        .map_or(yaml.len(), |i| lines[i].0);
    let key_line = lines[start].1;
    let key = key_line.split_once(':')?.0.trim().trim_matches(['"', '\'']);
    Some((key.to_string(), lines[start].0..end))
}

/// Whether byte `at` of `text` is within the blanks that start its line, and they hold
/// a tab.
fn tab_in_indentation(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
    let line = &text[line_start..];
    let lead = &line[..line.find(|c| c != ' ' && c != '\t').unwrap_or(line.len())];
    at - line_start < lead.len() && lead.contains('\t')
}

/// Where `key` is written a second time as a key of the mapping that starts at byte
/// `from`: the next time it stands as a key (at the start of a line, after `- `, `{` or
/// `,`, optionally quoted, followed by `:`) in the column of its first time, or on the
/// same line for a `{ … }` mapping.
fn second_key(yaml: &str, from: usize, key: &str) -> Option<usize> {
    let text = yaml.get(from..)?;
    let mut first: Option<(usize, usize)> = None; // (line, column)
    for (i, _) in text.match_indices(key) {
        let mut start = i;
        let mut end = i + key.len();
        let bytes = text.as_bytes();
        if start > 0
            && end < text.len()
            && matches!(bytes[start - 1], b'"' | b'\'')
            && bytes[end] == bytes[start - 1]
        {
            start -= 1;
            end += 1;
        }
        let after = text[end..].trim_start_matches(' ');
        if !after.starts_with(':') {
            continue;
        }
        let before = text[..start].trim_end_matches(' ');
        let line_start = before.rfind('\n').map_or(0, |n| n + 1);
        let lead = &before[line_start..];
        let is_key = lead.is_empty()
            || lead.ends_with('-') && lead[..lead.len() - 1].trim().is_empty()
            || lead.ends_with('{')
            || lead.ends_with(',');
        if !is_key {
            continue;
        }
        let (line, column) = crate::diag::line_column(yaml, from + start);
        match first {
            None => first = Some((line, column)),
            Some((l, c)) if c == column || l == line => return Some(from + start),
            Some(_) => {}
        }
    }
    None
}

/// The numbers in yaml_serde's "X column Y".
fn line_column(at: &str) -> Option<(usize, usize)> {
    let (line, column) = at.split_once(" column ")?;
    let digits = |s: &str| -> Option<usize> {
        let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        s[..end].parse().ok()
    };
    Some((digits(line)?, digits(column)?))
}

/// What to do about a YAML error, from yaml_serde's message: a missing field, a mistyped
/// one (the allowed field it most likely meant), a value of the wrong type, or a syntax
/// error the YAML scanner stopped at. `None` for an unknown field that is no near miss
/// (the callers know which fields are allowed) and for anything else.
fn yaml_help(msg: &str) -> Option<String> {
    if let Some(field) = quoted_after(msg, "missing field `") {
        return Some(format!("add `{field}:` to the mapping that starts here"));
    }
    // a merge key read as a key of a mapping whose keys are free (`revision_notes.<<: …`)
    let merge_path = msg
        .split_once(": ")
        .is_some_and(|(path, _)| path == "<<" || path.ends_with(".<<"));
    if merge_path || unknown_field(msg).as_deref() == Some("<<") {
        return Some(
            "YAML merge keys (`<<: *name`) are not read: write the keys out in this mapping (an alias `*name` for a whole value does work)"
                .to_string(),
        );
    }
    if unknown_field(msg).is_some() {
        let guess = meant_field(msg).map(|(_, meant)| format!("did you mean `{meant}`?"));
        // a field of a nested mapping (`revisions[1]: unknown field …`): the callers' lists
        // of top-level keys would mislead
        if guess.is_none() && top_level_unknown_field(msg).is_none() {
            return Some("rename it to one of the fields listed, or remove it".to_string());
        }
        return guess;
    }
    if let Some((key, rest)) = msg.split_once("invalid type: ") {
        let key = key.strip_suffix(": ").unwrap_or("");
        let (found, expected) = rest.split_once(", expected ")?;
        if (found == "sequence" || found == "map") && expected.starts_with("a string") {
            return Some(
                "YAML reads a value that starts with `[` as a list and one that starts with `{` as a mapping: if the brackets or braces belong to the text, put the whole value in double quotes, e.g. `\"[Draft] …\"`; otherwise remove them"
                    .to_string(),
            );
        }
        // serde's names for YAML's shapes, in YAML's words
        let expected = if expected == "a sequence" {
            "a list: `[a, b]`, or one `- item` per line"
        } else if expected == "a map" || expected == "a mapping" {
            "a mapping: `key: value` lines, indented under it"
        } else {
            expected
        };
        return Some(if key.is_empty() {
            format!("write {expected} here")
        } else {
            format!("`{key}` takes {expected}")
        });
    }
    // libyaml's own words for the syntax errors a hand-edited value most often makes
    const QUOTE: &str = "put the value in double quotes (and write a `\"` inside it as `\\\"`)";
    if msg.starts_with("mapping values are not allowed") {
        Some(format!("a value that holds `: ` must be quoted: {QUOTE}"))
    } else if msg.starts_with("found character that cannot start any token") {
        Some(format!(
            "a value cannot start with `@`, `` ` ``, `%` or a tab unless it is quoted: {QUOTE}"
        ))
    } else if msg.starts_with("found a tab character") {
        Some("indent with spaces: YAML does not allow tabs in indentation".to_string())
    } else if msg.starts_with("found unknown escape character") {
        Some(
            "inside double quotes `\\` starts an escape: write `\\\\` for a backslash, or put the value in single quotes"
                .to_string(),
        )
    } else if msg.starts_with("did not find expected")
        || msg.starts_with("found unexpected end of stream")
        || msg.starts_with("found unexpected document indicator")
    {
        Some(
            "check the quotes and the indentation here and on the line above: a quote must be closed at the end of its value, and keys of one mapping start in the same column"
                .to_string(),
        )
    } else {
        None
    }
}

/// The top-level keys whose values differ between the YAML mappings `old` and `new`
/// (present in one only, or with other values), in `new`'s order and then `old`'s; none
/// when either is not a mapping.
pub(crate) fn top_level_differences(old: &str, new: &str) -> Vec<String> {
    let read = |text: &str| match serde_yaml::from_str::<serde_yaml::Value>(text) {
        Ok(serde_yaml::Value::Mapping(m)) => Some(m),
        _ => None,
    };
    let (Some(old), Some(new)) = (read(old), read(new)) else {
        return Vec::new();
    };
    let name = |k: &serde_yaml::Value| match k {
        serde_yaml::Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    };
    let mut keys: Vec<String> = Vec::new();
    for (k, v) in &new {
        if old.get(k) != Some(v) {
            keys.push(name(k));
        }
    }
    for (k, _) in &old {
        if !new.contains_key(k) {
            keys.push(name(k));
        }
    }
    keys
}

/// Finds the 1-based (line, column) of a value in YAML source by searching for each
/// needle in turn, each after the previous one: e.g. `["log_checks:", "id: x", "regex:"]`.
/// A needle that is a single word (letters, digits, `_`, `-`, such as a signal name) is
/// found only as a whole word: `a` is not the `a` of `legacy_sync`. Returns the position
/// of the last needle found, or `None` if the first is absent.
pub(crate) fn locate(src: &str, needles: &[&str], first_line: usize) -> Option<(usize, usize)> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let find = |hay: &str, n: &str| {
        if n.is_empty() || !n.chars().all(is_word) {
            return hay.find(n);
        }
        hay.match_indices(n).map(|(i, _)| i).find(|&i| {
            !hay[..i].chars().next_back().is_some_and(is_word)
                && !hay[i + n.len()..].chars().next().is_some_and(is_word)
        })
    };
    let mut from = 0;
    let mut found = None;
    for n in needles {
        match find(&src[from..], n) {
            Some(i) => {
                found = Some(from + i);
                from += i + n.len();
            }
            None => break,
        }
    }
    let (line, column) = crate::diag::line_column(src, found?);
    Some((line + first_line - 1, column))
}

/// Reads a mapping into a `BTreeMap`, refusing a key written twice (YAML forbids it;
/// serde's map would keep the last value without a word). Use with
/// `#[serde(deserialize_with = "unique_map")]`.
pub(crate) fn unique_map<'de, D, K, V>(d: D) -> Result<std::collections::BTreeMap<K, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    K: serde::Deserialize<'de> + Ord + std::fmt::Display,
    V: serde::Deserialize<'de>,
{
    d.deserialize_map(UniqueMapVisitor(std::marker::PhantomData))
}

/// [`unique_map`] for a mapping of mappings (`log_check_messages`), both levels checked.
pub(crate) fn unique_nested_map<'de, D, K, K2, V>(
    d: D,
) -> Result<std::collections::BTreeMap<K, std::collections::BTreeMap<K2, V>>, D::Error>
where
    D: serde::Deserializer<'de>,
    K: serde::Deserialize<'de> + Ord + std::fmt::Display,
    K2: serde::Deserialize<'de> + Ord + std::fmt::Display,
    V: serde::Deserialize<'de>,
{
    let outer: std::collections::BTreeMap<K, UniqueMap<K2, V>> = unique_map(d)?;
    Ok(outer.into_iter().map(|(k, v)| (k, v.0)).collect())
}

/// The error for a key written twice in one mapping; `parse_yaml` recognizes it and
/// points at the second key.
pub(crate) fn duplicate_key<E: serde::de::Error>(key: impl std::fmt::Display) -> E {
    E::custom(format!("duplicate key `{key}`"))
}

/// An inner map of [`unique_nested_map`].
struct UniqueMap<K, V>(std::collections::BTreeMap<K, V>);

impl<'de, K, V> serde::Deserialize<'de> for UniqueMap<K, V>
where
    K: serde::Deserialize<'de> + Ord + std::fmt::Display,
    V: serde::Deserialize<'de>,
{
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        unique_map(d).map(UniqueMap)
    }
}

struct UniqueMapVisitor<K, V>(std::marker::PhantomData<(K, V)>);

impl<'de, K, V> serde::de::Visitor<'de> for UniqueMapVisitor<K, V>
where
    K: serde::Deserialize<'de> + Ord + std::fmt::Display,
    V: serde::Deserialize<'de>,
{
    type Value = std::collections::BTreeMap<K, V>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a mapping")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = std::collections::BTreeMap::new();
        while let Some(key) = map.next_key::<K>()? {
            if out.contains_key(&key) {
                return Err(duplicate_key(key));
            }
            let value = map.next_value()?;
            out.insert(key, value);
        }
        Ok(out)
    }
}

/// Needles for [`locate`] that find the place where `value` is written for the
/// `(earlier + 1)`-th time after `section` (a revision number or locale repeated in a
/// list is reported where it repeats, not where it first stands).
pub(crate) fn nth_place<'a>(section: &'a str, value: &'a str, earlier: usize) -> Vec<&'a str> {
    let mut needles = vec![section];
    needles.extend(std::iter::repeat_n(value, earlier + 1));
    needles
}

/// The errors of [`crate::diag::bidi_control_problems`] for the bidi controls written as
/// YAML escapes in double-quoted values (`"\u202E"`, `"\U0000202E"`), which YAML decodes
/// into the value while the file's text shows no control ("Trojan Source"). `first_line`
/// is the file's line where `yaml` starts.
pub(crate) fn escaped_bidi_controls(yaml: &str, file: &Path, first_line: usize) -> Vec<Problem> {
    let control_at = |i: usize| {
        let digits = match yaml.as_bytes().get(i + 1) {
            Some(b'u') => 4,
            Some(b'U') => 8,
            _ => return None,
        };
        let hex = yaml.get(i + 2..i + 2 + digits)?;
        let c = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)?;
        crate::diag::is_bidi_control(c).then_some((i, c))
    };
    // (most documents have no such escape, and are not read for quoting)
    if !memchr::memchr_iter(b'\\', yaml.as_bytes()).any(|i| control_at(i).is_some()) {
        return Vec::new();
    }
    let escapes = double_quoted_escapes(yaml)
        .into_iter()
        .filter_map(control_at);
    crate::diag::bidi_problems_at(
        yaml,
        file,
        first_line,
        escapes,
        ", written as a YAML escape,",
    )
}

/// The byte offsets of the `\\` of each escape inside a double-quoted scalar of `yaml`,
/// found by a light reading of YAML's quoting: a `"` opens one where a value or key can
/// start (after `: `, `- `, `[`, `{`, `,`, `? ` or indentation), not in a plain scalar, a
/// single-quoted one or a comment. (A block scalar's lines are taken for plain text.)
fn double_quoted_escapes(yaml: &str) -> Vec<usize> {
    #[derive(PartialEq)]
    enum State {
        Plain,
        Double,
        Single,
        Comment,
    }
    let bytes = yaml.as_bytes();
    let mut found = Vec::new();
    let mut state = State::Plain;
    // the last byte of the line before `i` that is not a space, in plain state
    let mut before: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match state {
            State::Double => match b {
                b'\\' => {
                    found.push(i);
                    i += 1;
                }
                b'"' => {
                    state = State::Plain;
                    before = Some(b'"');
                }
                _ => {}
            },
            State::Single => {
                if b == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 1;
                    } else {
                        state = State::Plain;
                        before = Some(b'\'');
                    }
                }
            }
            State::Comment => {
                if b == b'\n' {
                    state = State::Plain;
                    before = None;
                }
            }
            State::Plain => match b {
                b'\n' => before = None,
                b' ' | b'\t' | b'\r' => {}
                b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                    state = State::Comment;
                }
                b'"' | b'\''
                    if matches!(before, None | Some(b':' | b'-' | b'[' | b'{' | b',' | b'?')) =>
                {
                    state = if b == b'"' {
                        State::Double
                    } else {
                        State::Single
                    };
                }
                _ => before = Some(b),
            },
        }
        i += 1;
    }
    found
}

/// A YAML scalar kept as the text written: `id: 954474`, `number: 1.10` (not `1.1`),
/// `kb: [0x1F]` (not `31`, which a KB check would then take for an article number).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Scalar(pub(crate) String);

impl std::fmt::Display for Scalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a value")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scalar, E> {
                // (what YAML reads as null is no value to show; an empty one is the
                // checks' to refuse, each in its own words)
                match v {
                    "~" | "null" | "Null" | "NULL" => {
                        Err(E::invalid_type(serde::de::Unexpected::Unit, &self))
                    }
                    v => Ok(Scalar(v.to_string())),
                }
            }
        }
        // (YAML gives a plain scalar's text as written when asked for a string, where
        // `deserialize_any` would read `0x1F` as 31 and `1.10` as 1.1)
        d.deserialize_str(V)
    }
}

/// An optional scalar that, where its key is written, must have a value: `key: ~` is
/// refused as [`Scalar`] refuses it, where `Option` reads it as the key left out.
fn written_scalar<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Scalar>, D::Error> {
    <Scalar as serde::Deserialize>::deserialize(d).map(Some)
}

/// `content/site.yaml` as written.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSite {
    /// One title for every locale, or one per locale.
    pub(crate) title: RawTitle,
    pub(crate) base_url: String,
    pub(crate) default_locale: String,
    pub(crate) locales: Vec<String>,
    #[serde(default, deserialize_with = "unique_map")]
    pub(crate) fallbacks: std::collections::BTreeMap<String, Vec<String>>,
    /// Advisories per index page (0: all on one page).
    #[serde(default)]
    pub(crate) paginate_by: Option<usize>,
    /// Entries per feed (0: all).
    #[serde(default)]
    pub(crate) feed_limit: Option<usize>,
}

/// A site title: the same for all locales, or per locale.
#[derive(Debug)]
pub(crate) enum RawTitle {
    One(String),
    PerLocale(std::collections::BTreeMap<String, String>),
}

/// Read by hand, not as an untagged enum, whose one error for every mistake ("data did
/// not match any variant of untagged enum") names neither the entry nor what is wrong: a
/// locale written twice, a title that is not text.
impl<'de> serde::Deserialize<'de> for RawTitle {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TitleVisitor;
        impl<'de> serde::de::Visitor<'de> for TitleVisitor {
            type Value = RawTitle;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a title, or a mapping of locales to titles")
            }

            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<RawTitle, E> {
                Ok(RawTitle::One(s.to_string()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawTitle, A::Error> {
                UniqueMapVisitor(std::marker::PhantomData)
                    .visit_map(map)
                    .map(RawTitle::PerLocale)
            }
        }
        d.deserialize_any(TitleVisitor)
    }
}

/// `advisory.yaml` as written: the language-neutral facts.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAdvisory {
    pub(crate) id: Scalar,
    pub(crate) kind: String,
    pub(crate) published: String,
    #[serde(default)]
    pub(crate) updated: Option<String>,
    #[serde(default)]
    pub(crate) kb: Vec<Scalar>,
    #[serde(default)]
    pub(crate) cves: Vec<String>,
    #[serde(default)]
    pub(crate) affected: Vec<RawAffected>,
    #[serde(default)]
    pub(crate) revisions: Vec<RawRevision>,
    #[serde(default)]
    pub(crate) references: Vec<RawReference>,
    #[serde(default, deserialize_with = "unique_map")]
    pub(crate) legacy_urls: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub(crate) conflicts: Vec<RawConflict>,
    #[serde(default)]
    pub(crate) log_checks: Vec<crate::checker::RawCheck>,
}

/// One affected product.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawAffected {
    pub(crate) product: String,
    #[serde(default)]
    pub(crate) versions: Vec<Scalar>,
}

/// An affected product's name in a translation's language.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProductName {
    pub(crate) product: String,
    pub(crate) name: String,
}

/// One revision: number and date.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRevision {
    pub(crate) number: Scalar,
    pub(crate) date: String,
}

/// One reference: URL and type.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReference {
    pub(crate) url: String,
    #[serde(rename = "type")]
    pub(crate) kind: String,
}

/// One recorded disagreement between imported sources.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConflict {
    pub(crate) field: String,
    pub(crate) locale: String,
    pub(crate) value: Scalar,
}

/// A translation's front matter: translatable text only.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawTranslation {
    pub(crate) title: String,
    #[serde(default)]
    pub(crate) summary: Option<String>,
    /// (`~` is refused, not read as the key left out: a translation that does not say
    /// is taken as current, so a null would hide that it is stale)
    #[serde(default, deserialize_with = "written_scalar")]
    pub(crate) translated_from_revision: Option<Scalar>,
    #[serde(default, deserialize_with = "unique_map")]
    pub(crate) revision_notes: std::collections::BTreeMap<Scalar, String>,
    #[serde(default)]
    pub(crate) product_names: Vec<RawProductName>,
    #[serde(default, deserialize_with = "unique_nested_map")]
    pub(crate) log_check_messages:
        std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>,
}

/// Keys of `advisory.yaml`: a translation that sets one gets a hint to move it.
pub(crate) const META_KEYS: &[&str] = &[
    "id",
    "kind",
    "published",
    "updated",
    "kb",
    "cves",
    "affected",
    "revisions",
    "references",
    "legacy_urls",
    "conflicts",
    "log_checks",
];

/// Parses a translation's front matter; an unknown field that belongs in
/// `advisory.yaml` gets a hint saying so.
#[cfg(test)]
pub(crate) fn parse_translation(
    yaml: &str,
    file: &Path,
    first_line: usize,
) -> Result<RawTranslation, Vec<Problem>> {
    parse_translation_repairing(yaml, file, first_line).map_err(|(problems, _)| problems)
}

/// [`parse_translation`], which on failure also gives the front matter read after
/// repairs, as [`parse_yaml_repairing`] gives it; a missing `title` gets a stand-in, so
/// the values of the other keys can still be checked.
pub(crate) fn parse_translation_repairing(
    yaml: &str,
    file: &Path,
    first_line: usize,
) -> Repairing<RawTranslation> {
    let each = |p: Problem| {
        let field = top_level_unknown_field(&p.message);
        match field {
            Some(f) if META_KEYS.contains(&f.as_str()) => p.help(format!(
                "`{f}` is a language-neutral fact: write it once in `advisory.yaml`, not in a translation"
            )),
            Some(_) => p.or_help(
                "a translation may set only `title`, `summary`, `translated_from_revision`, `revision_notes`, `product_names` and `log_check_messages`",
            ),
            None => p,
        }
    };
    let stand_ins = [("title", "\"-\"")];
    let (all, repaired) =
        match parse_yaml_repairing::<RawTranslation>(yaml, file, first_line, &["title"]) {
            Ok(raw) => return Ok(raw),
            Err(failed) => failed,
        };
    let repaired = repaired.or_else(|| read_with_stand_ins(yaml, file, first_line, &stand_ins));
    Err((all.into_iter().map(each).collect(), repaired.map(Box::new)))
}

/// Parses `advisory.yaml`, with a hint for translatable fields written there.
#[cfg(test)]
pub(crate) fn parse_advisory(yaml: &str, file: &Path) -> Result<RawAdvisory, Vec<Problem>> {
    parse_advisory_repairing(yaml, file, "A").map_err(|(problems, _)| problems)
}

/// Parses `advisory.yaml`, with a hint for translatable fields written there; on failure
/// also the document read after repairs, as [`parse_yaml_repairing`] gives it. A
/// required field missing stops that reading, so the document is then read again with a
/// valid stand-in for each (`id` is `folder_id`; `published` the earliest date, so no
/// date written is found before it), for its values to be checked all the same.
pub(crate) fn parse_advisory_repairing(
    yaml: &str,
    file: &Path,
    folder_id: &str,
) -> Repairing<RawAdvisory> {
    let each = |p: Problem| match top_level_unknown_field(&p.message) {
        Some(f)
            if [
                "title",
                "summary",
                "revision_notes",
                "product_names",
                "log_check_messages",
                "translated_from_revision",
            ]
            .contains(&f.as_str()) =>
        {
            p.help(format!(
                "`{f}` is translatable: write it in each `<locale>.md` front matter"
            ))
        }
        Some(_) => p.or_help(format!(
            "allowed keys: {}",
            crate::diag::code_list(META_KEYS)
        )),
        None => p,
    };
    let id = format!("\"{folder_id}\"");
    let stand_ins = [
        ("id", id.as_str()),
        ("kind", "security"),
        ("published", "0001-01-01"),
    ];
    let required = stand_ins.map(|(field, _)| field);
    let (all, repaired) = match parse_yaml_repairing::<RawAdvisory>(yaml, file, 1, &required) {
        Ok(raw) => return Ok(raw),
        Err(failed) => failed,
    };
    let repaired = repaired.or_else(|| read_with_stand_ins(yaml, file, 1, &stand_ins));
    Err((all.into_iter().map(each).collect(), repaired.map(Box::new)))
}

/// `yaml` read again, as [`parse_yaml_repairing`] reads it, with a valid stand-in value
/// from `stand_ins` added for each required field the document does not have (missing, or
/// misspelt), for the values of its other keys to be checked all the same. `None` when no
/// field is missing or the document still does not read.
fn read_with_stand_ins<T: DeserializeOwned>(
    yaml: &str,
    file: &Path,
    first_line: usize,
    stand_ins: &[(&str, &str)],
) -> Option<Repaired<T>> {
    let mapping = serde_yaml::from_str::<serde_yaml::Mapping>(yaml).ok()?;
    let mut stood_in = yaml.trim_end_matches(['\n', '\r']).to_string();
    let mut missing = false;
    for (field, value) in stand_ins {
        if !mapping.contains_key(*field) {
            stood_in.push_str(&format!("\n{field}: {value}"));
            missing = true;
        }
    }
    if !missing {
        return None;
    }
    let required: Vec<&str> = stand_ins.iter().map(|(f, _)| *f).collect();
    let lines = yaml.trim_end_matches(['\n', '\r']).lines().count();
    let (value, text, complete) =
        match parse_yaml_repairing::<T>(&stood_in, file, first_line, &required) {
            Ok(value) => (value, stood_in, true),
            Err((_, repaired)) => {
                let r = repaired?;
                (r.value, r.text, r.complete)
            }
        };
    // the stand-ins' lines are not the document's
    let text: String = text.split_inclusive('\n').take(lines).collect();
    Some(Repaired {
        value,
        text,
        complete,
    })
}

/// Parses `content/site.yaml`; on failure also the document read after repairs, as
/// [`parse_yaml_repairing`] gives it.
pub(crate) fn parse_site(yaml: &str, file: &Path) -> Repairing<RawSite> {
    let each = |p: Problem| {
        if top_level_unknown_field(&p.message).is_some() {
            p.or_help("allowed keys: `title`, `base_url`, `default_locale`, `locales`, `fallbacks`, `paginate_by`, `feed_limit`")
        } else if let Some(key) = ["paginate_by", "feed_limit"]
            .into_iter()
            .find(|k| p.message.starts_with(&format!("{k}: ")))
        {
            p.help(format!(
                "write a whole number, e.g. `{key}: 50`; `0` means no limit"
            ))
        } else {
            p
        }
    };
    let required = ["title", "base_url", "default_locale", "locales"];
    parse_yaml_repairing::<RawSite>(yaml, file, 1, &required).map_err(|(all, repaired)| {
        let all = all.into_iter().map(each).collect();
        (all, repaired.map(Box::new))
    })
}

/// The field that serde's "unknown field `x`, expected …" message names, and the allowed
/// field it most likely meant, when one is near enough (`knid`: `kind`).
fn meant_field(message: &str) -> Option<(String, &str)> {
    let field = unknown_field(message)?;
    // serde lists the allowed fields: "…, expected one of `a`, `b`" or "expected `a`"
    let expected = message.split_once(", expected ")?.1;
    let meant = crate::diag::closest(&field, expected.split('`').skip(1).step_by(2))?;
    Some((field, meant))
}

/// Whether a problem of `problems` is a misspelling of `field` (`knid` for `kind`), which
/// says all a "missing field" problem would.
fn misspelling_said(problems: &[Problem], field: &str) -> bool {
    problems
        .iter()
        .any(|p| meant_field(&p.message).is_some_and(|(_, meant)| meant == field))
}

/// The key that serde's message says is written twice in one mapping.
fn duplicated_key(message: &str) -> Option<String> {
    quoted_after(message, "duplicate field `").or_else(|| quoted_after(message, "duplicate key `"))
}

/// The field name in serde's "unknown field `x`, expected …" message.
fn unknown_field(message: &str) -> Option<String> {
    quoted_after(message, "unknown field `")
}

/// The same for a field of the document's top-level mapping: yaml_serde puts the path of a
/// nested one before the message (`revisions[1]: unknown field …`).
fn top_level_unknown_field(message: &str) -> Option<String> {
    message
        .starts_with("unknown field `")
        .then(|| unknown_field(message))
        .flatten()
}

/// The field in serde's "missing field `x`" for the document's top-level mapping (a nested
/// one's message starts with its path, `affected[0]: missing field …`).
fn top_level_missing_field(message: &str) -> Option<String> {
    message
        .starts_with("missing field `")
        .then(|| quoted_after(message, "missing field `"))
        .flatten()
}

/// The name between `` `…` `` that follows `prefix` (which ends with the opening quote)
/// in one of serde's messages.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.split(prefix).nth(1)?;
    Some(rest.split('`').next()?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Escapes count only in double quotes: not in a plain or single-quoted scalar, nor a
    /// comment.
    #[test]
    fn escapes_are_found_in_double_quoted_scalars_only() {
        let yaml = "a: \"x\\u1\" # \"c\\u2\"\nb: 'it''s \\u3'\nc: plain \\u4 \"q\\u5\"\n\
                    d: [\"e\\u6\", f]\n- \"g\\\"\\u7\"\n";
        let found: Vec<&str> = double_quoted_escapes(yaml)
            .into_iter()
            .map(|i| &yaml[i..i + 3])
            .collect();
        assert_eq!(found, ["\\u1", "\\u6", "\\\"\\", "\\u7"]);
    }

    /// Ids, KB numbers, versions and revision numbers are text as written: unquoted
    /// `1.10` is `1.10` (not 1.1), `0x1F` is `0x1F` (not 31), `0954474` keeps its zero.
    #[test]
    fn scalars_keep_the_text_written() {
        let yaml = "id: 0954474\nkind: security\npublished: 2008-06-13\nkb: [0x1F, 954474, \"12\"]\n\
                    affected:\n  - {product: P, versions: [1.10, 2.0, 3]}\n\
                    revisions:\n  - {number: 1.10, date: 2008-06-13}\n";
        let raw = parse_advisory(yaml, Path::new("advisory.yaml")).expect("reads");
        assert_eq!(raw.id.0, "0954474");
        let kb: Vec<&str> = raw.kb.iter().map(|k| k.0.as_str()).collect();
        assert_eq!(kb, ["0x1F", "954474", "12"]);
        let versions: Vec<&str> = raw.affected[0]
            .versions
            .iter()
            .map(|v| v.0.as_str())
            .collect();
        assert_eq!(versions, ["1.10", "2.0", "3"]);
        assert_eq!(raw.revisions[0].number.0, "1.10");
        let t = parse_translation(
            "title: T\ntranslated_from_revision: 1.10\nrevision_notes:\n  1.0: a\n",
            Path::new("es-ES.md"),
            2,
        )
        .expect("reads");
        assert_eq!(
            t.translated_from_revision.map(|r| r.0).as_deref(),
            Some("1.10")
        );
        let keys: Vec<&str> = t.revision_notes.keys().map(|k| k.0.as_str()).collect();
        assert_eq!(keys, ["1.0"]);
        // left out, it is none; written as null, it is refused (it was read as left out)
        let t = parse_translation("title: T\n", Path::new("es-ES.md"), 2).expect("reads");
        assert!(t.translated_from_revision.is_none());
        for null in ["~", "null", "NULL"] {
            let yaml = format!("title: T\ntranslated_from_revision: {null}\n");
            let err = parse_translation(&yaml, Path::new("es-ES.md"), 2).unwrap_err();
            assert!(
                err[0].message.contains("invalid type: unit value"),
                "{err:?}"
            );
            assert_eq!((err[0].line, err[0].column), (Some(3), Some(27)), "{err:?}");
        }
        // a list or a mapping is still no scalar, and neither is null or nothing
        for (yaml, said) in [
            ("id: [1]", "invalid type: sequence"),
            ("id: ~", "invalid type: unit value"),
            ("id: null", "invalid type: unit value"),
            (
                "id: '1'\naffected: [{product: P, versions: [~]}]",
                "invalid type: unit value",
            ),
            (
                "id: '1'\nrevisions: [{number: NULL, date: 2008-06-13}]",
                "invalid type: unit value",
            ),
        ] {
            let yaml = format!("{yaml}\nkind: security\npublished: 2008-06-13\n");
            let err = parse_advisory(&yaml, Path::new("advisory.yaml")).unwrap_err();
            assert!(err[0].message.contains(said), "{yaml}: {err:?}");
            assert!(err[0].message.contains("expected a value"), "{err:?}");
        }
    }

    #[test]
    fn top_level_differences_name_the_keys_whose_values_differ() {
        let old = "id: '1'\nkind: non-security\nkb: [1]\nnote: mine\n";
        let new = "id: '1'\nkind: security\nkb: [1]\nrevisions: []\n";
        assert_eq!(
            top_level_differences(old, new),
            ["kind", "revisions", "note"]
        );
        assert!(top_level_differences(new, new).is_empty());
        assert!(top_level_differences("- a\n", new).is_empty());
    }

    /// A mistake in a per-locale `title` is named at its entry: a locale written twice,
    /// a title that is a list (an untagged enum said only "data did not match any
    /// variant", at the `title:` line).
    #[test]
    fn a_per_locale_title_s_mistakes_are_named_at_the_entry() {
        let site = |title: &str| {
            format!("{title}base_url: https://x.org/\ndefault_locale: en-US\nlocales: [en-US]\n")
        };
        let file = Path::new("site.yaml");
        let twice = site("title:\n  en-US: A\n  en-US: B\n");
        let p = parse_yaml::<RawSite>(&twice, file, 1).unwrap_err();
        assert!(p.message.contains("duplicate key `en-US`"), "{p:?}");
        assert_eq!(p.line, Some(3), "{p:?}");
        assert!(p.help.unwrap().contains("keep one of the two"));
        let list = site("title:\n  en-US: [A]\n");
        let p = parse_yaml::<RawSite>(&list, file, 1).unwrap_err();
        assert!(
            p.message
                .contains("invalid type: sequence, expected a string"),
            "{p:?}"
        );
        assert_eq!(p.line, Some(2), "{p:?}");
        // a number is a title as written
        let number = parse_yaml::<RawSite>(&site("title:\n  en-US: 2024\n"), file, 1).unwrap();
        assert!(matches!(number.title, RawTitle::PerLocale(m) if m["en-US"] == "2024"));
        let list = site("title: [A]\n");
        let p = parse_yaml::<RawSite>(&list, file, 1).unwrap_err();
        assert!(
            p.message
                .contains("expected a title, or a mapping of locales to titles"),
            "{p:?}"
        );
        for ok in ["title: A\n", "title:\n  en-US: A\n"] {
            let raw = parse_yaml::<RawSite>(&site(ok), file, 1).unwrap();
            assert!(matches!(
                (ok.len(), raw.title),
                (9, RawTitle::One(_)) | (18, RawTitle::PerLocale(_))
            ));
        }
    }

    /// libyaml gives only a byte offset for a control character: the error names the
    /// character at its line and column (of the file: front matter starts on line 2).
    #[test]
    fn a_control_character_is_named_at_its_line_and_column() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct T {
            title: String,
            summary: String,
        }
        let yaml = "title: Documento\nsummary: \"Doc\u{1b}umento\"\n";
        let p = parse_yaml::<T>(yaml, Path::new("es-ES.md"), 2).unwrap_err();
        assert_eq!(
            p.message,
            "the control character U+001B is not allowed in YAML"
        );
        assert_eq!((p.line, p.column), (Some(3), Some(14)));
        assert!(p.help.unwrap().starts_with("delete it"));
        for c in ['\t', 'é', '\u{85}', '\u{1F600}'] {
            assert!(yaml_printable(c), "{c:?}");
        }
        for c in ['\u{1}', '\u{7f}', '\u{9b}', '\u{fffe}'] {
            assert!(!yaml_printable(c), "{c:?}");
        }
    }

    #[test]
    fn split_finds_front_matter_and_body_lines() {
        let s = split("---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, Some("title: x\n"));
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn split_without_front_matter_keeps_everything_as_body() {
        let s = split("# Title\n").unwrap();
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "# Title\n");
    }

    #[test]
    fn split_handles_crlf_fences() {
        let s = split("---\r\ntitle: x\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, Some("title: x\r\n"));
        assert_eq!(s.body, "body");
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split("---\ntitle: x\n").is_err());
    }

    #[test]
    fn translation_with_meta_field_is_rejected_with_a_hint() {
        let p = parse_translation("title: x\npublished: 2008-06-13\n", Path::new("a.md"), 2)
            .unwrap_err()
            .remove(0);
        assert!(
            p.message.contains("unknown field `published`"),
            "{}",
            p.message
        );
        assert_eq!(p.line, Some(3));
        assert!(p.help.unwrap().contains("advisory.yaml"));
    }

    #[test]
    fn a_mistyped_field_gets_the_one_it_most_likely_meant() {
        let p = parse_translation("titel: x\n", Path::new("a.md"), 2)
            .unwrap_err()
            .remove(0);
        assert_eq!(p.help.as_deref(), Some("did you mean `title`?"));
        // no near miss: the list of what a translation may set
        let p = parse_translation("heading: x\n", Path::new("a.md"), 2)
            .unwrap_err()
            .remove(0);
        assert!(
            p.help
                .unwrap()
                .starts_with("a translation may set only `title`")
        );
        let p = parse_site("paginte_by: 5\n", Path::new("site.yaml"))
            .unwrap_err()
            .0
            .remove(0);
        assert_eq!(p.help.as_deref(), Some("did you mean `paginate_by`?"));
        let p = parse_advisory(
            "id: A\nkind: security\nupdate: 2008-06-17\n",
            Path::new("a"),
        )
        .unwrap_err()
        .remove(0);
        assert_eq!(p.help.as_deref(), Some("did you mean `updated`?"));
        // a field of a nested mapping is not told the top-level keys
        let yaml = "id: A\nkind: security\npublished: 2008-06-13\naffected:\n- { product: P, vendor: V }\n";
        let p = parse_advisory(yaml, Path::new("a")).unwrap_err().remove(0);
        assert!(
            p.message.contains("unknown field `vendor`"),
            "{}",
            p.message
        );
        assert_eq!(
            p.help.as_deref(),
            Some("rename it to one of the fields listed, or remove it")
        );
    }

    /// A value whose closing quote was forgotten is reported at its opening quote (the
    /// scanner read on to the next value's quote and stopped a line below); an apostrophe
    /// in plain text, and a quoted value that closes on a later line above the error, are
    /// not blamed.
    #[test]
    fn a_quote_left_open_is_reported_where_it_opens() {
        let at = |yaml: &str| {
            let p = parse_translation(yaml, Path::new("pt-BR.md"), 2).unwrap_err();
            let p = &p[0];
            (
                p.line.unwrap(),
                p.column.unwrap(),
                p.message.clone(),
                p.help.clone(),
            )
        };
        let (line, column, message, help) =
            at("title: \"Comunicado 954474\nsummary: \"System Center\"\n");
        assert_eq!((line, column), (2, 8), "{message}");
        assert_eq!(
            message,
            "the quoted value that starts here has no closing `\"` on its line"
        );
        assert_eq!(
            help.as_deref(),
            Some("end the value with `\"` (and write a `\"` inside it as `\\\"`)")
        );
        // several lines down, past plain values; single quotes, with a doubled one inside
        let (line, column, message, help) = at(
            "summary: s\ntitle: 'It''s open\ntranslated_from_revision: 1\nrevision_notes: {'1': x}\n",
        );
        assert_eq!((line, column), (3, 8), "{message}");
        assert!(message.ends_with("no closing `'` on its line"), "{message}");
        assert_eq!(
            help.as_deref(),
            Some("end the value with `'` (and write a `'` inside it as `''`)")
        );
        // never closed: the scanner met the end of the input
        let (line, column, message, help) = at("summary: s\ntitle: 'abc\n");
        assert_eq!((line, column), (3, 8), "{message}");
        assert!(message.ends_with("no closing `'` on its line"), "{message}");
        assert!(help.unwrap().starts_with("end the value with `'`"));
        // an apostrophe in a plain value; a quoted value closed on a later line
        for yaml in [
            "title: It's here\nsummary: a: b\n",
            "title: \"two\n  lines\"\nsummary: a: b\n",
        ] {
            let (_, _, message, _) = at(yaml);
            assert!(
                message.starts_with("mapping values are not allowed"),
                "{yaml:?}: {message}"
            );
        }
    }

    #[test]
    fn a_missing_field_says_to_add_it_where_its_mapping_starts() {
        let yaml = "title: x\nproduct_names:\n  - product: A\n    name: B\n  - product: C\n";
        let p = parse_translation(yaml, Path::new("es-ES.md"), 2)
            .unwrap_err()
            .remove(0);
        assert!(p.message.contains("missing field `name`"), "{}", p.message);
        assert_eq!((p.line, p.column), (Some(6), Some(5)));
        assert_eq!(
            p.help.as_deref(),
            Some("add `name:` to the mapping that starts here")
        );
        let p = parse_translation("summary: s\n", Path::new("es-ES.md"), 2)
            .unwrap_err()
            .remove(0);
        assert_eq!(
            p.help.as_deref(),
            Some("add `title:` to the mapping that starts here")
        );
    }

    #[test]
    fn a_key_written_twice_is_an_error_at_its_second_place() {
        let adv = "id: \"1\"\nkind: non-security\npublished: 2008-06-13\nupdated: 2008-06-14\n";
        // (yaml, line and column of the second key, what the message names)
        let cases: &[(String, (usize, usize), &str)] = &[
            (format!("{adv}kind: x\n"), (5, 1), "duplicate field `kind`"),
            (
                format!("{adv}legacy_urls:\n  pt-BR: a/pt-BR/x\n  \"pt-BR\": b\n"),
                (7, 3),
                "legacy_urls: duplicate key `pt-BR`",
            ),
            (
                format!(
                    "{adv}revisions:\n  - {{ number: \"1.0\", date: 2008-06-13, number: \"2\" }}\n"
                ),
                (6, 40),
                "duplicate field `number`",
            ),
            (
                format!(
                    "{adv}revisions:\n  - number: \"1.0\"\n    date: 2008-06-13\n    number: \"2\"\n"
                ),
                (8, 5),
                "duplicate field `number`",
            ),
        ];
        for (yaml, at, what) in cases {
            let p = parse_advisory(yaml, Path::new("advisory.yaml"))
                .unwrap_err()
                .remove(0);
            assert!(p.message.contains(what), "{yaml}: {}", p.message);
            assert_eq!((p.line, p.column), (Some(at.0), Some(at.1)), "{yaml}");
            assert!(p.help.unwrap().contains("keep one of the two"));
        }
        // In a translation, front matter starts on line 2.
        let cases: &[(&str, (usize, usize), &str)] = &[
            (
                "title: a\nsummary: s\ntitle: b\n",
                (4, 1),
                "duplicate field `title`",
            ),
            (
                "title: t\nlog_check_messages:\n  c:\n    a: x\n    b: y\n    a: z\n",
                (7, 5),
                "duplicate key `a`",
            ),
            (
                "title: t\nrevision_notes:\n  \"1.0\": a\n  '1.0': b\n",
                (5, 3),
                "duplicate key `1.0`",
            ),
        ];
        for (yaml, at, what) in cases {
            let p = parse_translation(yaml, Path::new("es-ES.md"), 2)
                .unwrap_err()
                .remove(0);
            assert!(p.message.contains(what), "{yaml}: {}", p.message);
            assert_eq!((p.line, p.column), (Some(at.0), Some(at.1)), "{yaml}");
        }
    }

    #[test]
    fn type_and_syntax_errors_say_how_to_fix_them() {
        // (front matter from line 2, the line the error is at, what its help says)
        let cases: &[(&str, usize, &str)] = &[
            (
                "title: [Borrador] Aviso\n",
                2,
                "in double quotes, e.g. `\"[Draft] …\"`",
            ),
            ("title: {a: b}\n", 2, "`{` as a mapping"),
            (
                "title: T\nrevision_notes:\n  '1.0': [a]\n",
                4,
                "`[` as a list",
            ),
            (
                "title: T\nrevision_notes: x\n",
                3,
                "`revision_notes` takes a mapping: `key: value` lines",
            ),
            (
                "title: T\nproduct_names: x\n",
                3,
                "`product_names` takes a list: `[a, b]`",
            ),
            (
                "title: T\nproduct_names: [x]\n",
                3,
                "`product_names[0]` takes a mapping",
            ),
            ("title: Nota: importante\n", 2, "`: ` must be quoted"),
            ("title: @x\n", 2, "cannot start with `@`"),
            ("title: \"Aviso\nsummary: s\n", 2, "end the value with `\"`"),
            ("title: x\n\tsummary: y\n", 3, "indent with spaces"),
            // a tab that indents a key of a nested mapping, or of a list item
            ("revision_notes:\n\t\"1.0\": a\n", 3, "indent with spaces"),
            ("revision_notes:\n  \t\"1.0\": a\n", 3, "indent with spaces"),
            (
                "log_check_messages:\n  c:\n\t\ttitle: T\n",
                4,
                "indent with spaces",
            ),
            // a tab inside a line still starts no value
            ("title: T\nsummary: \t@x\n", 3, "cannot start with `@`"),
            (
                "title: \"C:\\Windows\"\n",
                2,
                "write `\\\\` for a backslash, or put the value in single quotes",
            ),
            // an unknown field's help is the caller's (the allowed fields)
            ("title: T\nfoo: 1\n", 3, "a translation may set only"),
        ];
        for (yaml, line, help) in cases {
            let p = parse_translation(yaml, Path::new("es-ES.md"), 2)
                .unwrap_err()
                .remove(0);
            assert_eq!(p.line, Some(*line), "{yaml:?}: {}", p.message);
            let got = p.help.unwrap_or_default();
            assert!(got.contains(help), "{yaml:?}: {got}");
        }
        // the message names YAML's shape, not the Rust type it is read into
        let p = parse_translation("title: T\nproduct_names: [x]\n", Path::new("es-ES.md"), 2)
            .unwrap_err()
            .remove(0);
        assert_eq!(
            p.message,
            "product_names[0]: invalid type: string \"x\", expected a mapping"
        );
        // an unclosed quote is shown where it opens, with what the scanner was reading
        let p = parse_translation("title: T\nsummary: 'S\n", Path::new("es-ES.md"), 2)
            .unwrap_err()
            .remove(0);
        assert_eq!(
            p.message,
            "the quoted value that starts here has no closing `'` on its line"
        );
        assert_eq!((p.line, p.column), (Some(3), Some(10)));
        let p = parse_translation("title: x\n\tsummary: y\n", Path::new("es-ES.md"), 2)
            .unwrap_err()
            .remove(0);
        assert!(
            p.message
                .ends_with(", while scanning a plain scalar that starts at line 2"),
            "{}",
            p.message
        );
    }

    #[test]
    fn every_top_level_key_with_a_problem_is_reported_not_only_the_first() {
        let lines_and_messages = |all: Vec<Problem>| -> Vec<(usize, String)> {
            all.into_iter()
                .map(|p| (p.line.unwrap(), p.message))
                .collect()
        };
        // a misspelt field, a value of the wrong shape, a fact that belongs elsewhere:
        // three problems, and not also "missing field `title`", which the first explains
        let yaml = "titel: x\nsummary: {a: b}\nrevision_notes:\n  '1.0': n\npublished: 1\n";
        let all = parse_translation(yaml, Path::new("es-ES.md"), 2).unwrap_err();
        assert_eq!(all[0].help.as_deref(), Some("did you mean `title`?"));
        assert!(all[2].help.as_deref().unwrap().contains("advisory.yaml"));
        let got = lines_and_messages(all);
        let lines: Vec<usize> = got.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [2, 3, 6], "{got:?}");
        assert!(
            got[1].1.starts_with("summary: invalid type: map"),
            "{got:?}"
        );
        // a key written twice, then a problem in a nested mapping further down
        let yaml = "id: A\nkind: security\nkind: security\npublished: 2008-06-13\n\
                    affected:\n  - versions: [x]\nkb: 1.5\n";
        let got = lines_and_messages(parse_advisory(yaml, Path::new("advisory.yaml")).unwrap_err());
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(got[0].0, 3);
        assert!(got[0].1.contains("duplicate field `kind`"), "{got:?}");
        assert_eq!(got[1].0, 6);
        assert!(got[1].1.contains("missing field `product`"), "{got:?}");
        assert_eq!(got[2].0, 7);
        // a field that is only missing is one problem
        let all = parse_translation("summary: s\n", Path::new("es-ES.md"), 2).unwrap_err();
        assert_eq!(all.len(), 1, "{all:?}");
        // every required field that is missing, not one per run; not one a problem
        // already explains (`knd`: did you mean `kind`?), nor one an unknown field's
        // message merely lists
        let yaml = "knd: security\nseverity: high\nkb: [1]\n";
        let got = lines_and_messages(parse_advisory(yaml, Path::new("advisory.yaml")).unwrap_err());
        let messages: Vec<&str> = got.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(messages.len(), 4, "{got:?}");
        assert!(messages[0].starts_with("unknown field `knd`"), "{got:?}");
        assert!(
            messages[1].starts_with("unknown field `severity`"),
            "{got:?}"
        );
        assert_eq!(
            messages[2..],
            ["missing field `id`", "missing field `published`"]
        );
        // a merge key says so, in advisory.yaml and in a translation, top-level or nested
        let yaml = "id: \"1\"\nkind: security\npublished: 2008-06-13\naffected:\n  - &p {product: A}\n  - <<: *p\n    versions: [x]\n<<: {note: n}\n";
        let all = parse_advisory(yaml, Path::new("advisory.yaml")).unwrap_err();
        assert_eq!(all.len(), 2, "{all:?}");
        for p in &all {
            let help = p.help.as_deref().unwrap_or("");
            assert!(help.starts_with("YAML merge keys"), "{p:?}");
        }
        for yaml in [
            "title: T\n<<: {summary: s}\n",
            "title: T\nrevision_notes:\n  <<: {\"1.0\": x}\n",
        ] {
            let all = parse_translation(yaml, Path::new("es-ES.md"), 2).unwrap_err();
            assert!(
                all[0]
                    .help
                    .as_deref()
                    .unwrap_or("")
                    .starts_with("YAML merge keys"),
                "{yaml}: {all:?}"
            );
        }
        // also when serde stopped at another problem before it missed any field
        let yaml = "id: \"1\"\nkidn: security\n";
        let got = lines_and_messages(parse_advisory(yaml, Path::new("advisory.yaml")).unwrap_err());
        let messages: Vec<&str> = got.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(messages.len(), 2, "{got:?}");
        assert!(messages[0].starts_with("unknown field `kidn`"), "{got:?}");
        assert_eq!(got[1], (1, "missing field `published`".to_string()));
        let all = parse_site("title: T\n", Path::new("site.yaml"))
            .unwrap_err()
            .0;
        let help: Vec<_> = all.iter().map(|p| p.help.as_deref().unwrap()).collect();
        assert_eq!(
            help,
            [
                "add `base_url:` to the mapping that starts here",
                "add `default_locale:` to the mapping that starts here",
                "add `locales:` to the mapping that starts here",
            ]
        );
        assert!(all.iter().all(|p| p.line == Some(1)), "{all:?}");
        // after a syntax error nothing more can be read
        let all = parse_translation("titel: x\nsummary: 'open\nfoo: 1\n", Path::new("a.md"), 2)
            .unwrap_err();
        assert_eq!(all.len(), 1, "{all:?}");
        // the same in site.yaml
        let yaml = "title: {en-US: T}\nbase_url: https://x.example/\ndefault_locale: en-US\n\
                    locales: [en-US]\npaginte_by: 5\nfeed_limit: -1\n";
        let got = lines_and_messages(parse_site(yaml, Path::new("site.yaml")).unwrap_err().0);
        let lines: Vec<usize> = got.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, [5, 6], "{got:?}");
    }

    #[test]
    fn a_negative_page_size_says_to_write_a_whole_number() {
        let yaml = "title: T\nbase_url: https://x.org/\ndefault_locale: en-US\nlocales: [en-US]\npaginate_by: -1\n";
        let p = parse_site(yaml, Path::new("content/site.yaml"))
            .unwrap_err()
            .0
            .remove(0);
        assert_eq!((p.line, p.column), (Some(5), Some(14)));
        assert_eq!(
            p.help.as_deref(),
            Some("write a whole number, e.g. `paginate_by: 50`; `0` means no limit")
        );
    }

    #[test]
    fn locate_finds_a_word_only_as_a_whole_word() {
        let src = "when: {sequence: [legacy_sync, q]}\nevidence: [a-b, a]\n";
        assert_eq!(locate(src, &["when:", "q"], 1), Some((1, 32)));
        assert_eq!(locate(src, &["evidence:", "a"], 1), Some((2, 17)));
        // not a word: found anywhere
        assert_eq!(locate(src, &["quence:"], 1), Some((1, 10)));
    }

    #[test]
    fn locate_finds_successive_needles() {
        let src = "a: 1\nlog_checks:\n  - id: x\n    signals:\n      s: { regex: '\\d' }\n";
        assert_eq!(
            locate(src, &["log_checks:", "id: x", "s:", "regex:"], 1),
            Some((5, 12))
        );
        assert_eq!(locate(src, &["nope"], 1), None);
    }
}
