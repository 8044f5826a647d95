//! The allowlist for raw HTML in Markdown, applied by a streaming rewriter (lol_html, a
//! spec tokenizer; never regexes): tables, inline formatting, lists and the classes this
//! module's siblings generate survive; scripts, styles, frames, forms, event handlers,
//! `style` attributes and URLs other than http, https, mailto (links only) and relative
//! ones do not. `is_allowed_url` applies the same URL rule to Markdown links.

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;
use std::rc::Rc;
use std::sync::LazyLock;

use lol_html::html_content::{ContentType, Element};
use lol_html::{RewriteStrSettings, doc_comments, doctype, element, end};

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
    let mut buffer = [0; SCHEME_MAX];
    match url_scheme(cleaned(url), &mut buffer) {
        None => true,
        Some(scheme) => match use_ {
            UrlUse::Link => matches!(scheme, b"http" | b"https" | b"mailto"),
            UrlUse::Image => matches!(scheme, b"http" | b"https"),
        },
    }
}

/// True when `url` starts with a scheme (`https:`, `mailto:`, `javascript:`), read as
/// [`is_allowed_url`] reads it.
pub(super) fn has_scheme(url: &str) -> bool {
    url_scheme(cleaned(url), &mut [0; SCHEME_MAX]).is_some()
}

/// The characters of `url` as browsers read them for its scheme: leading spaces and
/// control characters dropped, tabs and newlines ignored.
fn cleaned(url: &str) -> impl Iterator<Item = char> + '_ {
    url.trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
}

/// Longest scheme `url_scheme` spells out; a longer one is none the rule allows.
const SCHEME_MAX: usize = 8;

/// The lowercased scheme of the URL whose characters are `chars`
/// (`alpha *(alnum / "+" / "-" / ".") ":"`), if any, spelled in `buffer`; a scheme longer
/// than `SCHEME_MAX` comes back as `"-"`, which no rule allows. Reads no further than
/// the scheme.
fn url_scheme(
    mut chars: impl Iterator<Item = char>,
    buffer: &mut [u8; SCHEME_MAX],
) -> Option<&[u8]> {
    let first = chars.next()?;
    if !first.is_ascii_alphabetic() {
        return None;
    }
    let mut len = 0;
    for c in std::iter::once(first).chain(chars) {
        match c {
            ':' if len > SCHEME_MAX => return Some(b"-"),
            ':' => return Some(&buffer[..len]),
            c if c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.') => {
                if let Some(slot) = buffer.get_mut(len) {
                    *slot = c.to_ascii_lowercase() as u8;
                }
                len += 1;
            }
            _ => return None,
        }
    }
    None
}

/// Sanitizes a rendered document whose raw HTML came from Markdown at the byte ranges
/// `raw` (sorted, not overlapping); everything else is pulldown-cmark's own output,
/// already inside the allowlist. Only the raw ranges go through the rewriter, joined by a
/// slot tag (`SLOT_TAG`) where trusted output sits between them; each slot the tokenizer
/// reads as an HTML start tag at exactly the offset it was put (so in data state: not in
/// an attribute, a tag, a comment or raw text) and that survives sanitizing becomes
/// `PLACEHOLDER`, and the trusted pieces are put back in place of the placeholders. So a
/// trusted piece lands exactly where the whole-document pass would have kept it, and the
/// markup around it is the same. When a slot does not hold, or the document already
/// holds the placeholder character, the whole document is sanitized instead.
pub(super) fn sanitize_raw_spans(html: &str, raw: &[Range<usize>]) -> String {
    sanitize_spliced(html, raw).unwrap_or_else(|| sanitize_html(html))
}

/// `sanitize_raw_spans` when every slot holds; `None` when the whole document must be
/// sanitized instead.
fn sanitize_spliced(html: &str, raw: &[Range<usize>]) -> Option<String> {
    // (`memmem` looks for the character's rare first byte; `str::contains` for its last,
    // which is the middle byte of every curly quote and dash)
    if memchr::memmem::find(html.as_bytes(), PLACEHOLDER.as_bytes()).is_some() {
        return None;
    }
    let raw_len: usize = raw.iter().map(|span| span.len()).sum();
    let mut doc = String::with_capacity(raw_len + SLOT_TAG.len() * (raw.len() + 1));
    let mut trusted: Vec<&str> = Vec::with_capacity(raw.len() + 1);
    let mut slots: Vec<usize> = Vec::with_capacity(raw.len() + 1);
    let mut at = 0;
    for span in raw {
        if span.start > at {
            // after a lone `<` the tokenizer still reads the slot as a tag at its offset,
            // but a browser would read the trusted piece that follows as a tag name
            if doc.ends_with('<') {
                return None;
            }
            slots.push(doc.len());
            doc.push_str(SLOT_TAG);
            trusted.push(&html[at..span.start]);
        }
        doc.push_str(&html[span.clone()]);
        at = span.end;
    }
    if at < html.len() {
        if doc.ends_with('<') {
            return None;
        }
        slots.push(doc.len());
        doc.push_str(SLOT_TAG);
        trusted.push(&html[at..]);
    }
    let clean = sanitize_with_slots(&doc, &slots)?;
    let held: Vec<usize> =
        memchr::memmem::find_iter(clean.as_bytes(), PLACEHOLDER.as_bytes()).collect();
    if held.len() != trusted.len() {
        return None;
    }
    let mut out = String::with_capacity(clean.len() + html.len() - raw_len);
    let mut from = 0;
    for (at, piece) in held.into_iter().zip(trusted) {
        out.push_str(&clean[from..at]);
        out.push_str(piece);
        from = at + PLACEHOLDER.len();
    }
    out.push_str(&clean[from..]);
    Some(out)
}

