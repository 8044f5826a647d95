//! `avisa serve`: the preview it serves, its rebuilds on change (and the state the pages'
//! live-reload script reads), a failed build, hosts it refuses, its exit codes, and the
//! temporary preview folder it removes when stopped (or, killed, when the next one starts).

#[path = "common/example.rs"]
mod example;
#[path = "serve/server.rs"]
mod server;

use std::fs;

use example::{edit, example_copy};
use server::Server;

const PT: &str = "content/advisories/954474/pt-BR.md";
const YAML: &str = "content/advisories/954474/advisory.yaml";
const TITLE: &str = "Comunicado de Segurança da Microsoft 954474";
/// The live-reload script as a page of the build `generation` loads it.
fn script_tag(generation: &str) -> String {
    format!("<script src=\"/.avisa/live-reload.js?build={generation}\"></script>")
}

fn generation(state: &serde_json::Value) -> String {
    state["generation"]
        .as_str()
        .expect("a generation")
        .to_string()
}

#[test]
fn the_preview_is_rebuilt_when_a_source_changes_and_a_failed_build_keeps_the_last_one() {
    let site = example_copy();
    let out = tempfile::tempdir().unwrap();
    let preview = out.path().join("preview");
    let mut server = Server::start(site.path(), &["--out", preview.to_str().unwrap()]);
    assert_eq!(server.preview, preview);

    // the page as built, with the script and the preview's own policy and address
    let first = server.state(None);
    assert_eq!(first["ok"], true, "{first}");
    let g1 = generation(&first);
    let page = server.get("pt-BR/954474/");
    assert_eq!(page.status, 200);
    assert!(
        page.headers.contains("cache-control: no-store"),
        "{}",
        page.headers
    );
    assert!(
        page.body.contains(&format!("<title>{TITLE}")),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(&format!("{}\n</body>", script_tag(&g1))),
        "the script of build {g1} is not before </body>"
    );
    assert!(page.body.contains("connect-src &#39;self&#39;"));
    assert!(!page.body.contains("connect-src &#39;none&#39;"));
    assert!(page.body.contains(&format!(
        "<link rel=\"canonical\" href=\"{}pt-BR/954474/\">",
        server.url
    )));
    // the preview is its own folder, never the site's output
    assert!(!site.path().join("public").exists());
    assert!(preview.join("pt-BR/954474/index.html").is_file());
    let script = server.get(".avisa/live-reload.js");
    assert_eq!(script.status, 200);
    assert!(script.headers.contains("content-type: text/javascript"));
    assert!(script.body.contains("location.reload()"));

    // a change: the page's poll is answered with the next build, which has it
    let poll = {
        let authority = server.authority();
        let g1 = g1.clone();
        std::thread::spawn(move || server::state(&authority, Some(&g1)))
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    edit(site.path(), PT, TITLE, "Comunicado 954474, revisto");
    let second = poll.join().unwrap();
    assert_ne!(generation(&second), g1);
    assert_eq!(second["ok"], true, "{second}");
    let changed = server.wait_line("changed: ");
    assert!(
        changed.contains("content/advisories/954474/pt-BR.md"),
        "{changed}"
    );
    let page = server.get("pt-BR/954474/").body;
    assert!(page.contains("<title>Comunicado 954474, revisto"));
    // the page says it comes from the new build
    assert!(page.contains(&script_tag(&generation(&second))));

    // a broken file: the state says why, and the last good preview is still served
    edit(
        site.path(),
        YAML,
        "published: 2008-06-13",
        "published: [2008-06-13",
    );
    let third = server.state(Some(&generation(&second)));
    assert_eq!(third["ok"], false, "{third}");
    let problems = third["problems"].as_str().unwrap();
    assert!(problems.contains("advisory.yaml:"), "{problems}");
    assert!(problems.contains("1 error(s)"), "{problems}");
    server.wait_line("error: the build failed; the preview stays as it was");
    let page = server.get("pt-BR/954474/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<title>Comunicado 954474, revisto"));

    // fixed: built again
    edit(
        site.path(),
        YAML,
        "published: [2008-06-13",
        "published: 2008-06-13",
    );
    let fourth = server.state(Some(&generation(&third)));
    assert_eq!(fourth["ok"], true, "{fourth}");
    // and nothing else: the builds' own reading and writing start no other build
    std::thread::sleep(std::time::Duration::from_secs(1));
    assert_eq!(server.state(None)["generation"], fourth["generation"]);
    let (status, lines) = server.stop();
    assert!(status.success(), "{status}");
    let count = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
    assert_eq!(count("built "), 3, "{lines:#?}");
    assert_eq!(count("error: the build failed"), 1, "{lines:#?}");
    assert_eq!(count("changed: "), 3, "{lines:#?}");
}

