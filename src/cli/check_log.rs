//! `avisa check-log`: runs an advisory's log-check rules (from the site, or from a
//! standalone rule file) on log files and prints the verdict, the notes and the
//! evidence lines in the reader's language, or the result as JSON. Log text is
//! untrusted: control and bidi characters are printed escaped.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

use avisa::checker::{
    self, Check, CheckResult, LineRefOut, LogInput, NoteKind, RulesFile, Verdict,
};
use avisa::model::Locale;
use avisa::{Error, Site};

/// Arguments of `avisa check-log`.
#[derive(clap::Args, Debug)]
#[command(
    after_help = "Exit codes: 0 not affected, 1 affected, 2 usage or I/O error, 3 inconclusive.\n\nA file named `X.lo_` is read directly before `X.log` (a rolled-over log)."
)]
pub(crate) struct Args {
    /// The advisory whose log checks to run (its id, e.g. `954474`).
    #[arg(long, value_name = "ID", required_unless_present = "rules")]
    advisory: Option<String>,
    /// Site folder (holding `content/`).
    #[arg(long, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Language of the report [default: the site's default locale].
    #[arg(long, value_name = "LOCALE")]
    locale: Option<String>,
    /// A standalone rule file with a top-level `log_checks` list, instead of a site.
    #[arg(long, value_name = "FILE", conflicts_with = "advisory")]
    rules: Option<PathBuf>,
    /// The check to run when there are several (its `id`).
    #[arg(long = "check", value_name = "ID")]
    check_id: Option<String>,
    /// Print the result as JSON (the structure the page renders).
    #[arg(long)]
    json: bool,
    /// Log files to check, in order; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
}

/// Runs `check-log`.
pub(crate) fn run(args: Args) -> ExitCode {
    match run_inner(&args) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            tell!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run_inner(args: &Args) -> Result<u8, String> {
    let texts = load_texts(args)?;
    let check = pick_check(texts.checks(), args.check_id.as_deref())?;
    let mut inputs = Vec::new();
    // a log named twice would be checked twice (its sessions counted twice, `{line}` naming
    // either copy), and a second `-` reads an input the first has used up
    let mut seen: HashMap<Identity, &PathBuf> = HashMap::new();
    for path in &args.files {
        let name = path_text(path, false);
        let same = identity(path);
        if let Some(first) = seen.get(&same) {
            let shown = escape_terminal(&name);
            return Err(if name == "-" && *first == path {
                "`-` (standard input) is named twice: it can be read once".to_string()
            } else if *first == path {
                format!("`{shown}` is named twice: name each log once")
            } else {
                let first = escape_terminal(&first.display().to_string());
                format!("`{first}` and `{shown}` are the same file: name each log once")
            });
        }
        seen.insert(same, path);
        if name == "-" {
            inputs.push(LogInput::stream(name, std::io::stdin()));
        } else {
            let cannot = |e: &dyn std::fmt::Display| {
                format!("cannot read `{}`: {e}", escape_terminal(&name))
            };
            // (looked at, not opened: each file is opened when its turn comes, so thousands
            // take one descriptor at a time and FIFOs are read in the order they are fed)
            let kind = std::fs::metadata(path).map_err(|e| cannot(&e))?.file_type();
            if kind.is_dir() {
                return Err(cannot(&"it is a folder; name the log files in it"));
            }
            // a pipe (`<(zcat Wsyncmgr.log.gz)`, `/dev/stdin`), a FIFO or a device is read
            // once, as `-` is; only a regular file can be read again from its start
            let mut input = LogInput::file(name, path);
            for at in real_locations(path) {
                input = input.paired_by(at);
            }
            inputs.push(input);
        }
    }
    // the text report shows no per-line lists: without them memory follows the sessions
    let run = match args.json {
        true => checker::run_check,
        false => checker::run_check_without_lists,
    };
    let result = run(check, inputs)
        .map_err(|e| format!("cannot read the logs: {}", escape_terminal(&e.to_string())))?;
    let out = if args.json {
        let json = serde_json::to_string_pretty(&result).map_err(|e| e.to_string())?;
        // names and log lines are untrusted: no bidi or C1 control reaches the terminal raw
        let mut json = avisa::diag::escape_json_controls(&json).into_owned();
        json.push('\n');
        json
    } else {
        render_text(&texts, check, &result, &args.files)
    };
    // A closed pipe (`| head`) has read what it wanted; any other failure (a full disk)
    // loses the report, which the exit code must not hide as a verdict.
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            return Err(format!("cannot write the report: {e}"));
        }
        _ => {}
    }
    Ok(match result.verdict {
        Verdict::NotAffected => 0,
        Verdict::Affected => 1,
        Verdict::Inconclusive => 3,
    })
}

