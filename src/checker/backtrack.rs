//! Patterns that make a backtracking engine slow (spec §4.6: "both the CLI and the page
//! must run in linear time"). Rust `regex` never backtracks; the page's JavaScript
//! `RegExp` does, and tries every way a pattern can match a text before it gives up on a
//! line. Banning nested unbounded quantifiers (§4.4) is not enough: `( [a-z]| [a-z0-9])*`
//! and `(?:a?){40}a{40}` have none, yet a line of a few dozen characters never finishes.
//!
//! The test works on the pattern's position automaton (Glushkov: one state per character
//! or class written in the pattern, counted repetitions expanded the way JavaScript runs
//! them), paired with itself. A pair of states `(p, q)` is two ways of matching the same
//! text so far. Two ways that split and meet again at one state are a *diamond*: the
//! text between them has two matches, and a backtracking engine tries both.
//! - A diamond inside a cycle of pairs means a text that can be repeated, each copy
//!   doubling the ways: exponential time (what the literature calls EDA).
//! - Diamonds in a row, without a cycle, multiply: each `.*` between two words is one
//!   (the word can be found at many places), so `a.*b.*c.*d` costs a backtracking
//!   engine about n⁴ steps on a failing line of n characters; `(?:a?){40}` has a dozen.
//!   More than [`MAX_DIAMONDS`] in a row is refused. Measured in Chromium on a line of
//!   300 `a`s: `(?:.*a){3}x` (two diamonds) 0.5 s, `(?:.*a){4}x` (three) 86 s.
//!
//! Case-insensitive signals fold their classes first (`regex-syntax`'s simple case
//! folding, the one both engines use), so `(?:k|K)*` with `ignore_case` is caught.

use std::collections::HashMap;

use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};

use super::portable::{LintError, Node};

/// Diamonds in a row allowed without a cycle: `^Error .*code .*failed .*` and
/// `a.*b.*c.*d` (two each) pass, `a.*b.*c.*d.*e` and `(?:a?){8}` do not. Two cost a
/// failing line about n³ steps: `a.*b.*c.*d` took 0.4 s in V8 on 300 characters, 24 s
/// on 1,200 (past the page's stall limit, where the reader is told nothing can be
/// concluded); one would refuse patterns authors write every day.
pub(crate) const MAX_DIAMONDS: u32 = 2;

/// Positions (characters and classes, counted repetitions expanded) a pattern may have
/// before it is refused as too large to check.
const MAX_POSITIONS: usize = 4096;

/// Pairs of positions explored before a pattern is refused as too large to check.
const MAX_PAIRS: usize = 1_000_000;

/// Checks that a JavaScript backtracking engine matches `node` in time that grows neither
/// exponentially nor as a high power of the line's length; the error names a text that
/// shows the problem.
pub(crate) fn check(node: &Node, ignore_case: bool) -> Result<(), LintError> {
    if nested_unbounded(node) {
        return Err(LintError {
            message: "nested unbounded quantifiers such as `(a+)+` or `(.*)*` can take exponential time in JavaScript".into(),
            help: Some("quantify only once, e.g. `a+` instead of `(a+)+`".into()),
        });
    }
    if let Some(times) = nullable_repeated(node) {
        return Err(LintError {
            message: format!(
                "an item that can match nothing is repeated {times} times: JavaScript can try every way of spreading a text over the repetitions, exponentially many"
            ),
            help: Some(HELP.into()),
        });
    }
    analyse(node, ignore_case)
}

/// Repetitions of an item that can match nothing that [`check`] refuses by shape, before
/// the analysis, which would expand each of them into that many positions and pair them
/// all (`(?:a?){400}` took gigabytes); fewer are left to it.
const MAX_NULLABLE_REPEAT: u32 = 16;

