//! Rewrites pulldown-cmark's event stream before HTML is written: heading ids,
//! GFM-style footnotes collected at the end with `fn-`/`fnref-` ids, alerts as titled
//! `div`s, table cells with `align` instead of `style`, and links or images whose URL
//! scheme is not allowed turned back into their text. Everything written here stays
//! inside the sanitizer's allowlist, so input without raw HTML needs no sanitizer pass.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

use pulldown_cmark::{Alignment, BlockQuoteKind, CowStr, Event, LinkType, Tag, TagEnd};

use super::escape::push_escaped;
use super::links;
use super::sanitize::{UrlUse, is_allowed_url};
use super::{Heading, MarkdownOptions};

/// What has an id on the page before an element of the body that gives it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Holder {
    /// The page around the body (`page_ids`: its template, its log checker).
    Page,
    /// A footnote of the body (its note's or a reference's id).
    Footnote,
    /// The body's HTML: the first of its elements with the id.
    Element,
    /// A heading of the body: the first one written with that `{#id}`.
    Heading,
}

/// The rewritten events and the headings found on the way.
pub(super) struct Transformed<'a> {
    /// Events ready for `pulldown_cmark::html::push_html`.
    pub(super) events: Vec<Event<'a>>,
    /// Every heading in document order, with its final id.
    pub(super) headings: Vec<Heading>,
    /// The ids written as `{#id}` that another heading of the body has already, or that
    /// the page around the body (`page_ids`) or the body's HTML gives an element, in
    /// document order: each such heading got the id with `-1`, `-2`… added: (written,
    /// given, what has it).
    pub(super) id_clashes: Vec<(String, String, Holder)>,
    /// The ids that an element of the body's HTML gives and the page has already (from
    /// `page_ids`, a footnote, or an earlier element of the HTML), in document order:
    /// (id, which of the HTML's elements with this id it is, from 0, what has it). The
    /// HTML is the author's and keeps them; links to `#id` reach the first element with it.
    pub(super) raw_id_clashes: Vec<(String, usize, Holder)>,
    /// The URL of every link and image kept that points into the site itself
    /// ([`links::is_local`]), raw HTML's included, in document order.
    pub(super) local_urls: Vec<String>,
}

