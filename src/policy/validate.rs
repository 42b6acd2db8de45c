//! Reads a policy from JSON into the typed `Policy`, listing every error (and warning) with the
//! JSON path it concerns, cedar-style: the whole document is read even after the first error, so a
//! user fixes everything in one pass. An invalid policy yields no `Policy` at all.

use serde::Serialize;
use serde_json::{Map, Value};

use super::lint::lint_policy;
use super::model::{
    Access, Csrf, DefaultAction, Policy, Requirements, Reverification, Rule, VerificationLevel,
};
use crate::route::RouteMatcher;
use crate::token::json::json_type as type_name;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Validation {
    pub ok: bool,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

/// Parses and validates policy JSON text.
pub fn read_policy_text(text: &str) -> (Option<Policy>, Validation) {
    match serde_json::from_str::<Value>(text) {
        Ok(value) => read_policy(&value),
        Err(error) => {
            let validation = Validation {
                ok: false,
                errors: vec![Diagnostic { path: "$".into(), message: format!("not valid JSON: {error}") }],
                warnings: vec![],
            };
            (None, validation)
        }
    }
}

/// Validates a policy value; returns the compiled policy only when there is no error.
pub fn read_policy(value: &Value) -> (Option<Policy>, Validation) {
    let mut diags = Diags::default();
    let policy = read_root(value, &mut diags);
    let policy = match policy {
        Some(policy) if diags.errors.is_empty() => {
            lint_policy(&policy, &mut diags.errors, &mut diags.warnings);
            Some(policy)
        }
        _ => None,
    };
    let ok = diags.errors.is_empty();
    let validation = Validation { ok, errors: diags.errors, warnings: diags.warnings };
    (if ok { policy } else { None }, validation)
}

#[derive(Default)]
struct Diags {
    errors: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

impl Diags {
    fn error(&mut self, path: &str, message: impl Into<String>) {
        self.errors.push(Diagnostic { path: path.to_string(), message: message.into() });
    }
    fn warn(&mut self, path: &str, message: impl Into<String>) {
        self.warnings.push(Diagnostic { path: path.to_string(), message: message.into() });
    }
}

const ROOT_KEYS: &[&str] = &[
    "$schema", "version", "signInUrl", "unauthorizedUrl", "routes", "default", "headers", "csp", "csrf",
    "rejectSubrequestHeader", "apiPrefixes", "exposeDecision",
];
const RULE_KEYS: &[&str] = &["name", "match", "public", "webhook", "require", "hide", "log"];
const REQUIRE_KEYS: &[&str] = &[
    "role", "orgRole", "org", "permission", "feature", "plan", "mfa", "maxAgeSeconds", "reverification",
];

fn read_root(value: &Value, diags: &mut Diags) -> Option<Policy> {
    let Some(root) = value.as_object() else {
        diags.error("$", format!("a policy must be a JSON object, not {}", type_name(value)));
        return None;
    };
    reject_unknown_keys(root, ROOT_KEYS, "$", diags);

    match root.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
        Some(other) => diags.error("$.version", format!("unsupported version {other}: this edgeguard reads version 1")),
        None => diags.error("$.version", "missing: write \"version\": 1"),
    }
    let sign_in_url = match root.get("signInUrl") {
        Some(v) => read_redirect_url(v, "$.signInUrl", diags),
        None => {
            diags.error("$.signInUrl", "missing: where signed-out document requests are sent, e.g. \"/sign-in\"");
            None
        }
    };
    let unauthorized_url = root.get("unauthorizedUrl").and_then(|v| read_redirect_url(v, "$.unauthorizedUrl", diags));
    let default = match root.get("default") {
        None => DefaultAction::Deny,
        Some(Value::String(s)) if s == "deny" => DefaultAction::Deny,
        Some(Value::String(s)) if s == "signed-in" => DefaultAction::SignedIn,
        Some(other) => {
            diags.error("$.default", format!("must be \"deny\" or \"signed-in\", not {other}"));
            DefaultAction::Deny
        }
    };
    let routes = read_routes(root.get("routes"), diags);
    let headers = root.get("headers").map(|v| read_headers(v, diags)).unwrap_or_default();
    let csp = root.get("csp").and_then(|v| read_csp(v, diags));
    let csrf = root.get("csrf").and_then(|v| read_csrf(v, diags));
    let reject_subrequest_header = read_bool(root, "rejectSubrequestHeader", "$", diags).unwrap_or(true);
    if !reject_subrequest_header {
        diags.warn(
            "$.rejectSubrequestHeader",
            "false lets x-middleware-subrequest through: on Next.js < 15.2.3 / 14.2.25 that header skips middleware entirely (CVE-2025-29927)",
        );
    }
    let api_prefixes = match root.get("apiPrefixes") {
        None => vec!["/api".to_string(), "/trpc".to_string()],
        Some(v) => read_api_prefixes(v, diags),
    };
    let expose_decision = read_bool(root, "exposeDecision", "$", diags).unwrap_or(false);

    Some(Policy {
        sign_in_url: sign_in_url?,
        unauthorized_url,
        routes: routes?,
        default,
        headers,
        csp,
        csrf,
        reject_subrequest_header,
        api_prefixes,
        expose_decision,
    })
}

fn read_routes(value: Option<&Value>, diags: &mut Diags) -> Option<Vec<Rule>> {
    let Some(value) = value else {
        diags.error("$.routes", "missing: a policy needs at least one rule (e.g. the public sign-in page)");
        return None;
    };
    let Some(items) = value.as_array() else {
        diags.error("$.routes", format!("must be an array of rules, not {}", type_name(value)));
        return None;
    };
    if items.is_empty() {
        diags.error("$.routes", "is empty: with no rule even the sign-in page is unreachable");
        return None;
    }
    let mut rules = Vec::with_capacity(items.len());
    let mut seen_names: Vec<&str> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let path = format!("$.routes[{index}]");
        if let Some(name) = item.get("name").and_then(Value::as_str) {
            if seen_names.contains(&name) {
                diags.error(&format!("{path}.name"), format!("duplicate rule name \"{name}\": decisions name their rule, so names must be unique"));
            }
            seen_names.push(name);
        }
        if let Some(rule) = read_rule(item, &path, diags) {
            rules.push(rule);
        }
    }
    (rules.len() == items.len()).then_some(rules)
}