/// The count of the first repetition of an item that can match nothing that must be made
/// more than [`MAX_NULLABLE_REPEAT`] times (`(?:a?){400}`).
fn nullable_repeated(node: &Node) -> Option<u32> {
    fn nullable(node: &Node) -> bool {
        match node {
            Node::Empty | Node::Assertion => true,
            Node::Char(_) | Node::Set { .. } => false,
            Node::Group(n) => nullable(n),
            Node::Concat(v) => v.iter().all(nullable),
            Node::Alt(v) => v.iter().any(nullable),
            Node::Repeat { node, min, .. } => *min == 0 || nullable(node),
        }
    }
    match node {
        // the repetitions it must make (`{400}`, `{400,}`): those it may skip JavaScript
        // stops at once when they match nothing
        Node::Repeat { node, min, .. } if *min > MAX_NULLABLE_REPEAT && nullable(node) => {
            Some(*min)
        }
        Node::Repeat { node, .. } => nullable_repeated(node),
        Node::Group(n) => nullable_repeated(n),
        Node::Concat(v) | Node::Alt(v) => v.iter().find_map(nullable_repeated),
        Node::Empty | Node::Char(_) | Node::Set { .. } | Node::Assertion => None,
    }
}

/// The ambiguity test alone (without the shape rule).
fn analyse(node: &Node, ignore_case: bool) -> Result<(), LintError> {
    let mut g = Glushkov {
        classes: Vec::new(),
        interned: HashMap::new(),
        class_of: Vec::new(),
        follow: Vec::new(),
        ignore_case,
    };
    let whole = g.fragment(node)?;
    let product = Product::explore(&g, &whole.first)?;
    product.verdict(&g)
}

/// Whether a quantifier that repeats (not `?` or `{0}`) holds an unbounded one (spec
/// §4.4 forbids these by shape, whether or not they are ambiguous).
fn nested_unbounded(node: &Node) -> bool {
    fn has_unbounded(node: &Node) -> bool {
        match node {
            Node::Repeat { node, max, .. } => max.is_none() || has_unbounded(node),
            Node::Group(n) => has_unbounded(n),
            Node::Concat(v) | Node::Alt(v) => v.iter().any(has_unbounded),
            Node::Empty | Node::Char(_) | Node::Set { .. } | Node::Assertion => false,
        }
    }
    match node {
        Node::Repeat { node, max, .. } => {
            (!matches!(max, Some(0 | 1)) && has_unbounded(node)) || nested_unbounded(node)
        }
        Node::Group(n) => nested_unbounded(n),
        Node::Concat(v) | Node::Alt(v) => v.iter().any(nested_unbounded),
        Node::Empty | Node::Char(_) | Node::Set { .. } | Node::Assertion => false,
    }
}

/// The first/last positions of a sub-pattern and whether it matches the empty text.
struct Fragment {
    first: Vec<u32>,
    last: Vec<u32>,
    nullable: bool,
}

struct Glushkov {
    /// Distinct classes as written, folded when `ignore_case`.
    classes: Vec<ClassUnicode>,
    /// Index in `classes` of each class as written (ranges, negated).
    interned: HashMap<(Vec<(char, char)>, bool), usize>,
    /// Class index of each position.
    class_of: Vec<u32>,
    /// Positions that may follow each position, with repeats: two entries for the same
    /// target are two ways to step there (`(a*)*` steps from `a` to `a` twice).
    follow: Vec<Vec<u32>>,
    ignore_case: bool,
}

/// `class` with every character that folds to one of its characters (`case_fold_simple`).
/// Folding looks at each character of a class in turn, a million of them for `.`, where
/// it took 4 ms, so a class larger than its complement is folded through the complement:
/// what folding adds to `class` are the equivalents of its characters that fold to one
/// outside it, and those are few when the outside is small.
fn folded(mut class: ClassUnicode) -> ClassUnicode {
    fn size(class: &ClassUnicode) -> u32 {
        class
            .ranges()
            .iter()
            .map(|r| u32::from(r.end()) - u32::from(r.start()) + 1)
            .sum()
    }
    let mut leaking = class.clone();
    leaking.negate();
    if size(&leaking) >= size(&class) {
        class.case_fold_simple();
        return class;
    }
    leaking.case_fold_simple();
    leaking.intersect(&class);
    leaking.case_fold_simple();
    class.union(&leaking);
    class
}