#[test]
fn a_missing_page_reloads_when_built_and_a_name_other_than_localhost_is_refused() {
    let site = example_copy();
    let server = Server::start(site.path(), &[]);
    let missing = server.get("pt-BR/999999/");
    assert_eq!(missing.status, 404);
    assert!(missing.headers.contains("content-type: text/html"));
    let now = generation(&server.state(None));
    assert!(missing.body.contains(&script_tag(&now)), "{}", missing.body);

    let port = server.url.rsplit(':').next().unwrap().trim_end_matches('/');
    let rebound = server.get_with_host("pt-BR/954474/", &format!("attacker.example:{port}"));
    assert_eq!(rebound.status, 403);
    assert!(
        rebound.body.contains("attacker.example"),
        "{}",
        rebound.body
    );
    assert!(!rebound.body.contains(TITLE));
    let named = server.get_with_host("pt-BR/954474/", &format!("localhost:{port}"));
    assert_eq!(named.status, 200);

    // a new advisory appears in the preview: its folder, made beside the site, moved in
    let made = tempfile::tempdir().unwrap();
    for f in fs::read_dir(site.path().join("content/advisories/954474")).unwrap() {
        let f = f.unwrap().path();
        let text = fs::read_to_string(&f).unwrap();
        fs::write(
            made.path().join(f.file_name().unwrap()),
            text.replace("954474", "954475"),
        )
        .unwrap();
    }
    let before = server.state(None);
    assert_eq!(before["ok"], true, "{before}");
    fs::rename(made.path(), site.path().join("content/advisories/954475")).unwrap();
    let after = server.state(Some(&generation(&before)));
    assert_eq!(after["ok"], true, "{after}");
    let page = server.get("pt-BR/954475/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("954475"));
    // `//pt-BR` is not sent to the host `pt-BR` (a folder's redirect to `//pt-BR/`), and a
    // segment too long for a file name is not found, not a server error
    for path in ["/pt-BR", "//pt-BR", &"a".repeat(300), &"%C3%A9".repeat(100)] {
        let answer = server.get(path);
        assert_eq!(answer.status, 404, "{path}: {}", answer.headers);
        assert!(
            !answer.headers.to_ascii_lowercase().contains("location:"),
            "{path}"
        );
    }
}

#[test]
fn stopped_it_exits_0_and_removes_its_temporary_preview() {
    // SIGHUP: the terminal it ran in was closed
    for signal in ["-TERM", "-INT", "-HUP"] {
        let site = example_copy();
        let server = Server::start(site.path(), &[]);
        let preview = server.preview.clone();
        assert!(
            preview.join("index.html").is_file(),
            "{}",
            preview.display()
        );
        // the preview may be of advisories not yet public: only its user can read it
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let folder = preview.parent().unwrap();
            let mode = fs::metadata(folder).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{}", folder.display());
        }
        assert!(!site.path().join("public").exists());
        let (status, _) = server.stop_with(signal);
        assert!(status.success(), "{signal}: {status}");
        assert!(!preview.exists(), "{signal}: {} is left", preview.display());
        assert!(!preview.parent().unwrap().exists());
    }
}

#[test]
fn the_preview_folder_a_killed_server_left_is_removed_by_the_next_one() {
    let site = example_copy();
    let tmp = tempfile::tempdir().unwrap();
    let killed = Server::start_with_tmp(site.path(), &[], Some(tmp.path()));
    let running = Server::start_with_tmp(site.path(), &[], Some(tmp.path()));
    let (left, kept) = (
        killed.preview.parent().unwrap().to_path_buf(),
        running.preview.parent().unwrap().to_path_buf(),
    );
    assert!(left.starts_with(tmp.path()), "{}", left.display());
    // a server in use keeps its folder when another starts
    assert!(killed.preview.join("index.html").is_file());
    let (status, _) = killed.stop_with("-KILL");
    assert!(!status.success());
    assert!(
        left.is_dir(),
        "SIGKILL cannot be caught: the folder stays for now"
    );
    // not a preview folder of avisa's: no lock file
    let foreign = tmp.path().join("avisa-serve.someone-elses");
    fs::create_dir(&foreign).unwrap();

    let next = Server::start_with_tmp(site.path(), &[], Some(tmp.path()));
    assert!(!left.exists(), "{} is left", left.display());
    assert!(running.preview.join("index.html").is_file());
    assert!(next.preview.join("index.html").is_file());
    assert!(foreign.is_dir());
    for server in [running, next] {
        let (status, _) = server.stop();
        assert!(status.success());
    }
    assert!(!kept.exists(), "{} is left", kept.display());
    let names: Vec<_> = (fs::read_dir(tmp.path()).unwrap())
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["avisa-serve.someone-elses"]);
}

#[test]
fn a_site_that_does_not_build_is_served_once_fixed() {
    let site = example_copy();
    edit(
        site.path(),
        YAML,
        "published: 2008-06-13",
        "published: 2008-13-13",
    );
    let mut server = Server::start(site.path(), &[]);
    server.wait_line("error: the build failed");
    let state = server.state(None);
    assert_eq!(state["ok"], false);
    assert!(
        state["problems"]
            .as_str()
            .unwrap()
            .contains("advisory.yaml:"),
        "{state}"
    );
    let home = server.get("");
    assert_eq!(home.status, 404);
    assert!(home.body.contains("has not been built"), "{}", home.body);
    assert!(home.body.contains(&script_tag(&generation(&state))));

    edit(
        site.path(),
        YAML,
        "published: 2008-13-13",
        "published: 2008-06-13",
    );
    let state = server.state(Some(&generation(&state)));
    assert_eq!(state["ok"], true, "{state}");
    assert_eq!(server.get("").status, 200);
}

