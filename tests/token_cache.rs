//! The verified-token cache is transparent: whatever the sequence of tokens, options and clocks
//! (including a clock that goes backwards), `TokenCache::verify` answers exactly what a fresh
//! `verify_token` answers; only the signature work is saved. Plus its bounds and eviction.
//! Run: `cargo test --test token_cache`.
#![cfg(not(target_arch = "wasm32"))]

mod token_support;

use edgeguard::token::{reason, verify_token, CacheLimits, KeySet, TokenCache, TokenError, VerifyOptions};
use serde_json::{json, Value};
use token_support::main_pem;
use token_support::signer::Signer;

const NOW: u64 = 1_700_000_000;

fn verdict<T>(result: &Result<T, TokenError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(e) => e.reason,
    }
}

fn token_pool(signer: &Signer) -> Vec<String> {
    let base = json!({ "sub": "user_1", "iss": "https://clerk.example.com", "azp": "https://app.example.com" });
    let variants = [
        json!({ "exp": NOW + 60, "nbf": NOW - 5, "iat": NOW - 5 }),
        json!({ "exp": NOW + 6, "iat": NOW }),
        json!({ "exp": NOW + 1 }),
        json!({ "exp": NOW + 3600, "nbf": NOW + 20 }),
        json!({ "exp": NOW + 3600, "iat": NOW + 8 }),
        json!({ "exp": NOW + 30, "azp": "https://other.example.com" }),
        json!({ "exp": NOW + 30, "iss": "https://evil.example.com" }),
        json!({ "exp": NOW + 30, "aud": ["api"] }),
        json!({ "exp": NOW - 10 }),
        json!({ "exp": NOW + 120, "sub": "user_2", "nbf": NOW - 1 }),
    ];
    let mut tokens: Vec<String> = variants
        .iter()
        .map(|extra| {
            let mut claims = base.clone();
            for (k, v) in extra.as_object().expect("object") {
                claims[k] = v.clone();
            }
            signer.token(&claims)
        })
        .collect();
    // A typ-less and a typ="at+jwt" token: header checks depend on the caller's headerType.
    let claims = json!({ "sub": "user_3", "exp": NOW + 90 }).to_string();
    tokens.push(signer.token_from_text(r#"{"alg":"RS256"}"#, &claims));
    tokens.push(signer.token_from_text(r#"{"alg":"RS256","typ":"at+jwt"}"#, &claims));
    // Failures are never cached.
    let mut forged = tokens[0].clone();
    forged.pop();
    forged.push('A');
    tokens.push(forged);
    tokens
}

/// xorshift64: small, reproducible.
struct Rng(u64);

impl Rng {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

#[test]
fn the_cache_answers_exactly_what_a_fresh_verification_answers() {
    let signer = Signer::main();
    let tokens = token_pool(&signer);
    let key_sets = [KeySet::from_pem(&main_pem()).expect("key"), KeySet::from_pem(&main_pem()).expect("key")];
    let parties: [Option<Vec<String>>; 3] =
        [None, Some(vec!["https://app.example.com".into()]), Some(vec!["https://other.example.com".into()])];
    let issuers: [Option<Vec<String>>; 2] = [None, Some(vec!["https://clerk.example.com".into()])];
    let audiences: [Option<Vec<String>>; 2] = [None, Some(vec!["web".into()])];
    let header_types: [Option<Vec<String>>; 3] = [None, Some(vec!["JWT".into()]), Some(vec!["at+jwt".into()])];

    for limits in [CacheLimits::default(), CacheLimits { max_entries: 3, max_bytes: 1 << 20 }, CacheLimits { max_entries: 100, max_bytes: 3000 }] {
        let mut cache = TokenCache::new(limits);
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut now_ms = NOW * 1000;
        for step in 0..1500 {
            // Mostly forward in small steps, sometimes a jump back (a test clock, a skewed host).
            now_ms = match rng.below(8) {
                0 => now_ms.saturating_sub(rng.below(40_000)),
                1 | 2 => NOW * 1000 + rng.below(20_000),
                _ => now_ms + rng.below(1_500),
            };
            let options = VerifyOptions {
                authorized_parties: rng.pick(&parties).clone(),
                issuers: rng.pick(&issuers).clone(),
                audience: rng.pick(&audiences).clone(),
                header_types: rng.pick(&header_types).clone(),
                clock_skew_ms: *rng.pick(&[0, 1, 999, 5000, 30_000]),
                now_ms,
            };
            let token = rng.pick(&tokens);
            let keys = rng.pick(&key_sets);
            let fresh = verify_token(token, keys, &options);
            let cached = cache.verify(token, keys, &options);
            assert_eq!(verdict(&cached), verdict(&fresh), "step {step}: now {now_ms} options {options:?}");
            if let (Ok(cached), Ok(fresh)) = (&cached, &fresh) {
                assert_eq!(**cached, *fresh, "step {step}: claims differ");
            }
            assert!(cache.len() <= limits.max_entries && cache.bytes() <= limits.max_bytes, "bounds exceeded");
        }
        let stats = cache.stats();
        if limits == CacheLimits::default() {
            assert!(stats.hits > 300, "the cache was hardly used ({stats:?})");
        }
        if limits.max_entries == 3 {
            assert!(stats.evictions > 0, "no eviction under a 3-entry limit ({stats:?})");
        }
    }
}

#[test]
fn a_cached_token_is_rejected_as_soon_as_a_fresh_verification_would_be() {
    let signer = Signer::main();
    let keys = KeySet::from_pem(&main_pem()).expect("key");
    let token = signer.token(&json!({ "sub": "user_1", "exp": NOW + 60 }));
    let mut cache = TokenCache::new(CacheLimits::default());
    let at = |ms: u64| VerifyOptions::at(ms);
    assert_eq!(verdict(&cache.verify(&token, &keys, &at(NOW * 1000))), "ok");
    assert_eq!(cache.len(), 1);
    // Valid until exp − skew from the cache, then fresh verifications decide.
    assert_eq!(verdict(&cache.verify(&token, &keys, &at((NOW + 54) * 1000 + 999))), "ok");
    assert_eq!(cache.stats().hits, 1);
    assert_eq!(verdict(&cache.verify(&token, &keys, &at((NOW + 64) * 1000 + 999))), "ok");
    assert_eq!(verdict(&cache.verify(&token, &keys, &at((NOW + 65) * 1000))), reason::TOKEN_EXPIRED);
    assert_eq!(verdict(&verify_token(&token, &keys, &at((NOW + 65) * 1000))), reason::TOKEN_EXPIRED);

    // Options tighten after caching: the cached entry is re-checked, not trusted.
    let mut cache = TokenCache::new(CacheLimits::default());
    assert_eq!(verdict(&cache.verify(&token, &keys, &at(NOW * 1000))), "ok");
    let strict = VerifyOptions { authorized_parties: Some(vec!["https://app.example.com".into()]), ..at(NOW * 1000) };
    assert_eq!(verdict(&cache.verify(&token, &keys, &strict)), reason::TOKEN_INVALID_AUTHORIZED_PARTIES);
    let typed = VerifyOptions { header_types: Some(vec!["at+jwt".into()]), ..at(NOW * 1000) };
    assert_eq!(verdict(&cache.verify(&token, &keys, &typed)), reason::TOKEN_INVALID);
    // Another key set (even of the same key) never sees this entry.
    let other = KeySet::from_pem(&main_pem()).expect("key");
    let before = cache.stats().hits;
    assert_eq!(verdict(&cache.verify(&token, &other, &at(NOW * 1000))), "ok");
    assert_eq!(cache.stats().hits, before);
}

#[test]
fn failures_are_not_cached_and_limits_hold() {
    let signer = Signer::main();
    let keys = KeySet::from_pem(&main_pem()).expect("key");
    let options = VerifyOptions::at(NOW * 1000);
    let tokens: Vec<String> =
        (0..5).map(|i| signer.token(&json!({ "sub": format!("user_{i}"), "exp": NOW + 600 }))).collect();

    let mut cache = TokenCache::new(CacheLimits::default());
    assert!(cache.verify("a.b.c", &keys, &options).is_err());
    assert!(cache.verify(&format!("{}x", tokens[0]), &keys, &options).is_err());
    assert!(cache.is_empty());

    let mut none = TokenCache::new(CacheLimits { max_entries: 0, max_bytes: 1 << 20 });
    assert!(none.verify(&tokens[0], &keys, &options).is_ok());
    assert!(none.is_empty());
    let mut tiny = TokenCache::new(CacheLimits { max_entries: 10, max_bytes: 100 });
    assert!(tiny.verify(&tokens[0], &keys, &options).is_ok());
    assert!(tiny.is_empty(), "an entry larger than the byte budget is not cached");

    // CLOCK: an entry used since the last sweep survives the next eviction.
    let mut cache = TokenCache::new(CacheLimits { max_entries: 4, max_bytes: 1 << 20 });
    for token in &tokens[..4] {
        cache.verify(token, &keys, &options).expect("valid");
    }
    cache.verify(&tokens[0], &keys, &options).expect("hit");
    cache.verify(&tokens[4], &keys, &options).expect("valid");
    assert_eq!(cache.len(), 4);
    let hits = cache.stats().hits;
    cache.verify(&tokens[0], &keys, &options).expect("still cached");
    assert_eq!(cache.stats().hits, hits + 1, "the recently used entry was evicted");
    cache.clear();
    assert!(cache.is_empty() && cache.bytes() == 0);
}

#[test]
fn cached_claims_are_shared_not_copied() {
    let signer = Signer::main();
    let keys = KeySet::from_pem(&main_pem()).expect("key");
    let token = signer.token(&json!({ "sub": "user_1", "exp": NOW + 600 }));
    let mut cache = TokenCache::new(CacheLimits::default());
    let first = cache.verify(&token, &keys, &VerifyOptions::at(NOW * 1000)).expect("ok");
    let second = cache.verify(&token, &keys, &VerifyOptions::at(NOW * 1000 + 5)).expect("ok");
    assert!(std::sync::Arc::ptr_eq(&first, &second));
    assert_eq!(first.get("sub"), Some(&Value::from("user_1")));
}
