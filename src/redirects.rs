//! Redirects from legacy URLs (`legacy_urls` in `advisory.yaml`) to the new pages: a small
//! HTML page at each old path, a `_redirects` file (Netlify, Cloudflare Pages) and an nginx
//! `map` snippet. Pure and deterministic: sorted output, hostile paths rejected.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Advisory, Locale};

/// The output name of the Netlify/Cloudflare redirect list.
pub(crate) const NETLIFY: &str = "_redirects";
/// The output name of the nginx map.
pub(crate) const NGINX: &str = "redirects.nginx.conf";

/// What the legacy URLs of a site become.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Plan {
    /// A redirect page per legacy path, sorted by path: (output path, index of its entry,
    /// the relative link from the page to its target, naming the target's file).
    pub(crate) pages: Vec<(String, usize, String)>,
    /// `_redirects` and the nginx map (none without any redirect), sorted by path.
    pub(crate) lists: Vec<(String, String)>,
    /// The entries that get no redirect (index, why), in the order of `entries`.
    pub(crate) skipped: Vec<(usize, String)>,
}

/// The redirects for `entries` of (legacy URL, site-relative target such as
/// `pt-BR/954474/`), on a site whose pages are served below `base_path` (the path of its
/// `base_url`, `/` or such as `/security/`): the lists' targets start with it, their
/// legacy paths are those of the legacy URLs as they are. An entry gets none when its
/// legacy path is unsafe or empty (see [`legacy_path`]), too long (`MAX_PATH_BYTES`) or has
/// a query, when an entry before it in sorted order has the same path ignoring ASCII case
/// (as nginx matches map strings, and as case-insensitive file systems name files; the
/// lists are sorted that way too), or when its page would replace a file of the site or need a
/// folder where the site writes a file (`generated`, see [`crate::urls::clash`]), also
/// another redirect's page. Those entries are in neither page, list nor map: a line of
/// `_redirects` for a path the site already serves would shadow it.
pub(crate) fn plan(
    entries: &[(String, String)],
    generated: &BTreeSet<String>,
    base_path: &str,
) -> Plan {
    let mut plan = Plan::default();
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| entries[a].cmp(&entries[b]));
    // Paths are compared ignoring ASCII case, as nginx matches a map's strings, and as the
    // file systems of macOS and Windows name files: `/Assets/style.css` would take over
    // the site's stylesheet there. Keyed by the lowercased segments: (entry, its
    // segments, whether its URL ends with `/`).
    let mut by_path: BTreeMap<Vec<String>, (usize, Vec<String>, bool)> = BTreeMap::new();
    let mut pages: BTreeSet<String> = BTreeSet::new();
    let lowered: BTreeSet<String> = generated.iter().map(|f| f.to_ascii_lowercase()).collect();
    for i in order {
        let (url, target) = &entries[i];
        let (segments, slash) = match legacy_path(url) {
            Ok(segments) => (segments, legacy_slash(url)),
            Err(why) => {
                plan.skipped.push((i, why));
                continue;
            }
        };
        if let Some(query) = legacy_query(url) {
            // a redirect page and the map answer for the path whatever the query: every
            // other old link to that path (`default.aspx?id=…`) would lead here too
            plan.skipped.push((i, format!("its query `?{query}` cannot be told apart by a redirect page or the nginx map, which answer for the path whatever the query, so every other old link to that path would lead here too (redirect it in the server's own configuration)")));
            continue;
        }
        let length: usize = segments.iter().map(|s| s.len() + 1).sum();
        if length > MAX_PATH_BYTES {
            plan.skipped.push((i, format!("its path is {length} bytes long once decoded: a redirect page's folders would exceed the {MAX_PATH_BYTES} bytes a path can safely have")));
            continue;
        }
        let target = target.trim_start_matches('/');
        if target.split('/').any(|s| s == ".." || s == ".")
            || target.contains(['\\', '"', '<', '>', ' '])
        {
            plan.skipped
                .push((i, format!("its target `{target}` is not safe")));
            continue;
        }
        let key: Vec<String> = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
        if let Some((first, same, _)) = by_path.get(&key) {
            let (other, to) = &entries[*first];
            let why = match (other == url, *same == segments) {
                (true, _) => format!("the same URL also redirects to `/{to}`"),
                (false, true) => format!("`{other}`, with the same path, redirects to `/{to}`"),
                (false, false) => format!(
                    "`{other}`, whose path differs only in case, redirects to `/{to}` (nginx and the file systems of macOS and Windows do not tell them apart)"
                ),
            };
            plan.skipped.push((i, why));
            continue;
        }
        let page = stub_file(&segments);
        let lower = page.to_ascii_lowercase();
        let in_the_way = match crate::urls::clash(&lower, &lowered) {
            // the site's own name for it
            Some(file) => generated
                .iter()
                .find(|g| g.eq_ignore_ascii_case(file))
                .map_or(file, String::as_str)
                .to_owned()
                .into(),
            None => crate::urls::clash(&lower, &pages).map(str::to_owned),
        };
        if let Some(file) = in_the_way {
            let why = match (file == page, file.eq_ignore_ascii_case(&page)) {
                (true, _) => format!("its page `{page}` is a file of this site"),
                (false, true) => format!(
                    "its page `{page}` differs only in case from `{file}`, a file of this site (nginx and the file systems of macOS and Windows do not tell them apart)"
                ),
                (false, false) => {
                    format!("its page `{page}` needs a folder where the site writes `{file}`")
                }
            };
            plan.skipped.push((i, why));
            continue;
        }
        // an earlier redirect's page inside this page's path (`a/index.html/index.html`,
        // from `…/a/index.html`, before `a/index.html`, from `…/a`)
        let folder = format!("{lower}/");
        if let Some(inside) = pages.range(folder.clone()..).next()
            && inside.starts_with(&folder)
        {
            let why = format!("its page `{page}` is a folder of the redirect page `{inside}`");
            plan.skipped.push((i, why));
            continue;
        }
        by_path.insert(key, (i, segments, slash));
        pages.insert(lower);
    }
    plan.skipped.sort();
    if by_path.is_empty() {
        return plan;
    }
    let mut netlify = String::new();
    let mut nginx = String::from(
        "# avisa: legacy URLs. Use with: if ($avisa_redirect) { return 301 $avisa_redirect; }\n",
    );
    // nginx refuses a map whose longest key does not fit its hash's bucket (64 bytes by
    // default: a key of at most 46)
    let longest = (by_path.values())
        .map(|(_, segments, slash)| {
            segments.iter().map(|s| s.len() + 1).sum::<usize>() + usize::from(*slash)
        })
        .max()
        .unwrap_or(0);
    let bucket = nginx_bucket_size(longest);
    if bucket > NGINX_BUCKET_SIZE {
        nginx.push_str(&format!(
            "# (a legacy path is longer than nginx's default map_hash_bucket_size holds)\nmap_hash_bucket_size {bucket};\n"
        ));
    }
    nginx.push_str("map $uri $avisa_redirect {\n    default \"\";\n");
    for (i, segments, slash) in by_path.values() {
        let (i, slash) = (*i, *slash);
        let target = entries[i].1.trim_start_matches('/');
        let depth = segments.len();
        // Name the file, so the link also works from `file://`.
        let file = if target.ends_with('/') || target.is_empty() {
            "index.html"
        } else {
            ""
        };
        let mut relative = String::with_capacity(3 * depth + target.len() + file.len());
        for _ in 0..depth {
            relative.push_str("../");
        }
        relative.push_str(target);
        relative.push_str(file);
        plan.pages.push((stub_file(segments), i, relative));
        for segment in segments {
            netlify.push('/');
            percent_encode_into(&mut netlify, segment);
        }
        // the path as it was: `$uri` keeps a final `/`, and `/a/` is not `/a` to nginx
        if slash {
            netlify.push('/');
        }
        netlify.push(' ');
        netlify.push_str(base_path);
        netlify.push_str(target);
        netlify.push_str(" 301\n");
        nginx.push_str("    \"");
        for segment in segments {
            nginx.push('/');
            nginx_quote_into(&mut nginx, segment);
        }
        if slash {
            nginx.push('/');
        }
        nginx.push_str("\" \"");
        nginx_quote_into(&mut nginx, base_path);
        nginx_quote_into(&mut nginx, target);
        nginx.push_str("\";\n");
    }
    nginx.push_str("}\n");
    plan.pages.sort();
    plan.lists = vec![(NETLIFY.to_string(), netlify), (NGINX.to_string(), nginx)];
    plan
}

