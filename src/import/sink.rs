//! The importer's only writer: puts planned files under `content/` unless a person has
//! edited them since import last wrote them (hash in the manifest differs), then saves the
//! manifest. Each file is written to a temporary name and renamed into place.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::{MANIFEST_NAME, Manifest, content_hash};
use crate::output::{write_atomically, write_atomically_with};

/// What happened to the planned files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct WriteOutcome {
    /// Created or replaced, relative to `content/`.
    pub(crate) written: Vec<String>,
    /// Already had exactly these bytes.
    pub(crate) unchanged: usize,
    /// Edited by a person since the last import (or not written by import): left alone.
    pub(crate) kept: Vec<String>,
    /// Those of `kept` that import never wrote (no hash in the manifest): written by hand.
    pub(crate) never_imported: Vec<String>,
}

/// What happened to one file.
enum Done {
    Written,
    Unchanged,
    Kept,
}

/// Writes `files` (relative to `into`), each with the text `text_of` gives it, and the
/// manifest. With `force`, edited files are replaced too. Files are done in parallel, one
/// text in memory per worker; the outcome and the manifest follow the order of `files`.
pub(crate) fn write_files<T: Sync, E: Send>(
    into: &Path,
    files: &[(String, T)],
    text_of: impl Fn(&T) -> Result<String, E> + Sync,
    manifest: &mut Manifest,
    force: bool,
) -> Result<WriteOutcome, WriteError<E>> {
    let known = &manifest.files;
    let done: Vec<(String, Done)> = files
        .par_iter()
        .map(|(rel, item)| {
            let text = text_of(item).map_err(WriteError::Text)?;
            let done = write_one(into, rel, &text, known.get(rel), force)
                .map_err(|(path, e)| WriteError::Io(path, e))?;
            Ok((content_hash(text.as_bytes()), done))
        })
        .collect::<Result<_, _>>()?;
    let mut out = WriteOutcome::default();
    for ((rel, _), (hash, done)) in files.iter().zip(done) {
        match done {
            Done::Kept => {
                if !manifest.files.contains_key(rel) {
                    out.never_imported.push(rel.clone());
                }
                out.kept.push(rel.clone());
                continue;
            }
            Done::Unchanged => out.unchanged += 1,
            Done::Written => out.written.push(rel.clone()),
        }
        manifest.files.insert(rel.clone(), hash);
    }
    // the manifest is compared with the file and written as it is serialized: never whole
    // in memory, once or twice over
    let manifest_path = into.join(MANIFEST_NAME);
    // an import that had nothing to write leaves no manifest behind where there was none
    let nothing = files.is_empty() && !manifest_path.exists();
    if !nothing && !file_holds(&manifest_path, |w| manifest.write_to(w)) {
        write_atomically_with(&manifest_path, |w| manifest.write_to(w))
            .map_err(|e| WriteError::Io(manifest_path.clone(), e))?;
    }
    Ok(out)
}

