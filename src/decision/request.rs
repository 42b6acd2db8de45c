//! What the pipeline needs to know about a request: URL parts, header lookups, whether it is a
//! document navigation or an API call, and the CSRF / content-type checks.

use std::borrow::Cow;

use serde::Deserialize;

/// One request as it crosses the boundary: method, absolute URL, headers (names any case).
#[derive(Debug, Clone, Deserialize)]
pub struct RequestRecord {
    pub method: String,
    pub url: String,
    #[serde(default)]
    pub headers: Vec<(String, String)>,
}

pub const MAX_URL_BYTES: usize = 16 * 1024;
pub const MAX_HEADER_BYTES: usize = 64 * 1024;
pub const MAX_COOKIE_BYTES: usize = 16 * 1024;
pub const MAX_TOKEN_BYTES: usize = 16 * 1024;

/// Every header name the decision reads (lower case). The JS shim sends only these (in any
/// case) across the wasm boundary, plus the byte count of the rest for the size limit; a lookup
/// of a name missing here fails debug builds (and so the tests), so the list cannot fall behind.
/// `svix-*` / `webhook-*`: the webhook signature check (`crate::webhook`) reads them by name.
pub const DECISION_HEADERS: &[&str] = &[
    "accept",
    "authorization",
    "content-length",
    "content-type",
    "cookie",
    "next-action",
    "origin",
    "rsc",
    "sec-fetch-dest",
    "sec-fetch-site",
    "svix-id",
    "svix-signature",
    "svix-timestamp",
    "webhook-id",
    "webhook-signature",
    "webhook-timestamp",
    "x-middleware-subrequest",
];

/// Header names lower-cased once; lookups are linear (requests carry few headers).
pub struct Headers<'a> {
    entries: Vec<(Cow<'a, str>, &'a str)>,
    /// Bytes of headers the caller left out because the decision never reads them.
    omitted_bytes: usize,
}

impl<'a> Headers<'a> {
    pub fn new(pairs: &'a [(String, String)]) -> Self {
        Headers::with_omitted(pairs, 0)
    }

    /// `pairs` plus `omitted_bytes` of other headers (names and values, UTF-8) that only count
    /// towards the size limit.
    pub fn with_omitted(pairs: &'a [(String, String)], omitted_bytes: usize) -> Self {
        Headers::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), omitted_bytes)
    }

    /// Like [`with_omitted`](Self::with_omitted), from borrowed pairs (the wire record's).
    pub fn from_pairs(pairs: impl IntoIterator<Item = (&'a str, &'a str)>, omitted_bytes: usize) -> Self {
        let entries = pairs.into_iter().map(|(k, v)| (lower_ascii(k), v)).collect();
        Headers { entries, omitted_bytes }
    }

    pub fn get(&self, name: &str) -> Option<&'a str> {
        debug_assert_read(name);
        self.entries.iter().find(|(k, _)| k == name).map(|(_, v)| *v)
    }

    pub fn has(&self, name: &str) -> bool {
        debug_assert_read(name);
        self.entries.iter().any(|(k, _)| k == name)
    }

    pub fn total_bytes(&self) -> usize {
        self.entries.iter().fold(self.omitted_bytes, |sum, (k, v)| sum.saturating_add(k.len() + v.len()))
    }

    pub fn pairs(&self) -> impl Iterator<Item = (&str, &'a str)> {
        self.entries.iter().map(|(k, v)| (k.as_ref(), *v))
    }
}

fn lower_ascii(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

/// A read of a header the JS shim would not send is a bug that only shows in wasm: caught here
/// in every debug build instead.
fn debug_assert_read(name: &str) {
    debug_assert!(DECISION_HEADERS.contains(&name), "the decision reads header {name:?}: add it to DECISION_HEADERS");
}

/// The parts of an absolute http(s) URL the decision needs. The JS shim passes `URL.href`, already
/// normalised by the runtime; native callers must pass an absolute URL too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlParts<'a> {
    scheme: &'a str,
    authority: &'a str,
    pub pathname: &'a str,
    pub href: &'a str,
}

impl UrlParts<'_> {
    /// `scheme://authority`, lower case (built when a redirect or the CSRF check needs it).
    pub fn origin(&self) -> String {
        format!("{}://{}", self.scheme.to_ascii_lowercase(), self.authority.to_ascii_lowercase())
    }
}

pub fn parse_url(url: &str) -> Option<UrlParts<'_>> {
    let scheme_end = url.bytes().position(|b| b == b':').filter(|&at| url.as_bytes().get(at + 1..at + 3) == Some(b"//"))?;
    let scheme = &url[..scheme_end];
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let after_scheme = &url[scheme_end + 3..];
    let authority_end = after_scheme.find(['/', '?', '#']).unwrap_or(after_scheme.len());
    let authority = &after_scheme[..authority_end];
    if authority.is_empty() || authority.contains(['@', ' ', '\\']) || authority.chars().any(char::is_control) {
        return None;
    }
    let rest = &after_scheme[authority_end..];
    let path_end = rest.find(['?', '#']).unwrap_or(rest.len());
    let pathname = if path_end == 0 { "/" } else { &rest[..path_end] };
    if !pathname.starts_with('/') {
        return None;
    }
    Some(UrlParts { scheme, authority, pathname, href: url })
}

