//! Real-browser tests of the embedded log checker (src/checker/checker.js with
//! templates/partials/log_checker.html): headless Chromium, driven over the DevTools
//! pipe, loads the page from `file://` and every input set of ../shared/logs/expected.json
//! goes through the reader's own paths (file drop, picker, paste); the verdict, message
//! and line references are read back from the DOM. A missing Chromium fails, with a hint.

#[path = "browser/cdp.rs"]
mod cdp;
#[path = "common/example.rs"]
mod example;
// shared with tests/serve.rs, which uses all of it
#[allow(dead_code)]
#[path = "serve/server.rs"]
mod server;
#[path = "browser/site.rs"]
mod site;

use std::fs;
use std::time::Duration;

use cdp::{Chromium, Tab};
use serde_json::{Value, json};

/// The test-only driver evaluated in each page (never shipped).
const HARNESS: &str = include_str!("browser/harness.js");

fn expected() -> Value {
    let path = site::shared_logs().join("expected.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("expected.json is JSON")
}

/// The cases of expected.json in file order: (key, case).
fn cases() -> Vec<(String, Value)> {
    let all = expected();
    let cases = all["cases"].as_object().expect("`cases` is an object");
    cases.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// The input files of a case as `{name, bytes}` objects for the page.
fn case_files(case: &Value) -> Value {
    let inputs = case["inputs"].as_array().expect("`inputs` is a list");
    Value::Array(
        inputs
            .iter()
            .map(|name| {
                let name = name.as_str().expect("input names are strings");
                let path = site::shared_logs().join(name);
                let bytes =
                    fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
                json!({ "name": name, "bytes": bytes })
            })
            .collect(),
    )
}

/// A line ref as the page writes it in `data-line`.
fn ref_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn refs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(ref_text).collect())
        .unwrap_or_default()
}

/// The message the page must show for a case: the advisory's en-US text with `{line}`
/// and `{session_line}` (refs as in the JSON: `FILE:LINE` when there are several
/// inputs) and `{file}` (the file of `{line}`) filled in; `?` where there is none.
fn expected_message(data: &Value, case: &Value) -> String {
    let key = case["message"].as_str().expect("`message` is a string");
    let template = data["messages"][key]
        .as_str()
        .unwrap_or_else(|| panic!("no en-US message `{key}`"));
    let first_input = case["inputs"][0].as_str().unwrap_or_default().to_string();
    let (file, line) = match &case["placeholders"]["line"] {
        Value::String(s) => {
            let (f, _) = s.rsplit_once(':').expect("FILE:LINE");
            (f.to_string(), s.clone())
        }
        Value::Number(n) => (first_input, n.to_string()),
        _ => ("?".to_string(), "?".to_string()),
    };
    let session_line = match &case["placeholders"]["session_line"] {
        Value::Null => "?".to_string(),
        v => ref_text(v),
    };
    template
        .replace("{line}", &line)
        .replace("{file}", &file)
        .replace("{session_line}", &session_line)
}

/// Opens `url` in a new tab, waits for the checker to be wired up and installs the harness.
fn open_checker(browser: &mut Chromium, url: &str) -> Tab {
    let tab = browser.open(url);
    let ready = format!(
        "location.href === {} && document.readyState === 'complete' && \
         !!document.querySelector('.avisa-checker.is-ready, .avisa-checker[data-checker-error]')",
        json!(url)
    );
    browser.wait_for(&tab, &ready, Duration::from_secs(30));
    let error = browser.eval(
        &tab,
        "document.querySelector('.avisa-checker').getAttribute('data-checker-error')",
    );
    assert_eq!(error, Value::Null, "the checker could not start on {url}");
    assert_eq!(
        browser.eval(&tab, HARNESS),
        json!(true),
        "install the harness"
    );
    tab
}

/// Waits until the result carries a verdict and returns the DOM report.
fn settle(browser: &mut Chromium, tab: &Tab) -> Value {
    let done = browser.eval(tab, "__avisaTest.settled(60000)");
    let report = browser.eval(tab, "__avisaTest.report()");
    assert_eq!(done, json!(true), "no verdict within 60 s: {report}");
    report
}

fn drop_files(browser: &mut Chromium, tab: &Tab, files: &Value) -> Value {
    browser.eval(tab, &format!("__avisaTest.drop({files})"));
    settle(browser, tab)
}

