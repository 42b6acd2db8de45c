//! svix webhook verification on arbitrary input: never a panic; a message signed with the fuzzed
//! secret verifies, and the same message with its body, id or timestamp changed never does.
#![no_main]

use edgeguard::webhook::{signature_header, verify_webhook, WebhookOptions, WebhookSecret};
use edgeguard_fuzz::{fields, text, within_budget};
use libfuzzer_sys::fuzz_target;

const NOW: i64 = 1_735_689_600;

fuzz_target!(|data: &[u8]| within_budget(|| run(data)));

fn run(data: &[u8]) {
    let parts = fields(data, 6);
    let secret_text = text(parts[0]);
    let body = parts[1];
    // Arbitrary headers: pairs of (name, value) fields.
    let headers: Vec<(String, String)> =
        parts[2].split(|b| *b == b'\n').filter_map(|line| {
            let line = text(line);
            line.split_once(':').map(|(n, v)| (n.to_owned(), v.to_owned()))
        }).collect();
    let Ok(secret) = WebhookSecret::parse(&secret_text) else { return };
    let _ = verify_webhook(&secret, &headers, body, &WebhookOptions::at(NOW));

    let id = format!("msg_{}", text(parts[3]).replace(|c: char| c.is_control(), ""));
    let skew = i64::from(parts[4].first().copied().unwrap_or(0) % 128) - 64; // ±64 s: inside the window
    let timestamp = NOW + skew;
    let signed = signature_header(&secret, &id, timestamp, body);
    let make = |id: &str, ts: &str, sig: &str| {
        vec![
            ("svix-id".to_owned(), id.to_owned()),
            ("svix-timestamp".to_owned(), ts.to_owned()),
            ("svix-signature".to_owned(), sig.to_owned()),
        ]
    };
    let genuine = verify_webhook(&secret, &make(&id, &timestamp.to_string(), &signed), body, &WebhookOptions::at(NOW));
    if std::str::from_utf8(body).is_ok() && !id.trim().is_empty() {
        assert!(genuine.is_ok(), "a genuine message was refused: {genuine:?}");
    }
    let mut tampered = body.to_vec();
    match tampered.first_mut() {
        Some(b) => *b ^= 1 << (parts[4].get(1).copied().unwrap_or(0) % 8),
        None => tampered.push(b'x'),
    }
    let options = WebhookOptions::at(NOW);
    assert!(verify_webhook(&secret, &make(&id, &timestamp.to_string(), &signed), &tampered, &options).is_err());
    assert!(verify_webhook(&secret, &make(&format!("{id}x"), &timestamp.to_string(), &signed), body, &options).is_err());
    assert!(verify_webhook(&secret, &make(&id, &(timestamp + 1).to_string(), &signed), body, &options).is_err());
    // A replay outside the window: the same signature, the clock 10 minutes later.
    assert!(verify_webhook(&secret, &make(&id, &timestamp.to_string(), &signed), body, &WebhookOptions::at(NOW + 600)).is_err());
}
