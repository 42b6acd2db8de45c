//! Session-token verification, natively: Clerk-labelled fixtures (tests/token_fixtures, verdicts
//! of @clerk/backend's verifyToken), exact time-window arithmetic, key configuration errors, the
//! issuer predicate's place in the order, the jsonwebtoken provider, and hostile input.
//! Run: `cargo test --test token_verify`.
#![cfg(not(target_arch = "wasm32"))]

mod token_support;

use edgeguard::token::record::verify_record;
use edgeguard::token::{
    reason, validate_claims, verify_token, verify_token_with_issuer, Claims, KeySet, TokenError, VerifyOptions,
};
use serde_json::{json, Value};
use token_support::signer::Signer;
use token_support::{cases, check_against_clerk, key_set, main_pem, pem};

const NOW: u64 = 1_700_000_000;

fn verdict(result: &Result<Claims, TokenError>) -> &str {
    match result {
        Ok(_) => "ok",
        Err(e) => e.reason,
    }
}

fn claims(extra: Value) -> Value {
    let mut base = json!({ "sub": "user_1", "sid": "sess_1", "iat": NOW - 1, "nbf": NOW - 6, "exp": NOW + 60,
        "iss": "https://clerk.example.com", "azp": "https://app.example.com" });
    for (k, v) in extra.as_object().expect("object") {
        if v.is_null() {
            base.as_object_mut().expect("object").remove(k);
        } else {
            base[k] = v.clone();
        }
    }
    base
}

#[test]
fn fixture_cases_get_clerks_verdicts() {
    let cases = cases();
    assert!(cases.len() > 250, "fixtures went missing");
    let mut compared = 0;
    for case in &cases {
        let keys = key_set(case);
        let record: Value = serde_json::from_str(&verify_record(&keys, &case.token, &case.options.to_string(), None))
            .expect("record is JSON");
        let ours = if record["ok"] == json!(true) { "ok" } else { record["reason"].as_str().expect("reason") };
        check_against_clerk(case, ours);
        compared += 1;
    }
    assert_eq!(compared, cases.len());
}

#[test]
fn validate_claims_agrees_with_the_claim_stage_of_verify_token() {
    let keys = KeySet::from_pem(&main_pem()).expect("key");
    let signer = Signer::main();
    let variants = [
        json!({}),
        json!({ "sub": "" }),
        json!({ "sub": 5 }),
        json!({ "exp": NOW - 10 }),
        json!({ "nbf": NOW + 10 }),
        json!({ "iat": NOW + 10 }),
        json!({ "iss": "https://evil.example.com" }),
        json!({ "azp": null }),
        json!({ "aud": ["x"] }),
        json!({ "aud": 5 }),
        json!({ "exp": -1e13 }),
        json!({ "exp": "soon" }),
    ];
    let option_sets = [
        VerifyOptions::at(NOW * 1000),
        VerifyOptions {
            authorized_parties: Some(vec!["https://app.example.com".into()]),
            issuers: Some(vec!["https://clerk.example.com".into()]),
            audience: Some(vec!["api".into()]),
            ..VerifyOptions::at(NOW * 1000 + 999)
        },
    ];
    for variant in &variants {
        let payload = claims(variant.clone());
        let token = signer.token(&payload);
        for options in &option_sets {
            let fresh = verify_token(&token, &keys, options);
            let map = payload.as_object().expect("object").clone();
            let validated = validate_claims(&map, options).map(|()| map);
            assert_eq!(verdict(&fresh), verdict(&validated), "{variant}");
        }
    }
}

