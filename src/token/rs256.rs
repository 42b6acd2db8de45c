//! RS256 verification lives in its own crate (crates/rs256) so the release profile can build it
//! for speed while the rest of the core is built for size.

pub use edgeguard_rs256::*;
