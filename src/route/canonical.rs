//! The hardened canonical path that policy rules are matched against (besides the raw pathname):
//! percent-escapes decoded exactly once, repeated slashes collapsed, and everything that makes one
//! path mean two things rejected (reason `bad-path`): malformed escapes, encoded '%', invalid UTF-8,
//! NUL and control characters, encoded `/` or `\`, backslashes, and dot segments.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    pub message: String,
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bad-path: {}", self.message)
    }
}

impl std::error::Error for PathError {}

fn bad(message: impl Into<String>) -> PathError {
    PathError { message: message.into() }
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Canonical form of a WHATWG pathname (what `new URL(url).pathname` gives): decoded once,
/// `/`-joined non-empty segments, no trailing slash except for the root. Linear in the input.
pub fn canonicalize_path(pathname: &str) -> Result<String, PathError> {
    let raw = pathname.as_bytes();
    if raw.first() != Some(&b'/') {
        return Err(bad("the path does not start with '/'"));
    }
    let mut decoded: Vec<u8> = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let byte = raw[i];
        if byte == b'%' {
            let (Some(high), Some(low)) = (raw.get(i + 1).copied().and_then(hex_value), raw.get(i + 2).copied().and_then(hex_value)) else {
                return Err(bad(format!("malformed percent-escape at byte {i}")));
            };
            let value = high * 16 + low;
            match value {
                b'/' => return Err(bad("encoded '/' (%2F) in the path")),
                b'\\' => return Err(bad("encoded '\\' (%5C) in the path")),
                // A decoded '%' would be read as an escape by the next decoder (double encoding), and
                // a canonical form containing it would not be stable: refused.
                b'%' => return Err(bad("encoded '%' (%25) in the path")),
                _ => {}
            }
            if value < 0x20 || value == 0x7f {
                return Err(bad(format!("encoded control character %{value:02X} in the path")));
            }
            decoded.push(value);
            i += 3;
        } else {
            if byte < 0x20 || byte == 0x7f {
                return Err(bad(format!("control character 0x{byte:02X} in the path")));
            }
            if byte == b'\\' {
                return Err(bad("backslash in the path"));
            }
            decoded.push(byte);
            i += 1;
        }
    }
    let text = String::from_utf8(decoded).map_err(|_| bad("percent-escapes that are not UTF-8"))?;
    if text.chars().any(|c| c.is_control()) {
        return Err(bad("a Unicode control character in the path"));
    }
    let mut canonical = String::with_capacity(text.len());
    for segment in text.split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." {
            return Err(bad("a dot segment ('.' or '..') in the path"));
        }
        canonical.push('/');
        canonical.push_str(segment);
    }
    if canonical.is_empty() {
        canonical.push('/');
    }
    Ok(canonical)
}

#[cfg(test)]
mod tests {
    use super::canonicalize_path;

    #[test]
    fn decodes_once_and_collapses_slashes() {
        for (input, expected) in [
            ("/", "/"),
            ("//", "/"),
            ("/admin", "/admin"),
            ("//admin//x/", "/admin/x"),
            ("/%61dmin", "/admin"),
            ("/caf%C3%A9", "/café"),
            ("/a%20b", "/a b"),
            ("/a;b", "/a;b"),
            ("/...", "/..."),
            ("/a..b", "/a..b"),
        ] {
            assert_eq!(canonicalize_path(input).as_deref(), Ok(expected), "{input}");
        }
    }

    #[test]
    fn rejects_ambiguous_paths() {
        for input in [
            "", "admin", "/%", "/%2", "/%zz", "/%2F", "/a%2fb", "/%5C", "/a\\b", "/%00", "/a%0Ab", "/\u{7f}",
            "/%7F", "/%C3%28", "/%C0%AF", "/%ED%A0%80", "/%2e%2e/admin", "/%2e/x", "/./x", "/a/..", "/%252e%252e", "/%25", "/%25zz",
            "/%C2%85", "/\t",
        ] {
            assert!(canonicalize_path(input).is_err(), "{input:?} should be rejected");
        }
    }

    #[test]
    fn is_idempotent_and_linear() {
        for input in ["/a//b/%61", "/caf%C3%A9", "/x/y/"] {
            let once = canonicalize_path(input).expect("valid");
            assert_eq!(canonicalize_path(&once).as_deref(), Ok(once.as_str()));
        }
        let long = format!("/{}", "a/".repeat(32 * 1024));
        assert!(canonicalize_path(&long).is_ok());
    }
}
