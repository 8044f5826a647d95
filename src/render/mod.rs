//! Rendering: the tera setup, the view structs each template receives, and every
//! output file handed to a `Sink` as soon as it is rendered (in parallel with rayon;
//! a file's bytes depend only on its inputs, so output is identical for any thread count).

mod views;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use rayon::prelude::*;
use serde::Serialize;

use crate::Error;
use crate::diag::Problem;
use crate::i18n::{Arg, I18n};
use crate::load::Site;
use crate::model::{Date, Locale};
use crate::output::Sink;

/// The Content-Security-Policy of every page: nothing can be sent anywhere. `worker-src blob:`
/// lets the checker run its worker from `file://`, where Chromium refuses script-URL workers.
pub(crate) const CSP: &str = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; connect-src 'none'; img-src 'self'; worker-src 'self' blob:";

/// [`CSP`] in a preview (`avisa serve`): the page's live-reload script may also ask the
/// server it came from when to reload (`connect-src 'self'`), and nothing else.
pub(crate) const CSP_PREVIEW: &str = "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; connect-src 'self'; img-src 'self'; worker-src 'self' blob:";

/// What a render produced.
#[derive(Debug, Clone, Default)]
pub(crate) struct RenderReport {
    /// HTML pages written (advisory pages, indexes, root; not redirect stubs).
    pub(crate) pages: usize,
    /// All files written.
    pub(crate) files: usize,
    /// Warnings about the bodies' links and images into the site ([`link_problem`]).
    pub(crate) problems: Vec<Problem>,
}

