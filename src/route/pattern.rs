//! Clerk's `createRouteMatcher` for string patterns, as a linear-time matcher.
//!
//! Clerk (`@clerk/shared` `createPathMatcher`) compiles each truthy pattern with its vendored
//! path-to-regexp 6 (`new RegExp(source, "i")`) and tests `normalizePath(req.nextUrl.pathname)`:
//! `decodeURI` (a malformed escape throws `MalformedURLError`) then `//+` → `/`. Here the same
//! source is built (`path_to_regexp`), parsed as V8 would (`js_regex`) and written as a regex-lite
//! pattern with the same language (`emit`). Constructs that cannot be matched identically are
//! refused when the matcher is created, never answered differently.

use std::fmt;

use regex_lite::{Regex, RegexBuilder};

use super::decode_uri::clerk_normalize_path;
use super::alphabet::Alphabet;
use super::dfa::{Dfa, FingerprintMap};
use super::dfa_union::fold;
use super::glushkov::fingerprint;
use super::charset::UnitSet;
use super::emit::{char_unit, emit, single_item, utf16_haystack};
use super::repetition_limit::{max_positions, oversized_repetition};
use super::js_regex::{parse, Node, RegexError};
use super::path_to_regexp::regexp_source;

const DOCS: &str = "Consult the documentation of path-to-regexp here: https://github.com/pillarjs/path-to-regexp/tree/6.x";

/// A pattern Clerk would reject (same message as Clerk's `Invalid path: …` error), or one
/// edgeguard refuses because it cannot match it identically (`unsupported` names the construct).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    pub pattern: String,
    pub message: String,
    /// `Some(construct)` when Clerk accepts the pattern but edgeguard deliberately does not.
    pub unsupported: Option<String>,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatternError {}

/// The path could not be decoded: Clerk throws `MalformedURLError` (HTTP 400) here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MalformedPath {
    pub message: String,
}

impl fmt::Display for MalformedPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Clone, Debug)]
pub struct RouteMatcher {
    /// The patterns decided one by one: a prefix and a simple tail, or the regex.
    patterns: Vec<CompiledPattern>,
    /// The automata of all the others, folded into as few as their sizes allow (`dfa_union`):
    /// a path is read once by each, not once per pattern.
    automata: Vec<Dfa>,
    /// Their shared classes of units, when there are several.
    alphabet: Option<Alphabet>,
    /// Number of compiled patterns.
    count: usize,
}

/// A path as every pattern reads it: Clerk's `normalizePath`, then the UTF-16 view the regexes
/// match. Prepared once, tested against any number of matchers.
pub struct PreparedPath {
    haystack: String,
    /// Chars of the haystack (one per UTF-16 code unit of the path).
    units: usize,
}

impl PreparedPath {
    /// Clerk's normalisation of a WHATWG pathname; its `MalformedURLError` when an escape is malformed.
    pub fn new(pathname: &str) -> Result<PreparedPath, MalformedPath> {
        let normalized = clerk_normalize_path(pathname).ok_or_else(|| MalformedPath {
            message: format!("Malformed encoding in URL path: {pathname}"),
        })?;
        let haystack = match utf16_haystack(&normalized) {
            std::borrow::Cow::Borrowed(_) => normalized,
            std::borrow::Cow::Owned(view) => view,
        };
        let units = if haystack.is_ascii() { haystack.len() } else { haystack.chars().count() };
        Ok(PreparedPath { haystack, units })
    }
}

#[derive(Clone, Debug)]
struct CompiledPattern {
    /// What every match must start with, one ASCII set per leading code unit (see `anchored_shape`).
    prefix: Vec<u128>,
    /// For a regex anchored at both ends: how many code units a matching path can have.
    lengths: Option<(usize, Option<usize>)>,
    /// How the units after the prefix are decided.
    rest: Rest,
}