/// nginx's `map_hash_bucket_size` by default (the size of a cache line on x86-64).
const NGINX_BUCKET_SIZE: usize = 64;

/// The `map_hash_bucket_size` that holds a map key of `len` bytes: nginx stores a key
/// with a pointer and its length, rounded up to a pointer's size, and ends a bucket with a
/// pointer (`NGX_HASH_ELT_SIZE` in ngx_hash.h); a power of two, at least the default.
fn nginx_bucket_size(len: usize) -> usize {
    let need = 8 + (len + 2).div_ceil(8) * 8 + 8;
    need.next_power_of_two().max(NGINX_BUCKET_SIZE)
}

/// The longest path of a legacy URL, in bytes once decoded, that gets a redirect page:
/// with the output folder in front, a longer one would near the 4,096 bytes of a path
/// on Linux, and servers and CDNs refuse longer request lines.
const MAX_PATH_BYTES: usize = 2048;

/// True when the path of legacy URL `url` ends with `/` (`…/old-post/`), which nginx's
/// `$uri` keeps.
fn legacy_slash(url: &str) -> bool {
    url_path(url).is_ok_and(|path| path.len() > 1 && path.ends_with('/'))
}

/// The path of legacy URL `url` as written, before any query or fragment: after the
/// scheme and host (`https://h/a`), or the host of a network-path reference (`//h/a`,
/// RFC 3986 §4.2), or the whole of a path (`/a`); empty when the URL has none.
fn url_path(url: &str) -> Result<&str, String> {
    fn after_host(rest: &str) -> &str {
        rest.find('/').map_or("", |j| &rest[j..])
    }
    let rest = match url.find("://") {
        Some(i) => after_host(&url[i + 3..]),
        None if url.starts_with("//") => after_host(&url[2..]),
        None if url.starts_with('/') => url,
        None => return Err(format!("`{url}` is neither an absolute URL nor a path")),
    };
    Ok(rest.split(['?', '#']).next().unwrap_or(""))
}

