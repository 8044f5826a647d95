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
        return Ok(Split { yaml: None, yaml_line: 1, body: text, body_line: 1 });
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
/// and, for unknown fields, the fields that are allowed.
pub(crate) fn parse_yaml<T: DeserializeOwned>(yaml: &str, file: &Path, first_line: usize) -> Result<T, Problem> {
    serde_yaml::from_str(yaml).map_err(|e| {
        let pos = e.location().map(|l| (l.line() + first_line - 1, l.column()));
        let msg = e.to_string();
        // yaml_serde appends " at line X column Y"; the location is printed separately.
        let msg = match msg.find(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        Problem::error(file, msg).at_opt(pos)
    })
}

/// Finds the 1-based (line, column) of a value in YAML source by searching for each
/// needle in turn, each after the previous one: e.g. `["log_checks:", "id: x", "regex:"]`.
/// Returns the position of the last needle found, or `None` if the first is absent.
pub(crate) fn locate(src: &str, needles: &[&str], first_line: usize) -> Option<(usize, usize)> {
    let mut from = 0;
    let mut found = None;
    for n in needles {
        match src[from..].find(n) {
            Some(i) => {
                found = Some(from + i);
                from += i + n.len();
            }
            None => break,
        }
    }
    let at = found?;
    let line = src[..at].matches('\n').count();
    let col = src[..at].rsplit('\n').next().map_or(0, |l| l.chars().count());
    Some((line + first_line, col + 1))
}
