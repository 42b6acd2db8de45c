//! Sets of UTF-16 code units, the alphabet of a non-unicode ECMAScript RegExp.
//!
//! A JS RegExp without the `u` flag matches code unit by code unit, and `i` compares units
//! through `Canonicalize`; both are reproduced here on sets, so the regex-lite pattern built from
//! them needs neither case-insensitivity nor Unicode awareness of its own.

use super::casefold_table::{CASE_CLASSES, WHITESPACE};

pub(crate) const MAX_UNIT: u32 = 0xFFFF;

/// Sorted, disjoint, non-adjacent inclusive ranges of code units.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct UnitSet {
    ranges: Vec<(u32, u32)>,
}

impl UnitSet {
    pub(crate) fn empty() -> UnitSet {
        UnitSet { ranges: Vec::new() }
    }

    pub(crate) fn unit(unit: u32) -> UnitSet {
        UnitSet::range(unit, unit)
    }

    pub(crate) fn range(low: u32, high: u32) -> UnitSet {
        let mut set = UnitSet::empty();
        set.add_range(low, high);
        set
    }

    #[cfg(test)]
    pub(crate) fn all() -> UnitSet {
        UnitSet::range(0, MAX_UNIT)
    }

    pub(crate) fn ranges(&self) -> &[(u32, u32)] {
        &self.ranges
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }

    pub(crate) fn contains(&self, unit: u32) -> bool {
        let index = self.ranges.partition_point(|&(_, high)| high < unit);
        self.ranges.get(index).is_some_and(|&(low, _)| low <= unit)
    }

    /// Adds `low..=high` (clamped to the code-unit range; empty when `low > high`).
    pub(crate) fn add_range(&mut self, low: u32, high: u32) {
        let high = high.min(MAX_UNIT);
        if low > high {
            return;
        }
        self.ranges.push((low, high));
        self.normalize();
    }

    pub(crate) fn add_set(&mut self, other: &UnitSet) {
        self.ranges.extend_from_slice(&other.ranges);
        self.normalize();
    }

    pub(crate) fn complement(&self) -> UnitSet {
        let mut out = Vec::with_capacity(self.ranges.len() + 1);
        let mut next = 0u32;
        for &(low, high) in &self.ranges {
            if low > next {
                out.push((next, low - 1));
            }
            next = high + 1;
        }
        if next <= MAX_UNIT {
            out.push((next, MAX_UNIT));
        }
        UnitSet { ranges: out }
    }

    pub(crate) fn intersect(&self, other: &UnitSet) -> UnitSet {
        self.complement().union(&other.complement()).complement()
    }

    pub(crate) fn difference(&self, other: &UnitSet) -> UnitSet {
        self.intersect(&other.complement())
    }

    pub(crate) fn union(&self, other: &UnitSet) -> UnitSet {
        let mut out = self.clone();
        out.add_set(other);
        out
    }

    /// `{ ch | Canonicalize(ch) == Canonicalize(m) for some m in self }`: what a character class
    /// (or a literal) matches under the `i` flag without `u`.
    pub(crate) fn case_closure(&self) -> UnitSet {
        // Walks only the table members on the smaller side (binary search per range): inside the
        // set, add their class-mates; outside a wide set (`\S`, `[^x]`), add each member whose
        // class meets the set. Both give S ∪ {m | class(m) ∩ S ≠ ∅}. Scanning every class per
        // literal or per wide escape made patterns compile in milliseconds (found by fuzzing).
        let complement = self.complement();
        if let Some(closure) = self.ascii_case_closure(&complement) {
            return closure;
        }
        let index = case_index();
        let outside = index.count_within(&complement);
        if outside == 0 {
            // No unit outside the set has a case at all (`\S`, `[^\n]`): none can join.
            return self.clone();
        }
        let mut out = self.clone();
        if outside < index.count_within(self) {
            for (member, members) in index.members_within(&complement) {
                if members.iter().any(|&m| self.contains(u32::from(m))) {
                    out.ranges.push((u32::from(member), u32::from(member)));
                }
            }
        } else {
            for (_, members) in index.members_within(self) {
                let missing = members.iter().map(|&m| u32::from(m)).filter(|&m| !self.contains(m));
                out.ranges.extend(missing.map(|m| (m, m)));
            }
        }
        out.normalize();
        out
    }

