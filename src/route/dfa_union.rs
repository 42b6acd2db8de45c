//! The automata of several patterns folded into one, so that a matcher reads a path once
//! whatever the number of its patterns.
//!
//! `RouteMatcher` answers whether any pattern matches. Pattern by pattern, that costs one table
//! lookup per path unit per pattern (fuzzing found 206 patterns × a 516-unit path at ~1 ms
//! natively, past the 10 ms budget under coverage). The product of two automata, accepting where
//! either does, answers for both in one lookup per unit. Route patterns share most of their
//! shape (duplicates, common prefixes, the same tails), so the reachable pairs stay about as
//! many as the larger automaton's states; where they do not, the product passes its limits and
//! the patterns stay apart.

use super::dfa::{Dfa, FingerprintMap, DEAD, MAX_TABLE, START};

/// The automata folded pairwise, level by level (a balanced tree: each level's products cost
/// about the sum of the automata, where folding one by one into a growing union would cost that
/// union again for every pattern). A pair whose product passes the table limit stays apart.
/// Folding does a bounded amount of work in all (`Budget`), proportional to the automata's own
/// tables (already paid for) and capped; when it runs out the rest stay as they are.
pub(crate) fn fold(automata: Vec<Dfa>) -> Vec<Dfa> {
    let tables: usize = automata.iter().map(Dfa::table_len).sum();
    fold_within(automata, Budget(WORK_PER_ENTRY.saturating_mul(tables).saturating_add(MIN_WORK).min(MAX_WORK)))
}

fn fold_within(automata: Vec<Dfa>, mut work: Budget) -> Vec<Dfa> {
    let automata = without_copies(automata);
    let mut level: Vec<Folded> = automata.into_iter().map(Folded::of).collect();
    loop {
        let before = level.len();
        let mut next = Vec::with_capacity(before / 2 + 1);
        let mut automata = level.into_iter();
        while let Some(first) = automata.next() {
            let Some(second) = automata.next() else {
                next.push(first);
                break;
            };
            match product(&first, &second, &mut work) {
                Some(both) => next.push(both),
                None => next.extend([first, second]),
            }
        }
        level = next;
        if level.len() == before || work.0 == 0 {
            return level.into_iter().map(|folded| folded.dfa).collect();
        }
    }
}

/// The automata with copies dropped (one pattern written twice, or two that differ only in
/// parameter names): found by fingerprint, compared whole.
fn without_copies(automata: Vec<Dfa>) -> Vec<Dfa> {
    let mut kept: Vec<Dfa> = Vec::with_capacity(automata.len());
    let mut by_fingerprint = FingerprintMap::default();
    for dfa in automata {
        let fingerprint = dfa.fingerprint();
        match by_fingerprint.get(&fingerprint) {
            Some(&index) if kept.get(index as usize) == Some(&dfa) => continue,
            Some(_) => {}
            None => {
                if let Ok(index) = u32::try_from(kept.len()) {
                    by_fingerprint.insert(fingerprint, index);
                }
            }
        }
        kept.push(dfa);
    }
    kept
}

/// Fold work allowed: a little for any list, more per transition-table entry of the automata
/// folded, and no more in all than ~0.5 ms natively (~5 ms under fuzzing instrumentation).
const MIN_WORK: usize = 1 << 14;
const WORK_PER_ENTRY: usize = 2;
const MAX_WORK: usize = 1 << 17;

/// Work left for folding: a product state costs its row (filled and scanned) and each transition
/// it finds.
struct Budget(usize);

impl Budget {
    /// Takes `amount`; `None` (and nothing left) when there is not that much.
    fn spend(&mut self, amount: usize) -> Option<()> {
        match self.0.checked_sub(amount) {
            Some(left) => {
                self.0 = left;
                Some(())
            }
            None => {
                self.0 = 0;
                None
            }
        }
    }
}

/// An automaton being folded, with each state's transitions to a live state listed, so that a
/// product state's transitions are found from the few live ones of its two states rather than by
/// trying every product class (most are dead in both).
struct Folded {
    dfa: Dfa,
    /// Where each state's transitions begin in `live` (and, last, the end).
    live_starts: Vec<usize>,
    /// (class, target) of every transition to a state other than the dead one, state by state.
    live: Vec<(usize, u32)>,
}

