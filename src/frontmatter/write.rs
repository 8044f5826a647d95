//! Writing `advisory.yaml` and translation files (front matter + Markdown) from model
//! values. Keys come out in a fixed order and empty optional keys are left out, so the
//! same values always give the same bytes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::{AdvisoryId, Meta, SortedMap, Translation};

#[derive(Serialize)]
struct OutAdvisory<'a> {
    id: &'a str,
    kind: &'a str,
    published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    updated: Option<String>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    kb: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    cves: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    affected: Vec<OutAffected<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    revisions: Vec<OutRevision<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    references: Vec<OutReference<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    legacy_urls: BTreeMap<&'a str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    conflicts: Vec<OutConflict<'a>>,
}

#[derive(Serialize)]
struct OutAffected<'a> {
    product: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    versions: &'a [String],
}

#[derive(Serialize)]
struct OutRevision<'a> {
    number: &'a str,
    date: String,
}

#[derive(Serialize)]
struct OutReference<'a> {
    url: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Serialize)]
struct OutConflict<'a> {
    field: &'a str,
    locale: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct OutProductName<'a> {
    product: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct OutTranslation<'a> {
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    translated_from_revision: Option<&'a str>,
    #[serde(skip_serializing_if = "SortedMap::is_empty")]
    revision_notes: &'a SortedMap<String, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    product_names: Vec<OutProductName<'a>>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    log_check_messages: &'a BTreeMap<String, BTreeMap<String, String>>,
}

/// `advisory.yaml` for `meta`. `log_checks` are not written (the importer never has any).
pub(crate) fn advisory_yaml(id: &AdvisoryId, meta: &Meta) -> String {
    let out = OutAdvisory {
        id: id.as_str(),
        kind: meta.kind.as_str(),
        published: meta.published.to_string(),
        updated: meta.updated.map(|d| d.to_string()),
        kb: &meta.kb,
        cves: &meta.cves,
        affected: meta
            .affected
            .iter()
            .map(|a| OutAffected {
                product: &a.product,
                versions: &a.versions,
            })
            .collect(),
        revisions: meta
            .revisions
            .iter()
            .map(|r| OutRevision {
                number: &r.number,
                date: r.date.to_string(),
            })
            .collect(),
        references: meta
            .references
            .iter()
            .map(|r| OutReference {
                url: &r.url,
                kind: &r.kind,
            })
            .collect(),
        legacy_urls: meta
            .legacy_urls
            .iter()
            .map(|(l, u)| (l.as_str(), u.as_str()))
            .collect(),
        conflicts: meta
            .conflicts
            .iter()
            .map(|c| OutConflict {
                field: &c.field,
                locale: c.locale.as_str(),
                value: &c.value,
            })
            .collect(),
    };
    to_yaml(&out)
}

/// A translation file: `---`, its front matter, `---`, then `body` as is (the importer
/// cuts it from the source; the translation's own `body` is not used).
pub(crate) fn translation_file(t: &Translation, body: &str) -> String {
    let out = OutTranslation {
        title: &t.title,
        summary: t.summary.as_deref(),
        translated_from_revision: t.translated_from_revision.as_deref(),
        revision_notes: &t.revision_notes,
        product_names: t
            .product_names
            .iter()
            .map(|p| OutProductName {
                product: &p.product,
                name: &p.name,
            })
            .collect(),
        log_check_messages: &t.log_check_messages,
    };
    format!("---\n{}---\n{}", to_yaml(&out), body)
}

/// A new site's `content/site.yaml` (`avisa init`), with a comment per setting. `title`
/// is one line; the first locale is the default one.
pub(crate) fn site_yaml(title: &str, base_url: &str, locales: &[&str]) -> String {
    // each value as a YAML scalar, quoted where a plain one would change its meaning
    let scalar = |v: &str| to_yaml(&v).trim_end().to_string();
    let list: Vec<String> = locales.iter().map(|l| scalar(l)).collect();
    format!(
        "# Site settings (see the README, \"content/site.yaml\").\n\
         # one title for every locale, or one per locale (`title: {{ en-US: …, pt-BR: … }}`)\n\
         title: {}\n\
         # where the site will be published: canonical links, hreflang, sitemap and feeds\n\
         base_url: {}\n\
         default_locale: {}\n\
         # every locale the site is published in, in the language chooser's order\n\
         locales: [{}]\n\
         # paginate_by: 50   # advisories per index page (0: all on one page)\n\
         # feed_limit: 50    # newest entries per Atom feed (0: all)\n",
        scalar(title),
        scalar(base_url),
        list.first().map_or("", String::as_str),
        list.join(", ")
    )
}

