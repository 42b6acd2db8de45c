//! A Guard: one validated policy plus keys, token cache and webhook replay store, deciding requests.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::outcome::{absolute, session_tasks_url, sign_in_location, Action, Decision};
use super::request::{
    check_origin, is_document_request, is_json_content_type_ok, is_safe_method, is_under_prefix, parse_url, Headers,
    RequestRecord, UrlParts, MAX_COOKIE_BYTES, MAX_HEADER_BYTES, MAX_URL_BYTES,
};
use super::session::{acquire_session, Session, SessionSource};
use super::wire::WireInput;
use super::{DecideContext, Trace};
use crate::policy::eval::first_unmet;
use crate::policy::{read_policy, Access, DefaultAction, Diagnostic, Policy, Requirements};
use crate::route::{canonicalize_path_cow, next_url_pathname, PreparedPath};
use crate::token::{CacheLimits, KeySet, TokenCache, VerifyOptions};
use crate::webhook::{check_replay, verify_webhook, MemoryReplayStore, WebhookOptions, WebhookSecret, DEFAULT_TOLERANCE_SECONDS};

const DEFAULT_CLOCK_SKEW_MS: u64 = 5_000;

/// `createGuard` options (DESIGN.md), as JSON.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct GuardOptions {
    pub policy: Value,
    #[serde(default)]
    pub jwt_key: Option<String>,
    #[serde(default)]
    pub jwks: Option<Value>,
    #[serde(default)]
    pub authorized_parties: Option<Vec<String>>,
    #[serde(default)]
    pub issuer: Option<OneOrMany>,
    #[serde(default)]
    pub audience: Option<OneOrMany>,
    #[serde(default)]
    pub clock_skew_in_ms: Option<u64>,
    #[serde(default)]
    pub webhook_secrets: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub token_cache_size: Option<usize>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

pub struct Guard {
    policy: Policy,
    keys: Option<KeySet>,
    authorized_parties: Option<Vec<String>>,
    issuers: Option<Vec<String>>,
    audience: Option<Vec<String>>,
    clock_skew_ms: u64,
    webhook_secrets: BTreeMap<String, WebhookSecret>,
    cache: TokenCache,
    replay: MemoryReplayStore,
    warnings: Vec<Diagnostic>,
}

impl Guard {
    /// Builds a guard, or lists every problem with the policy and the options.
    pub fn new(options: GuardOptions) -> Result<Guard, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let policy_value = match &options.policy {
            Value::String(text) => serde_json::from_str(text).unwrap_or_else(|e| {
                errors.push(Diagnostic { path: "$".into(), message: format!("policy is not valid JSON: {e}") });
                Value::Null
            }),
            other => other.clone(),
        };
        let (policy, validation) = if errors.is_empty() { read_policy(&policy_value) } else { (None, Default::default()) };
        errors.extend(validation.errors);

        let keys = match (&options.jwt_key, &options.jwks) {
            (Some(_), Some(_)) => {
                errors.push(option_error("jwtKey", "give jwtKey or jwks, not both"));
                None
            }
            (Some(pem), None) => KeySet::from_pem(pem).map_err(|e| errors.push(option_error("jwtKey", e.to_string()))).ok(),
            (None, Some(jwks)) => KeySet::from_jwks_value(jwks).map_err(|e| errors.push(option_error("jwks", e.to_string()))).ok(),
            (None, None) => None,
        };
        let mut webhook_secrets = BTreeMap::new();
        for (name, secret) in options.webhook_secrets.unwrap_or_default() {
            match WebhookSecret::parse(&secret) {
                Ok(parsed) => {
                    webhook_secrets.insert(name, parsed);
                }
                Err(e) => errors.push(option_error(&format!("webhookSecrets.{name}"), e.message)),
            }
        }
        let Some(policy) = policy.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        Ok(Guard {
            policy,
            keys,
            authorized_parties: options.authorized_parties,
            issuers: options.issuer.map(OneOrMany::into_vec),
            audience: options.audience.map(OneOrMany::into_vec),
            clock_skew_ms: options.clock_skew_in_ms.unwrap_or(DEFAULT_CLOCK_SKEW_MS),
            webhook_secrets,
            cache: TokenCache::new(CacheLimits {
                max_entries: options.token_cache_size.unwrap_or(CacheLimits::default().max_entries),
                ..CacheLimits::default()
            }),
            replay: MemoryReplayStore::default(),
            warnings: validation.warnings,
        })
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    pub fn decide(&mut self, request: &RequestRecord, context: &DecideContext) -> Decision {
        self.decide_with_omitted(request, 0, context)
    }