/// One unit of parallel work.
enum Job<'a> {
    Root,
    /// Page `n` (1-based) of a locale's index.
    Index(&'a Locale, usize),
    Feed(&'a Locale),
    Advisory(&'a crate::model::Advisory, &'a Locale),
    /// A file of an advisory's folder, copied beside its page in a locale.
    AdvisoryFile(&'a crate::model::Advisory, &'a Locale, &'a str),
    /// The whole sitemap (`None`), or part `k` (0-based) of a split one.
    Sitemap(Option<usize>),
    SitemapIndex(usize),
    Static(&'a str, &'a [u8]),
}

/// Renders the whole site into `sink`. With `live_reload` (a preview for `avisa serve`),
/// each HTML page loads that script, and its Content-Security-Policy lets the script ask
/// the server when to reload.
pub(crate) fn render_site(
    site: &Site,
    sink: &dyn Sink,
    live_reload: Option<&str>,
) -> Result<RenderReport, Error> {
    let engines = build_tera(site)?;
    let default = engines.of(&site.config.default_locale);
    let ctx = views::SiteView::new(site, &engines.memos, live_reload.is_some());
    let mut jobs = vec![Job::Root];
    let sitemap_len = ctx.sitemap_len();
    if sitemap_len <= views::SITEMAP_CHUNK {
        jobs.push(Job::Sitemap(None));
    } else {
        let parts = sitemap_len.div_ceil(views::SITEMAP_CHUNK);
        jobs.push(Job::SitemapIndex(parts));
        jobs.extend((0..parts).map(|k| Job::Sitemap(Some(k))));
    }
    let index_pages = ctx.index_pages();
    for l in &site.config.locales {
        jobs.extend((1..=index_pages).map(|n| Job::Index(l, n)));
        jobs.push(Job::Feed(l));
    }
    for a in &site.advisories {
        for l in a.translations.keys() {
            jobs.push(Job::Advisory(a, l));
            jobs.extend(a.files.iter().map(|f| Job::AdvisoryFile(a, l, f)));
        }
    }
    for (name, bytes) in &site.statics {
        jobs.push(Job::Static(name, bytes));
    }
    // the redirects from legacy URLs: small files, nothing to render; their paths
    let write_redirects = || -> Result<Vec<String>, Error> {
        let files = ctx.extra_files();
        for (path, bytes) in &files {
            // a redirect's folder is new (no page writes there): made before `put`, which
            // would otherwise first try to open the file in a folder that is not there
            if let Some(dir) = crate::urls::folder(path) {
                sink.prepare_dir(dir)?;
            }
            sink.put(path, bytes.as_bytes())?;
        }
        Ok(files.into_iter().map(|(path, _)| path).collect())
    };
    // each job's file, worked out once: for its folder ahead of time, then for its `put`
    let paths: Vec<String> = jobs.iter().map(Job::path).collect();
    let dirs = folders_in_order(&paths);
    let failed = AtomicBool::new(false);
    let (rendered, redirects) = std::thread::scope(|scope| {
        // The file system's work is done ahead of and beside the rendering threads, on a
        // thread of its own: first the pages' folders (a new folder can wait for the file
        // system to read its metadata from disk, and this way the wait does not hold up
        // rendering), then the redirects.
        let io = std::thread::Builder::new()
            .name("avisa-folders".into())
            .spawn_scoped(scope, || {
                for &dir in &dirs {
                    if failed.load(Ordering::Relaxed) || sink.prepare_dir(dir).is_err() {
                        break;
                    }
                }
                match failed.load(Ordering::Relaxed) {
                    // the build is lost anyway
                    true => Ok(Vec::new()),
                    false => write_redirects(),
                }
            })
            .ok();
        // of each job: whether it is a page, and an advisory page's local links
        let rendered: Result<Vec<JobOutcome>, Error> = jobs
            .par_iter()
            .zip(&paths)
            .map(|(job, path)| {
                let mut links = None;
                let mut clashes = Vec::new();
                let (bytes, is_page) = match job {
                    Job::Root => (render(default, "root.html", &ctx.root_page())?, 1),
                    Job::Sitemap(None) => (
                        render(default, "sitemap.xml", &ctx.sitemap(0..sitemap_len))?,
                        0,
                    ),
                    Job::Sitemap(Some(k)) => {
                        let start = k * views::SITEMAP_CHUNK;
                        let end = (start + views::SITEMAP_CHUNK).min(sitemap_len);
                        (render(default, "sitemap.xml", &ctx.sitemap(start..end))?, 0)
                    }
                    Job::SitemapIndex(parts) => (
                        render(default, "sitemap_index.xml", &ctx.sitemap_index(*parts))?,
                        0,
                    ),
                    Job::Index(l, n) => (
                        render(engines.of(l), "index.html", &ctx.index_page(l, *n))?,
                        1,
                    ),
                    Job::Feed(l) => (render(engines.of(l), "atom.xml", &ctx.feed(l))?, 0),
                    Job::Advisory(a, l) => {
                        let mut view = ctx.advisory_page(a, l)?;
                        let bytes =
                            render_sized(engines.of(l), "advisory.html", &view, view.size_hint())?;
                        let source = a.translations[*l].source.as_path();
                        if !view.local_links.is_empty() {
                            links = Some((source, std::mem::take(&mut view.local_links)));
                        }
                        clashes = view
                            .id_clashes
                            .iter()
                            .map(|c| id_clash(source, c))
                            .collect();
                        (bytes, 1)
                    }
                    Job::AdvisoryFile(a, _, name) => {
                        (crate::load::page_file(&site.root, a, name)?, 0)
                    }
                    Job::Static(_, bytes) => (bytes.to_vec(), 0),
                };
                let bytes = match live_reload {
                    Some(src) if is_page == 1 => with_script(bytes, src),
                    _ => bytes,
                };
                sink.put(path, &bytes)?;
                Ok((is_page, links, clashes))
            })
            .collect();
        // a failed render stops the folders, and the redirects if not begun
        if rendered.is_err() {
            failed.store(true, Ordering::Relaxed);
        }
        let redirects = match io {
            Some(io) => io.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
            // no thread could be started: no head start, and the redirects come last
            None if rendered.is_ok() => write_redirects(),
            None => Ok(Vec::new()),
        };
        (rendered, redirects)
    });
    let rendered = rendered?;
    let redirects = redirects?;
    let mut linking = rendered
        .iter()
        .zip(&paths)
        .filter_map(|((_, links, _), page)| Some((page, links.as_ref()?)))
        .peekable();
    // the set of files only when some body links into the site (most sites: none)
    let mut problems: Vec<Problem> = match linking.peek() {
        None => Vec::new(),
        Some(_) => {
            let files: HashSet<&str> = paths.iter().chain(&redirects).map(String::as_str).collect();
            linking
                .flat_map(|(page, (source, links))| {
                    links
                        .iter()
                        .filter_map(|link| link_problem(page, source, link, &files))
                })
                .collect()
        }
    };
    problems.extend(rendered.iter().flat_map(|r| r.2.iter().cloned()));
    Ok(RenderReport {
        pages: rendered.iter().map(|r| r.0).sum(),
        files: rendered.len() + redirects.len(),
        problems,
    })
}

/// A warning for a heading of the body written in `source` whose `{#id}` the page has
/// already (it got another id, so links to `#id` lead elsewhere), or for an element of
/// the body's HTML whose `id` the page has already (it keeps it: links to `#id`, and the
/// labels that name it, reach only the first).
fn id_clash(source: &Path, clash: &views::IdClash) -> Problem {
    use crate::markdown::Holder;
    let id = &clash.written;
    let line = |what: &str| match clash.holder_at {
        Some((line, _)) => format!("{what} on line {line}"),
        None => what.to_string(),
    };
    let holder = match clash.holder {
        Holder::Page => "the page around the body (its template or log checker)".to_string(),
        Holder::Footnote => "one of the body's footnotes".to_string(),
        Holder::Element => line("an element of the body's HTML"),
        Holder::Heading => line("the heading"),
    };
    let message = match &clash.given {
        Some(given) => format!(
            "the heading id `{id}` is already used on the page, by {holder}, so this heading gets `{given}`"
        ),
        None => format!(
            "the id `{id}` of this HTML element is already used on the page, by {holder}, so links to `#{id}` and the labels that name it do not reach this one"
        ),
    };
    Problem::warning(source, message).at_opt(clash.at).help(
        "give each element an id of its own: links to `#…` lead to the first element with that id",
    )
}

/// An advisory page's translation file and the local links of its body.
type PageLinks<'a> = (&'a Path, Vec<views::LocalLink>);

/// What a job gave besides its file: 1 for a page (0 for another file), an advisory
/// page's local links, and the warnings about its body's heading ids.
type JobOutcome<'a> = (usize, Option<PageLinks<'a>>, Vec<Problem>);

