//! wasm surface of `token`: key sets as handles, options/claims/queries/verdicts as JSON text.
//! Nothing here throws: a key that cannot be used is a handle whose `error()` says why.

use wasm_bindgen::prelude::*;

use crate::token::{record, KeySet};

/// Parsed verification keys (PEM or JWKS), reused across verifications.
#[wasm_bindgen]
pub struct TokenKeys {
    inner: Result<KeySet, String>,
}

#[wasm_bindgen]
impl TokenKeys {
    /// Why the key configuration cannot be used, or `undefined` when it can.
    pub fn error(&self) -> Option<String> {
        self.inner.as_ref().err().cloned()
    }
}

/// SPKI PEM → keys.
#[wasm_bindgen(js_name = tokenKeysFromPem)]
pub fn token_keys_from_pem(pem: &str) -> TokenKeys {
    TokenKeys { inner: KeySet::from_pem(pem).map_err(|e| e.message) }
}

/// JWKS JSON text → keys.
#[wasm_bindgen(js_name = tokenKeysFromJwks)]
pub fn token_keys_from_jwks(jwks_json: &str) -> TokenKeys {
    TokenKeys { inner: KeySet::from_jwks_json(jwks_json).map_err(|e| e.message) }
}

/// Verifies a session token. With `defer_issuer`, the issuer step accepts any string `iss` and
/// the record names it (`issuerToCheck`) for the caller's own predicate, which then decides
/// exactly as if it had run at that step (see `record::verify_record_deferring_issuer`).
#[wasm_bindgen(js_name = verifySessionToken)]
pub fn verify_session_token(keys: &TokenKeys, token: &str, options_json: &str, defer_issuer: bool) -> String {
    match &keys.inner {
        Err(message) => record::failure("invalid-options", message),
        Ok(keys) if defer_issuer => record::verify_record_deferring_issuer(keys, token, options_json),
        Ok(keys) => record::verify_record(keys, token, options_json, None),
    }
}

/// Verified claims (JSON) → `Auth` record (JSON).
#[wasm_bindgen(js_name = authFromClaims)]
pub fn auth_from_claims(claims_json: &str) -> String {
    record::auth_record(claims_json)
}

/// Clerk's `has()` over an `Auth` record.
#[wasm_bindgen(js_name = hasAuthorization)]
pub fn has_authorization(auth_json: &str, query_json: &str) -> bool {
    record::has_record(auth_json, query_json)
}