/// Rewrites a whole document's events (see the module doc).
pub(super) fn transform<'a>(events: Vec<Event<'a>>, options: &MarkdownOptions) -> Transformed<'a> {
    let footnotes = FootnotePlan::new(&events);
    let footnote_ids = footnotes.reserved_ids();
    let mut used_ids = footnote_ids.clone();
    let raw = read_raw_html(events.iter().map(|e| (e, 0..0)));
    let raw_ids: Vec<&str> = raw.ids.iter().map(|(id, _)| id.as_str()).collect();
    let mut raw_id_clashes = Vec::new();
    let mut raw_seen: HashMap<&str, usize> = HashMap::new();
    for &id in &raw_ids {
        let seen = raw_seen.entry(id).or_insert(0);
        let holder = if options.page_ids.iter().any(|p| p == id) {
            Some(Holder::Page)
        } else if footnote_ids.contains(id) {
            Some(Holder::Footnote)
        } else {
            (*seen > 0).then_some(Holder::Element)
        };
        if let Some(holder) = holder {
            raw_id_clashes.push((id.to_string(), *seen, holder));
        }
        *seen += 1;
    }
    used_ids.extend(explicit_heading_ids(&events));
    used_ids.extend(options.page_ids.iter().cloned());
    used_ids.extend(raw_ids.iter().map(|id| id.to_string()));
    // what gives an element the id, other than a heading of the body
    let held = |id: &str| {
        if options.page_ids.iter().any(|p| p == id) {
            Some(Holder::Page)
        } else if footnote_ids.contains(id) {
            Some(Holder::Footnote)
        } else {
            raw_seen.contains_key(id).then_some(Holder::Element)
        }
    };

    let mut out = Output {
        main: Vec::with_capacity(events.len() + 8),
        ..Output::default()
    };
    let mut headings = Vec::new();
    let mut links_kept: Vec<bool> = Vec::new();
    let mut images_kept: Vec<bool> = Vec::new();
    let mut table = TableState::default();
    let mut refs_seen: HashMap<usize, usize> = HashMap::new();
    let mut local_urls = Vec::new();
    let mut id_clashes = Vec::new();
    let mut explicit_given: HashSet<String> = HashSet::new();
    // the raw HTML's URLs, each put in before the event it comes before
    let mut raw_urls = raw.urls.into_iter().peekable();

    for (k, event) in events.into_iter().enumerate() {
        while let Some((_, url)) = raw_urls.next_if(|(before, _)| *before <= k) {
            local_urls.push(url);
        }
        if let Some(pending) = &mut out.heading {
            match &event {
                Event::Text(t) | Event::Code(t) => pending.text.push_str(t),
                Event::SoftBreak | Event::HardBreak => pending.text.push(' '),
                _ => {}
            }
        }
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                out.heading = Some(PendingHeading {
                    level,
                    explicit_id: id.map(|id| id.to_string()),
                    text: String::new(),
                    events: Vec::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(pending) = out.heading.take() {
                    let text = pending.text.trim().to_owned();
                    let id = match pending.explicit_id {
                        // an id the page has already: two elements with one id break links
                        // to it and the labels that name it (`aria-labelledby`)
                        Some(id) if held(&id).is_some() || !explicit_given.insert(id.clone()) => {
                            let unique = unique_suffixed(&id, &mut used_ids);
                            let holder = held(&id).unwrap_or(Holder::Heading);
                            id_clashes.push((id, unique.clone(), holder));
                            unique
                        }
                        Some(id) => id,
                        None => unique_slug(&text, &mut used_ids),
                    };
                    let level = pending.level;
                    out.push(Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(id.clone())),
                        // classes and custom attributes from `{…}` are dropped: the
                        // sanitizer would drop them too, and `{onclick=…}` is a script
                        classes: Vec::new(),
                        attrs: Vec::new(),
                    }));
                    for e in pending.events {
                        out.push(e);
                    }
                    out.push(Event::End(TagEnd::Heading(level)));
                    headings.push(Heading {
                        level: level as u8,
                        id,
                        text,
                    });
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let kept = is_allowed_url(&dest_url, UrlUse::Link);
                links_kept.push(kept);
                // an e-mail autolink's URL is the address, `mailto:` added when written
                let mut dest_url = dest_url;
                if kept && link_type != LinkType::Email && links::is_local(&dest_url) {
                    local_urls.push(dest_url.to_string());
                    if let Some(file) = links::page_file_url(&dest_url) {
                        dest_url = file.into();
                    }
                }
                if kept {
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link) => {
                if links_kept.pop().unwrap_or(true) {
                    out.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let kept = is_allowed_url(&dest_url, UrlUse::Image);
                images_kept.push(kept);
                if kept && links::is_local(&dest_url) {
                    local_urls.push(dest_url.to_string());
                }
                if kept {
                    out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Image) => {
                if images_kept.pop().unwrap_or(true) {
                    out.push(Event::End(TagEnd::Image));
                }
            }
            Event::Start(Tag::Table(alignments)) => {
                table.alignments = alignments.clone();
                out.push(Event::Start(Tag::Table(alignments)));
            }
            Event::Start(Tag::TableHead) => {
                table.is_head = true;
                table.cell = 0;
                out.push(Event::Start(Tag::TableHead));
            }
            Event::End(TagEnd::TableHead) => {
                table.is_head = false;
                out.push(Event::End(TagEnd::TableHead));
            }
            Event::Start(Tag::TableRow) => {
                table.cell = 0;
                out.push(Event::Start(Tag::TableRow));
            }
            Event::Start(Tag::TableCell) => {
                let align = table.alignments.get(table.cell).copied();
                let html = match (table.is_head, align) {
                    (true, Some(Alignment::Left)) => "<th align=\"left\">",
                    (true, Some(Alignment::Center)) => "<th align=\"center\">",
                    (true, Some(Alignment::Right)) => "<th align=\"right\">",
                    (true, Some(Alignment::None) | None) => "<th>",
                    (false, Some(Alignment::Left)) => "<td align=\"left\">",
                    (false, Some(Alignment::Center)) => "<td align=\"center\">",
                    (false, Some(Alignment::Right)) => "<td align=\"right\">",
                    (false, Some(Alignment::None) | None) => "<td>",
                };
                out.push(Event::Html(CowStr::Borrowed(html)));
            }
            Event::End(TagEnd::TableCell) => {
                let html = if table.is_head { "</th>" } else { "</td>" };
                out.push(Event::Html(CowStr::Borrowed(html)));
                table.cell += 1;
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let (class, title) = alert_class_and_title(kind, options);
                let mut html = format!("<div class=\"alert {class}\" role=\"note\">\n");
                html.push_str("<p class=\"alert-title\">");
                push_escaped(&mut html, title);
                html.push_str("</p>\n");
                out.push(Event::Html(html.into()));
            }
            Event::End(TagEnd::BlockQuote(Some(_))) => {
                out.push(Event::Html("</div>\n".into()));
            }
            Event::FootnoteReference(label) => match footnotes.number(&label) {
                Some(n) => {
                    let seen = refs_seen.entry(n).or_insert(0);
                    *seen += 1;
                    let html = format!(
                        "<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"{}\">{n}</a></sup>",
                        fnref_id(n, *seen)
                    );
                    out.push(Event::Html(html.into()));
                }
                None => out.push(Event::Text(format!("[^{label}]").into())),
            },
            Event::Start(Tag::FootnoteDefinition(label)) => {
                out.definition = footnotes.number(&label).map(|n| (n, Vec::new()));
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((n, events)) = out.definition.take() {
                    out.definitions.entry(n).or_default().extend(events);
                }
            }
            other => out.push(other),
        }
    }
    local_urls.extend(raw_urls.map(|(_, url)| url));

    let mut events = out.main;
    if !out.definitions.is_empty() {
        let label = &options.footnote_backref_label;
        events.push(Event::Html("<section class=\"footnotes\">\n<ol>\n".into()));
        for (n, mut body) in out.definitions {
            events.push(Event::Html(format!("<li id=\"fn-{n}\">\n").into()));
            let backrefs = backref_links(n, footnotes.ref_count(n), label);
            if !backrefs.is_empty() {
                if matches!(body.last(), Some(Event::End(TagEnd::Paragraph))) {
                    let end = body.pop();
                    body.push(Event::Html(backrefs.into()));
                    body.extend(end);
                } else {
                    body.push(Event::Html(
                        format!("<p>{}</p>\n", backrefs.trim_start()).into(),
                    ));
                }
            }
            events.extend(body);
            events.push(Event::Html("</li>\n".into()));
        }
        events.push(Event::Html("</ol>\n</section>\n".into()));
    }
    Transformed {
        events,
        headings,
        id_clashes,
        raw_id_clashes,
        local_urls,
    }
}