fn read_rule(value: &Value, path: &str, diags: &mut Diags) -> Option<Rule> {
    let Some(object) = value.as_object() else {
        diags.error(path, format!("a rule must be an object, not {}", type_name(value)));
        return None;
    };
    reject_unknown_keys(object, RULE_KEYS, path, diags);
    let name = match object.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
        Some(other) => {
            diags.error(&format!("{path}.name"), format!("must be a non-empty string, not {other}"));
            None
        }
        None => {
            diags.error(&format!("{path}.name"), "missing: every rule needs a name (decisions and logs cite it)");
            None
        }
    };
    let patterns = read_patterns(object.get("match"), &format!("{path}.match"), diags);
    let matcher = patterns.as_ref().and_then(|patterns| match RouteMatcher::new(patterns) {
        Ok(matcher) => Some(matcher),
        Err(error) => {
            let index = patterns.iter().position(|p| *p == error.pattern).unwrap_or(0);
            let at = if object.get("match").is_some_and(Value::is_string) { format!("{path}.match") } else { format!("{path}.match[{index}]") };
            diags.error(&at, error.message.clone());
            None
        }
    });
    let public = read_bool(object, "public", path, diags);
    let hide = read_bool(object, "hide", path, diags).unwrap_or(false);
    let log = read_bool(object, "log", path, diags).unwrap_or(false);
    let webhook = match object.get("webhook") {
        None => None,
        Some(Value::String(s)) if s == "clerk" || s == "svix" => Some(s.clone()),
        Some(other) => {
            diags.error(&format!("{path}.webhook"), format!("must be \"clerk\" (svix-signed Clerk webhooks), not {other}"));
            None
        }
    };
    let require = object.get("require").and_then(|v| read_requirements(v, &format!("{path}.require"), diags));
    let access = match (public, object.contains_key("require")) {
        (Some(true), false) => Some(Access::Public { webhook }),
        (Some(true), true) => {
            diags.error(path, "a rule is either \"public\": true or has \"require\", not both");
            None
        }
        (Some(false) | None, true) => {
            if webhook.is_some() {
                diags.error(&format!("{path}.webhook"), "webhook routes are called by Clerk without a session: mark the rule \"public\": true (the svix signature is what authenticates them)");
            }
            require.map(Access::Require)
        }
        (Some(false) | None, false) => {
            diags.error(path, "says neither \"public\": true nor \"require\": {...} (use \"require\": {} for signed-in only)");
            None
        }
    };
    if hide && matches!(access, Some(Access::Public { .. })) {
        diags.warn(&format!("{path}.hide"), "has no effect on a public rule");
    }
    Some(Rule { name: name?, patterns: patterns?, matcher: matcher?, access: access?, hide, log })
}

