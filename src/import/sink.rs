//! The importer's only writer: puts planned files under `content/` unless a person has
//! edited them since import last wrote them (hash in the manifest differs), then saves the
//! manifest. All or nothing: every file to write is first written into a hidden staging
//! folder inside `content/`, and only when all of them are there are they renamed into
//! place; a file whose text cannot be made, or a full disk, leaves `content/` as it was.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::{MANIFEST_NAME, Manifest, content_hash};
use crate::output::write_atomically_with;

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
    /// Written into the staging folder under this name, to be renamed into place.
    Staged(PathBuf),
    Unchanged,
    Kept,
}

/// The prefix of the staging folder's name (hidden; `avisa build` does not read it).
pub(crate) const STAGING_PREFIX: &str = ".avisa-import-";

/// Writes `files` (relative to `into`), each with the text `text_of` gives it, and the
/// manifest. With `force`, edited files are replaced too. Files are done in parallel, one
/// text in memory per worker; the outcome and the manifest follow the order of `files`.
/// Nothing under `into` changes unless every text was made and staged.
pub(crate) fn write_files<T: Sync, E: Send>(
    into: &Path,
    files: &[(String, T)],
    text_of: impl Fn(&T) -> Result<String, E> + Sync,
    manifest: &mut Manifest,
    force: bool,
) -> Result<WriteOutcome, WriteError<E>> {
    let made_into = !into.exists();
    let staging = (!files.is_empty())
        .then(|| {
            fs::create_dir_all(into)
                .and_then(|()| {
                    tempfile::Builder::new()
                        .prefix(STAGING_PREFIX)
                        .tempdir_in(into)
                })
                .map_err(|e| WriteError::Io(into.to_path_buf(), e))
        })
        .transpose()?;
    let staged = staging.as_ref().map(|s| s.path());
    let known = &manifest.files;
    let done: Result<Vec<(String, Done)>, _> = files
        .par_iter()
        .enumerate()
        .map(|(i, (rel, item))| {
            let text = text_of(item).map_err(WriteError::Text)?;
            let staged = staged.expect("a staging folder when there are files");
            let done = stage_one(into, rel, &text, known.get(rel), force, staged, i)
                .map_err(|(path, e)| WriteError::Io(path, e))?;
            Ok((content_hash(text.as_bytes()), done))
        })
        .collect();
    let done = match done {
        Ok(done) => done,
        Err(e) => {
            // the staged files go with their folder; a content folder made for them too
            drop(staging);
            if made_into {
                let _ = fs::remove_dir(into);
            }
            return Err(e);
        }
    };
    let mut out = WriteOutcome::default();
    for ((rel, _), (hash, done)) in files.iter().zip(&done) {
        match done {
            Done::Kept => {
                if !manifest.files.contains_key(rel) {
                    out.never_imported.push(rel.clone());
                }
                out.kept.push(rel.clone());
                continue;
            }
            Done::Unchanged => out.unchanged += 1,
            Done::Staged(_) => out.written.push(rel.clone()),
        }
        manifest.files.insert(rel.clone(), hash.clone());
    }
    // the manifest is compared with the file and staged as it is serialized: never whole
    // in memory, once or twice over
    let manifest_path = into.join(MANIFEST_NAME);
    // an import that had nothing to write leaves no manifest behind where there was none
    let nothing = files.is_empty() && !manifest_path.exists();
    let staged_manifest = match staged {
        Some(staged) if !nothing && !file_holds(&manifest_path, |w| manifest.write_to(w)) => {
            let path = staged.join(MANIFEST_NAME);
            write_atomically_with(&path, |w| manifest.write_to(w))
                .map_err(|e| WriteError::Io(path.clone(), e))?;
            Some(path)
        }
        None if !nothing && !file_holds(&manifest_path, |w| manifest.write_to(w)) => {
            // nothing planned, but a manifest that differs (e.g. written by an older avisa)
            write_atomically_with(&manifest_path, |w| manifest.write_to(w))
                .map_err(|e| WriteError::Io(manifest_path.clone(), e))?;
            None
        }
        _ => None,
    };
    // everything is staged: now each file is renamed into place, the manifest last; when
    // one cannot be (a folder that is not writable), those already moved are moved back
    let staged_dir = staged.unwrap_or(into);
    let moves = files
        .iter()
        .zip(&done)
        .enumerate()
        .filter_map(|(i, ((rel, _), (_, done)))| match done {
            Done::Staged(from) => Some((
                from.clone(),
                into.join(rel),
                staged_dir.join(format!("{i}.old")),
            )),
            Done::Unchanged | Done::Kept => None,
        })
        .chain(staged_manifest.map(|from| {
            let old = staged_dir.join(format!("{MANIFEST_NAME}.old"));
            (from, manifest_path.clone(), old)
        }))
        .collect::<Vec<_>>();
    let mut journal = Journal::default();
    for (from, to, old) in moves {
        if let Err(e) = journal.replace(&from, &to, &old) {
            journal.undo();
            drop(staging);
            if made_into {
                let _ = fs::remove_dir(into);
            }
            return Err(WriteError::Io(to, e));
        }
    }
    drop(staging);
    Ok(out)
}

