//! The allowlist for raw HTML in Markdown, built on ammonia (never regexes): tables,
//! inline formatting, lists and the classes this module's siblings generate survive;
//! scripts, styles, frames, forms, event handlers, `style` attributes and URLs other
//! than http, https, mailto (links only) and relative ones do not. `is_allowed_url`
//! applies the same URL rule to Markdown links, which never reach the sanitizer.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

/// What a URL is used for: images may not use `mailto:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UrlUse {
    /// `a[href]`.
    Link,
    /// `img[src]`.
    Image,
}

/// True when `url` is relative (no scheme) or its scheme is allowed for `use_`:
/// http and https, plus mailto for links. Leading spaces and control characters and
/// embedded tabs or newlines are ignored first, as browsers do.
pub(super) fn is_allowed_url(url: &str, use_: UrlUse) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    match url_scheme(&cleaned) {
        None => true,
        Some(scheme) => match use_ {
            UrlUse::Link => matches!(scheme.as_str(), "http" | "https" | "mailto"),
            UrlUse::Image => matches!(scheme.as_str(), "http" | "https"),
        },
    }
}

/// The lowercased scheme of `url` (`alpha *(alnum / "+" / "-" / ".") ":"`), if any.
fn url_scheme(url: &str) -> Option<String> {
    let end = url.find(':')?;
    let candidate = &url[..end];
    let mut chars = candidate.chars();
    let first = chars.next()?;
    let is_scheme = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme.then(|| candidate.to_ascii_lowercase())
}

/// Sanitizes a whole rendered document that contained raw HTML.
pub(super) fn sanitize_html(html: &str) -> String {
    SANITIZER.clean(html).to_string()
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(build_sanitizer);

const TAGS: &[&str] = &[
    // tables
    "table",
    "caption",
    "colgroup",
    "col",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    // inline formatting
    "b",
    "strong",
    "i",
    "em",
    "u",
    "s",
    "del",
    "ins",
    "sub",
    "sup",
    "code",
    "kbd",
    "samp",
    "var",
    "mark",
    "small",
    "abbr",
    "br",
    "span",
    "cite",
    "q",
    "dfn",
    // blocks
    "p",
    "div",
    "pre",
    "blockquote",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "details",
    "summary",
    "figure",
    "figcaption",
    "section",
    // links, images, task-list checkboxes
    "a",
    "img",
    "input",
];

/// Tags removed together with everything inside them.
const CLEAN_CONTENT_TAGS: &[&str] = &[
    "script", "style", "iframe", "object", "noscript", "template",
];

/// Attributes allowed on any allowed tag.
const GENERIC_ATTRIBUTES: &[&str] = &["id", "title", "lang", "dir"];

const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "name", "class", "aria-label"]),
    ("img", &["src", "alt", "width", "height"]),
    ("td", &["colspan", "rowspan", "align"]),
    ("th", &["colspan", "rowspan", "align", "scope"]),
    ("col", &["span", "width"]),
    ("colgroup", &["span", "width"]),
    ("ol", &["start", "type", "reversed"]),
    ("li", &["value"]),
    ("details", &["open"]),
    ("input", &["type", "checked"]),
    ("code", &["class"]),
    ("div", &["class", "role"]),
    ("p", &["class"]),
    ("sup", &["class"]),
    ("section", &["class"]),
];

/// The only `class` values kept, per tag: the ones `transform` writes (`code` also keeps
/// pulldown-cmark's `language-*`).
const CLASSES: &[(&str, &[&str])] = &[
    (
        "div",
        &[
            "alert",
            "alert-note",
            "alert-tip",
            "alert-important",
            "alert-warning",
            "alert-caution",
        ],
    ),
    ("p", &["alert-title"]),
    ("sup", &["footnote-ref"]),
    ("a", &["footnote-backref"]),
    ("section", &["footnotes"]),
];

