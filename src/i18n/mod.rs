//! UI strings (Fluent) per locale with fallback chains, and CLDR-backed locale data
//! (long dates, text direction, month and weekday names). The only user of
//! fluent-bundle, fluent-syntax, unic-langid and ICU4X; callers see `Locale`, `Date`,
//! `Problem` and plain strings.

mod cldr;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::resolver::ResolverError;
use fluent_bundle::resolver::errors::ReferenceKind;
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};
use fluent_syntax::ast;
use fluent_syntax::parser::ParserError;
use unic_langid::LanguageIdentifier;

use crate::diag::{Problem, line_column};
use crate::model::Locale;

pub(crate) use cldr::{
    digit_value, format_date_long, is_rtl, month_names, numeric_month_first, weekday_names,
};

/// The locale every built-in UI string exists in (`locales/en-US/`): the reference for
/// missing keys, and the last fallback of every locale's chain.
pub(crate) const BUILT_IN_LOCALE: &str = "en-US";

/// One `.ftl` file: built-in or the site's override.
#[derive(Debug, Clone)]
pub(crate) struct FtlSource {
    /// The locale whose bundle receives the messages.
    pub(crate) locale: Locale,
    /// File name within the locale folder, e.g. `main.ftl`; a site file replaces the built-in one of the same name.
    pub(crate) name: String,
    /// Path shown in problems.
    pub(crate) path: PathBuf,
    /// The Fluent source text.
    pub(crate) text: String,
}

/// A message argument.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    /// Text, inserted as is (inside bidi isolation marks).
    Str(String),
    /// An integer: selects plural variants by the locale's CLDR rules; printed with
    /// ASCII digits and no grouping (Fluent does not localize numbers).
    Num(i64),
}

/// The messages of one locale: its Fluent bundle and where each message id came from.
struct LocaleStrings {
    bundle: FluentBundle<FluentResource>,
    /// Message id → file name (`main.ftl`) that defines it; terms (`-x`) are not listed.
    keys: BTreeMap<String, String>,
    /// Message ids whose definition is a syntax error (already reported as one), so they
    /// are not also reported as missing, with a help to add what is there.
    broken: BTreeSet<String>,
}

/// Fluent bundles for every locale of the site. `Send + Sync`: shared by the rayon
/// workers that render pages. Placeables keep Fluent's bidi isolation marks
/// (U+2068 … U+2069) around interpolated values, so an argument in one direction
/// cannot reorder the text around it on right-to-left pages.
pub(crate) struct I18n {
    locales: BTreeMap<Locale, LocaleStrings>,
    chains: BTreeMap<Locale, Vec<Locale>>,
    /// Messages of a site's `main.ftl` or `checker.ftl` that no built-in file of that name
    /// has ([`stray_keys`]): warned about where they are, not asked of the other locales.
    strays: BTreeSet<String>,
}

/// The warning for a locale that lacks all of `keys`, every string of `file`, each with
/// where it falls back to ([`I18n::fallback_of`]).
fn whole_file_missing(locale: &Locale, file: &str, keys: &[(&str, Option<String>)]) -> Problem {
    let mut to: Vec<Option<&str>> = keys.iter().map(|(_, to)| to.as_deref()).collect();
    to.sort_unstable();
    to.dedup();
    let found: Vec<&str> = to.iter().flatten().copied().collect();
    let fallback = match (found.is_empty(), to.contains(&None)) {
        (true, _) => "and no fallback has them".to_string(),
        (false, false) => format!("(they fall back to {})", found.join(" or ")),
        (false, true) => format!(
            "(some fall back to {}, the others to nothing)",
            found.join(" or ")
        ),
    };
    // `avisa new-locale` copies every file, the built-in ones and the site's own
    let help = format!(
        "run `avisa new-locale {locale}` to copy the strings into `locales/{locale}/{file}`, ready to translate"
    );
    let path = Path::new("locales").join(locale.as_str()).join(file);
    Problem::warning(
        &path,
        format!(
            "`{locale}` has none of the {} UI strings of `{file}` {fallback}",
            keys.len()
        ),
    )
    .help(help)
}

