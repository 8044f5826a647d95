//! Loading: reads `content/` in sorted order into `Advisory` values, and the site's
//! `templates/` and `locales/` over the built-in ones. The only module that reads files.
//! Content problems are collected; I/O failures stop the load.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::checker;
use crate::config::{self, SiteConfig};
use crate::diag::Problem;
use crate::frontmatter::{self, RawAdvisory};
use crate::i18n::{FtlSource, I18n};
use crate::model::{
    Advisory, AdvisoryId, Affected, Body, Conflict, Date, Kind, Locale, Meta, ProductName,
    Reference, Revision, Translation,
};
use crate::{Error, embedded};

/// Everything a build needs, loaded and converted; `problems` lists what was wrong.
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    /// Sorted by id.
    pub advisories: Vec<Advisory>,
    /// The advisories whose `advisory.yaml` did not load (each has an error in
    /// `problems`), in folder order: they are in the translation matrix all the same.
    pub unloaded: Vec<Unloaded>,
    pub(crate) i18n: std::sync::Arc<I18n>,
    /// Tera templates by name (`base.html`, `partials/…`): built-in, overridden file by file.
    pub(crate) templates: BTreeMap<String, String>,
    /// The names in `templates` that are the site's own (`templates/<name>`), overriding a
    /// built-in one or added: where a template's problem is reported.
    pub(crate) site_templates: BTreeSet<String>,
    /// Files under `templates/static/`, copied to `assets/`: name → bytes.
    pub(crate) statics: BTreeMap<String, Vec<u8>>,
    pub problems: Vec<Problem>,
}

/// An advisory folder whose `advisory.yaml` is missing or did not load.
#[derive(Debug, Clone)]
pub struct Unloaded {
    pub id: AdvisoryId,
    /// The folder as shown in problems (`content/advisories/<id>`).
    pub dir: PathBuf,
    /// The site locales it has a translation file for, loaded or not.
    pub locales: BTreeSet<Locale>,
}

/// What one advisory folder gave.
#[expect(
    clippy::large_enum_variant,
    reason = "one per folder, moved once into the site (as the `Option<Advisory>` it replaced)"
)]
enum Loaded {
    Advisory(Advisory),
    Unloaded(Unloaded),
    /// Not an advisory folder (an error says why).
    Nothing,
}

impl Site {
    /// The advisory with this id.
    pub fn advisory(&self, id: &str) -> Option<&Advisory> {
        self.advisories.iter().find(|a| a.id.as_str() == id)
    }

    /// Formats a UI string for `locale` through its fallback chain.
    pub fn ui_text(&self, locale: &Locale, key: &str, args: &[(&str, &str)]) -> Option<String> {
        let args: Vec<(&str, crate::i18n::Arg)> = args
            .iter()
            .map(|(k, v)| (*k, crate::i18n::Arg::Str((*v).to_string())))
            .collect();
        self.i18n.text(locale, key, &args)
    }
}

/// Reads a file as text: BOM dropped; invalid UTF-8 is a content problem.
pub(crate) fn read_text(path: &Path, shown: &Path) -> Result<Result<String, Problem>, Error> {
    with_file_text(path, shown, |text, _| text.map(str::to_owned))
}

/// What a file looked like when it was read: its length (BOM included), whether it
/// started with a BOM, and its modification time.
struct Stamp {
    len: u64,
    bom: bool,
    modified: Option<std::time::SystemTime>,
}

/// Reads a file and hands `f` its text (BOM dropped; invalid UTF-8 is a content problem)
/// and its `Stamp`, taken from the same open file. The text lives in a buffer this thread
/// reuses, so a build allocates no buffer per file.
fn with_file_text<R>(
    path: &Path,
    shown: &Path,
    f: impl FnOnce(Result<&str, Problem>, &Stamp) -> R,
) -> Result<R, Error> {
    let io = |e| Error::io(path, e);
    let file = fs::File::open(path).map_err(io)?;
    let info = file.metadata().map_err(io)?;
    let expected = usize::try_from(info.len()).unwrap_or(0);
    with_rest(&file, expected, |bytes| {
        let stamp = Stamp {
            len: bytes.len() as u64,
            bom: bytes.starts_with(b"\xEF\xBB\xBF"),
            modified: info.modified().ok(),
        };
        let bytes = if stamp.bom { &bytes[3..] } else { bytes };
        let text = utf8(bytes).map_err(|valid_up_to| {
            // the valid part is text: the column counts its characters on the bad line
            let valid = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
            let (line, column) = crate::diag::line_column(valid, valid.len());
            Problem::error(
                shown,
                format!(
                    "the file is not valid UTF-8 (byte 0x{:02X} here)",
                    bytes[valid_up_to]
                ),
            )
            .at(line, column)
            .help("save the file as UTF-8; a byte like this often comes from an editor that saved it as Windows-1252 or Latin-1")
        });
        f(text, &stamp)
    })
    .map_err(io)
}

/// `bytes` as text, or how many bytes from the start are valid UTF-8. Checked with SIMD:
/// a build checks every Markdown file twice (when loaded, and its body when rendered).
fn utf8(bytes: &[u8]) -> Result<&str, usize> {
    simdutf8::basic::from_utf8(bytes)
        .or_else(|_| std::str::from_utf8(bytes).map_err(|e| e.valid_up_to()))
}

/// Hands `f` the Markdown body of a translation: read again from its file when it was
/// left there (only the body's bytes). A file whose length or modification time changed
/// since it was loaded fails the build (run it again).
pub(crate) fn with_body_text<R>(t: &Translation, f: impl FnOnce(&str) -> R) -> Result<R, Error> {
    let (path, offset, len, modified) = match &t.body {
        Body::Text(s) => return Ok(f(s)),
        Body::InFile {
            path,
            offset,
            len,
            modified,
        } => (path, *offset, *len, *modified),
    };
    let changed = || Error::io(path, std::io::Error::other(crate::FileChanged));
    let io = |e| Error::io(path, e);
    let file = fs::File::open(path).map_err(io)?;
    let info = file.metadata().map_err(io)?;
    if info.len() != len || info.modified().ok() != modified || offset > len {
        return Err(changed());
    }
    let Ok(expected) = usize::try_from(len - offset) else {
        return Err(changed());
    };
    with_read_buffer(|buffer| {
        if buffer.len() < expected {
            buffer.resize(expected, 0);
        }
        // the file still has the length it had when loaded, so the body is exactly its
        // last `expected` bytes: one positioned read, no seek and no read to find the end
        match read_exact_at(&file, &mut buffer[..expected], offset) {
            Ok(()) => match utf8(&buffer[..expected]) {
                Ok(text) => Ok(f(text)),
                Err(_) => Err(changed()),
            },
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(changed()),
            Err(e) => Err(io(e)),
        }
    })
}