/// The query of legacy URL `url` (after `?`, before `#`), when it has one.
fn legacy_query(url: &str) -> Option<&str> {
    let query = url.split('#').next()?.split_once('?')?.1;
    (!query.is_empty()).then_some(query)
}

/// Where the redirect page for a legacy path is written (`pt-BR/library/x/index.html`).
fn stub_file(segments: &[String]) -> String {
    format!("{}/index.html", segments.join("/"))
}

/// The longest name of a file or folder, in bytes, that common file systems hold.
const MAX_NAME_BYTES: usize = 255;

/// The path of a legacy URL as safe, percent-decoded segments: `https://h/pt-BR/library/
/// 954474(v=Security.10)` → [`pt-BR`, `library`, `954474(v=Security.10)`]. Query and
/// fragment are dropped. Errors for `.`/`..`, (encoded) `/` `\` `<` `>` `:` `"` `|` `?` `*`
/// and control characters, a segment longer than a folder's name can be, invalid percent
/// escapes or UTF-8, and an empty path.
pub(crate) fn legacy_path(url: &str) -> Result<Vec<String>, String> {
    let path = url_path(url)?;
    let mut segments = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let s =
            percent_decode(raw).ok_or_else(|| format!("`{raw}` has an invalid percent escape"))?;
        // `<>:"|?*` cannot be in file names on every system the output may be copied to.
        // (and the bidi controls, which are errors written as such: `%E2%80%AE` too)
        let unsafe_char = |c: char| {
            c.is_control() || "/\\<>:\"|?*".contains(c) || crate::diag::is_bidi_control(c)
        };
        if s == "." || s == ".." || s.chars().any(unsafe_char) {
            return Err(format!("path segment `{raw}` is not safe"));
        }
        // a folder's name: file systems hold at most 255 bytes (ext4, APFS, NTFS's 255
        // UTF-16 units hold at least as many characters)
        if s.len() > MAX_NAME_BYTES {
            let start: String = raw.chars().take(24).collect();
            return Err(format!(
                "path segment `{start}…` is {} bytes long once decoded: a folder's name holds at most {MAX_NAME_BYTES}",
                s.len()
            ));
        }
        segments.push(s);
    }
    if segments.is_empty() {
        return Err(format!("`{url}` has no path"));
    }
    Ok(segments)
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Percent-encodes `s` onto `out`: everything but unreserved characters and `(`, `)`,
/// `=`, `,`, `;`, `!`, `*`, `:`, `@`, `+`, `$`, `&` (path-safe sub-delimiters).
fn percent_encode_into(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~()=,;!*:@+$&".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
}