/// The messages a site's own `main.ftl` or `checker.ftl` (of `sources`) defines that no
/// built-in file of that name does (`built_in`: each built-in file's name and text, of
/// every locale), and a warning at each: a string replaces a built-in one only under its
/// name, so `meta-kbb` for `meta-kb` changes nothing, and asking the other locales for it
/// would spread the typo. A string of the site's own belongs in a file of another name.
pub(crate) fn stray_keys(
    sources: &[FtlSource],
    built_in: &[(&str, &str)],
) -> (BTreeSet<String>, Vec<Problem>) {
    let names: BTreeSet<&str> = built_in.iter().map(|(file, _)| *file).collect();
    let own: Vec<&FtlSource> = (sources.iter())
        .filter(|s| names.contains(s.name.as_str()) && !s.path.starts_with(BUILT_IN))
        .collect();
    // most sites replace no built-in file: nothing to parse
    if own.is_empty() {
        return (BTreeSet::new(), Vec::new());
    }
    let mut known: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in built_in {
        if let Ok(resource) = FluentResource::try_new(text.to_string()) {
            let ids = entry_ids(&resource).into_iter().filter(|(_, m, _)| *m);
            known
                .entry(file)
                .or_default()
                .extend(ids.map(|(id, _, _)| id));
        }
    }
    let mut strays = BTreeSet::new();
    let mut problems = Vec::new();
    for source in own {
        let Some(ids) = known.get(source.name.as_str()) else {
            continue;
        };
        let resource = match FluentResource::try_new(source.text.clone()) {
            Ok(r) | Err((r, _)) => r,
        };
        for (id, is_message, offset) in entry_ids(&resource) {
            if !is_message || ids.contains(&id) {
                continue;
            }
            let (line, column) = line_column(resource.source(), offset);
            let help = crate::diag::did_you_mean(&id, ids.iter().map(String::as_str))
                .unwrap_or_else(|| {
                    "a string of the site's own (for its templates) goes in a `.ftl` file of another name, such as `site.ftl`".into()
                });
            problems.push(
                Problem::warning(
                    &source.path,
                    format!(
                        "`{id}` is not one of avisa's UI strings of `{}`, so it replaces none",
                        source.name
                    ),
                )
                .at(line, column)
                .help(help),
            );
            strays.insert(id);
        }
    }
    (strays, problems)
}

impl I18n {
    /// Parses the sources into one bundle per locale; parse errors and message ids
    /// defined twice in a locale are error problems with file:line:column (the first
    /// definition wins). `chains` maps each site locale to its fallbacks after itself.
    pub(crate) fn new(
        sources: Vec<FtlSource>,
        chains: BTreeMap<Locale, Vec<Locale>>,
    ) -> (I18n, Vec<Problem>) {
        let mut problems = Vec::new();
        let mut locales: BTreeMap<Locale, LocaleStrings> = BTreeMap::new();
        // Where each id (message or `-term`) was first defined, per locale, for duplicates:
        // the file and the line.
        let mut defined: BTreeMap<Locale, BTreeMap<String, (PathBuf, usize)>> = BTreeMap::new();
        for source in sources {
            let resource = match FluentResource::try_new(source.text) {
                Ok(resource) => resource,
                Err((resource, errors)) => {
                    for error in &errors {
                        problems.push(parse_problem(&source.path, resource.source(), error));
                    }
                    resource
                }
            };
            let seen = defined.entry(source.locale.clone()).or_default();
            let strings = locales
                .entry(source.locale.clone())
                .or_insert_with(|| LocaleStrings {
                    bundle: new_bundle(&source.locale),
                    keys: BTreeMap::new(),
                    broken: BTreeSet::new(),
                });
            strings.broken.extend(broken_ids(&resource));
            for (id, is_message, offset) in entry_ids(&resource) {
                let (line, column) = line_column(resource.source(), offset);
                if let Some((first, first_line)) = seen.get(&id) {
                    problems.push(
                        Problem::error(
                            &source.path,
                            format!(
                                "duplicate UI string `{id}` in `{}`: already defined in `{}` (line {first_line})",
                                source.locale,
                                first.display()
                            ),
                        )
                        .at(line, column)
                        .help(duplicate_help(&id, first, &source.name)),
                    );
                    continue;
                }
                seen.insert(id.clone(), (source.path.clone(), line));
                if is_message {
                    strings.keys.insert(id, source.name.clone());
                }
            }
            // Duplicates were reported above with both files; the bundle keeps the first.
            let _ = strings.bundle.add_resource(resource);
        }
        let strays = BTreeSet::new();
        (
            I18n {
                locales,
                chains,
                strays,
            },
            problems,
        )
    }

