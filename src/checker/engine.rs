//! The streaming Rust engine (spec §4.3): orders the inputs (rollover pairs), decodes
//! each file, splits lines, strings them into records, matches signals, cuts sessions
//! and decides. Memory stays constant in the log size apart from the line numbers the
//! result lists: only the current session and the last conclusive one are kept.

use std::collections::{HashMap, VecDeque};
use std::io::{self, Read, Seek, SeekFrom};

use memchr::memchr2;
use regex::{Regex, RegexBuilder};

use super::decode::{self, End, Mode};
use super::portable;
use super::records::{self, CM_OPENER, Kind};
use super::result::{self, CheckResult, FileReport, FileStatus};
use super::rules::{Check, Condition, Verdict};

/// Lines a CMTrace record may span before its opener is read as a single line.
pub(crate) const CM_MAX_LINES: usize = 10_000;
/// Size a CMTrace record may span, in UTF-16 code units without line ends (as the
/// page's script counts: the two engines must fall back at the same line).
pub(crate) const CM_MAX_UNITS: usize = 8 * 1024 * 1024;
/// Evidence line texts kept per session for the text report.
const MAX_TEXTS: usize = 1000;
/// Shortest required literal worth a prefilter, in characters.
const MIN_LITERAL: usize = 3;

/// Anything that can be read and rewound.
pub trait ReadSeek: Read + Seek {}
impl<T: Read + Seek> ReadSeek for T {}

enum Source {
    Seekable(Box<dyn ReadSeek>),
    Stream(Box<dyn Read>),
    /// A file opened only when its turn comes (see [`LogInput::file`]).
    File(std::path::PathBuf),
}

/// One log file handed to the checker: a display name (untrusted text) and its bytes.
pub struct LogInput {
    name: String,
    /// The paths rollover pairing compares (see [`LogInput::paired_by`]); else `name`.
    pair_paths: Vec<String>,
    source: Source,
}

impl LogInput {
    /// A rewindable input (a file, a buffer); a file that is not UTF-8 is read twice.
    pub fn seekable(name: impl Into<String>, reader: impl Read + Seek + 'static) -> LogInput {
        LogInput {
            name: name.into(),
            pair_paths: Vec::new(),
            source: Source::Seekable(Box::new(reader)),
        }
    }

    /// A one-way input (stdin): copied to a temporary file first, so it can be re-read.
    pub fn stream(name: impl Into<String>, reader: impl Read + 'static) -> LogInput {
        LogInput {
            name: name.into(),
            pair_paths: Vec::new(),
            source: Source::Stream(Box::new(reader)),
        }
    }

    /// A file named by its path, opened only when it is read, in the order the inputs are
    /// read (a `.lo_` before its `.log`): thousands of files take one file descriptor at a
    /// time, and FIFOs fed one after another are read in that order. A regular file is
    /// read as [`LogInput::seekable`], anything else (a pipe, a device) as
    /// [`LogInput::stream`]. An error names the file.
    pub fn file(name: impl Into<String>, path: impl Into<std::path::PathBuf>) -> LogInput {
        LogInput {
            name: name.into(),
            pair_paths: Vec::new(),
            source: Source::File(path.into()),
        }
    }

    /// Pairs this input with a rolled-over `X.lo_` (or `X.log`) by `path`, the file's
    /// real location (its folder resolved), instead of by its name as given: so
    /// `logs/X.log` and `/srv/logs/X.lo_` pair when they are in the same folder. Given
    /// several locations (a symbolic link's, and its target's), two inputs pair when
    /// they share any.
    pub fn paired_by(mut self, path: impl Into<String>) -> LogInput {
        self.pair_paths.push(path.into());
        self
    }

    /// The name as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn into_seekable(self) -> io::Result<(String, Box<dyn ReadSeek>)> {
        match self.source {
            Source::Seekable(r) => Ok((self.name, r)),
            Source::File(path) => {
                let named =
                    |e: io::Error| io::Error::new(e.kind(), format!("`{}`: {e}", self.name));
                let f = std::fs::File::open(&path).map_err(named)?;
                let regular = f.metadata().map_err(named)?.is_file();
                let input = match regular {
                    true => LogInput::seekable(self.name, f),
                    false => LogInput::stream(self.name, f),
                };
                input.into_seekable()
            }
            Source::Stream(mut r) => {
                let mut tmp = tempfile::tempfile()?;
                io::copy(&mut r, &mut tmp)?;
                tmp.seek(SeekFrom::Start(0))?;
                Ok((self.name, Box::new(tmp)))
            }
        }
    }
}