    /// `case_closure` without the table when the set or its complement lies within ASCII (every
    /// set path-to-regexp writes): an ASCII letter's class is exactly its two cases, since
    /// `Canonicalize` never maps a non-ASCII unit to an ASCII one.
    fn ascii_case_closure(&self, complement: &UnitSet) -> Option<UnitSet> {
        let within_ascii = |set: &UnitSet| set.ranges.last().is_none_or(|&(_, high)| high < 0x80);
        let swapped = |unit: u32| match u8::try_from(unit) {
            Ok(byte) if byte.is_ascii_uppercase() => Some(u32::from(byte.to_ascii_lowercase())),
            Ok(byte) if byte.is_ascii_lowercase() => Some(u32::from(byte.to_ascii_uppercase())),
            _ => None,
        };
        if !within_ascii(self) && !within_ascii(complement) {
            return None;
        }
        let mut out = self.clone();
        if within_ascii(self) {
            // Inside the set: add the other case of every letter.
            for &(low, high) in &self.ranges {
                out.ranges.extend((low..=high).filter_map(swapped).map(|other| (other, other)));
            }
        } else {
            // Outside a wide set: add each letter whose other case is in the set.
            for &(low, high) in &complement.ranges {
                let joins = (low..=high).filter(|&unit| swapped(unit).is_some_and(|other| self.contains(other)));
                out.ranges.extend(joins.map(|unit| (unit, unit)));
            }
        }
        out.normalize();
        Some(out)
    }

    /// `case_closure` of one unit (a literal under `i`): the unit and the members of its class.
    pub(crate) fn unit_case_closure(unit: u32) -> UnitSet {
        let mut set = UnitSet::unit(unit);
        let index = case_index();
        let start = index.members.partition_point(|&(member, _)| u32::from(member) < unit);
        let class = match index.members.get(start) {
            Some(&(member, class)) if u32::from(member) == unit => class,
            _ => return set,
        };
        let members = index.classes.get(usize::from(class)).map_or(&[][..], Vec::as_slice);
        set.ranges.extend(members.iter().map(|&m| (u32::from(m), u32::from(m))));
        set.normalize();
        set
    }

    fn normalize(&mut self) {
        self.ranges.sort_unstable();
        // Merge in place: `kept` ranges are final, the one at `kept - 1` still grows.
        let mut kept = 0;
        for i in 0..self.ranges.len() {
            let (low, high) = self.ranges[i];
            if kept > 0 && low <= self.ranges[kept - 1].1.saturating_add(1) {
                let last = &mut self.ranges[kept - 1].1;
                *last = (*last).max(high);
            } else {
                self.ranges[kept] = (low, high);
                kept += 1;
            }
        }
        self.ranges.truncate(kept);
    }
}

/// Every table member with the number of its class, sorted by member, built once.
struct CaseIndex {
    members: Vec<(u16, u16)>,
    classes: Vec<Vec<u16>>,
}

impl CaseIndex {
    /// How many table members lie inside `set` (two binary searches per range).
    fn count_within(&self, set: &UnitSet) -> usize {
        let position = |unit: u32| self.members.partition_point(|&(member, _)| u32::from(member) < unit);
        set.ranges.iter().map(|&(low, high)| position(high.saturating_add(1)) - position(low)).sum()
    }

    /// Each table member inside `set`, with the members of its class.
    fn members_within<'a>(&'a self, set: &'a UnitSet) -> impl Iterator<Item = (u16, &'a [u16])> + 'a {
        set.ranges.iter().flat_map(move |&(low, high)| {
            let start = self.members.partition_point(|&(member, _)| u32::from(member) < low);
            self.members[start..].iter().take_while(move |&&(member, _)| u32::from(member) <= high).map(move |&(member, class)| {
                (member, self.classes.get(usize::from(class)).map_or(&[][..], Vec::as_slice))
            })
        })
    }
}

fn case_index() -> &'static CaseIndex {
    static INDEX: std::sync::OnceLock<CaseIndex> = std::sync::OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index = CaseIndex { members: Vec::new(), classes: Vec::new() };
        for_each_case_class(|members| {
            // The table has ~1,400 classes, far below u16::MAX; a class past it would be dropped,
            // never mislabelled.
            if let Ok(class) = u16::try_from(index.classes.len()) {
                index.members.extend(members.iter().map(|&m| (m, class)));
                index.classes.push(members.to_vec());
            }
        });
        index.members.sort_unstable();
        index
    })
}

fn for_each_case_class(mut visit: impl FnMut(&[u16])) {
    let mut rest: &[u16] = &CASE_CLASSES;
    while let Some((&len, tail)) = rest.split_first() {
        let len = usize::from(len).min(tail.len());
        let (members, next) = tail.split_at(len);
        visit(members);
        rest = next;
    }
}