/// Longest route pattern a policy may hold, in UTF-16 code units (what a JS string's length counts).
/// Clerk has no limit; real patterns are tens of characters.
const MAX_PATTERN_UNITS: usize = 256;

fn read_patterns(value: Option<&Value>, path: &str, diags: &mut Diags) -> Option<Vec<String>> {
    let items: Vec<&Value> = match value {
        None => {
            diags.error(path, "missing: the route patterns this rule covers (Clerk createRouteMatcher syntax)");
            return None;
        }
        Some(Value::String(_)) => vec![value?],
        Some(Value::Array(items)) if !items.is_empty() => items.iter().collect(),
        Some(Value::Array(_)) => {
            diags.error(path, "is empty: a rule must match at least one pattern");
            return None;
        }
        Some(other) => {
            diags.error(path, format!("must be a pattern string or an array of them, not {}", type_name(other)));
            return None;
        }
    };
    let single = matches!(value, Some(Value::String(_)));
    let mut patterns = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let item_path = if single { path.to_string() } else { format!("{path}[{index}]") };
        match item {
            Value::String(s) if s.encode_utf16().count() > MAX_PATTERN_UNITS => diags.error(
                &item_path,
                format!(
                    "pattern is {} characters long; the limit is {MAX_PATTERN_UNITS} (matching cost grows with a pattern's length, and every request pays it)",
                    s.encode_utf16().count()
                ),
            ),
            Value::String(s) if s.starts_with('/') => patterns.push(s.clone()),
            Value::String(s) => diags.error(&item_path, format!("pattern \"{s}\" must start with '/': rules match the URL pathname")),
            other => diags.error(&item_path, format!("a pattern must be a string, not {}", type_name(other))),
        }
    }
    (patterns.len() == items.len()).then_some(patterns)
}

fn read_requirements(value: &Value, path: &str, diags: &mut Diags) -> Option<Requirements> {
    let Some(object) = value.as_object() else {
        diags.error(path, format!("must be an object of requirements ({{}} = signed in), not {}", type_name(value)));
        return None;
    };
    reject_unknown_keys(object, REQUIRE_KEYS, path, diags);
    let errors_before = diags.errors.len();
    let mut req = Requirements {
        role: read_names(object, "role", path, diags),
        org_role: read_names(object, "orgRole", path, diags),
        org: read_bool(object, "org", path, diags).unwrap_or(false),
        permission: read_names(object, "permission", path, diags),
        feature: read_names(object, "feature", path, diags),
        plan: read_names(object, "plan", path, diags),
        mfa: read_bool(object, "mfa", path, diags).unwrap_or(false),
        max_age_seconds: None,
        reverification: None,
    };
    for role in &req.org_role {
        if !role.starts_with("org:") {
            diags.warn(&format!("{path}.orgRole"), format!("\"{role}\" has no \"org:\" prefix; Clerk org roles look like \"org:{role}\" (matched with the prefix added, as Clerk's has() does)"));
        }
    }
    for permission in &req.permission {
        if permission.split(':').count() != 3 {
            diags.warn(&format!("{path}.permission"), format!("\"{permission}\" is not of Clerk's form \"org:<feature>:<permission>\""));
        }
    }
    for (key, names) in [("feature", &req.feature), ("plan", &req.plan)] {
        for name in names {
            if let Some((scope, _)) = name.split_once(':') {
                if !matches!(scope, "o" | "org" | "organization" | "u" | "user") {
                    diags.error(&format!("{path}.{key}"), format!("\"{name}\": unknown scope \"{scope}\" (Clerk scopes are u:/user: and o:/org:)"));
                }
            }
        }
    }
    match object.get("maxAgeSeconds") {
        None => {}
        Some(Value::Number(n)) if n.as_u64().is_some_and(|s| s > 0) => req.max_age_seconds = n.as_u64(),
        Some(other) => diags.error(&format!("{path}.maxAgeSeconds"), format!("must be a positive whole number of seconds, not {other}")),
    }
    if let Some(v) = object.get("reverification") {
        req.reverification = read_reverification(v, &format!("{path}.reverification"), diags);
    }
    if req.org_role.iter().chain(&req.permission).next().is_some() && !req.org {
        // Clerk's has() fails role/permission checks without an active org; saying so avoids surprise.
        req.org = true;
    }
    (diags.errors.len() == errors_before).then_some(req)
}