/// Stands where a piece of trusted output goes while the raw HTML around it is
/// sanitized: a void element, so it holds no content. Only the ones at the offsets
/// `sanitize_spliced` put them count; any other is raw input and treated as such.
const SLOT_TAG: &str = "<wbr>";

/// What a slot that held becomes in the sanitized output: a private-use character the
/// renderer never produces (documents that hold it are sanitized whole).
const PLACEHOLDER: &str = "\u{E000}";

/// Sanitizes a whole rendered document that contained raw HTML.
///
/// Tags outside `TAGS` are removed and their content kept, except `DROPPED_WITH_CONTENT`
/// (and anything outside the HTML namespace), which go with their content; comments and
/// doctypes are removed; attributes outside the allowlist are removed; URL attributes are
/// decoded before `is_allowed_url` judges them. Kept tags and text are copied byte for
/// byte. Elements left open at the end are closed, so markup cannot run into the page,
/// and stray end tags (`</div>` with no open `div`) are removed, so it cannot close the
/// page's elements early (see `rewrite`; `</p>` and `</br>` stay).
/// Markup the tokenizer cannot place without a tree (lol_html's parsing ambiguity, e.g.
/// `<select><xmp>`) makes the whole document escaped text: safe, visible, deterministic.
pub(super) fn sanitize_html(html: &str) -> String {
    sanitize_with_slots(html, &[]).unwrap_or_else(|| htmlize::escape_text(html).into_owned())
}

/// `sanitize_html`, turning the slot tags at byte offsets `slots` (sorted) into
/// `PLACEHOLDER`s; `None` when lol_html refuses the markup as ambiguous.
fn sanitize_with_slots(html: &str, slots: &[usize]) -> Option<String> {
    // A tag cut off by the end of input would be copied raw, and the page's next `>`
    // would complete it. So the input is followed by `END_MARKER`: when the tokenizer
    // reads it as a start tag, the input ended cleanly and the marker goes with the rest.
    // Otherwise the input ended inside a tag, comment or declaration, and it is rewritten
    // again followed by `CLOSE_ANY_TAG`, which ends every such state and leaves only
    // comments (removed) behind.
    let mut input = String::with_capacity(html.len() + END_MARKER.len());
    input.push_str(html);
    input.push_str(END_MARKER);
    let pass = rewrite(&input, Some(html.len()), slots)?;
    if pass.saw_marker {
        return Some(pass.clean);
    }
    input.truncate(html.len());
    input.push_str(CLOSE_ANY_TAG);
    rewrite(&input, None, slots).map(|pass| pass.clean)
}

/// An element name no allowlist holds, appended to the input to find how it ended.
const END_MARKER: &str = "<avisa-end-of-input>";

/// Ends any tag state (unquoted, double- or single-quoted value, after `=`), comment or
/// declaration; every remainder after the first `>` or quote that closes it opens a
/// comment that runs to the end.
const CLOSE_ANY_TAG: &str = "><!--\"><!--'><!--";

/// The result of one rewriting pass.
struct Pass {
    /// The sanitized markup.
    clean: String,
    /// Whether a start tag began at the marker offset.
    saw_marker: bool,
}

/// One rewriting pass over `input`, watching for a start tag at byte `marker` (if any) and
/// turning HTML start tags at the byte offsets `slots` into `PLACEHOLDER`s. Stray end
/// tags (no open element of their name, so a browser would apply them to the page around
/// the fragment, e.g. `</div>` closing the page's article early) are removed: the rewriter
/// copies them without a word, so when the input holds more end tags than the pass saw
/// close an element, they are found by where the tokenizer read every other token
/// (`stray_end_tags`) and the input is rewritten again without them.
/// `None` when lol_html refuses the markup as ambiguous.
fn rewrite(input: &str, marker: Option<usize>, slots: &[usize]) -> Option<Pass> {
    let (pass, ends) = rewrite_once(input, marker, slots)?;
    if end_tags(input).count() == ends {
        return Some(pass);
    }
    let strays = stray_end_tags(input)?;
    if strays.is_empty() {
        return Some(pass);
    }
    // removing whole end tags leaves the tokenizer in the same state after each one, so
    // every other token, slot and the marker are read as before, at shifted offsets
    let shift = |at: usize| {
        let removed: usize = strays
            .iter()
            .take_while(|r| r.end <= at)
            .map(|r| r.len())
            .sum();
        at - removed
    };
    let mut kept = String::with_capacity(input.len());
    let mut from = 0;
    for r in &strays {
        kept.push_str(&input[from..r.start]);
        from = r.end;
    }
    kept.push_str(&input[from..]);
    let slots: Vec<usize> = slots.iter().map(|&at| shift(at)).collect();
    rewrite_once(&kept, marker.map(shift), &slots).map(|(pass, _)| pass)
}

