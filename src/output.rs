//! Sinks, the only writers of output: a folder written through a staging folder and
//! swapped in only when the whole build succeeded, an in-memory map for tests, and a
//! sink that discards (for `check`). Also `write_atomically`, the one way a single file
//! is replaced whole (the output's marker, the importer's files), and `create_atomically`,
//! the one way a file that must not exist yet is made whole (`init`, `new`, `new-locale`),
//! and `ScratchFolder`, a temporary folder removed when dropped (`serve`'s preview).

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::Error;

/// The marker of an output folder `public` is `.public.avisa-output` beside it (not in
/// it, so it is not deployed with the site): it holds the folder's identity, so the next
/// build may replace that folder, and not another one later made under its name. Earlier
/// builds wrote `.avisa-output` inside the folder: a folder holding it is avisa's too.
const MARKER: &str = ".avisa-output";

/// Receives each finished file: a site-relative path with `/` separators and its bytes.
pub trait Sink: Sync {
    /// Stores one file; the same path is never put twice in one build.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Error>;

    /// Creates the folder `dir` (site-relative, `/` separators) ahead of the files that
    /// will be put in it. Only a head start: `put` still makes a folder that is missing,
    /// so a sink without folders, or one that cannot make this one now, may ignore it.
    fn prepare_dir(&self, _dir: &str) -> Result<(), Error> {
        Ok(())
    }
}

/// Rejects paths that could escape the output folder.
fn safe_relative(path: &str) -> Result<&Path, Error> {
    let p = Path::new(path);
    let ok = !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)));
    if ok {
        Ok(p)
    } else {
        Err(Error::Usage(format!(
            "refusing to write outside the output folder: `{path}`"
        )))
    }
}

/// The previous output of `public`, set aside by a build as `.public.avisa-spare` beside
/// it (on Unix): the next build writes its files over that folder's instead of making
/// every file and folder anew and deleting the old output's.
const SPARE: &str = ".avisa-spare";

/// Writes into a staging folder beside the output; `commit` swaps it in.
/// Dropped without `commit`, it deletes the staging folder and the output is untouched.
///
/// On Unix the staging folder is the output before last, when avisa set it aside (its
/// spare): the files of this build are written over those it holds, the folders it has
/// are not made again, and what this build does not write is deleted before the swap, so
/// the output holds exactly this build's files, as a new folder would. A file another
/// name links to (a hard-linked copy of an old output) is replaced, not written over.
/// The output then takes the spare's place, so two copies of the site stay on disk.
pub struct DirSink {
    staging: tempfile::TempDir,
    /// The staging folder, open: files are created relative to it, so the kernel does
    /// not walk the folder's own path again for each of them.
    #[cfg(unix)]
    root: rustix::fd::OwnedFd,
    /// The files and folders the reused spare held, each marked once this build writes
    /// it (a folder: once it writes in it); empty for a new staging folder.
    #[cfg(unix)]
    held: Held,
    out: PathBuf,
    /// A preview (`avisa serve`), not a site to publish.
    preview: bool,
}

/// What a reused spare folder held: site-relative path (`/` separators) → written by
/// this build. Marked from the rendering threads, read by `commit`.
#[cfg(unix)]
#[derive(Default)]
struct Held {
    files: std::collections::HashMap<String, std::sync::atomic::AtomicBool>,
    dirs: std::collections::HashMap<String, std::sync::atomic::AtomicBool>,
}

#[cfg(unix)]
impl Held {
    /// Whether the staging folder is a reused spare that held anything.
    fn any(&self) -> bool {
        !self.files.is_empty() || !self.dirs.is_empty()
    }

    /// Reads the folder `dir` (site-relative `rel`) of a spare: its files and folders, and
    /// deletes whatever the build never writes (symbolic links, sockets, names that are
    /// not UTF-8), so nothing is written through a link.
    fn read(&mut self, dir: &Path, rel: &str) -> io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            let path = entry.path();
            let name = entry.file_name();
            let key = match name.to_str() {
                Some(n) if rel.is_empty() => n.to_string(),
                Some(n) => format!("{rel}/{n}"),
                None => String::new(),
            };
            if kind.is_dir() && !key.is_empty() {
                self.read(&path, &key)?;
                self.dirs.insert(key, Default::default());
            } else if kind.is_file() && !key.is_empty() {
                self.files.insert(key, Default::default());
            } else if kind.is_dir() {
                fs::remove_dir_all(&path)?;
            } else {
                fs::remove_file(&path)?;
            }
        }
        Ok(())
    }

    /// Marks the file `path` and the folders it is in as written; true the first time for
    /// a file the spare held.
    fn wrote_file(&self, path: &str) -> bool {
        if !self.any() {
            return false;
        }
        self.wrote_in(path);
        let held = self.files.get(path);
        held.is_some_and(|f| !f.swap(true, std::sync::atomic::Ordering::Relaxed))
    }

    /// Marks the folder `path` and the folders it is in as written.
    fn wrote_dir(&self, path: &str) {
        if !self.any() {
            return;
        }
        if let Some(d) = self.dirs.get(path) {
            d.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        self.wrote_in(path);
    }

    /// Marks the folders `path` is in as written, up to one marked before (whose own
    /// folders were marked with it).
    fn wrote_in(&self, path: &str) {
        let mut at = path;
        while let Some((parent, _)) = at.rsplit_once('/') {
            let marked = self.dirs.get(parent);
            if marked.is_some_and(|d| d.swap(true, std::sync::atomic::Ordering::Relaxed)) {
                break;
            }
            at = parent;
        }
    }

    /// Deletes, under `root`, what the spare held and this build did not write: files
    /// first, then folders, the deepest first. A path this build made into a folder where
    /// the spare had a file, or the reverse, is this build's and stays.
    fn delete_unwritten(&self, root: &Path) -> io::Result<()> {
        use std::sync::atomic::Ordering::Relaxed;
        let delete = |path: &str, was_dir: bool| -> io::Result<()> {
            let path = root.join(path);
            match fs::symlink_metadata(&path) {
                Ok(m) if m.is_dir() && was_dir => fs::remove_dir_all(&path),
                Ok(m) if !m.is_dir() && !was_dir => fs::remove_file(&path),
                // gone with its folder, or this build's
                _ => Ok(()),
            }
        };
        for (path, written) in &self.files {
            if !written.load(Relaxed) {
                delete(path, false)?;
            }
        }
        let mut dirs: Vec<&String> = (self.dirs.iter())
            .filter(|(_, written)| !written.load(Relaxed))
            .map(|(d, _)| d)
            .collect();
        dirs.sort_unstable_by(|a, b| b.cmp(a));
        for dir in dirs {
            delete(dir, true)?;
        }
        Ok(())
    }
}

