//! The pages the browser tests load from `file://`: a harness page laid out like the
//! built site (`en-US/954474/index.html` + `assets/`), with the checker partial rendered
//! by tera from `templates/partials/log_checker.html`, the en-US `checker-*` strings and
//! the 954474 rules as page data, under the site's CSP.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The site's Content-Security-Policy (src/render) plus the worker directive the checker
/// asks for, so a Web Worker can be started from a `blob:` URL on `file://` pages.
pub(crate) const CSP_WITH_BLOB_WORKER: &str = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; connect-src 'none'; img-src 'self'; worker-src 'self' blob:";

/// The site's Content-Security-Policy without a worker directive: no worker can start
/// from `file://`, so the checker must fall back to the main thread.
pub(crate) const CSP_WITHOUT_BLOB_WORKER: &str = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; connect-src 'none'; img-src 'self'";

/// The crate root.
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `avisa build --root ROOT --out OUT` and asserts that it succeeded.
pub(crate) fn build(root: &Path, out: &Path) {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_avisa"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .expect("run `avisa build`");
    assert!(
        run.status.success(),
        "`avisa build` failed ({}): {}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
}

/// The shared log vectors (`../shared/logs`).
pub(crate) fn shared_logs() -> PathBuf {
    repo().join("../shared/logs")
}

/// The page data of the 954474 check (`{check, messages}`), written by hand from
/// `rules-954474.yaml` with its en-US messages.
pub(crate) fn page_data() -> Value {
    let path = repo().join("tests/browser/rules-954474.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).expect("rules-954474.json is JSON")
}

/// The `checker-*` strings of a locale as the renderer hands them to the partial:
/// Fluent variables become `{name}` tokens wrapped in U+2068/U+2069 isolation marks.
pub(crate) fn checker_strings(locale: &str) -> BTreeMap<String, String> {
    let path = repo().join("locales").join(locale).join("checker.ftl");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let Some((key, value)) = line.split_once(" = ") else {
            continue;
        };
        if !key.starts_with("checker-") {
            continue;
        }
        let mut value = value.to_string();
        while let Some(start) = value.find("{ $") {
            let Some(len) = value[start..].find(" }") else {
                break;
            };
            let name = value[start + 3..start + len].to_string();
            value.replace_range(
                start..start + len + 2,
                &format!("\u{2068}{{{name}}}\u{2069}"),
            );
        }
        out.insert(key.to_string(), value);
    }
    out
}

/// JSON safe inside a `<script>` element (as src/render does it).
fn script_json(value: &Value) -> String {
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Renders the checker partial for `data` with en-US strings.
pub(crate) fn render_partial(data: &Value) -> String {
    let path = repo().join("templates/partials/log_checker.html");
    let source =
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let mut tera = tera::Tera::default();
    tera.add_raw_template("partials/log_checker.html", &source)
        .unwrap_or_else(|e| panic!("parse the checker partial: {e:?}"));
    let check = &data["check"];
    let mut ctx = tera::Context::new();
    // as the renderer hands it over: the JSON comes marked safe
    let value = tera::Value::from_serializable;
    let checker: BTreeMap<&str, tera::Value> = BTreeMap::from([
        ("id", value(&check["id"])),
        ("title", value(&data["messages"]["title"])),
        ("log_name", value(&check["log_name"])),
        ("file_hint", value(&check["file_hint"])),
        ("data_json", tera::Value::safe_string(&script_json(data))),
    ]);
    ctx.insert("checker", &checker);
    ctx.insert("checker_t", &checker_strings("en-US"));
    tera.render("partials/log_checker.html", &ctx)
        .unwrap_or_else(|e| panic!("render the checker partial: {e:?}"))
}

/// A page on disk; the folder is removed when this is dropped.
pub(crate) struct Page {
    _dir: tempfile::TempDir,
    /// The `file://` URL of the page.
    pub(crate) url: String,
}

fn write(path: &Path, bytes: &[u8]) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
    }
    fs::write(path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Writes and builds, under `root`, a site in en-US with one advisory `id` whose
/// `log_checks` entry is `check` (YAML, indented as a list item under `log_checks:`) and
/// whose en-US messages for check `t` are `messages` (YAML, indented under `t:`); returns
/// the built page.
pub(crate) fn one_check_site(root: &Path, id: &str, check: &str, messages: &str) -> PathBuf {
    let adv = root.join("content/advisories").join(id);
    write(
        &root.join("content/site.yaml"),
        b"title: { en-US: T }\nbase_url: https://example.org/\ndefault_locale: en-US\nlocales: [en-US]\n",
    );
    let advisory = format!(
        "id: \"{id}\"\nkind: non-security\npublished: 2008-06-13\nrevisions:\n  - {{ number: \"1.0\", date: 2008-06-13 }}\nlog_checks:\n{check}"
    );
    write(&adv.join("advisory.yaml"), advisory.as_bytes());
    let translation = format!(
        "---\ntitle: T\ntranslated_from_revision: \"1.0\"\nlog_check_messages:\n  t:\n{messages}---\n\nBody.\n"
    );
    write(&adv.join("en-US.md"), translation.as_bytes());
    build(root, &root.join("public"));
    root.join("public/en-US").join(id).join("index.html")
}

/// Writes the harness page for the 954474 check under `csp`.
pub(crate) fn harness_page(csp: &str) -> Page {
    let dir = tempfile::tempdir().expect("create a temporary site folder");
    let data = page_data();
    let partial = render_partial(&data);
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en-US\" dir=\"ltr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <title>Checker harness</title>\n<link rel=\"stylesheet\" href=\"../../assets/checker.css\">\n\
         </head>\n<body>\n<main>\n{partial}\n</main>\n\
         <script src=\"../../assets/checker.js\" defer></script>\n</body>\n</html>\n"
    );
    let page = dir.path().join("en-US/954474/index.html");
    write(&page, html.as_bytes());
    let js = fs::read(repo().join("src/checker/checker.js")).expect("read src/checker/checker.js");
    write(&dir.path().join("assets/checker.js"), &js);
    let css = fs::read(repo().join("templates/static/checker.css"))
        .expect("read templates/static/checker.css");
    write(&dir.path().join("assets/checker.css"), &css);
    Page {
        url: format!("file://{}", page.display()),
        _dir: dir,
    }
}
