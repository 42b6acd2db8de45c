//! `whsec_<base64>` signing secrets, decoded exactly as svix 2.5 / standardwebhooks 1.1 decode them
//! (they use `@stablelib/base64`), except that the `whsec_` prefix is required here.
//!
//! @stablelib/base64 quirks reproduced on purpose, so that every secret svix accepts works here:
//! it counts UTF-16 code units, needs at least 4 of them and at most two trailing `=`, does not
//! need padding, ignores non-zero trailing bits, and never looks at the last character when the
//! unpadded length is 4k+1.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::error::{WebhookError, BAD_SECRET};

pub(crate) type HmacSha256 = Hmac<Sha256>;

pub const SECRET_PREFIX: &str = "whsec_";

/// A parsed signing secret, ready to key HMAC-SHA256. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct WebhookSecret {
    keyed: HmacSha256,
    key_len: usize,
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "WebhookSecret({} key bytes)", self.key_len)
    }
}

impl WebhookSecret {
    pub fn parse(secret: &str) -> Result<WebhookSecret, WebhookError> {
        if secret.is_empty() {
            return Err(WebhookError::new(BAD_SECRET, "the webhook signing secret is missing (empty string)"));
        }
        let Some(encoded) = secret.strip_prefix(SECRET_PREFIX) else {
            return Err(WebhookError::new(
                BAD_SECRET,
                "the webhook signing secret must start with \"whsec_\" (copy it from the Clerk dashboard's webhook endpoint page)",
            ));
        };
        let key = decode_like_stablelib(encoded).map_err(|why| {
            WebhookError::new(BAD_SECRET, format!("the webhook signing secret after \"whsec_\" is not valid base64: {why}"))
        })?;
        if key.is_empty() {
            return Err(WebhookError::new(BAD_SECRET, "the webhook signing secret is empty after \"whsec_\""));
        }
        let keyed = HmacSha256::new_from_slice(&key)
            .map_err(|_| WebhookError::new(BAD_SECRET, "the webhook signing secret cannot key HMAC-SHA256"))?;
        Ok(WebhookSecret { keyed, key_len: key.len() })
    }

    /// A fresh HMAC-SHA256 state keyed with this secret.
    pub(crate) fn mac(&self) -> HmacSha256 {
        self.keyed.clone()
    }
}

/// `@stablelib/base64` 1.0.1 `decode` (standard alphabet, `=` padding), on UTF-16 code units.
fn decode_like_stablelib(encoded: &str) -> Result<Vec<u8>, &'static str> {
    let units: Vec<u16> = encoded.encode_utf16().collect();
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let padding = units.iter().rev().take_while(|&&u| u == u16::from(b'=')).count();
    if units.len() < 4 || padding > 2 {
        return Err("incorrect padding");
    }
    let length = units.len() - padding;
    let mut out = Vec::with_capacity(length / 4 * 3 + 2);
    let mut bad = false;
    let mut sextet = |unit: u16| -> u32 {
        let value = decode_unit(unit);
        bad |= value.is_none();
        value.map_or(0, u32::from)
    };
    let mut i = 0usize;
    while i + 4 < length {
        let chunk = &units[i..i + 4]; // i + 4 < length <= units.len()
        let (v0, v1, v2, v3) = (sextet(chunk[0]), sextet(chunk[1]), sextet(chunk[2]), sextet(chunk[3]));
        out.push(((v0 << 2) | (v1 >> 4)) as u8);
        out.push(((v1 << 4) | (v2 >> 2)) as u8);
        out.push(((v2 << 6) | v3) as u8);
        i += 4;
    }
    // Tail: 1 to 4 units remain; with exactly 1 left, stablelib never reads it.
    let rest = &units[i..length];
    if rest.len() >= 2 {
        let (v0, v1) = (sextet(rest[0]), sextet(rest[1]));
        out.push(((v0 << 2) | (v1 >> 4)) as u8);
        if rest.len() >= 3 {
            let v2 = sextet(rest[2]);
            out.push(((v1 << 4) | (v2 >> 2)) as u8);
            if rest.len() >= 4 {
                let v3 = sextet(rest[3]);
                out.push(((v2 << 6) | v3) as u8);
            }
        }
    }
    if bad {
        return Err("incorrect characters for decoding");
    }
    Ok(out)
}

fn decode_unit(unit: u16) -> Option<u8> {
    let c = u8::try_from(unit).ok()?;
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::decode_like_stablelib as decode;

    #[test]
    fn decodes_canonical_base64() {
        assert_eq!(decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(decode("aGVsbG8").unwrap(), b"hello");
        assert_eq!(decode("aGk=").unwrap(), b"hi");
    }

    #[test]
    fn stablelib_quirks() {
        assert_eq!(decode("").unwrap(), b"");
        assert!(decode("aGk").is_err(), "fewer than 4 units");
        assert!(decode("a===").is_err(), "three padding characters");
        // Unpadded length 4k+1: the last unit is never read, even when it is not base64.
        assert_eq!(decode("aGVs!").unwrap(), decode("aGVs").unwrap());
        assert_eq!(decode("aGVsé").unwrap(), decode("aGVs").unwrap());
        assert!(decode("aGV!s").is_err());
        assert!(decode("aG=s").is_err(), "padding inside");
        // An astral character is two UTF-16 units.
        assert!(decode("aGVs😀").is_err());
    }
}
