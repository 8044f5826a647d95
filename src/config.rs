//! Site settings: `content/site.yaml` converted into `SiteConfig` (locales in display
//! order, default locale, fallback chains) and the options of a build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::diag::Problem;
use crate::frontmatter::{self, RawSite, RawTitle};
use crate::model::Locale;

/// Validated site settings.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    /// Title per site locale (every locale has one).
    pub title: BTreeMap<Locale, String>,
    /// Absolute base URL ending in `/`, used only for canonical, hreflang, sitemap and feeds.
    pub base_url: String,
    pub default_locale: Locale,
    /// Site locales in display order; the default locale is among them.
    pub locales: Vec<Locale>,
    /// Fallback chain after each locale itself (e.g. pt-BR → [pt, en-US]), always ending
    /// in [`crate::i18n::BUILT_IN_LOCALE`].
    pub chains: BTreeMap<Locale, Vec<Locale>>,
    /// Advisories per locale index page; 0 puts every advisory on one page.
    pub paginate_by: usize,
    /// Entries of each locale's Atom feed, newest first; 0 lists every advisory.
    pub feed_limit: usize,
}

/// Advisories per index page unless `site.yaml` says otherwise.
pub const DEFAULT_PAGINATE_BY: usize = 50;
/// Feed entries unless `site.yaml` says otherwise.
pub const DEFAULT_FEED_LIMIT: usize = 50;

impl SiteConfig {
    /// The site title in `locale`.
    pub fn title_in(&self, locale: &Locale) -> &str {
        self.title
            .get(locale)
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// The configuration a site is checked with when its `site.yaml` has errors: the
    /// built-in locale alone, for the site's templates and UI strings to be checked too.
    pub(crate) fn stand_in() -> SiteConfig {
        let built_in: Locale = crate::i18n::BUILT_IN_LOCALE
            .parse()
            .expect("the built-in locale is a valid tag");
        SiteConfig {
            title: BTreeMap::from([(built_in.clone(), String::new())]),
            base_url: "https://example.invalid/".to_string(),
            default_locale: built_in.clone(),
            locales: vec![built_in.clone()],
            chains: BTreeMap::from([(built_in, Vec::new())]),
            paginate_by: DEFAULT_PAGINATE_BY,
            feed_limit: DEFAULT_FEED_LIMIT,
        }
    }
}

/// Options of `avisa build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site folder holding `content/` (and optional `templates/`, `locales/`).
    pub root: PathBuf,
    /// Output folder; default `<root>/public`.
    pub out: PathBuf,
    /// Warnings fail the build.
    pub strict: bool,
    /// The address the site is published at, in place of `site.yaml`'s `base_url`
    /// (canonical links, hreflang, sitemap, feeds), as [`base_url`] returns it: `build
    /// --base-url` (a staging copy), or the preview server's address.
    pub base_url: Option<String>,
    /// A build for `avisa serve`'s preview instead of for publishing.
    pub preview: Option<Preview>,
}

/// How a preview build (`avisa serve`) differs from one for publishing, besides its
/// `base_url`.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The address on the server (path and query) of the script each HTML page loads,
    /// which reloads the page after a rebuild; the pages' Content-Security-Policy lets it
    /// ask the server (and only the server) when. Written into the pages as it is.
    pub script: String,
}

/// What to write for a `base_url` that [`base_url`] rejects.
pub const BASE_URL_HELP: &str =
    "write the address the site will be published at, e.g. `https://advisories.example.org/`";