    /// Fills the gaps a site's own files leave with `replaced`, the built-in files they
    /// replaced: each message or term of a built-in file that the site's file of the same
    /// locale does not define is kept, as the locale's own. So a site's
    /// `locales/pt-BR/main.ftl` holding only the strings it changes leaves the others in
    /// their built-in Portuguese (not in another language of the chain), and they are not
    /// missing. (Built-in files parse, and define each id once: no problems to report.)
    pub(crate) fn with_built_in_gaps(mut self, replaced: Vec<FtlSource>) -> I18n {
        for source in replaced {
            let Ok(resource) = FluentResource::try_new(source.text) else {
                continue;
            };
            let strings = self
                .locales
                .entry(source.locale.clone())
                .or_insert_with(|| LocaleStrings {
                    bundle: new_bundle(&source.locale),
                    keys: BTreeMap::new(),
                    broken: BTreeSet::new(),
                });
            for (id, is_message, _) in entry_ids(&resource) {
                if is_message {
                    strings
                        .keys
                        .entry(id)
                        .or_insert_with(|| source.name.clone());
                }
            }
            // the ids the site's files define stay theirs (Fluent refuses to override
            // them: those refusals are the expected outcome)
            let _ = strings.bundle.add_resource(resource);
        }
        self
    }

    /// Leaves `strays` ([`stray_keys`]) out of the strings every locale should have.
    pub(crate) fn with_strays(mut self, strays: BTreeSet<String>) -> I18n {
        self.strays = strays;
        self
    }

    /// Formats `key` for `locale`, walking its fallback chain (a locale absent from
    /// `chains` is looked up alone); `None` when no locale has it (or only attributes).
    /// Interpolated values keep bidi isolation marks (U+2068/U+2069); numbers are not
    /// localized (ASCII digits, no grouping).
    pub(crate) fn text(&self, locale: &Locale, key: &str, args: &[(&str, Arg)]) -> Option<String> {
        Self::format(self.strings_with(locale, key)?, key, args)
    }

    /// [`I18n::text`] for a template's `t(…)`: `Err` says why the call cannot give the
    /// text a page should show (with a missing argument, Fluent writes `{$name}` in its
    /// place): a locale with no UI strings, a key no locale has, an argument no text of
    /// the message uses, one it needs that is not given, a text Fluent cannot format.
    pub(crate) fn text_checked(
        &self,
        locale: &Locale,
        key: &str,
        args: &[(&str, Arg)],
    ) -> Result<String, String> {
        if !self.locales.contains_key(locale) && !self.chains.contains_key(locale) {
            return Err(format!(
                "`{locale}` has no UI strings: it is not one of the site's locales, and avisa has none built in for it"
            ));
        }
        let Some(strings) = self.strings_with(locale, key) else {
            return Err(format!(
                "no locale has the UI string `{key}` (asked for `{locale}`)"
            ));
        };
        let takes = self.variables_of(key);
        if let Some((name, _)) = args.iter().find(|(name, _)| !takes.contains(*name)) {
            let takes = match takes.is_empty() {
                true => "it takes none".to_string(),
                false => format!("it takes {}", crate::diag::code_list(&takes)),
            };
            return Err(format!(
                "the UI string `{key}` takes no argument `{name}` ({takes})"
            ));
        }
        let (text, errors) = Self::format_reporting(strings, key, args);
        match errors.first() {
            None => Ok(text),
            Some(FluentError::ResolverError(ResolverError::Reference(
                ReferenceKind::Variable { id },
            ))) => Err(format!(
                "the UI string `{key}` needs the argument `{id}`, which pages would show as `{{${id}}}`: give it, as `t(key=\"{key}\", {id}=…)`"
            )),
            Some(e) => Err(format!(
                "the UI string `{key}` cannot be formatted in `{locale}`: {e}"
            )),
        }
    }

    /// The variables the message `key` uses in any locale, also through the messages it
    /// refers to (which Fluent gives the same arguments): the arguments it takes.
    fn variables_of(&self, key: &str) -> BTreeSet<String> {
        let mut vars = BTreeSet::new();
        for strings in self.locales.values() {
            let mut seen = BTreeSet::new();
            let mut stack = vec![key];
            while let Some(id) = stack.pop() {
                if !seen.insert(id) {
                    continue;
                }
                let Some(message) = strings.bundle.get_message(id) else {
                    continue;
                };
                let patterns =
                    (message.value().into_iter()).chain(message.attributes().map(|a| a.value()));
                for (kind, name, _) in references("", patterns) {
                    match kind {
                        Reference::Variable => {
                            vars.insert(name.to_string());
                        }
                        Reference::Message => stack.push(name),
                        Reference::Term | Reference::Function => {}
                    }
                }
            }
        }
        vars
    }

