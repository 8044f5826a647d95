//! `avisa check-log` end to end: every case of the shared vectors (`expected.json`)
//! through the built binary with `--json`, compared field by field; one test per exit
//! code; the site path (`--advisory`); and terminal escaping of hostile log text.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

#[path = "common/example.rs"]
#[allow(dead_code)]
mod example;

fn logs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/logs")
}

fn avisa(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_avisa"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

/// The report of a `check-log --json` run, which must have exited with `code`.
fn json_report(out: &Output, code: i32) -> Value {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{err}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {err}"))
}

fn check_json(inputs: &[&str]) -> (Value, i32) {
    let mut args = vec!["check-log", "--rules", "rules-954474.yaml", "--json"];
    args.extend_from_slice(inputs);
    let out = avisa(&logs_dir(), &args);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{inputs:?}: not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (json, out.status.code().unwrap_or(-1))
}

/// Checks `log`, written to a file named `name` in a new folder, with the shared rules and
/// the options `extra`.
fn check_written_log(name: &str, log: &str, extra: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join(name), log).expect("write");
    let rules = logs_dir().join("rules-954474.yaml");
    let mut args = vec!["check-log", "--rules", rules.to_str().expect("utf-8 path")];
    args.extend_from_slice(extra);
    args.push(name);
    avisa(dir.path(), &args)
}

#[test]
fn every_shared_case_gives_the_expected_result_field_by_field() {
    let text = std::fs::read_to_string(logs_dir().join("expected.json")).expect("expected.json");
    let expected: Value = serde_json::from_str(&text).expect("expected.json parses");
    let cases = expected["cases"].as_object().expect("cases");
    assert_eq!(cases.len(), 6);
    for (name, case) in cases {
        let inputs: Vec<&str> = case["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .map(|v| v.as_str().expect("input name"))
            .collect();
        let (got, code) = check_json(&inputs);
        for field in [
            "verdict",
            "message",
            "placeholders",
            "files",
            "record_kinds",
            "sessions",
            "decided_session",
            "evidence",
            "signals",
            "highlight",
            "notes",
        ] {
            assert_eq!(got[field], case[field], "{name}: field `{field}`");
        }
        assert_eq!(
            got.get("message_scope"),
            case.get("message_scope"),
            "{name}: message_scope"
        );
        // Signals come out in rule order, as the page lists them.
        let order = |v: &Value| v.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>());
        assert_eq!(
            order(&got["signals"]),
            order(&case["signals"]),
            "{name}: signal order"
        );
        let want_code = match case["verdict"].as_str() {
            Some("not_affected") => 0,
            Some("affected") => 1,
            _ => 3,
        };
        assert_eq!(code, want_code, "{name}: exit code");
    }
}

#[test]
fn rollover_pair_given_in_reverse_order_reads_the_lo_file_first() {
    let (got, code) = check_json(&["s5-wsyncmgr.log", "s5-wsyncmgr.lo_"]);
    assert_eq!(code, 1);
    assert_eq!(got["placeholders"]["line"], "s5-wsyncmgr.lo_:9");
    assert_eq!(got["files"][0]["file"], "s5-wsyncmgr.lo_");
    // the same folder written `./`: still the pair (it was read after the `.log`, and the
    // line the rollover cut was not joined)
    let (dotted, code) = check_json(&["s5-wsyncmgr.log", "./s5-wsyncmgr.lo_"]);
    assert_eq!(code, 1);
    assert_eq!(dotted["placeholders"]["line"], "./s5-wsyncmgr.lo_:9");
    assert_eq!(dotted["record_kinds"], got["record_kinds"]);
    assert_eq!(dotted["files"][0]["file"], "./s5-wsyncmgr.lo_");
}