/// Where rules and texts come from: a site (advisory texts per locale with fallback,
/// UI texts from Fluent) or a standalone rule file (its example texts, English UI).
enum Texts {
    Site {
        site: Box<Site>,
        advisory: usize,
        locale: Locale,
    },
    File {
        file: RulesFile,
        locale: Option<String>,
    },
}

/// The one site-dependent step: loads the advisory's checks and texts.
fn load_texts(args: &Args) -> Result<Texts, String> {
    if let Some(path) = &args.rules {
        let file = checker::load_rules_file(path).map_err(|problems| {
            for p in &problems {
                tell!("{p}\n");
            }
            format!(
                "the rule file `{}` has problems",
                escape_terminal(&path.display().to_string())
            )
        })?;
        return Ok(Texts::File {
            file,
            locale: args.locale.clone(),
        });
    }
    let id = args
        .advisory
        .as_deref()
        .ok_or("give `--advisory ID` or `--rules FILE`")?;
    let site = avisa::load_validated_site(&args.root).map_err(|e| match e {
        Error::Content(problems) => {
            for p in &problems {
                tell!("{p}\n");
            }
            "the site configuration has problems".to_string()
        }
        e => e.to_string(),
    })?;
    // Its rules and texts are used only when `avisa build` would publish them: an error
    // in the folder (a date `advisory.yaml` cannot hold, a message missing in the default
    // locale) is shown and stops here, not read as "no advisory" or printed as a raw key.
    let folder = Path::new("content/advisories").join(id);
    let one_folder = !matches!(id, "" | "." | "..") && !id.contains(['/', '\\']);
    let mut errors = site
        .problems
        .iter()
        .filter(|p| one_folder && p.is_error() && p.file.starts_with(&folder))
        .peekable();
    let has_errors = errors.peek().is_some();
    for p in errors {
        tell!("{p}\n");
    }
    let advisory = site.advisories.iter().position(|a| a.id.as_str() == id);
    let Some(advisory) = advisory.filter(|_| !has_errors) else {
        return Err(if has_errors {
            format!(
                "advisory `{}` has errors (above), which `avisa build` refuses too: fix them, then run the check again",
                escape_terminal(id)
            )
        } else {
            format!(
                "no advisory `{}` under `{}/content/advisories`",
                escape_terminal(id),
                escape_terminal(&args.root.display().to_string())
            )
        });
    };
    let a = &site.advisories[advisory];
    if a.meta.log_checks.is_empty() {
        return Err(format!(
            "advisory `{}` has no `log_checks`",
            escape_terminal(id)
        ));
    }
    let locale = match &args.locale {
        None => site.config.default_locale.clone(),
        Some(l) => Locale::from_str(l).map_err(|e| format!("--locale: {e}"))?,
    };
    if !site.config.locales.contains(&locale) {
        let listed: Vec<&str> = site.config.locales.iter().map(Locale::as_str).collect();
        tell!(
            "warning: `{locale}` is not one of the site's locales ({}): the report falls back to other languages' texts\n",
            listed.join(", ")
        );
    }
    Ok(Texts::Site {
        site: Box::new(site),
        advisory,
        locale,
    })
}

