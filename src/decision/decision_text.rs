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
//!
//! The usual decision (an envelope id below 2^21, no auth or an auth serial below 2^32) crosses
//! as one number instead ([`DecisionWriter::write`]): `envelope id × 2^32 + serial` (0: no auth),
//! exact in an f64. Anything else crosses as the text above.

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
    /// The fields and id of `envelope` when it has an id: the next decision with the same fields
    /// (the usual run of requests) gets the id without the text being written and looked up again.
    last: Option<(EnvelopeFields, u64)>,
}

/// A decision's envelope as fields (everything the envelope text holds except a nonce).
struct EnvelopeFields {
    action: Action,
    status: u16,
    location: Option<String>,
    headers: std::collections::BTreeMap<String, String>,
    reason: String,
    rule: Option<String>,
}

impl EnvelopeFields {
    fn of(decision: &Decision) -> EnvelopeFields {
        EnvelopeFields {
            action: decision.action,
            status: decision.status,
            location: decision.location.clone(),
            headers: decision.headers.clone(),
            reason: decision.reason.clone(),
            rule: decision.rule.clone(),
        }
    }

    fn matches(&self, decision: &Decision) -> bool {
        decision.nonce.is_none()
            && self.action == decision.action
            && self.status == decision.status
            && self.reason == decision.reason
            && self.rule == decision.rule
            && self.location == decision.location
            && self.headers == decision.headers
    }
}

/// What [`DecisionWriter::write`] gives: the number form, or the text form.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    Code(f64),
    Text(String),
}

const CODE_ENVELOPE_IDS: u64 = 1 << 21;
const CODE_SERIALS: u64 = 1 << 32;

/// The envelope of a decision: an id, or (with a nonce) the text in `DecisionWriter::envelope`.
enum EnvelopePart {
    Id(u64),
    Text,
}

impl DecisionWriter {
    /// The decision's text (see the module documentation).
    pub fn text(&mut self, decision: &Decision) -> String {
        let envelope = self.envelope_part(decision);
        self.text_of(envelope, decision)
    }

    /// The decision as one number when it can be, else as its text.
    pub fn write(&mut self, decision: &Decision) -> Written {
        let envelope = self.envelope_part(decision);
        if let EnvelopePart::Id(id) = envelope {
            let serial = match &decision.auth {
                None => Some(0),
                Some(auth) => auth.serial().filter(|&serial| serial < CODE_SERIALS),
            };
            if let Some(serial) = serial.filter(|_| id < CODE_ENVELOPE_IDS) {
                // Both below 2^53 together: exact in an f64.
                return Written::Code((id * CODE_SERIALS + serial) as f64);
            }
        }
        Written::Text(self.text_of(envelope, decision))
    }

    fn text_of(&self, envelope: EnvelopePart, decision: &Decision) -> String {
        let mut out = String::with_capacity(32);
        match envelope {
            EnvelopePart::Id(id) => out.push_str(&id.to_string()),
            EnvelopePart::Text => out.push_str(&self.envelope),
        }
        out.push('\n');
        if let Some(auth) = &decision.auth {
            push_auth_part(&mut out, auth);
        }
        out
    }

    fn envelope_part(&mut self, decision: &Decision) -> EnvelopePart {
        match &self.last {
            Some((fields, id)) if fields.matches(decision) => EnvelopePart::Id(*id),
            _ => self.write_new(decision),
        }
    }

    /// The envelope of a decision unlike the last one: written, then named by an id unless it has
    /// a nonce.
    fn write_new(&mut self, decision: &Decision) -> EnvelopePart {
        self.envelope.clear();
        write_envelope(&mut self.envelope, decision);
        self.last = None;
        if decision.nonce.is_some() {
            EnvelopePart::Text
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
            self.last = Some((EnvelopeFields::of(decision), id));
            EnvelopePart::Id(id)
        }
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
    fn ids_and_last_envelope_follow_any_sequence_of_decisions() {
        // Whatever the order (repeats, alternations, a nonce in between), an id always names the
        // envelope text it was first given for, and lastEnvelope is the envelope just decided.
        let base = |reason: &str| Decision::deny(403, reason, Some("admin")).with_header("X-Frame-Options", "DENY".into());
        let mut kinds = vec![base("a"), base("b"), base("a").with_header("X", "1".into()), Decision::allow("public", None, None)];
        let mut located = Decision::redirect("https://x/sign-in".into(), "signed-out", Some("admin"));
        located.status = 307;
        kinds.push(located);
        let mut with_nonce = base("a");
        with_nonce.nonce = Some("n1".into());
        kinds.push(with_nonce);
        let mut writer = DecisionWriter::default();
        let mut named: std::collections::HashMap<String, Value> = std::collections::HashMap::new();
        let mut next = crate::test_rng::xorshift32(5);
        for step in 0..2_000 {
            let decision = &kinds[below(&mut next, kinds.len())];
            let text = writer.text(decision);
            let (part, _) = text.split_once('\n').expect("two parts");
            let envelope: Value = serde_json::from_str(writer.last_envelope()).expect("JSON");
            assert_eq!(envelope, expected_envelope(decision), "step {step}: lastEnvelope");
            if decision.nonce.is_some() {
                assert!(part.starts_with('{'), "step {step}: a nonce's envelope crosses as text");
                continue;
            }
            let known = named.entry(part.to_string()).or_insert_with(|| envelope.clone());
            assert_eq!(*known, envelope, "step {step}: id {part} names two envelopes");
        }
    }

    #[test]
    fn the_number_form_says_what_the_text_says() {
        let mut writer = DecisionWriter::default();
        let mut twin = DecisionWriter::default();
        let shared = SharedAuth::shared(auth("user_1"));
        let serial = shared.serial().expect("shared") as f64;
        let allow = Decision::allow("authorized", Some("admin"), Some(shared.clone()));
        let deny = Decision::deny(404, "no-rule", None);
        let mut with_nonce = deny.clone();
        with_nonce.nonce = Some("n".into());
        let unshared = Decision::allow("authorized", Some("admin"), Some(SharedAuth::unshared(auth("user_2"))));
        for (decision, expected) in [
            (&allow, Some(serial)),
            (&deny, Some(f64::from(1u32) * 4_294_967_296.0)),
            (&allow, Some(serial)),
            (&with_nonce, None),
            (&unshared, None),
        ] {
            let written = writer.write(decision);
            let text = twin.text(decision);
            match (written, expected) {
                (Written::Code(code), Some(expected)) => {
                    assert_eq!(code, expected);
                    let (id, part) = text.split_once('\n').expect("two parts");
                    assert_eq!(id.parse::<f64>().ok(), Some((code / 4_294_967_296.0).floor()));
                    assert_eq!(part.parse::<f64>().unwrap_or(0.0), code % 4_294_967_296.0);
                }
                (Written::Text(written), None) => assert_eq!(written, text),
                (written, expected) => panic!("{written:?} where {expected:?} was expected"),
            }
        }
        // Past the number range the text form is used.
        writer.next_id = CODE_ENVELOPE_IDS;
        assert!(matches!(writer.write(&Decision::deny(400, "bad-request", None)), Written::Text(text) if text == format!("{CODE_ENVELOPE_IDS}\n")));
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
