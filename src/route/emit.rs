//! Writes a parsed JS RegExp (see `js_regex`) as a regex-lite pattern with the same language.
//!
//! The haystack given to these regexes is the UTF-16 view of the path (see `utf16_haystack`):
//! BMP characters stand for themselves and each surrogate code unit is moved to a private-use
//! plane, so "one JS code unit" is always "one regex-lite char". Case folding is already applied
//! to every set, so no `(?i)` is emitted and regex-lite's own (ASCII-only) folding never applies.

use std::fmt::Write as _;

use super::charset::UnitSet;
use super::js_regex::Node;

/// Where surrogate code units D800–DFFF live in the haystack (plane 16 private use).
const SURROGATE_BASE: u32 = 0x10_0000;
/// Counted repetition above this is refused: the automaton would grow past reason.
const MAX_COUNT: u32 = 1000;
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
            out.push_str("(?:");
            write_node(node, out)?;
            out.push(')');
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

/// A sequence; `(?=X)Y` / `(?!X)Y` where both X and Y match exactly one unit is the set
/// `Y ∩ X` / `Y ∖ X` (path-to-regexp emits `(?:(?!sep)[^/#?])+?` for some parameters).
fn write_seq(items: &[Node], out: &mut String) -> Result<(), String> {
    out.push_str("(?:");
    let mut i = 0;
    while i < items.len() {
        if let Node::LookAhead { negate, body } = &items[i] {
            let ahead = single_unit(body);
            let next = items.get(i + 1).and_then(single_unit);
            if let (Some(ahead), Some(next)) = (ahead, next) {
                let merged = if *negate {
                    next.difference(&ahead)
                } else {
                    next.intersect(&ahead)
                };
                write_set(&merged, out);
                i += 2;
                continue;
            }
        }
        write_node(&items[i], out)?;
        i += 1;
    }
    out.push(')');
    Ok(())
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

fn write_set(set: &UnitSet, out: &mut String) {
    if set.is_empty() {
        out.push_str(NEVER);
        return;
    }
    out.push('[');
    for &(low, high) in set.ranges() {
        // Split around the surrogate block, which lives elsewhere in the haystack alphabet.
        for (a, b) in [
            (low, high.min(0xD7FF)),
            (low.max(0xD800), high.min(0xDFFF)),
            (low.max(0xE000), high),
        ] {
            if a > b {
                continue;
            }
            let (ca, cb) = (unit_char(a) as u32, unit_char(b) as u32);
            if ca == cb {
                let _ = write!(out, r"\x{{{ca:X}}}");
            } else {
                let _ = write!(out, r"\x{{{ca:X}}}-\x{{{cb:X}}}");
            }
        }
    }
    out.push(']');
}