/// Compares what the page shows with the expected case.
fn assert_report_matches(key: &str, case: &Value, report: &Value, data: &Value) {
    assert_eq!(
        report["checker_error"],
        Value::Null,
        "{key}: the checker did not start"
    );
    assert_eq!(report["hidden"], json!(false), "{key}: result hidden");
    assert_eq!(report["verdict"], case["verdict"], "{key}: verdict");
    assert_eq!(report["message_key"], case["message"], "{key}: message key");
    let verdict = case["verdict"].as_str().unwrap_or_default();
    let class = format!("verdict-{}", verdict.replace('_', "-"));
    let shown_class = report["verdict_class"].as_str().unwrap_or_default();
    assert!(
        shown_class.split(' ').any(|c| c == class),
        "{key}: class `{shown_class}` lacks `{class}`"
    );
    let label = site::checker_strings("en-US")
        [&format!("checker-verdict-{}", verdict.replace('_', "-"))]
        .clone();
    assert_eq!(report["label"], json!(label), "{key}: verdict label");
    assert_eq!(
        report["message"],
        json!(expected_message(data, case)),
        "{key}: message text"
    );
    assert_eq!(
        refs(&report["highlight"]),
        refs(&case["highlight"]),
        "{key}: highlighted lines"
    );
    assert_eq!(
        refs(&report["evidence"]),
        refs(&case["evidence"]),
        "{key}: evidence lines"
    );
    assert_eq!(
        report["every_match_marked"],
        json!(true),
        "{key}: every highlighted line has a <mark>"
    );
    let notes = case["notes"].as_array().expect("`notes` is a list");
    let shown = report["notes"].as_array().expect("notes in the report");
    assert_eq!(shown.len(), notes.len(), "{key}: notes {shown:?}");
    for (note, shown) in notes.iter().zip(shown) {
        let kind = note["kind"].as_str().unwrap_or_default().replace('_', "-");
        assert!(
            shown["class"]
                .as_str()
                .unwrap_or_default()
                .contains(&format!("avisa-note-{kind}")),
            "{key}: note {shown}"
        );
        if let Some(start) = note["session_start"].as_u64() {
            let text = shown["text"].as_str().unwrap_or_default();
            assert!(
                text.contains(&start.to_string()),
                "{key}: note `{text}` names line {start}"
            );
        }
    }
    assert_eq!(
        report["progress_hidden"],
        json!(true),
        "{key}: progress still shown"
    );
}

/// Drops every case into a fresh tab of `url` and checks it against expected.json, with
/// the messages of the page's own data; returns the engine used for each case.
fn check_every_case_by_drop(url: &str) -> Vec<String> {
    let mut browser = Chromium::launch();
    let mut engines = Vec::new();
    for (key, case) in cases() {
        let tab = open_checker(&mut browser, url);
        let data = browser.eval(
            &tab,
            "JSON.parse(document.querySelector('.avisa-checker-data').textContent)",
        );
        let report = drop_files(&mut browser, &tab, &case_files(&case));
        assert_report_matches(&key, &case, &report, &data);
        engines.push(report["engine"].as_str().unwrap_or_default().to_string());
        browser.close(tab);
    }
    engines
}

#[test]
fn every_case_dropped_into_the_page_gives_the_expected_verdict_message_and_lines() {
    let page = site::harness_page(site::CSP_WITH_BLOB_WORKER);
    let engines = check_every_case_by_drop(&page.url);
    assert!(
        engines.iter().all(|e| e == "worker"),
        "ran in a Web Worker: {engines:?}"
    );
}

#[test]
fn without_a_worker_the_page_checks_on_the_main_thread_with_the_same_results() {
    let page = site::harness_page(site::CSP_WITHOUT_BLOB_WORKER);
    let engines = check_every_case_by_drop(&page.url);
    assert!(
        engines.iter().all(|e| e == "main"),
        "fell back to the main thread: {engines:?}"
    );
}

#[test]
fn the_built_954474_page_checks_every_dropped_case_in_a_worker() {
    let out = tempfile::tempdir().expect("create a temporary output folder");
    site::build(&site::repo(), out.path());
    let page = out.path().join("en-US/954474/index.html");
    assert!(page.is_file(), "no {}", page.display());
    let engines = check_every_case_by_drop(&format!("file://{}", page.display()));
    assert!(
        engines.iter().all(|e| e == "worker"),
        "ran in a Web Worker: {engines:?}"
    );
}

#[test]
fn engine_result_equals_expected_json_field_by_field() {
    let page = site::harness_page(site::CSP_WITH_BLOB_WORKER);
    let mut browser = Chromium::launch();
    let tab = open_checker(&mut browser, &page.url);
    for (key, case) in cases() {
        let expr = format!(
            "(() => {{ const data = JSON.parse(document.querySelector('.avisa-checker-data').textContent); \
             const files = {}; return AvisaChecker.checkBuffers(data.check, files.map(f => ({{ name: f.name, bytes: new Uint8Array(f.bytes) }}))).result; }})()",
            case_files(&case)
        );
        let result = browser.eval(&tab, &expr);
        let fields = [
            "verdict",
            "message",
            "placeholders",
            "files",
            "record_kinds",
            "sessions",
            "decided_session",
            "signals",
            "highlight",
            "evidence",
            "notes",
        ];
        for field in fields {
            assert_eq!(result[field], case[field], "{key}: field `{field}`");
        }
        assert_eq!(
            result.get("message_scope"),
            case.get("message_scope"),
            "{key}: message_scope"
        );
    }
}

#[test]
fn hostile_markup_in_a_log_is_shown_as_text_and_creates_no_elements() {
    let (key, case) = cases()
        .into_iter()
        .find(|(_, c)| c.get("render_literal").is_some())
        .expect("a case with `render_literal`");
    let page = site::harness_page(site::CSP_WITH_BLOB_WORKER);
    let mut browser = Chromium::launch();
    let tab = open_checker(&mut browser, &page.url);
    let before = browser.eval(&tab, "__avisaTest.report()");
    let report = drop_files(&mut browser, &tab, &case_files(&case));
    assert_eq!(
        report["view_elements_script_or_a"],
        json!(0),
        "{key}: <script>/<a> inside the log view"
    );
    assert_eq!(
        report["doc_scripts"], before["doc_scripts"],
        "{key}: new <script> elements"
    );
    assert_eq!(
        report["doc_links"], before["doc_links"],
        "{key}: new <a> elements"
    );
    let text = report["view_text"].as_str().unwrap_or_default();
    for literal in case["render_literal"].as_array().expect("a list") {
        let literal = literal.as_str().expect("a string");
        assert!(
            text.contains(literal),
            "{key}: `{literal}` not shown as text in `{text}`"
        );
    }
    for name in case["must_not_create_elements"].as_array().expect("a list") {
        let name = name.as_str().expect("a string");
        let count = browser.eval(
            &tab,
            &format!("document.querySelectorAll('.avisa-log-view {name}').length"),
        );
        assert_eq!(count, json!(0), "{key}: <{name}> created from log content");
    }
}

