//! The one pulldown-cmark setup: CommonMark plus GFM (tables, footnotes, strikethrough,
//! task lists, alerts), `{#id}` and automatic heading ids, Markdown in raw HTML tables.
//! Raw HTML goes through the streaming allowlist in `sanitize`, and only the raw HTML:
//! `transform` keeps pulldown-cmark's own output inside the same allowlist (corpus tests
//! check that sanitizing it would change nothing, and that the output is the same as
//! sanitizing whole documents).

mod escape;
mod html_tables;
mod links;
mod plain;
mod sanitize;
#[cfg(test)]
mod sanitize_reference;
mod transform;

#[cfg(test)]
mod corpus_tests;

use std::cell::Cell;
use std::fmt;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

pub(crate) use escape::{escape_with, push_escaped};
pub(crate) use plain::{PlainCell, PlainTable, inline_to_plain_text, plain_tables};
pub(crate) use transform::Holder;

/// The numeric character references in `body` (Markdown) that stand for a bidi control
/// (`&#x202E;`, `&#8238;`), where the page decodes them: in text and raw HTML, not in code
/// (where they show as written); each with its byte offset and the control, in order. The
/// file check sees only the controls written as themselves.
pub(crate) fn bidi_char_refs(body: &str) -> Vec<(usize, char)> {
    let bytes = body.as_bytes();
    let refs: Vec<(usize, char)> = memchr::memmem::find_iter(bytes, b"&#")
        .filter_map(|i| {
            let rest = &body[i + 2..];
            let (hex, digits) = match rest.strip_prefix(['x', 'X']) {
                Some(h) => (true, h),
                None => (false, rest),
            };
            let len = digits
                .find(|c: char| {
                    !(if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    })
                })
                .unwrap_or(digits.len());
            let n = u32::from_str_radix(&digits[..len.min(12)], if hex { 16 } else { 10 }).ok()?;
            let c = char::from_u32(n).filter(|c| crate::diag::is_bidi_control(*c))?;
            Some((i, c))
        })
        .collect();
    if refs.is_empty() {
        return refs;
    }
    // where the page decodes them: text outside code, and raw HTML
    let mut decoded: Vec<Range<usize>> = Vec::new();
    let mut in_code = 0usize;
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Text(_) if in_code == 0 => decoded.push(range),
            Event::Html(_) | Event::InlineHtml(_) => decoded.push(range),
            _ => {}
        }
    }
    refs.into_iter()
        .filter(|(i, _)| decoded.iter().any(|r| r.contains(i)))
        .collect()
}

/// Where the body's raw HTML gives an element an id, as [`Rendered::raw_id_clashes`]
/// counts them: each id in document order with the byte offset in `body` of its `id`
/// attribute, for warnings.
pub(crate) fn raw_id_places(body: &str) -> Vec<(String, usize)> {
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, parser_options())
        .into_offset_iter()
        .collect();
    transform::read_raw_html(events.iter().map(|(e, r)| (e, r.clone()))).ids
}

/// HTML that is safe to output unescaped (templates get it as `body`, marked safe).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Html(String);

impl Html {
    /// The markup.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The titles printed above GFM alerts (`> [!NOTE]` …), in the page's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AlertTitles {
    /// Title of `> [!NOTE]`.
    pub(crate) note: String,
    /// Title of `> [!TIP]`.
    pub(crate) tip: String,
    /// Title of `> [!IMPORTANT]`.
    pub(crate) important: String,
    /// Title of `> [!WARNING]`.
    pub(crate) warning: String,
    /// Title of `> [!CAUTION]`.
    pub(crate) caution: String,
}

impl Default for AlertTitles {
    /// English titles, as GitHub prints them.
    fn default() -> Self {
        AlertTitles {
            note: "Note".to_owned(),
            tip: "Tip".to_owned(),
            important: "Important".to_owned(),
            warning: "Warning".to_owned(),
            caution: "Caution".to_owned(),
        }
    }
}

/// Localizable words the renderer writes itself; `Default` is English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MarkdownOptions {
    /// Titles of the five GFM alert kinds.
    pub(crate) alert_titles: AlertTitles,
    /// Accessible label of a footnote's back link; the footnote number follows it
    /// after a space ("Back to reference 2").
    pub(crate) footnote_backref_label: String,
    /// Ids the page around the body uses (`main`, …): a heading's automatic id moves
    /// aside from them as from another heading's, so `## Main` does not take `#main`.
    pub(crate) page_ids: Vec<String>,
}