/// `s` onto `out` as the inside of an nginx double-quoted string.
fn nginx_quote_into(out: &mut String, s: &str) {
    for c in s.chars() {
        if matches!(c, '\\' | '"') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// The words of a redirect page, in the language of the page it leads to.
pub(crate) struct PageText<'a> {
    /// The target's language tag and direction (`ltr`, `rtl`).
    pub(crate) lang: &'a str,
    pub(crate) dir: &'a str,
    /// The target page's title.
    pub(crate) title: &'a str,
    /// "This page has moved to …" and the link's text.
    pub(crate) moved: &'a str,
    pub(crate) link: &'a str,
}

/// A redirect page: a meta refresh and a plain link to `relative` (so it works from
/// `file://`), the target's absolute `canonical` URL, and `text`; everything escaped.
pub(crate) fn redirect_page(relative: &str, canonical: &str, text: &PageText) -> String {
    let esc = |s: &str| {
        let mut out = String::with_capacity(s.len());
        crate::markdown::push_escaped(&mut out, s);
        out
    };
    let url = esc(relative);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n<link rel=\"canonical\" href=\"{canonical}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p>{moved}</p>\n<p><a href=\"{url}\">{link}</a></p>\n</body>\n</html>\n",
        lang = esc(text.lang),
        dir = esc(text.dir),
        title = esc(text.title),
        canonical = esc(canonical),
        moved = esc(text.moved),
        link = esc(text.link),
    )
}

/// The advisory and locale a legacy URL belongs to.
pub(crate) type Owner<'a> = (&'a Advisory, &'a Locale);