/// Fills `buf` from `file` at byte `offset`.
#[cfg(unix)]
fn read_exact_at(file: &fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

/// Fills `buf` from `file` at byte `offset`.
#[cfg(not(unix))]
fn read_exact_at(mut file: &fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::Seek;
    file.seek(std::io::SeekFrom::Start(offset))?;
    file.read_exact(buf)
}

thread_local! {
    /// The buffer files are read into, kept between files.
    static READ_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// Hands `f` this thread's read buffer (of any length and content), kept for the next file.
fn with_read_buffer<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    // taken, not borrowed: a nested read (none is expected) would get a buffer of its own
    let mut buffer = READ_BUFFER.with(std::cell::Cell::take);
    let result = f(&mut buffer);
    READ_BUFFER.with(|b| b.set(buffer));
    result
}

/// Reads the rest of `file`, expecting `expected` bytes, and hands them to `f`. They go
/// into a buffer a little larger, so one read takes the file, and a read that comes back
/// short exactly at the measured length is its end (`File::read_to_end` asks the file
/// system for the size and the position first and reads once more to find the end: three
/// more system calls per file, thousands per build); a file that changed size since it
/// was measured is still read whole. The buffer is this thread's, reused from file to file.
fn with_rest<R>(
    file: &fs::File,
    expected: usize,
    f: impl FnOnce(&[u8]) -> R,
) -> std::io::Result<R> {
    with_read_buffer(|buffer| read_rest_into(file, expected, buffer).map(|n| f(&buffer[..n])))
}

/// `with_rest`'s reading: fills `buffer` from its start (growing it as needed) and
/// returns how many bytes were read.
fn read_rest_into(
    mut file: &fs::File,
    expected: usize,
    buffer: &mut Vec<u8>,
) -> std::io::Result<usize> {
    const SLACK: usize = 64;
    if buffer.len() < expected + SLACK {
        buffer.resize(expected + SLACK, 0);
    }
    let mut filled = 0;
    loop {
        if filled == buffer.len() {
            buffer.resize(2 * buffer.len(), 0);
        }
        let asked = buffer.len() - filled;
        match file.read(&mut buffer[filled..]) {
            Ok(0) => break,
            // a short read that ends where the file's measured length does is its end:
            // no further read to find it
            Ok(n) if n < asked && filled + n == expected => {
                filled += n;
                break;
            }
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// One entry of a folder, with what it is (symbolic links followed).
pub(crate) struct Entry {
    pub(crate) path: PathBuf,
    pub(crate) is_dir: bool,
    pub(crate) is_file: bool,
}

impl Entry {
    /// The entry's own name (`pt-BR.md`).
    pub(crate) fn name(&self) -> String {
        self.path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Sorted entries of a folder (empty when it does not exist or is not a folder). Their
/// kinds come from the folder listing itself; only symbolic links cost a `stat`.
pub(crate) fn sorted_entries(dir: &Path) -> Result<Vec<Entry>, Error> {
    let io = |e| Error::io(dir, e);
    let listing = match fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            return Ok(Vec::new());
        }
        Err(e) => return Err(io(e)),
    };
    let mut v = Vec::new();
    for e in listing {
        let e = e.map_err(io)?;
        let mut kind = e.file_type().map_err(io)?;
        let path = e.path();
        // a dangling link stays a link: neither a file nor a folder
        if kind.is_symlink()
            && let Ok(target) = fs::metadata(&path)
        {
            kind = target.file_type();
        }
        v.push(Entry {
            is_dir: kind.is_dir(),
            is_file: kind.is_file(),
            path,
        });
    }
    v.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(v)
}

/// The text of `site_yaml`, a site's `content/site.yaml` (BOM dropped), for a command that
/// writes content and checks it against the site's locales; `None` when there is none or
/// it is not UTF-8 (which `avisa build` reports).
pub(crate) fn site_yaml_text(site_yaml: &Path) -> std::io::Result<Option<String>> {
    match fs::read(site_yaml) {
        Ok(bytes) => Ok(String::from_utf8(bytes)
            .ok()
            .map(|t| t.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(t))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// The usage error for a `root` with no `content/site.yaml`; `files`: the names of the
/// files in its `content/`, for one named nearly so.
fn no_site(root: &Path, files: &[&str]) -> Error {
    let near = files
        .iter()
        .find(|n| crate::diag::is_near(n, "site.yaml"))
        .map(|n| format!(" (rename `content/{n}` to `site.yaml`)"))
        .unwrap_or_default();
    Error::Usage(format!(
        "no `content/site.yaml` under `{}`: run avisa in a site folder or pass `--root DIR`{near}",
        root.display()
    ))
}

/// Fails with the usage error [`load_site`] gives when `root` has no
/// `content/site.yaml`: for the commands that write into a site without loading it.
pub(crate) fn require_site(root: &Path) -> Result<(), Error> {
    if root.join("content").join("site.yaml").is_file() {
        return Ok(());
    }
    let files: Vec<String> = fs::read_dir(root.join("content"))
        .map(|dir| {
            dir.filter_map(|e| e.ok()?.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    let names: Vec<&str> = files.iter().map(String::as_str).collect();
    Err(no_site(root, &names))
}

/// Loads the site at `root`. Fails only for I/O (or a missing `content/site.yaml`);
/// content problems are in `Site::problems`, or in `Error::Content` when the
/// configuration itself is unusable.
pub fn load_site(root: &Path) -> Result<Site, Error> {
    let content = root.join("content");
    let site_file = content.join("site.yaml");
    // `content/`'s own entries: checked for near names below
    let top: Vec<(String, bool)> = sorted_entries(&content)?
        .into_iter()
        .map(|e| (e.name(), e.is_dir))
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    if !site_file.is_file() {
        let names: Vec<&str> = top
            .iter()
            .filter(|(_, is_dir)| !is_dir)
            .map(|(n, _)| n.as_str())
            .collect();
        return Err(no_site(root, &names));
    }
    let shown_site = PathBuf::from("content/site.yaml");
    let adv_root = content.join("advisories");
    let config = match read_text(&site_file, &shown_site)? {
        Ok(text) => config::parse_site_config(&text, &shown_site),
        Err(p) => Err(vec![p]),
    };
    let config = match config {
        Ok(config) => config,
        Err(mut problems) => {
            // no site to build, but the advisories are checked all the same, so that
            // their problems are not found only once `site.yaml` is fixed (each
            // translation in any locale: which ones the site has is not known)
            problems.extend(load_advisories(&adv_root, None)?.problems);
            // and so are the site's templates and UI strings, with a stand-in
            // configuration: the built-in locale alone
            let config = SiteConfig::stand_in();
            let ui = load_ui(root, &config, false, &mut problems)?;
            let site = Site {
                root: root.to_path_buf(),
                config,
                advisories: Vec::new(),
                unloaded: Vec::new(),
                i18n: std::sync::Arc::new(ui.i18n),
                templates: ui.templates,
                site_templates: ui.site_templates,
                statics: ui.statics,
                problems: Vec::new(),
            };
            problems.extend(crate::render::template_problems(&site));
            crate::diag::sort_problems(&mut problems);
            return Err(Error::Content(problems));
        }
    };
    let mut problems = Vec::new();
    // another folder in `content/` is left out of the site (files, such as a licence
    // notice, may sit there): a misspelt `advisories/` would otherwise build a site
    // without a single advisory and no word about it
    for (name, _) in top
        .iter()
        .filter(|(n, is_dir)| *is_dir && n != "advisories")
    {
        let help = if crate::diag::is_near(name, "advisories") {
            "did you mean `advisories`? advisory folders belong in `content/advisories/`"
        } else {
            "`content/` holds `site.yaml` and the `advisories/` folder: move it elsewhere"
        };
        problems.push(
            Problem::warning(
                PathBuf::from("content").join(name),
                "not part of the site, so it is ignored",
            )
            .help(help),
        );
    }
    if !top
        .iter()
        .any(|(name, is_dir)| name == "advisories" && *is_dir)
    {
        problems.push(
            Problem::warning("content", "no `content/advisories/` folder, so the site has no advisories")
                .help("write each advisory in a folder of its own, `content/advisories/<id>/`, e.g. with `avisa new <id>`"),
        );
    }

    let Folders {
        advisories,
        unloaded,
        problems: more,
    } = load_advisories(&adv_root, Some(&config.locales))?;
    problems.extend(more);

    let ui = load_ui(root, &config, true, &mut problems)?;
    Ok(Site {
        root: root.to_path_buf(),
        config,
        advisories,
        unloaded,
        i18n: std::sync::Arc::new(ui.i18n),
        templates: ui.templates,
        site_templates: ui.site_templates,
        statics: ui.statics,
        problems,
    })
}

/// What a site's pages are made with besides its content.
struct Ui {
    templates: BTreeMap<String, String>,
    site_templates: BTreeSet<String>,
    statics: BTreeMap<String, Vec<u8>>,
    i18n: I18n,
}

/// Reads the built-in templates and UI strings and the site's own (`templates/`,
/// `locales/` under `root`), for the locales of `config`; their problems go to `problems`,
/// with the UI strings each locale lacks when `config` is the site's (not a stand-in).
fn load_ui(
    root: &Path,
    config: &SiteConfig,
    site_config: bool,
    problems: &mut Vec<Problem>,
) -> Result<Ui, Error> {
    // `template/` or `Locales/` beside `content/`: overrides that would silently do nothing
    let dirs: Vec<String> = sorted_entries(root)?
        .into_iter()
        .filter(|e| e.is_dir)
        .map(|e| e.name())
        .collect();
    // on a file system that ignores case, `Locales/` is what avisa reads as `locales/`
    let read_anyway = |meant: &str| !dirs.iter().any(|d| d == meant) && root.join(meant).is_dir();
    for name in &dirs {
        let meant = crate::diag::closest(name, ["templates", "locales"]);
        if let Some(meant) = meant.filter(|m| !read_anyway(m)) {
            problems.push(
                Problem::warning(name, "not a folder avisa reads, so it is ignored").help(format!(
                    "did you mean `{meant}`? a site's own {meant} go in `{meant}/`"
                )),
            );
        }
    }
    let templates_dir = root.join("templates");
    let mut templates: BTreeMap<String, String> = BTreeMap::new();
    let mut statics: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (name, text) in embedded::TEMPLATES {
        if let Some(s) = name.strip_prefix("static/") {
            statics.insert(s.to_string(), text.as_bytes().to_vec());
        } else {
            templates.insert(name.to_string(), text.to_string());
        }
    }
    // The checker script belongs to the checker module (it mirrors the Rust engine),
    // not to the overridable templates.
    statics.insert(
        "checker.js".to_string(),
        checker::PAGE_SCRIPT.as_bytes().to_vec(),
    );
    let mut own_templates = Vec::new();
    let mut site_templates = BTreeSet::new();
    for path in walk_files(&templates_dir)? {
        let rel = path
            .strip_prefix(&templates_dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        if let Some(s) = rel.strip_prefix("static/") {
            statics.insert(
                s.to_string(),
                fs::read(&path).map_err(|e| Error::io(&path, e))?,
            );
        } else {
            match read_text(&path, &PathBuf::from("templates").join(&rel))? {
                Ok(t) => {
                    if !templates.contains_key(&rel) {
                        own_templates.push(rel.clone());
                    }
                    site_templates.insert(rel.clone());
                    templates.insert(rel, t);
                }
                Err(p) => problems.push(p),
            }
        }
    }
    problems.extend(unused_templates(&own_templates, &templates));

    let mut ftl: BTreeMap<(Locale, String), FtlSource> = BTreeMap::new();
    for (locale, file, text) in embedded::locale_files() {
        if file.ends_with(".ftl") {
            let path = PathBuf::from(crate::i18n::BUILT_IN)
                .join("locales")
                .join(locale.as_str())
                .join(file);
            ftl.insert(
                (locale.clone(), file.to_string()),
                FtlSource {
                    locale,
                    name: file.to_string(),
                    path,
                    text: text.to_string(),
                },
            );
        }
    }
    let locales_dir = root.join("locales");
    // the built-in files a site's own replaced: they fill the gaps the site's leave
    let mut replaced_built_ins = Vec::new();
    for entry in sorted_entries(&locales_dir)? {
        let tag = entry.name();
        let dir = entry.path;
        if !entry.is_dir || tag.starts_with('.') {
            continue;
        }
        let shown_dir = PathBuf::from("locales").join(&tag);
        let locale = match tag.parse::<Locale>() {
            Ok(l) => l,
            Err(e) => {
                problems
                    .push(Problem::error(&shown_dir, e).help(
                        "name each folder under `locales/` after a BCP 47 tag, e.g. `pt-BR`",
                    ));
                continue;
            }
        };
        for file in sorted_entries(&dir)? {
            let fname = file.name();
            let file = file.path;
            let shown = shown_dir.join(&fname);
            if !fname.ends_with(".ftl") {
                // a dot-file is an editor's or the system's; anything else was most likely
                // meant as UI strings and would be left out without a word
                if !fname.starts_with('.') {
                    let built_in: BTreeSet<&str> =
                        embedded::locale_files().map(|(_, file, _)| file).collect();
                    problems.push(
                        Problem::warning(&shown, "not a Fluent file (`.ftl`), so it is ignored")
                            .help(crate::diag::did_you_mean(&fname, built_in).unwrap_or_else(
                                || {
                                    "give it the `.ftl` extension, or move it out of `locales/`"
                                        .into()
                                },
                            )),
                    );
                }
                continue;
            }
            match read_text(&file, &shown)? {
                Ok(text) => {
                    let replaced = ftl.insert(
                        (locale.clone(), fname.clone()),
                        FtlSource {
                            locale: locale.clone(),
                            name: fname,
                            path: shown,
                            text,
                        },
                    );
                    replaced_built_ins.extend(replaced);
                }
                Err(p) => problems.push(p),
            }
        }
    }
    let mut sources: Vec<FtlSource> = ftl.into_values().collect();
    // the built-in files first: a site's file that defines a built-in string again
    // (`extra.ftl` with `nav-skip`) is the duplicate, reported where it can be fixed
    sources.sort_by_key(|s| !s.path.starts_with(crate::i18n::BUILT_IN));
    // the built-in files as shipped (also those a site's replaced): which variables each
    // message is given
    let built_in: Vec<&str> = (embedded::locale_files())
        .filter(|(_, file, _)| file.ends_with(".ftl"))
        .map(|(_, _, text)| text)
        .collect();
    problems.extend(crate::i18n::unresolved_references(
        &sources,
        &replaced_built_ins,
        &built_in,
    ));
    let built_in_files: Vec<(&str, &str)> = (embedded::locale_files())
        .filter(|(_, file, _)| file.ends_with(".ftl"))
        .map(|(_, file, text)| (file, text))
        .collect();
    let (strays, stray_problems) = crate::i18n::stray_keys(&sources, &built_in_files);
    problems.extend(stray_problems);
    let (i18n, ftl_problems) = I18n::new(sources, config.chains.clone());
    let i18n = i18n
        .with_built_in_gaps(replaced_built_ins)
        .with_strays(strays);
    problems.extend(ftl_problems);
    if site_config {
        problems.extend(i18n.missing_keys(&config.locales));
    }
    Ok(Ui {
        templates,
        site_templates,
        statics,
        i18n,
    })
}

/// Loads the advisory folders under `adv_root` in parallel, merged in folder order:
/// those that loaded, those whose `advisory.yaml` did not, and every problem found.
/// `locales`: the site's (a translation in another locale is an error); `None` accepts
/// any.
fn load_advisories(adv_root: &Path, locales: Option<&[Locale]>) -> Result<Folders, Error> {
    let loaded: Vec<(Loaded, Vec<Problem>)> = sorted_entries(adv_root)?
        .into_par_iter()
        .map(|entry| {
            let mut problems = Vec::new();
            let name = entry.name();
            let dir = entry.path;
            let shown = PathBuf::from("content/advisories").join(&name);
            // hidden files and folders (`.git/`, `.vscode/`, `.DS_Store`) are not the site's
            if name.starts_with('.') {
                return Ok((Loaded::Nothing, problems));
            }
            if !entry.is_dir {
                problems.push(Problem::warning(
                    &shown,
                    "ignored: only advisory folders belong in `content/advisories/`",
                ));
                return Ok((Loaded::Nothing, problems));
            }
            let a = load_advisory(&dir, &shown, &name, locales, &mut problems)?;
            Ok((a, problems))
        })
        .collect::<Result<_, Error>>()?;
    let mut advisories = Vec::with_capacity(loaded.len());
    let mut unloaded = Vec::new();
    let mut problems = Vec::new();
    for (a, p) in loaded {
        match a {
            Loaded::Advisory(a) => advisories.push(a),
            Loaded::Unloaded(u) => unloaded.push(u),
            Loaded::Nothing => {}
        }
        problems.extend(p);
    }
    Ok(Folders {
        advisories,
        unloaded,
        problems,
    })
}

/// What the advisory folders gave: see [`load_advisories`].
struct Folders {
    advisories: Vec<Advisory>,
    unloaded: Vec<Unloaded>,
    problems: Vec<Problem>,
}

/// A site template that is no built-in's name is used only where another template
/// includes, imports or extends it by name; one that no template names (most likely a
/// misspelt override, `advisroy.html`) is never rendered, which deserves a warning.
fn unused_templates(own: &[String], templates: &BTreeMap<String, String>) -> Vec<Problem> {
    let built_in: Vec<&str> = embedded::TEMPLATES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !name.starts_with("static/"))
        .collect();
    own.iter()
        .filter(|name| {
            let quoted = [format!("\"{name}\""), format!("'{name}'")];
            !templates
                .iter()
                .any(|(other, text)| other != *name && quoted.iter().any(|q| text.contains(q)))
        })
        .map(|name| {
            let help = crate::diag::did_you_mean(name, built_in.iter().copied())
                .map(|guess| format!("{guess} (a file replaces the built-in template of its exact name)"))
                .unwrap_or_else(|| {
                    format!(
                        "the built-in templates are {}; a template of your own is rendered only where another one includes, imports or extends it by name",
                        crate::diag::code_list(&built_in)
                    )
                });
            Problem::warning(
                PathBuf::from("templates").join(name),
                format!("template `{name}` replaces no built-in template and no template names it, so it is never used"),
            )
            .help(help)
        })
        .collect()
}

/// Every file below `dir`, sorted, skipping dot-files. Symbolic links are followed, as in
/// `content/` (see `sorted_entries`); one to nothing or back to a folder above it is an
/// I/O error naming it, not a file silently left out.
fn walk_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    if !dir.is_dir() {
        return Ok(out);
    }
    for entry in walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| {
            let (path, source) = walk_error(dir, e);
            Error::Io { path, source }
        })?;
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if entry.file_type().is_file() && !hidden {
            out.push(entry.into_path());
        }
    }
    Ok(out)
}

/// The path and cause of a failed step of a folder walk below `dir`, saying so when it is
/// a symbolic link to nothing or back to a folder above it.
pub(crate) fn walk_error(dir: &Path, e: walkdir::Error) -> (PathBuf, std::io::Error) {
    let path = e.path().unwrap_or(dir).to_path_buf();
    let source = match e.loop_ancestor() {
        Some(above) => std::io::Error::other(format!(
            "a symbolic link back to `{}`, a folder above it",
            above.display()
        )),
        None => match (fs::read_link(&path), e.into_io_error()) {
            (Ok(to), Some(io)) if io.kind() == std::io::ErrorKind::NotFound => {
                std::io::Error::other(format!(
                    "a symbolic link to `{}`, which does not exist",
                    to.display()
                ))
            }
            (_, io) => io.unwrap_or_else(|| std::io::Error::other("unreadable folder entry")),
        },
    };
    (path, source)
}

/// Loads one advisory folder; `None` when it is unusable (problems say why).
fn load_advisory(
    dir: &Path,
    shown: &Path,
    name: &str,
    locales: Option<&[Locale]>,
    problems: &mut Vec<Problem>,
) -> Result<Loaded, Error> {
    let id =
        match name.parse::<AdvisoryId>() {
            Ok(id) => id,
            Err(e) => {
                problems.push(Problem::error(shown, e).help(
                    "rename the folder to the advisory id, e.g. `content/advisories/954474/`",
                ));
                return Ok(Loaded::Nothing);
            }
        };
    let entries = sorted_entries(dir)?;
    let meta_path = dir.join("advisory.yaml");
    let shown_meta = shown.join("advisory.yaml");
    // a document that did not read but whose every value read after repairs (a misspelt
    // key respelt, a missing field stood in for): its translations are checked against it
    // (a `translated_from_revision` it does not have), though the advisory is not built
    let mut repaired_meta: Option<Meta> = None;
    let meta = if !entries.iter().any(|e| e.is_file && e.path == meta_path) {
        // `advisory.yml`, `Advisory.yaml`: the file is there under a near name
        let near = entries
            .iter()
            .filter(|e| e.is_file)
            .map(Entry::name)
            .find(|n| crate::diag::is_near(n, "advisory.yaml"));
        let help = match near {
            Some(n) => format!("rename `{n}` to `advisory.yaml`"),
            None => format!(
                "create `{}` with the language-neutral facts (id, kind, published, …), or run `avisa new {id}`",
                shown_meta.display()
            ),
        };
        problems.push(
            Problem::error(shown, format!("advisory `{id}` has no `advisory.yaml`")).help(help),
        );
        // its translations are still read, for their own problems
        None
    } else {
        match read_text(&meta_path, &shown_meta)? {
            Ok(text) => {
                problems.extend(crate::diag::bidi_control_problems(&text, &shown_meta));
                problems.extend(frontmatter::escaped_bidi_controls(&text, &shown_meta, 1));
                match frontmatter::parse_advisory_repairing(&text, &shown_meta, id.as_str()) {
                    Ok(raw) => convert_meta(raw, &text, &shown_meta, &id, problems),
                    Err(failed) => {
                        // the values of the keys that read have their problems reported in the
                        // same run
                        problems.extend(frontmatter::with_repaired_problems(
                            failed,
                            |raw, text, complete, more| {
                                let converted = convert_meta(raw, text, &shown_meta, &id, more);
                                repaired_meta = converted.filter(|_| complete);
                            },
                        ));
                        None
                    }
                }
            }
            Err(p) => {
                problems.push(p);
                None
            }
        }
    };
    // collected at the end, so the map holds exactly its entries
    let mut translations = Vec::new();
    // the site locales with a file, loaded or not (for an advisory that did not load)
    let mut present = BTreeSet::new();
    let mut files = Vec::new();
    for entry in entries {
        let fname = entry.name();
        let stem = fname.strip_suffix(".md").filter(|_| entry.is_file);
        let file = entry.path;
        if entry.is_file && is_page_file(&fname) {
            files.push(fname);
            continue;
        }
        if entry.is_dir && fname == "index.html" {
            // its images would need a folder where the page is written
            problems.push(
                Problem::error(
                    shown.join(&fname),
                    "a folder named `index.html` would take the place of the advisory's page",
                )
                .help("rename the folder, and the links to the files in it"),
            );
            continue;
        }
        if entry.is_dir && !fname.starts_with('.') {
            let mut inside = vec![fs::canonicalize(dir).map_err(|e| Error::io(dir, e))?];
            let shown_dir = shown.join(&fname);
            nested_page_files(&file, &shown_dir, &fname, &mut inside, &mut files, problems)?;
            continue;
        }
        let Some(stem) = stem else {
            // anything else is left out of the site: say so, rather than let a
            // translation saved as `fr-FR.markdown` go missing without a word
            if file != meta_path && !fname.starts_with('.') {
                problems.push(
                    Problem::warning(shown.join(&fname), "not part of the site, so it is ignored")
                        .help(format!("an advisory folder holds `advisory.yaml`, one `<locale>.md` per translation (e.g. `pt-BR.md`) and the images and PDFs its pages show ({}), in it or in folders inside it: rename it if it is one of those, or move it elsewhere", page_file_list())),
                );
            }
            continue;
        };
        let shown_file = shown.join(&fname);
        let locale = match stem.parse::<Locale>() {
            Ok(l) => l,
            Err(e) => {
                problems.push(
                    Problem::error(&shown_file, e)
                        .help("name each translation after its BCP 47 locale, e.g. `pt-BR.md`"),
                );
                continue;
            }
        };
        if stem != locale.as_str() {
            problems.push(
                Problem::error(
                    &shown_file,
                    format!("translation file name `{fname}` is not in canonical case"),
                )
                .help(format!("rename it to `{locale}.md`")),
            );
            continue;
        }
        if !locales.is_none_or(|ls| ls.contains(&locale)) {
            problems.push(
                Problem::error(
                    &shown_file,
                    format!("locale `{locale}` is not one of the site's locales"),
                )
                .help(format!(
                    "add `{locale}` to `locales` in `content/site.yaml`, or remove the file"
                )),
            );
            continue;
        }
        present.insert(locale.clone());
        let converted = with_file_text(&file, &shown_file, |text, stamp| match text {
            Ok(text) => convert_translation(
                text,
                stamp,
                &file,
                &shown_file,
                locale.clone(),
                meta.as_ref().or(repaired_meta.as_ref()),
                problems,
            ),
            Err(p) => {
                problems.push(p);
                None
            }
        })?;
        if let Some(t) = converted {
            translations.push((locale, t));
        }
    }
    // `img.png` and `img/a.png` come in the folder's order; `files` is sorted by name
    files.sort();
    Ok(match meta {
        Some(meta) => Loaded::Advisory(Advisory {
            id,
            dir: shown.to_path_buf(),
            meta,
            translations: translations.into_iter().collect(),
            files,
        }),
        None => Loaded::Unloaded(Unloaded {
            id,
            dir: shown.to_path_buf(),
            locales: present,
        }),
    })
}

/// Extensions (any case) of the files of an advisory folder published beside its pages:
/// images a browser shows and PDFs. Not SVG: opened by itself, an SVG can run scripts.
const PAGE_FILE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "avif", "pdf"];

/// True when `name` is a file of an advisory folder to publish beside its pages.
fn is_page_file(name: &str) -> bool {
    !name.starts_with('.')
        && name.rsplit_once('.').is_some_and(|(_, x)| {
            PAGE_FILE_EXTENSIONS
                .iter()
                .any(|e| e.eq_ignore_ascii_case(x))
        })
}

/// Adds to `files` the images and PDFs of `dir`, a folder inside an advisory folder, and
/// of the folders inside it, by their paths from the advisory folder (`img/console.png`,
/// `rel` being `dir`'s); anything else in them is a warning, dot-files aside. `inside`
/// holds the real paths of the folders `dir` is in: a folder that leads back to one of
/// them (a symbolic link) is a warning, not followed.
fn nested_page_files(
    dir: &Path,
    shown: &Path,
    rel: &str,
    inside: &mut Vec<PathBuf>,
    files: &mut Vec<String>,
    problems: &mut Vec<Problem>,
) -> Result<(), Error> {
    let real = fs::canonicalize(dir).map_err(|e| Error::io(dir, e))?;
    if inside.contains(&real) {
        problems.push(
            Problem::warning(
                shown,
                "the folder leads back to a folder it is in, so it is ignored",
            )
            .help("replace the link with the folder it should hold, or remove it"),
        );
        return Ok(());
    }
    inside.push(real);
    for entry in sorted_entries(dir)? {
        let name = entry.name();
        if name.starts_with('.') {
            continue;
        }
        let path = format!("{rel}/{name}");
        let shown = shown.join(&name);
        if entry.is_dir {
            nested_page_files(&entry.path, &shown, &path, inside, files, problems)?;
        } else if entry.is_file && is_page_file(&name) {
            files.push(path);
        } else {
            problems.push(
                Problem::warning(shown, "not part of the site, so it is ignored").help(format!(
                    "a folder inside an advisory folder holds the images and PDFs its pages show ({}): rename it if it is one of those, or move it elsewhere",
                    page_file_list()
                )),
            );
        }
    }
    inside.pop();
    Ok(())
}

/// `PAGE_FILE_EXTENSIONS` for a help: "`.png`, `.jpg`, …".
fn page_file_list() -> String {
    crate::diag::code_list(PAGE_FILE_EXTENSIONS.iter().map(|x| format!(".{x}")))
}

/// The bytes of `name`, one of `advisory.files`, for the site at `root`.
pub(crate) fn page_file(root: &Path, advisory: &Advisory, name: &str) -> Result<Vec<u8>, Error> {
    let path = root.join(&advisory.dir).join(name);
    fs::read(&path).map_err(|e| Error::io(&path, e))
}

/// Parses a translation file into a `Translation`; its body stays in the file at `path`.
fn convert_translation(
    text: &str,
    stamp: &Stamp,
    path: &Path,
    shown: &Path,
    locale: Locale,
    meta: Option<&Meta>,
    problems: &mut Vec<Problem>,
) -> Option<Translation> {
    problems.extend(crate::diag::bidi_control_problems(text, shown));
    let split = match frontmatter::split(text) {
        Ok(s) => s,
        Err(e) => {
            problems.push(
                Problem::error(shown, e)
                    .at(1, 1)
                    .help("close the front matter with a line `---`"),
            );
            return None;
        }
    };
    problems.extend(crate::diag::bidi_problems_at(
        split.body,
        shown,
        split.body_line,
        crate::markdown::bidi_char_refs(split.body),
        ", written as a character reference,",
    ));
    let Some(yaml) = split.yaml else {
        problems.push(
            Problem::error(shown, "the translation has no front matter")
                .at(1, 1)
                .help("start the file with `---`, a `title: …` line and `---`"),
        );
        return None;
    };
    problems.extend(frontmatter::escaped_bidi_controls(
        yaml,
        shown,
        split.yaml_line,
    ));
    let raw = match frontmatter::parse_translation_repairing(yaml, shown, split.yaml_line) {
        Ok(r) => r,
        Err(failed) => {
            // the values of the keys that read are checked in the same run
            problems.extend(frontmatter::with_repaired_problems(
                failed,
                |raw, text, _, more| {
                    check_translation(&raw, text, split.yaml_line, shown, meta, more)
                },
            ));
            return None;
        }
    };
    check_translation(&raw, yaml, split.yaml_line, shown, meta, problems);
    // where the checks between files (validate.rs) point
    let mut spots = BTreeMap::new();
    let locate = |needles: &[&str]| frontmatter::locate(yaml, needles, split.yaml_line);
    if raw.translated_from_revision.is_some()
        && let Some(at) = locate(&["translated_from_revision:"])
    {
        spots.insert("translated_from_revision".to_string(), at);
    }
    for id in raw.log_check_messages.keys() {
        if let Some(at) = locate(&["log_check_messages:", &format!("{id}:")]) {
            spots.insert(format!("log_check_messages/{id}"), at);
        }
    }
    Some(Translation {
        locale,
        source: shown.to_path_buf(),
        title: raw.title.trim().to_string(),
        summary: raw
            .summary
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        translated_from_revision: raw.translated_from_revision.map(|s| s.0),
        revision_notes: raw
            .revision_notes
            .into_iter()
            .map(|(k, v)| (k.0, v))
            .collect(),
        product_names: raw
            .product_names
            .into_iter()
            .map(|p| ProductName {
                product: p.product,
                name: p.name.trim().to_string(),
            })
            .collect(),
        log_check_messages: raw.log_check_messages,
        body: Body::InFile {
            path: path.to_path_buf(),
            offset: (text.len() - split.body.len()) as u64 + if stamp.bom { 3 } else { 0 },
            len: stamp.len,
            modified: stamp.modified,
        },
        body_line: split.body_line,
        spots,
    })
}

/// The problems of a translation's front matter `raw` (read from `yaml`, whose first line
/// is `yaml_line` of the file) on their own and against its advisory's `meta`.
fn check_translation(
    raw: &frontmatter::RawTranslation,
    yaml: &str,
    yaml_line: usize,
    shown: &Path,
    meta: Option<&Meta>,
    problems: &mut Vec<Problem>,
) {
    if raw.title.trim().is_empty() {
        problems.push(
            Problem::error(shown, "`title` is empty")
                .at_opt(frontmatter::locate(yaml, &["title:"], yaml_line))
                .help("write the advisory's title in this translation's language"),
        );
    }
    if let Some(meta) = meta {
        // positions and the list of revisions are found only for a problem to report
        let at = |needles: &[&str]| frontmatter::locate(yaml, needles, yaml_line);
        let use_a_revision = || {
            if meta.revisions.is_empty() {
                "`advisory.yaml` lists no revisions: add this one under `revisions:` \
                 (`- { number: \"1.0\", date: YYYY-MM-DD }`), or remove this line"
                    .to_string()
            } else {
                format!(
                    "use one of the revision numbers in `advisory.yaml`: {}",
                    crate::diag::code_list(meta.revisions.iter().map(|r| &r.number))
                )
            }
        };
        if let Some(from) = &raw.translated_from_revision
            && meta.revision_index(&from.0).is_none()
        {
            problems.push(
                Problem::error(
                    shown,
                    format!(
                        "`translated_from_revision` `{}` is not a revision of this advisory",
                        from.0
                    ),
                )
                .at_opt(at(&["translated_from_revision:"]))
                .help(use_a_revision()),
            );
        }
        // (here, not among the checks between files, so that a translation that did not
        // read has it checked too)
        for check_id in raw.log_check_messages.keys() {
            if !meta.log_checks.iter().any(|c| &c.id == check_id) {
                let help = crate::diag::did_you_mean(
                    check_id,
                    meta.log_checks.iter().map(|c| c.id.as_str()),
                )
                .unwrap_or_else(|| {
                    "use the `id` of one of the `log_checks` in `advisory.yaml`".into()
                });
                problems.push(
                    Problem::error(
                        shown,
                        format!("`log_check_messages` names `{check_id}`, which is not a check of this advisory"),
                    )
                    .at_opt(at(&["log_check_messages:", &format!("{check_id}:")]))
                    .help(help),
                );
            }
        }
        for number in raw.revision_notes.keys() {
            if meta.revision_index(&number.0).is_none() {
                problems.push(
                    Problem::error(shown, format!("`revision_notes` has a note for `{}`, which is not a revision of this advisory", number.0))
                        .at_opt(at(&["revision_notes:", &number.0]))
                        .help(use_a_revision()),
                );
            }
        }
        // a message no rule uses is never shown: most likely a misspelled key, whose
        // rightful one `validate` then reports missing (a check id no check has is
        // reported there too)
        for (check_id, messages) in &raw.log_check_messages {
            let Some(check) = meta.log_checks.iter().find(|c| &c.id == check_id) else {
                continue;
            };
            let title = crate::checker::TITLE_KEY;
            let used = crate::checker::message_keys(check);
            let unused = |k: &&String| *k != title && !used.contains(k);
            for (key, text) in messages.iter().filter(|(k, _)| used.contains(k)) {
                for (name, _) in crate::checker::unknown_placeholders(text) {
                    let known = crate::checker::PLACEHOLDERS;
                    let braced = known.map(|p| format!("{{{p}}}"));
                    let bare = name.trim_matches(' ');
                    let help = match crate::diag::closest(bare, known) {
                        _ if known.contains(&bare) => {
                            format!("write it without spaces: `{{{bare}}}`")
                        }
                        Some(p) => format!("did you mean `{{{p}}}`?"),
                        None => format!(
                            "a message may hold {}; write other text without braces",
                            crate::diag::code_list(&braced)
                        ),
                    };
                    problems.push(
                        Problem::warning(
                            shown,
                            format!(
                                "message `{key}` of check `{check_id}` holds `{{{name}}}`, which is not a placeholder: the page would show it as it is"
                            ),
                        )
                        .at_opt(at(&[
                            "log_check_messages:",
                            &format!("{check_id}:"),
                            &format!("{key}:"),
                            &format!("{{{name}}}"),
                        ]))
                        .help(help),
                    );
                }
            }
            for key in messages.keys().filter(unused) {
                let known = used.iter().map(String::as_str).chain([title]);
                let help = crate::diag::did_you_mean(key, known).unwrap_or_else(|| {
                    format!(
                        "the rules of `{check_id}` use {} (and `{title}` heads its checker): rename it to one of them, or remove it",
                        crate::diag::code_list(&used)
                    )
                });
                problems.push(
                    Problem::warning(
                        shown,
                        format!(
                            "message `{key}` of check `{check_id}` is used by none of its rules, so it is never shown"
                        ),
                    )
                    .at_opt(at(&[
                        "log_check_messages:",
                        &format!("{check_id}:"),
                        &format!("{key}:"),
                    ]))
                    .help(help),
                );
            }
        }
        for (i, p) in raw.product_names.iter().enumerate() {
            // this entry's own line: past the entries before it that name the same product
            let earlier = raw.product_names[..i]
                .iter()
                .filter(|q| q.product == p.product)
                .count();
            let position = || {
                let mut needles = vec!["product_names:"];
                needles.extend(std::iter::repeat_n(p.product.as_str(), earlier + 1));
                at(&needles)
            };
            if !meta.affected.iter().any(|a| a.product == p.product) {
                // an entry left behind when `affected` changed (e.g. by importing another
                // locale again): unused, the page shows the product as `affected` names it
                problems.push(
                    Problem::warning(
                        shown,
                        format!(
                            "`product_names` names `{}`, which `affected` in `advisory.yaml` does not list; the entry is not used",
                            p.product
                        ),
                    )
                    .at_opt(position())
                    .help("write `product` exactly as `affected` does, or remove the entry (`avisa import` of this locale writes them again)"),
                );
                continue;
            }
            let message = if earlier > 0 {
                Some((
                    format!("`product_names` names `{}` twice", p.product),
                    "keep one of the two entries",
                ))
            } else if p.name.trim().is_empty() {
                Some((
                    format!("`product_names` gives `{}` an empty name", p.product),
                    "write the product's name in this language, or remove the entry",
                ))
            } else {
                None
            };
            if let Some((message, help)) = message {
                problems.push(Problem::error(shown, message).at_opt(position()).help(help));
            }
        }
    }
}

/// True when revision numbers `a` and `b` are both dotted whole numbers (`1.10`, `2`) and
/// `a` is the lower (`1.9` before `1.10`); numbers of another form are not compared.
fn numbered_before(a: &str, b: &str) -> bool {
    compare_numbers(a, b) == Some(std::cmp::Ordering::Less)
}

/// How dotted whole numbers `a` and `b` compare, part by part, whatever their size, with
/// leading zeros and final `.0` parts left out (`1`, `1.0` and `01.00` are one number);
/// `None` when either is of another form.
fn compare_numbers(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    fn parts(s: &str) -> Option<Vec<&str>> {
        let mut parts: Vec<&str> = s
            .split('.')
            .map(|p| {
                (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| p.trim_start_matches('0'))
            })
            .collect::<Option<_>>()?;
        while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
            parts.pop();
        }
        Some(parts)
    }
    let (a, b) = (parts(a)?, parts(b)?);
    // (a part without leading zeros: the longer is the larger)
    Some((a.iter().map(|p| (p.len(), *p))).cmp(b.iter().map(|p| (p.len(), *p))))
}

/// A warning that `what` (a date of `advisory.yaml`, `d`) is in the future wherever the
/// reader is: after `latest`, the date it is now at UTC+14. A typo, most likely (2080 for
/// 2008), or an advisory under embargo, which the build would publish now.
fn future_date(shown: &Path, what: &str, d: Date, latest: Date) -> Problem {
    Problem::warning(
        shown,
        format!("{what} ({d}) is in the future: no time zone has reached that day yet (it is at most {latest} anywhere)"),
    )
    .help("the page shows the date as written: correct it if it is a typo; keep an advisory under embargo out of `content/` until it may be published")
}

/// Converts `advisory.yaml` into `Meta`, collecting every problem.
fn convert_meta(
    raw: RawAdvisory,
    src: &str,
    shown: &Path,
    id: &AdvisoryId,
    problems: &mut Vec<Problem>,
) -> Option<Meta> {
    let start = problems.len();
    let at = |needles: &[&str]| frontmatter::locate(src, needles, 1);
    if raw.id.0 != id.as_str() {
        problems.push(
            Problem::error(
                shown,
                format!("`id` is `{}` but the folder is `{id}`", raw.id.0),
            )
            .at_opt(at(&["id:"]))
            .help("the folder name and `id` must be the same"),
        );
    }
    let kind = raw
        .kind
        .parse::<Kind>()
        .map_err(|e| {
            let help = crate::diag::did_you_mean(raw.kind.trim(), Kind::ALL.map(Kind::as_str))
                .unwrap_or_else(|| "write one of the three kinds, e.g. `kind: security`".into());
            problems.push(
                Problem::error(shown, e)
                    .at_opt(at(&["kind:", raw.kind.trim()]))
                    .help(help),
            )
        })
        .ok();
    let date = |s: &str, key: &str, problems: &mut Vec<Problem>| -> Option<Date> {
        s.trim()
            .parse::<Date>()
            .map_err(|e| {
                problems.push(
                    Problem::error(shown, e)
                        .at_opt(at(&[key, s]))
                        .help("write dates as `YYYY-MM-DD`, e.g. `2008-06-13`"),
                )
            })
            .ok()
    };
    let published = date(&raw.published, "published:", problems);
    let updated = raw
        .updated
        .as_deref()
        .and_then(|u| date(u, "updated:", problems));
    if let (Some(p), Some(u)) = (published, updated)
        && u < p
    {
        problems.push(
            Problem::error(
                shown,
                format!("`updated` ({u}) is before `published` ({p})"),
            )
            .at_opt(at(&["updated:"]))
            .help("`updated` is the date of the latest revision: correct whichever of the two dates is wrong"),
        );
    }
    let latest = Date::latest_today();
    for (key, d) in [("published", published), ("updated", updated)] {
        if let Some(d) = d.filter(|d| *d > latest) {
            let what = format!("`{key}`");
            problems.push(future_date(shown, &what, d, latest).at_opt(at(&[&format!("{key}:")])));
        }
    }
    let mut revisions: Vec<Revision> = Vec::new();
    for (i, r) in raw.revisions.iter().enumerate() {
        let number = r.number.0.trim().to_string();
        // located only when a problem needs it (a file has many revisions and few
        // errors); a number written twice is found at this, its n-th, place
        let pos = || {
            // an empty number (`""`) is nothing to look for: the revision's own `number:`,
            // the (i + 1)-th after `revisions:`
            if r.number.0.trim().is_empty() {
                let mut needles = vec!["revisions:"];
                needles.extend(std::iter::repeat_n("number:", i + 1));
                return at(&needles);
            }
            let earlier = raw.revisions[..i]
                .iter()
                .filter(|x| x.number.0 == r.number.0)
                .count();
            at(&frontmatter::nth_place("revisions:", &r.number.0, earlier))
        };
        let same = |x: &Revision| {
            x.number == number
                || compare_numbers(&x.number, &number) == Some(std::cmp::Ordering::Equal)
        };
        if number.is_empty() || revisions.iter().any(same) {
            problems.push(
                Problem::error(
                    shown,
                    format!("revision number `{number}` is empty or repeated"),
                )
                .at_opt(pos())
                .help("give each revision a number of its own, e.g. `1.0`, `1.1`, `2.0`"),
            );
        }
        if let Some(d) = date(&r.date, "revisions:", problems) {
            // (the published or updated date, when it is the same, is warned about instead)
            if d > latest && Some(d) != published && Some(d) != updated {
                let what = format!("revision `{number}`'s date");
                problems.push(future_date(shown, &what, d, latest).at_opt(pos()));
            }
            if revisions.last().is_some_and(|prev| prev.date > d) {
                problems.push(
                    Problem::error(
                        shown,
                        format!("revision `{number}` ({d}) is older than the revision before it"),
                    )
                    .at_opt(pos())
                    .help("list revisions oldest first"),
                );
            } else if let Some(prev) = revisions.last()
                && numbered_before(&number, &prev.number)
            {
                // the list is in date order, but the numbers go down: a translation of the
                // later revision would be told it is behind the earlier one
                problems.push(
                    Problem::error(
                        shown,
                        format!(
                            "revision `{number}` comes after revision `{}` but has a lower number",
                            prev.number
                        ),
                    )
                    .at_opt(pos())
                    .help("list revisions oldest first, their numbers increasing: correct whichever number or date is wrong"),
                );
            }
            revisions.push(Revision { number, date: d });
        }
    }
    for cve in &raw.cves {
        if !is_cve_id(cve) {
            problems.push(
                Problem::error(shown, format!("`{cve}` is not a CVE id"))
                    .at_opt(at(&["cves:", cve]))
                    .help("write CVE ids as `CVE-2008-1447`"),
            );
        }
    }
    let is_number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    for (i, kb) in raw.kb.iter().map(|k| &k.0).enumerate() {
        // (kept as written: `01` would be a second KB1, shown as KB01)
        if !is_number(kb) || kb.starts_with('0') {
            let digits = (kb.get(..2))
                .filter(|prefix| prefix.eq_ignore_ascii_case("KB"))
                .map(|_| &kb[2..])
                .filter(|digits| is_number(digits));
            let unpadded = kb.trim_start_matches('0');
            let help = match digits {
                Some(digits) => format!("write the number alone, `{digits}`: the page adds \"KB\""),
                None if is_number(kb) && !unpadded.is_empty() => {
                    format!("write it without the leading zeros, `{unpadded}`")
                }
                None => "write the article's number, e.g. `954474`".to_string(),
            };
            problems.push(
                Problem::error(shown, format!("`{kb}` is not a KB article number"))
                    .at_opt(at(&["kb:", kb]))
                    .help(help),
            );
        } else if raw.kb[..i].iter().any(|k| k.0 == *kb) {
            // at the repeat
            let repeats = raw.kb[..i].iter().filter(|k| k.0 == *kb).count();
            problems.push(
                Problem::warning(shown, format!("KB article `{kb}` is listed more than once"))
                    .at_opt(at(&frontmatter::nth_place("kb:", kb, repeats)))
                    .help("list each article once"),
            );
        }
    }
    for r in &raw.references {
        if let Err(why) = crate::config::web_address(&r.url, "") {
            problems.push(
                Problem::error(
                    shown,
                    format!("reference `{}` is not an absolute web address", r.url),
                )
                .at_opt(at(&["references:", &r.url]))
                .help(format!(
                    "write the address in full, starting with `https://` (or `http://`): {why}"
                )),
            );
        }
        if !REFERENCE_TYPES.contains(&r.kind.as_str()) {
            problems.push(
                Problem::error(shown, format!("unknown reference type `{}`", r.kind))
                    .at_opt(at(&["references:", &r.url]))
                    .help(
                        crate::diag::did_you_mean(&r.kind, REFERENCE_TYPES.iter().copied())
                            .unwrap_or_else(|| {
                                format!("use one of {}", crate::diag::code_list(REFERENCE_TYPES))
                            }),
                    ),
            );
        }
    }
    let mut legacy_urls = Vec::new();
    for (tag, url) in &raw.legacy_urls {
        match tag.parse::<Locale>() {
            Ok(l) => legacy_urls.push((l, url.clone())),
            Err(e) => problems.push(
                Problem::error(shown, e)
                    .at_opt(at(&["legacy_urls:", tag]))
                    .help("key each legacy URL by the locale of its page, e.g. `pt-BR:`"),
            ),
        }
    }
    let legacy_urls: crate::model::SortedMap<Locale, String> = legacy_urls.into_iter().collect();
    let legacy_url_spots = (raw.legacy_urls.keys())
        .filter_map(|tag| Some((tag.parse::<Locale>().ok()?, at(&["legacy_urls:", tag])?)))
        .collect();
    let mut conflicts = Vec::new();
    for c in &raw.conflicts {
        match c.locale.parse::<Locale>() {
            Ok(locale) => conflicts.push(Conflict {
                field: c.field.clone(),
                locale,
                value: c.value.0.clone(),
            }),
            Err(e) => problems.push(
                Problem::error(shown, e)
                    .at_opt(at(&["conflicts:", &c.locale]))
                    .help("write the locale as a BCP 47 tag, e.g. `locale: es-ES`"),
            ),
        }
    }
    // a product listed twice shows twice on every page (its versions belong in one entry)
    for (i, a) in raw.affected.iter().enumerate() {
        if a.versions.iter().any(|v| v.0.trim().is_empty()) {
            problems.push(
                Problem::error(
                    shown,
                    format!("product `{}` has an empty version", a.product),
                )
                .at_opt(at(&["affected:", &a.product, "versions:"]))
                .help("write the version (`versions: [SP1]`), or leave it out of the list"),
            );
        }
        let earlier = raw.affected[..i]
            .iter()
            .filter(|b| b.product == a.product)
            .count();
        if earlier > 0 {
            problems.push(
                Problem::warning(
                    shown,
                    format!(
                        "product `{}` is listed more than once in `affected`",
                        a.product
                    ),
                )
                .at_opt(at(&frontmatter::nth_place(
                    "affected:",
                    &a.product,
                    earlier,
                )))
                .help("list each product once, with all its versions under `versions`"),
            );
        }
    }
    let (log_checks, rule_problems) = checker::validate_checks(raw.log_checks);
    for rp in rule_problems {
        let needles: Vec<&str> = rp.needles.iter().map(String::as_str).collect();
        let mut p = Problem::error(shown, rp.message).at_opt(at(&needles));
        p.help = rp.help;
        problems.push(p);
    }
    if problems[start..].iter().any(Problem::is_error) {
        return None;
    }
    Some(Meta {
        kind: kind?,
        published: published?,
        updated,
        kb: raw.kb.into_iter().map(|k| k.0).collect(),
        cves: raw.cves,
        affected: raw
            .affected
            .into_iter()
            .map(|a| Affected {
                product: a.product,
                versions: a.versions.into_iter().map(|v| v.0).collect(),
            })
            .collect(),
        revisions,
        references: raw
            .references
            .into_iter()
            .map(|r| Reference {
                url: r.url,
                kind: r.kind,
            })
            .collect(),
        legacy_urls,
        legacy_url_spots,
        log_checks,
        conflicts,
    })
}

/// Reference types; each has a `ref-type-<type>` UI string.
const REFERENCE_TYPES: &[&str] = &[
    "kb", "advisory", "bulletin", "blog", "cve", "vendor", "other",
];

/// `CVE-YYYY-NNNN…` with at least four digits in the sequence number.
fn is_cve_id(s: &str) -> bool {
    let mut parts = s.split('-');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("CVE"), Some(y), Some(n), None)
            if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) && n.len() >= 4 && n.bytes().all(|b| b.is_ascii_digit())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cve_ids_are_checked() {
        assert!(is_cve_id("CVE-2008-1447"));
        assert!(is_cve_id("CVE-2021-44228"));
        for bad in [
            "CVE-08-1447",
            "cve-2008-1447",
            "CVE-2008-147",
            "CVE-2008-1447-x",
            "",
        ] {
            assert!(!is_cve_id(bad), "{bad}");
        }
    }

    #[test]
    fn a_file_is_read_whole_whatever_size_was_expected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.md");
        let text: Vec<u8> = (0..5000u32).map(|i| b'a' + (i % 26) as u8).collect();
        fs::write(&path, &text).unwrap();
        // the size measured, a size the file has since outgrown, one it has shrunk from
        for expected in [5000, 10, 0, 4999, 5001, 9000] {
            let file = fs::File::open(&path).unwrap();
            assert_eq!(
                with_rest(&file, expected, <[u8]>::to_vec).unwrap(),
                text,
                "expected {expected}"
            );
        }
    }

    #[test]
    fn a_short_file_read_after_a_long_one_is_only_itself() {
        let dir = tempfile::tempdir().unwrap();
        let long = dir.path().join("long.md");
        let short = dir.path().join("short.md");
        fs::write(&long, "x".repeat(70_000)).unwrap();
        fs::write(&short, "abc").unwrap();
        let read = |path: &Path, expected| {
            let file = fs::File::open(path).unwrap();
            with_rest(&file, expected, <[u8]>::to_vec).unwrap()
        };
        assert_eq!(read(&long, 70_000).len(), 70_000);
        // the same thread's buffer, now holding the long file
        assert_eq!(read(&short, 3), b"abc");
        assert_eq!(read(&short, 0), b"abc");
        assert_eq!(read(&long, 10).len(), 70_000);
    }

    #[test]
    fn invalid_utf8_is_found_by_the_fast_check_too() {
        assert_eq!(utf8("Versões".as_bytes()), Ok("Versões"));
        assert_eq!(utf8(b"ab\xC3(cd"), Err(2));
        assert_eq!(utf8(b"abc\xE2\x82"), Err(3));
        let long: Vec<u8> = "ação ".repeat(100).into_bytes();
        let mut bad = long.clone();
        bad[301] = 0xFF;
        assert!(utf8(&long).is_ok());
        assert_eq!(
            utf8(&bad),
            Err(std::str::from_utf8(&bad).unwrap_err().valid_up_to())
        );
    }

    #[test]
    fn folder_entries_are_sorted_and_know_their_kind() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("b")).unwrap();
        fs::write(dir.path().join("a.md"), "x").unwrap();
        let entries = sorted_entries(dir.path()).unwrap();
        let seen: Vec<(String, bool, bool)> = entries
            .iter()
            .map(|e| (e.name(), e.is_dir, e.is_file))
            .collect();
        assert_eq!(
            seen,
            [("a.md".into(), false, true), ("b".into(), true, false)]
        );
        // a missing folder, and a file where a folder was expected, have no entries
        assert!(sorted_entries(&dir.path().join("none")).unwrap().is_empty());
        assert!(sorted_entries(&dir.path().join("a.md")).unwrap().is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn folder_entries_follow_symbolic_links() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("real")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone"), dir.path().join("dangling")).unwrap();
        let entries = sorted_entries(dir.path()).unwrap();
        let kinds: Vec<(bool, bool)> = entries.iter().map(|e| (e.is_dir, e.is_file)).collect();
        // dangling, link, real
        assert_eq!(kinds, [(false, false), (true, false), (true, false)]);
    }

    /// A site's own template reached through a symbolic link (a file, and a file in a
    /// linked folder) replaces the built-in one; it was left out without a word. A link
    /// to nothing is an error naming it.
    #[cfg(unix)]
    #[test]
    fn own_templates_behind_symbolic_links_are_used_and_a_dangling_one_is_named() {
        let tmp = fixture_copy();
        let shared = tmp.path().join("shared");
        fs::create_dir_all(shared.join("partials")).unwrap();
        fs::write(shared.join("root.html"), "ROOT {{ lang }}").unwrap();
        fs::write(shared.join("partials/log_checker.html"), "CHECKER").unwrap();
        let templates = tmp.path().join("templates");
        fs::create_dir_all(&templates).unwrap();
        std::os::unix::fs::symlink(shared.join("root.html"), templates.join("root.html")).unwrap();
        std::os::unix::fs::symlink(shared.join("partials"), templates.join("partials")).unwrap();
        let site = load_site(tmp.path()).unwrap();
        assert_eq!(site.templates["root.html"], "ROOT {{ lang }}");
        assert_eq!(site.templates["partials/log_checker.html"], "CHECKER");

        std::os::unix::fs::symlink(shared.join("gone.html"), templates.join("index.html")).unwrap();
        let err = load_site(tmp.path()).err().expect("a dangling link fails");
        let text = err.to_string();
        assert!(
            text.contains("templates/index.html`: a symbolic link to `"),
            "{text}"
        );
        assert!(text.contains("gone.html`, which does not exist"), "{text}");
    }

    /// Copies the `basic` test fixture into a temporary folder.
    fn fixture_copy() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.unwrap();
            let to = tmp.path().join(entry.path().strip_prefix(&from).unwrap());
            if entry.file_type().is_dir() {
                fs::create_dir_all(&to).unwrap();
            } else {
                fs::copy(entry.path(), &to).unwrap();
            }
        }
        tmp
    }

    /// The body of `t`, as the renderer gets it.
    fn body_text(t: &Translation) -> Result<String, Error> {
        with_body_text(t, str::to_owned)
    }

    /// Reading `t`'s body back fails: its file is no longer the one loaded.
    fn assert_changed_during_the_build(t: &Translation) {
        let err = body_text(t).unwrap_err();
        assert!(
            err.to_string().contains("changed during the build"),
            "{err}"
        );
        // what `serve` builds again at once for, rather than show a failure
        assert!(err.is_file_changed(), "{err:?}");
        assert!(!Error::Usage("x".into()).is_file_changed());
    }

    /// The pt-BR translation of the fixture's advisory `A-1`.
    fn pt_br_of_a1(site: &Site) -> &Translation {
        &site.advisory("A-1").unwrap().translations[&"pt-BR".parse::<Locale>().unwrap()]
    }

    #[test]
    fn bodies_stay_in_their_files_and_are_read_back_whole() {
        let tmp = fixture_copy();
        let site = load_site(tmp.path()).unwrap();
        let t = pt_br_of_a1(&site);
        assert!(matches!(t.body, Body::InFile { .. }), "{:?}", t.body);
        let file = fs::read_to_string(tmp.path().join("content/advisories/A-1/pt-BR.md")).unwrap();
        let body = body_text(t).unwrap();
        assert!(!body.is_empty());
        assert!(file.ends_with(&*body), "{body}");
        assert!(!body.contains("title:"), "{body}");
    }

    #[test]
    fn a_body_file_changed_after_loading_fails_instead_of_rendering_other_text() {
        let tmp = fixture_copy();
        let site = load_site(tmp.path()).unwrap();
        let t = pt_br_of_a1(&site);
        let path = tmp.path().join("content/advisories/A-1/pt-BR.md");
        let mut text = fs::read_to_string(&path).unwrap();
        text.push_str("\nmore text\n");
        fs::write(&path, text).unwrap();
        assert_changed_during_the_build(t);
    }

    #[test]
    fn a_body_edited_to_the_same_length_after_loading_fails_too() {
        let tmp = fixture_copy();
        let path = tmp.path().join("content/advisories/A-1/pt-BR.md");
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        let site = load_site(tmp.path()).unwrap();
        let t = pt_br_of_a1(&site);
        let text = fs::read_to_string(&path).unwrap();
        let last = text.trim_end().chars().last().unwrap();
        let edited = format!(
            "{}{}",
            text.trim_end().strip_suffix(last).unwrap(),
            if last == 'x' { 'y' } else { 'x' }
        ) + &text[text.trim_end().len()..];
        assert_eq!(edited.len(), text.len());
        fs::write(&path, edited).unwrap();
        // a file system with coarse timestamps could keep the old time: move it on
        let file = fs::File::options().write(true).open(&path).unwrap();
        file.set_modified(before + std::time::Duration::from_secs(2))
            .unwrap();
        assert_changed_during_the_build(t);
    }

    #[test]
    fn a_translation_that_is_not_utf8_is_a_problem_at_its_line() {
        let tmp = fixture_copy();
        let path = tmp.path().join("content/advisories/A-1/pt-BR.md");
        let mut bytes = fs::read(&path).unwrap();
        let third_line = bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(1)
            .unwrap()
            .0
            + 1;
        bytes.insert(third_line + 1, 0xE9); // a Latin-1 "é"
        fs::write(&path, bytes).unwrap();
        let site = load_site(tmp.path()).unwrap();
        let p = site
            .problems
            .iter()
            .find(|p| p.message.contains("not valid UTF-8"))
            .unwrap_or_else(|| panic!("{:?}", site.problems));
        assert!(p.file.ends_with("A-1/pt-BR.md"), "{p:?}");
        assert_eq!((p.line, p.column), (Some(3), Some(2)), "{p:?}");
        assert!(p.message.contains("byte 0xE9"), "{p:?}");
        assert!(site.advisory("A-1").unwrap().translations.len() < 4);
    }

    #[test]
    fn a_body_after_a_bom_is_read_from_the_right_byte() {
        let tmp = fixture_copy();
        let path = tmp.path().join("content/advisories/A-1/pt-BR.md");
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, format!("\u{feff}{text}")).unwrap();
        let site = load_site(tmp.path()).unwrap();
        let t = pt_br_of_a1(&site);
        let body = body_text(t).unwrap();
        assert!(text.ends_with(&*body), "{body:?}");
        assert!(body.len() > 10 && !body.contains("title:"), "{body:?}");
    }
}
