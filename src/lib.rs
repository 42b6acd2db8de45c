//! edgeguard: the authentication and authorization decision for a Next.js + Clerk app.
//!
//! Data flows one way: request → canonical path → rule → session → requirement → decision.
//! This file only wires modules together; each concept lives in its own module.

pub mod route;
pub mod token;
pub mod webhook;
pub mod policy;
pub mod decision;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

#[cfg(test)]
mod test_rng;
