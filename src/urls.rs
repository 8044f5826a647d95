//! Where every output file lives, and relative links between them, so that the same
//! files work on a server, from `file://` and in a bundle. No I/O.

use std::collections::BTreeSet;

use crate::model::{Advisory, AdvisoryId, Locale};

/// The root page that links every locale.
pub(crate) const ROOT: &str = "index.html";
/// The names of the files each locale's folder holds beside its advisories' folders, its
/// index page and its feed (so no advisory id may be either, see `AdvisoryId`).
pub(crate) const INDEX_FILE: &str = "index.html";
pub(crate) const FEED_FILE: &str = "atom.xml";
/// The sitemap (or, for a large site, the sitemap index).
pub(crate) const SITEMAP: &str = "sitemap.xml";

/// Part `k` (1-based) of a sitemap split into several files.
pub(crate) fn sitemap_part(k: usize) -> String {
    format!("sitemap-{k}.xml")
}

/// A locale's index page.
pub(crate) fn locale_index(locale: &Locale) -> String {
    format!("{locale}/{INDEX_FILE}")
}

/// Page `n` (1-based) of a locale's index; page 1 is the locale index itself.
pub(crate) fn locale_index_page(locale: &Locale, n: usize) -> String {
    if n <= 1 {
        locale_index(locale)
    } else {
        format!("{locale}/page/{n}/index.html")
    }
}

/// How many pages an index of `entries` entries takes at `per_page` a page (0: one page).
pub(crate) fn index_pages(entries: usize, per_page: usize) -> usize {
    if per_page == 0 {
        1
    } else {
        entries.div_ceil(per_page).max(1)
    }
}

/// An advisory page in one locale.
pub(crate) fn advisory_page(locale: &Locale, id: &AdvisoryId) -> String {
    format!("{locale}/{id}/index.html")
}

/// Every file a build writes other than redirect pages and assets: the pages, each
/// locale's feed, the files of advisory folders published beside their pages, the
/// sitemap (see [`clash`] for its parts), the redirect lists and the output's marker.
pub(crate) fn generated_files(
    advisories: &[Advisory],
    config: &crate::config::SiteConfig,
) -> BTreeSet<String> {
    let mut files = page_paths(advisories, &config.locales, config.paginate_by);
    files.extend(config.locales.iter().map(feed));
    for a in advisories {
        for l in a.translations.keys() {
            files.extend(a.files.iter().map(|f| advisory_file(l, &a.id, f)));
        }
    }
    files.extend([SITEMAP, crate::redirects::NETLIFY, crate::redirects::NGINX].map(String::from));
    files
}