/// A warning for a link or image of the body of the page at `page` (written in `source`)
/// that leads to no file in `files` (the site's), or that starts at the server's root,
/// which works only when the site sits at the top of its domain, not from disk.
fn link_problem(
    page: &str,
    source: &Path,
    link: &views::LocalLink,
    files: &HashSet<&str>,
) -> Option<Problem> {
    let url = link.url.trim();
    // the target, and whether it is a folder (a page's) rather than a file
    let target = crate::urls::resolve(page, url).and_then(|t| {
        let index = match t.is_empty() || t.ends_with('/') {
            true => format!("{t}index.html"),
            false => format!("{t}/index.html"),
        };
        if !t.ends_with('/') && files.contains(t.as_str()) {
            Some((t, false))
        } else {
            files.contains(index.as_str()).then_some((t, true))
        }
    });
    let path = crate::urls::url_path(url);
    let suffix = &url[path.len()..];
    let problem = match target {
        // a folder's link names its `index.html` on the page only when it says it is a
        // folder (`../954474/`); `../954474` would open as a list of files from disk
        Some((_, true)) if !url.starts_with('/') && !crate::urls::names_folder(url) => {
            Problem::warning(
                source,
                format!("`{url}` is a folder of the site: opened from disk, a link to a folder shows its files, not its page"),
            )
            .help(format!(
                "end it with `/` (`{path}/{suffix}`): the page then links the folder's `index.html`, which opens from disk too"
            ))
        }
        Some(_) if !url.starts_with('/') => return None,
        Some((target, is_folder)) => {
            Problem::warning(
                source,
                format!("`{url}` starts at the server's root, so it breaks when the site is opened from disk or published below the top of its domain"),
            )
            .help({
                // the page's own folder is the empty relative link; `./` says it
                let mut relative = crate::urls::relative(page, &target);
                if relative.is_empty() {
                    relative.push_str("./");
                } else if is_folder && !relative.ends_with('/') {
                    relative.push('/');
                }
                format!("link it relative to the page: `{relative}{suffix}`")
            })
        }
        None => Problem::warning(source, format!("`{url}` leads to no file of the site"))
            .help("put the file in the advisory's folder, or a folder inside it, and link it by its path from there (images and PDFs), link a page of the site (`../954474/`) or a file of `templates/static/` (published in `assets/`), or use an absolute `https://` address"),
    };
    Some(problem.at_opt(link.at))
}

impl Job<'_> {
    /// The file this job writes.
    fn path(&self) -> String {
        match self {
            Job::Root => crate::urls::ROOT.to_string(),
            Job::Sitemap(None) | Job::SitemapIndex(_) => crate::urls::SITEMAP.to_string(),
            Job::Sitemap(Some(k)) => crate::urls::sitemap_part(k + 1),
            Job::Index(l, n) => crate::urls::locale_index_page(l, *n),
            Job::Feed(l) => crate::urls::feed(l),
            Job::Advisory(a, l) => crate::urls::advisory_page(l, &a.id),
            Job::AdvisoryFile(a, l, name) => crate::urls::advisory_file(l, &a.id, name),
            Job::Static(name, _) => crate::urls::asset(name),
        }
    }
}

