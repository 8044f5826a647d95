//! Whole-site behaviour: the shipped 954474 example, a fixture site and mutated copies
//! of it for every content error, the byte-identical rebuild, the staged output, and
//! the exit codes of `build`, `check`, `init`, `new` and `new-locale`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

#[path = "common/example.rs"]
mod example;
use example::{copy_dir, edit, example_copy, repo};

fn avisa() -> Command {
    Command::cargo_bin("avisa").expect("the avisa binary is built")
}

/// Copies `tests/fixtures/<name>` into a fresh temporary folder.
fn fixture(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures").join(name), tmp.path());
    tmp
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

/// The example's en-US translation of 954474, from the site's root.
const EN_US: &str = "content/advisories/954474/en-US.md";

/// Adds `more` to the end of the file `rel` under `root`; returns the file's new text.
fn append(root: &Path, rel: &str, more: &str) -> String {
    let text = fs::read_to_string(root.join(rel)).unwrap() + more;
    fs::write(root.join(rel), &text).unwrap();
    text
}

/// The line (from 1) of `text` on which `needle` first appears; it must appear.
fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap()].matches('\n').count() + 1
}

/// Builds into memory; the files as text.
fn build(root: &Path) -> BTreeMap<String, String> {
    let sink = avisa::output::MemorySink::default();
    avisa::build_into(root, false, &sink).unwrap_or_else(|e| panic!("build failed: {e:?}"));
    sink.into_files()
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8(v).unwrap()))
        .collect()
}

/// Runs `avisa build` expecting exit code 1; its stderr.
fn build_fails(root: &Path) -> Vec<u8> {
    avisa()
        .args(["build", "--root"])
        .arg(root)
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone()
}

/// Runs `avisa check` expecting exit code 1; its (stdout, stderr).
fn check_fails(root: &Path) -> (String, String) {
    let out = avisa()
        .args(["check", "--root"])
        .arg(root)
        .assert()
        .code(1)
        .get_output()
        .clone();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (text(out.stdout), text(out.stderr))
}

/// Every problem `check` reports, rendered as the CLI prints them.
fn problems(root: &Path) -> Vec<String> {
    avisa::check(root)
        .unwrap()
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn assert_problem(root: &Path, needles: &[&str]) {
    let all = problems(root);
    assert!(
        all.iter().any(|p| needles.iter().all(|n| p.contains(n))),
        "no problem contains all of {needles:?}; got:\n{}",
        all.join("\n")
    );
}

// ---------- the shipped example ----------

#[test]
fn example_954474_has_a_page_in_each_locale_with_localized_dates_and_plurals() {
    let files = build(&repo());
    let cases = [
        (
            "pt-BR",
            "sexta-feira, 13 de junho de 2008",
            "terça-feira, 17 de junho de 2008",
            "2 revisões",
        ),
        (
            "es-ES",
            "viernes, 13 de junio de 2008",
            "martes, 17 de junio de 2008",
            "2 revisiones",
        ),
        (
            "en-US",
            "Friday, June 13, 2008",
            "Tuesday, June 17, 2008",
            "2 revisions",
        ),
    ];
    for (lang, published, updated, revisions) in cases {
        let page = &files[&format!("{lang}/954474/index.html")];
        let plain = page.replace(['\u{2068}', '\u{2069}'], "");
        assert!(
            page.contains(&format!("<html lang=\"{lang}\" dir=\"ltr\">")),
            "{lang}"
        );
        assert!(plain.contains(published), "{lang}: {published}");
        assert!(plain.contains(updated), "{lang}: {updated}");
        assert!(plain.contains(revisions), "{lang}: {revisions}");
        assert!(page.contains("KB954474"));
        assert!(page.contains("System Center Configuration Manager 2007"));
        assert!(page.contains(&format!(
            "<link rel=\"canonical\" href=\"https://advisories.example.org/{lang}/954474/\">"
        )));
        for other in ["pt-BR", "es-ES", "en-US"] {
            assert!(page.contains(&format!(
                "hreflang=\"{other}\" href=\"https://advisories.example.org/{other}/954474/\""
            )));
        }
        assert!(page.contains(
            "hreflang=\"x-default\" href=\"https://advisories.example.org/en-US/954474/\""
        ));
        // The switcher names each language in its own language.
        for name in [
            "Português (Brasil)",
            "Español (España)",
            "English (United States)",
        ] {
            assert!(page.contains(name), "{lang}: switcher lacks {name}");
        }
        assert!(page.contains("connect-src &#39;none&#39;") || page.contains("connect-src 'none'"));
    }
}

#[test]
fn example_954474_bodies_render_as_published() {
    let files = build(&repo());
    for lang in ["pt-BR", "es-ES"] {
        let page = &files[&format!("{lang}/954474/index.html")];
        assert_eq!(page.matches("<table").count(), 2, "{lang}: both tables");
        assert!(
            page.contains("SMS_WSUS_SYNC_MANAGER"),
            "{lang}: backslash escapes"
        );
        assert!(!page.contains("SMS\\_WSUS"), "{lang}");
        assert!(
            page.contains("C:\\Program Files\\Microsoft"),
            "{lang}: Windows paths keep one backslash"
        );
        assert!(!page.contains("C:\\\\Program"), "{lang}");
        assert!(
            page.contains("scid=sw;en;1257&amp;showpage=1&amp;ws=technet&amp;sd=tech"),
            "{lang}: &amp; in the link URL"
        );
        assert!(!page.contains("&amp;amp;"), "{lang}");
        // The eight log lines sit inside one list item, in order.
        let at = page.find("Performing legacy sync").unwrap();
        let li = &page[page[..at].rfind("<li>").unwrap()..];
        let item = &li[..li.find("</li>").unwrap()];
        let lines = [
            "Performing legacy sync",
            "STATMSG: ID=6709",
            "updatewuscatalog.exe",
            "Processing security catalog",
            "Initializing catalog",
            "Pre-processing updates",
            "Unexpected DeploymentAction",
            "Updates summary: 0 processed",
        ];
        let mut pos = 0;
        for l in lines {
            let at = item[pos..].find(l).unwrap_or_else(|| {
                panic!("{lang}: `{l}` missing or out of order in the list item")
            });
            pos += at;
        }
        assert!(
            !page.contains("Built at"),
            "{lang}: the generator stamp moved out of the body"
        );
        // The body opens with a level-3 heading before its level-2 ones: it heads the
        // table of contents at the top level, and later level-3 headings stay nested.
        let toc = &page[page
            .find("<nav class=\"toc\"")
            .expect("a table of contents")..];
        let toc = &toc[..toc.find("</nav>").unwrap()];
        let levels: Vec<&str> = toc
            .split("<li class=\"toc-")
            .skip(1)
            .map(|li| &li[..1])
            .collect();
        assert_eq!(levels.first(), Some(&"2"), "{lang}: {toc}");
        assert!(levels.contains(&"3"), "{lang}: {toc}");
    }
}

/// Each URL of the sitemap has the alternates its page declares, `x-default` included:
/// the root, the locale indexes and the advisory pages (the root had none, an advisory
/// page's entry no `x-default`).
#[test]
fn the_sitemap_gives_each_url_the_alternates_its_page_declares() {
    let files = build(fixture("basic").path());
    let base = "https://fixture.example/";
    let pairs = |text: &str, prefix: &str, close: &str| -> BTreeSet<(String, String)> {
        text.split(prefix)
            .skip(1)
            .map(|rest| {
                let rest = &rest[..rest.find(close).unwrap()];
                let (lang, href) = rest.split_once("\" href=\"").unwrap();
                (lang.to_string(), href.trim_end_matches('"').to_string())
            })
            .collect()
    };
    let sitemap = &files["sitemap.xml"];
    let mut seen = 0;
    for entry in sitemap.split("<url>").skip(1) {
        let loc = entry
            .split("<loc>")
            .nth(1)
            .unwrap()
            .split("</loc>")
            .next()
            .unwrap();
        let page = format!("{}index.html", loc.strip_prefix(base).unwrap());
        let declared = pairs(&files[&page], "<link rel=\"alternate\" hreflang=\"", ">");
        let listed = pairs(entry, "<xhtml:link rel=\"alternate\" hreflang=\"", "/>");
        assert!(declared.iter().any(|(l, _)| l == "x-default"), "{page}");
        assert_eq!(listed, declared, "{loc}");
        seen += 1;
    }
    assert!(seen > 5, "{sitemap}");
}

#[test]
fn example_site_has_root_page_indexes_feeds_and_sitemap() {
    let files = build(&repo());
    let root = &files["index.html"];
    for l in ["en-US", "pt-BR", "es-ES"] {
        assert!(root.contains(&format!("href=\"{l}/index.html\"")), "{l}");
        assert!(files.contains_key(&format!("{l}/index.html")));
        assert!(
            files[&format!("{l}/atom.xml")].contains("<feed xmlns=\"http://www.w3.org/2005/Atom\"")
        );
    }
    assert!(root.contains("hreflang=\"x-default\" href=\"https://advisories.example.org/\""));
    assert!(files["sitemap.xml"].contains("<xhtml:link rel=\"alternate\" hreflang=\"pt-BR\" href=\"https://advisories.example.org/pt-BR/954474/\"/>"));
    let index = files["es-ES/index.html"].replace(['\u{2068}', '\u{2069}'], "");
    assert!(index.contains("viernes, 13 de junio de 2008"));
    assert!(files.contains_key("assets/style.css"));
    // the feed's title names its language (`feed-title`), in that language, as plain
    // text: without the invisible isolation marks around the arguments pages keep
    let feed = &files["pt-BR/atom.xml"];
    assert!(
        feed.contains(
            "<title>Exemplo do avisa: comunicados de segurança — Português (Brasil)</title>"
        ),
        "{feed}"
    );
}

/// A locale with no advisory yet gets a feed dated by the site's newest change (Atom
/// requires `<updated>`; it was 1970-01-01).
#[test]
fn the_feed_of_a_locale_with_no_advisory_is_dated_by_the_sites_newest_change() {
    let tmp = fixture("basic");
    let site = tmp.path().join("content/site.yaml");
    let yaml = fs::read_to_string(&site).unwrap();
    fs::write(
        &site,
        yaml.replace(
            "locales: [en-US, pt-BR, es-ES, ar]",
            "locales: [en-US, pt-BR, es-ES, ar, de-DE]",
        ),
    )
    .unwrap();
    let files = build(tmp.path());
    let updated = |feed: &str| {
        let from = feed.find("<updated>").unwrap();
        feed[from..feed[from..].find("</updated>").unwrap() + from].to_string()
    };
    let de = &files["de-DE/atom.xml"];
    assert!(!de.contains("<entry>"), "{de}");
    // every advisory has an English translation: its feed's date is the site's newest
    assert_eq!(updated(de), updated(&files["en-US/atom.xml"]));
    assert!(!de.contains("1970"), "{de}");
}

/// Every relative `href`/`src` of every page points at a file of the build.
#[test]
fn all_internal_links_are_relative_and_resolve() {
    let paginated = large_site(7, "paginate_by: 2\n");
    for root in [
        repo(),
        repo().join("tests/fixtures/basic"),
        paginated.path().to_path_buf(),
    ] {
        let files = build(&root);
        for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
            for attr in ["href=\"", "src=\""] {
                for piece in text.split(attr).skip(1) {
                    let link = &piece[..piece.find('"').unwrap()];
                    if link.starts_with("http")
                        || link.starts_with("mailto:")
                        || link.starts_with('#')
                    {
                        continue;
                    }
                    assert!(!link.starts_with('/'), "{path}: absolute link {link}");
                    let target = link.split('#').next().unwrap();
                    let mut parts: Vec<&str> = path.split('/').collect();
                    parts.pop();
                    for seg in target.split('/') {
                        match seg {
                            ".." => {
                                parts.pop();
                            }
                            "." | "" => {}
                            s => parts.push(s),
                        }
                    }
                    let resolved = parts.join("/");
                    assert!(
                        files.contains_key(&resolved),
                        "{path}: link {link} → {resolved} does not exist"
                    );
                }
            }
        }
    }
}

/// The images and PDFs of an advisory's folder are published beside each of its pages, so
/// a body links them by their bare names, as it does in the folder; other files are still
/// a warning. Whatever their case, the extensions are those of images and PDFs only (an
/// SVG could run scripts when opened by itself).
#[test]
fn an_advisory_folders_images_and_pdfs_are_published_beside_its_pages() {
    let tmp = example_copy();
    let dir = tmp.path().join("content/advisories/954474");
    let png: Vec<u8> = b"\x89PNG\r\n\x1a\n not really a picture".to_vec();
    fs::write(dir.join("console de 2007.PNG"), &png).unwrap();
    fs::write(dir.join("kb954474.pdf"), b"%PDF-1.4").unwrap();
    fs::write(dir.join("diagram.svg"), "<svg onload=\"alert(1)\"/>").unwrap();
    let source = dir.join("pt-BR.md");
    let mut text = fs::read_to_string(&source).unwrap();
    text.push_str("\n![O console](console%20de%202007.PNG) e [o KB](kb954474.pdf).\n");
    fs::write(&source, text).unwrap();

    let files = {
        let sink = avisa::output::MemorySink::default();
        let report = avisa::build_into(tmp.path(), false, &sink).unwrap();
        let warnings: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        assert!(
            warnings[0].starts_with(
                "warning: not part of the site, so it is ignored\n  --> content/advisories/954474/diagram.svg"
            ) && warnings[0].contains("`.png`, `.jpg`"),
            "{warnings:#?}"
        );
        sink.into_files()
    };
    for locale in ["pt-BR", "es-ES", "en-US"] {
        assert_eq!(files[&format!("{locale}/954474/console de 2007.PNG")], png);
        assert_eq!(files[&format!("{locale}/954474/kb954474.pdf")], b"%PDF-1.4");
        assert!(!files.contains_key(&format!("{locale}/954474/diagram.svg")));
    }
    let page = String::from_utf8(files["pt-BR/954474/index.html"].clone()).unwrap();
    assert!(
        page.contains("<img src=\"console%20de%202007.PNG\" alt=\"O console\""),
        "{page}"
    );
}

/// Folders inside an advisory folder publish their images and PDFs at the same path beside
/// each page (`img/console.png`, as Hugo's page bundles and Zola's colocated assets do);
/// anything else in them is a warning at its own path, dot-files aside, and a link back to a
/// folder they are in is a warning, not followed forever.
#[test]
fn images_in_folders_inside_an_advisory_folder_are_published_at_the_same_path() {
    let tmp = example_copy();
    let dir = tmp.path().join("content/advisories/954474");
    fs::create_dir_all(dir.join("img/2008")).unwrap();
    fs::write(dir.join("img/console.png"), b"\x89PNG console").unwrap();
    fs::write(dir.join("img/2008/kb.PDF"), b"%PDF-1.4").unwrap();
    fs::write(dir.join("img/notes.txt"), "draft").unwrap();
    fs::write(dir.join("img/.DS_Store"), "").unwrap();
    // `img.png` sorts before `img/…` by name, after it as a folder entry
    fs::write(dir.join("img.png"), b"\x89PNG flat").unwrap();
    std::os::unix::fs::symlink("..", dir.join("img/2008/up")).unwrap();
    edit(
        tmp.path(),
        "content/advisories/954474/es-ES.md",
        "### Información general",
        "![Consola](img/console.png) [KB](img/2008/kb.PDF) ![](img.png)\n\n### Información general",
    );

    let sink = avisa::output::MemorySink::default();
    let report = avisa::build_into(tmp.path(), false, &sink).unwrap();
    let mut warnings: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    warnings.sort();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(
        warnings[0].starts_with(
            "warning: not part of the site, so it is ignored\n  --> content/advisories/954474/img/notes.txt"
        ) && warnings[0].contains("a folder inside an advisory folder holds the images and PDFs"),
        "{warnings:#?}"
    );
    assert!(
        warnings[1].starts_with(
            "warning: the folder leads back to a folder it is in, so it is ignored\n  --> content/advisories/954474/img/2008/up"
        ),
        "{warnings:#?}"
    );
    let files = sink.into_files();
    for locale in ["pt-BR", "es-ES", "en-US"] {
        assert_eq!(
            files[&format!("{locale}/954474/img/console.png")],
            b"\x89PNG console"
        );
        assert_eq!(
            files[&format!("{locale}/954474/img/2008/kb.PDF")],
            b"%PDF-1.4"
        );
        assert_eq!(files[&format!("{locale}/954474/img.png")], b"\x89PNG flat");
        assert!(!files.contains_key(&format!("{locale}/954474/img/notes.txt")));
        assert!(
            !files.keys().any(|k| k.contains("/up/")),
            "followed the link"
        );
    }
    let page = String::from_utf8(files["es-ES/954474/index.html"].clone()).unwrap();
    assert!(
        page.contains("<img src=\"img/console.png\" alt=\"Consola\""),
        "{page}"
    );

    // a folder whose files would go where the page is written
    fs::rename(dir.join("img"), dir.join("index.html")).unwrap();
    assert_problem(
        tmp.path(),
        &[
            "error: a folder named `index.html` would take the place of the advisory's page",
            "--> content/advisories/954474/index.html",
            "help: rename the folder",
        ],
    );
}

