//! `Guard::decide` on arbitrary requests (method, URL, headers, Clerk claims, body): always one of
//! the contract's shapes — allow → 200, redirect → 307 with an absolute location, deny → 4xx/503,
//! with a non-empty reason — and never an allow of a protected rule without a session.
//!
//! Two differentials ride along. The same request written as the JS shim's wire record and read
//! in place (`wire::read_input` + `Guard::decide_wire`, on a twin guard that sees the same
//! sequence) decides the same. The decision's envelope as `DecisionWriter` writes it by hand is the
//! JSON serde writes.
#![no_main]

use std::sync::Mutex;
use std::sync::OnceLock;

use edgeguard::decision::decision_text::DecisionWriter;
use edgeguard::decision::wire::read_input;
use edgeguard::decision::{Action, DecideContext, Decision, Guard, GuardOptions, RequestRecord};
use edgeguard_fuzz::{fields, text, within_budget, JWT_KEY_PEM, NOW_MS};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

fn guard() -> &'static Mutex<Guard> {
    static GUARD: OnceLock<Mutex<Guard>> = OnceLock::new();
    GUARD.get_or_init(new_guard)
}

/// The guard that decides the wire records: its own token cache and replay store, fed the same
/// requests in the same order.
fn twin() -> &'static Mutex<Guard> {
    static TWIN: OnceLock<Mutex<Guard>> = OnceLock::new();
    TWIN.get_or_init(new_guard)
}

fn writer() -> &'static Mutex<DecisionWriter> {
    static WRITER: OnceLock<Mutex<DecisionWriter>> = OnceLock::new();
    WRITER.get_or_init(|| Mutex::new(DecisionWriter::default()))
}

fn new_guard() -> Mutex<Guard> {
    {
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
    }
}

// The one-off set-up (policy compile, key parse) runs before the clock starts: the budget is per input.
fuzz_target!(|data: &[u8]| {
    let _ = (guard(), twin(), writer());
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
    check_wire_twin(&request, &context, &decision);
    check_envelope(&decision);
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

/// The request as js/guard-wire.js writes it (every header sent, nothing omitted), decided by the
/// twin from the bytes in place: the same decision. A body that is not UTF-8 cannot cross as text:
/// such a request is not sent to the twin.
fn check_wire_twin(request: &RequestRecord, context: &DecideContext, decision: &Decision) {
    let item = |text: &str| format!("{}:{text}", text.encode_utf16().count());
    let mut wire = item(&request.method) + &item(&request.url) + &item(&request.headers.len().to_string());
    for (name, value) in &request.headers {
        wire += &(item(name) + &item(value));
    }
    wire += &item(&context.now_ms.to_string());
    let body = context.body.as_deref().map(std::str::from_utf8);
    let mut flags = 0;
    let mut tail = String::new();
    if let Some(claims) = &context.clerk_claims {
        flags |= 1;
        if let Some(map) = claims {
            flags |= 2;
            tail += &item(&serde_json::to_string(map).unwrap_or_default());
        }
    }
    if let Some(Ok(text)) = body {
        flags |= 4;
        tail += &item(text);
    }
    wire += &(item(&flags.to_string()) + &tail + &item("0"));
    if matches!(body, Some(Err(_))) {
        return; // not sent to the twin at all, so it keeps seeing what the first guard sees
    }
    let twin_decision = {
        let mut twin = match twin().lock() {
            Ok(twin) => twin,
            Err(poisoned) => poisoned.into_inner(),
        };
        match read_input(wire.as_bytes()) {
            Ok(input) => twin.decide_wire(&input),
            Err(refused) => refused,
        }
    };
    let expected = serde_json::to_value(decision).ok();
    assert_eq!(serde_json::to_value(&twin_decision).ok(), expected, "wire record {wire:?}");
}

/// The envelope text the writer sends is what serde writes for the decision (without `auth`).
fn check_envelope(decision: &Decision) {
    let mut writer = match writer().lock() {
        Ok(writer) => writer,
        Err(poisoned) => poisoned.into_inner(),
    };
    writer.text(decision);
    let text = writer.last_envelope().to_owned();
    let mut expected = serde_json::to_value(decision).unwrap_or(Value::Null);
    if let Some(map) = expected.as_object_mut() {
        map.remove("auth");
    }
    assert_eq!(serde_json::from_str::<Value>(&text).ok(), Some(expected), "envelope {text:?}");
}