#[test]
fn pasted_text_gives_the_same_result_as_the_dropped_file() {
    let page = site::harness_page(site::CSP_WITH_BLOB_WORKER);
    let data = site::page_data();
    let mut browser = Chromium::launch();
    for (key, case) in cases() {
        if case["inputs"].as_array().map_or(0, Vec::len) != 1 {
            continue;
        }
        let name = case["inputs"][0].as_str().expect("a name");
        let bytes = fs::read(site::shared_logs().join(name)).expect("read the case input");
        let text = String::from_utf8(bytes).expect("the vectors are UTF-8");
        // What a clipboard would carry: no byte order mark.
        let text = text.trim_start_matches('\u{feff}');
        let tab = open_checker(&mut browser, &page.url);
        browser.eval(&tab, &format!("__avisaTest.paste({})", json!(text)));
        let report = settle(&mut browser, &tab);
        assert_report_matches(&format!("{key} (pasted)"), &case, &report, &data);
        assert_eq!(
            report["engine"],
            json!("worker"),
            "{key}: pasted text checked in the worker"
        );
        browser.close(tab);
    }
}

#[test]
fn files_chosen_in_the_picker_are_read_from_disk_in_rollover_order() {
    let (key, case) = cases()
        .into_iter()
        .find(|(_, c)| c["inputs"].as_array().map_or(0, Vec::len) > 1)
        .expect("a case with several inputs");
    let page = site::harness_page(site::CSP_WITH_BLOB_WORKER);
    let data = site::page_data();
    let mut browser = Chromium::launch();
    let tab = open_checker(&mut browser, &page.url);
    // Handed newest first, as a file dialog might list them: the `.lo_` must still go first.
    let mut paths: Vec<String> = case["inputs"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|n| {
            let path = site::shared_logs().join(n.as_str().expect("a name"));
            let path = path
                .canonicalize()
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            path.display().to_string()
        })
        .collect();
    paths.reverse();
    let input = browser.object_id(&tab, "document.querySelector('.avisa-checker-files')");
    browser.call(
        "DOM.setFileInputFiles",
        json!({ "files": paths, "objectId": input }),
        Some(&tab.session_id),
    );
    let report = settle(&mut browser, &tab);
    let text = browser.eval(
        &tab,
        "document.querySelector('.avisa-checker-result').textContent",
    );
    assert_report_matches(&format!("{key} (picker: {text})"), &case, &report, &data);
}

#[test]
fn streaming_in_any_chunk_size_gives_the_whole_buffer_result() {
    let page = site::harness_page(site::CSP_WITH_BLOB_WORKER);
    let mut browser = Chromium::launch();
    let tab = open_checker(&mut browser, &page.url);
    let script = include_str!("browser/streaming.js");
    let out = browser.eval(&tab, script);
    let cases = out
        .as_object()
        .unwrap_or_else(|| panic!("streaming cases: {out}"));
    for (name, c) in cases {
        assert_eq!(
            c["same"],
            json!(true),
            "{name}: chunked differs from whole: {c}"
        );
    }
    let r = |name: &str| cases[name]["result"].clone();
    assert_eq!(r("crlf_cr_lf")["files"][0]["lines"], json!(5));
    assert_eq!(r("crlf_cr_lf")["evidence"], json!([5]));
    assert_eq!(
        r("windows_1252_late")["files"][0]["encoding"],
        json!("windows-1252")
    );
    assert_eq!(
        r("windows_1252_late")["verdict"],
        json!("affected"),
        "0x80 is € (WHATWG)"
    );
    assert_eq!(r("windows_1252_late")["evidence"], json!([2]));
    assert_eq!(r("utf8_valid")["files"][0]["encoding"], json!("utf-8"));
    assert_eq!(r("utf8_valid")["verdict"], json!("affected"));
    assert_eq!(r("utf16le_bom")["files"][0]["encoding"], json!("utf-16le"));
    assert_eq!(r("utf16le_bom")["verdict"], json!("affected"));
    assert_eq!(r("utf16be_bom")["files"][0]["encoding"], json!("utf-16be"));
    assert_eq!(r("utf16be_bom")["verdict"], json!("affected"));
    assert_eq!(r("utf8_bom")["files"][0]["encoding"], json!("utf-8-bom"));
    assert_eq!(r("binary_and_text")["files"][0]["status"], json!("binary"));
    // Not read as text: no lines and no final newline, as the CLI reports it.
    assert_eq!(r("binary_and_text")["files"][0]["lines"], json!(0));
    assert_eq!(
        r("binary_and_text")["files"][0]["ends_with_newline"],
        json!(false)
    );
    assert_eq!(r("binary_and_text")["verdict"], json!("not_affected"));
    assert_eq!(r("binary_and_text")["highlight"], json!([]));
    assert_eq!(r("only_binary")["message"], json!("not_text"));
    assert_eq!(r("only_binary")["message_scope"], json!("site"));
    assert_eq!(r("empty")["message"], json!("empty"));
    assert_eq!(r("rollover_join")["files"][0]["file"], json!("x.lo_"));
    assert_eq!(
        r("rollover_join")["files"][0]["ends_with_newline"],
        json!(false)
    );
    assert_eq!(
        r("rollover_join")["evidence"],
        json!(["x.lo_:2", "X.LOG:1"])
    );
    assert_eq!(
        r("cmtrace_across_rollover")["record_kinds"],
        json!({ "cmtrace": 1 })
    );
    assert_eq!(
        r("cmtrace_across_rollover")["evidence"],
        json!(["y.lo_:1", "y.log:1"])
    );
    assert_eq!(
        r("cmtrace_across_unrelated_files")["record_kinds"],
        json!({ "plain": 2 })
    );
    assert_eq!(
        r("cmtrace_across_unrelated_files")["verdict"],
        json!("not_affected")
    );
    assert_eq!(
        r("nel_and_ls_do_not_end_lines")["files"][0]["lines"],
        json!(1)
    );
    // pasted text, fed in slices that split a CRLF and a surrogate pair
    assert_eq!(
        r("pasted_crlf_across_slices")["files"][0]["lines"],
        json!(2)
    );
    assert_eq!(r("pasted_crlf_across_slices")["evidence"], json!([2]));
    assert_eq!(r("pasted_surrogates_across_slices")["evidence"], json!([2]));
    assert_eq!(
        r("pasted_surrogates_across_slices")["highlight"],
        json!([1, 2])
    );
    let slice = 1 << 20;
    let crlf_len = slice + 11;
    assert_eq!(
        cases["pasted_crlf_across_slices"]["progress"],
        json!([[slice, crlf_len], [crlf_len, crlf_len]]),
        "progress after each slice"
    );
    // the slice ends before the high surrogate
    assert_eq!(
        cases["pasted_surrogates_across_slices"]["progress"][0][0],
        json!(slice - 1)
    );
}

