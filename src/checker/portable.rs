//! The portable regex subset (spec §4.4): a small parser that accepts only patterns
//! that behave the same in Rust `regex` and JavaScript `RegExp` with flags `su`, and
//! says how to rewrite the rest. The parsed tree also yields the literals every match
//! must contain, which the engine uses as a cheap prefilter.

/// A parsed portable pattern; only what the linter and the prefilter need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    /// Matches the empty string (an empty branch).
    Empty,
    /// One literal character (escapes already resolved).
    Char(char),
    /// One character of a set: `.` (every character), or a class `[…]` as its
    /// ranges and whether it is negated.
    Set {
        ranges: Vec<(char, char)>,
        negated: bool,
    },
    /// `^` or `$`.
    Assertion,
    /// `(…)` or `(?:…)`.
    Group(Box<Node>),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    /// A quantified node; `max: None` is unbounded.
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

/// Why a pattern is outside the portable subset, with a fix when one is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LintError {
    /// Lowercase sentence, e.g. "`\d` is not portable: Rust matches Unicode digits, JavaScript only ASCII".
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

fn err(message: impl Into<String>, help: Option<&str>) -> LintError {
    LintError {
        message: message.into(),
        help: help.map(str::to_string),
    }
}

/// Largest `n` or `m` allowed in `{n}`, `{n,}` and `{n,m}`.
const MAX_BOUND: u32 = 1000;

/// Parses `pattern` as a portable regex; the error names the first construct outside
/// the subset and how to rewrite it.
pub(crate) fn parse(pattern: &str) -> Result<Node, LintError> {
    let mut p = Parser {
        chars: pattern.chars().collect(),
        pos: 0,
    };
    let node = p.alternation()?;
    match p.peek() {
        None => Ok(node),
        Some(')') => Err(err(
            "unmatched `)`",
            Some("escape it as `\\)` or add the opening `(`"),
        )),
        Some(c) => Err(err(format!("unexpected `{c}`"), None)),
    }
}

