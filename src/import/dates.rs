//! Reading dates written for people in any locale: "sexta-feira, 13 de junho de 2008",
//! "1º de julho de 2008", "June 13, 2008", "2008年6月13日", "13/06/08". A small tokenizer
//! (numbers, words, punctuation) plus CLDR month and weekday names; no per-locale patterns.

use std::collections::HashMap;

use crate::i18n::digit_value;
use crate::model::{Date, Locale};

/// Month and weekday spellings of one locale, lower-cased, for reading dates.
#[derive(Debug, Clone, Default)]
pub(crate) struct DateNames {
    /// One-word spelling (lower-case, without a trailing `.`) → month 1–12.
    months: HashMap<String, u8>,
    /// Spellings of several tokens, as the tokenizer splits them, with their month: "6月"
    /// (a number and a word), "tháng 6", "de juny". They match whatever the space
    /// between their tokens, so "3 月" (a space between number and ideograph, as
    /// Japanese typography often puts it) is March too.
    phrases: Vec<(Vec<TokKind>, u8)>,
    /// Weekday spellings (lower-case, without a trailing `.`).
    weekdays: Vec<String>,
    /// Numeric dates put the month before the day (`6/13/08`, en-US), as CLDR's short
    /// date does: how `7/1/2008` is read.
    month_first: bool,
}

impl DateNames {
    /// Names from explicit lists (index 0 = January / Monday), as CLDR gives them.
    pub(crate) fn from_lists(months: &[Vec<String>; 12], weekdays: &[Vec<String>; 7]) -> DateNames {
        let mut names = DateNames::default();
        for (i, spellings) in months.iter().enumerate() {
            let month = i as u8 + 1;
            for s in spellings {
                let key = normalize_name(s);
                let kinds: Vec<TokKind> = tokenize(&key).into_iter().map(|t| t.kind).collect();
                match kinds.as_slice() {
                    [] | [TokKind::Num { .. }] | [TokKind::Punct(_)] => {}
                    [TokKind::Word(_)] => {
                        names.months.entry(key).or_insert(month);
                    }
                    _ => {
                        if !names.phrases.iter().any(|(p, _)| *p == kinds) {
                            names.phrases.push((kinds, month));
                        }
                    }
                }
            }
        }
        for spellings in weekdays {
            for s in spellings {
                let key = normalize_name(s);
                if !key.is_empty() && !names.weekdays.contains(&key) {
                    names.weekdays.push(key);
                }
            }
        }
        names
    }

    /// The CLDR names of `locale` (from `crate::i18n`).
    pub(crate) fn for_locale(locale: &Locale) -> DateNames {
        DateNames {
            month_first: crate::i18n::numeric_month_first(locale),
            ..DateNames::from_lists(
                &crate::i18n::month_names(locale),
                &crate::i18n::weekday_names(locale),
            )
        }
    }

    /// True when no month name is known (CLDR data missing): only numeric dates are read.
    pub(crate) fn is_empty(&self) -> bool {
        self.months.is_empty() && self.phrases.is_empty()
    }

    fn month(&self, word: &str) -> Option<u8> {
        self.months.get(word).copied()
    }

    fn is_weekday(&self, word: &str) -> bool {
        self.weekdays.iter().any(|w| w == word)
    }
}

/// Lower-cases a CLDR or source spelling and drops a trailing abbreviation dot.
fn normalize_name(s: &str) -> String {
    s.trim().trim_end_matches('.').to_lowercase()
}

/// The names to read one locale's sources with: the locale's own first, then a
/// fallback (English, for untranslated originals) tried only when the first finds nothing.
#[derive(Debug, Clone, Default)]
pub(crate) struct DateReader {
    pub(crate) primary: DateNames,
    pub(crate) fallback: Option<DateNames>,
    /// The first word of the locale's "updated" label (avisa's `meta-updated`, lower-case,
    /// "atualizado"), when avisa has its language: a date line with that word alone gives
    /// the updated date, not the published one.
    pub(crate) updated_word: Option<String>,
}

