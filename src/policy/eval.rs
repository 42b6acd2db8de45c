//! Checks a rule's requirements against a verified session, in a fixed order, and names the first
//! one that is not met. Clerk concepts (org role, permission, feature, plan, reverification) are
//! decided exactly as Clerk's `has()` decides them, through `token::has`.

use serde_json::Value;

use super::model::Requirements;
use crate::token::{Auth, Reverification as ClerkReverification};

/// The first unmet requirement; `reason()` is the stable code put in the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unmet {
    Org,
    Role(Vec<String>),
    OrgRole(Vec<String>),
    Permission(Vec<String>),
    Feature(Vec<String>),
    Plan(Vec<String>),
    Mfa,
    MaxAge { max_age_seconds: u64 },
    Reverification { after_minutes: u64, level: &'static str },
}

impl Unmet {
    pub fn reason(&self) -> &'static str {
        match self {
            Unmet::Org => "missing-org",
            Unmet::Role(_) => "missing-role",
            Unmet::OrgRole(_) => "missing-org-role",
            Unmet::Permission(_) => "missing-permission",
            Unmet::Feature(_) => "missing-feature",
            Unmet::Plan(_) => "missing-plan",
            Unmet::Mfa => "mfa-required",
            Unmet::MaxAge { .. } => "session-too-old",
            Unmet::Reverification { .. } => "reverification-required",
        }
    }

    /// Requirements the user can meet by authenticating again (RFC 9470 step-up), as opposed to
    /// ones that need another role or plan.
    pub fn is_step_up(&self) -> bool {
        matches!(self, Unmet::Mfa | Unmet::MaxAge { .. } | Unmet::Reverification { .. })
    }

    /// `max_age` for the step-up challenge, in seconds, when the requirement has one.
    pub fn max_age_seconds(&self) -> Option<u64> {
        match self {
            Unmet::MaxAge { max_age_seconds } => Some(*max_age_seconds),
            Unmet::Reverification { after_minutes, .. } => Some(after_minutes.saturating_mul(60)),
            _ => None,
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Unmet::Org => "an active organization is required".into(),
            Unmet::Role(roles) => format!("role {} required (metadata.role or org role)", any_of(roles)),
            Unmet::OrgRole(roles) => format!("org role {} required", any_of(roles)),
            Unmet::Permission(p) => format!("permission {} required", any_of(p)),
            Unmet::Feature(f) => format!("feature {} required", any_of(f)),
            Unmet::Plan(p) => format!("plan {} required", any_of(p)),
            Unmet::Mfa => "a verified second factor is required".into(),
            Unmet::MaxAge { max_age_seconds } => format!("authentication younger than {max_age_seconds} s required"),
            Unmet::Reverification { after_minutes, level } => {
                format!("reverification ({level}) within the last {after_minutes} min required")
            }
        }
    }
}

