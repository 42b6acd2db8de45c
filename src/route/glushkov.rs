//! The Glushkov (position) automaton of an anchored pattern's AST: one position per set, counted
//! repetition written out (bounded by `pattern::max_positions`), `^` and `$` inside the pattern as
//! positions no unit enters. `dfa` turns it into a deterministic automaton.

use super::charset::UnitSet;
use super::emit::{merged_lookahead, single_item};
use super::js_regex::Node;
use super::pattern::flatten;
use std::borrow::Borrow;

/// Positions (sets) a pattern may have here: a bit set of positions is four words.
pub(super) const MAX_POSITIONS: usize = 256;

#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Positions([u64; MAX_POSITIONS / 64]);

impl Positions {
    pub(super) fn single(position: usize) -> Positions {
        let mut bits = Positions::default();
        bits.insert(position);
        bits
    }

    pub(super) fn union(self, other: Positions) -> Positions {
        Positions(std::array::from_fn(|i| self.0[i] | other.0[i]))
    }

    pub(super) fn intersect(self, other: Positions) -> Positions {
        Positions(std::array::from_fn(|i| self.0[i] & other.0[i]))
    }

    fn without(self, other: Positions) -> Positions {
        Positions(std::array::from_fn(|i| self.0[i] & !other.0[i]))
    }

    /// A 64-bit hash of the words, the key of the state index (a collision is detected, not
    /// trusted). Each word goes through SplitMix64's finaliser: a plain multiply-rotate let the
    /// top bit of one word cancel one bit of the next, so {63} and {92} collided.
    pub(super) fn fingerprint(self) -> u64 {
        fingerprint(self.0.iter().copied())
    }

    /// The position, when exactly one is set.
    pub(super) fn only(self) -> Option<usize> {
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

    pub(super) fn insert(&mut self, position: usize) {
        if let Some(word) = self.0.get_mut(position / 64) {
            *word |= 1 << (position % 64);
        }
    }

    pub(super) fn contains(self, position: usize) -> bool {
        self.0.get(position / 64).is_some_and(|word| word & (1 << (position % 64)) != 0)
    }

    pub(super) fn is_empty(self) -> bool {
        self.0.iter().all(|&word| word == 0)
    }

    pub(super) fn iter(self) -> impl Iterator<Item = usize> {
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
    WordBoundary,
    NotWordBoundary,
}

/// first / last / nullable of a sub-expression (Glushkov).
#[derive(Clone, Copy)]
pub(super) struct Fragment {
    pub(super) first: Positions,
    pub(super) last: Positions,
    pub(super) nullable: bool,
}

const EMPTY: Fragment = Fragment { first: Positions([0; MAX_POSITIONS / 64]), last: Positions([0; MAX_POSITIONS / 64]), nullable: true };

#[derive(Default)]
pub(super) struct Glushkov {
    /// The different sets of the pattern (`\S{40}` is forty positions of one set).
    pub(super) sets: Vec<UnitSet>,
    /// The positions of each set.
    pub(super) positions_of_set: Vec<Positions>,
    /// What may follow each position.
    pub(super) follow: Vec<Positions>,
    /// The set (index into `sets`) of each position.
    pub(super) set_of_position: Vec<usize>,
    /// `^`, `$`, `\b` and `\B` inside the pattern: positions that match no unit, passed through
    /// without reading one where they hold — `^` only before the first unit, `$` only after the
    /// last, `\b` between a word unit and a non-word one (or an end), `\B` elsewhere.
    start_anchors: Positions,
    end_anchors: Positions,
    word_boundaries: Positions,
    not_word_boundaries: Positions,
}

impl Glushkov {
    /// The automaton of `ast` when it is `^ … $` (what path-to-regexp writes), within the limits,
    /// with the fragment of the whole body between the two anchors.
    pub(super) fn of_anchored(ast: &Node) -> Option<(Glushkov, Fragment)> {
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
        Some((glushkov, whole))
    }

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

    /// A position for an anchor (`^`, `$`, `\b`, `\B`): of the empty set, so no unit ever moves
    /// into it.
    fn anchor(&mut self, anchor: Anchor) -> Option<Fragment> {
        let id = self.set_id(&UnitSet::empty());
        let fragment = self.position_of(id)?;
        let position = self.follow.len() - 1;
        match anchor {
            Anchor::Start => self.start_anchors.insert(position),
            Anchor::End => self.end_anchors.insert(position),
            Anchor::WordBoundary => self.word_boundaries.insert(position),
            Anchor::NotWordBoundary => self.not_word_boundaries.insert(position),
        }
        Some(fragment)
    }

    /// Whether the pattern has anchors inside at all (most have none: no anchor work then).
    pub(super) fn has_anchors(&self) -> bool {
        !self.start_anchors.union(self.end_anchors).union(self.word_boundaries).union(self.not_word_boundaries).is_empty()
    }

    /// Whether the pattern has `\b` or `\B` inside: states then also remember whether the unit
    /// just read was a word unit.
    pub(super) fn has_word_anchors(&self) -> bool {
        !self.word_boundaries.union(self.not_word_boundaries).is_empty()
    }

    /// The anchors that hold between the unit before (none at the start: `after_word` false) and
    /// the next one (`None`: the end of the path; `Some(is_word)`).
    pub(super) fn holding(&self, at_start: bool, after_word: bool, next_word: Option<bool>) -> Positions {
        let mut holding = if after_word != next_word.unwrap_or(false) { self.word_boundaries } else { self.not_word_boundaries };
        if at_start {
            holding = holding.union(self.start_anchors);
        }
        if next_word.is_none() {
            holding = holding.union(self.end_anchors);
        }
        holding
    }

    /// The anchors among `from` that hold here (`holding`), and the anchors that follow those,
    /// and so on: what can be passed through without reading a unit.
    pub(super) fn anchors_passed(&self, from: Positions, holding: Positions) -> Positions {
        let mut passed = from.intersect(holding);
        let mut frontier = passed;
        while !frontier.is_empty() {
            let next = self.follow_of(frontier).intersect(holding);
            frontier = next.without(passed);
            passed = passed.union(next);
        }
        passed
    }

    /// What may follow any of `positions`.
    pub(super) fn follow_of(&self, positions: Positions) -> Positions {
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
            Node::WordBoundary { negate: false } => self.anchor(Anchor::WordBoundary),
            Node::WordBoundary { negate: true } => self.anchor(Anchor::NotWordBoundary),
            Node::LookAhead { .. } | Node::Unsupported => None,
        }
    }
}

/// A fingerprint of a sequence of words, for maps that pass their keys through unhashed (position
/// sets here, class tuples and whole automata elsewhere).
pub(super) fn fingerprint(words: impl Iterator<Item = u64>) -> u64 {
    words.fold(0x9e37_79b9_7f4a_7c15, |hash, word| mix(hash ^ mix(word)))
}

/// splitmix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
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
}