/// What the body's raw HTML gives the page ([`links::scan_raw_html`]), read once.
#[derive(Debug, Default)]
pub(super) struct RawHtml {
    /// Element ids in document order, each with the source offset of its `id` attribute
    /// (exact when a run of raw HTML is written as it is joined, as outside block quotes
    /// and lists).
    pub(super) ids: Vec<(String, usize)>,
    /// Local link and image URLs in document order, each with the index of the event it
    /// comes before (the first after its run of raw HTML).
    pub(super) urls: Vec<(usize, String)>,
}

/// Reads the raw HTML of `events` (each with its byte range in the Markdown source) in
/// runs: an HTML block comes a line at a time, and a tag written over several lines is
/// whole only in the lines joined.
pub(super) fn read_raw_html<'e, 'a: 'e>(
    events: impl IntoIterator<Item = (&'e Event<'a>, std::ops::Range<usize>)>,
) -> RawHtml {
    let mut raw = RawHtml::default();
    let mut scan = links::RawScan::default();
    let mut pending = String::new();
    // where the run starts in the source
    let mut start = 0;
    let mut flush = |pending: &mut String, start: usize, before: usize| {
        let (from, mut urls) = (raw.ids.len(), Vec::new());
        links::scan_raw_html(pending, &mut scan, &mut raw.ids, &mut urls);
        for (_, at) in &mut raw.ids[from..] {
            *at += start;
        }
        raw.urls.extend(urls.into_iter().map(|url| (before, url)));
        pending.clear();
    };
    let mut k = 0;
    for (event, range) in events {
        match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                if pending.is_empty() {
                    start = range.start;
                }
                pending.push_str(html);
            }
            _ if !pending.is_empty() => flush(&mut pending, start, k),
            _ => {}
        }
        k += 1;
    }
    flush(&mut pending, start, k);
    raw
}

