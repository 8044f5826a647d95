//! Markdown inside raw HTML tables, as the converted Microsoft advisories write it:
//! a `<td>` line, then `**bold**` or `[link](url)` on lines of their own, then `</td>`.
//! CommonMark treats the whole table as one HTML block and would print the asterisks;
//! here the text lines of a cell whose opening tag ends its own line are rendered as
//! Markdown instead. Cells written in HTML (text after `<td>` on the same line) stay raw.
//! A blank line ends an HTML block, so a table with blank lines in its cells (as in many
//! pt-BR advisories: `<td>`, `**bold**`, blank line, `</td>`) comes as several blocks;
//! those after the one that opens the table are part of it until it is closed.

use pulldown_cmark::{CowStr, Event, Parser, Tag, TagEnd};

/// Replaces the text lines that open a cell (after a line ending in `<td…>` or `<th…>`)
/// of HTML blocks that are tables, and the text lines after them, with their rendered
/// Markdown; every other event passes unchanged. A block is left raw when it holds
/// `pre`, a comment, a script or style, or a tag continued on the next line, whose
/// lines must not be reinterpreted.
pub(super) fn expand_markdown_in_html_tables(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut out = Vec::with_capacity(events.len());
    let mut iter = events.into_iter();
    // tables opened by earlier blocks and not closed yet
    let mut open_tables = 0usize;
    while let Some(event) = iter.next() {
        if !matches!(event, Event::Start(Tag::HtmlBlock)) {
            out.push(event);
            continue;
        }
        out.push(event);
        let mut block = Vec::new();
        for e in iter.by_ref() {
            let is_end = matches!(e, Event::End(TagEnd::HtmlBlock));
            block.push(e);
            if is_end {
                break;
            }
        }
        let in_table = open_tables > 0;
        open_tables = count_open_tables(&block, open_tables);
        if !is_expandable_table(&block, in_table) {
            out.extend(block);
            continue;
        }
        let mut is_markdown_cell = false;
        for e in block {
            match e {
                Event::Html(CowStr::Borrowed(line)) if is_text_line(line) && is_markdown_cell => {
                    push_inline_markdown(&mut out, line);
                }
                Event::Html(line) => {
                    is_markdown_cell = !is_text_line(&line) && ends_with_cell_start(&line);
                    out.push(Event::Html(line));
                }
                other => out.push(other),
            }
        }
    }
    out
}

