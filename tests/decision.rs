//! The decision matrix through `Guard::decide`, with sessions as Clerk's middleware passes them.

// The same tests run natively (`cargo test`) and in wasm (`wasm-pack test --node` / `--chrome`).
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use edgeguard::decision::{Action, DecideContext, Decision, Guard, GuardOptions, RequestRecord};
use serde_json::{json, Map, Value};

const NOW: i64 = 1_800_000_000;

fn policy() -> Value {
    json!({
      "version": 1,
      "signInUrl": "/sign-in",
      "unauthorizedUrl": "/unauthorized",
      "routes": [
        { "name": "public", "match": ["/", "/sign-in(.*)", "/unauthorized", "/api/public(.*)"], "public": true },
        { "name": "webhooks", "match": ["/api/webhooks/clerk"], "public": true, "webhook": "clerk" },
        { "name": "admin", "match": ["/admin(.*)", "/api/admin(.*)"], "require": { "role": "admin" }, "log": true },
        { "name": "secure", "match": ["/secure(.*)"], "require": { "mfa": true, "maxAgeSeconds": 600 } },
        { "name": "reverify", "match": ["/api/billing(.*)"], "require": { "reverification": "strict" } },
        { "name": "org", "match": ["/org/:slug(.*)"], "require": { "permission": "org:invoices:read" } },
        { "name": "hidden", "match": ["/internal(.*)"], "require": { "role": "staff" }, "hide": true },
        { "name": "app", "match": ["/dashboard(.*)", "/api/(.*)"], "require": {} }
      ],
      "default": "deny",
      "headers": { "X-Frame-Options": "DENY" },
      "csrf": { "allowedOrigins": ["https://partner.example.com"], "jsonOnly": true }
    })
}

fn guard_with(policy: Value) -> Guard {
    let options: GuardOptions = serde_json::from_value(json!({ "policy": policy })).expect("options");
    Guard::new(options).unwrap_or_else(|errors| panic!("invalid test policy: {errors:?}"))
}

fn guard() -> Guard {
    guard_with(policy())
}

fn claims(extra: Value) -> Map<String, Value> {
    let mut base = json!({
        "sub": "user_123", "sid": "sess_123", "iss": "https://clerk.example.com", "azp": "https://app.example.com",
        "iat": NOW - 30, "nbf": NOW - 40, "exp": NOW + 30
    });
    if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            base.insert(k.clone(), v.clone());
        }
    }
    base.as_object().cloned().unwrap_or_default()
}

enum Who {
    SignedOut,
    User(Value),
}

fn request(method: &str, path: &str, headers: &[(&str, &str)]) -> RequestRecord {
    RequestRecord {
        method: method.into(),
        url: format!("https://app.example.com{path}"),
        headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
    }
}

fn decide(guard: &mut Guard, who: Who, method: &str, path: &str, headers: &[(&str, &str)]) -> Decision {
    let clerk_claims = match who {
        Who::SignedOut => Some(None),
        Who::User(extra) => Some(Some(claims(extra))),
    };
    let context = DecideContext { now_ms: NOW as u64 * 1000, clerk_claims, body: None };
    guard.decide(&request(method, path, headers), &context)
}

const NAV: &[(&str, &str)] = &[("sec-fetch-dest", "document"), ("accept", "text/html")];
const FETCH: &[(&str, &str)] = &[("sec-fetch-dest", "empty"), ("accept", "application/json")];

#[test]
fn public_routes_are_allowed_for_everyone() {
    let mut g = guard();
    let d = decide(&mut g, Who::SignedOut, "GET", "/", NAV);
    assert_eq!((d.action, d.status, d.reason.as_str(), d.rule.as_deref()), (Action::Allow, 200, "public", Some("public")));
    assert_eq!(d.headers.get("X-Frame-Options").map(String::as_str), Some("DENY"));
    let d = decide(&mut g, Who::User(json!({})), "GET", "/api/public/ping", FETCH);
    assert_eq!(d.action, Action::Allow);
    assert_eq!(d.auth.as_ref().map(|a| a.user_id.as_str()), Some("user_123"), "public routes still see who is signed in");
}

