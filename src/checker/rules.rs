//! Log-check rules (schema v1, spec §4.2): the `Raw*` structs as written under
//! `log_checks`, the validated `Check`, and the conversion that reports every problem
//! with the YAML spot to point at (as search needles) and a fix.

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::{backtrack, portable};

/// One `log_checks` entry as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCheck {
    pub id: String,
    pub schema: u64,
    pub log_name: String,
    #[serde(default)]
    pub file_hint: Vec<String>,
    pub signals: RawSignals,
    #[serde(default)]
    pub sessions: Option<RawSessions>,
    pub verdicts: Vec<RawVerdict>,
    pub otherwise: RawOutcome,
}

/// The `signals` map in document order (order decides the output order).
#[derive(Debug, Clone, Default)]
pub struct RawSignals(pub Vec<(String, RawSignal)>);

impl<'de> Deserialize<'de> for RawSignals {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSignals;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of signal names to matchers")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawSignals, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, RawSignal>()? {
                    if out.iter().any(|(name, _): &(String, RawSignal)| *name == k) {
                        return Err(crate::frontmatter::duplicate_key(k));
                    }
                    out.push((k, v));
                }
                Ok(RawSignals(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// One signal's matcher as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSignal {
    #[serde(rename = "match")]
    pub literal: Option<String>,
    pub regex: Option<String>,
    #[serde(default)]
    pub ignore_case: bool,
    pub component: Option<String>,
}

/// `sessions:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSessions {
    pub start: String,
    pub decide: String,
}

/// One `verdicts` entry as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVerdict {
    pub verdict: Verdict,
    pub when: RawCondition,
    pub message: String,
    #[serde(default)]
    pub evidence: Vec<String>,
}

/// `otherwise:` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOutcome {
    pub verdict: Verdict,
    pub message: String,
}

/// A condition as written: a one-key map such as `{present: s}`.
#[derive(Debug, Clone)]
pub enum RawCondition {
    Present(String),
    Absent(String),
    Count(RawCount),
    Sequence(Vec<String>),
    All(Vec<RawCondition>),
    Any(Vec<RawCondition>),
    Not(Box<RawCondition>),
}

const CONDITIONS: &[&str] = &[
    "present", "absent", "count", "sequence", "all", "any", "not",
];

impl<'de> Deserialize<'de> for RawCondition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawCondition;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a condition: a map with one key, one of `present`, `absent`, `count`, `sequence`, `all`, `any`, `not`")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawCondition, A::Error> {
                let Some(key) = map.next_key::<String>()? else {
                    return Err(de::Error::custom(
                        "empty condition: write e.g. `{ present: signal_name }`",
                    ));
                };
                let c = match key.as_str() {
                    "present" => RawCondition::Present(map.next_value()?),
                    "absent" => RawCondition::Absent(map.next_value()?),
                    "count" => RawCondition::Count(map.next_value()?),
                    "sequence" => RawCondition::Sequence(map.next_value()?),
                    "all" => RawCondition::All(map.next_value()?),
                    "any" => RawCondition::Any(map.next_value()?),
                    "not" => RawCondition::Not(Box::new(map.next_value()?)),
                    other => return Err(de::Error::unknown_variant(other, CONDITIONS)),
                };
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(de::Error::custom(format!(
                        "a condition has exactly one key, found `{key}` and `{extra}`: combine them with `all: [...]`"
                    )));
                }
                Ok(c)
            }
        }
        d.deserialize_map(V)
    }
}

/// `{count: {signal, at_least, at_most}}` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCount {
    pub signal: String,
    pub at_least: Option<u64>,
    pub at_most: Option<u64>,
}

/// The outcome of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Affected,
    NotAffected,
    Inconclusive,
}

impl Verdict {
    /// The schema spelling: `affected`, `not_affected`, `inconclusive`.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Affected => "affected",
            Verdict::NotAffected => "not_affected",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

/// A validated check: plain data, patterns already in regex form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub id: String,
    pub log_name: String,
    pub file_hint: Vec<String>,
    /// In the order written.
    pub signals: Vec<Signal>,
    /// The signal that starts a session; `None`: the whole input is one session.
    pub session_start: Option<String>,
    pub verdicts: Vec<VerdictRule>,
    pub otherwise: Outcome,
}

/// A validated signal; `match:` literals are already escaped into `regex`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signal {
    pub name: String,
    /// A pattern of the portable subset.
    pub regex: String,
    pub ignore_case: bool,
    pub component: Option<String>,
}

