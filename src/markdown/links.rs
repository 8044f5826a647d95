//! Links and images of a body that point into the site itself (a relative or root-relative
//! URL), found so the build can tell which lead to no file it wrote. Raw HTML is scanned
//! here, read-only, rather than in the sanitizer, whose passes run over spliced documents
//! and may run twice.

use super::sanitize::has_scheme;

/// True when `url` names a place on this site: no scheme (as the sanitizer reads one), not
/// `//host`, not only a `#fragment` of the page itself, not empty.
pub(super) fn is_local(url: &str) -> bool {
    let url = url.trim();
    !(url.is_empty() || url.starts_with('#') || url.starts_with("//") || has_scheme(url))
}

/// The local link `url` as the page must write it to open a page from disk too: a link to
/// a folder (its path ends in `/`, `.` or `..`) names the folder's `index.html`, before any
/// query or fragment, as the templates' own links do; from `file://`, a folder's URL shows
/// a list of its files. `None` when `url` needs no change.
pub(super) fn page_file_url(url: &str) -> Option<String> {
    let url = url.trim();
    // the folder test first: it is a look at the path's end, and most links fail it (the
    // sanitizer asks about every `<a href>`, whose scheme it has just read once already)
    if !crate::urls::names_folder(url) || !is_local(url) {
        return None;
    }
    let path = crate::urls::url_path(url);
    let slash = if path.ends_with('/') { "" } else { "/" };
    Some(format!("{path}{slash}index.html{}", &url[path.len()..]))
}

/// Reads a piece of a body's raw HTML (see [`RawScan`] for pieces in a row) for what it
/// gives the page, in one pass: onto `urls` the `href` of each `<a>` and the `src` of each
/// `<img>` that [`is_local`], and onto `ids` the `id` of each start tag the sanitizer keeps
/// with its attributes (the first `id` of a tag, as browsers read it; not an empty one),
/// with the byte offset in `html` of its attribute's name; character references decoded.
pub(super) fn scan_raw_html(
    html: &str,
    scan: &mut RawScan,
    ids: &mut Vec<(String, usize)>,
    urls: &mut Vec<String>,
) {
    each_start_tag(html, scan, |name, attributes| {
        let wanted = if name.eq_ignore_ascii_case("a") {
            Some("href")
        } else if name.eq_ignore_ascii_case("img") {
            Some("src")
        } else {
            None
        };
        for (attribute, value) in attributes {
            if wanted.is_some_and(|w| attribute.eq_ignore_ascii_case(w)) {
                let value = htmlize::unescape_attribute(*value);
                if is_local(&value) {
                    urls.push(value.into_owned());
                }
            }
        }
        if !super::sanitize::TAGS.contains(&name.to_ascii_lowercase().as_str()) {
            return;
        }
        let id = attributes
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("id"));
        if let Some((attribute, value)) = id {
            let value = htmlize::unescape_attribute(*value);
            if !value.is_empty() {
                // (the attribute is a piece of `html`)
                let at = attribute.as_ptr() as usize - html.as_ptr() as usize;
                ids.push((value.into_owned(), at));
            }
        }
    });
}

/// Calls `f` with the name and attributes of each start tag in `html` that reaches the
/// page: not one in a comment, or in the text of an element that holds no markup.
fn each_start_tag(html: &str, scan: &mut RawScan, mut f: impl FnMut(&str, &[(&str, &str)])) {
    let mut rest = html;
    loop {
        // inside a comment, or the text of an element that holds no markup (`<textarea>`,
        // `<title>`, `<script>`…), a tag is text: nothing there reaches the page
        if let Some(end) = scan.skip_to {
            match find_ignoring_case(rest, end) {
                Some(at) => {
                    rest = &rest[at + end.len()..];
                    scan.skip_to = None;
                }
                // the comment or element goes on in the next piece of raw HTML
                None => return,
            }
        }
        let Some(at) = rest.find('<') else {
            return;
        };
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            scan.skip_to = Some("-->");
            rest = after;
            continue;
        }
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        if name_len == 0 {
            continue;
        }
        let name = &rest[..name_len];
        let (attributes, after) = attributes(&rest[name_len..]);
        if let Some(&(_, end)) = RAW_TEXT.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
            scan.skip_to = Some(end);
        } else {
            f(name, &attributes);
        }
        rest = after;
    }
}

