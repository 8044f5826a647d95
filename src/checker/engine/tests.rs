//! Engine tests: the shared vectors' record texts, then one table per spec rule that
//! the shared cases do not pin down (conditions, components, rollover, encodings,
//! line ends, the CMTrace cap, notes).

use std::io::Cursor;
use std::path::Path;

use super::*;
use crate::checker::result::LineRefOut;
use crate::checker::rules::{RawCheck, tests::shared_rules, validate_checks};

fn shared_check() -> Check {
    validate_checks(shared_rules()).0.remove(0)
}

fn check_from(yaml: &str) -> Check {
    let raw: Vec<RawCheck> =
        crate::frontmatter::parse_yaml(yaml, Path::new("t.yaml"), 1).expect("test rules parse");
    let (mut checks, problems) = validate_checks(raw);
    assert_eq!(problems, vec![]);
    checks.remove(0)
}

fn inputs(files: &[(&str, &[u8])]) -> Vec<LogInput> {
    files
        .iter()
        .map(|(n, b)| LogInput::seekable(*n, Cursor::new(b.to_vec())))
        .collect()
}

fn run(check: &Check, files: &[(&str, &[u8])]) -> CheckResult {
    run_check(check, inputs(files)).expect("in-memory inputs do not fail")
}

fn nums(v: &[LineRefOut]) -> Vec<u64> {
    v.iter()
        .map(|r| match r {
            LineRefOut::Line(n) => *n,
            LineRefOut::FileLine(s) => s
                .rsplit(':')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0),
        })
        .collect()
}

fn signal<'a>(r: &'a CheckResult, name: &str) -> &'a [LineRefOut] {
    &r.signals
        .iter()
        .find(|(n, _)| n == name)
        .expect("signal exists")
        .1
}

#[test]
fn shared_vectors_give_the_expected_match_texts() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/logs/");
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}expected.json")).expect("expected.json"),
    )
    .expect("json");
    let check = shared_check();
    let mut seen = 0;
    for (_, case) in expected["cases"].as_object().expect("cases") {
        let Some(texts) = case["line_text"].as_object() else {
            continue;
        };
        let names: Vec<String> = case["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .map(|v| v.as_str().unwrap_or("").to_string())
            .collect();
        let files: Vec<LogInput> = names
            .iter()
            .map(|n| {
                LogInput::seekable(
                    n.clone(),
                    std::fs::File::open(format!("{dir}{n}")).expect("vector file"),
                )
            })
            .collect();
        let (_, trace) = scan(&check, files, Lists::Kept).expect("scan");
        for (at, want) in texts {
            let (file, line) = match at.rsplit_once(':') {
                Some((f, l)) => (
                    names.iter().position(|n| n == f).expect("file"),
                    l.parse::<u64>().expect("line"),
                ),
                None => (0, at.parse::<u64>().expect("line")),
            };
            let got = trace
                .iter()
                .find(|(r, _)| r.file == file as u32 && r.line == line)
                .map(|(_, t)| t.as_str());
            assert_eq!(got, want.as_str(), "{at}");
            seen += 1;
        }
    }
    assert_eq!(seen, 4);
}

const CONDS: &str = r#"
- id: c
  schema: 1
  log_name: x.log
  signals:
    a: { match: "A" }
    b: { match: "B" }
  verdicts:
    - { verdict: affected, when: WHEN, message: yes, evidence: [b, a] }
  otherwise: { verdict: not_affected, message: no }
"#;