#[test]
fn control_and_bidi_characters_in_a_log_are_shown_as_visible_escapes() {
    let page = site::harness_page(site::CSP_WITH_BLOB_WORKER);
    let mut browser = Chromium::launch();
    let tab = open_checker(&mut browser, &page.url);
    let line = "Performing legacy sync \u{1b}[31m \u{202e}gnp.exe \u{2028}  $$<SMS_WSUS_SYNC_MANAGER><06-13-2008 10:00:00.000+300><thread=1 (0x1)>\r\n";
    let files = json!([{ "name": "ctl.log", "bytes": line.as_bytes() }]);
    let report = drop_files(&mut browser, &tab, &files);
    assert_eq!(report["highlight"], json!(["1"]));
    assert_eq!(report["escapes"], json!(["\\x1b", "\\u202e", "\\u2028"]));
    let text = report["view_text"].as_str().unwrap_or_default();
    for raw in ['\u{1b}', '\u{202e}', '\u{2028}'] {
        assert!(
            !text.contains(raw),
            "raw U+{:04X} in the log view",
            raw as u32
        );
    }
}

#[test]
fn reset_clears_the_result_and_the_inputs() {
    let (_, case) = cases().into_iter().next().expect("a case");
    let page = site::harness_page(site::CSP_WITH_BLOB_WORKER);
    let mut browser = Chromium::launch();
    let tab = open_checker(&mut browser, &page.url);
    browser.eval(
        &tab,
        "document.querySelector('.avisa-checker-text').value = 'typed'",
    );
    drop_files(&mut browser, &tab, &case_files(&case));
    browser.eval(
        &tab,
        "document.querySelector('.avisa-checker-reset').click()",
    );
    let state = browser.eval(
        &tab,
        "(() => { const r = document.querySelector('.avisa-checker-result'); return { hidden: r.hidden, \
         verdict: r.getAttribute('data-verdict'), children: r.childElementCount, \
         text: document.querySelector('.avisa-checker-text').value }; })()",
    );
    assert_eq!(
        state,
        json!({ "hidden": true, "verdict": null, "children": 0, "text": "" })
    );
}

#[test]
fn a_missing_browser_is_reported_with_an_install_hint() {
    let err = cdp::locate(Some("/nonexistent/chromium".into()), None).expect_err("no such browser");
    assert!(err.contains("apt-get install -y chromium"), "{err}");
    let err = cdp::locate(None, Some("/nonexistent-dir".into())).expect_err("empty PATH");
    assert!(err.contains("apt-get install -y chromium"), "{err}");
}

/// Resident memory in KiB of each renderer process below `root`, by process id.
fn renderer_rss(root: u32) -> std::collections::BTreeMap<u32, u64> {
    let mut parent = std::collections::HashMap::new();
    let mut renderers = Vec::new();
    for entry in fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let stat = fs::read_to_string(entry.path().join("stat")).unwrap_or_default();
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if let Some(ppid) = ppid {
            parent.insert(pid, ppid);
        }
        let cmdline = fs::read(entry.path().join("cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains("--type=renderer") {
            renderers.push(pid);
        }
    }
    let below_root = |mut pid: u32| {
        for _ in 0..32 {
            if pid == root {
                return true;
            }
            match parent.get(&pid) {
                Some(&p) if p != pid => pid = p,
                _ => return false,
            }
        }
        false
    };
    renderers
        .into_iter()
        .filter(|p| below_root(*p))
        .map(|pid| {
            let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
            let kib = status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
                .unwrap_or(0);
            (pid, kib)
        })
        .collect()
}

