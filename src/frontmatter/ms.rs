//! Reading the Microsoft documentation dialect of front matter (`TOCTitle`, `Title`,
//! `ms:assetid`, `ms:mtpsurl`, …) for `avisa import`. Foreign input: values may be
//! numbers or strings, unknown keys are warnings, and a broken block never stops an import.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::diag::Problem;

/// The keys seen in Microsoft's published Markdown, each as whatever scalar YAML made of it.
#[derive(Debug, Default, Deserialize)]
struct RawMsFrontMatter {
    #[serde(rename = "TOCTitle")]
    toc_title: Option<serde_yaml::Value>,
    #[serde(rename = "Title")]
    title_upper: Option<serde_yaml::Value>,
    title: Option<serde_yaml::Value>,
    #[serde(rename = "ms:assetid")]
    asset_id: Option<serde_yaml::Value>,
    #[serde(rename = "ms:contentKeyID")]
    content_key_id: Option<serde_yaml::Value>,
    #[serde(rename = "ms:mtpsurl")]
    mtps_url: Option<serde_yaml::Value>,
    #[serde(rename = "ms:date")]
    date: Option<serde_yaml::Value>,
    description: Option<serde_yaml::Value>,
    author: Option<serde_yaml::Value>,
    #[serde(rename = "ms.author")]
    ms_author: Option<serde_yaml::Value>,
    #[serde(rename = "ms.date")]
    ms_date_dot: Option<serde_yaml::Value>,
    #[serde(flatten)]
    other: BTreeMap<String, serde_yaml::Value>,
}

/// The Microsoft front matter of one file, every value as text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct MsFrontMatter {
    /// `TOCTitle` (often the bare id, sometimes a number in YAML).
    pub(crate) toc_title: Option<String>,
    /// `Title`, else `title`.
    pub(crate) title: Option<String>,
    /// `ms:assetid`.
    pub(crate) asset_id: Option<String>,
    /// `ms:contentKeyID`.
    pub(crate) content_key_id: Option<String>,
    /// `ms:mtpsurl`: the page's old address.
    pub(crate) mtps_url: Option<String>,
    /// `ms:date` (or `ms.date`), as written.
    pub(crate) date: Option<String>,
    /// `description`.
    pub(crate) description: Option<String>,
    /// `author` (or `ms.author`).
    pub(crate) author: Option<String>,
}