fn too_large() -> LintError {
    LintError {
        message: "the pattern is too large to prove that JavaScript matches it in linear time"
            .into(),
        help: Some(
            "use smaller counts in `{n,m}`, or `*`/`+` when the count does not matter".into(),
        ),
    }
}

impl Glushkov {
    fn position(&mut self, ranges: &[(char, char)], negated: bool) -> Result<Fragment, LintError> {
        if self.class_of.len() >= MAX_POSITIONS {
            return Err(too_large());
        }
        let key = (ranges.to_vec(), negated);
        let id = match self.interned.get(&key) {
            Some(&id) => id,
            None => {
                let mut class =
                    ClassUnicode::new(ranges.iter().map(|&(a, b)| ClassUnicodeRange::new(a, b)));
                if self.ignore_case {
                    class = folded(class);
                }
                if negated {
                    class.negate();
                }
                self.classes.push(class);
                let id = self.classes.len() - 1;
                self.interned.insert(key, id);
                id
            }
        };
        let p = self.class_of.len() as u32;
        self.class_of.push(id as u32);
        self.follow.push(Vec::new());
        Ok(Fragment {
            first: vec![p],
            last: vec![p],
            nullable: false,
        })
    }

    fn link(&mut self, from: &[u32], to: &[u32]) {
        for &f in from {
            self.follow[f as usize].extend_from_slice(to);
        }
    }

    fn empty() -> Fragment {
        Fragment {
            first: Vec::new(),
            last: Vec::new(),
            nullable: true,
        }
    }

    fn concat(&mut self, a: Fragment, b: Fragment) -> Fragment {
        self.link(&a.last, &b.first);
        let mut first = a.first;
        if a.nullable {
            first.extend_from_slice(&b.first);
        }
        let mut last = b.last;
        if b.nullable {
            last.extend_from_slice(&a.last);
        }
        Fragment {
            first,
            last,
            nullable: a.nullable && b.nullable,
        }
    }

    /// The positions of `node`, fresh each call (a counted repetition calls it once per
    /// copy).
    fn fragment(&mut self, node: &Node) -> Result<Fragment, LintError> {
        Ok(match node {
            Node::Empty | Node::Assertion => Self::empty(),
            Node::Char(c) => self.position(&[(*c, *c)], false)?,
            Node::Set { ranges, negated } => self.position(ranges, *negated)?,
            Node::Group(inner) => self.fragment(inner)?,
            Node::Concat(items) => {
                let mut acc = Self::empty();
                for item in items {
                    let next = self.fragment(item)?;
                    acc = self.concat(acc, next);
                }
                acc
            }
            Node::Alt(branches) => {
                let mut acc = Fragment {
                    first: Vec::new(),
                    last: Vec::new(),
                    nullable: false,
                };
                for b in branches {
                    let f = self.fragment(b)?;
                    acc.first.extend(f.first);
                    acc.last.extend(f.last);
                    acc.nullable |= f.nullable;
                }
                acc
            }
            Node::Repeat { node, min, max } => self.repeat(node, *min, *max)?,
        })
    }

    /// `X{min,max}` as JavaScript runs it: `min` copies of `X`, each of which may match
    /// the empty text, then either a loop of `X` or `max - min` nested optional copies,
    /// each of which must match something (ECMA-262 RepeatMatcher fails an empty
    /// iteration once `min` is reached).
    fn repeat(&mut self, node: &Node, min: u32, max: Option<u32>) -> Result<Fragment, LintError> {
        let mut acc = Self::empty();
        for _ in 0..min {
            let copy = self.fragment(node)?;
            acc = self.concat(acc, copy);
        }
        let tail = match max {
            None => {
                let body = self.fragment(node)?;
                self.link(&body.last, &body.first);
                Fragment {
                    nullable: true,
                    ..body
                }
            }
            Some(max) => {
                let mut tail = Self::empty();
                for _ in min..max {
                    let body = self.fragment(node)?;
                    let body = Fragment {
                        nullable: false,
                        ..body
                    };
                    let mut opt = self.concat(body, tail);
                    opt.nullable = true;
                    tail = opt;
                }
                tail
            }
        };
        Ok(self.concat(acc, tail))
    }
}

