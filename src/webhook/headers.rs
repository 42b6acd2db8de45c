//! Which header values svix 2.5 reads, reproduced from `Webhook.verify`:
//! names are lower-cased with JavaScript's `toLowerCase` (so `SVIX-ID` and even `webhoo\u{212A}-id`,
//! with a Kelvin sign, count), a later name that lower-cases to the same string replaces an earlier
//! one, and `svix-*` wins over `webhook-*` whenever the `svix-*` name is present at all — even with
//! an empty value, which then counts as missing.

/// The three values svix signs and checks; an absent header is the empty string, as in svix.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignatureHeaders<'a> {
    pub id: &'a str,
    pub timestamp: &'a str,
    pub signature: &'a str,
}

impl<'a> SignatureHeaders<'a> {
    pub fn from_pairs(headers: &'a [(String, String)]) -> SignatureHeaders<'a> {
        SignatureHeaders {
            id: branded_or_standard(headers, "svix-id", "webhook-id"),
            timestamp: branded_or_standard(headers, "svix-timestamp", "webhook-timestamp"),
            signature: branded_or_standard(headers, "svix-signature", "webhook-signature"),
        }
    }

    /// svix's `!msgSignature || !msgId || !msgTimestamp`: the names of what is missing.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.id.is_empty() {
            missing.push("svix-id");
        }
        if self.timestamp.is_empty() {
            missing.push("svix-timestamp");
        }
        if self.signature.is_empty() {
            missing.push("svix-signature");
        }
        missing
    }
}

fn branded_or_standard<'a>(headers: &'a [(String, String)], branded: &str, standard: &str) -> &'a str {
    last_value(headers, branded).or_else(|| last_value(headers, standard)).unwrap_or("")
}

fn last_value<'a>(headers: &'a [(String, String)], lower_name: &str) -> Option<&'a str> {
    headers
        .iter()
        .rev()
        .find(|(name, _)| lowercases_to(name, lower_name))
        .map(|(_, value)| value.as_str())
}

/// `name.toLowerCase() === lower_name` for an ASCII `lower_name`, without Unicode case tables:
/// the only non-ASCII code point whose lowercase is ASCII is U+212A KELVIN SIGN (→ `k`; checked
/// over every code point against JavaScript's `toLowerCase`), so any other non-ASCII character
/// means no match. `str::to_lowercase` would link ~12 KB of tables into the .wasm for this.
fn lowercases_to(name: &str, lower_name: &str) -> bool {
    if name.is_ascii() {
        return name.eq_ignore_ascii_case(lower_name);
    }
    let mut expected = lower_name.chars();
    for c in name.chars() {
        let lowered = match c {
            '\u{212A}' => 'k',
            c if c.is_ascii() => c.to_ascii_lowercase(),
            _ => return false,
        };
        if expected.next() != Some(lowered) {
            return false;
        }
    }
    expected.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    }

    #[test]
    fn svix_names_win_even_when_empty() {
        let h = pairs(&[("webhook-id", "w"), ("Svix-Id", "")]);
        assert_eq!(SignatureHeaders::from_pairs(&h).id, "");
        let h = pairs(&[("webhook-id", "w")]);
        assert_eq!(SignatureHeaders::from_pairs(&h).id, "w");
    }

    #[test]
    fn last_of_same_lowercase_name_wins() {
        let h = pairs(&[("SVIX-ID", "a"), ("svix-id", "b")]);
        assert_eq!(SignatureHeaders::from_pairs(&h).id, "b");
    }

    #[test]
    fn kelvin_sign_lowercases_to_k() {
        let h = pairs(&[("WEBHOO\u{212A}-ID", "k")]);
        assert_eq!(SignatureHeaders::from_pairs(&h).id, "k");
    }

    #[test]
    fn lowercasing_equals_unicode_to_lowercase() {
        let names = ["svix-id", "webhook-signature", "svix-timestamp"];
        for code in (0..=0x2FFFF_u32).filter_map(char::from_u32) {
            for name in names {
                for at in [0, 3, name.len() - 1] {
                    let mut candidate: String = name.to_string();
                    candidate.replace_range(at..at + 1, &code.to_string());
                    assert_eq!(lowercases_to(&candidate, name), candidate.to_lowercase() == name, "{candidate:?}");
                }
            }
        }
    }
}