impl DirSink {
    /// Prepares a staging folder next to `out`. Refuses an `out` that exists, is not
    /// empty and was not made by avisa (so a typo cannot delete someone's files). An
    /// `out` that is a symbolic link stays one: the folder it leads to is replaced.
    pub fn new(out: &Path) -> Result<DirSink, Error> {
        DirSink::with_purpose(out, false)
    }

    /// `new` for a preview (`avisa serve --out`), which also refuses a folder `avisa build`
    /// wrote: its pages, with their live-reload script and local addresses, must not take
    /// the place of a site to publish.
    pub fn new_preview(out: &Path) -> Result<DirSink, Error> {
        DirSink::with_purpose(out, true)
    }

    fn with_purpose(out: &Path, preview: bool) -> Result<DirSink, Error> {
        // `public/.` and `public/` are `public` (whose name and parent the swap needs)
        let out = fold_missing_parents(out);
        let out = &resolve_link(&out)?;
        let name = out.file_name().ok_or_else(|| {
            Error::Usage(format!("`{}` cannot be an output folder", out.display()))
        })?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if out.exists() {
            let is_ours = is_ours(out);
            let is_empty = out.is_dir()
                && fs::read_dir(out)
                    .map_err(|e| Error::io(out, e))?
                    .next()
                    .is_none();
            if !is_ours && !is_empty {
                return Err(Error::Usage(format!(
                    "refusing to replace `{}`: it exists and was not written by avisa; choose another `--out` or remove it",
                    out.display()
                )));
            }
            if preview && is_ours && !is_preview(out) {
                return Err(Error::Usage(format!(
                    "refusing to write a preview over `{}`: it is a site `avisa build` wrote, and the preview's pages (live reload, local addresses) are not to be published; choose another `--out`, or leave it out for a temporary folder",
                    out.display()
                )));
            }
        }
        fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let new_staging = || {
            tempfile::Builder::new()
                .prefix(&format!(".{}.staging-", name.to_string_lossy()))
                .tempdir_in(&parent)
                .map_err(|e| Error::io(&parent, e))
        };
        let staging = new_staging()?;
        #[cfg(unix)]
        let (staging, held) = {
            let spare = spare_of(out);
            // the spare takes the place of the new, empty staging folder
            let reused = is_spare(&spare) && fs::rename(&spare, staging.path()).is_ok();
            let read = || -> io::Result<Held> {
                fs::remove_file(staging.path().join(SPARE))?;
                let mut held = Held::default();
                held.read(staging.path(), "")?;
                Ok(held)
            };
            match reused.then(read) {
                Some(Ok(held)) => (staging, held),
                None => (staging, Held::default()),
                // a spare that cannot be read is deleted with its staging folder
                Some(Err(_)) => {
                    drop(staging);
                    (new_staging()?, Held::default())
                }
            }
        };
        #[cfg(unix)]
        let root = {
            use rustix::fs::{Mode, OFlags};
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            rustix::fs::open(staging.path(), flags, Mode::empty())
                .map_err(|e| Error::io(staging.path(), e.into()))?
        };
        Ok(DirSink {
            staging,
            #[cfg(unix)]
            root,
            #[cfg(unix)]
            held,
            out: out.to_path_buf(),
            preview,
        })
    }

    /// Swaps the staging folder in place of the output folder, and marks it as avisa's.
    /// The output it replaces becomes the spare (on Unix; elsewhere it is deleted).
    pub fn commit(self) -> Result<(), Error> {
        #[cfg(unix)]
        self.held
            .delete_unwritten(self.staging.path())
            .map_err(|e| Error::io(self.staging.path(), e))?;
        let staging = self.staging.keep();
        let out = self.out;
        // the output before last, when this platform keeps one and no folder of another
        // has its name (one avisa set aside was reused by this build)
        let spare = spare_of(&out);
        let keep = cfg!(unix) && fs::symlink_metadata(&spare).is_err();
        let old = if keep {
            spare.clone()
        } else {
            out.with_file_name(format!(
                ".{}.old-{}",
                out.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                std::process::id()
            ))
        };
        let had_old = out.exists();
        // Whatever can fail is done before the swap, so a build that fails leaves the
        // output as it was and one that swapped has succeeded. The marker names both
        // folders (a rename keeps a folder's identity) until the swap is done.
        let ids = [
            had_old.then(|| identity(&out)).flatten(),
            identity(&staging),
        ];
        let preview = self.preview;
        if let Err(e) = mark(&out, &ids, preview) {
            let _ = fs::remove_dir_all(&staging);
            return Err(e);
        }
        if had_old {
            fs::rename(&out, &old).map_err(|e| {
                let _ = fs::remove_dir_all(&staging);
                Error::io(&out, e)
            })?;
        }
        if let Err(e) = fs::rename(&staging, &out) {
            if had_old {
                let _ = fs::rename(&old, &out);
            }
            let _ = fs::remove_dir_all(&staging);
            return Err(Error::io(&out, e));
        }
        // from here on, only tidying: a failure leaves a marker naming one folder more, or
        // a spare that the next build does not recognize, never a failed build
        let _ = mark(&out, &[identity(&out)], preview);
        if had_old && keep {
            let _ = fs::write(old.join(SPARE), identity(&old).unwrap_or_default());
        } else if had_old {
            let _ = fs::remove_dir_all(&old);
        }
        Ok(())
    }
}