#[test]
fn each_condition_type_holds_exactly_when_the_spec_says() {
    let cases: &[(&str, &str, bool)] = &[
        ("{ present: a }", "A\n", true),
        ("{ present: a }", "x\n", false),
        ("{ absent: a }", "x\n", true),
        ("{ absent: a }", "A\n", false),
        ("{ count: { signal: a, at_least: 2 } }", "A\nA\n", true),
        ("{ count: { signal: a, at_least: 2 } }", "A\n", false),
        ("{ count: { signal: a, at_most: 1 } }", "x\n", true),
        ("{ count: { signal: a, at_most: 1 } }", "A\nA\n", false),
        (
            "{ count: { signal: a, at_least: 1, at_most: 2 } }",
            "A\nA\n",
            true,
        ),
        (
            "{ count: { signal: a, at_least: 1, at_most: 2 } }",
            "A\nA\nA\n",
            false,
        ),
        ("{ sequence: [a, b] }", "A\nB\n", true),
        ("{ sequence: [a, b] }", "B\nA\n", false),
        ("{ sequence: [a, b, a] }", "A\nB\nA\n", true),
        ("{ sequence: [a, b, a] }", "A\nA\nB\n", false),
        ("{ sequence: [a, a] }", "A\n", false),
        ("{ sequence: [a, a] }", "AA\nA\n", true),
        // one record matching both signals does not make a sequence
        ("{ sequence: [a, b] }", "AB\n", false),
        (
            "{ all: [ { present: a }, { present: b } ] }",
            "A\nB\n",
            true,
        ),
        ("{ all: [ { present: a }, { present: b } ] }", "A\n", false),
        ("{ any: [ { present: a }, { present: b } ] }", "B\n", true),
        ("{ any: [ { present: a }, { present: b } ] }", "x\n", false),
        ("{ not: { present: a } }", "B\n", true),
        ("{ not: { present: a } }", "A\n", false),
    ];
    for (when, log, holds) in cases {
        let check = check_from(&CONDS.replace("WHEN", when));
        let r = run(&check, &[("x.log", log.as_bytes())]);
        let want = if *holds {
            Verdict::Affected
        } else {
            Verdict::NotAffected
        };
        assert_eq!(r.verdict, want, "{when} on {log:?}");
    }
}

#[test]
fn line_placeholder_is_absent_when_no_evidence_signal_matched() {
    let check = check_from(&CONDS.replace("WHEN", "{ absent: a }"));
    let r = run(&check, &[("x.log", b"x\n")]);
    assert_eq!(r.verdict, Verdict::Affected);
    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(
        json["placeholders"],
        serde_json::json!({"session_line": null})
    );
}

#[test]
fn evidence_and_line_placeholder_follow_the_evidence_order() {
    let check = check_from(&CONDS.replace("WHEN", "{ present: a }"));
    let r = run(&check, &[("x.log", b"A\nx\nB\nA\n")]);
    assert_eq!(nums(&r.evidence), [1, 3, 4]);
    // `b` is listed first in `evidence`, so `{line}` is its first record.
    assert_eq!(
        r.placeholders.as_ref().and_then(|p| p.line.clone()),
        Some(LineRefOut::Line(3))
    );
    assert_eq!(
        r.placeholders.as_ref().and_then(|p| p.session_line.clone()),
        None
    );
    assert_eq!(r.sessions.len(), 1);
    assert_eq!(r.record_kinds, [0, 0, 0, 4]);
}

const COMPONENT: &str = r#"
- id: c
  schema: 1
  log_name: x.log
  signals:
    s: { match: "hit", component: Sms_Comp }
  verdicts:
    - { verdict: affected, when: { present: s }, message: yes, evidence: [s] }
  otherwise: { verdict: not_affected, message: no }
"#;

#[test]
fn component_filter_is_case_insensitive_and_spares_records_without_component() {
    let check = check_from(COMPONENT);
    let cases: &[(&str, bool)] = &[
        ("hit  $$<SMS_COMP><t><thread=1 (0x1)>\n", true),
        ("hit  $$<sms_comp><t><thread=1 (0x1)>\n", true),
        ("hit  $$<OTHER><t><thread=1 (0x1)>\n", false),
        ("hit\n", true),
        ("hit  $$<><t><thread=1 (0x1)>\n", true),
        ("hit\tOTHER\tdate\t1 (0x1)\n", false),
        ("hit\tsms_COMP\tdate\t1 (0x1)\n", true),
        (
            "<![LOG[hit]LOG]!><time=\"\" date=\"\" component=\"OTHER\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\n",
            false,
        ),
        (
            "<![LOG[hit]LOG]!><time=\"\" date=\"\" component=\"\" context=\"\" type=\"1\" thread=\"1\" file=\"\">\n",
            true,
        ),
    ];
    for (log, affected) in cases {
        let r = run(&check, &[("x.log", log.as_bytes())]);
        assert_eq!(r.verdict == Verdict::Affected, *affected, "{log:?}");
    }
}

const SIMPLE: &str = r#"
- id: c
  schema: 1
  log_name: x.log
  signals:
    start: { match: "START" }
    bad: { match: "BAD" }
    good: { match: "GOOD" }
  sessions: { start: start, decide: last_conclusive }
  verdicts:
    - { verdict: affected, when: { present: bad }, message: yes, evidence: [bad] }
    - { verdict: not_affected, when: { present: good }, message: no, evidence: [good] }
  otherwise: { verdict: inconclusive, message: none }
