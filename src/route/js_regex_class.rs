//! Escapes and character classes of the V8 non-unicode RegExp grammar (see `js_regex`).

use super::charset::{self, UnitSet};
use super::js_regex::{hex_value, is, is_octal, Node, Parser, RegexError};

pub(super) enum ClassAtom {
    Unit(u32),
    Set(UnitSet),
}

impl Parser<'_> {
    /// V8's ParseBackReferenceIndex digits (after the backslash); `None` past kMaxCaptures.
    pub(super) fn decimal_for_backreference(&mut self) -> Option<u32> {
        let mut value: u32 = 0;
        while let Some(u) = self.cur().filter(|&u| (0x30..=0x39).contains(&u)) {
            value = value * 10 + u32::from(u - 0x30);
            if value > (1 << 16) {
                return None;
            }
            self.pos += 1;
        }
        Some(value)
    }

    /// Legacy octal escape at the current digit: up to three digits, value ≤ 0o377.
    pub(super) fn octal(&mut self) -> u32 {
        let Some(first) = self.cur() else { return 0 };
        let mut value = u32::from(first).saturating_sub(0x30);
        self.pos += 1;
        if value < 8 && is_octal(self.cur()) {
            value = value * 8 + u32::from(self.cur().unwrap_or(0x30) - 0x30);
            self.pos += 1;
            if value < 32 && is_octal(self.cur()) {
                value = value * 8 + u32::from(self.cur().unwrap_or(0x30) - 0x30);
                self.pos += 1;
            }
        }
        value
    }

    /// V8's ParseCharacterEscape at a backslash whose next unit exists and is not a class escape.
    pub(super) fn character_escape(&mut self, in_class: bool) -> Result<u32, RegexError> {
        let Some(next) = self.peek(1) else {
            return Err(RegexError::Syntax("\\ at end of pattern"));
        };
        let next8 = if next < 0x80 { next as u8 } else { 0 };
        let control = |unit: u8| -> Option<u32> {
            match unit {
                b'f' => Some(0x0C),
                b'n' => Some(0x0A),
                b'r' => Some(0x0D),
                b't' => Some(0x09),
                b'v' => Some(0x0B),
                _ => None,
            }
        };
        if let Some(value) = control(next8) {
            self.pos += 2;
            return Ok(value);
        }
        match next8 {
            b'c' => {
                let letter = self.peek(2);
                let is_letter = matches!(letter, Some(u) if (u | 0x20) >= u16::from(b'a') && (u | 0x20) <= u16::from(b'z') && u < 0x80);
                let is_class_extra = in_class
                    && matches!(letter, Some(u) if (0x30..=0x39).contains(&u) || u == u16::from(b'_'));
                if let (true, Some(u)) = (is_letter || is_class_extra, letter) {
                    self.pos += 3;
                    return Ok(u32::from(u) & 0x1F);
                }
                self.pos += 1; // the backslash is literal; `c` is parsed next
                Ok(u32::from(b'\\'))
            }
            b'0'..=b'7' => {
                self.pos += 1;
                Ok(self.octal())
            }
            b'x' => {
                self.pos += 2;
                match (hex_value(self.cur()), hex_value(self.peek(1))) {
                    (Some(a), Some(b)) => {
                        self.pos += 2;
                        Ok(a * 16 + b)
                    }
                    _ => Ok(u32::from(b'x')),
                }
            }
            b'u' => {
                self.pos += 2;
                let digits: Option<Vec<u32>> = (0..4).map(|i| hex_value(self.peek(i))).collect();
                match digits {
                    Some(d) => {
                        self.pos += 4;
                        Ok(d.iter().fold(0, |acc, &h| acc * 16 + h))
                    }
                    None => Ok(u32::from(b'u')),
                }
            }
            b'k' if in_class && self.has_named_captures => {
                Err(RegexError::Syntax("Invalid escape"))
            }
            _ => {
                self.pos += 2;
                Ok(u32::from(next))
            }
        }
    }

    pub(super) fn class(&mut self) -> Result<Node, RegexError> {
        self.pos += 1; // [
        let negate = is(self.cur(), b'^');
        if negate {
            self.pos += 1;
        }
        let mut set = UnitSet::empty();
        loop {
            match self.cur() {
                None => return Err(RegexError::Syntax("Unterminated character class")),
                Some(u) if u == u16::from(b']') => {
                    self.pos += 1;
                    break;
                }
                Some(_) => {}
            }
            let first = self.class_atom()?;
            if !is(self.cur(), b'-') {
                add_class_atom(&mut set, &first);
                continue;
            }
            self.pos += 1; // -
            match self.cur() {
                None => return Err(RegexError::Syntax("Unterminated character class")),
                Some(u) if u == u16::from(b']') => {
                    add_class_atom(&mut set, &first);
                    set.add_range(u32::from(b'-'), u32::from(b'-'));
                    continue;
                }
                Some(_) => {}
            }
            let second = self.class_atom()?;
            match (&first, &second) {
                (ClassAtom::Unit(low), ClassAtom::Unit(high)) => {
                    if low > high {
                        return Err(RegexError::Syntax("Range out of order in character class"));
                    }
                    set.add_range(*low, *high);
                }
                _ => {
                    add_class_atom(&mut set, &first);
                    set.add_range(u32::from(b'-'), u32::from(b'-'));
                    add_class_atom(&mut set, &second);
                }
            }
        }
        let closed = set.case_closure();
        Ok(Node::Set(if negate { closed.complement() } else { closed }))
    }

    fn class_atom(&mut self) -> Result<ClassAtom, RegexError> {
        let Some(c) = self.cur() else {
            return Err(RegexError::Syntax("Unterminated character class"));
        };
        if c != u16::from(b'\\') {
            self.pos += 1;
            return Ok(ClassAtom::Unit(u32::from(c)));
        }
        let Some(next) = self.peek(1) else {
            return Err(RegexError::Syntax("\\ at end of pattern"));
        };
        let next8 = if next < 0x80 { next as u8 } else { 0 };
        match next8 {
            b'b' => {
                self.pos += 2;
                Ok(ClassAtom::Unit(0x08))
            }
            b'd' | b'D' | b's' | b'S' | b'w' | b'W' => {
                self.pos += 2;
                Ok(ClassAtom::Set(class_escape(next8)))
            }
            _ => Ok(ClassAtom::Unit(self.character_escape(true)?)),
        }
    }
}

fn add_class_atom(set: &mut UnitSet, atom: &ClassAtom) {
    match atom {
        ClassAtom::Unit(unit) => set.add_range(*unit, *unit),
        ClassAtom::Set(other) => set.add_set(other),
    }
}

pub(super) fn class_escape(letter: u8) -> UnitSet {
    match letter {
        b'd' => charset::digits(),
        b'D' => charset::digits().complement(),
        b's' => charset::whitespace(),
        b'S' => charset::whitespace().complement(),
        b'w' => charset::word(),
        _ => charset::word().complement(),
    }
}