    /// The first files of `locale`'s fallback chain that have the message `key`.
    fn strings_with(&self, locale: &Locale, key: &str) -> Option<&LocaleStrings> {
        self.chain(locale)
            .find_map(|l| self.locales.get(l).filter(|s| s.bundle.has_message(key)))
    }

    /// Formats `key` from `locale`'s own files only, without fallback: for what must
    /// not be borrowed from another language, such as the name a language gives itself.
    pub(crate) fn own_text(
        &self,
        locale: &Locale,
        key: &str,
        args: &[(&str, Arg)],
    ) -> Option<String> {
        let strings = self
            .locales
            .get(locale)
            .filter(|s| s.bundle.has_message(key))?;
        Self::format(strings, key, args)
    }

    fn format(strings: &LocaleStrings, key: &str, args: &[(&str, Arg)]) -> Option<String> {
        strings.bundle.get_message(key)?.value()?;
        Some(Self::format_reporting(strings, key, args).0)
    }

    /// Formats `key` (which `strings` has, with a value) with `args`; the text, and what
    /// Fluent could not resolve in it.
    fn format_reporting(
        strings: &LocaleStrings,
        key: &str,
        args: &[(&str, Arg)],
    ) -> (String, Vec<FluentError>) {
        let Some(pattern) = strings.bundle.get_message(key).and_then(|m| m.value()) else {
            return (String::new(), Vec::new());
        };
        let mut fluent_args = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            let value = match value {
                Arg::Str(s) => FluentValue::from(s.as_str()),
                Arg::Num(n) => FluentValue::from(*n),
            };
            fluent_args.set(*name, value);
        }
        // A missing argument or reference still yields text (`{$name}` in place), and
        // an error saying so
        let mut errors = Vec::new();
        let text = strings
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors)
            .into_owned();
        (text, errors)
    }

    /// Every message `locale` can resolve through its chain that needs no argument, by
    /// id, formatted: the UI strings a page prints as they are (`ui` in templates).
    /// Messages that use a variable (plurals, counts, names) are left to `t(…)`.
    pub(crate) fn plain_texts(&self, locale: &Locale) -> BTreeMap<String, String> {
        let no_args = FluentArgs::new();
        self.keys_with_prefix(locale, "")
            .into_iter()
            .filter_map(|key| {
                let strings = self.strings_with(locale, &key)?;
                let pattern = strings.bundle.get_message(&key)?.value()?;
                let mut errors = Vec::new();
                let text = strings
                    .bundle
                    .format_pattern(pattern, Some(&no_args), &mut errors)
                    .into_owned();
                errors.is_empty().then_some((key, text))
            })
            .collect()
    }

    /// Every message id starting with `prefix` that `locale` can resolve through its
    /// chain (its own, then each fallback's), sorted and without duplicates.
    pub(crate) fn keys_with_prefix(&self, locale: &Locale, prefix: &str) -> Vec<String> {
        let mut keys = BTreeSet::new();
        for strings in self.chain(locale).filter_map(|l| self.locales.get(l)) {
            keys.extend(
                strings
                    .keys
                    .range(prefix.to_string()..)
                    .map(|(k, _)| k)
                    .take_while(|k| k.starts_with(prefix))
                    .cloned(),
            );
        }
        keys.into_iter().collect()
    }

    /// One warning per (site locale, key) that the locale's own files lack, where the
    /// reference keys are those of `en-US` (when loaded) and of every site locale. A
    /// locale that lacks every key of a file (most often: it has no such file) gets one
    /// warning for that file instead, with the way to get a copy to translate.
    pub(crate) fn missing_keys(&self, site_locales: &[Locale]) -> Vec<Problem> {
        // Reference key → file name that defines it first (in locale order).
        let mut reference: BTreeMap<&str, &str> = BTreeMap::new();
        let en_us: Option<Locale> = BUILT_IN_LOCALE.parse().ok();
        let reference_locales = en_us.iter().chain(site_locales);
        let reference_strings = reference_locales.filter_map(|l| self.locales.get(l));
        for strings in reference_strings {
            for (key, file) in &strings.keys {
                if !self.strays.contains(key) {
                    reference.entry(key).or_insert(file);
                }
            }
        }
        let mut per_file: BTreeMap<&str, usize> = BTreeMap::new();
        for file in reference.values() {
            *per_file.entry(file).or_default() += 1;
        }
        let mut problems = Vec::new();
        let mut site_locales: Vec<&Locale> = site_locales.iter().collect();
        site_locales.sort();
        site_locales.dedup();
        for locale in site_locales {
            let own = self.locales.get(locale);
            // file → (key, where it falls back to) of each key the locale lacks
            let mut missing: BTreeMap<&str, Vec<(&str, Option<String>)>> = BTreeMap::new();
            for (key, file) in &reference {
                if own.is_some_and(|s| s.keys.contains_key(*key) || s.broken.contains(*key)) {
                    continue;
                }
                missing
                    .entry(file)
                    .or_default()
                    .push((key, self.fallback_of(locale, key)));
            }
            for (file, keys) in missing {
                if keys.len() > 1 && keys.len() == per_file[file] {
                    problems.push(whole_file_missing(locale, file, &keys));
                    continue;
                }
                let path = Path::new("locales").join(locale.as_str()).join(file);
                for (key, to) in keys {
                    let message = match to {
                        Some(to) => {
                            format!("missing UI string `{key}` in `{locale}` (falls back to {to})")
                        }
                        None => format!(
                            "missing UI string `{key}` in `{locale}` and no fallback has it"
                        ),
                    };
                    problems.push(
                        Problem::warning(&path, message)
                            .help(format!("add `{key} = …` to `locales/{locale}/{file}`")),
                    );
                }
            }
        }
        crate::diag::sort_problems(&mut problems);
        problems
    }

    /// Where `locale` finds `key` it lacks, for a warning: "`en-US`", or `None` when no
    /// fallback has it.
    fn fallback_of(&self, locale: &Locale, key: &str) -> Option<String> {
        let fallback = self.locales_after(locale).find(|l| {
            self.locales
                .get(*l)
                .is_some_and(|s| s.keys.contains_key(key))
        });
        fallback.map(|l| format!("`{l}`"))
    }

    /// `locale`, then its fallbacks in order.
    fn chain<'a>(&'a self, locale: &'a Locale) -> impl Iterator<Item = &'a Locale> {
        std::iter::once(locale).chain(self.locales_after(locale))
    }

    /// The fallbacks of `locale`, in order, without `locale` itself.
    fn locales_after<'a>(&'a self, locale: &'a Locale) -> impl Iterator<Item = &'a Locale> {
        self.chains
            .get(locale)
            .into_iter()
            .flatten()
            .filter(move |l| *l != locale)
    }
}

