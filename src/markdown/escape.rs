//! Text into markup: the one escaping rule (`& < > " '`, slashes stay readable) for
//! every writer of HTML and XML, i.e. this module's own markup, the templates' autoescape
//! and the redirect pages. What comes out is safe in text and in single- or double-quoted
//! attribute values.

/// Which bytes need escaping: one table lookup per byte, where `find_special` goes byte
/// by byte. The markup characters, and the C0 control characters other than tab, line
/// feed and carriage return, which XML 1.0 does not allow even as references (a NUL in a
/// summary made the Atom feed not well-formed) and HTML reads as parse errors.
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
    t
};

/// The first byte at or after `from` that needs escaping. Eight bytes at a time while none
/// of them can (most text has no special character at all), else that word byte by byte.
fn find_special(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    /// Nonzero when a byte of `word` is `b` (the exact test for a zero byte in `word ^ b…`).
    fn has(word: u64, b: u8) -> u64 {
        let x = word ^ (ONES * u64::from(b));
        x.wrapping_sub(ONES) & !x & HIGHS
    }
    /// Nonzero when a byte of `word` is below 0x20 (also for tab, line feed and carriage
    /// return, which the table then lets pass).
    fn has_control(word: u64) -> u64 {
        word.wrapping_sub(ONES * 0x20) & !word & HIGHS
    }
    let mut at = from;
    for chunk in bytes[from..].chunks_exact(8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if has(word, b'&')
            | has(word, b'<')
            | has(word, b'>')
            | has(word, b'"')
            | has(word, b'\'')
            | has_control(word)
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

/// Hands `write` the pieces of `s` escaped, in order: text without special characters
/// (most of it) goes in one piece, each special character as its reference, and each
/// control character that XML does not allow as U+FFFD, the replacement character. Pieces
/// end at ASCII bytes, so each is a slice of `s` as it is.
pub(crate) fn escape_with<E>(
    s: &str,
    mut write: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(i) = find_special(bytes, start) {
        let reference = match bytes[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => "\u{fffd}",
        };
        write(&s[start..i])?;
        write(reference)?;
        start = i + 1;
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
                    c if u32::from(c) < 0x20 => "\u{fffd}".to_owned(),
                    c => c.to_string(),
                })
                .collect()
        };
        // each special character (and three in a row) at every position of strings of
        // every length up to 47 characters, among multi-byte characters
        let filler = "aé€ xyz😀bcd\nefghijklm\tnopqrstuvwxyz0123456789";
        for len in 0..48 {
            let base: String = filler.chars().take(len).collect();
            for special in ["&", "<", ">", "\"", "'", "<&>", "\0", "\u{1f}\t\n\r\u{b}"] {
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