/// Drops the files in AVISA_BENCH_LOG (paths joined by `:`) into the page at `csp`,
/// sampling renderer memory every 20 ms; prints and returns (seconds, peak MiB).
fn bench_drop(csp: &str, label: &str) -> (f64, f64) {
    let paths = std::env::var("AVISA_BENCH_LOG").expect("AVISA_BENCH_LOG: run bench/page.sh");
    let paths: Vec<String> = paths.split(':').map(String::from).collect();
    let page = site::harness_page(csp);
    let mut browser = Chromium::launch();
    let tab = open_checker(&mut browser, &page.url);
    browser.eval(
        &tab,
        "(() => { const i = document.createElement('input'); i.type = 'file'; i.multiple = true; \
         i.id = 'bench-input'; i.hidden = true; document.body.appendChild(i); return true; })()",
    );
    let input = browser.object_id(&tab, "document.getElementById('bench-input')");
    browser.call(
        "DOM.setFileInputFiles",
        json!({ "files": paths, "objectId": input }),
        Some(&tab.session_id),
    );
    std::thread::sleep(Duration::from_millis(500));
    let root = browser.pid();
    let baseline = renderer_rss(root);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut peak = std::collections::BTreeMap::<u32, u64>::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                for (pid, kib) in renderer_rss(root) {
                    let p = peak.entry(pid).or_insert(0);
                    *p = (*p).max(kib);
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        })
    };
    browser.eval(&tab, "__avisaTest.dropFromInput('#bench-input')");
    let done = browser.eval(&tab, "__avisaTest.settled(600000)");
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let peaks = sampler.join().expect("the memory sampler");
    // The tab's renderer is the one that grew most while the log was read.
    let (pid, peak) = peaks
        .iter()
        .max_by_key(|(pid, kib)| kib.saturating_sub(baseline.get(pid).copied().unwrap_or(0)))
        .map(|(p, k)| (*p, *k))
        .expect("a renderer process");
    let before = baseline.get(&pid).copied().unwrap_or(0);
    assert_eq!(done, json!(true), "no verdict within 10 minutes");
    let elapsed = browser.eval(&tab, "__avisaTest.elapsedMs()");
    let report = browser.eval(&tab, "__avisaTest.report()");
    let seconds = elapsed.as_f64().expect("a time") / 1000.0;
    let mib = |kib: u64| kib as f64 / 1024.0;
    println!(
        "{label}: drop -> verdict {seconds:.2} s; tab renderer RSS peak {:.0} MiB \
         (before the drop {:.0} MiB); verdict {} ({}), engine {}, {} notes, {} lines shown",
        mib(peak),
        mib(before),
        report["verdict"],
        report["message_key"],
        report["engine"],
        report["notes"].as_array().map_or(0, Vec::len),
        report["highlight"].as_array().map_or(0, Vec::len),
    );
    (seconds, mib(peak))
}

#[test]
#[ignore = "benchmark: run bench/page.sh"]
fn bench_drop_of_a_large_log_reaches_a_verdict() {
    bench_drop(site::CSP_WITH_BLOB_WORKER, "worker");
    bench_drop(site::CSP_WITHOUT_BLOB_WORKER, "main thread");
}

/// A right-to-left page (Hebrew, a locale with no strings of its own) fits its window:
/// nothing hidden off-screen widens it (in a right-to-left page the window would scroll
/// to that side and show blank space), its title is in view, and the skip link, hidden
/// until focused, appears inside the window when a keyboard reaches it.
#[test]
fn a_right_to_left_page_fits_its_window_and_its_skip_link_shows_on_focus() {
    let tmp = tempfile::tempdir().expect("create a temporary site");
    let content = tmp.path().join("content");
    let advisory = content.join("advisories/954474");
    fs::create_dir_all(&advisory).unwrap();
    let example = site::repo().join("content/advisories/954474");
    for file in ["advisory.yaml", "en-US.md"] {
        fs::copy(example.join(file), advisory.join(file)).unwrap();
    }
    fs::write(
        content.join("site.yaml"),
        "title: { en-US: Advisories, he-IL: עלונים }\nbase_url: https://advisories.example.org/\ndefault_locale: en-US\nlocales: [en-US, he-IL]\n",
    )
    .unwrap();
    fs::write(
        advisory.join("he-IL.md"),
        "---\ntitle: עלון אבטחה של Microsoft 954474\nsummary: System Center Configuration Manager 2007 נחסם בעת פריסת עדכוני אבטחה\n---\nעלון זה דן בתוכנה הבאה.\n",
    )
    .unwrap();
    let out = tmp.path().join("public");
    site::build(tmp.path(), &out);
    let mut browser = Chromium::launch();
    for page in ["he-IL/954474/index.html", "he-IL/index.html"] {
        let url = format!("file://{}", out.join(page).display());
        let tab = browser.open(&url);
        browser.wait_loaded(&tab, &url);
        let layout = browser.eval(
            &tab,
            "(() => { const e = document.documentElement, h = document.querySelector('h1').getBoundingClientRect(); \
             return { dir: e.dir, scroll: e.scrollWidth, width: e.clientWidth, \
                      h1_in_view: h.left >= 0 && h.right <= e.clientWidth }; })()",
        );
        assert_eq!(layout["dir"], json!("rtl"), "{page}: {layout}");
        assert!(
            layout["scroll"].as_f64() <= layout["width"].as_f64(),
            "{page} is wider than its window: {layout}"
        );
        assert_eq!(layout["h1_in_view"], json!(true), "{page}: {layout}");
        let skip = browser.eval(
            &tab,
            "(() => { const s = document.querySelector('.skip'); s.focus(); \
             const r = s.getBoundingClientRect(), w = document.documentElement.clientWidth; \
             return { focused: document.activeElement === s, in_view: r.width > 1 && r.left >= 0 && r.right <= w && r.top >= 0 }; })()",
        );
        assert_eq!(
            skip,
            json!({ "focused": true, "in_view": true }),
            "{page}: the skip link"
        );
        browser.close(tab);
    }
}

