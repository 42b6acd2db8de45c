//! The policy: typed model, validation with diagnostics, lint, requirement evaluation.
pub mod eval;
mod lint;
pub mod model;
pub mod validate;

pub use model::{Access, DefaultAction, Policy, Requirements, Rule};
pub use validate::{read_policy, read_policy_text, Diagnostic, Validation};
