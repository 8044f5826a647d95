//! Streaming decoding of one log file (spec §4.3 step 2): BOM sniffing, valid UTF-8
//! passed through in place without copying, and encoding_rs for UTF-16 and
//! windows-1252. Text goes to a sink in windows that the sink consumes line by line;
//! the sink returns the bytes it used; a file that turns out not to be UTF-8 is reported so the caller can restart it.
//!
//! The sink consumes whole lines only, so it is called again only when new text brings a
//! line terminator (or at the end): a line longer than a chunk is handed over once, not
//! once per chunk, and a file that is one 400 MB line costs linear time, not quadratic.

use std::io::{self, Read};

use memchr::{memchr, memchr2};

/// Bytes read per step.
pub(crate) const CHUNK: usize = 1 << 20;

/// The encoding a file was read with, as the output names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    /// `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be` or `windows-1252`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

/// The encoding a BOM at the start of `head` announces, and the BOM's length.
pub(crate) fn sniff_bom(head: &[u8]) -> Option<(Encoding, u64)> {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        Some((Encoding::Utf8Bom, 3))
    } else if head.starts_with(&[0xFF, 0xFE]) {
        Some((Encoding::Utf16Le, 2))
    } else if head.starts_with(&[0xFE, 0xFF]) {
        Some((Encoding::Utf16Be, 2))
    } else {
        None
    }
}

/// How to turn bytes into text.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Mode {
    /// Valid UTF-8 only: reports `End::InvalidUtf8` at the first bad byte.
    StrictUtf8,
    /// WHATWG decoding; malformed input becomes U+FFFD.
    Decoder(&'static encoding_rs::Encoding),
}

impl Mode {
    /// The decoder for `enc` once it is known that strict UTF-8 does not apply.
    pub(crate) fn lossy(enc: Encoding) -> Mode {
        Mode::Decoder(match enc {
            Encoding::Utf8 | Encoding::Utf8Bom => encoding_rs::UTF_8,
            Encoding::Utf16Le => encoding_rs::UTF_16LE,
            Encoding::Utf16Be => encoding_rs::UTF_16BE,
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252,
        })
    }
}

/// How a file ended.
#[derive(Debug)]
pub(crate) enum End {
    Done {
        /// Text the sink left unconsumed at the end (a line a rollover continues).
        leftover: String,
        /// Bytes of decoded text of this file (the prefix not counted).
        text_len: u64,
        /// The last decoded byte of this file.
        last: Option<u8>,
    },
    /// The file is not valid UTF-8 (strict mode only).
    InvalidUtf8,
    /// The decoded text contains U+0000. `valid_utf8`: in strict mode, whether the whole
    /// file is valid UTF-8 (it was read to the end to know).
    Binary { valid_utf8: bool },
}

/// Reads `reader` to its end, handing `prefix` plus the decoded text to `sink` in
/// windows: `sink(text, eof)` gets everything not yet consumed and returns how much it
/// consumed, which must end at a line terminator (`\n`, `\r`) unless `eof`. The sink is
/// first called once the file has text of its own; a file without text ends with
/// `Done { text_len: 0, leftover: prefix }`.
pub(crate) fn decode(
    reader: &mut dyn Read,
    mode: Mode,
    prefix: &str,
    sink: &mut dyn FnMut(&str, bool) -> usize,
) -> io::Result<End> {
    match mode {
        Mode::StrictUtf8 => decode_utf8(reader, prefix, sink),
        Mode::Decoder(enc) => decode_with(reader, enc, prefix, sink),
    }
}

/// Whether new text brings a line terminator, without which the sink would consume
/// nothing more (skipping it is always correct: the sink sees the same text later).
fn has_line_end(new: &[u8]) -> bool {
    memchr2(b'\n', b'\r', new).is_some()
}

fn read_some(reader: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            r => return r,
        }
    }
}

fn decode_utf8(
    reader: &mut dyn Read,
    prefix: &str,
    sink: &mut dyn FnMut(&str, bool) -> usize,
) -> io::Result<End> {
    let mut buf: Vec<u8> = Vec::with_capacity(prefix.len() + 2 * CHUNK);
    buf.extend_from_slice(prefix.as_bytes());
    let mut text_len = 0u64;
    let mut last = None;
    loop {
        let old = buf.len();
        // Grow by a chunk; a line longer than the buffer keeps it growing.
        buf.resize(old + CHUNK, 0);
        let n = read_some(reader, &mut buf[old..])?;
        buf.truncate(old + n);
        let eof = n == 0;
        if n > 0 {
            text_len += n as u64;
            last = Some(buf[old + n - 1]);
            if memchr(0, &buf[old..]).is_some() {
                let valid = std::str::from_utf8(&buf).is_ok() || ends_incomplete(&buf);
                return Ok(End::Binary {
                    valid_utf8: valid && rest_is_utf8(reader, &buf)?,
                });
            }
        }
        if text_len == 0 {
            if eof {
                return Ok(End::Done {
                    leftover: prefix.to_string(),
                    text_len,
                    last,
                });
            }
            continue;
        }
        if !eof && !has_line_end(&buf[old..]) {
            continue;
        }
        // Leave a character cut by the chunk end for the next round.
        let end = if eof {
            buf.len()
        } else {
            complete_prefix(&buf)
        };
        let Ok(text) = std::str::from_utf8(&buf[..end]) else {
            return Ok(End::InvalidUtf8);
        };
        let used = sink(text, eof);
        if eof {
            return Ok(End::Done {
                leftover: text[used..].to_string(),
                text_len,
                last,
            });
        }
        buf.drain(..used);
    }
}