/// Parses Microsoft front matter starting at 1-based `first_line` of `file`. Never fails:
/// unknown keys, non-scalar values and YAML errors come back as warnings.
pub(crate) fn parse_ms(
    yaml: &str,
    file: &Path,
    first_line: usize,
) -> (MsFrontMatter, Vec<Problem>) {
    let mut problems = Vec::new();
    let raw: RawMsFrontMatter = if yaml.trim().is_empty() {
        RawMsFrontMatter::default()
    } else {
        match super::parse_yaml(yaml, file, first_line) {
            Ok(raw) => raw,
            Err(mut p) => {
                p.severity = crate::diag::Severity::Warning;
                // the dialect is flat `key: value` lines: read one by one, a value that is
                // no valid YAML (`Title: a: b`) keeps the keys around it
                let lines = serde_yaml::from_value::<RawMsFrontMatter>(line_values(yaml));
                match lines {
                    Ok(raw) if raw_has_keys(&raw) => {
                        p.message = format!(
                            "front matter is not valid YAML ({}); its `key: value` lines are read one by one",
                            p.message
                        );
                        problems.push(
                            p.help("quote a value that holds `: ` or starts with a YAML sign"),
                        );
                        raw
                    }
                    _ => {
                        p.message = format!(
                            "front matter could not be read, so it is ignored: {}",
                            p.message
                        );
                        problems
                            .push(p.help("the advisory is imported from its Markdown body alone"));
                        RawMsFrontMatter::default()
                    }
                }
            }
        }
    };
    let mut text = |key: &str, v: Option<serde_yaml::Value>| -> Option<String> {
        let v = v?;
        // a number or a boolean as written (`1e3`, `0x1F`, `yes`: not `1000.0`, `31`)
        let plain = matches!(v, serde_yaml::Value::Number(_) | serde_yaml::Value::Bool(_));
        if let Some(written) = plain.then(|| written_value(yaml, key)).flatten() {
            return Some(written);
        }
        match scalar_text(&v) {
            Some(s) => Some(s),
            None => {
                let pos = super::locate(yaml, &[&format!("{key}:")], first_line);
                problems.push(
                    Problem::warning(
                        file,
                        format!("front-matter key `{key}` is not a single value; it is ignored"),
                    )
                    .at_opt(pos),
                );
                None
            }
        }
    };
    let fm = MsFrontMatter {
        toc_title: text("TOCTitle", raw.toc_title),
        title: text("Title", raw.title_upper).or_else(|| text("title", raw.title)),
        asset_id: text("ms:assetid", raw.asset_id),
        content_key_id: text("ms:contentKeyID", raw.content_key_id),
        mtps_url: text("ms:mtpsurl", raw.mtps_url),
        date: text("ms:date", raw.date).or_else(|| text("ms.date", raw.ms_date_dot)),
        description: text("description", raw.description),
        author: text("author", raw.author).or_else(|| text("ms.author", raw.ms_author)),
    };
    for key in raw.other.keys() {
        let pos = super::locate(yaml, &[&format!("{key}:")], first_line);
        problems.push(
            Problem::warning(file, format!("unknown front-matter key `{key}` is ignored"))
                .at_opt(pos)
                .help("the importer reads `TOCTitle`, `Title`, `title`, `ms:assetid`, `ms:contentKeyID`, `ms:mtpsurl`, `ms:date`, `description` and `author`"),
        );
    }
    (fm, problems)
}

/// A YAML scalar as text (`954474` → "954474"); `None` for lists and maps; null → `None`.
/// The `key: value` lines of `yaml` as a mapping of strings, each value as written (a
/// quoted one unquoted): the key runs to the first `: ` of a line that starts with one.
fn line_values(yaml: &str) -> serde_yaml::Value {
    let mut map = serde_yaml::Mapping::new();
    for (key, value) in yaml.lines().filter_map(key_value_line) {
        let value = value.trim();
        let unquoted = ['\'', '"']
            .iter()
            .find_map(|q| value.strip_prefix(*q)?.strip_suffix(*q))
            .unwrap_or(value);
        map.insert(key.trim().into(), unquoted.into());
    }
    serde_yaml::Value::Mapping(map)
}

/// A line of the dialect's flat front matter as (key, value): it starts with a key (no
/// space in it, not a comment, list item or Markdown) and the key runs to the first `: `
/// (or to a `:` that ends the line). `None` for any other line.
pub(crate) fn key_value_line(line: &str) -> Option<(&str, &str)> {
    let line = line.trim_end();
    if line.starts_with([' ', '\t', '#', '-', '*', '|', '<', '[']) {
        return None;
    }
    let (key, value) =
        (line.split_once(": ")).or_else(|| line.strip_suffix(':').map(|k| (k, "")))?;
    (!key.is_empty() && !key.contains(char::is_whitespace)).then_some((key, value))
}

/// Whether a line-by-line reading found any key avisa reads.
fn raw_has_keys(raw: &RawMsFrontMatter) -> bool {
    raw.toc_title.is_some()
        || raw.title_upper.is_some()
        || raw.title.is_some()
        || raw.mtps_url.is_some()
        || raw.asset_id.is_some()
}

/// The value of the top-level `key` as its line writes it (a plain scalar, trimmed, without
/// a trailing comment).
fn written_value(yaml: &str, key: &str) -> Option<String> {
    let prefix = format!("{key}:");
    let line = yaml.lines().find(|l| l.starts_with(&prefix))?;
    let value = line[prefix.len()..].split(" #").next()?.trim();
    (!value.is_empty()).then(|| value.to_string())
}

