//! wasm surface of `token`: key sets as handles, options/claims/queries/verdicts as JSON text.

use js_sys::Function;
use wasm_bindgen::prelude::*;

use crate::token::{record, KeySet};

/// Parsed verification keys (PEM or JWKS), reused across verifications.
#[wasm_bindgen]
pub struct TokenKeys {
    inner: KeySet,
}

/// SPKI PEM → keys; throws an Error naming what is wrong with the key.
#[wasm_bindgen(js_name = tokenKeysFromPem)]
pub fn token_keys_from_pem(pem: &str) -> Result<TokenKeys, JsError> {
    KeySet::from_pem(pem).map(|inner| TokenKeys { inner }).map_err(|e| JsError::new(&e.message))
}

/// JWKS JSON text → keys; throws an Error naming what is wrong with the document.
#[wasm_bindgen(js_name = tokenKeysFromJwks)]
pub fn token_keys_from_jwks(jwks_json: &str) -> Result<TokenKeys, JsError> {
    KeySet::from_jwks_json(jwks_json).map(|inner| TokenKeys { inner }).map_err(|e| JsError::new(&e.message))
}

/// Verifies a session token; `issuer` (optional) is called with a string `iss` at Clerk's issuer
/// step and must return `true`; a throw counts as a rejection.
#[wasm_bindgen(js_name = verifySessionToken)]
pub fn verify_session_token(keys: &TokenKeys, token: &str, options_json: &str, issuer: Option<Function>) -> String {
    match issuer {
        Some(issuer) => {
            let mut accepts = |iss: &str| {
                issuer.call1(&JsValue::NULL, &JsValue::from_str(iss)).is_ok_and(|answer| answer == JsValue::TRUE)
            };
            record::verify_record(&keys.inner, token, options_json, Some(&mut accepts))
        }
        None => record::verify_record(&keys.inner, token, options_json, None),
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
