//! Tests of Fluent loading, look-up along fallback chains, plurals, missing-key
//! warnings, and the shipped `locales/*/main.ftl` files.

use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::diag::Severity;

fn loc(tag: &str) -> Locale {
    tag.parse().unwrap()
}

fn source(locale: &str, name: &str, text: &str) -> FtlSource {
    FtlSource {
        locale: loc(locale),
        name: name.to_string(),
        path: PathBuf::from(format!("locales/{locale}/{name}")),
        text: text.to_string(),
    }
}

fn chains(pairs: &[(&str, &[&str])]) -> BTreeMap<Locale, Vec<Locale>> {
    pairs
        .iter()
        .map(|(l, chain)| (loc(l), chain.iter().map(|c| loc(c)).collect()))
        .collect()
}

/// The text with Fluent's bidi isolation marks removed.
fn plain(text: Option<String>) -> Option<String> {
    text.map(|t| t.replace(['\u{2068}', '\u{2069}'], ""))
}

const SHIPPED: [(&str, &str); 3] = [
    ("en-US", include_str!("../../locales/en-US/main.ftl")),
    ("pt-BR", include_str!("../../locales/pt-BR/main.ftl")),
    ("es-ES", include_str!("../../locales/es-ES/main.ftl")),
];

/// Every key `main.ftl` must define (the render module's contract).
const MAIN_KEYS: [&str; 51] = [
    "language-name",
    "site-choose-language",
    "nav-skip",
    "nav-index",
    "nav-language",
    "index-title",
    "index-intro",
    "index-empty",
    "index-available-in",
    "index-not-translated",
    "pager-label",
    "pager-page",
    "pager-previous",
    "pager-next",
    "kind-security",
    "kind-non-security",
    "kind-informational",
    "meta-heading",
    "meta-id",
    "meta-kind",
    "meta-published",
    "meta-updated",
    "meta-kb",
    "meta-cves",
    "meta-none",
    "meta-affected",
    "meta-revisions",
    "meta-revision-count",
    "meta-revision-number",
    "meta-references",
    "meta-legacy-url",
    "ref-type-kb",
    "ref-type-advisory",
    "ref-type-bulletin",
    "ref-type-blog",
    "ref-type-cve",
    "ref-type-vendor",
    "ref-type-other",
    "stale-notice",
    "stale-notice-unknown",
    "toc-title",
    "footnote-back",
    "alert-note",
    "alert-tip",
    "alert-important",
    "alert-warning",
    "alert-caution",
    "footer-generated",
    "feed-title",
    "redirect-moved",
    "redirect-link",
];

fn shipped() -> I18n {
    let sources = SHIPPED
        .iter()
        .map(|(l, text)| source(l, "main.ftl", text))
        .collect();
    let (i18n, problems) = I18n::new(
        sources,
        chains(&[
            ("en-US", &[]),
            ("pt-BR", &["pt", "en-US"]),
            ("es-ES", &["es", "en-US"]),
        ]),
    );
    assert!(problems.is_empty(), "{problems:?}");
    i18n
}

#[test]
fn i18n_can_be_shared_between_render_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<I18n>();
}

#[test]
fn plural_categories_follow_cldr_rules_per_locale() {
    let ftl = "n = { $count ->\n    [one] { $count } one\n   *[other] { $count } other\n}\n";
    let sources = ["en-US", "pt-BR", "es-ES"]
        .iter()
        .map(|l| source(l, "t.ftl", ftl))
        .collect();
    let (i18n, problems) = I18n::new(sources, BTreeMap::new());
    assert!(problems.is_empty(), "{problems:?}");
    let cases = [
        ("en-US", 0, "0 other"),
        ("en-US", 1, "1 one"),
        ("en-US", 2, "2 other"),
        // CLDR: in Portuguese (Brazil) `one` is i = 0..1.
        ("pt-BR", 0, "0 one"),
        ("pt-BR", 1, "1 one"),
        ("pt-BR", 2, "2 other"),
        ("es-ES", 0, "0 other"),
        ("es-ES", 1, "1 one"),
        ("es-ES", 2, "2 other"),
    ];
    for (l, count, expected) in cases {
        let text = plain(i18n.text(&loc(l), "n", &[("count", Arg::Num(count))]));
        assert_eq!(text.as_deref(), Some(expected), "{l} {count}");
    }
}

