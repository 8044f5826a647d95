//! The importer's only writer: puts planned files under `content/` unless a person has
//! edited them since import last wrote them (hash in the manifest differs), then saves the
//! manifest. Each file is written to a temporary name and renamed into place.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::manifest::{MANIFEST_NAME, Manifest, content_hash};

/// What happened to the planned files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct WriteOutcome {
    /// Created or replaced, relative to `content/`.
    pub(crate) written: Vec<String>,
    /// Already had exactly these bytes.
    pub(crate) unchanged: usize,
    /// Edited by a person since the last import (or not written by import): left alone.
    pub(crate) kept: Vec<String>,
}

/// Writes `files` (relative to `into`) and the manifest. With `force`, edited files are
/// replaced too.
pub(crate) fn write_files(
    into: &Path,
    files: &[(String, String)],
    manifest: &mut Manifest,
    force: bool,
) -> Result<WriteOutcome, (PathBuf, io::Error)> {
    let mut out = WriteOutcome::default();
    for (rel, text) in files {
        let path = into.join(rel);
        let new_hash = content_hash(text.as_bytes());
        match fs::read(&path) {
            Ok(existing) if existing == text.as_bytes() => {
                out.unchanged += 1;
                manifest.files.insert(rel.clone(), new_hash);
                continue;
            }
            Ok(existing) => {
                let ours = manifest
                    .files
                    .get(rel)
                    .is_some_and(|h| *h == content_hash(&existing));
                if !ours && !force {
                    out.kept.push(rel.clone());
                    continue;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err((path, e)),
        }
        write_atomically(&path, text.as_bytes()).map_err(|e| (path.clone(), e))?;
        manifest.files.insert(rel.clone(), new_hash);
        out.written.push(rel.clone());
    }
    let manifest_path = into.join(MANIFEST_NAME);
    let text = manifest.to_text();
    if fs::read(&manifest_path).ok().as_deref() != Some(text.as_bytes()) {
        write_atomically(&manifest_path, text.as_bytes())
            .map_err(|e| (manifest_path.clone(), e))?;
    }
    Ok(out)
}

fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    io::Write::write_all(&mut tmp, bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edited_files_are_kept_unless_forced_and_unchanged_files_are_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::parse("").unwrap();
        let files = vec![("a/x.md".to_string(), "one\n".to_string())];
        let o = write_files(dir.path(), &files, &mut m, false).unwrap();
        assert_eq!(o.written, ["a/x.md"]);
        let o = write_files(dir.path(), &files, &mut m, false).unwrap();
        assert_eq!((o.written.len(), o.unchanged), (0, 1));

        fs::write(dir.path().join("a/x.md"), "edited\n").unwrap();
        let files2 = vec![("a/x.md".to_string(), "two\n".to_string())];
        let o = write_files(dir.path(), &files2, &mut m, false).unwrap();
        assert_eq!(o.kept, ["a/x.md"]);
        assert_eq!(
            fs::read_to_string(dir.path().join("a/x.md")).unwrap(),
            "edited\n"
        );
        let o = write_files(dir.path(), &files2, &mut m, true).unwrap();
        assert_eq!(o.written, ["a/x.md"]);
        assert_eq!(
            fs::read_to_string(dir.path().join("a/x.md")).unwrap(),
            "two\n"
        );
    }

    #[test]
    fn a_file_import_never_wrote_counts_as_edited() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("a")).unwrap();
        fs::write(dir.path().join("a/x.md"), "by hand\n").unwrap();
        let mut m = Manifest::parse("").unwrap();
        let o = write_files(
            dir.path(),
            &[("a/x.md".into(), "import\n".into())],
            &mut m,
            false,
        )
        .unwrap();
        assert_eq!(o.kept, ["a/x.md"]);
    }
}
