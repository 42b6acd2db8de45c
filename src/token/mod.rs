//! Clerk session tokens: verification with `@clerk/backend`'s verdicts and reasons, session claims
//! (v1 and v2) decoded into [`Auth`], Clerk's `has()` authorization, and a bounded verified-token cache.
//!
//! Data flows: token → [`verify::verify_token`] (decode, header, key, signature, claims) →
//! [`claims::auth_from_claims`] → [`Auth::has`]. Every failure is a [`TokenError`] with a stable reason.

pub mod rs256;

mod b64;
pub mod cache;
pub mod claims;
mod der;
mod error;
pub mod has;
mod jsops;
pub(crate) mod json;
pub mod keys;
pub mod provider;
mod public_op;
pub mod record;
mod shared_auth;
pub mod verify;

pub use cache::{CacheLimits, CacheStats, TokenCache};
pub use claims::{auth_from_claims, Auth};
pub use error::{reason, ConfigError, TokenError};
pub use has::{HasQuery, Reverification};
pub use public_op::{set_rsa_public_op, PublicOp};
pub use shared_auth::SharedAuth;
pub use keys::KeySet;
pub use verify::{validate_claims, validate_claims_with_issuer, verify_token, verify_token_with_issuer, Claims, VerifyOptions};