fn read_reverification(value: &Value, path: &str, diags: &mut Diags) -> Option<Reverification> {
    match value {
        Value::String(name) => Reverification::preset(name).or_else(|| {
            diags.error(path, format!("unknown preset \"{name}\": Clerk's presets are strict_mfa, strict, moderate, lax"));
            None
        }),
        Value::Object(object) => {
            reject_unknown_keys(object, &["level", "afterMinutes"], path, diags);
            let level = match object.get("level").and_then(Value::as_str) {
                Some(text) => VerificationLevel::parse(text).or_else(|| {
                    diags.error(&format!("{path}.level"), format!("unknown level \"{text}\": first_factor, second_factor or multi_factor"));
                    None
                }),
                None => {
                    diags.error(&format!("{path}.level"), "missing or not a string: first_factor, second_factor or multi_factor");
                    None
                }
            };
            let after_minutes = match object.get("afterMinutes") {
                Some(Value::Number(n)) if n.as_u64().is_some_and(|m| (1..99_999).contains(&m)) => n.as_u64(),
                other => {
                    let shown = other.map_or("nothing".to_string(), Value::to_string);
                    diags.error(&format!("{path}.afterMinutes"), format!("must be a whole number of minutes from 1 to 99998 (Clerk's range), not {shown}"));
                    None
                }
            };
            Some(Reverification { level: level?, after_minutes: after_minutes?, preset: None })
        }
        other => {
            diags.error(path, format!("must be a preset name or {{ \"level\", \"afterMinutes\" }}, not {}", type_name(other)));
            None
        }
    }
}

fn read_names(object: &Map<String, Value>, key: &str, path: &str, diags: &mut Diags) -> Vec<String> {
    let path = format!("{path}.{key}");
    match object.get(key) {
        None => vec![],
        Some(Value::String(s)) if !s.trim().is_empty() => vec![s.clone()],
        Some(Value::Array(items)) if !items.is_empty() => {
            let mut names = Vec::new();
            for (index, item) in items.iter().enumerate() {
                match item {
                    Value::String(s) if !s.trim().is_empty() => names.push(s.clone()),
                    other => diags.error(&format!("{path}[{index}]"), format!("must be a non-empty string, not {other}")),
                }
            }
            names
        }
        Some(other) => {
            diags.error(&path, format!("must be a non-empty string or a non-empty array of them (any of), not {other}"));
            vec![]
        }
    }
}

fn read_bool(object: &Map<String, Value>, key: &str, path: &str, diags: &mut Diags) -> Option<bool> {
    match object.get(key)? {
        Value::Bool(b) => Some(*b),
        other => {
            diags.error(&format!("{path}.{key}"), format!("must be true or false, not {other}"));
            None
        }
    }
}

/// A redirect target: a same-origin path ("/sign-in") or an absolute http(s) URL on another origin.
fn read_redirect_url(value: &Value, path: &str, diags: &mut Diags) -> Option<String> {
    let Some(text) = value.as_str() else {
        diags.error(path, format!("must be a string, not {}", type_name(value)));
        return None;
    };
    if text.chars().any(|c| c.is_control() || c == ' ' || c == '\\') {
        diags.error(path, format!("\"{}\" contains spaces, backslashes or control characters", text.escape_debug()));
        return None;
    }
    if text.starts_with("//") {
        diags.error(path, format!("\"{text}\" is protocol-relative: write a path (\"/sign-in\") or a full https:// URL"));
        None
    } else if text.starts_with('/') {
        Some(text.to_string())
    } else if let Some(rest) = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://")) {
        if rest.is_empty() || rest.starts_with('/') {
            diags.error(path, format!("\"{text}\" has no host"));
            return None;
        }
        Some(text.to_string())
    } else {
        diags.error(path, format!("\"{text}\" is neither a path starting with '/' nor an absolute http(s) URL (a relative path would resolve against every request's own path)"));
        None
    }
}

