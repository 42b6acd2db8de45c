//! One partition of the code units for all of a matcher's automata, so that a path's units are
//! classified once, not once per automaton.
//!
//! Each automaton has its own classes of units (`dfa`); finding a non-ASCII unit's class is a
//! search over its runs. With several automata (the ones folding left apart, `dfa_union`), the
//! path is turned once into classes of the shared partition, whose every class lies inside one
//! class of each automaton; an automaton then reads a shared class through a small table.

use super::dfa::{ascii_classes, class_of_unit, Dfa, FingerprintMap};
use super::emit::char_unit;
use super::glushkov::fingerprint;

/// Class lookups allowed when the alphabet is made (one per run per automaton).
const MAX_LOOKUPS: usize = 1 << 15;

#[derive(Clone, Debug)]
pub(crate) struct Alphabet {
    /// First unit of each run of units no automaton tells apart, ascending from 0.
    run_starts: Vec<u32>,
    run_classes: Vec<u16>,
    ascii_classes: [u16; 128],
    /// For each automaton, its class of each shared class.
    local: Vec<Vec<u16>>,
}

impl Alphabet {
    /// The partition of `automata`; `None` for fewer than two (nothing to share), past 2^16
    /// shared classes, or when classifying every run for every automaton would cost more than
    /// `MAX_LOOKUPS` (the automata then classify on their own).
    pub(crate) fn new(automata: &[Dfa]) -> Option<Alphabet> {
        if automata.len() < 2 {
            return None;
        }
        let mut run_starts: Vec<u32> = automata.iter().flat_map(|dfa| dfa.runs().into_iter().map(|(start, _)| start)).collect();
        run_starts.sort_unstable();
        run_starts.dedup();
        if run_starts.len().saturating_mul(automata.len()) > MAX_LOOKUPS {
            return None;
        }
        // A shared class is the tuple of the automata's classes of its units, found by its
        // fingerprint (two tuples sharing one: no alphabet, the automata classify on their own).
        let mut class_ids = FingerprintMap::default();
        let mut local: Vec<Vec<u16>> = vec![Vec::new(); automata.len()];
        let mut run_classes = Vec::with_capacity(run_starts.len());
        let mut tuple: Vec<u16> = Vec::with_capacity(automata.len());
        for &unit in &run_starts {
            tuple.clear();
            for dfa in automata {
                tuple.push(u16::try_from(dfa.class_of(unit)).ok()?);
            }
            let fingerprint = fingerprint(tuple.iter().map(|&class| u64::from(class)));
            let class = match class_ids.get(&fingerprint) {
                Some(&class) => {
                    let known = local.iter().map(|classes| classes.get(class as usize).copied());
                    if !known.eq(tuple.iter().map(|&class| Some(class))) {
                        return None;
                    }
                    class
                }
                None => {
                    let class = u32::try_from(class_ids.len()).ok()?;
                    for (classes, &of_automaton) in local.iter_mut().zip(&tuple) {
                        classes.push(of_automaton);
                    }
                    class_ids.insert(fingerprint, class);
                    class
                }
            };
            run_classes.push(u16::try_from(class).ok()?);
        }
        let ascii_classes = ascii_classes(&run_starts, &run_classes);
        Some(Alphabet { run_starts, run_classes, ascii_classes, local })
    }

    /// The shared class of each unit of the haystack (the UTF-16 view); `None` when a char is
    /// outside the code-unit alphabet (no automaton matches it).
    pub(crate) fn classify(&self, haystack: &str) -> Option<Vec<u16>> {
        if haystack.is_ascii() {
            return haystack.bytes().map(|byte| self.ascii_classes.get(usize::from(byte)).copied()).collect();
        }
        haystack.chars().map(|c| class_of_unit(char_unit(c), &self.ascii_classes, &self.run_starts, &self.run_classes)).collect()
    }

    /// Whether automaton `index` of those the alphabet was made for accepts the classified path.
    pub(crate) fn accepts(&self, dfa: &Dfa, index: usize, classes: &[u16]) -> bool {
        let Some(local) = self.local.get(index) else { return false };
        dfa.accepts_all(classes.iter().map(|&class| local.get(usize::from(class)).map(|&class| usize::from(class))))
    }
}
