//! Test-only: the ammonia (html5ever) sanitizer this module used before the streaming
//! one, kept as the reference for differential tests, and a browser-like DOM check
//! (scraper, i.e. html5ever's tree builder) that finds anything outside the allowlist.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use scraper::{Html, Node};

use super::sanitize::{CLASSES, GENERIC_ATTRIBUTES, TAG_ATTRIBUTES, TAGS, UrlUse, is_allowed_url};

/// The old sanitizer: the same allowlist applied by ammonia.
pub(super) fn ammonia_clean(html: &str) -> String {
    REFERENCE.clean(html).to_string()
}

static REFERENCE: LazyLock<ammonia::Builder<'static>> = LazyLock::new(build_reference);

fn build_reference() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::empty();
    let tag_attributes: HashMap<&str, HashSet<&str>> = TAG_ATTRIBUTES
        .iter()
        .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect()))
        .collect();
    builder
        .tags(TAGS.iter().copied().collect())
        .clean_content_tags(
            [
                "script", "style", "iframe", "object", "noscript", "template",
            ]
            .into_iter()
            .collect(),
        )
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(tag_attributes)
        .set_tag_attribute_value("input", "disabled", "")
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        .attribute_filter(reference_filter);
    builder
}

fn reference_filter<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
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
            (!kept.is_empty()).then(|| Cow::Owned(kept.join(" ")))
        }
        "role" => (value == "note").then_some(Cow::Borrowed(value)),
        "type" if element == "input" => Some(Cow::Borrowed("checkbox")),
        "src" if element == "img" => {
            is_allowed_url(value, UrlUse::Image).then_some(Cow::Borrowed(value))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

/// Parses `fragment` as a browser would when it sits in a page, between the template's
/// `<div id="avisa-before">` and `<p id="avisa-after">`, and lists every violation of the
/// allowlist found in the DOM: a disallowed element, attribute, class or role, a URL
/// attribute whose (decoded) URL is not allowed, a comment, template markup that the
/// fragment swallowed or moved, or fragment content that ended up outside its `div` (an
/// end tag that closed the page's element early).
pub(super) fn dom_violations(fragment: &str) -> Vec<String> {
    let page = format!(
        "<!DOCTYPE html><html><head></head><body><div id=\"avisa-before\">{fragment}</div>\
         <p id=\"avisa-after\">after</p></body></html>"
    );
    let dom = Html::parse_document(&page);
    let mut problems = Vec::new();
    let mut after_seen = 0;
    for node in dom.tree.root().descendants() {
        match node.value() {
            Node::Element(element) => {
                let tag = element.name();
                let id = element.id();
                if id == Some("avisa-after") {
                    after_seen += 1;
                    // document > html > body > p
                    if node.ancestors().count() != 3 {
                        problems.push("the page's trailing `<p>` moved".to_owned());
                    }
                }
                if &*element.name.ns != "http://www.w3.org/1999/xhtml" {
                    problems.push(format!("foreign element `{tag}`"));
                    continue;
                }
                let is_page = matches!(tag, "html" | "head" | "body")
                    || matches!(id, Some("avisa-before" | "avisa-after"));
                if is_page {
                    continue;
                }
                if !TAGS.contains(&tag) {
                    problems.push(format!("element `{tag}`"));
                    continue;
                }
                for (name, value) in element.attrs() {
                    problems.extend(check_attribute(tag, name, value));
                }
            }
            Node::Comment(comment) => problems.push(format!("comment {:?}", &**comment)),
            Node::ProcessingInstruction(_) => problems.push("processing instruction".to_owned()),
            Node::Document | Node::Fragment | Node::Doctype(_) | Node::Text(_) => {}
        }
    }
    // the body holds the fragment's `div` and the trailing `p`, and nothing else
    let body = dom
        .tree
        .root()
        .descendants()
        .find(|n| n.value().as_element().is_some_and(|e| e.name() == "body"));
    let children: Vec<String> = body
        .into_iter()
        .flat_map(|body| body.children())
        .filter_map(|child| match child.value() {
            Node::Element(e) => Some(format!("<{} id={:?}>", e.name(), e.id().unwrap_or(""))),
            Node::Text(t) if !t.trim().is_empty() => Some(format!("text {:?}", &**t)),
            _ => None,
        })
        .collect();
    if children != ["<div id=\"avisa-before\">", "<p id=\"avisa-after\">"] {
        problems.push(format!(
            "fragment content outside its `div`: the body holds {children:?}"
        ));
    }
    if after_seen != 1 {
        problems.push(format!(
            "the page's trailing `<p>` appears {after_seen} times"
        ));
    }
    problems
}

/// Why `attribute="value"` (decoded, as the DOM holds it) on allowed `tag` breaks the
/// allowlist, if it does.
fn check_attribute(tag: &str, attribute: &str, value: &str) -> Option<String> {
    let specific = TAG_ATTRIBUTES
        .iter()
        .find(|(t, _)| *t == tag)
        .map_or(&[][..], |(_, attrs)| *attrs);
    // every kept `input` is disabled
    let is_set = tag == "input" && attribute == "disabled" && value.is_empty();
    if !is_set && !GENERIC_ATTRIBUTES.contains(&attribute) && !specific.contains(&attribute) {
        return Some(format!("attribute `{attribute}` on `{tag}`"));
    }
    let bad = match (tag, attribute) {
        ("a", "href") => !is_allowed_url(value, UrlUse::Link),
        ("img", "src") => !is_allowed_url(value, UrlUse::Image),
        ("input", "type") => value != "checkbox",
        (_, "role") => value != "note",
        (_, "class") => {
            let allowed = CLASSES
                .iter()
                .find(|(t, _)| *t == tag)
                .map_or(&[][..], |(_, classes)| *classes);
            !value.split_ascii_whitespace().all(|class| {
                allowed.contains(&class) || (tag == "code" && class.starts_with("language-"))
            })
        }
        _ => false,
    };
    bad.then(|| format!("`{tag}[{attribute}={value:?}]`"))
}
