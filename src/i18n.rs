//! UI strings (Fluent) per locale with fallback chains, and CLDR-backed locale data
//! (long dates, text direction). PLACEHOLDER: replaced by the i18n implementation.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diag::Problem;
use crate::model::{Date, Locale};

/// One `.ftl` file: built-in or the site's override.
#[derive(Debug, Clone)]
pub(crate) struct FtlSource {
    pub(crate) locale: Locale,
    /// File name within the locale folder, e.g. `main.ftl`; a site file replaces the built-in one of the same name.
    pub(crate) name: String,
    /// Path shown in problems.
    pub(crate) path: PathBuf,
    pub(crate) text: String,
}

/// A message argument.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Str(String),
    Num(i64),
}

/// Fluent bundles for every locale of the site.
pub(crate) struct I18n {
    _chains: BTreeMap<Locale, Vec<Locale>>,
}

impl I18n {
    /// Parses the sources; parse errors are problems with file:line:column.
    pub(crate) fn new(
        _sources: Vec<FtlSource>,
        _chains: BTreeMap<Locale, Vec<Locale>>,
    ) -> (I18n, Vec<Problem>) {
        (I18n { _chains }, Vec::new())
    }

    /// Formats `key` for `locale`, walking its fallback chain; `None` when no locale has it.
    pub(crate) fn text(&self, _locale: &Locale, key: &str, _args: &[(&str, Arg)]) -> Option<String> {
        Some(key.to_string())
    }

    /// One warning per (site locale, key) that a locale lacks but its chain supplies or nobody has.
    pub(crate) fn missing_keys(&self, _site_locales: &[Locale]) -> Vec<Problem> {
        Vec::new()
    }
}

/// The long CLDR date with weekday in `locale`: "sexta-feira, 13 de junho de 2008".
pub(crate) fn format_date_long(_locale: &Locale, date: Date) -> String {
    date.to_string()
}

/// True for right-to-left scripts (ar, he, fa, …), from CLDR likely subtags.
pub(crate) fn is_rtl(_locale: &Locale) -> bool {
    false
}

/// Every spelling CLDR has for each month in `locale` (wide and abbreviated, format and
/// stand-alone), lower-cased, index 0 = January. Used by the importer to read dates.
pub(crate) fn month_names(_locale: &Locale) -> [Vec<String>; 12] {
    Default::default()
}

/// Every spelling CLDR has for each weekday in `locale`, lower-cased, index 0 = Monday.
pub(crate) fn weekday_names(_locale: &Locale) -> [Vec<String>; 7] {
    Default::default()
}