"#;

#[test]
fn rollover_joins_a_line_cut_at_the_end_of_the_lo_file() {
    let check = check_from(SIMPLE);
    // Given in the wrong order on purpose: the .lo_ goes first anyway.
    let r = run(
        &check,
        &[("W.LOG", b"D here\nnext\n"), ("w.lo_", b"START\nBA")],
    );
    assert_eq!(
        r.files.iter().map(|f| f.file.as_str()).collect::<Vec<_>>(),
        ["w.lo_", "W.LOG"]
    );
    assert_eq!(r.verdict, Verdict::Affected);
    let refs = |v: &[LineRefOut]| v.iter().map(|r| r.to_string()).collect::<Vec<_>>();
    assert_eq!(refs(signal(&r, "bad")), ["w.lo_:2"]);
    assert_eq!(refs(&r.evidence), ["w.lo_:2", "W.LOG:1"]);
    assert_eq!((r.files[0].lines, r.files[0].ends_with_newline), (2, false));
    assert_eq!((r.files[1].lines, r.files[1].ends_with_newline), (2, true));
    assert_eq!(
        r.evidence_lines,
        vec![(LineRefOut::FileLine("w.lo_:2".into()), "BAD here".into())]
    );
}

#[test]
fn unrelated_files_are_not_joined() {
    let check = check_from(SIMPLE);
    let r = run(&check, &[("a.log", b"START\nBA"), ("b.log", b"D\n")]);
    assert_eq!(r.verdict, Verdict::Inconclusive);
    assert_eq!(r.record_kinds, [0, 0, 0, 3]);
}

#[test]
fn cut_line_of_a_lo_file_stays_its_own_when_the_log_is_empty_or_binary() {
    let check = check_from(SIMPLE);
    for log in [&b""[..], b"BAD\0"] {
        let r = run(&check, &[("w.lo_", b"START\nBAD"), ("w.log", log)]);
        assert_eq!(r.verdict, Verdict::Affected);
        let refs: Vec<String> = r.evidence.iter().map(|r| r.to_string()).collect();
        assert_eq!(refs, ["w.lo_:2"]);
        assert_eq!(r.files[0].lines, 2);
    }
}

#[test]
fn later_conclusive_session_decides_and_notes_history_and_unfinished_sessions() {
    let check = check_from(SIMPLE);
    let r = run(
        &check,
        &[("x.log", b"pre\nSTART\nBAD\nSTART\nGOOD\nSTART\nnothing\n")],
    );
    assert_eq!(r.verdict, Verdict::NotAffected);
    assert_eq!(r.decided_session, Some(2));
    assert_eq!(r.sessions.len(), 4);
    let notes = serde_json::to_value(&r.notes).expect("json");
    assert_eq!(
        notes,
        serde_json::json!([
            {"kind": "history", "session_start": 2, "verdict": "affected"},
            {"kind": "unfinished_session", "session_start": 6}
        ])
    );
    // Healthy, then failing: affected, and the healthy one is history.
    let r = run(&check, &[("x.log", b"START\nGOOD\nSTART\nBAD\n")]);
    assert_eq!(r.verdict, Verdict::Affected);
    assert_eq!(r.notes.len(), 1);
}

#[test]
fn no_conclusive_session_applies_otherwise_without_placeholders() {
    let check = check_from(SIMPLE);
    let r = run(&check, &[("x.log", b"START\nx\n")]);
    assert_eq!(
        (r.verdict, r.message.as_str(), r.decided_session),
        (Verdict::Inconclusive, "none", None)
    );
    assert_eq!(
        serde_json::to_value(&r).expect("json")["placeholders"],
        serde_json::json!({})
    );
    assert!(r.notes.is_empty());
}

