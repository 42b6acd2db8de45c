//! A deterministic automaton for one anchored pattern (`^…$`, as path-to-regexp writes them),
//! built when the pattern loads, so that matching a path costs one table lookup per code unit
//! whatever the pattern.
//!
//! regex-lite has no DFA: its PikeVM costs ~60 ns per path unit per pattern (fuzzing found a
//! 270-unit path taking 1.8 ms against 106 patterns; 20 parameter patterns × a 16 KB path took
//! ~18 ms). Here the pattern's AST becomes a Glushkov automaton (one position per set, counted
//! repetition written out — bounded by `pattern::max_positions`), then a DFA by subset
//! construction over the classes of units the sets tell apart. Anything else (assertions inside
//! the pattern, lookaheads that are not one unit before one unit, too many positions or states)
//! is left to the regex.

use super::charset::{UnitSet, MAX_UNIT};
use super::emit::{char_unit, merged_lookahead, single_item};
use super::js_regex::Node;
use super::pattern::flatten;
use crate::token::cache::PassThroughHasher;
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

/// How subset construction finds a state again: a one-position state by its position, any other
/// by its fingerprint.
#[derive(Clone, Copy)]
enum StateKey {
    Single(usize),
    Hashed(u64),
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
        Some(Fragment { first: bits, last: bits, nullable: false })
    }

    /// One copy of a repetition's body; a body that is one set (`\S{60}`, `[a-z]+`) is
    /// looked up once, not once per copy.
    fn copy(&mut self, body: &Node, set_id: Option<usize>) -> Option<Fragment> {
        match set_id {
            Some(id) => self.position_of(id),
            None => self.build(body),
        }
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

    fn build(&mut self, node: &Node) -> Option<Fragment> {
        match node {
            Node::Set(set) => self.position(set),
            Node::Seq(items) => {
                let mut whole = EMPTY;
                let mut i = 0;
                while i < items.len() {
                    // `(?=X)Y` / `(?!X)Y` of one unit each is one set, as the emitted regex has it.
                    let part = match &items[i] {
                        Node::LookAhead { negate, body } => {
                            let set = merged_lookahead(*negate, body, items.get(i + 1)?)?;
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
            Node::Repeat { node, min, max } => {
                let body = single_item(node);
                let set_id = match body {
                    Node::Set(set) => Some(self.set_id(set)),
                    _ => None,
                };
                let mut whole = EMPTY;
                // x{n,m} = x written n times, then m − n optional copies; x{n,} ends in x+ (or x*).
                let mandatory = match max {
                    None => min.saturating_sub(1),
                    Some(_) => *min,
                };
                for _ in 0..mandatory {
                    let copy = self.copy(body, set_id)?;
                    whole = self.concat(whole, copy);
                }
                match max {
                    None => {
                        let mut looped = self.copy(body, set_id)?;
                        for p in looped.last.iter() {
                            self.follow[p] = self.follow[p].union(looped.first);
                        }
                        looped.nullable |= *min == 0;
                        whole = self.concat(whole, looped);
                    }
                    Some(max) => {
                        for _ in *min..*max {
                            let mut optional = self.copy(body, set_id)?;
                            optional.nullable = true;
                            whole = self.concat(whole, optional);
                        }
                    }
                }
                Some(whole)
            }
            // Assertions anywhere but the two ends, and whatever the regex refuses: not here.
            Node::Start | Node::End | Node::WordBoundary { .. } | Node::LookAhead { .. } | Node::Unsupported => None,
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
        let mut glushkov = Glushkov { follow: Vec::with_capacity(MAX_POSITIONS / 4), ..Glushkov::default() };
        let whole = glushkov.build(&Node::Seq(body.iter().map(|&item| item.clone()).collect()))?;
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

        // Subset construction; a state is the positions just matched (the start: none yet).
        // A route pattern's DFA has about one state per position: room for that up front.
        let expected_states = glushkov.follow.len() + 2;
        let mut states: Vec<Positions> = Vec::with_capacity(expected_states);
        states.extend([Positions::default(), Positions::default()]);
        // The token cache's map type: one copy of the hash map code in the .wasm.
        let mut index: HashMap<u64, usize, BuildHasherDefault<PassThroughHasher>> = HashMap::default();
        let mut transitions = Vec::with_capacity(expected_states * classes);
        transitions.resize(2 * classes, DEAD);
        let mut accepting = Vec::with_capacity(expected_states);
        accepting.extend([false, whole.nullable]);
        let mut single_states: Vec<Option<usize>> = vec![None; glushkov.follow.len()];
        let mut next_state = START as usize;
        // Subset construction can blow up exponentially (`(a|b)*a(a|b){12}`): past a work budget
        // linear in the pattern's positions the pattern stays with the regex.
        let budget = 64 * glushkov.follow.len() + 1024;
        let mut steps = 0usize;
        while next_state < states.len() {
            steps += classes;
            if steps > budget {
                return None;
            }
            let reachable = match (next_state == START as usize, states[next_state].only()) {
                (true, _) => whole.first,
                (false, Some(position)) => glushkov.follow[position],
                (false, None) => states[next_state].iter().fold(Positions::default(), |bits, p| bits.union(glushkov.follow[p])),
            };
            for (class, members) in class_members.iter().enumerate() {
                let target = reachable.intersect(*members);
                if target.is_empty() {
                    continue;
                }
                // Most states of a route pattern are one position: found by position, not hashed.
                let key = match target.only() {
                    Some(position) => StateKey::Single(position),
                    None => StateKey::Hashed(target.fingerprint()),
                };
                let known = match key {
                    StateKey::Single(position) => single_states.get(position).copied().flatten(),
                    StateKey::Hashed(fingerprint) => match index.get(&fingerprint) {
                        // Two position sets with one fingerprint: give the pattern to the regex.
                        Some(&id) if states.get(id) != Some(&target) => return None,
                        found => found.copied(),
                    },
                };
                let id = match known {
                    Some(id) => id,
                    None => {
                        if (states.len() + 1) * classes > MAX_TABLE {
                            return None;
                        }
                        states.push(target);
                        let id = states.len() - 1;
                        match key {
                            StateKey::Single(position) => {
                                if let Some(slot) = single_states.get_mut(position) {
                                    *slot = Some(id);
                                }
                            }
                            StateKey::Hashed(fingerprint) => {
                                index.insert(fingerprint, id);
                            }
                        }
                        transitions.resize(states.len() * classes, DEAD);
                        accepting.push(!target.intersect(whole.last).is_empty());
                        id
                    }
                };
                transitions[next_state * classes + class] = u32::try_from(id).ok()?;
            }
            next_state += 1;
        }
        let ascii_classes = std::array::from_fn(|unit| run_classes.get(run_index(&run_starts, unit as u32)).copied().unwrap_or(0));
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

    #[test]
    fn long_counted_patterns_get_an_automaton() {
        let ast = |source: &str| crate::route::js_regex::parse(&source.encode_utf16().collect::<Vec<_>>()).expect("parses");
        for source in ["^\\/\\S{100}e$", "^[a-z]{200}$", "^(?:ab){100}x?$"] {
            assert!(Dfa::new(&ast(source)).is_some(), "{source}");
        }
    }
}
