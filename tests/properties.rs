//! Property tests (proptest) over the core's public Rust API:
//! - a token that fails fresh verification never passes from the cache (any sequence of tokens,
//!   clocks, options and key sets: the cached verdict equals the fresh one);
//! - the remaining properties (decision shapes, canonical paths, policy monotonicity) live in
//!   the sections below.
//!
//! Test key: an RSA-2048 pair made for this file only (its private exponent is here so genuine
//! tokens can be signed without a crypto dependency).
//! Native only: proptest and num-bigint are native dev-dependencies.
#![cfg(not(target_arch = "wasm32"))]

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use edgeguard::token::{KeySet, TokenCache, VerifyOptions};
use num_bigint::BigUint;
use proptest::prelude::*;
use serde_json::json;
use sha2::{Digest, Sha256};

const TEST_KEY_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvLXJnYqAXDjxnJzLKh/0\n33f8cw9gTF2FpqiDBAkiOyfoZ88eDm/A0kIpeBe4HaLl2ELpojVY1KWqYvvMf0U+\nFP+cTPKVRw0MmABfY9s9K8/nQ/kBRnjeYD2nDYULrYrICQqmJmXnnjag3uh4dpwE\n165IKuCLWm6+u8gNgxNcn26otsNlIioZ06E6ojreMSdJzoR59cH/70JlVvhnfcyZ\nl7cDNraDzGF9dB1e4WLAjY21UvkO/OgGoLiF86mNckA/MFZdGoDZDUQYHG1/xN3i\nf7VFJ8u3dpIBedQ5kJxswd09immUPRTJfZHT8Tfv2HF5UElHuB0G1w8M3TWaHQlz\nHwIDAQAB\n-----END PUBLIC KEY-----\n";
const TEST_N_HEX: &str = "bcb5c99d8a805c38f19c9ccb2a1ff4df77fc730f604c5d85a6a8830409223b27e867cf1e0e6fc0d242297817b81da2e5d842e9a23558d4a5aa62fbcc7f453e14ff9c4cf295470d0c98005f63db3d2bcfe743f9014678de603da70d850bad8ac8090aa62665e79e36a0dee878769c04d7ae482ae08b5a6ebebbc80d83135c9f6ea8b6c365222a19d3a13aa23ade312749ce8479f5c1ffef426556f8677dcc9997b70336b683cc617d741d5ee162c08d8db552f90efce806a0b885f3a98d72403f30565d1a80d90d44181c6d7fc4dde27fb54527cbb776920179d439909c6cc1dd3d8a69943d14c97d91d3f137efd87179504947b81d06d70f0cdd359a1d09731f";
const TEST_D_HEX: &str = "0d4df1bf7a2ecf91b2331cf8d3e8f9de317aea6fc895c9b82d064f6a5eec7b683661ef3fcabbc547eda337d4d045c2a0dacce8e4e746f283158eb1fafa741acae73491563f0109e1fbeb76ce36fc4a94f7549aff24854c0454046d97163a2f8127e608cdc73c7bb29547f1f2e045e2af841991705052d960f82344149c2e590d188f0ba303f8a6a9237eee2017b394d90f81f091359f843bd935c6f5dd1029a861db8acecd786bb137c97d07ae5a86ddc17616dd6ac2fbd6bb3c23af3b6cea6e1479217ab0cd48ecebdbb45f95e0f3fa3bf4c95d4562c38fe3b77b13c58c4a63c6998709901887663f87f14db9f3358163055ef5db849de114eba2eb04d1407d";
/// Another RSA-2048 public key (fuzz/src/lib.rs): tokens signed with the test key must fail with it.
const OTHER_KEY_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1sPdSrRNhAdcsudIAKrE\n4Y8+Ml9Rjr+VbE/o3+eszevpw2kDDbmuC2gz1C7t1B4VBbUEwAq4xB5aACMcLFk7\nRIrip3JX00urUy7E+S8Oc3PnwgsU0XKcbRba9QqxDekXQH+fmoq/5Ujiq4Xzgoh6\niMbAEFeMBfl/dAg0KJov4c/XEtrVGscvVIMyXLbWFCjGrCveCezBNhgxp5YMpX94\nzWvNCHfKhVj4PhKJJG00jR8Pn3xVnnIpfHeR15kGLbDANpn8Ctyvws21Osd8zIeO\no3AW7dnMvGtaTRvltC8dx/Wat6xbhF7ia4f5ZqiZT7wVmcPRZPnnFn42S4sTAxhx\nQwIDAQAB\n-----END PUBLIC KEY-----\n";
const BASE_MS: u64 = 1_750_000_000_000;