/// The page and `avisa check-log` on the same built site fill a message's placeholders
/// and the session notes alike: `{session_line}` of a session before the first start,
/// `{line}` with several inputs (`FILE:LINE`), and the `otherwise` message (`?`).
#[test]
fn the_page_fills_placeholders_and_notes_as_the_cli_does() {
    let root = tempfile::tempdir().expect("create a temporary site");
    let page = site::one_check_site(
        root.path(),
        "999",
        r#"  - id: t
    schema: 1
    log_name: x.log
    signals:
      start: { match: "START" }
      hit: { match: "ERROR" }
    sessions: { start: start, decide: last_conclusive }
    verdicts:
      - { verdict: affected, when: { present: hit }, message: hit, evidence: [hit] }
    otherwise: { verdict: inconclusive, message: none }
"#,
        "    hit: \"hit [{line}] [{file}] [{session_line}]\"\n    none: \"none [{line}] [{file}] [{session_line}]\"\n",
    );
    let logs = root.path().join("logs");
    fs::create_dir_all(&logs).expect("create the logs folder");
    let inputs: [(&str, &str); 3] = [
        ("a.log", "nothing\n"),
        ("b.log", "x\nERROR 5\n"),
        ("c.log", "ERROR 1\nSTART\nx\n"),
    ];
    for (name, text) in inputs {
        fs::write(logs.join(name), text).expect("write a log");
    }
    let url = format!("file://{}", page.display());
    let mut browser = Chromium::launch();
    for set in [&["b.log"][..], &["a.log", "b.log"], &["a.log"], &["c.log"]] {
        let cli = std::process::Command::new(env!("CARGO_BIN_EXE_avisa"))
            .current_dir(&logs)
            .args(["check-log", "--advisory", "999", "--root"])
            .arg(root.path())
            .args(set)
            .output()
            .expect("run `avisa check-log`");
        let text = String::from_utf8(cli.stdout).expect("utf-8");
        let lines: Vec<&str> = text.lines().collect();
        let cli_message = lines.get(1).copied().unwrap_or_default();
        let cli_notes: Vec<&str> = lines
            .iter()
            .filter_map(|l| l.strip_prefix("note: "))
            .collect();
        let files = Value::Array(
            set.iter()
                .map(|name| {
                    let bytes = fs::read(logs.join(name)).expect("read a log");
                    json!({ "name": name, "bytes": bytes })
                })
                .collect(),
        );
        let tab = open_checker(&mut browser, &url);
        let report = drop_files(&mut browser, &tab, &files);
        browser.close(tab);
        assert_eq!(report["message"], json!(cli_message), "{set:?}: {text}");
        let page_notes: Vec<String> = report["notes"]
            .as_array()
            .expect("notes")
            .iter()
            // The page keeps Fluent's bidi isolation marks around arguments; a
            // terminal would show them as stray glyphs, so the CLI drops them.
            .map(|n| {
                n["text"]
                    .as_str()
                    .unwrap_or_default()
                    .replace(['\u{2068}', '\u{2069}'], "")
            })
            .collect();
        assert_eq!(page_notes, cli_notes, "{set:?}: {text}");
        let want = match set {
            ["b.log"] => "hit [2] [b.log] [1]",
            ["a.log", "b.log"] => "hit [b.log:2] [b.log] [a.log:1]",
            ["a.log"] => "none [?] [?] [?]",
            _ => "hit [1] [c.log] [1]",
        };
        assert_eq!(cli_message, want, "{set:?}");
        if set == ["c.log"] {
            assert_eq!(cli_notes.len(), 1, "{text}");
        }
    }
}

