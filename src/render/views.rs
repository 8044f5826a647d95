//! View structs: exactly what each template receives, computed from the site model.
//! Links are relative to the page; canonical, hreflang, sitemap and feed URLs absolute.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::Error;
use crate::checker;
use crate::load::Site;
use crate::markdown::{self, AlertTitles, Html, MarkdownOptions};
use crate::model::{Advisory, Locale};
use crate::urls;

use super::{CSP, CSP_PREVIEW, Memos, call_key, checker_texts, script_json};
use crate::i18n::Arg;
use crate::model::Date;

/// Per-build data shared by every page.
pub(super) struct SiteView<'a> {
    site: &'a Site,
    /// Each locale's name in its own language.
    names: BTreeMap<Locale, String>,
    /// The advisories with a page, newest first (published date, then id).
    newest_first: Vec<&'a Advisory>,
    /// The words the Markdown renderer writes itself, per locale.
    markdown: BTreeMap<Locale, MarkdownOptions>,
    /// The `checker-*` UI strings per locale, for pages that embed a log checker.
    checker_t: BTreeMap<Locale, BTreeMap<String, String>>,
    /// The long dates and UI strings `date_long` and `t` remember: advisory pages format
    /// their dates and labels through the same tables (a few hundred distinct ones serve
    /// thousands of pages).
    memos: &'a Memos,
    /// The pages' Content-Security-Policy ([`CSP`], or [`CSP_PREVIEW`] for `avisa serve`).
    csp: &'static str,
}

/// One entry of an advisory page's table of contents.
#[derive(Serialize)]
struct TocEntry {
    level: u8,
    id: String,
    text: String,
}

/// A link to another language version.
#[derive(Serialize)]
struct Alternate {
    hreflang: String,
    href: String,
}

/// One entry of the language switcher.
#[derive(Serialize)]
struct Switch {
    lang: String,
    name: String,
    href: String,
    is_current: bool,
}

/// What `base.html` needs on every page.
#[derive(Serialize)]
struct Common {
    lang: String,
    dir: &'static str,
    site_title: String,
    csp: &'static str,
    /// Relative prefix to `assets/`.
    assets: String,
    /// Relative link to this locale's index.
    home: String,
    /// Relative link to the root page.
    root_index: String,
    canonical: String,
    alternates: Vec<Alternate>,
    /// The `x-default` alternate; none for a page with no alternates (a later index page).
    x_default: Option<String>,
    switcher: Vec<Switch>,
    /// Relative link to this locale's feed, if the page has one.
    feed: Option<String>,
}

#[derive(Serialize)]
struct AffectedView<'a> {
    product: &'a str,
    versions: &'a [String],
}

#[derive(Serialize)]
struct RevisionView<'a> {
    number: &'a str,
    date: String,
    /// `date` as `date_long` prints it.
    date_long: tera::Value,
    /// `meta-revision-number` with this `number`.
    label: tera::Value,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct ReferenceView<'a> {
    url: &'a str,
    kind: &'a str,
    /// `ref-type-<kind>`, or `kind` itself when no locale names it.
    kind_label: tera::Value,
}

/// Markup the renderer made safe (sanitized HTML, JSON that cannot close its `<script>`):
/// a template prints it as it is, without `| safe` and without copying it again.
struct Markup(tera::Value);

impl Markup {
    fn new(html: &str) -> Self {
        Markup(tera::Value::safe_string(html))
    }

    fn len(&self) -> usize {
        self.0.as_str().map_or(0, str::len)
    }
}

impl From<Html> for Markup {
    fn from(html: Html) -> Self {
        Markup::new(html.as_str())
    }
}

impl Serialize for Markup {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

#[derive(Serialize)]
struct CheckerView {
    id: String,
    title: Option<String>,
    /// The language and direction of `title` when it is the default locale's (this page's
    /// translation has none): set on its element, so it reads right on any page.
    title_lang: Option<Lang>,
    log_name: String,
    file_hint: Vec<String>,
    data_json: Markup,
}

/// A text's language and direction, for `lang` and `dir` attributes.
#[derive(Serialize, Clone)]
struct Lang {
    lang: String,
    dir: &'static str,
}

#[derive(Serialize)]
struct StaleView {
    from: String,
    current: String,
}

#[derive(Serialize)]
struct AdvisoryView<'a> {
    id: &'a str,
    kind: &'static str,
    published: String,
    /// `published` as `date_long` prints it.
    published_long: tera::Value,
    updated: Option<String>,
    /// `updated` as `date_long` prints it.
    updated_long: Option<tera::Value>,
    /// `meta-revision-count` for the number of revisions.
    revision_count: tera::Value,
    kb: &'a [String],
    cves: &'a [String],
    affected: Vec<AffectedView<'a>>,
    revisions: Vec<RevisionView<'a>>,
    references: Vec<ReferenceView<'a>>,
    legacy_url: Option<&'a str>,
}