#[test]
fn signed_out_documents_redirect_to_sign_in_with_the_original_url() {
    let mut g = guard();
    let d = decide(&mut g, Who::SignedOut, "GET", "/dashboard?tab=1", NAV);
    assert_eq!((d.action, d.status, d.reason.as_str()), (Action::Redirect, 307, "signed-out"));
    assert_eq!(
        d.location.as_deref(),
        Some("https://app.example.com/sign-in?redirect_url=https%3A%2F%2Fapp.example.com%2Fdashboard%3Ftab%3D1")
    );
    assert_eq!(d.headers.get("Cache-Control").map(String::as_str), Some("no-store"));
}

#[test]
fn signed_out_api_and_non_get_answer_401_with_a_bearer_challenge() {
    let mut g = guard();
    for (method, path, headers) in [("GET", "/api/me", FETCH), ("GET", "/api/me", NAV), ("POST", "/dashboard", NAV), ("GET", "/dashboard", FETCH)] {
        let d = decide(&mut g, Who::SignedOut, method, path, headers);
        assert_eq!((d.action, d.status), (Action::Deny, 401), "{method} {path}");
        assert_eq!(d.headers.get("WWW-Authenticate").map(String::as_str), Some("Bearer"));
    }
    let d = decide(&mut g, Who::SignedOut, "GET", "/api/me", &[("authorization", "Bearer bad.token.here")]);
    assert_eq!(d.headers.get("WWW-Authenticate").map(String::as_str), Some("Bearer error=\"invalid_token\""));
}

#[test]
fn roles_come_from_server_metadata_or_the_org_role_never_unsafe_metadata() {
    let mut g = guard();
    let admin = decide(&mut g, Who::User(json!({ "metadata": { "role": "admin" } })), "GET", "/admin", NAV);
    assert_eq!((admin.action, admin.reason.as_str()), (Action::Allow, "authorized"));
    let org_admin = decide(&mut g, Who::User(json!({ "org_id": "org_1", "org_role": "org:admin" })), "GET", "/admin", NAV);
    assert_eq!(org_admin.action, Action::Allow, "{org_admin:?}");
    let forged = decide(&mut g, Who::User(json!({ "unsafe_metadata": { "role": "admin" } })), "GET", "/admin", NAV);
    assert_eq!((forged.action, forged.reason.as_str()), (Action::Redirect, "missing-role"));
    assert_eq!(forged.location.as_deref(), Some("https://app.example.com/unauthorized"));
    let api = decide(&mut g, Who::User(json!({})), "GET", "/api/admin/users", FETCH);
    assert_eq!((api.action, api.status, api.reason.as_str()), (Action::Deny, 403, "missing-role"));
}

#[test]
fn hidden_rules_answer_404() {
    let mut g = guard();
    let d = decide(&mut g, Who::User(json!({})), "GET", "/internal/metrics", NAV);
    assert_eq!((d.action, d.status), (Action::Deny, 404));
    let d = decide(&mut g, Who::SignedOut, "GET", "/internal/metrics", NAV);
    assert_eq!((d.action, d.status), (Action::Deny, 404), "hidden routes do not reveal themselves to signed-out users either");
}

#[test]
fn step_up_requirements_answer_rfc9470_challenges() {
    let mut g = guard();
    let no_mfa = decide(&mut g, Who::User(json!({ "fva": [2, -1] })), "GET", "/secure/keys", FETCH);
    assert_eq!((no_mfa.status, no_mfa.reason.as_str()), (403, "mfa-required"));
    let challenge = no_mfa.headers.get("WWW-Authenticate").expect("challenge");
    assert!(challenge.contains("error=\"insufficient_user_authentication\""), "{challenge}");
    let ok = decide(&mut g, Who::User(json!({ "fva": [2, 1] })), "GET", "/secure/keys", FETCH);
    assert_eq!(ok.action, Action::Allow, "{ok:?}");
    let old = decide(&mut g, Who::User(json!({ "fva": [20, 1] })), "GET", "/secure/keys", FETCH);
    assert_eq!((old.status, old.reason.as_str()), (403, "session-too-old"));
    assert!(old.headers.get("WWW-Authenticate").is_some_and(|c| c.contains("max_age=600")));
    let stale = decide(&mut g, Who::User(json!({ "fva": [5, 20] })), "POST", "/api/billing/charge", &[("content-type", "application/json")]);
    assert_eq!((stale.status, stale.reason.as_str()), (403, "reverification-required"));
    assert!(stale.headers.get("WWW-Authenticate").is_some_and(|c| c.contains("max_age=600")));
    let fresh = decide(&mut g, Who::User(json!({ "fva": [5, 3] })), "POST", "/api/billing/charge", &[("content-type", "application/json")]);
    assert_eq!(fresh.action, Action::Allow, "{fresh:?}");
}

