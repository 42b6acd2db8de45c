//! A deterministic automaton for one anchored pattern (`^…$`, as path-to-regexp writes them),
//! built when the pattern loads, so that matching a path costs one table lookup per code unit
//! whatever the pattern.
//!
//! regex-lite has no DFA: its PikeVM costs ~60 ns per path unit per pattern (fuzzing found a
//! 270-unit path taking 1.8 ms against 106 patterns; 20 parameter patterns × a 16 KB path took
//! ~18 ms). Here the pattern's AST becomes a Glushkov automaton (one position per set, counted
//! repetition written out — bounded by `pattern::max_positions`), then a DFA by subset
//! construction over the classes of units the sets tell apart. `^` and `$` inside the pattern
//! are positions no unit enters, passed at the two ends only. Anything else (`\b`, `\B`,
//! lookaheads that are not one unit before one unit, too many positions or states) is left to
//! the regex.

use super::charset::{UnitSet, MAX_UNIT};
use super::emit::{char_unit, merged_lookahead, single_item};
use super::js_regex::Node;
use super::pattern::flatten;
use crate::token::cache::PassThroughHasher;
use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// Positions (sets) a pattern may have here: a bit set of positions is four words.
const MAX_POSITIONS: usize = 256;
/// States × classes the transition table may have (u32 entries: 256 KB).
const MAX_TABLE: usize = 1 << 16;
const DEAD: u32 = 0;
const START: u32 = 1;

#[derive(Clone, Copy, Default, PartialEq, Eq)]
struct Positions([u64; MAX_POSITIONS / 64]);

impl Positions {
    fn single(position: usize) -> Positions {
        let mut bits = Positions::default();
        bits.0[position / 64] |= 1 << (position % 64);
        bits
    }

    fn union(self, other: Positions) -> Positions {
        Positions(std::array::from_fn(|i| self.0[i] | other.0[i]))
    }

    fn intersect(self, other: Positions) -> Positions {
        Positions(std::array::from_fn(|i| self.0[i] & other.0[i]))
    }

    /// A 64-bit hash of the words, the key of the state index (a collision is detected, not
    /// trusted). Each word goes through SplitMix64's finaliser: a plain multiply-rotate let the
    /// top bit of one word cancel one bit of the next, so {63} and {92} collided.
    fn fingerprint(self) -> u64 {
        fn mix(mut z: u64) -> u64 {
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        self.0.iter().fold(0x9e37_79b9_7f4a_7c15, |hash: u64, &word| mix(hash ^ mix(word)))
    }

    /// The position, when exactly one is set.
    fn only(self) -> Option<usize> {
        let mut found = None;
        for (index, &word) in self.0.iter().enumerate() {
            // `word & (word - 1)` clears the lowest bit: zero for exactly one bit (no popcount,
            // which the baseline x86-64 and wasm targets emulate).
            match (word, found) {
                (0, _) => {}
                (word, None) if word & (word - 1) == 0 => found = Some(index * 64 + word.trailing_zeros() as usize),
                _ => return None,
            }
        }
        found
    }

    fn insert(&mut self, position: usize) {
        if let Some(word) = self.0.get_mut(position / 64) {
            *word |= 1 << (position % 64);
        }
    }

    fn contains(self, position: usize) -> bool {
        self.0.get(position / 64).is_some_and(|word| word & (1 << (position % 64)) != 0)
    }

    fn is_empty(self) -> bool {
        self.0.iter().all(|&word| word == 0)
    }

    fn iter(self) -> impl Iterator<Item = usize> {
        self.0.into_iter().enumerate().flat_map(|(index, mut word)| {
            std::iter::from_fn(move || {
                let bit = (word != 0).then(|| word.trailing_zeros() as usize)?;
                word &= word - 1;
                Some(index * 64 + bit)
            })
        })
    }
}

#[derive(Clone, Copy)]
enum Anchor {
    Start,
    End,
}

/// first / last / nullable of a sub-expression (Glushkov).
#[derive(Clone, Copy)]
struct Fragment {
    first: Positions,
    last: Positions,
    nullable: bool,
}

const EMPTY: Fragment = Fragment { first: Positions([0; MAX_POSITIONS / 64]), last: Positions([0; MAX_POSITIONS / 64]), nullable: true };

#[derive(Default)]
struct Glushkov {
    /// The different sets of the pattern (`\S{40}` is forty positions of one set).
    sets: Vec<UnitSet>,
    /// The positions of each set.
    positions_of_set: Vec<Positions>,
    /// What may follow each position.
    follow: Vec<Positions>,
    /// The set (index into `sets`) of each position.
    set_of_position: Vec<usize>,
    /// `^` and `$` inside the pattern: positions that match no unit, passed through without
    /// reading one — `^` only before the first unit, `$` only after the last.
    start_anchors: Positions,
    end_anchors: Positions,
}

impl Glushkov {
    fn position(&mut self, set: &UnitSet) -> Option<Fragment> {
        let id = self.set_id(set);
        self.position_of(id)
    }