/// True for a block inside a table (`in_table`) or with a line that starts with `<table`,
/// and with no line that must stay raw.
fn is_expandable_table(block: &[Event<'_>], in_table: bool) -> bool {
    let has_table = block.iter().any(|e| match e {
        Event::Html(line) => starts_with_ignore_case(line.trim_start(), "<table"),
        _ => false,
    });
    (in_table || has_table)
        && block.iter().all(|e| match e {
            Event::Html(CowStr::Borrowed(line)) => !must_stay_raw(line),
            Event::Html(_) => false,
            _ => true,
        })
}

fn must_stay_raw(line: &str) -> bool {
    let trimmed = line.trim_start();
    let opens_raw_content = ["<pre", "<!--", "<script", "<style", "<textarea"]
        .iter()
        .any(|tag| starts_with_ignore_case(trimmed, tag));
    // a `<` after the last `>` is a tag that goes on to the next line
    let has_open_tag = match (
        memchr::memrchr(b'<', line.as_bytes()),
        memchr::memrchr(b'>', line.as_bytes()),
    ) {
        (Some(lt), Some(gt)) => lt > gt,
        (Some(_), None) => true,
        _ => false,
    };
    opens_raw_content || has_open_tag
}

/// The tables still open after `block`, `open` of them being open before it: each
/// `<table` tag opens one, each `</table` closes one (never below none).
fn count_open_tables(block: &[Event<'_>], mut open: usize) -> usize {
    for e in block {
        let Event::Html(line) = e else { continue };
        let bytes = line.as_bytes();
        for at in memchr::memchr_iter(b'<', bytes) {
            let tag = &line[at + 1..];
            if starts_with_ignore_case(tag, "/table") && !is_name_char(tag, 6) {
                open = open.saturating_sub(1);
            } else if starts_with_ignore_case(tag, "table") && !is_name_char(tag, 5) {
                open += 1;
            }
        }
    }
    open
}

/// Whether the byte of `tag` at `at` goes on a tag name (`<tables` is not `<table`).
fn is_name_char(tag: &str, at: usize) -> bool {
    tag.as_bytes()
        .get(at)
        .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

/// A line of the block that is neither blank nor starts with a tag.
fn is_text_line(line: &str) -> bool {
    let trimmed = line.trim();
    !trimmed.is_empty() && !trimmed.starts_with('<')
}

/// True when the last tag on `line` is the start tag of a `td` or `th` and ends the line.
fn ends_with_cell_start(line: &str) -> bool {
    let trimmed = line.trim_end();
    let Some(lt) = memchr::memrchr(b'<', trimmed.as_bytes()) else {
        return false;
    };
    let tag = &trimmed[lt..];
    let is_cell = ["<td", "<th"].iter().any(|name| {
        starts_with_ignore_case(tag, name)
            && tag[name.len()..].starts_with(|c: char| c == '>' || c.is_ascii_whitespace())
    });
    is_cell && tag.ends_with('>')
}

/// Renders one text line as Markdown without its paragraph wrapper.
fn push_inline_markdown<'a>(out: &mut Vec<Event<'a>>, line: &'a str) {
    let parser = Parser::new_ext(line.trim(), super::parser_options());
    out.extend(parser.filter(|e| {
        !matches!(
            e,
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
        )
    }));
    out.push(Event::Html("\n".into()));
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    #[test]
    fn markdown_lines_inside_html_tables_render_and_other_blocks_stay_raw() {
        // (markdown, must contain, must not contain)
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "<table>\n<tr>\n<td style=\"border:1px solid black;\" colspan=\"2\">\n**Windows 7**\n</td>\n</tr>\n</table>\n",
                &["<td colspan=\"2\">\n<strong>Windows 7</strong>\n</td>"],
                &["**", "style"],
            ),
            (
                "<table>\n<tr><td>\n[.NET 3.5.1](http://www.microsoft.com/downloads/details.aspx?a=1&amp;b=2)<sup>[1]</sup>\n(2898851)\n</td></tr>\n</table>\n",
                &[
                    "<a href=\"http://www.microsoft.com/downloads/details.aspx?a=1&amp;b=2\">.NET 3.5.1</a><sup>[1]</sup>\n(2898851)\n</td>",
                ],
                &["](", "&amp;amp;"],
            ),
            (
                "<table>\n<tr><td>\n[x](javascript:alert(1))\n</td></tr>\n</table>\n",
                &["<td>\nx\n</td>"],
                &["javascript", "href"],
            ),
            (
                "<p> </p>\n<table>\n<tr>\n<td>\n**after a paragraph**\n</td>\n</tr>\n</table>\n",
                &["<td>\n<strong>after a paragraph</strong>\n</td>"],
                &["**"],
            ),
            (
                "<div>\n<td>\n**not a table**\n</div>\n",
                &["**not a table**"],
                &["<strong>"],
            ),
            (
                "<table>\n<tr><td>\n<pre>\n**kept** as written\n</pre>\n</td></tr>\n</table>\n",
                &["**kept** as written"],
                &["<strong>"],
            ),
            (
                "<table>\n<tr><td\nclass=\"x\">\n**kept**\n</td></tr>\n</table>\n",
                &["**kept**"],
                &["<strong>"],
            ),
            (
                "<table>\n<tr>\n<td>Cell written in HTML:<br />\nHKEY_LOCAL_MACHINE\\SOFTWARE\\KB1\\<br />\n&quot;Installed&quot; = *1*</td>\n</tr>\n<tr><th scope=\"row\">\n*md*\n</th><thead>\n*raw*\n</thead></tr>\n</table>\n",
                &[
                    "HKEY_LOCAL_MACHINE\\SOFTWARE\\KB1\\<br />",
                    "&quot;Installed&quot; = *1*</td>",
                    "<em>md</em>",
                    "*raw*",
                ],
                &["<em>1</em>", "&lt;br"],
            ),
            (
                // blank lines in cells end HTML blocks: the table goes on in the next ones
                "<table>\n<tr>\n<td>\n**Componente**\n\n</td>\n<td>\n[.NET 1.1](https://example.org/a)\n\n</td>\n</tr>\n<tr>\n<td>\n*Windows*\n\n</td>\n</tr>\n</table>\n\n<div>\n<td>\n**after the table**\n</div>\n",
                &[
                    "<td>\n<strong>Componente</strong>\n",
                    "<td>\n<a href=\"https://example.org/a\">.NET 1.1</a>\n",
                    "<td>\n<em>Windows</em>\n",
                    "**after the table**",
                ],
                &["**Componente", "](", "*Windows*"],
            ),
            (
                // a nested table closes before the outer one
                "<table>\n<tr>\n<td>\n<table><tr><td>inner</td></tr></table>\n\n</td>\n<td>\n**still the outer table**\n\n</td>\n</tr>\n</table>\n\n<div>\n<td>\n**after it**\n</div>\n",
                &["<strong>still the outer table</strong>", "**after it**"],
                &[],
            ),
        ];
        super::super::assert_renders(cases);
    }
}
