//! `avisa init`, `new` and `new-locale`: a new site's `site.yaml`, the files of a new
//! advisory (an `advisory.yaml` and one translation per locale) and a new locale's UI
//! strings, ready to fill in. Existing files are never overwritten.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::diag::Problem;
use crate::model::{AdvisoryId, Locale};

/// What `new_site` wrote.
#[derive(Debug)]
pub struct NewSite {
    /// `content/site.yaml`.
    pub site_yaml: PathBuf,
    /// `content/advisories/`, when it was not there.
    pub advisories: Option<PathBuf>,
    /// The site's locales, the default one first.
    pub locales: Vec<Locale>,
    /// True when the locales are those of the translations already in
    /// `content/advisories/` (no `locales` given).
    pub found: bool,
}

/// The title of a site `new_site` is not given one for.
const DEFAULT_TITLE: &str = "Security advisories";

/// The `base_url` of a site `new_site` is not given one for, to replace before publishing.
const DEFAULT_BASE_URL: &str = "https://example.org/";

/// The folder of the site that `root` is inside of (`root` is its `content/` or below
/// it): the nearest folder above `root` whose `content/site.yaml` exists and holds
/// `root`.
fn enclosing_site(root: &Path) -> Option<PathBuf> {
    let root = std::path::absolute(root).ok()?;
    let root = root.components().collect::<PathBuf>();
    root.ancestors().skip(1).find_map(|site| {
        let content = site.join("content");
        let holds = root.starts_with(&content) && content.join("site.yaml").is_file();
        holds.then(|| site.to_path_buf())
    })
}

/// Creates `content/site.yaml` under `root` (and `content/advisories/`): `title`, or
/// "Security advisories"; `base_url`, or `https://example.org/`; `locales`, the first the
/// default one, or else the locales of the translations already in `content/advisories/`
/// (as after `avisa import`), most translations first, or else `en-US`.
pub fn new_site(
    root: &Path,
    title: Option<&str>,
    base_url: Option<&str>,
    locales: &[String],
) -> Result<NewSite, Error> {
    let content = root.join("content");
    let site_yaml = content.join("site.yaml");
    if site_yaml.symlink_metadata().is_ok() {
        return Err(Error::Usage(format!(
            "`{}` already exists; nothing was written",
            site_yaml.display()
        )));
    }
    // a folder inside a site (its `content/` or an advisory's folder, where one `cd`s by
    // mistake): a second site there is read as an advisory folder, and the build fails
    if let Some(site) = enclosing_site(root) {
        return Err(Error::Usage(format!(
            "`{}` is inside the site at `{}` (its `content/site.yaml` exists); nothing was written: run `avisa init` in a folder of its own, or change that site's settings in its `site.yaml`",
            root.display(),
            site.display()
        )));
    }
    let mut parsed: Vec<Locale> = Vec::new();
    for l in locales {
        let l = l.parse::<Locale>().map_err(Error::Usage)?;
        if !parsed.contains(&l) {
            parsed.push(l);
        }
    }
    let advisories = content.join("advisories");
    let given = !parsed.is_empty();
    if !given {
        parsed = locales_of_translations(&advisories)?;
    }
    let found = !given && !parsed.is_empty();
    if parsed.is_empty() {
        parsed.push(crate::i18n::BUILT_IN_LOCALE.parse().map_err(Error::Usage)?);
    }
    let title = title.unwrap_or(DEFAULT_TITLE);
    if title.trim().is_empty() {
        return Err(Error::Usage(
            "the title is empty: pass the site's name, e.g. `--title \"Example Security Advisories\"`".into(),
        ));
    }
    if title.contains(['\n', '\r']) {
        return Err(Error::Usage(
            "the title is one line: write a title per locale in `site.yaml` afterwards".into(),
        ));
    }
    let tags: Vec<&str> = parsed.iter().map(Locale::as_str).collect();
    let text =
        crate::frontmatter::write::site_yaml(title, base_url.unwrap_or(DEFAULT_BASE_URL), &tags);
    // the settings are checked as a build will read them (a `base_url` that is no URL)
    if let Err(problems) = crate::config::parse_site_config(&text, Path::new("site.yaml")) {
        let why: Vec<String> = problems.iter().map(|p| p.message.clone()).collect();
        return Err(Error::Usage(format!(
            "{}; nothing was written",
            why.join("; ")
        )));
    }
    let made = (!advisories.is_dir()).then(|| advisories.clone());
    fs::create_dir_all(&advisories).map_err(|e| Error::io(&advisories, e))?;
    crate::output::create_atomically(&site_yaml, text.as_bytes())
        .map_err(|e| Error::io(&site_yaml, e))?;
    Ok(NewSite {
        site_yaml,
        advisories: made,
        locales: parsed,
        found,
    })
}