#[test]
fn a_taken_port_is_a_usage_error_that_says_what_to_do() {
    let site = example_copy();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_avisa"))
        .args(["serve", "--port", &port, "--root"])
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{port}")),
        "{err}"
    );
    assert!(err.contains("--port"), "{err}");
}

#[test]
fn an_output_folder_among_the_sources_is_refused_before_serving() {
    let site = example_copy();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_avisa"))
        .args(["serve", "--port", "0", "--out"])
        .arg(site.path().join("content/preview"))
        .arg("--root")
        .arg(site.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(err.contains("inside the site's `content/`"), "{err}");
    // told once, as the reason it stops, not also as a failed build of a running server
    assert_eq!(
        err.matches("inside the site's `content/`").count(),
        1,
        "{err}"
    );
    assert!(!err.contains("the preview stays"), "{err}");
    assert!(!String::from_utf8_lossy(&run.stdout).contains("serving"));
}

#[test]
fn a_site_avisa_build_wrote_is_never_replaced_by_a_preview() {
    let site = example_copy();
    let serve_into = |out: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_avisa"))
            .args(["serve", "--port", "0", "--out"])
            .arg(out)
            .arg("--root")
            .arg(site.path())
            .output()
            .unwrap()
    };
    // `public`, where `avisa build` writes the site: refused before a first build too
    let public = site.path().join("public");
    let run = serve_into(&public);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(err.contains("where `avisa build` writes the site"), "{err}");
    assert!(!public.exists());
    // another folder `avisa build` wrote
    let other = site.path().join("other");
    let built = std::process::Command::new(env!("CARGO_BIN_EXE_avisa"))
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--out")
        .arg(&other)
        .output()
        .unwrap();
    assert!(built.status.success());
    let page = fs::read(other.join("pt-BR/954474/index.html")).unwrap();
    let run = serve_into(&other);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(err.contains("it is a site `avisa build` wrote"), "{err}");
    assert_eq!(
        fs::read(other.join("pt-BR/954474/index.html")).unwrap(),
        page
    );
    // a preview folder of its own is served (by one server at a time), and built over later
    let preview = site.path().join("preview");
    let server = Server::start(site.path(), &["--out", preview.to_str().unwrap()]);
    assert!(server.preview.join("index.html").is_file());
    let run = serve_into(&preview);
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains("another `avisa serve` is writing its preview"),
        "{err}"
    );
    // nor inside the temporary folder of a running server
    let temporary = Server::start(site.path(), &[]);
    let run = serve_into(&temporary.preview.join("x"));
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{err}");
    assert!(
        err.contains("the preview folder of a running `avisa serve`"),
        "{err}"
    );
    let _ = temporary.stop();
    let (status, _) = server.stop();
    assert!(status.success());
    let built = std::process::Command::new(env!("CARGO_BIN_EXE_avisa"))
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--out")
        .arg(&preview)
        .output()
        .unwrap();
    assert!(built.status.success());
}

/// Listening on every address is said to put the preview on the network, and to lift
/// the check that keeps DNS rebinding out.
#[test]
fn listening_beyond_this_machine_is_a_warning() {
    let site = example_copy();
    let mut server = Server::start(site.path(), &["--bind", "0.0.0.0"]);
    let line = server.wait_line("warning: listening on 0.0.0.0");
    assert!(
        line.contains("every machine that can reach this one"),
        "{line}"
    );
    assert!(line.contains("DNS rebinding"), "{line}");
    let (status, _) = server.stop();
    assert!(status.success());
    let mut server = Server::start(site.path(), &[]);
    server.wait_line("built ");
    assert!(!server.seen.iter().any(|l| l.contains("warning: listening")));
    let _ = server.stop();
}

#[test]
fn a_templates_folder_made_while_serving_is_watched_too() {
    let site = example_copy();
    let server = Server::start(site.path(), &[]);
    let before = server.state(None);
    // made beside the site and moved in whole: one change
    let made = tempfile::tempdir().unwrap();
    fs::write(
        made.path().join("root.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>First override</h1>{% endblock main %}",
    )
    .unwrap();
    fs::rename(made.path(), site.path().join("templates")).unwrap();
    let after = server.state(Some(&generation(&before)));
    assert_eq!(after["ok"], true, "{after}");
    assert!(server.get("").body.contains("<h1>First override</h1>"));
    // a file changed inside the new folder
    fs::write(
        site.path().join("templates/root.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Second override</h1>{% endblock main %}",
    )
    .unwrap();
    let again = server.state(Some(&generation(&after)));
    assert_eq!(again["ok"], true, "{again}");
    assert!(server.get("").body.contains("<h1>Second override</h1>"));
}