/// Clerk reads a NumericDate as `new Date(0).setUTCSeconds(v)`: seconds truncated toward zero,
/// then compared in milliseconds with the skew; the expected verdicts below are that formula.
/// The sweep runs on the claim stage (`validate_claims`, shown equal to `verify_token`'s above);
/// a few signed tokens pin the same boundaries end to end.
#[test]
fn time_window_boundaries_to_the_millisecond() {
    let check = |payload: &Value, options: &VerifyOptions| {
        let map = payload.as_object().expect("object").clone();
        match validate_claims(&map, options) {
            Ok(()) => "ok",
            Err(e) => e.reason,
        }
    };
    for offset in -8i64..=8 {
        for fraction in [0.0, 0.5, -0.5, 0.999] {
            let exp = NOW as f64 + offset as f64 + fraction;
            let nbf = NOW as f64 - offset as f64 + fraction;
            let with_exp = claims(json!({ "exp": exp, "nbf": null, "iat": null }));
            let with_nbf = claims(json!({ "nbf": nbf, "iat": null }));
            let with_iat = claims(json!({ "iat": nbf, "nbf": null }));
            for now_ms_part in [0u64, 1, 250, 999] {
                for skew in [0u64, 1, 249, 250, 999, 1000, 5000] {
                    let now_ms = NOW * 1000 + now_ms_part;
                    let options = VerifyOptions { clock_skew_ms: skew, ..VerifyOptions::at(now_ms) };
                    let (now, skew_i) = (now_ms as i128, skew as i128);
                    let expired = (exp.trunc() as i128) * 1000 <= now - skew_i;
                    let early = (nbf.trunc() as i128) * 1000 > now + skew_i;
                    let context = format!("exp/nbf offset {offset}{fraction:+} now +{now_ms_part} ms skew {skew}");
                    assert_eq!(check(&with_exp, &options), if expired { reason::TOKEN_EXPIRED } else { "ok" }, "{context}");
                    assert_eq!(check(&with_nbf, &options), if early { reason::TOKEN_NOT_ACTIVE_YET } else { "ok" }, "{context}");
                    assert_eq!(check(&with_iat, &options), if early { reason::TOKEN_IAT_IN_THE_FUTURE } else { "ok" }, "{context}");
                }
            }
        }
    }

    let keys = KeySet::from_pem(&main_pem()).expect("key");
    let signer = Signer::main();
    let at = |now_ms_part: u64, skew: u64| VerifyOptions { clock_skew_ms: skew, ..VerifyOptions::at(NOW * 1000 + now_ms_part) };
    let exp_now = signer.token(&claims(json!({ "exp": NOW, "nbf": null, "iat": null })));
    assert_eq!(verdict(&verify_token(&exp_now, &keys, &at(0, 0))), reason::TOKEN_EXPIRED);
    assert_eq!(verdict(&verify_token(&exp_now, &keys, &at(0, 1))), "ok");
    let nbf_soon = signer.token(&claims(json!({ "nbf": NOW + 5, "iat": null })));
    assert_eq!(verdict(&verify_token(&nbf_soon, &keys, &at(250, 4750))), "ok");
    assert_eq!(verdict(&verify_token(&nbf_soon, &keys, &at(250, 4749))), reason::TOKEN_NOT_ACTIVE_YET);
}

#[test]
fn time_claims_beyond_the_date_range_are_rejected() {
    let keys = KeySet::from_pem(&main_pem()).expect("key");
    let signer = Signer::main();
    let options = VerifyOptions::at(NOW * 1000);
    for (claim, value, expected) in [
        ("exp", 8.64e12, "ok"),
        ("exp", 8.64e12 + 1.0, reason::TOKEN_VERIFICATION_FAILED),
        ("exp", -1e13, reason::TOKEN_VERIFICATION_FAILED),
        ("exp", 1e300, reason::TOKEN_VERIFICATION_FAILED),
        ("nbf", -8.64e12, "ok"),
        ("nbf", -8.64e12 - 1.0, reason::TOKEN_VERIFICATION_FAILED),
        ("iat", -1e300, reason::TOKEN_VERIFICATION_FAILED),
    ] {
        let token = signer.token(&claims(json!({ claim: value })));
        assert_eq!(verdict(&verify_token(&token, &keys, &options)), expected, "{claim} = {value}");
    }
}