/// The length of `b` without a multi-byte character that its end cuts short (the
/// bytes of a sequence announced by a lead byte but not all there yet).
fn complete_prefix(b: &[u8]) -> usize {
    let n = b.len();
    for back in 1..=n.min(3) {
        let c = b[n - back];
        if c & 0xC0 != 0x80 {
            let need = match c {
                0xF0.. => 4,
                0xE0.. => 3,
                0xC0.. => 2,
                _ => 1,
            };
            return if need > back { n - back } else { n };
        }
    }
    n
}

/// True when `buf` is valid UTF-8 except for an incomplete character at its end.
fn ends_incomplete(buf: &[u8]) -> bool {
    match std::str::from_utf8(buf) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// Reads the rest of a binary file only to learn whether the whole file is UTF-8.
fn rest_is_utf8(reader: &mut dyn Read, seen: &[u8]) -> io::Result<bool> {
    // Keep at most the last 3 bytes of an incomplete character between reads.
    let mut carry: Vec<u8> = match std::str::from_utf8(seen) {
        Ok(_) => Vec::new(),
        Err(e) if e.error_len().is_none() => seen[e.valid_up_to()..].to_vec(),
        Err(_) => return Ok(false),
    };
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = read_some(reader, &mut buf)?;
        if n == 0 {
            return Ok(carry.is_empty());
        }
        carry.extend_from_slice(&buf[..n]);
        match std::str::from_utf8(&carry) {
            Ok(_) => carry.clear(),
            Err(e) if e.error_len().is_none() => {
                carry.drain(..e.valid_up_to());
            }
            Err(_) => return Ok(false),
        }
    }
}