fn scalar_text(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.trim().to_string()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        serde_yaml::Value::Tagged(t) => scalar_text(&t.value),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microsoft_front_matter_is_read_whatever_the_scalar_types() {
        let cases: &[(&str, MsFrontMatter)] = &[
            (
                "TOCTitle: 954474\nTitle: Comunicado 954474\nms:assetid: 954474\nms:contentKeyID: 61233477\nms:mtpsurl: 'https://technet.microsoft.com/pt-BR/library/954474(v=Security.10)'\n",
                MsFrontMatter {
                    toc_title: Some("954474".into()),
                    title: Some("Comunicado 954474".into()),
                    asset_id: Some("954474".into()),
                    content_key_id: Some("61233477".into()),
                    mtps_url: Some(
                        "https://technet.microsoft.com/pt-BR/library/954474(v=Security.10)".into(),
                    ),
                    ..Default::default()
                },
            ),
            (
                "title: Comunicado 4053440\r\nTOCTitle: \"4053440\"\r\nms:date: 2017-11-08\r\nauthor: x\r\n",
                MsFrontMatter {
                    toc_title: Some("4053440".into()),
                    title: Some("Comunicado 4053440".into()),
                    date: Some("2017-11-08".into()),
                    author: Some("x".into()),
                    ..Default::default()
                },
            ),
            // numbers and booleans as written, not as YAML reads them
            (
                "Title: 1e3\nTOCTitle: 0x1F\nms:assetid: 012 # leading zero\nauthor: yes\r\n",
                MsFrontMatter {
                    title: Some("1e3".into()),
                    toc_title: Some("0x1F".into()),
                    asset_id: Some("012".into()),
                    author: Some("yes".into()),
                    ..Default::default()
                },
            ),
            ("", MsFrontMatter::default()),
        ];
        for (yaml, want) in cases {
            let (got, problems) = parse_ms(yaml, Path::new("a.md"), 2);
            assert_eq!(&got, want, "{yaml}");
            assert!(problems.is_empty(), "{problems:?}");
        }
    }

    #[test]
    fn unknown_keys_and_broken_yaml_are_warnings_with_positions() {
        let (fm, problems) = parse_ms("Title: x\nms:foo: 1\n", Path::new("a.md"), 2);
        assert_eq!(fm.title.as_deref(), Some("x"));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("`ms:foo`"));
        assert_eq!(problems[0].line, Some(3));

        let (fm, problems) = parse_ms("Title: [unclosed\n", Path::new("a.md"), 2);
        assert_eq!(fm.title.as_deref(), Some("[unclosed"));
        assert_eq!(problems.len(), 1);
        assert!(!problems[0].is_error());

        // a value that is no valid YAML keeps the keys around it: read line by line
        let (fm, problems) = parse_ms(
            "Title: Comunicado: a falha\nms:mtpsurl: 'https://h/pt-BR/library/1'\nTOCTitle: 1\n",
            Path::new("a.md"),
            2,
        );
        assert_eq!(fm.title.as_deref(), Some("Comunicado: a falha"));
        assert_eq!(fm.mtps_url.as_deref(), Some("https://h/pt-BR/library/1"));
        assert_eq!(fm.toc_title.as_deref(), Some("1"));
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0]
                .message
                .starts_with("front matter is not valid YAML ("),
            "{}",
            problems[0].message
        );
        assert!(
            problems[0]
                .message
                .ends_with("its `key: value` lines are read one by one")
        );

        // nothing avisa reads: the front matter is ignored, as before
        let (fm, problems) = parse_ms("foo: [unclosed\n", Path::new("a.md"), 2);
        assert_eq!(fm, MsFrontMatter::default());
        assert!(
            problems[0]
                .message
                .starts_with("front matter could not be read")
        );
    }
}