/// A body's link or image into the site that leads to no file the build writes is a
/// warning at its line and column (Markdown and raw HTML alike), and so is one that
/// starts at the server's root, with the relative link to write instead; links that
/// resolve, fragments, e-mail autolinks and absolute URLs are not. Under `--strict` they
/// fail the build, which leaves the previous output untouched.
/// A heading id written twice, or one the page around the body has (`main`), would give
/// two elements one id: the later heading gets another, with a warning at its `{#…}`.
#[test]
fn heading_ids_the_page_has_already_are_warnings_at_the_heading() {
    let tmp = example_copy();
    let rel = EN_US;
    // (`{#same-x}` is not `{#same}` written again)
    let text = append(
        tmp.path(),
        rel,
        "\n## Zero {#same-x}\n\n## First {#same}\n\n## Second {#same}\n\n## Third {#main}\n",
    );
    assert_problem(
        tmp.path(),
        &[
            &format!(
                "warning: the heading id `same` is already used on the page, by the heading on line {}, so this heading gets `same-1`",
                line_of(&text, "## First")
            ),
            &format!("{rel}:{}:11", line_of(&text, "## Second")),
            "help: give each element an id of its own",
        ],
    );
    assert_problem(
        tmp.path(),
        &[
            "the heading id `main` is already used on the page, by the page around the body (its template or log checker), so this heading gets `main-1`",
            &format!("{rel}:{}:10", line_of(&text, "## Third")),
        ],
    );
    let page = &build(tmp.path())["en-US/954474/index.html"];
    assert_eq!(page.matches("id=\"same\"").count(), 1);
    assert_eq!(page.matches("id=\"main\"").count(), 1);
    assert!(page.contains("<h2 id=\"same-1\">Second</h2>"));
}

/// An element of the body's HTML with an id the page has (the log checker's title, which
/// its section's `aria-labelledby` names) is a warning at its `id=`; a heading `{#id}`
/// that such an element has moves aside, with a warning.
#[test]
fn html_ids_the_page_has_already_are_warnings_at_the_element() {
    let tmp = example_copy();
    let rel = EN_US;
    let title = "checker-msa954474-wsyncmgr-legacy-sync-title";
    let text = append(
        tmp.path(),
        rel,
        &format!(
            "\n<p id=\"{title}\">hijack</p>\n\n## Fourth {{#own}}\n\n<div  ID='own'>d</div>\n"
        ),
    );
    assert_problem(
        tmp.path(),
        &[
            &format!(
                "warning: the id `{title}` of this HTML element is already used on the page, by the page around the body"
            ),
            &format!("{rel}:{}:4", line_of(&text, "hijack")),
            "help: give each element an id of its own",
        ],
    );
    assert_problem(
        tmp.path(),
        &[
            &format!(
                "the heading id `own` is already used on the page, by an element of the body's HTML on line {}, so this heading gets `own-1`",
                line_of(&text, "<div  ID='own'>")
            ),
            &format!("{rel}:{}:11", line_of(&text, "## Fourth")),
        ],
    );
    // at the element itself, not at the same text in a comment or code before it, and
    // for an id written with a character reference too
    let more = append(
        tmp.path(),
        rel,
        "\n<!-- <p id=\"dup\"> -->\n\n`<p id=\"dup\">`\n\n<p id=\"dup\">a</p>\n\n<p id=\"dup\">b</p>\n\n<div id=\"&#109;ain\">c</div>\n",
    );
    assert_problem(
        tmp.path(),
        &[
            &format!(
                "the id `dup` of this HTML element is already used on the page, by an element of the body's HTML on line {},",
                line_of(&more, "<p id=\"dup\">a")
            ),
            &format!("{rel}:{}:4", line_of(&more, "<p id=\"dup\">b")),
        ],
    );
    assert_problem(
        tmp.path(),
        &[
            "the id `main` of this HTML element",
            &format!("{rel}:{}:6", line_of(&more, "<div id=\"&#109;ain")),
        ],
    );
    let page = &build(tmp.path())["en-US/954474/index.html"];
    assert!(page.contains("<h2 id=\"own-1\">Fourth</h2>"), "{page}");
    assert_eq!(page.matches(&format!("id=\"{title}\"")).count(), 2);
}

/// `toc-heading` is the page's only when it shows a table of contents (three headings or
/// more): without one, an element of the body may have it, with no warning (it had one);
/// with one, a heading moves aside from it.
#[test]
fn the_tables_of_contents_id_is_the_pages_only_with_a_table() {
    let tmp = example_copy();
    let source = tmp.path().join(EN_US);
    let text = fs::read_to_string(&source).unwrap();
    // the front matter, and a body of one heading
    let end = text[3..].find("\n---\n").unwrap() + 8;
    let text = format!("{}## One\n\nText.\n", &text[..end]);
    fs::write(&source, format!("{text}\n<p id=\"toc-heading\">mine</p>\n")).unwrap();
    let all = problems(tmp.path());
    assert!(!all.iter().any(|p| p.contains("toc-heading")), "{all:?}");
    let page = &build(tmp.path())["en-US/954474/index.html"];
    assert!(!page.contains("class=\"toc\""), "{page}");
    assert_eq!(page.matches("id=\"toc-heading\"").count(), 1, "{page}");
    // with a table, the page has it: a heading that would take it moves aside
    fs::write(&source, format!("{text}\n## Toc heading\n\n## Two\n")).unwrap();
    let page = &build(tmp.path())["en-US/954474/index.html"];
    assert!(page.contains("class=\"toc\""), "{page}");
    assert_eq!(page.matches("id=\"toc-heading\"").count(), 1, "{page}");
    assert!(
        page.contains("<h2 id=\"toc-heading-1\">Toc heading</h2>"),
        "{page}"
    );
}

/// Markup that never reaches the page (a comment, a `<textarea>`'s text) gives no link
/// warning, and a warning points at the `src` that holds the URL, not at an earlier
/// `name=` with the same text.
#[test]
fn only_links_that_reach_the_page_are_checked_at_their_own_place() {
    let tmp = example_copy();
    let rel = EN_US;
    let text = append(
        tmp.path(),
        rel,
        "\n<input name=gone.png>\n\n<!-- <img src=x.png>\n<a href=old.html>o</a> -->\n\n<textarea><a href=\"old2.html\">t</a></textarea>\n\n<img src=gone.png alt=g>\n",
    );
    let line = line_of(&text, "<img src=gone.png");
    let warnings: Vec<String> = problems(tmp.path())
        .into_iter()
        .filter(|p| p.contains("leads to no file"))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(warnings[0].contains("`gone.png`"), "{warnings:#?}");
    assert!(
        warnings[0].contains(&format!("{rel}:{line}:10")),
        "{rel}:{line}:10 in {warnings:#?}"
    );
}

#[test]
fn links_into_the_site_that_lead_nowhere_are_found_where_they_are_written() {
    let tmp = example_copy();
    let rel = "content/advisories/954474/pt-BR.md";
    let source = tmp.path().join(rel);
    let mut text = fs::read_to_string(&source).unwrap();
    text.push_str(
        "\nVeja [o texto em espanhol](../../es-ES/954474/), [a revisão](../954474/index.html#revisoes), \
         [o estilo](../../assets/style.css), [perguntas](#perguntas), [esta página](?v=2), \
         <secure@microsoft.com> e [o KB](https://support.microsoft.com/kb/954474).\n\n\
         Quebrados: [outro aviso](../999999/) e ![a tela](imagens/tela%201.png).\n\n\
         <p>Em HTML: <a href=\"../../fr-FR/954474/\">francês</a></p>\n\n\
         Da raiz: [espanhol](/es-ES/954474/#faq) e [esta](/pt-BR/954474/).\n\n\
         Pastas: [o índice](..), <a href=\"../../es-ES/954474/?a=1&amp;b=2\">espanhol</a>, \
         [sem barra](../../es-ES/954474#faq) e [da raiz sem barra](/es-ES/954474).\n\n\
         De novo: [outro aviso, de novo](../999999/).\n",
    );
    fs::write(&source, &text).unwrap();
    let at_nth = |needle: &str, last: bool| {
        let i = if last {
            text.rfind(needle).unwrap()
        } else {
            text.find(needle).unwrap()
        };
        let line = text[..i].matches('\n').count() + 1;
        let column = text[..i].rsplit('\n').next().unwrap().chars().count() + 1;
        format!(
            "{}:{line}:{column}",
            source.strip_prefix(tmp.path()).unwrap().display()
        )
    };
    let at = |needle: &str| at_nth(needle, false);
    let mut warnings: Vec<String> = problems(tmp.path())
        .into_iter()
        .filter(|p| p.contains(rel))
        .collect();
    warnings.sort();
    let mut want = vec![
        format!(
            "warning: `../999999/` leads to no file of the site\n  --> {}\n   = help: put the file in the advisory's folder, or a folder inside it, and link it by its path from there (images and PDFs), link a page of the site (`../954474/`) or a file of `templates/static/` (published in `assets/`), or use an absolute `https://` address",
            at("../999999/")
        ),
        // written twice: a warning at each place
        format!(
            "warning: `../999999/` leads to no file of the site\n  --> {}",
            at_nth("../999999/", true)
        ),
        format!(
            "warning: `imagens/tela%201.png` leads to no file of the site\n  --> {}",
            at("imagens/tela%201.png")
        ),
        format!(
            "warning: `../../fr-FR/954474/` leads to no file of the site\n  --> {}",
            at("../../fr-FR/954474/")
        ),
        format!(
            "warning: `/es-ES/954474/#faq` starts at the server's root, so it breaks when the site is opened from disk or published below the top of its domain\n  --> {}\n   = help: link it relative to the page: `../../es-ES/954474/#faq`",
            at("/es-ES/954474/#faq")
        ),
        format!(
            "warning: `/pt-BR/954474/` starts at the server's root, so it breaks when the site is opened from disk or published below the top of its domain\n  --> {}\n   = help: link it relative to the page: `./`",
            at("/pt-BR/954474/")
        ),
        format!(
            "warning: `../../es-ES/954474#faq` is a folder of the site: opened from disk, a link to a folder shows its files, not its page\n  --> {}\n   = help: end it with `/` (`../../es-ES/954474/#faq`): the page then links the folder's `index.html`, which opens from disk too",
            at("../../es-ES/954474#faq")
        ),
        format!(
            "warning: `/es-ES/954474` starts at the server's root, so it breaks when the site is opened from disk or published below the top of its domain\n  --> {}\n   = help: link it relative to the page: `../../es-ES/954474/`",
            at("/es-ES/954474)")
        ),
    ];
    want.sort();
    assert_eq!(warnings.len(), want.len(), "{warnings:#?}");
    for (got, want) in warnings.iter().zip(&want) {
        assert!(
            got.starts_with(want.as_str()),
            "{got}\n-- wanted it to start with --\n{want}"
        );
    }

    // the build writes the site and says so; under --strict it fails and writes nothing
    let out = tmp.path().join("public");
    avisa()
        .args(["build", "--root"])
        .arg(tmp.path())
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "`../999999/` leads to no file of the site",
        ));
    let before = fs::read(out.join("pt-BR/954474/index.html")).unwrap();
    // a link to a folder names its page, so it opens from disk too (Markdown and raw HTML)
    let html = String::from_utf8(before.clone()).unwrap();
    for href in [
        "href=\"../../es-ES/954474/index.html\">o texto em espanhol",
        "href=\"../index.html\">o índice",
        "href=\"../../es-ES/954474/index.html?a=1&amp;b=2\">espanhol",
        "href=\"../954474/index.html#revisoes\">a revisão",
        "href=\"../../es-ES/954474#faq\">sem barra",
    ] {
        assert!(html.contains(href), "{href}");
    }
    fs::write(&source, text.replace("Veja ", "Leia ")).unwrap();
    avisa()
        .args(["build", "--strict", "--root"])
        .arg(tmp.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("nothing was written"));
    assert_eq!(
        fs::read(out.join("pt-BR/954474/index.html")).unwrap(),
        before
    );
}

// ---------- the fixture site ----------

#[test]
fn right_to_left_locale_gets_dir_rtl() {
    let tmp = fixture("basic");
    let files = build(tmp.path());
    assert!(files["ar/A-1/index.html"].contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(files["ar/index.html"].contains("dir=\"rtl\""));
    assert!(files["en-US/A-1/index.html"].contains("dir=\"ltr\""));
    // `ar` has no strings of its own: the UI falls back to English, but the switcher
    // never calls Arabic "English (United States)"; it shows the tag instead
    let page = &files["en-US/A-1/index.html"];
    assert!(
        page.contains("<a lang=\"ar\" hreflang=\"ar\" href=\"../../ar/A-1/index.html\">ar</a>"),
        "{page}"
    );
    assert_eq!(page.matches("English (United States)").count(), 1, "{page}");
    write(
        tmp.path(),
        "content/site.yaml",
        &fs::read_to_string(tmp.path().join("content/site.yaml"))
            .unwrap()
            .replace("[en-US, pt-BR, es-ES, ar]", "[en-US, pt-BR, es-ES, ar, he]"),
    );
    write(
        tmp.path(),
        "content/advisories/A-1/he.md",
        "---\ntitle: כותרת\n---\n\nטקסט.\n",
    );
    let files = build(tmp.path());
    assert!(files["he/A-1/index.html"].contains("<html lang=\"he\" dir=\"rtl\">"));
}

#[test]
fn missing_translation_gets_no_page_but_an_available_in_entry() {
    let tmp = fixture("basic");
    let files = build(tmp.path());
    assert!(files.contains_key("en-US/B-2/index.html"));
    assert!(!files.contains_key("pt-BR/B-2/index.html"));
    let index = &files["pt-BR/index.html"];
    let entry = &index[index.find("B-2").unwrap()..];
    let entry = &entry[..entry.find("</li>").unwrap()];
    assert!(entry.contains("Disponível em"), "{entry}");
    assert!(
        entry.contains("href=\"../en-US/B-2/index.html\""),
        "{entry}"
    );
    assert!(entry.contains("English (United States)"));
}

/// An advisory folder with only `advisory.yaml` has no page in any locale: a warning says
/// so and which file to add (it built silently, counted among the advisories). Not when a
/// translation of the folder has an error of its own, which is the one to fix.
#[test]
fn an_advisory_without_any_translation_is_a_warning() {
    let tmp = fixture("basic");
    fs::remove_file(tmp.path().join("content/advisories/B-2/en-US.md")).unwrap();
    assert_problem(
        tmp.path(),
        &[
            "warning: advisory `B-2` has no translation, so the site has no page for it",
            "content/advisories/B-2/advisory.yaml",
            "add its text as `en-US.md` beside `advisory.yaml`",
            "`pt-BR`",
        ],
    );
    let files = build(tmp.path());
    assert!(
        !files.keys().any(|k| k.contains("B-2")),
        "{:?}",
        files.keys()
    );
    // nor is it listed in an index, with an empty "available in" list
    for (name, text) in &files {
        assert!(!text.contains("B-2"), "{name}");
    }
    write(
        tmp.path(),
        "content/advisories/B-2/pt-BR.md",
        "---
title: [
---
",
    );
    let all = problems(tmp.path());
    assert!(
        all.iter().any(|p| p.contains("B-2/pt-BR.md")),
        "{}",
        all.join("\n")
    );
    assert!(
        !all.iter().any(|p| p.contains("has no translation")),
        "{}",
        all.join("\n")
    );
}

#[test]
fn index_lists_newest_first_with_localized_dates_and_kinds() {
    let tmp = fixture("basic");
    let files = build(tmp.path());
    let index = files["es-ES/index.html"].replace(['\u{2068}', '\u{2069}'], "");
    let (c, a, b) = (
        index.find("C-3").unwrap(),
        index.find("A-1").unwrap(),
        index.find("B-2").unwrap(),
    );
    assert!(c < a && a < b, "newest first");
    assert!(index.contains("viernes, 1 de marzo de 2024"));
    assert!(index.contains("kind-security"));
}

#[test]
fn stale_translation_shows_a_notice_and_is_reported_by_check() {
    let tmp = fixture("basic");
    let files = build(tmp.path());
    let page = files["pt-BR/C-3/index.html"].replace(['\u{2068}', '\u{2069}'], "");
    assert!(page.contains("class=\"notice stale\""));
    assert!(page.contains("1.0") && page.contains("1.1"));
    assert!(!files["es-ES/C-3/index.html"].contains("class=\"notice stale\""));
    let file = "content/advisories/C-3/pt-BR.md";
    assert_problem(
        tmp.path(),
        &[
            "warning",
            "may be out of date",
            // at the line to update
            &spot_of(tmp.path(), file, "translated_from_revision:"),
        ],
    );
    let report = avisa::check(tmp.path()).unwrap();
    let row = report.matrix.rows.iter().find(|r| r.id == "C-3").unwrap();
    assert!(
        matches!(&row.cells[1], avisa::Cell::Stale { from, current } if from == "1.0" && current == "1.1")
    );
    let b2 = report.matrix.rows.iter().find(|r| r.id == "B-2").unwrap();
    assert_eq!(b2.cells[1], avisa::Cell::Missing);
}

#[test]
fn plurals_follow_cldr_rules() {
    let tmp = fixture("basic");
    let files = build(tmp.path());
    let one = files["es-ES/A-1/index.html"].replace(['\u{2068}', '\u{2069}'], "");
    assert!(one.contains("1 revisión"), "es-ES one");
    let two = files["en-US/B-2/index.html"].replace(['\u{2068}', '\u{2069}'], "");
    assert!(two.contains("2 revisions"));
}

/// An advisory without `affected` (as `avisa import` leaves one whose products are named
/// in prose) says nothing about affected software, never "None"; KB numbers and CVE ids,
/// which the source lists whenever there are any, still say "None" when empty.
#[test]
fn the_affected_software_row_is_left_out_when_advisory_yaml_lists_none() {
    let tmp = fixture("basic");
    let files = build(tmp.path());
    let listed = &files["en-US/A-1/index.html"];
    assert!(
        listed.contains("<dt>Affected software</dt>\n      <dd><ul class=\"affected\"><li>Example Server: 1.0, 1.1</li></ul></dd>"),
        "{listed}"
    );
    let unlisted = &files["en-US/B-2/index.html"];
    assert!(!unlisted.contains("Affected software"), "{unlisted}");
    assert!(!unlisted.contains("class=\"affected\""), "{unlisted}");
    assert!(
        unlisted.contains("<dt>CVE identifiers</dt>\n      <dd>None</dd>"),
        "{unlisted}"
    );
}

#[test]
fn markdown_features_render_and_raw_html_is_sanitized() {
    let tmp = fixture("basic");
    let files = build(tmp.path());
    let page = &files["en-US/A-1/index.html"];
    assert!(page.contains("<table>"));
    assert!(page.contains("<del>struck</del>"));
    assert!(page.contains("id=\"affected-versions\""), "heading id");
    assert!(page.contains("alert-warning"), "GFM alert");
    assert!(page.contains("<b>kept</b>"));
    assert!(!page.contains("alert(\"x\")"), "script removed");
    assert!(!page.contains("javascript:"), "javascript: URL removed");
    assert!(!page.contains("onclick"), "event handler removed");
    assert!(files["pt-BR/A-1/index.html"].contains("id=\"versoes-afetadas\""));
}

/// A checker message holding `</script>` or `<!--<script>` (a web server's log line may
/// well be quoted so) stays data: the page's data element ends where it should, and the
/// checker script after it is still an element. `<!--<script>` used to make the parser
/// read the data element's own end tag as the end of a nested script.
#[test]
fn checker_texts_cannot_end_or_nest_the_data_script() {
    let tmp = example_copy();
    edit(
        tmp.path(),
        "content/advisories/954474/en-US.md",
        "affected: \"Affected: ",
        "affected: \"</script><!--<script> Affected: ",
    );
    let files = build(tmp.path());
    let page = &files["en-US/954474/index.html"];
    let start = page
        .find("<script type=\"application/json\"")
        .expect("data element");
    let data = &page[start..];
    let end = data.find("</script>").expect("its end tag");
    let json = &data[data.find('>').unwrap() + 1..end];
    assert!(!json.contains('<'), "{json}");
    assert!(
        json.contains("\\u003c/script>\\u003c!--\\u003cscript> Affected: "),
        "{json}"
    );
    assert!(data[end..].contains("<script src=\"../../assets/checker.js\""));
}

/// A control character or noncharacter that XML does not allow (here from YAML's `\0`,
/// `\e` and `\uFFFE` escapes) is written as U+FFFD in pages and feeds alike: a NUL in a
/// summary, or a U+FFFE in a title, made the Atom feed not well-formed. Tab and line
/// breaks stay.
#[test]
fn control_characters_from_front_matter_do_not_break_the_feed() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "content/advisories/B-2/en-US.md",
        "---\ntitle: \"Only\\0 in\\tEnglish\\uFFFE\"\nsummary: \"S \\e[31m x\\uFFFF\"\n---\n\nEnglish only.\u{1}\u{1b}[0m <span title=\"\u{2}\u{fffe}\">y</span>\n",
    );
    let files = build(tmp.path());
    let feed = &files["en-US/atom.xml"];
    assert!(
        feed.contains("<title>Only\u{fffd} in\tEnglish\u{fffd}</title>"),
        "{feed}"
    );
    assert!(
        feed.contains("<summary>S \u{fffd}[31m x\u{fffd}</summary>"),
        "{feed}"
    );
    let page = &files["en-US/B-2/index.html"];
    assert!(page.contains("Only\u{fffd} in\tEnglish"), "{page}");
    // in the body too, its text and its raw HTML
    assert!(
        page.contains("English only.\u{fffd}\u{fffd}[0m <span title=\"\u{fffd}\u{fffd}\">y</span>"),
        "{page}"
    );
    for (name, text) in &files {
        assert!(
            !text.contains(['\0', '\u{1}', '\u{2}', '\u{1b}', '\u{fffe}', '\u{ffff}']),
            "{name}"
        );
    }
}