/// Where [`scan_raw_html`] is in a body's raw HTML, from one piece to the next: in
/// a comment or an element whose content is text, until the given end.
#[derive(Debug, Default)]
pub(super) struct RawScan {
    skip_to: Option<&'static str>,
}

/// The elements whose content HTML reads as text (raw text and escapable raw text), and
/// those the sanitizer removes with their content (`DROPPED_WITH_CONTENT`, but for the
/// void ones), and how each ends: nothing in them reaches the page.
const RAW_TEXT: &[(&str, &str)] = &[
    ("script", "</script"),
    ("style", "</style"),
    ("textarea", "</textarea"),
    ("title", "</title"),
    ("xmp", "</xmp"),
    ("iframe", "</iframe"),
    ("noembed", "</noembed"),
    ("noframes", "</noframes"),
    ("noscript", "</noscript"),
    ("template", "</template"),
    ("plaintext", "</plaintext"),
    ("svg", "</svg"),
    ("math", "</math"),
    ("object", "</object"),
    ("applet", "</applet"),
    ("frameset", "</frameset"),
    ("head", "</head"),
];

/// The byte offset of `needle` (ASCII) in `haystack`, ignoring ASCII case.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (h.len() >= n.len())
        .then(|| (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n)))
        .flatten()
}

/// The attributes of a start tag whose name has been read (`s` starts after it), as
/// (name, raw value) pairs, and what follows the tag's `>`.
fn attributes(s: &str) -> (Vec<(&str, &str)>, &str) {
    let mut found = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() || rest.starts_with('>') {
            return (found, rest.get(1..).unwrap_or_default());
        }
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len())
            .max(1);
        let name = &rest[..name_len];
        rest = rest[name_len..].trim_start_matches(|c: char| c.is_ascii_whitespace());
        let Some(after_eq) = rest.strip_prefix('=') else {
            found.push((name, ""));
            continue;
        };
        let after_eq = after_eq.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let (value, after) = match after_eq.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let inner = &after_eq[1..];
                match inner.find(quote) {
                    Some(end) => (&inner[..end], &inner[end + 1..]),
                    None => (inner, ""),
                }
            }
            _ => {
                let end = after_eq
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .unwrap_or(after_eq.len());
                (&after_eq[..end], &after_eq[end..])
            }
        };
        found.push((name, value));
        rest = after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The local URLs of `pieces` of raw HTML in a row.
    fn urls_of(pieces: &[&str]) -> Vec<String> {
        let (mut scan, mut ids, mut urls) = (RawScan::default(), Vec::new(), Vec::new());
        for piece in pieces {
            scan_raw_html(piece, &mut scan, &mut ids, &mut urls);
        }
        urls
    }

    /// The ids of `pieces` of raw HTML in a row, with their offsets in their piece.
    fn ids_of(pieces: &[&str]) -> Vec<(String, usize)> {
        let (mut scan, mut ids, mut urls) = (RawScan::default(), Vec::new(), Vec::new());
        for piece in pieces {
            scan_raw_html(piece, &mut scan, &mut ids, &mut urls);
        }
        ids
    }

    #[test]
    fn local_urls_are_those_without_scheme_or_host() {
        for (url, local) in [
            ("../954474/", true),
            ("../../images/a(pt-BR,Security.10).png", true),
            ("/security-updates/Media/cert.png", true),
            ("954474.md#faq", true),
            ("?page=2", true),
            ("a/b:c", true),
            ("#faq", false),
            ("", false),
            ("  ", false),
            ("//cdn.example/x.js", false),
            ("https://support.microsoft.com/kb/954474", false),
            ("HTTP://x", false),
            ("mailto:secure@microsoft.com", false),
            ("javascript:alert(1)", false),
            ("1:2", true),
        ] {
            assert_eq!(is_local(url), local, "{url:?}");
        }
    }

    #[test]
    fn links_to_folders_name_their_index_page() {
        for (url, want) in [
            ("../954474/", Some("../954474/index.html")),
            (
                "../../es-ES/954474/#faq",
                Some("../../es-ES/954474/index.html#faq"),
            ),
            ("../page/2/?a=1#b", Some("../page/2/index.html?a=1#b")),
            ("..", Some("../index.html")),
            ("../..#x", Some("../../index.html#x")),
            (".", Some("./index.html")),
            ("./", Some("./index.html")),
            (" ../x/ ", Some("../x/index.html")),
            ("/pt-BR/", Some("/pt-BR/index.html")),
            ("../954474/index.html", None),
            ("../../es-ES/954474", None),
            ("console.png", None),
            ("..foo", None),
            ("?page=2", None),
            ("#faq", None),
            ("https://example.org/", None),
            ("//cdn.example/x/", None),
        ] {
            assert_eq!(page_file_url(url).as_deref(), want, "{url:?}");
        }
    }

    #[test]
    fn raw_html_gives_the_local_href_and_src_of_links_and_images() {
        let urls = urls_of(&[
            "<p><a class=x href=\"../1/\">a</a> <A HREF='../2/?a=1&amp;b=2'>b</A> \
             <a href=https://x/>c</a> <img alt=\"a > b\" src=../img/3.png/> \
             <link href=\"../4/\"> <area href=\"../5/\"> <a name=top>t</a> <img src>",
        ]);
        assert_eq!(urls, ["../1/", "../2/?a=1&b=2", "../img/3.png/"]);
    }

    /// The ids the body's HTML gives elements of the page: the first of a kept tag, decoded;
    /// none from a tag the sanitizer removes, a comment or a `<textarea>`'s text.
    #[test]
    fn raw_html_gives_the_ids_of_kept_elements() {
        let ids = ids_of(&[
            "<div id=\"main\" id=\"second\"><p ID='a&amp;b'>x</p><span id=\"\">e</span>",
            "<blink id=\"gone\">t</blink><!-- <p id=\"in-comment\"> -->",
            "<noscript><b id=\"dropped\">n</b></noscript><svg><p id=in-svg></svg>",
            "<textarea><p id=\"text\"></textarea><TABLE id=checker-x-title>",
            "<td title=\"<p id=in-title>\" id=cell>",
        ]);
        let ids: Vec<&str> = ids.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["main", "a&b", "checker-x-title", "cell"]);
        let html = "<p>x</p>\n<div  ID='a'>";
        let places = ids_of(&[html]);
        assert_eq!(places, [("a".to_string(), html.find("ID").unwrap())]);
    }

    /// A tag in a comment or in the text of a `<textarea>` (or `<script>`, `<title>`…) is
    /// text, never a link on the page, also when the comment goes on in the next piece.
    #[test]
    fn tags_in_comments_and_text_elements_are_no_links() {
        let urls = urls_of(&[
            "<!-- <img src=x> -->",
            "<textarea><a href=\"old.html\">t</a></TEXTAREA>",
            "<!-- a comment that goes on\n",
            "<a href=\"in-comment.html\">c</a> -->",
            "<title>x <a href=t.html></title><a href=\"kept.html\">k</a>",
            "<script>'<img src=s.png>'</script>",
        ]);
        assert_eq!(urls, ["kept.html"]);
        assert_eq!(find_ignoring_case("a</TextArea>", "</textarea"), Some(1));
        assert_eq!(find_ignoring_case("ab", "abc"), None);
    }
}