/// On a page whose translation lacks some of a check's messages, those it shows in the
/// default locale's language carry that language and direction (an English message on
/// an Arabic page read scrambled), and its own messages carry none.
#[test]
fn a_message_borrowed_from_the_default_locale_is_marked_with_its_language() {
    let root = tempfile::tempdir().expect("create a temporary site");
    site::one_check_site(
        root.path(),
        "997",
        r#"  - id: t
    schema: 1
    log_name: x.log
    signals:
      hit: { match: "ERROR" }
    verdicts:
      - { verdict: affected, when: { present: hit }, message: hit, evidence: [hit] }
    otherwise: { verdict: not_affected, message: none }
"#,
        "    title: \"Check x.log\"\n    hit: \"Affected (line {line})\"\n    none: \"Not affected\"\n",
    );
    fs::write(
        root.path().join("content/site.yaml"),
        "title: { en-US: T, ar-EG: ت }\nbase_url: https://example.org/\ndefault_locale: en-US\nlocales: [en-US, ar-EG]\n",
    )
    .expect("write site.yaml");
    fs::write(
        root.path().join("content/advisories/997/ar-EG.md"),
        "---\ntitle: ت\ntranslated_from_revision: \"1.0\"\nlog_check_messages:\n  t:\n    none: \"غير متأثر\"\n---\n\nنص.\n",
    )
    .expect("write ar-EG.md");
    site::build(root.path(), &root.path().join("public"));
    let mut browser = Chromium::launch();
    let attrs = "(() => { const m = document.querySelector('.avisa-verdict-message'),                  h = document.querySelector('.avisa-checker h2');                  return { text: m.textContent, lang: m.getAttribute('lang'), dir: m.getAttribute('dir'),                           title_lang: h.getAttribute('lang'), title_dir: h.getAttribute('dir') }; })()";
    for (locale, log, want) in [
        (
            "ar-EG",
            "x\nERROR 1\n",
            json!({ "text": "Affected (line 2)", "lang": "en-US", "dir": "ltr", "title_lang": "en-US", "title_dir": "ltr" }),
        ),
        (
            "ar-EG",
            "x\n",
            json!({ "text": "غير متأثر", "lang": null, "dir": null, "title_lang": "en-US", "title_dir": "ltr" }),
        ),
        (
            "en-US",
            "x\nERROR 1\n",
            json!({ "text": "Affected (line 2)", "lang": null, "dir": null, "title_lang": null, "title_dir": null }),
        ),
    ] {
        let page = root
            .path()
            .join("public")
            .join(locale)
            .join("997/index.html");
        let url = format!("file://{}", page.display());
        let tab = open_checker(&mut browser, &url);
        let files = json!([{ "name": "x.log", "bytes": log.as_bytes() }]);
        drop_files(&mut browser, &tab, &files);
        let got = browser.eval(&tab, attrs);
        browser.close(tab);
        assert_eq!(got, want, "{locale}: {log:?}");
    }
}

/// A rule whose regular expression backtracks without end on some line (one the linter
/// would refuse, put into a built page by hand) cannot hold the page: the worker that
/// says nothing for `data-stall-seconds` is stopped and the reader is told, for a dropped
/// file and for pasted text alike.
#[test]
fn a_check_that_makes_no_progress_is_stopped_and_said_to_be_inconclusive() {
    let root = tempfile::tempdir().expect("create a temporary site");
    let page = site::one_check_site(
        root.path(),
        "998",
        r#"  - id: t
    schema: 1
    log_name: x.log
    signals:
      hit: { regex: '^(?:a|b)+$' }
    verdicts:
      - { verdict: affected, when: { present: hit }, message: hit, evidence: [hit] }
    otherwise: { verdict: not_affected, message: none }
"#,
        "    hit: hit\n    none: none\n",
    );
    let html = fs::read_to_string(&page).expect("read the page");
    // the two alternatives made to overlap: exponential time on a run of `a`s that fails
    let hanging = html.replacen("(?:a|b)+", "(?:a|a)+", 1).replacen(
        "data-stall-seconds=\"20\"",
        "data-stall-seconds=\"2\"",
        1,
    );
    assert!(hanging.contains("(?:a|a)+") && hanging.contains("data-stall-seconds=\"2\""));
    fs::write(&page, hanging).expect("write the page");
    let line = format!("{}!\n", "a".repeat(60));
    let url = format!("file://{}", page.display());
    let mut browser = Chromium::launch();
    for how in ["drop", "paste"] {
        let tab = open_checker(&mut browser, &url);
        let files = json!([{ "name": "x.log", "bytes": line.as_bytes() }]);
        match how {
            "drop" => browser.eval(&tab, &format!("__avisaTest.drop({files})")),
            _ => browser.eval(&tab, &format!("__avisaTest.paste({})", json!(line))),
        };
        let report = settle(&mut browser, &tab);
        browser.close(tab);
        assert_eq!(report["verdict"], json!("inconclusive"), "{how}: {report}");
        assert_eq!(report["message_key"], json!("stalled"), "{how}: {report}");
        assert_eq!(report["engine"], json!("worker"), "{how}: {report}");
        assert_eq!(report["label"], json!("Inconclusive"), "{how}: {report}");
        let message = report["message"].as_str().unwrap_or_default();
        let message = message.replace(['\u{2068}', '\u{2069}'], "");
        assert!(
            message.starts_with("The check was stopped after 2 seconds without progress"),
            "{how}: {report}"
        );
        assert_eq!(report["progress_hidden"], json!(true), "{how}: {report}");
    }
    // the same rule as written, on the same line, reaches a verdict
    let fine = fs::read_to_string(&page)
        .expect("read the page")
        .replacen("(?:a|a)+", "(?:a|b)+", 1);
    fs::write(&page, fine).expect("write the page");
    let tab = open_checker(&mut browser, &url);
    let files = json!([{ "name": "x.log", "bytes": line.as_bytes() }]);
    let report = drop_files(&mut browser, &tab, &files);
    assert_eq!(report["verdict"], json!("not_affected"), "{report}");
}

