//! ECMAScript `decodeURI`, exactly: the decoding Clerk's `normalizePath` applies before matching.

/// Escapes that `decodeURI` leaves encoded (its reservedURISet plus `#`).
const KEPT: &[u8] = b";/?:@&=+$,#";

/// `decodeURI(input)`; `None` where JS throws `URIError` (malformed or non-UTF-8 escapes).
pub(crate) fn decode_uri(input: &str) -> Option<String> {
    let bytes = input.as_bytes();
    if !bytes.contains(&b'%') {
        return Some(input.to_string());
    }
    let mut out = String::with_capacity(input.len());
    let mut i = 0;
    let mut copied_from = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            i += 1;
            continue;
        }
        out.push_str(input.get(copied_from..i)?);
        let first = escaped_byte(bytes, i)?;
        if first < 0x80 {
            if KEPT.contains(&first) {
                out.push_str(input.get(i..i + 3)?);
            } else {
                out.push(char::from(first));
            }
            i += 3;
        } else {
            let len = first.leading_ones() as usize;
            if len == 1 || len > 4 {
                return None;
            }
            let mut octets = [first, 0, 0, 0];
            for (k, octet) in octets.iter_mut().enumerate().take(len).skip(1) {
                let byte = escaped_byte(bytes, i + 3 * k)?;
                if byte & 0xC0 != 0x80 {
                    return None;
                }
                *octet = byte;
            }
            // from_utf8 refuses overlong forms, surrogates and values above U+10FFFF, as JS does.
            out.push_str(std::str::from_utf8(&octets[..len]).ok()?);
            i += 3 * len;
        }
        copied_from = i;
    }
    out.push_str(input.get(copied_from..)?);
    Some(out)
}

/// The byte of the `%XY` escape at `at`, or `None` if there is none.
fn escaped_byte(bytes: &[u8], at: usize) -> Option<u8> {
    if bytes.get(at) != Some(&b'%') {
        return None;
    }
    let hex = |b: u8| char::from(b).to_digit(16);
    let high = hex(*bytes.get(at + 1)?)?;
    let low = hex(*bytes.get(at + 2)?)?;
    u8::try_from(high * 16 + low).ok()
}

/// Clerk's `normalizePath`: `decodeURI`, then every run of `/` collapsed to one.
pub(crate) fn clerk_normalize_path(pathname: &str) -> Option<String> {
    let decoded = decode_uri(pathname)?;
    if !decoded.contains("//") {
        return Some(decoded);
    }
    let mut out = String::with_capacity(decoded.len());
    for c in decoded.chars() {
        if c == '/' && out.ends_with('/') {
            continue;
        }
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_ecmascript() {
        assert_eq!(decode_uri("/%61dmin").as_deref(), Some("/admin"));
        assert_eq!(
            decode_uri("/a%2Fb%2fc%23").as_deref(),
            Some("/a%2Fb%2fc%23")
        );
        assert_eq!(decode_uri("/%25").as_deref(), Some("/%"));
        assert_eq!(decode_uri("/%C3%A9").as_deref(), Some("/é"));
        assert_eq!(decode_uri("/%F0%9F%98%80").as_deref(), Some("/😀"));
        for bad in [
            "/%",
            "/%4",
            "/%zz",
            "/%C3",
            "/%C3%28",
            "/%C0%80",
            "/%ED%A0%80",
            "/%F8%80%80%80%80",
            "/%80",
        ] {
            assert_eq!(decode_uri(bad), None, "{bad}");
        }
    }

    #[test]
    fn collapses_slash_runs() {
        assert_eq!(clerk_normalize_path("//a///b/").as_deref(), Some("/a/b/"));
        assert_eq!(clerk_normalize_path("/%2F/x").as_deref(), Some("/%2F/x"));
    }
}