impl Default for MarkdownOptions {
    /// English words.
    fn default() -> Self {
        MarkdownOptions {
            alert_titles: AlertTitles::default(),
            footnote_backref_label: "Back to reference".to_owned(),
            page_ids: Vec::new(),
        }
    }
}

/// One heading of a rendered document, in document order (for tables of contents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Heading {
    /// 1 to 6.
    pub(crate) level: u8,
    /// The `id` attribute: `{#id}` as written, or the unique slug of the text.
    pub(crate) id: String,
    /// The heading's plain text (inline markup removed).
    pub(crate) text: String,
}

/// A rendered Markdown body and the headings it contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rendered {
    /// The sanitized HTML.
    pub(crate) html: Html,
    /// Every heading, in document order, with the id it was given.
    pub(crate) headings: Vec<Heading>,
    /// Ids written as `{#id}` that the page already has (another heading's, one of
    /// `page_ids`, or an element's of the body's HTML), in document order, each with the
    /// id its heading got instead (`-1`… added) and what has it.
    pub(crate) id_clashes: Vec<(String, String, Holder)>,
    /// Ids an element of the body's HTML gives that the page already has (one of
    /// `page_ids`, a footnote's, an earlier element's), in document order, each with
    /// which of the HTML's elements with that id it is (from 0) and what has it. They
    /// stay as written.
    pub(crate) raw_id_clashes: Vec<(String, usize, Holder)>,
    /// The URL of every link and image that points into the site itself (relative or
    /// root-relative), in document order, for the build to check.
    pub(crate) local_urls: Vec<String>,
}

/// Renders a Markdown body (no front matter) to sanitized HTML with English alert titles.
#[cfg(test)]
pub(crate) fn render_markdown(src: &str) -> Html {
    render_markdown_with(src, &MarkdownOptions::default()).html
}

/// Test helper: renders each `(Markdown, wanted, unwanted)` case and asserts that the
/// output holds every wanted string and none of the unwanted ones; returns the outputs.
#[cfg(test)]
fn assert_renders(cases: &[(&str, &[&str], &[&str])]) -> Vec<String> {
    let mut outputs = Vec::new();
    for (src, wanted, unwanted) in cases {
        let out = render_markdown(src).as_str().to_owned();
        for w in *wanted {
            assert!(out.contains(w), "{src:?}: {w:?} missing in {out:?}");
        }
        for u in *unwanted {
            assert!(!out.contains(u), "{src:?}: {u:?} survived in {out:?}");
        }
        outputs.push(out);
    }
    outputs
}

/// Renders a Markdown body (no front matter; a leading UTF-8 BOM is ignored) to
/// sanitized HTML, using the localized words in `options`. Only the raw HTML in it goes
/// through the sanitizer (`sanitize::sanitize_raw_spans`).
pub(crate) fn render_markdown_with(src: &str, options: &MarkdownOptions) -> Rendered {
    render(src, options, None)
}

/// `render_markdown_with`, with `sanitize` applied to the whole of every document that
/// holds raw HTML (tests compare sanitizers through it).
#[cfg(test)]
fn render_with_sanitizer(
    src: &str,
    options: &MarkdownOptions,
    sanitize: fn(&str) -> String,
) -> Rendered {
    render(src, options, Some(sanitize))
}

/// Renders `src`; documents with raw HTML are sanitized by `whole_document`, or, when it
/// is `None`, span by span.
fn render(
    src: &str,
    options: &MarkdownOptions,
    whole_document: Option<fn(&str) -> String>,
) -> Rendered {
    let src = src.strip_prefix('\u{feff}').unwrap_or(src);
    // (a control character in a body was copied into the page as it was)
    let cleaned = escape::without_disallowed(src);
    let src = &*cleaned;
    // the corpus averages one event per 34 bytes of Markdown: reserving one per 24 spares
    // most documents the copies of a growing vector
    let mut events: Vec<Event<'_>> = Vec::with_capacity(src.len() / 24 + 16);
    events.extend(Parser::new_ext(src, parser_options()));
    let has_raw_html = events
        .iter()
        .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let events = if has_raw_html {
        html_tables::expand_markdown_in_html_tables(events)
    } else {
        events
    };
    let transformed = transform::transform(events, options);
    // tables and links make HTML about twice as long as their Markdown
    let mut html = String::with_capacity(2 * src.len() + 256);
    if !has_raw_html {
        pulldown_cmark::html::push_html(&mut html, transformed.events.into_iter());
    } else if let Some(sanitize) = whole_document {
        pulldown_cmark::html::push_html(&mut html, transformed.events.into_iter());
        html = sanitize(&html);
    } else {
        html = match write_tracking_raw_html(&mut html, transformed.events) {
            Some(raw) => sanitize::sanitize_raw_spans(&html, &raw),
            None => sanitize::sanitize_html(&html),
        };
    }
    Rendered {
        html: Html(html),
        headings: transformed.headings,
        id_clashes: transformed.id_clashes,
        raw_id_clashes: transformed.raw_id_clashes,
        local_urls: transformed.local_urls,
    }
}