/// A page of `avisa serve`'s preview, under the preview's Content-Security-Policy, reloads
/// itself after a rebuild; a failed build shows its problems over the page (as text), and
/// the next good build takes them away by reloading it; the log checker still runs there.
#[test]
fn a_served_page_reloads_after_a_rebuild_and_shows_a_failed_build_over_itself() {
    let root = example::example_copy();
    let edit = |from: &str, to: &str, file: &str| {
        let rel = format!("content/advisories/954474/{file}");
        example::edit(root.path(), &rel, from, to);
    };
    let server = server::Server::start(root.path(), &[]);
    let mut browser = Chromium::launch();
    let url = format!("{}en-US/954474/", server.url);
    let tab = open_checker(&mut browser, &url);
    // a mark that a reload takes away
    browser.eval(&tab, "window.__notReloaded = true");
    let title = browser.eval(&tab, "document.title");
    let title = title.as_str().unwrap().to_string();

    edit(
        "Microsoft Security Advisory 954474",
        "Advisory 954474, revised",
        "en-US.md",
    );
    browser.wait_for(
        &tab,
        "document.readyState === 'complete' && !window.__notReloaded && document.title.startsWith('Advisory 954474, revised')",
        Duration::from_secs(30),
    );
    assert_ne!(
        title,
        browser.eval(&tab, "document.title").as_str().unwrap()
    );

    // hidden, the page does not ask (nor reload); shown again, it catches up at once
    browser.eval(
        &tab,
        "window.__notReloaded = true; \
         Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true }); \
         document.dispatchEvent(new Event('visibilitychange'))",
    );
    let before = server.state(None);
    edit(
        "Advisory 954474, revised",
        "Advisory 954474, revised twice",
        "en-US.md",
    );
    let after = server.state(Some(before["generation"].as_str().unwrap()));
    assert_eq!(after["ok"], json!(true), "{after}");
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(
        browser.eval(
            &tab,
            "window.__notReloaded === true && !document.title.includes('twice')"
        ),
        json!(true),
        "a hidden page reloaded"
    );
    browser.eval(
        &tab,
        "Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true }); \
         document.dispatchEvent(new Event('visibilitychange'))",
    );
    browser.wait_for(
        &tab,
        "document.readyState === 'complete' && !window.__notReloaded && document.title.startsWith('Advisory 954474, revised twice')",
        Duration::from_secs(30),
    );

    browser.eval(&tab, "window.__notReloaded = true");
    edit(
        "published: 2008-06-13",
        "published: 2008-06-31",
        "advisory.yaml",
    );
    browser.wait_for(
        &tab,
        "!!document.getElementById('avisa-build-problems')",
        Duration::from_secs(30),
    );
    let shown = browser.eval(
        &tab,
        "(() => { const b = document.getElementById('avisa-build-problems'); \
         return { text: b.textContent, children: b.children.length, role: b.getAttribute('role'), \
                  reloaded: !window.__notReloaded }; })()",
    );
    let text = shown["text"].as_str().unwrap();
    assert!(text.contains("the last build failed"), "{shown}");
    assert!(text.contains("`2008-06-31` is not a real date"), "{shown}");
    assert!(
        text.contains("content/advisories/954474/advisory.yaml:"),
        "{shown}"
    );
    assert_eq!(
        shown["children"],
        json!(0),
        "the problems are text: {shown}"
    );
    assert_eq!(shown["role"], json!("alert"));
    assert_eq!(
        shown["reloaded"],
        json!(false),
        "a failed build reloads nothing"
    );

    edit(
        "published: 2008-06-31",
        "published: 2008-06-13",
        "advisory.yaml",
    );
    browser.wait_for(
        &tab,
        "document.readyState === 'complete' && !window.__notReloaded && !document.getElementById('avisa-build-problems')",
        Duration::from_secs(30),
    );
    // the checker works in the preview as in the built site
    assert_eq!(
        browser.eval(&tab, HARNESS),
        json!(true),
        "install the harness"
    );
    let case = &expected()["cases"]["s1-legacy-utf8bom-affected.log"];
    let report = drop_files(&mut browser, &tab, &case_files(case));
    assert_eq!(report["verdict"], json!("affected"), "{report}");
}

/// A page whose first question reaches the server only after a newer build ended (the
/// question held back here through DevTools) reloads at once: it knows the build it comes
/// from, and does not take the newer one for its own.
#[test]
fn a_served_page_that_asks_after_a_newer_build_reloads_at_once() {
    let root = example::example_copy();
    let server = server::Server::start(root.path(), &[]);
    let mut browser = Chromium::launch();
    let tab = browser.open("about:blank");
    browser.call(
        "Fetch.enable",
        json!({ "patterns": [{ "urlPattern": "*/.avisa/build*" }] }),
        Some(&tab.session_id),
    );
    let url = format!("{}en-US/954474/", server.url);
    browser.call(
        "Page.navigate",
        json!({ "url": url }),
        Some(&tab.session_id),
    );
    browser.wait_loaded(&tab, &url);
    browser.eval(&tab, "window.__notReloaded = true");
    let before = server.state(None);
    example::edit(
        root.path(),
        "content/advisories/954474/en-US.md",
        "Microsoft Security Advisory 954474",
        "Advisory 954474, revised",
    );
    let after = server.state(Some(before["generation"].as_str().unwrap()));
    assert_eq!(after["ok"], json!(true), "{after}");
    // the held question goes on, and is answered with the newer build
    browser.call("Fetch.disable", json!({}), Some(&tab.session_id));
    browser.wait_for(
        &tab,
        "document.readyState === 'complete' && !window.__notReloaded && document.title.startsWith('Advisory 954474, revised')",
        Duration::from_secs(30),
    );
}