/// A validated verdict rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictRule {
    pub verdict: Verdict,
    pub when: Condition,
    pub message: String,
    /// Signal names; the first that matched gives `{line}`.
    pub evidence: Vec<String>,
}

/// What applies when no session reached an outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub verdict: Verdict,
    pub message: String,
}

/// A validated condition over one session (spec §4.2); names are known signals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    Present(String),
    Absent(String),
    Count {
        signal: String,
        at_least: Option<u64>,
        at_most: Option<u64>,
    },
    Sequence(Vec<String>),
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
}

/// A rule problem: what is wrong, where in the YAML, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RuleProblem {
    /// Successive substrings to search for in the YAML source to find the spot,
    /// e.g. `["log_checks:", "id: x", "legacy_sync:", "regex:"]`.
    pub(crate) needles: Vec<String>,
    /// Lowercase sentence with keys in backticks.
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

struct Problems<'a> {
    base: Vec<String>,
    out: &'a mut Vec<RuleProblem>,
}

impl Problems<'_> {
    fn push(&mut self, extra: &[&str], message: String, help: Option<String>) {
        let mut needles = self.base.clone();
        needles.extend(extra.iter().map(|s| s.to_string()));
        self.out.push(RuleProblem {
            needles,
            message,
            help,
        });
    }
}