/// Every folder the files at `paths` (the jobs' files, in job order) go into, once each,
/// in about the order the two rendering threads reach them: rayon splits the job list in
/// two halves and each thread starts at the front of one, so the first half's folders
/// alternate with the second's.
fn folders_in_order(paths: &[String]) -> Vec<&str> {
    let (first, second) = paths.split_at(paths.len().div_ceil(2));
    let mut first = first.iter().filter_map(|p| crate::urls::folder(p)).fuse();
    let mut second = second.iter().filter_map(|p| crate::urls::folder(p)).fuse();
    let mut seen = std::collections::HashSet::new();
    let mut dirs = Vec::new();
    loop {
        let pair = [first.next(), second.next()];
        if pair.iter().all(Option::is_none) {
            return dirs;
        }
        for dir in pair.into_iter().flatten() {
            if seen.insert(dir) {
                dirs.push(dir);
            }
        }
    }
}

/// `page` with `<script src="SRC">` before its last `</body>` (at its end without one), as
/// Hugo's and Zola's preview servers add theirs: a site's own templates need no hook.
fn with_script(mut page: Vec<u8>, src: &str) -> Vec<u8> {
    let tag = format!("<script src=\"{src}\"></script>\n");
    let at = page
        .windows(b"</body>".len())
        .rposition(|w| w.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(page.len());
    page.splice(at..at, tag.into_bytes());
    page
}

/// Renders one template with a serializable view, and `ui`.
fn render<T: Serialize>(engine: &Engine, name: &str, view: &T) -> Result<Vec<u8>, Error> {
    render_sized(engine, name, view, 16 * 1024)
}

/// `render` into a buffer of `capacity` bytes to start with.
fn render_sized<T: Serialize>(
    engine: &Engine,
    name: &str,
    view: &T,
    capacity: usize,
) -> Result<Vec<u8>, Error> {
    let mut ctx = tera::Context::from_serialize(view)
        .map_err(|e| template_error(Some(name), &e, &engine.site_templates, Some(engine)))?;
    // a map behind an `Arc`: every page shares its locale's one
    ctx.insert_value("ui", engine.ui.clone());
    let mut out = Vec::with_capacity(capacity);
    engine
        .tera
        .render_to(name, &ctx, &mut out)
        .map_err(|e| template_error(Some(name), &e, &engine.site_templates, Some(engine)))?;
    Ok(out)
}

/// A tera error as problems at the templates (`name`: the one being rendered, `None`
/// while the templates are compiled, when tera's reports name them): the site's own
/// `templates/<name>` or the built-in one (`<built-in>/templates/<name>`), at tera's line
/// and column when it knows them, with the error's whole cause chain.
fn template_error(
    name: Option<&str>,
    e: &tera::Error,
    site_templates: &BTreeSet<String>,
    engine: Option<&Engine>,
) -> Error {
    let file = |name: &str| {
        let dir = match site_templates.contains(name) {
            true => PathBuf::new(),
            false => PathBuf::from(crate::i18n::BUILT_IN),
        };
        dir.join("templates").join(name)
    };
    let whole = || {
        let text = e.to_string();
        text.strip_prefix("error: ").unwrap_or(&text).to_string()
    };
    let at_name = |text: String| match name {
        Some(name) => Problem::error(file(name), text),
        None => Problem::error("templates", text),
    };
    let mut problems = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r)
            if !r.filename().is_empty() =>
        {
            let what = match e.kind() {
                tera::ErrorKind::SyntaxError(_) => "syntax error",
                _ => "cannot render",
            };
            let span = r.span();
            let problem = Problem::error(file(r.filename()), format!("{what}: {}", r.message()))
                .at(span.start_line, span.start_col + 1);
            // what failed to render, as the template writes it (`ui["nav-skp"]`)
            let written = engine
                .and_then(|engine| Some((engine, engine.sources.get(r.filename())?)))
                .and_then(|(engine, source)| {
                    // (tera's span of `ui["x"]` stops before its `]`)
                    let end = span.range.end;
                    let end = end + usize::from(source.get(end..)?.starts_with(']'));
                    Some((engine, source.get(span.range.start..end)?))
                });
            vec![match written {
                Some((engine, written)) => explained(problem, written, r.message(), engine),
                None => problem,
            }]
        }
        tera::ErrorKind::MissingParent { current: tpl, .. }
        | tera::ErrorKind::CircularExtend { tpl, .. }
        | tera::ErrorKind::CircularInclude { tpl, .. } => vec![Problem::error(file(tpl), whole())],
        // what the templates' checks found, together: one report of tera's each
        tera::ErrorKind::Msg(text) => {
            let reports = reported_problems(text, &file);
            match reports.is_empty() {
                true => vec![at_name(whole())],
                false => reports,
            }
        }
        _ => vec![at_name(whole())],
    };
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        problems[0].message.push_str(&format!(": {s}"));
        source = s.source();
    }
    let problems = problems
        .into_iter()
        .map(|p| {
            if p.help.is_some() {
                return p;
            }
            let help = if p.file.starts_with(crate::i18n::BUILT_IN) {
                "a built-in template failed with the site's own templates: check those it extends or includes, and the blocks and variables they define"
            } else {
                "fix the site's template named above (`templates/` overrides the built-in template of the same name; delete it to use the built-in one)"
            };
            p.help(help)
        })
        .collect();
    Error::Template(problems)
}

