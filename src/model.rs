//! Plain data of a site after validation: the newtypes parsed once at the boundary
//! (`AdvisoryId`, `Locale`, `Date`) and the advisory model. No I/O, no YAML, no HTML.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use crate::checker::Check;

/// An advisory id that is safe as one path segment: 1–64 ASCII letters, digits,
/// `-`, `_` or `.`, starting with a letter or digit (so never `.` or `..`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AdvisoryId(String);

impl AdvisoryId {
    /// The id as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for AdvisoryId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.is_empty() || s.len() > 64 {
            return Err(format!("advisory id `{s}` must be 1 to 64 characters long"));
        }
        let first_ok = s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
        let all_ok = s
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !first_ok || !all_ok {
            return Err(format!(
                "advisory id `{s}` is not a safe path segment: use ASCII letters, digits, `-`, `_` and `.`, starting with a letter or digit"
            ));
        }
        // an advisory's pages are `<locale>/<id>/index.html`, beside each locale's index
        // page and feed (in any case: some file systems ignore it)
        if let Some(file) = [crate::urls::INDEX_FILE, crate::urls::FEED_FILE]
            .into_iter()
            .find(|f| s.eq_ignore_ascii_case(f))
        {
            return Err(format!(
                "advisory id `{s}` is the name of a file the site writes in each locale's folder (`<locale>/{file}`): choose another id"
            ));
        }
        // names Windows keeps for devices (`CON`, `aux.txt`) or reads without their last
        // dot (`x.` is `x`): a folder of the content or the output could not be checked
        // out or copied there
        let stem = s.split('.').next().unwrap_or(s).to_ascii_uppercase();
        let device = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
            || (stem.len() == 4
                && (stem.starts_with("COM") || stem.starts_with("LPT"))
                && stem.as_bytes()[3].is_ascii_digit());
        if device || s.ends_with('.') {
            return Err(format!(
                "advisory id `{s}` is a name Windows does not allow for a folder (a device name such as `CON` or `COM1`, or a name ending with `.`): choose another id"
            ));
        }
        Ok(AdvisoryId(s.to_string()))
    }
}