/// The part of a pattern after its ASCII prefix. Most route patterns (`/about`, `/admin(.*)`,
/// `/org/:slug`) are a prefix and a tail decided unit by unit; the rest go through the regex.
#[derive(Clone, Debug)]
enum Rest {
    /// `S{min,}` (when given), then `T?` (when given), then `$`: path-to-regexp's `(.*)` or a
    /// parameter's `[^\/#\?]+?`, and the optional trailing `/`, `#` or `?`.
    Tail { repeat: Option<(UnitSet, u32)>, optional: Option<UnitSet> },
    /// Any other `^…$` pattern within the automaton's limits (see `dfa`).
    Dfa(Box<Dfa>),
    Regex(Regex),
}

impl Rest {
    /// Whether `rest` (the haystack after the prefix) is in S{min,}·(T|ε): all of it in S and
    /// long enough, or all but its last unit so and that unit in T.
    fn tail_matches(repeat: &Option<(UnitSet, u32)>, optional: &Option<UnitSet>, rest: &str) -> bool {
        let in_set = |set: Option<&UnitSet>, c: char| set.is_some_and(|set| set.contains(char_unit(c)));
        let (body, min) = match repeat {
            Some((set, min)) => (Some(set), *min as usize),
            None => (None, 0),
        };
        let mut units = rest.chars();
        let Some(last) = units.next_back() else { return min == 0 };
        if !units.all(|c| in_set(body, c)) {
            return false;
        }
        let before_last = if min == 0 { 0 } else if rest.is_ascii() { rest.len() - 1 } else { rest.chars().count() - 1 };
        (in_set(body, last) && before_last + 1 >= min) || (in_set(optional.as_ref(), last) && before_last >= min)
    }
}

impl CompiledPattern {
    fn is_match(&self, path: &PreparedPath) -> bool {
        if let Some((min, max)) = self.lengths {
            if path.units < min || max.is_some_and(|max| path.units > max) {
                return false;
            }
        }
        let haystack = path.haystack.as_str();
        let bytes = haystack.as_bytes();
        // A non-ASCII byte is never in an ASCII set, so comparing bytes is comparing code units.
        let prefix_holds = bytes.len() >= self.prefix.len()
            && self.prefix.iter().zip(bytes).all(|(set, &byte)| byte < 128 && set & (1u128 << byte) != 0);
        if !prefix_holds {
            return false;
        }
        // The prefix is ASCII, so it ends at byte `prefix.len()` (a char boundary).
        match &self.rest {
            Rest::Tail { repeat, optional } => {
                Rest::tail_matches(repeat, optional, haystack.get(self.prefix.len()..).unwrap_or_default())
            }
            Rest::Dfa(dfa) => dfa.is_match(haystack),
            Rest::Regex(regex) => regex.is_match(haystack),
        }
    }
}

impl RouteMatcher {
    /// Compiles every non-empty pattern (Clerk drops falsy entries); the first invalid or
    /// unsupported pattern is the error.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<RouteMatcher, PatternError> {
        let texts: Vec<&str> = patterns.iter().map(AsRef::as_ref).filter(|p| !p.is_empty()).collect();
        let count = texts.len();
        // A pattern written twice is compiled once (the first time, so errors come in order).
        let repeated = repeated_texts(&texts);
        let shape = if count >= AUTOMATA_FROM { Shape::Automaton } else { Shape::Tail };
        let patterns = texts
            .into_iter()
            .zip(repeated)
            .filter(|&(_, repeated)| !repeated)
            .map(|(text, _)| compile_as(text, shape))
            .collect::<Result<Vec<_>, _>>()?;
        let mut automata = Vec::new();
        let mut alone = Vec::new();
        for pattern in patterns {
            match pattern.rest {
                // The automaton reads the whole path: the prefix and lengths only save it work.
                Rest::Dfa(dfa) => automata.push(*dfa),
                _ => alone.push(pattern),
            }
        }
        let automata = fold(automata);
        let alphabet = Alphabet::new(&automata);
        Ok(RouteMatcher { patterns: alone, automata, alphabet, count })
    }

    /// Number of compiled patterns.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Clerk's answer for a WHATWG pathname (`req.nextUrl.pathname`), including its throw on a
    /// malformed escape. Like Clerk, a matcher without patterns never looks at the path.
    pub fn try_matches(&self, pathname: &str) -> Result<bool, MalformedPath> {
        if self.is_empty() {
            return Ok(false);
        }
        Ok(self.matches_prepared(&PreparedPath::new(pathname)?))
    }

    /// `try_matches` with a malformed path answered `false`. Callers deciding access must reject
    /// malformed paths first (`canonicalize_path` does, with reason `bad-path`).
    pub fn matches(&self, pathname: &str) -> bool {
        self.try_matches(pathname).unwrap_or(false)
    }

    /// The answer for a path already prepared (for several matchers over one path).
    pub fn matches_prepared(&self, path: &PreparedPath) -> bool {
        self.patterns.iter().any(|pattern| pattern.is_match(path)) || self.automata_match(&path.haystack)
    }

    /// Whether one of the automata accepts the haystack: with several, its units are classified
    /// once for all of them.
    fn automata_match(&self, haystack: &str) -> bool {
        match &self.alphabet {
            Some(alphabet) => match alphabet.classify(haystack) {
                Some(classes) => self.automata.iter().enumerate().any(|(index, dfa)| alphabet.accepts(dfa, index, &classes)),
                None => false,
            },
            None => self.automata.iter().any(|dfa| dfa.is_match(haystack)),
        }
    }
}

