//! Text into markup: the one escaping rule (`& < > " '`, slashes stay readable) for
//! every writer of HTML and XML, i.e. this module's own markup, the templates' autoescape
//! and the redirect pages. What comes out is safe in text and in single- or double-quoted
//! attribute values.

/// Which bytes need escaping: one table lookup per byte, where `find_special` goes byte
/// by byte. The markup characters, and the C0 control characters other than tab, line
/// feed and carriage return, which XML 1.0 does not allow even as references (a NUL in a
/// summary made the Atom feed not well-formed) and HTML reads as parse errors. And 0xEF,
/// the first byte of U+FFFE and U+FFFF, the two noncharacters XML 1.0 does not allow
/// either (a `"\uFFFE"` in a title, which YAML reads, did the same to the feed); the
/// other characters it starts pass (`is_nonchar_at`).
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'&' as usize] = true;
    t[b'<' as usize] = true;
    t[b'>' as usize] = true;
    t[b'"' as usize] = true;
    t[b'\'' as usize] = true;
    let mut b = 0;
    while b < 0x20 {
        t[b] = !matches!(b as u8, b'\t' | b'\n' | b'\r');
        b += 1;
    }
    t[0xEF] = true;
    t
};

/// True when the character at byte `i` of `bytes` (which starts with 0xEF) is U+FFFE or
/// U+FFFF.
fn is_nonchar_at(bytes: &[u8], i: usize) -> bool {
    matches!(bytes.get(i + 1..i + 3), Some([0xBF, 0xBE | 0xBF]))
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Nonzero when a byte of `word` (eight bytes) is `b` (the exact test for a zero byte in
/// `word ^ b…`).
fn has(word: u64, b: u8) -> u64 {
    let x = word ^ (ONES * u64::from(b));
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// Nonzero when a byte of `word` is below 0x20 (also for tab, line feed and carriage
/// return, which the callers then let pass).
fn has_control(word: u64) -> u64 {
    word.wrapping_sub(ONES * 0x20) & !word & HIGHS
}

/// The first byte at or after `from` that needs escaping. Eight bytes at a time while none
/// of them can (most text has no special character at all), else that word byte by byte.
fn find_special(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    for chunk in bytes[from..].chunks_exact(8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if has(word, b'&')
            | has(word, b'<')
            | has(word, b'>')
            | has(word, b'"')
            | has(word, b'\'')
            | has_control(word)
            | has(word, 0xEF)
            != 0
            && let Some(n) = chunk.iter().position(|&b| SPECIAL[usize::from(b)])
        {
            return Some(at + n);
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|&b| SPECIAL[usize::from(b)])
        .map(|n| at + n)
}

/// `s` with each character that HTML reads as a parse error and XML 1.0 does not allow
/// (the C0 controls but tab, line feed, form feed and carriage return; U+FFFE and U+FFFF)
/// replaced by U+FFFD, as [`escape_with`] writes them: for a Markdown body, whose text
/// and raw HTML the Markdown writer copies as they are. Borrowed when there is none (eight
/// bytes at a time), as nearly always.
pub(crate) fn without_disallowed(s: &str) -> std::borrow::Cow<'_, str> {
    let suspect =
        |b: &u8| *b == 0xEF || (*b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r'));
    let bytes = s.as_bytes();
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.remainder();
    let word_at = chunks.clone().position(|chunk| {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        has(word, 0xEF) | has_control(word) != 0 && chunk.iter().any(suspect)
    });
    let mut first = match word_at {
        Some(n) => n * 8,
        None if tail.iter().any(suspect) => bytes.len() - tail.len(),
        None => return std::borrow::Cow::Borrowed(s),
    };
    // (a chunk may start inside a character)
    while !s.is_char_boundary(first) {
        first -= 1;
    }
    let disallowed = |c: char| {
        matches!(c, '\u{fffe}' | '\u{ffff}')
            || (c < ' ' && !matches!(c, '\t' | '\n' | '\x0c' | '\r'))
    };
    if !s[first..].contains(disallowed) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.replace(disallowed, "\u{fffd}"))
}

/// Hands `write` the pieces of `s` escaped, in order: text without special characters
/// (most of it) goes in one piece, each special character as its reference, and each
/// control character or noncharacter that XML does not allow as U+FFFD, the replacement
/// character. Pieces end at character boundaries, so each is a slice of `s` as it is.
pub(crate) fn escape_with<E>(
    s: &str,
    mut write: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut from = 0;
    while let Some(i) = find_special(bytes, from) {
        let (reference, len) = match bytes[i] {
            b'&' => ("&amp;", 1),
            b'<' => ("&lt;", 1),
            b'>' => ("&gt;", 1),
            b'"' => ("&quot;", 1),
            b'\'' => ("&#39;", 1),
            0xEF if is_nonchar_at(bytes, i) => ("\u{fffd}", 3),
            0xEF => {
                from = i + 1;
                continue;
            }
            _ => ("\u{fffd}", 1),
        };
        write(&s[start..i])?;
        write(reference)?;
        start = i + len;
        from = start;
    }
    write(&s[start..])
}

/// Appends `s` escaped to `out`.
pub(crate) fn push_escaped(out: &mut String, s: &str) {
    let _ = escape_with(s, |piece| {
        out.push_str(piece);
        Ok::<(), std::convert::Infallible>(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disallowed_characters_become_the_replacement_character_at_every_offset() {
        let filler = "aé€ xyz😀bcd\nefghij\u{fffd}klm\tnop\x0cqrs\u{feff}tuvwxyz\r\n0123456789";
        for len in 0..48 {
            let base: String = filler.chars().take(len).collect();
            assert!(matches!(
                without_disallowed(&base),
                std::borrow::Cow::Borrowed(_)
            ));
            for bad in ["\x01", "\x1b[31m", "\u{fffe}", "\u{ffff}\x0b"] {
                for at in 0..=base.chars().count() {
                    let split = base.char_indices().nth(at).map_or(base.len(), |(i, _)| i);
                    let s = format!("{}{bad}{}", &base[..split], &base[split..]);
                    let want =
                        s.replace(['\x01', '\x1b', '\x0b', '\u{fffe}', '\u{ffff}'], "\u{fffd}");
                    assert_eq!(without_disallowed(&s), want, "{s:?}");
                }
            }
        }
    }

    #[test]
    fn escape_covers_markup_characters() {
        let mut out = String::new();
        push_escaped(&mut out, r#"<a href="x">'&'</a> / ok"#);
        assert_eq!(
            out,
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; / ok"
        );
    }

    #[test]
    fn escape_matches_a_character_by_character_escape_at_every_offset() {
        let naive = |s: &str| -> String {
            s.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_owned(),
                    '<' => "&lt;".to_owned(),
                    '>' => "&gt;".to_owned(),
                    '"' => "&quot;".to_owned(),
                    '\'' => "&#39;".to_owned(),
                    '\t' | '\n' | '\r' => c.to_string(),
                    c if u32::from(c) < 0x20 || matches!(c, '\u{fffe}' | '\u{ffff}') => {
                        "\u{fffd}".to_owned()
                    }
                    c => c.to_string(),
                })
                .collect()
        };
        // each special character (and three in a row) at every position of strings of
        // every length up to 47 characters, among multi-byte characters
        // (U+FFFD and U+FEFF start with 0xEF too, as U+FFFE and U+FFFF do)
        let filler = "aé€ xyz😀bcd\nefghij\u{fffd}klm\tnopqrs\u{feff}tuvwxyz0123456789";
        for len in 0..48 {
            let base: String = filler.chars().take(len).collect();
            for special in [
                "&",
                "<",
                ">",
                "\"",
                "'",
                "<&>",
                "\0",
                "\u{1f}\t\n\r\u{b}",
                "\u{fffe}",
                "\u{ffff}\u{fffe}\u{fffd}",
            ] {
                for at in 0..=base.chars().count() {
                    let split = base.char_indices().nth(at).map_or(base.len(), |(i, _)| i);
                    let s = format!("{}{special}{}", &base[..split], &base[split..]);
                    let mut out = String::new();
                    push_escaped(&mut out, &s);
                    assert_eq!(out, naive(&s), "{s:?}");
                }
            }
            let mut out = String::new();
            push_escaped(&mut out, &base);
            assert_eq!(out, base);
        }
    }
}
