//! Webhook verification and replay store, natively. The differential comparison with the real
//! svix package is tests/js/webhook-diff.test.mjs; these pin the rules and the reason codes.

use edgeguard::webhook::{
    check_replay, error, signature_header, verify_webhook, Admission, MemoryReplayStore, ReplayStore,
    VerifiedWebhook, WebhookError, WebhookOptions, WebhookSecret,
};

// The signing vector of svix's own test suite (src/webhook.test.ts).
const SVIX_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SVIX_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const SVIX_TIMESTAMP: i64 = 1_614_265_330;
const SVIX_BODY: &str = r#"{"test": 2432232314}"#;
const SVIX_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

fn secret() -> WebhookSecret {
    WebhookSecret::parse(SVIX_SECRET).expect("svix's test secret parses")
}

fn headers(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

fn svix_headers(id: &str, timestamp: &str, signature: &str) -> Vec<(String, String)> {
    headers(&[("svix-id", id), ("svix-timestamp", timestamp), ("svix-signature", signature)])
}

fn verify_at(headers: &[(String, String)], body: &[u8], now: i64) -> Result<VerifiedWebhook, WebhookError> {
    verify_webhook(&secret(), headers, body, &WebhookOptions::at(now))
}

fn reason(result: Result<VerifiedWebhook, WebhookError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(error) => error.reason,
    }
}

#[test]
fn signs_like_svix() {
    assert_eq!(signature_header(&secret(), SVIX_ID, SVIX_TIMESTAMP, SVIX_BODY.as_bytes()), SVIX_SIGNATURE);
}

#[test]
fn accepts_svix_test_vector() {
    let h = svix_headers(SVIX_ID, &SVIX_TIMESTAMP.to_string(), SVIX_SIGNATURE);
    let verified = verify_at(&h, SVIX_BODY.as_bytes(), SVIX_TIMESTAMP).expect("valid");
    assert_eq!(verified, VerifiedWebhook { id: SVIX_ID.into(), timestamp: SVIX_TIMESTAMP });
}

#[test]
fn tolerance_is_inclusive_both_ways() {
    for (now, expected) in [
        (SVIX_TIMESTAMP + 300, "ok"),
        (SVIX_TIMESTAMP + 301, error::TIMESTAMP_TOO_OLD),
        (SVIX_TIMESTAMP - 300, "ok"),
        (SVIX_TIMESTAMP - 301, error::TIMESTAMP_TOO_NEW),
    ] {
        let h = svix_headers(SVIX_ID, &SVIX_TIMESTAMP.to_string(), SVIX_SIGNATURE);
        assert_eq!(reason(verify_at(&h, SVIX_BODY.as_bytes(), now)), expected, "now = {now}");
    }
    let strict = WebhookOptions { tolerance_seconds: 0, now_seconds: SVIX_TIMESTAMP + 1 };
    let h = svix_headers(SVIX_ID, &SVIX_TIMESTAMP.to_string(), SVIX_SIGNATURE);
    assert_eq!(reason(verify_webhook(&secret(), &h, SVIX_BODY.as_bytes(), &strict)), error::TIMESTAMP_TOO_OLD);
    let negative = WebhookOptions { tolerance_seconds: -1, now_seconds: SVIX_TIMESTAMP };
    assert_eq!(reason(verify_webhook(&secret(), &h, SVIX_BODY.as_bytes(), &negative)), error::BAD_OPTIONS);
}

