//! `Guard::decide` on arbitrary requests (method, URL, headers, Clerk claims, body): always one of
//! the contract's shapes — allow → 200, redirect → 307 with an absolute location, deny → 4xx/503,
//! with a non-empty reason — and never an allow of a protected rule without a session.
#![no_main]

use std::sync::Mutex;
use std::sync::OnceLock;

use edgeguard::decision::{Action, DecideContext, Guard, GuardOptions, RequestRecord};
use edgeguard_fuzz::{fields, text, within_budget, JWT_KEY_PEM, NOW_MS};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fn guard() -> &'static Mutex<Guard> {
    static GUARD: OnceLock<Mutex<Guard>> = OnceLock::new();
    GUARD.get_or_init(|| {
        let options: GuardOptions = serde_json::from_value(json!({
            "policy": {
                "version": 1,
                "signInUrl": "/sign-in",
                "unauthorizedUrl": "/unauthorized",
                "routes": [
                    { "name": "public", "match": ["/", "/about", "/blog(.*)", "/sign-in(.*)", "/sign-up(.*)", "/unauthorized"], "public": true },
                    { "name": "webhooks", "match": ["/api/webhooks/clerk"], "public": true, "webhook": "clerk" },
                    { "name": "admin", "match": ["/admin(.*)", "/api/admin(.*)"], "require": { "role": "admin", "mfa": true, "maxAgeSeconds": 3600 }, "log": true },
                    { "name": "org", "match": ["/org/:slug(.*)"], "require": { "org": true, "permission": "org:invoices:read" } },
                    { "name": "billing", "match": ["/api/billing(.*)"], "require": { "plan": ["pro", "enterprise"], "reverification": "strict" } },
                    { "name": "app", "match": ["/dashboard(.*)", "/settings(.*)", "/api/(.*)"], "require": {} }
                ],
                "default": "signed-in",
                "headers": { "X-Frame-Options": "DENY" },
                "csrf": { "allowedOrigins": ["https://app.example.com"], "jsonOnly": true },
                "rejectSubrequestHeader": true
            },
            "jwtKey": JWT_KEY_PEM,
            "webhookSecrets": { "clerk": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }
        }))
        .expect("fuzz guard options");
        Mutex::new(Guard::new(options).expect("the fuzz policy is valid"))
    })
}

// The one-off set-up (policy compile, key parse) runs before the clock starts: the budget is per input.
fuzz_target!(|data: &[u8]| {
    let _ = guard();
    within_budget(|| run(data))
});

fn run(data: &[u8]) {
    let parts = fields(data, 6);
    let method = match parts[0].first().copied().unwrap_or(0) % 6 {
        0 => "GET".to_owned(),
        1 => "POST".to_owned(),
        2 => "HEAD".to_owned(),
        3 => "PUT".to_owned(),
        4 => "OPTIONS".to_owned(),
        _ => text(parts[0].get(1..).unwrap_or_default()),
    };
    let raw = text(parts[1]);
    let url = if raw.starts_with('/') { format!("https://app.example.com{raw}") } else { raw };
    let headers: Vec<(String, String)> = text(parts[2])
        .split('\n')
        .filter_map(|line| line.split_once(':').map(|(n, v)| (n.to_owned(), v.to_owned())))
        .collect();
    let clerk_claims = match parts[3].first() {
        None => None,
        Some(_) => Some(match serde_json::from_slice::<Value>(&parts[3][1..]) {
            Ok(Value::Object(map)) => Some(map),
            _ => None,
        }),
    };
    let signed_out = matches!(clerk_claims, Some(None));
    let context = DecideContext { now_ms: NOW_MS, clerk_claims, body: Some(parts[4].to_vec()) };
    let request = RequestRecord { method, url, headers };
    let decision = match guard().lock() {
        Ok(mut guard) => guard.decide(&request, &context),
        Err(poisoned) => poisoned.into_inner().decide(&request, &context),
    };
    assert!(!decision.reason.is_empty());
    match decision.action {
        Action::Allow => {
            assert_eq!(decision.status, 200);
            // Without a session only public rules (and nothing else) may allow.
            if signed_out {
                assert!(
                    matches!(decision.rule.as_deref(), Some("public") | Some("webhooks")),
                    "signed-out allow by rule {:?} for {:?}",
                    decision.rule,
                    request.url
                );
            }
        }
        Action::Redirect => {
            assert_eq!(decision.status, 307);
            let location = decision.location.as_deref().unwrap_or_default();
            assert!(location.starts_with("https://") || location.starts_with("http://"), "relative location {location:?}");
        }
        Action::Deny => assert!((400..500).contains(&decision.status) || decision.status == 503, "deny status {}", decision.status),
    }
}