pub fn is_safe_method(method: &str) -> bool {
    ["GET", "HEAD", "OPTIONS", "TRACE"].iter().any(|safe| method.eq_ignore_ascii_case(safe))
}

/// `path` (in any case) is one of the prefixes (lower case) or under one.
pub fn is_under_prefix(path: &str, prefixes: &[String]) -> bool {
    let path = path.as_bytes();
    prefixes.iter().any(|p| {
        let p = p.as_bytes();
        path.len() >= p.len()
            && path.iter().zip(p).all(|(a, b)| a.to_ascii_lowercase() == *b)
            && matches!(path.get(p.len()), None | Some(b'/'))
    })
}

/// `text` contains `needle` (lower case ASCII), ignoring ASCII case.
fn contains_ignore_ascii_case(text: &str, needle: &str) -> bool {
    let (text, needle) = (text.as_bytes(), needle.as_bytes());
    needle.is_empty() || text.windows(needle.len()).any(|w| w.iter().zip(needle).all(|(a, b)| a.to_ascii_lowercase() == *b))
}

/// A browser navigation (or Next's RSC navigation) that should be redirected, as opposed to an API
/// call, fetch, server action or non-GET that should get a status and JSON.
pub fn is_document_request(method: &str, headers: &Headers, canonical_path: &str, api_prefixes: &[String]) -> bool {
    if !method.eq_ignore_ascii_case("GET") && !method.eq_ignore_ascii_case("HEAD") {
        return false;
    }
    if is_under_prefix(canonical_path, api_prefixes) || headers.has("next-action") {
        return false;
    }
    if headers.get("rsc") == Some("1") {
        return true; // App Router client navigation: the router follows a redirect like a page load
    }
    match headers.get("sec-fetch-dest") {
        Some(dest) => ["document", "iframe", "frame"].iter().any(|d| dest.eq_ignore_ascii_case(d)),
        None => headers.get("accept").is_some_and(|a| contains_ignore_ascii_case(a, "text/html")),
    }
}

/// `Err(reason)` when an unsafe method comes from a foreign origin.
pub fn check_origin(method: &str, headers: &Headers, own_origin: &str, allowed: &[String]) -> Result<(), String> {
    if is_safe_method(method) {
        return Ok(());
    }
    match headers.get("origin") {
        Some(origin) => {
            let origin = origin.trim().to_ascii_lowercase();
            if origin == own_origin || allowed.contains(&origin) {
                Ok(())
            } else {
                Err(format!("{method} from origin {origin} is not allowed (own origin {own_origin})"))
            }
        }
        None if headers.get("sec-fetch-site").is_some_and(|s| s.eq_ignore_ascii_case("cross-site")) => {
            Err(format!("cross-site {method} without an Origin header"))
        }
        // No Origin and no browser fetch metadata: not a browser, so not a CSRF vector.
        None => Ok(()),
    }
}

/// JSON-only APIs: POST/PUT/PATCH must say `application/json` or `application/*+json`.
pub fn is_json_content_type_ok(method: &str, headers: &Headers) -> bool {
    if !["POST", "PUT", "PATCH"].iter().any(|m| method.eq_ignore_ascii_case(m)) {
        return true;
    }
    let Some(content_type) = headers.get("content-type") else {
        return headers.get("content-length").is_some_and(|l| l.trim() == "0");
    };
    let media_type = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    media_type == "application/json"
        || media_type.strip_prefix("application/").is_some_and(|sub| sub.ends_with("+json") && sub.len() > 5)
}