    pub fn explain(&mut self, request: &RequestRecord, context: &DecideContext) -> (Decision, Vec<String>) {
        self.explain_with_omitted(request, 0, context)
    }

    /// [`decide`](Self::decide) for a record that carries only the [`DECISION_HEADERS`](super::request::DECISION_HEADERS):
    /// `omitted_header_bytes` is the size of the headers left out (they count towards the limit).
    pub fn decide_with_omitted(&mut self, request: &RequestRecord, omitted_header_bytes: usize, context: &DecideContext) -> Decision {
        self.decide_traced(&Incoming::of_record(request, omitted_header_bytes), context, &mut Trace::off())
    }

    pub fn explain_with_omitted(
        &mut self,
        request: &RequestRecord,
        omitted_header_bytes: usize,
        context: &DecideContext,
    ) -> (Decision, Vec<String>) {
        self.explain_incoming(&Incoming::of_record(request, omitted_header_bytes), context)
    }

    /// [`decide`](Self::decide) for a wire record, read in place (no copy of its strings).
    pub fn decide_wire(&mut self, input: &WireInput) -> Decision {
        self.decide_traced(&Incoming::of_wire(input), &input.context, &mut Trace::off())
    }

    pub fn explain_wire(&mut self, input: &WireInput) -> (Decision, Vec<String>) {
        self.explain_incoming(&Incoming::of_wire(input), &input.context)
    }

    fn explain_incoming(&mut self, request: &Incoming, context: &DecideContext) -> (Decision, Vec<String>) {
        let mut trace = Trace::on();
        let decision = self.decide_traced(request, context, &mut trace);
        trace.note(|| format!("decision: {} {} ({})", action_name(decision.action), decision.status, decision.reason));
        (decision, trace.into_lines())
    }

    fn verify_options(&self, now_ms: u64) -> VerifyOptions {
        VerifyOptions {
            authorized_parties: self.authorized_parties.clone(),
            issuers: self.issuers.clone(),
            audience: self.audience.clone(),
            header_types: None,
            clock_skew_ms: self.clock_skew_ms,
            now_ms,
        }
    }

    fn decide_traced(&mut self, request: &Incoming, context: &DecideContext, trace: &mut Trace) -> Decision {
        let decision = self.pipeline(request, context, trace);
        self.finish(decision)
    }