/// The follow list of one position as (target, number of ways to step there).
fn counted(follow: &[u32]) -> Vec<(u32, u32)> {
    let mut sorted = follow.to_vec();
    sorted.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for t in sorted {
        match out.last_mut() {
            Some((last, n)) if *last == t => *n += 1,
            _ => out.push((t, 1)),
        }
    }
    out
}

/// The automaton paired with itself, from the start pair; pairs are kept with the
/// smaller position first, since `(p, q)` and `(q, p)` are the same two ways.
struct Product {
    pairs: Vec<(u32, u32)>,
    /// Edges of each pair: (target pair, is a diamond).
    edges: Vec<Vec<(u32, bool)>>,
}

/// The start state's number: one past the last position.
fn start_of(g: &Glushkov) -> u32 {
    g.class_of.len() as u32
}

impl Product {
    fn explore(g: &Glushkov, first: &[u32]) -> Result<Product, LintError> {
        let start = start_of(g);
        let follow: Vec<Vec<(u32, u32)>> = g
            .follow
            .iter()
            .map(|f| counted(f))
            .chain(std::iter::once(counted(first)))
            .collect();
        let k = g.classes.len();
        let mut overlap = vec![false; k * k];
        for i in 0..k {
            for j in i..k {
                let mut c = g.classes[i].clone();
                c.intersect(&g.classes[j]);
                let o = !c.ranges().is_empty();
                overlap[i * k + j] = o;
                overlap[j * k + i] = o;
            }
        }
        let class = |p: u32| g.class_of[p as usize] as usize;
        let mut index: HashMap<(u32, u32), u32> = HashMap::new();
        let mut pairs = vec![(start, start)];
        let mut edges: Vec<Vec<(u32, bool)>> = Vec::new();
        index.insert((start, start), 0);
        let mut next = 0;
        while next < pairs.len() {
            let (p, q) = pairs[next];
            let mut out = Vec::new();
            for &(p2, np) in &follow[p as usize] {
                for &(q2, _) in &follow[q as usize] {
                    if p == q && q2 < p2 {
                        continue; // the mirror of a pair already stepped to
                    }
                    if !overlap[class(p2) * k + class(q2)] {
                        continue;
                    }
                    let diamond = if p == q {
                        p2 == q2 && np >= 2
                    } else {
                        p2 == q2
                    };
                    let key = (p2.min(q2), p2.max(q2));
                    let id = match index.get(&key) {
                        Some(&id) => id,
                        None => {
                            if pairs.len() >= MAX_PAIRS {
                                return Err(too_large());
                            }
                            let id = pairs.len() as u32;
                            pairs.push(key);
                            index.insert(key, id);
                            id
                        }
                    };
                    out.push((id, diamond));
                }
            }
            edges.push(out);
            next += 1;
        }
        Ok(Product { pairs, edges })
    }