/// `.<name>.avisa-spare` beside the output folder `out`.
fn spare_of(out: &Path) -> PathBuf {
    let name = out.file_name().unwrap_or_default().to_string_lossy();
    out.with_file_name(format!(".{name}{SPARE}"))
}

/// Whether `dir` is a folder avisa set aside as a spare: it holds a file `.avisa-spare`
/// naming the folder itself (a copy of that file elsewhere names another folder).
#[cfg(unix)]
fn is_spare(dir: &Path) -> bool {
    let named = fs::read_to_string(dir.join(SPARE)).ok();
    named.is_some_and(|n| !n.is_empty() && Some(n) == identity(dir))
}

/// The folder a symbolic link `out` leads to (`out` itself when it is no link), so that
/// a link from where the site is built to where it is served stays as it is.
fn resolve_link(out: &Path) -> Result<PathBuf, Error> {
    match fs::symlink_metadata(out) {
        Ok(m) if m.file_type().is_symlink() => fs::canonicalize(out).map_err(|e| {
            let to = fs::read_link(out).unwrap_or_default();
            Error::Usage(format!(
                "the output `{}` is a symbolic link to `{}`, which cannot be used ({e}): create that folder, or remove the link",
                out.display(),
                to.display()
            ))
        }),
        _ => Ok(out.to_path_buf()),
    }
}

/// `.<name>.avisa-output` beside the output folder `out`.
fn marker_of(out: &Path) -> PathBuf {
    let name = out.file_name().unwrap_or_default().to_string_lossy();
    out.with_file_name(format!(".{name}{MARKER}"))
}

/// What tells the output folder apart from another one later made under its name: its
/// device, inode and time of creation, all kept when the staging folder is renamed into
/// place (a file system may give a new folder the inode of one just deleted; where it
/// keeps no creation time, device and inode have to do).
fn identity(out: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let m = fs::metadata(out).ok()?;
        let born = m.created().ok().and_then(|t| {
            let t = t.duration_since(std::time::UNIX_EPOCH).ok()?;
            Some(format!(":{}.{:09}", t.as_secs(), t.subsec_nanos()))
        });
        Some(format!(
            "{}:{}{}",
            m.dev(),
            m.ino(),
            born.unwrap_or_default()
        ))
    }
    #[cfg(not(unix))]
    {
        fs::metadata(out).ok().map(|_| String::new())
    }
}

/// Whether `out` is a folder its marker names, or holds the marker builds once wrote
/// inside it.
fn is_ours(out: &Path) -> bool {
    let named = |text: String| {
        let id = identity(out);
        (text.lines())
            .filter(|l| !l.starts_with('#'))
            .any(|l| Some(l) == id.as_deref())
    };
    fs::read_to_string(marker_of(out)).is_ok_and(named) || out.join(MARKER).is_file()
}

/// `path` with each `name/..` left out where `name` does not exist (so it is no link, whose
/// `..` would lead elsewhere), and without `.`: `a/b/../public` is `a/public`, and `a/b`
/// is not made only to be stepped out of (it was left behind, empty).
fn fold_missing_parents(path: &Path) -> PathBuf {
    let mut folded = PathBuf::new();
    for part in path.components() {
        let missing = || {
            matches!(folded.components().next_back(), Some(Component::Normal(_)))
                && !folded.exists()
        };
        if part == Component::ParentDir && missing() {
            folded.pop();
        } else {
            folded.push(part);
        }
    }
    folded
}

/// The output of an earlier build that `out` would be made inside (`public/` for
/// `--out public/staging`), if any: a build of that output replaces it whole, the new
/// output with it, and until then it would be deployed as part of that site.
pub(crate) fn enclosing_output(out: &Path) -> Option<PathBuf> {
    // `public/../site2` is not inside `public`
    let out = resolved(out)?;
    out.ancestors()
        .skip(1)
        .filter(|a| a.parent().is_some())
        .find(|a| a.is_dir() && is_ours(a))
        .map(Path::to_path_buf)
}

/// `p` as the system reads it: absolute, a `..` after a folder that does not exist folded
/// ([`fold_missing_parents`]), and the deepest folder that exists resolved (its links and
/// `..`), the names after it as written. `None` when no folder of it can be resolved.
pub(crate) fn resolved(p: &Path) -> Option<PathBuf> {
    let full = std::path::absolute(fold_missing_parents(p)).ok()?;
    full.ancestors().find_map(|existing| {
        let real = fs::canonicalize(existing).ok()?;
        Some(real.join(full.strip_prefix(existing).ok()?))
    })
}

/// The line of a marker that says its folder is a preview.
const PREVIEW: &str = "preview";

/// Whether the marker of `out` says it is a preview.
fn is_preview(out: &Path) -> bool {
    fs::read_to_string(marker_of(out)).is_ok_and(|text| text.lines().any(|l| l == PREVIEW))
}

/// Writes the marker of `out`, naming the folders `ids` and whether they are a
/// `preview` (whole, through a temporary file renamed over it).
fn mark(out: &Path, ids: &[Option<String>], preview: bool) -> Result<(), Error> {
    let marker = marker_of(out);
    let name = out.file_name().unwrap_or_default().to_string_lossy();
    let mut text = if preview {
        format!(
            "# avisa: the folder `{name}` beside this file is a preview of `avisa serve`, not\n\
             # a site to publish; `avisa build` replaces it. Without this file, it refuses to.\n{PREVIEW}\n"
        )
    } else {
        format!(
            "# avisa: the folder `{name}` beside this file is the output of `avisa build`,\n\
             # which the next build replaces. Without this file, it refuses to.\n"
        )
    };
    for id in ids.iter().flatten() {
        text.push_str(id);
        text.push('\n');
    }
    write_atomically(&marker, text.as_bytes()).map_err(|e| Error::io(&marker, e))
}

/// [`write_atomically_with`] for bytes at hand.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomically_with(path, |w| w.write_all(bytes))
}