/// What a pattern refers to: a variable (`$name`), a message, a term (`-name`) or a
/// function (`NUMBER`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Reference {
    Variable,
    Message,
    Term,
    Function,
}

/// Every reference in the value and attributes of an entry (a message's or a term's),
/// with its name and the byte offset in `source` of where it starts (its `$` or `-`):
/// placeables, selectors, function and term arguments, nested placeables.
fn references<'s>(
    source: &str,
    patterns: impl Iterator<Item = &'s ast::Pattern<&'s str>>,
) -> Vec<(Reference, &'s str, usize)> {
    type Out<'s> = Vec<(Reference, &'s str, usize)>;
    fn pattern<'s>(source: &str, p: &'s ast::Pattern<&'s str>, out: &mut Out<'s>) {
        for element in &p.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expr(source, expression, out);
            }
        }
    }
    fn expr<'s>(source: &str, e: &'s ast::Expression<&'s str>, out: &mut Out<'s>) {
        match e {
            ast::Expression::Inline(i) => inline(source, i, out),
            ast::Expression::Select { selector, variants } => {
                inline(source, selector, out);
                for v in variants {
                    pattern(source, &v.value, out);
                }
            }
        }
    }
    fn arguments<'s>(source: &str, a: &'s ast::CallArguments<&'s str>, out: &mut Out<'s>) {
        for i in a.positional.iter().chain(a.named.iter().map(|n| &n.value)) {
            inline(source, i, out);
        }
    }
    fn inline<'s>(source: &str, i: &'s ast::InlineExpression<&'s str>, out: &mut Out<'s>) {
        // (a variable's and a term's name follow their `$` and `-`)
        let at = |name: &str, sigil: usize| offset_in(source, name).saturating_sub(sigil);
        match i {
            ast::InlineExpression::VariableReference { id } => {
                out.push((Reference::Variable, id.name, at(id.name, 1)));
            }
            ast::InlineExpression::MessageReference { id, .. } => {
                out.push((Reference::Message, id.name, at(id.name, 0)));
            }
            ast::InlineExpression::TermReference {
                id, arguments: a, ..
            } => {
                out.push((Reference::Term, id.name, at(id.name, 1)));
                if let Some(a) = a {
                    arguments(source, a, out);
                }
            }
            ast::InlineExpression::FunctionReference { id, arguments: a } => {
                out.push((Reference::Function, id.name, at(id.name, 0)));
                arguments(source, a, out);
            }
            ast::InlineExpression::Placeable { expression } => expr(source, expression, out),
            ast::InlineExpression::StringLiteral { .. }
            | ast::InlineExpression::NumberLiteral { .. } => {}
        }
    }
    let mut out = Vec::new();
    for p in patterns {
        pattern(source, p, &mut out);
    }
    out
}