#[test]
fn timestamps_read_as_parse_int_and_signed_as_the_number() {
    for text in ["0001614265330", " 1614265330", "\u{FEFF}+1614265330", "1614265330.9", "1614265330abc", "1614265330, 1"] {
        let h = svix_headers(SVIX_ID, text, SVIX_SIGNATURE);
        assert_eq!(reason(verify_at(&h, SVIX_BODY.as_bytes(), SVIX_TIMESTAMP)), "ok", "{text:?}");
    }
    for text in [" ", "abc", "\u{85}1614265330", "x1614265330", "+-1"] {
        let h = svix_headers(SVIX_ID, text, SVIX_SIGNATURE);
        assert_eq!(reason(verify_at(&h, SVIX_BODY.as_bytes(), SVIX_TIMESTAMP)), error::INVALID_TIMESTAMP, "{text:?}");
    }
    let huge = "9".repeat(500);
    let h = svix_headers(SVIX_ID, &huge, SVIX_SIGNATURE);
    assert_eq!(reason(verify_at(&h, SVIX_BODY.as_bytes(), SVIX_TIMESTAMP)), error::TIMESTAMP_TOO_NEW);
    let h = svix_headers(SVIX_ID, &format!("-{huge}"), SVIX_SIGNATURE);
    assert_eq!(reason(verify_at(&h, SVIX_BODY.as_bytes(), SVIX_TIMESTAMP)), error::TIMESTAMP_TOO_OLD);
}

#[test]
fn negative_zero_signs_as_zero() {
    let signature = signature_header(&secret(), "m", 0, b"{}");
    let h = svix_headers("m", "-0", &signature);
    assert_eq!(reason(verify_at(&h, b"{}", 100)), "ok");
}

#[test]
fn clock_beyond_javascript_dates_is_refused() {
    let t = 8_640_000_000_010;
    let signature = signature_header(&secret(), "m", t, b"{}");
    let h = svix_headers("m", &t.to_string(), &signature);
    assert_eq!(reason(verify_at(&h, b"{}", t)), error::INVALID_TIMESTAMP);
}

#[test]
fn signature_list_rules() {
    let sig = &SVIX_SIGNATURE[3..];
    let cases: &[(String, &str)] = &[
        (format!("v1,bad v1,{sig}"), "ok"),
        (format!("v2,{sig} v1,{sig}"), "ok"),
        (format!("v1,{sig},extra"), "ok"),
        (format!("v1,{sig}, v1,other"), "ok"), // a repeated header joined by ", "
        (format!("v2,{sig}"), error::INVALID_SIGNATURE),
        (format!("V1,{sig}"), error::INVALID_SIGNATURE),
        (format!("v1,{}", sig.trim_end_matches('=')), error::INVALID_SIGNATURE),
        (format!("v1,bad\tv1,{sig}"), error::INVALID_SIGNATURE),
        ("v1,".to_string(), error::INVALID_SIGNATURE),
        ("v1".to_string(), error::INVALID_SIGNATURE),
        (format!("  v1,{sig}  "), "ok"),
    ];
    for (list, expected) in cases {
        let h = svix_headers(SVIX_ID, &SVIX_TIMESTAMP.to_string(), list);
        assert_eq!(reason(verify_at(&h, SVIX_BODY.as_bytes(), SVIX_TIMESTAMP)), *expected, "{list:?}");
    }
}

#[test]
fn header_aliases_case_and_precedence() {
    let ts = SVIX_TIMESTAMP.to_string();
    let ok = |list: &[(&str, &str)]| reason(verify_at(&headers(list), SVIX_BODY.as_bytes(), SVIX_TIMESTAMP));
    assert_eq!(ok(&[("Webhook-Id", SVIX_ID), ("WEBHOOK-TIMESTAMP", &ts), ("webhook-signature", SVIX_SIGNATURE)]), "ok");
    assert_eq!(ok(&[("svix-id", SVIX_ID), ("webhook-timestamp", &ts), ("SVIX-signature", SVIX_SIGNATURE)]), "ok");
    // svix-* wins over webhook-*, even when empty.
    assert_eq!(
        ok(&[("webhook-id", SVIX_ID), ("svix-id", ""), ("svix-timestamp", &ts), ("svix-signature", SVIX_SIGNATURE)]),
        error::MISSING_HEADERS
    );
    assert_eq!(
        ok(&[("svix-id", "other"), ("webhook-id", SVIX_ID), ("svix-timestamp", &ts), ("svix-signature", SVIX_SIGNATURE)]),
        error::INVALID_SIGNATURE
    );
    // The last of two names that lower-case alike wins.
    assert_eq!(
        ok(&[("SVIX-ID", "other"), ("svix-id", SVIX_ID), ("svix-timestamp", &ts), ("svix-signature", SVIX_SIGNATURE)]),
        "ok"
    );
    assert_eq!(ok(&[("svix-timestamp", &ts), ("svix-signature", SVIX_SIGNATURE)]), error::MISSING_HEADERS);
    assert_eq!(ok(&[]), error::MISSING_HEADERS);
}

