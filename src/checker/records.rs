//! Record formats (spec §4.3 step 4): legacy SMS trace lines, CMTrace records (opener
//! and closing trailer), CMTrace clipboard copies and plain lines. Pure functions over
//! one line of text; the engine strings lines into records.

use memchr::{memchr, memrchr};

/// The four record kinds, in the order the output lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    SmsLegacy = 0,
    Cmtrace = 1,
    Clipboard = 2,
    Plain = 3,
}

/// Output names of the kinds, indexed by `Kind as usize`.
pub(crate) const KIND_NAMES: [&str; 4] = ["sms_legacy", "cmtrace", "clipboard", "plain"];

/// A one-line record: its kind, message (trimmed) and component (`None`: none, or
/// empty, as for CMTrace records, so that a filter does not exclude it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Single<'a> {
    pub(crate) kind: Kind,
    pub(crate) message: &'a str,
    pub(crate) component: Option<&'a str>,
}

/// What starts a CMTrace record.
pub(crate) const CM_OPENER: &str = "<![LOG[";

/// Trims spaces and tabs at both ends (the spec's "trimmed").
pub(crate) fn trim_blank(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

/// Classifies a line that is not (or failed to be) a CMTrace record: legacy, then
/// clipboard, else plain.
pub(crate) fn classify_single(line: &str) -> Single<'_> {
    if let Some((msg_end, component)) = legacy_trailer(line) {
        return Single {
            kind: Kind::SmsLegacy,
            message: line[..msg_end].trim_matches([' ', '\t', '~']),
            component: Some(component).filter(|c| !c.is_empty()),
        };
    }
    if let Some((message, component)) = clipboard(line) {
        return Single {
            kind: Kind::Clipboard,
            message: trim_blank(message),
            component: Some(component).filter(|c| !c.is_empty()),
        };
    }
    Single {
        kind: Kind::Plain,
        message: trim_blank(line),
        component: None,
    }
}

/// Finds a legacy trailer `$$<COMPONENT><TIME><thread=…>[ \t]*` at the end of the line,
/// starting at the line's last `$$<`; returns where the message ends and the component.
fn legacy_trailer(line: &str) -> Option<(usize, &str)> {
    let b = line.as_bytes();
    // A valid trailer holds exactly two more `<` after its `$$<`, so its `<` is the
    // third-last `<` of the line; any later `$$<` would break the trailer anyway.
    let p3 = memrchr(b'<', b)?;
    let p2 = memrchr(b'<', &b[..p3])?;
    let p1 = memrchr(b'<', &b[..p2])?;
    if p1 < 2 || &b[p1 - 2..p1] != b"$$" {
        return None;
    }
    let seg1 = &b[p1 + 1..p2];
    let seg2 = &b[p2 + 1..p3];
    if seg1.last() != Some(&b'>') || memchr(b'>', &seg1[..seg1.len() - 1]).is_some() {
        return None;
    }
    if seg2.last() != Some(&b'>') || memchr(b'>', &seg2[..seg2.len() - 1]).is_some() {
        return None;
    }
    let seg3 = b[p3 + 1..].strip_prefix(b"thread=")?;
    let close = memchr(b'>', seg3)?;
    if !seg3[close + 1..].iter().all(|&c| c == b' ' || c == b'\t') {
        return None;
    }
    // Every index is at an ASCII byte, so the slices are on char boundaries.
    Some((p1 - 2, &line[p1 + 1..p2 - 1]))
}

/// Matches `^(.*)\t([^\t]*)\t([^\t]*)\t([0-9]+ \(0x[0-9A-Fa-f]+\))[ \t]*$`; returns
/// (group 1, group 2).
fn clipboard(line: &str) -> Option<(&str, &str)> {
    let b = line.as_bytes();
    memchr(b'\t', b)?;
    let t = line.trim_end_matches([' ', '\t']);
    if !t.ends_with(')') {
        return None;
    }
    let tab3 = memrchr(b'\t', &b[..t.len()])?;
    if !is_thread(&t[tab3 + 1..]) {
        return None;
    }
    let tab2 = memrchr(b'\t', &b[..tab3])?;
    let tab1 = memrchr(b'\t', &b[..tab2])?;
    Some((&line[..tab1], &line[tab1 + 1..tab2]))
}