fn to_yaml<T: Serialize>(value: &T) -> String {
    // Plain structs of strings, lists and maps always serialize.
    let s = serde_yaml::to_string(value).unwrap_or_default();
    if s.ends_with('\n') { s } else { s + "\n" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Affected, Body, Conflict, Kind, Reference, Revision};
    use std::path::PathBuf;

    fn meta() -> Meta {
        Meta {
            kind: Kind::Security,
            published: "2008-06-13".parse().unwrap(),
            updated: Some("2008-06-17".parse().unwrap()),
            kb: vec!["954474".into()],
            cves: vec![],
            affected: vec![Affected {
                product: "System Center: 2007".into(),
                versions: vec![],
            }],
            revisions: vec![Revision {
                number: "1.0".into(),
                date: "2008-06-13".parse().unwrap(),
            }],
            references: vec![Reference {
                url: "http://support.microsoft.com/kb/954474".into(),
                kind: "kb".into(),
            }],
            legacy_urls: [(
                "pt-BR".parse().unwrap(),
                "https://x/954474(v=Security.10)".to_string(),
            )]
            .into_iter()
            .collect(),
            log_checks: vec![],
            conflicts: vec![Conflict {
                field: "published".into(),
                locale: "es-ES".parse().unwrap(),
                value: "2008-06-14".into(),
            }],
            legacy_url_spots: Default::default(),
        }
    }

    #[test]
    fn advisory_yaml_has_fixed_key_order_and_quotes_what_would_change_type() {
        let id: AdvisoryId = "954474".parse().unwrap();
        let y = advisory_yaml(&id, &meta());
        let keys: Vec<&str> = y
            .lines()
            .filter(|l| !l.starts_with([' ', '-']))
            .map(|l| l.split(':').next().unwrap())
            .collect();
        assert_eq!(
            keys,
            [
                "id",
                "kind",
                "published",
                "updated",
                "kb",
                "affected",
                "revisions",
                "references",
                "legacy_urls",
                "conflicts"
            ]
        );
        let back: serde_yaml::Value = serde_yaml::from_str(&y).unwrap();
        assert_eq!(back["id"].as_str(), Some("954474"));
        assert_eq!(back["revisions"][0]["number"].as_str(), Some("1.0"));
        assert_eq!(
            back["affected"][0]["product"].as_str(),
            Some("System Center: 2007")
        );
        // a product without versions is only its name
        assert!(!y.contains("versions"), "{y}");
        assert_eq!(advisory_yaml(&id, &meta()), y, "same input, same bytes");
    }

    #[test]
    fn translation_file_has_front_matter_then_body() {
        let t = Translation {
            locale: "pt-BR".parse().unwrap(),
            source: PathBuf::new(),
            title: "Comunicado: 954474".into(),
            summary: None,
            translated_from_revision: None,
            revision_notes: [("1.0".to_string(), "Comunicado publicado".to_string())]
                .into_iter()
                .collect(),
            product_names: vec![crate::model::ProductName {
                product: "Windows 7 para sistemas baseados em x64".into(),
                name: "Windows 7: sistemas x64".into(),
            }],
            log_check_messages: BTreeMap::new(),
            body: Body::Text("Texto\n".into()),
            body_line: 1,
            spots: BTreeMap::new(),
        };
        let f = translation_file(&t, "Texto\n");
        assert!(f.starts_with("---\ntitle: "), "{f}");
        assert!(f.ends_with("---\nTexto\n"), "{f}");
        let split = crate::frontmatter::split(&f).unwrap();
        let v: serde_yaml::Value = serde_yaml::from_str(split.yaml.unwrap()).unwrap();
        assert_eq!(v["title"].as_str(), Some("Comunicado: 954474"));
        assert_eq!(
            v["revision_notes"]["1.0"].as_str(),
            Some("Comunicado publicado")
        );
        let names = &v["product_names"][0];
        assert_eq!(
            names["product"].as_str(),
            Some("Windows 7 para sistemas baseados em x64")
        );
        assert_eq!(names["name"].as_str(), Some("Windows 7: sistemas x64"));
    }

    /// A new site's `site.yaml` reads back as the settings written, whatever YAML would
    /// make of a plain title (a number, a boolean, a comment, a flow mapping).
    #[test]
    fn site_yaml_reads_back_as_written() {
        for title in [
            "Security advisories",
            "yes",
            "123",
            "null",
            "a # b",
            "- x",
            "{ en-US: T }",
            "Avisos: \"KB\" 'x'",
            "  spaced  ",
            "Безопасность ✓",
        ] {
            let yaml = site_yaml(title, "https://a.example/x/", &["pt-BR", "no"]);
            let config = crate::config::parse_site_config(&yaml, std::path::Path::new("s"))
                .unwrap_or_else(|p| panic!("{title:?}: {p:?}\n{yaml}"));
            let titles: Vec<&str> = config.title.values().map(String::as_str).collect();
            assert_eq!(titles, [title, title], "{yaml}");
            assert_eq!(config.base_url, "https://a.example/x/");
            assert_eq!(config.default_locale.as_str(), "pt-BR");
            let locales: Vec<&str> = config.locales.iter().map(|l| l.as_str()).collect();
            assert_eq!(locales, ["pt-BR", "no"]);
        }
    }
}