/// `advisory.html`.
#[derive(Serialize)]
pub(super) struct AdvisoryPage<'a> {
    #[serde(flatten)]
    common: Common,
    advisory: AdvisoryView<'a>,
    title: &'a str,
    summary: Option<&'a str>,
    body: Markup,
    /// Level-2 and level-3 headings of the body, when there are at least three.
    toc: Vec<TocEntry>,
    stale: Option<StaleView>,
    checkers: Vec<CheckerView>,
    /// `checker-*` UI strings, variables left as `{name}` tokens.
    checker_t: BTreeMap<String, String>,
    /// The body's links and images into the site itself, for the build to check.
    #[serde(skip)]
    pub(super) local_links: Vec<LocalLink>,
    /// Ids written as `{#id}` that the page had already ([`crate::markdown::Rendered`]),
    /// with where each is written in the translation file, for warnings.
    #[serde(skip)]
    pub(super) id_clashes: Vec<IdClash>,
}

/// An id the body gives that the page had already: a heading's `{#id}`, or an element's
/// of the body's HTML.
#[derive(Debug)]
pub(super) struct IdClash {
    /// The id as written.
    pub(super) written: String,
    /// The id the heading got instead; `None` for an element of the HTML, which keeps it.
    pub(super) given: Option<String>,
    /// Line and column of its `{#id`, or of the element's `id=`, in the translation file.
    pub(super) at: Option<(usize, usize)>,
    /// What has the id before it.
    pub(super) holder: markdown::Holder,
    /// Line and column of the holder's `{#id` or `id=`, when it is the body's.
    pub(super) holder_at: Option<(usize, usize)>,
}

/// A link or image of a body whose URL points into the site (relative or root-relative).
#[derive(Debug)]
pub(super) struct LocalLink {
    pub(super) url: String,
    /// Line and column of the URL's first appearance in the translation file, when it
    /// appears there as written (character references in raw HTML are not).
    pub(super) at: Option<(usize, usize)>,
}

impl AdvisoryPage<'_> {
    /// Roughly how many bytes the rendered page takes: its body and the page around it.
    pub(super) fn size_hint(&self) -> usize {
        self.body.len() + 24 * 1024
    }
}

/// A translation that exists, for "available in" lists.
#[derive(Serialize)]
struct Available {
    lang: String,
    name: String,
    href: String,
    title: String,
}

#[derive(Serialize)]
struct IndexEntry<'a> {
    id: &'a str,
    kind: &'static str,
    published: String,
    updated: Option<String>,
    /// Title in this locale, or in the first available one (see `title_lang`).
    title: String,
    title_lang: String,
    /// Link to this locale's page, when translated.
    href: Option<String>,
    is_stale: bool,
    /// The translations that exist, when this locale has none.
    available: Vec<Available>,
}

/// One page number of the pager.
#[derive(Serialize)]
struct PagerLink {
    number: usize,
    /// `None` for the current page.
    href: Option<String>,
    /// Page numbers were left out before this one.
    gap_before: bool,
}

/// Where a page of a paginated index stands; `total` is 1 when the index has one page.
#[derive(Serialize)]
struct Pager {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    /// The first and last page and those near the current one.
    pages: Vec<PagerLink>,
}

/// `index.html` of one locale, or one page of it.
#[derive(Serialize)]
pub(super) struct IndexPage<'a> {
    #[serde(flatten)]
    common: Common,
    entries: Vec<IndexEntry<'a>>,
    pager: Pager,
}

#[derive(Serialize)]
struct RootLocale {
    lang: String,
    dir: &'static str,
    name: String,
    title: String,
    href: String,
}

/// The root `index.html`.
#[derive(Serialize)]
pub(super) struct RootPage {
    #[serde(flatten)]
    common: Common,
    locales: Vec<RootLocale>,
}

#[derive(Serialize)]
struct SitemapUrl {
    loc: String,
    lastmod: Option<String>,
    alternates: Vec<Alternate>,
}

/// `sitemap.xml`, or one part of it.
#[derive(Serialize)]
pub(super) struct Sitemap {
    urls: Vec<SitemapUrl>,
}

/// URLs per sitemap file. A site with more gets `sitemap.xml` as a sitemap index of
/// `sitemap-1.xml`, `sitemap-2.xml`, …, so no view holds every URL of a large site.
pub(super) const SITEMAP_CHUNK: usize = 1000;

/// One thing the sitemap lists.
#[derive(Clone, Copy)]
enum SitemapItem<'a> {
    Root,
    Index(&'a Locale),
    Page(&'a Advisory, &'a Locale),
}

#[derive(Serialize)]
struct SitemapFile {
    loc: String,
    lastmod: Option<String>,
}

/// `sitemap.xml` as a sitemap index (`sitemap_index.xml`), when the site has more than
/// `SITEMAP_CHUNK` URLs.
#[derive(Serialize)]
pub(super) struct SitemapIndex {
    sitemaps: Vec<SitemapFile>,
}

#[derive(Serialize)]
struct FeedEntry {
    id: String,
    title: String,
    summary: Option<String>,
    updated: String,
    published: String,
    link: String,
}