    /// Strongly connected components (Tarjan, iterative), each a list of pair ids, in an
    /// order where every edge leaving a component goes to one listed earlier.
    fn components(&self) -> (Vec<Vec<u32>>, Vec<u32>) {
        let n = self.pairs.len();
        const NONE: u32 = u32::MAX;
        let mut idx = vec![NONE; n];
        let mut low = vec![0u32; n];
        let mut on_stack = vec![false; n];
        let mut stack: Vec<u32> = Vec::new();
        let mut comp_of = vec![NONE; n];
        let mut comps: Vec<Vec<u32>> = Vec::new();
        let mut counter = 0u32;
        for root in 0..n as u32 {
            if idx[root as usize] != NONE {
                continue;
            }
            let mut call: Vec<(u32, usize)> = vec![(root, 0)];
            idx[root as usize] = counter;
            low[root as usize] = counter;
            counter += 1;
            stack.push(root);
            on_stack[root as usize] = true;
            while let Some(&mut (v, ref mut i)) = call.last_mut() {
                if let Some(&(w, _)) = self.edges[v as usize].get(*i) {
                    *i += 1;
                    if idx[w as usize] == NONE {
                        idx[w as usize] = counter;
                        low[w as usize] = counter;
                        counter += 1;
                        stack.push(w);
                        on_stack[w as usize] = true;
                        call.push((w, 0));
                    } else if on_stack[w as usize] {
                        low[v as usize] = low[v as usize].min(idx[w as usize]);
                    }
                    continue;
                }
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent as usize] = low[parent as usize].min(low[v as usize]);
                }
                if low[v as usize] == idx[v as usize] {
                    let id = comps.len() as u32;
                    let mut comp = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w as usize] = false;
                        comp_of[w as usize] = id;
                        comp.push(w);
                        if w == v {
                            break;
                        }
                    }
                    comps.push(comp);
                }
            }
        }
        (comps, comp_of)
    }

    fn verdict(&self, g: &Glushkov) -> Result<(), LintError> {
        let (comps, comp_of) = self.components();
        // A cycle of pairs holding a diamond: a component with both one-way and
        // two-way pairs, or a diamond edge inside one component.
        for comp in &comps {
            let c = comp_of[comp[0] as usize];
            let diagonal = comp.iter().any(|&v| self.is_diagonal(v));
            let split = comp.iter().any(|&v| !self.is_diagonal(v));
            let inner_diamond = comp.iter().any(|&v| {
                self.edges[v as usize]
                    .iter()
                    .any(|&(w, d)| d && comp_of[w as usize] == c)
            });
            if (diagonal && split) || inner_diamond {
                let pump = self.pump(g, comp, &comp_of);
                return Err(LintError {
                    message: format!(
                        "the pattern can match the text {} in more than one way inside a repetition; a line that repeats it makes JavaScript backtrack exponentially, and the page never gives a verdict",
                        quote(&pump)
                    ),
                    help: Some(HELP.into()),
                });
            }
        }
        // The longest chain of diamonds, component by component (edges go to
        // components listed earlier).
        let mut best = vec![(0u32, None::<(u32, u32)>); comps.len()];
        for (c, comp) in comps.iter().enumerate() {
            for &v in comp {
                for &(w, d) in &self.edges[v as usize] {
                    let cw = comp_of[w as usize] as usize;
                    if cw == c {
                        continue;
                    }
                    let score = best[cw].0 + u32::from(d);
                    if score > best[c].0 {
                        best[c] = (score, Some((v, w)));
                    }
                }
            }
        }
        let start = comp_of[0] as usize;
        let diamonds = best[start].0;
        if diamonds > MAX_DIAMONDS {
            let text = self.chain(g, &best, &comp_of);
            return Err(LintError {
                message: format!(
                    "the pattern has {diamonds} places in a row where one text can be matched in two ways (more than {MAX_DIAMONDS}), as in {}; on a line that fails, JavaScript tries every combination of them, which can take minutes for a line of a few hundred characters",
                    quote(&text),
                ),
                help: Some(HELP.into()),
            });
        }
        Ok(())
    }

    fn is_diagonal(&self, v: u32) -> bool {
        let (p, q) = self.pairs[v as usize];
        p == q
    }

    /// A character both positions of pair `v` accept (the pair's last step read it).
    fn label(&self, g: &Glushkov, v: u32) -> char {
        let (p, q) = self.pairs[v as usize];
        if p == start_of(g) {
            return '\0';
        }
        let mut c = g.classes[g.class_of[p as usize] as usize].clone();
        c.intersect(&g.classes[g.class_of[q as usize] as usize]);
        pick(&c)
    }

    /// Shortest path of pairs from `from` to a pair for which `goal` holds, staying where
    /// `allowed` holds; the pairs after `from`, in order.
    fn path(
        &self,
        from: u32,
        allowed: impl Fn(u32) -> bool,
        goal: impl Fn(u32, u32) -> bool,
    ) -> Vec<u32> {
        let mut prev: HashMap<u32, u32> = HashMap::new();
        let mut queue = std::collections::VecDeque::from([from]);
        while let Some(v) = queue.pop_front() {
            for &(w, _) in &self.edges[v as usize] {
                if !allowed(w) {
                    continue;
                }
                if goal(v, w) {
                    let mut out = vec![w];
                    let mut cur = v;
                    while cur != from {
                        out.push(cur);
                        cur = prev[&cur];
                    }
                    out.reverse();
                    return out;
                }
                if w != from && !prev.contains_key(&w) {
                    prev.insert(w, v);
                    queue.push_back(w);
                }
            }
        }
        Vec::new()
    }

    /// The text that leads from the start into component `comp`, then once around a
    /// cycle of it through a diamond: `prefix` + `loop`, with the loop shown twice.
    fn pump(&self, g: &Glushkov, comp: &[u32], comp_of: &[u32]) -> String {
        let c = comp_of[comp[0] as usize];
        let inside = |w: u32| comp_of[w as usize] == c;
        // Anchor the cycle at a one-way pair of the component (every such component
        // has one).
        let anchor = comp
            .iter()
            .copied()
            .find(|&v| self.is_diagonal(v))
            .unwrap_or(comp[0]);
        let lead: Vec<u32> = if anchor == 0 {
            Vec::new()
        } else {
            self.path(0, |_| true, |_, w| w == anchor)
        };
        // Out through a split pair or a diamond edge, then back to the anchor.
        let out = self.path(anchor, inside, |v, w| {
            !self.is_diagonal(w) || self.edges[v as usize].iter().any(|&(x, d)| d && x == w)
        });
        let back = match out.last() {
            Some(&last) if last != anchor => self.path(last, inside, |_, w| w == anchor),
            _ => Vec::new(),
        };
        let text = |ids: &[u32]| ids.iter().map(|&v| self.label(g, v)).collect::<String>();
        let cycle = format!("{}{}", text(&out), text(&back));
        format!("{}{}", text(&lead), cycle)
    }

    /// The text along the longest chain of diamonds from the start.
    fn chain(&self, g: &Glushkov, best: &[(u32, Option<(u32, u32)>)], comp_of: &[u32]) -> String {
        let mut text = String::new();
        let mut v = 0u32;
        loop {
            let c = comp_of[v as usize] as usize;
            let Some((from, to)) = best[c].1 else { break };
            if from != v {
                for w in self.path(v, |w| comp_of[w as usize] as usize == c, |_, w| w == from) {
                    text.push(self.label(g, w));
                }
            }
            text.push(self.label(g, to));
            v = to;
        }
        text
    }
}