    fn pipeline(&mut self, request: &Incoming, context: &DecideContext, trace: &mut Trace) -> Decision {
        let headers = &request.headers;
        trace.note(|| format!("request: {} {}", request.method, request.url));
        if request.url.len() > MAX_URL_BYTES {
            trace.note(|| format!("URL is {} bytes, over the {MAX_URL_BYTES}-byte limit", request.url.len()));
            return Decision::deny(400, "url-too-long", None);
        }
        if headers.total_bytes() > MAX_HEADER_BYTES || headers.get("cookie").is_some_and(|c| c.len() > MAX_COOKIE_BYTES) {
            trace.note(|| "headers (or the cookie header) over the size limit".into());
            return Decision::deny(400, "headers-too-large", None);
        }
        if self.policy.reject_subrequest_header && headers.has("x-middleware-subrequest") {
            trace.note(|| "x-middleware-subrequest present: rejected before anything else (CVE-2025-29927)".into());
            return Decision::deny(400, "subrequest-header", None);
        }
        let Some(url) = parse_url(request.url) else {
            trace.note(|| "not an absolute http(s) URL".into());
            return Decision::deny(400, "bad-request", None);
        };
        // What Clerk's matcher sees (`req.nextUrl.pathname`) and what Next.js routes.
        let seen = next_url_pathname(url.pathname);
        let canonical = match canonicalize_path_cow(&seen) {
            Ok(path) => path,
            Err(error) => {
                trace.note(|| format!("path {}: {}", url.pathname, error.message));
                return Decision::deny(400, "bad-path", None);
            }
        };
        trace.note(|| format!("path: {} (canonical {canonical})", url.pathname));

        let canonical_rule = self.first_rule(&canonical);
        // The usual case, a path already canonical, needs one lookup, not two.
        let raw_rule = if *seen == canonical { canonical_rule } else { self.first_rule(&seen) };
        trace.note(|| format!("rule: {}", rule_label(&self.policy, canonical_rule)));
        if raw_rule != canonical_rule {
            trace.note(|| format!("raw path matches rule {} instead: the stricter outcome wins", rule_label(&self.policy, raw_rule)));
        }
        let document = is_document_request(request.method, headers, &canonical, &self.policy.api_prefixes);
        trace.note(|| format!("kind: {}", if document { "document navigation" } else { "API / fetch" }));

        if let Some(csrf) = &self.policy.csrf {
            if let Err(why) = check_origin(request.method, headers, &url.origin(), &csrf.allowed_origins) {
                trace.note(|| format!("csrf: {why}"));
                return Decision::deny(403, "csrf-origin", None);
            }
            let is_webhook = [canonical_rule, raw_rule].iter().flatten().any(|&i| self.is_webhook_rule(i));
            if csrf.json_only && !is_webhook && is_under_prefix(&canonical, &self.policy.api_prefixes)
                && !is_json_content_type_ok(request.method, headers)
            {
                trace.note(|| format!("jsonOnly: {} with content-type {:?}", request.method, headers.get("content-type")));
                return Decision::deny(415, "unsupported-media-type", None);
            }
        }

        let source = match &context.clerk_claims {
            Some(claims) => SessionSource::Clerk(claims.as_ref()),
            None => SessionSource::Standalone,
        };
        let safe_method = is_safe_method(request.method);
        let mut session: Option<Session> = None;
        // `last`: no other evaluation follows, so the session can be moved into the decision.
        let mut evaluate = |guard: &mut Guard, rule: Option<usize>, trace: &mut Trace, last: bool| {
            let slot = SessionSlot { session: &mut session, last };
            guard.evaluate_rule(rule, &url, headers, (document, safe_method), &source, slot, context, trace)
        };
        let primary = evaluate(self, canonical_rule, trace, raw_rule == canonical_rule);
        if raw_rule == canonical_rule {
            return primary;
        }
        let secondary = evaluate(self, raw_rule, trace, true);
        if secondary.action.severity() > primary.action.severity() { secondary } else { primary }
    }

    fn first_rule(&self, path: &str) -> Option<usize> {
        // Normalised once for every rule; a malformed path matches nothing (`matches` answers
        // false too), and canonicalisation has refused it already anyway.
        let path = PreparedPath::new(path).ok()?;
        self.policy.routes.iter().position(|rule| rule.matcher.matches_prepared(&path))
    }

    fn is_webhook_rule(&self, index: usize) -> bool {
        matches!(self.policy.routes.get(index).map(|r| &r.access), Some(Access::Public { webhook: Some(_) }))
    }

