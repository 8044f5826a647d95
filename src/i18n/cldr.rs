//! CLDR locale data through ICU4X compiled data: long dates with weekday (always the
//! Gregorian calendar, so th-TH prints 2008, not the Buddhist 2551), text direction,
//! and every month and weekday name a locale has and the digits of every script (for
//! reading imported dates).
//! Unknown locales fall back along CLDR's parents to root; nothing here panics.

use std::cell::RefCell;
use std::collections::HashMap;

use icu_calendar::{Date as IcuDate, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::enums::DateFieldSet;
use icu_datetime::fieldsets::{YMD, YMDE};
use icu_datetime::pattern::{DateTimePattern, FixedCalendarDateTimeNames};
use icu_locale::LocaleDirectionality;
use icu_properties::CodePointMapData;
use icu_properties::props::NumericType;
use writeable::TryWriteable;

use crate::model::{Date, Locale};

/// Long date formatter of one locale; `None` when ICU could not build one.
type LongDateFormatter = Option<FixedCalendarDateTimeFormatter<Gregorian, YMDE>>;

thread_local! {
    // One formatter per locale per thread: building one loads CLDR data (tens of
    // microseconds), and every page formats several dates. Thread-local, so rayon
    // workers never wait on a lock; a site has a handful of locales.
    static LONG_DATES: RefCell<HashMap<Locale, LongDateFormatter>> = RefCell::new(HashMap::new());
}

/// The value of `c` when it is a decimal digit of any script: `3`, `٣` (Arabic-Indic, as
/// CLDR writes ar-EG dates), `۳`, `३`, `３`. Unicode encodes each script's digits in a
/// row from zero to nine (The Unicode Standard, 4.6, Numeric_Type=Decimal), so a digit's
/// value is its distance from the start of its row (rows of ten may follow one another,
/// as the mathematical digits do).
pub(crate) fn digit_value(c: char) -> Option<u32> {
    if c.is_ascii() {
        return c.to_digit(10);
    }
    let types = CodePointMapData::<NumericType>::new();
    if types.get(c) != NumericType::Decimal {
        return None;
    }
    let mut start = c as u32;
    while let Some(before) = start.checked_sub(1).and_then(char::from_u32) {
        if types.get(before) != NumericType::Decimal {
            break;
        }
        start -= 1;
    }
    Some((c as u32 - start) % 10)
}

/// The long CLDR date with weekday in `locale`: "sexta-feira, 13 de junho de 2008",
/// "Friday, June 13, 2008". Always Gregorian; falls back to ISO `2008-06-13` only if
/// ICU cannot format the date at all.
pub(crate) fn format_date_long(locale: &Locale, date: Date) -> String {
    let Ok(icu_date) = IcuDate::try_new_gregorian(date.year, date.month, date.day) else {
        return date.to_string();
    };
    LONG_DATES.with(|cache| {
        let mut cache = cache.borrow_mut();
        let formatter = cache.entry(locale.clone()).or_insert_with(|| {
            FixedCalendarDateTimeFormatter::try_new((&locale.icu()).into(), YMDE::long()).ok()
        });
        match formatter {
            Some(f) => f.format(&icu_date).to_string(),
            None => date.to_string(),
        }
    })
}

/// Whether `locale` writes the month before the day in a numeric date, as CLDR's short
/// date has it: "6/13/08" in en-US and "2008. 6. 13." in ko, not "13/06/2008" in pt-BR.
/// Read from a date formatted with it whose day cannot be a month (22 November), in the
/// digits of any script; `false` when ICU cannot format one.
pub(crate) fn numeric_month_first(locale: &Locale) -> bool {
    let Ok(date) = IcuDate::try_new_gregorian(2033, 11, 22) else {
        return false;
    };
    let Ok(formatter) = FixedCalendarDateTimeFormatter::<Gregorian, _>::try_new(
        (&locale.icu()).into(),
        YMD::short(),
    ) else {
        return false;
    };
    let text = formatter.format(&date).to_string();
    // the numbers written, in order
    let mut numbers = Vec::new();
    let mut current: Option<u32> = None;
    for c in text.chars().chain(std::iter::once(' ')) {
        match digit_value(c) {
            Some(d) => current = Some(current.unwrap_or(0).saturating_mul(10).saturating_add(d)),
            None => numbers.extend(current.take()),
        }
    }
    let month = numbers.iter().position(|&n| n == 11);
    let day = numbers.iter().position(|&n| n == 22);
    matches!((month, day), (Some(m), Some(d)) if m < d)
}

/// True for right-to-left scripts (ar, he, fa, ur, …), from CLDR likely subtags: the
/// script is the tag's own or the most likely one for its language and region.
pub(crate) fn is_rtl(locale: &Locale) -> bool {
    LocaleDirectionality::new_extended().is_right_to_left(&locale.icu().id)
}

/// Month patterns, format (`M`) and stand-alone (`L`) context: wide, then abbreviated.
const WIDE_MONTH_PATTERNS: [&str; 2] = ["MMMM", "LLLL"];
const ABBREVIATED_MONTH_PATTERNS: [&str; 2] = ["MMM", "LLL"];

/// Weekday patterns: wide, abbreviated and short, format (`E`) and stand-alone (`c`).
const WEEKDAY_PATTERNS: [&str; 6] = ["EEEE", "EEE", "EEEEEE", "cccc", "ccc", "cccccc"];

/// Every spelling CLDR has for each month in `locale` (wide and abbreviated, format and
/// stand-alone, and as the long date glues them to a literal: Hebrew `ביוני`), lower-cased,
/// deduplicated, wide forms first; index 0 = January. Abbreviations keep CLDR's
/// punctuation (`jun.`). Used by the importer to read dates.
pub(crate) fn month_names(locale: &Locale) -> [Vec<String>; 12] {
    // Day 1 of each month of 2001.
    let dates: Vec<IcuDate<Gregorian>> = (1..=12u8)
        .filter_map(|m| IcuDate::try_new_gregorian(2001, m, 1).ok())
        .collect();
    let mut out: [Vec<String>; 12] = Default::default();
    collect_names(locale, &WIDE_MONTH_PATTERNS, &dates, &mut out);
    let wide = out.clone();
    collect_names(locale, &ABBREVIATED_MONTH_PATTERNS, &dates, &mut out);
    // A long date can glue a literal of its pattern to the name: Hebrew's "d בMMMM y"
    // writes "13 ביוני 2008", Basque's "y('e')'ko' MMMM'ren' d" "ekainaren". Such words
    // of the long date (a wide name with letters before or after it, no digits, not a
    // weekday) become spellings too.
    let weekdays = weekday_names(locale);
    for ((m, spellings), wide) in (1..=12u8).zip(out.iter_mut()).zip(&wide) {
        let Some(date) = Date::new(2001, m, 1) else {
            continue;
        };
        let long = format_date_long(locale, date).to_lowercase();
        for word in long.split_whitespace() {
            let word = word.trim_matches(|c: char| c.is_ascii_punctuation() || "،、，".contains(c));
            let glued = !word.chars().any(char::is_numeric)
                && wide.iter().any(|w| {
                    word.len() > w.len()
                        && (word.ends_with(w.as_str()) || word.starts_with(w.as_str()))
                })
                && !weekdays.iter().flatten().any(|d| d == word);
            if glued && !spellings.iter().any(|s| s == word) {
                spellings.push(word.to_string());
            }
        }
    }
    out
}

/// Every spelling CLDR has for each weekday in `locale` (wide, abbreviated and short,
/// format and stand-alone), lower-cased, deduplicated, wide forms first; index 0 = Monday.
pub(crate) fn weekday_names(locale: &Locale) -> [Vec<String>; 7] {
    // 2001-01-01 was a Monday.
    let dates: Vec<IcuDate<Gregorian>> = (1..=7u8)
        .filter_map(|d| IcuDate::try_new_gregorian(2001, 1, d).ok())
        .collect();
    let mut out: [Vec<String>; 7] = Default::default();
    collect_names(locale, &WEEKDAY_PATTERNS, &dates, &mut out);
    out
}

/// Formats `dates[i]` with each one-field pattern and adds the lower-cased result to
/// `out[i]` unless already there. A pattern ICU cannot load for the locale is skipped.
fn collect_names(
    locale: &Locale,
    patterns: &[&str],
    dates: &[IcuDate<Gregorian>],
    out: &mut [Vec<String>],
) {
    let icu_locale = locale.icu();
    for pattern in patterns {
        let Ok(pattern) = pattern.parse::<DateTimePattern>() else {
            continue;
        };
        // One names object per pattern: ICU4X loads a single length per field (#4337).
        let Ok(mut names) =
            FixedCalendarDateTimeNames::<Gregorian, DateFieldSet>::try_new((&icu_locale).into())
        else {
            continue;
        };
        let Ok(formatter) = names.include_for_pattern(&pattern) else {
            continue;
        };
        for (date, spellings) in dates.iter().zip(out.iter_mut()) {
            let formatted = formatter.format(date);
            let Ok(name) = formatted.try_write_to_string() else {
                continue;
            };
            let name = name.trim().to_lowercase();
            if !name.is_empty() && !spellings.contains(&name) {
                spellings.push(name);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(tag: &str) -> Locale {
        tag.parse().unwrap()
    }

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn long_dates_follow_cldr_for_each_locale() {
        let cases = [
            ("pt-BR", "sexta-feira, 13 de junho de 2008"),
            ("es-ES", "viernes, 13 de junio de 2008"),
            ("en-US", "Friday, June 13, 2008"),
            ("de", "Freitag, 13. Juni 2008"),
            ("fr", "vendredi 13 juin 2008"),
            ("ja", "2008年6月13日金曜日"),
        ];
        for (tag, expected) in cases {
            assert_eq!(
                format_date_long(&loc(tag), date("2008-06-13")),
                expected,
                "{tag}"
            );
        }
    }

    #[test]
    fn thai_long_dates_print_the_gregorian_year() {
        for tag in ["th-TH", "th-TH-u-ca-buddhist"] {
            let text = format_date_long(&loc(tag), date("2008-06-13"));
            assert!(
                text.contains("2008") && !text.contains("2551"),
                "{tag}: {text}"
            );
        }
    }

    #[test]
    fn unknown_locales_fall_back_to_cldr_root_without_panicking() {
        for tag in ["qaa", "zz-ZZ", "en-001", "ar-EG", "he"] {
            let text = format_date_long(&loc(tag), date("2008-06-13"));
            assert!(!text.is_empty(), "{tag}");
        }
        assert!(format_date_long(&loc("qaa"), date("2008-06-13")).contains("2008"));
    }

    #[test]
    fn repeated_formatting_uses_the_cached_formatter_with_same_result() {
        let l = loc("pt-BR");
        let first = format_date_long(&l, date("2024-02-29"));
        assert_eq!(first, "quinta-feira, 29 de fevereiro de 2024");
        assert_eq!(format_date_long(&l, date("2024-02-29")), first);
    }

    #[test]
    fn text_direction_comes_from_cldr_likely_scripts() {
        let cases = [
            ("ar", true),
            ("he", true),
            ("fa", true),
            ("ur", true),
            ("ar-EG", true),
            ("en", false),
            ("pt-BR", false),
            ("zh", false),
            ("ja", false),
            ("az-Arab", true),
            ("az", false),
        ];
        for (tag, rtl) in cases {
            assert_eq!(is_rtl(&loc(tag)), rtl, "{tag}");
        }
    }

    #[test]
    fn a_month_glued_to_a_literal_of_the_long_date_is_a_spelling_too() {
        // Hebrew writes "13 ביוני 2008" (ב + June), Basque "2008(e)ko ekainaren 13(a)"
        assert!(month_names(&loc("he"))[5].iter().any(|n| n == "ביוני"));
        assert!(month_names(&loc("he"))[0].iter().any(|n| n == "בינואר"));
        assert!(month_names(&loc("eu"))[5].iter().any(|n| n == "ekainaren"));
        // elsewhere the long date adds nothing: not Albanian's Saturday ("shtunë"), which
        // starts like September's abbreviation ("sht"), nor a word with digits ("2001年6月1日")
        assert!(!month_names(&loc("sq"))[8].iter().any(|n| n == "shtunë"));
        assert_eq!(month_names(&loc("pt-BR"))[5], ["junho", "jun."]);
        assert_eq!(month_names(&loc("ja"))[5], ["6月"]);
    }

    #[test]
    fn month_names_include_wide_and_abbreviated_spellings() {
        let cases = [
            ("pt-BR", 5, &["junho", "jun."][..]),
            ("pt-BR", 6, &["julho"][..]),
            ("es-ES", 5, &["junio"][..]),
            ("de", 5, &["juni"][..]),
            ("de", 2, &["märz"][..]),
            ("en-US", 8, &["september", "sep"][..]),
            ("ja", 5, &["6月"][..]),
        ];
        for (tag, index, expected) in cases {
            let names = month_names(&loc(tag));
            for name in expected {
                assert!(
                    names[index].iter().any(|n| n == name),
                    "{tag} {index}: {:?}",
                    names[index]
                );
            }
        }
    }

    #[test]
    fn weekday_names_start_on_monday_and_include_wide_spellings() {
        let cases = [
            ("pt-BR", 4, "sexta-feira"),
            ("es-ES", 4, "viernes"),
            ("es-ES", 1, "martes"),
            ("en-US", 0, "monday"),
            ("en-US", 6, "sunday"),
            ("de", 4, "freitag"),
        ];
        for (tag, index, expected) in cases {
            let names = weekday_names(&loc(tag));
            assert!(
                names[index].iter().any(|n| n == expected),
                "{tag} {index}: {:?}",
                names[index]
            );
        }
    }

    #[test]
    fn name_lists_are_complete_lowercase_and_deduplicated() {
        for tag in ["pt-BR", "es-ES", "en-US", "de", "ja", "ar"] {
            let months = month_names(&loc(tag));
            let weekdays = weekday_names(&loc(tag));
            for names in months.iter().chain(weekdays.iter()) {
                assert!(!names.is_empty(), "{tag}");
                let mut unique = names.clone();
                unique.sort();
                unique.dedup();
                assert_eq!(unique.len(), names.len(), "{tag}: {names:?}");
                assert!(
                    names.iter().all(|n| *n == n.to_lowercase()),
                    "{tag}: {names:?}"
                );
            }
        }
    }
}