fn read_headers(value: &Value, diags: &mut Diags) -> Vec<(String, String)> {
    let Some(object) = value.as_object() else {
        diags.error("$.headers", format!("must be an object of header name → value, not {}", type_name(value)));
        return vec![];
    };
    let mut headers = Vec::new();
    for (name, v) in object {
        let path = format!("$.headers.{name}");
        if name.is_empty() || !name.bytes().all(is_header_token_byte) {
            diags.error(&path, format!("\"{}\" is not a valid header name", name.escape_debug()));
            continue;
        }
        if name.eq_ignore_ascii_case("content-security-policy") {
            diags.error(&path, "set the CSP with \"csp\" (it carries the per-request nonce), not in \"headers\"");
            continue;
        }
        match v.as_str() {
            Some(text) if !text.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) => headers.push((name.clone(), text.to_string())),
            Some(_) => diags.error(&path, "a header value may not contain CR, LF or NUL"),
            None => diags.error(&path, format!("must be a string, not {}", type_name(v))),
        }
    }
    headers
}

fn read_csp(value: &Value, diags: &mut Diags) -> Option<String> {
    match value.as_str() {
        Some(text) if !text.trim().is_empty() && !text.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) => {
            Some(text.to_string())
        }
        _ => {
            diags.error("$.csp", "must be a non-empty one-line Content-Security-Policy string; write {nonce} where the per-request nonce goes");
            None
        }
    }
}

fn read_csrf(value: &Value, diags: &mut Diags) -> Option<Csrf> {
    let Some(object) = value.as_object() else {
        diags.error("$.csrf", format!("must be an object, not {}", type_name(value)));
        return None;
    };
    reject_unknown_keys(object, &["allowedOrigins", "jsonOnly"], "$.csrf", diags);
    let mut allowed_origins = Vec::new();
    match object.get("allowedOrigins") {
        None => {}
        Some(Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                let path = format!("$.csrf.allowedOrigins[{index}]");
                match item.as_str().map(normalize_origin) {
                    Some(Ok(origin)) => allowed_origins.push(origin),
                    Some(Err(message)) => diags.error(&path, message),
                    None => diags.error(&path, format!("must be an origin string, not {}", type_name(item))),
                }
            }
        }
        Some(other) => diags.error("$.csrf.allowedOrigins", format!("must be an array of origins, not {}", type_name(other))),
    }
    let json_only = read_bool(object, "jsonOnly", "$.csrf", diags).unwrap_or(false);
    Some(Csrf { allowed_origins, json_only })
}

/// `scheme://host[:port]`, lower-cased, no path: the form browsers send in `Origin`.
fn normalize_origin(text: &str) -> Result<String, String> {
    let lower = text.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .ok_or_else(|| format!("\"{text}\" is not an http(s) origin"))?;
    if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ', '\\']) {
        return Err(format!("\"{text}\" must be an origin only (scheme://host[:port]), with no path, user or spaces"));
    }
    Ok(lower)
}

fn read_api_prefixes(value: &Value, diags: &mut Diags) -> Vec<String> {
    let Some(items) = value.as_array() else {
        diags.error("$.apiPrefixes", format!("must be an array of path prefixes, not {}", type_name(value)));
        return vec![];
    };
    let mut prefixes = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match item.as_str() {
            Some(p) if p.starts_with('/') && p.len() > 1 && !p.ends_with('/') => prefixes.push(p.to_ascii_lowercase()),
            _ => diags.error(&format!("$.apiPrefixes[{index}]"), format!("must be a path prefix like \"/api\" (leading '/', no trailing '/'), not {item}")),
        }
    }
    prefixes
}

fn reject_unknown_keys(object: &Map<String, Value>, known: &[&str], path: &str, diags: &mut Diags) {
    for key in object.keys() {
        if !known.contains(&key.as_str()) {
            let hint = closest(key, known).map(|k| format!(" (did you mean \"{k}\"?)")).unwrap_or_default();
            diags.error(&format!("{path}.{key}"), format!("unknown key \"{key}\"{hint}; known keys: {}", known.join(", ")));
        }
    }
}

fn closest<'a>(key: &str, known: &[&'a str]) -> Option<&'a str> {
    let lower = key.to_ascii_lowercase();
    known.iter().copied().find(|k| {
        let k_lower = k.to_ascii_lowercase();
        k_lower == lower || k_lower.replace(['-', '_'], "") == lower.replace(['-', '_'], "")
    })
}

fn is_header_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}