/// `atom.xml` of one locale.
#[derive(Serialize)]
pub(super) struct Feed {
    lang: String,
    /// The name of `lang` in itself (`português (Brasil)`), for the feed's title.
    language: String,
    site_title: String,
    self_url: String,
    home_url: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

/// Where `url` is first written as a link's whole URL in `body`: right after what opens
/// one (`(` of a Markdown link, `<`, an HTML attribute's `=`, `"` or `'`, a link
/// reference's `]: `), so the same path mentioned earlier in the text is not taken for the
/// link; else its first appearance as a whole word (`/es-ES/954474` is not found inside
/// `../../es-ES/954474/`); else its first appearance at all.
fn find_url(body: &str, url: &str) -> Option<usize> {
    // after `(`, `<` or `]: ` (Markdown), or as the value of `href` or `src` (HTML): not
    // `name=x` before an `<img src=x>`
    let opens_link = |before: &str| {
        let attribute = before.strip_suffix(['"', '\'']).unwrap_or(before);
        let named = |name: &str| {
            let b = attribute.as_bytes();
            b.len() >= name.len() && b[b.len() - name.len()..].eq_ignore_ascii_case(name.as_bytes())
        };
        before.ends_with(['(', '<'])
            || before.ends_with("]: ")
            || attribute.strip_suffix('=').is_some() && (named("href=") || named("src="))
    };
    let opens = |c: char| matches!(c, '(' | '<' | '"' | '\'' | '=') || c.is_whitespace();
    let closes = |c: char| matches!(c, ')' | '>' | '"' | '\'') || c.is_whitespace();
    let whole = |i: &usize| {
        body[..*i].chars().next_back().is_none_or(opens)
            && body[i + url.len()..].chars().next().is_none_or(closes)
    };
    let mut found = body.match_indices(url).map(|(i, _)| i).filter(whole);
    match found.next() {
        Some(first) => std::iter::once(first)
            .chain(found)
            .find(|&i| opens_link(&body[..i]))
            .or(Some(first)),
        None => body.find(url),
    }
}

/// The ids the built-in `base.html` and `advisory.html` give elements around a body;
/// a heading's automatic id does not take them (`## Main` is `#main-1`).
const PAGE_IDS: &[&str] = &["main", "meta-heading", TOC_ID];

/// The id of the table of contents' title, which a page has only with a table.
const TOC_ID: &str = "toc-heading";

/// Entries (level-2 and level-3 headings) a body needs for its page to show a table of
/// contents.
const TOC_MIN: usize = 3;

/// Where the `nth` (from 0) `{#id` of `body` that writes `id` whole (then `}` or a space,
/// not `{#id-2}` for `id`) starts.
fn heading_id_at(body: &str, id: &str, nth: usize) -> Option<usize> {
    let written = format!("{{#{id}");
    (body.match_indices(&written))
        .map(|(i, _)| i)
        .filter(|&i| {
            matches!(
                body.as_bytes().get(i + written.len()),
                Some(b'}' | b' ' | b'\t')
            )
        })
        .nth(nth)
}

/// The entries of a table of contents of these headings.
fn toc_length(headings: &[markdown::Heading]) -> usize {
    (headings.iter())
        .filter(|h| (2..=3).contains(&h.level))
        .count()
}

fn dir_of(locale: &Locale) -> &'static str {
    if crate::i18n::is_rtl(locale) {
        "rtl"
    } else {
        "ltr"
    }
}

fn rfc3339(d: crate::model::Date) -> String {
    format!("{d}T00:00:00Z")
}