/// A site's address as pages link it: `text` trimmed, an absolute `http://` or `https://`
/// URL with a host and no query or fragment, ending in `/` (added when missing). A
/// character that a URL holds only percent-encoded, or that would mean more than itself in
/// the nginx map of redirects (`$`), is refused. `Err` says what is wrong with it (after
/// "`base_url` " or "`--base-url` ").
pub fn base_url(text: &str) -> Result<String, String> {
    // a user name or password would be published in every page's links: refused, and not
    // repeated in the message (which CI logs keep)
    let trimmed = text.trim();
    if let Some((scheme, rest)) = trimmed.split_once("://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if let Some((_, host)) = authority.rsplit_once('@') {
            return Err(format!(
                "`{scheme}://…@{host}/…` holds a user name or password, which every page's links, the sitemap and the feeds would publish: give the address without it (a server that asks for a password asks the reader)"
            ));
        }
    }
    let url = web_address(text, "$")?;
    if let Some(c) = url.chars().find(|&c| c == '?' || c == '#') {
        return Err(format!(
            "`{url}` has a {}: a site's address has none",
            match c {
                '?' => "query",
                _ => "fragment",
            }
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// `text` trimmed when it is an absolute `http://` or `https://` URL with a host and no
/// character a URL holds only percent-encoded, nor one of `also_encoded`; `Err` says what
/// is wrong with it, after the URL in backquotes (the address of a site, of a reference).
pub(crate) fn web_address<'a>(text: &'a str, also_encoded: &str) -> Result<&'a str, String> {
    let url = text.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    let Some(rest) = rest.filter(|r| !r.is_empty() && !r.starts_with('/')) else {
        return Err(format!("`{url}` is not an absolute http(s) URL"));
    };
    let encoded = |c: char| {
        c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c) || also_encoded.contains(c)
    };
    if let Some(c) = rest.chars().find(|&c| encoded(c)) {
        return Err(format!(
            "`{url}` holds {c:?}, which it must percent-encode (`{}`)",
            utf8_percent(c)
        ));
    }
    Ok(url)
}

/// `c` percent-encoded as UTF-8 (`%24` for `$`).
fn utf8_percent(c: char) -> String {
    let mut buf = [0; 4];
    c.encode_utf8(&mut buf)
        .bytes()
        .map(|b| format!("%{b:02X}"))
        .collect()
}

/// A warning when `yaml`, a valid `site.yaml` (at `file`), does not list `locale`, saying
/// what follows for the files just written for it (`consequence`: "`avisa build` will
/// reject …"). An invalid `site.yaml` is `avisa build`'s to report.
pub(crate) fn unlisted_locale(
    yaml: &str,
    file: &Path,
    locale: &Locale,
    consequence: &str,
) -> Option<Problem> {
    let config = parse_site_config(yaml, file).ok()?;
    if config.locales.contains(locale) {
        return None;
    }
    Some(
        Problem::warning(
            file,
            format!("`{locale}` is not one of the site's locales, so {consequence}"),
        )
        .at_opt(frontmatter::locate(yaml, &["locales:"], 1))
        .help(format!("add `{locale}` to `locales`")),
    )
}

/// Converts `site.yaml` into a `SiteConfig`; `file` is the path shown in problems.
pub(crate) fn parse_site_config(yaml: &str, file: &Path) -> Result<SiteConfig, Vec<Problem>> {
    match frontmatter::parse_site(yaml, file) {
        Ok(raw) => convert(raw, yaml, file),
        // the values of the keys that read are checked in the same run (`feed_limit: abc`
        // hid a `default_locale` missing from `locales`)
        Err(failed) => Err(frontmatter::with_repaired_problems(
            failed,
            |raw, text, _, more| {
                more.extend(convert(raw, text, file).err().unwrap_or_default());
            },
        )),
    }
}