/// Whether following the references in `graph` (id → the ids it refers to) from `from`
/// reaches `to`.
fn leads_to(graph: &BTreeMap<String, Vec<String>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(id) = stack.pop() {
        if id == to {
            return true;
        }
        if seen.insert(id) {
            stack.extend(graph.get(id).into_iter().flatten().map(String::as_str));
        }
    }
    false
}

/// A reference in a pattern: what it refers to, its name, and the byte offset of its start.
type Located<'s> = (Reference, &'s str, usize);

/// Each message and term of `resource` (a term's id with its `-`), with its references.
fn entry_references(resource: &FluentResource) -> Vec<(String, Vec<Located<'_>>)> {
    let text = resource.source();
    resource
        .entries()
        .filter_map(|entry| match entry {
            ast::Entry::Message(m) => {
                Some((m.id.name.to_string(), references(text, message_patterns(m))))
            }
            ast::Entry::Term(t) => Some((
                format!("-{}", t.id.name),
                references(text, term_patterns(t)),
            )),
            _ => None,
        })
        .collect()
}

/// The patterns of a term: its value and its attributes'.
fn term_patterns<'s>(t: &'s ast::Term<&'s str>) -> impl Iterator<Item = &'s ast::Pattern<&'s str>> {
    std::iter::once(&t.value).chain(t.attributes.iter().map(|a| &a.value))
}

/// The patterns of a message: its value and its attributes'.
fn message_patterns<'s>(
    m: &'s ast::Message<&'s str>,
) -> impl Iterator<Item = &'s ast::Pattern<&'s str>> {
    m.value.iter().chain(m.attributes.iter().map(|a| &a.value))
}

/// The functions a UI string may call: Fluent's one built-in function.
const FUNCTIONS: [&str; 1] = ["NUMBER"];