/// The session token a standalone guard verifies: `Authorization: Bearer` wins over the
/// `__session` cookie, as in Clerk.
pub fn session_token<'a>(headers: &Headers<'a>) -> Option<&'a str> {
    if let Some(auth) = headers.get("authorization") {
        let auth = auth.trim();
        if auth.len() > 7 && auth[..7].eq_ignore_ascii_case("bearer ") {
            return Some(auth[7..].trim());
        }
    }
    let cookies = headers.get("cookie")?;
    cookies.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (name.trim() == "__session").then(|| value.trim()).filter(|v| !v.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn parses_absolute_urls_only() {
        let parts = parse_url("https://App.Example.com:8443/a/b?x=1#f").expect("absolute URL");
        assert_eq!(parts.origin(), "https://app.example.com:8443");
        assert_eq!(parse_url("HTTP://h:1/").map(|p| p.origin()), Some("http://h:1".to_string()));
        assert_eq!(parts.pathname, "/a/b");
        assert_eq!(parse_url("https://example.com").map(|p| p.pathname), Some("/"));
        assert_eq!(parse_url("https://example.com?q").map(|p| p.pathname), Some("/"));
        for bad in ["/relative", "ftp://x/y", "https:///nohost", "http://user@host/", "javascript:alert(1)", "https:/x/y", "https:x", "x:y://h/"] {
            assert!(parse_url(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn classifies_documents_and_api_calls() {
        let api = vec!["/api".to_string()];
        let nav = headers(&[("Sec-Fetch-Dest", "document")]);
        assert!(is_document_request("GET", &Headers::new(&nav), "/dashboard", &api));
        assert!(!is_document_request("POST", &Headers::new(&nav), "/dashboard", &api));
        assert!(!is_document_request("GET", &Headers::new(&nav), "/api/me", &api));
        assert!(!is_document_request("GET", &Headers::new(&nav), "/API/me", &api));
        let fetch = headers(&[("sec-fetch-dest", "empty"), ("accept", "text/html")]);
        assert!(!is_document_request("GET", &Headers::new(&fetch), "/dashboard", &api));
        let curl_html = headers(&[("accept", "text/html,*/*")]);
        assert!(is_document_request("GET", &Headers::new(&curl_html), "/dashboard", &api));
        let rsc = headers(&[("rsc", "1"), ("sec-fetch-dest", "empty")]);
        assert!(is_document_request("GET", &Headers::new(&rsc), "/dashboard", &api));
        let action = headers(&[("next-action", "abc"), ("accept", "text/html")]);
        assert!(!is_document_request("GET", &Headers::new(&action), "/dashboard", &api));
        assert!(!is_document_request("GET", &Headers::new(&[]), "/apiary", &api) );
        assert!(is_under_prefix("/api", &api) && !is_under_prefix("/apiary", &api));
    }

    #[test]
    fn origin_checks() {
        let own = "https://app.example.com";
        let allowed = vec!["https://admin.example.com".to_string()];
        let h = |pairs: &[(&str, &str)]| headers(pairs);
        assert!(check_origin("GET", &Headers::new(&h(&[("origin", "https://evil.example")])), own, &allowed).is_ok());
        assert!(check_origin("POST", &Headers::new(&h(&[("origin", "https://APP.example.com")])), own, &allowed).is_ok());
        assert!(check_origin("POST", &Headers::new(&h(&[("origin", "https://admin.example.com")])), own, &allowed).is_ok());
        assert!(check_origin("POST", &Headers::new(&h(&[("origin", "https://evil.example")])), own, &allowed).is_err());
        assert!(check_origin("DELETE", &Headers::new(&h(&[("origin", "null")])), own, &allowed).is_err());
        assert!(check_origin("POST", &Headers::new(&h(&[("sec-fetch-site", "cross-site")])), own, &allowed).is_err());
        assert!(check_origin("POST", &Headers::new(&h(&[("sec-fetch-site", "same-origin")])), own, &allowed).is_ok());
        assert!(check_origin("POST", &Headers::new(&[]), own, &allowed).is_ok());
    }

    #[test]
    fn json_only_content_types() {
        let ok = |ct: &str| is_json_content_type_ok("POST", &Headers::new(&headers(&[("content-type", ct)])));
        assert!(ok("application/json"));
        assert!(ok("Application/JSON; charset=utf-8"));
        assert!(ok("application/merge-patch+json"));
        assert!(!ok("text/plain"));
        assert!(!ok("application/x-www-form-urlencoded"));
        assert!(!ok("multipart/form-data; boundary=x"));
        assert!(!ok("application/+json"));
        assert!(!is_json_content_type_ok("PUT", &Headers::new(&[])));
        assert!(is_json_content_type_ok("POST", &Headers::new(&headers(&[("content-length", "0")]))));
        assert!(is_json_content_type_ok("DELETE", &Headers::new(&[])));
    }

    #[test]
    fn bearer_wins_over_cookie() {
        let both = headers(&[("authorization", "Bearer header.token.x"), ("cookie", "a=1; __session=cookie.token.y")]);
        assert_eq!(session_token(&Headers::new(&both)), Some("header.token.x"));
        let cookie = headers(&[("cookie", "a=1; __session=cookie.token.y; b=2")]);
        assert_eq!(session_token(&Headers::new(&cookie)), Some("cookie.token.y"));
        let lookalike = headers(&[("cookie", "x__session=nope; __session_abc=nope")]);
        assert_eq!(session_token(&Headers::new(&lookalike)), None);
        let basic = headers(&[("authorization", "Basic dXNlcjpwYXNz")]);
        assert_eq!(session_token(&Headers::new(&basic)), None);
    }
}
