//! The hardened canonical path: one decoding, no ambiguity left for a router to resolve.
//!
//! Input is a WHATWG pathname (`new URL(url).pathname`: dot segments already resolved, backslashes
//! already turned into `/`, non-ASCII and controls percent-encoded). Every escape is decoded
//! exactly once; anything a router could read two ways is refused (reason `bad-path`): malformed
//! escapes, invalid UTF-8, controls and line terminators (which Clerk's `(.*)` does not match,
//! while Next.js serves the page), an encoded `/` or `\`, a backslash, a `.` or `..` segment.
//! Runs of `/` collapse to one (Next.js answers them with a 308 to that path). A decoded `%` is
//! written back as `%25`, so the result is again a pathname and canonicalisation is idempotent.
//! One pass over the input: linear time and memory.

use std::fmt;

/// Why a path has no canonical form; the decision's reason code is always `bad-path`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    pub message: String,
}

impl PathError {
    pub const REASON: &'static str = "bad-path";

    fn new(message: impl Into<String>) -> PathError {
        PathError {
            message: message.into(),
        }
    }
}

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PathError {}

/// The canonical form of `pathname`, or why it is refused.
pub fn canonicalize_path(pathname: &str) -> Result<String, PathError> {
    canonicalize_path_cow(pathname).map(std::borrow::Cow::into_owned)
}

/// [`canonicalize_path`], borrowing the path itself when it is canonical already.
pub fn canonicalize_path_cow(pathname: &str) -> Result<std::borrow::Cow<'_, str>, PathError> {
    if is_already_canonical(pathname) {
        return Ok(std::borrow::Cow::Borrowed(pathname));
    }
    canonicalize_in_full(pathname).map(std::borrow::Cow::Owned)
}

/// The usual path, answered without decoding it: printable ASCII without `%` or `\`, no empty
/// segment inside it and no `.` or `..` segment. The full canonicalisation gives such a path back
/// unchanged (tested below against it).
fn is_already_canonical(path: &str) -> bool {
    let bytes = path.as_bytes();
    if bytes.first() != Some(&b'/') {
        return false;
    }
    // One pass: the characters, and each segment (the bytes after a '/') neither empty inside the
    // path nor "." or "..".
    let mut segment_start = 1;
    for (at, &byte) in bytes.iter().enumerate().skip(1) {
        if !(0x21..=0x7e).contains(&byte) || byte == b'%' || byte == b'\\' {
            return false;
        }
        if byte == b'/' {
            if !bytes.get(segment_start..at).is_some_and(is_plain_segment) {
                return false;
            }
            segment_start = at + 1;
        }
    }
    bytes.get(segment_start..).is_some_and(|last| last.is_empty() || is_plain_segment(last))
}

fn is_plain_segment(segment: &[u8]) -> bool {
    !matches!(segment, b"" | b"." | b"..")
}

fn canonicalize_in_full(pathname: &str) -> Result<String, PathError> {
    if !pathname.starts_with('/') {
        return Err(PathError::new("the path must start with '/'"));
    }
    let bytes = pathname.as_bytes();
    let mut decoded: Vec<u8> = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'%' {
            let value = escaped_byte(bytes, i)
                .ok_or_else(|| PathError::new(format!("malformed percent-encoding at byte {i}")))?;
            match value {
                b'/' => return Err(PathError::new(format!("encoded '/' (%2F) at byte {i}"))),
                b'\\' => return Err(PathError::new(format!("encoded '\\' (%5C) at byte {i}"))),
                _ => decoded.push(value),
            }
            i += 3;
        } else {
            if byte == b'\\' {
                return Err(PathError::new(format!("backslash at byte {i}")));
            }
            decoded.push(byte);
            i += 1;
        }
    }
    let text = String::from_utf8(decoded).map_err(|e| {
        PathError::new(format!(
            "percent-encoding decodes to invalid UTF-8 at byte {}",
            e.utf8_error().valid_up_to()
        ))
    })?;
    if let Some(c) = text.chars().find(|&c| is_refused_char(c)) {
        return Err(PathError::new(format!(
            "control character U+{:04X} in the path",
            c as u32
        )));
    }

    let mut out = String::with_capacity(text.len() + 8);
    for segment in text.split('/').skip(1) {
        if segment == "." || segment == ".." {
            return Err(PathError::new(format!(
                "dot segment '{segment}' in the path"
            )));
        }
        if segment.is_empty() {
            continue; // a run of '/' collapses; a trailing '/' is restored below
        }
        out.push('/');
        for c in segment.chars() {
            if c == '%' {
                out.push_str("%25");
            } else {
                out.push(c);
            }
        }
    }
    if out.is_empty() || text.ends_with('/') {
        out.push('/');
    }
    Ok(out)
}

/// C0 and C1 controls, DEL, and the line terminators a JS `.` does not match.
fn is_refused_char(c: char) -> bool {
    c.is_control() || c == '\u{2028}' || c == '\u{2029}'
}

fn escaped_byte(bytes: &[u8], at: usize) -> Option<u8> {
    let hex = |b: u8| char::from(b).to_digit(16);
    let high = hex(*bytes.get(at + 1)?)?;
    let low = hex(*bytes.get(at + 2)?)?;
    u8::try_from(high * 16 + low).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_shortcut_answers_as_the_full_canonicalisation() {
        const PIECES: &[&str] = &["/", "/", "a", "B", ".", "..", "%", "%2e", "%2F", "%41", "\\", " ", "\t", "~", "-", "_", ":", "@", "é", "\u{7f}", "//", "?", "#"];
        let mut next = crate::test_rng::xorshift32(11);
        let mut shortcut = 0;
        for _ in 0..50_000 {
            let len = next() as usize % 8;
            let mut path: String = (0..len).map(|_| PIECES[next() as usize % PIECES.len()]).collect();
            if !next().is_multiple_of(8) {
                path.insert(0, '/');
            }
            if super::is_already_canonical(&path) {
                shortcut += 1;
                assert_eq!(super::canonicalize_in_full(&path).ok().as_deref(), Some(path.as_str()), "{path:?}");
            }
            assert_eq!(super::canonicalize_path(&path), super::canonicalize_in_full(&path), "{path:?}");
        }
        assert!(shortcut > 2_000, "{shortcut} paths took the shortcut");
    }

    use super::*;

    #[test]
    fn decodes_once_and_collapses() {
        assert_eq!(canonicalize_path("/%61dmin").as_deref(), Ok("/admin"));
        assert_eq!(
            canonicalize_path("//admin///x/").as_deref(),
            Ok("/admin/x/")
        );
        assert_eq!(canonicalize_path("/%2561dmin").as_deref(), Ok("/%2561dmin"));
        assert_eq!(canonicalize_path("/caf%C3%A9").as_deref(), Ok("/café"));
        assert_eq!(canonicalize_path("/").as_deref(), Ok("/"));
        assert_eq!(canonicalize_path("//").as_deref(), Ok("/"));
    }

    #[test]
    fn refuses_ambiguity() {
        for bad in [
            "",
            "admin",
            "/admin%2Fx",
            "/admin%5cx",
            "/a\\b",
            "/%2e%2e/admin",
            "/x/%2E/y",
            "/./x",
            "/x/..",
            "/admin/%0Asecret",
            "/admin%00",
            "/a%E2%80%A8b",
            "/a%C2%85",
            "/%",
            "/%zz",
            "/%C3",
            "/%ED%A0%80",
            "/a\u{7f}",
        ] {
            assert!(canonicalize_path(bad).is_err(), "{bad:?}");
        }
    }
}
