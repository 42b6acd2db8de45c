//! The token core compiled to wasm32 gives Clerk's verdicts on the Clerk-labelled fixture tokens
//! (f64 time arithmetic, JSON, base64url, the SIMD RS256 kernel), decodes v1/v2 claims and answers
//! has() as natively. Run: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --target wasm32-unknown-unknown --test token_wasm` (Node runs it).
#![cfg(target_arch = "wasm32")]

mod token_support;

use edgeguard::token::record::{auth_record, has_record, verify_record};
use edgeguard::token::{CacheLimits, KeySet, TokenCache, VerifyOptions};
use serde_json::{json, Value};
use token_support::{cases, check_against_clerk, key_set, main_pem};
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen_test]
fn fixture_cases_get_clerks_verdicts_in_wasm() {
    let cases = cases();
    assert!(cases.len() > 250);
    for case in &cases {
        let keys = key_set(case);
        let record: Value =
            serde_json::from_str(&verify_record(&keys, &case.token, &case.options.to_string(), None)).expect("JSON");
        let ours = if record["ok"] == json!(true) { "ok" } else { record["reason"].as_str().expect("reason") };
        check_against_clerk(case, ours);
    }
}

#[wasm_bindgen_test]
fn cache_hits_agree_with_fresh_verifications_in_wasm() {
    let keys = KeySet::from_pem(&main_pem()).expect("key");
    let mut cache = TokenCache::new(CacheLimits::default());
    for case in cases().iter().filter(|c| c.keys.get("pem").is_some()) {
        let now_ms = case.options["nowMs"].as_u64().expect("nowMs");
        let options = VerifyOptions { clock_skew_ms: case.options["clockSkewMs"].as_u64().expect("skew"), ..VerifyOptions::at(now_ms) };
        for _ in 0..2 {
            let fresh = edgeguard::token::verify_token(&case.token, &keys, &options).map_err(|e| e.reason);
            let cached = cache.verify(&case.token, &keys, &options).map(|c| (*c).clone()).map_err(|e| e.reason);
            assert_eq!(cached, fresh, "{}", case.name);
        }
    }
    assert!(cache.stats().hits > 10);
}

#[wasm_bindgen_test]
fn v2_claims_and_has_in_wasm() {
    let claims = json!({ "sub": "user_1", "sid": "sess_1", "exp": 2, "v": 2, "fea": "o:invoices,u:export",
        "pla": "u:pro", "fva": [3, 12], "o": { "id": "org_1", "rol": "admin", "slg": "acme", "per": "read,write", "fpm": "2" } });
    let record: Value = serde_json::from_str(&auth_record(&claims.to_string())).expect("JSON");
    assert_eq!(record["ok"], json!(true));
    let auth = &record["auth"];
    assert_eq!(auth["orgRole"], "org:admin");
    assert_eq!(auth["orgPermissions"], json!(["org:invoices:write"]));
    let has = |query: Value| has_record(&auth.to_string(), &query.to_string());
    assert!(has(json!({ "role": "admin", "permission": "org:invoices:write" })));
    assert!(!has(json!({ "permission": "org:invoices:read" })));
    assert!(has(json!({ "feature": "u:export", "plan": "pro" })));
    assert!(has(json!({ "reverification": "moderate" })));
    assert!(!has(json!({ "reverification": "strict" })));
    assert!(!has(json!({ "reverification": { "level": "multi_factor", "afterMinutes": 10 } })));
    assert!(!has(json!({})));
}
