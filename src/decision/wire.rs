//! The decision's input as one UTF-8 buffer, as the JS shim (js/guard-wire.js) writes it: a
//! sequence of items, each `<n>:<text>` where `n` is the text's length in UTF-16 code units
//! (JavaScript's `length`, so the shim never measures bytes), in this order:
//!
//! `method, url, headerCount, (name, value) × headerCount, nowMs, flags, [claims], [body], omittedHeaderBytes`
//!
//! - headers: only those the decision reads ([`DECISION_HEADERS`](super::request::DECISION_HEADERS),
//!   any case, in request order); `omittedHeaderBytes` is the UTF-8 size of the others, for the limit;
//! - `nowMs`: JavaScript's `String(number)`; anything but a finite number ≥ 0 means 0, as before;
//! - `flags`: bit 0 the session comes from Clerk, bit 1 a claims item follows (Clerk's verified
//!   claims, JSON; without it Clerk found no session), bit 2 a body item follows.
//!
//! The shim encodes with `TextEncoder`, so a lone surrogate arrives as U+FFFD (one code unit, as it
//! was). A buffer that does not parse exactly is unreadable: 400 `bad-request`, never a decision
//! on partial data. Parsing is linear and allocation-light: no JSON walk over the token.

use serde_json::{Map, Value};

use super::outcome::Decision;
use super::request::RequestRecord;
use super::DecideContext;

/// A decoded wire record, its strings borrowed from the buffer.
pub struct WireInput<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub headers: Vec<(&'a str, &'a str)>,
    pub context: DecideContext,
    pub omitted_header_bytes: usize,
}

impl WireInput<'_> {
    /// The request as an owned record.
    pub fn request(&self) -> RequestRecord {
        RequestRecord {
            method: self.method.to_string(),
            url: self.url.to_string(),
            headers: self.headers.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect(),
        }
    }
}

const FROM_CLERK: u8 = 1;
const HAS_CLAIMS: u8 = 2;
const HAS_BODY: u8 = 4;

// The error is the deny decision itself, returned as is to the caller once per bad request: boxing
// it would only add an allocation.
#[allow(clippy::result_large_err)]
pub fn read_input(bytes: &[u8]) -> Result<WireInput<'_>, Decision> {
    parse(bytes).ok_or_else(|| Decision::deny(400, "bad-request", None))
}

fn parse(bytes: &[u8]) -> Option<WireInput<'_>> {
    let mut reader = Reader { rest: std::str::from_utf8(bytes).ok()?, all_ascii: bytes.is_ascii() };
    let method = reader.item()?;
    let url = reader.item()?;
    let count: usize = reader.number()?;
    // Each header takes at least four bytes ("0:0:"): a count beyond that is a lie, not a reason to allocate.
    let mut headers = Vec::with_capacity(count.min(reader.rest.len() / 4));
    for _ in 0..count {
        let name = reader.item()?;
        let value = reader.item()?;
        headers.push((name, value));
    }
    let now_ms = match reader.item()?.parse::<f64>() {
        Ok(ms) if ms.is_finite() && ms >= 0.0 => ms as u64,
        _ => 0,
    };
    let flags: u8 = reader.number()?;
    if flags > FROM_CLERK | HAS_CLAIMS | HAS_BODY || (flags & HAS_CLAIMS != 0 && flags & FROM_CLERK == 0) {
        return None;
    }
    let claims = if flags & HAS_CLAIMS != 0 { Some(read_claims(reader.item()?)?) } else { None };
    let body = if flags & HAS_BODY != 0 { Some(reader.item()?.as_bytes().to_vec()) } else { None };
    let omitted_header_bytes: usize = reader.number()?;
    if !reader.rest.is_empty() {
        return None;
    }
    Some(WireInput {
        method,
        url,
        headers,
        context: DecideContext { now_ms, clerk_claims: (flags & FROM_CLERK != 0).then_some(claims), body },
        omitted_header_bytes,
    })
}

/// Clerk's claims, a JSON object. `JSON.stringify` writes a lone surrogate as a `\udXXX` escape,
/// which serde_json refuses; such strings used to cross as U+FFFD, so they still do.
fn read_claims(json: &str) -> Option<Map<String, Value>> {
    match serde_json::from_str(json) {
        Ok(claims) => Some(claims),
        Err(_) => serde_json::from_str(&replace_lone_surrogates(json)?).ok(),
    }
}

struct Reader<'a> {
    rest: &'a str,
    /// The whole record is ASCII (the usual case): an item's UTF-16 units are its bytes.
    all_ascii: bool,
}

impl<'a> Reader<'a> {
    fn item(&mut self) -> Option<&'a str> {
        // `<digits>:`: at most 10 digits, read as they are scanned.
        let mut units: usize = 0;
        let mut digits = 0;
        for &byte in self.rest.as_bytes().iter().take(11) {
            match byte {
                b'0'..=b'9' => units = units.checked_mul(10)?.checked_add(usize::from(byte - b'0'))?,
                b':' => break,
                _ => return None,
            }
            digits += 1;
        }
        if digits == 0 || digits > 10 || self.rest.as_bytes().get(digits) != Some(&b':') {
            return None;
        }
        let after = self.rest.get(digits + 1..)?;
        let len = if self.all_ascii { units } else { byte_len_of_units(after, units)? };
        let (item, rest) = (after.get(..len)?, after.get(len..)?);
        self.rest = rest;
        Some(item)
    }

    fn number<T: std::str::FromStr>(&mut self) -> Option<T> {
        let text = self.item()?;
        if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse().ok()
    }
}

