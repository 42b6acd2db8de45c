//! The webhook core compiled to wasm32 (f64/i64 arithmetic, UTF-16 secret decoding, HMAC) gives the
//! same answers as natively. Run: `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test --target wasm32-unknown-unknown --test webhook_wasm` (Node runs it).
#![cfg(target_arch = "wasm32")]

use edgeguard::webhook::{
    error, signature_header, verify_webhook, MemoryReplayStore, ReplayStore, WebhookOptions, WebhookSecret,
};
use wasm_bindgen_test::wasm_bindgen_test;

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TIMESTAMP: i64 = 1_614_265_330;
const BODY: &str = r#"{"test": 2432232314}"#;
const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

fn headers(timestamp: &str, signature: &str) -> Vec<(String, String)> {
    vec![
        ("Svix-Id".into(), ID.into()),
        ("svix-timestamp".into(), timestamp.into()),
        ("svix-signature".into(), signature.into()),
    ]
}

#[wasm_bindgen_test]
fn svix_vector_in_wasm() {
    let secret = WebhookSecret::parse(SECRET).expect("parses");
    assert_eq!(signature_header(&secret, ID, TIMESTAMP, BODY.as_bytes()), SIGNATURE);
    let verified = verify_webhook(&secret, &headers(&format!(" 000{TIMESTAMP}.5"), SIGNATURE), BODY.as_bytes(), &WebhookOptions::at(TIMESTAMP + 300))
        .expect("valid");
    assert_eq!(verified.timestamp, TIMESTAMP);
}

#[wasm_bindgen_test]
fn reasons_in_wasm() {
    let secret = WebhookSecret::parse(SECRET).expect("parses");
    let at = |timestamp: &str, signature: &str, now: i64| {
        verify_webhook(&secret, &headers(timestamp, signature), BODY.as_bytes(), &WebhookOptions::at(now)).map_err(|e| e.reason)
    };
    assert_eq!(at(&TIMESTAMP.to_string(), SIGNATURE, TIMESTAMP + 301).err(), Some(error::TIMESTAMP_TOO_OLD));
    assert_eq!(at(&TIMESTAMP.to_string(), SIGNATURE, TIMESTAMP - 301).err(), Some(error::TIMESTAMP_TOO_NEW));
    assert_eq!(at(&"9".repeat(400), SIGNATURE, TIMESTAMP).err(), Some(error::TIMESTAMP_TOO_NEW));
    assert_eq!(at("abc", SIGNATURE, TIMESTAMP).err(), Some(error::INVALID_TIMESTAMP));
    assert_eq!(at(&TIMESTAMP.to_string(), "v2,x", TIMESTAMP).err(), Some(error::INVALID_SIGNATURE));
    assert_eq!(WebhookSecret::parse("whsec_a😀bc").err().map(|e| e.reason), Some(error::BAD_SECRET));
}

#[wasm_bindgen_test]
fn replay_store_in_wasm() {
    let mut store = MemoryReplayStore::with_capacity(1);
    assert!(store.remember("a", 0, 10));
    assert!(!store.remember("a", 5, 10));
    assert_eq!(store.admit("b", 5, 10).err().map(|e| e.reason), Some(error::REPLAY_STORE_FULL));
    assert!(store.remember("b", 10, 20));
}