/// A site's UI string using a variable avisa does not pass (a translator's `{ $de }` for
/// `{ $from }`) fails the build at the `$`: it was published as the literal `{$de}`, even
/// under `--strict`.
#[test]
fn a_ui_string_with_a_variable_avisa_does_not_pass_fails_the_build() {
    let tmp = fixture("basic");
    let builtin = fs::read_to_string(repo().join("locales/pt-BR/main.ftl")).unwrap();
    let from = builtin
        .lines()
        .find(|l| l.starts_with("stale-notice = "))
        .unwrap();
    write(
        tmp.path(),
        "locales/pt-BR/main.ftl",
        &builtin.replacen(from, "stale-notice = Traduzida da revisão { $de }.", 1),
    );
    let line = builtin.lines().position(|l| l == from).unwrap() + 1;
    let err = String::from_utf8(build_fails(tmp.path())).unwrap();
    assert!(
        err.contains("error: UI string `stale-notice` uses `$de`, which avisa does not give it"),
        "{err}"
    );
    assert!(
        err.contains(&format!("--> locales/pt-BR/main.ftl:{line}:39")),
        "{err}"
    );
    assert!(err.contains("`{ $current }`, `{ $from }`"), "{err}");
}

#[test]
fn missing_ui_strings_warn_and_fail_under_strict() {
    let tmp = fixture("basic");
    // The fixture's `ar` locale has no Fluent file of its own: one warning per file.
    assert_problem(
        tmp.path(),
        &[
            "warning: `ar` has none of the",
            "UI strings of `main.ftl` (they fall back to `en-US`)",
            "locales/ar/main.ftl",
        ],
    );
    avisa()
        .args(["build", "--strict", "--root"])
        .arg(tmp.path())
        .assert()
        .code(1);
    // A site's own locale file holding only the strings it changes: the others stay in
    // the locale's built-in text (they fell back to English), and are not missing (each
    // was a warning, which failed `--strict`).
    write(
        tmp.path(),
        "locales/pt-BR/main.ftl",
        "language-name = Português do Brasil\n",
    );
    let files = build(tmp.path());
    let page = &files["pt-BR/A-1/index.html"];
    assert!(page.contains("Português do Brasil"), "{page}");
    assert!(page.contains("Pular para o conteúdo"), "{page}");
    assert!(!page.contains("Skip to content"), "{page}");
    write(tmp.path(), "locales/en-US/main.ftl", "nav-index = Home\n");
    let all = problems(tmp.path());
    assert!(
        !all.iter()
            .any(|p| p.contains("in `pt-BR`") || p.contains("in `en-US`")),
        "{}",
        all.join("\n")
    );
    let files = build(tmp.path());
    let page = &files["en-US/A-1/index.html"];
    assert!(page.contains(">Home<"), "{page}");
    assert!(page.contains("Skip to content"), "{page}");
    // a locale that falls back to `en-US` reaches the built-in text as well
    assert!(files["ar/A-1/index.html"].contains("Skip to content"));
    // a site's string may refer to a term of the built-in file it replaced
    write(
        tmp.path(),
        "locales/pt-BR/main.ftl",
        "nav-index = { nav-skip } ({ language-name })\n",
    );
    let page = build(tmp.path())["pt-BR/A-1/index.html"].replace(['\u{2068}', '\u{2069}'], "");
    assert!(
        page.contains("Pular para o conteúdo (Português (Brasil))"),
        "{page}"
    );
}

/// A UI string or term that refers back to itself (a cycle, which Fluent cannot format)
/// is an error at the reference, in the locale's file: the build failed with an undefined
/// variable in a built-in template, which was not the file to fix.
#[test]
fn a_ui_string_that_refers_back_to_itself_is_an_error_at_the_reference() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "locales/pt-BR/main.ftl",
        "nav-skip = { -skip }\n-skip = { -skip } x\nmy-one = { my-two }\nmy-two = a { my-one }\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "error: term `-skip` refers to itself: a cycle",
            "--> locales/pt-BR/main.ftl:2:11",
        ],
    );
    assert_problem(
        tmp.path(),
        &[
            "error: UI string `my-one` refers to the UI string `my-two`, which leads back to it",
            "--> locales/pt-BR/main.ftl:3:12",
        ],
    );
    assert_problem(
        tmp.path(),
        &[
            "UI string `my-two` refers to the UI string `my-one`",
            "main.ftl:4:14",
        ],
    );
    // `nav-skip` only leads into the cycle: the error is where the cycle is
    let all = problems(tmp.path());
    assert!(
        !all.iter().any(|p| p.contains("`nav-skip` refers")),
        "{}",
        all.join("\n")
    );
    build_fails(tmp.path());
}

#[test]
fn a_misnamed_file_in_an_advisory_folder_is_not_left_out_without_a_word() {
    let tmp = fixture("basic");
    let dir = tmp.path().join("content/advisories/A-1");
    fs::rename(dir.join("advisory.yaml"), dir.join("advisory.yml")).unwrap();
    assert_problem(
        tmp.path(),
        &[
            "error: advisory `A-1` has no `advisory.yaml`",
            "help: rename `advisory.yml` to `advisory.yaml`",
        ],
    );
    fs::rename(dir.join("advisory.yml"), dir.join("advisory.yaml")).unwrap();
    fs::copy(dir.join("es-ES.md"), dir.join("fr-FR.markdown")).unwrap();
    fs::write(dir.join(".DS_Store"), "").unwrap();
    assert_problem(
        tmp.path(),
        &[
            "warning: not part of the site, so it is ignored",
            "--> content/advisories/A-1/fr-FR.markdown",
            "one `<locale>.md` per translation",
        ],
    );
    let all = problems(tmp.path());
    assert!(
        !all.iter().any(|p| p.contains(".DS_Store")),
        "{}",
        all.join("\n")
    );
}

#[test]
fn a_misnamed_site_file_or_advisories_folder_says_what_it_should_be_called() {
    let tmp = fixture("basic");
    let content = tmp.path().join("content");
    fs::rename(content.join("advisories"), content.join("advisory")).unwrap();
    assert_problem(
        tmp.path(),
        &[
            "warning: not part of the site, so it is ignored",
            "--> content/advisory",
            "help: did you mean `advisories`?",
        ],
    );
    assert_problem(
        tmp.path(),
        &["no `content/advisories/` folder, so the site has no advisories"],
    );
    fs::rename(content.join("advisory"), content.join("advisories")).unwrap();
    // overrides in a folder avisa does not read
    fs::create_dir(tmp.path().join("template")).unwrap();
    assert_problem(
        tmp.path(),
        &[
            "warning: not a folder avisa reads, so it is ignored",
            "--> template",
            "help: did you mean `templates`?",
        ],
    );
    fs::remove_dir(tmp.path().join("template")).unwrap();
    // a file beside `site.yaml`, such as a licence notice, is no problem
    fs::write(content.join("NOTICE.md"), "CC BY 4.0").unwrap();
    let all = problems(tmp.path());
    assert!(
        !all.iter().any(|p| p.contains("not part of the site")),
        "{}",
        all.join("\n")
    );
    fs::rename(content.join("site.yaml"), content.join("site.yml")).unwrap();
    avisa()
        .args(["check", "--root"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "(rename `content/site.yml` to `site.yaml`)",
        ));
}

#[test]
fn a_misnamed_locale_file_says_what_it_should_be_called() {
    let tmp = fixture("basic");
    // not `.ftl`: left out, which is worth a warning
    write(
        tmp.path(),
        "locales/pt-BR/main.flt",
        "language-name = X
",
    );
    write(tmp.path(), "locales/pt-BR/.main.ftl.swp", "editor state");
    assert_problem(
        tmp.path(),
        &[
            "warning: not a Fluent file (`.ftl`), so it is ignored",
            "--> locales/pt-BR/main.flt",
            "help: did you mean `main.ftl`?",
        ],
    );
    assert!(!problems(tmp.path()).iter().any(|p| p.contains(".swp")));
    // a copy of a built-in file under another name adds to it instead of replacing it
    write(
        tmp.path(),
        "locales/pt-BR/mian.ftl",
        "language-name = X
",
    );
    assert_problem(
        tmp.path(),
        &[
            "duplicate UI string `language-name` in `pt-BR`",
            "--> locales/pt-BR/mian.ftl:1:1",
            "to replace `main.ftl`, name this file `main.ftl`",
        ],
    );
    // also when the site's file sorts before the built-in one: the site's definition is
    // the duplicate (the built-in file's was reported, where nobody can fix it)
    write(tmp.path(), "locales/pt-BR/extra.ftl", "nav-skip = X\n");
    let built_in = fs::read_to_string(repo().join("locales/pt-BR/main.ftl")).unwrap();
    let line = built_in
        .lines()
        .position(|l| l.starts_with("nav-skip ="))
        .unwrap()
        + 1;
    assert_problem(
        tmp.path(),
        &[
            &format!(
                "duplicate UI string `nav-skip` in `pt-BR`: already defined in `<built-in>/locales/pt-BR/main.ftl` (line {line})"
            ),
            "--> locales/pt-BR/extra.ftl:1:1",
            "to replace `main.ftl`, name this file `main.ftl`",
        ],
    );
    let all = problems(tmp.path());
    assert!(
        !all.iter().any(|p| p.contains("--> <built-in>")),
        "{}",
        all.join("\n")
    );
}

#[test]
fn site_templates_override_the_built_in_ones_file_by_file() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "templates/root.html",
        "{% extends \"base.html\" %}{% block main %}<p>OWN ROOT</p>\
         <p>{{ ui[\"nav-index\"] }} = {{ t(key=\"nav-index\") }}; \
         {{ t(key=\"meta-revision-count\", count=2) }}</p>{% endblock main %}",
    );
    write(tmp.path(), "templates/static/style.css", "body{color:red}");
    let files = build(tmp.path());
    assert!(files["index.html"].contains("OWN ROOT"));
    // `ui` holds the strings without arguments; `t(…)` formats any string
    assert!(
        files["index.html"]
            .contains("<p>All advisories = All advisories; \u{2068}2\u{2069} revisions</p>"),
        "{}",
        files["index.html"]
    );
    assert!(
        files["index.html"].contains("<html lang=\"en-US\""),
        "the built-in base.html is still used"
    );
    assert_eq!(files["assets/style.css"], "body{color:red}");
}

#[test]
fn a_site_template_that_nothing_uses_is_a_warning() {
    let tmp = fixture("basic");
    // a misspelt override, and a partial of the site's own that its `root.html` includes
    write(tmp.path(), "templates/advisroy.html", "unused");
    write(
        tmp.path(),
        "templates/partials/own.html",
        "<p>OWN PARTIAL</p>",
    );
    write(
        tmp.path(),
        "templates/root.html",
        "{% extends \"base.html\" %}{% block main %}{% include \"partials/own.html\" %}{% endblock main %}",
    );
    assert_problem(
        tmp.path(),
        &[
            "warning: template `advisroy.html` replaces no built-in template and no template names it",
            "--> templates/advisroy.html",
            "help: did you mean `advisory.html`?",
        ],
    );
    let all = problems(tmp.path());
    let about_templates = all.iter().filter(|p| p.contains("templates/")).count();
    assert_eq!(about_templates, 1, "{}", all.join("\n"));
    // a warning: the site still builds, with the included partial
    assert!(build(tmp.path())["index.html"].contains("OWN PARTIAL"));
}

// ---------- content errors: file:line:column and a hint ----------

#[test]
fn translation_with_meta_field_is_rejected() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "content/advisories/A-1/es-ES.md",
        "---\ntitle: T\npublished: 2024-03-01\n---\nx\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "unknown field `published`",
            "content/advisories/A-1/es-ES.md:3:1",
            "help:",
            "advisory.yaml",
        ],
    );
}

#[test]
fn translation_with_unknown_field_is_rejected() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "content/advisories/A-1/es-ES.md",
        "---\ntitle: T\ncolour: red\n---\nx\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "unknown field `colour`",
            "es-ES.md:3:1",
            "help: a translation may set only",
        ],
    );
}

#[test]
fn translation_named_after_an_invalid_locale_is_rejected() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "content/advisories/A-1/pt_BR.md",
        "---\ntitle: T\n---\nx\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "`pt_BR` is not a valid BCP 47",
            "content/advisories/A-1/pt_BR.md",
            "help:",
        ],
    );
}

