//! Plain text out of Markdown, for fields that are never rendered as Markdown (revision
//! notes) and for reading tables cell by cell (`avisa import`): GFM pipe tables and raw
//! HTML tables, whose cells may hold Markdown. Tags are recognised by a small scanner over
//! pulldown-cmark's `Html` events; no HTML is produced here.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The text a reader sees in inline Markdown: emphasis, code marks, link targets and tags
/// dropped, entities and backslash escapes resolved, runs of white space (line breaks,
/// `<br>`) turned into one space, trimmed. Block structure (lists, paragraphs) is flattened.
pub(crate) fn inline_to_plain_text(src: &str) -> String {
    collapse_spaces(&plain_text(src, true).text)
}

/// Plain text (white space not yet collapsed), how many of its letters and digits were
/// link text and strong text, and where its line breaks are.
#[derive(Default)]
struct Plain {
    text: String,
    tally: Tally,
    /// The length of the text and the tally at each line break (`<br>`, a hard break, the
    /// end of a paragraph or another block), in order.
    breaks: Vec<(usize, Tally)>,
}

/// Letters and digits of a text, and how many of them were link text and strong text.
#[derive(Default, Clone, Copy)]
struct Tally {
    chars: usize,
    link_chars: usize,
    strong_chars: usize,
}

impl Tally {
    fn plus(self, other: Tally) -> Tally {
        Tally {
            chars: self.chars + other.chars,
            link_chars: self.link_chars + other.link_chars,
            strong_chars: self.strong_chars + other.strong_chars,
        }
    }

    /// Whether the letters and digits counted since `before`, this tally's earlier state,
    /// were (some, and all) link text, and strong text.
    fn since(self, before: Tally) -> (bool, bool) {
        let n = self.chars - before.chars;
        (
            n > 0 && self.link_chars - before.link_chars == n,
            n > 0 && self.strong_chars - before.strong_chars == n,
        )
    }
}

/// Open links and strong emphasis (`**x**`, `<strong>`, `<b>`, `<th>`) at a point.
#[derive(Default, Clone, Copy)]
struct Marks {
    links: usize,
    strong: usize,
}

impl Marks {
    /// Follows `event`; true when it was a link or strong mark.
    fn follow(&mut self, event: &Event<'_>) -> bool {
        match event {
            Event::Start(Tag::Link { .. }) => self.links += 1,
            Event::End(TagEnd::Link) => self.links = self.links.saturating_sub(1),
            Event::Start(Tag::Strong) => self.strong += 1,
            Event::End(TagEnd::Strong) => self.strong = self.strong.saturating_sub(1),
            Event::InlineHtml(tag) => match tag_at(tag.trim()) {
                Some((_, name, is_end)) if name == "strong" || name == "b" => {
                    self.strong = if is_end {
                        self.strong.saturating_sub(1)
                    } else {
                        self.strong + 1
                    };
                }
                _ => return false,
            },
            _ => return false,
        }
        true
    }
}

impl Plain {
    fn push(&mut self, text: &str, marks: Marks) {
        let n = text.chars().filter(|c| c.is_alphanumeric()).count();
        self.tally.chars += n;
        if marks.links > 0 {
            self.tally.link_chars += n;
        }
        if marks.strong > 0 {
            self.tally.strong_chars += n;
        }
        self.text.push_str(text);
    }

    fn append(&mut self, other: &Plain) {
        self.text.push(' ');
        let (len, tally) = (self.text.len(), self.tally);
        self.text.push_str(&other.text);
        self.breaks.extend(
            other
                .breaks
                .iter()
                .map(|&(at, t)| (len + at, tally.plus(t))),
        );
        self.text.push(' ');
        self.tally = tally.plus(other.tally);
    }

    /// Counts everything so far as strong (the text of `<strong>` in raw HTML).
    fn all_strong(&mut self) {
        self.tally.strong_chars = self.tally.chars;
        for (_, t) in &mut self.breaks {
            t.strong_chars = t.chars;
        }
    }

    /// A line break: a space in the text, and a place where [`Plain::cell`] splits lines.
    fn line_break(&mut self) {
        self.text.push(' ');
        self.breaks.push((self.text.len(), self.tally));
    }