/// One error for each reference in a site's own `.ftl` file that cannot be resolved, so
/// a page would show it as `{…}` in place of text:
/// - a variable that the built-in message of the same id (in `reference`, the texts of
///   the built-in files of every locale) does not use: avisa passes a message the arguments its
///   built-in texts use (a site's own message, for its own templates, is not checked);
/// - a message or term that the locale's files (`sources`: the site's and the built-in
///   ones they leave in place; and of the built-in ones a site's replaced, `replaced`, the
///   ids it leaves undefined) do not define;
/// - a reference that leads back to the message or term it is in (a cycle, which Fluent
///   cannot format);
/// - a function other than `NUMBER`.
pub(crate) fn unresolved_references(
    sources: &[FtlSource],
    replaced: &[FtlSource],
    reference: &[&str],
) -> Vec<Problem> {
    let is_site = |s: &&FtlSource| !s.path.starts_with(BUILT_IN);
    if !sources.iter().any(|s| is_site(&s)) {
        return Vec::new();
    }
    let parse = |text: &str| match FluentResource::try_new(text.to_string()) {
        // (syntax errors are reported by `I18n::new`; the entries that parsed are checked)
        Ok(r) | Err((r, _)) => r,
    };
    // message id → the variables its built-in texts use
    let mut known: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for text in reference {
        let resource = parse(text);
        for entry in resource.entries() {
            if let ast::Entry::Message(m) = entry {
                let vars = references(resource.source(), message_patterns(m));
                known.entry(m.id.name.to_string()).or_default().extend(
                    vars.into_iter()
                        .filter(|(kind, ..)| *kind == Reference::Variable)
                        .map(|(_, v, _)| v.to_string()),
                );
            }
        }
    }
    let resources: Vec<(&FtlSource, FluentResource)> =
        sources.iter().map(|s| (s, parse(&s.text))).collect();
    let gaps: Vec<(&FtlSource, FluentResource)> =
        replaced.iter().map(|s| (s, parse(&s.text))).collect();
    // each locale's message and term ids (`-term`), each with the ids it refers to (the
    // first definition of an id is the one a locale's bundle keeps)
    let mut defined: BTreeMap<&Locale, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for (source, resource) in resources.iter().chain(&gaps) {
        let ids = defined.entry(&source.locale).or_default();
        for (id, refs) in entry_references(resource) {
            let to = refs.into_iter().filter_map(|(kind, name, _)| match kind {
                Reference::Message => Some(name.to_string()),
                Reference::Term => Some(format!("-{name}")),
                Reference::Variable | Reference::Function => None,
            });
            ids.entry(id).or_insert_with(|| to.collect());
        }
    }
    let mut problems = Vec::new();
    for (source, resource) in resources.iter().filter(|(s, _)| is_site(s)) {
        let text = resource.source();
        let ids = &defined[&source.locale];
        let locale = &source.locale;
        for entry in resource.entries() {
            let (id, refs, allowed) = match entry {
                ast::Entry::Message(m) => (
                    m.id.name.to_string(),
                    references(text, message_patterns(m)),
                    known.get(m.id.name),
                ),
                // (a term's variables are its own arguments)
                ast::Entry::Term(t) => (
                    format!("-{}", t.id.name),
                    references(text, term_patterns(t)),
                    None,
                ),
                _ => continue,
            };
            let subject = match id.starts_with('-') {
                true => format!("term `{id}`"),
                false => format!("UI string `{id}`"),
            };
            let mut reported = BTreeSet::new();
            for (kind, name, offset) in refs {
                if !reported.insert((kind, name)) {
                    continue;
                }
                let (message, help) = match kind {
                    Reference::Variable => {
                        let Some(allowed) = allowed.filter(|a| !a.contains(name)) else {
                            continue;
                        };
                        let help = if allowed.is_empty() {
                            format!(
                                "the built-in `{id}` uses no variable: write the text without `{{ ${name} }}`"
                            )
                        } else {
                            let names: Vec<String> =
                                allowed.iter().map(|v| format!("`{{ ${v} }}`")).collect();
                            format!(
                                "use the variables the built-in `{id}` uses: {}",
                                names.join(", ")
                            )
                        };
                        (
                            format!(
                                "{subject} uses `${name}`, which avisa does not give it: pages would show `{{${name}}}`"
                            ),
                            help,
                        )
                    }
                    Reference::Message | Reference::Term => {
                        let (what, shown) = match kind {
                            Reference::Term => ("term", format!("-{name}")),
                            _ => ("UI string", name.to_string()),
                        };
                        if !ids.contains_key(&shown) {
                            (
                                format!(
                                    "{subject} refers to the {what} `{shown}`, which `{locale}` does not define: pages would show `{{{shown}}}`"
                                ),
                                format!(
                                    "define `{shown} = …` in a `.ftl` file of `locales/{locale}/`, or write the text in its place"
                                ),
                            )
                        } else if leads_to(ids, &shown, &id) {
                            let how = match shown == id {
                                true => "itself".to_string(),
                                false => format!("the {what} `{shown}`, which leads back to it"),
                            };
                            (
                                format!(
                                    "{subject} refers to {how}: a cycle, which Fluent cannot format (the pages that use it would fail)"
                                ),
                                "write the text in place of one reference of the cycle".to_string(),
                            )
                        } else {
                            continue;
                        }
                    }
                    Reference::Function => {
                        if FUNCTIONS.contains(&name) {
                            continue;
                        }
                        (
                            format!(
                                "{subject} calls the function `{name}`, which Fluent has not: pages would show `{{{name}()}}`"
                            ),
                            format!(
                                "the one function is {}; write the text without `{name}(…)`",
                                crate::diag::code_list(FUNCTIONS)
                            ),
                        )
                    }
                };
                let (line, column) = line_column(text, offset);
                problems.push(
                    Problem::error(&source.path, message)
                        .at(line, column)
                        .help(help),
                );
            }
        }
    }
    problems
}

/// The folder a built-in `.ftl` file is shown in (`<built-in>/locales/en-US/main.ftl`).
pub(crate) const BUILT_IN: &str = "<built-in>";