/// Byte offsets of every `</` followed by an ASCII letter in `input`: each end tag starts
/// at one (others sit in comments, attribute values or raw text).
fn end_tags(input: &str) -> impl Iterator<Item = usize> + '_ {
    memchr::memmem::find_iter(input.as_bytes(), b"</")
        .filter(|&at| starts_end_tag(input.as_bytes(), at))
}

/// Whether `bytes` holds `</` and an ASCII letter at `at`, as an end tag begins.
fn starts_end_tag(bytes: &[u8], at: usize) -> bool {
    bytes[at..].starts_with(b"</") && bytes.get(at + 2).is_some_and(u8::is_ascii_alphabetic)
}

/// The byte ranges of `input` that hold stray end tags, in order: those the tokenizer
/// read as no token any handler sees. A read-only pass records where every start tag,
/// end tag that closed an element, text chunk, comment and doctype lies; what is left
/// between them and begins with `</` and a letter is end tags the rewriter passes through
/// untouched. `None` when lol_html refuses the markup as ambiguous.
fn stray_end_tags(input: &str) -> Option<Vec<Range<usize>>> {
    let seen: Rc<RefCell<Vec<Range<usize>>>> = Rc::default();
    let (tags, texts, comments, doctypes) = (
        Rc::clone(&seen),
        Rc::clone(&seen),
        Rc::clone(&seen),
        Rc::clone(&seen),
    );
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("*", move |el| {
            note_tags(el, &tags);
            Ok(())
        }))
        .append_document_content_handler(lol_html::doc_text!(move |text| {
            texts.borrow_mut().push(text.source_location().bytes());
            Ok(())
        }))
        .append_document_content_handler(doc_comments!(move |comment| {
            comments
                .borrow_mut()
                .push(comment.source_location().bytes());
            Ok(())
        }))
        .append_document_content_handler(doctype!(move |doctype| {
            doctypes
                .borrow_mut()
                .push(doctype.source_location().bytes());
            Ok(())
        }));
    lol_html::rewrite_str(input, settings).ok()?;
    let mut seen = seen.take();
    seen.sort_unstable_by_key(|r| r.start);
    let mut strays: Vec<Range<usize>> = Vec::new();
    let bytes = input.as_bytes();
    // a gap that starts like an end tag is one or more of them; it is cut where one ends
    // with `>` and the next begins, and every piece goes but an exact `</p>` or `</br>`
    let mut gap = |from: usize, to: usize| {
        if !starts_end_tag(bytes, from) {
            return;
        }
        let mut piece = from;
        for at in from + 1..=to {
            if at == to || (bytes[at - 1] == b'>' && starts_end_tag(bytes, at)) {
                if !is_harmless_end_tag(&bytes[piece..at]) {
                    strays.push(piece..at);
                }
                piece = at;
            }
        }
    };
    let mut at = 0;
    for r in seen {
        if r.start > at {
            gap(at, r.start);
        }
        at = at.max(r.end);
    }
    if at < input.len() {
        gap(at, input.len());
    }
    Some(strays)
}

/// Notes where `el`'s start tag lies in `seen`, and where its end tag will.
fn note_tags(el: &mut Element<'_, '_>, seen: &Rc<RefCell<Vec<Range<usize>>>>) {
    seen.borrow_mut().push(el.source_location().bytes());
    if el.can_have_content() {
        let seen = Rc::clone(seen);
        let registered = el.on_end_tag(Box::new(move |end| {
            seen.borrow_mut().push(end.source_location().bytes());
            Ok(())
        }));
        debug_assert!(
            registered.is_ok(),
            "elements with content take end-tag handlers"
        );
    }
}

/// Whether `tag` is exactly `</p>` or `</br>` (any case, spaces or a `/` before `>`): a
/// browser turns a stray `</p>` into an empty paragraph and a stray `</br>` into a line
/// break, and neither closes any other element, so they stay (as pulldown-cmark's own
/// `</p>` stays when raw HTML closed its paragraph first).
fn is_harmless_end_tag(tag: &[u8]) -> bool {
    let Some(inner) = tag.strip_prefix(b"</").and_then(|t| t.strip_suffix(b">")) else {
        return false;
    };
    let name = inner
        .trim_ascii_end()
        .strip_suffix(b"/")
        .unwrap_or(inner)
        .trim_ascii_end();
    name.eq_ignore_ascii_case(b"p") || name.eq_ignore_ascii_case(b"br")
}