#[test]
fn advisory_folder_that_is_not_a_safe_id_is_rejected() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "content/advisories/bad id/advisory.yaml",
        "id: x\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "`bad id` is not a safe path segment",
            "content/advisories/bad id",
            "help:",
        ],
    );
}

#[test]
fn advisory_without_advisory_yaml_is_rejected() {
    let tmp = fixture("basic");
    fs::remove_file(tmp.path().join("content/advisories/B-2/advisory.yaml")).unwrap();
    assert_problem(
        tmp.path(),
        &[
            "has no `advisory.yaml`",
            "content/advisories/B-2",
            "help:",
            "avisa new B-2",
        ],
    );
    // its translation is still read, for its own problems, and it has a row in the matrix
    mistype_title(tmp.path(), "content/advisories/B-2/en-US.md");
    let report = avisa::check(tmp.path()).unwrap();
    let row = report.matrix.rows.iter().find(|r| r.id == "B-2").unwrap();
    use avisa::Cell::{Error, Missing};
    assert_eq!(row.cells, [Error, Missing, Missing, Missing]);
}

#[test]
fn advisory_yaml_errors_name_line_and_column() {
    let tmp = fixture("basic");
    let path = "content/advisories/B-2/advisory.yaml";
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: informational\npublished: 2023-01-15\ntitle: no\n",
    );
    assert_problem(
        tmp.path(),
        &["unknown field `title`", "advisory.yaml:4:1", "translatable"],
    );
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: informational\npublished: 15/01/2023\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "not an ISO 8601 date",
            "advisory.yaml:3:12",
            "help: write dates as `YYYY-MM-DD`",
        ],
    );
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: urgent\npublished: 2023-01-15\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "unknown kind `urgent`",
            "advisory.yaml:2:7",
            "help: write one of the three kinds",
        ],
    );
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: Securty\npublished: 2023-01-15\nrevisions:\n- { nubmer: '1.0', date: 2023-01-15 }\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "revisions[0]: unknown field `nubmer`",
            "advisory.yaml:5:5",
            "help: did you mean `number`?",
        ],
    );
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: Securty\npublished: 2023-01-15\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "unknown kind `Securty`",
            "advisory.yaml:2:7",
            "help: did you mean `security`?",
        ],
    );
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: security\npublished: 2023-01-15\ncves: [CVE-23-1]\n",
    );
    assert_problem(
        tmp.path(),
        &["`CVE-23-1` is not a CVE id", "advisory.yaml:4"],
    );
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: security\npublished: 2023-01-15\nkb: [KB954474, \"\", 954474, 954474, 0954, 0x1F]\naffected: [{product: P, versions: [SP1, \"\"]}]\nreferences:\n  - { url: \"javascript:alert(1)\", type: vendor }\n  - { url: \"\", type: kb }\n  - { url: \"https://example.org/a b\", type: kb }\n",
    );
    let found = problems(tmp.path()).join("\n");
    for wanted in [
        "error: `KB954474` is not a KB article number",
        "help: write the number alone, `954474`: the page adds \"KB\"",
        "error: `` is not a KB article number",
        // at the repeat, not the first
        "warning: KB article `954474` is listed more than once\n  --> content/advisories/B-2/advisory.yaml:4:28",
        // kept as written: `0954` would be a second KB954, `0x1F` was KB31
        "error: `0954` is not a KB article number",
        "help: write it without the leading zeros, `954`",
        "error: `0x1F` is not a KB article number",
        "error: product `P` has an empty version",
        "error: reference `javascript:alert(1)` is not an absolute web address",
        "error: reference `` is not an absolute web address",
        "error: reference `https://example.org/a b` is not an absolute web address",
        "help: write the address in full, starting with `https://`",
    ] {
        assert!(found.contains(wanted), "{wanted} in:\n{found}");
    }
    assert!(found.contains("advisory.yaml:4:"), "{found}");
    assert!(found.contains("advisory.yaml:7:"), "{found}");
    write(
        tmp.path(),
        path,
        "id: B-9\nkind: security\npublished: 2023-01-15\n",
    );
    assert_problem(
        tmp.path(),
        &["`id` is `B-9` but the folder is `B-2`", "advisory.yaml:1:1"],
    );
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: security\npublished: 2023-01-15\nupdated: 2023-01-10\nrevisions:\n- number: '1.0'\n  date: 2023-01-15\n- number: '1.0'\n  date: 2023-01-16\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "`updated` (2023-01-10) is before `published` (2023-01-15)",
            "advisory.yaml:4:1",
            "help: `updated` is the date of the latest revision",
        ],
    );
    assert_problem(
        tmp.path(),
        &[
            "revision number `1.0` is empty or repeated",
            // the second `1.0`, the one to renumber
            "advisory.yaml:8:12",
            "help: give each revision a number of its own",
        ],
    );
    // numbers that go down while the dates go up
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: security\npublished: 2023-01-15\nrevisions:\n- { number: '1.10', date: 2023-01-15 }\n- { number: '1.9', date: 2023-01-16 }\n- { number: 'B', date: 2023-01-17 }\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "revision `1.9` comes after revision `1.10` but has a lower number",
            "advisory.yaml:6:14",
            "help: list revisions oldest first, their numbers increasing",
        ],
    );
    assert_eq!(
        problems(tmp.path())
            .iter()
            .filter(|p| p.contains("has a lower number"))
            .count(),
        1
    );
    // numbers compared whatever their size; one number written two ways is repeated
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: security\npublished: 2023-01-15\nrevisions:\n- { number: 3, date: 2023-01-15 }\n- { number: 2.99999999999999999999, date: 2023-01-16 }\n- { number: 3.0, date: 2023-01-17 }\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "revision `2.99999999999999999999` comes after revision `3` but has a lower number",
            "advisory.yaml:6:13",
        ],
    );
    assert_problem(
        tmp.path(),
        &[
            "revision number `3.0` is empty or repeated",
            "advisory.yaml:7:13",
        ],
    );
    // an empty number: at its own revision's `number:`, not after `revisions:`
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: security\npublished: 2023-01-15\nrevisions:\n- number: '1.0'\n  date: 2023-01-15\n- { number: \"\", date: 2023-01-16 }\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "revision number `` is empty or repeated",
            "advisory.yaml:7:5",
        ],
    );
    // dates no time zone has reached (year 9999 is always ahead): a warning at each, one
    // for a revision whose date is the updated one's
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: security\npublished: 2023-01-15\nupdated: 9999-01-02\nrevisions:\n- number: '1.0'\n  date: 2023-01-15\n- number: '1.1'\n  date: 9999-01-01\n- number: '2.0'\n  date: 9999-01-02\n",
    );
    let found = problems(tmp.path());
    let future: Vec<&String> = found
        .iter()
        .filter(|p| p.contains("in the future"))
        .collect();
    assert_eq!(future.len(), 2, "{found:#?}");
    for wanted in [
        "`updated` (9999-01-02) is in the future: no time zone has reached that day yet",
        "advisory.yaml:4:1",
        "revision `1.1`'s date (9999-01-01) is in the future",
        "advisory.yaml:8:12",
        "keep an advisory under embargo out of `content/`",
    ] {
        assert!(
            future.iter().any(|p| p.contains(wanted)),
            "{wanted} in {future:#?}"
        );
    }
    assert!(
        future.iter().all(|p| p.starts_with("warning")),
        "{future:#?}"
    );
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: security\npublished: 2023-01-15\nlegacy_urls:\n  pt_BR: https://example.org/old\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "`pt_BR` is not a valid BCP 47",
            "advisory.yaml:5:3",
            "help: key each legacy URL by the locale",
        ],
    );
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: security\npublished: [2023-01-15\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "advisory.yaml:3:12",
            "help: YAML reads a value that starts with `[` as a list",
            "otherwise remove them",
        ],
    );
    write(
        tmp.path(),
        path,
        "id: B-2\nkind: security\npublished: \"2023-01-15\nupdated: 2023-01-16\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "the quoted value that starts here has no closing `\"` on its line",
            "advisory.yaml:3:12",
            "help: end the value with `\"`",
        ],
    );
}

/// Writes each case's text to `path` of a copy of the basic fixture and asserts that the
/// problems of that file are exactly one per entry of the case's list, each holding all
/// of that entry's needles.
fn assert_file_problems(path: &str, cases: &[(&str, &[&[&str]])]) {
    let tmp = fixture("basic");
    let file = Path::new(path).file_name().unwrap().to_str().unwrap();
    let named = format!("B-2/{file}");
    for (text, expected) in cases {
        write(tmp.path(), path, text);
        let all = problems(tmp.path());
        let mine: Vec<&String> = all.iter().filter(|p| p.contains(&named)).collect();
        for needles in *expected {
            assert!(
                mine.iter().any(|p| needles.iter().all(|n| p.contains(n))),
                "{text}: no problem holds {needles:?}: {mine:#?}"
            );
        }
        assert_eq!(mine.len(), expected.len(), "{text}: {mine:#?}");
    }
}

/// The values of an advisory.yaml whose other keys have problems are checked in the same
/// run: a misspelt key hid a date that is no date and an unknown reference type until it
/// was fixed. Only problems at a place in the file: nothing is made up from the keys set
/// aside.
#[test]
fn advisory_yaml_value_problems_show_beside_its_key_problems() {
    assert_file_problems(
        "content/advisories/B-2/advisory.yaml",
        &[
            (
                "id: B-2\nkind: informational\npublished: 2023-13-15\nkbs: [1]\n\
                 revisions:\n  - { numbr: '1', date: 2023-01-15 }\n\
                 references:\n  - { url: 'https://x.example/', type: blgo }\n",
                &[
                    &["unknown field `kbs`", "advisory.yaml:4:1"],
                    &["unknown field `numbr`", "advisory.yaml:6:"],
                    &["`2023-13-15` is not a real date", "advisory.yaml:3:12"],
                    &["unknown reference type `blgo`", "advisory.yaml:8:"],
                ],
            ),
            // also beside a required field that is missing (it stopped the reading)
            (
                "id: B-2\nkind: securty\nreferences:\n  - { url: 'https://x.example/', type: blgo }\n",
                &[
                    &["missing field `published`"],
                    &["unknown kind `securty`", "advisory.yaml:2:7"],
                    &["unknown reference type `blgo`", "advisory.yaml:4:"],
                ],
            ),
            // and beside a misspelt key: it is read under the name it most likely has, so
            // its own value is checked too, at the top level (a required field: no
            // "missing field" said, only "did you mean `kind`?") and in a nested mapping
            // (whose block is not set aside)
            (
                "id: B-2\nknid: securty\npublished: 2023-01-15\n\
                 revisions:\n  - { numbr: '1', date: 2023-13-15 }\n",
                &[
                    &["unknown field `knid`", "did you mean `kind`?"],
                    &["unknown kind `securty`", "advisory.yaml:2:7"],
                    &["unknown field `numbr`", "did you mean `number`?"],
                    &["`2023-13-15` is not a real date", "advisory.yaml:5:"],
                ],
            ),
            // a misspelt key whose field is there already is set aside, not read as a key
            // written twice
            (
                "id: B-2\nkind: securty\nknid: informational\npublished: 2023-01-15\n",
                &[
                    &["unknown field `knid`"],
                    &["unknown kind `securty`", "advisory.yaml:2:7"],
                ],
            ),
        ],
    );
}

/// The same holds for a translation's front matter: a misspelt `title` (the one field it
/// must have) and a misspelt key hid a revision that does not exist and a note for
/// another one, until they were fixed.
#[test]
fn translation_value_problems_show_beside_its_key_problems() {
    assert_file_problems(
        "content/advisories/B-2/en-US.md",
        &[
            (
                "---\ntitel: Only in English\ntranslated_from_revision: '9'\nsumary: s\n\
                 revision_notes:\n  '7': note\n---\n\nEnglish only.\n",
                &[
                    &[
                        "unknown field `titel`",
                        "en-US.md:2:1",
                        "did you mean `title`?",
                    ],
                    &["unknown field `sumary`", "en-US.md:4:1"],
                    &[
                        "`translated_from_revision` `9` is not a revision of this advisory",
                        "en-US.md:3:1",
                    ],
                    &["`revision_notes` has a note for `7`", "en-US.md:6:"],
                ],
            ),
            // beside a `title` left out altogether, too; the stand-in for it is never
            // reported
            (
                "---\nsummary: s\ntranslated_from_revision: '9'\n---\n\nEnglish only.\n",
                &[
                    &["missing field `title`"],
                    &["`translated_from_revision` `9`", "en-US.md:3:1"],
                ],
            ),
        ],
    );
}

/// The same product listed twice in `affected` (shown twice on every page) is a warning at
/// the second entry.
#[test]
fn a_product_listed_twice_in_affected_is_a_warning_at_the_second() {
    let tmp = example_copy();
    let yaml = "content/advisories/954474/advisory.yaml";
    let entry = "  - product: System Center Configuration Manager 2007\n";
    edit(
        tmp.path(),
        yaml,
        entry,
        &format!("{entry}    versions: [RTM]\n{entry}"),
    );
    let text = fs::read_to_string(tmp.path().join(yaml)).unwrap();
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("- product:"))
        .nth(1);
    let line = second.unwrap().0 + 1;
    assert_problem(
        tmp.path(),
        &[
            "warning: product `System Center Configuration Manager 2007` is listed more than once in `affected`",
            &format!("{yaml}:{line}:"),
            "help: list each product once",
        ],
    );
}

#[test]
fn translation_of_unknown_revision_is_rejected() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "content/advisories/C-3/es-ES.md",
        "---\ntitle: T\ntranslated_from_revision: \"9.9\"\n---\nx\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "`translated_from_revision` `9.9` is not a revision",
            "es-ES.md:3:1",
            "help:",
        ],
    );
}

#[test]
fn a_revision_named_by_an_advisory_without_revisions_says_to_add_it() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "content/advisories/C-3/advisory.yaml",
        "id: C-3\nkind: non-security\npublished: 2025-05-05\nrevisions: []\n",
    );
    write(
        tmp.path(),
        "content/advisories/C-3/es-ES.md",
        "---\ntitle: T\ntranslated_from_revision: \"1.0\"\n---\nx\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "`translated_from_revision` `1.0` is not a revision",
            "es-ES.md:3:1",
            "help: `advisory.yaml` lists no revisions: add this one under `revisions:`",
        ],
    );
}

#[test]
fn a_translation_names_the_affected_products_in_its_language() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "content/advisories/A-1/es-ES.md",
        "---\ntitle: T\nproduct_names:\n  - product: Example Server\n    name: Servidor de ejemplo\n---\nx\n",
    );
    let files = build(tmp.path());
    assert!(
        files["es-ES/A-1/index.html"].contains("<li>Servidor de ejemplo: 1.0, 1.1</li>"),
        "{}",
        files["es-ES/A-1/index.html"]
    );
    assert!(files["pt-BR/A-1/index.html"].contains("<li>Example Server: 1.0, 1.1</li>"));

    let bad = [
        (
            "  - product: Example Serverr\n    name: S\n",
            "warning: `product_names` names `Example Serverr`, which `affected` in `advisory.yaml` does not list",
            ":4:",
        ),
        (
            "  - product: Example Server\n    name: S\n  - product: Example Server\n    name: T\n",
            "error: `product_names` names `Example Server` twice",
            ":6:",
        ),
        (
            "  - product: Example Server\n    name: \" \"\n",
            "error: `product_names` gives `Example Server` an empty name",
            ":4:",
        ),
    ];
    for (entries, message, at) in bad {
        write(
            tmp.path(),
            "content/advisories/A-1/es-ES.md",
            &format!("---\ntitle: T\nproduct_names:\n{entries}---\nx\n"),
        );
        assert_problem(tmp.path(), &[message, &format!("es-ES.md{at}"), "help:"]);
        if message.starts_with("warning:") {
            // an entry for a product no longer listed is unused; the page still builds
            let files = build(tmp.path());
            assert!(files["es-ES/A-1/index.html"].contains("<li>Example Server: 1.0, 1.1</li>"));
        } else {
            build_fails(tmp.path());
        }
    }
}

#[test]
fn locale_not_in_site_yaml_is_rejected() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "content/advisories/A-1/de-DE.md",
        "---\ntitle: T\n---\nx\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "locale `de-DE` is not one of the site's locales",
            "help: add `de-DE` to `locales`",
        ],
    );
}

#[test]
fn several_content_problems_are_reported_together() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "content/advisories/A-1/es-ES.md",
        "---\ntitle: T\npublished: 2024-03-01\n---\nx\n",
    );
    write(
        tmp.path(),
        "content/advisories/A-1/pt_BR.md",
        "---\ntitle: T\n---\nx\n",
    );
    let out = build_fails(tmp.path());
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.contains("unknown field `published`") && err.contains("pt_BR"),
        "{err}"
    );
}