impl DateReader {
    /// Reads with `locale`'s CLDR names, falling back to `en`'s.
    pub(crate) fn for_locale(locale: &Locale) -> DateReader {
        let fallback = match "en".parse::<Locale>() {
            Ok(en) if en.language() != locale.language() => Some(DateNames::for_locale(&en)),
            _ => None,
        };
        let first_word = |key: &str| {
            let text = crate::i18n::built_in_text(locale, key)?;
            Some(text.split_whitespace().next()?.to_lowercase())
        };
        // only when it tells the two labels apart
        let updated_word =
            first_word("meta-updated").filter(|u| first_word("meta-published").as_ref() != Some(u));
        DateReader {
            primary: DateNames::for_locale(locale),
            fallback,
            updated_word,
        }
    }

    /// Whether a date line that holds one date gives the updated date: it starts with the
    /// locale's "updated" word ("Atualizado: 17 de junho de 2008").
    pub(crate) fn says_updated(&self, line: &str) -> bool {
        let first = line
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or_default()
            .to_lowercase();
        self.updated_word.as_ref().is_some_and(|w| *w == first)
    }

    /// Every date in `text`, in order of appearance (see [`find_dates`]).
    pub(crate) fn find(&self, text: &str) -> Vec<Date> {
        let found = find_dates(text, &self.primary);
        match (&self.fallback, found.is_empty()) {
            (Some(f), true) => find_dates(text, f),
            _ => found,
        }
    }

    /// How many words of `text` are neither part of a date nor a weekday: the measure of a
    /// "short line" (a label like "Publicado em" plus connectors like "de").
    pub(crate) fn other_words(&self, text: &str) -> usize {
        let names = match (&self.fallback, find_dates(text, &self.primary).is_empty()) {
            (Some(f), true) => f,
            _ => &self.primary,
        };
        let toks = tokenize(text);
        let mut in_month = vec![false; toks.len()];
        for m in months_in(&toks, names) {
            for i in m.span {
                in_month[i] = true;
            }
        }
        toks.iter()
            .zip(in_month)
            .filter(|(t, in_month)| match &t.kind {
                TokKind::Word(w) => !t.glued && !in_month && !names.is_weekday(w),
                _ => false,
            })
            .count()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum TokKind {
    Num { value: u32, digits: usize },
    Word(String),
    Punct(char),
}

#[derive(Debug, Clone, PartialEq)]
struct Tok {
    kind: TokKind,
    /// No whitespace between this token and the previous one ("6月", "1º", "13/06").
    glued: bool,
}

/// Splits text into numbers, words (letters with inner `-`) and single punctuation marks;
/// lower-cases words and treats no-break spaces as spaces.
fn tokenize(text: &str) -> Vec<Tok> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let mut glued = false;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            glued = false;
            i += 1;
            continue;
        }
        let start = i;
        // the digits of any script: CLDR writes ar-EG dates with Arabic-Indic ones
        let kind = if digit_value(c).is_some() {
            let mut value: u64 = 0;
            while let Some(d) = chars.get(i).copied().and_then(digit_value) {
                value = value.saturating_mul(10).saturating_add(u64::from(d));
                i += 1;
            }
            match u32::try_from(value) {
                Ok(value) => TokKind::Num {
                    value,
                    digits: i - start,
                },
                // Longer than any date part: keep it as a word so it matches nothing.
                _ => TokKind::Word(chars[start..i].iter().collect()),
            }
        } else if c.is_alphabetic() {
            while i < chars.len()
                && (chars[i].is_alphabetic()
                    || (chars[i] == '-' && chars.get(i + 1).is_some_and(|n| n.is_alphabetic())))
            {
                i += 1;
            }
            TokKind::Word(chars[start..i].iter().collect::<String>().to_lowercase())
        } else {
            i += 1;
            TokKind::Punct(c)
        };
        out.push(Tok {
            kind,
            glued: glued && start > 0,
        });
        glued = true;
    }
    out
}

/// Punctuation that ends a date's neighbourhood: a label's colon, a `|` between two
/// dates, parentheses around a date.
fn is_group_break(c: char) -> bool {
    matches!(c, '|' | '(' | ')' | ':' | ';' | '[' | ']' | '\n' | '*')
}

