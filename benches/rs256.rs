//! Placeholder until the RS256 benchmark lands (see the next commit).
fn main() {}
