//! The Decision as it crosses back to the JS shim (js/guard-wire.js `readDecision`): two parts,
//! separated by the first `\n`:
//!
//! 1. the Decision's JSON without `auth` (`action`, `status`, `location`?, `headers`, `reason`,
//!    `rule`, `nonce`?), written here by hand: it is a handful of strings, and serde_json's
//!    writer cost more than the rest of a cached decision;
//! 2. the `auth`: empty for `null`; the decimal serial of a [`SharedAuth`] (the shim keeps the
//!    parsed object under it and asks for the JSON text only the first time it sees the serial);
//!    or the `Auth`'s JSON text itself when it has no serial (built for this decision only).
//!
//! JSON text never holds a raw line feed (it is escaped in strings), so the first `\n` splits.

use crate::token::SharedAuth;

use super::outcome::{Action, Decision};

pub fn decision_text(decision: &Decision) -> String {
    let mut out = String::with_capacity(256);
    out.push_str("{\"action\":");
    out.push_str(match decision.action {
        Action::Allow => "\"allow\"",
        Action::Redirect => "\"redirect\"",
        Action::Deny => "\"deny\"",
    });
    out.push_str(",\"status\":");
    out.push_str(&decision.status.to_string());
    if let Some(location) = &decision.location {
        out.push_str(",\"location\":");
        push_json_string(&mut out, location);
    }
    out.push_str(",\"headers\":{");
    for (i, (name, value)) in decision.headers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(&mut out, name);
        out.push(':');
        push_json_string(&mut out, value);
    }
    out.push_str("},\"reason\":");
    push_json_string(&mut out, &decision.reason);
    out.push_str(",\"rule\":");
    match &decision.rule {
        Some(rule) => push_json_string(&mut out, rule),
        None => out.push_str("null"),
    }
    if let Some(nonce) = &decision.nonce {
        out.push_str(",\"nonce\":");
        push_json_string(&mut out, nonce);
    }
    out.push_str("}\n");
    if let Some(auth) = &decision.auth {
        push_auth_part(&mut out, auth);
    }
    out
}

fn push_auth_part(out: &mut String, auth: &SharedAuth) {
    match auth.serial() {
        Some(serial) => out.push_str(&serial.to_string()),
        None => out.push_str(&auth_text(auth)),
    }
}

/// The `Auth`'s JSON text; `"null"` if it cannot be written, which the shim refuses (a 503 deny).
pub fn auth_text(auth: &SharedAuth) -> String {
    serde_json::to_string(auth).unwrap_or_else(|_| "null".to_owned())
}

/// `text` as a JSON string: `"` and `\` escaped, control characters as `\uXXXX` (or their short
/// forms); everything else as is (the text is UTF-8 already, and JSON allows any other character).
fn push_json_string(out: &mut String, text: &str) {
    out.push('"');
    let mut plain_from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let short = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0x00..=0x1f => "",
            _ => continue,
        };
        // `at` is an ASCII byte, so both slices end on character boundaries.
        out.push_str(text.get(plain_from..at).unwrap_or_default());
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        } else {
            out.push_str(short);
        }
        plain_from = at + 1;
    }
    out.push_str(text.get(plain_from..).unwrap_or_default());
    out.push('"');
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::test_rng::xorshift32;
    use crate::token::auth_from_claims;

    fn split(text: &str) -> (Value, &str) {
        let (envelope, auth) = text.split_once('\n').expect("two parts");
        (serde_json::from_str(envelope).expect("the envelope is JSON"), auth)
    }

    /// What serde writes for the Decision, without `auth`: the record the shim rebuilds.
    fn expected_envelope(decision: &Decision) -> Value {
        let mut value = serde_json::to_value(decision).expect("serialisable");
        value.as_object_mut().map(|o| o.remove("auth"));
        value
    }

    fn auth(sub: &str) -> crate::token::Auth {
        let claims = serde_json::json!({ "sub": sub, "exp": 2.0e9, "metadata": { "role": "a\"b\n" } });
        auth_from_claims(claims.as_object().expect("object")).expect("valid claims")
    }

    /// A number below `n` (n > 0).
    fn below(next: &mut impl FnMut() -> u32, n: usize) -> usize {
        next() as usize % n
    }

    fn random_text(rng: &mut impl FnMut() -> u32) -> String {
        const PIECES: &[&str] = &["a", "\"", "\\", "\n", "\r", "\t", "\u{8}", "\u{c}", "\u{0}", "\u{1f}", "\u{7f}", "é", "\u{2028}", "😀", "/", "<", " "];
        (0..below(rng, 12)).map(|_| PIECES[below(rng, PIECES.len())]).collect()
    }

    #[test]
    fn the_envelope_is_the_decision_serde_would_write() {
        let mut rng = xorshift32(7);
        for _ in 0..500 {
            let mut decision = match below(&mut rng, 3) {
                0 => Decision::allow(&random_text(&mut rng), Some(&random_text(&mut rng)), None),
                1 => Decision::redirect(random_text(&mut rng), &random_text(&mut rng), None),
                _ => Decision::deny(400 + below(&mut rng, 200) as u16, &random_text(&mut rng), Some(&random_text(&mut rng))),
            };
            for _ in 0..below(&mut rng, 4) {
                decision = decision.with_header(&random_text(&mut rng), random_text(&mut rng));
            }
            if below(&mut rng, 2) == 0 {
                decision.nonce = Some(random_text(&mut rng));
            }
            let text = decision_text(&decision);
            let (envelope, auth) = split(&text);
            assert_eq!(envelope, expected_envelope(&decision), "{text:?}");
            assert_eq!(auth, "");
        }
    }

    #[test]
    fn the_auth_part_is_a_serial_or_the_auth_itself() {
        let shared = SharedAuth::shared(auth("user_1"));
        let decision = Decision::allow("authorized", Some("admin"), Some(shared.clone()));
        let text = decision_text(&decision);
        let (envelope, part) = split(&text);
        assert_eq!(envelope, expected_envelope(&decision));
        assert_eq!(part, shared.serial().expect("shared").to_string());
        assert_eq!(serde_json::from_str::<Value>(&auth_text(&shared)).ok(), serde_json::to_value(&*shared).ok());

        let unshared = SharedAuth::unshared(auth("user_2"));
        let decision = Decision::deny(403, "missing-role", Some("admin"));
        let decision = Decision { auth: Some(unshared.clone()), ..decision };
        let text = decision_text(&decision);
        let (_, part) = split(&text);
        assert_eq!(serde_json::from_str::<Value>(part).ok(), serde_json::to_value(&*unshared).ok());
    }
}
