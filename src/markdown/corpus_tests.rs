//! Tests on the real advisories in `../shared/corpus/ms-security-updates`: every file
//! renders safely, advisory 954474 renders exactly as published in both locales, and the
//! hard cases found in the corpus (HTML tables with Markdown cells, alerts in lists,
//! pseudo-code in list items, comments, a BOM without front matter) keep their content.

use std::path::{Path, PathBuf};

use super::sanitize::sanitize_html;
use super::sanitize_reference::{ammonia_clean, dom_violations};
use super::{MarkdownOptions, render_markdown, render_markdown_with, render_with_sanitizer};

const CORPUS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpus/ms-security-updates"
);

/// Every `.md` file of both locales, sorted.
fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(CORPUS)
        .into_iter()
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.into_path())
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "md")
                && path
                    .strip_prefix(CORPUS)
                    .is_ok_and(|rel| rel.starts_with("pt-BR") || rel.starts_with("es-ES"))
        })
        .collect();
    files.sort();
    files
}

/// The Markdown body of a corpus file: without a leading BOM and, when the file starts
/// with a `---` line, without everything up to and including the second `---` line.
fn markdown_body(text: &str) -> &str {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut offset = 0;
    let mut fences = 0;
    for line in text.split_inclusive('\n') {
        let is_fence = line.trim_end() == "---";
        if offset == 0 && !is_fence {
            return text;
        }
        offset += line.len();
        if is_fence {
            fences += 1;
            if fences == 2 {
                return &text[offset..];
            }
        }
    }
    text
}

fn render_file(rel: &str) -> String {
    let path = Path::new(CORPUS).join(rel);
    let text = std::fs::read_to_string(&path).expect("corpus file is readable UTF-8");
    render_markdown(markdown_body(&text)).as_str().to_owned()
}

/// The HTML `render_markdown` produces before sanitizing.
fn unsanitized_html(src: &str) -> String {
    render_with_sanitizer(src, &MarkdownOptions::default(), str::to_owned)
        .html
        .0
}

/// Counts of `<` (tags; text `<` is always escaped) and `="` (attributes).
fn structure_counts(html: &str) -> (usize, usize) {
    (html.matches('<').count(), html.matches("=\"").count())
}

#[test]
fn markdown_body_strips_bom_and_front_matter_only_when_present() {
    let cases = [
        ("---\ntitle: x\n---\nbody\n", "body\n"),
        ("\u{feff}---\r\ntitle: x\r\n---\r\nbody\r\n", "body\r\n"),
        (
            "\u{feff}# no front matter\n---\n",
            "# no front matter\n---\n",
        ),
        ("body only\n", "body only\n"),
    ];
    for (text, want) in cases {
        assert_eq!(markdown_body(text), want, "{text:?}");
    }
}

#[test]
fn every_corpus_file_renders_without_scripts_handlers_or_javascript_urls() {
    let files = corpus_files();
    assert_eq!(
        files.len(),
        326,
        "the corpus should hold 326 Markdown files"
    );
    let handler = regex::Regex::new(r#"(?i)<[a-z][^>]*\son[a-z]+\s*="#).expect("valid regex");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("corpus file is readable UTF-8");
        let html = render_markdown(markdown_body(&text));
        let html = html.as_str();
        let name = path.display();
        assert!(!html.trim().is_empty(), "{name}: empty output");
        let lower = html.to_ascii_lowercase();
        assert!(!lower.contains("<script"), "{name}: script survived");
        assert!(
            !lower.contains("javascript:"),
            "{name}: javascript: survived"
        );
        assert!(!handler.is_match(html), "{name}: event handler survived");
        assert!(
            !lower.contains(" style="),
            "{name}: style attribute survived"
        );
    }
}