#[test]
fn org_permissions_decode_v1_and_v2_claims() {
    let mut g = guard();
    let v1 = json!({ "org_id": "org_1", "org_role": "org:member", "org_permissions": ["org:invoices:read"] });
    assert_eq!(decide(&mut g, Who::User(v1), "GET", "/org/acme", NAV).action, Action::Allow);
    let v2 = json!({ "v": 2, "o": { "id": "org_1", "rol": "member", "slg": "acme", "per": "read,manage", "fpm": "1" }, "fea": "o:invoices" });
    assert_eq!(decide(&mut g, Who::User(v2), "GET", "/org/acme", NAV).action, Action::Allow);
    let v2_manage_only = json!({ "v": 2, "o": { "id": "org_1", "rol": "member", "slg": "acme", "per": "read,manage", "fpm": "2" }, "fea": "o:invoices" });
    let d = decide(&mut g, Who::User(v2_manage_only), "GET", "/org/acme", NAV);
    assert_eq!((d.action, d.reason.as_str()), (Action::Redirect, "missing-permission"));
    let no_org = decide(&mut g, Who::User(json!({})), "GET", "/org/acme", FETCH);
    assert_eq!((no_org.status, no_org.reason.as_str()), (403, "missing-org"));
}

#[test]
fn subrequest_header_is_rejected_before_anything_else() {
    let mut g = guard();
    for name in ["x-middleware-subrequest", "X-Middleware-Subrequest", "X-MIDDLEWARE-SUBREQUEST"] {
        for value in ["middleware", "src/middleware:src/middleware:src/middleware", "", "pages/_middleware"] {
            let d = decide(&mut g, Who::User(json!({ "metadata": { "role": "admin" } })), "GET", "/", &[(name, value)]);
            assert_eq!((d.status, d.reason.as_str()), (400, "subrequest-header"), "{name}: {value}");
        }
    }
}

#[test]
fn csrf_and_json_only() {
    let mut g = guard();
    let user = || Who::User(json!({}));
    let json_ct = ("content-type", "application/json");
    let foreign = decide(&mut g, user(), "POST", "/api/items", &[("origin", "https://evil.example"), json_ct]);
    assert_eq!((foreign.status, foreign.reason.as_str()), (403, "csrf-origin"));
    let own = decide(&mut g, user(), "POST", "/api/items", &[("origin", "https://app.example.com"), json_ct]);
    assert_eq!(own.action, Action::Allow);
    let partner = decide(&mut g, user(), "POST", "/api/items", &[("origin", "https://partner.example.com"), json_ct]);
    assert_eq!(partner.action, Action::Allow);
    let form = decide(&mut g, user(), "POST", "/api/items", &[("origin", "https://app.example.com"), ("content-type", "application/x-www-form-urlencoded")]);
    assert_eq!((form.status, form.reason.as_str()), (415, "unsupported-media-type"));
    let page_action = decide(&mut g, user(), "POST", "/dashboard", &[("origin", "https://app.example.com"), ("content-type", "text/plain;charset=UTF-8"), ("next-action", "x")]);
    assert_eq!(page_action.action, Action::Allow, "server actions post text/plain to pages");
}

#[test]
fn malformed_and_hostile_paths() {
    let mut g = guard();
    let user = || Who::User(json!({}));
    for path in ["/%zz", "/admin%2Fx", "/%2e%2e/admin", "/admin/%0Asecret", "/a%00b", "/%", "/%C3%28"] {
        let d = decide(&mut g, user(), "GET", path, NAV);
        assert_eq!((d.action, d.status, d.reason.as_str()), (Action::Deny, 400, "bad-path"), "{path}");
    }
    for path in ["/%61dmin", "/ADMIN", "//admin", "/Admin/", "/admin/", "///admin//x"] {
        let d = decide(&mut g, user(), "GET", path, NAV);
        assert_ne!(d.action, Action::Allow, "{path} reached the admin page without the admin role: {d:?}");
    }
}

