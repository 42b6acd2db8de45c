//! Writes a parsed JS RegExp (see `js_regex`) as a regex-lite pattern with the same language.
//!
//! The haystack given to these regexes is the UTF-16 view of the path (see `utf16_haystack`):
//! BMP characters stand for themselves and each surrogate code unit is moved to a private-use
//! plane, so "one JS code unit" is always "one regex-lite char". Case folding is already applied
//! to every set, so no `(?i)` is emitted and regex-lite's own (ASCII-only) folding never applies.

use std::fmt::Write as _;

use super::charset::{UnitSet, MAX_UNIT};
use super::js_regex::Node;

/// Where surrogate code units D800–DFFF live in the haystack (plane 16 private use).
const SURROGATE_BASE: u32 = 0x10_0000;
/// Counted repetition above this is refused: the automaton would grow past reason.
pub(crate) const MAX_COUNT: u32 = 1000;
/// A char that never occurs in a haystack: the empty set.
const NEVER: &str = r"\x{10FFFF}";

pub(crate) fn emit(node: &Node) -> Result<String, String> {
    let mut out = String::new();
    write_node(node, &mut out)?;
    Ok(out)
}

/// The UTF-16 view of `text` in the alphabet the emitted regexes use; borrowed when `text` has
/// no character outside the BMP (then both views coincide).
pub(crate) fn utf16_haystack(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().all(|c| (c as u32) < 0x1_0000) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut units = [0u16; 2];
    for c in text.chars() {
        for &unit in c.encode_utf16(&mut units).iter() {
            out.push(unit_char(u32::from(unit)));
        }
    }
    std::borrow::Cow::Owned(out)
}

/// The code unit a haystack char stands for (the inverse of `unit_char`).
pub(crate) fn char_unit(c: char) -> u32 {
    let scalar = c as u32;
    if (SURROGATE_BASE..SURROGATE_BASE + 0x800).contains(&scalar) {
        0xD800 + (scalar - SURROGATE_BASE)
    } else {
        scalar
    }
}

fn unit_char(unit: u32) -> char {
    let scalar = if (0xD800..=0xDFFF).contains(&unit) {
        SURROGATE_BASE + (unit - 0xD800)
    } else {
        unit
    };
    char::from_u32(scalar).unwrap_or(char::REPLACEMENT_CHARACTER)
}

fn write_node(node: &Node, out: &mut String) -> Result<(), String> {
    match node {
        Node::Set(set) => write_set(set, out),
        // Concatenation binds tighter than `|` and a repetition groups its own body, so a
        // sequence needs no group of its own.
        Node::Seq(items) => write_seq(items, out)?,
        Node::Alt(alternatives) => {
            out.push_str("(?:");
            for (i, alternative) in alternatives.iter().enumerate() {
                if i > 0 {
                    out.push('|');
                }
                write_node(alternative, out)?;
            }
            out.push(')');
        }
        Node::Repeat { node, min, max } => {
            if *min > MAX_COUNT || max.is_some_and(|m| m > MAX_COUNT) {
                return Err(format!("counted repetition above {MAX_COUNT}"));
            }
            if matches!(**node, Node::LookAhead { .. }) {
                return Err("quantified lookahead".to_string());
            }
            match single_item(node) {
                // A set is one atom however it is written: a literal, an escape or a class.
                Node::Set(set) => write_set(set, out),
                body => {
                    out.push_str("(?:");
                    write_node(body, out)?;
                    out.push(')');
                }
            }
            match (min, max) {
                (0, None) => out.push('*'),
                (1, None) => out.push('+'),
                (0, Some(1)) => out.push('?'),
                (min, None) => {
                    let _ = write!(out, "{{{min},}}");
                }
                (min, Some(max)) => {
                    let _ = write!(out, "{{{min},{max}}}");
                }
            }
        }
        Node::Start => out.push('^'),
        Node::End => out.push('$'),
        Node::WordBoundary { negate } => out.push_str(if *negate { r"\B" } else { r"\b" }),
        Node::LookAhead { .. } => {
            return Err(
                "lookahead (?=…) / (?!…) other than one character before one character".to_string(),
            )
        }
        Node::Unsupported => return Err("unsupported construct".to_string()),
    }
    Ok(())
}

/// `node` without the one-item sequences wrapped around it.
pub(crate) fn single_item(mut node: &Node) -> &Node {
    while let Node::Seq(items) = node {
        let [only] = items.as_slice() else { break };
        node = only;
    }
    node
}

/// A sequence; `(?=X)Y` / `(?!X)Y` where both X and Y match exactly one unit is the set
/// `Y ∩ X` / `Y ∖ X` (path-to-regexp emits `(?:(?!sep)[^/#?])+?` for some parameters).
fn write_seq(items: &[Node], out: &mut String) -> Result<(), String> {
    let mut i = 0;
    while i < items.len() {
        if let Node::LookAhead { negate, body } = &items[i] {
            if let Some(merged) = items.get(i + 1).and_then(|next| merged_lookahead(*negate, body, next)) {
                write_set(&merged, out);
                i += 2;
                continue;
            }
        }
        write_node(&items[i], out)?;
        i += 1;
    }
    Ok(())
}