#[test]
fn encodings_are_decoded_per_file() {
    let check = check_from(
        &CONDS
            .replace("WHEN", "{ present: a }")
            .replace("match: \"A\"", "match: \"€é\""),
    );
    let mut long_valid = "é\n".repeat(decode::CHUNK).into_bytes();
    long_valid.extend_from_slice(b"\x80\xe9\n");
    let cases: Vec<(Vec<u8>, &str, bool, u64)> = vec![
        ("€é\n".as_bytes().to_vec(), "utf-8", true, 1),
        (
            b"\xEF\xBB\xBF\xE2\x82\xAC\xC3\xA9".to_vec(),
            "utf-8-bom",
            true,
            1,
        ),
        // UTF-8 with BOM and a bad byte: U+FFFD, still UTF-8.
        (
            b"\xEF\xBB\xBFx\xff\n\xE2\x82\xAC\xC3\xA9\n".to_vec(),
            "utf-8-bom",
            true,
            2,
        ),
        (
            b"\xFF\xFE\xAC\x20\xE9\x00\n\x00".to_vec(),
            "utf-16le",
            true,
            1,
        ),
        (b"\xFE\xFF\x20\xAC\x00\xE9".to_vec(), "utf-16be", true, 1),
        // Malformed UTF-16 (a lone surrogate, an odd byte) becomes U+FFFD.
        (
            b"\xFF\xFE\x00\xD8\n\x00\xAC\x20\xE9\x00x".to_vec(),
            "utf-16le",
            true,
            2,
        ),
        (b"\x80\xe9\n".to_vec(), "windows-1252", true, 1),
        (
            long_valid.clone(),
            "windows-1252",
            true,
            decode::CHUNK as u64 + 1,
        ),
    ];
    for (bytes, encoding, affected, lines) in cases {
        let r = run(&check, &[("x.log", &bytes)]);
        assert_eq!(r.files[0].encoding, encoding, "{encoding}");
        assert_eq!(r.files[0].lines, lines, "{encoding}");
        assert_eq!(r.verdict == Verdict::Affected, affected, "{encoding}");
    }
}

#[test]
fn nul_means_binary_and_nothing_left_means_not_text_or_empty() {
    let check = shared_check();
    let r = run(&check, &[("x.log", b"Performing legacy sync\n\0")]);
    assert_eq!(
        (r.verdict, r.message.as_str(), r.message_scope),
        (
            Verdict::Inconclusive,
            "not_text",
            Some(result::MessageScope::Site)
        )
    );
    assert_eq!(r.files[0].status, FileStatus::Binary);
    // Not read as text: no lines and no final newline (the page reports the same).
    assert_eq!((r.files[0].lines, r.files[0].ends_with_newline), (0, false));
    assert!(
        signal(&r, "legacy_sync").is_empty(),
        "a binary file is excluded entirely"
    );
    let r = run(&check, &[("x.log", b"")]);
    assert_eq!(
        (r.message.as_str(), r.files[0].status),
        ("empty", FileStatus::Empty)
    );
    let r = run(&check, &[("x.log", b"\xEF\xBB\xBF")]);
    assert_eq!(
        (r.message.as_str(), r.files[0].encoding.as_str()),
        ("empty", "utf-8-bom")
    );
    let r = run(
        &check,
        &[("a.log", b""), ("b.log", b"\xFF\xFEa\x00\x00\x00")],
    );
    assert_eq!(r.message, "not_text");
    let json = serde_json::to_value(&r).expect("json");
    assert_eq!(json["message_scope"], "site");
    // A text file next to a binary one is still checked.
    let r = run(&check, &[("a.log", b"\0"), ("b.log", b"x\n")]);
    assert_eq!(
        (r.message.as_str(), r.message_scope),
        ("no_legacy_sync", None)
    );
}

#[test]
fn line_ends_are_crlf_lf_and_lone_cr_only() {
    let check = check_from(&CONDS.replace("WHEN", "{ present: a }"));
    let cases: &[(&[u8], u64, bool)] = &[
        (b"a\r\nb\rc\nd", 4, false),
        (b"a\r\n", 1, true),
        (b"a\r", 1, true),
        (b"\r\r\n\n", 3, true),
        ("a\u{2028}b\u{85}c\u{2029}d\x0b\x0c".as_bytes(), 1, false),
    ];
    for (bytes, lines, ends) in cases {
        let r = run(&check, &[("x.log", bytes)]);
        assert_eq!(
            (r.files[0].lines, r.files[0].ends_with_newline),
            (*lines, *ends),
            "{bytes:?}"
        );
    }
}