fn any_of(names: &[String]) -> String {
    match names {
        [one] => format!("\"{one}\""),
        many => format!("any of {}", many.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")),
    }
}

/// Evaluates every requirement in order; `trace`, when given, receives one line per requirement
/// checked (without it, nothing is formatted and nothing is copied for a requirement that is met).
pub fn first_unmet(req: &Requirements, auth: &Auth, now_seconds: i64, mut trace: Option<&mut dyn FnMut(String)>) -> Option<Unmet> {
    let mut check = |name: &str, passed: bool, unmet: &dyn Fn() -> Unmet| -> Option<Unmet> {
        if let Some(trace) = trace.as_mut() {
            trace(format!("  require {name}: {}", if passed { "met".to_string() } else { format!("NOT met — {}", unmet().describe()) }));
        }
        (!passed).then(unmet)
    };
    if req.org {
        let has_org = auth.org_id.as_deref().is_some_and(|id| !id.is_empty());
        if let Some(u) = check("org", has_org, &|| Unmet::Org) {
            return Some(u);
        }
    }
    if !req.role.is_empty() {
        let passed = req.role.iter().any(|role| has_app_role(auth, role));
        if let Some(u) = check("role", passed, &|| Unmet::Role(req.role.clone())) {
            return Some(u);
        }
    }
    if !req.org_role.is_empty() {
        let passed = req.org_role.iter().any(|role| auth.has_role(role));
        if let Some(u) = check("orgRole", passed, &|| Unmet::OrgRole(req.org_role.clone())) {
            return Some(u);
        }
    }
    if !req.permission.is_empty() {
        let passed = req.permission.iter().any(|p| auth.has_permission(p));
        if let Some(u) = check("permission", passed, &|| Unmet::Permission(req.permission.clone())) {
            return Some(u);
        }
    }
    if !req.feature.is_empty() {
        let passed = req.feature.iter().any(|f| auth.has_feature(f));
        if let Some(u) = check("feature", passed, &|| Unmet::Feature(req.feature.clone())) {
            return Some(u);
        }
    }
    if !req.plan.is_empty() {
        let passed = req.plan.iter().any(|p| auth.has_plan(p));
        if let Some(u) = check("plan", passed, &|| Unmet::Plan(req.plan.clone())) {
            return Some(u);
        }
    }
    if req.mfa {
        let passed = auth.factor_verification_age.is_some_and(|[_, second]| second >= 0.0);
        if let Some(u) = check("mfa", passed, &|| Unmet::Mfa) {
            return Some(u);
        }
    }
    if let Some(max_age_seconds) = req.max_age_seconds {
        let passed = authentication_age_seconds(auth, now_seconds).is_some_and(|age| age <= max_age_seconds as i64);
        if let Some(u) = check("maxAgeSeconds", passed, &|| Unmet::MaxAge { max_age_seconds }) {
            return Some(u);
        }
    }
    if let Some(rev) = &req.reverification {
        let clerk_form = match rev.preset {
            Some(name) => ClerkReverification::Preset(name.to_string()),
            None => ClerkReverification::Custom { level: rev.level.as_str().to_string(), after_minutes: rev.after_minutes as f64 },
        };
        let passed = auth.satisfies_reverification(&clerk_form);
        let unmet = || Unmet::Reverification { after_minutes: rev.after_minutes, level: rev.level.as_str() };
        if let Some(u) = check("reverification", passed, &unmet) {
            return Some(u);
        }
    }
    None
}

/// Seconds since the user last authenticated. Clerk re-issues session tokens every minute, so
/// `iat` alone says little about the session; when the token carries `fva` (minutes since the
/// first factor was verified) that is the better, stricter measure and the larger age wins.
pub fn authentication_age_seconds(auth: &Auth, now_seconds: i64) -> Option<i64> {
    let issued_at = auth.issued_at.filter(|t| t.is_finite())?;
    let token_age = now_seconds as f64 - issued_at;
    let factor_age = match auth.factor_verification_age {
        Some([first, _]) if first.is_finite() && first >= 0.0 => first * 60.0,
        Some(_) => return None, // first factor never verified: no authentication to be young
        None => 0.0,
    };
    let age = token_age.max(factor_age).max(0.0);
    // Ages beyond i64 seconds are nonsense claims: treat as unknown (fails the requirement).
    (age < 9.0e15).then_some(age as i64)
}

/// The app role of the contract: `metadata.role` / `public_metadata.role` (server-writable custom
/// session claims) or the active org role `org:<role>`. `unsafe_metadata` is client-writable and is
/// never read.
fn has_app_role(auth: &Auth, role: &str) -> bool {
    let claims = &auth.claims;
    let from_metadata = ["metadata", "public_metadata", "publicMetadata"].iter().any(|key| {
        match claims.get(*key).and_then(|m| m.get("role")) {
            Some(Value::String(r)) => r == role,
            Some(Value::Array(roles)) => roles.iter().any(|r| r.as_str() == Some(role)),
            _ => false,
        }
    });
    from_metadata || auth.has_role(role)
}