/// `problem` (a template that cannot render `written`, tera says `message`) saying what
/// was written, and for a UI string `ui` does not have (`ui["nav-skp"]`), which one it
/// most likely meant.
fn explained(mut problem: Problem, written: &str, message: &str, engine: &Engine) -> Problem {
    let key = (written.trim().strip_prefix("ui"))
        .map(str::trim_start)
        .and_then(|w| w.strip_prefix('[')?.strip_suffix(']'))
        .map(str::trim)
        .and_then(|k| {
            let quote = k.chars().next().filter(|c| matches!(c, '"' | '\''))?;
            k.strip_prefix(quote)?.strip_suffix(quote)
        });
    let keys = || {
        (engine.ui.as_map().into_iter())
            .flat_map(|m| m.keys())
            .filter_map(|k| k.as_str())
    };
    let exists =
        |key: &str| (engine.i18n.keys_with_prefix(&engine.locale, key).iter()).any(|k| k == key);
    match key {
        Some(key) if !keys().any(|k| k == key) && exists(key) => {
            problem.message = format!(
                "cannot render `{written}`: the UI string `{key}` takes arguments, and `ui` holds those that take none"
            );
            problem.help = Some(format!("write `t(key=\"{key}\", …)` with its arguments"));
        }
        Some(key) if !keys().any(|k| k == key) => {
            problem.message = format!("cannot render `{written}`: there is no UI string `{key}`");
            problem.help = Some(match crate::diag::closest(key, keys()) {
                Some(meant) => format!("did you mean `{meant}`?"),
                None => format!("define `{key} = …` in a `.ftl` file of `locales/`"),
            });
        }
        _ => problem.message = format!("cannot render `{written}`: {message}"),
    }
    problem
}

/// The problems in tera's text of several reports (`error: <message>` followed by
/// ` --> <template>:<line>:<column>` and the line quoted), as tera 2 writes the problems
/// its checks of all templates found; none when the text is not such reports.
fn reported_problems(text: &str, file: &dyn Fn(&str) -> PathBuf) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let located = lines.next().and_then(|l| {
            let (name, rest) = l.trim_start().strip_prefix("--> ")?.split_once(':')?;
            let (line, column) = rest.split_once(':')?;
            Some((name, line.parse().ok()?, column.parse().ok()?))
        });
        let Some((name, line, column)) = located else {
            return Vec::new();
        };
        problems.push(Problem::error(file(name), message).at(line, column));
    }
    problems
}

/// Tera's escaping for autoescaped output: the project's one rule
/// ([`crate::markdown::escape_with`]), written straight to the output.
fn escape(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    crate::markdown::escape_with(s, |piece| out.write_all(piece.as_bytes()))
}

/// What renders the pages of one site locale.
struct Engine {
    /// The site's templates (built-ins overridden file by file), with the `t` function
    /// for UI strings and the `date_long` filter, whose `lang` defaults to this locale.
    tera: tera::Tera,
    /// Every UI string of this locale that needs no argument (`I18n::plain_texts`), the
    /// `ui` map templates get: `{{ ui["meta-kb"] }}` prints what `{{ t(key="meta-kb") }}`
    /// does, without a function call per string and page.
    ui: tera::Value,
    /// The site's own templates (`Site::site_templates`), where errors are reported.
    site_templates: Arc<BTreeSet<String>>,
    /// Every template's text by name (`Site::templates`): what an error points at.
    sources: Arc<BTreeMap<String, String>>,
    /// The UI strings, and the locale of this engine's pages: what a `ui["x"]` that
    /// failed meant.
    i18n: Arc<I18n>,
    locale: Locale,
}

/// One `Engine` per site locale, all with the same templates.
struct Engines {
    by_locale: BTreeMap<Locale, Engine>,
    /// For a locale the site does not have (never asked for): the default locale's.
    default: Locale,
    /// What `t` and `date_long` formatted, shared by every engine and by the views, which
    /// format advisory pages' dates and labels themselves.
    memos: Arc<Memos>,
}

/// The long dates and UI strings formatted in this build.
pub(super) struct Memos {
    /// Long dates by language and ISO date (`date_long`).
    pub(super) dates: Memo,
    /// UI strings by language and call (`call_key`).
    pub(super) texts: Memo,
}

impl Engines {
    fn of(&self, locale: &Locale) -> &Engine {
        self.by_locale
            .get(locale)
            .or_else(|| self.by_locale.get(&self.default))
            .expect("the default locale has an engine")
    }
}