impl Folded {
    fn of(dfa: Dfa) -> Folded {
        let mut live_starts = Vec::with_capacity(dfa.states() + 1);
        let mut live = Vec::new();
        for state in (0u32..).take(dfa.states()) {
            live_starts.push(live.len());
            live.extend(dfa.row(state).iter().enumerate().filter(|&(_, &next)| next != DEAD).map(|(class, &next)| (class, next)));
        }
        live_starts.push(live.len());
        Folded { dfa, live_starts, live }
    }

    fn live_of(&self, state: u32) -> &[(usize, u32)] {
        let state = state as usize;
        match (self.live_starts.get(state), self.live_starts.get(state + 1)) {
            (Some(&start), Some(&end)) => self.live.get(start..end).unwrap_or_default(),
            _ => &[],
        }
    }
}

/// The automaton accepting what `a` or `b` accepts; `None` past the table limit or the budget.
fn product(a: &Folded, b: &Folded, work: &mut Budget) -> Option<Folded> {
    // Setting up: the runs walked, the class index, the ASCII table of the result.
    work.spend(a.dfa.runs_len() + b.dfa.runs_len() + a.dfa.classes() + b.dfa.classes() + 128)?;
    let (run_starts, run_classes, class_pairs) = product_classes(&a.dfa, &b.dfa)?;
    let classes = class_pairs.len();
    let joint_a = ClassesByPart::new(&class_pairs, a.dfa.classes(), |&(class_a, _)| class_a);
    let joint_b = ClassesByPart::new(&class_pairs, b.dfa.classes(), |&(_, class_b)| class_b);

    // States are pairs of states, found breadth first from the two starts; the pair of dead
    // states is the dead state (never looked up: only live transitions are followed).
    let mut pairs: Vec<(u32, u32)> = vec![(DEAD, DEAD), (START, START)];
    let mut ids = PairIds::new(a.dfa.states(), b.dfa.states());
    ids.insert(START, START, START);
    let mut transitions = vec![DEAD; 2 * classes];
    let mut live_starts = vec![0, 0];
    let mut live: Vec<(usize, u32)> = Vec::new();
    let mut found: Vec<(usize, u32, u32)> = Vec::new();
    let mut current = START as usize;
    while let Some(&(state_a, state_b)) = pairs.get(current) {
        found.clear();
        let row_b = b.dfa.row(state_b);
        for &(class_a, next_a) in a.live_of(state_a) {
            for &class in joint_a.of(class_a) {
                let next_b = class_pairs.get(class).and_then(|&(_, class_b)| row_b.get(class_b)).copied().unwrap_or(DEAD);
                found.push((class, next_a, next_b));
            }
        }
        // Through `b` only where `a` is dead (the others were just found through `a`).
        let row_a = a.dfa.row(state_a);
        for &(class_b, next_b) in b.live_of(state_b) {
            for &class in joint_b.of(class_b) {
                if class_pairs.get(class).and_then(|&(class_a, _)| row_a.get(class_a)) == Some(&DEAD) {
                    found.push((class, DEAD, next_b));
                }
            }
        }
        work.spend(classes + found.len())?;
        for &(class, next_a, next_b) in &found {
            let target = match ids.get(next_a, next_b) {
                Some(id) => id,
                None => {
                    if (pairs.len() + 1) * classes > MAX_TABLE {
                        return None;
                    }
                    let id = u32::try_from(pairs.len()).ok()?;
                    pairs.push((next_a, next_b));
                    transitions.resize(pairs.len() * classes, DEAD);
                    ids.insert(next_a, next_b, id);
                    id
                }
            };
            *transitions.get_mut(current * classes + class)? = target;
            live.push((class, target));
        }
        live_starts.push(live.len());
        current += 1;
    }
    let accepting = pairs.iter().map(|&(state_a, state_b)| a.dfa.accepts(state_a) || b.dfa.accepts(state_b)).collect();
    let dfa = Dfa::from_parts(run_starts, run_classes, classes, transitions, accepting);
    Some(Folded { dfa, live_starts, live })
}

/// The product's runs of units and classes: the run starts, each run's class, each class's pair
/// of classes of the two automata.
type ProductClasses = (Vec<u32>, Vec<u16>, Vec<(usize, usize)>);