/// The file of the build that a redirect page at `path` would replace, or that is
/// written where the page needs a folder (`sitemap.xml` for `sitemap.xml/index.html`):
/// `files` is [`generated_files`]; every path under `assets/` and a sitemap's parts
/// (`sitemap-2.xml`, however many the site has) are taken too.
pub(crate) fn clash<'a>(path: &'a str, files: &'a BTreeSet<String>) -> Option<&'a str> {
    let first = path.split('/').next().unwrap_or(path);
    let sitemap_part = first
        .strip_prefix("sitemap-")
        .and_then(|rest| rest.strip_suffix(".xml"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if first == "assets" || sitemap_part {
        return Some(first);
    }
    path.match_indices('/')
        .map(|(i, _)| &path[..i])
        .chain(std::iter::once(path))
        .find(|p| files.contains(*p))
}

/// Every HTML page the site generates itself (root, locale indexes, advisory pages).
pub(crate) fn page_paths(
    advisories: &[Advisory],
    locales: &[Locale],
    paginate_by: usize,
) -> BTreeSet<String> {
    let listed = advisories.iter().filter(|a| a.is_listed());
    let pages = index_pages(listed.count(), paginate_by);
    let mut paths: BTreeSet<String> = locales
        .iter()
        .flat_map(|l| (1..=pages).map(move |n| locale_index_page(l, n)))
        .collect();
    paths.insert(ROOT.to_string());
    for a in advisories {
        paths.extend(a.translations.keys().map(|l| advisory_page(l, &a.id)));
    }
    paths
}

/// A locale's Atom feed.
pub(crate) fn feed(locale: &Locale) -> String {
    format!("{locale}/{FEED_FILE}")
}

/// A file of an advisory's folder, published beside its page in `locale`.
pub(crate) fn advisory_file(locale: &Locale, id: &AdvisoryId, name: &str) -> String {
    format!("{locale}/{id}/{name}")
}

/// A shared asset (CSS, scripts).
pub(crate) fn asset(name: &str) -> String {
    format!("assets/{name}")
}

/// The folder the site-relative file `path` is in (`None` at the top of the site).
pub(crate) fn folder(path: &str) -> Option<&str> {
    path.rsplit_once('/').map(|(dir, _)| dir)
}

/// The relative link from the file `from` to the file `to`, both site-relative
/// (`pt-BR/954474/index.html` → `../../es-ES/954474/index.html`).
pub(crate) fn relative(from: &str, to: &str) -> String {
    let mut dirs = folder(from)
        .map(|dirs| dirs.split('/'))
        .into_iter()
        .flatten()
        .peekable();
    // skip the folders both start with; `rest` is what of `to` is left (`None`: nothing)
    let mut rest = Some(to);
    while let (Some(dir), Some(r)) = (dirs.peek(), rest) {
        let (head, tail) = r.split_once('/').map_or((r, None), |(h, t)| (h, Some(t)));
        if head != *dir {
            break;
        }
        dirs.next();
        rest = tail;
    }
    // then one `../` for each folder of `from` left
    let up = dirs.count();
    let rest = rest.unwrap_or("");
    let mut out = String::with_capacity(3 * up + rest.len());
    for _ in 0..up {
        out.push_str("../");
    }
    out.push_str(rest);
    out
}

/// True when the path of the local URL `url` (before any `?` or `#`) names a folder: it
/// ends in `/`, `.` or `..`. Such a link names the folder's `index.html` on the page.
pub(crate) fn names_folder(url: &str) -> bool {
    let path = url_path(url);
    let last = path.rsplit('/').next().unwrap_or(path);
    path.ends_with('/') || last == "." || last == ".."
}

/// The path of a URL: what comes before its query or fragment.
pub(crate) fn url_path(url: &str) -> &str {
    url.find(['?', '#']).map_or(url, |end| &url[..end])
}

/// The site-relative path a local URL (no scheme or host) on the page at `page` leads to,
/// its query and fragment dropped and `%xx` decoded; a URL from the site's root (`/x`) is
/// read from the top of the site. An empty path is a folder's own (`pt-BR/`), and
/// `None` means the URL climbs above the site's top.
pub(crate) fn resolve(page: &str, url: &str) -> Option<String> {
    let path = percent_encoding::percent_decode_str(url_path(url.trim())).decode_utf8_lossy();
    let (mut parts, path): (Vec<&str>, &str) = match path.strip_prefix('/') {
        Some(from_top) => (Vec::new(), from_top),
        None if path.is_empty() => return Some(page.to_string()),
        None => (
            folder(page).map_or_else(Vec::new, |f| f.split('/').collect()),
            &path,
        ),
    };
    let is_folder = path.is_empty() || path.ends_with('/');
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if is_folder && !out.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// The path of `base_url` (an absolute URL ending in `/`, see [`crate::config::base_url`]),
/// below which the site's pages are served: `/`, or such as `/security/`.
pub(crate) fn base_path(base_url: &str) -> &str {
    let host_and_path = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    host_and_path.find('/').map_or("/", |i| &host_and_path[i..])
}

/// The absolute public URL of a file, as a directory URL for `index.html` pages
/// (used only for canonical, hreflang, sitemap and feeds).
pub(crate) fn absolute(base_url: &str, path: &str) -> String {
    let path = path.strip_suffix("index.html").unwrap_or(path);
    format!("{base_url}{path}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_base_path_is_what_follows_the_host() {
        assert_eq!(base_path("https://x.org/"), "/");
        assert_eq!(
            base_path("https://x.org:8443/security/kb/"),
            "/security/kb/"
        );
        assert_eq!(base_path("http://127.0.0.1:1111/"), "/");
    }

    #[test]
    fn local_urls_resolve_from_their_page() {
        let page = "pt-BR/954474/index.html";
        for (url, want) in [
            ("../../es-ES/954474/", Some("es-ES/954474/")),
            ("../954474/index.html#faq", Some("pt-BR/954474/index.html")),
            ("./img/a%20b.png?x=1", Some("pt-BR/954474/img/a b.png")),
            ("../..", Some("")),
            ("?page=2", Some(page)),
            ("/es-ES/954474/#faq", Some("es-ES/954474/")),
            ("/", Some("")),
            ("../../../x", None),
        ] {
            assert_eq!(resolve(page, url).as_deref(), want, "{url:?}");
        }
    }

    #[test]
    fn relative_links_between_pages() {
        let cases = [
            (
                "pt-BR/954474/index.html",
                "es-ES/954474/index.html",
                "../../es-ES/954474/index.html",
            ),
            (
                "pt-BR/954474/index.html",
                "pt-BR/index.html",
                "../index.html",
            ),
            (
                "pt-BR/index.html",
                "pt-BR/954474/index.html",
                "954474/index.html",
            ),
            ("index.html", "pt-BR/index.html", "pt-BR/index.html"),
            ("pt-BR/index.html", "index.html", "../index.html"),
            (
                "pt-BR/954474/index.html",
                "assets/style.css",
                "../../assets/style.css",
            ),
        ];
        for (from, to, want) in cases {
            assert_eq!(relative(from, to), want, "{from} -> {to}");
        }
    }

    #[test]
    fn relative_links_agree_with_segment_lists() {
        // the same rule spelled with vectors of segments, on every pair of these paths
        let reference = |from: &str, to: &str| {
            let from_dirs: Vec<&str> = from.split('/').collect();
            let from_dirs = &from_dirs[..from_dirs.len() - 1];
            let to_parts: Vec<&str> = to.split('/').collect();
            let common = from_dirs
                .iter()
                .zip(&to_parts)
                .take_while(|(a, b)| a == b)
                .count();
            "../".repeat(from_dirs.len() - common) + &to_parts[common..].join("/")
        };
        let paths = [
            "index.html",
            "a",
            "a/b",
            "a/index.html",
            "a/b/index.html",
            "a/b/c/index.html",
            "a/c/index.html",
            "b/a/index.html",
            "a//index.html",
            "assets/style.css",
            "pt-BR/library/954474(v=Security.10)/index.html",
            "pt-BR/954474/index.html",
        ];
        for from in paths {
            for to in paths {
                assert_eq!(relative(from, to), reference(from, to), "{from} -> {to}");
            }
        }
    }

    #[test]
    fn absolute_urls_are_directory_urls() {
        assert_eq!(
            absolute("https://x.org/", "pt-BR/954474/index.html"),
            "https://x.org/pt-BR/954474/"
        );
        assert_eq!(
            absolute("https://x.org/", "sitemap.xml"),
            "https://x.org/sitemap.xml"
        );
    }
}