fn decode_with(
    reader: &mut dyn Read,
    enc: &'static encoding_rs::Encoding,
    prefix: &str,
    sink: &mut dyn FnMut(&str, bool) -> usize,
) -> io::Result<End> {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut raw = vec![0u8; CHUNK];
    let mut text = String::with_capacity(prefix.len() + 3 * CHUNK);
    text.push_str(prefix);
    let mut text_len = 0u64;
    let mut last = None;
    loop {
        let n = read_some(reader, &mut raw)?;
        let eof = n == 0;
        let before = text.len();
        let mut src = &raw[..n];
        loop {
            let need = decoder
                .max_utf8_buffer_length(src.len())
                .unwrap_or(src.len() * 3 + 16);
            text.reserve(need);
            let (result, read, _) = decoder.decode_to_string(src, &mut text, eof);
            src = &src[read..];
            if result == encoding_rs::CoderResult::InputEmpty {
                break;
            }
        }
        if text.len() > before {
            text_len += (text.len() - before) as u64;
            last = text.as_bytes().last().copied();
            if memchr(0, &text.as_bytes()[before..]).is_some() {
                return Ok(End::Binary { valid_utf8: false });
            }
        }
        if text_len == 0 {
            if eof {
                return Ok(End::Done {
                    leftover: prefix.to_string(),
                    text_len,
                    last,
                });
            }
            continue;
        }
        if !eof && !has_line_end(&text.as_bytes()[before..]) {
            continue;
        }
        let used = sink(&text, eof);
        if eof {
            return Ok(End::Done {
                leftover: text[used..].to_string(),
                text_len,
                last,
            });
        }
        text.drain(..used);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes `bytes` with `mode`, consuming everything at EOF; returns the text or the end.
    fn run(bytes: &[u8], mode: Mode) -> (String, End) {
        let (out, end, _, _) = run_counted(bytes, mode);
        (out, end)
    }

    /// [`run`], plus how many times the sink was called and how many bytes it was handed.
    fn run_counted(bytes: &[u8], mode: Mode) -> (String, End, usize, usize) {
        let mut out = String::new();
        let (mut calls, mut handed) = (0, 0);
        let mut r = bytes;
        let end = decode(&mut r, mode, "", &mut |t: &str, eof| {
            calls += 1;
            handed += t.len();
            // Consume whole lines only, as the engine does, to exercise carrying.
            let used = if eof {
                t.len()
            } else {
                t.rfind('\n').map_or(0, |i| i + 1)
            };
            out.push_str(&t[..used]);
            used
        })
        .expect("in-memory reads do not fail");
        (out, end, calls, handed)
    }

    #[test]
    fn boms_are_recognized() {
        assert_eq!(sniff_bom(b"\xEF\xBB\xBFx"), Some((Encoding::Utf8Bom, 3)));
        assert_eq!(sniff_bom(b"\xFF\xFEx\0"), Some((Encoding::Utf16Le, 2)));
        assert_eq!(sniff_bom(b"\xFE\xFF\0x"), Some((Encoding::Utf16Be, 2)));
        assert_eq!(sniff_bom(b"\xEF\xBB"), None);
    }

    #[test]
    fn invalid_utf8_after_a_long_valid_prefix_is_reported() {
        let mut bytes = "é\n".repeat(CHUNK).into_bytes();
        bytes.push(0x80);
        assert!(matches!(run(&bytes, Mode::StrictUtf8).1, End::InvalidUtf8));
    }

    #[test]
    fn multibyte_characters_split_across_chunks_are_kept_whole() {
        let text = format!("{}é€😀\n", "a".repeat(CHUNK - 1));
        let (out, end) = run(text.as_bytes(), Mode::StrictUtf8);
        assert_eq!(out, text);
        assert!(
            matches!(end, End::Done { text_len, last: Some(b'\n'), .. } if text_len == text.len() as u64)
        );
    }

    #[test]
    fn complete_prefix_holds_back_only_a_cut_character() {
        let cases: &[(&[u8], usize)] = &[
            (b"ab", 2),
            (b"a\xC3", 1),
            (b"a\xC3\xA9", 3),
            (b"a\xE2\x82", 1),
            (b"a\xE2\x82\xAC", 4),
            (b"a\xF0\x9F\x98", 1),
            (b"a\xF0\x9F\x98\x80", 5),
            (b"\x80\x80\x80", 3),
            (b"", 0),
        ];
        for (b, n) in cases {
            assert_eq!(complete_prefix(b), *n, "{b:?}");
        }
    }

    #[test]
    fn windows_1252_follows_whatwg() {
        let (out, _) = run(b"\x80 \x85 \x81 \xe9", Mode::lossy(Encoding::Windows1252));
        assert_eq!(out, "€ … \u{81} é");
    }

    #[test]
    fn malformed_utf16_becomes_replacement_characters() {
        // Lone high surrogate, then an odd trailing byte.
        let (out, _) = run(b"a\0\x00\xD8b\0x", Mode::lossy(Encoding::Utf16Le));
        assert_eq!(out, "a\u{FFFD}b\u{FFFD}");
        let (out, _) = run(b"\0a\0\n", Mode::lossy(Encoding::Utf16Be));
        assert_eq!(out, "a\n");
    }

    #[test]
    fn nul_makes_a_file_binary_and_reports_its_encoding() {
        assert!(matches!(
            run(b"ab\0c", Mode::StrictUtf8).1,
            End::Binary { valid_utf8: true }
        ));
        assert!(matches!(
            run(b"ab\0c\xff", Mode::StrictUtf8).1,
            End::Binary { valid_utf8: false }
        ));
        assert!(matches!(
            run(b"a\0\0\0", Mode::lossy(Encoding::Utf16Le)).1,
            End::Binary { .. }
        ));
    }

    #[test]
    fn a_line_longer_than_a_chunk_is_handed_over_once() {
        // Before, each chunk re-handed (and re-validated) the whole growing line:
        // quadratic in the line's length.
        let line = "é".repeat(4 * CHUNK);
        let text = format!("{line}\r\nnext");
        for (bytes, mode) in [
            (text.clone().into_bytes(), Mode::StrictUtf8),
            (
                text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
                Mode::lossy(Encoding::Utf16Le),
            ),
        ] {
            let (out, _, calls, handed) = run_counted(&bytes, mode);
            assert_eq!(out, text);
            assert!(calls <= 3, "{mode:?}: {calls} calls");
            assert!(handed < 2 * text.len(), "{mode:?}: {handed} bytes handed");
        }
    }

    #[test]
    fn empty_input_keeps_the_prefix_and_never_calls_the_sink() {
        let mut r: &[u8] = b"";
        let mut called = false;
        let end = decode(&mut r, Mode::StrictUtf8, "carried", &mut |_, _| {
            called = true;
            0
        })
        .expect("in-memory");
        assert!(!called);
        assert!(
            matches!(end, End::Done { ref leftover, text_len: 0, last: None } if leftover == "carried")
        );
    }
}
