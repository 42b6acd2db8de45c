//! (module under construction)
pub mod rs256;