/// The errors of the site's templates that do not compile, as problems: reported beside
/// content problems, which stop a build before rendering would compile the templates (so
/// the templates' errors showed only once they were fixed).
pub(crate) fn template_problems(site: &Site) -> Vec<Problem> {
    match build_tera(site) {
        Err(Error::Template(problems)) => problems,
        _ => Vec::new(),
    }
}

fn build_tera(site: &Site) -> Result<Engines, Error> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.set_escape_fn(escape);
    // tera checks the functions and filters a template calls when it compiles it, so the
    // shared copy gets the default locale's; each locale's engine replaces them with its own
    let default = &site.config.default_locale;
    let memos = Arc::new(Memos {
        dates: Memo::default(),
        texts: Memo::default(),
    });
    register_locale(&mut tera, site, default, &memos);
    tera.add_raw_templates(site.templates.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|e| template_error(None, &e, &site.site_templates, None))?;
    let mut by_locale = BTreeMap::new();
    let site_templates = Arc::new(site.site_templates.clone());
    let sources = Arc::new(site.templates.clone());
    // the configuration holds the default locale among `locales`
    for locale in &site.config.locales {
        let mut engine = tera.clone();
        register_locale(&mut engine, site, locale, &memos);
        let ui = tera::Value::from(site.i18n.plain_texts(locale));
        by_locale.insert(
            locale.clone(),
            Engine {
                tera: engine,
                ui,
                site_templates: Arc::clone(&site_templates),
                sources: Arc::clone(&sources),
                i18n: Arc::clone(&site.i18n),
                locale: locale.clone(),
            },
        );
    }
    Ok(Engines {
        by_locale,
        default: default.clone(),
        memos,
    })
}

/// Registers `t` and `date_long` for pages in `locale`; both remember what they format
/// in `memos`.
fn register_locale(tera: &mut tera::Tera, site: &Site, locale: &Locale, memos: &Arc<Memos>) {
    let text = TextFn {
        i18n: Arc::clone(&site.i18n),
        lang: locale.to_string(),
        memos: Arc::clone(memos),
    };
    tera.register_function("t", move |args: tera::Kwargs, _: &tera::State| {
        text.call(&args)
    });
    let date = DateFilter {
        lang: locale.to_string(),
        memos: Arc::clone(memos),
    };
    tera.register_filter(
        "date_long",
        move |value: &tera::Value, args: tera::Kwargs, _: &tera::State| date.filter(value, &args),
    );
}

/// The `lang` argument of `t` or `date_long`, or the page's language without one.
fn lang_arg<'a>(args: &'a tera::Kwargs, page: &'a str, name: &str) -> tera::TeraResult<&'a str> {
    args.get::<&str>("lang")
        .map(|lang| lang.unwrap_or(page))
        .map_err(|_| tera::Error::message(format!("`{name}`: `lang` must be a language tag")))
}

/// `t(key="meta-kb", count=2)`: a UI string, in the page's language (or `lang=…`),
/// through the fallback chain; a key no locale has, or arguments that do not fit the
/// string, fail the render. `isolate=false` leaves out the bidi isolation marks around
/// arguments, for plain text (feed titles). Pages ask for the same few strings over and
/// over, so each distinct call is formatted once per build.
struct TextFn {
    i18n: Arc<I18n>,
    /// The language of the pages this engine renders.
    lang: String,
    /// `Memos::texts`: language → the call (key, then any other arguments) → text.
    memos: Arc<Memos>,
}

impl TextFn {
    fn call(&self, args: &tera::Kwargs) -> tera::TeraResult<tera::Value> {
        let key = match args.get::<&str>("key") {
            Ok(Some(key)) => key,
            _ => return Err(tera::Error::message("`t` needs `key=\"…\"`")),
        };
        let lang = lang_arg(args, &self.lang, "t")?;
        let isolate = args
            .get::<bool>("isolate")
            .map_err(|_| tera::Error::message("`t`: `isolate` must be `true` or `false`"))?
            .unwrap_or(true);
        let mut named: Vec<(&str, Arg)> = args
            .iter()
            .filter_map(|(k, v)| k.as_str().map(|k| (k, v)))
            .filter(|(k, _)| !matches!(*k, "key" | "lang" | "isolate"))
            .map(|(name, value)| {
                let value = match (value.as_i64(), value.as_str()) {
                    (Some(n), _) => Arg::Num(n),
                    (None, Some(s)) => Arg::Str(s.to_string()),
                    (None, None) => Arg::Str(value.to_string()),
                };
                (name, value)
            })
            .collect();
        named.sort_by(|a, b| a.0.cmp(b.0));
        let text = self
            .memos
            .texts
            .get_or_try_insert_with(lang, &call_key(key, &named), || {
                let locale: Locale = lang.parse().map_err(|e: String| tera::Error::message(e))?;
                (self.i18n)
                    .text_checked(&locale, key, &named)
                    .map_err(tera::Error::message)
            })?;
        // plain text (a feed's title, which readers show as they get it): without the bidi
        // isolation marks Fluent puts around each argument
        match (isolate, text.as_str()) {
            (false, Some(t)) if t.contains(['\u{2068}', '\u{2069}']) => {
                Ok(tera::Value::from(t.replace(['\u{2068}', '\u{2069}'], "")))
            }
            _ => Ok(text),
        }
    }
}