/// The locales of the translation files (`<locale>.md`) in the advisory folders under
/// `advisories`, the one with most first (then in tag order).
fn locales_of_translations(advisories: &Path) -> Result<Vec<Locale>, Error> {
    let mut count: BTreeMap<Locale, usize> = BTreeMap::new();
    for folder in crate::load::sorted_entries(advisories)? {
        if !folder.is_dir {
            continue;
        }
        for file in crate::load::sorted_entries(&folder.path)? {
            let name = file.name();
            let tag = name.strip_suffix(".md").filter(|_| file.is_file);
            // only canonical tags: the build rejects `pt-br.md`
            if let Some(l) = tag
                .and_then(|t| t.parse::<Locale>().ok())
                .filter(|l| Some(l.as_str()) == tag)
            {
                *count.entry(l).or_default() += 1;
            }
        }
    }
    let mut by_count: Vec<(Locale, usize)> = count.into_iter().collect();
    // stable: equal counts stay in tag order
    by_count.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    Ok(by_count.into_iter().map(|(l, _)| l).collect())
}

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
    // `adv-1` beside `ADV-1`: one folder where case is ignored, an error for `build`
    let near = fs::read_dir(root.join("content").join("advisories"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .find(|name| name.eq_ignore_ascii_case(id.as_str()));
    if let Some(name) = near {
        return Err(Error::Usage(format!(
            "advisory `{name}` exists, and `{id}` differs from it only in case (one folder on macOS and Windows); nothing was written"
        )));
    }
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let mut written = Vec::new();
    let mut files = vec![(dir.join("advisory.yaml"), advisory_yaml(&id, today))];
    for l in &parsed {
        files.push((dir.join(format!("{l}.md")), translation_md(&id)));
    }
    for (path, text) in files {
        crate::output::create_atomically(&path, text.as_bytes())
            .map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    let site_yaml = root.join("content").join("site.yaml");
    let yaml = crate::load::site_yaml_text(&site_yaml).map_err(|e| Error::io(&site_yaml, e))?;
    let problems = yaml.map_or_else(Vec::new, |yaml| {
        parsed
            .iter()
            .filter_map(|l| {
                let what = format!(
                    "`avisa build` will reject `{}`",
                    dir.join(format!("{l}.md")).display()
                );
                crate::config::unlisted_locale(&yaml, &site_yaml, l, &what)
            })
            .collect()
    });
    Ok(NewAdvisory {
        files: written,
        problems,
    })
}

/// A file `new_locale` wrote, and whose strings it holds.
#[derive(Debug)]
pub struct Copied {
    pub path: PathBuf,
    /// The locale whose strings were copied.
    pub from: Locale,
    /// The site's own file copied (`locales/en-US/site.ftl`); `None` for built-in strings.
    pub site_file: Option<PathBuf>,
}

/// What `new_locale` wrote, what it left alone, and a warning when the site does not list
/// the locale or a file to copy could not be read as text.
#[derive(Debug)]
pub struct NewLocale {
    /// Files written.
    pub files: Vec<Copied>,
    /// Files that were already there, left as they are.
    pub kept: Vec<PathBuf>,
    pub problems: Vec<Problem>,
}

/// The strings to copy into one file: their locale, the site's own file they come from
/// (`None`: built in) and its text.
type Source<'a> = (Locale, Option<PathBuf>, Cow<'a, str>);

/// Writes `locales/<locale>/` with a copy of each UI-strings file, ready to translate:
/// - each built-in file (`main.ftl`, `checker.ftl`) from the built-in strings of the same
///   language when avisa has them (`es-ES`'s for `es-MX`), else from `en-US`'s;
/// - each other `.ftl` file of the site's own locales (`locales/en-US/site.ftl`, strings
///   its templates use) from the site's file of the same language, else `en-US`'s, else
///   the first locale's that has it.
///
/// A file already there is left as it is.
pub fn new_locale(root: &Path, locale: &str) -> Result<NewLocale, Error> {
    let locale: Locale = locale.parse().map_err(Error::Usage)?;
    // a mistyped `--root` would get a `locales/` folder of its own
    crate::load::require_site(root)?;
    let built_in: Vec<(Locale, &str, &str)> = crate::embedded::locale_files().collect();
    let first = |wanted: &dyn Fn(&Locale) -> bool| {
        built_in
            .iter()
            .map(|(l, _, _)| l)
            .find(|l| wanted(l))
            .cloned()
    };
    let from = first(&|l| *l == locale)
        .or_else(|| first(&|l| l.language() == locale.language()))
        .or_else(|| first(&|l| l.as_str() == crate::i18n::BUILT_IN_LOCALE))
        .ok_or_else(|| Error::Usage("avisa was built without UI strings".into()))?;
    // file name → the strings to copy into it
    let mut sources: BTreeMap<String, Source> = built_in
        .iter()
        .filter(|(l, _, _)| *l == from)
        .map(|(l, name, text)| (name.to_string(), (l.clone(), None, Cow::Borrowed(*text))))
        .collect();
    let mut problems = Vec::new();
    for (name, l, path) in own_files_to_copy(root, &locale, &built_in)? {
        let shown = Path::new("locales").join(l.as_str()).join(&name);
        match crate::load::read_text(&path, &shown)? {
            Ok(text) => {
                sources.insert(name, (l, Some(path), Cow::Owned(text)));
            }
            Err(p) => problems.push(p),
        }
    }
    let dir = root.join("locales").join(locale.as_str());
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let (mut files, mut kept) = (Vec::new(), Vec::new());
    for (name, (from, site_file, text)) in sources {
        let target = dir.join(&name);
        let source = match &site_file {
            Some(_) => format!("`locales/{from}/{name}`"),
            None => format!("the built-in `{from}` strings"),
        };
        let header = format!(
            "# UI strings for `{locale}`, copied by `avisa new-locale` from {source}:\n# translate each value, keeping the keys and the `{{ $… }}` placeholders.\n\n"
        );
        let text = without_header(&text);
        // `language-name` is the name the language chooser shows: the tag until someone
        // writes the language's own name, never the name of the language copied
        let text = if from == locale {
            text.to_string()
        } else {
            text.lines()
                .map(|line| match line.strip_prefix("language-name =") {
                    Some(_) => format!("language-name = {locale}\n"),
                    None => format!("{line}\n"),
                })
                .collect()
        };
        match crate::output::create_atomically(&target, format!("{header}{text}").as_bytes()) {
            Ok(()) => {
                files.push(Copied {
                    path: target,
                    from,
                    site_file,
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => kept.push(target),
            Err(e) => return Err(Error::io(&target, e)),
        }
    }
    let site_yaml = root.join("content").join("site.yaml");
    let yaml = crate::load::site_yaml_text(&site_yaml).map_err(|e| Error::io(&site_yaml, e))?;
    problems.extend(yaml.and_then(|yaml| {
        let what = format!("no page shows the strings in `{}`", dir.display());
        crate::config::unlisted_locale(&yaml, &site_yaml, &locale, &what)
    }));
    Ok(NewLocale {
        files,
        kept,
        problems,
    })
}

/// The site's own `.ftl` files that are not built-in files, one per name, to copy for
/// `locale`: the file of a locale of the same language, else `en-US`'s, else that of the
/// first locale (in tag order) that has it. `locale`'s own folder is where they go.
fn own_files_to_copy(
    root: &Path,
    locale: &Locale,
    built_in: &[(Locale, &str, &str)],
) -> Result<Vec<(String, Locale, PathBuf)>, Error> {
    // name → (rank, locale, path) of the best file found so far
    let mut best: BTreeMap<String, (u8, Locale, PathBuf)> = BTreeMap::new();
    for folder in crate::load::sorted_entries(&root.join("locales"))? {
        let Some(l) = folder
            .is_dir
            .then(|| folder.name().parse::<Locale>().ok())
            .flatten()
            .filter(|l| l != locale)
        else {
            continue;
        };
        let rank = if l.language() == locale.language() {
            0
        } else if l.as_str() == crate::i18n::BUILT_IN_LOCALE {
            1
        } else {
            2
        };
        for file in crate::load::sorted_entries(&folder.path)? {
            let name = file.name();
            if !file.is_file
                || !name.ends_with(".ftl")
                || built_in.iter().any(|(_, n, _)| *n == name)
            {
                continue;
            }
            // folders come in tag order: a later one of the same rank does not win
            if best.get(&name).is_none_or(|(r, _, _)| rank < *r) {
                best.insert(name, (rank, l.clone(), file.path));
            }
        }
    }
    Ok(best
        .into_iter()
        .map(|(name, (_, l, path))| (name, l, path))
        .collect())
}

/// `text` without the header `new_locale` writes, when it is a copy `new_locale` made.
fn without_header(text: &str) -> &str {
    let first = text.lines().next().unwrap_or_default();
    if first.starts_with("# UI strings for `") && first.contains("copied by `avisa new-locale`") {
        text.split_once("\n\n").map_or(text, |(_, rest)| rest)
    } else {
        text
    }
}
