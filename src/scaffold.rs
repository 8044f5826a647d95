//! `avisa new`: the files of a new advisory (an `advisory.yaml` and one translation
//! per locale), ready to fill in. Existing files are never overwritten.

use std::fs;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::diag::Problem;
use crate::model::{AdvisoryId, Locale};

/// The text of a new `advisory.yaml`.
fn advisory_yaml(id: &AdvisoryId, today: &str) -> String {
    format!(
        "id: \"{id}\"\nkind: security            # security | non-security | informational\npublished: {today}\n# updated: {today}\nkb: []\ncves: []                 # e.g. [CVE-2008-1447]\naffected: []\n#  - product: Example Server\n#    versions: [\"1.0\", \"1.1\"]\nrevisions:\n  - {{ number: \"1.0\", date: {today} }}\nreferences: []\n#  - {{ url: \"https://example.org/kb/1\", type: kb }}\n"
    )
}

/// The text of a new translation file.
fn translation_md(id: &AdvisoryId) -> String {
    format!(
        "---\ntitle: \"Advisory {id}\"\nsummary: \"\"\ntranslated_from_revision: \"1.0\"\nrevision_notes:\n  \"1.0\": \"\"\n---\n\nWrite the advisory here, in Markdown.\n"
    )
}

/// What `new_advisory` created, and a warning for each locale the site does not list
/// (its translation file would be rejected by `avisa build`).
#[derive(Debug)]
pub struct NewAdvisory {
    pub files: Vec<PathBuf>,
    pub problems: Vec<Problem>,
}

/// Creates `content/advisories/<id>/` with `advisory.yaml` and `<locale>.md` for each
/// locale; `today` is the `YYYY-MM-DD` date to prefill.
pub fn new_advisory(
    root: &Path,
    id: &str,
    locales: &[String],
    today: &str,
) -> Result<NewAdvisory, Error> {
    let id: AdvisoryId = id.parse().map_err(Error::Usage)?;
    let mut parsed = Vec::new();
    for l in locales {
        let l = l.parse::<Locale>().map_err(Error::Usage)?;
        // `--locales pt-BR,pt-br` names one file
        if !parsed.contains(&l) {
            parsed.push(l);
        }
    }
    if parsed.is_empty() {
        return Err(Error::Usage(
            "no locales: pass `--locales pt-BR,es-ES` or list them in `content/site.yaml`".into(),
        ));
    }
    let dir = root.join("content").join("advisories").join(id.as_str());
    if dir.exists() {
        return Err(Error::Usage(format!(
            "`{}` already exists; nothing was written",
            dir.display()
        )));
    }
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let mut written = Vec::new();
    let mut files = vec![(dir.join("advisory.yaml"), advisory_yaml(&id, today))];
    for l in &parsed {
        files.push((dir.join(format!("{l}.md")), translation_md(&id)));
    }
    for (path, text) in files {
        fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    let site_yaml = root.join("content").join("site.yaml");
    let yaml = crate::load::site_yaml_text(&site_yaml).map_err(|e| Error::io(&site_yaml, e))?;
    let problems = yaml.map_or_else(Vec::new, |yaml| {
        parsed
            .iter()
            .filter_map(|l| {
                let what = format!("`{}`", dir.join(format!("{l}.md")).display());
                crate::config::unlisted_locale(&yaml, &site_yaml, l, &what)
            })
            .collect()
    });
    Ok(NewAdvisory {
        files: written,
        problems,
    })
}