/// Which texts repeat an earlier one: found by fingerprint (the map type the automata use),
/// compared whole.
fn repeated_texts(texts: &[&str]) -> Vec<bool> {
    let mut first_by_fingerprint = FingerprintMap::default();
    let mut repeated = Vec::with_capacity(texts.len());
    for (index, text) in (0u32..).zip(texts) {
        let words = text.as_bytes().chunks(8).map(|chunk| chunk.iter().fold(0u64, |word, &byte| word << 8 | u64::from(byte)));
        let fingerprint = fingerprint(words.chain([text.len() as u64]));
        let again = match first_by_fingerprint.get(&fingerprint) {
            Some(&first) => texts.get(first as usize) == Some(text),
            None => {
                first_by_fingerprint.insert(fingerprint, index);
                false
            }
        };
        repeated.push(again);
    }
    repeated
}

/// What the regex's shape lets `is_match` decide without it, read off the top-level sequence
/// (groups flattened) when the regex is anchored (`^` first):
///
/// - the prefix: the single-unit sets of ASCII only it starts with — for `^\/admin(?:…)` the sets
///   of `/`, `a|A`, `d|D`, … A haystack failing them cannot match, so the regex need not run; one
///   that passes still goes through the regex, unless the tail is simple (below). The prefix stops
///   at the first item that is not such a set (a group, a repetition, a set with non-ASCII members);
/// - the simple tail, when what follows the prefix is exactly `S*`, then any number of optional
///   single units from subsets of S, then `$` (a greedy `S*` can take every remaining unit, so
///   the regex matches exactly when all of them are in S); or at most one optional unit, then `$`.
fn anchored_shape(ast: &Node) -> (Vec<u128>, Option<Rest>) {
    let mut items = Vec::new();
    flatten(ast, &mut items);
    let Some((Node::Start, rest)) = items.split_first() else { return (Vec::new(), None) };
    let prefix: Vec<u128> = rest
        .iter()
        .map_while(|item| match item {
            Node::Set(set) => ascii_mask(set.ranges()),
            _ => None,
        })
        .collect();
    let after_prefix = rest.get(prefix.len()..).unwrap_or_default();
    let simple = match after_prefix {
        [Node::End] => Some(Rest::Tail { repeat: None, optional: None }),
        [item, Node::End] => match set_repeat(item) {
            Some((set, 0, Some(1))) => Some(Rest::Tail { repeat: None, optional: Some(set.clone()) }),
            Some((set, min, None)) => Some(Rest::Tail { repeat: Some((set.clone(), min)), optional: None }),
            _ => None,
        },
        [item, optional, Node::End] => match (set_repeat(item), set_repeat(optional)) {
            (Some((set, min, None)), Some((optional, 0, Some(1)))) => {
                // T inside S (`(.*)` then `[\/#\?]?`): S{min,}·T is inside S{min,} already.
                let optional = (!optional.difference(set).is_empty()).then(|| optional.clone());
                Some(Rest::Tail { repeat: Some((set.clone(), min)), optional })
            }
            _ => None,
        },
        _ => None,
    }
    .or_else(|| wildcard_tail(after_prefix).map(|set| Rest::Tail { repeat: Some((set, 0)), optional: None }));
    (prefix, simple)
}

