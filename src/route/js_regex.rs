//! Parser for ECMAScript RegExp source without the `u` flag (Annex B grammar), as V8 parses it.
//!
//! path-to-regexp builds a JS RegExp source string and calls `new RegExp(source, "i")`; user
//! custom parameter patterns are pasted into that source verbatim, so the only faithful way to
//! know what Clerk's matcher accepts is to parse the whole source the way V8 does. The result is
//! a small AST over code-unit sets (already closed under the `i` flag's Canonicalize); anything
//! that cannot be matched identically by a linear-time automaton is reported as `Unsupported`.
//! Syntax errors carry V8's message text.

use super::charset::{self, UnitSet};
use super::js_regex_class::class_escape;

/// Deeper nesting than this is refused (V8 accepts it; the linear-time engine has a nest limit).
const MAX_DEPTH: usize = 40;
/// V8's `RegExpTree::kInfinity`: where quantifier numbers saturate.
const INFINITY: u32 = i32::MAX as u32;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    /// Exactly one code unit from the set.
    Set(UnitSet),
    Seq(Vec<Node>),
    Alt(Vec<Node>),
    /// `max == None` is unbounded.
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
    Start,
    End,
    WordBoundary {
        negate: bool,
    },
    LookAhead {
        negate: bool,
        body: Box<Node>,
    },
    /// Placeholder for a construct already reported as unsupported.
    Unsupported,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum RegexError {
    /// What V8 throws as `SyntaxError: Invalid regular expression: /…/i: <message>`.
    Syntax(&'static str),
    /// A valid JS construct edgeguard refuses because it cannot match it identically.
    Unsupported(String),
}

/// Parses `source` as `new RegExp(source, "i")` would.
pub(crate) fn parse(source: &[u16]) -> Result<Node, RegexError> {
    let (capture_count, has_named_captures) = scan_for_captures(source);
    let mut parser = Parser {
        src: source,
        pos: 0,
        capture_count,
        has_named_captures,
        group_names: Vec::new(),
        group_name_unknown: false,
        named_references: Vec::new(),
        unsupported: None,
    };
    let node = parser.disjunction(0)?;
    // V8 resolves named references after the whole pattern parsed (a reference may precede its
    // group), so a missing group is reported after every syntax error and before our refusal.
    if parser.has_missing_named_reference() {
        return Err(RegexError::Syntax("Invalid named capture referenced"));
    }
    match parser.unsupported {
        Some(construct) => Err(RegexError::Unsupported(construct)),
        None => Ok(node),
    }
}

/// V8's ScanForCaptures over the whole source: capturing groups and whether any is named.
fn scan_for_captures(src: &[u16]) -> (u32, bool) {
    let mut count = 0u32;
    let mut named = false;
    let mut i = 0;
    while i < src.len() {
        let c = src[i];
        i += 1;
        if c == u16::from(b'\\') {
            i += 1;
        } else if c == u16::from(b'[') {
            while i < src.len() {
                let d = src[i];
                i += 1;
                if d == u16::from(b'\\') {
                    i += 1;
                } else if d == u16::from(b']') {
                    break;
                }
            }
        } else if c == u16::from(b'(') {
            if src.get(i) == Some(&u16::from(b'?')) {
                i += 1;
                if src.get(i) != Some(&u16::from(b'<')) {
                    continue;
                }
                i += 1;
                if matches!(src.get(i), Some(&u) if u == u16::from(b'=') || u == u16::from(b'!')) {
                    continue;
                }
                named = true;
            }
            count = count.saturating_add(1);
        }
    }
    (count, named)
}

pub(super) struct Parser<'a> {
    pub(super) src: &'a [u16],
    pub(super) pos: usize,
    pub(super) capture_count: u32,
    pub(super) has_named_captures: bool,
    pub(super) group_names: Vec<Vec<u16>>,
    /// A capture group name was refused (escaped or non-ASCII): its spelling is not known, so
    /// a reference that matches no known name may still name it.
    pub(super) group_name_unknown: bool,
    /// The names `\k<…>` refers to; `None` when the reference's own name was refused.
    pub(super) named_references: Vec<Option<Vec<u16>>>,
    pub(super) unsupported: Option<String>,
}

pub(super) fn is(unit: Option<u16>, ascii: u8) -> bool {
    unit == Some(u16::from(ascii))
}

pub(super) fn is_digit(unit: Option<u16>) -> bool {
    matches!(unit, Some(u) if (0x30..=0x39).contains(&u))
}

pub(super) fn is_octal(unit: Option<u16>) -> bool {
    matches!(unit, Some(u) if (0x30..=0x37).contains(&u))
}

pub(super) fn hex_value(unit: Option<u16>) -> Option<u32> {
    let u = unit?;
    char::from_u32(u32::from(u))?.to_digit(16)
}