/// Every date in `text`, in order. A date is a month name (or the tokens of one CLDR
/// spells in several: "6月", "3 月", "tháng 6") with a day (1–31) and a four-digit year nearby,
/// (or, failing that, a two-digit one after the month, read as 1970–2069),
/// or, where no month name is present, three numbers joined by the same `.`, `/` or `-`
/// (year first when it has four digits; otherwise day first, unless the first number
/// cannot be a month and the second can, which reads month first; two-digit years are
/// 1970–2069).
pub(crate) fn find_dates(text: &str, names: &DateNames) -> Vec<Date> {
    let toks = tokenize(text);
    let mut dates = Vec::new();
    let mut start = 0;
    for i in 0..=toks.len() {
        if i == toks.len() || ends_group(&toks, i) {
            dates.extend(dates_in_group(&toks[start..i], names));
            start = i + 1;
        }
    }
    dates
}

/// Whether token `i` ends a group: punctuation that breaks one ([`is_group_break`]), but
/// not parentheses inside a word ("2008(e)ko ekainaren 13(a)", Basque).
fn ends_group(toks: &[Tok], i: usize) -> bool {
    let TokKind::Punct(c) = toks[i].kind else {
        return false;
    };
    let in_word = matches!(c, '(' | ')')
        && toks[i].glued
        && toks
            .get(i + 1)
            .is_none_or(|n| n.glued && matches!(n.kind, TokKind::Word(_)));
    is_group_break(c) && !in_word
}

/// A month found in a group: where it is and which tokens it used.
struct MonthAt {
    month: u8,
    /// The tokens of its name: one word, or a phrase ("6 月", "tháng 6").
    span: std::ops::Range<usize>,
    is_also_weekday: bool,
}

impl MonthAt {
    /// How many tokens token `i` is away from the name.
    fn distance(&self, i: usize) -> usize {
        if i < self.span.start {
            self.span.start - i
        } else {
            (i + 1).saturating_sub(self.span.end)
        }
    }
}

/// Whether a text token is a phrase's token: the same word or punctuation, or the same
/// number however many digits it is written with ("06月").
fn same_token(text: &TokKind, phrase: &TokKind) -> bool {
    match (text, phrase) {
        (TokKind::Num { value: a, .. }, TokKind::Num { value: b, .. }) => a == b,
        (a, b) => a == b,
    }
}

/// The months `toks` name, in order: at each token the longest phrase that starts
/// there, else a one-word name.
fn months_in(toks: &[Tok], names: &DateNames) -> Vec<MonthAt> {
    let mut months = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let phrase = names
            .phrases
            .iter()
            .filter(|(p, _)| {
                toks.get(i..i + p.len())
                    .is_some_and(|run| run.iter().zip(p).all(|(t, k)| same_token(&t.kind, k)))
            })
            .max_by_key(|(p, _)| p.len());
        if let Some((p, month)) = phrase {
            months.push(MonthAt {
                month: *month,
                span: i..i + p.len(),
                is_also_weekday: false,
            });
            i += p.len();
            continue;
        }
        if let TokKind::Word(w) = &toks[i].kind
            && let Some(month) = names.month(w)
        {
            months.push(MonthAt {
                month,
                span: i..i + 1,
                is_also_weekday: names.is_weekday(w),
            });
        }
        i += 1;
    }
    months
}

fn dates_in_group(group: &[Tok], names: &DateNames) -> Vec<Date> {
    let mut months = months_in(group, names);
    // "mar." is both a month and a weekday in some locales: a weekday then, when a
    // real month is also there.
    if months.iter().any(|m| !m.is_also_weekday) {
        months.retain(|m| !m.is_also_weekday);
    }
    if months.is_empty() {
        return numeric_dates(group, names.month_first);
    }
    let mut used = vec![false; group.len()];
    for m in &months {
        for i in m.span.clone() {
            used[i] = true;
        }
    }
    let mut out = Vec::new();
    for (k, m) in months.iter().enumerate() {
        let lo = if k == 0 { 0 } else { months[k - 1].span.end };
        let hi = months.get(k + 1).map_or(group.len(), |n| n.span.start);
        let near = |i: usize| m.distance(i) <= 5;
        let pick = |want_year: bool, used: &[bool]| -> Option<(usize, u32)> {
            (lo..hi)
                .filter(|&i| !used[i] && near(i))
                .filter_map(|i| match group[i].kind {
                    TokKind::Num { value, digits } if want_year && digits == 4 => Some((i, value)),
                    TokKind::Num { value, digits }
                        if !want_year && digits <= 2 && (1..=31).contains(&value) =>
                    {
                        Some((i, value))
                    }
                    _ => None,
                })
                .min_by_key(|&(i, _)| m.distance(i))
        };
        // A four-digit year nearby; else a two-digit one written last ("11 de agosto de 06").
        let two_digit_year = || {
            (m.span.end..hi)
                .filter(|&i| !used[i] && near(i))
                .filter_map(|i| match group[i].kind {
                    TokKind::Num { value, digits: 2 } => Some((
                        i,
                        if value < 70 {
                            2000 + value
                        } else {
                            1900 + value
                        },
                    )),
                    _ => None,
                })
                .next_back()
        };
        let Some((yi, year)) = pick(true, &used).or_else(two_digit_year) else {
            continue;
        };
        used[yi] = true;
        let Some((di, day)) = pick(false, &used) else {
            used[yi] = false;
            continue;
        };
        used[di] = true;
        if let Some(d) = Date::new(year as i32, m.month, day as u8) {
            out.push(d);
        }
    }
    out
}