#[test]
fn shipped_revision_counts_are_pluralized_per_locale() {
    let i18n = shipped();
    let cases = [
        ("en-US", 1, "1 revision"),
        ("en-US", 2, "2 revisions"),
        ("pt-BR", 0, "0 revisão"),
        ("pt-BR", 1, "1 revisão"),
        ("pt-BR", 2, "2 revisões"),
        ("es-ES", 1, "1 revisión"),
        ("es-ES", 2, "2 revisiones"),
    ];
    for (l, count, expected) in cases {
        let text = plain(i18n.text(
            &loc(l),
            "meta-revision-count",
            &[("count", Arg::Num(count))],
        ));
        assert_eq!(text.as_deref(), Some(expected), "{l} {count}");
    }
}

#[test]
fn interpolated_values_keep_bidi_isolation_marks() {
    let i18n = shipped();
    let text = i18n.text(
        &loc("en-US"),
        "meta-revision-number",
        &[("number", Arg::Str("1.1".into()))],
    );
    assert_eq!(text.as_deref(), Some("Revision \u{2068}1.1\u{2069}"));
}

#[test]
fn a_key_missing_in_a_locale_is_found_along_its_chain() {
    let sources = vec![
        source("en-US", "main.ftl", "only-en = English\nshared = en\n"),
        source("pt", "main.ftl", "only-pt = Português\nshared = pt\n"),
        source("pt-BR", "main.ftl", "shared = pt-BR\n"),
    ];
    let (i18n, problems) = I18n::new(sources, chains(&[("pt-BR", &["pt", "en-US"])]));
    assert!(problems.is_empty(), "{problems:?}");
    let pt_br = loc("pt-BR");
    let cases = [
        ("shared", Some("pt-BR")),
        ("only-pt", Some("Português")),
        ("only-en", Some("English")),
        ("nowhere", None),
    ];
    for (key, expected) in cases {
        assert_eq!(i18n.text(&pt_br, key, &[]).as_deref(), expected, "{key}");
    }
    // A locale with no chain and no bundle finds nothing.
    assert_eq!(i18n.text(&loc("de"), "only-en", &[]), None);
}

