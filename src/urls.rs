//! Where every output file lives, and relative links between them, so that the same
//! files work on a server, from `file://` and in a bundle. No I/O.

use crate::model::{AdvisoryId, Locale};

/// The root page that links every locale.
pub(crate) const ROOT: &str = "index.html";
/// The sitemap.
pub(crate) const SITEMAP: &str = "sitemap.xml";

/// A locale's index page.
pub(crate) fn locale_index(locale: &Locale) -> String {
    format!("{locale}/index.html")
}

/// An advisory page in one locale.
pub(crate) fn advisory_page(locale: &Locale, id: &AdvisoryId) -> String {
    format!("{locale}/{id}/index.html")
}

/// A locale's Atom feed.
pub(crate) fn feed(locale: &Locale) -> String {
    format!("{locale}/atom.xml")
}

/// A shared asset (CSS, scripts).
pub(crate) fn asset(name: &str) -> String {
    format!("assets/{name}")
}

/// The relative link from the file `from` to the file `to`, both site-relative
/// (`pt-BR/954474/index.html` → `../../es-ES/954474/index.html`).
pub(crate) fn relative(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_dirs.len() - common);
    out.push_str(&to_parts[common..].join("/"));
    out
}

/// The prefix that leads from the file `from` to the site root (`""`, `../`, `../../`).
pub(crate) fn to_root(from: &str) -> String {
    "../".repeat(from.matches('/').count())
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
    fn root_prefix_counts_folders() {
        assert_eq!(to_root("index.html"), "");
        assert_eq!(to_root("pt-BR/954474/index.html"), "../../");
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