/// Where rewritten events go: a heading being collected, else a footnote definition
/// being collected, else the main stream.
#[derive(Default)]
struct Output<'a> {
    main: Vec<Event<'a>>,
    heading: Option<PendingHeading<'a>>,
    definition: Option<(usize, Vec<Event<'a>>)>,
    definitions: BTreeMap<usize, Vec<Event<'a>>>,
}

impl<'a> Output<'a> {
    fn push(&mut self, event: Event<'a>) {
        if let Some(heading) = &mut self.heading {
            heading.events.push(event);
        } else if let Some((_, events)) = &mut self.definition {
            events.push(event);
        } else {
            self.main.push(event);
        }
    }
}

/// A heading whose id is known only at its end, once its text has been read.
struct PendingHeading<'a> {
    level: pulldown_cmark::HeadingLevel,
    explicit_id: Option<String>,
    text: String,
    events: Vec<Event<'a>>,
}

/// Which table cell comes next, to write `th` or `td` with its column's alignment.
#[derive(Default)]
struct TableState {
    alignments: Vec<Alignment>,
    is_head: bool,
    cell: usize,
}

/// Footnote numbers, fixed before rewriting so heading ids can avoid footnote ids:
/// cited footnotes by first citation, then uncited ones in definition order (GitHub
/// drops those; we keep them so no published text disappears).
struct FootnotePlan {
    numbers: HashMap<String, usize>,
    ref_counts: HashMap<usize, usize>,
}

impl FootnotePlan {
    fn new(events: &[Event<'_>]) -> Self {
        let defined: Vec<&str> = events
            .iter()
            .filter_map(|e| match e {
                Event::Start(Tag::FootnoteDefinition(label)) => Some(label.as_ref()),
                _ => None,
            })
            .collect();
        let defined_set: HashSet<&str> = defined.iter().copied().collect();
        let mut numbers: HashMap<String, usize> = HashMap::new();
        let mut ref_counts: HashMap<usize, usize> = HashMap::new();
        for event in events {
            if let Event::FootnoteReference(label) = event {
                if !defined_set.contains(label.as_ref()) {
                    continue;
                }
                let next = numbers.len() + 1;
                let n = *numbers.entry(label.to_string()).or_insert(next);
                *ref_counts.entry(n).or_insert(0) += 1;
            }
        }
        for label in defined {
            let next = numbers.len() + 1;
            numbers.entry(label.to_owned()).or_insert(next);
        }
        FootnotePlan {
            numbers,
            ref_counts,
        }
    }

    fn number(&self, label: &str) -> Option<usize> {
        self.numbers.get(label).copied()
    }

    fn ref_count(&self, n: usize) -> usize {
        self.ref_counts.get(&n).copied().unwrap_or(0)
    }

    /// Every `fn-N` and `fnref-N[-K]` id the footnotes will use.
    fn reserved_ids(&self) -> HashSet<String> {
        let mut ids = HashSet::new();
        for &n in self.numbers.values() {
            ids.insert(format!("fn-{n}"));
            for k in 1..=self.ref_count(n) {
                ids.insert(fnref_id(n, k));
            }
        }
        ids
    }
}

/// The id of the `k`-th citation (from 1) of footnote `n`.
fn fnref_id(n: usize, k: usize) -> String {
    if k == 1 {
        format!("fnref-{n}")
    } else {
        format!("fnref-{n}-{k}")
    }
}

/// Back links from footnote `n` to each of its `count` citations, each preceded by a space.
fn backref_links(n: usize, count: usize, label: &str) -> String {
    let mut html = String::new();
    for k in 1..=count {
        let _ = write!(
            html,
            " <a href=\"#{}\" class=\"footnote-backref\" aria-label=\"",
            fnref_id(n, k)
        );
        push_escaped(&mut html, label);
        let _ = write!(html, " {n}\">↩");
        if k > 1 {
            let _ = write!(html, "<sup>{k}</sup>");
        }
        html.push_str("</a>");
    }
    html
}

/// Ids written as `{#id}`, reserved so automatic ids never take them.
fn explicit_heading_ids(events: &[Event<'_>]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
            _ => None,
        })
        .collect()
}