    /// The text as a table cell (`is_th`: a `<th>`, strong whatever its text), with its
    /// lines when it has more than one.
    fn cell(&self, is_th: bool) -> PlainCell {
        let piece = |(from, before): (usize, Tally), (to, after): (usize, Tally)| {
            let (is_link, is_strong) = after.since(before);
            PlainCell {
                text: collapse_spaces(&self.text[from..to]),
                is_link,
                is_strong: is_th || is_strong,
                lines: Vec::new(),
            }
        };
        let (start, end) = ((0, Tally::default()), (self.text.len(), self.tally));
        let mut cell = piece(start, end);
        let mut from = start;
        for to in self.breaks.iter().copied().chain([end]) {
            let line = piece(from, to);
            if !line.text.is_empty() {
                cell.lines.push(line);
            }
            from = to;
        }
        if cell.lines.len() < 2 {
            cell.lines.clear();
        }
        cell
    }
}

/// `strip_block_tags`: also read the text inside HTML blocks (once; the text left after
/// removing tags is read again as Markdown, so entities are resolved).
fn plain_text(src: &str, strip_block_tags: bool) -> Plain {
    let mut out = Plain::default();
    let mut marks = Marks::default();
    for event in Parser::new_ext(src, super::parser_options()) {
        if marks.follow(&event) {
            continue;
        }
        match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                out.push(&t, marks);
            }
            Event::SoftBreak => out.push(" ", marks),
            Event::HardBreak => out.line_break(),
            Event::End(end) if is_block_end(end) => out.line_break(),
            Event::InlineHtml(tag) if is_break(&tag) => out.line_break(),
            Event::Html(html) if strip_block_tags => out.append(&html_block_text(&html)),
            _ => {}
        }
    }
    out
}

/// One cell of a [`PlainTable`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct PlainCell {
    /// As [`inline_to_plain_text`] gives it.
    pub(crate) text: String,
    /// True when every letter and digit of the cell is link text (a list of links).
    pub(crate) is_link: bool,
    /// True when every letter and digit is strong (`**x**`, `<strong>`, `<b>`) or the
    /// cell is a `<th>`: a label rather than a value.
    pub(crate) is_strong: bool,
    /// The cell's lines, split at `<br>`, hard breaks and paragraph ends, when it has more
    /// than one (else empty): in a one-column table, one product per line.
    pub(crate) lines: Vec<PlainCell>,
}

/// One table of a Markdown document, cells as plain text ([`inline_to_plain_text`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlainTable {
    /// 1-based line of the table's first line in the document.
    pub(crate) line: usize,
    /// Rows in order, the header row (possibly all empty) first; rows may differ in length.
    pub(crate) rows: Vec<Vec<PlainCell>>,
}

/// Every outermost table of `src` in document order: GFM pipe tables and raw HTML
/// `<table>`s (also when blank lines split them into several HTML blocks with Markdown in
/// between). Cells of tables nested in a cell are read as part of that cell's text.
pub(crate) fn plain_tables(src: &str) -> Vec<PlainTable> {
    let mut reader = TableReader::default();
    for (event, range) in Parser::new_ext(src, super::parser_options()).into_offset_iter() {
        let is_html = matches!(event, Event::InlineHtml(_));
        if (reader.in_pipe || !is_html) && reader.marks.follow(&event) {
            continue;
        }
        match event {
            Event::Start(Tag::Table(_)) if reader.html_depth == 0 => {
                reader.start_table(line_of(src, range.start));
                reader.in_pipe = true;
            }
            Event::End(TagEnd::Table) if reader.in_pipe => {
                reader.in_pipe = false;
                reader.end_table();
            }
            Event::Start(Tag::TableHead | Tag::TableRow) if reader.in_pipe => reader.start_row(),
            Event::Start(Tag::TableCell) if reader.in_pipe => reader.start_cell(),
            Event::End(TagEnd::TableCell) if reader.in_pipe => reader.end_cell(),
            Event::Html(html) | Event::InlineHtml(html) if !reader.in_pipe => {
                reader.read_html(&html, line_of(src, range.start));
            }
            Event::InlineHtml(tag) if is_break(&tag) => reader.line_break(),
            Event::Text(t) | Event::Code(t) => reader.push_plain(&t),
            Event::SoftBreak => reader.push_plain(" "),
            Event::HardBreak => reader.line_break(),
            Event::End(end) if is_block_end(end) => reader.line_break(),
            _ => {}
        }
    }
    reader.tables
}

/// The state of [`plain_tables`] between events.
#[derive(Default)]
struct TableReader {
    tables: Vec<PlainTable>,
    current: Option<PlainTable>,
    /// The open cell: plain text read so far, and raw HTML-block text not yet read.
    cell: Option<(Plain, String)>,
    /// Open links and strong emphasis in Markdown outside raw HTML.
    marks: Marks,
    /// The open cell is a `<th>`.
    is_th: bool,
    in_pipe: bool,
    /// Open `<table>` elements.
    html_depth: usize,
}