/// Escapes a `match:` literal into a regex (spec §4.3 step 5): `\ ^ $ . | ? * + ( ) [ ] { }`
/// get a backslash, everything else stays as written.
pub(crate) fn escape_literal(literal: &str) -> String {
    let mut out = String::with_capacity(literal.len() + 8);
    for c in literal.chars() {
        if "\\^$.|?*+()[]{}".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn alternation(&mut self) -> Result<Node, LintError> {
        let mut branches = vec![self.concat()?];
        while self.peek() == Some('|') {
            self.pos += 1;
            branches.push(self.concat()?);
        }
        Ok(if branches.len() == 1 {
            branches.remove(0)
        } else {
            Node::Alt(branches)
        })
    }

    fn concat(&mut self) -> Result<Node, LintError> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            items.push(self.quantified(atom)?);
        }
        Ok(match items.len() {
            0 => Node::Empty,
            1 => items.remove(0),
            _ => Node::Concat(items),
        })
    }

    fn atom(&mut self) -> Result<Node, LintError> {
        let Some(c) = self.peek() else {
            return Ok(Node::Empty);
        };
        self.pos += 1;
        match c {
            '(' => self.group(),
            '[' => self.class(),
            ']' => Err(err(
                "a lone `]` is a syntax error in JavaScript",
                Some("escape it as `\\]`"),
            )),
            '}' => Err(err(
                "a lone `}` is a syntax error in JavaScript",
                Some("escape it as `\\}`"),
            )),
            '{' => Err(err(
                "`{` has nothing to repeat here",
                Some("escape it as `\\{` when you mean the character"),
            )),
            '*' | '+' | '?' => Err(err(
                format!("`{c}` has nothing to repeat"),
                Some("escape it with a backslash when you mean the character"),
            )),
            '\\' => Ok(Node::Char(self.escape(false)?)),
            '.' => Ok(Node::Set {
                ranges: vec![('\0', char::MAX)],
                negated: false,
            }),
            '^' | '$' => Ok(Node::Assertion),
            c => Ok(Node::Char(c)),
        }
    }

    fn group(&mut self) -> Result<Node, LintError> {
        if self.peek() == Some('?') {
            match (self.peek_at(1), self.peek_at(2)) {
                (Some(':'), _) => self.pos += 2,
                (Some('=' | '!'), _) | (Some('<'), Some('=' | '!')) => {
                    return Err(err(
                        "lookaround `(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)` is not supported by Rust `regex`",
                        Some(
                            "match the surrounding text instead, or split the check into two signals",
                        ),
                    ));
                }
                (Some('<' | 'P'), _) => {
                    return Err(err(
                        "named groups are not portable (`(?P<…>)` is Rust-only) and captures are not used",
                        Some("write a plain group `(?:…)`"),
                    ));
                }
                _ => {
                    return Err(err(
                        "inline flags such as `(?i)` are a syntax error in JavaScript",
                        Some("set `ignore_case: true` on the signal instead"),
                    ));
                }
            }
        }
        let inner = self.alternation()?;
        if self.peek() != Some(')') {
            return Err(err(
                "unclosed group `(`",
                Some("add the closing `)` or escape the `(` as `\\(`"),
            ));
        }
        self.pos += 1;
        Ok(Node::Group(Box::new(inner)))
    }

    /// Parses after a backslash; `in_class` also allows `\-`.
    fn escape(&mut self, in_class: bool) -> Result<char, LintError> {
        let Some(c) = self.peek() else {
            return Err(err(
                "the pattern ends with a lone backslash",
                Some("write `\\\\` for a backslash"),
            ));
        };
        self.pos += 1;
        let bad = |what: String, help: &str| Err(err(what, Some(help)));
        match c {
            '\\' | '^' | '$' | '.' | '|' | '?' | '*' | '+' | '(' | ')' | '[' | ']' | '{' | '}'
            | '/' => Ok(c),
            '-' if in_class => Ok('-'),
            '-' => bad(
                "`\\-` outside a class is a syntax error in JavaScript".into(),
                "write `-` without the backslash",
            ),
            't' => Ok('\t'),
            'n' => Ok('\n'),
            'x' => self.hex_escape(),
            'd' => bad(
                not_portable(
                    "\\d",
                    "Rust matches all Unicode digits, JavaScript only ASCII",
                ),
                "write `[0-9]` instead of `\\d`",
            ),
            'D' => bad(
                not_portable("\\D", "Rust and JavaScript disagree on what a digit is"),
                "write `[^0-9]` instead of `\\D`",
            ),
            'w' => bad(
                not_portable("\\w", "Rust matches Unicode letters, JavaScript only ASCII"),
                "write `[A-Za-z0-9_]` instead of `\\w`",
            ),
            'W' => bad(
                not_portable("\\W", "Rust and JavaScript disagree on word characters"),
                "write `[^A-Za-z0-9_]` instead of `\\W`",
            ),
            's' => bad(
                not_portable("\\s", "the engines disagree on U+FEFF and U+0085"),
                "write `[ \\t]` (or the exact characters you mean) instead of `\\s`",
            ),
            'S' => bad(
                not_portable("\\S", "the engines disagree on U+FEFF and U+0085"),
                "write `[^ \\t]` instead of `\\S`",
            ),
            'b' | 'B' => bad(
                not_portable(
                    &format!("\\{c}"),
                    "word boundaries are Unicode-aware in Rust and ASCII-only in JavaScript",
                ),
                "anchor with `^`/`$` or spell out the neighbouring characters",
            ),
            'p' | 'P' => bad(
                not_portable(
                    &format!("\\{c}{{…}}"),
                    "Unicode property classes differ between the engines",
                ),
                "list the characters or ranges in a class, e.g. `[A-Za-z]`",
            ),
            'u' => bad(
                not_portable("\\u", "it is JavaScript-only syntax"),
                "write the character itself",
            ),
            '0' => bad(
                not_portable("\\0", "Rust rejects it"),
                "write `\\x00`-style escapes only for HH ≤ 7F, or the character itself",
            ),
            '1'..='9' => bad(
                "backreferences such as `\\1` are not supported by Rust `regex`".into(),
                "match the repeated text explicitly",
            ),
            'k' => bad(
                "named backreferences `\\k<…>` are not supported by Rust `regex`".into(),
                "match the repeated text explicitly",
            ),
            'c' => bad(
                not_portable("\\cX", "Rust rejects control escapes"),
                "write `\\xHH` with HH ≤ 7F",
            ),
            'A' | 'z' | 'Z' => bad(
                not_portable(&format!("\\{c}"), "JavaScript does not know it"),
                "use `^` and `$`: each message line is matched on its own",
            ),
            '<' | '>' => bad(
                not_portable(
                    &format!("\\{c}"),
                    "it is a word-boundary assertion in Rust and a syntax error in JavaScript",
                ),
                "write the character without the backslash",
            ),
            c if c.is_ascii_alphanumeric() => bad(
                format!("the escape `\\{c}` is not in the portable subset"),
                "use `\\t`, `\\n`, `\\xHH` (HH ≤ 7F) or the character itself",
            ),
            c => bad(
                format!(
                    "`\\{c}` is a syntax error in JavaScript (`u` mode allows only syntax-character escapes)"
                ),
                &format!("write `{c}` without the backslash"),
            ),
        }
    }

    fn hex_escape(&mut self) -> Result<char, LintError> {
        if self.peek() == Some('{') {
            return Err(err(
                not_portable("\\x{…}", "it is Rust-only syntax"),
                Some("write the character itself, or `\\xHH` for HH ≤ 7F"),
            ));
        }
        let (Some(h), Some(l)) = (self.peek(), self.peek_at(1)) else {
            return Err(err(
                "`\\x` needs two hex digits",
                Some("write `\\xHH` with HH ≤ 7F"),
            ));
        };
        let (Some(h), Some(l)) = (h.to_digit(16), l.to_digit(16)) else {
            return Err(err(
                "`\\x` needs two hex digits",
                Some("write `\\xHH` with HH ≤ 7F"),
            ));
        };
        self.pos += 2;
        let v = h * 16 + l;
        if v > 0x7f {
            return Err(err(
                format!("`\\x{v:02X}` is above 7F, where the engines may disagree"),
                Some("write the character itself"),
            ));
        }
        // v ≤ 0x7F is always a valid char.
        Ok(char::from_u32(v).unwrap_or('\0'))
    }

    fn class(&mut self) -> Result<Node, LintError> {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut ranges = Vec::new();
        if self.peek() == Some(']') {
            return Err(err(
                "a `]` right after `[` (or `[^`) is read differently by the engines",
                Some("escape it as `\\]`"),
            ));
        }
        loop {
            let start = self.class_atom()?;
            let Some(start) = start else {
                return Ok(Node::Set { ranges, negated });
            };
            let mut end = start;
            if self.peek() == Some('-') {
                match self.peek_at(1) {
                    Some(']') | None => {
                        return Err(err(
                            "an unescaped `-` at the end of a class",
                            Some("escape it as `\\-`"),
                        ));
                    }
                    Some('-') => return Err(set_operator("--")),
                    _ => {}
                }
                self.pos += 1;
                let Some(last) = self.class_atom()? else {
                    return Err(err(
                        "a range `a-` without its end",
                        Some("escape the `-` as `\\-`"),
                    ));
                };
                end = last;
                if end < start {
                    return Err(err(
                        format!(
                            "the range `{}-{}` is out of order",
                            start.escape_debug(),
                            end.escape_debug()
                        ),
                        Some("write the smaller character first"),
                    ));
                }
            }
            ranges.push((start, end));
        }
    }

    /// One class member; `None` at the closing `]`.
    fn class_atom(&mut self) -> Result<Option<char>, LintError> {
        let Some(c) = self.peek() else {
            return Err(err(
                "unclosed class `[`",
                Some("add the closing `]` or escape the `[` as `\\[`"),
            ));
        };
        self.pos += 1;
        match c {
            ']' => Ok(None),
            '[' if self.peek() == Some(':') => Err(err(
                "POSIX classes such as `[[:alpha:]]` are not portable",
                Some("write the ranges, e.g. `[A-Za-z]`"),
            )),
            '[' => Err(err(
                "an unescaped `[` inside a class nests in Rust and is literal in JavaScript",
                Some("escape it as `\\[`"),
            )),
            '^' => Err(err(
                "an unescaped `^` inside a class",
                Some("escape it as `\\^`"),
            )),
            '-' => Err(err(
                "an unescaped `-` that is not between two range ends",
                Some("escape it as `\\-`"),
            )),
            '&' if self.peek() == Some('&') => Err(set_operator("&&")),
            '~' if self.peek() == Some('~') => Err(set_operator("~~")),
            '\\' => self.escape(true).map(Some),
            c => Ok(Some(c)),
        }
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, LintError> {
        let Some((min, max)) = self.quantifier()? else {
            return Ok(atom);
        };
        if self.peek() == Some('?') {
            self.pos += 1; // lazy form
        }
        if matches!(atom, Node::Assertion) {
            return Err(err(
                "a quantifier after `^` or `$` is a syntax error in JavaScript",
                Some("remove the quantifier"),
            ));
        }
        if matches!(self.peek(), Some('*' | '+' | '?')) || self.is_bound_ahead() {
            return Err(err(
                "two quantifiers in a row",
                Some("keep one quantifier, e.g. `a+` instead of `a+*`"),
            ));
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }

    fn is_bound_ahead(&self) -> bool {
        self.peek() == Some('{')
            && self
                .peek_at(1)
                .is_some_and(|c| c.is_ascii_digit() || c == ',')
    }

    /// Reads `*`, `+`, `?` or `{n}`, `{n,}`, `{n,m}` as (min, max).
    fn quantifier(&mut self) -> Result<Option<(u32, Option<u32>)>, LintError> {
        let q = match self.peek() {
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('?') => (0, Some(1)),
            Some('{') => {
                self.pos += 1;
                if self.peek() == Some(',') {
                    return Err(err(
                        "`{,n}` is an error in both engines",
                        Some("write `{0,n}`"),
                    ));
                }
                let Some(n) = self.number()? else {
                    return Err(err(
                        "`{` must be escaped unless it starts a quantifier `{n}`, `{n,}` or `{n,m}`",
                        Some("escape it as `\\{`"),
                    ));
                };
                let max = if self.peek() == Some(',') {
                    self.pos += 1;
                    self.number()?
                } else {
                    Some(n)
                };
                if self.peek() != Some('}') {
                    return Err(err(
                        "unclosed quantifier `{`",
                        Some("write `{n}`, `{n,}` or `{n,m}`, or escape the `{` as `\\{`"),
                    ));
                }
                self.pos += 1;
                if let Some(m) = max
                    && m < n
                {
                    return Err(err(
                        format!("the quantifier `{{{n},{m}}}` has its bounds reversed"),
                        Some("write the smaller number first"),
                    ));
                }
                return Ok(Some((n, max)));
            }
            _ => return Ok(None),
        };
        self.pos += 1;
        Ok(Some(q))
    }

    fn number(&mut self) -> Result<Option<u32>, LintError> {
        let start = self.pos;
        let mut v: u32 = 0;
        while let Some(d) = self.peek().and_then(|c| c.to_digit(10)) {
            v = v.saturating_mul(10).saturating_add(d);
            self.pos += 1;
        }
        if self.pos == start {
            return Ok(None);
        }
        if v > MAX_BOUND {
            return Err(err(
                format!("the quantifier bound {v} is above {MAX_BOUND}"),
                Some("use bounds up to 1000, or `+`/`*` when the count does not matter"),
            ));
        }
        Ok(Some(v))
    }
}

fn not_portable(what: &str, why: &str) -> String {
    format!("`{what}` is not portable: {why}")
}

fn set_operator(op: &str) -> LintError {
    err(
        format!(
            "the class set operator `{op}` is not portable (Rust applies it, JavaScript does not)"
        ),
        Some(
            "list each character once: a class needs `&` or `~` only once, and `-` escaped as `\\-`; split the class",
        ),
    )
}

/// Strings of which every match of `node` contains at least one, best (longest
/// shortest member) choice; `None` when no such set is known.
pub(crate) fn required_literals(node: &Node) -> Option<Vec<String>> {
    match node {
        Node::Char(c) => Some(vec![c.to_string()]),
        Node::Group(n) => required_literals(n),
        Node::Repeat { node, min, .. } if *min >= 1 => required_literals(node),
        Node::Alt(branches) => {
            let mut all = Vec::new();
            for b in branches {
                all.extend(required_literals(b)?);
            }
            all.sort();
            all.dedup();
            Some(all)
        }
        Node::Concat(items) => {
            let mut best: Option<Vec<String>> = None;
            let mut run = String::new();
            let consider = |set: Vec<String>, best: &mut Option<Vec<String>>| {
                if best.as_ref().is_none_or(|b| score(&set) > score(b)) {
                    *best = Some(set);
                }
            };
            for item in items {
                if let Node::Char(c) = item {
                    run.push(*c);
                    continue;
                }
                if !run.is_empty() {
                    consider(vec![std::mem::take(&mut run)], &mut best);
                }
                if let Some(set) = required_literals(item) {
                    consider(set, &mut best);
                }
            }
            if !run.is_empty() {
                consider(vec![run], &mut best);
            }
            best
        }
        _ => None,
    }
}

/// Longer shortest member is better; then fewer members.
fn score(set: &[String]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(|s| s.chars().count()).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(set.len()))
}