/// Every legacy URL of `advisories` with a translation to lead to, as the (legacy URL,
/// target folder) entries of [`plan`], and beside them whose they are, at the same index.
pub(crate) fn legacy_entries(advisories: &[Advisory]) -> (Vec<(String, String)>, Vec<Owner<'_>>) {
    advisories
        .iter()
        .flat_map(|a| {
            a.meta
                .legacy_urls
                .iter()
                .filter(|(locale, _)| a.translations.contains_key(*locale))
                .map(move |(locale, url)| {
                    ((url.clone(), format!("{locale}/{}/", a.id)), (a, locale))
                })
        })
        .unzip()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(url: &str, target: &str) -> (String, String) {
        (url.to_string(), target.to_string())
    }

    const TEXT: PageText = PageText {
        lang: "pt-BR",
        dir: "ltr",
        title: "T",
        moved: "Movida",
        link: "Ir",
    };

    /// Every file of the plan for `entries` on a site of no other file, sorted by path.
    fn redirect_files(entries: &[(String, String)]) -> Vec<(String, String)> {
        let plan = plan(entries, &BTreeSet::new(), "/");
        let mut files = plan.lists;
        for (path, _, relative) in plan.pages {
            files.push((path, redirect_page(&relative, "https://x.org/", &TEXT)));
        }
        files.sort();
        files
    }

    #[test]
    fn a_legacy_url_gets_a_page_a_netlify_line_and_an_nginx_entry() {
        let files = redirect_files(&[e(
            "https://technet.microsoft.com/pt-BR/library/954474(v=Security.10)",
            "pt-BR/954474/",
        )]);
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "_redirects",
                "pt-BR/library/954474(v=Security.10)/index.html",
                "redirects.nginx.conf"
            ]
        );
        let page = &files[1].1;
        assert!(
            page.contains(
                "<meta http-equiv=\"refresh\" content=\"0; url=../../../pt-BR/954474/index.html\">"
            ),
            "{page}"
        );
        assert!(page.contains("<link rel=\"canonical\" href=\"https://x.org/\">"));
        assert!(page.contains("<html lang=\"pt-BR\" dir=\"ltr\">"), "{page}");
        assert!(page.contains("<title>T</title>"), "{page}");
        assert!(page.contains("<p>Movida</p>"), "{page}");
        assert!(page.contains("<a href=\"../../../pt-BR/954474/index.html\">Ir</a>"));
        assert_eq!(
            files[0].1,
            "/pt-BR/library/954474(v=Security.10) /pt-BR/954474/ 301\n"
        );
        assert!(
            files[2]
                .1
                .contains("    \"/pt-BR/library/954474(v=Security.10)\" \"/pt-BR/954474/\";\n"),
            "{}",
            files[2].1
        );
        assert!(files[2].1.starts_with("# avisa"));
    }

    #[test]
    fn hostile_paths_are_rejected_and_odd_ones_escaped() {
        let rejected = [
            "https://h/a/../b",
            "https://h/a/%2e%2e/b",
            "https://h/a%2Fb",
            "https://h/a%5Cb",
            "https://h/",
            "https://h",
            "relative/path",
            "https://h/a%zz",
            "https://h/a%0Ab",
            "https://h/%ff",
        ];
        let long = format!("https://h/a/{}", "%C3%A9".repeat(128));
        assert_eq!(
            legacy_path(&long).unwrap_err(),
            "path segment `%C3%A9%C3%A9%C3%A9%C3%A9…` is 256 bytes long once decoded: a folder's name holds at most 255"
        );
        assert_eq!(
            legacy_path(&format!("https://h/{}", "a".repeat(255))).unwrap()[0].len(),
            255
        );
        for url in rejected.into_iter().chain([long.as_str()]) {
            assert!(legacy_path(url).is_err(), "{url}");
            assert!(redirect_files(&[e(url, "pt-BR/1/")]).is_empty(), "{url}");
        }
        for url in [
            "https://h/a\"b",
            "https://h/a<b>",
            "https://h/a%3Cb",
            "https://h/c:",
            "https://h/a|b",
        ] {
            assert!(legacy_path(url).is_err(), "{url}");
        }
        let files = redirect_files(&[e("https://h/x%20y/it's&more#f", "pt-BR/1/")]);
        let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "_redirects",
                "redirects.nginx.conf",
                "x y/it's&more/index.html"
            ]
        );
        assert_eq!(files[0].1, "/x%20y/it%27s&more /pt-BR/1/ 301\n");
        assert!(
            files[1].1.contains(r#"    "/x y/it's&more" "/pt-BR/1/";"#),
            "{}",
            files[1].1
        );
        let mut quoted = String::new();
        nginx_quote_into(&mut quoted, r#"/a"b\c"#);
        assert_eq!(quoted, r#"/a\"b\\c"#);
        let mut encoded = String::new();
        percent_encode_into(&mut encoded, "é ü/%(v=1)");
        assert_eq!(encoded, "%C3%A9%20%C3%BC%2F%25(v=1)");
        assert!(redirect_files(&[e("https://h/a", "../../etc/")]).is_empty());
        assert!(redirect_files(&[e("https://h/a", "pt-BR/\"><script>/")]).is_empty());
    }

    #[test]
    fn output_is_sorted_and_the_first_target_wins_for_one_path() {
        let a = redirect_files(&[
            e("https://h/b", "pt-BR/2/"),
            e("https://h/a", "pt-BR/1/"),
            e("https://h/a", "es-ES/1/"),
        ]);
        let b = redirect_files(&[
            e("https://h/a", "es-ES/1/"),
            e("https://h/a", "pt-BR/1/"),
            e("https://h/b", "pt-BR/2/"),
        ]);
        assert_eq!(a, b);
        assert_eq!(a[0].1, "/a /es-ES/1/ 301\n/b /pt-BR/2/ 301\n");
    }

    /// A site served below a path (`base_url` `https://x.org/security/`) is redirected to
    /// below that path; the legacy paths, of the old URLs, are kept as they are, and so are
    /// the redirect pages' relative links.
    #[test]
    fn the_lists_lead_below_the_path_of_the_base_url() {
        let entries = [e("https://old.example/kb/1", "pt-BR/1/")];
        let plan = plan(&entries, &BTreeSet::new(), "/security/");
        assert_eq!(plan.lists[0].1, "/kb/1 /security/pt-BR/1/ 301\n");
        assert!(
            plan.lists[1]
                .1
                .contains("    \"/kb/1\" \"/security/pt-BR/1/\";\n"),
            "{}",
            plan.lists[1].1
        );
        assert_eq!(
            plan.pages,
            [(
                "kb/1/index.html".to_string(),
                0,
                "../../pt-BR/1/index.html".to_string()
            )]
        );
    }

    #[test]
    fn attribute_values_and_texts_are_escaped() {
        let text = PageText {
            title: "<b>T</b>",
            moved: "x & <i>y</i>",
            ..TEXT
        };
        let page = redirect_page("a&b\"c'd<e>", "https://x.org/\"a", &text);
        assert!(
            page.contains("href=\"a&amp;b&quot;c&#39;d&lt;e&gt;\""),
            "{page}"
        );
        assert!(!page.contains("c'd"), "{page}");
        assert!(page.contains("href=\"https://x.org/&quot;a\""), "{page}");
        assert!(
            page.contains("<title>&lt;b&gt;T&lt;/b&gt;</title>"),
            "{page}"
        );
        assert!(
            page.contains("<p>x &amp; &lt;i&gt;y&lt;/i&gt;</p>"),
            "{page}"
        );
    }

    /// Paths are told apart as nginx and case-insensitive file systems tell them: not by
    /// case. A query cannot be told apart at all, a final `/` is kept for nginx's `$uri`,
    /// a path too long to write is left out, and a key longer than nginx's default bucket
    /// holds sets the bucket size.
    #[test]
    fn paths_are_compared_as_nginx_and_file_systems_compare_them() {
        let long_segment = "a".repeat(250);
        let too_long = format!("https://h/{}", [long_segment.as_str(); 9].join("/"));
        let entries = [
            e("https://h/ASSETS/style.css", "pt-BR/1/"),
            e("https://h/Sitemap.xml", "pt-BR/1/"),
            e("https://h/PT-BR/1/", "pt-BR/2/"),
            e("https://h/Old/Page", "pt-BR/1/"),
            e("https://h/old/page", "pt-BR/2/"),
            e("https://h/default.aspx?scid=kb;en-us;111", "pt-BR/1/"),
            e("https://h/blog/post/", "pt-BR/1/"),
            e(&too_long, "pt-BR/1/"),
        ];
        let generated: BTreeSet<String> = ["pt-BR/1/index.html", "sitemap.xml"]
            .map(String::from)
            .into();
        let plan = plan(&entries, &generated, "/");
        let why: Vec<(usize, &str)> = plan.skipped.iter().map(|(i, w)| (*i, w.as_str())).collect();
        assert_eq!(
            why,
            [
                (
                    0,
                    "its page `ASSETS/style.css/index.html` needs a folder where the site writes `assets`"
                ),
                (
                    1,
                    "its page `Sitemap.xml/index.html` needs a folder where the site writes `sitemap.xml`"
                ),
                (
                    2,
                    "its page `PT-BR/1/index.html` differs only in case from `pt-BR/1/index.html`, a file of this site (nginx and the file systems of macOS and Windows do not tell them apart)"
                ),
                (
                    4,
                    "`https://h/Old/Page`, whose path differs only in case, redirects to `/pt-BR/1/` (nginx and the file systems of macOS and Windows do not tell them apart)"
                ),
                (
                    5,
                    "its query `?scid=kb;en-us;111` cannot be told apart by a redirect page or the nginx map, which answer for the path whatever the query, so every other old link to that path would lead here too (redirect it in the server's own configuration)"
                ),
                (
                    7,
                    "its path is 2259 bytes long once decoded: a redirect page's folders would exceed the 2048 bytes a path can safely have"
                ),
            ]
        );
        let lists: BTreeMap<&str, &str> = plan
            .lists
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        assert_eq!(
            lists[NETLIFY],
            "/blog/post/ /pt-BR/1/ 301\n/Old/Page /pt-BR/1/ 301\n"
        );
        assert!(lists[NGINX].contains("    \"/blog/post/\" \"/pt-BR/1/\";\n"));
        // every key fits the default bucket: the map is left to nginx's defaults
        assert!(!lists[NGINX].contains("map_hash_bucket_size"));
        // 46 bytes fit the default 64-byte bucket, 47 do not (as nginx -t says)
        assert_eq!(nginx_bucket_size(46), 64);
        assert_eq!(nginx_bucket_size(47), 128);
        assert_eq!(nginx_bucket_size(120), 256);
        let long = format!("https://h/library/security/{}", "x".repeat(29));
        let plan = super::plan(&[e(&long, "pt-BR/1/")], &BTreeSet::new(), "/");
        let nginx = &plan.lists[1].1;
        assert!(
            nginx.contains("\nmap_hash_bucket_size 128;\nmap $uri $avisa_redirect {\n"),
            "{nginx}"
        );
        // `//host/x` names a host, as a link does (RFC 3986 §4.2), not the path `/host/x`
        assert_eq!(legacy_path("//evil.example/x").unwrap(), ["x"]);
        assert!(legacy_path("//evil.example").is_err());
        // a bidi control written percent-encoded is refused as a raw one is
        assert!(legacy_path("https://h/x%E2%80%AEy").is_err());
        assert!(legacy_path("https://h/x%E2%81%A6y").is_err());
    }

    /// A legacy path another entry already has, or whose page would replace a file of
    /// the site or need a folder where the site (or another redirect) writes a file, gets
    /// no page, no `_redirects` line and no nginx entry, and says why.
    #[test]
    fn paths_the_site_or_another_redirect_has_are_skipped_with_the_reason() {
        let entries = [
            e("https://h/pt-BR/1", "pt-BR/1/"),
            e("https://h/sitemap.xml", "pt-BR/1/"),
            e("https://h/pt-BR/atom.xml", "pt-BR/1/"),
            e("https://h/old/1", "pt-BR/1/"),
            e("https://h/old/1", "es-ES/1/"),
            e("https://other/old/1", "pt-BR/2/"),
            e("https://h/old/1/index.html", "pt-BR/2/"),
            e("https://h/assets/x", "pt-BR/2/"),
            e("https://h/sitemap-3.xml", "pt-BR/2/"),
            e("https://h/../x", "pt-BR/2/"),
            // sorted before the next one (`http:` before `https:`), so its page comes first
            e("http://g/deep/index.html", "pt-BR/2/"),
            e("https://h/deep", "pt-BR/1/"),
        ];
        let generated: BTreeSet<String> = ["pt-BR/1/index.html", "sitemap.xml", "pt-BR/atom.xml"]
            .map(String::from)
            .into();
        let plan = plan(&entries, &generated, "/");
        let pages: Vec<(&str, usize)> = plan
            .pages
            .iter()
            .map(|(p, i, _)| (p.as_str(), *i))
            .collect();
        assert_eq!(
            pages,
            [("deep/index.html/index.html", 10), ("old/1/index.html", 4)]
        );
        let why: Vec<(usize, &str)> = plan.skipped.iter().map(|(i, w)| (*i, w.as_str())).collect();
        assert_eq!(
            why,
            [
                (0, "its page `pt-BR/1/index.html` is a file of this site"),
                (
                    1,
                    "its page `sitemap.xml/index.html` needs a folder where the site writes `sitemap.xml`"
                ),
                (
                    2,
                    "its page `pt-BR/atom.xml/index.html` needs a folder where the site writes `pt-BR/atom.xml`"
                ),
                (3, "the same URL also redirects to `/es-ES/1/`"),
                (
                    5,
                    "`https://h/old/1`, with the same path, redirects to `/es-ES/1/`"
                ),
                (
                    6,
                    "its page `old/1/index.html/index.html` needs a folder where the site writes `old/1/index.html`"
                ),
                (
                    7,
                    "its page `assets/x/index.html` needs a folder where the site writes `assets`"
                ),
                (
                    8,
                    "its page `sitemap-3.xml/index.html` needs a folder where the site writes `sitemap-3.xml`"
                ),
                (9, "path segment `..` is not safe"),
                (
                    11,
                    "its page `deep/index.html` is a folder of the redirect page `deep/index.html/index.html`"
                ),
            ]
        );
        assert_eq!(
            plan.lists[0],
            (
                NETLIFY.to_string(),
                "/deep/index.html /pt-BR/2/ 301\n/old/1 /es-ES/1/ 301\n".to_string()
            )
        );
        assert!(
            !plan.lists[1].1.contains("pt-BR/1\""),
            "{}",
            plan.lists[1].1
        );
    }
}
