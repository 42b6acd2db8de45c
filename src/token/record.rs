//! JSON records in and out, for the wasm surface (and any other host): options and queries
//! arrive as JSON text, verdicts leave as JSON text, errors are data.

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::claims::{auth_from_claims, Auth};
use super::error::TokenError;
use super::has::HasQuery;
use super::keys::KeySet;
use super::verify::{verify_token_with_issuer, VerifyOptions, DEFAULT_CLOCK_SKEW_MS};

/// `verifyToken` options after the JS layer normalised them (lists are lists, `now` in ms).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifyOptionsRecord {
    #[serde(default)]
    pub authorized_parties: Option<Vec<String>>,
    #[serde(default)]
    pub issuers: Option<Vec<String>>,
    #[serde(default)]
    pub audience: Option<Vec<String>>,
    #[serde(default)]
    pub header_types: Option<Vec<String>>,
    #[serde(default)]
    pub clock_skew_ms: Option<u64>,
    pub now_ms: u64,
}

impl From<VerifyOptionsRecord> for VerifyOptions {
    fn from(record: VerifyOptionsRecord) -> VerifyOptions {
        VerifyOptions {
            authorized_parties: record.authorized_parties,
            issuers: record.issuers,
            audience: record.audience,
            header_types: record.header_types,
            clock_skew_ms: record.clock_skew_ms.unwrap_or(DEFAULT_CLOCK_SKEW_MS),
            now_ms: record.now_ms,
        }
    }
}

/// Verifies and decodes: `{"ok":true,"claims":…,"auth":…}` or `{"ok":false,"reason","message"}`.
pub fn verify_record(
    keys: &KeySet,
    token: &str,
    options_json: &str,
    issuer_predicate: Option<&mut dyn FnMut(&str) -> bool>,
) -> String {
    let options: VerifyOptions = match serde_json::from_str::<VerifyOptionsRecord>(options_json) {
        Ok(record) => record.into(),
        Err(e) => return failure("invalid-options", &format!("verifyToken options: {e}")),
    };
    let verdict = verify_token_with_issuer(token, keys, &options, issuer_predicate)
        .and_then(|claims| auth_from_claims(&claims).map(|auth| (claims, auth)));
    match verdict {
        Ok((claims, auth)) => json!({ "ok": true, "claims": claims, "auth": auth }).to_string(),
        Err(TokenError { reason, message }) => failure(reason, &message),
    }
}

/// [`verify_record`] for a host-side issuer predicate that cannot run inside the core: the
/// issuer step accepts any string `iss` and records it. When the record carries
/// `"issuerToCheck"`, the host evaluates its predicate on that value; a rejection there replaces
/// the verdict with `token-invalid-issuer` (the issuer step comes before every check that could
/// have failed after it), an acceptance keeps the verdict. Without `issuerToCheck` the verdict is
/// final (a non-string `iss` is already rejected, an earlier check already failed).
pub fn verify_record_deferring_issuer(keys: &KeySet, token: &str, options_json: &str) -> String {
    let mut seen: Option<String> = None;
    let mut record_issuer = |iss: &str| {
        seen = Some(iss.to_owned());
        true
    };
    let verdict = verify_record(keys, token, options_json, Some(&mut record_issuer));
    match (seen, serde_json::from_str::<Value>(&verdict)) {
        (Some(iss), Ok(Value::Object(mut object))) => {
            object.insert("issuerToCheck".to_owned(), Value::String(iss));
            Value::Object(object).to_string()
        }
        _ => verdict,
    }
}

/// Claims (already verified) → `{"ok":true,"auth":…}` or a failure record.
pub fn auth_record(claims_json: &str) -> String {
    let claims: Map<String, Value> = match serde_json::from_str(claims_json) {
        Ok(claims) => claims,
        Err(e) => return failure("invalid-claims", &format!("claims must be a JSON object: {e}")),
    };
    match auth_from_claims(&claims) {
        Ok(auth) => json!({ "ok": true, "auth": auth }).to_string(),
        Err(TokenError { reason, message }) => failure(reason, &message),
    }
}

/// Clerk's `has(query)` for an `Auth` record; anything unreadable answers false.
pub fn has_record(auth_json: &str, query_json: &str) -> bool {
    let Ok(auth) = serde_json::from_str::<Auth>(auth_json) else {
        return false;
    };
    let Ok(query) = serde_json::from_str::<Map<String, Value>>(query_json) else {
        return false;
    };
    auth.has(&HasQuery::from_json(&query))
}

/// `{"ok":false,"reason","message"}`.
pub fn failure(reason: &str, message: &str) -> String {
    json!({ "ok": false, "reason": reason, "message": message }).to_string()
}