#[test]
fn plain_texts_hold_every_string_without_arguments_along_the_chain() {
    let sources = vec![
        source(
            "en-US",
            "main.ftl",
            "only-en = English\nshared = en\ncount = { $n } items\n-brand = avisa\nmade = Made by { -brand }\n",
        ),
        source(
            "pt-BR",
            "main.ftl",
            "shared = pt-BR\ngreet = Olá, { $name }\n",
        ),
    ];
    let (i18n, problems) = I18n::new(sources, chains(&[("pt-BR", &["en-US"])]));
    assert!(problems.is_empty(), "{problems:?}");
    let texts = i18n.plain_texts(&loc("pt-BR"));
    let expected: BTreeMap<String, String> = [
        ("made", "Made by avisa"),
        ("only-en", "English"),
        ("shared", "pt-BR"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    // `count` and `greet` need an argument, so `t(…)` formats them; terms are not messages
    assert_eq!(texts, expected);
    // the shipped strings a page prints as they are, with the locale's own text
    let shipped = shipped();
    let pt = shipped.plain_texts(&loc("pt-BR"));
    assert_eq!(
        pt.get("meta-kb").cloned(),
        shipped.text(&loc("pt-BR"), "meta-kb", &[])
    );
    assert!(pt.contains_key("nav-skip") && !pt.contains_key("meta-revision-count"));
}

#[test]
fn all_files_of_a_locale_share_one_bundle() {
    let sources = vec![
        source("en-US", "main.ftl", "nav-index = All advisories\n"),
        source(
            "en-US",
            "checker.ftl",
            "checker-title = Log checker\nchecker-run = Check\n",
        ),
        source("pt-BR", "checker.ftl", "checker-title = Verificador\n"),
    ];
    let (i18n, problems) = I18n::new(sources, chains(&[("pt-BR", &["en-US"])]));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(
        i18n.text(&loc("en-US"), "checker-run", &[]).as_deref(),
        Some("Check")
    );
    assert_eq!(
        i18n.keys_with_prefix(&loc("pt-BR"), "checker-"),
        ["checker-run", "checker-title"]
    );
    assert_eq!(i18n.keys_with_prefix(&loc("en-US"), "nav-"), ["nav-index"]);
    assert!(i18n.keys_with_prefix(&loc("en-US"), "zzz").is_empty());
}

#[test]
fn a_message_defined_in_two_files_is_an_error_naming_both() {
    let sources = vec![
        source("en-US", "main.ftl", "# c\na = first\n"),
        source("en-US", "extra.ftl", "b = b\na = second\n"),
    ];
    let (i18n, problems) = I18n::new(sources, BTreeMap::new());
    assert_eq!(problems.len(), 1, "{problems:?}");
    let p = &problems[0];
    assert!(p.is_error());
    assert_eq!(p.location(), "locales/en-US/extra.ftl:2:1");
    // and the first definition's line
    assert_eq!(
        p.message,
        "duplicate UI string `a` in `en-US`: already defined in `locales/en-US/main.ftl` (line 2)"
    );
    // The first definition wins.
    assert_eq!(i18n.text(&loc("en-US"), "a", &[]).as_deref(), Some("first"));
}

#[test]
fn syntax_errors_are_problems_at_their_line_and_column() {
    let cases = [
        ("ok = fine\nbroken key = x\n", 2, 8),
        ("ok = fine\n\nno-equals\n", 3, 10),
        ("ok = fine\na = { $x ]\n", 2, 10),
        // at the end of the input: after the last character, not on a line past the end
        ("ok = fine\na = All { nope\n", 2, 15),
        ("ok = fine\na = All { nope\n\n\n", 2, 15),
    ];
    for (text, line, column) in cases {
        let (i18n, problems) = I18n::new(vec![source("en-US", "main.ftl", text)], BTreeMap::new());
        assert_eq!(problems.len(), 1, "{text:?}: {problems:?}");
        let p = &problems[0];
        assert!(p.is_error() && p.help.is_some(), "{p}");
        assert!(
            p.message.starts_with("invalid Fluent syntax"),
            "{}",
            p.message
        );
        assert_eq!(
            (p.line, p.column),
            (Some(line), Some(column)),
            "{text:?}: {p}"
        );
        assert_eq!(p.file, PathBuf::from("locales/en-US/main.ftl"));
        // The valid messages around the error still load.
        if text.starts_with("ok") {
            assert_eq!(i18n.text(&loc("en-US"), "ok", &[]).as_deref(), Some("fine"));
        }
    }
}

#[test]
fn missing_keys_warn_per_locale_with_the_fallback_that_supplies_them() {
    let sources = vec![
        source("en-US", "main.ftl", "a = A\nb = B\n"),
        source("en-US", "checker.ftl", "checker-x = X\n"),
        source("pt-BR", "main.ftl", "a = A\nonly-pt = P\n"),
        source("es-ES", "main.ftl", "a = A\nb = B\nonly-pt = P\n"),
        source("es-ES", "checker.ftl", "checker-x = X\n"),
    ];
    let (i18n, _) = I18n::new(
        sources,
        chains(&[
            ("en-US", &[]),
            ("pt-BR", &["pt", "en-US"]),
            ("es-ES", &["en-US"]),
        ]),
    );
    let problems = i18n.missing_keys(&[loc("en-US"), loc("pt-BR"), loc("es-ES")]);
    let expected = [
        (
            "locales/en-US/main.ftl",
            "missing UI string `only-pt` in `en-US` and no fallback has it",
            "add `only-pt = …` to `locales/en-US/main.ftl`",
        ),
        (
            "locales/pt-BR/checker.ftl",
            "missing UI string `checker-x` in `pt-BR` (falls back to `en-US`)",
            "add `checker-x = …` to `locales/pt-BR/checker.ftl`",
        ),
        (
            "locales/pt-BR/main.ftl",
            "missing UI string `b` in `pt-BR` (falls back to `en-US`)",
            "add `b = …` to `locales/pt-BR/main.ftl`",
        ),
    ];
    assert_warnings(&problems, &expected);
}

/// `problems` are warnings with these (location, message, help), in order.
fn assert_warnings(problems: &[Problem], expected: &[(&str, &str, &str)]) {
    let got: Vec<(String, &str, &str)> = problems
        .iter()
        .map(|p| {
            assert_eq!(p.severity, Severity::Warning);
            (
                p.location(),
                p.message.as_str(),
                p.help.as_deref().unwrap_or_default(),
            )
        })
        .collect();
    let expected: Vec<(String, &str, &str)> = expected
        .iter()
        .map(|&(a, b, c)| (a.to_string(), b, c))
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn a_key_whose_definition_is_a_syntax_error_is_not_also_missing() {
    let sources = vec![
        source("en-US", "main.ftl", "a = A\nb = B\nc = C\n"),
        // `a` is broken (an error of its own); `b c` is not a message id, so `b` and `c`
        // are missing
        source("pt-BR", "main.ftl", "a = { $x\nb c = B\n"),
    ];
    let (i18n, problems) = I18n::new(sources, chains(&[("pt-BR", &["en-US"])]));
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems.iter().all(|p| p.is_error()), "{problems:?}");
    let missing: Vec<String> = i18n
        .missing_keys(&[loc("en-US"), loc("pt-BR")])
        .iter()
        .map(|p| p.message.clone())
        .collect();
    assert_eq!(
        missing,
        [
            "missing UI string `b` in `pt-BR` (falls back to `en-US`)",
            "missing UI string `c` in `pt-BR` (falls back to `en-US`)",
        ]
    );
}

/// A locale that lacks every string of a file gets one warning for the file, not one per
/// key (a site that adds `de-DE` would get 76); one that lacks some keys of a file it has
/// gets one per key, which says what to add. The help of the first names `new-locale`.
#[test]
fn a_locale_without_a_file_gets_one_warning_for_it_and_a_partial_file_one_per_key() {
    let (i18n, _) = I18n::new(
        vec![
            source("en-US", "main.ftl", "a = A\nb = B\n"),
            source("en-US", "site-extra.ftl", "x = X\ny = Y\n"),
            source("fr", "site-extra.ftl", "x = X\n"),
            source("pt-BR", "only-pt.ftl", "p = P\nq = Q\n"),
        ],
        chains(&[("fr", &["en-US"]), ("pt-BR", &["en-US"])]),
    );
    let problems = i18n.missing_keys(&[loc("en-US"), loc("fr"), loc("pt-BR")]);
    let expected = [
        (
            "locales/en-US/only-pt.ftl",
            "`en-US` has none of the 2 UI strings of `only-pt.ftl` and no fallback has them",
            "run `avisa new-locale en-US` to copy the strings into `locales/en-US/only-pt.ftl`, ready to translate",
        ),
        (
            "locales/fr/main.ftl",
            "`fr` has none of the 2 UI strings of `main.ftl` (they fall back to `en-US`)",
            "run `avisa new-locale fr` to copy the strings into `locales/fr/main.ftl`, ready to translate",
        ),
        (
            "locales/fr/only-pt.ftl",
            "`fr` has none of the 2 UI strings of `only-pt.ftl` and no fallback has them",
            "run `avisa new-locale fr` to copy the strings into `locales/fr/only-pt.ftl`, ready to translate",
        ),
        (
            "locales/fr/site-extra.ftl",
            "missing UI string `y` in `fr` (falls back to `en-US`)",
            "add `y = …` to `locales/fr/site-extra.ftl`",
        ),
        (
            "locales/pt-BR/main.ftl",
            "`pt-BR` has none of the 2 UI strings of `main.ftl` (they fall back to `en-US`)",
            "run `avisa new-locale pt-BR` to copy the strings into `locales/pt-BR/main.ftl`, ready to translate",
        ),
        (
            "locales/pt-BR/site-extra.ftl",
            "`pt-BR` has none of the 2 UI strings of `site-extra.ftl` (they fall back to `en-US`)",
            "run `avisa new-locale pt-BR` to copy the strings into `locales/pt-BR/site-extra.ftl`, ready to translate",
        ),
    ];
    assert_warnings(&problems, &expected);
}

#[test]
fn shipped_main_files_parse_and_define_the_same_keys() {
    let i18n = shipped();
    let key_sets: Vec<BTreeSet<&String>> = SHIPPED
        .iter()
        .map(|(l, _)| i18n.locales[&loc(l)].keys.keys().collect())
        .collect();
    let expected: BTreeSet<String> = MAIN_KEYS.iter().map(|k| k.to_string()).collect();
    assert_eq!(
        key_sets[0],
        expected.iter().collect(),
        "en-US vs the key list"
    );
    assert_eq!(key_sets[0], key_sets[1], "en-US vs pt-BR");
    assert_eq!(key_sets[0], key_sets[2], "en-US vs es-ES");
    let site = [loc("en-US"), loc("pt-BR"), loc("es-ES")];
    assert!(i18n.missing_keys(&site).is_empty());
}

#[test]
fn shipped_strings_are_localized() {
    let i18n = shipped();
    let cases = [
        ("pt-BR", "language-name", "Português (Brasil)"),
        ("es-ES", "language-name", "Español (España)"),
        ("pt-BR", "meta-kb", "Artigos da Base de Conhecimento"),
        ("es-ES", "nav-index", "Todos los avisos"),
        (
            "en-US",
            "index-not-translated",
            "Not yet translated into English.",
        ),
    ];
    for (l, key, expected) in cases {
        assert_eq!(
            i18n.text(&loc(l), key, &[]).as_deref(),
            Some(expected),
            "{l} {key}"
        );
    }
    let args = [
        ("from", Arg::Str("1.0".into())),
        ("current", Arg::Str("1.1".into())),
    ];
    assert_eq!(
        plain(i18n.text(&loc("pt-BR"), "stale-notice", &args)).as_deref(),
        Some(
            "Esta tradução pode estar desatualizada: ela foi feita a partir da revisão 1.0, e o comunicado agora está na revisão 1.1."
        )
    );
}

/// A site's message that uses a variable its built-in counterpart does not (in a
/// placeable, a selector or a function's argument) is an error at the `$`: the page
/// showed `{$de}` where a value belonged. The built-in texts of every locale are the
/// reference; a site's own message (no built-in one) and built-in files are not checked.
#[test]
fn a_site_message_using_a_variable_avisa_does_not_give_it_is_an_error() {
    let built_in = |locale: &str, text: &str| FtlSource {
        path: PathBuf::from(format!("{BUILT_IN}/locales/{locale}/main.ftl")),
        ..source(locale, "main.ftl", text)
    };
    let reference = [
        built_in(
            "en-US",
            "stale = From { $from } to { $current }.\nplain = Text\n",
        ),
        built_in("pt-BR", "count = { $n ->\n [one] um\n *[other] { $n }\n}\n"),
    ];
    let site = source(
        "pt-BR",
        "main.ftl",
        "stale = De { $from } para { $de }, { $de }.\nplain = { NUMBER($x) }\ncount = { $n ->\n [one] um\n *[other] { $m }\n}\nmine = { $anything }\n",
    );
    let texts = reference.each_ref().map(|r| r.text.as_str());
    let problems = unresolved_references(&[site, reference[0].clone()], &[], &texts);
    let got: Vec<String> = problems
        .iter()
        .map(|p| {
            let (line, column) = (p.line.unwrap(), p.column.unwrap());
            format!(
                "{line}:{column} {} | {}",
                p.message,
                p.help.as_deref().unwrap()
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "1:29 UI string `stale` uses `$de`, which avisa does not give it: pages would show `{$de}` | use the variables the built-in `stale` uses: `{ $current }`, `{ $from }`",
            "2:18 UI string `plain` uses `$x`, which avisa does not give it: pages would show `{$x}` | the built-in `plain` uses no variable: write the text without `{ $x }`",
            "5:13 UI string `count` uses `$m`, which avisa does not give it: pages would show `{$m}` | use the variables the built-in `count` uses: `{ $n }`",
        ]
    );
    assert!(problems.iter().all(|p| p.is_error()));
    assert_eq!(problems[0].file, PathBuf::from("locales/pt-BR/main.ftl"));
}

/// Every shipped locale's messages use only variables the `en-US` texts use (so the
/// reference, all built-in files, is what `en-US` is given).
#[test]
fn shipped_locale_files_use_only_the_variables_of_en_us() {
    let checker = [
        ("en-US", include_str!("../../locales/en-US/checker.ftl")),
        ("pt-BR", include_str!("../../locales/pt-BR/checker.ftl")),
        ("es-ES", include_str!("../../locales/es-ES/checker.ftl")),
    ];
    let all: Vec<FtlSource> = (SHIPPED.iter().map(|(l, t)| source(l, "main.ftl", t)))
        .chain(checker.iter().map(|(l, t)| source(l, "checker.ftl", t)))
        .collect();
    let en_us = [all[0].clone(), all[3].clone()];
    assert_eq!(en_us[1].name, "checker.ftl");
    let en_us = en_us.each_ref().map(|s| s.text.as_str());
    assert_eq!(unresolved_references(&all, &[], &en_us), []);
    // (and the check sees a variable in them)
    let mut wrong = all[4].clone();
    wrong.text.push_str("checker-drop = { $log }\n");
    assert_eq!(unresolved_references(&[wrong], &[], &en_us).len(), 1);
}

/// A site's string referring to a message or term its locale does not define, or calling
/// a function other than `NUMBER`, is an error at the reference: pages showed
/// `{-brand}`, `{other}` or `{UPPER()}`. What the locale's other files define resolves,
/// built-in or not, and `NUMBER` formats.
#[test]
fn a_site_string_referring_to_what_its_locale_lacks_is_an_error() {
    let built_in = FtlSource {
        path: PathBuf::from(format!("{BUILT_IN}/locales/pt-BR/checker.ftl")),
        ..source("pt-BR", "checker.ftl", "checker-x = X\n")
    };
    let site = source(
        "pt-BR",
        "main.ftl",
        "a = { -brand } { other } { UPPER(\"x\") }\n-own = { checker-x } { -own2 }\nb = { -own } { a } { NUMBER(2) }\n",
    );
    let problems = unresolved_references(&[built_in.clone(), site], &[], &[built_in.text.as_str()]);
    let got: Vec<String> = problems
        .iter()
        .map(|p| format!("{}:{} {}", p.line.unwrap(), p.column.unwrap(), p.message))
        .collect();
    assert_eq!(
        got,
        [
            "1:7 UI string `a` refers to the term `-brand`, which `pt-BR` does not define: pages would show `{-brand}`",
            "1:18 UI string `a` refers to the UI string `other`, which `pt-BR` does not define: pages would show `{other}`",
            "1:28 UI string `a` calls the function `UPPER`, which Fluent has not: pages would show `{UPPER()}`",
            "2:24 term `-own` refers to the term `-own2`, which `pt-BR` does not define: pages would show `{-own2}`",
        ]
    );
    assert_eq!(
        problems[0].help.as_deref(),
        Some(
            "define `-brand = …` in a `.ftl` file of `locales/pt-BR/`, or write the text in its place"
        )
    );
    // NUMBER formats a number with its options
    let (i18n, _) = I18n::new(
        vec![source(
            "en-US",
            "main.ftl",
            "n = { NUMBER($n, minimumFractionDigits: 2) }\n",
        )],
        BTreeMap::new(),
    );
    let text = i18n.text(&loc("en-US"), "n", &[("n", Arg::Num(3))]);
    assert_eq!(plain(text).as_deref(), Some("3.00"));
}