impl TableReader {
    fn start_table(&mut self, line: usize) {
        self.current = Some(PlainTable {
            line,
            rows: Vec::new(),
        });
    }

    fn end_table(&mut self) {
        self.end_cell();
        if let Some(t) = self.current.take() {
            self.tables.push(t);
        }
    }

    fn start_row(&mut self) {
        self.end_cell();
        if let Some(t) = &mut self.current {
            t.rows.push(Vec::new());
        }
    }

    fn start_cell(&mut self) {
        self.end_cell();
        if let Some(t) = &mut self.current
            && t.rows.is_empty()
        {
            t.rows.push(Vec::new());
        }
        self.cell = Some((Plain::default(), String::new()));
        self.is_th = false;
    }

    fn end_cell(&mut self) {
        self.flush_raw();
        if let (Some((plain, _)), Some(t)) = (self.cell.take(), &mut self.current)
            && let Some(row) = t.rows.last_mut()
        {
            row.push(plain.cell(self.is_th));
        }
    }

    fn line_break(&mut self) {
        self.flush_raw();
        if let Some((plain, _)) = &mut self.cell {
            plain.line_break();
        }
    }

    fn push_plain(&mut self, text: &str) {
        self.flush_raw();
        let marks = self.marks;
        if let Some((plain, _)) = &mut self.cell {
            plain.push(text, marks);
        }
    }

    fn push_raw(&mut self, text: &str) {
        if let Some((_, raw)) = &mut self.cell {
            raw.push_str(text);
        }
    }

    /// Reads the cell's raw HTML-block text as Markdown (tags inside it are dropped).
    fn flush_raw(&mut self) {
        if let Some((plain, raw)) = &mut self.cell
            && !raw.is_empty()
        {
            plain.append(&plain_text(raw, true));
            raw.clear();
        }
    }

    /// Follows the table tags in one piece of raw HTML; text and other tags inside a cell
    /// are kept raw for the cell.
    fn read_html(&mut self, html: &str, line: usize) {
        for piece in html_pieces(html) {
            let Piece::Tag { name, is_end } = piece.kind else {
                self.push_raw(piece.text);
                continue;
            };
            let nested =
                self.html_depth > 1 || (self.html_depth == 1 && name == "table" && !is_end);
            match (name.as_str(), is_end) {
                _ if nested => {
                    self.push_raw(piece.text);
                    if name == "table" {
                        self.html_depth = if is_end {
                            self.html_depth - 1
                        } else {
                            self.html_depth + 1
                        };
                    }
                }
                ("table", false) => {
                    self.html_depth = 1;
                    let newlines = html[..piece.offset].matches('\n').count();
                    self.start_table(line + newlines);
                }
                ("table", true) if self.html_depth == 1 => {
                    self.html_depth = 0;
                    self.end_table();
                }
                ("tr", false) if self.html_depth == 1 => self.start_row(),
                ("tr", true) if self.html_depth == 1 => self.end_cell(),
                ("td" | "th", false) if self.html_depth == 1 => {
                    self.start_cell();
                    self.is_th = name == "th";
                }
                ("td" | "th", true) if self.html_depth == 1 => self.end_cell(),
                ("br", _) => self.line_break(),
                _ => self.push_raw(piece.text),
            }
        }
    }
}

/// A run of raw HTML: a tag or the text between tags.
struct HtmlPiece<'a> {
    kind: Piece,
    text: &'a str,
    /// Byte offset in the scanned string.
    offset: usize,
}

enum Piece {
    Text,
    /// A start or end tag; `name` lower-cased. Comments and declarations count as text.
    Tag {
        name: String,
        is_end: bool,
    },
}

/// Splits raw HTML into tags (`<name …>`, `</name>`) and text.
fn html_pieces(html: &str) -> Vec<HtmlPiece<'_>> {
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < bytes.len() {
        if bytes[i] == b'<'
            && let Some((len, name, is_end)) = tag_at(&html[i..])
        {
            if text_start < i {
                out.push(HtmlPiece {
                    kind: Piece::Text,
                    text: &html[text_start..i],
                    offset: text_start,
                });
            }
            out.push(HtmlPiece {
                kind: Piece::Tag { name, is_end },
                text: &html[i..i + len],
                offset: i,
            });
            i += len;
            text_start = i;
        } else {
            i += 1;
        }
    }
    if text_start < html.len() {
        out.push(HtmlPiece {
            kind: Piece::Text,
            text: &html[text_start..],
            offset: text_start,
        });
    }
    out
}