/// Puts each `X.lo_` directly before its `X.log` (names compared ASCII
/// case-insensitively); other inputs keep their order. Returns the new order as indices
/// and, per position, whether the next input continues this one (a rollover pair).
/// A name with a folder pairs only with one in the same folder, written alike but for `.`
/// and repeated `/` (`./X.lo_` with `X.log`, not `a/X.lo_` with `b/X.log`, two machines'
/// logs); the command line names each file by its real location for this
/// ([`LogInput::paired_by`]), so a relative and an absolute path to one folder pair.
/// Each input has one name or more (its locations); two inputs pair when any of their
/// names do.
pub(crate) fn order_inputs(names: &[Vec<&str>]) -> (Vec<usize>, Vec<bool>) {
    // (the file's name compared ignoring ASCII case, as the system that wrote it names
    // files; its folder as written: `a/` and `A/` are two folders here)
    let stem = |n: &str, ext: &str| -> Option<String> {
        let (folder, file) = n.rsplit_once('/').unwrap_or(("", n));
        let file = file.to_ascii_lowercase();
        let file = file.strip_suffix(ext)?;
        let absolute = n.starts_with('/');
        let mut segments: Vec<&str> = folder
            .split('/')
            .filter(|s| !s.is_empty() && *s != ".")
            .collect();
        segments.push(file);
        let mut key = segments.join("/");
        if absolute {
            key.insert(0, '/');
        }
        Some(key)
    };
    // each stem's `.lo_` inputs, first named first (a map: thousands of inputs stay fast)
    let mut los: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (j, ms) in names.iter().enumerate() {
        let mut keys: Vec<String> = ms.iter().filter_map(|m| stem(m, ".lo_")).collect();
        keys.dedup();
        for s in keys {
            los.entry(s).or_default().push_back(j);
        }
    }
    let mut pair_of_log: Vec<Option<usize>> = vec![None; names.len()];
    let mut paired_lo = vec![false; names.len()];
    for (i, ns) in names.iter().enumerate() {
        // the first `.lo_` not yet paired under any of this `.log`'s names
        let found = ns.iter().find_map(|n| {
            let waiting = los.get_mut(&stem(n, ".log")?)?;
            while let Some(j) = waiting.pop_front() {
                if !paired_lo[j] {
                    return Some(j);
                }
            }
            None
        });
        if let Some(j) = found {
            pair_of_log[i] = Some(j);
            paired_lo[j] = true;
        }
    }
    let mut order = Vec::with_capacity(names.len());
    let mut continues = Vec::with_capacity(names.len());
    for i in 0..names.len() {
        if paired_lo[i] {
            continue;
        }
        if let Some(j) = pair_of_log[i] {
            order.push(j);
            continues.push(true);
        }
        order.push(i);
        continues.push(false);
    }
    (order, continues)
}

/// A physical line: input index (in processing order) and 1-based line number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct LineRef {
    pub(crate) file: u32,
    pub(crate) line: u64,
}

/// The physical refs of one logical line: two for a line a rollover cut.
#[derive(Debug, Clone, Copy)]
struct Refs {
    first: LineRef,
    joined: Option<LineRef>,
}

impl Refs {
    fn push_to(self, out: &mut Vec<LineRef>) {
        out.push(self.first);
        out.extend(self.joined);
    }
}

struct CompiledSignal {
    regex: Regex,
    component: Option<String>,
}

#[derive(Debug, Clone)]
enum Cond {
    Present(usize),
    Absent(usize),
    Count(usize, Option<u64>, Option<u64>),
    /// The signals in order, and the sequence's index among the check's sequences (its
    /// progress in [`Session::progress`]).
    Sequence(Vec<usize>, usize),
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
}

struct Rule {
    verdict: Verdict,
    when: Cond,
    evidence: Vec<usize>,
}