/// Writes what `write` produces into a temporary file beside `path`, then renames it over
/// `path`: a reader sees the old file or the new one, never part of one. The file gets
/// the permissions of the one it replaces, or those `fs::write` would give a new file
/// (0666 less the umask, e.g. 0644): not the temporary file's private 0600.
pub(crate) fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
) -> io::Result<()> {
    atomically(path, true, write)
}

/// Makes the file `path` with `bytes` as [`write_atomically`] does, but only when there
/// is none: when there is (made even while this one was written), it fails with
/// [`io::ErrorKind::AlreadyExists`] and changes nothing. A full disk leaves no part of
/// the file either.
pub(crate) fn create_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    atomically(path, false, |w| w.write_all(bytes))
}

/// [`write_atomically_with`] (`replace`) or [`create_atomically`] (not `replace`).
fn atomically(
    path: &Path,
    replace: bool,
    write: impl FnOnce(&mut dyn io::Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // the mode `fs::write` creates a file with, which the umask reduces (e.g. to 0644)
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    if let Ok(old) = fs::metadata(path) {
        // set exactly, not through the umask
        tmp.as_file().set_permissions(old.permissions())?;
    }
    {
        let mut out = io::BufWriter::new(tmp.as_file_mut());
        write(&mut out)?;
        io::Write::flush(&mut out)?;
    }
    if replace {
        tmp.persist(path).map_err(|e| e.error)?;
    } else {
        tmp.persist_noclobber(path).map_err(|e| e.error)?;
    }
    Ok(())
}

#[cfg(unix)]
impl DirSink {
    /// Makes the staging folder's `dir`: one `mkdirat` when its parent exists (most
    /// pages get a folder of their own in a folder already made), else every missing one.
    fn make_dir(&self, dir: &Path) -> Result<(), Error> {
        match rustix::fs::mkdirat(&self.root, dir, rustix::fs::Mode::from_raw_mode(0o777)) {
            Ok(()) | Err(rustix::io::Errno::EXIST) => Ok(()),
            Err(_) => {
                let dir = self.staging.path().join(dir);
                fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))
            }
        }
    }
}

#[cfg(unix)]
impl DirSink {
    /// Deletes what stands in the way of the file `rel` in a reused spare: a file where
    /// one of its folders goes, or a folder where it goes.
    fn clear_way(&self, rel: &Path) -> Result<(), Error> {
        let target = self.staging.path().join(rel);
        let mut at = self.staging.path().to_path_buf();
        for part in rel.iter() {
            at.push(part);
            let last = at == target;
            match fs::symlink_metadata(&at) {
                Ok(m) if m.is_dir() && last => fs::remove_dir_all(&at),
                Ok(m) if !m.is_dir() && !last => fs::remove_file(&at),
                _ => Ok(()),
            }
            .map_err(|e| Error::io(&at, e))?;
        }
        Ok(())
    }

    /// Writes `bytes` over the file `rel` the spare held, in place when no other name
    /// links to it; false when it could not be (a link, a folder in its way): it is then
    /// deleted, for [`Sink::put`] to make anew.
    fn write_over(&self, rel: &Path, bytes: &[u8]) -> Result<bool, Error> {
        use rustix::fs::{Mode, OFlags};
        use std::io::Write;
        let full = || self.staging.path().join(rel);
        let flags = OFlags::WRONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        if let Ok(fd) = rustix::fs::openat(&self.root, rel, flags, Mode::empty()) {
            let stat = rustix::fs::fstat(&fd).map_err(|e| Error::io(&full(), e.into()))?;
            let plain = rustix::fs::FileType::from_raw_mode(stat.st_mode).is_file();
            if plain && stat.st_nlink == 1 {
                let mut file = fs::File::from(fd);
                file.write_all(bytes).map_err(|e| Error::io(&full(), e))?;
                if stat.st_size as u64 > bytes.len() as u64 {
                    file.set_len(bytes.len() as u64)
                        .map_err(|e| Error::io(&full(), e))?;
                }
                return Ok(true);
            }
        }
        // a hard link keeps its bytes, as a copy of the old output would
        match fs::symlink_metadata(full()) {
            Ok(m) if m.is_dir() => fs::remove_dir_all(full()),
            Ok(_) => fs::remove_file(full()),
            Err(_) => Ok(()),
        }
        .map_err(|e| Error::io(&full(), e))?;
        Ok(false)
    }
}

#[cfg(unix)]
impl Sink for DirSink {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        use rustix::fs::{Mode, OFlags};
        use std::io::Write;
        let rel = safe_relative(path)?;
        if self.held.wrote_file(path) && self.write_over(rel, bytes)? {
            return Ok(());
        }
        let full = || self.staging.path().join(rel);
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
        let open = || rustix::fs::openat(&self.root, rel, flags, Mode::from_raw_mode(0o666));
        let parent = rel.parent().filter(|d| !d.as_os_str().is_empty());
        // the folder is usually there already (`prepare_dir`): make it only when missing
        let fd = match (open(), parent) {
            (Err(rustix::io::Errno::NOENT), Some(dir)) => {
                self.make_dir(dir)?;
                open()
            }
            (fd, _) => fd,
        };
        // in a reused spare, a file where this build has a folder, or the reverse
        let fd = match fd {
            Err(rustix::io::Errno::NOTDIR | rustix::io::Errno::ISDIR) if self.held.any() => {
                self.clear_way(rel)?;
                if let Some(dir) = parent {
                    self.make_dir(dir)?;
                }
                open()
            }
            fd => fd,
        }
        .map_err(|e| Error::io(&full(), e.into()))?;
        fs::File::from(fd)
            .write_all(bytes)
            .map_err(|e| Error::io(&full(), e))
    }

    fn prepare_dir(&self, dir: &str) -> Result<(), Error> {
        let rel = safe_relative(dir)?;
        self.held.wrote_dir(dir);
        self.make_dir(rel)
    }
}

#[cfg(not(unix))]
impl Sink for DirSink {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        let full = self.staging.path().join(safe_relative(path)?);
        if let Some(dir) = full.parent() {
            // most pages get a folder of their own whose parent exists: one `mkdir`
            match fs::create_dir(dir) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(_) => fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?,
            }
        }
        fs::write(&full, bytes).map_err(|e| Error::io(&full, e))
    }
}