/// The pair is found by where the files are, not by how their folders were written: a
/// `.lo_` named by its absolute path and a `.log` by a relative one (or through `..`) are
/// the same folder's rollover, and the verdict is the pair's (it was `Affected`, from the
/// `.lo_` read after the `.log`); a symbolic link to a log is where it is and where its
/// target is.
#[test]
fn rollover_pair_is_found_by_the_real_folder_however_it_is_written() {
    let logs = logs_dir().canonicalize().expect("logs folder");
    let lo = logs.join("s5-wsyncmgr.lo_");
    let lo = lo.to_str().expect("utf-8 path");
    let (paired, code) = check_json(&["s5-wsyncmgr.log", "s5-wsyncmgr.lo_"]);
    assert_eq!(code, 1);
    for log in ["s5-wsyncmgr.log", "../logs/s5-wsyncmgr.log"] {
        let (got, code) = check_json(&[log, lo]);
        assert_eq!(code, 1, "{log}");
        assert_eq!(
            got["files"][0]["file"], lo,
            "{log}: the `.lo_` is read first"
        );
        assert_eq!(got["verdict"], paired["verdict"], "{log}");
        assert_eq!(got["record_kinds"], paired["record_kinds"], "{log}");
        assert_eq!(
            got["sessions"].as_array().map(Vec::len),
            paired["sessions"].as_array().map(Vec::len),
            "{log}"
        );
    }
    // two folders with logs of the same name are two machines: not a pair
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(
        logs.join("s5-wsyncmgr.lo_"),
        dir.path().join("s5-wsyncmgr.lo_"),
    )
    .expect("copy");
    let other = dir.path().join("s5-wsyncmgr.lo_");
    let (got, _) = check_json(&["s5-wsyncmgr.log", other.to_str().expect("utf-8 path")]);
    assert_eq!(got["files"][0]["file"], "s5-wsyncmgr.log");
    // a symbolic link to a log pairs with the `.lo_` beside its target (it did not) and
    // with one beside itself
    #[cfg(unix)]
    {
        let link = dir.path().join("server1.log");
        std::os::unix::fs::symlink(logs.join("s5-wsyncmgr.log"), &link).expect("link");
        let link = link.to_str().expect("utf-8 path");
        let (got, code) = check_json(&[link, lo]);
        assert_eq!(got["files"][0]["file"], lo, "{got}");
        assert_eq!(code, 1);
        assert_eq!(got["verdict"], paired["verdict"]);
        let beside = dir.path().join("s5-wsyncmgr.log");
        std::os::unix::fs::symlink(logs.join("s5-wsyncmgr.log"), &beside).expect("link");
        let beside = beside.to_str().expect("utf-8 path");
        let other = other.to_str().expect("utf-8 path");
        let (got, _) = check_json(&[beside, other]);
        assert_eq!(got["files"][0]["file"], other, "{got}");
    }
}

/// Folders whose names differ only in bytes that are not UTF-8 are two folders: their
/// logs do not pair (a lossy conversion made both names one), and each is shown with its
/// bytes written `\xHH`.
#[cfg(unix)]
#[test]
fn folders_named_in_bytes_that_are_not_utf8_are_told_apart() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let first = dir.path().join(OsStr::from_bytes(b"m\xff"));
    let second = dir.path().join(OsStr::from_bytes(b"m\xfe"));
    for (folder, file) in [(&first, "s5-wsyncmgr.log"), (&second, "s5-wsyncmgr.lo_")] {
        std::fs::create_dir(folder).expect("folder");
        std::fs::copy(logs_dir().join(file), folder.join(file)).expect("copy");
    }
    let check = |log: &[u8], lo: &[u8]| -> Value {
        let out = Command::new(env!("CARGO_BIN_EXE_avisa"))
            .current_dir(dir.path())
            .args(["check-log", "--json", "--rules"])
            .arg(logs_dir().join("rules-954474.yaml"))
            .args([OsStr::from_bytes(log), OsStr::from_bytes(lo)])
            .output()
            .expect("the binary runs");
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)))
    };
    // given in this order and not a pair, the `.log` is read first
    let got = check(b"m\xff/s5-wsyncmgr.log", b"m\xfe/s5-wsyncmgr.lo_");
    assert_eq!(got["files"][0]["file"], "m\\xFF/s5-wsyncmgr.log", "{got}");
    assert_eq!(got["files"][1]["file"], "m\\xFE/s5-wsyncmgr.lo_", "{got}");
    // in one folder they are a pair: the `.lo_` first
    std::fs::rename(
        second.join("s5-wsyncmgr.lo_"),
        first.join("s5-wsyncmgr.lo_"),
    )
    .expect("move");
    let got = check(b"m\xff/s5-wsyncmgr.log", b"m\xff/s5-wsyncmgr.lo_");
    assert_eq!(got["files"][0]["file"], "m\\xFF/s5-wsyncmgr.lo_", "{got}");
}