/// A check compiled for scanning.
struct Compiled {
    signals: Vec<CompiledSignal>,
    /// Together, they match somewhere in every line that a "strong" signal can match:
    /// one for case-sensitive literals, one for the others (two small literal sets
    /// search faster than one mixed set).
    prefilters: Vec<Regex>,
    /// Signals without a usable literal: tried on every record.
    weak: Vec<usize>,
    start: Option<usize>,
    rules: Vec<Rule>,
    /// Signals some rule cites as evidence (their records' texts are kept).
    is_evidence: Vec<bool>,
    /// The signals of each `sequence` condition, in order (see [`Cond::Sequence`]).
    sequences: Vec<Vec<usize>>,
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

fn compile(check: &Check) -> io::Result<Compiled> {
    let index = |name: &str| -> io::Result<usize> {
        check
            .signals
            .iter()
            .position(|s| s.name == name)
            .ok_or_else(|| invalid(format!("unknown signal `{name}`")))
    };
    let mut signals = Vec::new();
    let mut alternatives: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    let mut weak = Vec::new();
    for (i, s) in check.signals.iter().enumerate() {
        let regex = RegexBuilder::new(&s.regex)
            .dot_matches_new_line(true)
            .case_insensitive(s.ignore_case)
            .build()
            .map_err(|e| invalid(format!("signal `{}`: {e}", s.name)))?;
        let literals = portable::parse(&s.regex)
            .ok()
            .and_then(|n| portable::required_literals(&n));
        match literals {
            Some(lits) if lits.iter().all(|l| l.chars().count() >= MIN_LITERAL) => {
                for l in lits {
                    let e = regex::escape(&l);
                    if s.ignore_case {
                        alternatives[1].push(format!("(?i:{e})"));
                    } else {
                        alternatives[0].push(e);
                    }
                }
            }
            _ => weak.push(i),
        }
        signals.push(CompiledSignal {
            regex,
            component: s.component.clone(),
        });
    }
    let mut prefilters = Vec::new();
    for alts in alternatives.iter().filter(|a| !a.is_empty()) {
        prefilters
            .push(Regex::new(&alts.join("|")).map_err(|e| invalid(format!("prefilter: {e}")))?);
    }
    let mut rules = Vec::new();
    let mut sequences = Vec::new();
    let mut is_evidence = vec![false; signals.len()];
    for v in &check.verdicts {
        let evidence = v
            .evidence
            .iter()
            .map(|n| index(n))
            .collect::<io::Result<Vec<_>>>()?;
        for &e in &evidence {
            is_evidence[e] = true;
        }
        rules.push(Rule {
            verdict: v.verdict,
            when: compile_cond(&v.when, &index, &mut sequences)?,
            evidence,
        });
    }
    let start = check.session_start.as_deref().map(index).transpose()?;
    Ok(Compiled {
        signals,
        prefilters,
        weak,
        start,
        rules,
        is_evidence,
        sequences,
    })
}

/// `c` compiled; each sequence in it is pushed onto `sequences` (its signals), and its
/// index there is its place in a session's progress.
fn compile_cond(
    c: &Condition,
    index: &dyn Fn(&str) -> io::Result<usize>,
    sequences: &mut Vec<Vec<usize>>,
) -> io::Result<Cond> {
    let mut all = |v: &[Condition]| {
        v.iter()
            .map(|c| compile_cond(c, index, sequences))
            .collect::<io::Result<Vec<_>>>()
    };
    Ok(match c {
        Condition::Present(s) => Cond::Present(index(s)?),
        Condition::Absent(s) => Cond::Absent(index(s)?),
        Condition::Count {
            signal,
            at_least,
            at_most,
        } => Cond::Count(index(signal)?, *at_least, *at_most),
        Condition::Sequence(v) => {
            let k = sequences.len();
            let steps: Vec<usize> = v.iter().map(|s| index(s)).collect::<io::Result<_>>()?;
            sequences.push(steps.clone());
            Cond::Sequence(steps, k)
        }
        Condition::All(v) => Cond::All(all(v)?),
        Condition::Any(v) => Cond::Any(all(v)?),
        Condition::Not(c) => Cond::Not(Box::new(compile_cond(c, index, sequences)?)),
    })
}

/// A matched record inside a session.
#[derive(Debug, Clone)]
struct SessionRecord {
    lines: Vec<LineRef>,
}

/// What one session has matched. What decides (counts, sequence progress, the first
/// line per signal, evidence texts and how many were left out) is kept in constant space
/// per session; the lists of every record are kept only for the result's `evidence`
/// list ([`Lists::Kept`]).
#[derive(Debug, Clone)]
struct Session {
    index: usize,
    /// Per signal: how many records it matched.
    counts: Vec<u64>,
    /// Per signal: the first physical line of the first record it matched.
    first_line: Vec<Option<LineRef>>,
    /// Per sequence condition: how many of its signals have matched, in order, each in a
    /// later record than the one before (the earliest such records: that is enough to
    /// tell whether the whole sequence can be found).
    progress: Vec<usize>,
    /// (first physical line, text, the signals its record matched) of lines of records
    /// matched by evidence signals, the first `MAX_TEXTS`.
    texts: Vec<(LineRef, String, Vec<usize>)>,
    /// Per rule: lines of records matched by its evidence signals whose text was not kept.
    hidden: Vec<usize>,
    /// ([`Lists::Kept`] only) every matched record, and per signal the indices of its
    /// records, increasing.
    records: Vec<SessionRecord>,
    by_signal: Vec<Vec<u32>>,
}

impl Session {
    fn holds(&self, c: &Cond) -> bool {
        match c {
            Cond::Present(s) => self.counts[*s] > 0,
            Cond::Absent(s) => self.counts[*s] == 0,
            Cond::Count(s, lo, hi) => {
                let n = self.counts[*s];
                lo.is_none_or(|lo| n >= lo) && hi.is_none_or(|hi| n <= hi)
            }
            Cond::Sequence(v, k) => self.progress[*k] == v.len(),
            Cond::All(v) => v.iter().all(|c| self.holds(c)),
            Cond::Any(v) => v.iter().any(|c| self.holds(c)),
            Cond::Not(c) => !self.holds(c),
        }
    }
}

/// One session as the result lists it.
#[derive(Debug, Clone)]
struct SessionEntry {
    start: Option<LineRef>,
    first: LineRef,
    rule: Option<usize>,
}

/// A CMTrace record whose closing trailer has not been seen yet.
#[derive(Debug, Clone)]
struct Pending {
    /// Full line texts, the opener first.
    lines: Vec<(String, Refs, bool)>,
    /// Size so far in UTF-16 code units.
    units: usize,
}

/// Everything a file can change; cloned at each file start so a file can be re-read
/// from scratch (not UTF-8 after all) or dropped (binary).
#[derive(Debug, Clone, Default)]
struct State {
    kinds: [u64; 4],
    signals: Vec<Vec<LineRef>>,
    highlight: Vec<LineRef>,
    /// Per session: its start (`None` before the first start), its first record's
    /// first line (what the texts show for a session without a start), and the
    /// index of the rule that gave its outcome.
    sessions: Vec<SessionEntry>,
    current: Option<Session>,
    /// The last session with an outcome, and the rule that gave it.
    last: Option<(Session, usize)>,
    pending: Option<Pending>,
    /// The unterminated last line of a `.lo_`, waiting for the `.log`.
    carry: String,
    carry_ref: Option<LineRef>,
    /// Input being read, and its lines so far.
    file: u32,
    file_lines: u64,
}

struct Scanner<'c> {
    c: &'c Compiled,
    st: State,
    /// Reused per record: the signals that matched.
    matched: Vec<usize>,
    lists: Lists,
    /// Every record's first line and match text (parts joined by `\n`), for tests.
    #[cfg(test)]
    trace: Vec<(LineRef, String)>,
}