/// Validates raw checks: schema 1, unique ids, signal names, exactly one of
/// `match`/`regex`, the portable regex subset (then compiled with Rust `regex`), known
/// signal names everywhere, `decide: last_conclusive`, sane count bounds. Returns the
/// checks that passed and every problem found.
pub(crate) fn validate_checks(raw: Vec<RawCheck>) -> (Vec<Check>, Vec<RuleProblem>) {
    let mut problems = Vec::new();
    let mut checks = Vec::new();
    let mut ids = HashSet::new();
    for r in raw {
        let mut p = Problems {
            base: vec!["log_checks:".into(), format!("id: {}", r.id)],
            out: &mut problems,
        };
        let before = p.out.len();
        if !is_valid_id(&r.id) {
            p.push(
                &[],
                format!("check id `{}` is not valid", r.id),
                Some("use ASCII letters, digits, `-`, `_` and `.`".into()),
            );
        } else if !ids.insert(r.id.clone()) {
            p.push(
                &[],
                format!("check id `{}` is used twice", r.id),
                Some("give each check of an advisory its own id".into()),
            );
        }
        let c = validate_check(r, &mut p);
        if p.out.len() == before {
            checks.push(c);
        }
    }
    (checks, problems)
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn validate_check(r: RawCheck, p: &mut Problems<'_>) -> Check {
    if r.schema != 1 {
        p.push(
            &["schema:"],
            format!("unsupported `schema: {}`", r.schema),
            Some("this version of avisa reads `schema: 1`".into()),
        );
    }
    if r.log_name.trim().is_empty() {
        p.push(
            &["log_name:"],
            "`log_name` is empty".into(),
            Some("name the log the reader should pick, e.g. `Wsyncmgr.log`".into()),
        );
    }
    if r.signals.0.is_empty() {
        p.push(
            &["signals:"],
            "a check needs at least one signal".into(),
            None,
        );
    }
    // Every name written counts as known, so a signal that failed validation is
    // reported once, not again at every use.
    let written: Vec<String> = r.signals.0.iter().map(|(n, _)| n.clone()).collect();
    let mut signals = Vec::new();
    for (name, s) in r.signals.0 {
        let spot = format!("{name}:");
        if !is_valid_name(&name) {
            p.push(
                &["signals:", &spot],
                format!("signal name `{name}` is not valid"),
                Some("use lowercase ASCII letters, digits and `_`".into()),
            );
        }
        // the key of the pattern, where a problem of the pattern is shown
        let key = if s.regex.is_some() {
            "regex:"
        } else {
            "match:"
        };
        let regex = match (s.literal, s.regex) {
            (Some(_), Some(_)) | (None, None) => {
                p.push(
                    &["signals:", &spot],
                    format!("signal `{name}` needs exactly one of `match` and `regex`"),
                    Some("use `match:` for literal text, `regex:` for a pattern".into()),
                );
                continue;
            }
            (Some(lit), None) => {
                if lit.is_empty() {
                    p.push(
                        &["signals:", &spot, "match:"],
                        format!("signal `{name}` has an empty `match`"),
                        Some(
                            "an empty pattern matches every line; write the text to look for"
                                .into(),
                        ),
                    );
                    continue;
                }
                portable::escape_literal(&lit)
            }
            (None, Some(re)) => {
                if re.is_empty() {
                    p.push(
                        &["signals:", &spot, "regex:"],
                        format!("signal `{name}` has an empty `regex`"),
                        Some(
                            "an empty pattern matches every line; write the text to look for"
                                .into(),
                        ),
                    );
                    continue;
                }
                if let Err(e) =
                    portable::parse(&re).and_then(|n| backtrack::check(&n, s.ignore_case))
                {
                    p.push(
                        &["signals:", &spot, "regex:"],
                        format!("signal `{name}`: {}", e.message),
                        e.help,
                    );
                    continue;
                }
                re
            }
        };
        if let Err(e) = regex::RegexBuilder::new(&regex)
            .dot_matches_new_line(true)
            .case_insensitive(s.ignore_case)
            .build()
        {
            let first = e
                .to_string()
                .lines()
                .last()
                .unwrap_or_default()
                .trim()
                .to_string();
            p.push(
                &["signals:", &spot, key],
                format!("signal `{name}`: Rust `regex` rejects the pattern: {first}"),
                Some("simplify the pattern".into()),
            );
            continue;
        }
        if s.component.as_deref().is_some_and(|c| c.trim().is_empty()) {
            p.push(
                &["signals:", &spot, "component:"],
                format!("signal `{name}` has an empty `component`"),
                Some("remove `component` or name the component".into()),
            );
        }
        signals.push(Signal {
            name,
            regex,
            ignore_case: s.ignore_case,
            component: s.component,
        });
    }
    let known: BTreeSet<&str> = written.iter().map(String::as_str).collect();
    let unknown = |name: &str, where_: &[&str], p: &mut Problems<'_>| {
        if !known.contains(name) {
            p.push(
                where_,
                format!("unknown signal `{name}`"),
                Some(
                    crate::diag::did_you_mean(name, known.iter().copied()).unwrap_or_else(|| {
                        format!(
                            "use one of the names under `signals`: {}",
                            crate::diag::code_list(&known)
                        )
                    }),
                ),
            );
            false
        } else {
            true
        }
    };
    let session_start = match r.sessions {
        None => None,
        Some(s) => {
            if s.decide != "last_conclusive" {
                p.push(
                    &["sessions:", "decide:"],
                    format!("unknown `decide: {}`", s.decide),
                    Some("schema 1 knows only `decide: last_conclusive`".into()),
                );
            }
            unknown(&s.start, &["sessions:", "start:"], p);
            Some(s.start)
        }
    };
    if r.verdicts.is_empty() {
        p.push(
            &["verdicts:"],
            "a check needs at least one verdict rule".into(),
            None,
        );
    }
    /// Needles for a spot in a verdict rule: the rule's own, then `more`.
    fn at<'a>(rule: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
        [rule, more].concat()
    }
    let mut verdicts = Vec::new();
    for (i, v) in r.verdicts.into_iter().enumerate() {
        // rule i's spot: its `verdict:` key, written first in the example and the spec
        let rule: Vec<&str> = std::iter::once("verdicts:")
            .chain(std::iter::repeat_n("verdict:", i + 1))
            .collect();
        let when = convert_condition(v.when, &mut |n| unknown(n, &at(&rule, &["when:", n]), p));
        let Some(when) = when else {
            p.push(
                &rule,
                format!("verdict rule {} has an invalid `when`", i + 1),
                None,
            );
            continue;
        };
        if let Err((msg, help)) = check_condition(&when) {
            p.push(
                &at(&rule, &["when:"]),
                format!("verdict rule {}: {msg}", i + 1),
                Some(help),
            );
        }
        check_message_key(&v.message, &at(&rule, &["message:"]), p);
        let mut seen = HashSet::new();
        for e in &v.evidence {
            unknown(e, &at(&rule, &["evidence:", e]), p);
            if !seen.insert(e) {
                // the second time it is listed
                p.push(
                    &at(&rule, &["evidence:", e, e]),
                    format!("signal `{e}` is listed twice in `evidence`"),
                    Some("list each signal once".into()),
                );
            }
        }
        verdicts.push(VerdictRule {
            verdict: v.verdict,
            when,
            message: v.message,
            evidence: v.evidence,
        });
    }
    check_message_key(&r.otherwise.message, &["otherwise:", "message:"], p);
    Check {
        id: r.id,
        log_name: r.log_name,
        file_hint: r.file_hint,
        signals,
        session_start,
        verdicts,
        otherwise: Outcome {
            verdict: r.otherwise.verdict,
            message: r.otherwise.message,
        },
    }
}