/// The patterns of the spec's worked example (§4.7) and short example (§4.8).
#[cfg(test)]
pub(crate) const SPEC_PATTERNS: &[&str] = &[
    "Performing legacy sync",
    "^STATMSG: ID=6709 ",
    "^Started with command line: .*updatewuscatalog\\.exe",
    "^(Processing security catalog|Initializing catalog) .*wsusscn2\\.cab",
    "^Updates summary: [1-9][0-9]* processed",
    "^Failed to sync update [0-9a-f\\-]+",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portable_patterns_are_accepted() {
        for p in SPEC_PATTERNS.iter().copied().chain([
            "a\\/b\\{1\\}\\[x\\]",
            "[\\-\\]\\[\\^\\\\a-z]",
            "[^0-9]+?x{2}y{2,}z{0,1000}",
            "\\t\\n\\x41\\x7F",
            "(?:ab)+|c*$",
            "(a+)?",
            "",
        ]) {
            assert!(parse(p).is_ok(), "{p}: {:?}", parse(p));
        }
    }

    #[test]
    fn non_portable_constructs_are_rejected_with_a_fix() {
        let cases: &[(&str, &str)] = &[
            ("^\\d+$", "write `[0-9]` instead of `\\d`"),
            ("\\D", "write `[^0-9]` instead of `\\D`"),
            ("\\w+", "write `[A-Za-z0-9_]` instead of `\\w`"),
            ("\\W", "write `[^A-Za-z0-9_]` instead of `\\W`"),
            ("\\s", "write `[ \\t]`"),
            ("\\S", "write `[^ \\t]` instead of `\\S`"),
            ("caf\\b", "anchor with `^`/`$`"),
            ("\\B", "anchor with `^`/`$`"),
            ("\\p{L}", "list the characters or ranges"),
            ("\\u00e9", "write the character itself"),
            ("\\x{e9}", "write the character itself"),
            ("\\xe9", "write the character itself"),
            ("\\x4", "write `\\xHH` with HH ≤ 7F"),
            ("\\0", "HH ≤ 7F"),
            ("\\cJ", "HH ≤ 7F"),
            ("\\A", "use `^` and `$`"),
            ("\\z", "use `^` and `$`"),
            ("a\\<b", "without the backslash"),
            ("a\\>b", "without the backslash"),
            ("a\\-b", "write `-` without the backslash"),
            ("a\\:b", "write `:` without the backslash"),
            ("a\\\"b", "write `\"` without the backslash"),
            ("a\\ b", "write ` ` without the backslash"),
            ("\\r", "`\\t`, `\\n`, `\\xHH`"),
            ("a(?=b)", "match the surrounding text"),
            ("a(?!b)", "match the surrounding text"),
            ("(?<=a)b", "match the surrounding text"),
            ("(?<!a)b", "match the surrounding text"),
            ("(a)\\1", "match the repeated text"),
            ("(?<x>a)\\k<x>", "plain group"),
            ("(?P<x>a)", "plain group"),
            ("(?<x>a)", "plain group"),
            ("(?i)abc", "ignore_case: true"),
            ("(?i:abc)", "ignore_case: true"),
            ("[[:alpha:]]", "`[A-Za-z]`"),
            ("[a-z&&[^aeiou]]", "split the class"),
            ("[a--b]", "split the class"),
            ("[a~~b]", "split the class"),
            ("^a}$", "escape it as `\\}`"),
            ("^]$", "escape it as `\\]`"),
            ("[]a]", "escape it as `\\]`"),
            ("[^]a]", "escape it as `\\]`"),
            ("[a[]", "escape it as `\\[`"),
            ("[a^]", "escape it as `\\^`"),
            ("[a-]", "escape it as `\\-`"),
            ("[-a]", "escape it as `\\-`"),
            // Spec §4.8 writes `[0-9a-f-]`, but §4.4 (normative) wants every `-` escaped.
            ("[0-9a-f-]+", "escape it as `\\-`"),
            ("[z-a]", "smaller character first"),
            ("[abc", "add the closing `]`"),
            ("(abc", "add the closing `)`"),
            ("abc)", "add the opening `(`"),
            ("a{,2}", "write `{0,n}`"),
            ("a{1001}", "bounds up to 1000"),
            ("a{2,1}", "smaller number first"),
            ("a{2", "write `{n}`"),
            ("a{x}", "escape it as `\\{`"),
            ("{2}", "escape it as `\\{`"),
            ("*a", "escape it with a backslash"),
            ("a**", "keep one quantifier"),
            ("^*", "remove the quantifier"),
            ("abc\\", "`\\\\` for a backslash"),
        ];
        for (pattern, help) in cases {
            let e = parse(pattern).expect_err(pattern);
            let h = e.help.clone().unwrap_or_default();
            assert!(
                h.contains(help),
                "{pattern}: help {h:?} lacks {help:?} ({})",
                e.message
            );
        }
    }

    #[test]
    fn match_literals_are_escaped_for_both_engines() {
        assert_eq!(
            escape_literal("a.b*(c)[d]{e}|f?g+h^i$j\\k/-"),
            "a\\.b\\*\\(c\\)\\[d\\]\\{e\\}\\|f\\?g\\+h\\^i\\$j\\\\k/-"
        );
        let escaped = escape_literal("x{1}[^]\\");
        assert!(parse(&escaped).is_ok());
    }

    #[test]
    fn required_literals_pick_the_longest_run_or_the_alternatives() {
        let lit = |p: &str| required_literals(&parse(p).unwrap());
        assert_eq!(
            lit("^STATMSG: ID=6709 "),
            Some(vec!["STATMSG: ID=6709 ".to_string()])
        );
        assert_eq!(
            lit("^(Processing security catalog|Initializing catalog) .*wsusscn2\\.cab"),
            Some(vec![
                "Initializing catalog".to_string(),
                "Processing security catalog".to_string()
            ])
        );
        assert_eq!(
            lit("^Updates summary: [1-9][0-9]* processed"),
            Some(vec!["Updates summary: ".to_string()])
        );
        assert_eq!(lit("[0-9]+"), None);
        assert_eq!(lit("(ab)?"), None);
        assert_eq!(lit("a|[0-9]"), None);
    }
}