/// `[0-9]+ \(0x[0-9A-Fa-f]+\)`
fn is_thread(s: &str) -> bool {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return false;
    }
    let Some(rest) = s[digits..]
        .strip_prefix(" (0x")
        .and_then(|r| r.strip_suffix(')'))
    else {
        return false;
    };
    !rest.is_empty() && rest.bytes().all(|c| c.is_ascii_hexdigit())
}

/// Finds the CMTrace closing trailer in `text` (part of one line): the leftmost match
/// of `\]LOG\]!><time="[^"]*"[ \t]+date="[^"]*"[ \t]+component="([^"]*)"[ \t]+context="[^"]*"[ \t]+type="([^"]*)"[ \t]+thread="[^"]*"(?:[ \t]+file="[^"]*")?>[ \t]*$`.
/// Returns where the message ends and the component (`None` when the attribute is empty).
pub(crate) fn cm_close(text: &str) -> Option<(usize, Option<&str>)> {
    const HEAD: &[u8] = b"]LOG]!><time=\"";
    let b = text.as_bytes();
    for at in memchr::memmem::find_iter(b, HEAD) {
        if let Some((c0, c1)) = cm_attributes(b, at + HEAD.len()) {
            // The indices sit next to ASCII quotes, so they are char boundaries.
            let component = Some(&text[c0..c1]).filter(|c| !c.is_empty());
            return Some((at, component));
        }
    }
    None
}