const HELP: &str = "give each text one way to match: between two words write `[^c]*`, where c is the first character of the next word, instead of `.*` (`a.*b.*c` → `a[^b]*b[^c]*c`); alternatives inside a repetition must not overlap (`(?:[a-z]|[0-9])*` → `[a-z0-9]*`); an optional item must not be repeated a fixed number of times (`(?:a?){5}` → `a{0,5}`)";

/// A readable character of `class`, preferring letters and digits.
fn pick(class: &ClassUnicode) -> char {
    for c in "aA0 x.-_:/=".chars() {
        if class
            .ranges()
            .iter()
            .any(|r| r.start() <= c && c <= r.end())
        {
            return c;
        }
    }
    class
        .ranges()
        .iter()
        .find_map(|r| {
            let lo = r.start().max('!');
            (lo <= r.end()).then_some(lo)
        })
        .or_else(|| class.ranges().first().map(|r| r.start()))
        .unwrap_or('?')
}

/// `text` in backquotes, long texts cut, controls escaped.
fn quote(text: &str) -> String {
    const MAX: usize = 60;
    let mut shown: String = text
        .chars()
        .take(MAX)
        .flat_map(char::escape_debug)
        .collect();
    if text.chars().count() > MAX {
        shown.push('…');
    }
    format!("`{shown}`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checker::portable::parse;

    fn verdict(pattern: &str, ignore_case: bool) -> Result<(), LintError> {
        check(&parse(pattern).expect(pattern), ignore_case)
    }

    #[test]
    fn linear_patterns_pass() {
        for p in crate::checker::portable::SPEC_PATTERNS
            .iter()
            .copied()
            .chain([
                // Everyday shapes.
                "^Error .*code .*failed .*",
                "[a-z]+(?: [a-z]{1,20})*$",
                "(?:[^,]{0,50},)*x",
                "^(?:[0-9]{1,3}\\.){3}[0-9]{1,3}$",
                "[0-9a-f]{32}",
                "[ \\t]*=[ \\t]*",
                "(?:ab)+|c*$",
                ".{0,1000}x",
                "(a|b)*c",
                "(?:a?){0,40}",
                "a{0,40}a{40}",
                "x(?:a|b){1000}",
                "",
            ])
        {
            assert!(verdict(p, false).is_ok(), "{p}: {:?}", verdict(p, false));
            assert!(verdict(p, true).is_ok(), "{p} (ignore_case)");
        }
    }

    #[test]
    fn exponential_patterns_are_refused_with_a_text_that_shows_it() {
        for (p, text) in [
            ("^Error( [a-z]| [a-z0-9])*$", "`Error a a a`"),
            ("(a|a)*", "`aaa`"),
            ("(a|ab|b)*c", "`babb`"),
            ("(?:a?b?)*$", "`bab`"),
            ("(?:x|.)*y", "`axa`"),
        ] {
            let e = verdict(p, false).expect_err(p);
            assert!(
                e.message.contains("more than one way"),
                "{p}: {}",
                e.message
            );
            assert!(e.message.contains(text), "{p}: {} lacks {text}", e.message);
        }
    }

    #[test]
    fn nested_unbounded_quantifiers_are_refused_by_shape() {
        for p in ["(a+)+", "(.*)*", "(?:a|b*){2}", "x(?:(?:ab+)?c)*"] {
            let e = verdict(p, false).expect_err(p);
            assert!(e.help.unwrap().contains("instead of `(a+)+`"), "{p}");
        }
        for p in ["(a+)?", "(?:a*){1}", "(?:ab{2,3})+"] {
            assert!(verdict(p, false).is_ok(), "{p}");
        }
        // Bounded inside unbounded passes the shape rule; `aaaaaa` is 2+2+2 or 3+3.
        let e = verdict("(?:a{2,3})+", false).unwrap_err();
        assert!(e.message.contains("more than one way"), "{}", e.message);
    }

    #[test]
    fn ambiguity_is_found_where_the_shape_rule_does_not_look() {
        // Nested unbounded, so refused by shape first; the analysis alone sees them too.
        for p in ["(?:a.*)*", "(?:[a-z]+[0-9]*[a-z]*)*!", "(a*b?)*"] {
            let e = analyse(&parse(p).unwrap(), false).expect_err(p);
            assert!(
                e.message.contains("more than one way"),
                "{p}: {}",
                e.message
            );
        }
    }

    #[test]
    fn parallel_steps_are_two_ways() {
        // `(a*)*`-shaped: no pair ever splits, but each step can be taken twice. The
        // parser refuses these for nesting; the analysis must see them too.
        let node = Node::Repeat {
            node: Box::new(Node::Repeat {
                node: Box::new(Node::Char('a')),
                min: 0,
                max: None,
            }),
            min: 0,
            max: None,
        };
        let e = analyse(&node, false).unwrap_err();
        assert!(e.message.contains("`aa"), "{}", e.message);
    }

    #[test]
    fn long_chains_of_two_ways_are_refused() {
        for (p, text) in [
            ("(?:a?){16}a{16}", "`aaaa"),
            ("(?:a?){8}x", "`aaa"),
            ("a.*b.*c.*d.*e", "`aab"),
            (".*a.*a.*a.*ax", "`aa"),
            (&"(?:.*,)".repeat(5), "`a,a,"),
        ] {
            let e = verdict(p, false).expect_err(p);
            assert!(e.message.contains("places in a row"), "{p}: {}", e.message);
            assert!(e.message.contains(text), "{p}: {} lacks {text}", e.message);
            assert!(e.help.unwrap().contains("`[^c]*`"));
        }
        for p in [
            "(?:a?){4}x",
            ".*a.*a.*ax",
            // two words with `.*` on both sides: allowed (see MAX_DIAMONDS, the README)
            "a.*b.*c.*d",
            "a[^b]*b[^c]*c[^d]*d[^e]*e",
            "a{0,40}x",
        ] {
            assert!(verdict(p, false).is_ok(), "{p}: {:?}", verdict(p, false));
        }
    }

    #[test]
    fn ignore_case_folds_before_comparing() {
        assert!(verdict("(?:k|K)*x", false).is_ok());
        let e = verdict("(?:k|K)*x", true).unwrap_err();
        assert!(e.message.contains("more than one way"), "{}", e.message);
        assert!(verdict("(?:[a-z]|[A-Z])*", true).is_err());
    }

    #[test]
    fn a_large_class_folds_as_if_folded_directly() {
        let class = |ranges: &[(char, char)]| {
            ClassUnicode::new(ranges.iter().map(|&(a, b)| ClassUnicodeRange::new(a, b)))
        };
        let direct = |mut c: ClassUnicode| {
            c.case_fold_simple();
            c
        };
        // all but `k` (folds with `K` and the Kelvin sign U+212A), all but `K` and `ſ`
        // (U+017F, folds with `s` and `S`), all but the letters, all, and a small class
        for ranges in [
            &[('\0', 'j'), ('l', char::MAX)][..],
            &[
                ('\0', 'J'),
                ('L', '~'),
                ('\u{80}', '\u{17E}'),
                ('\u{180}', char::MAX),
            ],
            &[('\0', '@'), ('[', '`'), ('{', char::MAX)],
            &[('\0', char::MAX)],
            &[('a', 'f'), ('\u{212A}', '\u{212A}')],
        ] {
            assert_eq!(folded(class(ranges)), direct(class(ranges)), "{ranges:?}");
        }
        assert!(
            folded(class(&[('\0', 'j'), ('l', char::MAX)]))
                .ranges()
                .iter()
                .any(|r| r.start() <= 'k' && 'k' <= r.end())
        );
    }

    /// An optional item repeated hundreds of times is refused by its shape at once: the
    /// analysis ran out of memory on `(?:a?){400}b` (gigabytes, then killed).
    #[test]
    fn many_repetitions_of_an_optional_item_are_refused_by_shape() {
        for p in ["^x(?:a?){400}b", "(?:a?b?){17}", "(?:(?:a?){20}c)+"] {
            let e = check(&parse(p).unwrap(), false).expect_err(p);
            assert!(
                e.message.contains("can match nothing is repeated"),
                "{p}: {}",
                e.message
            );
        }
        for p in ["(?:ab){400}", "a{0,400}x", "(?:a?){4}x"] {
            assert!(nullable_repeated(&parse(p).unwrap()).is_none(), "{p}");
        }
    }

    #[test]
    fn huge_expansions_are_refused_not_explored() {
        let e = verdict("(?:(?:ab){100}){100}", false).unwrap_err();
        assert!(e.message.contains("too large"), "{}", e.message);
    }
}