fn check_message_key(key: &str, where_: &[&str], p: &mut Problems<'_>) {
    if !is_valid_name(key) {
        p.push(
            where_,
            format!("message key `{key}` is not valid"),
            Some("use lowercase ASCII letters, digits and `_`, e.g. `affected`".into()),
        );
    }
}

/// Converts names, reporting unknown ones through `known` (which returns false for them).
fn convert_condition(c: RawCondition, known: &mut dyn FnMut(&str) -> bool) -> Option<Condition> {
    Some(match c {
        RawCondition::Present(s) => {
            known(&s);
            Condition::Present(s)
        }
        RawCondition::Absent(s) => {
            known(&s);
            Condition::Absent(s)
        }
        RawCondition::Count(c) => {
            known(&c.signal);
            Condition::Count {
                signal: c.signal,
                at_least: c.at_least,
                at_most: c.at_most,
            }
        }
        RawCondition::Sequence(v) => {
            for s in &v {
                known(s);
            }
            Condition::Sequence(v)
        }
        RawCondition::All(v) => Condition::All(
            v.into_iter()
                .map(|c| convert_condition(c, known))
                .collect::<Option<_>>()?,
        ),
        RawCondition::Any(v) => Condition::Any(
            v.into_iter()
                .map(|c| convert_condition(c, known))
                .collect::<Option<_>>()?,
        ),
        RawCondition::Not(c) => Condition::Not(Box::new(convert_condition(*c, known)?)),
    })
}

/// Structural checks: non-empty lists, count bounds given and in order.
fn check_condition(c: &Condition) -> Result<(), (String, String)> {
    match c {
        Condition::Present(_) | Condition::Absent(_) => Ok(()),
        Condition::Count {
            signal,
            at_least,
            at_most,
        } => match (at_least, at_most) {
            (None, None) => Err((
                format!("`count` of `{signal}` has neither `at_least` nor `at_most`"),
                "give at least one bound, e.g. `at_least: 1`".into(),
            )),
            (Some(l), Some(m)) if l > m => Err((
                format!("`count` of `{signal}` has `at_least: {l}` above `at_most: {m}`"),
                "swap the bounds".into(),
            )),
            _ => Ok(()),
        },
        Condition::Sequence(v) if v.is_empty() => Err((
            "`sequence` is empty".into(),
            "list the signals in the order they must appear".into(),
        )),
        Condition::Sequence(_) => Ok(()),
        Condition::All(v) | Condition::Any(v) if v.is_empty() => Err((
            "`all`/`any` is empty".into(),
            "list at least one condition".into(),
        )),
        Condition::All(v) | Condition::Any(v) => v.iter().try_for_each(check_condition),
        Condition::Not(c) => check_condition(c),
    }
}

/// The message key of a check's heading on its page (optional; not a verdict's message).
pub(crate) const TITLE_KEY: &str = "title";

/// The placeholders a verdict's message may hold; the page and `check-log` put the
/// values in (as text).
pub(crate) const PLACEHOLDERS: [&str; 3] = ["line", "file", "session_line"];

/// The names written as placeholders in `message` (`{name}`, a name of letters, digits
/// and `_`, maybe between spaces) that are not [`PLACEHOLDERS`] as written, each once,
/// with its byte offset: the page would show them as they are (`{linha}`, `{ line }`).
/// Other braces (`{ }`, `{"a": 1}`) are text.
pub(crate) fn unknown_placeholders(message: &str) -> Vec<(&str, usize)> {
    let mut out: Vec<(&str, usize)> = Vec::new();
    for (i, _) in message.match_indices('{') {
        let rest = &message[i + 1..];
        let Some(end) = rest.find('}') else {
            break;
        };
        let name = &rest[..end];
        // (`{ line }`, spaced as Fluent's placeables are, is not `{line}` either)
        let bare = name.trim_matches(' ');
        let is_name = !bare.is_empty()
            && bare.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !bare.starts_with(|c: char| c.is_ascii_digit());
        let known = PLACEHOLDERS.contains(&name);
        if is_name && !known && !out.iter().any(|(n, _)| *n == name) {
            out.push((name, i));
        }
    }
    out
}