fn pick_check<'a>(checks: &'a [Check], id: Option<&str>) -> Result<&'a Check, String> {
    let ids = || {
        checks
            .iter()
            .map(|c| format!("`{}`", c.id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match id {
        Some(id) => checks
            .iter()
            .find(|c| c.id == id)
            .ok_or_else(|| format!("no check `{id}`; the checks are {}", ids())),
        None if checks.len() == 1 => Ok(&checks[0]),
        None if checks.is_empty() => Err("there are no log checks".to_string()),
        None => Err(format!(
            "there are several checks: pick one with `--check ID` ({})",
            ids()
        )),
    }
}

impl Texts {
    fn checks(&self) -> &[Check] {
        match self {
            Texts::Site { site, advisory, .. } => &site.advisories[*advisory].meta.log_checks,
            Texts::File { file, .. } => &file.checks,
        }
    }

    /// The advisory's text for `key` of check `id`, through the locale's fallbacks.
    fn message(&self, id: &str, key: &str) -> Option<String> {
        match self {
            Texts::File { file, locale } => {
                file.message(locale.as_deref(), id, key).map(str::to_string)
            }
            Texts::Site {
                site,
                advisory,
                locale,
            } => {
                let a = &site.advisories[*advisory];
                let chain = site.config.chains.get(locale).cloned().unwrap_or_default();
                let (from, text) = std::iter::once(locale)
                    .chain(chain.iter())
                    .chain(std::iter::once(&site.config.default_locale))
                    .find_map(|l| {
                        let text = a
                            .translations
                            .get(l)?
                            .log_check_messages
                            .get(id)?
                            .get(key)?;
                        Some((l, text.clone()))
                    })?;
                // (`check` and `build` warn about it too; here the report itself shows it)
                if from != locale && site.config.locales.contains(locale) {
                    tell!(
                        "warning: message `{}` of check `{}` is missing in `{locale}`; the `{from}` text is used\n",
                        escape_terminal(key),
                        escape_terminal(id)
                    );
                }
                Some(text)
            }
        }
    }

    /// A UI text from the site's Fluent files (`checker.ftl`), else English.
    fn ui(&self, key: &str, args: &[(&str, &str)]) -> String {
        if let Texts::Site { site, locale, .. } = self
            && let Some(t) = site.ui_text(locale, key, args)
        {
            // Fluent wraps arguments in U+2068/U+2069 isolation marks, which a terminal
            // shows as stray glyphs; the arguments are escaped already.
            return t.replace(['\u{2068}', '\u{2069}'], "");
        }
        english(key, args)
    }
}

/// English UI texts, used when no Fluent text is available (standalone rule files).
fn english(key: &str, args: &[(&str, &str)]) -> String {
    let arg = |name: &str| {
        args.iter()
            .find(|(k, _)| *k == name)
            .map_or("?", |(_, v)| *v)
            .to_string()
    };
    match key {
        "checker-verdict-affected" => "Affected".into(),
        "checker-verdict-not-affected" => "Not affected".into(),
        "checker-verdict-inconclusive" => "Inconclusive".into(),
        "checker-empty" => "The log is empty: there is nothing to check.".into(),
        "checker-not-text" => "This file is not a text log.".into(),
        "checker-note-history" => {
            format!(
                "An earlier session at line {} gave a different result: {}.",
                arg("line"),
                arg("verdict")
            )
        }
        "checker-note-unfinished" => format!(
            "A later session at line {} has not finished; the result comes from the session at line {}.",
            arg("line"),
            arg("session_line")
        ),
        "checker-legend-evidence" => "Evidence for the result".into(),
        other => other.to_string(),
    }
}

fn verdict_label(texts: &Texts, v: Verdict) -> String {
    texts.ui(
        match v {
            Verdict::Affected => "checker-verdict-affected",
            Verdict::NotAffected => "checker-verdict-not-affected",
            Verdict::Inconclusive => "checker-verdict-inconclusive",
        },
        &[],
    )
}

/// The text report: verdict and message, notes, then the evidence lines.
fn render_text(texts: &Texts, check: &Check, r: &CheckResult, files: &[PathBuf]) -> String {
    let mut out = String::new();
    let message = if r.message_scope.is_some() {
        texts.ui(
            if r.message == "not_text" {
                "checker-not-text"
            } else {
                "checker-empty"
            },
            &[],
        )
    } else {
        let raw = texts
            .message(&check.id, &r.message)
            .unwrap_or_else(|| r.message.clone());
        fill_placeholders(&raw, r)
    };
    out.push_str(&format!("{}\n{message}\n", verdict_label(texts, r.verdict)));
    for n in &r.notes {
        let line = escape_terminal(&n.shown.to_string());
        let note = match n.kind {
            NoteKind::History => {
                let verdict = n.verdict.map_or(String::new(), |v| verdict_label(texts, v));
                texts.ui(
                    "checker-note-history",
                    &[("line", &line), ("verdict", &verdict)],
                )
            }
            NoteKind::UnfinishedSession => {
                let session_line = deciding_line(r);
                texts.ui(
                    "checker-note-unfinished",
                    &[("line", &line), ("session_line", &session_line)],
                )
            }
        };
        out.push_str(&format!("note: {note}\n"));
    }
    if !r.evidence_lines.is_empty() {
        out.push_str(&format!(
            "\n{}:\n",
            texts.ui("checker-legend-evidence", &[])
        ));
        let single = files
            .first()
            .map(|f| f.display().to_string())
            .unwrap_or_default();
        for (at, text) in &r.evidence_lines {
            let at = match at {
                LineRefOut::Line(n) => format!("{single}:{n}"),
                LineRefOut::FileLine(s) => s.clone(),
            };
            out.push_str(&format!(
                "{}: {}\n",
                escape_terminal(&at),
                escape_terminal(text)
            ));
        }
        let more = r.evidence_hidden;
        if more > 0 {
            out.push_str(&format!("… (+{more})\n"));
        }
    }
    out
}

/// The deciding session's line as texts show it (`{session_line}`), escaped; `?` when
/// no session decided.
fn deciding_line(r: &CheckResult) -> String {
    r.decided_session
        .and_then(|i| r.sessions.get(i))
        .map_or("?".to_string(), |s| escape_terminal(&s.shown.to_string()))
}

/// Substitutes `{line}`, `{file}` and `{session_line}` as (escaped) text, as the page
/// does: `?` for a value there is none of (no evidence line; the `otherwise` message).
fn fill_placeholders(message: &str, r: &CheckResult) -> String {
    let p = r.placeholders.as_ref();
    let show =
        |v: Option<&LineRefOut>| v.map_or("?".to_string(), |l| escape_terminal(&l.to_string()));
    let line = show(p.and_then(|p| p.line.as_ref()));
    let session_line = deciding_line(r);
    let file = p
        .and_then(|p| p.file.as_deref())
        .map_or("?".to_string(), escape_terminal);
    // One pass, so a substituted value is never substituted again.
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let (value, len) = if after.starts_with("{line}") {
            (line.clone(), 6)
        } else if after.starts_with("{session_line}") {
            (session_line.clone(), 14)
        } else if after.starts_with("{file}") {
            (file.clone(), 6)
        } else {
            ("{".to_string(), 1)
        };
        out.push_str(&value);
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// What a named log is, to find one named twice: the file itself (device and inode: also
/// through a hard link, or `/dev/stdin` for `-`), else its path resolved, else as given.
#[derive(Debug, PartialEq, Eq, Hash)]
enum Identity {
    Inode(u64, u64),
    Path(PathBuf),
}

fn identity(path: &Path) -> Identity {
    // standard input is whatever file or pipe descriptor 0 is
    let looked_at = match path.as_os_str() == "-" {
        true => Path::new("/dev/stdin"),
        false => path,
    };
    #[cfg(unix)]
    if let Ok(m) = std::fs::metadata(looked_at) {
        use std::os::unix::fs::MetadataExt;
        return Identity::Inode(m.dev(), m.ino());
    }
    Identity::Path(std::fs::canonicalize(looked_at).unwrap_or_else(|_| path.to_path_buf()))
}

/// Where the file at `path` is, for rollover pairing: its folder resolved (symbolic
/// links, `..`, relative to the working folder) and its own name as given, so `X.lo_`
/// pairs with `X.log` however each was written; and, when the file is itself a symbolic
/// link, where its target is, so a link pairs with the files beside the log it names as
/// well as with those beside it. None when the folder cannot be resolved (the name as
/// given is used then).
fn real_locations(path: &Path) -> Vec<String> {
    let mut at = Vec::new();
    let Some(file) = path.file_name() else {
        return at;
    };
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if let Ok(folder) = std::fs::canonicalize(folder) {
        at.push(path_text(&folder.join(file), true));
    }
    let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if link
        && !at.is_empty()
        && let Ok(target) = std::fs::canonicalize(path)
    {
        at.push(path_text(&target, true));
    }
    at
}

/// `path` as text, each byte of it that is not UTF-8 written `\xHH`, so that names that
/// differ in such bytes are shown, and paired, as different (a lossy conversion made each
/// of them U+FFFD: folders `m\xFF` and `m\xFE` were one). With `unique`, a `\` is written
/// `\\` too, so no two paths give one text.
fn path_text(path: &Path, unique: bool) -> String {
    use std::fmt::Write;
    let mut text = String::new();
    for chunk in path.as_os_str().as_encoded_bytes().utf8_chunks() {
        match unique {
            true => text.push_str(&chunk.valid().replace('\\', "\\\\")),
            false => text.push_str(chunk.valid()),
        }
        for byte in chunk.invalid() {
            let _ = write!(text, "\\x{byte:02X}");
        }
    }
    text
}

/// [`avisa::diag::escape_terminal`], owned: what a log or an id shows on the terminal.
fn escape_terminal(s: &str) -> String {
    avisa::diag::escape_terminal(s).into_owned()
}