    /// The index of `set` among the pattern's different sets.
    fn set_id(&mut self, set: &UnitSet) -> usize {
        self.sets.iter().position(|known| known == set).unwrap_or_else(|| {
            self.sets.push(set.clone());
            self.positions_of_set.push(Positions::default());
            self.sets.len() - 1
        })
    }

    /// A new position of the set with index `id`.
    fn position_of(&mut self, id: usize) -> Option<Fragment> {
        let position = self.follow.len();
        let of_set = self.positions_of_set.get_mut(id)?;
        if position >= MAX_POSITIONS {
            return None;
        }
        let bits = Positions::single(position);
        *of_set = of_set.union(bits);
        self.follow.push(Positions::default());
        self.set_of_position.push(id);
        Some(Fragment { first: bits, last: bits, nullable: false })
    }

    /// `x{min,max}` (`max` none: `x{min,}`) of any body: x written `min` times, then `max − min`
    /// optional copies; `x{n,}` ends in x+ (or x*).
    fn repeat(&mut self, body: &Node, min: u32, max: Option<u32>) -> Option<Fragment> {
        let mut whole = EMPTY;
        let mandatory = match max {
            None => min.saturating_sub(1),
            Some(_) => min,
        };
        for _ in 0..mandatory {
            let copy = self.build(body)?;
            whole = self.concat(whole, copy);
        }
        match max {
            None => {
                let mut looped = self.build(body)?;
                for p in looped.last.iter() {
                    self.follow[p] = self.follow[p].union(looped.first);
                }
                looped.nullable |= min == 0;
                whole = self.concat(whole, looped);
            }
            Some(max) => {
                for _ in min..max {
                    let mut optional = self.build(body)?;
                    optional.nullable = true;
                    whole = self.concat(whole, optional);
                }
            }
        }
        Some(whole)
    }

    /// `S{min,max}` of one set as a chain of positions, each followed only by the next (the last
    /// by itself for `S{min,}`): `S{2,4}` read as `SS(S(S)?)?`, the same language, whose DFA
    /// states are single positions. Counted patterns (`\S{60}`, `[0-9a-f]{1,64}`) are mostly
    /// this, so it is built directly rather than copy by copy.
    fn set_chain(&mut self, id: usize, min: u32, max: Option<u32>) -> Option<Fragment> {
        // `S{n,}` is n − 1 positions then a looped one (just the looped one for `S*`); `S{n,m}` is m.
        let count = match max {
            None => min.max(1),
            Some(max) => max,
        };
        let count = usize::try_from(count).ok()?;
        if count == 0 {
            return Some(EMPTY);
        }
        let first = self.follow.len();
        let end = first.checked_add(count).filter(|&end| end <= MAX_POSITIONS)?;
        let of_set = self.positions_of_set.get_mut(id)?;
        let mut last = Positions::default();
        // The positions that may end the chain: the last, or with a max every one from the min-th.
        let first_last = match max {
            None => end - 1,
            Some(_) => first + usize::try_from(min).ok()?.max(1) - 1,
        };
        for position in first..end {
            of_set.insert(position);
            if position >= first_last {
                last.insert(position);
            }
            self.follow.push(match (position + 1 < end, max) {
                (true, _) => Positions::single(position + 1),
                (false, None) => Positions::single(position),
                (false, Some(_)) => Positions::default(),
            });
            self.set_of_position.push(id);
        }
        Some(Fragment { first: Positions::single(first), last, nullable: min == 0 })
    }