/// An empty site title (every page's `<title>`, heading and feed title) is an error at
/// its entry; `init --title ''` refuses to write one.
#[test]
fn an_empty_site_title_is_an_error() {
    let tmp = fixture("basic");
    edit(
        tmp.path(),
        "content/site.yaml",
        "pt-BR: Comunicados de teste",
        "pt-BR: ''",
    );
    let err = String::from_utf8(build_fails(tmp.path())).unwrap();
    assert!(err.contains("the site `title` is empty"), "{err}");
    assert!(err.contains("site.yaml:3:3"), "{err}");
    assert!(err.contains("write the site's name"), "{err}");
    let text = fs::read_to_string(tmp.path().join("content/site.yaml")).unwrap();
    let (_, rest) = text.split_once("base_url:").unwrap();
    write(
        tmp.path(),
        "content/site.yaml",
        &format!("title: \"  \"\nbase_url:{rest}"),
    );
    let err = String::from_utf8(build_fails(tmp.path())).unwrap();
    assert!(err.contains("the site `title` is empty"), "{err}");
    assert!(err.contains("site.yaml:1:1"), "{err}");
    let dir = tempfile::tempdir().unwrap();
    avisa()
        .args(["init", "--title", ""])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("the title is empty"));
    assert!(!dir.path().join("content/site.yaml").exists());
}

#[test]
fn an_error_in_site_yaml_does_not_hide_the_advisories_problems() {
    let tmp = fixture("basic");
    edit(tmp.path(), "content/site.yaml", "base_url:", "base_ulr:");
    edit(
        tmp.path(),
        "content/advisories/C-3/es-ES.md",
        "title:",
        "titel:",
    );
    let Err(avisa::Error::Content(problems)) = avisa::check(tmp.path()) else {
        panic!("a site.yaml with an error was accepted");
    };
    let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
    let all = all.join("\n");
    assert!(all.contains("content/site.yaml:"), "{all}");
    assert!(all.contains("base_ulr"), "{all}");
    assert!(all.contains("content/advisories/C-3/es-ES.md:2:1"), "{all}");
    // an error in the file before YAML is read (not UTF-8) hides nothing either
    fs::write(tmp.path().join("content/site.yaml"), b"title: \xe9\n").unwrap();
    let err = String::from_utf8(build_fails(tmp.path())).unwrap();
    assert!(
        err.contains("byte 0xE9") && err.contains("C-3/es-ES.md"),
        "{err}"
    );
}

/// Nor does it hide the problems of the site's own templates and UI strings: a template
/// that does not compile, a Fluent syntax error and a string that uses a term no file
/// defines were found only once `site.yaml` was fixed.
#[test]
fn an_error_in_site_yaml_does_not_hide_the_templates_and_ui_strings_problems() {
    let tmp = fixture("basic");
    edit(tmp.path(), "content/site.yaml", "base_url:", "base_ulr:");
    write(
        tmp.path(),
        "templates/advisory.html",
        "{% extends \"base.html\" %}\n{% block content %}{{ oops(\n{% endblock %}\n",
    );
    write(
        tmp.path(),
        "locales/pt-BR/extra.ftl",
        "site-greeting = Olá { -marca }\nbroken = {\n",
    );
    let err = String::from_utf8(build_fails(tmp.path())).unwrap();
    assert!(err.contains("base_ulr"), "{err}");
    assert!(err.contains("advisory.html:3:"), "{err}");
    assert!(err.contains("locales/pt-BR/extra.ftl:2:"), "{err}");
    assert!(
        err.contains("-marca") && err.contains("locales/pt-BR/extra.ftl:1:"),
        "{err}"
    );
}

// ---------- output: deterministic, staged ----------

#[test]
fn two_builds_are_byte_identical() {
    let out = tempfile::tempdir().unwrap();
    let (a, b) = (out.path().join("a"), out.path().join("b"));
    for dir in [&a, &b] {
        avisa()
            .args(["build", "--root"])
            .arg(repo())
            .arg("--out")
            .arg(dir)
            .assert()
            .code(0);
    }
    let (la, lb) = (output_tree(&a), output_tree(&b));
    assert!(la.len() > 10);
    assert_eq!(la, lb);
}

/// Every file (with its bytes) and folder (`None`) under `d`, in name order.
fn output_tree(d: &Path) -> Vec<(PathBuf, Option<Vec<u8>>)> {
    walkdir::WalkDir::new(d)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .map(|e| {
            let rel = e.path().strip_prefix(d).unwrap().to_path_buf();
            let bytes = e.file_type().is_file().then(|| fs::read(e.path()).unwrap());
            (rel, bytes)
        })
        .collect()
}

/// Rebuilds into one output, which write over the output before last (its spare), hold
/// exactly what a build into a new folder holds, as the site loses an advisory and gets
/// it back: every file, byte for byte, and every folder.
#[test]
fn rebuilds_hold_exactly_what_a_build_into_a_new_folder_holds() {
    let site = fixture("basic");
    let root = site.path();
    let outs = tempfile::tempdir().unwrap();
    let build_into = |out: &Path| {
        avisa()
            .args(["build", "--root"])
            .arg(root)
            .arg("--out")
            .arg(out)
            .assert()
            .code(0);
    };
    let c3 = root.join("content/advisories/C-3");
    let aside = outs.path().join("C-3");
    let out = outs.path().join("public");
    for run in 0..5 {
        // every other build lacks C-3
        if run % 2 == 1 {
            fs::rename(&c3, &aside).unwrap();
        }
        build_into(&out);
        let fresh = outs.path().join(format!("fresh-{run}"));
        build_into(&fresh);
        let (rebuilt, new) = (output_tree(&out), output_tree(&fresh));
        assert!(new.len() > 10);
        assert_eq!(rebuilt, new, "build {}", run + 1);
        assert_eq!(
            rebuilt.iter().any(|(p, _)| p.ends_with("C-3")),
            run % 2 == 0
        );
        if run % 2 == 1 {
            fs::rename(&aside, &c3).unwrap();
        }
    }
    assert!(outs.path().join(".public.avisa-spare").is_dir() || !cfg!(unix));
}

#[test]
fn failed_build_leaves_the_previous_output_untouched() {
    let tmp = fixture("basic");
    let out = tmp.path().join("public");
    avisa()
        .args(["build", "--root"])
        .arg(tmp.path())
        .assert()
        .code(0);
    let before = fs::read(out.join("en-US/A-1/index.html")).unwrap();
    write(
        tmp.path(),
        "content/advisories/A-1/en-US.md",
        "---\ntitle: Changed\nkind: x\n---\nx\n",
    );
    avisa()
        .args(["build", "--root"])
        .arg(tmp.path())
        .assert()
        .code(1);
    assert_eq!(fs::read(out.join("en-US/A-1/index.html")).unwrap(), before);
    let leftovers: Vec<String> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    // only the marker that says `public` is avisa's
    assert_eq!(
        leftovers,
        [".public.avisa-output"],
        "staging folders left behind"
    );
}

#[test]
fn a_broken_template_fails_the_build_without_touching_the_output() {
    let tmp = fixture("basic");
    avisa()
        .args(["build", "--root"])
        .arg(tmp.path())
        .assert()
        .code(0);
    write(
        tmp.path(),
        "templates/index.html",
        "{% extends \"base.html\" %}{% block main %}{{ t(key=\"no-such-key\", lang=lang) }}{% endblock main %}",
    );
    let out = String::from_utf8(build_fails(tmp.path())).unwrap();
    assert!(out.contains("no-such-key"), "{out}");
    // the site's template file, line and column of the call
    assert!(out.contains("--> templates/index.html:1:45"), "{out}");
    assert!(out.contains("fix the site's template named above"), "{out}");
    assert!(tmp.path().join("public/en-US/index.html").is_file());
}

/// Every problem tera's checks of the templates find is one problem at its template, line
/// and column: the site's `templates/<name>`, or the built-in template a site's template
/// broke (a `base.html` without the blocks the built-in pages fill), with its own help.
#[test]
fn each_template_problem_is_at_its_own_file_line_and_column() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "templates/index.html",
        "{% extends \"base.html\" %}{% block main %}\n{{ a | nofilter }}{{ b | nofilter2 }}{% endblock main %}",
    );
    let all = problems(tmp.path());
    for (filter, column) in [("nofilter", 8), ("nofilter2", 26)] {
        assert!(
            all.iter()
                .any(|p| p.contains(&format!("Unknown filter `{filter}`"))
                    && p.contains(&format!("--> templates/index.html:2:{column}\n"))
                    && p.contains("fix the site's template named above")),
            "{}",
            all.join("\n")
        );
    }

    write(
        tmp.path(),
        "templates/index.html",
        "{% extends \"nobase.html\" %}",
    );
    assert_problem(tmp.path(), &["'nobase.html'", "--> templates/index.html\n"]);

    fs::remove_file(tmp.path().join("templates/index.html")).unwrap();
    write(
        tmp.path(),
        "templates/base.html",
        "<main>{% block main %}{% endblock %}</main>",
    );
    assert_problem(
        tmp.path(),
        &[
            "Block `title` is not defined in any parent template",
            "--> <built-in>/templates/advisory.html:2:10\n",
            "a built-in template failed with the site's own templates",
        ],
    );
    let out = String::from_utf8(build_fails(tmp.path())).unwrap();
    assert!(
        out.contains("--> <built-in>/templates/index.html:2:10"),
        "{out}"
    );
}

/// A template's `t(…)` that would print a placeholder (`{$current}`) or ignore what it is
/// given is an error at the call: a missing argument, one the string does not take, a
/// `lang` the site has no strings for.
#[test]
fn a_ui_string_called_with_the_wrong_arguments_fails_at_the_call() {
    let tmp = fixture("basic");
    for (call, says) in [
        (
            "t(key=\"stale-notice\", from=\"1.0\")",
            "the UI string `stale-notice` needs the argument `current`, which pages would show as `{$current}`",
        ),
        (
            "t(key=\"nav-index\", bogus=1)",
            "the UI string `nav-index` takes no argument `bogus` (it takes none)",
        ),
        (
            "t(key=\"pager-page\", page=1, totl=2)",
            "the UI string `pager-page` takes no argument `totl` (it takes `page`, `total`)",
        ),
        (
            "t(key=\"nav-index\", lang=\"fr-FR\")",
            "`fr-FR` has no UI strings: it is not one of the site's locales",
        ),
        // what failed is quoted; a misspelt key in `ui` gets the one most likely meant
        (
            "ui[\"nav-skp\"]",
            "error: cannot render `ui[\"nav-skp\"]`: there is no UI string `nav-skp`",
        ),
        ("ui[\"nav-skp\"]", "help: did you mean `nav-skip`?"),
        (
            "ui['pager-page']",
            "cannot render `ui['pager-page']`: the UI string `pager-page` takes arguments",
        ),
        (
            "nope.x",
            "cannot render `nope`: Variable `nope` is not defined",
        ),
    ] {
        write(
            tmp.path(),
            "templates/index.html",
            &format!(
                "{{% extends \"base.html\" %}}{{% block main %}}{{{{ {call} }}}}{{% endblock main %}}"
            ),
        );
        let out = String::from_utf8(build_fails(tmp.path())).unwrap();
        assert!(out.contains(says), "{call}: {out}");
        assert!(
            out.contains("--> templates/index.html:1:45"),
            "{call}: {out}"
        );
    }
    // what the built-in templates ask for is given in full
    write(
        tmp.path(),
        "templates/index.html",
        "{% extends \"base.html\" %}{% block main %}{{ t(key=\"pager-page\", page=1, total=2) }}{% endblock main %}",
    );
    build(tmp.path());
}

/// An invisible bidi control that can reorder what a page shows after it ("Trojan
/// Source") is an error at its place, in a translation (front matter and body) and in
/// `advisory.yaml`: a translated title ending in U+202E reversed the site's title after
/// it, and a product name so ended showed other versions than `advisory.yaml` holds.
#[test]
fn bidi_controls_that_can_reorder_a_page_are_errors_at_their_place() {
    let tmp = fixture("basic");
    let title = "title: Execução remota";
    let body = "Run `";
    write(
        tmp.path(),
        "content/advisories/A-1/pt-BR.md",
        &format!(
            "---\n{title}\u{202E}exe.gnp\nrevision_notes: {{ \"1.0\": \"Publicado.\" }}\n---\n\n{body}\u{2067}rm x`.\n"
        ),
    );
    let meta = tmp.path().join("content/advisories/A-1/advisory.yaml");
    let yaml = fs::read_to_string(&meta).unwrap();
    fs::write(
        &meta,
        yaml.replace("product: Example Server", "product: Example Server\u{202D}"),
    )
    .unwrap();
    let col = |s: &str| s.chars().count() + 1;
    assert_problem(
        tmp.path(),
        &[
            "error: invisible bidi control U+202E (right-to-left override) in the text",
            &format!("--> content/advisories/A-1/pt-BR.md:2:{}", col(title)),
        ],
    );
    assert_problem(
        tmp.path(),
        &[
            "U+2067 (right-to-left isolate) not closed on its line",
            &format!("--> content/advisories/A-1/pt-BR.md:6:{}", col(body)),
        ],
    );
    assert_problem(
        tmp.path(),
        &[
            "U+202D (left-to-right override)",
            &format!(
                "--> content/advisories/A-1/advisory.yaml:7:{}",
                col("  - product: Example Server")
            ),
        ],
    );
    build_fails(tmp.path());
}

/// A bidi control written as a YAML escape in a double-quoted value is the same error at
/// the escape (the file's text shows no control, and the page showed the reversal); one
/// in a plain value is text, and an isolate closed in its value is allowed.
#[test]
fn bidi_controls_written_as_yaml_escapes_are_errors_at_the_escape() {
    let tmp = fixture("basic");
    let page = "content/advisories/A-1/pt-BR.md";
    write(
        tmp.path(),
        page,
        "---\ntitle: \"Execução \\u202Eexe.gnp\"\nsummary: \"a \\u2067b\\u2069 c\"\nrevision_notes: { \"1.0\": Publicado \\u202E. }\n---\n\nText.\n",
    );
    let meta = tmp.path().join("content/advisories/A-1/advisory.yaml");
    let yaml = fs::read_to_string(&meta).unwrap();
    fs::write(
        &meta,
        yaml.replace(
            "product: Example Server",
            "product: \"Example Server\\U0000202d\"",
        ),
    )
    .unwrap();
    let all = problems(tmp.path());
    let escaped: Vec<&String> = all.iter().filter(|p| p.contains("YAML escape")).collect();
    assert_eq!(escaped.len(), 2, "{all:#?}");
    assert!(escaped[0].contains("U+202D"), "{all:#?}");
    assert!(escaped[0].contains("advisory.yaml:7:29"), "{all:#?}");
    assert!(escaped[1].contains("U+202E"), "{all:#?}");
    assert!(escaped[1].contains(&format!("{page}:2:18")), "{all:#?}");
    build_fails(tmp.path());
    // and as a character reference in the body, where the page decodes it (not in code)
    write(
        tmp.path(),
        page,
        "---\ntitle: T\nrevision_notes: { \"1.0\": \"Publicado.\" }\n---\n\nRun `&#x202E;` as\n1.0 &#x202E;exe.gnp <b>&#8294;x</b>\n",
    );
    fs::write(&meta, &yaml).unwrap();
    let all = problems(tmp.path());
    let refs: Vec<&String> = all
        .iter()
        .filter(|p| p.contains("character reference"))
        .collect();
    assert_eq!(refs.len(), 2, "{all:#?}");
    assert!(
        refs[0].contains(
            "U+202E (right-to-left override), written as a character reference, in the text"
        ),
        "{all:#?}"
    );
    assert!(refs[0].contains(&format!("{page}:7:5")), "{all:#?}");
    assert!(refs[1].contains("U+2066 (left-to-right isolate), written as a character reference, not closed on its line"), "{all:#?}");
    assert!(refs[1].contains(&format!("{page}:7:24")), "{all:#?}");
    build_fails(tmp.path());
}

#[test]
fn a_template_that_does_not_compile_is_reported_at_its_line_and_column() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "templates/index.html",
        "{% extends \"base.html\" %}{% block main %}\n<p>{{ no_such_fn(x=1) }}</p>\n{% endblock main %}",
    );
    let out = String::from_utf8(build_fails(tmp.path())).unwrap();
    assert!(out.contains("Unknown function `no_such_fn`"), "{out}");
    assert!(out.contains("--> templates/index.html:2:7"), "{out}");
    assert!(!tmp.path().join("public").exists(), "{out}");
    // beside a content error, in the same run (it showed only once that was fixed)
    write(
        tmp.path(),
        "content/advisories/B-2/advisory.yaml",
        "id: B-2\nkind: informational\npublished: 2023-13-15\n",
    );
    let out = String::from_utf8(build_fails(tmp.path())).unwrap();
    assert!(out.contains("`2023-13-15` is not a real date"), "{out}");
    assert!(out.contains("Unknown function `no_such_fn`"), "{out}");
    let all = problems(tmp.path());
    assert!(
        all.iter()
            .any(|p| p.contains("Unknown function `no_such_fn`")),
        "{}",
        all.join("\n")
    );
}