/// What identifies a `t()` call: the key alone when it has no other argument (most
/// calls: nothing allocated), else the key, then each argument (sorted by name) as name,
/// kind and length-prefixed value, so no two calls share one. Written piece by piece,
/// without a `format!` per argument: every advisory page asks for its revision labels
/// this way.
fn call_key<'k>(key: &'k str, named: &[(&str, Arg)]) -> Cow<'k, str> {
    use std::fmt::Write;
    if named.is_empty() {
        return Cow::Borrowed(key);
    }
    let mut call = String::with_capacity(key.len() + 24 * named.len());
    call.push_str(key);
    for (name, value) in named {
        let number;
        let (kind, value) = match value {
            Arg::Num(n) => {
                number = n.to_string();
                ('n', number.as_str())
            }
            Arg::Str(s) => ('s', s.as_str()),
        };
        let _ = write!(call, "\0{name}\0{kind}{}:", value.len());
        call.push_str(value);
    }
    Cow::Owned(call)
}

/// `"2008-06-13" | date_long` → "sexta-feira, 13 de junho de 2008" in the page's language
/// (or `date_long(lang=…)`); each distinct (date, language) is formatted once per build.
struct DateFilter {
    /// The language of the pages this engine renders.
    lang: String,
    /// `Memos::dates`: language → date → formatted text.
    memos: Arc<Memos>,
}

/// Strings already formatted in this build, by language and then by what was asked.
/// Each rendering thread has a table of its own (a string is formatted once per thread,
/// always to the same text), so threads never wait for each other or share a cache
/// line for it. Looking one up allocates nothing.
pub(super) struct Memo(Box<[RwLock<Texts>]>);

/// Language → what was asked → text.
type Texts = foldhash::HashMap<String, foldhash::HashMap<String, tera::Value>>;

impl Default for Memo {
    /// One table per thread of the rayon pool, and one for any other thread.
    fn default() -> Self {
        Memo(
            (0..=rayon::current_num_threads())
                .map(|_| RwLock::default())
                .collect(),
        )
    }
}

impl Memo {
    /// This thread's table.
    fn table(&self) -> &RwLock<Texts> {
        let i = rayon::current_thread_index().map_or(0, |i| i + 1);
        &self.0[i % self.0.len()]
    }

    /// The text formatted earlier for `what` in `lang`, if any.
    fn get(&self, lang: &str, what: &str) -> Option<tera::Value> {
        self.table()
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(lang)?
            .get(what)
            .cloned()
    }

    /// Remembers `text` for `what` in `lang`.
    fn put(&self, lang: &str, what: &str, text: tera::Value) {
        self.table()
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .entry(lang.to_string())
            .or_default()
            .insert(what.to_string(), text);
    }

    /// The text for `what` in `lang`: remembered, or made by `make` and remembered.
    fn get_or_insert_with(
        &self,
        lang: &str,
        what: &str,
        make: impl FnOnce() -> String,
    ) -> tera::Value {
        match self.get_or_try_insert_with(lang, what, || Ok::<_, std::convert::Infallible>(make()))
        {
            Ok(text) => text,
            Err(never) => match never {},
        }
    }

    /// `get_or_insert_with` for a `make` that can fail (nothing is remembered then).
    fn get_or_try_insert_with<E>(
        &self,
        lang: &str,
        what: &str,
        make: impl FnOnce() -> Result<String, E>,
    ) -> Result<tera::Value, E> {
        if let Some(text) = self.get(lang, what) {
            return Ok(text);
        }
        let text = tera::Value::from(make()?);
        self.put(lang, what, text.clone());
        Ok(text)
    }
}

impl DateFilter {
    fn filter(&self, value: &tera::Value, args: &tera::Kwargs) -> tera::TeraResult<tera::Value> {
        let s = value
            .as_str()
            .ok_or_else(|| tera::Error::message("`date_long` applies to a `YYYY-MM-DD` string"))?;
        let lang = lang_arg(args, &self.lang, "date_long")?;
        self.memos.dates.get_or_try_insert_with(lang, s, || {
            let date: Date = s.parse().map_err(|e: String| tera::Error::message(e))?;
            let locale: Locale = lang.parse().map_err(|e: String| tera::Error::message(e))?;
            Ok(crate::i18n::format_date_long(&locale, date))
        })
    }
}