    /// A position for `^` or `$`: of the empty set, so no unit ever moves into it.
    fn anchor(&mut self, anchor: Anchor) -> Option<Fragment> {
        let id = self.set_id(&UnitSet::empty());
        let fragment = self.position_of(id)?;
        let position = self.follow.len() - 1;
        match anchor {
            Anchor::Start => self.start_anchors.insert(position),
            Anchor::End => self.end_anchors.insert(position),
        }
        Some(fragment)
    }

    /// The anchors among `from` that hold here (`holding`: the `^`s, the `$`s or both), and the
    /// anchors that follow those, and so on: what can be passed through without reading a unit.
    fn anchors_passed(&self, from: Positions, holding: Positions) -> Positions {
        let mut passed = from.intersect(holding);
        let mut frontier = passed;
        while !frontier.is_empty() {
            let next = frontier.iter().fold(Positions::default(), |bits, p| bits.union(self.follow[p])).intersect(holding);
            frontier = Positions(std::array::from_fn(|i| next.0[i] & !passed.0[i]));
            passed = passed.union(next);
        }
        passed
    }

    /// What may follow any of `positions`.
    fn follow_of(&self, positions: Positions) -> Positions {
        positions.iter().fold(Positions::default(), |bits, p| bits.union(self.follow[p]))
    }

    /// `a` then `b`: every last position of `a` may be followed by every first of `b`.
    fn concat(&mut self, a: Fragment, b: Fragment) -> Fragment {
        for p in a.last.iter() {
            self.follow[p] = self.follow[p].union(b.first);
        }
        Fragment {
            first: if a.nullable { a.first.union(b.first) } else { a.first },
            last: if b.nullable { a.last.union(b.last) } else { b.last },
            nullable: a.nullable && b.nullable,
        }
    }

    /// Items one after the other (owned in a `Seq`, borrowed from the flattened top level).
    fn sequence<N: Borrow<Node>>(&mut self, items: &[N]) -> Option<Fragment> {
        let mut whole = EMPTY;
        let mut i = 0;
        while i < items.len() {
            // `(?=X)Y` / `(?!X)Y` of one unit each is one set, as the emitted regex has it.
            let part = match items[i].borrow() {
                Node::LookAhead { negate, body } => {
                    let set = merged_lookahead(*negate, body, items.get(i + 1)?.borrow())?;
                    i += 1;
                    self.position(&set)?
                }
                item => self.build(item)?,
            };
            whole = self.concat(whole, part);
            i += 1;
        }
        Some(whole)
    }

