//! Redirects from legacy URLs (`legacy_urls` in `advisory.yaml`) to the new pages: a small
//! HTML page at each old path, a `_redirects` file (Netlify, Cloudflare Pages) and an nginx
//! `map` snippet. Pure and deterministic: sorted output, hostile paths rejected.

use std::collections::BTreeMap;

/// The output files for `entries` of (legacy URL, site-relative target such as
/// `pt-BR/954474/`), as (output path, content), sorted by path. Entries whose legacy path
/// is unsafe or empty (see [`legacy_path`]) are left out; of two entries for the same
/// legacy path, the first in sorted order wins. No entries → no files.
pub(crate) fn redirect_files(entries: &[(String, String)]) -> Vec<(String, String)> {
    let mut by_path: BTreeMap<Vec<String>, String> = BTreeMap::new();
    let mut sorted: Vec<&(String, String)> = entries.iter().collect();
    sorted.sort();
    for (url, target) in sorted {
        let Ok(segments) = legacy_path(url) else {
            continue;
        };
        let target = target.trim_start_matches('/');
        if target.split('/').any(|s| s == ".." || s == ".")
            || target.contains(['\\', '"', '<', '>', ' '])
        {
            continue;
        }
        by_path
            .entry(segments)
            .or_insert_with(|| target.to_string());
    }
    if by_path.is_empty() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let mut netlify = String::new();
    let mut nginx = String::from(
        "# avisa: legacy URLs. Use with: if ($avisa_redirect) { return 301 $avisa_redirect; }\nmap $uri $avisa_redirect {\n    default \"\";\n",
    );
    for (segments, target) in &by_path {
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
        files.push((stub_file(segments), redirect_page(&relative)));
        for segment in segments {
            netlify.push('/');
            percent_encode_into(&mut netlify, segment);
        }
        netlify.push_str(" /");
        netlify.push_str(target);
        netlify.push_str(" 301\n");
        nginx.push_str("    \"");
        for segment in segments {
            nginx.push('/');
            nginx_quote_into(&mut nginx, segment);
        }
        nginx.push_str("\" \"/");
        nginx_quote_into(&mut nginx, target);
        nginx.push_str("\";\n");
    }
    nginx.push_str("}\n");
    files.push(("_redirects".to_string(), netlify));
    files.push(("redirects.nginx.conf".to_string(), nginx));
    files.sort();
    files
}

/// Where the redirect page for a legacy path is written (`pt-BR/library/x/index.html`).
fn stub_file(segments: &[String]) -> String {
    format!("{}/index.html", segments.join("/"))
}

/// The output file a legacy URL's redirect page would occupy, or why it gets none.
pub(crate) fn stub_path(url: &str) -> Result<String, String> {
    legacy_path(url).map(|s| stub_file(&s))
}

/// The path of a legacy URL as safe, percent-decoded segments: `https://h/pt-BR/library/
/// 954474(v=Security.10)` → [`pt-BR`, `library`, `954474(v=Security.10)`]. Query and
/// fragment are dropped. Errors for `.`/`..`, (encoded) `/` `\` `<` `>` `:` `"` `|` `?` `*`
/// and control characters,
/// invalid percent escapes or UTF-8, and an empty path.
pub(crate) fn legacy_path(url: &str) -> Result<Vec<String>, String> {
    let rest = match url.find("://") {
        Some(i) => {
            let after = &url[i + 3..];
            after.find('/').map_or("", |j| &after[j..])
        }
        None if url.starts_with('/') => url,
        None => return Err(format!("`{url}` is neither an absolute URL nor a path")),
    };
    let path = rest.split(['?', '#']).next().unwrap_or("");
    let mut segments = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let s =
            percent_decode(raw).ok_or_else(|| format!("`{raw}` has an invalid percent escape"))?;
        // `<>:"|?*` cannot be in file names on every system the output may be copied to.
        let unsafe_char = |c: char| c.is_control() || "/\\<>:\"|?*".contains(c);
        if s == "." || s == ".." || s.chars().any(unsafe_char) {
            return Err(format!("path segment `{raw}` is not safe"));
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

fn redirect_page(relative: &str) -> String {
    let mut url = String::new();
    crate::markdown::push_escaped(&mut url, relative);
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Redirecting…</title>\n<meta http-equiv=\"refresh\" content=\"0; url={url}\">\n<link rel=\"canonical\" href=\"{url}\">\n<meta name=\"robots\" content=\"noindex\">\n</head>\n<body>\n<p><a href=\"{url}\">{url}</a></p>\n</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(url: &str, target: &str) -> (String, String) {
        (url.to_string(), target.to_string())
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
        assert!(
            page.contains("<link rel=\"canonical\" href=\"../../../pt-BR/954474/index.html\">")
        );
        assert!(page.contains("<a href=\"../../../pt-BR/954474/index.html\">"));
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
        for url in rejected {
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
        let files = redirect_files(&[e("https://h/x%20y/it's&more?q=1#f", "pt-BR/1/")]);
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

    #[test]
    fn attribute_values_are_escaped() {
        let page = redirect_page("a&b\"c'd<e>");
        assert!(
            page.contains("href=\"a&amp;b&quot;c&#39;d&lt;e&gt;\""),
            "{page}"
        );
        assert!(!page.contains("c'd"), "{page}");
    }
}