fn big(hex: &str) -> BigUint {
    BigUint::parse_bytes(hex.as_bytes(), 16).expect("hex constant")
}

/// RS256 (EMSA-PKCS1-v1_5, SHA-256) by textbook RSA: m^d mod n.
fn sign_rs256(input: &str) -> Vec<u8> {
    let digest_info = hex_bytes("3031300d060960864801650304020105000420");
    let hash = Sha256::digest(input.as_bytes());
    let mut em = vec![0x00, 0x01];
    em.resize(256 - 1 - digest_info.len() - hash.len(), 0xff);
    em.push(0x00);
    em.extend_from_slice(&digest_info);
    em.extend_from_slice(&hash);
    let s = BigUint::from_bytes_be(&em).modpow(&big(TEST_D_HEX), &big(TEST_N_HEX)).to_bytes_be();
    let mut out = vec![0u8; 256 - s.len()];
    out.extend_from_slice(&s);
    out
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")).collect()
}

fn token_with(header: &serde_json::Value, claims: &serde_json::Value) -> String {
    let input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = URL_SAFE_NO_PAD.encode(sign_rs256(&input));
    format!("{input}.{signature}")
}

/// A fixed pool of genuinely signed tokens with varied windows, parties, issuers, types and
/// audiences (signing is slow, so the pool is made once; properties vary everything else).
fn token_pool() -> &'static Vec<String> {
    static POOL: OnceLock<Vec<String>> = OnceLock::new();
    POOL.get_or_init(|| {
        let base = (BASE_MS / 1000) as i64;
        let mut pool = Vec::new();
        for (i, (exp, nbf, azp, iss, typ, aud)) in [
            (600, -10, Some("https://a.example"), "https://clerk.a.example", None, None),
            (30, -10, None, "https://clerk.a.example", Some("JWT"), None),
            (5, 0, Some("https://b.example"), "https://clerk.b.example", None, Some("api")),
            (-20, -60, None, "https://clerk.a.example", None, None),
            (120, 20, Some("https://a.example"), "https://clerk.a.example", Some("at+jwt"), None),
            (3600, -3600, None, "", None, Some("other")),
        ]
        .into_iter()
        .enumerate()
        {
            let mut claims = json!({
                "sub": format!("user_{i}"), "sid": format!("sess_{i}"), "iat": base - 10,
                "nbf": base + nbf, "exp": base + exp, "iss": iss, "v": 2,
            });
            if let Some(azp) = azp {
                claims["azp"] = json!(azp);
            }
            if let Some(aud) = aud {
                claims["aud"] = json!(aud);
            }
            let mut header = json!({ "alg": "RS256", "kid": "ins_test" });
            if let Some(typ) = typ {
                header["typ"] = json!(typ);
            }
            pool.push(token_with(&header, &claims));
        }
        pool
    })
}

fn key_sets() -> &'static [KeySet; 2] {
    static KEYS: OnceLock<[KeySet; 2]> = OnceLock::new();
    KEYS.get_or_init(|| {
        [
            KeySet::from_pem(TEST_KEY_PEM).expect("test key"),
            KeySet::from_pem(OTHER_KEY_PEM).expect("other key"),
        ]
    })
}