#[test]
fn body_is_bytes_and_must_be_utf8() {
    let h = svix_headers(SVIX_ID, &SVIX_TIMESTAMP.to_string(), SVIX_SIGNATURE);
    let mut tampered = SVIX_BODY.as_bytes().to_vec();
    tampered[3] ^= 1;
    assert_eq!(reason(verify_at(&h, &tampered, SVIX_TIMESTAMP)), error::INVALID_SIGNATURE);
    let invalid = [0xffu8, 0xfe];
    let signature = signature_header(&secret(), SVIX_ID, SVIX_TIMESTAMP, &invalid);
    let h = svix_headers(SVIX_ID, &SVIX_TIMESTAMP.to_string(), &signature);
    assert_eq!(reason(verify_at(&h, &invalid, SVIX_TIMESTAMP)), error::INVALID_BODY);
    let signature = signature_header(&secret(), SVIX_ID, SVIX_TIMESTAMP, b"");
    let h = svix_headers(SVIX_ID, &SVIX_TIMESTAMP.to_string(), &signature);
    assert_eq!(reason(verify_at(&h, b"", SVIX_TIMESTAMP)), "ok");
    let big = vec![b'x'; 1 << 20];
    let signature = signature_header(&secret(), SVIX_ID, SVIX_TIMESTAMP, &big);
    let h = svix_headers(SVIX_ID, &SVIX_TIMESTAMP.to_string(), &signature);
    assert_eq!(reason(verify_at(&h, &big, SVIX_TIMESTAMP)), "ok");
}