/// How to fix a UI string defined twice: most often a copy of a built-in file saved under
/// another name (`mian.ftl`), which adds to the built-in file instead of replacing it.
fn duplicate_help(id: &str, first: &Path, name: &str) -> String {
    let first_name = first.file_name().map(|n| n.to_string_lossy());
    match first_name {
        Some(built_in) if first.starts_with(BUILT_IN) && built_in != name => format!(
            "a site's file replaces the built-in file of its exact name: to replace `{built_in}`, name this file `{built_in}`; otherwise delete `{id}` from it"
        ),
        _ => format!("keep one definition of `{id}` and delete the other"),
    }
}

/// The built-in text of the UI string `key` (one without arguments) in `locale`'s own
/// language: from avisa's file of the same locale, else of the same language (`pt-BR`'s
/// for `pt-PT`); `None` when avisa has none in that language. The importer reads the
/// words of a date line with it ("Atualizado em" is `meta-updated`).
pub(crate) fn built_in_text(locale: &Locale, key: &str) -> Option<String> {
    let files: Vec<(Locale, &str)> = crate::embedded::locale_files()
        .filter(|(_, file, _)| *file == "main.ftl")
        .map(|(l, _, text)| (l, text))
        .collect();
    let (own, text) = (files.iter().find(|(l, _)| l == locale)).or_else(|| {
        files
            .iter()
            .find(|(l, _)| l.language() == locale.language())
    })?;
    let resource = FluentResource::try_new(text.to_string()).ok()?;
    let mut bundle = new_bundle(own);
    bundle.add_resource(resource).ok()?;
    let pattern = bundle.get_message(key)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, None, &mut errors);
    errors.is_empty().then(|| text.into_owned())
}

/// An empty bundle whose plural rules are those of `locale` (or of its language
/// when the full tag is beyond unic-langid, e.g. with `-u-` extensions).
fn new_bundle(locale: &Locale) -> FluentBundle<FluentResource> {
    let langid = locale
        .as_str()
        .parse::<LanguageIdentifier>()
        .or_else(|_| locale.language().parse::<LanguageIdentifier>())
        .unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // `NUMBER`, the one built-in function Fluent defines; an empty bundle has none yet
    bundle
        .add_builtins()
        .expect("a new bundle has no functions");
    bundle
}

/// Every entry id of a resource: (`id` or `-term`, is a message, byte offset).
fn entry_ids(resource: &FluentResource) -> Vec<(String, bool, usize)> {
    let source = resource.source();
    resource
        .entries()
        .filter_map(|entry| match entry {
            ast::Entry::Message(m) => {
                Some((m.id.name.to_string(), true, offset_in(source, m.id.name)))
            }
            ast::Entry::Term(t) => Some((
                format!("-{}", t.id.name),
                false,
                offset_in(source, t.id.name),
            )),
            _ => None,
        })
        .collect()
}

/// The message ids of a resource's syntax errors: each entry the parser could not read
/// whose text starts as a message does (`id =`).
fn broken_ids(resource: &FluentResource) -> Vec<String> {
    resource
        .entries()
        .filter_map(|entry| match entry {
            ast::Entry::Junk { content } => {
                let (id, _) = content.split_once('=')?;
                let id = id.trim_end_matches([' ', '\t']);
                let mut chars = id.chars();
                let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                    && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                valid.then(|| id.to_string())
            }
            _ => None,
        })
        .collect()
}

/// Byte offset of `part` within `whole`, when `part` is a slice of it (the parser
/// hands out slices of the source); 0 otherwise.
fn offset_in(whole: &str, part: &str) -> usize {
    let start = whole.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    if at >= start && at <= start + whole.len() {
        at - start
    } else {
        0
    }
}

/// A Fluent syntax error as a problem at its line and column.
fn parse_problem(path: &Path, source: &str, error: &ParserError) -> Problem {
    // an error at the end of the input (a `{` never closed on the last line) is shown
    // after its last character, not on a line past the end of the file
    let at = error.pos.start.min(source.trim_end().len());
    let (line, column) = line_column(source, at);
    Problem::error(path, format!("invalid Fluent syntax: {}", lowercase_first(&error.kind.to_string())))
        .at(line, column)
        .help(
            "a message is `key = text` on one line, continued lines are indented, and `{ $var }` inserts an argument (https://projectfluent.org/fluent/guide/)",
        )
}

/// `text` with its first character lower-cased (Fluent's messages are capitalized).
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
