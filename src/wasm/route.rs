//! wasm surface of `route`: compiled pattern handles and the canonical path, errors as data.
//! Records cross the boundary as JSON text (one string copy, no per-field JS calls; keeps
//! serde-wasm-bindgen out of the .wasm).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::route::RouteMatcher;

/// Compiled string patterns of one `createRouteMatcher` call.
#[wasm_bindgen]
pub struct RouteMatcherHandle {
    inner: RouteMatcher,
}

#[wasm_bindgen]
impl RouteMatcherHandle {
    /// 1: matches, 0: does not, 2: malformed percent-encoding (Clerk throws MalformedURLError).
    pub fn test(&self, pathname: &str) -> u8 {
        match self.inner.try_matches(pathname) {
            Ok(true) => 1,
            Ok(false) => 0,
            Err(_) => 2,
        }
    }
}

#[derive(Serialize)]
struct PatternErrorRecord<'a> {
    pattern: &'a str,
    message: &'a str,
    unsupported: Option<&'a str>,
}

/// Throws the JSON text of `{ pattern, message, unsupported }` (a string, never an object, so
/// js/route.js tells it from an engine trap) for the first bad pattern.
#[wasm_bindgen(js_name = routeCompile)]
pub fn route_compile(patterns: Vec<String>) -> Result<RouteMatcherHandle, String> {
    RouteMatcher::new(&patterns)
        .map(|inner| RouteMatcherHandle { inner })
        .map_err(|error| {
            let record = PatternErrorRecord {
                pattern: &error.pattern,
                message: &error.message,
                unsupported: error.unsupported.as_deref(),
            };
            super::json_text(&record)
        })
}

#[derive(Serialize)]
#[serde(untagged)]
enum CanonicalRecord {
    Ok {
        ok: bool,
        path: String,
    },
    Refused {
        ok: bool,
        reason: &'static str,
        message: String,
    },
}

/// JSON text of `{ ok: true, path } | { ok: false, reason: "bad-path", message }`.
#[wasm_bindgen(js_name = routeCanonicalize)]
pub fn route_canonicalize(pathname: &str) -> String {
    let record = match crate::route::canonicalize_path(pathname) {
        Ok(path) => CanonicalRecord::Ok { ok: true, path },
        Err(error) => CanonicalRecord::Refused {
            ok: false,
            reason: crate::route::PathError::REASON,
            message: error.message,
        },
    };
    super::json_text(&record)
}