#[test]
fn iterating_a_map_in_a_template_is_deterministic() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "templates/advisory.html",
        "{% extends \"base.html\" %}{% block main %}\
         <p id=\"keys\">{% for k, v in advisory %}{{ k }} {% endfor %}</p>{% endblock main %}",
    );
    let key_lists = |files: &BTreeMap<String, String>| -> Vec<String> {
        files
            .values()
            .filter_map(|page| {
                let at = page.find("<p id=\"keys\">")? + "<p id=\"keys\">".len();
                Some(page[at..].split("</p>").next()?.to_string())
            })
            .collect()
    };
    let first = key_lists(&build(tmp.path()));
    assert!(first.len() > 3, "{first:?}");
    // every page lists the keys in the view's own order, and so does the next build
    assert!(first.iter().all(|k| k == &first[0]), "{first:?}");
    assert!(first[0].starts_with("id kind "), "{}", first[0]);
    assert!(first[0].split(' ').count() > 8, "{}", first[0]);
    assert_eq!(first, key_lists(&build(tmp.path())));
}

#[test]
fn ui_strings_and_dates_default_to_the_page_language() {
    let tmp = fixture("basic");
    write(
        tmp.path(),
        "templates/index.html",
        "{% extends \"base.html\" %}{% block main %}\
         <p id=\"own\">{{ t(key=\"index-title\") }} {{ \"2008-06-13\" | date_long }}</p>\
         <p id=\"asked\">{{ t(key=\"index-title\", lang=\"es-ES\") }} {{ \"2008-06-13\" | date_long(lang=\"es-ES\") }}</p>\
         {% endblock main %}",
    );
    let files = build(tmp.path());
    let text_of = |page: &str, id: &str| {
        let open = format!("<p id=\"{id}\">");
        let at = page
            .find(&open)
            .unwrap_or_else(|| panic!("no {open} in {page}"))
            + open.len();
        page[at..].split("</p>").next().unwrap().to_string()
    };
    let own = |locale: &str| text_of(&files[&format!("{locale}/index.html")], "own");
    assert!(
        own("pt-BR").ends_with(" sexta-feira, 13 de junho de 2008"),
        "{}",
        own("pt-BR")
    );
    assert!(
        own("es-ES").ends_with(" viernes, 13 de junio de 2008"),
        "{}",
        own("es-ES")
    );
    assert_ne!(own("pt-BR"), own("en-US"));
    // an explicit `lang` wins over the page's
    for locale in ["pt-BR", "en-US", "es-ES"] {
        let asked = text_of(&files[&format!("{locale}/index.html")], "asked");
        assert_eq!(asked, own("es-ES"), "{locale}");
    }
}

// ---------- CLI ----------

#[test]
fn build_exit_codes() {
    let tmp = fixture("basic");
    avisa()
        .args(["build", "--root"])
        .arg(tmp.path())
        .assert()
        .code(0);
    let empty = tempfile::tempdir().unwrap();
    avisa()
        .args(["build", "--root"])
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("content/site.yaml"));
    avisa().args(["build", "--no-such-flag"]).assert().code(2);
    avisa()
        .args(["build", "--help"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("--strict"));
    // A folder avisa did not write is never replaced.
    let foreign = tempfile::tempdir().unwrap();
    write(foreign.path(), "keep.txt", "x");
    avisa()
        .args(["build", "--root"])
        .arg(tmp.path())
        .arg("--out")
        .arg(foreign.path())
        .assert()
        .code(2);
    assert!(foreign.path().join("keep.txt").is_file());
    // An output folder among the sources would be read by the next build (an advisory
    // folder without `advisory.yaml`); one beside them, reached through `..`, is fine.
    for inside in [
        "content/advisories/zz",
        "templates/out",
        "./locales/../content/x",
    ] {
        avisa()
            .args(["build", "--root"])
            .arg(tmp.path())
            .arg("--out")
            .arg(tmp.path().join(inside))
            .assert()
            .code(2)
            .stderr(predicates::str::contains(
                "choose an `--out` outside `content/`",
            ));
    }
    assert!(!tmp.path().join("content/advisories/zz").exists());
    // nor through a symbolic link beside them that leads into one
    #[cfg(unix)]
    {
        let real = tmp.path().join("templates/real");
        fs::create_dir_all(&real).unwrap();
        let link = tmp.path().join("linked-out");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        avisa()
            .args(["build", "--root"])
            .arg(tmp.path())
            .arg("--out")
            .arg(&link)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("inside the site's `templates/`"));
        fs::remove_file(&link).unwrap();
        fs::remove_dir(&real).unwrap();
        // or a new folder below a link that leads into one
        let link = tmp.path().join("c");
        std::os::unix::fs::symlink(tmp.path().join("content"), &link).unwrap();
        avisa()
            .args(["build", "--root"])
            .arg(tmp.path())
            .arg("--out")
            .arg(link.join("new/out"))
            .assert()
            .code(2)
            .stderr(predicates::str::contains("inside the site's `content/`"));
        assert!(!tmp.path().join("content/new").exists());
        fs::remove_file(&link).unwrap();
    }
    avisa()
        .args(["build", "--root"])
        .arg(tmp.path())
        .arg("--out")
        .arg(tmp.path().join("content/../out"))
        .assert()
        .code(0);
    avisa()
        .args(["check", "--root"])
        .arg(tmp.path())
        .assert()
        .code(0);
}

/// An output folder inside an earlier build's output (`--out public/staging`) is
/// refused: it would be deployed as part of that site, and its next build deletes it.
#[test]
fn an_output_inside_an_earlier_output_is_refused() {
    let tmp = fixture("basic");
    let built = |out: &Path, code: i32| {
        avisa()
            .current_dir(tmp.path())
            .args(["build", "--out"])
            .arg(out)
            .assert()
            .code(code)
    };
    built(Path::new("public"), 0);
    let before = output_tree(&tmp.path().join("public"));
    built(Path::new("public/staging"), 2).stderr(predicates::str::contains(
        "the output folder `public/staging` is inside `public`, the output of an earlier build",
    ));
    built(&tmp.path().join("public/en-US/x"), 2);
    assert_eq!(output_tree(&tmp.path().join("public")), before);
    // stepping out of it and back in is inside it; stepping out of it is not (it was
    // refused as inside `public`)
    built(Path::new("staging/../public/x"), 2);
    built(Path::new("public/../site2"), 0);
    assert!(tmp.path().join("site2/en-US/index.html").is_file());
    assert_eq!(output_tree(&tmp.path().join("public")), before);
    // a folder beside it is fine, and so is a folder avisa did not write
    built(Path::new("staging"), 0);
    fs::create_dir_all(tmp.path().join("mine")).unwrap();
    built(Path::new("mine/out"), 0);
}

#[test]
fn check_prints_the_translation_matrix_and_its_exit_code_follows_strict() {
    let tmp = fixture("basic");
    let out = avisa()
        .args(["check", "--root"])
        .arg(tmp.path())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("advisory  en-US"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("C-3") && l.contains("stale:1.0")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("B-2") && l.contains("missing")),
        "{out}"
    );
    assert!(out.contains("summary: 3 advisories × 4 locales"), "{out}");
    avisa()
        .args(["check", "--strict", "--root"])
        .arg(tmp.path())
        .assert()
        .code(1);
    avisa()
        .args(["check", "--root"])
        .arg(repo())
        .assert()
        .code(0);
}

/// Every command's `--help` ends with its exit codes (`import`'s had none).
#[test]
fn every_command_documents_its_exit_codes() {
    for command in [
        "build",
        "serve",
        "check",
        "init",
        "new",
        "new-locale",
        "check-log",
        "import",
    ] {
        avisa()
            .args([command, "--help"])
            .assert()
            .code(0)
            .stdout(predicates::str::contains("Exit codes: 0 "));
    }
}

/// An advisory folder whose `advisory.yaml` is missing (or did not load) is said to be so
/// in its row and in the summary: with no translation either, its row was all `missing`
/// and the summary said "0 with errors" above the error.
#[test]
fn check_says_which_advisories_did_not_load() {
    let tmp = fixture("basic");
    fs::create_dir_all(tmp.path().join("content/advisories/oops")).unwrap();
    let (out, err) = check_fails(tmp.path());
    assert!(
        out.lines().any(|l| l.starts_with("oops")
            && l.contains("missing")
            && l.ends_with("(advisory.yaml did not load)")),
        "{out}"
    );
    assert!(
        out.contains("0 with errors; 1 advisory whose advisory.yaml did not load; "),
        "{out}"
    );
    assert!(
        err.contains("advisory `oops` has no `advisory.yaml`"),
        "{err}"
    );
}

/// `check` on a site whose `site.yaml` is unusable prints the problems and exits with 1,
/// without saying "nothing was written" (it writes nothing anyway).
#[test]
fn check_on_an_unusable_site_yaml_does_not_speak_of_writing() {
    let tmp = fixture("basic");
    edit(
        tmp.path(),
        "content/site.yaml",
        "default_locale: en-US",
        "default_locale: fr-FR",
    );
    let (_, err) = check_fails(tmp.path());
    assert!(
        err.contains("`default_locale` `fr-FR` is not in `locales`"),
        "{err}"
    );
    assert!(
        err.trim_end().ends_with("error: the content has problems"),
        "{err}"
    );
}

#[test]
fn check_shows_a_translation_or_advisory_that_did_not_load_as_error_not_missing() {
    let tmp = fixture("basic");
    // a translation with an error, and an advisory whose advisory.yaml has one
    mistype_title(tmp.path(), "content/advisories/C-3/es-ES.md");
    edit(
        tmp.path(),
        "content/advisories/A-1/advisory.yaml",
        "kind:",
        "knd:",
    );
    let report = avisa::check(tmp.path()).unwrap();
    let row = |id: &str| {
        let row = report.matrix.rows.iter().find(|r| r.id == id);
        row.unwrap_or_else(|| panic!("no row for {id}"))
            .cells
            .clone()
    };
    use avisa::Cell::{Error, Missing, Ok, Stale};
    assert_eq!(row("A-1"), [Error, Error, Error, Error]);
    assert!(matches!(row("C-3")[..], [Ok, Stale { .. }, Error, Missing]));
    assert_eq!(row("B-2"), [Ok, Missing, Missing, Missing]);
    let t = report.matrix.totals();
    assert_eq!((t.ok, t.stale, t.missing, t.errors), (2, 1, 4, 5));
    let (out, _) = check_fails(tmp.path());
    assert!(
        out.contains("2 current, 1 stale, 4 missing translations, 5 with errors"),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("C-3") && l.contains("stale:1.0  error    missing")),
        "{out}"
    );
    // a translation that loads with an error of its own (a revision the advisory lacks),
    // and one with an error found between files (a check's message missing in it): errors,
    // not `ok`
    let tmp = example_copy();
    let dir = "content/advisories/954474";
    edit(
        tmp.path(),
        &format!("{dir}/pt-BR.md"),
        "translated_from_revision: \"1.1\"",
        "translated_from_revision: \"9.9\"",
    );
    edit(
        tmp.path(),
        &format!("{dir}/en-US.md"),
        "    affected: ",
        "    affectd: ",
    );
    let report = avisa::check(tmp.path()).unwrap();
    let row = report
        .matrix
        .rows
        .iter()
        .find(|r| r.id == "954474")
        .unwrap();
    assert_eq!(row.cells, [Error, Error, Ok], "{:?}", report.problems);
}

#[test]
fn new_scaffolds_an_advisory_that_builds() {
    let tmp = fixture("basic");
    avisa()
        .args(["new", "D-4", "--locales", "en-US,pt-BR", "--root"])
        .arg(tmp.path())
        .assert()
        .code(0)
        .stderr("");
    assert!(
        tmp.path()
            .join("content/advisories/D-4/advisory.yaml")
            .is_file()
    );
    assert!(tmp.path().join("content/advisories/D-4/pt-BR.md").is_file());
    let files = build(tmp.path());
    assert!(files.contains_key("pt-BR/D-4/index.html"));
    avisa()
        .args(["new", "D-4", "--root"])
        .arg(tmp.path())
        .assert()
        .code(2);
    avisa()
        .args(["new", "../x", "--root"])
        .arg(tmp.path())
        .assert()
        .code(2);
    // a locale the site does not list: the files are written, with a warning that the
    // build will reject the translation until the locale is added, at the `locales:` line
    let site_yaml = tmp.path().join("content/site.yaml");
    let line = fs::read_to_string(&site_yaml)
        .unwrap()
        .lines()
        .position(|l| l.starts_with("locales:"))
        .unwrap()
        + 1;
    avisa()
        .args(["new", "D-5", "--locales", "pt-BR,fr-FR", "--root"])
        .arg(tmp.path())
        .assert()
        .code(0)
        .stderr(predicates::str::contains(format!(
            "warning: `fr-FR` is not one of the site's locales, so `avisa build` will reject `{}`\n  --> {}:{line}:1\n   = help: add `fr-FR` to `locales`",
            tmp.path().join("content/advisories/D-5/fr-FR.md").display(),
            site_yaml.display(),
        )))
        .stderr(predicates::prelude::PredicateBooleanExt::not(
            predicates::str::contains("`pt-BR` is not"),
        ));
    assert!(tmp.path().join("content/advisories/D-5/fr-FR.md").is_file());
    // A locale given twice (in any spelling) is one file, created and listed once; a
    // POSIX-style tag gets its BCP 47 spelling.
    let out = avisa()
        .args(["new", "D-6", "--locales", "pt-BR,pt-br", "--root"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.matches("pt-BR.md").count(), 1, "{stdout}");
    avisa()
        .args(["new", "D-7", "--locales", "en_US", "--root"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "`en_US` is not a valid BCP 47 language tag: write `en-US` (with `-`, not `_`)",
        ));
}

/// A site locale without UI strings (the fixture's `ar`) gets one warning per file, whose
/// help is `avisa new-locale`: that writes a copy of the built-in strings to translate (of
/// the same language when avisa has one) and of the site's own other `.ftl` files (of the
/// same language when the site has one, else `en-US`'s), after which nothing is missing;
/// the copy's `language-name` is the tag, never another language's name. Files that
/// exist are kept.
#[test]
fn new_locale_copies_the_built_in_and_the_sites_own_strings_to_translate() {
    let tmp = fixture("basic");
    let root = tmp.path();
    // strings the site's own templates would use, in two of its locales
    let own = |locale: &str, text: &str| {
        fs::create_dir_all(root.join("locales").join(locale)).unwrap();
        fs::write(root.join("locales").join(locale).join("site.ftl"), text).unwrap();
    };
    own("en-US", "contact = Contact\nhours = Office hours\n");
    own("es-ES", "contact = Contacto\nhours = Horario\n");
    own("pt-BR", "contact = Contato\nhours = Horário\n");
    let missing = |root: &Path| -> Vec<String> {
        problems(root)
            .into_iter()
            .filter(|p| p.contains("UI string"))
            .collect()
    };
    let before = missing(root);
    assert_eq!(before.len(), 3, "{before:#?}");
    for (p, file) in before.iter().zip(["checker.ftl", "main.ftl", "site.ftl"]) {
        assert!(
            p.starts_with("warning: `ar` has none of the ")
                && p.contains(&format!(
                    "UI strings of `{file}` (they fall back to `en-US`)"
                ))
                && p.contains(&format!(
                    "help: run `avisa new-locale ar` to copy the strings into `locales/ar/{file}`"
                )),
            "{p}"
        );
    }
    let dir = root.join("locales/ar");
    avisa()
        .args(["new-locale", "ar", "--root"])
        .arg(root)
        .assert()
        .code(0)
        .stdout(format!(
            "created {} (from the built-in `en-US` strings)\ncreated {} (from the built-in `en-US` strings)\ncreated {} (from {})\n",
            dir.join("checker.ftl").display(),
            dir.join("main.ftl").display(),
            dir.join("site.ftl").display(),
            root.join("locales/en-US/site.ftl").display()
        ))
        .stderr("");
    assert_eq!(missing(root), Vec::<String>::new());
    assert_eq!(
        fs::read_to_string(dir.join("site.ftl")).unwrap(),
        "# UI strings for `ar`, copied by `avisa new-locale` from `locales/en-US/site.ftl`:\n\
         # translate each value, keeping the keys and the `{ $… }` placeholders.\n\n\
         contact = Contact\nhours = Office hours\n"
    );
    let main = fs::read_to_string(dir.join("main.ftl")).unwrap();
    assert!(
        main.starts_with("# UI strings for `ar`, copied by `avisa new-locale`"),
        "{main}"
    );
    assert!(
        main.contains("\nlanguage-name = ar\n") && !main.contains("= English"),
        "{main}"
    );
    let files = build(root);
    assert!(
        files["en-US/A-1/index.html"]
            .contains("hreflang=\"ar\" href=\"../../ar/A-1/index.html\">ar<")
    );

    // what exists is kept
    fs::write(dir.join("main.ftl"), "language-name = العربية\n").unwrap();
    avisa()
        .args(["new-locale", "ar", "--root"])
        .arg(root)
        .assert()
        .code(0)
        .stdout(predicates::str::contains(format!(
            "kept {} (it exists; nothing written)",
            dir.join("main.ftl").display()
        )));
    assert_eq!(
        fs::read_to_string(dir.join("main.ftl")).unwrap(),
        "language-name = العربية\n"
    );
    // a locale of a language avisa has starts from it; one the site does not list is a
    // warning
    avisa()
        .args(["new-locale", "es-MX", "--root"])
        .arg(root)
        .assert()
        .code(0)
        .stdout(predicates::str::contains(
            "(from the built-in `es-ES` strings)",
        ))
        .stderr(predicates::str::contains(
            "warning: `es-MX` is not one of the site's locales, so no page shows the strings in",
        ));
    assert!(
        fs::read_to_string(root.join("locales/es-MX/main.ftl"))
            .unwrap()
            .contains("\nlanguage-name = es-MX\n")
    );
    // the site's own file of the same language, and without the header of a copy
    assert!(
        fs::read_to_string(root.join("locales/es-MX/site.ftl"))
            .unwrap()
            .ends_with("placeholders.\n\ncontact = Contacto\nhours = Horario\n")
    );
    fs::remove_dir_all(root.join("locales/en-US")).unwrap();
    avisa()
        .args(["new-locale", "de-DE", "--root"])
        .arg(root)
        .assert()
        .code(0)
        .stdout(predicates::str::contains(format!(
            "created {} (from {})",
            root.join("locales/de-DE/site.ftl").display(),
            root.join("locales/ar/site.ftl").display()
        )));
    // a file that cannot be read as text is named, and the others are still copied
    fs::write(
        root.join("locales/pt-BR/site.ftl"),
        b"contact = Contato\xff\n",
    )
    .unwrap();
    avisa()
        .args(["new-locale", "pt-PT", "--root"])
        .arg(root)
        .assert()
        .code(1)
        .stdout(predicates::str::contains(format!(
            "created {}",
            root.join("locales/pt-PT/main.ftl").display()
        )))
        .stderr(predicates::prelude::PredicateBooleanExt::and(
            predicates::str::contains("error: "),
            predicates::str::contains("locales/pt-BR/site.ftl:1:"),
        ));
    assert!(!root.join("locales/pt-PT/site.ftl").exists());
    let de = fs::read_to_string(root.join("locales/de-DE/site.ftl")).unwrap();
    assert_eq!(de.matches("# UI strings for").count(), 1, "{de}");
    assert!(
        de.starts_with(
            "# UI strings for `de-DE`, copied by `avisa new-locale` from `locales/ar/site.ftl`"
        ),
        "{de}"
    );
    avisa()
        .args(["new-locale", "en_US", "--root"])
        .arg(root)
        .assert()
        .code(2);
}

/// `avisa init` writes a `site.yaml` that builds: its settings as given (a title YAML
/// would read otherwise comes out quoted), or the defaults, or the locales of the
/// advisories already there, most translations first. It never overwrites one, and
/// settings a build would reject write nothing.
/// `new-locale` under a folder that holds no site (a mistyped `--root`) refuses, as
/// `new` does without `--locales`, instead of making a `locales/` folder there; `new
/// --locales` (before `init`, as `import` may be) says that the site has no `site.yaml`.
#[test]
fn new_locale_and_new_say_when_the_root_holds_no_site() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("tpyo");
    avisa()
        .args(["new-locale", "de-DE", "--root"])
        .arg(&root)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no `content/site.yaml` under"));
    assert!(!root.exists());
    avisa()
        .args(["new", "2024-001", "--locales", "de-DE", "--root"])
        .arg(&root)
        .assert()
        .code(0)
        .stdout(predicates::str::contains(format!(
            "next: `{}` does not exist yet: `avisa init {}`",
            root.join("content/site.yaml").display(),
            root.display()
        )));
}