#[test]
fn crlf_split_across_a_chunk_boundary_counts_once() {
    let check = check_from(&CONDS.replace("WHEN", "{ present: a }"));
    for pad in [decode::CHUNK - 1, decode::CHUNK - 2, decode::CHUNK] {
        let mut bytes = vec![b'x'; pad];
        bytes.extend_from_slice(b"\r\nA\r\n");
        let r = run(&check, &[("x.log", &bytes)]);
        assert_eq!(r.files[0].lines, 2, "pad {pad}");
        assert_eq!(nums(signal(&r, "a")), [2], "pad {pad}");
    }
}

#[test]
fn cmtrace_record_spans_lines_and_falls_back_past_the_cap() {
    let check = check_from(
        &CONDS
            .replace("WHEN", "{ present: a }")
            .replace("match: \"A\"", "regex: '^A$'")
            .replace("match: \"B\"", "regex: '^B'"),
    );
    let close = "]LOG]!><time=\"1\" date=\"2\" component=\"C\" context=\"\" type=\"1\" thread=\"3\" file=\"f\">";
    let log = format!("<![LOG[B\n  A \n{close}\n<![LOG[B{close}\n");
    let r = run(&check, &[("x.log", log.as_bytes())]);
    assert_eq!(r.record_kinds, [0, 2, 0, 0]);
    assert_eq!(nums(signal(&r, "a")), [1]);
    assert_eq!(nums(&r.highlight), [1, 2, 3, 4]);
    // An opener never closed within 10,000 lines is a single line; scanning resumes after it.
    let mut log = String::from("<![LOG[B\n");
    for _ in 0..CM_MAX_LINES {
        log.push_str("A\n");
    }
    log.push_str(&format!("x{close}\n"));
    let r = run(&check, &[("x.log", log.as_bytes())]);
    assert_eq!(r.record_kinds, [0, 0, 0, CM_MAX_LINES as u64 + 2]);
    assert_eq!(signal(&r, "a").len(), CM_MAX_LINES);
    // One line fewer and it closes.
    let mut log = String::from("<![LOG[B\n");
    for _ in 0..CM_MAX_LINES - 2 {
        log.push_str("A\n");
    }
    log.push_str(&format!("x{close}\n"));
    let r = run(&check, &[("x.log", log.as_bytes())]);
    assert_eq!(r.record_kinds, [0, 1, 0, 0]);
    // Past 8 MiB the search stops too, however few the lines.
    let big = "A".repeat(1 << 20);
    let mut log = String::from("<![LOG[B\n");
    for _ in 0..8 {
        log.push_str(&big);
        log.push('\n');
    }
    log.push_str(&format!("x{close}\n"));
    let r = run(&check, &[("x.log", log.as_bytes())]);
    assert_eq!(r.record_kinds, [0, 0, 0, 10]);
    // The next opener, or the end of an unrelated file, also ends the search.
    let r = run(
        &check,
        &[(
            "x.log",
            format!("<![LOG[B\nA\n<![LOG[A{close}\n").as_bytes(),
        )],
    );
    assert_eq!(r.record_kinds, [0, 1, 0, 2]);
    let r = run(
        &check,
        &[
            ("x.log", b"<![LOG[B\nA\n"),
            ("y.log", format!("A{close}\n").as_bytes()),
        ],
    );
    assert_eq!(r.record_kinds, [0, 0, 0, 3]);
}

#[test]
fn signals_without_a_literal_are_tried_on_every_line() {
    let check = check_from(
        &CONDS
            .replace("WHEN", "{ present: a }")
            .replace("match: \"A\"", "regex: '^[0-9]+$'")
            .replace("match: \"B\"", "match: \"BBB\""),
    );
    let r = run(&check, &[("x.log", b"x\n123\nAB\n1BBB\n")]);
    assert_eq!(nums(signal(&r, "a")), [2]);
    assert_eq!(nums(signal(&r, "b")), [4]);
}

#[test]
fn stream_inputs_are_buffered_and_read_like_files() {
    let check = check_from(&CONDS.replace("WHEN", "{ present: a }"));
    let r = run_check(
        &check,
        vec![LogInput::stream("-", Cursor::new(b"\x80A\n".to_vec()))],
    )
    .expect("stream");
    assert_eq!(
        (r.files[0].encoding.as_str(), r.verdict),
        ("windows-1252", Verdict::Affected)
    );
}

/// [`order_inputs`] of inputs with one name each.
fn order_of(names: &[&str]) -> (Vec<usize>, Vec<bool>) {
    order_inputs(&names.iter().map(|n| vec![*n]).collect::<Vec<_>>())
}