/// Writes `events` as HTML into `out` and returns the byte ranges where raw HTML events
/// were copied, in order; `None` when one of them was not copied verbatim (never expected:
/// then the caller sanitizes the whole document). Raw HTML inside an image's alt text is
/// escaped by the writer, so it is not raw output and is not tracked.
fn write_tracking_raw_html(out: &mut String, events: Vec<Event<'_>>) -> Option<Vec<Range<usize>>> {
    /// A `fmt::Write` that publishes the output length after every write.
    struct Tracked<'a> {
        out: &'a mut String,
        len: &'a Cell<usize>,
    }
    impl fmt::Write for Tracked<'_> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.out.push_str(s);
            self.len.set(self.out.len());
            Ok(())
        }
    }
    let len = Cell::new(out.len());
    let mut raw: Vec<(usize, CowStr<'_>)> = Vec::new();
    let mut images = 0usize;
    // The writer handles each event completely before it asks for the next, so the
    // length seen when an event is handed over is where that event's output starts.
    let events = events.into_iter().inspect(|event| match event {
        Event::Start(Tag::Image { .. }) => images += 1,
        Event::End(TagEnd::Image) => images = images.saturating_sub(1),
        Event::Html(text) | Event::InlineHtml(text) if images == 0 => {
            raw.push((len.get(), text.clone()));
        }
        _ => {}
    });
    let written = pulldown_cmark::html::write_html_fmt(Tracked { out, len: &len }, events);
    debug_assert!(written.is_ok(), "writing to a String cannot fail");
    let mut spans = Vec::new();
    let mut previous_end = 0;
    for (start, text) in raw {
        let end = start + text.len();
        if start < previous_end || out.get(start..end) != Some(&*text) {
            return None;
        }
        if start < end {
            spans.push(start..end);
        }
        previous_end = end;
    }
    Some(spans)
}

