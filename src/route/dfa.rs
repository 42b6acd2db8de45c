//! A deterministic automaton for one anchored pattern (`^…$`, as path-to-regexp writes them),
//! built when the pattern loads, so that matching a path costs one table lookup per code unit
//! whatever the pattern.
//!
//! regex-lite has no DFA: its PikeVM costs ~60 ns per path unit per pattern (fuzzing found a
//! 270-unit path taking 1.8 ms against 106 patterns; 20 parameter patterns × a 16 KB path took
//! ~18 ms). Here the pattern's Glushkov automaton (`glushkov`, anchors inside included) becomes
//! a DFA by subset construction over the classes of units the sets tell apart. What the Glushkov
//! automaton does not take (lookaheads that are not one unit before one unit, more than 256
//! positions), or too many states, is left to the regex.

use super::charset::{word, MAX_UNIT};
use super::emit::char_unit;
use super::glushkov::{fingerprint, Fragment, Glushkov, Positions};
use super::js_regex::Node;
use crate::token::cache::PassThroughHasher;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

/// A map from fingerprints (or other keys already spread, see `glushkov::fingerprint`) to ids:
/// it passes keys through unhashed. One type for every such map, so one copy of its code.
pub(super) type FingerprintMap = HashMap<u64, u32, BuildHasherDefault<PassThroughHasher>>;

/// States × classes the transition table may have (u32 entries: 256 KB).
pub(super) const MAX_TABLE: usize = 1 << 16;
pub(super) const DEAD: u32 = 0;
pub(super) const START: u32 = 1;