fn options_strategy() -> impl Strategy<Value = VerifyOptions> {
    let parties = prop::option::of(prop::sample::subsequence(vec!["https://a.example".to_owned(), "https://b.example".to_owned()], 0..=2));
    let issuers = prop::option::of(prop::sample::subsequence(vec!["https://clerk.a.example".to_owned(), "https://clerk.b.example".to_owned()], 0..=2));
    let audience = prop::option::of(prop::sample::subsequence(vec!["api".to_owned(), "web".to_owned()], 0..=2));
    let types = prop::option::of(prop::sample::subsequence(vec!["JWT".to_owned(), "at+jwt".to_owned()], 0..=2));
    (parties, issuers, audience, types, 0u64..20_000, -120_000i64..700_000).prop_map(|(p, i, a, t, skew, offset)| VerifyOptions {
        authorized_parties: p,
        issuers: i,
        audience: a,
        header_types: t,
        clock_skew_ms: skew,
        now_ms: (BASE_MS as i64 + offset) as u64,
    })
}

/// A token from the pool, possibly mutated (one character changed) so it must fail.
fn token_strategy() -> impl Strategy<Value = String> {
    (0..token_pool().len(), prop::option::of((any::<prop::sample::Index>(), prop::char::range('-', 'z')))).prop_map(|(i, mutation)| {
        let mut token = token_pool()[i].clone();
        if let Some((at, c)) = mutation {
            let at = at.index(token.len());
            token.replace_range(at..at + 1, &c.to_string());
        }
        token
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any sequence of verifications through one cache gives, call by call, the fresh verdict.
    #[test]
    fn cache_verdict_equals_fresh_verdict(
        calls in prop::collection::vec((token_strategy(), options_strategy(), 0usize..2), 1..24),
        max_entries in 1usize..6,
    ) {
        let mut cache = TokenCache::new(edgeguard::token::CacheLimits { max_entries, max_bytes: 1 << 20 });
        for (token, options, key_index) in &calls {
            let keys = &key_sets()[*key_index];
            let fresh = edgeguard::token::verify_token(token, keys, options).map_err(|e| e.reason);
            let cached = cache.verify(token, keys, options).map(|c| (*c).clone()).map_err(|e| e.reason);
            prop_assert_eq!(&cached, &fresh, "token {} at {} with key {}", token, options.now_ms, key_index);
        }
    }
}

#[test]
fn pool_control_the_first_token_verifies() {
    let options = VerifyOptions::at(BASE_MS);
    assert!(edgeguard::token::verify_token(&token_pool()[0], &key_sets()[0], &options).is_ok());
    assert!(edgeguard::token::verify_token(&token_pool()[0], &key_sets()[1], &options).is_err());
}

// ---------------------------------------------------------------------------------------------
// Canonical paths: canonicalising twice changes nothing.

use edgeguard::decision::{Action, DecideContext, Guard, GuardOptions, RequestRecord};
use edgeguard::route::canonicalize_path;
use serde_json::Value;

fn path_strategy() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "/", "/", "a", "B", "admin", ".", "..", "%", "%2e", "%2E", "%2f", "%2F", "%5c", "%25", "%41", "%c0%af", "%e0%a4%a", "%ff",
        "%00", "%0a", ";", ";x=1", "\\", "~", "+", " ", "\t", "é", "e\u{301}", "ａ", "а", "\u{200b}", "?", "#", "//", "%%", "%zz",
    ]);
    prop::collection::vec(piece, 0..24).prop_map(|pieces| format!("/{}", pieces.concat()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn canonicalising_twice_changes_nothing(path in path_strategy()) {
        if let Ok(canonical) = canonicalize_path(&path) {
            prop_assert_eq!(canonicalize_path(&canonical).ok(), Some(canonical.clone()), "path {:?}", path);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Decisions: always one of the contract's shapes; a stricter policy never allows more.

const NOW_S: i64 = (BASE_MS / 1000) as i64;

fn design_policy() -> Value {
    json!({
        "version": 1,
        "signInUrl": "/sign-in",
        "unauthorizedUrl": "/unauthorized",
        "routes": [
            { "name": "auth-pages", "match": ["/sign-in(.*)", "/sign-up(.*)", "/unauthorized"], "public": true },
            { "name": "public", "match": ["/", "/about", "/blog(.*)"], "public": true },
            { "name": "admin", "match": ["/admin(.*)", "/api/admin(.*)"], "require": { "role": "admin" } },
            { "name": "org", "match": ["/org/:slug(.*)"], "require": { "org": true } },
            { "name": "billing", "match": ["/api/billing(.*)"], "require": { "plan": ["pro", "enterprise"] } },
            { "name": "app", "match": ["/dashboard(.*)", "/settings(.*)", "/api/(.*)"], "require": {} }
        ],
        "default": "signed-in",
        "headers": { "X-Frame-Options": "DENY" },
        "csrf": { "allowedOrigins": ["https://app.example.com"], "jsonOnly": true },
        "rejectSubrequestHeader": true
    })
}

fn guard_for(policy: &Value) -> Guard {
    let options: GuardOptions = serde_json::from_value(json!({ "policy": policy, "jwtKey": TEST_KEY_PEM })).expect("options");
    match Guard::new(options) {
        Ok(guard) => guard,
        Err(errors) => panic!("policy rejected: {errors:?}\n{policy}"),
    }
}

/// Claims of varied users: roles, orgs, plans, features, second factor, session age.
fn claims_strategy() -> impl Strategy<Value = Option<serde_json::Map<String, Value>>> {
    let role = prop::option::of(prop::sample::select(vec!["admin", "member", "Admin", ""]));
    let org = prop::option::of((prop::sample::select(vec!["admin", "member", "billing"]), prop::bool::ANY));
    let plan = prop::option::of(prop::sample::select(vec!["u:pro", "u:free", "o:enterprise", "pro"]));
    let fva = prop::option::of((-1i64..30, -1i64..30));
    let age = 0i64..7200;
    prop::option::of((role, org, plan, fva, age)).prop_map(|user| {
        user.map(|(role, org, plan, fva, age)| {
            let mut claims = json!({
                "sub": "user_p", "sid": "sess_p", "iat": NOW_S - age, "nbf": NOW_S - age, "exp": NOW_S + 600, "v": 2, "sts": "active",
            });
            if let Some(role) = role {
                claims["metadata"] = json!({ "role": role });
            }
            if let Some((org_role, perms)) = org {
                claims["o"] = json!({ "id": "org_1", "slg": "acme", "rol": org_role, "per": if perms { "invoices:read" } else { "" }, "fpm": if perms { "1" } else { "0" } });
            }
            if let Some(plan) = plan {
                claims["pla"] = json!(plan);
            }
            if let Some((first, second)) = fva {
                claims["fva"] = json!([first, second]);
            }
            match claims {
                Value::Object(map) => map,
                _ => unreachable!("json! object"),
            }
        })
    })
}

fn request_strategy() -> impl Strategy<Value = RequestRecord> {
    let method = prop::sample::select(vec!["GET", "GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]);
    let base = prop::sample::select(vec![
        "/", "/about", "/blog/x", "/sign-in", "/unauthorized", "/admin", "/admin/users", "/api/admin/x", "/org/acme/invoices",
        "/api/billing/charge", "/dashboard", "/settings/profile", "/api/me", "/elsewhere", "/ADMIN", "/Dashboard/",
    ]);
    let suffix = path_strategy();
    let doc = prop::bool::ANY;
    let origin = prop::option::of(prop::sample::select(vec!["https://app.example.com", "https://evil.example", "null"]));
    let content_type = prop::option::of(prop::sample::select(vec!["application/json", "text/plain", "application/x-www-form-urlencoded"]));
    (method, base, prop::option::weighted(0.3, suffix), doc, origin, content_type).prop_map(|(method, base, suffix, doc, origin, ct)| {
        let path = match suffix {
            Some(s) => format!("{base}{s}"),
            None => base.to_owned(),
        };
        let mut headers = Vec::new();
        if doc {
            headers.push(("accept".to_owned(), "text/html".to_owned()));
            headers.push(("sec-fetch-mode".to_owned(), "navigate".to_owned()));
            headers.push(("sec-fetch-dest".to_owned(), "document".to_owned()));
        }
        if let Some(origin) = origin {
            headers.push(("origin".to_owned(), origin.to_owned()));
        }
        if let Some(ct) = ct {
            headers.push(("content-type".to_owned(), ct.to_owned()));
        }
        RequestRecord { method: method.to_owned(), url: format!("https://app.example.com{path}"), headers }
    })
}

fn assert_shape(decision: &edgeguard::decision::Decision) -> Result<(), TestCaseError> {
    prop_assert!(!decision.reason.is_empty());
    match decision.action {
        Action::Allow => prop_assert_eq!(decision.status, 200),
        Action::Redirect => {
            prop_assert_eq!(decision.status, 307);
            let location = decision.location.as_deref().unwrap_or_default();
            prop_assert!(location.starts_with("https://") || location.starts_with("http://"), "location {:?}", location);
        }
        Action::Deny => prop_assert!((400..500).contains(&decision.status) || decision.status == 503, "status {}", decision.status),
    }
    Ok(())
}

/// One requirement added to one rule (or a public rule made private, or the default tightened).
/// Rule 0 (sign-in and unauthorized pages) stays public: a redirect target may not be protected.
fn tighten(policy: &Value, choice: usize, rule_index: usize) -> Value {
    let mut stricter = policy.clone();
    let routes = stricter["routes"].as_array_mut().expect("routes");
    let index = 1 + rule_index % (routes.len() - 1);
    let rule = &mut routes[index];
    let additions = [
        ("role", json!("admin")),
        ("org", json!(true)),
        ("plan", json!(["pro"])),
        ("mfa", json!(true)),
        ("maxAgeSeconds", json!(600)),
        ("orgRole", json!("admin")),
        ("feature", json!("reports")),
        ("permission", json!("org:invoices:read")),
    ];
    match choice % (additions.len() + 2) {
        n if n < additions.len() => {
            let (key, value) = &additions[n];
            if rule.get("public").is_some() {
                // A public rule gets its first requirement: it stops being public.
                rule.as_object_mut().expect("rule").remove("public");
                rule["require"] = json!({});
            }
            rule["require"][*key] = value.clone();
        }
        n if n == additions.len() => {
            // A public rule made private (with no requirement: any session); a private rule
            // is left as it is (its requirements are already at least that).
            if rule.as_object_mut().expect("rule").remove("public").is_some() {
                rule["require"] = json!({});
            }
        }
        _ => stricter["default"] = json!("deny"),
    }
    stricter
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn every_decision_has_a_contract_shape(
        requests in prop::collection::vec((request_strategy(), prop::option::of(claims_strategy())), 1..16),
    ) {
        let mut guard = guard_for(&design_policy());
        for (request, claims) in &requests {
            let context = DecideContext { now_ms: BASE_MS, clerk_claims: claims.clone(), body: None };
            assert_shape(&guard.decide(request, &context))?;
        }
    }

    #[test]
    fn a_stricter_policy_never_allows_more(
        choice in 0usize..10,
        rule_index in 0usize..5,
        requests in prop::collection::vec((request_strategy(), claims_strategy()), 1..24),
    ) {
        let base = design_policy();
        let stricter = tighten(&base, choice, rule_index);
        let mut lax = guard_for(&base);
        let mut strict = guard_for(&stricter);
        for (request, claims) in &requests {
            let context = DecideContext { now_ms: BASE_MS, clerk_claims: Some(claims.clone()), body: None };
            let strict_decision = strict.decide(request, &context);
            let lax_decision = lax.decide(request, &context);
            assert_shape(&strict_decision)?;
            if strict_decision.action == Action::Allow {
                prop_assert_eq!(lax_decision.action, Action::Allow, "{} {} allowed by the stricter policy only\n{}", request.method, request.url, stricter);
            }
        }
    }
}