/// Keeps every file in memory (tests).
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

impl MemorySink {
    /// The files put so far, by path.
    pub fn into_files(self) -> BTreeMap<String, Vec<u8>> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for MemorySink {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<(), Error> {
        safe_relative(path)?;
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(path.to_string(), bytes.to_vec());
        Ok(())
    }
}

/// A new folder in the system's temporary folder, deleted with all it holds when dropped
/// (`avisa serve`'s preview output, which must never be mistaken for a site to publish).
/// On Unix it holds a lock (`flock`) on its `.lock` file for as long as it lives, which
/// the kernel releases however the process ends: a folder of the same prefix whose lock
/// can be taken was left by a process that was killed (SIGKILL, a crash, a power cut
/// with a persistent `/tmp`), and the next `new` deletes it.
pub(crate) struct ScratchFolder {
    dir: tempfile::TempDir,
    /// Closed after `dir` is deleted (fields drop in order).
    #[cfg(unix)]
    _lock: fs::File,
}

/// The file a [`ScratchFolder`] holds locked.
#[cfg(unix)]
const SCRATCH_LOCK: &str = ".lock";

impl ScratchFolder {
    /// Deletes the folders of `prefix` that killed processes left behind, then makes one,
    /// its name starting with `prefix`.
    pub(crate) fn new(prefix: &str) -> Result<ScratchFolder, Error> {
        let tmp = std::env::temp_dir();
        #[cfg(unix)]
        remove_abandoned(&tmp, prefix);
        let mut builder = tempfile::Builder::new();
        builder.prefix(prefix);
        // the preview may be of advisories not yet public: for this user's eyes only
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o700));
        }
        let dir = builder.tempdir_in(&tmp).map_err(|e| Error::io(&tmp, e))?;
        #[cfg(unix)]
        let _lock = lock_scratch(dir.path()).map_err(|e| Error::io(dir.path(), e))?;
        Ok(ScratchFolder {
            dir,
            #[cfg(unix)]
            _lock,
        })
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// Makes `dir`'s lock file already locked: locked under another name, then renamed, so
/// no one finds it unlocked while its folder is in use.
#[cfg(unix)]
fn lock_scratch(dir: &Path) -> io::Result<fs::File> {
    use rustix::fs::{FlockOperation, flock};
    let new = dir.join(".lock.new");
    let file = fs::File::create(&new)?;
    flock(&file, FlockOperation::NonBlockingLockExclusive)?;
    fs::rename(&new, dir.join(SCRATCH_LOCK))?;
    Ok(file)
}

/// Deletes each folder of `tmp` named `prefix…` whose lock file no process holds: its
/// owner was killed. A folder without one (being made, or from an older avisa), a
/// symbolic link and whatever cannot be opened or deleted (another user's) stay.
#[cfg(unix)]
fn remove_abandoned(tmp: &Path, prefix: &str) {
    use rustix::fs::{FlockOperation, Mode, OFlags, flock, open};
    let Ok(entries) = fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let ours = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(prefix));
        if !ours || !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let dir = entry.path();
        let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let Ok(lock) = open(dir.join(SCRATCH_LOCK), flags, Mode::empty()) else {
            continue;
        };
        // held while deleting, so a second server starting now skips it
        if flock(&lock, FlockOperation::NonBlockingLockExclusive).is_ok() {
            let _ = fs::remove_dir_all(&dir);
        }
    }
}

/// A preview output folder of one's own (`avisa serve --out DIR`), held for as long as the
/// server runs: on Unix, a lock (`flock`) on `.DIR.avisa-serve-lock` beside it, which the
/// kernel releases however the process ends (the file stays, as the output's marker does).
pub(crate) struct PreviewClaim {
    #[cfg(unix)]
    _lock: fs::File,
}

/// Claims `out` as the preview folder of the site at `root`, or says why it cannot be:
/// it is where `avisa build` writes that site (`public`, whose pages are the ones to
/// publish, also before a first build made it), it is inside the temporary folder of a
/// running `avisa serve` (which would serve another site from it, then delete it), or
/// another `avisa serve` holds it.
pub(crate) fn claim_preview(root: &Path, out: &Path) -> Result<PreviewClaim, Error> {
    let real = |p: &Path| -> Result<PathBuf, Error> {
        match resolved(p) {
            Some(r) => Ok(r),
            None => std::path::absolute(p).map_err(|e| Error::io(p, e)),
        }
    };
    let out_real = real(out)?;
    if out_real == real(&root.join("public"))? {
        return Err(Error::Usage(format!(
            "refusing to write a preview into `{}`, where `avisa build` writes the site: the preview's pages (live reload, local addresses) are not to be published; choose another `--out`, or leave it out for a temporary folder",
            out.display()
        )));
    }
    #[cfg(unix)]
    {
        use rustix::fs::{FlockOperation, flock};
        for dir in out_real.ancestors().skip(1) {
            let Ok(lock) = fs::File::open(dir.join(SCRATCH_LOCK)) else {
                continue;
            };
            if flock(&lock, FlockOperation::NonBlockingLockShared).is_err() {
                return Err(Error::Usage(format!(
                    "refusing to write a preview into `{}`: it is inside `{}`, the preview folder of a running `avisa serve`, which serves it and deletes it when it stops",
                    out.display(),
                    dir.display()
                )));
            }
        }
        let (Some(parent), Some(name)) = (out_real.parent(), out_real.file_name()) else {
            return Err(Error::Usage(format!(
                "`{}` cannot be an output folder",
                out.display()
            )));
        };
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        let path = parent.join(format!(".{}.avisa-serve-lock", name.to_string_lossy()));
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        if flock(&file, FlockOperation::NonBlockingLockExclusive).is_err() {
            return Err(Error::Usage(format!(
                "another `avisa serve` is writing its preview into `{}`: stop it, or choose another `--out`",
                out.display()
            )));
        }
        Ok(PreviewClaim { _lock: file })
    }
    #[cfg(not(unix))]
    Ok(PreviewClaim {})
}

