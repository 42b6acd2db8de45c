//! Who is asking: the session from claims Clerk already verified (middleware mode) or from a token
//! the guard verifies itself (standalone), as an `Auth` or a signed-out state with its reason.

use crate::token::{auth_from_claims, validate_claims, Claims, KeySet, SharedAuth, TokenCache, VerifyOptions};

use super::request::{session_token, Headers, MAX_TOKEN_BYTES};

#[derive(Debug, Clone)]
pub enum Session {
    /// Shared with the token cache: a cached token's decisions carry one `Auth`, not copies.
    SignedIn(SharedAuth),
    SignedOut {
        /// `signed-out`, or the token's failure reason (`token-expired`, …).
        reason: String,
        /// A token was sent but did not make a session: 401s then say `error="invalid_token"`.
        token_sent: bool,
    },
}

/// Where the session comes from for one decision.
pub enum SessionSource<'a> {
    /// Clerk's middleware verified the token; `None` means Clerk found no session.
    Clerk(Option<&'a Claims>),
    /// The guard verifies the `Authorization: Bearer` / `__session` token itself.
    Standalone,
}

pub fn acquire_session(
    source: SessionSource,
    headers: &Headers,
    keys: Option<&KeySet>,
    cache: &mut TokenCache,
    options: &VerifyOptions,
) -> Session {
    match source {
        SessionSource::Clerk(Some(claims)) => {
            // Clerk checked the signature; the time window and required claims are checked again
            // so a misconfigured setup (stale claims, wrong clock) still fails closed.
            match validate_claims(claims, options).and_then(|()| auth_from_claims(claims)) {
                Ok(auth) => Session::SignedIn(SharedAuth::unshared(auth)),
                Err(error) => Session::SignedOut { reason: error.reason.to_string(), token_sent: true },
            }
        }
        SessionSource::Clerk(None) => {
            Session::SignedOut { reason: "signed-out".into(), token_sent: session_token(headers).is_some() }
        }
        SessionSource::Standalone => {
            let Some(token) = session_token(headers) else {
                return Session::SignedOut { reason: "signed-out".into(), token_sent: false };
            };
            let Some(keys) = keys else {
                return Session::SignedOut { reason: "signed-out".into(), token_sent: true };
            };
            if token.len() > MAX_TOKEN_BYTES {
                return Session::SignedOut { reason: "token-invalid".into(), token_sent: true };
            }
            // The cache re-checks the time window on a hit, so it never accepts what a fresh
            // verification would reject.
            match cache.verify_auth(token, keys, options) {
                Ok(auth) => Session::SignedIn(auth),
                Err(error) => Session::SignedOut { reason: error.reason.to_string(), token_sent: true },
            }
        }
    }
}
