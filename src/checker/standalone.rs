//! A standalone rule file for `avisa check-log --rules FILE`: a YAML file with a
//! top-level `log_checks` list (like the spec's `rules-954474.yaml`), optionally with
//! `examples_of_locale_messages.<locale>.log_check_messages`; other top-level keys are
//! ignored. Parsing goes through the front-matter module; problems are located.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::rules::{Check, RawCheck, validate_checks};
use crate::diag::Problem;

#[derive(Deserialize)]
struct RawRulesFile {
    log_checks: Vec<RawCheck>,
    #[serde(default, deserialize_with = "crate::frontmatter::unique_map")]
    examples_of_locale_messages: BTreeMap<String, RawLocaleMessages>,
}

#[derive(Deserialize)]
struct RawLocaleMessages {
    #[serde(default, deserialize_with = "crate::frontmatter::unique_nested_map")]
    log_check_messages: BTreeMap<String, BTreeMap<String, String>>,
}

/// Checks from a rule file, with the message texts it carries.
#[derive(Debug, Clone)]
pub struct RulesFile {
    pub checks: Vec<Check>,
    /// Locale (as written) → check id → message key → text.
    pub messages: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
}

impl RulesFile {
    /// The text of `key` for check `id`: in `locale` (compared ASCII
    /// case-insensitively), else in `en-US`, else in the first locale that has it.
    pub fn message(&self, locale: Option<&str>, id: &str, key: &str) -> Option<&str> {
        let in_locale = |want: &str| {
            self.messages
                .iter()
                .filter(|(l, _)| l.eq_ignore_ascii_case(want))
                .find_map(|(_, m)| m.get(id)?.get(key))
        };
        locale
            .and_then(in_locale)
            .or_else(|| in_locale("en-US"))
            .or_else(|| self.messages.values().find_map(|m| m.get(id)?.get(key)))
            .map(String::as_str)
    }
}

/// Reads and validates a rule file; every problem is located at `file:line:column`.
pub fn load_rules_file(path: &Path) -> Result<RulesFile, Vec<Problem>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        vec![Problem::error(
            path,
            format!("cannot read the rule file: {e}"),
        )]
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let raw: RawRulesFile = crate::frontmatter::parse_yaml_all(text, path, 1, &["log_checks"])?;
    let (checks, problems) = validate_checks(raw.log_checks);
    if !problems.is_empty() {
        return Err(problems
            .into_iter()
            .map(|p| {
                let needles: Vec<&str> = p.needles.iter().map(String::as_str).collect();
                let mut out = Problem::error(path, p.message)
                    .at_opt(crate::frontmatter::locate(text, &needles, 1));
                out.help = p.help;
                out
            })
            .collect());
    }
    let messages = raw
        .examples_of_locale_messages
        .into_iter()
        .map(|(locale, m)| (locale, m.log_check_messages))
        .collect();
    Ok(RulesFile { checks, messages })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_rule_file_loads_with_its_messages() {
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/logs/rules-954474.yaml"
        ));
        let f = load_rules_file(path).expect("the shared rule file is valid");
        assert_eq!(f.checks.len(), 1);
        let id = "msa954474-wsyncmgr-legacy-sync";
        assert!(
            f.message(Some("es-ES"), id, "affected")
                .is_some_and(|m| m.starts_with("Afectado"))
        );
        assert!(
            f.message(Some("fr-FR"), id, "affected")
                .is_some_and(|m| m.starts_with("Affected"))
        );
        assert!(f.message(None, id, "nope").is_none());
    }

    #[test]
    fn rule_problems_point_at_the_yaml_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("r.yaml");
        let yaml = "log_checks:\n  - id: c\n    schema: 1\n    log_name: X\n    signals:\n      s:\n        regex: '\\d+'\n    verdicts:\n      - { verdict: affected, when: { present: s }, message: m }\n    otherwise: { verdict: inconclusive, message: n }\n";
        std::fs::write(&path, yaml).expect("write");
        let problems = load_rules_file(&path).expect_err("\\d is rejected");
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].column), (Some(7), Some(9)));
        assert_eq!(
            problems[0].help.as_deref(),
            Some("write `[0-9]` instead of `\\d`")
        );
    }
}
