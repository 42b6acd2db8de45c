//! The timestamp header read exactly as svix 2.5 reads it: JavaScript's `parseInt(header, 10)`,
//! compared with the clock in IEEE doubles (`now - ts > tolerance`, `ts > now + tolerance`).
//!
//! So `" 1700000000"`, `"+1700000000"`, `"0001700000000"`, `"1700000000.9"` and `"1700000000abc"`
//! all read as 1700000000 — and the signed content uses that number, not the header text.

use super::error::{WebhookError, INVALID_TIMESTAMP, TIMESTAMP_TOO_NEW, TIMESTAMP_TOO_OLD};

/// JavaScript Dates end at ±8.64e15 ms; beyond it svix signs the text "NaN" instead of a number.
const MAX_DATE_SECONDS: f64 = 8.64e12;

/// `parseInt(text, 10)`: `None` where JavaScript gives `NaN`; ±infinity for huge digit runs.
pub fn js_parse_int(text: &str) -> Option<f64> {
    let trimmed = text.trim_start_matches(is_js_whitespace);
    let (negative, unsigned) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]), // the first byte is the ASCII '-'
        Some(b'+') => (false, &trimmed[1..]), // the first byte is the ASCII '+'
        _ => (false, trimmed),
    };
    let digit_count = unsigned.bytes().take_while(u8::is_ascii_digit).count();
    if digit_count == 0 {
        return None;
    }
    let digits = unsigned[..digit_count].trim_start_matches('0'); // ASCII digits: char boundary
    let magnitude = if digits.is_empty() {
        0.0
    } else {
        // Correctly rounded, like V8's parseInt for radix 10 (serde_json's float_roundtrip parser:
        // str::parse::<f64> would link ~10 KB of extra tables); long runs overflow to infinity.
        serde_json::from_str::<f64>(digits).unwrap_or(f64::INFINITY)
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// ECMAScript StrWhiteSpaceChar: WhiteSpace (incl. U+FEFF and every Zs) and LineTerminator.
/// Not Rust's `char::is_whitespace`, which adds U+0085 and lacks U+FEFF.
fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{9}' | '\u{A}' | '\u{B}' | '\u{C}' | '\u{D}' | ' ' | '\u{A0}' | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}' | '\u{FEFF}'
    )
}

/// The timestamp svix would accept at `now`, as the integer it signs, or why not.
pub fn check_timestamp(header: &str, now_seconds: i64, tolerance_seconds: i64) -> Result<i64, WebhookError> {
    let Some(timestamp) = js_parse_int(header) else {
        return Err(WebhookError::new(
            INVALID_TIMESTAMP,
            format!("the svix-timestamp header {:?} is not a number of seconds", clip(header)),
        ));
    };
    let now = now_seconds as f64;
    let tolerance = tolerance_seconds as f64;
    if now - timestamp > tolerance {
        return Err(WebhookError::new(
            TIMESTAMP_TOO_OLD,
            format!("the webhook was signed at {timestamp} s, more than {tolerance_seconds} s before now ({now_seconds} s)"),
        ));
    }
    if timestamp > now + tolerance {
        return Err(WebhookError::new(
            TIMESTAMP_TOO_NEW,
            format!("the webhook was signed at {timestamp} s, more than {tolerance_seconds} s after now ({now_seconds} s)"),
        ));
    }
    // Stricter than svix: only reachable with a clock set beyond year 275760. (Never NaN here:
    // parseInt gave a number and ±infinity failed one of the two comparisons above.)
    if timestamp.abs() > MAX_DATE_SECONDS {
        return Err(WebhookError::new(
            INVALID_TIMESTAMP,
            format!("the svix-timestamp {timestamp} is outside the range of JavaScript dates"),
        ));
    }
    // parseInt yields integers and |timestamp| <= 8.64e12 was checked above: the cast is exact.
    Ok(timestamp as i64)
}

fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::js_parse_int as p;

    #[test]
    fn parse_int_like_javascript() {
        assert_eq!(p("1700000000"), Some(1.7e9));
        assert_eq!(p("  \u{FEFF}\u{3000}+0012abc"), Some(12.0));
        assert_eq!(p("-0"), Some(-0.0));
        assert_eq!(p("1.9"), Some(1.0));
        assert_eq!(p("1e5"), Some(1.0));
        assert_eq!(p("0x10"), Some(0.0));
        assert_eq!(p(""), None);
        assert_eq!(p("-"), None);
        assert_eq!(p("+-1"), None);
        assert_eq!(p("\u{85}1"), None, "NEL is not JavaScript whitespace");
        assert_eq!(p(&"9".repeat(400)), Some(f64::INFINITY));
        assert_eq!(p(&format!("-{}", "9".repeat(400))), Some(f64::NEG_INFINITY));
        assert_eq!(p(&format!("{}5", "0".repeat(1000))), Some(5.0));
        assert_eq!(p("١٢"), None, "only ASCII digits");
    }

    #[test]
    fn digit_runs_round_like_str_parse() {
        let mut next = crate::test_rng::xorshift32(0x2545_f491_u32);
        for _ in 0..20_000 {
            let len = 1 + (next() % 40) as usize + if next().is_multiple_of(16) { 300 } else { 0 };
            let digits: String = (0..len).map(|_| char::from(b'0' + (next() % 10) as u8)).collect();
            let reference = digits.trim_start_matches('0').parse::<f64>().unwrap_or(0.0);
            assert_eq!(p(&digits).map(f64::to_bits), Some(reference.to_bits()), "{digits}");
        }
    }
}