impl fmt::Display for AdvisoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A valid BCP 47 language tag in canonical case (`pt-BR`, `zh-Hant-TW`, `ar`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Locale(String);

impl Locale {
    /// The canonical tag, e.g. `pt-BR`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The ICU locale for CLDR look-ups.
    pub(crate) fn icu(&self) -> icu_locale_core::Locale {
        // The tag was produced by ICU's own parser, so it parses again.
        icu_locale_core::Locale::try_from_str(&self.0).unwrap_or(icu_locale_core::Locale::UNKNOWN)
    }

    /// The bare language subtag, e.g. `pt` for `pt-BR`.
    pub fn language(&self) -> &str {
        self.0.split('-').next().unwrap_or(&self.0)
    }

    /// Less specific tags to fall back to, most specific first, excluding `self`:
    /// `zh-Hant-TW` → [`zh-Hant`, `zh`]; `pt-BR` → [`pt`]; `pt` → [].
    pub(crate) fn parents(&self) -> Vec<Locale> {
        let icu = self.icu();
        let mut out = Vec::new();
        let lang = icu.id.language.to_string();
        if let (Some(script), true) = (icu.id.script, icu.id.region.is_some()) {
            out.push(Locale(format!("{lang}-{script}")));
        }
        if lang != self.0 {
            out.push(Locale(lang));
        }
        out.dedup();
        out
    }
}

impl FromStr for Locale {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let parse = |t: &str| {
            icu_locale_core::Locale::try_from_str(t)
                .ok()
                .filter(|l| !l.id.language.is_unknown())
        };
        match parse(s) {
            Some(parsed) => Ok(Locale(parsed.to_string())),
            // `en_US` (POSIX style) is the most common slip
            None => match parse(&s.replace('_', "-")).filter(|_| s.contains('_')) {
                Some(fixed) => Err(format!(
                    "`{s}` is not a valid BCP 47 language tag: write `{fixed}` (with `-`, not `_`)"
                )),
                None => Err(format!(
                    "`{s}` is not a valid BCP 47 language tag such as `pt-BR` or `es-ES` (language, then region)"
                )),
            },
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A calendar date (proleptic Gregorian), written ISO 8601 `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A checked date; `None` when the day does not exist.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (day <= days).then_some(Date { year, month, day })
    }

    /// The date `days` days after 1970-01-01 (civil-from-days, proleptic Gregorian).
    pub fn from_unix_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Today's date in UTC, from the system clock.
    pub fn today_utc() -> Date {
        Date::from_unix_days(unix_seconds().div_euclid(86_400))
    }

    /// The latest date any time zone has reached now: today's at UTC+14, the
    /// easternmost. A date after it is in the future wherever the reader is.
    pub fn latest_today() -> Date {
        Date::from_unix_days((unix_seconds() + 14 * 3600).div_euclid(86_400))
    }
}

/// Seconds since 1970-01-01 UTC by the system clock (negative before it).
fn unix_seconds() -> i64 {
    let now = std::time::SystemTime::now();
    match now.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(e) => -(e.duration().as_secs() as i64),
    }
}

impl FromStr for Date {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not an ISO 8601 date (YYYY-MM-DD)");
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, String> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().map_err(|_| bad())
            } else {
                Err(bad())
            }
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Date::new(y as i32, m as u8, d as u8).ok_or_else(|| format!("`{s}` is not a real date"))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `YYYY-MM-DD` digit by digit: a build prints thousands of dates, and through the
        // formatting machinery (padding, integer formatting) each cost four times as much
        if let (Ok(year @ 0..=9999), 0..=99, 0..=99) =
            (u16::try_from(self.year), self.month, self.day)
        {
            let digit = |n: u16| b'0' + (n % 10) as u8;
            let (m, d) = (u16::from(self.month), u16::from(self.day));
            let iso = [
                digit(year / 1000),
                digit(year / 100),
                digit(year / 10),
                digit(year),
                b'-',
                digit(m / 10),
                digit(m),
                b'-',
                digit(d / 10),
                digit(d),
            ];
            return f.write_str(std::str::from_utf8(&iso).map_err(|_| fmt::Error)?);
        }
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// What an advisory is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Security,
    NonSecurity,
    Informational,
}

impl Kind {
    /// Every kind, in the order the README lists them.
    pub const ALL: [Kind; 3] = [Kind::Security, Kind::NonSecurity, Kind::Informational];

    /// The YAML spelling, also used in Fluent keys (`kind-non-security`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Security => "security",
            Kind::NonSecurity => "non-security",
            Kind::Informational => "informational",
        }
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "security" => Ok(Kind::Security),
            "non-security" => Ok(Kind::NonSecurity),
            "informational" => Ok(Kind::Informational),
            _ => Err(format!(
                "unknown kind `{s}`: expected `security`, `non-security` or `informational`"
            )),
        }
    }
}

/// One affected product and its affected versions (empty: all versions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Affected {
    pub product: String,
    pub versions: Vec<String>,
}

/// An affected product's name in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductName {
    /// As `affected` in `advisory.yaml` names it.
    pub product: String,
    pub name: String,
}

/// One entry of the revision history; the last one is the current revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// As written, e.g. `1.1`; unique within an advisory.
    pub number: String,
    pub date: Date,
}

/// A link to more information, with its type (`kb`, `advisory`, `blog`, `cve`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub url: String,
    pub kind: String,
}

/// A fact on which the translations' sources disagreed when they were imported:
/// the value kept is in `Meta`; this records another one and who said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The `advisory.yaml` key, e.g. `published`.
    pub field: String,
    /// The locale whose source said `value`.
    pub locale: Locale,
    pub value: String,
}

/// The language-neutral facts of an advisory (`advisory.yaml`), written once.
#[derive(Debug, Clone)]
pub struct Meta {
    pub kind: Kind,
    pub published: Date,
    pub updated: Option<Date>,
    pub kb: Vec<String>,
    pub cves: Vec<String>,
    pub affected: Vec<Affected>,
    /// Oldest first; may be empty.
    pub revisions: Vec<Revision>,
    pub references: Vec<Reference>,
    /// Old address of each translation, for redirects.
    pub legacy_urls: SortedMap<Locale, String>,
    pub log_checks: Vec<Check>,
    pub conflicts: Vec<Conflict>,
    /// Where each legacy URL is written in `advisory.yaml`, (line, column), by locale, for
    /// the warnings the checks between files give about it.
    pub legacy_url_spots: SortedMap<Locale, (usize, usize)>,
}

impl Meta {
    /// The number of the current (last) revision, if any.
    pub fn current_revision(&self) -> Option<&str> {
        self.revisions.last().map(|r| r.number.as_str())
    }

    /// Position of a revision number in the history (0 = oldest).
    pub fn revision_index(&self, number: &str) -> Option<usize> {
        self.revisions.iter().position(|r| r.number == number)
    }

    /// The date the advisory last changed: `updated`, else `published`.
    pub fn last_changed(&self) -> Date {
        self.updated.unwrap_or(self.published)
    }
}

/// A map kept as one vector sorted by key (ICU4X's `LiteMap`): the few entries of a
/// per-advisory map (its translations, revision notes, legacy URLs) cost their own size,
/// where a `BTreeMap` node keeps room for eleven entries however few it holds. Collected
/// from an iterator, a key given twice keeps the last value, as with `BTreeMap`.
pub type SortedMap<K, V> = litemap::LiteMap<K, V>;

/// One translation (`<locale>.md`): translatable text only.
#[derive(Debug, Clone)]
pub struct Translation {
    pub locale: Locale,
    /// Source file, relative to the site root.
    pub source: PathBuf,
    pub title: String,
    pub summary: Option<String>,
    /// The revision this text was translated from; older than current = stale.
    pub translated_from_revision: Option<String>,
    /// Revision number → note in this language.
    pub revision_notes: SortedMap<String, String>,
    /// Affected products (as `affected` in `advisory.yaml` names them) with their names in
    /// this language, where those differ (the importer writes them in the order of `affected`).
    pub product_names: Vec<ProductName>,
    /// Check id → message key → text with `{line}`, `{file}`, `{session_line}`.
    pub log_check_messages: BTreeMap<String, BTreeMap<String, String>>,
    /// The Markdown body after the front matter.
    pub body: Body,
    /// 1-based line of the source file where `body` starts.
    pub body_line: usize,
    /// Where some keys of the front matter are written, (line, column), for problems the
    /// checks between files find: `translated_from_revision`, and each check id under
    /// `log_check_messages` as `log_check_messages/<id>`.
    pub spots: BTreeMap<String, (usize, usize)>,
}

impl Translation {
    /// `product` as this translation names it.
    pub fn product_name<'a>(&'a self, product: &'a str) -> &'a str {
        self.product_names
            .iter()
            .find(|p| p.product == product)
            .map_or(product, |p| p.name.as_str())
    }
}

/// Where a translation's Markdown body is. A loaded site leaves bodies in their files and
/// reads each one again when its page is rendered, so memory does not grow with the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// Held in memory (an import writes it out).
    Text(String),
    /// In the file `path` from byte `offset` on; the file had `len` bytes and was last
    /// modified at `modified` when it was loaded, so a file changed during the build is
    /// noticed.
    InFile {
        /// The file as it was opened (not relative to the site root).
        path: PathBuf,
        /// Byte offset of the body in the file (a BOM counted).
        offset: u64,
        /// Length of the file in bytes when it was loaded.
        len: u64,
        /// Its modification time then, where the file system keeps one.
        modified: Option<std::time::SystemTime>,
    },
}

/// One advisory: its facts and its translations by locale.
#[derive(Debug, Clone)]
pub struct Advisory {
    pub id: AdvisoryId,
    /// Folder, relative to the site root.
    pub dir: PathBuf,
    pub meta: Meta,
    pub translations: SortedMap<Locale, Translation>,
    /// Paths of the images and PDFs in its folder and the folders inside it, from the
    /// folder (`diagram.png`, `img/console.png`), sorted: each translation's page is
    /// published with a copy beside it, so `![…](img/console.png)` works on the site as
    /// it does in the folder.
    pub files: Vec<String>,
}

impl Advisory {
    /// True when the advisory has a page, so the indexes list it: it has a translation.
    pub fn is_listed(&self) -> bool {
        !self.translations.is_empty()
    }

    /// True when `locale`'s text was translated from an older revision than the current one.
    pub fn is_stale(&self, locale: &Locale) -> bool {
        let Some(t) = self.translations.get(locale) else {
            return false;
        };
        let (Some(current), Some(from)) = (
            self.meta.revisions.len().checked_sub(1),
            &t.translated_from_revision,
        ) else {
            return false;
        };
        self.meta.revision_index(from).is_some_and(|i| i < current)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_1970_become_civil_dates() {
        for (days, want) in [
            (0, "1970-01-01"),
            (-1, "1969-12-31"),
            (11_016, "2000-02-29"),
            (11_017, "2000-03-01"),
            (14_043, "2008-06-13"),
            (2_932_896, "9999-12-31"),
        ] {
            assert_eq!(Date::from_unix_days(days).to_string(), want, "{days}");
        }
        // the easternmost zone's today is UTC's or the day after
        let (utc, latest) = (Date::today_utc(), Date::latest_today());
        assert!(latest >= utc && latest <= Date::from_unix_days(days_of(utc) + 1));
    }

    /// Days from 1970-01-01 to `d`, by counting (for the test above).
    fn days_of(d: Date) -> i64 {
        (0..).find(|&n| Date::from_unix_days(n) == d).unwrap()
    }

    #[test]
    fn dates_print_as_iso_like_the_padded_format() {
        let padded = |d: &Date| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day);
        let mut dates = vec![
            Date {
                year: -5,
                month: 1,
                day: 2,
            },
            Date {
                year: 12345,
                month: 1,
                day: 2,
            },
            Date {
                year: 2008,
                month: 200,
                day: 7,
            },
        ];
        for year in [1, 9, 10, 99, 100, 999, 1000, 2008, 2024, 9999] {
            for (month, day) in [(1, 1), (2, 29), (9, 9), (10, 10), (12, 31)] {
                dates.push(Date { year, month, day });
            }
        }
        for d in &dates {
            assert_eq!(d.to_string(), padded(d), "{d:?}");
        }
        assert_eq!(
            "2008-06-13".parse::<Date>().unwrap().to_string(),
            "2008-06-13"
        );
    }

    #[test]
    fn advisory_ids_must_be_safe_path_segments() {
        for ok in [
            "954474",
            "MS08-037",
            "CVE-2008-1447",
            "a.b_c",
            "index",
            "atom.xml.1",
            "CONSOLE",
            "COM",
            "COMX",
            "LPT10",
            "a.b.c",
        ] {
            assert!(ok.parse::<AdvisoryId>().is_ok(), "{ok}");
        }
        for bad in [
            "",
            "..",
            ".hidden",
            "a/b",
            "a\\b",
            "é",
            "-x",
            "a b",
            &"9".repeat(65),
            // the names of each locale's index page and feed
            "index.html",
            "Atom.XML",
            // names Windows keeps for devices, or reads without their last dot
            "CON",
            "aux",
            "NUL.txt",
            "com1",
            "LPT9.x",
            "x.",
        ] {
            assert!(bad.parse::<AdvisoryId>().is_err(), "{bad}");
        }
    }

    #[test]
    fn locales_are_canonicalized_and_validated() {
        assert_eq!("pt-br".parse::<Locale>().unwrap().as_str(), "pt-BR");
        assert_eq!(
            "zh-hant-tw".parse::<Locale>().unwrap().as_str(),
            "zh-Hant-TW"
        );
        for bad in ["", "portuguese-brazil", "pt_BR", "x", "12"] {
            assert!(bad.parse::<Locale>().is_err(), "{bad}");
        }
        // The error says how to fix it, without the parser's internal names.
        let e = "en_us".parse::<Locale>().unwrap_err();
        assert!(e.ends_with("write `en-US` (with `-`, not `_`)"), "{e}");
        let e = "portuguese-brazil".parse::<Locale>().unwrap_err();
        assert!(
            e.contains("such as `pt-BR`") && !e.contains("Invalid"),
            "{e}"
        );
    }

    #[test]
    fn locale_parents_drop_region_then_script() {
        let p = |s: &str| -> Vec<String> {
            s.parse::<Locale>()
                .unwrap()
                .parents()
                .iter()
                .map(|l| l.to_string())
                .collect()
        };
        assert_eq!(p("pt-BR"), ["pt"]);
        assert_eq!(p("zh-Hant-TW"), ["zh-Hant", "zh"]);
        assert!(p("pt").is_empty());
    }

    #[test]
    fn dates_are_checked() {
        assert_eq!(
            "2008-06-13".parse::<Date>().unwrap(),
            Date {
                year: 2008,
                month: 6,
                day: 13
            }
        );
        assert!("2008-02-29".parse::<Date>().is_ok());
        for bad in [
            "2007-02-29",
            "2008-13-01",
            "2008-6-13",
            "13/06/2008",
            "2008-06-31",
            "+008-06-13",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn sorted_map_keeps_keys_in_order_and_the_last_value_of_a_repeated_key() {
        let m: SortedMap<String, u32> = [
            ("b".to_string(), 1),
            ("a".to_string(), 2),
            ("b".to_string(), 3),
        ]
        .into_iter()
        .collect();
        assert_eq!(m.keys().map(String::as_str).collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(m.get("b"), Some(&3));
        assert_eq!(m[&"a".to_string()], 2);
        assert!(!m.contains_key("c"));

        let mut m = SortedMap::new();
        for (k, v) in [("pt-BR", 1), ("en-US", 2), ("es-ES", 3)] {
            assert_eq!(m.insert(k, v), None);
        }
        assert_eq!(m.insert("es-ES", 4), Some(3));
        assert_eq!(
            m.iter().collect::<Vec<_>>(),
            [(&"en-US", &2), (&"es-ES", &4), (&"pt-BR", &1)]
        );
        assert_eq!(m.len(), 3);
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"en-US":2,"es-ES":4,"pt-BR":1}"#);
    }
}