    fn build(&mut self, node: &Node) -> Option<Fragment> {
        match node {
            Node::Set(set) => self.position(set),
            Node::Seq(items) => self.sequence(items),
            Node::Alt(alternatives) => {
                let mut union = Fragment { nullable: false, ..EMPTY };
                for alternative in alternatives {
                    let part = self.build(alternative)?;
                    union = Fragment {
                        first: union.first.union(part.first),
                        last: union.last.union(part.last),
                        nullable: union.nullable || part.nullable,
                    };
                }
                Some(union)
            }
            Node::Repeat { node, min, max } => match single_item(node) {
                Node::Set(set) => {
                    let id = self.set_id(set);
                    self.set_chain(id, *min, *max)
                }
                body => self.repeat(body, *min, *max),
            },
            // Assertions anywhere but the two ends, and whatever the regex refuses: not here.
            Node::Start => self.anchor(Anchor::Start),
            Node::End => self.anchor(Anchor::End),
            Node::WordBoundary { .. } | Node::LookAhead { .. } | Node::Unsupported => None,
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) struct Dfa {
    /// First unit of each run of units that no set tells apart, ascending from 0.
    run_starts: Vec<u32>,
    /// The class of each run: runs in exactly the same sets share one (`\S` is a dozen runs
    /// but two classes).
    run_classes: Vec<u16>,
    /// The class of each ASCII unit.
    ascii_classes: [u16; 128],
    classes: usize,
    /// `transitions[state × classes + class]`; state 0 is dead, state 1 the start.
    transitions: Vec<u32>,
    accepting: Vec<bool>,
}

impl Dfa {
    /// The automaton of `ast` when it is `^ … $` with no other assertion, within the limits.
    pub(crate) fn new(ast: &Node) -> Option<Dfa> {
        let mut items = Vec::new();
        flatten(ast, &mut items);
        let [Node::Start, body @ .., Node::End] = items.as_slice() else { return None };
        // Room for every position a pattern may have: no growing while positions are added.
        let mut glushkov = Glushkov {
            follow: Vec::with_capacity(MAX_POSITIONS),
            set_of_position: Vec::with_capacity(MAX_POSITIONS),
            ..Glushkov::default()
        };
        let whole = glushkov.sequence(body)?;
        Dfa::from_glushkov(&glushkov, whole)
    }

    fn from_glushkov(glushkov: &Glushkov, whole: Fragment) -> Option<Dfa> {
        // Runs: every range start and every range end + 1 begins one.
        let mut run_starts: Vec<u32> = vec![0];
        for set in &glushkov.sets {
            for &(low, high) in set.ranges() {
                run_starts.push(low);
                if high < MAX_UNIT {
                    run_starts.push(high + 1);
                }
            }
        }
        run_starts.sort_unstable();
        run_starts.dedup();
        // A class is the positions a unit can take: runs with the same positions share it.
        let mut class_members: Vec<Positions> = Vec::new();
        let mut run_classes = Vec::with_capacity(run_starts.len());
        for &unit in &run_starts {
            let members = glushkov.sets.iter().zip(&glushkov.positions_of_set).filter(|(set, _)| set.contains(unit));
            let members = members.fold(Positions::default(), |bits, (_, positions)| bits.union(*positions));
            let class = match class_members.iter().position(|&known| known == members) {
                Some(class) => class,
                None => {
                    class_members.push(members);
                    class_members.len() - 1
                }
            };
            run_classes.push(u16::try_from(class).ok()?);
        }
        let classes = class_members.len();
        // The classes each set's units fall in: where a one-position state goes, without
        // intersecting it with every class (a chain like `\S{60}` is all such states).
        let classes_of_set: Vec<Vec<usize>> = glushkov
            .positions_of_set
            .iter()
            .map(|&of_set| (0..classes).filter(|&class| !class_members[class].intersect(of_set).is_empty()).collect())
            .collect();

        // `^` holds before the first unit: the start also reaches what follows the `^`s it passes.
        let start_reachable = whole.first.union(glushkov.follow_of(glushkov.anchors_passed(whole.first, glushkov.start_anchors)));

        // Subset construction; a state is the positions just matched (the start: none yet).
        let mut states = States::new(glushkov.follow.len(), classes, whole);
        // Subset construction can blow up exponentially (`(a|b)*a(a|b){12}`): past a work budget
        // linear in the pattern's positions the pattern stays with the regex.
        let budget = 64 * glushkov.follow.len() + 1024;
        let mut steps = 0usize;
        let mut current = START as usize;
        while current < states.len() {
            steps += classes;
            if steps > budget {
                return None;
            }
            let reachable = match (current == START as usize, states.sole_position(current)) {
                (true, _) => start_reachable,
                (false, Some(position)) => glushkov.follow[position],
                (false, None) => glushkov.follow_of(states.positions(current)),
            };
            match reachable.only() {
                // One position next (most states of a route pattern): the same target for every
                // class of its set, none for the others.
                Some(position) => {
                    let target = states.find_or_add_sole(position)?;
                    for &class in classes_of_set.get(*glushkov.set_of_position.get(position)?)? {
                        states.set_transition(current, class, target);
                    }
                }
                None => {
                    for (class, members) in class_members.iter().enumerate() {
                        let positions = reachable.intersect(*members);
                        if !positions.is_empty() {
                            let target = states.find_or_add(positions)?;
                            states.set_transition(current, class, target);
                        }
                    }
                }
            }
            current += 1;
        }
        // `$` holds after the last unit: a state also accepts when it can pass `$`s to a last
        // position (the start, on an empty path, may pass `^`s and `$`s alike).
        let anchors = glushkov.start_anchors.union(glushkov.end_anchors);
        if !anchors.is_empty() {
            for state in START as usize..states.len() {
                let (next, holding) = match state == START as usize {
                    true => (whole.first, anchors),
                    false => (glushkov.follow_of(states.positions(state)), glushkov.end_anchors),
                };
                if !glushkov.anchors_passed(next, holding).intersect(whole.last).is_empty() {
                    states.accept(state);
                }
            }
        }
        let ascii_classes = ascii_classes(&run_starts, &run_classes);
        let States { transitions, accepting, .. } = states;
        Some(Dfa { run_starts, run_classes, ascii_classes, classes, transitions, accepting })
    }

    /// Whether the whole haystack (the UTF-16 view, see `emit::utf16_haystack`) is in the language.
    pub(crate) fn is_match(&self, haystack: &str) -> bool {
        let mut state = START as usize;
        for c in haystack.chars() {
            let unit = char_unit(c);
            let class = match self.ascii_classes.get(unit as usize) {
                Some(&class) => usize::from(class),
                // A haystack char outside the code-unit alphabet never occurs; it matches nothing.
                None if unit > MAX_UNIT => return false,
                None => self.run_classes.get(run_index(&self.run_starts, unit)).map_or(0, |&class| usize::from(class)),
            };
            state = self.transitions.get(state * self.classes + class).map_or(DEAD, |&next| next) as usize;
            if state == DEAD as usize {
                return false;
            }
        }
        self.accepting.get(state).copied().unwrap_or(false)
    }
}

/// The states found so far by subset construction, their transitions and which accept.
struct States {
    positions: Vec<Positions>,
    /// The position of each one-position state (most states of a route pattern).
    sole: Vec<Option<usize>>,
    /// A state of one position, by its position.
    by_position: Vec<Option<u32>>,
    /// Any other state, by the fingerprint of its positions.
    by_fingerprint: HashMap<u64, u32, BuildHasherDefault<PassThroughHasher>>,
    classes: usize,
    transitions: Vec<u32>,
    accepting: Vec<bool>,
    last: Positions,
}

impl States {
    /// The dead state and the start, with room for about one state per position (what a route
    /// pattern's DFA has).
    fn new(positions: usize, classes: usize, whole: Fragment) -> States {
        let expected = positions + 2;
        let mut states = States {
            positions: Vec::with_capacity(expected),
            sole: Vec::with_capacity(expected),
            by_position: vec![None; positions],
            // The token cache's map type: one copy of the hash map code in the .wasm.
            by_fingerprint: HashMap::default(),
            classes,
            transitions: Vec::with_capacity(expected * classes),
            accepting: Vec::with_capacity(expected),
            last: whole.last,
        };
        states.positions.extend([Positions::default(), Positions::default()]);
        states.sole.extend([None, None]);
        states.transitions.resize(2 * classes, DEAD);
        states.accepting.extend([false, whole.nullable]);
        states
    }

    fn len(&self) -> usize {
        self.positions.len()
    }

    fn positions(&self, state: usize) -> Positions {
        self.positions.get(state).copied().unwrap_or_default()
    }

    fn sole_position(&self, state: usize) -> Option<usize> {
        self.sole.get(state).copied().flatten()
    }

    /// The state of `positions`, added if new; `None` past the table limit or when two position
    /// sets share a fingerprint (the pattern then goes to the regex).
    fn find_or_add(&mut self, positions: Positions) -> Option<u32> {
        if let Some(position) = positions.only() {
            return self.find_or_add_sole(position);
        }
        let fingerprint = positions.fingerprint();
        match self.by_fingerprint.get(&fingerprint) {
            Some(&id) => (self.positions.get(id as usize) == Some(&positions)).then_some(id),
            None => {
                let id = self.add(positions, None)?;
                self.by_fingerprint.insert(fingerprint, id);
                Some(id)
            }
        }
    }

    /// The state of the one position `position`, added if new.
    fn find_or_add_sole(&mut self, position: usize) -> Option<u32> {
        if let Some(id) = *self.by_position.get(position)? {
            return Some(id);
        }
        let id = self.add(Positions::single(position), Some(position))?;
        *self.by_position.get_mut(position)? = Some(id);
        Some(id)
    }

    fn add(&mut self, positions: Positions, sole: Option<usize>) -> Option<u32> {
        if (self.len() + 1) * self.classes > MAX_TABLE {
            return None;
        }
        let id = u32::try_from(self.len()).ok()?;
        self.positions.push(positions);
        self.sole.push(sole);
        self.transitions.resize(self.len() * self.classes, DEAD);
        let accepting = match sole {
            Some(position) => self.last.contains(position),
            None => !positions.intersect(self.last).is_empty(),
        };
        self.accepting.push(accepting);
        Some(id)
    }

    fn accept(&mut self, state: usize) {
        if let Some(accepting) = self.accepting.get_mut(state) {
            *accepting = true;
        }
    }

    fn set_transition(&mut self, state: usize, class: usize, target: u32) {
        if let Some(slot) = self.transitions.get_mut(state * self.classes + class) {
            *slot = target;
        }
    }
}

/// The class of each ASCII unit, walking the runs once.
fn ascii_classes(run_starts: &[u32], run_classes: &[u16]) -> [u16; 128] {
    let mut classes = [0; 128];
    let mut run = 0;
    for (unit, class) in (0u32..).zip(classes.iter_mut()) {
        while run_starts.get(run + 1).is_some_and(|&next| next <= unit) {
            run += 1;
        }
        *class = run_classes.get(run).copied().unwrap_or(0);
    }
    classes
}

/// The run `unit` falls in (`run_starts` begins with 0, so there is always one).
fn run_index(run_starts: &[u32], unit: u32) -> usize {
    run_starts.partition_point(|&start| start <= unit).saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The states subset construction meets most (one or two positions) never share a
    /// fingerprint: a collision would send the pattern back to the regex.
    #[test]
    fn small_position_sets_have_distinct_fingerprints() {
        let mut seen = std::collections::HashSet::new();
        for a in 0..MAX_POSITIONS {
            assert!(seen.insert(Positions::single(a).fingerprint()), "{{{a}}}");
            for b in (a + 1)..MAX_POSITIONS {
                assert!(seen.insert(Positions::single(a).union(Positions::single(b)).fingerprint()), "{{{a}, {b}}}");
            }
        }
    }

    /// `^` and `$` inside: passed without reading a unit, `^` only before the first, `$` only
    /// after the last (JS without the `m` flag).
    #[test]
    fn anchors_inside_hold_only_at_the_ends() {
        let dfa = |source: &str| {
            let ast = crate::route::js_regex::parse(&source.encode_utf16().collect::<Vec<_>>()).expect("parses");
            Dfa::new(&ast).unwrap_or_else(|| panic!("{source} gets an automaton"))
        };
        let cases: &[(&str, &[(&str, bool)])] = &[
            ("^(?:^)$", &[("", true), ("a", false)]),
            ("^(?:$)(?:^)$", &[("", true), ("a", false)]),
            ("^(?:^|a)b$", &[("b", true), ("ab", true), ("aab", false)]),
            ("^a(?:^b)?$", &[("a", true), ("ab", false)]),
            ("^a(?:$)b?$", &[("a", true), ("ab", false)]),
            ("^(?:a$|b)c?$", &[("a", true), ("ac", false), ("bc", true), ("b", true)]),
            ("^(?:.*$)(?:x)*$", &[("", true), ("abc", true)]),
            ("^(?:$|a)*$", &[("", true), ("aaa", true), ("ab", false)]),
        ];
        for (source, paths) in cases {
            let automaton = dfa(source);
            for &(path, expected) in paths.iter() {
                assert_eq!(automaton.is_match(path), expected, "{source} on {path:?}");
            }
        }
    }

    #[test]
    fn long_counted_patterns_get_an_automaton() {
        let ast = |source: &str| crate::route::js_regex::parse(&source.encode_utf16().collect::<Vec<_>>()).expect("parses");
        for source in ["^\\/\\S{100}e$", "^[a-z]{200}$", "^(?:ab){100}x?$"] {
            assert!(Dfa::new(&ast(source)).is_some(), "{source}");
        }
    }
}