/// What the renames into place did, to undo them when a later one fails.
#[derive(Default)]
struct Journal {
    /// Folders made for the files, outermost first.
    made: Vec<PathBuf>,
    /// (file put in place, where the file it replaced was moved, if it replaced one)
    placed: Vec<(PathBuf, Option<PathBuf>)>,
}

impl Journal {
    /// Puts `from` at `to`, making its folders; a file at `to` is first moved to `old`.
    fn replace(&mut self, from: &Path, to: &Path, old: &Path) -> io::Result<()> {
        let parent = to.parent().expect("a file has a folder");
        let missing: Vec<PathBuf> = parent
            .ancestors()
            .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
            .map(Path::to_path_buf)
            .collect();
        fs::create_dir_all(parent)?;
        self.made.extend(missing.into_iter().rev());
        let replaced = match fs::symlink_metadata(to) {
            Ok(_) => {
                fs::rename(to, old)?;
                Some(old.to_path_buf())
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(e),
        };
        if let Err(e) = fs::rename(from, to) {
            if let Some(old) = &replaced {
                let _ = fs::rename(old, to);
            }
            return Err(e);
        }
        self.placed.push((to.to_path_buf(), replaced));
        Ok(())
    }

    /// Moves back what was replaced, deletes what was new and the folders made for it
    /// (as far as the file system lets it: this runs after a failure).
    fn undo(self) {
        for (to, replaced) in self.placed.into_iter().rev() {
            let _ = match replaced {
                Some(old) => fs::rename(old, &to),
                None => fs::remove_file(&to),
            };
        }
        for dir in self.made.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
    }
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

/// Stages one file (as `staging/<index>`) unless it already has `text` or a person
/// edited it (its hash is not `known`, the one import last wrote). A staged file that
/// replaces one gets that file's permissions; a new one those `fs::write` gives.
fn stage_one(
    into: &Path,
    rel: &str,
    text: &str,
    known: Option<&String>,
    force: bool,
    staging: &Path,
    index: usize,
) -> Result<Done, (PathBuf, io::Error)> {
    let path = into.join(rel);
    let existing = match fs::read(&path) {
        Ok(existing) if existing == text.as_bytes() => return Ok(Done::Unchanged),
        Ok(existing) => {
            let ours = known.is_some_and(|h| *h == content_hash(&existing));
            if !ours && !force {
                return Ok(Done::Kept);
            }
            true
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => return Err((path, e)),
    };
    let staged = staging.join(index.to_string());
    fs::write(&staged, text).map_err(|e| (staged.clone(), e))?;
    if existing {
        let perms = fs::metadata(&path)
            .map_err(|e| (path.clone(), e))?
            .permissions();
        fs::set_permissions(&staged, perms).map_err(|e| (staged.clone(), e))?;
    }
    Ok(Done::Staged(staged))
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

    /// The names of everything under `dir`, relative to it, sorted.
    fn tree(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
                format!("{rel}{}", if e.file_type().is_dir() { "/" } else { "" })
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_text_that_cannot_be_made_leaves_the_content_folder_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::parse("").unwrap();
        let first = vec![("a/x.md".to_string(), "one\n")];
        write_files(dir.path(), &first, text, &mut m, false).unwrap();
        let before = tree(dir.path());
        let manifest_before = fs::read(dir.path().join(MANIFEST_NAME)).unwrap();
        // many files, so some are staged before the one that fails is reached
        let mut files: Vec<(String, &str)> =
            (0..40).map(|i| (format!("n{i}/y.md"), "new\n")).collect();
        files.push(("a/x.md".to_string(), "two\n"));
        files.push(("z/bad.md".to_string(), "BAD"));
        let fails = |s: &&str| {
            if *s == "BAD" {
                Err("no text")
            } else {
                Ok(s.to_string())
            }
        };
        let mut m2 = m.clone();
        let e = write_files(dir.path(), &files, fails, &mut m2, false).unwrap_err();
        assert!(matches!(e, WriteError::Text("no text")), "{e:?}");
        assert_eq!(tree(dir.path()), before, "no file, folder or staging left");
        assert_eq!(
            fs::read_to_string(dir.path().join("a/x.md")).unwrap(),
            "one\n"
        );
        assert_eq!(
            fs::read(dir.path().join(MANIFEST_NAME)).unwrap(),
            manifest_before
        );

        // a content folder made for the import goes too
        let fresh = dir.path().join("fresh/content");
        let e = write_files(&fresh, &files, fails, &mut m2, false).unwrap_err();
        assert!(matches!(e, WriteError::Text(_)));
        assert!(!fresh.exists());
        // and the same files without the failing one are all written, with no staging left
        files.pop();
        let o = write_files(&fresh, &files, fails, &mut m2, false).unwrap();
        assert_eq!(o.written.len(), files.len());
        assert!(
            tree(&fresh).iter().all(|n| !n.starts_with(STAGING_PREFIX)),
            "{:?}",
            tree(&fresh)
        );
    }

    /// The renames into place are undone when one fails: a file replaced is back, a new
    /// one and the folders made for it are gone (a folder that was not writable left the
    /// files before it moved and the manifest not updated).
    #[test]
    fn renames_into_place_are_undone_when_one_fails() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let staged = root.join("staged");
        fs::create_dir_all(&staged).unwrap();
        fs::create_dir_all(root.join("a")).unwrap();
        fs::write(root.join("a/x.md"), "old x").unwrap();
        for (name, text) in [("1", "new x"), ("2", "new y")] {
            fs::write(staged.join(name), text).unwrap();
        }
        let before = tree(root);
        let mut journal = Journal::default();
        journal
            .replace(
                &staged.join("1"),
                &root.join("a/x.md"),
                &staged.join("1.old"),
            )
            .unwrap();
        journal
            .replace(
                &staged.join("2"),
                &root.join("n/m/y.md"),
                &staged.join("2.old"),
            )
            .unwrap();
        assert_eq!(fs::read_to_string(root.join("a/x.md")).unwrap(), "new x");
        assert_eq!(fs::read_to_string(root.join("n/m/y.md")).unwrap(), "new y");
        // the third cannot be moved (here: its staged file is gone): the file it would
        // have replaced stays, and everything before it is undone
        fs::write(root.join("a/z.md"), "old z").unwrap();
        let e = journal.replace(
            &staged.join("3"),
            &root.join("a/z.md"),
            &staged.join("3.old"),
        );
        assert!(e.is_err());
        assert_eq!(fs::read_to_string(root.join("a/z.md")).unwrap(), "old z");
        fs::remove_file(root.join("a/z.md")).unwrap();
        journal.undo();
        assert_eq!(fs::read_to_string(root.join("a/x.md")).unwrap(), "old x");
        assert!(!root.join("n").exists());
        // (the staged files the undone renames moved back are not needed again)
        let after: Vec<String> = tree(root)
            .into_iter()
            .filter(|n| !n.starts_with("staged/"))
            .collect();
        let before: Vec<String> = before
            .into_iter()
            .filter(|n| !n.starts_with("staged/"))
            .collect();
        assert_eq!(after, before);
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions_and_a_new_one_gets_the_usual_ones() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::parse("").unwrap();
        let files = vec![("a/x.md".to_string(), "one\n")];
        write_files(dir.path(), &files, text, &mut m, false).unwrap();
        let x = dir.path().join("a/x.md");
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        // the mode fs::write gives, whatever the umask
        let usual = dir.path().join("usual");
        fs::write(&usual, "").unwrap();
        assert_eq!(mode(&x), mode(&usual));
        fs::set_permissions(&x, fs::Permissions::from_mode(0o640)).unwrap();
        let files = vec![("a/x.md".to_string(), "two\n")];
        let o = write_files(dir.path(), &files, text, &mut m, false).unwrap();
        assert_eq!(o.written, ["a/x.md"]);
        assert_eq!(fs::read_to_string(&x).unwrap(), "two\n");
        assert_eq!(mode(&x), 0o640);
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