#[test]
fn every_corpus_file_holds_nothing_outside_the_allowlist_as_a_browser_parses_it() {
    let mut failures = Vec::new();
    for path in corpus_files() {
        let text = std::fs::read_to_string(&path).expect("corpus file is readable UTF-8");
        let html = render_markdown(markdown_body(&text));
        let problems = dom_violations(html.as_str());
        if !problems.is_empty() {
            failures.push(format!("{}: {problems:?}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn streaming_sanitizer_keeps_what_ammonia_kept_on_every_corpus_file() {
    // The reference is ammonia over the whole document, as before; passing the new
    // output through ammonia again only normalizes serialization, so the DOMs must match.
    let mut differ = Vec::new();
    for path in corpus_files() {
        let text = std::fs::read_to_string(&path).expect("corpus file is readable UTF-8");
        let body = markdown_body(&text);
        let html = render_markdown(body);
        let old = ammonia_clean(&unsanitized_html(body));
        if ammonia_clean(html.as_str()) != old {
            differ.push(path.display().to_string());
        }
    }
    assert_eq!(differ, Vec::<String>::new());
}

#[test]
fn sanitizing_only_the_raw_html_gives_the_whole_document_result_on_every_corpus_file() {
    let mut differ = Vec::new();
    for path in corpus_files() {
        let text = std::fs::read_to_string(&path).expect("corpus file is readable UTF-8");
        let body = markdown_body(&text);
        let whole = render_with_sanitizer(body, &MarkdownOptions::default(), sanitize_html);
        if render_markdown(body) != whole.html {
            differ.push(path.display().to_string());
        }
    }
    assert_eq!(differ, Vec::<String>::new());
}

#[test]
fn sanitizing_rendered_corpus_output_again_changes_no_tag_or_attribute() {
    // Input without raw HTML skips the sanitizer; this shows that skipping it loses
    // nothing, and that sanitized output is stable.
    for path in corpus_files() {
        let text = std::fs::read_to_string(&path).expect("corpus file is readable UTF-8");
        let html = render_markdown(markdown_body(&text));
        let again = sanitize_html(html.as_str());
        assert_eq!(
            structure_counts(html.as_str()),
            structure_counts(&again),
            "{}",
            path.display()
        );
    }
}

#[test]
fn sanitizing_every_generated_construct_changes_no_tag_or_attribute() {
    let src = "# Title {#t}\n\n## Versões afetadas\n\n| a | b | c |\n|:--|:-:|--:|\n| **x** | [l](https://a.example/?a=1&b=2 \"t\") | `c` |\n\n\
               - [x] done\n- [ ] todo\n\n1. one\n2. two\n\n3. three\n\n> [!TIP]\n> Tip.\n\n> quote\n\n\
               Text[^n] and ![img](img/a.png \"t\") ~~del~~ *em* <https://a.example/>  \nnext\n\n\
               ```rust\nfn main() {}\n```\n\n    indented\n\n---\n\n[^n]: Note *one*.\n";
    let html = render_markdown(src);
    let again = sanitize_html(html.as_str());
    assert_eq!(
        structure_counts(html.as_str()),
        structure_counts(&again),
        "{}\n---\n{again}",
        html.as_str()
    );
}

#[test]
fn advisory_954474_renders_as_published_in_both_locales() {
    let pt_br_log =
        "C:\\Program Files\\Microsoft ConfigurationManager\\bin\\i386\\updatewuscatalog.exe";
    let es_es_log =
        "C:\\Program Files\\Microsoft Configuration Manager\\bin\\i386\\updatewuscatalog.exe";
    let cases = [
        (
            "pt-BR/2008/954474.md",
            pt_br_log,
            "<table><thead><tr><th>Referências</th><th>Identificação</th></tr></thead><tbody>\n\
             <tr><td><strong>Artigo do Microsoft Knowledge Base</strong></td>\
             <td><a href=\"http://support.microsoft.com/kb/954474\">954474</a></td></tr>\n</tbody></table>",
            "<table><thead><tr><th></th></tr></thead><tbody>\n<tr><td>Software relacionado</td></tr>\n",
            "<strong>Qual é o escopo do comunicado?</strong><br",
        ),
        (
            "es-ES/2008/954474.md",
            es_es_log,
            "<table><thead><tr><th>Referencias</th><th>Identificación</th></tr></thead><tbody>\n\
             <tr><td><strong>En el artículo de Microsoft Knowledge Base</strong></td>\
             <td><a href=\"http://support.microsoft.com/kb/954474\">954474</a></td></tr>\n</tbody></table>",
            "<table><thead><tr><th></th></tr></thead><tbody>\n<tr><td>Software relacionado</td></tr>\n",
            "<strong>¿Cuál es el alcance de este documento informativo?</strong><br",
        ),
    ];
    let log_lines = [
        "Performing legacy sync",
        "STATMSG: ID=6709 SEV=I LEV=M SOURCE=\"SMS Server\" COMP=\"SMS_WSUS_SYNC_MANAGER\" …",
        "Started with command line: {exe} …",
        "Processing security catalog C:\\Program Files\\Microsoft Updates Inventory Tool\\PkgSource\\wsusscn2.cab ...",
        "Initializing catalog C:\\Program Files\\Microsoft Updates Inventory Tool\\PkgSource\\wsusscn2.cab for synchronization.",
        "Pre-processing updates...",
        "Error 0x80004005, Unexpected DeploymentAction for update 1293995. Returned from CreateUpdateNode",
        "Updates summary: 0 processed, 0 matched, 0 outdated, 0 updated",
    ];
    for (rel, exe, references, software, hard_break) in cases {
        let html = render_file(rel);
        assert!(html.contains(references), "{rel}: references table\n{html}");
        assert!(html.contains(software), "{rel}: software table\n{html}");
        assert!(
            html.contains("href=\"https://support.microsoft.com/common/survey.aspx?scid=sw;en;1257&amp;showpage=1&amp;ws=technet&amp;sd=tech\""),
            "{rel}: survey link\n{html}"
        );
        assert!(!html.contains("&amp;amp;"), "{rel}: double escaping");
        // the hard break renders as `<br>` or `<br />` depending on the sanitizer pass
        let after = html.split(hard_break).nth(1).unwrap_or_default();
        assert!(
            after.starts_with(">\n") || after.starts_with(" />\n"),
            "{rel}: hard break\n{html}"
        );
        assert_eq!(
            html.matches("<span").count(),
            html.matches("<span></span>").count(),
            "{rel}: `<span></span>` stays empty"
        );

        // the eight log lines: in order, each its own paragraph, inside one list item
        let first = html
            .find("<li>\n<p>Performing legacy sync</p>")
            .unwrap_or_else(|| panic!("{rel}: log list item\n{html}"));
        let item = &html[first..];
        let item = &item[..item.find("</li>").expect("list item ends")];
        let mut rest = item;
        for line in log_lines {
            let line = line.replace("{exe}", exe);
            let wanted = format!("<p>{line}</p>\n");
            let at = rest
                .find(&wanted)
                .unwrap_or_else(|| panic!("{rel}: {wanted:?} missing or out of order\n{item}"));
            rest = &rest[at + wanted.len()..];
        }
        assert_eq!(item.matches("<p>").count(), 8, "{rel}: {item}");
    }
}

#[test]
fn corpus_hard_cases_keep_their_content() {
    // (file, must contain, must not contain)
    let cases: &[(&str, &[&str], &[&str])] = &[
        (
            // Markdown inside raw HTML table cells, `style` and `class` on cells
            "es-ES/2014/2960358.md",
            &[
                "<td>\n<strong>Sistema operativo</strong>\n</td>",
                "<td colspan=\"2\">\n<strong>Windows 7</strong>\n</td>",
                "<a href=\"http://www.microsoft.com/downloads/details.aspx?familyid=242bb1e8-ec99-46a7-9bee-371f7ae3472e\">Microsoft .NET Framework 3.5.1</a><sup>[1]</sup>\n(2898851)",
                "<col width=\"50%\" />",
                "KB2938780<br />\n&quot;ThisVersionInstalled&quot; = &quot;Y&quot;</td>",
            ],
            &[
                "**Sistema operativo**",
                "](http",
                "border:1px",
                "class=\"odd\"",
            ],
        ),
        (
            // GFM alerts nested in list items
            "es-ES/2014/2871997.md",
            &[
                "<div class=\"alert alert-note\" role=\"note\">\n<p class=\"alert-title\">Note</p>\n<p><strong>Nota</strong> Las ediciones compatibles",
            ],
            &["[!NOTE]"],
        ),
        (
            // pseudo-code (a .reg file) indented in a list item, with escapes and a hard break
            "es-ES/2008/953839.md",
            &[
                "Editor del Registro de Windows versión 5.00<br />\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Internet Explorer\\ActiveX Compatibility\\{",
                "\"Compatibility Flags\"=dword:00000400</p>",
            ],
            &["\\[HKEY", "HKEY\\_"],
        ),
        (
            // HTML comments between blocks
            "es-ES/2014/2755801.md",
            &[],
            &["<!--"],
        ),
        (
            // a fenced code sample that contains `<input type="submit">`
            "pt-BR/2016/3137909.md",
            &[
                "@&lt;text&gt;[&lt;input type=\"submit\" value=\"Remove\" class=\"btn-link\" /&gt;]&lt;/text&gt;",
            ],
            &["<input"],
        ),
        (
            // a UTF-8 BOM and no front matter
            "pt-BR/2018/4092731.md",
            &["<h1 id="],
            &["\u{feff}", "<p>---"],
        ),
        (
            // setext headings and a title heading
            "pt-BR/2008/954474.md",
            &[
                "<h1 id=\"comunicado-de-seguranca-da-microsoft-954474\">Comunicado de Segurança da Microsoft 954474</h1>",
                "<h2 id=\"visao-geral\">Visão geral</h2>",
                "<h2 id=\"perguntas-frequentes\">Perguntas freqüentes</h2>",
            ],
            &["-----"],
        ),
    ];
    for (rel, wanted, unwanted) in cases {
        let html = render_file(rel);
        for w in *wanted {
            assert!(html.contains(w), "{rel}: {w:?} missing in\n{html}");
        }
        for u in *unwanted {
            assert!(!html.contains(u), "{rel}: {u:?} survived in\n{html}");
        }
    }
}

#[test]
fn corpus_headings_get_unique_ids() {
    for path in corpus_files() {
        let text = std::fs::read_to_string(&path).expect("corpus file is readable UTF-8");
        let rendered = render_markdown_with(markdown_body(&text), &Default::default());
        let mut ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(
            ids.len(),
            count,
            "{}: duplicate heading ids",
            path.display()
        );
        assert!(ids.iter().all(|id| !id.is_empty()), "{}", path.display());
    }
}

/// Benchmark, not a test: `cargo test --release --lib sanitizer_throughput -- --ignored
/// --nocapture`. Renders every corpus file (`AVISA_BENCH_ROUNDS` times, default 10) with
/// the old and the new sanitizer over whole documents and with the new one over the raw
/// HTML spans only (what the build does), and times the sanitizers alone on the
/// documents that hold raw HTML; prints MB/s of input.
#[test]
#[ignore = "benchmark; run in release with --ignored --nocapture"]
fn sanitizer_throughput() {
    use std::time::Instant;
    let rounds: usize = std::env::var("AVISA_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let bodies: Vec<String> = corpus_files()
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("corpus file is readable UTF-8");
            markdown_body(&text).to_owned()
        })
        .collect();
    let markdown_bytes: usize = bodies.iter().map(String::len).sum::<usize>() * rounds;
    let options = MarkdownOptions::default();
    type Sanitizer = fn(&str) -> String;
    let sanitizers: [(&str, Sanitizer); 3] = [
        ("none (skip sanitizing)", str::to_owned),
        ("ammonia (old)", ammonia_clean),
        ("lol_html (new)", sanitize_html),
    ];
    println!(
        "{} files x {rounds} rounds, {:.1} MB of Markdown",
        bodies.len(),
        markdown_bytes as f64 / 1e6
    );
    // warm up caches, lazy statics and the allocator once for every sanitizer
    for (_, sanitize) in sanitizers {
        for body in &bodies {
            std::hint::black_box(render_with_sanitizer(body, &options, sanitize));
        }
    }
    for (name, sanitize) in sanitizers {
        let start = Instant::now();
        let mut out_bytes = 0;
        for _ in 0..rounds {
            for body in &bodies {
                out_bytes += render_with_sanitizer(body, &options, sanitize).html.0.len();
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "render_markdown_with, {name:24}: {secs:7.3} s, {:6.1} MB/s of Markdown ({out_bytes} bytes out)",
            markdown_bytes as f64 / 1e6 / secs
        );
    }
    let start = Instant::now();
    let mut out_bytes = 0;
    for _ in 0..rounds {
        for body in &bodies {
            out_bytes += render_markdown_with(body, &options).html.0.len();
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "render_markdown_with, {:24}: {secs:7.3} s, {:6.1} MB/s of Markdown ({out_bytes} bytes out)",
        "lol_html, raw spans only",
        markdown_bytes as f64 / 1e6 / secs
    );
    // the documents `render_markdown_with` sanitizes: those with raw HTML
    let with_html: Vec<String> = bodies
        .iter()
        .filter(|body| {
            pulldown_cmark::Parser::new(body).any(|event| {
                matches!(
                    event,
                    pulldown_cmark::Event::Html(_) | pulldown_cmark::Event::InlineHtml(_)
                )
            })
        })
        .map(|body| unsanitized_html(body))
        .collect();
    let html_bytes: usize = with_html.iter().map(String::len).sum::<usize>() * rounds;
    for (name, sanitize) in &sanitizers[1..] {
        let start = Instant::now();
        for _ in 0..rounds {
            for html in &with_html {
                std::hint::black_box(sanitize(html));
            }
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "sanitizer alone ({} documents), {name:16}: {secs:7.3} s, {:6.1} MB/s of HTML",
            with_html.len(),
            html_bytes as f64 / 1e6 / secs
        );
    }
}