/// The settings of a `site.yaml` that read, checked.
fn convert(raw: RawSite, yaml: &str, file: &Path) -> Result<SiteConfig, Vec<Problem>> {
    let mut problems = Vec::new();
    let at = |needles: &[&str]| frontmatter::locate(yaml, needles, 1);
    let parse_locale = |tag: &str, key: &str, problems: &mut Vec<Problem>| -> Option<Locale> {
        match tag.parse::<Locale>() {
            Ok(l) => Some(l),
            Err(e) => {
                problems.push(
                    Problem::error(file, e)
                        .at_opt(at(&[key, tag]))
                        .help("use a BCP 47 tag such as `pt-BR`, `es-ES` or `en-US`"),
                );
                None
            }
        }
    };
    let mut locales: Vec<Locale> = Vec::new();
    for (i, tag) in raw.locales.iter().enumerate() {
        if let Some(l) = parse_locale(tag, "locales:", &mut problems) {
            if locales.contains(&l) {
                let earlier = raw.locales[..i].iter().filter(|t| *t == tag).count();
                problems.push(
                    Problem::error(file, format!("locale `{l}` is listed twice in `locales`"))
                        .at_opt(at(&frontmatter::nth_place("locales:", tag, earlier)))
                        .help("list each locale once"),
                );
            } else {
                locales.push(l);
            }
        }
    }
    if raw.locales.is_empty() {
        problems.push(
            Problem::error(file, "`locales` is empty")
                .at_opt(at(&["locales:"]))
                .help("list the site's locales, e.g. `locales: [en-US, pt-BR]`"),
        );
    }
    let default_locale = parse_locale(&raw.default_locale, "default_locale:", &mut problems);
    if let Some(d) = &default_locale
        && !locales.contains(d)
        && !raw.locales.is_empty()
    {
        problems.push(
            Problem::error(file, format!("`default_locale` `{d}` is not in `locales`"))
                .at_opt(at(&["default_locale:"]))
                .help(format!("add `{d}` to `locales`")),
        );
    }
    let base_url = base_url(&raw.base_url).unwrap_or_else(|message| {
        problems.push(
            Problem::error(file, format!("`base_url` {message}"))
                .at_opt(at(&["base_url:"]))
                .help(BASE_URL_HELP),
        );
        String::new()
    });

    let mut title = BTreeMap::new();
    // a page's `<title>`, its heading and the feed's title: an empty one names nothing
    let empty = |t: &str, needles: &[&str], problems: &mut Vec<Problem>| {
        if t.trim().is_empty() {
            problems.push(
                Problem::error(file, "the site `title` is empty")
                    .at_opt(at(needles))
                    .help("write the site's name, e.g. `title: Example Security Advisories`"),
            );
        }
    };
    match &raw.title {
        RawTitle::One(t) => {
            empty(t, &["title:"], &mut problems);
            for l in &locales {
                title.insert(l.clone(), t.clone());
            }
        }
        RawTitle::PerLocale(map) => {
            for (tag, t) in map {
                let Some(l) = parse_locale(tag, "title:", &mut problems) else {
                    continue;
                };
                empty(t, &["title:", &format!("{tag}:")], &mut problems);
                // (a title nothing uses, as `fallbacks` for an unlisted locale)
                if !locales.contains(&l) && !raw.locales.is_empty() {
                    problems.push(
                        Problem::error(
                            file,
                            format!("`title` names `{l}`, which is not in `locales`"),
                        )
                        .at_opt(at(&["title:", tag]))
                        .help(format!(
                            "add `{l}` to `locales`, or remove its entry from `title`"
                        )),
                    );
                }
                title.insert(l, t.clone());
            }
        }
    }
    let mut chains = BTreeMap::new();
    for (tag, chain) in &raw.fallbacks {
        let Some(l) = parse_locale(tag, "fallbacks:", &mut problems) else {
            continue;
        };
        if !locales.contains(&l) {
            problems.push(
                Problem::error(
                    file,
                    format!("`fallbacks` names `{l}`, which is not in `locales`"),
                )
                .at_opt(at(&["fallbacks:", tag]))
                .help(format!(
                    "add `{l}` to `locales`, or remove its entry from `fallbacks`"
                )),
            );
        }
        let parsed: Vec<Locale> = chain
            .iter()
            .filter_map(|t| parse_locale(t, tag, &mut problems))
            .collect();
        chains.insert(l, parsed);
    }
    let Some(default_locale) = default_locale else {
        return Err(problems);
    };
    let built_in = crate::i18n::BUILT_IN_LOCALE.parse::<Locale>().ok();
    for l in &locales {
        let fallback_title = title.get(&default_locale).cloned();
        match (title.contains_key(l), fallback_title) {
            (true, _) => {}
            (false, Some(t)) => {
                title.insert(l.clone(), t);
            }
            (false, None) => problems.push(
                Problem::error(file, format!("`title` has no entry for `{l}`"))
                    .at_opt(at(&["title:"]))
                    .help(format!(
                        "add `{l}: …` under `title`, or give one title for all locales"
                    )),
            ),
        }
        let chain = chains
            .entry(l.clone())
            .or_insert_with(|| default_chain(l, &default_locale));
        // every chain ends in the locale whose UI strings are all built in, so a site
        // in locales nobody wrote strings for still has a word for every key
        if let Some(last) = &built_in
            && l != last
            && !chain.contains(last)
        {
            chain.push(last.clone());
        }
    }
    if problems.iter().any(Problem::is_error) {
        return Err(problems);
    }
    Ok(SiteConfig {
        title,
        base_url,
        default_locale,
        locales,
        chains,
        paginate_by: raw.paginate_by.unwrap_or(DEFAULT_PAGINATE_BY),
        feed_limit: raw.feed_limit.unwrap_or(DEFAULT_FEED_LIMIT),
    })
}