    #[allow(clippy::too_many_arguments)]
    fn evaluate_rule(
        &mut self,
        rule_index: Option<usize>,
        url: &UrlParts,
        headers: &Headers,
        (document, safe_method): (bool, bool),
        source: &SessionSource,
        slot: SessionSlot,
        context: &DecideContext,
        trace: &mut Trace,
    ) -> Decision {
        let SessionSlot { session, last } = slot;
        match rule_index.and_then(|i| self.policy.routes.get(i)) {
            None => match self.policy.default {
                DefaultAction::Deny => {
                    trace.note(|| "no rule matches and default is \"deny\"".into());
                    return Decision::deny(404, "no-rule", None);
                }
                DefaultAction::SignedIn => {}
            },
            Some(rule) => match &rule.access {
                Access::Public { webhook: None } => {
                    let name = rule.name.clone();
                    let auth = match source {
                        SessionSource::Clerk(Some(_)) => self.session(source, headers, session, context).signed_in(),
                        _ => None,
                    };
                    return Decision::allow("public", Some(&name), auth);
                }
                Access::Public { webhook: Some(_) } if safe_method => {
                    // A GET/HEAD/OPTIONS cannot deliver a webhook: public like any public route.
                    return Decision::allow("public", Some(&rule.name), None);
                }
                Access::Public { webhook: Some(kind) } => {
                    let (kind, name) = (kind.clone(), rule.name.clone());
                    return self.check_webhook(&kind, &name, headers, context, trace);
                }
                Access::Require(_) => {}
            },
        }
        self.session(source, headers, session, context);
        // The session is known: the rule can be borrowed again for the rest (no copies of it).
        let default_requirements = Requirements::default();
        let rule = rule_index.and_then(|i| self.policy.routes.get(i));
        let (rule_name, hide) = (rule.map(|r| r.name.as_str()), rule.is_some_and(|r| r.hide));
        let requirements = match rule.map(|r| &r.access) {
            Some(Access::Require(requirements)) => requirements,
            _ => &default_requirements,
        };
        let session = if last { session.take() } else { session.clone() };
        // `session()` has just filled the slot; were it empty, signed out is the fail-closed answer.
        let session = session.unwrap_or(Session::SignedOut { reason: "signed-out".into(), token_sent: false });
        let auth = match session {
            Session::SignedIn(auth) if auth.session_status.as_deref() == Some("pending") => {
                trace.note(|| "session is pending (sts: pending): not signed in for protected routes".into());
                return self.signed_out(document, url, "session-pending", false, rule_name, hide);
            }
            Session::SignedIn(auth) => auth,
            Session::SignedOut { reason, token_sent } => {
                trace.note(|| format!("session: signed out ({reason})"));
                return self.signed_out(document, url, &reason, token_sent, rule_name, hide);
            }
        };
        trace.note(|| format!("session: user {} org {}", auth.user_id, auth.org_id.as_deref().unwrap_or("-")));
        let now_seconds = (context.now_ms / 1000) as i64;
        let trace_on = trace.is_on();
        let mut note = |line: String| trace.note(|| line);
        let unmet = first_unmet(requirements, &auth, now_seconds, trace_on.then_some(&mut note as &mut dyn FnMut(String)));
        let Some(unmet) = unmet else {
            return Decision::allow("authorized", rule_name, Some(auth));
        };
        let reason = unmet.reason();
        let mut decision = if hide {
            Decision::deny(404, reason, rule_name)
        } else if document {
            match &self.policy.unauthorized_url {
                Some(target) => Decision::redirect(absolute(target, &url.origin()), reason, rule_name),
                None => Decision::deny(403, reason, rule_name),
            }
        } else {
            Decision::deny(403, reason, rule_name)
        };
        if decision.status == 403 && unmet.is_step_up() {
            let mut challenge = format!(
                "Bearer error=\"insufficient_user_authentication\", error_description=\"{}\"",
                unmet.describe().replace('"', "'")
            );
            if let Some(max_age) = unmet.max_age_seconds() {
                challenge.push_str(&format!(", max_age={max_age}"));
            }
            decision = decision.with_header("WWW-Authenticate", challenge);
        }
        decision.auth = Some(auth);
        decision
    }