/// The product's runs (where either's runs begin, in one walk over both) and classes (the pairs
/// of the two's classes that occur).
fn product_classes(a: &Dfa, b: &Dfa) -> Option<ProductClasses> {
    let (runs_a, runs_b) = (a.runs(), b.runs());
    let mut run_starts = Vec::with_capacity(runs_a.len() + runs_b.len());
    let mut run_classes = Vec::with_capacity(runs_a.len() + runs_b.len());
    let mut class_pairs: Vec<(usize, usize)> = Vec::new();
    let mut class_ids = PairIds::new(a.classes(), b.classes());
    // Both begin with a run at unit 0.
    let (mut in_a, mut in_b, mut unit) = (0, 0, 0);
    loop {
        let pair = (runs_a.get(in_a)?.1, runs_b.get(in_b)?.1);
        let key = (u32::try_from(pair.0).ok()?, u32::try_from(pair.1).ok()?);
        // Ids from 1 in the index (0 is "not yet"), from 0 as classes.
        let class = match class_ids.get(key.0, key.1) {
            Some(id) => id - 1,
            None => {
                let class = u32::try_from(class_pairs.len()).ok()?;
                class_pairs.push(pair);
                class_ids.insert(key.0, key.1, class + 1);
                class
            }
        };
        run_starts.push(unit);
        run_classes.push(u16::try_from(class).ok()?);
        let next_a = runs_a.get(in_a + 1).map(|&(start, _)| start);
        let next_b = runs_b.get(in_b + 1).map(|&(start, _)| start);
        unit = match (next_a, next_b) {
            (None, None) => break,
            (Some(next), None) | (None, Some(next)) => next,
            (Some(next_a), Some(next_b)) => next_a.min(next_b),
        };
        in_a += usize::from(next_a == Some(unit));
        in_b += usize::from(next_b == Some(unit));
    }
    Some((run_starts, run_classes, class_pairs))
}

/// For each class of one automaton (`part` of a product class), the product classes made with
/// it, all in one list.
struct ClassesByPart {
    starts: Vec<usize>,
    classes: Vec<usize>,
}

impl ClassesByPart {
    fn new(class_pairs: &[(usize, usize)], part_classes: usize, part: impl Fn(&(usize, usize)) -> usize) -> ClassesByPart {
        let mut starts = vec![0; part_classes + 1];
        for pair in class_pairs {
            if let Some(count) = starts.get_mut(part(pair) + 1) {
                *count += 1;
            }
        }
        for index in 1..starts.len() {
            let before = starts.get(index - 1).copied().unwrap_or(0);
            if let Some(start) = starts.get_mut(index) {
                *start += before;
            }
        }
        let mut next = starts.clone();
        let mut classes = vec![0; class_pairs.len()];
        for (class, pair) in class_pairs.iter().enumerate() {
            if let Some(slot) = next.get_mut(part(pair)) {
                if let Some(entry) = classes.get_mut(*slot) {
                    *entry = class;
                }
                *slot += 1;
            }
        }
        ClassesByPart { starts, classes }
    }

    fn of(&self, part_class: usize) -> &[usize] {
        match (self.starts.get(part_class), self.starts.get(part_class + 1)) {
            (Some(&start), Some(&end)) => self.classes.get(start..end).unwrap_or_default(),
            _ => &[],
        }
    }
}

/// An id for each pair of ids found so far (product states by their two states, product classes
/// by their two classes): a table over all pairs while that is small (one load), a hash map
/// otherwise. Ids are not 0.
enum PairIds {
    /// `ids[a × count_b + b]`, 0 for a pair not found yet.
    Table { ids: Vec<u32>, count_b: usize },
    Map(FingerprintMap),
}

impl PairIds {
    const MAX_TABLE_PAIRS: usize = 1 << 18;

    fn new(count_a: usize, count_b: usize) -> PairIds {
        match count_a.checked_mul(count_b) {
            Some(pairs) if pairs <= Self::MAX_TABLE_PAIRS => PairIds::Table { ids: vec![0; pairs], count_b },
            _ => PairIds::Map(FingerprintMap::default()),
        }
    }

    fn get(&self, a: u32, b: u32) -> Option<u32> {
        match self {
            PairIds::Table { ids, count_b } => ids.get(a as usize * count_b + b as usize).copied().filter(|&id| id != 0),
            PairIds::Map(map) => map.get(&pair_key(a, b)).copied(),
        }
    }

    fn insert(&mut self, a: u32, b: u32, id: u32) {
        match self {
            PairIds::Table { ids, count_b } => {
                if let Some(slot) = ids.get_mut(a as usize * *count_b + b as usize) {
                    *slot = id;
                }
            }
            PairIds::Map(map) => {
                map.insert(pair_key(a, b), id);
            }
        }
    }
}