/// A tag at the start of `s`: its length in bytes, lower-cased name and whether it ends.
fn tag_at(s: &str) -> Option<(usize, String, bool)> {
    let rest = s.strip_prefix('<')?;
    let (is_end, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    if name_len == 0 || !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let close = s.find('>')?;
    Some((close + 1, rest[..name_len].to_ascii_lowercase(), is_end))
}

/// The text of raw HTML, tags dropped (each leaves a space), read as Markdown once (so
/// entities are resolved) in runs split at `<strong>` and `<b>`, whose letters count as
/// strong: `<p><strong>Produto</strong></p>` is a label as much as `**Produto**` is.
fn html_block_text(html: &str) -> Plain {
    fn flush(run: &mut String, strong: usize, out: &mut Plain) {
        if run.trim().is_empty() {
            run.clear();
            return;
        }
        let mut plain = plain_text(run, false);
        if strong > 0 {
            plain.all_strong();
        }
        out.append(&plain);
        run.clear();
    }
    let mut out = Plain::default();
    let mut strong = 0usize;
    let mut run = String::new();
    for piece in html_pieces(html) {
        match piece.kind {
            Piece::Tag { name, is_end } if name == "strong" || name == "b" => {
                flush(&mut run, strong, &mut out);
                strong = if is_end {
                    strong.saturating_sub(1)
                } else {
                    strong + 1
                };
            }
            Piece::Tag { name, .. } if is_line_tag(&name) => {
                flush(&mut run, strong, &mut out);
                out.line_break();
            }
            Piece::Tag { .. } => run.push(' '),
            Piece::Text => run.push_str(piece.text),
        }
    }
    flush(&mut run, strong, &mut out);
    out
}

/// Ends of blocks, after which words must not run together.
fn is_block_end(end: TagEnd) -> bool {
    !matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// Tags that start or end a line of text: `<br>` and the blocks a cell may hold.
fn is_line_tag(name: &str) -> bool {
    matches!(
        name,
        "br" | "p" | "div" | "li" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
    )
}

fn is_break(tag: &str) -> bool {
    tag_at(tag.trim()).is_some_and(|(_, name, _)| name == "br")
}

/// Runs of white space (including no-break spaces) as one space, trimmed.
fn collapse_spaces(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// 1-based line of byte `offset` in `src`.
fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_of_corpus_revision_notes_becomes_plain_text() {
        let cases: &[(&str, &str)] = &[
            (
                "Comunicado revisado para anunciar a disponibilidade da atualização **3033929**.",
                "Comunicado revisado para anunciar a disponibilidade da atualização 3033929.",
            ),
            (
                "Se agregó a **Preguntas más frecuentes** el *modo* `kb` [artículo 2755801](http://support.microsoft.com/kb/2755801).",
                "Se agregó a Preguntas más frecuentes el modo kb artículo 2755801.",
            ),
            (
                "Adobe&nbsp;Flash &amp; \\*IE\\*<br />10",
                "Adobe Flash & *IE* 10",
            ),
            ("  two\n  lines  ", "two lines"),
            ("<strong>Windows</strong> 8", "Windows 8"),
            ("", ""),
        ];
        for (src, want) in cases {
            assert_eq!(inline_to_plain_text(src), *want, "{src:?}");
        }
    }

    #[test]
    fn pipe_and_raw_html_tables_are_read_cell_by_cell_with_their_lines() {
        // (markdown, [(line, rows)])
        type Want = &'static [(usize, &'static [&'static [&'static str]])];
        let cases: &[(&str, Want)] = &[
            (
                "Texto\n\n|                  |\n|------------------|\n| Software relacionado |\n| **System Center Configuration Manager 2007** |\n",
                &[(
                    3,
                    &[
                        &[""],
                        &["Software relacionado"],
                        &["System Center Configuration Manager 2007"],
                    ],
                )],
            ),
            (
                "<p> </p>\n<table style=\"border:1px solid black;\">\n<colgroup>\n<col width=\"50%\" />\n</colgroup>\n<tbody>\n<tr class=\"odd\">\n<td style=\"border:1px solid black;\"><strong>Sistema operacional</strong></td>\n<td style=\"border:1px solid black;\"><strong>Componente</strong></td>\n</tr>\n<tr class=\"even\">\n<td style=\"border:1px solid black;\">Windows 8.1 para sistemas de 32 bits</td>\n<td style=\"border:1px solid black;\">Cliente Junos Pulse</td>\n</tr>\n</tbody>\n</table>\n",
                &[(
                    2,
                    &[
                        &["Sistema operacional", "Componente"],
                        &[
                            "Windows 8.1 para sistemas de 32 bits",
                            "Cliente Junos Pulse",
                        ],
                    ],
                )],
            ),
            (
                // Markdown lines in cells, and a blank line splitting the HTML block.
                "<table>\n<tr>\n<td style=\"border:1px solid black;\" colspan=\"2\">\n**Windows 7**\n</td>\n</tr>\n\n<tr><td>\n[.NET 3.5.1](http://x/?a=1&amp;b=2)<sup>[1]</sup>\n(2898851)\n</td><td>A &amp; B<br/>C</td></tr>\n</table>\n",
                &[(
                    1,
                    &[&["Windows 7"], &[".NET 3.5.1[1] (2898851)", "A & B C"]],
                )],
            ),
            (
                "<table><tr><td>outer <table><tr><td>inner</td></tr></table></td></tr></table>\n\n| a | b |\n|---|---|\n| `c` | d |\n",
                &[(1, &[&["outer inner"]]), (3, &[&["a", "b"], &["c", "d"]])],
            ),
            ("No table, only a < b and <span>text</span>.\n", &[]),
        ];
        let links = plain_tables(
            "| x |\n|---|\n| [Aladdin](http://a/) |\n| **Windows** 7 [KB1](http://b/) |\n\n<table><tr><td>\n[McAfee](http://c/)\n</td></tr></table>\n",
        );
        let is_link: Vec<Vec<bool>> = links
            .iter()
            .flat_map(|t| t.rows.iter().map(|r| r.iter().map(|c| c.is_link).collect()))
            .collect();
        assert_eq!(is_link, [[false], [true], [false], [true]]);
        let strong = plain_tables(
            "| **Referência CVE** | [CVE-2010-1886](http://c/) |\n|---|---|\n| **a** b | x |\n\n<table><tr><th>h</th><td><strong>s</strong> <b>t</b></td><td>\n**u**\n</td><td>v</td></tr>\n<tr><td><p><strong>Produto</strong></p></td><td><p><b>A &amp;</b> <strong>B</strong></p></td><td><p>x <strong>y</strong></p></td></tr></table>\n",
        );
        let is_strong: Vec<Vec<bool>> = strong
            .iter()
            .flat_map(|t| {
                t.rows
                    .iter()
                    .map(|r| r.iter().map(|c| c.is_strong).collect())
            })
            .collect();
        assert_eq!(
            is_strong,
            [
                vec![true, false],
                vec![false, false],
                vec![true, true, true, false],
                vec![true, true, false]
            ]
        );
        for (src, want) in cases {
            let got = plain_tables(src);
            let got: Vec<(usize, Vec<Vec<&str>>)> = got
                .iter()
                .map(|t| {
                    (
                        t.line,
                        t.rows
                            .iter()
                            .map(|r| r.iter().map(|c| c.text.as_str()).collect())
                            .collect(),
                    )
                })
                .collect();
            let want: Vec<(usize, Vec<Vec<&str>>)> = want
                .iter()
                .map(|(l, rows)| (*l, rows.iter().map(|r| r.to_vec()).collect()))
                .collect();
            assert_eq!(got, want, "{src:?}");
        }
    }

    #[test]
    fn a_cells_lines_are_split_at_breaks_and_block_ends_but_not_at_wrapped_lines() {
        let tables = plain_tables(
            "<table><tr><td>A &amp; B<br/>C\nD</td><td>one line\nwrapped</td></tr>\n<tr><td><p><strong>Produto</strong></p><p>X</p></td><td>\n**a**  \nb\n\nc\n</td></tr></table>\n\n| x |\n|---|\n| [l](http://a/)<br>m |\n",
        );
        // per cell: its lines as (text, is_link, is_strong); none for a one-line cell
        let lines: Vec<Vec<(&str, bool, bool)>> = tables
            .iter()
            .flat_map(|t| t.rows.iter().flatten())
            .map(|c| {
                c.lines
                    .iter()
                    .map(|l| (l.text.as_str(), l.is_link, l.is_strong))
                    .collect()
            })
            .collect();
        assert_eq!(
            lines,
            [
                vec![("A & B", false, false), ("C D", false, false)],
                vec![],
                vec![("Produto", false, true), ("X", false, false)],
                vec![("a", false, true), ("b", false, false), ("c", false, false)],
                vec![],
                vec![("l", true, false), ("m", false, false)],
            ]
        );
        let whole: Vec<&str> = tables
            .iter()
            .flat_map(|t| t.rows.iter().flatten())
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(
            whole,
            [
                "A & B C D",
                "one line wrapped",
                "Produto X",
                "a b c",
                "x",
                "l m"
            ]
        );
    }
}