#[test]
fn default_deny_and_expired_or_pending_sessions() {
    let mut g = guard();
    let d = decide(&mut g, Who::User(json!({})), "GET", "/not-in-policy", NAV);
    assert_eq!((d.status, d.reason.as_str(), d.rule.as_deref()), (404, "no-rule", None));
    let expired = decide(&mut g, Who::User(json!({ "exp": NOW - 60 })), "GET", "/api/me", FETCH);
    assert_eq!((expired.status, expired.reason.as_str()), (401, "token-expired"));
    let pending = decide(&mut g, Who::User(json!({ "sts": "pending" })), "GET", "/dashboard", NAV);
    assert_eq!((pending.action, pending.reason.as_str()), (Action::Redirect, "session-pending"));
    // As Clerk's redirectToSignIn: a pending session goes to the sign-in URL's /tasks page.
    assert_eq!(
        pending.location.as_deref(),
        Some("https://app.example.com/sign-in/tasks?redirect_url=https%3A%2F%2Fapp.example.com%2Fdashboard")
    );
}

#[test]
fn signed_in_default_and_csp_nonces() {
    let mut p = policy();
    p["default"] = json!("signed-in");
    p["csp"] = json!("default-src 'self'; script-src 'self' 'nonce-{nonce}'");
    let mut g = guard_with(p);
    let a = decide(&mut g, Who::User(json!({})), "GET", "/anything", NAV);
    let b = decide(&mut g, Who::User(json!({})), "GET", "/anything", NAV);
    assert_eq!((a.action, a.rule.as_deref()), (Action::Allow, None));
    let (na, nb) = (a.nonce.expect("nonce"), b.nonce.expect("nonce"));
    assert_ne!(na, nb, "a fresh nonce per request");
    assert!(a.headers["Content-Security-Policy"].contains(&format!("'nonce-{na}'")));
    let out = decide(&mut g, Who::SignedOut, "GET", "/anything", NAV);
    assert_eq!(out.action, Action::Redirect);
}

#[test]
fn explain_names_rules_and_requirements() {
    let mut g = guard();
    let context = DecideContext { now_ms: NOW as u64 * 1000, clerk_claims: Some(Some(claims(json!({})))), body: None };
    let (decision, trace) = g.explain(&request("GET", "/admin", NAV), &context);
    assert_eq!(decision.reason, "missing-role");
    let text = trace.join("\n");
    assert!(text.contains("rule: \"admin\""), "{text}");
    assert!(text.contains("require role: NOT met"), "{text}");
}

#[test]
fn webhook_rules_check_svix_headers_on_deliveries_only() {
    let mut g = guard();
    let unsigned = decide(&mut g, Who::SignedOut, "POST", "/api/webhooks/clerk", &[("content-type", "application/json")]);
    assert_eq!((unsigned.status, unsigned.reason.as_str()), (400, "webhook-missing-headers"));
    let signed_looking = [("svix-id", "msg_1"), ("svix-timestamp", "1800000000"), ("svix-signature", "v1,x"), ("content-type", "application/json")];
    let deferred = decide(&mut g, Who::SignedOut, "POST", "/api/webhooks/clerk", &signed_looking);
    assert_eq!((deferred.action, deferred.reason.as_str()), (Action::Allow, "webhook"), "middleware has no body: the route handler verifies");
    let get = decide(&mut g, Who::SignedOut, "GET", "/api/webhooks/clerk", FETCH);
    assert_eq!((get.action, get.reason.as_str()), (Action::Allow, "public"));
    let with_body = DecideContext { now_ms: NOW as u64 * 1000, clerk_claims: Some(None), body: Some(b"{}".to_vec()) };
    let unverifiable = g.decide(&request("POST", "/api/webhooks/clerk", &signed_looking), &with_body);
    assert_eq!((unverifiable.status, unverifiable.reason.as_str()), (503, "webhook-secret-missing"));
}