/// A map key for a pair of ids: the map hashes keys by passing them through, so the pair is
/// spread by an odd multiplier (a bijection of u64, so keys stay distinct).
fn pair_key(a: u32, b: u32) -> u64 {
    ((u64::from(a) << 32) | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route::alphabet::Alphabet;
    use crate::route::emit::utf16_haystack;
    use crate::route::pattern::automaton_of;

    const PIECES: &[&str] = &[
        "/a", "/B", "-", "é", "ſ", "K", "/", ":id", ":x?", ":x*", ":x+", ":n(\\d+)", ":c([a-z]{2,3})", "{/:y}?", "(.*)", "(\\w+)", "(a|bc)",
        "([^/]+)", "(\\S{3})", "((?:ab)+)", "(\\d{2,})", "(a$)", "(x|$)", "(.*$)", "(\\b)", "(a\\b)", "(\\Ba)", "/api", "{-:z}*",
    ];
    const PATH_PIECES: &[&str] = &["/", "a", "B", "-", "é", "É", "ſ", "s", "K", "\u{212a}", "1", "22", "/x/", "#", "😀", "\n", "ab", "/api", "bc", "x"];

    /// Whatever the budget (none, some, plenty), the folded automata answer as the patterns'
    /// automata one by one: a path is accepted by one of them exactly when it is by one pattern.
    /// Each also answers the same through the shared alphabet of the automata left (`alphabet`).
    #[test]
    fn folded_automata_answer_as_the_patterns_one_by_one() {
        let mut next = crate::test_rng::xorshift32(0x1bad_b002);
        let mut folded_to_one = 0;
        for round in 0..240 {
            let count = next() as usize % 12 + 2;
            let patterns: Vec<String> = (0..count)
                .map(|_| (0..(next() % 4 + 1)).map(|_| PIECES[next() as usize % PIECES.len()]).collect::<String>())
                .map(|pattern| if pattern.starts_with('/') { pattern } else { format!("/{pattern}") })
                .collect();
            let automata: Vec<Dfa> = patterns.iter().filter_map(|pattern| automaton_of(pattern)).collect();
            let budget = [0, 300, 5_000, usize::MAX][round % 4];
            let folded = fold_within(automata.clone(), Budget(budget));
            assert!(folded.len() <= automata.len());
            let alphabet = Alphabet::new(&folded);
            assert_eq!(alphabet.is_some(), folded.len() > 1, "an alphabet for several automata (small ones here)");
            folded_to_one += usize::from(budget == usize::MAX && folded.len() == 1);
            for _ in 0..80 {
                let path: String = (0..(next() % 8)).map(|_| PATH_PIECES[next() as usize % PATH_PIECES.len()]).collect();
                let haystack = utf16_haystack(&path);
                let one_by_one = automata.iter().any(|dfa| dfa.is_match(&haystack));
                let together = folded.iter().any(|dfa| dfa.is_match(&haystack));
                assert_eq!(together, one_by_one, "{patterns:?} on {path:?} (budget {budget}, {} automata folded to {})", automata.len(), folded.len());
                if let Some(alphabet) = &alphabet {
                    let classes = alphabet.classify(&haystack);
                    for (index, dfa) in folded.iter().enumerate() {
                        let shared = classes.as_ref().is_some_and(|classes| alphabet.accepts(dfa, index, classes));
                        assert_eq!(shared, dfa.is_match(&haystack), "automaton {index} of {patterns:?} on {path:?} through the shared alphabet");
                    }
                }
            }
        }
        assert!(folded_to_one > 40, "an unbounded fold of a dozen route patterns is one automaton ({folded_to_one} of 60)");
    }

    /// The same pattern many times (as the fuzzer's 206-pattern list), or with other parameter
    /// names, folds to the pattern's own automaton: copies are dropped before folding.
    #[test]
    fn copies_fold_to_one_automaton_of_the_same_size() {
        let dfa = automaton_of(":g(.*/blog/:x~*)").expect("an automaton");
        let renamed = automaton_of(":h(.*/blog/:x~*)").expect("an automaton");
        let mut copies = vec![dfa.clone(); 200];
        copies.push(renamed);
        let folded = fold(copies);
        assert_eq!(folded.len(), 1);
        assert_eq!(folded[0].states(), dfa.states());
        for path in ["/", "/x/blog/y~~", "/x/blog/", "x/blog/y", "/a/b/blog/c~"] {
            assert_eq!(folded[0].is_match(&utf16_haystack(path)), dfa.is_match(&utf16_haystack(path)), "{path}");
        }
    }
}