#[test]
fn rollover_order_pairs_each_lo_with_its_log() {
    assert_eq!(
        order_of(&["a.log", "b.lo_", "A.LO_", "c.txt"]),
        (vec![2, 0, 1, 3], vec![true, false, false, false])
    );
    assert_eq!(order_of(&["x.lo_"]), (vec![0], vec![false]));
    assert_eq!(
        order_of(&["d/x.log", "e/x.lo_"]),
        (vec![0, 1], vec![false, false])
    );
    // the same folder, written otherwise
    assert_eq!(
        order_of(&["Wsyncmgr.log", "./Wsyncmgr.lo_"]),
        (vec![1, 0], vec![true, false])
    );
    assert_eq!(
        order_of(&["./d//x.log", "d/./X.LO_", "/d/x.lo_"]),
        (vec![1, 0, 2], vec![true, false, false])
    );
    assert_eq!(
        order_of(&["/d/x.log", "d/x.lo_"]),
        (vec![0, 1], vec![false, false])
    );
    // folders that differ in case are two folders
    assert_eq!(
        order_of(&["a/w.log", "A/w.lo_"]),
        (vec![0, 1], vec![false, false])
    );
    // several names (a link's location and its target's): a pair when any is, and a
    // `.lo_` paired under one name is not paired again under another
    assert_eq!(
        order_inputs(&[vec!["t/a.log", "/s1/w.log"], vec!["/s1/w.lo_"]]),
        (vec![1, 0], vec![true, false])
    );
    assert_eq!(
        order_inputs(&[vec!["t/w.log"], vec!["t/w.lo_", "/s2/w.lo_"]]),
        (vec![1, 0], vec![true, false])
    );
    assert_eq!(
        order_inputs(&[
            vec!["t/w.log", "/s1/w.log"],
            vec!["t/w.lo_", "/s1/w.lo_"],
            vec!["/s1/w.log"],
        ]),
        (vec![1, 0, 2], vec![true, false, false])
    );
}

/// The text report's run keeps no per-line lists and decides alike: on every shared
/// case (and a log where every line matches), everything but `signals`, `highlight` and
/// `evidence` is the full run's.
#[test]
fn a_run_without_lists_decides_alike_and_keeps_no_line_lists() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/logs/");
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}expected.json")).expect("expected.json"),
    )
    .expect("json");
    let check = shared_check();
    let mut cases: Vec<Vec<(String, Vec<u8>)>> = expected["cases"]
        .as_object()
        .expect("cases")
        .values()
        .map(|case| {
            case["inputs"]
                .as_array()
                .expect("inputs")
                .iter()
                .map(|v| {
                    let n = v.as_str().unwrap_or("").to_string();
                    let bytes = std::fs::read(format!("{dir}{n}")).expect("vector file");
                    (n, bytes)
                })
                .collect()
        })
        .collect();
    let mut big = String::new();
    for i in 0..300 {
        big.push_str("Performing legacy sync\n");
        if i % 2 == 0 {
            big.push_str("Error 0x80004005, Unexpected DeploymentAction for update 7. Returned from CreateUpdateNode\n");
        }
    }
    cases.push(vec![("big.log".to_string(), big.into_bytes())]);
    assert!(cases.len() > 5);
    for files in cases {
        let make = || -> Vec<LogInput> {
            files
                .iter()
                .map(|(n, b)| LogInput::seekable(n.clone(), Cursor::new(b.clone())))
                .collect()
        };
        let full = run_check(&check, make()).expect("full");
        let mut lean = run_check_without_lists(&check, make()).expect("lean");
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert!(lean.highlight.is_empty(), "{names:?}");
        assert!(lean.signals.iter().all(|(_, l)| l.is_empty()), "{names:?}");
        let signal_names: Vec<&String> = lean.signals.iter().map(|(n, _)| n).collect();
        let full_names: Vec<&String> = full.signals.iter().map(|(n, _)| n).collect();
        assert_eq!(signal_names, full_names);
        assert!(lean.evidence.is_empty(), "{names:?}");
        lean.signals = full.signals.clone();
        lean.highlight = full.highlight.clone();
        lean.evidence = full.evidence.clone();
        assert_eq!(lean, full, "{names:?}");
    }
}