/// A report that cannot be written (a full disk) is an I/O failure, exit 2, not the
/// verdict's code with the report lost.
#[test]
fn a_report_that_cannot_be_written_exits_with_2() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    for json in [false, true] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_avisa"))
            .current_dir(logs_dir())
            .args(["check-log", "--rules", "rules-954474.yaml"])
            .args(json.then_some("--json"))
            .arg("s1-legacy-utf8bom-affected.log")
            .stdout(full.try_clone().expect("dup"))
            .output()
            .expect("the binary runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "json {json}: {err}");
        assert!(
            err.contains("cannot write the report"),
            "json {json}: {err}"
        );
    }
}

/// `--json` is read on a terminal too: bidi and C1 controls from a file name or a log
/// line are written as `\u` escapes, and the JSON still reads back to the same text.
#[test]
fn json_output_escapes_bidi_and_c1_controls() {
    let name = "a\u{202e}gol.\u{9b}2J.log";
    let log = "Performing legacy sync\nError 0x80004005, Unexpected DeploymentAction for update 7. Returned from CreateUpdateNode\n";
    let out = check_written_log(name, log, &["--json"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        !text.contains('\u{202e}') && !text.contains('\u{9b}'),
        "{text}"
    );
    assert!(text.contains("a\\u202egol.\\u009b2J.log"), "{text}");
    let v: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(v["files"][0]["file"], name);
}

#[test]
fn not_affected_exits_with_0() {
    assert_eq!(check_json(&["s2-cmtrace-healthy.log"]).1, 0);
}

#[test]
fn affected_exits_with_1() {
    assert_eq!(check_json(&["s1-legacy-utf8bom-affected.log"]).1, 1);
}

#[test]
fn inconclusive_exits_with_3() {
    assert_eq!(check_json(&["s3-no-legacy-sync.log"]).1, 3);
}

#[test]
fn missing_log_file_exits_with_2_and_names_it() {
    let out = avisa(
        &logs_dir(),
        &["check-log", "--rules", "rules-954474.yaml", "no-such.log"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read `no-such.log`"));
}

/// A log named twice (as `-`, by the same path or by two paths to one file) is a usage
/// error: it was checked twice, its sessions counted twice, and a second `-` read
/// nothing.
#[test]
fn a_log_named_twice_exits_with_2_and_says_so() {
    let log = "s1-legacy-utf8bom-affected.log";
    let other = format!("../logs/{log}");
    for (args, said) in [
        (
            vec!["-", "-"],
            "`-` (standard input) is named twice".to_string(),
        ),
        (vec![log, log], format!("`{log}` is named twice")),
        (
            vec![log, other.as_str()],
            format!("`{log}` and `{other}` are the same file"),
        ),
    ] {
        let mut all = vec!["check-log", "--rules", "rules-954474.yaml"];
        all.extend(&args);
        let out = avisa(&logs_dir(), &all);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(&said), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

/// The same file through a hard link, or on standard input as well as by name, is named
/// twice too (it was read twice).
#[test]
fn one_file_by_a_hard_link_or_on_standard_input_is_named_twice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("x.log");
    std::fs::copy(logs_dir().join("s1-legacy-utf8bom-affected.log"), &log).expect("copy");
    std::fs::hard_link(&log, dir.path().join("hard.log")).expect("hard link");
    let rules = logs_dir().join("rules-954474.yaml");
    let rules = rules.to_str().expect("utf-8 path");
    let out = avisa(
        dir.path(),
        &["check-log", "--rules", rules, "x.log", "hard.log"],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("`x.log` and `hard.log` are the same file"),
        "{err}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_avisa"))
        .current_dir(dir.path())
        .args(["check-log", "--rules", rules, "-", "x.log"])
        .stdin(std::fs::File::open(&log).expect("open"))
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("`-` and `x.log` are the same file"), "{err}");
}

#[test]
fn usage_errors_exit_with_2() {
    let out = avisa(&logs_dir(), &["check-log", "--rules", "rules-954474.yaml"]);
    assert_eq!(out.status.code(), Some(2), "no log file");
    let out = avisa(
        &logs_dir(),
        &["check-log", "s1-legacy-utf8bom-affected.log"],
    );
    assert_eq!(out.status.code(), Some(2), "neither --advisory nor --rules");
    let out = avisa(
        &logs_dir(),
        &[
            "check-log",
            "--rules",
            "rules-954474.yaml",
            "--check",
            "nope",
            "s1-legacy-utf8bom-affected.log",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "unknown check");
}

#[test]
fn invalid_rule_file_exits_with_2_and_points_at_the_pattern() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = std::fs::read_to_string(logs_dir().join("rules-954474.yaml"))
        .expect("rules")
        .replace("update [0-9]+", "update \\d+");
    std::fs::write(dir.path().join("r.yaml"), rules).expect("write");
    std::fs::write(dir.path().join("x.log"), "x\n").expect("write");
    let out = avisa(dir.path(), &["check-log", "--rules", "r.yaml", "x.log"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("r.yaml:25:"), "{err}");
    assert!(err.contains("write `[0-9]` instead of `\\d`"), "{err}");
}

#[test]
fn help_documents_the_exit_codes() {
    let out = avisa(&logs_dir(), &["check-log", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("0 not affected, 1 affected, 2 usage or I/O error, 3 inconclusive")
    );
}

#[test]
fn text_output_escapes_terminal_controls_from_the_log() {
    let log = "Performing legacy sync\nError 0x80004005, Unexpected DeploymentAction for update 7. Returned from CreateUpdateNode \x1b[31mred\u{202e}dir\n";
    let out = check_written_log("evil\u{1b}[2J.log", log, &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    assert!(text.contains("\\x1b[31mred\\u{202e}dir"), "{text}");
    assert!(
        text.contains("evil\\x1b[2J.log:2: Error 0x80004005"),
        "{text}"
    );
    assert!(text.contains("(line 2)"), "{text}");
}

/// The text report says how many evidence lines it leaves out, and only those: a line
/// joined across the `.lo_`/`.log` rollover (two physical lines, one text) made it say
/// `… (+1)` with nothing left out.
#[test]
fn the_text_report_counts_only_the_evidence_lines_it_leaves_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = logs_dir().join("rules-954474.yaml");
    let rules = rules.to_str().expect("utf-8 path");
    std::fs::write(
        dir.path().join("W.lo_"),
        "Performing legacy sync\nError 0x80004005, Unexpected Deploym",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("W.log"),
        "entAction for update 1. Returned from CreateUpdateNode\nUpdates summary: 0 processed\n",
    )
    .expect("write");
    let out = avisa(
        dir.path(),
        &["check-log", "--rules", rules, "W.lo_", "W.log"],
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text.contains("W.lo_:2: Error 0x80004005, Unexpected DeploymentAction"),
        "{text}"
    );
    assert!(!text.contains("(+"), "{text}");

    // 1006 evidence lines (the sync's start and 1005 errors): the first 1000 are shown,
    // and the 6 others counted
    let mut log = String::from("Performing legacy sync\n");
    for i in 0..1005 {
        log.push_str(&format!(
            "Error 0x80004005, Unexpected DeploymentAction for update {i}. Returned from CreateUpdateNode\n"
        ));
    }
    std::fs::write(dir.path().join("many.log"), log).expect("write");
    let out = avisa(dir.path(), &["check-log", "--rules", rules, "many.log"]);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("many.log:1000: Error"), "{text}");
    assert!(!text.contains("many.log:1001: Error"), "{text}");
    assert!(text.ends_with("… (+6)\n"), "{}", &text[text.len() - 200..]);
}

#[test]
fn stdin_is_read_with_a_dash() {
    let out = Command::new(env!("CARGO_BIN_EXE_avisa"))
        .current_dir(logs_dir())
        .args(["check-log", "--rules", "rules-954474.yaml", "--json", "-"])
        .write_stdin(std::fs::read(logs_dir().join("s4-fixed-later.log")).expect("log"))
        .output()
        .expect("runs");
    let json = json_report(&out, 0);
    assert_eq!(json["files"][0]["file"], "-");
    assert_eq!(json["notes"][0]["kind"], "history");
}

/// A named pipe (what `<(zcat Wsyncmgr.log.gz)` and `/dev/stdin` are) is read once, as
/// `-` is: it failed with "Illegal seek". A folder is an error that names it.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_read_as_a_stream_and_a_folder_is_named() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let fifo = tmp.path().join("Wsyncmgr.log");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let log = std::fs::read(logs_dir().join("s4-fixed-later.log")).expect("log");
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, log).expect("write to the pipe"))
    };
    let rules = logs_dir().join("rules-954474.yaml");
    let out = avisa(
        tmp.path(),
        &[
            "check-log",
            "--rules",
            rules.to_str().unwrap(),
            "--json",
            "Wsyncmgr.log",
        ],
    );
    writer.join().expect("writer");
    let json = json_report(&out, 0);
    assert_eq!(json["notes"][0]["kind"], "history");

    let out = avisa(
        tmp.path(),
        &["check-log", "--rules", rules.to_str().unwrap(), "."],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot read `.`: it is a folder"), "{err}");
}