/// Whether the file at `path` holds exactly the bytes `write` produces; it is read as they
/// are produced, and the comparison stops at the first difference.
fn file_holds(path: &Path, write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>) -> bool {
    /// Compares what is written with what `file` holds next.
    struct Compare(io::BufReader<fs::File>, Vec<u8>);
    impl io::Write for Compare {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            let held = &mut self.1;
            held.resize(buf.len(), 0);
            io::Read::read_exact(&mut self.0, held)?;
            if held == buf {
                Ok(buf.len())
            } else {
                Err(io::Error::other("different"))
            }
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let Ok(file) = fs::File::open(path) else {
        return false;
    };
    let mut compare = Compare(io::BufReader::new(file), Vec::new());
    // equal so far, and nothing left over in the file
    write(&mut compare).is_ok() && matches!(io::Read::read(&mut compare.0, &mut [0]), Ok(0))
}

/// Why [`write_files`] stopped: a file's text could not be made, or the disk failed.
#[derive(Debug)]
pub(crate) enum WriteError<E> {
    Text(E),
    Io(PathBuf, io::Error),
}

/// Writes one file unless it already has `text` or a person edited it (its hash is not
/// `known`, the one import last wrote).
fn write_one(
    into: &Path,
    rel: &str,
    text: &str,
    known: Option<&String>,
    force: bool,
) -> Result<Done, (PathBuf, io::Error)> {
    let path = into.join(rel);
    match fs::read(&path) {
        Ok(existing) if existing == text.as_bytes() => return Ok(Done::Unchanged),
        Ok(existing) => {
            let ours = known.is_some_and(|h| *h == content_hash(&existing));
            if !ours && !force {
                return Ok(Done::Kept);
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err((path, e)),
    }
    write_atomically(&path, text.as_bytes()).map_err(|e| (path.clone(), e))?;
    Ok(Done::Written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &&str) -> Result<String, ()> {
        Ok(s.to_string())
    }

    #[test]
    fn edited_files_are_kept_unless_forced_and_unchanged_files_are_not_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::parse("").unwrap();
        let files = vec![("a/x.md".to_string(), "one\n")];
        let o = write_files(dir.path(), &files, text, &mut m, false).unwrap();
        assert_eq!(o.written, ["a/x.md"]);
        let o = write_files(dir.path(), &files, text, &mut m, false).unwrap();
        assert_eq!((o.written.len(), o.unchanged), (0, 1));

        fs::write(dir.path().join("a/x.md"), "edited\n").unwrap();
        let files2 = vec![("a/x.md".to_string(), "two\n")];
        let o = write_files(dir.path(), &files2, text, &mut m, false).unwrap();
        assert_eq!(o.kept, ["a/x.md"]);
        assert_eq!(
            fs::read_to_string(dir.path().join("a/x.md")).unwrap(),
            "edited\n"
        );
        let o = write_files(dir.path(), &files2, text, &mut m, true).unwrap();
        assert_eq!(o.written, ["a/x.md"]);
        assert_eq!(
            fs::read_to_string(dir.path().join("a/x.md")).unwrap(),
            "two\n"
        );
    }

    #[test]
    fn files_written_in_parallel_are_listed_and_hashed_in_the_given_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::parse("").unwrap();
        let names: Vec<String> = (0..50).map(|i| format!("d{}/f{i:02}.md", i % 7)).collect();
        let files: Vec<(String, &str)> = names.iter().map(|n| (n.clone(), n.as_str())).collect();
        let o = write_files(dir.path(), &files, text, &mut m, false).unwrap();
        assert_eq!(o.written, names);
        for n in &names {
            assert_eq!(fs::read_to_string(dir.path().join(n)).unwrap(), *n);
            assert_eq!(m.files[n], content_hash(n.as_bytes()));
        }
    }

    #[test]
    fn a_file_import_never_wrote_counts_as_edited() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("a")).unwrap();
        fs::write(dir.path().join("a/x.md"), "by hand\n").unwrap();
        let mut m = Manifest::parse("").unwrap();
        let o = write_files(
            dir.path(),
            &[("a/x.md".to_string(), "import\n")],
            text,
            &mut m,
            false,
        )
        .unwrap();
        assert_eq!(o.kept, ["a/x.md"]);
    }

    #[test]
    fn a_file_holds_what_is_written_only_when_every_byte_matches() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let text = "{\n  \"format\": 1\n}\n".repeat(1000);
        let produce = |w: &mut dyn io::Write| {
            // in small pieces, as a serializer writes
            for chunk in text.as_bytes().chunks(7) {
                w.write_all(chunk)?;
            }
            Ok(())
        };
        assert!(!file_holds(&path, produce), "no file yet");
        write_atomically_with(&path, produce).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), text);
        assert!(file_holds(&path, produce));
        let mut longer = text.clone();
        longer.push(' ');
        fs::write(&path, &longer).unwrap();
        assert!(!file_holds(&path, produce), "a byte more in the file");
        fs::write(&path, &text[..text.len() - 1]).unwrap();
        assert!(!file_holds(&path, produce), "a byte less in the file");
        let mut changed = text.clone().into_bytes();
        changed[5000] = b'X';
        fs::write(&path, &changed).unwrap();
        assert!(!file_holds(&path, produce), "one byte different");
    }
}
