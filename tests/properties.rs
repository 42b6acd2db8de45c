//! Property tests (proptest) over the core's public Rust API:
//! - a token that fails fresh verification never passes from the cache (any sequence of tokens,
//!   clocks, options and key sets: the cached verdict equals the fresh one);
//! - the remaining properties (decision shapes, canonical paths, policy monotonicity) live in
//!   the sections below.
//! Test key: an RSA-2048 pair made for this file only (its private exponent is here so genuine
//! tokens can be signed without a crypto dependency).

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