/// Advisory ids that differ only in case are one folder, and one page, on a file system
/// that ignores case (macOS, Windows): an error at the later folder for `build`, and
/// `new` does not make the second one.
#[test]
fn advisory_ids_that_differ_only_in_case_are_an_error() {
    let tmp = fixture("basic");
    avisa()
        .args(["new", "b-2", "--locales", "en-US", "--root"])
        .arg(tmp.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "advisory `B-2` exists, and `b-2` differs from it only in case",
        ));
    assert!(!tmp.path().join("content/advisories/b-2").exists());
    let from = tmp.path().join("content/advisories/B-2");
    let to = tmp.path().join("content/advisories/b-2");
    fs::create_dir(&to).unwrap();
    for name in ["advisory.yaml", "en-US.md"] {
        let text = fs::read_to_string(from.join(name)).unwrap();
        fs::write(to.join(name), text.replace("id: B-2", "id: b-2")).unwrap();
    }
    let err = String::from_utf8(build_fails(tmp.path())).unwrap();
    assert!(
        err.contains("advisory `b-2` differs from `B-2` only in case")
            && err.contains("--> content/advisories/b-2"),
        "{err}"
    );
}

#[test]
fn init_writes_a_site_yaml_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("new-site");
    avisa()
        .arg("init")
        .arg(&root)
        .assert()
        .code(0)
        .stdout(format!(
            "created {} with the locale en-US\ncreated {}\nset `base_url` in {} to where the site will be published\n",
            root.join("content/site.yaml").display(),
            root.join("content/advisories").display(),
            root.join("content/site.yaml").display()
        ));
    let yaml = fs::read_to_string(root.join("content/site.yaml")).unwrap();
    assert!(
        yaml.contains("\ntitle: Security advisories\n")
            && yaml.contains("\nbase_url: https://example.org/\n")
            && yaml.contains("\ndefault_locale: en-US\n")
            && yaml.contains("\nlocales: [en-US]\n"),
        "{yaml}"
    );
    avisa()
        .args(["new", "2026-001", "--root"])
        .arg(&root)
        .assert()
        .code(0);
    let files = build(&root);
    assert!(files.contains_key("en-US/2026-001/index.html"));

    // never over an existing file
    fs::write(root.join("content/site.yaml"), "edited\n").unwrap();
    avisa()
        .arg("init")
        .arg(&root)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "already exists; nothing was written",
        ));
    assert_eq!(
        fs::read_to_string(root.join("content/site.yaml")).unwrap(),
        "edited\n"
    );
    fs::write(root.join("content/site.yaml"), yaml).unwrap();

    // not inside a site (run from its `content/` or an advisory's folder by mistake): a
    // second site there was read as an advisory folder, and the build failed
    for inside in [
        root.join("content"),
        root.join("content/advisories"),
        root.join("content/advisories/2026-001"),
    ] {
        avisa()
            .arg("init")
            .current_dir(&inside)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!(
                "is inside the site at `{}` (its `content/site.yaml` exists); nothing was written",
                root.display()
            )));
        assert!(!inside.join("content").exists(), "{}", inside.display());
    }
    build(&root);

    // settings as given; what a build would reject writes nothing
    let other = tmp.path().join("other");
    for (args, why) in [
        (
            vec!["--base-url", "ftp://files.example/"],
            "`base_url` `ftp://files.example/` is not an absolute http(s) URL; nothing was written",
        ),
        (
            vec!["--locales", "pt_BR"],
            "`pt_BR` is not a valid BCP 47 language tag",
        ),
        (vec!["--title", "two\nlines"], "the title is one line"),
    ] {
        avisa()
            .arg("init")
            .arg(&other)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(why));
        assert!(!other.exists());
    }
    avisa()
        .arg("init")
        .arg(&other)
        .args(["--locales", "pt-BR,es-ES,pt-BR", "--base-url"])
        .arg("https://kb.example/sec")
        .args(["--title", "Avisos: \"KB\" # 1"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains(
            "with the locales pt-BR, es-ES (the first is the default)",
        ));
    write(
        &other,
        "content/advisories/X-1/advisory.yaml",
        "id: X-1\nkind: security\npublished: 2026-01-02\n",
    );
    write(
        &other,
        "content/advisories/X-1/es-ES.md",
        "---\ntitle: Uno\n---\n",
    );
    let files = build(&other);
    assert!(
        files["pt-BR/index.html"].contains("· Avisos: &quot;KB&quot; # 1</title>"),
        "{}",
        files["pt-BR/index.html"]
    );
    assert!(files["sitemap.xml"].contains("<loc>https://kb.example/sec/es-ES/X-1/</loc>"));

    // without `--locales`: those of the translations there, most first, then by tag;
    // a file the build would reject (`fr-fr.md`) does not count
    let imported = tmp.path().join("imported");
    for (id, locales) in [
        ("A", &["es-ES", "pt-BR"][..]),
        ("B", &["pt-BR", "fr-fr"]),
        ("C", &["de-DE", "pt-BR"]),
    ] {
        for l in locales {
            write(
                &imported,
                &format!("content/advisories/{id}/{l}.md"),
                "---\ntitle: T\n---\n",
            );
        }
    }
    avisa()
        .arg("init")
        .arg(&imported)
        .assert()
        .code(0)
        .stdout(predicates::str::contains(
            "with the locales of its advisories: pt-BR, de-DE, es-ES (the first is the default)",
        ));
    let yaml = fs::read_to_string(imported.join("content/site.yaml")).unwrap();
    assert!(
        yaml.contains("\ndefault_locale: pt-BR\n")
            && yaml.contains("\nlocales: [pt-BR, de-DE, es-ES]\n"),
        "{yaml}"
    );
}

#[test]
fn legacy_urls_get_redirect_pages_and_server_rules() {
    let files = build(&repo());
    let page = &files["pt-BR/library/954474(v=Security.10)/index.html"];
    assert!(
        page.contains(
            "<meta http-equiv=\"refresh\" content=\"0; url=../../../pt-BR/954474/index.html\">"
        ),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"../../../pt-BR/954474/index.html\">Ir para a nova página</a>")
    );
    assert!(page.contains("<html lang=\"pt-BR\" dir=\"ltr\">"), "{page}");
    assert!(page.contains(
        "<p>Esta página foi movida para \u{2068}Comunicado de Segurança da Microsoft 954474\u{2069}.</p>"
    ), "{page}");
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://advisories.example.org/pt-BR/954474/\">"
        ),
        "{page}"
    );
    assert!(
        files["_redirects"].contains("/pt-BR/library/954474(v=Security.10) /pt-BR/954474/ 301")
    );
    assert!(
        files["redirects.nginx.conf"]
            .contains("\"/es-ES/library/954474(v=Security.10)\" \"/es-ES/954474/\";")
    );
}

/// `build --base-url` builds a copy to publish elsewhere (a staging site, or below a
/// path): every absolute URL uses it in place of `site.yaml`'s, and the redirect lists
/// lead below its path. One that is no site address is a usage error, before anything is
/// written.
#[test]
fn build_base_url_stands_for_site_yaml_s_in_absolute_urls_and_redirect_targets() {
    let tmp = example_copy();
    let out = tmp.path().join("staging");
    avisa()
        .args([
            "build",
            "--base-url",
            "https://staging.example.net/avisos",
            "--root",
        ])
        .arg(tmp.path())
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let read = |rel: &str| fs::read_to_string(out.join(rel)).unwrap();
    let page = read("pt-BR/954474/index.html");
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://staging.example.net/avisos/pt-BR/954474/\">"
        ),
        "{page}"
    );
    assert!(page.contains(
        "hreflang=\"x-default\" href=\"https://staging.example.net/avisos/en-US/954474/\""
    ));
    assert!(
        read("sitemap.xml").contains("<loc>https://staging.example.net/avisos/es-ES/954474/</loc>")
    );
    assert!(read("es-ES/atom.xml").contains("https://staging.example.net/avisos/es-ES/954474/"));
    let mut files = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            files += 1;
            let text = String::from_utf8_lossy(&fs::read(entry.path()).unwrap()).into_owned();
            assert!(
                !text.contains("advisories.example.org"),
                "{}",
                entry.path().display()
            );
        }
    }
    assert!(files > 10, "{files} files");
    assert!(
        read("_redirects")
            .contains("/pt-BR/library/954474(v=Security.10) /avisos/pt-BR/954474/ 301\n")
    );
    assert!(
        read("redirects.nginx.conf")
            .contains("\"/es-ES/library/954474(v=Security.10)\" \"/avisos/es-ES/954474/\";")
    );
    let bad = tmp.path().join("bad");
    avisa()
        .args(["build", "--base-url", "staging.example.net", "--root"])
        .arg(tmp.path())
        .arg("--out")
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "invalid value 'staging.example.net' for '--base-url <URL>': `staging.example.net` is not an absolute http(s) URL",
        ));
    assert!(!bad.exists());
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let out = tempfile::tempdir().unwrap();
    let mut trees = Vec::new();
    for threads in ["1", "2", "4"] {
        let dir = out.path().join(format!("t{threads}"));
        avisa()
            .env("RAYON_NUM_THREADS", threads)
            .args(["build", "--root"])
            .arg(repo().join("tests/fixtures/basic"))
            .arg("--out")
            .arg(&dir)
            .assert()
            .code(0);
        let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .map(Result::unwrap)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(&dir).unwrap().to_path_buf(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        trees.push(files);
    }
    assert_eq!(trees[0], trees[1]);
    assert_eq!(trees[0], trees[2]);
}

/// Appends a `legacy_urls:` block with `entries` (indented YAML lines) to B-2's facts.
fn add_legacy_urls_to_b2(root: &Path, entries: &str) {
    let path = "content/advisories/B-2/advisory.yaml";
    let yaml = fs::read_to_string(root.join(path)).unwrap();
    write(root, path, &format!("{yaml}legacy_urls:\n{entries}"));
}

#[test]
fn legacy_urls_that_cannot_redirect_are_warnings() {
    let tmp = fixture("basic");
    add_legacy_urls_to_b2(
        tmp.path(),
        "  en-US: \"https://old.example/en-US/B-2/\"\n  pt-BR: \"https://old.example/kb/b2\"\n  es-ES: \"https://old.example/a/../b\"\n",
    );
    assert_problem(
        tmp.path(),
        &[
            "warning",
            "`https://old.example/en-US/B-2/`",
            "its page `en-US/B-2/index.html` is a file of this site",
        ],
    );
    assert_problem(
        tmp.path(),
        &[
            "warning",
            "(pt-BR) gets no redirect: there is no `pt-BR` translation",
            // at its entry
            &spot_of(tmp.path(), "content/advisories/B-2/advisory.yaml", "pt-BR:"),
        ],
    );
    assert_problem(
        tmp.path(),
        &[
            "warning",
            "`https://old.example/a/../b` (es-ES) gets no redirect",
        ],
    );
    // The advisory page keeps its place; no stub overwrites it.
    let files = build(tmp.path());
    assert!(files["en-US/B-2/index.html"].contains("English only."));
    assert!(
        !files.contains_key("_redirects"),
        "no line that would shadow the page"
    );
}

/// A legacy URL whose redirect page would need a folder where the site writes a file
/// (the sitemap, a feed) was accepted by `check` and failed `build` with an I/O error; a
/// legacy URL two advisories share went to one of them without a word. Each is a warning
/// now, and the build writes every other redirect.
#[test]
fn legacy_urls_onto_generated_files_or_taken_by_another_advisory_are_warnings() {
    let tmp = fixture("basic");
    let root = tmp.path();
    add_legacy_urls_to_b2(root, "  en-US: \"https://old.example/kb/shared\"\n");
    let path = "content/advisories/A-1/advisory.yaml";
    let yaml = fs::read_to_string(root.join(path)).unwrap();
    write(
        root,
        path,
        &format!(
            "{yaml}legacy_urls:\n  en-US: \"https://old.example/kb/shared\"\n  pt-BR: \"https://old.example/sitemap.xml\"\n  es-ES: \"https://old.example/es-ES/atom.xml#x\"\n  ar: \"https://old.example/kb/a1-ar\"\n"
        ),
    );
    for needles in [
        [
            "B-2/advisory.yaml",
            "`https://old.example/kb/shared` (en-US) gets no redirect: the same URL also redirects to `/en-US/A-1/`",
        ],
        [
            "A-1/advisory.yaml",
            "(pt-BR) gets no redirect: its page `sitemap.xml/index.html` needs a folder where the site writes `sitemap.xml`",
        ],
        [
            "A-1/advisory.yaml",
            "(es-ES) gets no redirect: its page `es-ES/atom.xml/index.html` needs a folder where the site writes `es-ES/atom.xml`",
        ],
    ] {
        assert_problem(root, &needles);
    }
    avisa().args(["check", "--root"]).arg(root).assert().code(0);
    let out = root.join("public");
    avisa().args(["build", "--root"]).arg(root).assert().code(0);
    let redirects = fs::read_to_string(out.join("_redirects")).unwrap();
    assert_eq!(
        redirects,
        "/kb/a1-ar /ar/A-1/ 301\n/kb/shared /en-US/A-1/ 301\n"
    );
    assert!(out.join("kb/shared/index.html").is_file());
    assert!(out.join("sitemap.xml").is_file());
    // the page speaks the language of the page it leads to, and names its canonical URL
    let page = fs::read_to_string(out.join("kb/a1-ar/index.html")).unwrap();
    assert!(page.contains("<html lang=\"ar\" dir=\"rtl\">"), "{page}");
    assert!(
        page.contains("<link rel=\"canonical\" href=\"https://fixture.example/ar/A-1/\">"),
        "{page}"
    );
    assert!(
        page.contains("<a href=\"../../ar/A-1/index.html\">"),
        "{page}"
    );
}