/// S for `S* T? … $` (every T inside S), the items after the prefix.
fn wildcard_tail(after_prefix: &[&Node]) -> Option<UnitSet> {
    let (Node::End, middle) = after_prefix.split_last()? else { return None };
    let (star, optionals) = middle.split_first()?;
    let (tail, 0, None) = set_repeat(star)? else { return None };
    let inside = |item: &&Node| matches!(set_repeat(item), Some((set, 0, Some(1))) if set.difference(tail).is_empty());
    optionals.iter().all(inside).then(|| tail.clone())
}

/// The top-level sequence with nested sequences opened (a group does not change a language).
pub(super) fn flatten<'a>(node: &'a Node, out: &mut Vec<&'a Node>) {
    match node {
        Node::Seq(items) => items.iter().for_each(|item| flatten(item, out)),
        other => out.push(other),
    }
}

/// The set, min and max of `Repeat { Set(set), min, max }` (the set possibly wrapped in
/// one-item sequences).
fn set_repeat(node: &Node) -> Option<(&UnitSet, u32, Option<u32>)> {
    let Node::Repeat { node: body, min, max } = node else { return None };
    match single_item(body) {
        Node::Set(set) => Some((set, *min, *max)),
        _ => None,
    }
}

/// The lengths (in code units) a whole-haystack match can have, when the regex is `^…$` at the
/// top: every match then spans the path. Assertions and lookaheads count as zero width, which
/// only widens the bounds, so a path outside them cannot match.
fn whole_match_lengths(ast: &Node) -> Option<(usize, Option<usize>)> {
    let Node::Seq(items) = ast else { return None };
    if !matches!(items.first(), Some(Node::Start)) || !matches!(items.last(), Some(Node::End)) {
        return None;
    }
    Some(length_bounds(ast))
}

fn length_bounds(node: &Node) -> (usize, Option<usize>) {
    match node {
        Node::Set(_) => (1, Some(1)),
        Node::Seq(items) => items.iter().map(length_bounds).fold((0, Some(0)), |(min, max), (lo, hi)| {
            (min.saturating_add(lo), max.zip(hi).and_then(|(a, b)| a.checked_add(b)))
        }),
        Node::Alt(alternatives) => {
            let bounds: Vec<_> = alternatives.iter().map(length_bounds).collect();
            let min = bounds.iter().map(|b| b.0).min().unwrap_or(0);
            let max = bounds.iter().try_fold(0usize, |acc, b| b.1.map(|hi| acc.max(hi)));
            (min, max)
        }
        Node::Repeat { node, min, max } => {
            let (lo, hi) = length_bounds(node);
            let repeat_max = max.and_then(|m| hi.and_then(|hi| hi.checked_mul(m as usize)));
            // An unbounded repeat of something that can be empty is still bounded by 0 if `hi == Some(0)`.
            let repeat_max = if hi == Some(0) { Some(0) } else { repeat_max };
            (lo.saturating_mul(*min as usize), repeat_max)
        }
        Node::Start | Node::End | Node::WordBoundary { .. } | Node::LookAhead { .. } => (0, Some(0)),
        // Never in a compiled pattern; unknown width, so no bound.
        Node::Unsupported => (0, None),
    }
}

fn ascii_mask(ranges: &[(u32, u32)]) -> Option<u128> {
    let mut mask = 0u128;
    for &(low, high) in ranges {
        if high >= 128 || low > high {
            return None;
        }
        for unit in low..=high {
            mask |= 1u128 << unit;
        }
    }
    (mask != 0).then_some(mask)
}

