//! A tiny deterministic generator for the unit tests (xorshift32): seeded, so a failure replays.

pub(crate) fn xorshift32(mut state: u32) -> impl FnMut() -> u32 {
    move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state
    }
}