/// Parses the attributes after `time="` to the end of the line; returns the component's span.
fn cm_attributes(b: &[u8], mut p: usize) -> Option<(usize, usize)> {
    // The end of a `[^"]*"` value starting at `p`: just past its closing quote.
    let value = |p: usize| memchr(b'"', &b[p..]).map(|i| p + i + 1);
    let blanks = |p: usize| {
        p + b[p..]
            .iter()
            .take_while(|&&c| c == b' ' || c == b'\t')
            .count()
    };
    let attr = |p: usize, name: &[u8]| -> Option<usize> {
        let q = blanks(p);
        (q > p && b[q..].starts_with(name)).then_some(q + name.len())
    };
    p = value(p)?;
    p = value(attr(p, b"date=\"")?)?;
    let c0 = attr(p, b"component=\"")?;
    p = value(c0)?;
    let c1 = p - 1;
    p = value(attr(p, b"context=\"")?)?;
    p = value(attr(p, b"type=\"")?)?;
    p = value(attr(p, b"thread=\"")?)?;
    if b.get(p) != Some(&b'>') {
        p = value(attr(p, b"file=\"")?)?;
        if b.get(p) != Some(&b'>') {
            return None;
        }
    }
    (blanks(p + 1) == b.len()).then_some((c0, c1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_classified_by_format() {
        let cases: &[(&str, Kind, &str, Option<&str>)] = &[
            (
                "Performing legacy sync  $$<SMS_WSUS_SYNC_MANAGER><06-13-2008 10:04:55.057+420><thread=3572 (0xDF4)>",
                Kind::SmsLegacy,
                "Performing legacy sync",
                Some("SMS_WSUS_SYNC_MANAGER"),
            ),
            (
                "~~  line one~~  $$<C><T><thread=1 (0x1)>\t ",
                Kind::SmsLegacy,
                "line one",
                Some("C"),
            ),
            (
                "a $$<x> b $$<C><T><thread=1>",
                Kind::SmsLegacy,
                "a $$<x> b",
                Some("C"),
            ),
            (
                "cost $$ 5 $$<><><thread=>",
                Kind::SmsLegacy,
                "cost $$ 5",
                None,
            ),
            (
                "m $$<C><T><thread=1> trailing",
                Kind::Plain,
                "m $$<C><T><thread=1> trailing",
                None,
            ),
            (
                "m $$<C><T><thread=1><x>",
                Kind::Plain,
                "m $$<C><T><thread=1><x>",
                None,
            ),
            (
                "m $$<C>><T><thread=1>",
                Kind::Plain,
                "m $$<C>><T><thread=1>",
                None,
            ),
            (
                "m $<C><T><thread=1>",
                Kind::Plain,
                "m $<C><T><thread=1>",
                None,
            ),
            ("m $$<C><T><thr=1>", Kind::Plain, "m $$<C><T><thr=1>", None),
            (
                "Log text\tSMS_WSUS_SYNC_MANAGER\t6/13/2008 10:04:55 AM\t3572 (0xDF4)",
                Kind::Clipboard,
                "Log text",
                Some("SMS_WSUS_SYNC_MANAGER"),
            ),
            (
                "  a\tb\tc\tComp\tdate\t12 (0xaF) \t",
                Kind::Clipboard,
                "a\tb\tc",
                Some("Comp"),
            ),
            (
                "text\tComp\tdate\t12 (0xG)",
                Kind::Plain,
                "text\tComp\tdate\t12 (0xG)",
                None,
            ),
            (
                "text\tComp\t12 (0x1)",
                Kind::Plain,
                "text\tComp\t12 (0x1)",
                None,
            ),
            ("  just text \t", Kind::Plain, "just text", None),
            ("", Kind::Plain, "", None),
        ];
        for (line, kind, message, component) in cases {
            let s = classify_single(line);
            assert_eq!(
                (s.kind, s.message, s.component),
                (*kind, *message, *component),
                "{line:?}"
            );
        }
    }

    /// The spec's pattern, to check the hand-written parser against.
    fn cm_close_by_regex(text: &str) -> Option<(usize, Option<&str>)> {
        let re = regex::Regex::new(
            r#"\]LOG\]!><time="[^"]*"[ \t]+date="[^"]*"[ \t]+component="([^"]*)"[ \t]+context="[^"]*"[ \t]+type="([^"]*)"[ \t]+thread="[^"]*"(?:[ \t]+file="[^"]*")?>[ \t]*$"#,
        )
        .expect("valid");
        let caps = re.captures(text)?;
        Some((
            caps.get(0)?.start(),
            caps.get(1).map(|m| m.as_str()).filter(|c| !c.is_empty()),
        ))
    }

    #[test]
    fn cmtrace_trailer_parser_agrees_with_the_spec_pattern() {
        let good =
            r#"]LOG]!><time="1" date="2" component="C" context="" type="1" thread="3" file="f">"#;
        let mut cases = vec![
            good.to_string(),
            format!("msg{good}"),
            format!("a]LOG]!><time=\"x{good}"),
            format!("a]LOG]!><time=\"x\"{good}"),
            format!("{good} \t"),
            format!("{good}x"),
            format!("{good}{good}"),
            good.replace(r#" file="f""#, ""),
            good.replace(r#" file="f""#, " "),
            good.replace(r#" file="f""#, r#"file="f""#),
            good.replace(" date", "\t \tdate"),
            good.replace(" date", "date"),
            good.replace(r#"component="C""#, r#"component="""#),
            good.replace(r#"component="C""#, r#"component="a>b]c""#),
            good.replace(r#"type="1""#, r#"type="1"#),
            good.replace(r#"time="1""#, r#"time="""#),
            good.replace("thread", "Thread"),
            good.replace('>', ">>"),
            "]LOG]!><time=\"".to_string(),
            String::new(),
        ];
        for i in 0..good.len() {
            cases.push(good[..i].to_string());
        }
        for c in &cases {
            assert_eq!(cm_close(c), cm_close_by_regex(c), "{c:?}");
        }
    }

    #[test]
    fn cmtrace_trailer_is_found_with_its_component() {
        let t = r#"Sync done]LOG]!><time="11:03:52.367+360" date="06-19-2008" component="SMS_WSUS_SYNC_MANAGER" context="" type="1" thread="2210" file="">"#;
        assert_eq!(cm_close(t), Some((9, Some("SMS_WSUS_SYNC_MANAGER"))));
        let no_file = r#"x]LOG]!><time="" date=""	component="" context="" type="" thread="">  "#;
        assert_eq!(cm_close(no_file), Some((1, None)));
        assert_eq!(
            cm_close(r#"x]LOG]!><time="" date="" component="" context="" type="" thread=""> x"#),
            None
        );
        assert_eq!(cm_close("no trailer here"), None);
    }
}