/// `base` made unique with `-1`, `-2`… against `used`, and recorded there.
fn unique_suffixed(base: &str, used: &mut HashSet<String>) -> String {
    let mut k = 1;
    let mut candidate = format!("{base}-{k}");
    while used.contains(&candidate) {
        k += 1;
        candidate = format!("{base}-{k}");
    }
    used.insert(candidate.clone());
    candidate
}

/// The slug of `text` (`section` when it has no letters or digits), made unique with
/// `-1`, `-2`… against `used`, and recorded there.
fn unique_slug(text: &str, used: &mut HashSet<String>) -> String {
    let mut base = slug::slugify(text);
    if base.is_empty() {
        base = "section".to_owned();
    }
    let mut candidate = base.clone();
    let mut k = 0;
    while used.contains(&candidate) {
        k += 1;
        candidate = format!("{base}-{k}");
    }
    used.insert(candidate.clone());
    candidate
}

fn alert_class_and_title(kind: BlockQuoteKind, options: &MarkdownOptions) -> (&'static str, &str) {
    let titles = &options.alert_titles;
    match kind {
        BlockQuoteKind::Note => ("alert-note", &titles.note),
        BlockQuoteKind::Tip => ("alert-tip", &titles.tip),
        BlockQuoteKind::Important => ("alert-important", &titles.important),
        BlockQuoteKind::Warning => ("alert-warning", &titles.warning),
        BlockQuoteKind::Caution => ("alert-caution", &titles.caution),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_slug_suffixes_repeats_and_falls_back_to_section() {
        let mut used = HashSet::from(["fn-1".to_owned()]);
        let cases = [
            ("Versões afetadas", "versoes-afetadas"),
            ("Versões afetadas", "versoes-afetadas-1"),
            ("versoes afetadas!", "versoes-afetadas-2"),
            ("", "section"),
            ("¿?", "section-1"),
            ("Fn 1", "fn-1-1"),
        ];
        for (text, want) in cases {
            assert_eq!(unique_slug(text, &mut used), want, "{text:?}");
        }
    }

    #[test]
    fn backref_links_number_repeated_citations() {
        assert_eq!(backref_links(3, 0, "Back"), "");
        assert_eq!(
            backref_links(3, 2, "Voltar <à>"),
            " <a href=\"#fnref-3\" class=\"footnote-backref\" aria-label=\"Voltar &lt;à&gt; 3\">↩</a> \
             <a href=\"#fnref-3-2\" class=\"footnote-backref\" aria-label=\"Voltar &lt;à&gt; 3\">↩<sup>2</sup></a>"
        );
    }
}