/// `rewrite` without looking for stray end tags; also returns how many end tags (distinct
/// offsets) closed an element the pass saw.
fn rewrite_once(input: &str, marker: Option<usize>, slots: &[usize]) -> Option<(Pass, usize)> {
    let open: Rc<RefCell<OpenElements>> = Rc::default();
    let on_element = Rc::clone(&open);
    let at_end = Rc::clone(&open);
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("*", move |el| {
            let start = el.source_location().bytes().start;
            if Some(start) == marker {
                on_element.borrow_mut().saw_marker = true;
                el.remove();
            } else if slots.binary_search(&start).is_ok()
                && el.namespace_uri() == HTML_NAMESPACE
                && !el.removed()
            {
                el.replace(PLACEHOLDER, ContentType::Text);
            } else {
                sanitize_element(el, &on_element);
            }
            Ok(())
        }))
        .append_document_content_handler(doc_comments!(|comment| {
            comment.remove();
            Ok(())
        }))
        .append_document_content_handler(doctype!(|doctype| {
            doctype.remove();
            Ok(())
        }))
        .append_document_content_handler(end!(move |end| {
            end.append(&at_end.borrow().closing_tags(), ContentType::Html);
            Ok(())
        }));
    let clean = lol_html::rewrite_str(input, settings).ok()?;
    let mut open = open.borrow_mut();
    // only offsets where an end tag is written count (never an end the tokenizer made up)
    open.ends.retain(|&at| {
        input
            .as_bytes()
            .get(at..)
            .is_some_and(|t| t.starts_with(b"</"))
    });
    open.ends.sort_unstable();
    open.ends.dedup();
    let pass = Pass {
        clean,
        saw_marker: open.saw_marker,
    };
    Some((pass, open.ends.len()))
}

/// Elements removed together with everything inside them: their content is not ordinary
/// HTML text (RCDATA, RAWTEXT, script data, PLAINTEXT, foreign namespaces, templates,
/// frames), so keeping it without the wrapper would turn inert text into live markup.
const DROPPED_WITH_CONTENT: &[&str] = &[
    "script",
    "style",
    "template",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
    "svg",
    "math",
    "object",
    "embed",
    "applet",
    "frameset",
    "frame",
    "head",
];

const HTML_NAMESPACE: &str = "http://www.w3.org/1999/xhtml";

/// Allowed attributes per allowed tag (generic ones included).
static TAG_POLICY: LazyLock<foldhash::HashMap<&'static str, Vec<&'static str>>> =
    LazyLock::new(|| {
        TAGS.iter()
            .map(|tag| {
                let specific = TAG_ATTRIBUTES
                    .iter()
                    .find(|(t, _)| t == tag)
                    .map_or(&[][..], |(_, attrs)| *attrs);
                let attrs = GENERIC_ATTRIBUTES.iter().chain(specific).copied().collect();
                (*tag, attrs)
            })
            .collect()
    });

/// What one pass tracks: the allowed elements open in the output (in document order, by
/// serial number) and whether the end marker was seen.
#[derive(Default)]
struct OpenElements {
    saw_marker: bool,
    next: u64,
    stack: Vec<(u64, String)>,
    /// Where the end tags that closed an element (kept or removed with its content kept)
    /// begin in the input, in the order seen.
    ends: Vec<usize>,
}

impl OpenElements {
    /// End tags for the elements still open, innermost first. `p` is left out: a stray
    /// `</p>` would create an empty paragraph when its `p` was already closed implicitly,
    /// and an open `p` is closed by whatever block follows the fragment.
    fn closing_tags(&self) -> String {
        self.stack
            .iter()
            .rev()
            .filter(|(_, name)| name != "p")
            .map(|(_, name)| format!("</{name}>"))
            .collect()
    }
}

fn sanitize_element(el: &mut Element<'_, '_>, open: &Rc<RefCell<OpenElements>>) {
    if el.removed() {
        // inside an element removed with its content
        on_end_tag(el, open, None);
        return;
    }
    let name = el.tag_name();
    if el.namespace_uri() != HTML_NAMESPACE || DROPPED_WITH_CONTENT.contains(&name.as_str()) {
        el.remove();
        on_end_tag(el, open, None);
        return;
    }
    let Some(allowed) = TAG_POLICY.get(name.as_str()) else {
        el.remove_and_keep_content();
        on_end_tag(el, open, None);
        return;
    };
    filter_attributes(el, &name, allowed);
    if el.can_have_content() {
        let id = {
            let mut open = open.borrow_mut();
            open.next += 1;
            let id = open.next;
            open.stack.push((id, name));
            id
        };
        on_end_tag(el, open, Some(id));
    }
}

/// Notes where the end tag that closes `el` begins (`OpenElements::ends`) and, for a kept
/// element (`id`), that it is no longer open. Void elements have no end tag.
fn on_end_tag(el: &mut Element<'_, '_>, open: &Rc<RefCell<OpenElements>>, id: Option<u64>) {
    if !el.can_have_content() {
        return;
    }
    let open = Rc::clone(open);
    // an end tag (explicit, or one that closes an ancestor) ends the element
    let registered = el.on_end_tag(Box::new(move |end| {
        let mut open = open.borrow_mut();
        open.ends.push(end.source_location().bytes().start);
        if let Some(id) = id {
            open.stack.retain(|(other, _)| *other != id);
        }
        Ok(())
    }));
    debug_assert!(
        registered.is_ok(),
        "elements with content take end-tag handlers"
    );
}