/// The default fallback chain: the language without region (and script), then the default locale.
fn default_chain(locale: &Locale, default: &Locale) -> Vec<Locale> {
    let mut chain = locale.parents();
    if locale != default && !chain.contains(default) {
        chain.push(default.clone());
    }
    chain
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<SiteConfig, Vec<Problem>> {
        parse_site_config(yaml, Path::new("content/site.yaml"))
    }

    #[test]
    fn default_chain_is_language_then_default_locale() {
        let c = parse(
            "title: T\nbase_url: https://x.org\ndefault_locale: en-US\nlocales: [en-US, pt-BR]\n",
        )
        .unwrap();
        let chain: Vec<String> = c.chains[&"pt-BR".parse().unwrap()]
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(chain, ["pt", "en-US"]);
        assert_eq!(c.base_url, "https://x.org/");
        assert_eq!(c.title_in(&"pt-BR".parse().unwrap()), "T");
    }

    #[test]
    fn every_chain_ends_in_the_locale_whose_strings_are_built_in() {
        let c = parse("title: T\nbase_url: https://x.org/\ndefault_locale: de-DE\nlocales: [ja-JP, de-DE, en-GB]\nfallbacks: { de-DE: [de-AT] }\n").unwrap();
        let chain = |tag: &str| -> Vec<String> {
            c.chains[&tag.parse().unwrap()]
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(chain("ja-JP"), ["ja", "de-DE", "en-US"]);
        assert_eq!(chain("de-DE"), ["de-AT", "en-US"]);
        assert_eq!(chain("en-GB"), ["en", "de-DE", "en-US"]);
    }

    #[test]
    fn explicit_fallbacks_replace_the_default_chain() {
        let c = parse("title: T\nbase_url: https://x.org/\ndefault_locale: en-US\nlocales: [en-US, pt-BR]\nfallbacks: { pt-BR: [pt-PT, en-US] }\n").unwrap();
        let chain: Vec<String> = c.chains[&"pt-BR".parse().unwrap()]
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(chain, ["pt-PT", "en-US"]);
    }

    #[test]
    fn invalid_locale_is_reported_with_position() {
        let e = parse(
            "title: T\nbase_url: https://x.org/\ndefault_locale: en-US\nlocales: [en-US, pt_BR]\n",
        )
        .unwrap_err();
        assert!(
            e[0].message.contains("`pt_BR` is not a valid BCP 47"),
            "{}",
            e[0].message
        );
        assert_eq!(e[0].line, Some(4));
    }

    #[test]
    fn a_repeated_locale_and_a_chain_for_an_unlisted_one_say_how_to_fix_them() {
        let e = parse("title: T\nbase_url: https://x.org/\ndefault_locale: en-US\nlocales: [en-US, en-US]\nfallbacks: { fr-FR: [en-US] }\n")
            .unwrap_err();
        let twice = e
            .iter()
            .find(|p| p.message.contains("listed twice"))
            .unwrap();
        assert_eq!(twice.help.as_deref(), Some("list each locale once"));
        // At the second `en-US` of the list, not the first.
        assert_eq!((twice.line, twice.column), (Some(4), Some(18)));
        let chain = e
            .iter()
            .find(|p| p.message.contains("`fallbacks` names"))
            .unwrap();
        assert_eq!(chain.line, Some(5));
        assert_eq!(
            chain.help.as_deref(),
            Some("add `fr-FR` to `locales`, or remove its entry from `fallbacks`")
        );
    }

    /// The values that read are checked beside the keys with problems: `feed_limit: abc`
    /// hid a `default_locale` missing from `locales` until it was fixed.
    #[test]
    fn a_value_problem_shows_beside_a_key_problem() {
        let e = parse("title: T\nbase_url: https://x.org/\ndefault_locale: de-DE\nlocales: [en-US]\nfeed_limit: abc\n")
            .unwrap_err();
        let got: Vec<(Option<usize>, &str)> =
            e.iter().map(|p| (p.line, p.message.as_str())).collect();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].1.starts_with("feed_limit: invalid type"), "{got:?}");
        assert_eq!(
            got[1],
            (Some(3), "`default_locale` `de-DE` is not in `locales`")
        );
    }

    /// A title for a locale the site does not list was accepted and used nowhere.
    #[test]
    fn a_title_for_an_unlisted_locale_says_how_to_fix_it() {
        let e = parse("title:\n  en-US: T\n  fr-FR: U\nbase_url: https://x.org/\ndefault_locale: en-US\nlocales: [en-US]\n")
            .unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(
            e[0].message,
            "`title` names `fr-FR`, which is not in `locales`"
        );
        assert_eq!((e[0].line, e[0].column), (Some(3), Some(3)));
        assert_eq!(
            e[0].help.as_deref(),
            Some("add `fr-FR` to `locales`, or remove its entry from `title`")
        );
    }

    #[test]
    fn default_locale_must_be_listed() {
        let e = parse("title: T\nbase_url: https://x.org/\ndefault_locale: fr\nlocales: [en-US]\n")
            .unwrap_err();
        assert!(e.iter().any(|p| p.message.contains("not in `locales`")));
    }

    #[test]
    fn relative_base_url_is_rejected() {
        let e = parse("title: T\nbase_url: /docs/\ndefault_locale: en-US\nlocales: [en-US]\n")
            .unwrap_err();
        assert!(e.iter().any(|p| p.message.contains("base_url")));
    }

    #[test]
    fn a_base_url_is_an_absolute_http_url_with_a_host_and_gets_its_final_slash() {
        assert_eq!(base_url(" https://x.org ").unwrap(), "https://x.org/");
        assert_eq!(base_url("http://x.org/a/b/").unwrap(), "http://x.org/a/b/");
        assert_eq!(
            base_url("https://staging.x.org:8443/avisos").unwrap(),
            "https://staging.x.org:8443/avisos/"
        );
        for bad in [
            "/docs/",
            "x.org",
            "ftp://x.org/",
            "https://",
            "https:///a",
            "",
        ] {
            assert_eq!(
                base_url(bad).unwrap_err(),
                format!("`{}` is not an absolute http(s) URL", bad.trim()),
                "{bad}"
            );
        }
        for (bad, why) in [
            (
                "https://x .org/",
                "holds ' ', which it must percent-encode (`%20`)",
            ),
            (
                "https://x.org/$a/",
                "holds '$', which it must percent-encode (`%24`)",
            ),
            (
                "https://x.org/a?b=1",
                "has a query: a site's address has none",
            ),
            (
                "https://x.org/#top",
                "has a fragment: a site's address has none",
            ),
        ] {
            assert_eq!(base_url(bad).unwrap_err(), format!("`{bad}` {why}"));
        }
        for bad in [
            "https://deploy:S3cret@staging.example.org/",
            " http://deploy@staging.example.org/docs/?a#b",
            "https://a:b@c@staging.example.org",
        ] {
            let e = base_url(bad).unwrap_err();
            assert!(
                e.starts_with("`http")
                    && e.contains("…@staging.example.org/…` holds a user name or password"),
                "{e}"
            );
            assert!(!e.contains("S3cret") && !e.contains("deploy"), "{e}");
        }
        // an `@` in the path is no user name
        assert_eq!(
            base_url("https://x.org/@team/").unwrap(),
            "https://x.org/@team/"
        );
    }
}
