//! The shipped example site, copied for tests that change it.

use std::fs;
use std::path::{Path, PathBuf};

/// The crate root.
pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the folder `from` (and all it holds) to `to`.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        if e.file_type().is_dir() {
            fs::create_dir_all(to.join(rel)).unwrap();
        } else {
            fs::copy(e.path(), to.join(rel)).unwrap();
        }
    }
}

/// A site folder holding a copy of the shipped example's `content/`.
pub(crate) fn example_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("content"), &tmp.path().join("content"));
    tmp
}

/// Replaces the first `from` in the file `rel` under `root` by `to`; `from` must be there.
pub(crate) fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} has no `{from}`");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}