#[test]
fn secrets() {
    for bad in ["", "whsec_", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "WHSEC_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_abc", "whsec_a===", "whsec_Mf-Q9r8G", " whsec_MfKQ9r8G"] {
        let error = WebhookSecret::parse(bad).expect_err(bad);
        assert_eq!(error.reason, error::BAD_SECRET, "{bad:?}");
        assert!(!error.message.is_empty());
    }
    // Decoded as svix decodes: unpadded, and a 4k+1-th character that is never read.
    assert!(WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw!").is_ok());
    let debug = format!("{:?}", secret());
    assert!(!debug.contains("MfKQ"), "Debug must not show the key: {debug}");
}

#[test]
fn replay_store_fresh_seen_expired() {
    let mut store = MemoryReplayStore::with_capacity(4);
    assert!(store.remember("a", 100, 200));
    assert!(!store.remember("a", 150, 250), "seen within its window");
    assert!(store.remember("a", 200, 300), "expired at 200: fresh again");
    assert!(store.remember("late", 500, 400), "already outside its window: nothing to protect");
    assert_eq!(store.admission("late", 500, 900), Admission::Fresh);
}

#[test]
fn replay_store_evicts_expired_first_then_fails_closed() {
    let mut store = MemoryReplayStore::with_capacity(2);
    assert_eq!(store.admission("a", 0, 10), Admission::Fresh);
    assert_eq!(store.admission("b", 0, 20), Admission::Fresh);
    assert_eq!(store.admission("c", 5, 30), Admission::Full, "full of unexpired ids: refuse");
    assert_eq!(store.admission("a", 5, 10), Admission::Seen, "a full store still remembers");
    assert_eq!(store.admission("c", 10, 30), Admission::Fresh, "a expired at 10 and made room");
    assert_eq!(store.admission("b", 10, 20), Admission::Seen, "b was not forgotten");
    let error = store.admit("d", 11, 40).expect_err("full");
    assert_eq!(error.reason, error::REPLAY_STORE_FULL);
    assert!(error.message.contains("capacity"));
    assert_eq!(store.admit("b", 11, 40).expect_err("seen").reason, error::REPLAY);
}

#[test]
fn check_replay_keeps_ids_for_the_signature_lifetime() {
    let mut store = MemoryReplayStore::default();
    let options = WebhookOptions::at(1_000);
    let verified = VerifiedWebhook { id: "msg_1".into(), timestamp: 900 };
    assert!(check_replay(&mut store, &verified, &options).is_ok());
    assert_eq!(check_replay(&mut store, &verified, &options).expect_err("replay").reason, error::REPLAY);
    // Still refused at 1 199 (900 + 300 > 1 199); by then the signature itself is about to expire.
    assert!(check_replay(&mut store, &verified, &WebhookOptions::at(1_199)).is_err());
    assert!(check_replay(&mut store, &verified, &WebhookOptions::at(1_200)).is_ok());
}

#[test]
fn custom_stores_plug_in() {
    struct RefuseAll;
    impl ReplayStore for RefuseAll {
        fn remember(&mut self, _: &str, _: i64, _: i64) -> bool {
            false
        }
    }
    let verified = VerifiedWebhook { id: "m".into(), timestamp: 0 };
    assert_eq!(check_replay(&mut RefuseAll, &verified, &WebhookOptions::at(0)).expect_err("refused").reason, error::REPLAY);
}

/// No input makes the core panic: random headers, bodies, secrets and clocks.
#[test]
fn never_panics_on_random_input() {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet: Vec<char> = "v1,2 =+/-_.0123456789aZ\u{FEFF}\u{212A}é😀\t\n-".chars().collect();
    let text = |n: usize, next: &mut dyn FnMut() -> u64| -> String {
        (0..n).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect()
    };
    let names = ["svix-id", "SVIX-TIMESTAMP", "svix-signature", "webhook-id", "webhook-timestamp", "Webhoo\u{212A}-Signature", "x"];
    for _ in 0..20_000 {
        let len = (next() % 60) as usize;
        let secret_text = format!("whsec_{}", text(len, &mut next));
        let secret = WebhookSecret::parse(&secret_text).or_else(|_| WebhookSecret::parse(SVIX_SECRET)).expect("fallback");
        let count = (next() % 6) as usize;
        let h: Vec<(String, String)> = (0..count)
            .map(|_| {
                let name = names[(next() % names.len() as u64) as usize].to_string();
                let len = (next() % 50) as usize;
                (name, text(len, &mut next))
            })
            .collect();
        let body: Vec<u8> = (0..(next() % 40)).map(|_| next() as u8).collect();
        let options = WebhookOptions { tolerance_seconds: (next() % 1000) as i64 - 10, now_seconds: next() as i64 };
        let _ = verify_webhook(&secret, &h, &body, &options);
        let _ = WebhookSecret::parse(&text(len, &mut next));
    }
    let mut store = MemoryReplayStore::with_capacity(3);
    for _ in 0..10_000 {
        let id = format!("{}", next() % 8);
        let now = (next() % 100) as i64 - 50;
        let _ = store.admit(&id, now, now.saturating_add((next() % 40) as i64 - 5));
        assert!(store.len() <= 3);
    }
    let _ = store.admit("x", i64::MAX, i64::MIN);
    let _ = check_replay(&mut store, &VerifiedWebhook { id: "y".into(), timestamp: i64::MAX }, &WebhookOptions { tolerance_seconds: i64::MAX, now_seconds: i64::MIN });
}
