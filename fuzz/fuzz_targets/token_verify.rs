//! Session-token verification on arbitrary input: never a panic, the cached verdict always equals
//! the fresh one, and (with a key whose private half does not exist) never an acceptance.
//! Field 0 is the token; field 1, when it is a JSON object, is run through the post-signature
//! steps (claim checks, Auth decoding, has()) that a random token cannot reach.
#![no_main]

use std::sync::OnceLock;

use edgeguard::token::{auth_from_claims, validate_claims, HasQuery, KeySet, TokenCache, VerifyOptions};
use edgeguard_fuzz::{fields, text, JWT_KEY_PEM, NOW_MS, within_budget};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn keys() -> &'static KeySet {
    static KEYS: OnceLock<KeySet> = OnceLock::new();
    KEYS.get_or_init(|| KeySet::from_pem(JWT_KEY_PEM).expect("the fixed fuzz key parses"))
}

fuzz_target!(|data: &[u8]| within_budget(|| run(data)));

fn run(data: &[u8]) {
    let parts = fields(data, 3);
    let token = text(parts[0]);
    let options = VerifyOptions::at(NOW_MS);
    let fresh = edgeguard::token::verify_token(&token, keys(), &options);
    assert!(fresh.is_err(), "a token verified against a key nobody can sign with");
    let mut cache = TokenCache::new(Default::default());
    let cached = cache.verify(&token, keys(), &options).map(|c| (*c).clone());
    assert_eq!(fresh.as_ref().map_err(|e| e.reason), cached.as_ref().map_err(|e| e.reason));

    if let Ok(Value::Object(claims)) = serde_json::from_slice::<Value>(parts[1]) {
        let _ = validate_claims(&claims, &options);
        if let Ok(auth) = auth_from_claims(&claims) {
            if let Ok(Value::Object(query)) = serde_json::from_slice::<Value>(parts[2]) {
                let _ = auth.has(&HasQuery::from_json(&query));
            }
        }
    }
}