/// The length of `s` in UTF-16 code units (JavaScript's `length`).
fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

/// Runs `check` over `inputs` (rollover pairs reordered) and returns the result
/// (spec §4.3 step 8). I/O errors stop the run; undecodable bytes never do.
pub fn run_check(check: &Check, inputs: Vec<LogInput>) -> io::Result<CheckResult> {
    Ok(scan(check, inputs, Lists::Kept)?.0)
}

/// [`run_check`] for a report that shows the verdict, notes and evidence texts only: the
/// result's per-line lists (`signals`, `highlight`, `evidence`) are left empty, so memory
/// grows with the number of sessions, not with every matching line of the log (which on a
/// large log with many matches took hundreds of megabytes).
pub fn run_check_without_lists(check: &Check, inputs: Vec<LogInput>) -> io::Result<CheckResult> {
    Ok(scan(check, inputs, Lists::Dropped)?.0)
}

/// Whether the scan keeps every matching line for the result's `signals`, `highlight`
/// and `evidence`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lists {
    Kept,
    Dropped,
}

/// The record trace: each record's first line and match text (tests only).
type Trace = Vec<(LineRef, String)>;

fn scan(check: &Check, inputs: Vec<LogInput>, lists: Lists) -> io::Result<(CheckResult, Trace)> {
    let compiled = compile(check)?;
    let locations: Vec<Vec<&str>> = (inputs.iter())
        .map(|i| match i.pair_paths.is_empty() {
            true => vec![i.name.as_str()],
            false => i.pair_paths.iter().map(String::as_str).collect(),
        })
        .collect();
    let (order, continues) = order_inputs(&locations);
    let mut slots: Vec<Option<LogInput>> = inputs.into_iter().map(Some).collect();
    let mut sc = Scanner {
        c: &compiled,
        st: State {
            signals: vec![Vec::new(); check.signals.len()],
            ..State::default()
        },
        matched: Vec::new(),
        lists,
        #[cfg(test)]
        trace: Vec::new(),
    };
    let mut files = Vec::new();
    let mut names_out = Vec::new();
    for (pos, &i) in order.iter().enumerate() {
        let input = slots[i]
            .take()
            .ok_or_else(|| invalid("input used twice".into()))?;
        let (name, mut reader) = input.into_seekable()?;
        sc.st.file = pos as u32;
        sc.st.file_lines = 0;
        let report = sc.scan_file(&name, reader.as_mut(), continues[pos])?;
        files.push(report);
        names_out.push(name);
    }
    sc.end_group();
    sc.close_session();
    #[cfg(test)]
    let trace = std::mem::take(&mut sc.trace);
    #[cfg(not(test))]
    let trace = Vec::new();
    Ok((sc.finish(check, files, names_out), trace))
}