/// The byte length of the first `units` UTF-16 code units of `text`; `None` if `text` is shorter
/// or the count ends inside a character.
fn byte_len_of_units(text: &str, units: usize) -> Option<usize> {
    if text.as_bytes().get(..units).is_some_and(<[u8]>::is_ascii) {
        return Some(units); // the common case: ASCII, one byte a unit
    }
    let mut counted = 0;
    for (at, c) in text.char_indices() {
        if counted == units {
            return Some(at);
        }
        counted += c.len_utf16();
    }
    (counted == units).then_some(text.len())
}

/// `text` with every `\u` escape of a lone surrogate written as `\ufffd`; `None` when it has none.
fn replace_lone_surrogates(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i) != Some(&b'\\') {
            i += 1;
            continue;
        }
        let Some(unit) = escaped_unit(bytes, i) else {
            i += 2; // any other escape (`\\`, `\"`, …) is two bytes
            continue;
        };
        let low_follows = escaped_unit(bytes, i + 6).is_some_and(|low| (0xDC00..0xE000).contains(&low));
        if (0xD800..0xDC00).contains(&unit) && low_follows {
            i += 12;
        } else if (0xD800..0xE000).contains(&unit) {
            out.push_str(text.get(copied..i)?);
            out.push_str("\\ufffd");
            copied = i + 6;
            i += 6;
        } else {
            i += 6;
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(text.get(copied..)?);
    Some(out)
}

/// The code unit of a `\uXXXX` escape at `at`.
fn escaped_unit(bytes: &[u8], at: usize) -> Option<u32> {
    match bytes.get(at..at + 6)? {
        [b'\\', b'u', hex @ ..] => u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What js/guard-wire.js writes, for the tests (lengths in UTF-16 units).
    fn item(text: &str) -> String {
        format!("{}:{text}", text.encode_utf16().count())
    }

    fn record(items: &[&str]) -> Vec<u8> {
        items.iter().map(|i| item(i)).collect::<String>().into_bytes()
    }

    #[test]
    fn reads_a_record() {
        let text = record(&["GET", "https://a.example/é", "2", "accept", "text/html", "Cookie", "__session=t😀", "1700000000000", "0", "12"]);
        let input = read_input(&text).map_err(|d| d.reason).expect("a valid record");
        assert_eq!(input.method, "GET");
        assert_eq!(input.url, "https://a.example/é");
        assert_eq!(input.headers, vec![("accept", "text/html"), ("Cookie", "__session=t😀")]);
        assert_eq!(input.context.now_ms, 1_700_000_000_000);
        assert!(input.context.clerk_claims.is_none() && input.context.body.is_none());
        assert_eq!(input.omitted_header_bytes, 12);

        let bytes = record(&["POST", "https://a.example/", "0", "NaN", "7", r#"{"sub":"u"}"#, "{}", "0"]);
        let clerk = read_input(&bytes).map_err(|d| d.reason).expect("valid");
        assert_eq!(clerk.context.now_ms, 0);
        assert!(matches!(&clerk.context.clerk_claims, Some(Some(c)) if c["sub"] == "u"));
        assert_eq!(clerk.context.body.as_deref(), Some(&b"{}"[..]));
        let bytes = record(&["GET", "https://a.example/", "0", "-5", "1", "0"]);
        let signed_out = read_input(&bytes).map_err(|d| d.reason).expect("valid");
        assert!(matches!(signed_out.context.clerk_claims, Some(None)));
        assert_eq!(signed_out.context.now_ms, 0);
    }

    #[test]
    fn unreadable_records_are_bad_requests() {
        let cases: Vec<Vec<u8>> = vec![
            vec![],
            b"null".to_vec(),
            vec![0xff, 0xfe],
            record(&["GET", "https://a.example/", "1", "accept", "1", "0", "0"]), // header count lies
            record(&["GET", "https://a.example/", "0", "1", "2", r#"{"sub":"u"}"#, "0"]), // claims without Clerk
            record(&["GET", "https://a.example/", "0", "1", "3", "[1]", "0"]), // claims not an object
            record(&["GET", "https://a.example/", "0", "1", "8", "0"]), // unknown flag
            record(&["GET", "https://a.example/", "0", "1", "0", "-1"]),
            record(&["GET", "https://a.example/", "0", "1", "0", "0", "extra"]),
            record(&["GET", "https://a.example/", "x", "1", "0", "0"]),
            b"3:GET99:https://a.example/".to_vec(), // an item longer than the buffer
            b"2:\xc3\xa9x".to_vec(),                  // a count ending inside nothing sensible
            "1:😀".as_bytes().to_vec(),                 // a count ending inside a surrogate pair
            b"+3:GET".to_vec(),
        ];
        for bytes in cases {
            let error = read_input(&bytes).err().map(|d| (d.status, d.reason));
            assert_eq!(error, Some((400, "bad-request".to_string())), "{}", String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn lone_surrogates_in_claims_arrive_as_replacement_characters() {
        let claims = r#"{"a":"a\ud800b\\ud800\udc00\ud83d\ude00\udfff","k\udbff":"\u0041"}"#;
        let bytes = record(&["GET", "https://a.example/", "0", "1", "3", claims, "0"]);
        let input = read_input(&bytes).map_err(|d| d.reason).expect("repaired");
        let Some(Some(c)) = &input.context.clerk_claims else { panic!("claims expected") };
        assert_eq!(c["a"], "a\u{fffd}b\\ud800\u{fffd}\u{1f600}\u{fffd}");
        assert_eq!(c.get("k\u{fffd}"), Some(&Value::from("A")));
        assert_eq!(replace_lone_surrogates(r#"["\\ud800","\ud83d\ude00"]"#), None);
    }
}
