//! Route patterns (Clerk's `createRouteMatcher`, exactly) and the hardened canonical path.

mod casefold_table;
mod charset;
mod decode_uri;
mod emit;
mod js_regex;
mod path_to_regexp;
pub mod pattern;

pub use pattern::{compile_pattern, MalformedPath, PatternError, RouteMatcher};
