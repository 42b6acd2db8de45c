//! The decide() pipeline (lands with the policy module).