fn build_sanitizer() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::empty();
    let tag_attributes: HashMap<&str, HashSet<&str>> = TAG_ATTRIBUTES
        .iter()
        .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect()))
        .collect();
    builder
        .tags(TAGS.iter().copied().collect())
        .clean_content_tags(CLEAN_CONTENT_TAGS.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(tag_attributes)
        // every surviving `input` is disabled, and `filter_attribute` turns any typed
        // one into a checkbox, as task lists write it; setting only one attribute keeps
        // the output order fixed (ammonia keeps these in a `HashMap`)
        .set_tag_attribute_value("input", "disabled", "")
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        // no `rel` is added: links open in the same tab (`target` is not allowed), so
        // `noopener` protects nothing, and output must not depend on whether this
        // pass ran
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(filter_attribute);
    builder
}

/// Keeps only known `class` tokens and `role="note"`, keeps images off `mailto:`, and
/// makes every `input[type]` a checkbox.
fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    match attribute {
        "class" => {
            let allowed = CLASSES
                .iter()
                .find(|(tag, _)| *tag == element)
                .map_or(&[][..], |(_, classes)| *classes);
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|class| {
                    allowed.contains(class) || (element == "code" && class.starts_with("language-"))
                })
                .collect();
            if kept.is_empty() {
                None
            } else {
                Some(Cow::Owned(kept.join(" ")))
            }
        }
        "role" => (value == "note").then_some(Cow::Borrowed(value)),
        "type" if element == "input" => Some(Cow::Borrowed("checkbox")),
        "src" if element == "img" => {
            is_allowed_url(value, UrlUse::Image).then_some(Cow::Borrowed(value))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_rule_accepts_web_mail_and_relative_urls_only() {
        let cases = [
            ("https://a.example/x?a=1&b=2", UrlUse::Link, true),
            ("HTTP://A.EXAMPLE/", UrlUse::Link, true),
            ("mailto:a@example.org", UrlUse::Link, true),
            ("mailto:a@example.org", UrlUse::Image, false),
            ("../954474/index.html", UrlUse::Link, true),
            ("img/a.png", UrlUse::Image, true),
            ("#fn-1", UrlUse::Link, true),
            ("a/b:c", UrlUse::Link, true),
            ("?q=a:b", UrlUse::Link, true),
            ("javascript:alert(1)", UrlUse::Link, false),
            ("JaVaScRiPt:alert(1)", UrlUse::Link, false),
            (" \u{1}javascript:alert(1)", UrlUse::Link, false),
            ("java\tscript:alert(1)", UrlUse::Link, false),
            ("java\nscript:alert(1)", UrlUse::Image, false),
            ("vbscript:msgbox", UrlUse::Link, false),
            ("data:text/html,x", UrlUse::Link, false),
            ("data:image/png;base64,AAAA", UrlUse::Image, false),
            ("ftp://a.example/", UrlUse::Link, false),
        ];
        for (url, use_, want) in cases {
            assert_eq!(is_allowed_url(url, use_), want, "{url:?} as {use_:?}");
        }
    }

    #[test]
    fn sanitizer_removes_dangerous_markup_and_keeps_the_allowlist() {
        // (input, must contain, must not contain)
        let cases: &[(&str, &[&str], &[&str])] = &[
            ("<script>alert(1)</script>ok", &["ok"], &["script", "alert"]),
            (
                "<img src=x onerror=alert(1)>",
                &["<img src=\"x\">"],
                &["onerror", "alert"],
            ),
            (
                "<a href=\"javascript:alert(1)\">x</a>",
                &["<a>x</a>"],
                &["href", "javascript"],
            ),
            (
                "<a href=\"JaVaScRiPt:alert(1)\">x</a>",
                &["<a>x</a>"],
                &["href", "alert"],
            ),
            (
                "<a href=\" java\tscript:alert(1)\">x</a>",
                &["<a>x</a>"],
                &["href", "alert"],
            ),
            (
                "<a href=\"data:text/html,hi\">x</a>",
                &["<a>x</a>"],
                &["href"],
            ),
            ("<a href=\"vbscript:x\">x</a>", &["<a>x</a>"], &["href"]),
            (
                "<img src=\"data:image/png;base64,AA\" alt=\"a\">",
                &["<img alt=\"a\">"],
                &["src"],
            ),
            (
                "<img src=\"mailto:a@b\" alt=\"a\">",
                &["<img alt=\"a\">"],
                &["src"],
            ),
            (
                "<iframe src=\"https://a.example/\">in</iframe>x",
                &["x"],
                &["iframe", "in"],
            ),
            ("<style>p{color:red}</style>x", &["x"], &["style", "color"]),
            ("<p style=\"color:red\">x</p>", &["<p>x</p>"], &["style"]),
            (
                "<object data=\"x.swf\"></object><embed src=\"x.swf\">",
                &[],
                &["object", "embed", "swf"],
            ),
            (
                "<form action=\"/x\"><button>go</button></form>",
                &["go"],
                &["form", "button", "action"],
            ),
            (
                "<div onclick=\"alert(1)\" onmouseover=\"x\">t</div>",
                &["<div>t</div>"],
                &["on", "alert"],
            ),
            (
                "<svg><script>alert(1)</script></svg>",
                &[],
                &["svg", "script", "alert"],
            ),
            ("<!-- note -->x", &["x"], &["<!--", "note"]),
            (
                "<table><tr><td colspan=2><b>x</b></td></tr></table>",
                &["<table><tbody><tr><td colspan=\"2\"><b>x</b></td></tr></tbody></table>"],
                &[],
            ),
            (
                "<table><colgroup><col width=\"50%\"></colgroup><thead><tr><th scope=\"col\" align=\"left\" rowspan=\"2\">h</th></tr></thead></table>",
                &[
                    "<col width=\"50%\">",
                    "<th scope=\"col\" align=\"left\" rowspan=\"2\">h</th>",
                ],
                &[],
            ),
            (
                "<abbr title=\"Knowledge Base\">KB</abbr> <kbd>Ctrl</kbd><sup>1</sup><sub>2</sub><mark>m</mark>",
                &[
                    "<abbr title=\"Knowledge Base\">KB</abbr>",
                    "<kbd>Ctrl</kbd>",
                    "<sup>1</sup>",
                    "<mark>m</mark>",
                ],
                &[],
            ),
            (
                "<a href=\"../a/index.html#x\" title=\"t\" id=\"i\" name=\"n\">r</a>",
                &["<a href=\"../a/index.html#x\" title=\"t\" id=\"i\" name=\"n\">r</a>"],
                &["rel="],
            ),
            (
                "<a href=\"https://a.example/?a=1&amp;b=2\">q</a>",
                &["href=\"https://a.example/?a=1&amp;b=2\""],
                &["&amp;amp;"],
            ),
            ("<h2 id=\"faq\">FAQ</h2>", &["<h2 id=\"faq\">FAQ</h2>"], &[]),
            (
                "<details open><summary>s</summary><dl><dt>t</dt><dd>d</dd></dl></details>",
                &["<details open=\"\"><summary>s</summary><dl><dt>t</dt><dd>d</dd></dl></details>"],
                &[],
            ),
            (
                "<input type=\"submit\" value=\"Remove\" formaction=\"javascript:x\">",
                &["<input type=\"checkbox\" disabled=\"\">"],
                &["submit", "Remove", "formaction"],
            ),
            (
                "<input value=\"v\">",
                &["<input disabled=\"\">"],
                &["value"],
            ),
            (
                "<input disabled=\"\" type=\"checkbox\" checked=\"\"/>",
                &["<input type=\"checkbox\" checked=\"\" disabled=\"\">"],
                &[],
            ),
            (
                "<table style=\"border:1px solid black;\"><tr class=\"odd\"><td style=\"border:1px solid black;\">c</td></tr></table>",
                &["<table><tbody><tr><td>c</td></tr></tbody></table>"],
                &["class", "style", "border"],
            ),
            (
                "<div class=\"alert alert-note evil\" role=\"alert\">x</div>",
                &["<div class=\"alert alert-note\">x</div>"],
                &["evil", "role"],
            ),
            (
                "<code class=\"language-rust other\">x</code>",
                &["<code class=\"language-rust\">x</code>"],
                &["other"],
            ),
            (
                "<span></span>text</div></div>",
                &["<span></span>text"],
                &["</div>"],
            ),
        ];
        for (input, wanted, unwanted) in cases {
            let out = sanitize_html(input);
            for w in *wanted {
                assert!(out.contains(w), "{input:?}: {w:?} missing in {out:?}");
            }
            for u in *unwanted {
                assert!(!out.contains(u), "{input:?}: {u:?} survived in {out:?}");
            }
        }
    }
}