impl<'a> SiteView<'a> {
    pub(super) fn new(site: &'a Site, memos: &'a Memos, preview: bool) -> SiteView<'a> {
        let names = site
            .config
            .locales
            .iter()
            .map(|l| {
                (
                    l.clone(),
                    // a language's own name, never another's through the fallback
                    // chain: without one, the tag itself
                    site.i18n
                        .own_text(l, "language-name", &[])
                        .unwrap_or_else(|| l.to_string()),
                )
            })
            .collect();
        // (an advisory without a translation has no page to list: a warning says so)
        let mut newest_first: Vec<&Advisory> =
            site.advisories.iter().filter(|a| a.is_listed()).collect();
        newest_first.sort_by(|a, b| {
            b.meta
                .published
                .cmp(&a.meta.published)
                .then_with(|| a.id.cmp(&b.id))
        });
        let markdown = site
            .config
            .locales
            .iter()
            .map(|l| {
                let t = |key: &str, default: &str| {
                    site.i18n
                        .text(l, key, &[])
                        .unwrap_or_else(|| default.to_string())
                };
                let options = MarkdownOptions {
                    alert_titles: AlertTitles {
                        note: t("alert-note", "Note"),
                        tip: t("alert-tip", "Tip"),
                        important: t("alert-important", "Important"),
                        warning: t("alert-warning", "Warning"),
                        caution: t("alert-caution", "Caution"),
                    },
                    footnote_backref_label: t("footnote-back", "Back to reference"),
                    page_ids: PAGE_IDS.iter().map(|id| id.to_string()).collect(),
                };
                (l.clone(), options)
            })
            .collect();
        let checker_t = site
            .config
            .locales
            .iter()
            .map(|l| (l.clone(), checker_texts(&site.i18n, l)))
            .collect();
        SiteView {
            site,
            names,
            newest_first,
            markdown,
            checker_t,
            memos,
            csp: if preview { CSP_PREVIEW } else { CSP },
        }
    }

    /// `date` as an ISO date and as the `date_long` filter prints it in `locale`.
    fn dated(&self, locale: &Locale, date: Date) -> (String, tera::Value) {
        let iso = date.to_string();
        let long = self
            .memos
            .dates
            .get_or_insert_with(locale.as_str(), &iso, || {
                crate::i18n::format_date_long(locale, date)
            });
        (iso, long)
    }

    /// The UI string `key` with `args` (sorted by name), as `t()` prints it in `locale`
    /// (the same call, remembered in the same table); `fallback` when no locale has it.
    fn label(
        &self,
        locale: &Locale,
        key: &str,
        args: &[(&str, Arg)],
        fallback: &str,
    ) -> tera::Value {
        self.memos
            .texts
            .get_or_try_insert_with(locale.as_str(), &call_key(key, args), || {
                self.site.i18n.text(locale, key, args).ok_or(())
            })
            .unwrap_or_else(|()| tera::Value::from(fallback))
    }

    fn name(&self, l: &Locale) -> String {
        self.names.get(l).cloned().unwrap_or_else(|| l.to_string())
    }

    fn abs(&self, path: &str) -> String {
        urls::absolute(&self.site.config.base_url, path)
    }

    /// The common part; `versions` are the (locale, path) of this page in every language.
    fn common(
        &self,
        lang: &Locale,
        path: &str,
        versions: &[(Locale, String)],
        x_default: Option<&str>,
        switch_all: bool,
    ) -> Common {
        let config = &self.site.config;
        let mut alternates: Vec<Alternate> = versions
            .iter()
            .map(|(l, p)| Alternate {
                hreflang: l.to_string(),
                href: self.abs(p),
            })
            .collect();
        alternates.sort_by(|a, b| a.hreflang.cmp(&b.hreflang));
        let switcher = config
            .locales
            .iter()
            .filter_map(|l| {
                let target = versions
                    .iter()
                    .find(|(v, _)| v == l)
                    .map(|(_, p)| p.clone());
                let target = match (target, switch_all) {
                    (Some(t), _) => t,
                    (None, true) => urls::locale_index(l),
                    (None, false) => return None,
                };
                Some(Switch {
                    lang: l.to_string(),
                    name: self.name(l),
                    href: urls::relative(path, &target),
                    is_current: l == lang,
                })
            })
            .collect();
        Common {
            lang: lang.to_string(),
            dir: dir_of(lang),
            site_title: config.title_in(lang).to_string(),
            csp: self.csp,
            assets: urls::relative(path, &urls::asset("")),
            home: urls::relative(path, &urls::locale_index(lang)),
            root_index: urls::relative(path, urls::ROOT),
            canonical: self.abs(path),
            alternates,
            x_default: x_default.map(|p| self.abs(p)),
            switcher,
            feed: Some(urls::relative(path, &urls::feed(lang))),
        }
    }

    /// Every existing translation of `a` as (locale, page path), in site order.
    fn versions(&self, a: &Advisory) -> Vec<(Locale, String)> {
        self.site
            .config
            .locales
            .iter()
            .filter(|l| a.translations.contains_key(*l))
            .map(|l| (l.clone(), urls::advisory_page(l, &a.id)))
            .collect()
    }

    /// The advisory page of `a` in `locale` (which has a translation).
    pub(super) fn advisory_page(
        &self,
        a: &'a Advisory,
        locale: &Locale,
    ) -> Result<AdvisoryPage<'a>, Error> {
        let t = &a.translations[locale];
        let path = urls::advisory_page(locale, &a.id);
        let versions = self.versions(a);
        let x_default = self.x_default(&versions).unwrap_or_else(|| path.clone());
        let mut common = self.common(locale, &path, &versions, Some(&x_default), false);
        common.feed = Some(urls::relative(&path, &urls::feed(locale)));
        let meta = &a.meta;
        let stale = a.is_stale(locale).then(|| StaleView {
            from: t.translated_from_revision.clone().unwrap_or_default(),
            current: meta.current_revision().unwrap_or_default().to_string(),
        });
        let default = &self.site.config.default_locale;
        let default_t = a.translations.get(default);
        let default_lang = Lang {
            lang: default.to_string(),
            dir: dir_of(default),
        };
        let checkers = meta
            .log_checks
            .iter()
            .map(|c| {
                let mut messages: BTreeMap<String, String> = default_t
                    .and_then(|d| d.log_check_messages.get(&c.id))
                    .cloned()
                    .unwrap_or_default();
                let own = t.log_check_messages.get(&c.id);
                // the messages this translation lacks: shown in the default locale's
                // language, which the page marks on them
                let borrowed: Vec<String> = match locale == default {
                    true => Vec::new(),
                    false => (messages.keys())
                        .filter(|k| !own.is_some_and(|o| o.contains_key(*k)))
                        .cloned()
                        .collect(),
                };
                if let Some(own) = own {
                    messages.extend(own.clone());
                }
                let title = messages.get(checker::TITLE_KEY).cloned();
                let title_lang = (title.is_some()
                    && borrowed.iter().any(|k| k == checker::TITLE_KEY))
                .then(|| default_lang.clone());
                let rules = checker::page_rules(c);
                let log_name = rules
                    .get("log_name")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                let file_hint = rules
                    .get("file_hint")
                    .and_then(|v| v.as_array())
                    .map(|v| {
                        v.iter()
                            .filter_map(|s| s.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default();
                let mut data = serde_json::json!({ "check": rules, "messages": messages });
                if !borrowed.is_empty() {
                    data["borrowed"] = serde_json::json!({
                        "lang": default_lang.lang,
                        "dir": default_lang.dir,
                        "messages": borrowed,
                    });
                }
                CheckerView {
                    id: c.id.clone(),
                    title,
                    title_lang,
                    log_name,
                    file_hint,
                    data_json: Markup::new(&script_json(&data)),
                }
            })
            .collect::<Vec<_>>();
        let (rendered, local_links, id_clashes) = crate::load::with_body_text(t, |body| {
            let base = self.markdown.get(locale);
            let with_checkers;
            let options = match (base, meta.log_checks.is_empty()) {
                (Some(base), true) => base,
                (base, _) => {
                    // the log checkers' sections, after the body, have ids of their own
                    let mut options = base.cloned().unwrap_or_default();
                    for c in &meta.log_checks {
                        let id = format!("checker-{}", c.id);
                        options.page_ids.push(format!("{id}-title"));
                        options.page_ids.push(format!("{id}-text"));
                        options.page_ids.push(id);
                    }
                    with_checkers = options;
                    &with_checkers
                }
            };
            let mut rendered = markdown::render_markdown_with(body, options);
            // `toc-heading` is the page's only when it shows a table of contents: without
            // one, a heading or element that took it, or moved aside from it, is read again
            if toc_length(&rendered.headings) < TOC_MIN
                && ((rendered.headings.iter()).any(|h| h.id.starts_with(TOC_ID))
                    || (rendered.raw_id_clashes.iter()).any(|(id, _, _)| id == TOC_ID))
            {
                let mut without = options.clone();
                without.page_ids.retain(|id| id != TOC_ID);
                rendered = markdown::render_markdown_with(body, &without);
            }
            // Every place a link is written, so that a broken link written on three
            // lines gets three warnings: each occurrence is searched after the last one.
            let mut links: Vec<LocalLink> = Vec::new();
            let mut next: HashMap<&str, usize> = HashMap::new();
            for url in &rendered.local_urls {
                let from = next.get(url.as_str()).copied().unwrap_or(0);
                let found = find_url(&body[from.min(body.len())..], url).map(|i| from + i);
                if let Some(i) = found {
                    next.insert(url, i + url.len());
                }
                let at = found.map(|i| {
                    let (line, column) = crate::diag::line_column(body, i);
                    (t.body_line + line - 1, column)
                });
                if !links.iter().any(|l| &l.url == url && l.at == at) {
                    links.push(LocalLink {
                        url: url.clone(),
                        at,
                    });
                }
            }
            let place = |i: usize| {
                let (line, column) = crate::diag::line_column(body, i);
                (t.body_line + line - 1, column)
            };
            // each clash at its own `{#id`: the first writing of one the page or the HTML
            // has, the second of one an earlier heading has; and what has it, at its place
            // when it is the body's (the HTML's ids found again, with their places, only
            // when needed)
            let needs_places = !rendered.raw_id_clashes.is_empty()
                || (rendered.id_clashes.iter()).any(|(_, _, h)| *h == markdown::Holder::Element);
            let raw_places = match needs_places {
                true => markdown::raw_id_places(body),
                false => Vec::new(),
            };
            let raw_place = |id: &str, nth: usize| {
                (raw_places.iter().filter(|(p, _)| p == id))
                    .nth(nth)
                    .map(|(_, i)| place(*i))
            };
            let holder_at = |id: &str, holder: markdown::Holder| match holder {
                markdown::Holder::Element => raw_place(id, 0),
                markdown::Holder::Heading => heading_id_at(body, id, 0).map(place),
                markdown::Holder::Page | markdown::Holder::Footnote => None,
            };
            let mut clashes = Vec::new();
            for (k, (id, given, holder)) in rendered.id_clashes.iter().enumerate() {
                let before = (rendered.id_clashes[..k].iter())
                    .filter(|(c, _, _)| c == id)
                    .count();
                let nth = before + usize::from(*holder == markdown::Holder::Heading);
                let at = heading_id_at(body, id, nth).map(place);
                clashes.push(IdClash {
                    written: id.clone(),
                    given: Some(given.clone()),
                    at,
                    holder: *holder,
                    holder_at: holder_at(id, *holder),
                });
            }
            for (id, nth, holder) in &rendered.raw_id_clashes {
                clashes.push(IdClash {
                    written: id.clone(),
                    given: None,
                    at: raw_place(id, *nth),
                    holder: *holder,
                    holder_at: holder_at(id, *holder),
                });
            }
            (rendered, links, clashes)
        })?;
        // a level-3 heading before the first level-2 one has no section to sit in, so it
        // is listed at the top level rather than as a lone indented entry
        let mut seen_level_2 = false;
        let mut toc: Vec<TocEntry> = rendered
            .headings
            .iter()
            .filter(|h| (2..=3).contains(&h.level))
            .map(|h| {
                seen_level_2 |= h.level == 2;
                TocEntry {
                    level: if seen_level_2 { h.level } else { 2 },
                    id: h.id.clone(),
                    text: h.text.clone(),
                }
            })
            .collect();
        if toc.len() < TOC_MIN {
            toc.clear();
        }
        let checker_t = match checkers.is_empty() {
            true => BTreeMap::new(),
            false => self.checker_t.get(locale).cloned().unwrap_or_default(),
        };
        let (published, published_long) = self.dated(locale, meta.published);
        let (updated, updated_long) = meta.updated.map(|d| self.dated(locale, d)).unzip();
        Ok(AdvisoryPage {
            common,
            advisory: AdvisoryView {
                id: a.id.as_str(),
                kind: meta.kind.as_str(),
                published,
                published_long,
                updated,
                updated_long,
                revision_count: self.label(
                    locale,
                    "meta-revision-count",
                    &[("count", Arg::Num(meta.revisions.len() as i64))],
                    "",
                ),
                kb: &meta.kb,
                cves: &meta.cves,
                affected: meta
                    .affected
                    .iter()
                    .map(|x| AffectedView {
                        product: t.product_name(&x.product),
                        versions: &x.versions,
                    })
                    .collect(),
                revisions: meta
                    .revisions
                    .iter()
                    .map(|r| {
                        let (date, date_long) = self.dated(locale, r.date);
                        RevisionView {
                            number: &r.number,
                            date,
                            date_long,
                            label: self.label(
                                locale,
                                "meta-revision-number",
                                &[("number", Arg::Str(r.number.clone()))],
                                &r.number,
                            ),
                            note: t.revision_notes.get(&r.number).map(String::as_str),
                        }
                    })
                    .collect(),
                references: meta
                    .references
                    .iter()
                    .map(|r| ReferenceView {
                        url: &r.url,
                        kind: &r.kind,
                        kind_label: self.label(
                            locale,
                            &format!("ref-type-{}", r.kind),
                            &[],
                            &r.kind,
                        ),
                    })
                    .collect(),
                legacy_url: meta.legacy_urls.get(locale).map(String::as_str),
            },
            title: &t.title,
            summary: t.summary.as_deref(),
            body: rendered.html.into(),
            local_links,
            id_clashes,
            toc,
            stale,
            checkers,
            checker_t,
        })
    }

    /// How many pages each locale index takes.
    pub(super) fn index_pages(&self) -> usize {
        urls::index_pages(self.newest_first.len(), self.site.config.paginate_by)
    }

    /// Page `page` (1-based, of `index_pages`) of the index of `locale`: every advisory,
    /// newest first. Page 1's alternates are the other locales' first pages; a later page
    /// has no equivalent in another locale, so its language switcher leads to their
    /// first pages and it names no alternates.
    pub(super) fn index_page(&self, locale: &Locale, page: usize) -> IndexPage<'a> {
        let config = &self.site.config;
        let total = self.index_pages();
        let path = urls::locale_index_page(locale, page);
        let versions: Vec<(Locale, String)> = if page == 1 {
            config
                .locales
                .iter()
                .map(|l| (l.clone(), urls::locale_index(l)))
                .collect()
        } else {
            Vec::new()
        };
        // a later page names no alternates, nor an `x-default` the root would not return
        let x_default = (page == 1).then_some(urls::ROOT);
        let common = self.common(locale, &path, &versions, x_default, true);
        let link = |n: usize| urls::relative(&path, &urls::locale_index_page(locale, n));
        let mut pages = Vec::new();
        for n in 1..=total {
            if n == 1 || n == total || n.abs_diff(page) <= 2 {
                pages.push(PagerLink {
                    number: n,
                    href: (n != page).then(|| link(n)),
                    gap_before: pages.last().is_some_and(|p: &PagerLink| p.number + 1 != n),
                });
            }
        }
        let pager = Pager {
            current: page,
            total,
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < total).then(|| link(page + 1)),
            pages,
        };
        let per_page = match config.paginate_by {
            0 => usize::MAX,
            n => n,
        };
        let chain = self
            .site
            .config
            .chains
            .get(locale)
            .cloned()
            .unwrap_or_default();
        let entries = self
            .newest_first
            .iter()
            .skip((page - 1).saturating_mul(per_page))
            .take(per_page)
            .map(|a| {
                let own = a.translations.get(locale);
                let shown = own
                    .or_else(|| chain.iter().find_map(|l| a.translations.get(l)))
                    .or_else(|| a.translations.values().next());
                let available = if own.is_some() {
                    Vec::new()
                } else {
                    self.versions(a)
                        .into_iter()
                        .map(|(l, p)| Available {
                            lang: l.to_string(),
                            name: self.name(&l),
                            href: urls::relative(&path, &p),
                            title: a.translations[&l].title.clone(),
                        })
                        .collect()
                };
                IndexEntry {
                    id: a.id.as_str(),
                    kind: a.meta.kind.as_str(),
                    published: a.meta.published.to_string(),
                    updated: a.meta.updated.map(|d| d.to_string()),
                    title: shown
                        .map(|t| t.title.clone())
                        .unwrap_or_else(|| a.id.to_string()),
                    title_lang: shown.map(|t| t.locale.to_string()).unwrap_or_default(),
                    href: own.map(|_| urls::relative(&path, &urls::advisory_page(locale, &a.id))),
                    is_stale: a.is_stale(locale),
                    available,
                }
            })
            .collect();
        IndexPage {
            common,
            entries,
            pager,
        }
    }

    /// The root page, in the default locale, linking every locale.
    pub(super) fn root_page(&self) -> RootPage {
        let config = &self.site.config;
        let versions: Vec<(Locale, String)> = config
            .locales
            .iter()
            .map(|l| (l.clone(), urls::locale_index(l)))
            .collect();
        let mut common = self.common(
            &config.default_locale,
            urls::ROOT,
            &versions,
            Some(urls::ROOT),
            true,
        );
        common.feed = None;
        for s in &mut common.switcher {
            s.is_current = false;
        }
        let locales = config
            .locales
            .iter()
            .map(|l| RootLocale {
                lang: l.to_string(),
                dir: dir_of(l),
                name: self.name(l),
                title: config.title_in(l).to_string(),
                href: urls::locale_index(l),
            })
            .collect();
        RootPage { common, locales }
    }

    /// The page of an advisory's `versions` that `x-default` names: the default locale's,
    /// else the first.
    fn x_default(&self, versions: &[(Locale, String)]) -> Option<String> {
        let default = &self.site.config.default_locale;
        versions
            .iter()
            .find(|(l, _)| l == default)
            .or_else(|| versions.first())
            .map(|(_, p)| p.clone())
    }

    /// How many URLs the sitemap lists: the root, each locale index, each advisory page.
    pub(super) fn sitemap_len(&self) -> usize {
        let config = &self.site.config;
        1 + config.locales.len()
            + self
                .site
                .advisories
                .iter()
                .map(|a| {
                    config
                        .locales
                        .iter()
                        .filter(|l| a.translations.contains_key(*l))
                        .count()
                })
                .sum::<usize>()
    }

    /// What the sitemap lists, in order, before anything is built for it.
    fn sitemap_items(&self) -> impl Iterator<Item = SitemapItem<'a>> + '_ {
        let locales = &self.site.config.locales;
        std::iter::once(SitemapItem::Root)
            .chain(locales.iter().map(SitemapItem::Index))
            .chain(self.site.advisories.iter().flat_map(move |a| {
                locales
                    .iter()
                    .filter(|l| a.translations.contains_key(*l))
                    .map(move |l| SitemapItem::Page(a, l))
            }))
    }

    /// The sitemap entries `range` (of `sitemap_len`): each URL with its alternates.
    pub(super) fn sitemap(&self, range: std::ops::Range<usize>) -> Sitemap {
        let config = &self.site.config;
        let alternates = |versions: Vec<(Locale, String)>, x_default: Option<&str>| {
            versions
                .iter()
                .map(|(l, p)| Alternate {
                    hreflang: l.to_string(),
                    href: self.abs(p),
                })
                .chain(x_default.map(|p| Alternate {
                    hreflang: "x-default".into(),
                    href: self.abs(p),
                }))
                .collect()
        };
        // the root and the locale indexes are one set of alternates, as their pages say
        let indexes = || {
            alternates(
                config
                    .locales
                    .iter()
                    .map(|l| (l.clone(), urls::locale_index(l)))
                    .collect(),
                Some(urls::ROOT),
            )
        };
        let urls = self
            .sitemap_items()
            .skip(range.start)
            .take(range.len())
            .map(|item| match item {
                SitemapItem::Root => SitemapUrl {
                    loc: self.abs(urls::ROOT),
                    lastmod: None,
                    alternates: indexes(),
                },
                SitemapItem::Index(l) => SitemapUrl {
                    loc: self.abs(&urls::locale_index(l)),
                    lastmod: None,
                    alternates: indexes(),
                },
                SitemapItem::Page(a, l) => {
                    let versions = self.versions(a);
                    let x_default = self.x_default(&versions);
                    SitemapUrl {
                        loc: self.abs(&urls::advisory_page(l, &a.id)),
                        lastmod: Some(a.meta.last_changed().to_string()),
                        alternates: alternates(versions, x_default.as_deref()),
                    }
                }
            })
            .collect();
        Sitemap { urls }
    }

    /// The sitemap index of a sitemap split into `chunks` files of `SITEMAP_CHUNK` URLs.
    pub(super) fn sitemap_index(&self, chunks: usize) -> SitemapIndex {
        let mut lastmods: Vec<Option<crate::model::Date>> = vec![None; chunks];
        for (i, item) in self.sitemap_items().enumerate() {
            if let SitemapItem::Page(a, _) = item {
                let m = &mut lastmods[(i / SITEMAP_CHUNK).min(chunks - 1)];
                *m = (*m).max(Some(a.meta.last_changed()));
            }
        }
        SitemapIndex {
            sitemaps: lastmods
                .into_iter()
                .enumerate()
                .map(|(k, lastmod)| SitemapFile {
                    loc: self.abs(&urls::sitemap_part(k + 1)),
                    lastmod: lastmod.map(|d| d.to_string()),
                })
                .collect(),
        }
    }

    /// The Atom feed of `locale`: its translated advisories, newest first, at most
    /// `feed_limit` of them.
    pub(super) fn feed(&self, locale: &Locale) -> Feed {
        let limit = match self.site.config.feed_limit {
            0 => usize::MAX,
            n => n,
        };
        let entries: Vec<FeedEntry> = self
            .newest_first
            .iter()
            .filter(|a| a.translations.contains_key(locale))
            .take(limit)
            .filter_map(|a| {
                let t = a.translations.get(locale)?;
                let link = self.abs(&urls::advisory_page(locale, &a.id));
                Some(FeedEntry {
                    id: link.clone(),
                    title: t.title.clone(),
                    summary: t.summary.clone(),
                    updated: rfc3339(a.meta.last_changed()),
                    published: rfc3339(a.meta.published),
                    link,
                })
            })
            .collect();
        // the newest change of its entries; for a locale with none yet, the site's newest
        // (Atom requires a date, and 1970 said the feed was never updated)
        let newest = |in_locale: bool| {
            (self.site.advisories.iter())
                .filter(|a| !in_locale || a.translations.contains_key(locale))
                .map(|a| a.meta.last_changed())
                .max()
        };
        let updated = newest(true)
            .or_else(|| newest(false))
            .map(rfc3339)
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
        Feed {
            lang: locale.to_string(),
            language: self.name(locale),
            site_title: self.site.config.title_in(locale).to_string(),
            self_url: self.abs(&urls::feed(locale)),
            home_url: self.abs(&urls::locale_index(locale)),
            updated,
            entries,
        }
    }

    /// Redirects from legacy URLs: a page at each old path, in the language of the page it
    /// leads to, `_redirects` and an nginx map. A legacy URL whose redirect cannot be
    /// written is left out (`check` and `build` warn about it, see `validate`).
    pub(super) fn extra_files(&self) -> Vec<(String, String)> {
        let config = &self.site.config;
        let (entries, owners) = crate::redirects::legacy_entries(&self.site.advisories);
        let generated = urls::generated_files(&self.site.advisories, config);
        let plan = crate::redirects::plan(&entries, &generated, urls::base_path(&config.base_url));
        let i18n = &self.site.i18n;
        let mut files = plan.lists;
        for (path, i, relative) in plan.pages {
            let (a, locale) = owners[i];
            let title = &a.translations[locale].title;
            let text = |key: &str, args: &[(&str, Arg)]| {
                i18n.text(locale, key, args)
                    .unwrap_or_else(|| key.to_string())
            };
            let moved = text("redirect-moved", &[("target", Arg::Str(title.clone()))]);
            let link = text("redirect-link", &[]);
            let canonical = self.abs(&urls::advisory_page(locale, &a.id));
            let page = crate::redirects::redirect_page(
                &relative,
                &canonical,
                &crate::redirects::PageText {
                    lang: locale.as_str(),
                    dir: dir_of(locale),
                    title,
                    moved: &moved,
                    link: &link,
                },
            );
            files.push((path, page));
        }
        files.sort();
        files
    }
}

