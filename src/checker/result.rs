//! The result of a check (spec §4.3 step 8; field names and shapes of `expected.json`),
//! which the CLI prints as JSON or text and the page renders from the same structure.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::records::KIND_NAMES;
use super::rules::Verdict;

/// A line reference: a number for one input, `"FILE:LINE"` for several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum LineRefOut {
    Line(u64),
    FileLine(String),
}

impl LineRefOut {
    /// The reference to line `line` of input `file` (index into `names`).
    pub(crate) fn new(file: usize, line: u64, names: &[String], multi: bool) -> LineRefOut {
        if multi {
            LineRefOut::FileLine(format!(
                "{}:{line}",
                names.get(file).map_or("?", String::as_str)
            ))
        } else {
            LineRefOut::Line(line)
        }
    }
}

impl std::fmt::Display for LineRefOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineRefOut::Line(n) => write!(f, "{n}"),
            LineRefOut::FileLine(s) => f.write_str(s),
        }
    }
}

/// Whether a file took part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    Text,
    Empty,
    Binary,
}

/// One input file as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub file: String,
    pub status: FileStatus,
    /// `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be` or `windows-1252`.
    pub encoding: String,
    /// Lines read as text; 0 for a binary file, which is not read as text.
    pub lines: u64,
    /// False for a binary file too.
    pub ends_with_newline: bool,
}

impl FileReport {
    /// A report for file `file` (its name as given).
    pub(crate) fn new(
        file: &str,
        status: FileStatus,
        encoding: &str,
        lines: u64,
        ends: bool,
    ) -> FileReport {
        FileReport {
            file: file.to_string(),
            status,
            encoding: encoding.to_string(),
            lines,
            ends_with_newline: ends,
        }
    }
}

/// One session: where it starts (`None`: before the first start) and its outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionReport {
    pub start: Option<LineRefOut>,
    pub verdict: Option<Verdict>,
    /// The line texts show for the session: its start, else its first record's first
    /// line (not part of the JSON, whose `start` is `null` then).
    #[serde(skip)]
    pub shown: LineRefOut,
}

/// `history` or `unfinished_session`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    History,
    UnfinishedSession,
}

/// A note about a session other than the deciding one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub kind: NoteKind,
    pub session_start: Option<LineRefOut>,
    /// The session's outcome; absent for `unfinished_session` (it has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// The session's line as texts show it (see [`SessionReport::shown`]).
    #[serde(skip)]
    pub shown: LineRefOut,
}

/// Values for `{line}`, `{session_line}` and `{file}` when a session decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placeholders {
    /// Absent when no evidence signal matched in the deciding session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<LineRefOut>,
    pub session_line: Option<LineRefOut>,
    /// The file holding `line` (for `{file}`; not part of the JSON).
    #[serde(skip)]
    pub file: Option<String>,
}

/// `site` for `empty` and `not_text`, whose texts come from the site, not the advisory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageScope {
    Site,
}

/// The whole result of one check over one input set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    pub verdict: Verdict,
    /// A key of the check's `log_check_messages`, or of the site's texts.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_scope: Option<MessageScope>,
    /// `{}` when no session decided.
    #[serde(serialize_with = "placeholders_or_empty")]
    pub placeholders: Option<Placeholders>,
    pub files: Vec<FileReport>,
    /// Counts per kind, in the order `sms_legacy`, `cmtrace`, `clipboard`, `plain`.
    #[serde(serialize_with = "nonzero_kinds")]
    pub record_kinds: [u64; 4],
    pub sessions: Vec<SessionReport>,
    pub decided_session: Option<usize>,
    /// Per signal in rule order: the first physical line of each record it matched.
    #[serde(serialize_with = "ordered_map")]
    pub signals: Vec<(String, Vec<LineRefOut>)>,
    pub highlight: Vec<LineRefOut>,
    pub evidence: Vec<LineRefOut>,
    pub notes: Vec<Note>,
    /// (line, text) of the first evidence lines, for the text report (up to 1000).
    #[serde(skip)]
    pub evidence_lines: Vec<(LineRefOut, String)>,
    /// How many evidence lines `evidence_lines` leaves out (past its 1000).
    #[serde(skip)]
    pub evidence_hidden: usize,
}

impl CheckResult {
    /// A result with the scan's lists filled in and no decision yet.
    pub(crate) fn base(
        files: Vec<FileReport>,
        signals: Vec<(String, Vec<LineRefOut>)>,
        record_kinds: [u64; 4],
        sessions: Vec<SessionReport>,
        highlight: Vec<LineRefOut>,
    ) -> CheckResult {
        CheckResult {
            verdict: Verdict::Inconclusive,
            message: String::new(),
            message_scope: None,
            placeholders: None,
            files,
            record_kinds,
            sessions,
            decided_session: None,
            signals,
            highlight,
            evidence: Vec::new(),
            notes: Vec::new(),
            evidence_lines: Vec::new(),
            evidence_hidden: 0,
        }
    }

    /// No text to check: `inconclusive` with the site's `not_text` (some input was
    /// binary) or `empty`.
    pub(crate) fn no_text(
        binary: bool,
        files: Vec<FileReport>,
        signals: Vec<(String, Vec<LineRefOut>)>,
    ) -> CheckResult {
        let mut r = CheckResult::base(files, signals, [0; 4], Vec::new(), Vec::new());
        r.message = if binary { "not_text" } else { "empty" }.to_string();
        r.message_scope = Some(MessageScope::Site);
        r
    }
}

fn placeholders_or_empty<S: Serializer>(p: &Option<Placeholders>, s: S) -> Result<S::Ok, S::Error> {
    match p {
        Some(p) => p.serialize(s),
        None => s.serialize_map(Some(0))?.end(),
    }
}

fn nonzero_kinds<S: Serializer>(kinds: &[u64; 4], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(None)?;
    for (name, n) in KIND_NAMES.iter().zip(kinds) {
        if *n > 0 {
            m.serialize_entry(name, n)?;
        }
    }
    m.end()
}

fn ordered_map<S: Serializer>(v: &[(String, Vec<LineRefOut>)], s: S) -> Result<S::Ok, S::Error> {
    let mut m = s.serialize_map(Some(v.len()))?;
    for (k, lines) in v {
        m.serialize_entry(k, lines)?;
    }
    m.end()
}
