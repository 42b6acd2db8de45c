//! How far counted repetition may write a pattern out: regex-lite and the automaton write
//! `x{n}` as n copies of x, so compile time follows the written-out size, not the source's.

use super::emit::MAX_COUNT;
use super::js_regex::Node;

/// How many character positions counted repetitions may expand a pattern of `units` code units
/// to: the automaton (and regex-lite) write `x{n}` out as n copies of x, so compile time follows this number,
/// not the pattern's length. Generous for route patterns (`/:id([0-9a-f]{64})`, `/(\d{4})`), it
/// refuses `/(\S{999})` or `/((?:a{30}){30})`, which would make a policy load take milliseconds.
pub(super) fn max_positions(units: usize) -> u64 {
    64 + 4 * units as u64
}

/// The refusal for a counted repetition regex-lite would write out too large: one count above
/// `MAX_COUNT`, or the whole pattern past `limit` positions.
pub(super) fn oversized_repetition(ast: &Node, limit: u64) -> Option<String> {
    if has_count_above(ast, MAX_COUNT) {
        return Some(format!("counted repetition above {MAX_COUNT}"));
    }
    (expanded_positions(ast) > limit).then(|| format!("counted repetition expanding the pattern past {limit} positions"))
}

fn has_count_above(node: &Node, most: u32) -> bool {
    match node {
        Node::Seq(items) | Node::Alt(items) => items.iter().any(|item| has_count_above(item, most)),
        Node::Repeat { node, min, max } => *min > most || max.is_some_and(|m| m > most) || has_count_above(node, most),
        Node::LookAhead { body, .. } => has_count_above(body, most),
        _ => false,
    }
}

/// Character positions once every counted repetition is written out as regex-lite does
/// (`x{n,m}` as m copies, `x{n,}` as n; `x*`, `x+` and `x?` as one): a set or an assertion is one.
/// Without counted repetition this is at most the number of atoms in the source.
pub(super) fn expanded_positions(node: &Node) -> u64 {
    match node {
        Node::Seq(items) | Node::Alt(items) => items.iter().map(expanded_positions).fold(0, u64::saturating_add),
        Node::Repeat { node, min, max } => {
            let copies = u64::from(max.unwrap_or(*min)).max(1);
            expanded_positions(node).saturating_mul(copies)
        }
        Node::LookAhead { body, .. } => expanded_positions(body),
        _ => 1,
    }
}