/// Dates written as three glued numbers with one separator: `13/06/08`, `21.09.2012`,
/// `2008-06-13`, or year first with a space after each `.` (`2008. 6. 13.`, Korean).
/// Day and month are in the order that cannot be wrong (`13/6` is day first), else
/// month first when `month_first` (the locale's own order).
fn numeric_dates(group: &[Tok], month_first: bool) -> Vec<Date> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 < group.len() {
        let w = &group[i..i + 5];
        let parts = match (&w[0].kind, &w[1].kind, &w[2].kind, &w[3].kind, &w[4].kind) {
            (
                TokKind::Num {
                    value: a,
                    digits: da,
                },
                TokKind::Punct(s1),
                TokKind::Num {
                    value: b,
                    digits: db,
                },
                TokKind::Punct(s2),
                TokKind::Num {
                    value: c,
                    digits: dc,
                },
            ) if s1 == s2
                && matches!(s1, '.' | '/' | '-')
                && w[1].glued
                && w[3].glued
                && ((w[2].glued && w[4].glued) || (*da == 4 && *s1 == '.')) =>
            {
                Some(((*a, *da), (*b, *db), (*c, *dc)))
            }
            _ => None,
        };
        let date = parts.and_then(|((a, da), (b, db), (c, dc))| {
            let year = |v: u32, d: usize| match d {
                4 => Some(v as i32),
                2 if v < 70 => Some(2000 + v as i32),
                2 => Some(1900 + v as i32),
                _ => None,
            };
            if da == 4 && db <= 2 && dc <= 2 {
                Date::new(a as i32, b as u8, c as u8)
            } else if da <= 2 && db <= 2 {
                let y = year(c, dc)?;
                if a <= 12 && (b > 12 || month_first) {
                    Date::new(y, a as u8, b as u8)
                } else {
                    Date::new(y, b as u8, a as u8)
                }
            } else {
                None
            }
        });
        match date {
            Some(d) => {
                out.push(d);
                i += 5;
            }
            None => i += 1,
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn list<const N: usize>(items: [&[&str]; N]) -> [Vec<String>; N] {
        items.map(|v| v.iter().map(|s| s.to_string()).collect())
    }

    /// Numeric dates are read in the locale's own order, from CLDR: `7/1/2008` is 1 July
    /// in en-US (it was read day first, 7 January, before the published date) and 7
    /// January in pt-BR; Korean writes them year first with spaces (`2008. 6. 13.`).
    #[test]
    fn numeric_dates_are_read_in_the_locales_own_order() {
        for (tag, month_first) in [
            ("en-US", true),
            ("pt-BR", false),
            ("en-GB", false),
            ("de-DE", false),
            // year first: month, then day
            ("ja-JP", true),
            ("ko-KR", true),
            ("fa-IR", true),
        ] {
            let locale: Locale = tag.parse().unwrap();
            assert_eq!(
                crate::i18n::numeric_month_first(&locale),
                month_first,
                "{tag}"
            );
        }
        let read = |tag: &str, text: &str| {
            let dates = DateReader::for_locale(&tag.parse().unwrap()).find(text);
            dates.iter().map(ToString::to_string).collect::<Vec<_>>()
        };
        assert_eq!(
            read("en-US", "Published: 6/13/2008 | Updated: 7/1/2008"),
            ["2008-06-13", "2008-07-01"]
        );
        assert_eq!(
            read("pt-BR", "Publicado: 13/06/2008 | Atualizado: 7/1/2009"),
            ["2008-06-13", "2009-01-07"]
        );
        // an order that cannot be wrong wins over the locale's
        assert_eq!(read("en-US", "13/6/2008"), ["2008-06-13"]);
        assert_eq!(read("pt-BR", "6/13/2008"), ["2008-06-13"]);
        assert_eq!(
            read("ko-KR", "게시: 2008. 6. 13. | 업데이트: 2008. 6. 17."),
            ["2008-06-13", "2008-06-17"]
        );
        // a space after the dots of a day-first date is prose, not a date
        assert!(read("de-DE", "Version 1. 2. 3").is_empty());
    }

    /// A stand-in for CLDR data in unit tests: pt, es, en, de, ja names as CLDR spells them.
    pub(crate) fn fake_names() -> DateNames {
        let months = list([
            &[
                "janeiro", "jan.", "enero", "ene", "january", "jan", "januar", "1月",
            ],
            &[
                "fevereiro",
                "fev.",
                "febrero",
                "feb",
                "february",
                "februar",
                "2月",
            ],
            &["março", "mar.", "marzo", "march", "mar", "märz", "3月"],
            &["abril", "abr.", "april", "apr", "4月"],
            &["maio", "mai.", "mayo", "may", "mai", "5月"],
            &["junho", "jun.", "junio", "june", "jun", "juni", "6月"],
            &["julho", "jul.", "julio", "july", "jul", "juli", "7月"],
            &["agosto", "ago.", "august", "aug", "8月"],
            &[
                "setembro",
                "set.",
                "septiembre",
                "sept",
                "september",
                "sep",
                "9月",
            ],
            &[
                "outubro", "out.", "octubre", "oct", "october", "oktober", "10月",
            ],
            &["novembro", "nov.", "noviembre", "november", "nov", "11月"],
            &[
                "dezembro",
                "dez.",
                "diciembre",
                "dic",
                "december",
                "dec",
                "dezember",
                "12月",
            ],
        ]);
        let weekdays = list([
            &["segunda-feira", "seg.", "lunes", "monday"],
            &["terça-feira", "ter.", "martes", "mar.", "tuesday"],
            &["quarta-feira", "qua.", "miércoles", "wednesday"],
            &["quinta-feira", "qui.", "jueves", "thursday"],
            &["sexta-feira", "sex.", "viernes", "friday", "freitag"],
            &["sábado", "sáb.", "saturday"],
            &["domingo", "dom.", "sunday"],
        ]);
        DateNames::from_lists(&months, &weekdays)
    }

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn dates_are_read_from_real_lines_of_both_locales_and_other_shapes() {
        let names = fake_names();
        let cases: &[(&str, &[&str])] = &[
            (
                "Publicado: sexta-feira, 13 de junho de 2008 | Atualizado: terça-feira, 17 de junho de 2008",
                &["2008-06-13", "2008-06-17"],
            ),
            (
                "Publicado: viernes, 13 de junio de 2008 | Actualizado: martes, 17 de junio de 2008",
                &["2008-06-13", "2008-06-17"],
            ),
            (
                "Publicado em: 8 de maio de 2018 | Atualizado em 29 de junho de 2018",
                &["2018-05-08", "2018-06-29"],
            ),
            (
                "Publicado em: 21.09.12 | Atualizado em: 05.01.16",
                &["2012-09-21", "2016-01-05"],
            ),
            (
                "Publicado em: 13/05/2014 | Atualizado em: 13/10/2015",
                &["2014-05-13", "2015-10-13"],
            ),
            (
                "Publicado em: 14.10.14 | Atualizado em: 14 de abril de 2015",
                &["2014-10-14", "2015-04-14"],
            ),
            (
                "Publicado em: 10 de março de 2015 | Atualizado em: 1º de julho de 2015",
                &["2015-03-10", "2015-07-01"],
            ),
            (
                "Published: October 21, 2014 | Updated: November 11, 2014",
                &["2014-10-21", "2014-11-11"],
            ),
            ("Publicado\u{a0}13\u{202f}de junio de 2008", &["2008-06-13"]),
            (
                "Publicado junio 13, 2008 Actualizado junio 17, 2008",
                &["2008-06-13", "2008-06-17"],
            ),
            ("Veröffentlicht: Freitag, 13. Juni 2008", &["2008-06-13"]),
            ("公開日: 2008年6月13日", &["2008-06-13"]),
            (
                "V1.1 (24 de maio de 2018)): Adição da pergunta",
                &["2018-05-24"],
            ),
            ("V1.0 (13.05.2014): Comunicado publicado", &["2014-05-13"]),
            ("2008-06-13", &["2008-06-13"]),
            ("06/13/08", &["2008-06-13"]),
            ("sábado, 1 de mar. de 2008", &["2008-03-01"]),
            ("V2.0 (11 de agosto de 06) Documento", &["2006-08-11"]),
            ("Windows Server 2008 R2 Service Pack 1", &[]),
            ("31 de fevereiro de 2008", &[]),
            ("**Versão:** 1.2", &[]),
        ];
        for (line, want) in cases {
            let got = find_dates(line, &names);
            let want: Vec<Date> = want.iter().map(|s| d(s)).collect();
            assert_eq!(got, want, "{line}");
        }
    }

    /// Each locale's long dates as avisa writes them (CLDR's, with that locale's digits:
    /// Arabic-Indic in ar-EG, Persian in fa-IR, Bengali in bn-BD, Devanagari in mr-IN) are
    /// read back: the tokenizer took only ASCII digits, so an ar-EG page was "not an
    /// advisory".
    #[test]
    fn long_dates_as_written_for_each_locale_are_read_back_whatever_their_digits() {
        let dates = ["2008-06-13", "1999-11-30", "2024-02-29", "2017-07-04"];
        for tag in [
            "ar-EG", "fa-IR", "bn-BD", "mr-IN", "ne-NP", "pt-BR", "de-DE", "ja-JP",
        ] {
            let locale: Locale = tag.parse().unwrap();
            let reader = DateReader::for_locale(&locale);
            for d in dates {
                let date: Date = d.parse().unwrap();
                let text = crate::i18n::format_date_long(&locale, date);
                assert_eq!(reader.find(&text), [date], "{tag}: {text}");
            }
        }
        // the digits of other scripts, and rows of ten that follow one another
        for (c, value) in [
            ('٣', 3),
            ('۹', 9),
            ('३', 3),
            ('３', 3),
            ('\u{1D7CE}', 0),
            ('\u{1D7D9}', 1),
            ('\u{1D7FF}', 9),
        ] {
            assert_eq!(crate::i18n::digit_value(c), Some(value), "{c}");
        }
        for c in ['²', '½', 'Ⅻ', 'a', '٪'] {
            assert_eq!(crate::i18n::digit_value(c), None, "{c}");
        }
    }

    /// Date lines and revision items as the public documentation writes them in locales
    /// the code has nothing of its own for: each read with its locale's CLDR names.
    #[test]
    fn dates_of_other_locales_are_read_with_their_own_cldr_names() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "de-DE",
                "Veröffentlicht: Freitag, 13. Juni 2008 | Aktualisiert: Dienstag, 17. Juni 2008",
                &["2008-06-13", "2008-06-17"],
            ),
            (
                "ja-JP",
                "公開日: 2008年6月13日 | 最終更新日: 2008年6月17日",
                &["2008-06-13", "2008-06-17"],
            ),
            // Japanese typography puts a space between digits and ideographs
            (
                "ja-JP",
                "公開日: 2015 年 3 月 10 日 | 更新日: 2015 年 3 月 17 日",
                &["2015-03-10", "2015-03-17"],
            ),
            (
                "ja-JP",
                "V1.0 (2008/06/13): アドバイザリを公開しました。",
                &["2008-06-13"],
            ),
            (
                "ko-KR",
                "게시 날짜: 2008년 6월 13일 금요일 | 업데이트 날짜: 2008년 6월 17일",
                &["2008-06-13", "2008-06-17"],
            ),
            ("ko-KR", "게시: 2008 년 6 월 13 일", &["2008-06-13"]),
            (
                "zh-CN",
                "发布日期: 2008年6月13日 | 更新日期: 2008 年 6 月 17 日",
                &["2008-06-13", "2008-06-17"],
            ),
            ("zh-TW", "發佈日期: 2008年6月13日", &["2008-06-13"]),
            (
                "tr-TR",
                "Yayımlanma: 13 Haziran 2008 Cuma | Güncelleştirme: 17 Haziran 2008",
                &["2008-06-13", "2008-06-17"],
            ),
            (
                "en-US",
                "Published: Friday, June 13, 2008 | Updated: June 17, 2008",
                &["2008-06-13", "2008-06-17"],
            ),
            (
                "fr-FR",
                "Date de publication : 13 juin 2008 | Mise à jour : 1er juillet 2008",
                &["2008-06-13", "2008-07-01"],
            ),
            (
                "ru-RU",
                "Опубликовано: 13 июня 2008 г. | Обновлено: 17 июня 2008 г.",
                &["2008-06-13", "2008-06-17"],
            ),
            ("pl-PL", "Opublikowano: 13 czerwca 2008", &["2008-06-13"]),
            ("hu-HU", "Közzétéve: 2008. június 13.", &["2008-06-13"]),
            // a month of two words ("tháng 6"), one glued to a prefix ("ביוני") or a
            // suffix ("ekainaren")
            (
                "vi-VN",
                "Đã phát hành: Ngày 13 tháng 6 năm 2008",
                &["2008-06-13"],
            ),
            (
                "he-IL",
                "פורסם: 13 ביוני 2008 | עודכן: 17 ביוני 2008",
                &["2008-06-13", "2008-06-17"],
            ),
            (
                "eu-ES",
                "Argitaratua: 2008(e)ko ekainaren 13(a)",
                &["2008-06-13"],
            ),
        ];
        for (tag, line, want) in cases {
            let reader = DateReader::for_locale(&tag.parse().unwrap());
            let want: Vec<Date> = want.iter().map(|s| d(s)).collect();
            assert_eq!(reader.find(line), want, "{tag}: {line}");
        }
        // a spaced month ("3 月") is no word of the label; the spaced year mark is (the
        // day mark, 日, is also Sunday's short name), so the line stays a short one
        let ja = DateReader::for_locale(&"ja-JP".parse().unwrap());
        assert_eq!(ja.other_words("公開日: 2015 年 3 月 10 日"), 2);
        assert_eq!(ja.other_words("公開日: 2015年3月10日"), 1);
    }

    /// A date line that holds only the updated date says so with the locale's "updated"
    /// word, from avisa's UI strings of its language.
    #[test]
    fn the_updated_word_comes_from_the_locales_ui_strings() {
        let word = |tag: &str| DateReader::for_locale(&tag.parse().unwrap()).updated_word;
        assert_eq!(word("pt-BR").as_deref(), Some("atualizado"));
        assert_eq!(word("pt-PT").as_deref(), Some("atualizado"));
        assert_eq!(word("es-ES").as_deref(), Some("actualizado"));
        assert_eq!(word("en-US").as_deref(), Some("updated"));
        assert_eq!(word("de-DE"), None);
        let pt = DateReader::for_locale(&"pt-BR".parse().unwrap());
        assert!(pt.says_updated("Atualizado: 17 de junho de 2008"));
        assert!(pt.says_updated("**Atualizado em** 17/06/2008"));
        assert!(!pt.says_updated("Publicado: 13 de junho de 2008"));
    }

    #[test]
    fn other_words_counts_labels_but_not_dates_or_weekdays() {
        let reader = DateReader {
            primary: fake_names(),
            fallback: None,
            updated_word: None,
        };
        assert_eq!(
            reader.other_words("Publicado: sexta-feira, 13 de junho de 2008"),
            3
        );
        assert_eq!(reader.other_words("Publicado em: 1º de julho de 2015"), 4);
    }

    #[test]
    fn fallback_names_are_used_only_when_the_primary_ones_find_nothing() {
        let pt = DateNames::from_lists(
            &list([
                &["janeiro"],
                &[],
                &[],
                &[],
                &[],
                &["junho"],
                &[],
                &[],
                &[],
                &[],
                &[],
                &[],
            ]),
            &Default::default(),
        );
        let en = DateNames::from_lists(
            &list([
                &["january"],
                &[],
                &[],
                &[],
                &[],
                &["june"],
                &[],
                &[],
                &[],
                &[],
                &[],
                &[],
            ]),
            &Default::default(),
        );
        let reader = DateReader {
            primary: pt,
            fallback: Some(en),
            updated_word: None,
        };
        assert_eq!(reader.find("Published: June 13, 2008"), [d("2008-06-13")]);
        assert_eq!(reader.find("13 de junho de 2008"), [d("2008-06-13")]);
    }
}