    fn session<'s>(
        &mut self,
        source: &SessionSource,
        headers: &Headers,
        slot: &'s mut Option<Session>,
        context: &DecideContext,
    ) -> &'s Session {
        if slot.is_none() {
            let options = self.verify_options(context.now_ms);
            let source = match source {
                SessionSource::Clerk(claims) => SessionSource::Clerk(*claims),
                SessionSource::Standalone => SessionSource::Standalone,
            };
            *slot = Some(acquire_session(source, headers, self.keys.as_ref(), &mut self.cache, &options));
        }
        slot.get_or_insert_with(|| Session::SignedOut { reason: "signed-out".into(), token_sent: false })
    }

    fn signed_out(&self, document: bool, url: &UrlParts, reason: &str, token_sent: bool, rule: Option<&str>, hide: bool) -> Decision {
        if document && !hide {
            // As Clerk's redirectToSignIn: a pending session is sent to finish its task.
            let sign_in = self.policy.sign_in_url.as_str();
            let target = if reason == "session-pending" { std::borrow::Cow::Owned(session_tasks_url(sign_in)) } else { std::borrow::Cow::Borrowed(sign_in) };
            let location = sign_in_location(&target, &url.origin(), url.href);
            return Decision::redirect(location, reason, rule);
        }
        if hide {
            return Decision::deny(404, reason, rule);
        }
        let challenge = if token_sent { "Bearer error=\"invalid_token\"".to_string() } else { "Bearer".to_string() };
        Decision::deny(401, reason, rule).with_header("WWW-Authenticate", challenge)
    }

    fn check_webhook(&mut self, kind: &str, rule: &str, headers: &Headers, context: &DecideContext, trace: &mut Trace) -> Decision {
        let has = |name: &str| headers.has(&format!("svix-{name}")) || headers.has(&format!("webhook-{name}"));
        if !(has("id") && has("timestamp") && has("signature")) {
            trace.note(|| "webhook rule: svix-id / svix-timestamp / svix-signature missing".into());
            return Decision::deny(400, "webhook-missing-headers", Some(rule));
        }
        let Some(body) = &context.body else {
            // Middleware has no body: the route handler (verifyClerkWebhook) checks the signature.
            trace.note(|| "webhook rule: signature is checked by the route handler (verifyClerkWebhook)".into());
            return Decision::allow("webhook", Some(rule), None);
        };
        let Some(secret) = self.webhook_secrets.get(kind) else {
            // The caller passed the body to have it verified, but there is nothing to verify it
            // with: never let it through unverified.
            trace.note(|| format!("webhook rule: body given but no webhookSecrets.{kind} configured"));
            return Decision::deny(503, "webhook-secret-missing", Some(rule));
        };
        let pairs: Vec<(String, String)> = headers.pairs().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let now_seconds = (context.now_ms / 1000) as i64;
        let options = WebhookOptions { tolerance_seconds: DEFAULT_TOLERANCE_SECONDS, now_seconds };
        let verified = verify_webhook(secret, &pairs, body, &options)
            .and_then(|verified| check_replay(&mut self.replay, &verified, &options).map(|()| verified));
        match verified {
            Ok(verified) => {
                trace.note(|| format!("webhook {} verified", verified.id));
                Decision::allow("webhook-verified", Some(rule), None)
            }
            Err(error) => {
                trace.note(|| format!("webhook: {}", error.message));
                Decision::deny(400, error.reason, Some(rule))
            }
        }
    }

    /// Headers every outcome carries: the policy's security headers, the CSP nonce, no-store on
    /// anything that is not an allow, and (opt-in) the decision itself.
    fn finish(&self, mut decision: Decision) -> Decision {
        for (name, value) in &self.policy.headers {
            decision.headers.entry(name.clone()).or_insert_with(|| value.clone());
        }
        if let Some(csp) = &self.policy.csp {
            match fresh_nonce() {
                Some(nonce) => {
                    decision.headers.insert("Content-Security-Policy".into(), csp.replace("{nonce}", &nonce));
                    decision.nonce = Some(nonce);
                }
                // No randomness, no nonce: a CSP without one would break the app silently.
                None => return Decision::engine_unavailable(),
            }
        }
        if decision.action != Action::Allow {
            decision.headers.insert("Cache-Control".into(), "no-store".into());
        }
        if self.policy.expose_decision {
            decision.headers.insert("X-Edgeguard-Reason".into(), decision.reason.clone());
            if let Some(rule) = &decision.rule {
                decision.headers.insert("X-Edgeguard-Rule".into(), rule.clone());
            }
        }
        decision
    }
}

/// The request as the pipeline reads it, borrowed from a [`RequestRecord`] or a wire record.
struct Incoming<'a> {
    method: &'a str,
    url: &'a str,
    headers: Headers<'a>,
}

impl<'a> Incoming<'a> {
    fn of_record(request: &'a RequestRecord, omitted_header_bytes: usize) -> Self {
        Incoming { method: &request.method, url: &request.url, headers: Headers::with_omitted(&request.headers, omitted_header_bytes) }
    }

    fn of_wire(input: &'a WireInput) -> Self {
        let headers = Headers::from_pairs(input.headers.iter().copied(), input.omitted_header_bytes);
        Incoming { method: input.method, url: input.url, headers }
    }
}

/// The session of one decision, computed on first need and shared by the (at most two) rule
/// evaluations; the last one takes it instead of cloning it.
struct SessionSlot<'s> {
    session: &'s mut Option<Session>,
    last: bool,
}

impl Session {
    fn signed_in(&self) -> Option<crate::token::SharedAuth> {
        match self {
            Session::SignedIn(auth) if auth.session_status.as_deref() != Some("pending") => Some(auth.clone()),
            _ => None,
        }
    }
}

fn fresh_nonce() -> Option<String> {
    use base64::Engine as _;
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).ok()?;
    Some(base64::engine::general_purpose::STANDARD.encode(bytes))
}

fn option_error(key: &str, message: impl Into<String>) -> Diagnostic {
    Diagnostic { path: format!("options.{key}"), message: message.into() }
}

fn rule_label(policy: &Policy, index: Option<usize>) -> String {
    match index.and_then(|i| policy.routes.get(i)) {
        Some(rule) => format!("\"{}\"", rule.name),
        None => format!("none (default: {})", if policy.default == DefaultAction::Deny { "deny" } else { "signed-in" }),
    }
}

fn action_name(action: Action) -> &'static str {
    match action {
        Action::Allow => "allow",
        Action::Redirect => "redirect",
        Action::Deny => "deny",
    }
}