/// `\d`
pub(crate) fn digits() -> UnitSet {
    UnitSet::range(u32::from(b'0'), u32::from(b'9'))
}

/// `\w` (ASCII only without `u`, also under `i`)
pub(crate) fn word() -> UnitSet {
    let mut set = digits();
    set.add_range(u32::from(b'A'), u32::from(b'Z'));
    set.add_range(u32::from(b'a'), u32::from(b'z'));
    set.add_range(u32::from(b'_'), u32::from(b'_'));
    set
}

/// `\s`
pub(crate) fn whitespace() -> UnitSet {
    let mut set = UnitSet::empty();
    set.ranges.extend(
        WHITESPACE
            .iter()
            .map(|&(a, b)| (u32::from(a), u32::from(b))),
    );
    set.normalize();
    set
}

/// What `.` matches without the `s` flag: everything but the four line terminators.
pub(crate) fn dot() -> UnitSet {
    let mut terminators = UnitSet::unit(0x0A);
    terminators.add_range(0x0D, 0x0D);
    terminators.add_range(0x2028, 0x2029);
    terminators.complement()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closure_follows_ecmascript_canonicalize() {
        let k = UnitSet::unit(u32::from(b'k')).case_closure();
        assert_eq!(
            k.ranges(),
            &[(0x4B, 0x4B), (0x6B, 0x6B)],
            "Kelvin sign stays apart without u"
        );
        let sigma = UnitSet::unit(0x3C3).case_closure();
        assert!(sigma.contains(0x3A3) && sigma.contains(0x3C2));
        let long_s = UnitSet::unit(0x17F).case_closure();
        assert!(
            !long_s.contains(u32::from(b's')),
            "non-ASCII never folds onto ASCII"
        );
    }

    /// The definition, class by class: what the indexed closure must equal.
    fn closure_by_scanning(set: &UnitSet) -> UnitSet {
        let mut out = set.clone();
        for_each_case_class(|members| {
            if members.iter().any(|&m| set.contains(u32::from(m))) {
                out.ranges.extend(members.iter().map(|&m| (u32::from(m), u32::from(m))));
            }
        });
        out.normalize();
        out
    }

    #[test]
    fn indexed_closure_equals_the_scan() {
        for unit in 0..=MAX_UNIT {
            let set = UnitSet::unit(unit);
            assert_eq!(set.case_closure(), closure_by_scanning(&set), "unit {unit:#x}");
            assert_eq!(UnitSet::unit_case_closure(unit), closure_by_scanning(&set), "unit {unit:#x}, one-unit path");
        }
        let mut next = crate::test_rng::xorshift32(0x9e37_79b9_u32);
        for _ in 0..2_000 {
            let mut set = UnitSet::empty();
            for _ in 0..(next() % 4 + 1) {
                let low = next() % (MAX_UNIT + 1);
                let width = if next().is_multiple_of(2) { next() % 64 } else { next() % 0x3000 };
                set.add_range(low, low.saturating_add(width));
            }
            assert_eq!(set.case_closure(), closure_by_scanning(&set), "{:?}", set.ranges());
            let wide = set.complement();
            assert_eq!(wide.case_closure(), closure_by_scanning(&wide), "{:?}", wide.ranges());
        }
        // Sets inside ASCII and their complements (the table-free path), against the scan.
        for _ in 0..500 {
            let mut set = UnitSet::empty();
            for _ in 0..(next() % 4 + 1) {
                let low = next() % 0x80;
                set.add_range(low, (low + next() % 8).min(0x7F));
            }
            assert_eq!(set.case_closure(), closure_by_scanning(&set), "{:?}", set.ranges());
            let wide = set.complement();
            assert_eq!(wide.case_closure(), closure_by_scanning(&wide), "{:?}", wide.ranges());
        }
        for escape in [digits(), digits().complement(), word(), word().complement(), dot(), UnitSet::empty(), UnitSet::range(0, MAX_UNIT), UnitSet::unit(0x212A).complement(), UnitSet::unit(u32::from(b'k')).complement()] {
            assert_eq!(escape.case_closure(), closure_by_scanning(&escape), "{:?}", escape.ranges());
        }
    }

    #[test]
    fn complement_and_intersection() {
        let set = UnitSet::range(10, 20);
        assert_eq!(set.complement().complement(), set);
        assert_eq!(set.intersect(&UnitSet::range(15, 30)).ranges(), &[(15, 20)]);
        assert_eq!(
            set.difference(&UnitSet::unit(15)).ranges(),
            &[(10, 14), (16, 20)]
        );
        assert!(UnitSet::all().complement().is_empty());
    }
}
