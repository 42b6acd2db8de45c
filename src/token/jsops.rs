//! The few JavaScript string semantics Clerk's claim parsing relies on, reproduced exactly.

/// `String.prototype.trim`: ECMAScript WhiteSpace and LineTerminator, which differ from Rust's
/// `char::is_whitespace` (JS trims U+FEFF but not U+0085 nor U+001C..U+001F).
pub fn js_trim(s: &str) -> &str {
    s.trim_matches(is_js_whitespace)
}

fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{0009}' | '\u{000B}' | '\u{000C}' | '\u{0020}' | '\u{00A0}' | '\u{FEFF}' // WhiteSpace
        | '\u{000A}' | '\u{000D}' | '\u{2028}' | '\u{2029}' // LineTerminator
        | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' // other Zs
    )
}

/// `/^\d+$/.test(s)` (no `u` flag: ASCII digits only).
pub fn is_ascii_decimal(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_like_javascript() {
        assert_eq!(js_trim("\u{FEFF} a b\u{3000}\n"), "a b");
        assert_eq!(js_trim("\u{0085}a\u{001C}"), "\u{0085}a\u{001C}");
        assert_eq!(js_trim(""), "");
    }

    #[test]
    fn decimal_digits_are_ascii_only() {
        assert!(is_ascii_decimal("0012"));
        assert!(!is_ascii_decimal(""));
        assert!(!is_ascii_decimal("１"));
        assert!(!is_ascii_decimal("1 "));
    }
}