#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// The automaton of `ast` when it is `^ … $`, within the limits.
    pub(crate) fn new(ast: &Node) -> Option<Dfa> {
        let (glushkov, whole) = Glushkov::of_anchored(ast)?;
        Dfa::from_glushkov(&glushkov, whole)
    }

    fn from_glushkov(glushkov: &Glushkov, whole: Fragment) -> Option<Dfa> {
        // Runs: every range start and every range end + 1 begins one.
        let mut run_starts: Vec<u32> = vec![0];
        // With `\b`/`\B`, whether a unit is a word unit tells classes apart too.
        let word_units = glushkov.has_word_anchors().then(word);
        for set in glushkov.sets.iter().chain(&word_units) {
            for &(low, high) in set.ranges() {
                run_starts.push(low);
                if high < MAX_UNIT {
                    run_starts.push(high + 1);
                }
            }
        }
        run_starts.sort_unstable();
        run_starts.dedup();
        // A class is the positions a unit can take (and with `\b`/`\B` whether it is a word
        // unit): runs alike in both share it.
        let mut class_members: Vec<Positions> = Vec::new();
        let mut class_is_word: Vec<bool> = Vec::new();
        let mut run_classes = Vec::with_capacity(run_starts.len());
        for &unit in &run_starts {
            let members = glushkov.sets.iter().zip(&glushkov.positions_of_set).filter(|(set, _)| set.contains(unit));
            let members = members.fold(Positions::default(), |bits, (_, positions)| bits.union(*positions));
            let is_word = word_units.as_ref().is_some_and(|word_units| word_units.contains(unit));
            let known = class_members.iter().zip(&class_is_word).position(|(&known, &known_word)| known == members && known_word == is_word);
            let class = match known {
                Some(class) => class,
                None => {
                    class_members.push(members);
                    class_is_word.push(is_word);
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

        let anchored = glushkov.has_anchors();

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
            let at_start = current == START as usize;
            let reachable = match (at_start, states.sole_position(current)) {
                (true, _) => whole.first,
                (false, Some(position)) => glushkov.follow[position],
                (false, None) => glushkov.follow_of(states.positions(current)),
            };
            if anchored {
                // The anchors that hold before the next unit (they differ only by whether it is a
                // word unit) are passed first; at the end of the path the state also accepts when
                // the anchors that hold there (`$`, `\b` after a word unit, `\B` after another; on
                // an empty path also `^`) lead to a last position.
                let after_word = states.after_word(current);
                let passing = |next_word| glushkov.anchors_passed(reachable, glushkov.holding(at_start, after_word, next_word));
                if !passing(None).intersect(whole.last).is_empty() {
                    states.accept(current);
                }
                let [before_other, before_word] = [false, true].map(|is_word| reachable.union(glushkov.follow_of(passing(Some(is_word)))));
                for (class, (members, &is_word)) in class_members.iter().zip(&class_is_word).enumerate() {
                    let positions = if is_word { before_word } else { before_other }.intersect(*members);
                    if !positions.is_empty() {
                        let target = states.find_or_add(positions, is_word)?;
                        states.set_transition(current, class, target);
                    }
                }
                current += 1;
                continue;
            }
            match reachable.only() {
                // One position next (most states of a route pattern): the same target for every
                // class of its set, none for the others.
                Some(position) => {
                    let target = states.find_or_add_sole(position, false)?;
                    for &class in classes_of_set.get(*glushkov.set_of_position.get(position)?)? {
                        states.set_transition(current, class, target);
                    }
                }
                None => {
                    for (class, members) in class_members.iter().enumerate() {
                        let positions = reachable.intersect(*members);
                        if !positions.is_empty() {
                            let target = states.find_or_add(positions, false)?;
                            states.set_transition(current, class, target);
                        }
                    }
                }
            }
            current += 1;
        }
        let States { transitions, accepting, .. } = states;
        Some(Dfa::from_parts(run_starts, run_classes, classes, transitions, accepting))
    }

    pub(super) fn from_parts(run_starts: Vec<u32>, run_classes: Vec<u16>, classes: usize, transitions: Vec<u32>, accepting: Vec<bool>) -> Dfa {
        let ascii_classes = ascii_classes(&run_starts, &run_classes);
        Dfa { run_starts, run_classes, ascii_classes, classes, transitions, accepting }
    }

    /// Number of runs of units.
    pub(super) fn runs_len(&self) -> usize {
        self.run_starts.len()
    }

    /// Each run of units as (first unit, class), ascending from unit 0.
    pub(super) fn runs(&self) -> Vec<(u32, usize)> {
        self.run_starts.iter().zip(&self.run_classes).map(|(&start, &class)| (start, usize::from(class))).collect()
    }

    /// The class of a unit of the alphabet (`unit <= MAX_UNIT`).
    pub(super) fn class_of(&self, unit: u32) -> usize {
        class_of_unit(unit, &self.ascii_classes, &self.run_starts, &self.run_classes).map_or(0, usize::from)
    }

    /// Where `state` goes on a unit of `class` (the dead state for ids out of range).
    pub(super) fn next(&self, state: u32, class: usize) -> u32 {
        self.transitions.get(state as usize * self.classes + class).copied().unwrap_or(DEAD)
    }

    /// The transitions of `state`, one per class (empty for an id out of range).
    pub(super) fn row(&self, state: u32) -> &[u32] {
        let start = state as usize * self.classes;
        self.transitions.get(start..start + self.classes).unwrap_or_default()
    }

    /// Number of classes of units.
    pub(super) fn classes(&self) -> usize {
        self.classes
    }

    /// Number of states, the dead one included.
    pub(super) fn states(&self) -> usize {
        self.accepting.len()
    }

    pub(super) fn accepts(&self, state: u32) -> bool {
        self.accepting.get(state as usize).copied().unwrap_or(false)
    }

    /// A fingerprint of the whole automaton (equal automata have equal ones).
    pub(super) fn fingerprint(&self) -> u64 {
        let runs = self.run_starts.iter().zip(&self.run_classes).map(|(&start, &class)| u64::from(start) << 16 | u64::from(class));
        let states = self.transitions.iter().map(|&next| u64::from(next)).chain(self.accepting.iter().map(|&accepting| u64::from(accepting)));
        fingerprint(runs.chain(states))
    }

    /// States × classes: the size of the transition table.
    pub(super) fn table_len(&self) -> usize {
        self.transitions.len()
    }

    /// Whether the whole haystack (the UTF-16 view, see `emit::utf16_haystack`) is in the language.
    pub(crate) fn is_match(&self, haystack: &str) -> bool {
        if haystack.is_ascii() {
            // Most paths: a byte is a unit, its class one lookup.
            return self.accepts_all(haystack.bytes().map(|byte| Some(self.class_of(u32::from(byte)))));
        }
        let class_of_char = |c| class_of_unit(char_unit(c), &self.ascii_classes, &self.run_starts, &self.run_classes);
        self.accepts_all(haystack.chars().map(|c| class_of_char(c).map(usize::from)))
    }

    /// Whether the units of these classes lead from the start to an accepting state (`None`: a
    /// unit no pattern can match).
    pub(super) fn accepts_all(&self, classes: impl Iterator<Item = Option<usize>>) -> bool {
        let mut state = START;
        for class in classes {
            let Some(class) = class else { return false };
            state = self.next(state, class);
            if state == DEAD {
                return false;
            }
        }
        self.accepts(state)
    }
}

/// The states found so far by subset construction, their transitions and which accept.
struct States {
    positions: Vec<Positions>,
    /// The position of each one-position state (most states of a route pattern).
    sole: Vec<Option<usize>>,
    /// A state of one position, by its position.
    by_position: Vec<Option<u32>>,
    /// Whether each state was entered by a word unit (only with `\b`/`\B`; false otherwise).
    after_word: Vec<bool>,
    /// Any other state, by the fingerprint of its positions.
    by_fingerprint: FingerprintMap,
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
            // Per position, entered by a non-word unit and by a word unit.
            by_position: vec![None; 2 * positions],
            after_word: Vec::with_capacity(expected),
            // The token cache's map type: one copy of the hash map code in the .wasm.
            by_fingerprint: HashMap::default(),
            classes,
            transitions: Vec::with_capacity(expected * classes),
            accepting: Vec::with_capacity(expected),
            last: whole.last,
        };
        states.positions.extend([Positions::default(), Positions::default()]);
        states.sole.extend([None, None]);
        states.after_word.extend([false, false]);
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

    fn after_word(&self, state: usize) -> bool {
        self.after_word.get(state).copied().unwrap_or(false)
    }

    /// The state of `positions`, added if new; `None` past the table limit or when two position
    /// sets share a fingerprint (the pattern then goes to the regex).
    fn find_or_add(&mut self, positions: Positions, after_word: bool) -> Option<u32> {
        if let Some(position) = positions.only() {
            return self.find_or_add_sole(position, after_word);
        }
        let fingerprint = positions.fingerprint() ^ u64::from(after_word);
        match self.by_fingerprint.get(&fingerprint) {
            Some(&id) => (self.positions.get(id as usize) == Some(&positions) && self.after_word(id as usize) == after_word).then_some(id),
            None => {
                let id = self.add(positions, None, after_word)?;
                self.by_fingerprint.insert(fingerprint, id);
                Some(id)
            }
        }
    }

    /// The state of the one position `position`, added if new.
    fn find_or_add_sole(&mut self, position: usize, after_word: bool) -> Option<u32> {
        let slot = 2 * position + usize::from(after_word);
        if let Some(id) = *self.by_position.get(slot)? {
            return Some(id);
        }
        let id = self.add(Positions::single(position), Some(position), after_word)?;
        *self.by_position.get_mut(slot)? = Some(id);
        Some(id)
    }

    fn add(&mut self, positions: Positions, sole: Option<usize>, after_word: bool) -> Option<u32> {
        if (self.len() + 1) * self.classes > MAX_TABLE {
            return None;
        }
        let id = u32::try_from(self.len()).ok()?;
        self.positions.push(positions);
        self.sole.push(sole);
        self.after_word.push(after_word);
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
pub(super) fn ascii_classes(run_starts: &[u32], run_classes: &[u16]) -> [u16; 128] {
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

/// The class of `unit` among runs (with their ASCII table, see `ascii_classes`); `None` for a
/// unit outside the code-unit alphabet (a haystack char never is one; it would match nothing).
pub(super) fn class_of_unit(unit: u32, ascii_classes: &[u16; 128], run_starts: &[u32], run_classes: &[u16]) -> Option<u16> {
    match ascii_classes.get(unit as usize) {
        Some(&class) => Some(class),
        None if unit > MAX_UNIT => None,
        None => run_classes.get(run_index(run_starts, unit)).copied(),
    }
}

/// The run `unit` falls in (`run_starts` begins with 0, so there is always one).
fn run_index(run_starts: &[u32], unit: u32) -> usize {
    run_starts.partition_point(|&start| start <= unit).saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `^`, `$`, `\b`, `\B` inside: passed without reading a unit, `^` only before the first, `$`
    /// only after the last (JS without the `m` flag), `\b` between an ASCII word unit
    /// (`[A-Za-z0-9_]`, also under `i` without `u`) and anything else or an end.
    #[test]
    fn anchors_inside_hold_where_js_says() {
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
            ("^a\\b$", &[("a", true)]),
            ("^a\\b-$", &[("a-", true), ("ab", false)]),
            ("^a\\B$", &[("a", false)]),
            ("^\\b$", &[("", false)]),
            ("^\\B$", &[("", true)]),
            ("^-\\B-$", &[("--", true)]),
            ("^-\\b-$", &[("--", false)]),
            ("^(?:\\b\\w+\\b|-)*$", &[("ab-cd", true), ("-", true), ("", true)]),
            ("^\\w(?:\\b|x)\\w$", &[("axb", true), ("ab", false)]),
            ("^é\\bé$", &[("éé", false)]),
            ("^é\\Bé$", &[("éé", true)]),
            ("^_\\b9$", &[("_9", false)]),
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
