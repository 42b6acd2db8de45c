//! The decide() pipeline: request → canonical path → rule → session → requirement → decision.
//! Every path through it ends in a Decision; nothing in here panics or returns an error.

pub mod decision_text;
mod guard;
pub mod outcome;
pub mod request;
mod session;
pub mod wire;

pub use guard::{Guard, GuardOptions};
pub use outcome::{Action, Decision};
pub use request::RequestRecord;

use serde_json::Value;

/// Per-request inputs besides the request itself.
#[derive(Debug, Clone, Default)]
pub struct DecideContext {
    /// Unix milliseconds.
    pub now_ms: u64,
    /// `Some(..)` when Clerk's middleware supplied the session: `Some(None)` = Clerk found none.
    pub clerk_claims: Option<Option<serde_json::Map<String, Value>>>,
    /// The raw body, when the caller has it (route handlers), for webhook signature checks.
    pub body: Option<Vec<u8>>,
}

/// Collects explain() lines; free when off.
pub struct Trace {
    lines: Option<Vec<String>>,
}

impl Trace {
    pub fn off() -> Self {
        Trace { lines: None }
    }
    pub fn on() -> Self {
        Trace { lines: Some(Vec::new()) }
    }
    pub fn note(&mut self, line: impl FnOnce() -> String) {
        if let Some(lines) = &mut self.lines {
            lines.push(line());
        }
    }
    pub fn is_on(&self) -> bool {
        self.lines.is_some()
    }
    pub fn into_lines(self) -> Vec<String> {
        self.lines.unwrap_or_default()
    }
}