/// Discards everything (used by `check`, which renders without writing).
pub struct NullSink;

impl Sink for NullSink {
    fn put(&self, path: &str, _bytes: &[u8]) -> Result<(), Error> {
        safe_relative(path).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_written_file_gets_a_new_files_permissions_or_keeps_those_it_replaces() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        // what this process's umask makes of a new file
        fs::write(dir.path().join("probe"), "").unwrap();
        let plain = mode(&dir.path().join("probe"));
        let path = dir.path().join("a/x.md");
        write_atomically(&path, b"one").unwrap();
        assert_eq!(mode(&path), plain, "not the temporary file's 0600");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(
            (mode(&path), fs::read(&path).unwrap()),
            (0o640, b"two".to_vec())
        );
    }

    #[test]
    fn a_created_file_is_whole_and_never_replaces_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/site.yaml");
        create_atomically(&path, b"one").unwrap();
        let again = create_atomically(&path, b"two").unwrap_err();
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"one");
        // no temporary file is left beside it
        let names: Vec<_> = fs::read_dir(dir.path().join("a"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["site.yaml"]);
    }

    #[test]
    fn paths_that_escape_are_refused() {
        for bad in ["../x", "/etc/passwd", "a/../../b", ""] {
            assert!(NullSink.put(bad, b"").is_err(), "{bad}");
        }
        assert!(NullSink.put("pt-BR/954474/index.html", b"").is_ok());
    }

    /// `--out a/b/../public` is `a/public`, and `a/b` is not made (it was left empty) when
    /// it does not exist; an existing `a/b` is stepped out of as the system does.
    #[test]
    fn an_output_path_through_a_missing_folder_and_back_makes_no_such_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let sink = DirSink::new(&tmp.path().join("a/b/c/../../public")).unwrap();
        sink.put("x.html", b"x").unwrap();
        sink.commit().unwrap();
        assert_eq!(
            fs::read_to_string(tmp.path().join("a/public/x.html")).unwrap(),
            "x"
        );
        assert_eq!(
            names_in(&tmp.path().join("a")),
            [".public.avisa-output", "public"]
        );
        fs::create_dir_all(tmp.path().join("d/e")).unwrap();
        let sink = DirSink::new(&tmp.path().join("d/e/../out")).unwrap();
        sink.commit().unwrap();
        assert!(tmp.path().join("d/out").is_dir());
        assert_eq!(
            fold_missing_parents(Path::new("a/./b/../../c/..")),
            Path::new("")
        );
        assert_eq!(fold_missing_parents(Path::new("../x")), Path::new("../x"));
    }

    /// `--out public/.` (or `public/`) is the folder `public`: the swap renamed the new
    /// output onto `public/.`, which failed (EBUSY, or ENOENT on a first build).
    #[test]
    fn an_output_path_ending_in_a_dot_or_slash_is_the_folder_it_names() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        for (given, text) in [
            ("public/.", "one"),
            ("public/.", "two"),
            ("public/", "three"),
        ] {
            let sink = DirSink::new(&tmp.path().join(given)).unwrap();
            sink.put("a.html", text.as_bytes()).unwrap();
            sink.commit().unwrap_or_else(|e| panic!("{given}: {e}"));
            assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), text);
        }
        let names = [".public.avisa-output", ".public.avisa-spare", "public"];
        assert_eq!(names_in(tmp.path()), names);
    }

    #[test]
    fn dropped_dir_sink_leaves_the_previous_output_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let sink = DirSink::new(&out).unwrap();
        sink.put("a.html", b"one").unwrap();
        sink.commit().unwrap();
        let sink = DirSink::new(&out).unwrap();
        sink.put("a.html", b"two").unwrap();
        drop(sink);
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"one");
        assert_eq!(names_in(tmp.path()), [".public.avisa-output", "public"]);
    }

    /// The names in `dir`, sorted.
    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn committed_dir_sink_replaces_the_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        for text in [&b"one"[..], b"two"] {
            let sink = DirSink::new(&out).unwrap();
            sink.put("x/a.html", text).unwrap();
            sink.commit().unwrap();
        }
        assert_eq!(fs::read(out.join("x/a.html")).unwrap(), b"two");
        // marked beside the folder, not in it: nothing but the site is deployed
        assert!(!out.join(MARKER).exists());
        assert!(tmp.path().join(".public.avisa-output").is_file());
        // and the output before, set aside for the next build to write over
        let beside: &[&str] = if cfg!(unix) {
            &[".public.avisa-output", ".public.avisa-spare", "public"]
        } else {
            &[".public.avisa-output", "public"]
        };
        assert_eq!(names_in(tmp.path()), beside);
    }

    /// Every file and folder under `dir` (a folder ends in `/`), with a file's bytes.
    #[cfg(unix)]
    fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let rel = e
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                if e.file_type().is_dir() {
                    (format!("{rel}/"), Vec::new())
                } else {
                    (rel, fs::read(e.path()).unwrap())
                }
            })
            .collect()
    }

    /// Builds `files` (site-relative path → bytes) into `out` through a `DirSink`; the
    /// folders the site is made of are prepared first, as a build does.
    #[cfg(unix)]
    fn build_files(out: &Path, files: &[(&str, &str)]) {
        let sink = DirSink::new(out).unwrap();
        for (path, _) in files {
            if let Some((dir, _)) = path.rsplit_once('/') {
                sink.prepare_dir(dir).unwrap();
            }
        }
        for (path, text) in files {
            sink.put(path, text.as_bytes()).unwrap();
        }
        sink.commit().unwrap();
    }

    /// What a fresh folder would hold for `files`.
    #[cfg(unix)]
    fn expected_tree(files: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        let mut want = BTreeMap::new();
        for (path, text) in files {
            want.insert(path.to_string(), text.as_bytes().to_vec());
            let mut dir = *path;
            while let Some((parent, _)) = dir.rsplit_once('/') {
                want.insert(format!("{parent}/"), Vec::new());
                dir = parent;
            }
        }
        want
    }

    /// From the third build on, each writes over the output before last: the output
    /// holds exactly that build's files and folders (a shorter file is cut, what the
    /// build no longer writes is gone, a file where a folder was and the reverse), byte
    /// for byte what a new folder would.
    #[cfg(unix)]
    #[test]
    fn a_build_over_the_spare_holds_exactly_its_own_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let spare = tmp.path().join(".public.avisa-spare");
        let builds: [&[(&str, &str)]; 6] = [
            &[
                ("index.html", "one, long"),
                ("a/b/c.html", "c"),
                ("x", "file"),
            ],
            &[("index.html", "two"), ("a/b/c.html", "c2"), ("x", "file")],
            &[
                ("index.html", "3"),
                ("a/d.html", "d"),
                ("x/y.html", "now a folder"),
            ],
            &[
                ("index.html", "four"),
                ("a", "now a file"),
                ("x/y.html", "y"),
            ],
            &[("index.html", "five"), ("a/b/c.html", "c again")],
            &[("index.html", "")],
        ];
        for (i, files) in builds.iter().enumerate() {
            build_files(&out, files);
            assert_eq!(tree(&out), expected_tree(files), "build {}", i + 1);
            // the output before this one, whole, and named as the spare
            if i > 0 {
                let mut before = tree(&spare);
                assert!(before.remove(SPARE).is_some(), "build {}", i + 1);
                assert_eq!(before, expected_tree(builds[i - 1]), "build {}", i + 1);
            }
        }
    }

    /// A file of the spare that another name links to (a hard-linked copy of an old
    /// output) keeps its bytes; a symbolic link planted in the spare is not written
    /// through; a folder named like the spare but not set aside by avisa is left alone.
    #[cfg(unix)]
    #[test]
    fn writing_over_the_spare_spares_links_and_foreign_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let spare = tmp.path().join(".public.avisa-spare");
        build_files(&out, &[("a.html", "one"), ("d/b.html", "one")]);
        build_files(&out, &[("a.html", "two"), ("d/b.html", "two")]);
        // the spare now holds build one: a snapshot of it by hard links, and a link out
        let snapshot = tmp.path().join("snapshot.html");
        fs::hard_link(spare.join("a.html"), &snapshot).unwrap();
        let outside = tmp.path().join("outside.txt");
        fs::write(&outside, "precious").unwrap();
        fs::remove_file(spare.join("d/b.html")).unwrap();
        std::os::unix::fs::symlink(&outside, spare.join("d/b.html")).unwrap();
        let files = [("a.html", "three"), ("d/b.html", "three")];
        build_files(&out, &files);
        assert_eq!(tree(&out), expected_tree(&files));
        assert_eq!(fs::read_to_string(&snapshot).unwrap(), "one");
        assert_eq!(fs::read_to_string(&outside).unwrap(), "precious");
        assert!(
            !fs::symlink_metadata(out.join("d/b.html"))
                .unwrap()
                .is_symlink()
        );

        // someone's folder under the spare's name: neither written over nor deleted, and
        // the output it would have replaced is deleted instead, as before spares
        let spare_id = fs::read_to_string(spare.join(SPARE)).unwrap();
        fs::remove_dir_all(&spare).unwrap();
        fs::create_dir(&spare).unwrap();
        fs::write(spare.join("mine.txt"), "mine").unwrap();
        // a copy of another folder's spare file does not make it one
        fs::write(spare.join(SPARE), spare_id).unwrap();
        let files = [("a.html", "four")];
        build_files(&out, &files);
        build_files(&out, &files);
        assert_eq!(tree(&out), expected_tree(&files));
        assert_eq!(fs::read_to_string(spare.join("mine.txt")).unwrap(), "mine");
        assert_eq!(
            names_in(tmp.path()),
            [
                ".public.avisa-output",
                ".public.avisa-spare",
                "outside.txt",
                "public",
                "snapshot.html"
            ]
        );
    }

    /// A build that fails over a reused spare leaves the output as it was.
    #[cfg(unix)]
    #[test]
    fn a_failed_build_over_the_spare_leaves_the_output_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build_files(&out, &[("a.html", "one")]);
        build_files(&out, &[("a.html", "two")]);
        let sink = DirSink::new(&out).unwrap();
        sink.put("a.html", b"three").unwrap();
        drop(sink);
        assert_eq!(tree(&out), expected_tree(&[("a.html", "two")]));
        build_files(&out, &[("b.html", "four")]);
        assert_eq!(tree(&out), expected_tree(&[("b.html", "four")]));
    }

    #[test]
    fn a_build_that_swapped_its_output_in_has_succeeded_and_one_that_did_not_failed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build_files(&out, &[("a.html", "one")]);
        // the old output cannot be set aside as the spare (its mark is taken): tidying
        // after the swap, not the build's failure
        fs::create_dir(out.join(SPARE)).unwrap();
        build_files(&out, &[("a.html", "two")]);
        assert_eq!(tree(&out), expected_tree(&[("a.html", "two")]));
        // the marker cannot be written (a folder has its name): nothing is swapped
        let marker = marker_of(&out);
        fs::remove_file(&marker).unwrap();
        fs::write(out.join(MARKER), "").unwrap();
        fs::create_dir(&marker).unwrap();
        let sink = DirSink::new(&out).unwrap();
        sink.put("a.html", b"three").unwrap();
        assert!(matches!(sink.commit(), Err(Error::Io { .. })));
        let mut left = expected_tree(&[("a.html", "two")]);
        left.insert(MARKER.to_string(), Vec::new());
        assert_eq!(tree(&out), left);
        // a marker naming the old output and the new one (during the swap): either
        fs::remove_dir(&marker).unwrap();
        fs::remove_file(out.join(MARKER)).unwrap();
        let other = identity(tmp.path());
        mark(&out, &[identity(&out), other.clone()], false).unwrap();
        assert!(is_ours(&out));
        mark(&out, &[other.clone(), identity(&out)], true).unwrap();
        assert!(is_ours(&out));
        mark(&out, &[other], false).unwrap();
        assert!(!is_ours(&out));
    }

    #[test]
    fn a_preview_never_replaces_a_build_and_a_build_replaces_a_preview() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        build_files(&out, &[("a.html", "site")]);
        let refused = DirSink::new_preview(&out).err().map(|e| e.to_string());
        assert!(
            refused
                .as_ref()
                .is_some_and(|e| e.contains("a site `avisa build` wrote")),
            "{refused:?}"
        );
        assert_eq!(tree(&out), expected_tree(&[("a.html", "site")]));

        let preview = tmp.path().join("preview");
        for text in ["one", "two"] {
            let sink = DirSink::new_preview(&preview).unwrap();
            sink.put("a.html", text.as_bytes()).unwrap();
            sink.commit().unwrap();
        }
        assert_eq!(tree(&preview), expected_tree(&[("a.html", "two")]));
        build_files(&preview, &[("a.html", "built")]);
        assert!(DirSink::new_preview(&preview).is_err());
    }

    /// `serve --out` is refused where `build` writes the site (before a first build too),
    /// inside a running server's temporary folder, and where another server writes.
    #[cfg(unix)]
    #[test]
    fn a_preview_folder_is_claimed_by_one_server_and_never_the_sites_output() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        fs::create_dir_all(&root).unwrap();
        let refused = |r: Result<PreviewClaim, Error>| match r {
            Err(e) => e.to_string(),
            Ok(_) => panic!("claimed"),
        };
        let e = refused(claim_preview(&root, &root.join("public")));
        assert!(e.contains("where `avisa build` writes the site"), "{e}");
        let e = refused(claim_preview(&root, &root.join("x/../public/.")));
        assert!(e.contains("where `avisa build` writes the site"), "{e}");
        let preview = tmp.path().join("preview");
        let first = claim_preview(&root, &preview).unwrap();
        let e = refused(claim_preview(&root, &preview));
        assert!(e.contains("another `avisa serve` is writing"), "{e}");
        drop(first);
        let again = claim_preview(&root, &preview);
        assert!(again.is_ok());
        let scratch = ScratchFolder::new("avisa-claim-test.").unwrap();
        let e = refused(claim_preview(&root, &scratch.path().join("site")));
        assert!(
            e.contains("the preview folder of a running `avisa serve`"),
            "{e}"
        );
    }

    #[test]
    fn a_folder_made_later_under_the_output_name_is_not_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let sink = DirSink::new(&out).unwrap();
        sink.put("a.html", b"site").unwrap();
        sink.commit().unwrap();
        assert!(DirSink::new(&out).is_ok());
        // the output deleted by hand, someone's files put there later: the marker beside
        // it names another folder
        fs::remove_dir_all(&out).unwrap();
        fs::create_dir(&out).unwrap();
        fs::write(out.join("precious.txt"), "x").unwrap();
        assert!(matches!(DirSink::new(&out), Err(Error::Usage(_))));
        // an output written by an earlier avisa, marked inside, is still avisa's
        fs::write(out.join(MARKER), "written by avisa").unwrap();
        let sink = DirSink::new(&out).unwrap();
        sink.put("a.html", b"site").unwrap();
        sink.commit().unwrap();
        assert!(!out.join("precious.txt").exists());
        assert!(!out.join(MARKER).exists());
    }

    #[cfg(unix)]
    #[test]
    fn an_output_that_is_a_symbolic_link_stays_one_and_its_folder_is_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let served = tmp.path().join("www/site");
        fs::create_dir_all(&served).unwrap();
        let out = tmp.path().join("public");
        std::os::unix::fs::symlink(&served, &out).unwrap();
        for text in [&b"one"[..], b"two"] {
            let sink = DirSink::new(&out).unwrap();
            sink.put("a.html", text).unwrap();
            sink.commit().unwrap();
        }
        assert!(fs::symlink_metadata(&out).unwrap().file_type().is_symlink());
        assert_eq!(fs::read(served.join("a.html")).unwrap(), b"two");
        // a link that leads nowhere is a usage error that names it
        let dangling = tmp.path().join("gone");
        std::os::unix::fs::symlink(tmp.path().join("nowhere"), &dangling).unwrap();
        let Err(Error::Usage(msg)) = DirSink::new(&dangling) else {
            panic!("a dangling link was accepted")
        };
        assert!(msg.contains("gone` is a symbolic link to"), "{msg}");
    }

    #[test]
    fn prepared_folders_are_made_and_their_files_land_in_them() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let sink = DirSink::new(&out).unwrap();
        sink.prepare_dir("pt-BR").unwrap();
        sink.prepare_dir("pt-BR/954474").unwrap();
        // twice, and one whose parents are missing
        sink.prepare_dir("pt-BR/954474").unwrap();
        sink.prepare_dir("x/y/z").unwrap();
        assert!(sink.prepare_dir("../elsewhere").is_err());
        sink.put("pt-BR/954474/index.html", b"page").unwrap();
        sink.commit().unwrap();
        assert_eq!(
            fs::read(out.join("pt-BR/954474/index.html")).unwrap(),
            b"page"
        );
        assert!(out.join("x/y/z").is_dir());
        assert!(!tmp.path().join("elsewhere").exists());
    }

    #[test]
    fn files_land_in_folders_of_any_depth_and_are_overwritten_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let sink = DirSink::new(&out).unwrap();
        sink.put("top.html", b"top").unwrap();
        sink.put("a/b/c/deep.html", b"a longer first text").unwrap();
        sink.put("a/b/c/deep.html", b"short").unwrap();
        sink.put("a/b/sibling.html", b"sibling").unwrap();
        sink.commit().unwrap();
        assert_eq!(fs::read(out.join("top.html")).unwrap(), b"top");
        assert_eq!(fs::read(out.join("a/b/c/deep.html")).unwrap(), b"short");
        assert_eq!(fs::read(out.join("a/b/sibling.html")).unwrap(), b"sibling");
    }

    #[test]
    fn a_foreign_folder_is_not_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("precious.txt"), "x").unwrap();
        assert!(matches!(DirSink::new(tmp.path()), Err(Error::Usage(_))));
    }
}
