//! Clerk's `createRouteMatcher` for string patterns, as a linear-time matcher.
//!
//! Clerk (`@clerk/shared` `createPathMatcher`) compiles each truthy pattern with its vendored
//! path-to-regexp 6 (`new RegExp(source, "i")`) and tests `normalizePath(req.nextUrl.pathname)`:
//! `decodeURI` (a malformed escape throws `MalformedURLError`) then `//+` → `/`. Here the same
//! source is built (`path_to_regexp`), parsed as V8 would (`js_regex`) and written as a regex-lite
//! pattern with the same language (`emit`). Constructs that cannot be matched identically are
//! refused when the matcher is created, never answered differently.

use std::fmt;

use regex_lite::{Regex, RegexBuilder};

use super::decode_uri::clerk_normalize_path;
use super::emit::{emit, utf16_haystack};
use super::js_regex::{parse, RegexError};
use super::path_to_regexp::regexp_source;

const DOCS: &str = "Consult the documentation of path-to-regexp here: https://github.com/pillarjs/path-to-regexp/tree/6.x";

/// A pattern Clerk would reject (same message as Clerk's `Invalid path: …` error), or one
/// edgeguard refuses because it cannot match it identically (`unsupported` names the construct).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    pub pattern: String,
    pub message: String,
    /// `Some(construct)` when Clerk accepts the pattern but edgeguard deliberately does not.
    pub unsupported: Option<String>,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatternError {}

/// The path could not be decoded: Clerk throws `MalformedURLError` (HTTP 400) here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MalformedPath {
    pub message: String,
}

impl fmt::Display for MalformedPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Clone, Debug)]
pub struct RouteMatcher {
    regexes: Vec<Regex>,
}

impl RouteMatcher {
    /// Compiles every non-empty pattern (Clerk drops falsy entries); the first invalid or
    /// unsupported pattern is the error.
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<RouteMatcher, PatternError> {
        let regexes = patterns
            .iter()
            .map(AsRef::as_ref)
            .filter(|p| !p.is_empty())
            .map(compile_pattern)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RouteMatcher { regexes })
    }

    /// Number of compiled patterns.
    pub fn len(&self) -> usize {
        self.regexes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.regexes.is_empty()
    }

    /// Clerk's answer for a WHATWG pathname (`req.nextUrl.pathname`), including its throw on a
    /// malformed escape. Like Clerk, a matcher without patterns never looks at the path.
    pub fn try_matches(&self, pathname: &str) -> Result<bool, MalformedPath> {
        if self.regexes.is_empty() {
            return Ok(false);
        }
        let normalized = clerk_normalize_path(pathname).ok_or_else(|| MalformedPath {
            message: format!("Malformed encoding in URL path: {pathname}"),
        })?;
        let haystack = utf16_haystack(&normalized);
        Ok(self.regexes.iter().any(|re| re.is_match(&haystack)))
    }

    /// `try_matches` with a malformed path answered `false`. Callers deciding access must reject
    /// malformed paths first (`canonicalize_path` does, with reason `bad-path`).
    pub fn matches(&self, pathname: &str) -> bool {
        self.try_matches(pathname).unwrap_or(false)
    }
}

/// One pattern → its linear-time regex, or Clerk's error for it.
pub fn compile_pattern(pattern: &str) -> Result<Regex, PatternError> {
    let fail = |detail: String, unsupported: Option<String>| PatternError {
        pattern: pattern.to_string(),
        message: format!("Invalid path: {pattern}.\n{DOCS}\n{detail}"),
        unsupported,
    };
    let units: Vec<u16> = pattern.encode_utf16().collect();
    let source = regexp_source(&units).map_err(|type_error| fail(type_error, None))?;
    let shown = String::from_utf16_lossy(&source);
    let refuse = |construct: String| {
        let detail = format!(
            "edgeguard cannot match /{shown}/i exactly as Clerk does: {construct} is not supported"
        );
        fail(detail, Some(construct))
    };
    let ast = parse(&source).map_err(|error| match error {
        RegexError::Syntax(reason) => fail(
            format!("Invalid regular expression: /{shown}/i: {reason}"),
            None,
        ),
        RegexError::Unsupported(construct) => refuse(construct),
    })?;
    let translated = emit(&ast).map_err(refuse)?;
    RegexBuilder::new(&translated)
        .nest_limit(200)
        .build()
        .map_err(|_| refuse("a pattern this large".to_string()))
}