/// JSON that is safe inside `<script type="application/json">`: every `<` (which only a
/// string can hold) escaped as `\u003c`, so neither `</script>` nor `<!--` (after which
/// an HTML parser reads `<script>` as opening a nested script, and the element's own end
/// tag no longer ends it) appears, and the line/paragraph separators escaped.
pub(crate) fn script_json(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".to_string())
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// Every `checker-*` UI string of a locale, with variables left as `{name}` tokens
/// for the page script to fill in.
pub(crate) fn checker_texts(i18n: &I18n, locale: &Locale) -> BTreeMap<String, String> {
    let tokens = [
        "line",
        "file",
        "session_line",
        "verdict",
        "log_name",
        "percent",
        "name",
        "count",
        "seconds",
    ];
    let args: Vec<(&str, Arg)> = tokens
        .iter()
        .map(|t| (*t, Arg::Str(format!("{{{t}}}"))))
        .collect();
    i18n.keys_with_prefix(locale, "checker-")
        .into_iter()
        .filter_map(|k| i18n.text(locale, &k, &args).map(|v| (k, v)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preview_policy_differs_only_in_letting_pages_ask_their_own_server() {
        assert_eq!(
            CSP_PREVIEW,
            CSP.replace("connect-src 'none'", "connect-src 'self'")
        );
        assert_ne!(CSP_PREVIEW, CSP);
    }

    #[test]
    fn the_script_goes_before_the_last_body_end_tag_in_any_case_or_at_the_end() {
        let s = |page: &str| String::from_utf8(with_script(page.into(), "/r.js")).unwrap();
        assert_eq!(
            s("<body><p>a</body></p></BODY>\n</html>\n"),
            "<body><p>a</body></p><script src=\"/r.js\"></script>\n</BODY>\n</html>\n"
        );
        assert_eq!(s("<p>no end"), "<p>no end<script src=\"/r.js\"></script>\n");
    }

    #[test]
    fn folders_come_once_each_alternating_between_the_halves_of_the_jobs() {
        let pt: Locale = "pt-BR".parse().unwrap();
        let es: Locale = "es-ES".parse().unwrap();
        let jobs = [
            Job::Root,
            Job::Index(&pt, 1),
            Job::Feed(&pt),
            Job::Index(&es, 2),
            Job::Static("site.css", b""),
            Job::Index(&es, 1),
        ];
        // first half: the root (no folder), pt-BR's index and feed (one folder, given
        // once); second half: es-ES's second index page, the assets, es-ES's first page
        let paths: Vec<String> = jobs.iter().map(Job::path).collect();
        assert_eq!(
            folders_in_order(&paths),
            ["pt-BR", "es-ES/page/2", "assets", "es-ES"]
        );
    }

    #[test]
    fn script_json_cannot_close_the_script_element() {
        let v = serde_json::json!({"m": "</script><!--<script>alert(1)</script>\u{2028}"});
        let s = script_json(&v);
        assert!(!s.contains('<'), "{s}");
        assert!(s.contains("\\u003c/script>\\u003c!--\\u003cscript>"), "{s}");
        assert!(s.contains("\\u2028"));
        // still the same JSON
        assert_eq!(serde_json::from_str::<serde_json::Value>(&s).unwrap(), v);
    }

    #[test]
    fn distinct_text_calls_are_remembered_apart() {
        let calls = [
            call_key("k", &[("n", Arg::Num(1))]),
            call_key("k", &[("n", Arg::Str("1".into()))]),
            call_key("k", &[("n", Arg::Str("1\0m\0s1:2".into()))]),
            call_key(
                "k",
                &[("n", Arg::Str("1".into())), ("m", Arg::Str("2".into()))],
            ),
            call_key("k", &[]),
        ];
        for (i, a) in calls.iter().enumerate() {
            for b in &calls[i + 1..] {
                assert_ne!(a, b);
            }
        }
        let memo = Memo::default();
        memo.put("pt-BR", "k", "texto".into());
        assert_eq!(
            memo.get("pt-BR", "k")
                .and_then(|v| v.as_str().map(String::from))
                .as_deref(),
            Some("texto")
        );
        assert!(memo.get("es-ES", "k").is_none());
    }

    #[test]
    fn escape_covers_markup_characters() {
        let mut out = Vec::new();
        escape(r#"<a href="x">'&'</a> / ok"#, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; / ok"
        );
    }
}