#[test]
fn the_issuer_predicate_runs_at_clerks_issuer_step() {
    let keys = KeySet::from_pem(&main_pem()).expect("key");
    let signer = Signer::main();
    let late = VerifyOptions::at((NOW + 3600) * 1000); // every token below is expired by then
    let token = signer.token(&claims(json!({ "iss": "https://evil.example.com" })));
    let mut seen = Vec::new();
    let mut reject = |iss: &str| {
        seen.push(iss.to_owned());
        false
    };
    assert_eq!(verdict(&verify_token_with_issuer(&token, &keys, &late, Some(&mut reject))), reason::TOKEN_INVALID_ISSUER);
    assert_eq!(seen, ["https://evil.example.com"]);
    let mut accept = |_: &str| true;
    assert_eq!(verdict(&verify_token_with_issuer(&token, &keys, &late, Some(&mut accept))), reason::TOKEN_EXPIRED);

    // Earlier checks win over the issuer, and a non-string iss never reaches the predicate.
    let bad_azp = VerifyOptions { authorized_parties: Some(vec!["https://other.example.com".into()]), ..late.clone() };
    let mut never = |_: &str| -> bool { panic!("predicate must not run") };
    assert_eq!(
        verdict(&verify_token_with_issuer(&token, &keys, &bad_azp, Some(&mut never))),
        reason::TOKEN_INVALID_AUTHORIZED_PARTIES
    );
    let numeric_iss = signer.token(&claims(json!({ "iss": 5 })));
    assert_eq!(
        verdict(&verify_token_with_issuer(&numeric_iss, &keys, &late, Some(&mut never))),
        reason::TOKEN_INVALID_ISSUER
    );
}

#[test]
fn key_configuration_errors_name_the_problem() {
    let pkcs8_private = "-----BEGIN PRIVATE KEY-----\nMIIBVQIBADANBgkqhkiG9w0BAQEFAASCAT8wggE7AgEAAkEA\n-----END PRIVATE KEY-----";
    let pkcs1 = "-----BEGIN RSA PUBLIC KEY-----\nMAoCAwEAAQIDAQAB\n-----END RSA PUBLIC KEY-----";
    for (pem_text, needle) in [
        ("", "BEGIN PUBLIC KEY"),
        ("hello", "BEGIN PUBLIC KEY"),
        (pkcs8_private, "private key"),
        (pkcs1, "PKCS#1"),
        ("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----", "base64"),
        ("-----BEGIN PUBLIC KEY-----\nMAA=\n-----END PUBLIC KEY-----", "DER"),
    ] {
        let error = KeySet::from_pem(pem_text).expect_err(pem_text);
        assert!(error.message.contains(needle), "{pem_text:?}: {}", error.message);
    }
    let weak = KeySet::from_pem(&pem("rsa1024")).expect_err("1024-bit key");
    assert!(weak.message.contains("1024"), "{}", weak.message);
    // Whitespace and line endings do not matter, as in Clerk.
    let main = main_pem();
    KeySet::from_pem(&main.replace('\n', "\r\n")).expect("CRLF");
    KeySet::from_pem(&format!("  {}  ", main.replace('\n', ""))).expect("one line");

    for jwks in [json!([]), json!({}), json!({ "keys": [] }), json!({ "keys": [null] }), json!({ "keys": [{ "kty": "RSA" }] }), json!({ "keys": [{ "kid": 1 }] })] {
        assert!(KeySet::from_jwks_value(&jwks).is_err(), "{jwks}");
    }
    assert!(KeySet::from_jwks_json("{").is_err());
}

