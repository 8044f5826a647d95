//! The import manifest `content/.avisa-import.json`: what each locale's source said about
//! each advisory (so a later import of another locale can vote on the facts), and a hash
//! of every file import wrote (so a file a person edited is never overwritten silently).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// File name of the manifest, inside the `content/` folder.
pub(crate) const MANIFEST_NAME: &str = ".avisa-import.json";

/// The whole manifest. Maps are sorted, so the file is deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Manifest {
    /// Format version; 1.
    pub(crate) format: u32,
    /// Path relative to `content/` → [`content_hash`] of the bytes import last wrote there.
    pub(crate) files: BTreeMap<String, String>,
    /// Advisory id → the facts each locale's source gave, in the order locales were first imported.
    pub(crate) sources: BTreeMap<String, Vec<LocaleFacts>>,
}

/// What one locale's source file said about an advisory (dates as `YYYY-MM-DD`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LocaleFacts {
    pub(crate) locale: String,
    /// The source file, as given on the command line.
    pub(crate) source: String,
    pub(crate) published: Option<String>,
    pub(crate) updated: Option<String>,
    /// (number, date), oldest first.
    pub(crate) revisions: Vec<(String, String)>,
    pub(crate) kb: Vec<String>,
    pub(crate) cves: Vec<String>,
    pub(crate) affected: Vec<String>,
    /// Product → its versions, for the products of `affected` whose table named versions.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) affected_versions: BTreeMap<String, Vec<String>>,
    /// (url, type).
    pub(crate) references: Vec<(String, String)>,
    pub(crate) legacy_url: Option<String>,
}

impl Manifest {
    /// Reads a manifest; empty text (no file yet) is an empty manifest.
    pub(crate) fn parse(text: &str) -> Result<Manifest, String> {
        if text.trim().is_empty() {
            return Ok(Manifest {
                format: 1,
                ..Manifest::default()
            });
        }
        let m: Manifest = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if m.format != 1 {
            return Err(format!("unsupported manifest format {}", m.format));
        }
        Ok(m)
    }

    /// Writes the manifest as pretty JSON with a final newline, as it is serialized (it
    /// grows with the corpus: a few megabytes for thousands of advisories).
    pub(crate) fn write_to(&self, mut out: impl std::io::Write) -> std::io::Result<()> {
        serde_json::to_writer_pretty(&mut out, self)?;
        out.write_all(b"\n")?;
        out.flush()
    }

    /// The manifest as pretty JSON with a final newline.
    #[cfg(test)]
    pub(crate) fn to_text(&self) -> String {
        let mut out = Vec::new();
        self.write_to(&mut out)
            .expect("writing to memory cannot fail");
        String::from_utf8(out).expect("JSON is UTF-8")
    }

    /// Records `facts` for advisory `id`, replacing the same locale's earlier entry in place
    /// (so the first-import order, which breaks ties, stays stable).
    pub(crate) fn record(&mut self, id: &str, facts: LocaleFacts) {
        let list = self.sources.entry(id.to_string()).or_default();
        match list.iter_mut().find(|f| f.locale == facts.locale) {
            Some(slot) => *slot = facts,
            None => list.push(facts),
        }
    }
}

/// A stable 64-bit FNV-1a hash of `bytes`, as `fnv1a64:<16 hex digits>`. It detects edits;
/// it is not meant to resist anyone forging a collision.
pub(crate) fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("fnv1a64:{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_round_trips_and_keeps_first_import_order() {
        let mut m = Manifest::parse("").unwrap();
        m.record(
            "1",
            LocaleFacts {
                locale: "pt-BR".into(),
                published: Some("2008-06-13".into()),
                ..Default::default()
            },
        );
        m.record(
            "1",
            LocaleFacts {
                locale: "es-ES".into(),
                ..Default::default()
            },
        );
        m.record(
            "1",
            LocaleFacts {
                locale: "pt-BR".into(),
                published: Some("2008-06-14".into()),
                ..Default::default()
            },
        );
        let order: Vec<&str> = m.sources["1"].iter().map(|f| f.locale.as_str()).collect();
        assert_eq!(order, ["pt-BR", "es-ES"]);
        assert_eq!(Manifest::parse(&m.to_text()).unwrap(), m);
        assert!(Manifest::parse("{\"format\": 2, \"files\": {}, \"sources\": {}}").is_err());
    }

    #[test]
    fn content_hash_is_stable_and_sensitive() {
        assert_eq!(content_hash(b""), "fnv1a64:cbf29ce484222325");
        assert_eq!(content_hash(b"a"), "fnv1a64:af63dc4c8601ec8c");
        assert_ne!(content_hash(b"ab"), content_hash(b"ba"));
    }
}