/// CommonMark + GFM; smart punctuation stays off so text renders as published.
fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(src: &str) -> String {
        render_markdown(src).as_str().to_owned()
    }

    #[test]
    fn gfm_features_render_as_html_elements() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "table",
                "| a | b |\n|---|--:|\n| 1 | 2 |\n",
                &[
                    "<table>",
                    "<th>a</th>",
                    "<th align=\"right\">b</th>",
                    "<td>1</td>",
                ],
            ),
            ("strikethrough", "~~gone~~", &["<del>gone</del>"]),
            (
                "task list",
                "- [x] done\n- [ ] todo\n",
                &[
                    "<input disabled=\"\" type=\"checkbox\" checked=\"\"/>",
                    "<input disabled=\"\" type=\"checkbox\"/>",
                ],
            ),
            (
                "fenced code keeps its language class",
                "```rust\nfn main() {}\n```\n",
                &["<pre><code class=\"language-rust\">fn main() {}\n</code></pre>"],
            ),
            (
                "setext heading",
                "Title\n=====\n",
                &["<h1 id=\"title\">Title</h1>"],
            ),
            (
                "indented code block",
                "    if (x < 1) { y(); }\n",
                &["<pre><code>if (x &lt; 1) { y(); }\n</code></pre>"],
            ),
            (
                "entities decode once",
                "&copy; &amp; &#233;",
                &["© &amp; é"],
            ),
            (
                "hard break from two trailing spaces",
                "line one  \nline two",
                &["line one<br />\nline two"],
            ),
        ];
        for (name, src, wanted) in cases {
            let out = html(src);
            for w in *wanted {
                assert!(out.contains(w), "{name}: {w:?} missing in {out:?}");
            }
        }
    }

    #[test]
    fn smart_punctuation_stays_off() {
        let out = html("\"quoted\" -- 'single' ... ---x");
        assert_eq!(out, "<p>\"quoted\" -- 'single' ... ---x</p>\n");
    }

    #[test]
    fn headings_get_unique_transliterated_ids() {
        let src = "# Versões afetadas\n\n## Versões afetadas\n\n## Versões afetadas\n\n\
                   ### !!!\n\n### {#custom}\n\n# Explicit {#mine}\n\n# Mine\n";
        let rendered = render_markdown_with(src, &MarkdownOptions::default());
        let ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "versoes-afetadas",
                "versoes-afetadas-1",
                "versoes-afetadas-2",
                "section",
                "custom",
                "mine",
                "mine-1"
            ]
        );
        let out = rendered.html.as_str();
        assert!(
            out.contains("<h1 id=\"versoes-afetadas\">Versões afetadas</h1>"),
            "{out}"
        );
        assert!(out.contains("<h2 id=\"versoes-afetadas-2\">"), "{out}");
        assert!(out.contains("<h1 id=\"mine\">Explicit</h1>"), "{out}");
        assert_eq!(rendered.headings[0].level, 1);
        assert_eq!(rendered.headings[0].text, "Versões afetadas");
    }

    #[test]
    fn heading_text_includes_code_and_drops_markup() {
        let rendered = render_markdown_with(
            "## The *`wsyncmgr`* [log](x.html)\n",
            &MarkdownOptions::default(),
        );
        assert_eq!(rendered.headings[0].text, "The wsyncmgr log");
        assert_eq!(rendered.headings[0].id, "the-wsyncmgr-log");
    }

    #[test]
    fn automatic_heading_ids_move_aside_from_the_pages_own() {
        let options = MarkdownOptions {
            page_ids: vec!["main".to_string(), "meta-heading".to_string()],
            ..MarkdownOptions::default()
        };
        let rendered = render_markdown_with("## Main\n\n## Meta heading\n\n## Other\n", &options);
        let ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["main-1", "meta-heading-1", "other"]);
        assert!(
            rendered
                .html
                .as_str()
                .contains("<h2 id=\"main-1\">Main</h2>")
        );
    }

    /// An id written as `{#id}` that another heading or the page has already is made
    /// unique like an automatic one, and named, for a warning.
    #[test]
    fn explicit_heading_ids_the_page_has_already_are_moved_aside_and_named() {
        let options = MarkdownOptions {
            page_ids: vec!["main".to_string(), "meta-heading".to_string()],
            ..MarkdownOptions::default()
        };
        let rendered = render_markdown_with(
            "## A {#same}\n\n## B {#same}\n\n## C {#main}\n\n## Same 1\n\n## D {#same}\n",
            &options,
        );
        let ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
        // (in document order: `## Same 1` finds `same-1` taken)
        assert_eq!(ids, ["same", "same-1", "main-1", "same-1-1", "same-2"]);
        let clashes: Vec<(&str, &str, Holder)> = (rendered.id_clashes.iter())
            .map(|(a, b, holder)| (a.as_str(), b.as_str(), *holder))
            .collect();
        assert_eq!(
            clashes,
            [
                ("same", "same-1", Holder::Heading),
                ("main", "main-1", Holder::Page),
                ("same", "same-2", Holder::Heading)
            ]
        );
        let html = rendered.html.as_str();
        assert!(html.contains("<h2 id=\"same-1\">B</h2>"), "{html}");
        assert_eq!(html.matches("id=\"same\"").count(), 1, "{html}");
    }

    /// An id the body's HTML gives an element is the page's too: a heading's `{#id}` or
    /// automatic id moves aside from it, and one the page has already (the page's own, a
    /// footnote's, an earlier element's) is reported, the HTML kept as written.
    #[test]
    fn ids_of_the_bodys_html_are_the_pages_too() {
        let options = MarkdownOptions {
            page_ids: vec!["main".to_string(), "checker-c-title".to_string()],
            ..MarkdownOptions::default()
        };
        let rendered = render_markdown_with(
            "<div id=\"main\">m</div>\n\n## Cell\n\n## X {#x}\n\n<p id=\"x\">a</p>\n\n\
             <p id=\"cell\">b</p>\n\n<p id=\"x\">c</p>\n\n<p id=\"checker-c-title\">d</p>\n\n\
             Note[^1].\n\n<span id=\"fn-1\">e</span>\n\n[^1]: the note\n",
            &options,
        );
        let ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["cell-1", "x-1"]);
        assert_eq!(
            rendered.id_clashes,
            [("x".to_string(), "x-1".to_string(), Holder::Element)]
        );
        let raw: Vec<(&str, usize, Holder)> = (rendered.raw_id_clashes.iter())
            .map(|(id, n, holder)| (id.as_str(), *n, *holder))
            .collect();
        assert_eq!(
            raw,
            [
                ("main", 0, Holder::Page),
                ("x", 1, Holder::Element),
                ("checker-c-title", 0, Holder::Page),
                ("fn-1", 0, Holder::Footnote)
            ]
        );
        let html = rendered.html.as_str();
        assert_eq!(html.matches("id=\"x\"").count(), 2, "{html}");
        // a tag written over the lines of an HTML block; a footnote's id; a link in such a
        // tag; an element the sanitizer drops with its content
        let rendered = render_markdown_with(
            "<div\n  id=\"main\">a</div>\n\n<div\n id=\"intro\"><a\n href=\"../x/\">x</a></div>\n\n\
             ## Intro\n\nNote[^1].\n\n## F {#fn-1}\n\n<noscript><b id=\"f\">n</b></noscript>\n\n## F {#f}\n\n\
             [^1]: the note\n",
            &options,
        );
        let ids: Vec<&str> = rendered.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["intro-1", "fn-1-1", "f"]);
        let raw: Vec<&str> = (rendered.raw_id_clashes.iter())
            .map(|(id, _, _)| id.as_str())
            .collect();
        assert_eq!(raw, ["main"]);
        assert_eq!(
            (rendered.id_clashes.iter())
                .map(|(id, _, holder)| (id.as_str(), *holder))
                .collect::<Vec<_>>(),
            [("fn-1", Holder::Footnote)]
        );
        assert_eq!(rendered.local_urls, ["../x/"]);
    }

    /// Character references to bidi controls count where the page decodes them: in text
    /// and raw HTML, not in code.
    #[test]
    fn bidi_character_references_are_found_where_the_page_decodes_them() {
        let body = "a &#x202E;b `&#x202E;` <b>&#8238;</b>\n\n    &#8238; code\n\n\
                    ```\n&#x202e;\n```\n\n<p>&#X2067;x&#x2069;</p> &#x202F; &#65;\n";
        let found: Vec<(usize, char)> = bidi_char_refs(body);
        let want = [
            (body.find("&#x202E;b").unwrap(), '\u{202E}'),
            (body.find("&#8238;</b>").unwrap(), '\u{202E}'),
            (body.find("&#X2067;").unwrap(), '\u{2067}'),
            (body.find("&#x2069;").unwrap(), '\u{2069}'),
        ];
        assert_eq!(found, want);
        assert!(bidi_char_refs("no references &amp; here").is_empty());
    }

    #[test]
    fn heading_attributes_other_than_id_are_dropped() {
        let out = html("# Title {#t .big onclick=alert(1) style=color:red}\n");
        assert!(out.starts_with("<h1 id=\"t\">Title</h1>"), "{out}");
    }

    #[test]
    fn footnotes_are_collected_at_the_end_with_prefixed_ids() {
        let src = "# Fn 1\n\nFirst[^b] and again[^b], then[^a].\n\n[^a]: Note A.\n\n\
                   [^b]: Note B.\n\n[^unused]: Never cited.\n";
        let rendered = render_markdown_with(src, &MarkdownOptions::default());
        let out = rendered.html.as_str();
        // the heading slug `fn-1` is taken by footnote 1, so it moves aside
        assert_eq!(rendered.headings[0].id, "fn-1-1");
        for wanted in [
            "<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup>",
            "<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1-2\">1</a></sup>",
            "<sup class=\"footnote-ref\"><a href=\"#fn-2\" id=\"fnref-2\">2</a></sup>",
            "<section class=\"footnotes\">",
            "<li id=\"fn-1\">\n<p>Note B. <a href=\"#fnref-1\" class=\"footnote-backref\" \
             aria-label=\"Back to reference 1\">↩</a> <a href=\"#fnref-1-2\" \
             class=\"footnote-backref\" aria-label=\"Back to reference 1\">↩<sup>2</sup></a></p>",
            "<li id=\"fn-2\">\n<p>Note A. <a href=\"#fnref-2\"",
            "<li id=\"fn-3\">\n<p>Never cited.</p>",
        ] {
            assert!(out.contains(wanted), "{wanted:?} missing in {out}");
        }
        assert!(out.find("id=\"fn-1\"") < out.find("id=\"fn-2\""), "{out}");
        assert!(!out.contains("footnote-definition"), "{out}");
    }

    #[test]
    fn undefined_footnote_reference_stays_literal_text() {
        let out = html("See [^nowhere].\n");
        assert!(out.contains("See [^nowhere]."), "{out}");
    }

    #[test]
    fn alerts_render_as_divs_with_localized_titles() {
        let titles = AlertTitles {
            note: "Observação".to_owned(),
            tip: "Dica".to_owned(),
            important: "Importante".to_owned(),
            warning: "Aviso <&>".to_owned(),
            caution: "Cuidado".to_owned(),
        };
        let options = MarkdownOptions {
            alert_titles: titles,
            ..MarkdownOptions::default()
        };
        let cases = [
            ("NOTE", "alert-note", "Observação"),
            ("TIP", "alert-tip", "Dica"),
            ("IMPORTANT", "alert-important", "Importante"),
            ("WARNING", "alert-warning", "Aviso &lt;&amp;&gt;"),
            ("CAUTION", "alert-caution", "Cuidado"),
        ];
        for (marker, class, title) in cases {
            let src = format!("> [!{marker}]\n> Body text.\n");
            let out = render_markdown_with(&src, &options).html.0;
            let want = format!(
                "<div class=\"alert {class}\" role=\"note\">\n<p class=\"alert-title\">{title}</p>\n<p>Body text.</p>\n</div>\n"
            );
            assert_eq!(out, want, "{marker}");
        }
    }

    #[test]
    fn alert_titles_default_to_english() {
        let out = html("> [!WARNING]\n> Careful.\n");
        assert!(
            out.contains("<p class=\"alert-title\">Warning</p>"),
            "{out}"
        );
        let plain = html("> just a quote\n");
        assert_eq!(plain, "<blockquote>\n<p>just a quote</p>\n</blockquote>\n");
    }

    #[test]
    fn leading_bom_is_ignored() {
        assert_eq!(html("\u{feff}# Hi\n"), "<h1 id=\"hi\">Hi</h1>\n");
    }

    #[test]
    fn markdown_links_keep_allowed_urls_and_lose_dangerous_ones() {
        let cases = [
            (
                "[x](http://a.example/?a=1&b=2)",
                Some("http://a.example/?a=1&amp;b=2"),
            ),
            ("[x](https://a.example/)", Some("https://a.example/")),
            ("[x](mailto:a@example.org)", Some("mailto:a@example.org")),
            (
                "[x](../954474/index.html#faq)",
                Some("../954474/index.html#faq"),
            ),
            ("[x](#top)", Some("#top")),
            ("[x](javascript:alert(1))", None),
            ("[x](JaVaScRiPt:alert(1))", None),
            ("[x](<java\tscript:alert(1)>)", None),
            ("[x](&#106;avascript:alert(1))", None),
            ("[x](data:text/html,hi)", None),
            ("[x](vbscript:msgbox)", None),
        ];
        for (src, href) in cases {
            let out = html(src);
            match href {
                Some(h) => assert!(
                    out.contains(&format!("<a href=\"{h}\">x</a>")),
                    "{src}: {out}"
                ),
                None => assert_eq!(out, "<p>x</p>\n", "{src}"),
            }
        }
    }

    #[test]
    fn email_autolinks_become_mailto_links() {
        let out = html("<a@example.org>");
        assert_eq!(
            out,
            "<p><a href=\"mailto:a@example.org\">a@example.org</a></p>\n"
        );
    }

    #[test]
    fn images_keep_http_and_relative_sources_only() {
        let cases = [
            ("![alt](img/a.png)", true),
            ("![alt](https://a.example/a.png)", true),
            ("![alt](javascript:alert(1))", false),
            ("![alt](data:image/png;base64,AAAA)", false),
            ("![alt](mailto:a@example.org)", false),
        ];
        for (src, kept) in cases {
            let out = html(src);
            assert_eq!(out.contains("<img"), kept, "{src}: {out}");
            assert!(out.contains("alt"), "{src}: alt text lost: {out}");
        }
    }
}
