//! Where a translation's body lies in its source: the byte ranges of the normalized text
//! that remain once the parts that became facts (front matter, title, date and version
//! lines, revision list, stamps) are cut out, with the text's length and hash. Pass 1 finds
//! them; pass 2 re-reads the file and rebuilds the body from them, without extracting it
//! again, and refuses a text that changed in between.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;

/// How to rebuild one body from its source text (see the module doc).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct BodyCut {
    /// Length in bytes of the normalized text the cut was made from.
    len: usize,
    /// [`fingerprint`] of that text.
    hash: u64,
    /// Byte ranges of runs of consecutive kept lines (without the `\n` after the last), in
    /// order; the body is them joined by `\n`, plus one `\n`, or empty when there are none.
    runs: Vec<Range<usize>>,
}

/// The source changed between the passes: its body cannot be cut with the ranges found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Changed;

impl BodyCut {
    /// The cut of `text` whose body starts at byte `body_start` and whose body lines (split
    /// at `\n`; `keep` has one flag per line) are kept where `keep` says so; blank lines at
    /// both ends of what is kept are dropped.
    pub(crate) fn new(text: &str, body_start: usize, keep: &[bool]) -> BodyCut {
        let mut lines: Vec<Range<usize>> = Vec::new();
        let mut pos = body_start;
        for (i, line) in text[body_start..].split('\n').enumerate() {
            if keep.get(i).copied().unwrap_or(false) {
                lines.push(pos..pos + line.len());
            }
            pos += line.len() + 1;
        }
        let is_text = |r: &Range<usize>| !text[r.clone()].trim().is_empty();
        let first = lines.iter().position(is_text);
        let last = lines.iter().rposition(is_text);
        let mut runs: Vec<Range<usize>> = Vec::new();
        if let (Some(a), Some(b)) = (first, last) {
            for range in &lines[a..=b] {
                // the next line of the text starts right after the `\n` ending this run
                match runs.last_mut() {
                    Some(run) if run.end + 1 == range.start => run.end = range.end,
                    _ => runs.push(range.clone()),
                }
            }
        }
        BodyCut {
            len: text.len(),
            hash: fingerprint(text),
            runs,
        }
    }

    /// The body of `text`, which must be the text the cut was made from (same length and
    /// hash), else [`Changed`].
    pub(crate) fn apply(&self, text: &str) -> Result<String, Changed> {
        if text.len() != self.len || fingerprint(text) != self.hash {
            return Err(Changed);
        }
        self.rebuild(text).ok_or(Changed)
    }

    /// The body of `text` without checking the fingerprint (the text the cut was just made
    /// from); `None` when a range does not fit `text`.
    pub(crate) fn rebuild(&self, text: &str) -> Option<String> {
        let size: usize = self.runs.iter().map(|r| r.len() + 1).sum();
        let mut body = String::with_capacity(size);
        for run in &self.runs {
            body.push_str(text.get(run.clone())?);
            body.push('\n');
        }
        Some(body)
    }
}

/// A hash of the whole text; fixed keys, so stable within one run (all it is compared in).
fn fingerprint(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The body as the line filter defines it: kept lines, blank ends trimmed, joined.
    fn expected(text: &str, body_start: usize, keep: &[bool]) -> String {
        let kept: Vec<&str> = text[body_start..]
            .split('\n')
            .zip(keep)
            .filter(|(_, k)| **k)
            .map(|(l, _)| l)
            .collect();
        let a = kept.iter().position(|l| !l.trim().is_empty());
        let b = kept.iter().rposition(|l| !l.trim().is_empty());
        match (a, b) {
            (Some(a), Some(b)) => kept[a..=b].join("\n") + "\n",
            _ => String::new(),
        }
    }

    #[test]
    fn a_cut_rebuilds_the_kept_lines_without_blank_ends() {
        // (text, body start, keep flags per body line)
        let cases: &[(&str, usize, &[bool])] = &[
            ("a\nb\nc\n", 0, &[true, true, true, true]),
            ("a\nb\nc\n", 0, &[false, true, false, true]),
            ("a\nb\nc", 0, &[true, false, true]),
            (
                "---\nx: 1\n---\n\n# T\n\nbody\n\n  \nmore\n",
                14,
                &[true, false, true, true, true, true, true, true],
            ),
            ("\n\n\n", 0, &[true, true, true, true]),
            ("", 0, &[true]),
            ("só ção\n\nfim ünï\n", 0, &[true, true, true, true]),
            ("a\n\nb\n\nc\n", 0, &[true, true, false, true, true, true]),
        ];
        for (text, start, keep) in cases {
            let cut = BodyCut::new(text, *start, keep);
            let want = expected(text, *start, keep);
            assert_eq!(
                cut.rebuild(text).as_deref(),
                Some(want.as_str()),
                "{text:?}"
            );
            assert_eq!(cut.apply(text), Ok(want), "{text:?}");
        }
    }

    #[test]
    fn a_text_changed_since_the_cut_is_refused() {
        let text = "# T\n\nPublicado: 1\n\nTexto.\n";
        let cut = BodyCut::new(text, 0, &[false, false, false, true, true, true]);
        assert_eq!(cut.apply(text), Ok("Texto.\n".to_string()));
        for changed in [
            "# T\n\nPublicado: 2\n\nTexto.\n", // same length, other bytes
            "# T\n\nPublicado: 1\n\nTexto!!\n",
            "# T\n\nPublicado: 1\n\nTexto.",
            "",
        ] {
            assert_eq!(cut.apply(changed), Err(Changed), "{changed:?}");
        }
    }
}