impl Scanner<'_> {
    fn scan_file(
        &mut self,
        name: &str,
        reader: &mut dyn ReadSeek,
        continues: bool,
    ) -> io::Result<FileReport> {
        let mut head = [0u8; 3];
        let mut got = 0;
        while got < 3 {
            let n = match reader.read(&mut head[got..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                r => r?,
            };
            if n == 0 {
                break;
            }
            got += n;
        }
        let (mut encoding, bom_len) =
            decode::sniff_bom(&head[..got]).unwrap_or((decode::Encoding::Utf8, 0));
        let mut mode = match encoding {
            decode::Encoding::Utf8 | decode::Encoding::Utf8Bom => Mode::StrictUtf8,
            other => Mode::lossy(other),
        };
        let snapshot = self.st.clone();
        loop {
            reader.seek(SeekFrom::Start(bom_len))?;
            let carry = std::mem::take(&mut self.st.carry);
            let end = decode::decode(reader, mode, &carry, &mut |text, eof| {
                self.feed(text, eof, continues)
            })?;
            match end {
                End::InvalidUtf8 => {
                    self.st = snapshot.clone();
                    if encoding == decode::Encoding::Utf8 {
                        encoding = decode::Encoding::Windows1252;
                    }
                    mode = Mode::lossy(encoding);
                }
                End::Binary { valid_utf8 } => {
                    self.st = snapshot;
                    if encoding == decode::Encoding::Utf8 && !valid_utf8 {
                        encoding = decode::Encoding::Windows1252;
                    }
                    self.end_of_file(false);
                    return Ok(FileReport::new(
                        name,
                        FileStatus::Binary,
                        encoding.name(),
                        0,
                        false,
                    ));
                }
                End::Done {
                    leftover,
                    text_len,
                    last,
                } => {
                    if text_len == 0 {
                        // The carried line (if any) was not continued: give it back.
                        self.st.carry = leftover;
                        self.end_of_file(false);
                        return Ok(FileReport::new(
                            name,
                            FileStatus::Empty,
                            encoding.name(),
                            0,
                            false,
                        ));
                    }
                    self.st.carry = leftover;
                    let ends = matches!(last, Some(b'\n' | b'\r'));
                    if continues && !self.st.carry.is_empty() {
                        self.st.file_lines += 1;
                        self.st.carry_ref = Some(LineRef {
                            file: self.st.file,
                            line: self.st.file_lines,
                        });
                    }
                    let lines = self.st.file_lines;
                    self.end_of_file(continues);
                    return Ok(FileReport::new(
                        name,
                        FileStatus::Text,
                        encoding.name(),
                        lines,
                        ends,
                    ));
                }
            }
        }
    }

    /// At the end of a file: unless the next file continues it, flush a carried line
    /// and end the group of related files.
    fn end_of_file(&mut self, continues: bool) {
        if continues {
            return;
        }
        if let Some(r) = self.st.carry_ref.take() {
            let text = std::mem::take(&mut self.st.carry);
            let candidate = self.c.prefilters.iter().any(|p| p.is_match(&text));
            self.on_line(
                &text,
                candidate,
                Refs {
                    first: r,
                    joined: None,
                },
            );
        }
        self.st.carry.clear();
        self.end_group();
    }

    /// A boundary between unrelated files: an open CMTrace record cannot continue.
    fn end_group(&mut self) {
        self.fail_pending();
    }

    /// Processes the whole lines of `text`; returns the bytes used. At EOF the last
    /// unterminated line is processed too, unless the next file continues it.
    fn feed(&mut self, text: &str, eof: bool, continues: bool) -> usize {
        let bytes = text.as_bytes();
        let mut pos = 0;
        let c = self.c;
        let find = |p: &Regex, from: usize| -> usize {
            p.find_at(text, from).map_or(usize::MAX, |m| m.start())
        };
        // Where each prefilter next matches (usize::MAX: nowhere in this window).
        let mut hits = [usize::MAX; 2];
        for (h, p) in hits.iter_mut().zip(&c.prefilters) {
            *h = find(p, 0);
        }
        let mut next_hit = hits[0].min(hits[1]);
        while pos < bytes.len() {
            let Some(i) = memchr2(b'\n', b'\r', &bytes[pos..]) else {
                if eof && !continues {
                    let candidate = next_hit < bytes.len();
                    self.line(&text[pos..], candidate);
                    pos = bytes.len();
                }
                break;
            };
            let end = pos + i;
            let term = if bytes[end] == b'\r' {
                match bytes.get(end + 1) {
                    Some(b'\n') => 2,
                    Some(_) => 1,
                    None if eof => 1,
                    // A CR at the end of a window may be the first half of a CRLF.
                    None => break,
                }
            } else {
                1
            };
            let candidate = next_hit < end;
            if candidate {
                for (h, p) in hits.iter_mut().zip(&c.prefilters) {
                    if *h < end {
                        *h = find(p, end + term);
                    }
                }
                next_hit = hits[0].min(hits[1]);
            }
            self.line(&text[pos..end], candidate);
            pos = end + term;
        }
        pos
    }

    fn line(&mut self, text: &str, candidate: bool) {
        self.st.file_lines += 1;
        let here = LineRef {
            file: self.st.file,
            line: self.st.file_lines,
        };
        let refs = match self.st.carry_ref.take() {
            Some(first) => Refs {
                first,
                joined: Some(here),
            },
            None => Refs {
                first: here,
                joined: None,
            },
        };
        self.on_line(text, candidate, refs);
    }

    fn on_line(&mut self, text: &str, candidate: bool, refs: Refs) {
        let is_opener = text.starts_with(CM_OPENER);
        if let Some(p) = &mut self.st.pending {
            if !is_opener {
                p.lines.push((text.to_string(), refs, candidate));
                p.units += utf16_len(text);
                if let Some((end, component)) = records::cm_close(text) {
                    let p = self.st.pending.take().unwrap_or_else(|| unreachable!());
                    self.close_pending(p, end, component.map(str::to_string));
                } else if p.lines.len() >= CM_MAX_LINES || p.units > CM_MAX_UNITS {
                    self.fail_pending();
                }
                return;
            }
            self.fail_pending();
        }
        if is_opener {
            let rest = &text[CM_OPENER.len()..];
            if let Some((end, component)) = records::cm_close(rest) {
                let part = records::trim_blank(&rest[..end]);
                self.record(
                    Kind::Cmtrace,
                    &[part],
                    component,
                    candidate,
                    &[refs],
                    &[text],
                );
            } else {
                self.st.pending = Some(Pending {
                    lines: vec![(text.to_string(), refs, candidate)],
                    units: utf16_len(text),
                });
                if utf16_len(text) > CM_MAX_UNITS {
                    self.fail_pending();
                }
            }
            return;
        }
        let s = records::classify_single(text);
        self.record(
            s.kind,
            &[s.message],
            s.component,
            candidate,
            &[refs],
            &[text],
        );
    }

    fn close_pending(&mut self, p: Pending, end: usize, component: Option<String>) {
        let n = p.lines.len();
        let mut parts = Vec::with_capacity(n);
        for (i, (t, _, _)) in p.lines.iter().enumerate() {
            let from = if i == 0 { CM_OPENER.len() } else { 0 };
            let to = if i + 1 == n { end } else { t.len() };
            parts.push(records::trim_blank(&t[from..to]));
        }
        let candidate = p.lines.iter().any(|l| l.2);
        let refs: Vec<Refs> = p.lines.iter().map(|l| l.1).collect();
        let texts: Vec<&str> = p.lines.iter().map(|l| l.0.as_str()).collect();
        self.record(
            Kind::Cmtrace,
            &parts,
            component.as_deref(),
            candidate,
            &refs,
            &texts,
        );
    }

    /// The opener is read as a single line and scanning resumes after it; the lines
    /// held back hold no opener, so each is a single-line record.
    fn fail_pending(&mut self) {
        let Some(p) = self.st.pending.take() else {
            return;
        };
        for (text, refs, candidate) in &p.lines {
            let s = records::classify_single(text);
            self.record(
                s.kind,
                &[s.message],
                s.component,
                *candidate,
                &[*refs],
                &[text.as_str()],
            );
        }
    }

    fn record(
        &mut self,
        kind: Kind,
        parts: &[&str],
        component: Option<&str>,
        candidate: bool,
        refs: &[Refs],
        texts: &[&str],
    ) {
        self.st.kinds[kind as usize] += 1;
        #[cfg(test)]
        if let Some(r) = refs.first() {
            self.trace.push((r.first, parts.join("\n")));
        }
        self.matched.clear();
        let c = self.c;
        let try_signal = |i: usize, matched: &mut Vec<usize>| {
            let s = &c.signals[i];
            if let (Some(want), Some(have)) = (&s.component, component)
                && !want.eq_ignore_ascii_case(have)
            {
                return;
            }
            if parts.iter().any(|p| s.regex.is_match(p)) {
                matched.push(i);
            }
        };
        if candidate {
            for i in 0..c.signals.len() {
                try_signal(i, &mut self.matched);
            }
        } else {
            for &i in &c.weak {
                try_signal(i, &mut self.matched);
            }
        }
        if self.matched.is_empty() {
            if self.st.current.is_none()
                && let Some(r) = refs.first()
            {
                self.open_session(None, r.first);
            }
            return;
        }
        let mut lines = Vec::with_capacity(refs.len() + 1);
        for r in refs {
            r.push_to(&mut lines);
        }
        if c.start.is_some_and(|s| self.matched.contains(&s)) {
            self.close_session();
            self.open_session(Some(lines[0]), lines[0]);
        } else if self.st.current.is_none() {
            self.open_session(None, lines[0]);
        }
        if self.lists == Lists::Kept {
            self.st.highlight.extend_from_slice(&lines);
            for &i in &self.matched {
                self.st.signals[i].push(lines[0]);
            }
        }
        let keep_text = self.matched.iter().any(|&i| c.is_evidence[i]);
        let Some(session) = self.st.current.as_mut() else {
            return;
        };
        for &i in &self.matched {
            session.counts[i] += 1;
            session.first_line[i].get_or_insert(lines[0]);
        }
        // a record takes each sequence one step, at most (the next takes the next)
        for (k, steps) in c.sequences.iter().enumerate() {
            let at = session.progress[k];
            if steps.get(at).is_some_and(|s| self.matched.contains(s)) {
                session.progress[k] = at + 1;
            }
        }
        let mut dropped = 0;
        if keep_text {
            for (r, t) in refs.iter().zip(texts) {
                if session.texts.len() < MAX_TEXTS {
                    session
                        .texts
                        .push((r.first, t.to_string(), self.matched.clone()));
                } else {
                    dropped += 1;
                }
            }
        }
        if dropped > 0 {
            for (k, rule) in c.rules.iter().enumerate() {
                if rule.evidence.iter().any(|s| self.matched.contains(s)) {
                    session.hidden[k] += dropped;
                }
            }
        }
        if self.lists == Lists::Kept {
            let id = session.records.len() as u32;
            for &i in &self.matched {
                session.by_signal[i].push(id);
            }
            session.records.push(SessionRecord { lines });
        }
    }

    fn open_session(&mut self, start: Option<LineRef>, first: LineRef) {
        let index = self.st.sessions.len();
        self.st.sessions.push(SessionEntry {
            start,
            first,
            rule: None,
        });
        let signals = self.c.signals.len();
        self.st.current = Some(Session {
            index,
            counts: vec![0; signals],
            first_line: vec![None; signals],
            progress: vec![0; self.c.sequences.len()],
            texts: Vec::new(),
            hidden: vec![0; self.c.rules.len()],
            records: Vec::new(),
            by_signal: match self.lists {
                Lists::Kept => vec![Vec::new(); signals],
                Lists::Dropped => Vec::new(),
            },
        });
    }

    fn close_session(&mut self) {
        let Some(session) = self.st.current.take() else {
            return;
        };
        if let Some(rule) = self.c.rules.iter().position(|r| session.holds(&r.when)) {
            self.st.sessions[session.index].rule = Some(rule);
            self.st.last = Some((session, rule));
        }
    }

    fn finish(self, check: &Check, files: Vec<FileReport>, names: Vec<String>) -> CheckResult {
        let st = self.st;
        let multi = names.len() > 1;
        let out = |r: &LineRef| result::LineRefOut::new(r.file as usize, r.line, &names, multi);
        let signals = check
            .signals
            .iter()
            .zip(&st.signals)
            .map(|(s, l)| (s.name.clone(), l.iter().map(out).collect()))
            .collect();
        let any_text = files.iter().any(|f| f.status == FileStatus::Text);
        if !any_text {
            let binary = files.iter().any(|f| f.status == FileStatus::Binary);
            return CheckResult::no_text(binary, files, signals);
        }
        let verdict_of = |rule: usize| self.c.rules[rule].verdict;
        let sessions: Vec<result::SessionReport> = st
            .sessions
            .iter()
            .map(|e| result::SessionReport {
                start: e.start.as_ref().map(out),
                verdict: e.rule.map(verdict_of),
                shown: out(&e.start.unwrap_or(e.first)),
            })
            .collect();
        let mut res = CheckResult::base(
            files,
            signals,
            st.kinds,
            sessions,
            st.highlight.iter().map(out).collect(),
        );
        match &st.last {
            None => {
                res.verdict = check.otherwise.verdict;
                res.message = check.otherwise.message.clone();
            }
            Some((session, rule)) => {
                let r = &self.c.rules[*rule];
                res.verdict = r.verdict;
                res.message = check.verdicts[*rule].message.clone();
                res.decided_session = Some(session.index);
                // (the lists of every record: kept for the JSON only)
                let mut ids: Vec<u32> = (r.evidence.iter())
                    .filter_map(|&s| session.by_signal.get(s))
                    .flat_map(|list| list.iter().copied())
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                res.evidence = ids
                    .iter()
                    .flat_map(|&i| session.records[i as usize].lines.iter())
                    .map(out)
                    .collect();
                let key_line = r.evidence.iter().find_map(|&s| session.first_line[s]);
                res.placeholders = Some(result::Placeholders {
                    line: key_line.as_ref().map(out),
                    session_line: st.sessions[session.index].start.as_ref().map(out),
                    file: key_line.map(|l| names[l.file as usize].clone()),
                });
                // the texts of lines of records this rule's evidence signals matched
                res.evidence_lines = (session.texts.iter())
                    .filter(|(_, _, matched)| r.evidence.iter().any(|s| matched.contains(s)))
                    .map(|(line, t, _)| (out(line), t.clone()))
                    .collect();
                // (a line joined across a rollover is one text for two physical lines)
                res.evidence_hidden = session.hidden[*rule];
                for (i, s) in res.sessions.iter().enumerate() {
                    if i < session.index && s.verdict.is_some_and(|v| v != r.verdict) {
                        res.notes.push(result::Note {
                            kind: result::NoteKind::History,
                            session_start: s.start.clone(),
                            verdict: s.verdict,
                            shown: s.shown.clone(),
                        });
                    } else if i > session.index {
                        res.notes.push(result::Note {
                            kind: result::NoteKind::UnfinishedSession,
                            session_start: s.start.clone(),
                            verdict: None,
                            shown: s.shown.clone(),
                        });
                    }
                }
            }
        }
        res
    }
}

#[cfg(test)]
mod tests;