/// Each file is opened when its turn comes: a `.log` FIFO named before its `.lo_`, fed
/// after it, is read (it hung, the `.log` opened first and the writer of the `.lo_`
/// waiting); and more files than the descriptors a process may hold are read.
#[test]
fn files_are_opened_one_at_a_time_in_the_order_they_are_read() {
    let tmp = tempfile::tempdir().expect("temp dir");
    for name in ["w.lo_", "w.log"] {
        let made = std::process::Command::new("mkfifo")
            .arg(tmp.path().join(name))
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
    }
    let writer = {
        let dir = tmp.path().to_path_buf();
        std::thread::spawn(move || {
            for (fifo, log) in [("w.lo_", "s5-wsyncmgr.lo_"), ("w.log", "s5-wsyncmgr.log")] {
                let bytes = std::fs::read(logs_dir().join(log)).expect("log");
                std::fs::write(dir.join(fifo), bytes).expect("write to the pipe");
            }
        })
    };
    let rules = logs_dir().join("rules-954474.yaml");
    let rules = rules.to_str().expect("utf-8 path");
    let out = std::process::Command::new("timeout")
        .current_dir(tmp.path())
        .args([
            "60",
            env!("CARGO_BIN_EXE_avisa"),
            "check-log",
            "--rules",
            rules,
        ])
        .args(["--json", "w.log", "w.lo_"])
        .output()
        .expect("the binary runs");
    writer.join().expect("writer");
    let json = json_report(&out, 1);
    assert_eq!(json["placeholders"]["line"], "w.lo_:9");

    let many = tempfile::tempdir().expect("temp dir");
    let names: Vec<String> = (0..300).map(|i| format!("h{i}.log")).collect();
    for n in &names {
        std::fs::write(many.path().join(n), "Performing legacy sync\n").expect("write");
    }
    let script = format!(
        "ulimit -n 64 && exec \"$0\" check-log --rules '{rules}' --json {}",
        names.join(" ")
    );
    let out = std::process::Command::new("sh")
        .current_dir(many.path())
        .args(["-c", &script, env!("CARGO_BIN_EXE_avisa")])
        .output()
        .expect("the binary runs");
    let json = json_report(&out, 3);
    assert_eq!(json["files"].as_array().map(Vec::len), Some(300));
}

