//! Route patterns (Clerk's `createRouteMatcher`, exactly) and the hardened canonical path.
//!
//! The decision matches policy rules against both `next_url_pathname(url.pathname)` (what Clerk
//! sees) and `canonicalize_path` of it (what Next.js routes), and takes the stricter outcome; a
//! path without canonical form is denied with reason `bad-path`.

mod alphabet;
#[rustfmt::skip]
mod casefold_table;
pub mod canonical;
mod charset;
mod decode_uri;
mod dfa;
mod dfa_union;
mod emit;
mod glushkov;
mod js_regex;
mod js_regex_class;
pub mod next_url;
mod path_to_regexp;
mod repetition_limit;
pub mod pattern;

pub use canonical::{canonicalize_path, canonicalize_path_cow, PathError};
pub use next_url::next_url_pathname;
pub use pattern::{compile_pattern, MalformedPath, PatternError, PreparedPath, RouteMatcher};