/// Keeps the allowed attributes of an allowed tag, first occurrence of each name only (as
/// browsers read them), with their values as written unless `filter_attribute` changes
/// them; every `input` also gets `disabled=""`. A tag that needs no change stays untouched.
fn filter_attributes(el: &mut Element<'_, '_>, tag: &str, allowed: &[&str]) {
    let mut kept: Vec<(String, String)> = Vec::new();
    let mut changed = tag == "input";
    for attribute in el.attributes() {
        let name = attribute.name();
        if !allowed.contains(&name.as_str()) || kept.iter().any(|(n, _)| *n == name) {
            changed = true;
            continue;
        }
        let raw = attribute.value();
        match filter_attribute(tag, &name, &raw) {
            None => changed = true,
            Some(Cow::Borrowed(_)) => kept.push((name, raw)),
            Some(Cow::Owned(value)) => {
                changed |= value != raw;
                kept.push((name, value));
            }
        }
    }
    if !changed {
        return;
    }
    let names: Vec<String> = el.attributes().iter().map(|a| a.name()).collect();
    for name in names {
        el.remove_attribute(&name);
    }
    if tag == "input" {
        kept.push(("disabled".to_owned(), String::new()));
    }
    for (name, value) in kept {
        // names come from the allowlist, so they are valid
        let set = el.set_attribute(&name, &value);
        debug_assert!(set.is_ok(), "{name} is a valid attribute name");
    }
}

/// The value to keep for `attribute` on `element`, as raw (still escaped) HTML, or `None`
/// to drop it: known `class` tokens only, `role="note"` only, URLs the rule allows after
/// character references are decoded (a link to a folder then names its `index.html`), and
/// every `input[type]` a checkbox.
fn filter_attribute<'v>(element: &str, attribute: &str, raw: &'v str) -> Option<Cow<'v, str>> {
    match (element, attribute) {
        (_, "class") => {
            let allowed = CLASSES
                .iter()
                .find(|(tag, _)| *tag == element)
                .map_or(&[][..], |(_, classes)| *classes);
            let value = htmlize::unescape_attribute(raw);
            let kept: Vec<&str> = value
                .split_ascii_whitespace()
                .filter(|class| {
                    allowed.contains(class) || (element == "code" && class.starts_with("language-"))
                })
                .collect();
            if kept.is_empty() {
                None
            } else {
                Some(Cow::Owned(
                    htmlize::escape_attribute(kept.join(" ")).into_owned(),
                ))
            }
        }
        (_, "role") => (htmlize::unescape_attribute(raw) == "note").then_some(Cow::Borrowed(raw)),
        ("input", "type") => Some(Cow::Owned("checkbox".to_owned())),
        ("a", "href") => {
            let url = htmlize::unescape_attribute(raw);
            if !is_allowed_url(&url, UrlUse::Link) {
                return None;
            }
            // a folder's page by its file, as in Markdown links (links::page_file_url)
            Some(match super::links::page_file_url(&url) {
                Some(file) => Cow::Owned(htmlize::escape_attribute(file).into_owned()),
                None => Cow::Borrowed(raw),
            })
        }
        ("img", "src") => is_allowed_url(&htmlize::unescape_attribute(raw), UrlUse::Image)
            .then_some(Cow::Borrowed(raw)),
        _ => Some(Cow::Borrowed(raw)),
    }
}