/// Mistypes `title:` in the translation `rel` so that it does not load; the problems
/// `check` then reports, which name the file and the mistyped key.
fn mistype_title(root: &Path, rel: &str) -> Vec<String> {
    edit(root, rel, "title:", "titel:");
    let all = problems(root);
    assert!(
        all.iter()
            .any(|p| p.contains(rel.rsplit('/').next().unwrap()) && p.contains("titel")),
        "{}",
        all.join("\n")
    );
    all
}

/// A default-locale translation that does not load (a mistyped key) is one error, not also
/// "check … needs its messages in the default locale, which has no translation" with a
/// help to add the file that is there.
#[test]
fn a_default_translation_that_fails_to_load_is_not_also_missing_for_the_checker() {
    let tmp = example_copy();
    let all = mistype_title(tmp.path(), "content/advisories/954474/en-US.md");
    assert!(
        !all.iter().any(|p| p.contains("needs its messages")),
        "{}",
        all.join("\n")
    );
}

#[test]
fn a_translation_that_fails_to_load_is_not_also_a_legacy_url_warning() {
    let tmp = fixture("basic");
    add_legacy_urls_to_b2(tmp.path(), "  en-US: \"https://old.example/kb/b2\"\n");
    let all = mistype_title(tmp.path(), "content/advisories/B-2/en-US.md");
    assert!(
        !all.iter().any(|p| p.contains("gets no redirect")),
        "{}",
        all.join("\n")
    );
}

#[test]
fn log_check_without_a_default_locale_translation_is_one_error() {
    let tmp = example_copy();
    fs::remove_file(tmp.path().join("content/advisories/954474/en-US.md")).unwrap();
    let all = problems(tmp.path());
    let hits = all
        .iter()
        .filter(|p| p.contains("needs its messages in the default locale `en-US`"))
        .count();
    assert_eq!(hits, 1, "{}", all.join("\n"));
}

/// "path:line:column" of the first line of `path` (under `root`) that holds `needle`.
fn spot_of(root: &Path, path: &str, needle: &str) -> String {
    let text = fs::read_to_string(root.join(path)).unwrap();
    let (i, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .unwrap_or_else(|| panic!("`{needle}` is not in {path}"));
    let column = line[..line.find(needle).unwrap()].chars().count() + 1;
    format!("{path}:{}:{column}", i + 1)
}

/// A verdict message holding a name in braces that is not a placeholder (`{lien}` for
/// `{line}`, `{ line }`) is a warning at it: the page showed it as it is. Other braces
/// (`{}`) pass.
#[test]
fn a_check_message_with_an_unknown_placeholder_is_a_warning_at_it() {
    let tmp = example_copy();
    let file = "content/advisories/954474/pt-BR.md";
    edit(
        tmp.path(),
        file,
        "(linha {line})",
        "(linha {lien}) {linha} { line } {}",
    );
    assert_problem(
        tmp.path(),
        &[
            "warning: message `affected` of check `msa954474-wsyncmgr-legacy-sync` holds `{lien}`, which is not a placeholder",
            &spot_of(tmp.path(), file, "{lien}"),
            "help: did you mean `{line}`?",
        ],
    );
    assert_problem(
        tmp.path(),
        &[
            "holds `{linha}`",
            &spot_of(tmp.path(), file, "{linha}"),
            "help: a message may hold `{line}`, `{file}`, `{session_line}`",
        ],
    );
    assert_problem(
        tmp.path(),
        &[
            "holds `{ line }`",
            "help: write it without spaces: `{line}`",
        ],
    );
    let all = problems(tmp.path());
    assert_eq!(
        all.iter()
            .filter(|p| p.contains("not a placeholder"))
            .count(),
        3,
        "{}",
        all.join("\n")
    );
}

/// A misspelt built-in string in a site's `main.ftl` replaces nothing: a warning at it
/// says what it most likely meant, and the other locales are not asked for the typo.
#[test]
fn a_misspelt_string_in_a_sites_main_ftl_is_named_not_spread() {
    let tmp = example_copy();
    write(
        tmp.path(),
        "locales/pt-BR/main.ftl",
        "# a comment\nmeta-kbb = Artigos da KB\n",
    );
    let found = problems(tmp.path());
    assert_problem(
        tmp.path(),
        &[
            "warning: `meta-kbb` is not one of avisa's UI strings of `main.ftl`, so it replaces none",
            "locales/pt-BR/main.ftl:2:1",
            "help: did you mean `meta-kb`?",
        ],
    );
    assert_eq!(
        found.iter().filter(|p| p.contains("meta-kbb")).count(),
        1,
        "{found:#?}"
    );
    // a string of the site's own, in a file of another name, is asked of every locale
    write(tmp.path(), "locales/pt-BR/site.ftl", "footer-note = Nota\n");
    assert_problem(tmp.path(), &["missing UI string `footer-note` in `es-ES`"]);
}

/// An error in one file does not hide what another file's values say against it, nor
/// an error in a translation its other keys' problems: a misspelt key in `advisory.yaml`
/// still lets the translations be checked against its revisions, and a translation with
/// a key it may not have still has its `log_check_messages` checked.
#[test]
fn an_error_hides_no_problem_of_the_values_that_read() {
    let tmp = example_copy();
    let dir = "content/advisories/954474";
    let edit =
        |file: &str, from: &str, to: &str| edit(tmp.path(), &format!("{dir}/{file}"), from, to);
    edit(
        "es-ES.md",
        "translated_from_revision: \"1.1\"",
        "translated_from_revision: \"9.9\"",
    );
    edit("advisory.yaml", "\npublished:", "\npublishd:");
    edit(
        "pt-BR.md",
        "  msa954474-wsyncmgr-legacy-sync:",
        "  msa954474-wsyncmgr-legacy-snyc:",
    );
    edit("pt-BR.md", "\nsummary:", "\nkb: [\"954474\"]\nsummary:");
    for needles in [
        &["unknown field `publishd`", "advisory.yaml:"][..],
        &[
            "`translated_from_revision` `9.9` is not a revision of this advisory",
            "es-ES.md:",
            "help: use one of the revision numbers in `advisory.yaml`: `1.0`, `1.1`",
        ],
        &["unknown field `kb`", "pt-BR.md:"],
        &[
            "names `msa954474-wsyncmgr-legacy-snyc`, which is not a check of this advisory",
            "help: did you mean `msa954474-wsyncmgr-legacy-sync`?",
        ],
    ] {
        assert_problem(tmp.path(), needles);
    }
    // a key set aside (not a misspelling) leaves the advisory's values unknown: nothing is
    // checked against what is left, which could be missing what was set aside
    edit("advisory.yaml", "\npublishd:", "\npublished:");
    edit(
        "advisory.yaml",
        "\nrevisions:",
        "\nrevisions: 3\nxyzzy_extra:",
    );
    let found = problems(tmp.path()).join("\n");
    assert!(
        !found.contains("is not a revision of this advisory"),
        "{found}"
    );
}

#[test]
fn misspelled_log_check_names_are_found_where_they_are_with_what_was_meant() {
    let tmp = example_copy();
    let dir = "content/advisories/954474";
    let edit =
        |file: &str, from: &str, to: &str| edit(tmp.path(), &format!("{dir}/{file}"), from, to);
    // a message key no rule uses, and a check id no check has
    edit(
        "pt-BR.md",
        "    zero_without_error:",
        "    zero_without_eror:",
    );
    edit(
        "es-ES.md",
        "  msa954474-wsyncmgr-legacy-sync:",
        "  msa954474-wsyncmgr-legacy-snyc:",
    );
    assert_problem(
        tmp.path(),
        &[
            "warning: message `zero_without_eror` of check `msa954474-wsyncmgr-legacy-sync` is used by none of its rules",
            &spot_of(tmp.path(), &format!("{dir}/pt-BR.md"), "zero_without_eror:"),
            "help: did you mean `zero_without_error`?",
        ],
    );
    assert_problem(
        tmp.path(),
        &[
            "names `msa954474-wsyncmgr-legacy-snyc`, which is not a check of this advisory",
            &spot_of(
                tmp.path(),
                &format!("{dir}/es-ES.md"),
                "msa954474-wsyncmgr-legacy-snyc:",
            ),
            "help: did you mean `msa954474-wsyncmgr-legacy-sync`?",
        ],
    );
    // a message missing in a locale: at that locale's messages of the check
    assert_problem(
        tmp.path(),
        &[
            "message `zero_without_error` of check `msa954474-wsyncmgr-legacy-sync` is missing in `pt-BR`",
            &spot_of(
                tmp.path(),
                &format!("{dir}/pt-BR.md"),
                "msa954474-wsyncmgr-legacy-sync:",
            ),
        ],
    );
    // the `title` key heads the checker: not reported as unused
    assert!(
        !problems(tmp.path())
            .iter()
            .any(|p| p.contains("message `title`")),
    );
    // an unknown signal in the evidence of a verdict rule after the first
    let yaml = fs::read_to_string(tmp.path().join(dir).join("advisory.yaml")).unwrap();
    let later = yaml
        .lines()
        .find(|l| l.contains("evidence:") && l.contains(", legacy_sync]"))
        .expect("a later rule's evidence ends with legacy_sync")
        .to_string();
    assert!(
        yaml.find(&later).unwrap() > yaml.find("evidence:").unwrap(),
        "the edited evidence must not be the first rule's"
    );
    edit(
        "advisory.yaml",
        &later,
        &later.replace(", legacy_sync]", ", legacy_synk]"),
    );
    assert_problem(
        tmp.path(),
        &[
            "unknown signal `legacy_synk`",
            &spot_of(tmp.path(), &format!("{dir}/advisory.yaml"), "legacy_synk"),
            "help: did you mean `legacy_sync`?",
        ],
    );
}

#[test]
fn each_page_gets_its_own_revision_count_in_one_build() {
    // UI strings are formatted once per distinct call; calls that differ only in
    // `count` must still give each page its own plural.
    let tmp = fixture("basic");
    let files = build(tmp.path());
    let mut counts = Vec::new();
    for id in ["A-1", "B-2", "C-3"] {
        let page = &files[&format!("en-US/{id}/index.html")];
        let plain = page.replace(['\u{2068}', '\u{2069}'], "");
        let n = page.matches("<span class=\"rev-number\">").count();
        let expected = if n == 1 {
            "(1 revision)".to_string()
        } else {
            format!("({n} revisions)")
        };
        assert!(plain.contains(&expected), "{id}: {expected}");
        counts.push(n);
    }
    counts.sort();
    counts.dedup();
    assert!(
        counts.len() > 1,
        "the fixture needs advisories with different revision counts: {counts:?}"
    );
}

/// A generated site of `n` advisories (`G0000`, `G0001`, …, each one day newer than the
/// one before) in en-US and pt-BR; `extra` is appended to `site.yaml`.
fn large_site(n: usize, extra: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "content/site.yaml",
        &format!(
            "title: Generated\nbase_url: https://gen.example/\ndefault_locale: en-US\nlocales: [en-US, pt-BR]\n{extra}"
        ),
    );
    for i in 0..n {
        let (year, month, day) = (2000 + i / 336, i % 336 / 28 + 1, i % 28 + 1);
        let dir = format!("content/advisories/G{i:04}");
        write(
            tmp.path(),
            &format!("{dir}/advisory.yaml"),
            &format!("id: G{i:04}\nkind: security\npublished: {year}-{month:02}-{day:02}\n"),
        );
        for l in ["en-US", "pt-BR"] {
            write(
                tmp.path(),
                &format!("{dir}/{l}.md"),
                &format!("---\ntitle: Advisory {i} in {l}\n---\n\nText.\n"),
            );
        }
    }
    tmp
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn a_large_site_gets_a_sitemap_index_paginated_indexes_and_bounded_feeds() {
    let site = large_site(520, "");
    let files = build(site.path());

    // 1 root + 2 locale indexes + 1040 advisory pages = 1043 URLs: two sitemap parts
    let index = &files["sitemap.xml"];
    assert!(index.contains("<sitemapindex"), "{index}");
    assert!(index.contains("<loc>https://gen.example/sitemap-1.xml</loc>"));
    assert!(index.contains("<loc>https://gen.example/sitemap-2.xml</loc>"));
    assert!(!files.contains_key("sitemap-3.xml"));
    assert_eq!(count(&files["sitemap-1.xml"], "<url>"), 1000);
    assert_eq!(count(&files["sitemap-2.xml"], "<url>"), 43);
    let locs: std::collections::BTreeSet<&str> = ["sitemap-1.xml", "sitemap-2.xml"]
        .iter()
        .flat_map(|f| files[*f].split("<loc>").skip(1))
        .map(|s| s.split("</loc>").next().unwrap())
        .collect();
    assert_eq!(locs.len(), 1043);
    assert!(locs.contains("https://gen.example/pt-BR/G0519/"));
    // each part's lastmod is that of its newest page (G0498 ends part 1, G0519 is newest)
    assert!(
        index.contains("sitemap-1.xml</loc>\n    <lastmod>2001-06-23</lastmod>"),
        "{index}"
    );
    assert!(
        index.contains("sitemap-2.xml</loc>\n    <lastmod>2001-07-16</lastmod>"),
        "{index}"
    );

    // 520 advisories at 50 a page: 11 pages per locale, newest first
    let first = &files["pt-BR/index.html"];
    let last = &files["pt-BR/page/11/index.html"];
    assert!(!files.contains_key("pt-BR/page/12/index.html"));
    assert!(!files.contains_key("pt-BR/page/1/index.html"));
    assert_eq!(count(first, "<li class=\"entry"), 50);
    assert_eq!(count(last, "<li class=\"entry"), 20);
    assert!(first.contains("Advisory 519 in pt-BR"));
    assert!(last.contains("Advisory 0 in pt-BR"));
    assert!(!last.contains("Advisory 20 in pt-BR"));
    let second = &files["pt-BR/page/2/index.html"];
    assert!(second.contains("<link rel=\"prev\" href=\"../../index.html\">"));
    assert!(second.contains("<link rel=\"next\" href=\"../3/index.html\">"));
    assert!(second.contains("<span aria-current=\"page\">2</span>"));
    // a later page has no equivalent in another locale: the switcher leads to page 1
    assert!(second.contains("href=\"../../../en-US/index.html\""));
    // and it names no alternates: not even an `x-default` (the root, which does not name
    // it back)
    assert!(!second.contains("rel=\"alternate\" hreflang="), "{second}");
    assert!(first.contains("hreflang=\"x-default\" href=\"https://gen.example/\""));
    assert!(first.contains(
        "<link rel=\"alternate\" hreflang=\"en-US\" href=\"https://gen.example/en-US/\">"
    ));
    assert!(first.contains("href=\"page/11/index.html\">11</a>"));

    // feeds: the 50 newest
    let feed = &files["en-US/atom.xml"];
    assert_eq!(count(feed, "<entry>"), 50);
    assert!(feed.contains("Advisory 519 in en-US"));
    assert!(!feed.contains("Advisory 469 in en-US"));
}

#[test]
fn paginate_by_and_feed_limit_zero_list_everything_on_one_page() {
    let site = large_site(60, "paginate_by: 0\nfeed_limit: 0\n");
    let files = build(site.path());
    assert_eq!(count(&files["en-US/index.html"], "<li class=\"entry"), 60);
    assert!(!files["en-US/index.html"].contains("class=\"pager\""));
    assert!(!files.keys().any(|k| k.contains("/page/")));
    assert_eq!(count(&files["en-US/atom.xml"], "<entry>"), 60);
    assert!(files["sitemap.xml"].contains("<urlset"));

    let site = large_site(7, "paginate_by: 3\nfeed_limit: 2\n");
    let files = build(site.path());
    assert_eq!(
        count(&files["pt-BR/page/3/index.html"], "<li class=\"entry"),
        1
    );
    assert_eq!(count(&files["pt-BR/atom.xml"], "<entry>"), 2);
}

#[test]
fn a_standard_output_that_cannot_be_written_is_exit_code_2_not_a_panic() {
    use std::process::{Command, Stdio};
    let site = example_copy();
    // a reader that went away (`avisa check | head -0`): no message, exit code 2
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_avisa"))
        .args(["check", "--root"])
        .arg(site.path())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // a full disk: exit code 2 and why; the site was built all the same
    let full = fs::File::create("/dev/full").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_avisa"))
        .args(["build", "--root"])
        .arg(site.path())
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("error: cannot write to standard output: No space left on device"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(site.path().join("public/pt-BR/954474/index.html").is_file());
}

#[test]
fn hidden_files_and_folders_among_the_advisories_are_not_the_site_s() {
    let site = example_copy();
    write(
        site.path(),
        "content/advisories/.git/HEAD",
        "ref: refs/heads/main\n",
    );
    write(
        site.path(),
        "content/advisories/.vscode/settings.json",
        "{}\n",
    );
    write(site.path(), "content/advisories/.DS_Store", "x");
    let out = avisa()
        .args(["build", "--strict", "--root"])
        .arg(site.path())
        .assert()
        .code(0);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(!stderr.contains(".git"), "{stderr}");
    assert!(!stderr.contains(".vscode"), "{stderr}");
    assert!(!site.path().join("public/en-US/.git").exists());
}