/// A single unit under the `i` flag.
pub(super) fn literal(unit: u32) -> Node {
    Node::Set(UnitSet::unit_case_closure(unit))
}

enum Escape {
    Atom(Node),
    Assertion(Node),
}

enum GroupKind {
    Plain,
    LookAhead { negate: bool },
    LookBehind,
}

enum GroupResult {
    Atom(Node),
    Lookbehind,
}

impl Parser<'_> {
    pub(super) fn cur(&self) -> Option<u16> {
        self.src.get(self.pos).copied()
    }

    pub(super) fn peek(&self, ahead: usize) -> Option<u16> {
        self.src.get(self.pos + ahead).copied()
    }

    pub(super) fn refuse(&mut self, construct: &str) {
        if self.unsupported.is_none() {
            self.unsupported = Some(construct.to_string());
        }
    }

    /// Disjunction up to the end (depth 0) or the `)` closing a group (consumed by the caller).
    fn disjunction(&mut self, depth: usize) -> Result<Node, RegexError> {
        let mut alternatives = Vec::new();
        let mut terms: Vec<Node> = Vec::new();
        loop {
            let c = self.cur();
            let atom = match c {
                None => {
                    if depth > 0 {
                        return Err(RegexError::Syntax("Unterminated group"));
                    }
                    break;
                }
                Some(u) if u == u16::from(b')') => {
                    if depth == 0 {
                        return Err(RegexError::Syntax("Unmatched ')'"));
                    }
                    break;
                }
                Some(u) if u == u16::from(b'|') => {
                    self.pos += 1;
                    alternatives.push(Node::Seq(std::mem::take(&mut terms)));
                    continue;
                }
                Some(u) if u == u16::from(b'*') || u == u16::from(b'+') || u == u16::from(b'?') => {
                    return Err(RegexError::Syntax("Nothing to repeat"));
                }
                Some(u) if u == u16::from(b'^') => {
                    self.pos += 1;
                    terms.push(Node::Start);
                    continue;
                }
                Some(u) if u == u16::from(b'$') => {
                    self.pos += 1;
                    terms.push(Node::End);
                    continue;
                }
                Some(u) if u == u16::from(b'.') => {
                    self.pos += 1;
                    Node::Set(charset::dot())
                }
                Some(u) if u == u16::from(b'(') => match self.group(depth)? {
                    GroupResult::Atom(node) => node,
                    GroupResult::Lookbehind => {
                        // V8 parses the quantifier (its own errors first), then refuses to apply it.
                        if self.quantifier_follows() {
                            self.quantified(Node::Unsupported)?;
                            return Err(RegexError::Syntax("Invalid quantifier"));
                        }
                        terms.push(Node::Unsupported);
                        continue;
                    }
                },
                Some(u) if u == u16::from(b'[') => self.class()?,
                Some(u) if u == u16::from(b'\\') => match self.atom_escape()? {
                    Escape::Atom(node) => node,
                    Escape::Assertion(node) => {
                        terms.push(node); // assertions are never quantifiable
                        continue;
                    }
                },
                Some(u) if u == u16::from(b'{') => {
                    if self.interval_quantifier().is_some() {
                        return Err(RegexError::Syntax("Nothing to repeat"));
                    }
                    self.pos += 1;
                    literal(u32::from(u))
                }
                Some(u) => {
                    self.pos += 1;
                    literal(u32::from(u))
                }
            };
            let node = self.quantified(atom)?;
            terms.push(node);
        }
        alternatives.push(Node::Seq(terms));
        Ok(if alternatives.len() == 1 {
            alternatives.pop().unwrap_or(Node::Seq(Vec::new()))
        } else {
            Node::Alt(alternatives)
        })
    }

    fn quantifier_follows(&mut self) -> bool {
        match self.cur() {
            Some(u) if u == u16::from(b'*') || u == u16::from(b'+') || u == u16::from(b'?') => true,
            Some(u) if u == u16::from(b'{') => {
                let saved = self.pos;
                let found = self.interval_quantifier().is_some();
                self.pos = saved;
                found
            }
            _ => false,
        }
    }

    /// An optional quantifier (and lazy `?`) after an atom.
    fn quantified(&mut self, atom: Node) -> Result<Node, RegexError> {
        let (min, max) = match self.cur() {
            Some(u) if u == u16::from(b'*') => {
                self.pos += 1;
                (0, INFINITY)
            }
            Some(u) if u == u16::from(b'+') => {
                self.pos += 1;
                (1, INFINITY)
            }
            Some(u) if u == u16::from(b'?') => {
                self.pos += 1;
                (0, 1)
            }
            Some(u) if u == u16::from(b'{') => match self.interval_quantifier() {
                Some((min, max)) => {
                    if max < min {
                        return Err(RegexError::Syntax("numbers out of order in {} quantifier"));
                    }
                    (min, max)
                }
                None => return Ok(atom),
            },
            _ => return Ok(atom),
        };
        if is(self.cur(), b'?') {
            self.pos += 1; // lazy: same language, and only membership matters here
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max: if max == INFINITY { None } else { Some(max) },
        })
    }

    /// V8's ParseIntervalQuantifier: `{n}`, `{n,}`, `{n,m}`; on success the position is after `}`,
    /// otherwise it is unchanged.
    fn interval_quantifier(&mut self) -> Option<(u32, u32)> {
        let start = self.pos;
        self.pos += 1;
        if !is_digit(self.cur()) {
            self.pos = start;
            return None;
        }
        let min = self.decimal();
        let max;
        if is(self.cur(), b'}') {
            max = min;
            self.pos += 1;
        } else if is(self.cur(), b',') {
            self.pos += 1;
            if is(self.cur(), b'}') {
                max = INFINITY;
                self.pos += 1;
            } else {
                let value = if is_digit(self.cur()) {
                    self.decimal()
                } else {
                    0
                };
                if !is(self.cur(), b'}') {
                    self.pos = start;
                    return None;
                }
                max = value;
                self.pos += 1;
            }
        } else {
            self.pos = start;
            return None;
        }
        Some((min, max))
    }

    /// Decimal digits, saturating at V8's kInfinity.
    pub(super) fn decimal(&mut self) -> u32 {
        let mut value: u32 = 0;
        while let Some(u) = self.cur().filter(|&u| (0x30..=0x39).contains(&u)) {
            let digit = u32::from(u - 0x30);
            if value > (INFINITY - digit) / 10 {
                while is_digit(self.cur()) {
                    self.pos += 1;
                }
                return INFINITY;
            }
            value = value * 10 + digit;
            self.pos += 1;
        }
        value
    }

    fn group(&mut self, depth: usize) -> Result<GroupResult, RegexError> {
        self.pos += 1; // (
        let mut kind = GroupKind::Plain;
        if is(self.cur(), b'?') {
            match self.peek(1) {
                Some(u) if u == u16::from(b':') => self.pos += 2,
                Some(u) if u == u16::from(b'=') => {
                    self.pos += 2;
                    kind = GroupKind::LookAhead { negate: false };
                }
                Some(u) if u == u16::from(b'!') => {
                    self.pos += 2;
                    kind = GroupKind::LookAhead { negate: true };
                }
                Some(u) if u == u16::from(b'<') => {
                    if is(self.peek(2), b'=') || is(self.peek(2), b'!') {
                        self.pos += 3;
                        kind = GroupKind::LookBehind;
                    } else {
                        self.pos += 2;
                        self.capture_group_name()?;
                    }
                }
                _ => return Err(RegexError::Syntax("Invalid group")),
            }
        }
        if depth + 1 > MAX_DEPTH {
            self.refuse(&format!("groups nested deeper than {MAX_DEPTH}"));
        }
        let body = self.disjunction(depth + 1)?;
        self.pos += 1; // ) — disjunction(depth > 0) returns only in front of one
        Ok(match kind {
            GroupKind::Plain => GroupResult::Atom(body),
            GroupKind::LookAhead { negate } => GroupResult::Atom(Node::LookAhead {
                negate,
                body: Box::new(body),
            }),
            GroupKind::LookBehind => {
                self.refuse("lookbehind (?<=…) / (?<!…)");
                GroupResult::Lookbehind
            }
        })
    }

    /// After `(?<`: the group's name and `>`.
    fn capture_group_name(&mut self) -> Result<(), RegexError> {
        match self.group_name()? {
            Some(name) if self.group_names.contains(&name) => Err(RegexError::Syntax("Duplicate capture group name")),
            Some(name) => {
                self.group_names.push(name);
                Ok(())
            }
            None => {
                self.group_name_unknown = true;
                Ok(())
            }
        }
    }

    /// A `\k<name>` whose name is certainly not a group of the pattern (V8: a syntax error). A
    /// reference we cannot resolve for sure (refused spellings) stays a refusal.
    fn has_missing_named_reference(&self) -> bool {
        !self.group_name_unknown
            && self.named_references.iter().flatten().any(|name| !self.group_names.contains(name))
    }

    /// A capture group name and `>` (consumed), as V8's ParseCaptureGroupName reads it: `\u`
    /// escapes (`\uXXXX`, a surrogate pair of them, `\u{…}`) count as the code point they spell.
    /// `None` when the name holds a non-ASCII code point: whether V8 takes it as an identifier
    /// needs Unicode ID_Start/ID_Continue, which the core does not carry, so it is refused.
    fn group_name(&mut self) -> Result<Option<Vec<u16>>, RegexError> {
        let mut name = Vec::new();
        loop {
            let code_point = match self.cur() {
                Some(u) if u == u16::from(b'>') => break,
                Some(u) if u == u16::from(b'\\') && is(self.peek(1), b'u') => {
                    self.pos += 2;
                    self.name_escape()?
                }
                Some(u) => {
                    self.pos += 1;
                    u32::from(u)
                }
                None => return Err(RegexError::Syntax("Invalid capture group name")),
            };
            let Some(c) = u8::try_from(code_point).ok().filter(u8::is_ascii) else {
                self.refuse("non-ASCII capture group name");
                self.skip_to_name_end();
                return Ok(None);
            };
            let ok = c == b'$' || c == b'_' || c.is_ascii_alphabetic() || (!name.is_empty() && c.is_ascii_digit());
            if !ok {
                return Err(RegexError::Syntax("Invalid capture group name"));
            }
            name.push(u16::from(c));
        }
        if name.is_empty() {
            return Err(RegexError::Syntax("Invalid capture group name"));
        }
        self.pos += 1; // >
        Ok(Some(name))
    }

    /// After `\u` in a group name: V8 reads it in unicode mode whatever the flags.
    fn name_escape(&mut self) -> Result<u32, RegexError> {
        const INVALID: RegexError = RegexError::Syntax("Invalid Unicode escape");
        if is(self.cur(), b'{') {
            self.pos += 1;
            let mut value: u32 = 0;
            let mut digits = 0;
            while let Some(digit) = hex_value(self.cur()) {
                value = value.saturating_mul(16).saturating_add(digit);
                digits += 1;
                self.pos += 1;
            }
            if digits == 0 || value > 0x10FFFF || !is(self.cur(), b'}') {
                return Err(INVALID);
            }
            self.pos += 1;
            return Ok(value);
        }
        let lead = self.four_hex().ok_or(INVALID)?;
        if (0xD800..0xDC00).contains(&lead) && is(self.cur(), b'\\') && is(self.peek(1), b'u') {
            let saved = self.pos;
            self.pos += 2;
            match self.four_hex() {
                Some(trail) if (0xDC00..0xE000).contains(&trail) => {
                    return Ok(0x10000 + ((lead - 0xD800) << 10) + (trail - 0xDC00));
                }
                _ => self.pos = saved,
            }
        }
        Ok(lead)
    }

    fn four_hex(&mut self) -> Option<u32> {
        let mut value = 0;
        for ahead in 0..4 {
            value = value * 16 + hex_value(self.peek(ahead))?;
        }
        self.pos += 4;
        Some(value)
    }

    fn skip_to_name_end(&mut self) {
        while let Some(u) = self.cur() {
            self.pos += 1;
            if u == u16::from(b'>') {
                return;
            }
        }
    }

    /// `\…` outside a class.
    fn atom_escape(&mut self) -> Result<Escape, RegexError> {
        let Some(next) = self.peek(1) else {
            return Err(RegexError::Syntax("\\ at end of pattern"));
        };
        let next8 = if next < 0x80 { next as u8 } else { 0 };
        match next8 {
            b'1'..=b'9' => {
                let start = self.pos;
                self.pos += 1;
                let index = self.decimal_for_backreference();
                if index.is_some_and(|index| index <= self.capture_count) {
                    self.refuse("backreference \\N");
                    return Ok(Escape::Atom(Node::Unsupported));
                }
                self.pos = start;
                if next8 == b'8' || next8 == b'9' {
                    self.pos += 2;
                    return Ok(Escape::Atom(literal(u32::from(next))));
                }
                self.pos += 1;
                Ok(Escape::Atom(literal(self.octal())))
            }
            b'0' => {
                self.pos += 1;
                Ok(Escape::Atom(literal(self.octal())))
            }
            b'b' | b'B' => {
                self.pos += 2;
                Ok(Escape::Assertion(Node::WordBoundary {
                    negate: next8 == b'B',
                }))
            }
            b'd' | b'D' | b's' | b'S' | b'w' | b'W' => {
                self.pos += 2;
                Ok(Escape::Atom(Node::Set(class_escape(next8).case_closure())))
            }
            b'k' if self.has_named_captures => {
                self.pos += 2;
                if !is(self.cur(), b'<') {
                    return Err(RegexError::Syntax("Invalid named reference"));
                }
                self.pos += 1;
                let name = self.group_name()?;
                self.named_references.push(name);
                self.refuse("named backreference \\k<name>");
                Ok(Escape::Atom(Node::Unsupported))
            }
            _ => {
                let unit = self.character_escape(false)?;
                Ok(Escape::Atom(literal(unit)))
            }
        }
    }
}