/// Tags kept (with their allowed attributes); any other tag is removed.
pub(super) const TAGS: &[&str] = &[
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

/// Attributes allowed on any allowed tag.
pub(super) const GENERIC_ATTRIBUTES: &[&str] = &["id", "title", "lang", "dir"];

/// Attributes allowed per tag, besides the generic ones.
pub(super) const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
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
pub(super) const CLASSES: &[(&str, &[&str])] = &[
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

#[cfg(test)]
mod tests {
    use super::super::render_markdown;
    use super::super::sanitize_reference::dom_violations;
    use super::*;

    /// XSS vectors: markup a browser would make live, in many spellings.
    const XSS_VECTORS: &[&str] = &[
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//x.example/x.js></SCRIPT>",
        "<img src=x onerror=alert(1)>",
        "<img src=x OnError=alert(1)//",
        "<img src=\"x\" onerror=\"alert(1)\" onerror=\"x\">",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"JAVASCRIPT:alert(1)\">x</a>",
        "<a href=\"&#106;avascript:alert(1)\">x</a>",
        "<a href=\"&#x6A;avascript:alert(1)\">x</a>",
        "<a href=\"javascript&#58;alert(1)\">x</a>",
        "<a href=\"javascript&colon;alert(1)\">x</a>",
        "<a href=\"java&#9;script:alert(1)\">x</a>",
        "<a href=\"java&Tab;script:alert(1)\">x</a>",
        "<a href=\"java\tscript:alert(1)\">x</a>",
        "<a href=\"java\nscript:alert(1)\">x</a>",
        "<a href=\" javascript:alert(1)\">x</a>",
        "<a href=\"&#32;&#1;javascript:alert(1)\">x</a>",
        "<a href=javascript:alert(1)>x</a>",
        "<a href='javascript:alert(1)'>x</a>",
        "<a href=\"https://ok.example/\" href=\"javascript:alert(1)\">x</a>",
        "<a href=\"javascript:alert(1)\" href=\"https://ok.example/\">x</a>",
        "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>",
        "<a href=\"vbscript:msgbox(1)\">x</a>",
        "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">",
        "<img src=\"jav&#x09;ascript:alert(1)\">",
        "<svg><script>alert(1)</script></svg>",
        "<svg onload=alert(1)>",
        "<svg><style><img src=x onerror=alert(1)></style></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<math><mi><svg><foreignObject><img src=x onerror=alert(1)>",
        "<math><annotation-xml encoding=\"text/html\"><img src=x onerror=alert(1)>",
        "<svg><![CDATA[</svg><img src=x onerror=alert(1)>]]></svg>",
        "<textarea><img src=x onerror=alert(1)></textarea>",
        "<title><img src=x onerror=alert(1)></title>",
        "<noscript><img src=x onerror=alert(1)></noscript>",
        "<noembed><img src=x onerror=alert(1)></noembed>",
        "<noframes><img src=x onerror=alert(1)></noframes>",
        "<xmp><img src=x onerror=alert(1)></xmp>",
        "<plaintext><img src=x onerror=alert(1)>",
        "<template><img src=x onerror=alert(1)></template>",
        "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
        "<iframe><img src=x onerror=alert(1)></iframe>",
        "<style><img src=x onerror=alert(1)></style>",
        "<style>*{background:url(javascript:alert(1))}</style>",
        "<object data=\"x.swf\"><param name=x></object><embed src=x.swf>",
        "<select><option><img src=x onerror=alert(1)></option></select>",
        "<select><xmp><script>alert(1)</script></select>",
        "<!--<img src=x onerror=alert(1)>-->",
        "<!--><img src=x onerror=alert(1)>-->",
        "<!-- --!><img src=x onerror=alert(1)>-->",
        "<?xml version=\"1.0\"?><img src=x onerror=alert(1)>",
        "<![CDATA[<img src=x onerror=alert(1)>]]>",
        "<!DOCTYPE html><p>x</p>",
        "<img src=x onerror=alert(1)",
        "<p>text <img src=x onerror=alert(1)",
        "<a href=\"https://ok.example/\" title=\"x",
        "<a href='https://ok.example/' title='x",
        "<img src=x onerror=",
        "<img src=x on",
        "<",
        "</",
        "<!",
        "<!--",
        "<!DOCTYPE",
        "x &amp",
        "<p style=\"background:url(javascript:alert(1))\">x</p>",
        "<div style=color:red>x</div>",
        "<form action=\"javascript:alert(1)\"><input type=submit formaction=javascript:alert(1)><button>go</button></form>",
        "<input type=image src=x onerror=alert(1)>",
        "<input onfocus=alert(1) autofocus>",
        "<base href=\"javascript:alert(1)//\">",
        "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
        "<link rel=stylesheet href=javascript:alert(1)>",
        "<image src=x onerror=alert(1)>",
        "<isindex action=javascript:alert(1) type=image>",
        "<details open ontoggle=alert(1)>x</details>",
        "<a href=x target=_blank rel=opener>x</a>",
        "<div class=\"alert evil\" role=\"alert\" id=x>x</div>",
        "<frameset><frame src=javascript:alert(1)></frameset>",
        "<head><script>alert(1)</script></head>",
        "<body onload=alert(1)>",
        "<html onmouseover=alert(1)>",
        "<table><tr><td><script>alert(1)</script></td></tr></table>",
        "<table><img src=x onerror=alert(1)></table>",
        "<b>unclosed <a href=\"https://ok.example/\">link",
        "<scr<script>ipt>alert(1)</script>",
        "<a href=\"\x01javascript:alert(1)\">x</a>",
        "<a/href=javascript:alert(1)>x</a>",
        "<a href=\"javascript:alert(1)\"/>x",
        "<img/src=x/onerror=alert(1)>",
        "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
        "<listing><img src=x onerror=alert(1)></listing>",
        "<x onclick=alert(1)>x</x>",
        "<div><p>a</div></div></div><img src=x onerror=alert(1)>",
        "a</div>b",
        "</div></article></main><p>a notice outside the article</p>",
        "<b>x</b></b></td></tr></table></div>y",
        "<font>a</div>b</font>c",
        "<table><tr><td>a</div></td></tr></table>b</div>c",
        "</DIV foo=\"a>b\">c",
        "<p>a</p></p></span></body></html>b",
        "<ul><li>a</li></ul></ul></li>b",
    ];

    #[test]
    fn sanitized_xss_vectors_hold_nothing_outside_the_allowlist_as_a_browser_parses_them() {
        let mut failures = Vec::new();
        for vector in XSS_VECTORS {
            let out = sanitize_html(vector);
            let problems = dom_violations(&out);
            if !problems.is_empty() {
                failures.push(format!("{vector:?} -> {out:?}: {problems:?}"));
            }
            // the same markup as raw HTML in Markdown, where pulldown-cmark splits it
            let rendered = render_markdown(&format!("text\n\n{vector}\n\nafter *x*\n"));
            let problems = dom_violations(rendered.as_str());
            if !problems.is_empty() {
                failures.push(format!("markdown {vector:?} -> {rendered:?}: {problems:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn trusted_pieces_are_put_back_only_where_the_raw_html_leaves_text() {
        // (raw before, raw after, the output when the placeholder holds); the trusted
        // piece between them is always `<em>x</em>`; when the placeholder does not hold,
        // the output is the whole-document pass
        let cases: &[(&str, &str, Option<&str>)] = &[
            (
                "<table><tr><td>",
                "</td></tr></table>",
                Some("<table><tr><td><em>x</em></td></tr></table>"),
            ),
            ("<b>", "</b><i>y</i>", Some("<b><em>x</em></b><i>y</i>")),
            ("<foo onclick=alert(1)>", "</foo>", Some("<em>x</em>")),
            // a `<wbr>` in the input is not a slot: it goes like any tag outside the list
            ("<wbr><b>", "</b><wbr>", Some("<b><em>x</em></b>")),
            // markup the tokenizer refuses becomes text, trusted pieces included
            ("<select><xmp>", "</xmp></select>", None),
            ("<a title=\"", "\">y</a>", None),
            ("<a title=", " href=x>y</a>", None),
            ("<div", ">y</div>", None),
            ("</div ", " <img src=x onerror=alert(1)>", None),
            ("<!--", "-->", None),
            ("<script>", "</script>", None),
            ("<textarea>", "</textarea>", None),
            ("<title>", "</title>", None),
            ("<svg>", "</svg>", None),
            ("<plaintext>", "", None),
        ];
        let trusted = "<em>x</em>";
        for (before, after, want) in cases {
            let html = format!("{before}{trusted}{after}");
            let raw = [0..before.len(), before.len() + trusted.len()..html.len()];
            let spliced = sanitize_spliced(&html, &raw);
            assert_eq!(spliced.as_deref(), *want, "{html:?}");
            let out = sanitize_raw_spans(&html, &raw);
            if want.is_none() {
                assert_eq!(out, sanitize_html(&html), "{html:?}");
            }
            assert!(dom_violations(&out).is_empty(), "{html:?} -> {out:?}");
        }
        // a trusted piece after a raw `<` would be read as a tag name: never spliced
        let html = "<b>a <img src=x onerror=alert(1)<em>x</em></b>";
        let raw = [0..6, html.len() - 4..html.len()];
        assert_eq!(sanitize_spliced(html, &raw), None);
        assert!(dom_violations(&sanitize_raw_spans(html, &raw)).is_empty());
        // a document that already holds the placeholder character is never spliced
        let html = "<b>\u{E000}</b><em>x</em>";
        let raw = std::slice::from_ref(&(0..6));
        assert_eq!(sanitize_spliced(html, raw), None);
    }

    #[test]
    fn markdown_between_raw_html_blocks_renders_as_the_whole_document_pass_would() {
        let cases = [
            "<table><tr><td>\n\n*a* [l](https://a.example/)\n\n</td></tr></table>\n",
            "<div>\n<a title=\"\n\n*x*\n\n<div>\" onclick=\"alert(1)\">y</a>\n",
            "<div>\n</div \n\n*x*\n\n<div> <img src=x onerror=alert(1)>\n",
            "<div>\n<!--\n\n*x*\n\n<div> -->\n<img src=x onerror=alert(1)>\n",
            "<div>\n<script>\n\n*x*\n\n<div></script><b>y</b>\n",
            "text <b>bold *em* </b> and <i>\u{E000}</i> *z*\n",
            "![alt <b>x</b>](img/a.png) <i>y</i>\n",
        ];
        for src in cases {
            let spans = render_markdown(src);
            let whole =
                super::super::render_with_sanitizer(src, &Default::default(), sanitize_html);
            assert_eq!(spans, whole.html, "{src:?}");
            assert!(
                dom_violations(spans.as_str()).is_empty(),
                "{src:?} -> {spans:?}"
            );
        }
    }

    #[test]
    fn stray_end_tags_in_markdown_go_and_matched_ones_stay() {
        // (Markdown, what the output holds, what it must not)
        let cases: &[(&str, &[&str], &[&str])] = &[
            // inline, between trusted pieces (spliced pass, rewritten without the tag)
            (
                "a</div> *b* </article></main>c\n",
                &["<p>a <em>b</em> c</p>"],
                &["</div>", "</article>", "</main>"],
            ),
            // a block of its own
            ("x\n\n</div>\n\ny\n", &["<p>x</p>", "<p>y</p>"], &["</div>"]),
            // inside an alert (whose `div` is generated as raw HTML): the raw `</div>`
            // closes the alert, as a browser reads it, so the alert's own is the stray one
            (
                "> [!NOTE]\n> a </div> b\n",
                &["<p>a </div> b</p>\n\n"],
                &["</p>\n</div>"],
            ),
            // raw HTML around Markdown keeps its matched end tags
            (
                "<div>\n\n*a*\n\n</div>\n\n<table><tr><td>\n\nb\n\n</td></tr></table>\n",
                &[
                    "<div>\n<p><em>a</em></p>\n</div>",
                    "<td>\n<p>b</p>\n</td></tr></table>",
                ],
                &[],
            ),
        ];
        for out in super::super::assert_renders(cases) {
            assert!(dom_violations(&out).is_empty(), "{out:?}");
        }
    }

    #[test]
    fn dom_check_notices_what_the_allowlist_forbids() {
        // the check itself must be able to fail
        let cases = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"java&#x09;script:alert(1)\">x</a>",
            "<img src=x onerror=alert(1)",
            "<div class=\"evil\">x</div>",
            "<!-- c -->",
            "<svg></svg>",
            "a</div>b",
        ];
        for html in cases {
            assert!(
                !dom_violations(html).is_empty(),
                "{html:?} passed the check"
            );
        }
    }

    #[test]
    fn ends_cut_inside_a_tag_are_closed_without_live_attributes() {
        let cases = [
            ("<img src=x onerror=alert(1)", "<img src=\"x\">"),
            ("<p>a<img src=x onerror=alert(1)", "<p>a<img src=\"x\">"),
            (
                "<b>x <a href=\"https://ok.example/\">l",
                "<b>x <a href=\"https://ok.example/\">l</a></b>",
            ),
            (
                "<ul><li>a<li>b</ul><table><tr><td>x",
                "<ul><li>a<li>b</ul><table><tr><td>x</td></tr></table>",
            ),
            ("text <!-- open comment", "text "),
            ("a &amp b <", "a &amp b <"),
        ];
        for (input, want) in cases {
            assert_eq!(sanitize_html(input), want, "{input:?}");
        }
    }

    #[test]
    fn ambiguous_markup_becomes_escaped_text() {
        assert_eq!(
            sanitize_html("<select><xmp><script>alert(1)</script></select>"),
            "&lt;select&gt;&lt;xmp&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/select&gt;"
        );
    }

    #[test]
    fn allowed_markup_is_copied_byte_for_byte() {
        let cases = [
            "<table><tr><td colspan=2 align=left><b>x</b></td></tr></table>",
            "<p>a &amp; b &lt; c &#233; &quot;q&quot;</p>",
            "<a href='https://a.example/?a=1&amp;b=2' title=t>l</a>",
            "<div class=\"alert alert-note\" role=\"note\">\n<p class=\"alert-title\">Note</p>\n</div>",
            "<br /><br><hr/>",
        ];
        for html in cases {
            assert_eq!(sanitize_html(html), html);
        }
    }

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
            // schemes longer than any allowed one, and long relative paths
            ("httpsxxxx:x", UrlUse::Link, false),
            ("mailtoxyz:a@example.org", UrlUse::Link, false),
            ("abcdefgh:x", UrlUse::Link, false),
            ("a-very-long-path-segment/x:y", UrlUse::Link, true),
            (
                "a-very-long-path-segment-without-a-colon",
                UrlUse::Image,
                true,
            ),
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
                &["<table><tr><td colspan=2><b>x</b></td></tr></table>"],
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
                &["<details open><summary>s</summary><dl><dt>t</dt><dd>d</dd></dl></details>"],
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
                &["<input type=\"checkbox\" checked=\"\" disabled=\"\" />"],
                &[],
            ),
            (
                "<table style=\"border:1px solid black;\"><tr class=\"odd\"><td style=\"border:1px solid black;\">c</td></tr></table>",
                &["<table><tr><td>c</td></tr></table>"],
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
            // stray end tags go (they would close the page's elements early); matched
            // ones stay, as does text that only looks like an end tag
            (
                "<span></span>text</div></DIV >x</p></br>",
                &["<span></span>textx</p></br>"],
                &["</div>", "</DIV"],
            ),
            (
                "<div>a</span></div><b title=\"</div>\">b</b><!--</div>-->c</i>",
                &["<div>a</div><b title=\"</div>\">b</b>c"],
                &["</span>", "</i>"],
            ),
        ];
        let mut failures = Vec::new();
        for (input, wanted, unwanted) in cases {
            let out = sanitize_html(input);
            for w in *wanted {
                if !out.contains(w) {
                    failures.push(format!("{input:?}: {w:?} missing in {out:?}"));
                }
            }
            for u in *unwanted {
                if out.contains(u) {
                    failures.push(format!("{input:?}: {u:?} survived in {out:?}"));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