#[test]
fn jwks_entries_webcrypto_would_refuse_fail_at_the_signature_step() {
    let signer = Signer::main();
    let token = signer.token(&claims(json!({})));
    let options = VerifyOptions::at(NOW * 1000);
    let fixtures = token_support::fixtures();
    let n = fixtures["keys"]["main"]["n"].as_str().expect("n").to_owned();
    let n = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        (0..n.len()).step_by(2).map(|i| u8::from_str_radix(&n[i..i + 2], 16).expect("hex")).collect::<Vec<u8>>(),
    );
    let jwk = |extra: Value| {
        let mut key = json!({ "kty": "RSA", "kid": "ins_2abc", "n": n, "e": "AQAB" });
        for (k, v) in extra.as_object().expect("object") {
            key[k] = v.clone();
        }
        KeySet::from_jwks_value(&json!({ "keys": [key] })).expect("structurally valid JWKS")
    };
    assert_eq!(verdict(&verify_token(&token, &jwk(json!({})), &options)), "ok");
    assert_eq!(verdict(&verify_token(&token, &jwk(json!({ "alg": "RS256", "use": "sig", "key_ops": ["verify"] })), &options)), "ok");
    for extra in [
        json!({ "use": "enc" }),
        json!({ "key_ops": ["sign"] }),
        json!({ "alg": "RS512" }),
        json!({ "kty": "EC" }),
        json!({ "d": "AQAB" }),
        json!({ "e": "AQ" }),
        json!({ "n": "AQAB" }),
        json!({ "n": 5 }),
    ] {
        assert_eq!(verdict(&verify_token(&token, &jwk(extra.clone()), &options)), reason::TOKEN_VERIFICATION_FAILED, "{extra}");
    }
    let other_kid = KeySet::from_jwks_value(&json!({ "keys": [{ "kty": "RSA", "kid": "x", "n": n, "e": "AQAB" }] })).expect("jwks");
    assert_eq!(verdict(&verify_token(&token, &other_kid, &options)), reason::JWK_KID_MISMATCH);
}

#[test]
fn jsonwebtoken_with_the_edgeguard_provider_verifies_rs256_only() {
    use jsonwebtoken::{decode, Algorithm, DecodingKey, Validation};
    assert!(edgeguard::token::provider::install());
    let signer = Signer::main();
    let token = signer.token(&claims(json!({ "exp": 4_000_000_000u64 })));
    let fixtures = token_support::fixtures();
    let hex = |name: &str| -> Vec<u8> {
        let s = fixtures["keys"]["main"][name].as_str().expect("hex");
        let s = if s.len() % 2 == 1 { format!("0{s}") } else { s.to_owned() };
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
    };
    let key = DecodingKey::from_rsa_raw_components(&hex("n"), &hex("e"));
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_aud = false;
    let data = decode::<Value>(&token, &key, &validation).expect("RS256 verifies through the provider");
    assert_eq!(data.claims["sub"], "user_1");

    let tampered = format!("{}x", &token[..token.len() - 1]);
    assert!(decode::<Value>(&tampered, &key, &validation).is_err());
    // No HMAC: the public key bytes cannot become an HS256 secret.
    let hmac_key = DecodingKey::from_secret(main_pem().as_bytes());
    assert!(decode::<Value>(&token, &hmac_key, &Validation::new(Algorithm::HS256)).is_err());
    assert!(decode::<Value>(&token, &key, &Validation::new(Algorithm::PS256)).is_err());
}

/// Random damage to real tokens: never a panic, never an acceptance of a changed token.
#[test]
fn hostile_mutations_never_panic_nor_pass() {
    let keys = KeySet::from_pem(&main_pem()).expect("key");
    let signer = Signer::main();
    let token = signer.token(&claims(json!({ "exp": 4_000_000_000u64 })));
    let options = VerifyOptions::at(NOW * 1000);
    assert_eq!(verdict(&verify_token(&token, &keys, &options)), "ok");
    let alphabet = b"AZaz09-_.=+/ \x00\xff{}\"";
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |bound: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % bound as u64) as usize
    };
    let bytes = token.as_bytes();
    for _ in 0..20_000 {
        let mut mutated = bytes.to_vec();
        for _ in 0..1 + next(3) {
            let at = next(mutated.len().max(1));
            match next(4) {
                0 => {
                    let last = mutated.len() - 1;
                    mutated[at.min(last)] = alphabet[next(alphabet.len())];
                }
                1 => mutated.truncate(at),
                2 => mutated.insert(at, alphabet[next(alphabet.len())]),
                _ => {
                    if !mutated.is_empty() {
                        mutated.remove(at.min(mutated.len() - 1));
                    }
                }
            }
            if mutated.is_empty() {
                break;
            }
        }
        let Ok(text) = String::from_utf8(mutated) else { continue };
        let result = verify_token(&text, &keys, &options);
        if text != token {
            assert!(result.is_err(), "accepted a changed token: {text}");
        }
    }
}
