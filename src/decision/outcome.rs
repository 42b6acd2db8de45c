//! The Decision record and the ways a request can end: allow, redirect, deny.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::token::SharedAuth;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Allow,
    Redirect,
    Deny,
}

impl Action {
    /// How restrictive an outcome is, for "the stricter of two rules wins".
    pub fn severity(self) -> u8 {
        match self {
            Action::Allow => 0,
            Action::Redirect => 1,
            Action::Deny => 2,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub action: Action,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    pub headers: BTreeMap<String, String>,
    pub reason: String,
    pub rule: Option<String>,
    pub auth: Option<SharedAuth>,
    /// The per-request CSP nonce when the policy sets `csp` (the adapter hands it to the app).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
}

impl Decision {
    pub fn allow(reason: &str, rule: Option<&str>, auth: Option<SharedAuth>) -> Self {
        Decision::new(Action::Allow, 200, reason, rule, auth)
    }

    pub fn redirect(location: String, reason: &str, rule: Option<&str>) -> Self {
        let mut decision = Decision::new(Action::Redirect, 307, reason, rule, None);
        decision.location = Some(location);
        decision
    }

    pub fn deny(status: u16, reason: &str, rule: Option<&str>) -> Self {
        Decision::new(Action::Deny, status, reason, rule, None)
    }

    /// What every failure inside the engine becomes: a 503 deny, never an allow.
    pub fn engine_unavailable() -> Self {
        let mut decision = Decision::deny(503, "engine-unavailable", None);
        decision.headers.insert("Cache-Control".into(), "no-store".into());
        decision
    }

    fn new(action: Action, status: u16, reason: &str, rule: Option<&str>, auth: Option<SharedAuth>) -> Self {
        Decision {
            action,
            status,
            location: None,
            headers: BTreeMap::new(),
            reason: reason.to_string(),
            rule: rule.map(str::to_string),
            auth,
            nonce: None,
        }
    }

    pub fn with_header(mut self, name: &str, value: String) -> Self {
        self.headers.insert(name.to_string(), value);
        self
    }
}

/// `<target>?redirect_url=<original>` with `target` made absolute against the request origin.
pub fn sign_in_location(sign_in_url: &str, origin: &str, original_href: &str) -> String {
    let base = absolute(sign_in_url, origin);
    let (without_fragment, fragment) = match base.split_once('#') {
        Some((b, f)) => (b.to_string(), format!("#{f}")),
        None => (base, String::new()),
    };
    let separator = if without_fragment.contains('?') { '&' } else { '?' };
    format!("{without_fragment}{separator}redirect_url={}{fragment}", encode_uri_component(original_href))
}

/// Where Clerk sends a pending session (`sts: "pending"`, a session task to finish): the sign-in
/// URL's `/tasks` page (@clerk/backend createRedirect appends `/tasks` to the sign-in URL).
pub fn session_tasks_url(sign_in_url: &str) -> String {
    let split_at = sign_in_url.find(['?', '#']).unwrap_or(sign_in_url.len());
    let (path, rest) = sign_in_url.split_at(split_at);
    format!("{}/tasks{rest}", path.trim_end_matches('/'))
}

pub fn absolute(url: &str, origin: &str) -> String {
    if url.starts_with('/') { format!("{origin}{url}") } else { url.to_string() }
}

/// JavaScript's encodeURIComponent, so Clerk's sign-in page reads `redirect_url` as it writes it.
pub fn encode_uri_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_in_location_keeps_the_original_url() {
        assert_eq!(
            sign_in_location("/sign-in", "https://app.example.com", "https://app.example.com/dashboard?tab=a b"),
            "https://app.example.com/sign-in?redirect_url=https%3A%2F%2Fapp.example.com%2Fdashboard%3Ftab%3Da%20b"
        );
        assert_eq!(
            sign_in_location("https://accounts.example.com/sign-in?x=1#top", "https://app.example.com", "https://app.example.com/"),
            "https://accounts.example.com/sign-in?x=1&redirect_url=https%3A%2F%2Fapp.example.com%2F#top"
        );
    }

    #[test]
    fn pending_sessions_go_to_the_tasks_page() {
        assert_eq!(session_tasks_url("/sign-in"), "/sign-in/tasks");
        assert_eq!(session_tasks_url("/sign-in/"), "/sign-in/tasks");
        assert_eq!(session_tasks_url("https://accounts.example.com/sign-in?x=1#top"), "https://accounts.example.com/sign-in/tasks?x=1#top");
    }

    #[test]
    fn encodes_like_javascript() {
        assert_eq!(encode_uri_component("a-_.!~*'()z/?#&=%é"), "a-_.!~*'()z%2F%3F%23%26%3D%25%C3%A9");
    }

    #[test]
    fn severity_orders_outcomes() {
        assert!(Action::Deny.severity() > Action::Redirect.severity());
        assert!(Action::Redirect.severity() > Action::Allow.severity());
    }
}