#[test]
fn empty_log_is_inconclusive_with_the_site_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("e.log"), "").expect("write");
    let rules = logs_dir().join("rules-954474.yaml");
    let out = avisa(
        dir.path(),
        &[
            "check-log",
            "--rules",
            rules.to_str().expect("utf-8"),
            "--json",
            "e.log",
        ],
    );
    let json = json_report(&out, 3);
    assert_eq!(
        (&json["message"], &json["message_scope"]),
        (&Value::from("empty"), &Value::from("site"))
    );
}

#[test]
fn advisory_of_the_site_is_checked_in_the_requested_locale() {
    let root = env!("CARGO_MANIFEST_DIR");
    let log = logs_dir().join("s1-legacy-utf8bom-affected.log");
    let in_locale = |locale: &str| {
        avisa(
            Path::new(root),
            &[
                "check-log",
                "--advisory",
                "954474",
                "--root",
                root,
                "--locale",
                locale,
                log.to_str().expect("utf-8"),
            ],
        )
    };
    let out = in_locale("pt-BR");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains("Afetado: a última sincronização"), "{text}");
    assert!(text.contains("(linha 30)"), "{text}");
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // a locale the site does not have still gets a report, and a warning that says so
    let out = in_locale("de-DE");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning: `de-DE` is not one of the site's locales (en-US, pt-BR, es-ES)"),
        "{err}"
    );
    let out = avisa(
        Path::new(root),
        &[
            "check-log",
            "--advisory",
            "nope",
            "--root",
            root,
            log.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}

/// An advisory whose folder has errors is not checked: the errors are shown and the exit
/// code is 2. A date `advisory.yaml` cannot hold made it "no advisory `954474`", and a
/// message missing in the default locale printed its raw key (`affected`) as the verdict.
#[test]
fn an_advisory_with_errors_shows_them_instead_of_a_report() {
    let log = logs_dir().join("s1-legacy-utf8bom-affected.log");
    let run_with = |root: &Path, extra: &[&str]| {
        let root = root.to_str().expect("utf-8");
        let args = ["check-log", "--advisory", "954474", "--root", root];
        let log = [log.to_str().expect("utf-8")];
        let out = avisa(Path::new(root), &[&args[..], extra, &log[..]].concat());
        let err = String::from_utf8(out.stderr).expect("utf-8");
        (
            out.status.code(),
            String::from_utf8(out.stdout).expect("utf-8"),
            err,
        )
    };
    let run = |root: &Path| run_with(root, &[]);
    // the example with `from` replaced by `to` in `file`: exit code 2, no report; stderr
    let refused = |file: &str, from: &str, to: &str| {
        let site = example::example_copy();
        example::edit(site.path(), file, from, to);
        let (code, out, err) = run(site.path());
        assert_eq!(code, Some(2), "{err}");
        assert!(out.is_empty(), "{out}");
        err
    };
    let yaml = "content/advisories/954474/advisory.yaml";
    let err = refused(yaml, "published: 2008-06-13", "published: 2008-13-13");
    assert!(
        err.contains("error: `2008-13-13` is not a real date"),
        "{err}"
    );
    assert!(err.contains(&format!("--> {yaml}:3:12")), "{err}");
    assert!(
        err.contains(
            "error: advisory `954474` has errors (above), which `avisa build` refuses too"
        ),
        "{err}"
    );
    assert!(!err.contains("no advisory"), "{err}");

    let err = refused(
        "content/advisories/954474/en-US.md",
        "    affected: ",
        "    affected_typo: ",
    );
    assert!(
        err.contains("error: message `affected` of check `msa954474-wsyncmgr-legacy-sync` is missing in the default locale `en-US`"),
        "{err}"
    );

    // a warning elsewhere in the folder (a message missing in pt-BR only) does not stop it
    let site = example::example_copy();
    example::edit(
        site.path(),
        "content/advisories/954474/pt-BR.md",
        "    affected: ",
        "    affected_typo: ",
    );
    let (code, out, err) = run(site.path());
    assert_eq!(code, Some(1));
    assert!(out.starts_with("Affected\n"), "{out}");
    assert!(err.is_empty(), "{err}");
    // asked for in pt-BR, the report says it falls back (it printed English silently)
    let (_, text, err) = run_with(site.path(), &["--locale", "pt-BR"]);
    assert!(
        text.starts_with("Afetado\nAffected: the last legacy"),
        "{text}"
    );
    assert_eq!(
        err.trim_end(),
        "warning: message `affected` of check `msa954474-wsyncmgr-legacy-sync` is missing in `pt-BR`; the `en-US` text is used"
    );
}

/// The text report fills placeholders as the page does: `{session_line}` of a session
/// before the first start is its first line, `{line}` is `FILE:LINE` with several
/// inputs, and a message with no deciding session shows `?`, not the raw `{line}`.
#[test]
fn placeholders_are_filled_as_the_page_fills_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rules = dir.path().join("rules.yaml");
    std::fs::write(
        &rules,
        r#"log_checks:
  - id: t
    schema: 1
    log_name: x.log
    signals:
      hit: { match: "ERROR" }
    verdicts:
      - { verdict: affected, when: { present: hit }, message: hit, evidence: [hit] }
    otherwise: { verdict: inconclusive, message: none }
examples_of_locale_messages:
  en-US:
    log_check_messages:
      t:
        hit: "hit [{line}] [{file}] [{session_line}]"
        none: "none [{line}] [{file}] [{session_line}]"
"#,
    )
    .expect("write rules");
    std::fs::write(dir.path().join("a.log"), "start\nok\n").expect("write");
    std::fs::write(dir.path().join("b.log"), "x\nERROR 5\n").expect("write");
    let run = |files: &[&str]| {
        let mut args = vec!["check-log", "--rules", "rules.yaml"];
        args.extend_from_slice(files);
        let out = avisa(dir.path(), &args);
        String::from_utf8(out.stdout).expect("utf-8")
    };
    // No session start in these rules: the one session starts at the first line.
    let text = run(&["b.log"]);
    assert!(text.contains("hit [2] [b.log] [1]"), "{text}");
    let text = run(&["a.log", "b.log"]);
    assert!(text.contains("hit [b.log:2] [b.log] [a.log:1]"), "{text}");
    let text = run(&["a.log"]);
    assert!(text.contains("none [?] [?] [?]"), "{text}");
}