/// `(?=X)Y` / `(?!X)Y` as the one set `Y ∩ X` / `Y ∖ X`, when X and Y both match exactly one unit.
pub(crate) fn merged_lookahead(negate: bool, body: &Node, next: &Node) -> Option<UnitSet> {
    let (ahead, next) = (single_unit(body)?, single_unit(next)?);
    Some(if negate { next.difference(&ahead) } else { next.intersect(&ahead) })
}

/// The set of units `node` matches when it always consumes exactly one unit.
fn single_unit(node: &Node) -> Option<UnitSet> {
    match node {
        Node::Set(set) => Some(set.clone()),
        Node::Seq(items) if items.len() == 1 => single_unit(&items[0]),
        Node::Alt(alternatives) => {
            let mut union = UnitSet::empty();
            for alternative in alternatives {
                union.add_set(&single_unit(alternative)?);
            }
            Some(union)
        }
        Node::Repeat {
            node,
            min: 1,
            max: Some(1),
        } => single_unit(node),
        _ => None,
    }
}

/// A set as the shortest of: one char, `(?s:.)` for every unit, a class of its ranges or a
/// negated class of the ranges it lacks. Chars outside the haystack alphabet (see
/// `utf16_haystack`) never occur, so a negated class may take them in.
fn write_set(set: &UnitSet, out: &mut String) {
    let ranges = set.ranges();
    match ranges {
        [] => out.push_str(NEVER),
        [(low, high)] if low == high => write_unit(*low, out),
        [(0, MAX_UNIT)] => out.push_str("(?s:.)"),
        _ => {
            let missing = set.complement();
            let (negate, ranges) = if missing.ranges().len() < ranges.len() {
                (true, missing.ranges())
            } else {
                (false, ranges)
            };
            out.push_str(if negate { "[^" } else { "[" });
            for &(low, high) in ranges {
                // Split around the surrogate block, which lives elsewhere in the haystack alphabet.
                for (a, b) in [
                    (low, high.min(0xD7FF)),
                    (low.max(0xD800), high.min(0xDFFF)),
                    (low.max(0xE000), high),
                ] {
                    if a > b {
                        continue;
                    }
                    write_unit(a, out);
                    if b > a {
                        out.push('-');
                        write_unit(b, out);
                    }
                }
            }
            out.push(']');
        }
    }
}

/// One code unit as the haystack char it stands for, written so that it means itself both in
/// and out of a class: ASCII punctuation escaped (regex-lite refuses `\<` and `\>`, kept for
/// word-boundary syntax, so those two stay plain), ASCII controls and space as `\x{…}`, anything
/// else as itself (regex-lite reads a pattern char by char; without the `x` flag no char but the
/// ASCII metacharacters is special).
fn write_unit(unit: u32, out: &mut String) {
    let c = unit_char(unit);
    if c.is_ascii_punctuation() && c != '<' && c != '>' {
        out.push('\\');
        out.push(c);
    } else if c.is_ascii_control() || c == ' ' {
        let _ = write!(out, r"\x{{{:X}}}", c as u32);
    } else {
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regex_of(set: &UnitSet) -> regex_lite::Regex {
        let mut source = String::from("^");
        write_set(set, &mut source);
        source.push('$');
        regex_lite::Regex::new(&source).unwrap_or_else(|error| panic!("{source}: {error}"))
    }

    /// Every way a set is written (one char, a class, a negated class) means exactly its units.
    #[test]
    fn every_unit_is_written_as_itself() {
        let units: Vec<u32> = (0..=0x80).chain([0xA0, 0xFF, 0x212A, 0x2028, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFEFF, 0xFFFF]).collect();
        let haystack = |unit: u32| unit_char(unit).to_string();
        for &unit in &units {
            let one = regex_of(&UnitSet::unit(unit));
            let pair = regex_of(&UnitSet::unit(unit).union(&UnitSet::unit(if unit == 0x41 { 0x42 } else { 0x41 })));
            let all_but = regex_of(&UnitSet::unit(unit).complement());
            for &other in &units {
                let same = other == unit;
                assert_eq!(one.is_match(&haystack(other)), same, "{unit:#x} alone, on {other:#x}");
                assert_eq!(all_but.is_match(&haystack(other)), !same, "all but {unit:#x}, on {other:#x}");
                if same {
                    assert!(pair.is_match(&haystack(other)), "{unit:#x} in a class");
                }
            }
        }
        assert!(regex_of(&UnitSet::range(0, MAX_UNIT)).is_match(&haystack(0x0A)), "every unit, line terminators too");
        assert!(!regex_of(&UnitSet::empty()).is_match(""), "the empty set matches nothing");
    }
}