/// The message keys a check uses (each verdict's `message`, then `otherwise.message`),
/// without duplicates, in that order.
pub(crate) fn message_keys(check: &Check) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in check
        .verdicts
        .iter()
        .map(|v| &v.message)
        .chain(std::iter::once(&check.otherwise.message))
    {
        if !out.contains(k) {
            out.push(k.clone());
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn unknown_placeholders_are_names_in_braces_other_than_the_three() {
        let cases: [(&str, &[(&str, usize)]); 7] = [
            ("line {line}, {file}, session {session_line}", &[]),
            (
                "linha {linha} ({linha}), {Line}",
                &[("linha", 6), ("Line", 25)],
            ),
            ("{ }, {}, {\"a\": 1}, {1x}, {x-y}", &[]),
            ("at { line }", &[(" line ", 3)]),
            ("{sessão}", &[("sessão", 0)]),
            ("unclosed {line", &[]),
            ("{{line}}", &[]),
        ];
        for (message, expected) in cases {
            assert_eq!(unknown_placeholders(message), expected, "{message}");
        }
    }

    /// The shared worked example, parsed through the front-matter module.
    pub(crate) fn shared_rules() -> Vec<RawCheck> {
        #[derive(Deserialize)]
        struct File {
            log_checks: Vec<RawCheck>,
        }
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/logs/rules-954474.yaml"
        );
        let text = std::fs::read_to_string(path).expect("shared rules are readable");
        let f: File =
            crate::frontmatter::parse_yaml(&text, Path::new(path), 1).expect("shared rules parse");
        f.log_checks
    }

    fn raw(yaml: &str) -> Vec<RawCheck> {
        crate::frontmatter::parse_yaml(yaml, Path::new("t.yaml"), 1).expect("test yaml parses")
    }

    const BASE: &str = r#"
- id: c1
  schema: 1
  log_name: X.log
  signals:
    a: { match: "x.y" }
    b: { regex: "^b[0-9]+" , component: Comp }
  sessions: { start: a, decide: last_conclusive }
  verdicts:
    - { verdict: affected, when: { all: [ {present: a}, {not: {absent: b}}, {count: {signal: b, at_least: 1}}, {sequence: [a, b]}, {any: [{present: a}]} ] }, message: aff, evidence: [b, a] }
  otherwise: { verdict: inconclusive, message: none }
"#;

    #[test]
    fn worked_example_validates_and_keeps_signal_order() {
        let (checks, problems) = validate_checks(shared_rules());
        assert_eq!(problems, vec![]);
        let c = &checks[0];
        assert_eq!(c.id, "msa954474-wsyncmgr-legacy-sync");
        let names: Vec<_> = c.signals.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "legacy_sync",
                "legacy_statmsg",
                "updatewuscatalog",
                "catalog",
                "preprocessing",
                "deployment_action_error",
                "zero_summary",
                "nonzero_summary"
            ]
        );
        assert_eq!(c.signals[0].regex, "Performing legacy sync");
        assert_eq!(c.session_start.as_deref(), Some("legacy_sync"));
        assert_eq!(
            message_keys(c),
            [
                "affected",
                "not_affected",
                "zero_without_error",
                "no_legacy_sync"
            ]
        );
    }

    #[test]
    fn a_signal_defined_twice_is_reported_at_its_second_definition() {
        let yaml = BASE.replace(
            "    b: { regex:",
            "    a: { match: \"again\" }\n    b: { regex:",
        );
        let p = crate::frontmatter::parse_yaml::<Vec<RawCheck>>(&yaml, Path::new("t.yaml"), 1)
            .unwrap_err();
        assert!(p.message.contains("duplicate key `a`"), "{}", p.message);
        assert_eq!((p.line, p.column), (Some(7), Some(5)));
    }

    #[test]
    fn match_literal_becomes_an_escaped_regex() {
        let (checks, problems) = validate_checks(raw(BASE));
        assert_eq!(problems, vec![]);
        assert_eq!(checks[0].signals[0].regex, "x\\.y");
    }

    fn problems_of(edit: impl Fn(&str) -> String) -> Vec<RuleProblem> {
        let (_, problems) = validate_checks(raw(&edit(BASE)));
        problems
    }

    #[test]
    fn invalid_rules_are_reported_with_their_spot_and_a_fix() {
        let cases: Vec<(String, &str, &str)> = vec![
            (
                BASE.replace("schema: 1", "schema: 2"),
                "unsupported `schema: 2`",
                "schema:",
            ),
            (
                BASE.replace("a: { match: \"x.y\" }", "A-1: { match: \"x.y\" }"),
                "signal name `A-1` is not valid",
                "A-1:",
            ),
            (
                BASE.replace("{ match: \"x.y\" }", "{ match: \"x\", regex: \"y\" }"),
                "exactly one of `match` and `regex`",
                "a:",
            ),
            (
                BASE.replace("{ match: \"x.y\" }", "{ ignore_case: true }"),
                "exactly one of `match` and `regex`",
                "a:",
            ),
            (
                BASE.replace("\"^b[0-9]+\"", "'^b\\d+'"),
                "signal `b`: `\\d` is not portable",
                "regex:",
            ),
            (
                BASE.replace("\"^b[0-9]+\"", "'^Error( [a-z]| [a-z0-9])*$'"),
                "signal `b`: the pattern can match the text `Error a a a` in more than one way",
                "regex:",
            ),
            (
                BASE.replace("\"^b[0-9]+\"", "'(?:k|K)+x', ignore_case: true"),
                "signal `b`: the pattern can match the text `KK",
                "regex:",
            ),
            (
                BASE.replace("start: a", "start: zz"),
                "unknown signal `zz`",
                "start:",
            ),
            (
                BASE.replace("decide: last_conclusive", "decide: first"),
                "unknown `decide: first`",
                "decide:",
            ),
            (
                BASE.replace("{present: a}, {not", "{present: q}, {not"),
                "unknown signal `q`",
                "q",
            ),
            (
                BASE.replace("evidence: [b, a]", "evidence: [b, zz]"),
                "unknown signal `zz`",
                "zz",
            ),
            (
                BASE.replace("evidence: [b, a]", "evidence: [b, b]"),
                "listed twice",
                "b",
            ),
            (
                BASE.replace("at_least: 1", "at_least: 3, at_most: 2"),
                "above `at_most: 2`",
                "when:",
            ),
            (
                BASE.replace("signal: b, at_least: 1", "signal: b"),
                "neither `at_least` nor `at_most`",
                "when:",
            ),
            (
                BASE.replace("{sequence: [a, b]}", "{sequence: []}"),
                "`sequence` is empty",
                "when:",
            ),
            (
                BASE.replace("message: aff", "message: Aff!"),
                "message key `Aff!` is not valid",
                "message:",
            ),
            (
                BASE.replace("id: c1", "id: c 1"),
                "check id `c 1` is not valid",
                "id: c 1",
            ),
            (
                BASE.replace("component: Comp", "component: ''"),
                "empty `component`",
                "component:",
            ),
        ];
        for (yaml, message, last_needle) in cases {
            let problems = problems_of(|_| yaml.clone());
            assert!(
                problems.iter().any(|p| p.message.contains(message)
                    && p.needles.last().is_some_and(|n| n == last_needle)),
                "{message}: got {problems:?}"
            );
            assert!(problems.iter().all(|p| p.needles[0] == "log_checks:"));
        }
    }

    #[test]
    fn duplicate_check_ids_are_rejected() {
        let twice = format!("{BASE}{}", BASE.trim_start_matches('\n'));
        let (checks, problems) = validate_checks(raw(&twice));
        assert_eq!(checks.len(), 1);
        assert!(
            problems
                .iter()
                .any(|p| p.message == "check id `c1` is used twice"),
            "{problems:?}"
        );
    }

    #[test]
    fn unknown_fields_are_rejected_by_the_raw_structs() {
        let r: Result<Vec<RawCheck>, _> = crate::frontmatter::parse_yaml(
            &BASE.replace("log_name: X.log", "log_name: X.log\n  title: x"),
            Path::new("t"),
            1,
        );
        assert!(
            r.expect_err("unknown field")
                .message
                .contains("unknown field `title`")
        );
        let r: Result<Vec<RawCheck>, _> = crate::frontmatter::parse_yaml(
            &BASE.replace("component: Comp", "component: Comp, case: x"),
            Path::new("t"),
            1,
        );
        assert!(r.is_err());
    }
}
