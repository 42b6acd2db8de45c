//! The Decision as it crosses back to the JS shim (js/decision-text.js `DecisionReader`): two
//! parts, separated by the first `\n`:
//!
//! 1. the envelope: the Decision's JSON without `auth` (`action`, `status`, `location`?,
//!    `headers`, `reason`, `rule`, `nonce`?), written here by hand (a handful of strings: serde_json's
//!    writer cost more than the rest of a cached decision); or, from a [`DecisionWriter`], the
//!    decimal id of an envelope it sent before. The shim keeps envelopes by id and asks for the text
//!    (`lastEnvelope`) of an id it has not seen. Ids are never reused within a writer. An envelope
//!    with a CSP nonce is unique, so it always crosses as text;
//! 2. the `auth`: empty for `null`; the decimal serial of a [`SharedAuth`] (the shim keeps the
//!    parsed object under it and asks for the JSON text, `lastAuth`, the first time it sees the
//!    serial); or the `Auth`'s JSON text itself when it has no serial (built for this decision only).
//!
//! JSON text never holds a raw line feed (it is escaped in strings), so the first `\n` splits; a
//! part is JSON text exactly when it starts with `{`.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use crate::token::cache::{fingerprint, same_token, PassThroughHasher};
use crate::token::SharedAuth;

use super::outcome::{Action, Decision};

/// The decision's text with the envelope written out (no ids).
pub fn decision_text(decision: &Decision) -> String {
    let mut out = String::with_capacity(256);
    write_envelope(&mut out, decision);
    out.push('\n');
    if let Some(auth) = &decision.auth {
        push_auth_part(&mut out, auth);
    }
    out
}

/// Envelopes kept at most; past that the ids start over from an empty map (with new numbers).
const MAX_ENVELOPE_IDS: usize = 256;

/// Writes decisions' texts for one JS reader, sending an envelope seen before as its id.
#[derive(Default)]
pub struct DecisionWriter {
    /// By the envelope's fingerprint; a colliding envelope replaces the entry (and gets a new id).
    ids: HashMap<u64, (Box<str>, u64), BuildHasherDefault<PassThroughHasher>>,
    next_id: u64,
    /// The last envelope written, for `lastEnvelope`.
    envelope: String,
}

impl DecisionWriter {
    pub fn text(&mut self, decision: &Decision) -> String {
        self.envelope.clear();
        write_envelope(&mut self.envelope, decision);
        let mut out = String::with_capacity(32);
        if decision.nonce.is_some() {
            out.push_str(&self.envelope);
        } else {
            let key = fingerprint(self.envelope.as_bytes(), 0);
            let id = match self.ids.get(&key) {
                Some((text, id)) if same_token(text, &self.envelope) => *id,
                _ => {
                    if self.ids.len() >= MAX_ENVELOPE_IDS {
                        self.ids.clear();
                    }
                    let id = self.next_id;
                    self.next_id += 1;
                    self.ids.insert(key, (self.envelope.as_str().into(), id));
                    id
                }
            };
            out.push_str(&id.to_string());
        }
        out.push('\n');
        if let Some(auth) = &decision.auth {
            push_auth_part(&mut out, auth);
        }
        out
    }

    /// The envelope of the last decision written.
    pub fn last_envelope(&self) -> &str {
        &self.envelope
    }
}

fn write_envelope(out: &mut String, decision: &Decision) {
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
        push_json_string(out, location);
    }
    out.push_str(",\"headers\":{");
    for (i, (name, value)) in decision.headers.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(out, name);
        out.push(':');
        push_json_string(out, value);
    }
    out.push_str("},\"reason\":");
    push_json_string(out, &decision.reason);
    out.push_str(",\"rule\":");
    match &decision.rule {
        Some(rule) => push_json_string(out, rule),
        None => out.push_str("null"),
    }
    if let Some(nonce) = &decision.nonce {
        out.push_str(",\"nonce\":");
        push_json_string(out, nonce);
    }
    out.push('}');
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
    if !text.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\') {
        out.push_str(text);
        out.push('"');
        return;
    }
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
    fn a_writer_sends_an_envelope_once_then_its_id() {
        let mut writer = DecisionWriter::default();
        let allow = Decision::allow("public", Some("home"), None).with_header("X-Frame-Options", "DENY".into());
        let deny = Decision::deny(404, "no-rule", None);
        let (first, again, other) = (writer.text(&allow), writer.text(&allow), writer.text(&deny));
        assert_eq!(first, "0\n");
        assert_eq!(again, first, "the same envelope, the same id");
        assert_eq!(other, "1\n");
        let (envelope, _) = split(&decision_text(&deny));
        assert_eq!(serde_json::from_str::<Value>(writer.last_envelope()).ok(), Some(envelope));
        let mut with_nonce = allow.clone();
        with_nonce.nonce = Some("abc".into());
        let text = writer.text(&with_nonce);
        assert_eq!(split(&text).0, expected_envelope(&with_nonce), "a nonce's envelope crosses as text");
        // Past the bound the map starts over, and no id is ever given to a second envelope.
        let mut seen = std::collections::HashMap::new();
        for round in 0..3 {
            for i in 0..(MAX_ENVELOPE_IDS + 10) {
                let decision = Decision::deny(403, &format!("r{i}"), None);
                let id = writer.text(&decision);
                let envelope = writer.last_envelope().to_string();
                if let Some(previous) = seen.insert(id.clone(), envelope.clone()) {
                    assert_eq!(previous, envelope, "id {id} reused (round {round})");
                }
            }
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
