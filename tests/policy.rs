//! Policy validation: every error listed with its JSON path; warnings for shadowed and wide rules.

// The same tests run natively (`cargo test`) and in wasm (`wasm-pack test --node` / `--chrome`).
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use edgeguard::policy::{read_policy, read_policy_text};
use serde_json::{json, Value};

fn design_policy() -> Value {
    json!({
      "version": 1,
      "signInUrl": "/sign-in",
      "unauthorizedUrl": "/unauthorized",
      "routes": [
        { "name": "public",   "match": ["/", "/about", "/blog(.*)", "/sign-in(.*)", "/sign-up(.*)", "/unauthorized"], "public": true },
        { "name": "webhooks", "match": ["/api/webhooks/clerk"], "public": true, "webhook": "clerk" },
        { "name": "admin",    "match": ["/admin(.*)", "/api/admin(.*)"],
          "require": { "role": "admin", "mfa": true, "maxAgeSeconds": 3600 }, "log": true },
        { "name": "org",      "match": ["/org/:slug(.*)"],
          "require": { "org": true, "permission": "org:invoices:read" } },
        { "name": "billing",  "match": ["/api/billing(.*)"],
          "require": { "plan": ["pro", "enterprise"], "reverification": "strict" } },
        { "name": "app",      "match": ["/dashboard(.*)", "/settings(.*)", "/api/(.*)"], "require": {} }
      ],
      "default": "signed-in",
      "headers": { "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
                   "Referrer-Policy": "strict-origin-when-cross-origin" },
      "csrf": { "allowedOrigins": ["https://app.example.com"], "jsonOnly": true },
      "rejectSubrequestHeader": true
    })
}

fn error_paths(value: &Value) -> Vec<String> {
    let (policy, validation) = read_policy(value);
    assert!(policy.is_none() != validation.ok, "a policy is returned exactly when valid");
    validation.errors.into_iter().map(|d| d.path).collect()
}

#[test]
fn the_design_example_is_valid_without_warnings() {
    let (policy, validation) = read_policy(&design_policy());
    assert!(validation.ok, "{:?}", validation.errors);
    assert!(validation.warnings.is_empty(), "{:?}", validation.warnings);
    let policy = policy.expect("valid policy");
    assert_eq!(policy.routes.len(), 6);
    assert_eq!(policy.api_prefixes, vec!["/api", "/trpc"]);
}

#[test]
fn every_error_is_listed_with_its_path() {
    let mut bad = design_policy();
    bad["version"] = json!(2);
    bad["sigInUrl"] = json!("/sign-in");
    bad["routes"][2]["require"]["rol"] = json!("admin");
    bad["routes"][2]["require"]["reverification"] = json!("paranoid");
    bad["routes"][3]["match"] = json!(["org/:slug"]);
    bad["routes"][4]["require"]["maxAgeSeconds"] = json!(-5);
    bad["routes"][5]["public"] = json!(true);
    bad["headers"]["X-Bad"] = json!("a\r\nSet-Cookie: x=1");
    bad["csrf"]["allowedOrigins"] = json!(["https://app.example.com/path"]);
    let paths = error_paths(&bad);
    for expected in [
        "$.version",
        "$.sigInUrl",
        "$.routes[2].require.rol",
        "$.routes[2].require.reverification",
        "$.routes[3].match[0]",
        "$.routes[4].require.maxAgeSeconds",
        "$.routes[5]",
        "$.headers.X-Bad",
        "$.csrf.allowedOrigins[0]",
    ] {
        assert!(paths.iter().any(|p| p == expected), "missing error at {expected}; got {paths:?}");
    }
}

#[test]
fn unknown_keys_get_a_suggestion() {
    let mut bad = design_policy();
    bad["routes"][0]["Public"] = json!(true);
    let (_, validation) = read_policy(&bad);
    let message = &validation.errors.iter().find(|e| e.path == "$.routes[0].Public").expect("error").message;
    assert!(message.contains("did you mean \"public\""), "{message}");
}