/// One pattern → its linear-time regex, or Clerk's error for it.
pub fn compile_pattern(pattern: &str) -> Result<Regex, PatternError> {
    let (ast, refuse) = parse_pattern(pattern)?;
    build_regex(&ast, &refuse)
}

/// The pattern's regex AST, or Clerk's error; with the refusal to use for what edgeguard cannot
/// match identically.
fn parse_pattern(pattern: &str) -> Result<(Node, impl Fn(String) -> PatternError + '_), PatternError> {
    let fail = move |detail: String, unsupported: Option<String>| PatternError {
        pattern: pattern.to_string(),
        message: format!("Invalid path: {pattern}.\n{DOCS}\n{detail}"),
        unsupported,
    };
    let units: Vec<u16> = pattern.encode_utf16().collect();
    let source = regexp_source(&units).map_err(|type_error| fail(type_error, None))?;
    let shown = String::from_utf16_lossy(&source);
    let refuse = move |construct: String| {
        let detail = format!(
            "edgeguard cannot match /{shown}/i exactly as Clerk does: {construct} is not supported"
        );
        fail(detail, Some(construct))
    };
    let ast = parse(&source).map_err(|error| match error {
        RegexError::Syntax(reason) => fail(
            format!("Invalid regular expression: /{}/i: {reason}", String::from_utf16_lossy(&source)),
            None,
        ),
        RegexError::Unsupported(construct) => refuse(construct),
    })?;
    if let Some(construct) = oversized_repetition(&ast, max_positions(units.len())) {
        return Err(refuse(construct));
    }
    Ok((ast, refuse))
}

/// The automaton of `pattern`, when it has one (for the folding tests).
#[cfg(test)]
pub(super) fn automaton_of(pattern: &str) -> Option<Dfa> {
    let (ast, _) = parse_pattern(pattern).ok()?;
    Dfa::new(&ast)
}

fn build_regex(ast: &Node, refuse: &impl Fn(String) -> PatternError) -> Result<Regex, PatternError> {
    let translated = emit(ast).map_err(refuse)?;
    RegexBuilder::new(&translated)
        .nest_limit(200)
        .build()
        .map_err(|_| refuse("a pattern this large".to_string()))
}

/// A pattern compiled as in a short list.
#[cfg(test)]
fn compile(pattern: &str) -> Result<CompiledPattern, PatternError> {
    compile_as(pattern, Shape::Tail)
}

/// How a pattern with a simple tail that repeats (`/admin(.*)`, `/:id`) is decided: by the tail
/// check (cheapest for one pattern), or by its automaton (folded with the others' in a long list,
/// so the path is read about once).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Tail,
    Automaton,
}

/// Lists from this many patterns decide simple tails by automaton too: tail checks cost a pass
/// over the path each (fuzzing found 234 `:aa`, `:ab`, … against a 1,660-unit path at 35 ms under
/// coverage).
const AUTOMATA_FROM: usize = 8;

fn compile_as(pattern: &str, shape: Shape) -> Result<CompiledPattern, PatternError> {
    let (ast, refuse) = parse_pattern(pattern)?;
    let (prefix, simple) = anchored_shape(&ast);
    // A simple tail is only sets, `^`, `$` and `*`/`?` of a set, the automaton only sets and
    // repetitions within its limits: nothing the regex could refuse.
    let automaton = || Dfa::new(&ast).map(|dfa| Rest::Dfa(Box::new(dfa)));
    let rest = match (simple, shape) {
        // A tail that repeats reads the rest of the path; one that does not reads one unit.
        (Some(tail @ Rest::Tail { repeat: Some(_), .. }), Shape::Automaton) => automaton().unwrap_or(tail),
        (Some(tail), _) => tail,
        (None, _) => match automaton() {
            Some(rest) => rest,
            None => Rest::Regex(build_regex(&ast, &refuse)?),
        },
    };
    Ok(CompiledPattern { prefix, lengths: whole_match_lengths(&ast), rest })
}

#[cfg(test)]
#[path = "pattern_tests.rs"]
mod tests;