#[cfg(test)]
mod tests {
    use super::find_url;

    #[test]
    fn a_url_is_found_where_it_is_written_whole() {
        let body = "[a](../../es-ES/954474/) [b](/es-ES/954474) <a href=\"../x\">c</a> ../y";
        assert_eq!(
            find_url(body, "/es-ES/954474"),
            body.find("(/es-ES").map(|i| i + 1)
        );
        assert_eq!(find_url(body, "../../es-ES/954474/"), Some(4));
        assert_eq!(find_url(body, "../x"), body.find("\"../x").map(|i| i + 1));
        // written only inside something else: its first appearance
        assert_eq!(find_url(body, "es-ES/9"), body.find("es-ES/9"));
        assert_eq!(find_url(body, "../z"), None);
        // the same path mentioned in the text before the link: the link's place
        let body = "Copy ../img/a.png to the server.\n\n<img src=\"../img/a.png\">\n";
        assert_eq!(
            find_url(body, "../img/a.png"),
            body.find("\"../").map(|i| i + 1)
        );
        let body = "See ../b.pdf first.\n\n[ref]: ../b.pdf\n";
        assert_eq!(find_url(body, "../b.pdf"), body.rfind("../b.pdf"));
        // only in the text: there
        assert_eq!(find_url("see ../y now", "../y"), Some(4));
    }
}