#[test]
fn structural_mistakes_are_errors() {
    for (value, path) in [
        (json!([]), "$"),
        (json!({ "version": 1, "signInUrl": "/sign-in" }), "$.routes"),
        (json!({ "version": 1, "signInUrl": "/sign-in", "routes": [] }), "$.routes"),
        (json!({ "version": 1, "signInUrl": "sign-in", "routes": [{ "name": "p", "match": "/sign-in", "public": true }] }), "$.signInUrl"),
        (json!({ "version": 1, "signInUrl": "//evil.example/sign-in", "routes": [{ "name": "p", "match": "/x", "public": true }] }), "$.signInUrl"),
        (json!({ "version": 1, "signInUrl": "/sign-in", "default": "allow", "routes": [{ "name": "p", "match": "/sign-in", "public": true }] }), "$.default"),
        (json!({ "version": 1, "signInUrl": "/sign-in", "routes": [{ "name": "p", "match": "/sign-in" }] }), "$.routes[0]"),
        (json!({ "version": 1, "signInUrl": "/sign-in", "routes": [{ "name": "p", "match": "/sign-in", "public": true }, { "name": "p", "match": "/x", "require": {} }] }), "$.routes[1].name"),
        (json!({ "version": 1, "signInUrl": "/sign-in", "routes": [{ "name": "p", "match": "/sign-in", "public": true }, { "name": "w", "match": "/hook", "webhook": "clerk", "require": {} }] }), "$.routes[1].webhook"),
        (json!({ "version": 1, "signInUrl": "/sign-in", "routes": [{ "name": "p", "match": "/sign-in", "public": true }], "headers": { "Content-Security-Policy": "default-src 'self'" } }), "$.headers.Content-Security-Policy"),
        (json!({ "version": 1, "signInUrl": "/sign-in", "routes": [{ "name": "p", "match": "/sign-in", "public": true }, { "name": "f", "match": "/f", "require": { "feature": "team:x" } }] }), "$.routes[1].require.feature"),
    ] {
        let paths = error_paths(&value);
        assert!(paths.iter().any(|p| p == path), "expected an error at {path} for {value}; got {paths:?}");
    }
    let (_, validation) = read_policy_text("{ not json");
    assert_eq!(validation.errors[0].path, "$");
}

#[test]
fn invalid_patterns_are_errors_at_their_index() {
    let mut bad = design_policy();
    bad["routes"][5]["match"] = json!(["/dashboard(.*)", "/api/*"]);
    assert!(error_paths(&bad).contains(&"$.routes[5].match[1]".to_string()));
}

#[test]
fn overlong_patterns_are_errors_counted_in_utf16_units() {
    let mut at_limit = design_policy();
    // 'é' is one UTF-16 unit (two UTF-8 bytes): the limit counts what JavaScript's length counts.
    at_limit["routes"][5]["match"] = json!(["/dashboard(.*)", format!("/{}", "é".repeat(255))]);
    assert!(error_paths(&at_limit).is_empty());
    let mut over = design_policy();
    over["routes"][5]["match"] = json!(["/dashboard(.*)", format!("/{}", "é".repeat(256))]);
    let (_, validation) = read_policy(&over);
    let error = validation.errors.iter().find(|d| d.path == "$.routes[5].match[1]").expect("an error at the pattern");
    assert!(error.message.contains("257 characters") && error.message.contains("256"), "{}", error.message);
}

#[test]
fn redirect_targets_must_be_public() {
    let mut looping = design_policy();
    looping["routes"][0]["match"] = json!(["/", "/about"]);
    let paths = error_paths(&looping);
    assert!(paths.contains(&"$.signInUrl".to_string()), "{paths:?}");
    assert!(paths.contains(&"$.unauthorizedUrl".to_string()), "{paths:?}");
    let mut elsewhere = design_policy();
    elsewhere["signInUrl"] = json!("https://accounts.example.com/sign-in");
    assert!(error_paths(&elsewhere).is_empty());
}

#[test]
fn shadowed_and_wide_rules_are_warnings() {
    let mut policy = design_policy();
    policy["routes"].as_array_mut().expect("array").insert(
        5,
        json!({ "name": "late-admin", "match": ["/admin/settings"], "require": { "role": "owner" } }),
    );
    policy["routes"][0]["match"].as_array_mut().expect("array").push(json!("/api(.*)"));
    let (policy, validation) = read_policy(&policy);
    assert!(policy.is_some(), "warnings do not invalidate: {:?}", validation.errors);
    let warned: Vec<&str> = validation.warnings.iter().map(|w| w.path.as_str()).collect();
    assert!(warned.contains(&"$.routes[5]"), "shadowed rule not warned: {warned:?}");
    assert!(warned.contains(&"$.routes[0].match"), "wide public rule not warned: {warned:?}");
}

#[test]
fn an_uncovered_session_tasks_page_is_a_warning() {
    let tasks_warnings = |value: &Value| {
        let (_, validation) = read_policy(value);
        validation.warnings.into_iter().filter(|d| d.path == "$.signInUrl" && d.message.contains("/sign-in/tasks")).count()
    };
    assert_eq!(tasks_warnings(&design_policy()), 0, "`/sign-in(.*)` covers the tasks page");
    let mut exact = design_policy();
    exact["routes"][0]["match"] = json!(["/", "/about", "/sign-in", "/unauthorized"]);
    assert_eq!(tasks_warnings(&exact), 1);
}
