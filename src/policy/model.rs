//! The policy as the core uses it, after validation: every pattern compiled, every value typed.
//! The JSON form (DESIGN.md) is read by `validate.rs`; nothing here parses.

use crate::route::RouteMatcher;

#[derive(Debug)]
pub struct Policy {
    pub sign_in_url: String,
    pub unauthorized_url: Option<String>,
    pub routes: Vec<Rule>,
    pub default: DefaultAction,
    pub headers: Vec<(String, String)>,
    /// CSP header value; `{nonce}` is replaced by a fresh per-request nonce.
    pub csp: Option<String>,
    pub csrf: Option<Csrf>,
    pub reject_subrequest_header: bool,
    /// Paths under these prefixes are API routes: denials answer JSON, never a redirect.
    pub api_prefixes: Vec<String>,
    /// Adds `X-Edgeguard-Reason` / `X-Edgeguard-Rule` to responses (off by default: rule names are
    /// internal details an attacker could map the policy with).
    pub expose_decision: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultAction {
    SignedIn,
    Deny,
}

#[derive(Debug)]
pub struct Rule {
    pub name: String,
    pub patterns: Vec<String>,
    pub matcher: RouteMatcher,
    pub access: Access,
    pub hide: bool,
    pub log: bool,
}

#[derive(Debug)]
pub enum Access {
    Public { webhook: Option<String> },
    Require(Requirements),
}

/// All present requirements are ANDed; a list value inside one requirement means "any of".
#[derive(Debug, Default, Clone)]
pub struct Requirements {
    pub role: Vec<String>,
    pub org_role: Vec<String>,
    pub org: bool,
    pub permission: Vec<String>,
    pub feature: Vec<String>,
    pub plan: Vec<String>,
    pub mfa: bool,
    pub max_age_seconds: Option<u64>,
    pub reverification: Option<Reverification>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerificationLevel {
    FirstFactor,
    SecondFactor,
    MultiFactor,
}

impl VerificationLevel {
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "first_factor" => Some(Self::FirstFactor),
            "second_factor" => Some(Self::SecondFactor),
            "multi_factor" => Some(Self::MultiFactor),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::FirstFactor => "first_factor",
            Self::SecondFactor => "second_factor",
            Self::MultiFactor => "multi_factor",
        }
    }
}

/// Clerk's reverification config: a preset name, or a level with a freshness window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reverification {
    pub level: VerificationLevel,
    pub after_minutes: u64,
    /// The preset name when the policy used one (kept for messages and explain traces).
    pub preset: Option<&'static str>,
}

impl Reverification {
    /// Clerk's presets (`@clerk/shared` reverification config).
    pub fn preset(name: &str) -> Option<Self> {
        let (preset, level, after_minutes) = match name {
            "strict_mfa" => ("strict_mfa", VerificationLevel::MultiFactor, 10),
            "strict" => ("strict", VerificationLevel::SecondFactor, 10),
            "moderate" => ("moderate", VerificationLevel::SecondFactor, 60),
            "lax" => ("lax", VerificationLevel::SecondFactor, 1440),
            _ => return None,
        };
        Some(Self { level, after_minutes, preset: Some(preset) })
    }
}

#[derive(Debug, Clone)]
pub struct Csrf {
    /// Origins (scheme://host[:port], lower-case) allowed to send unsafe methods besides the request's own.
    pub allowed_origins: Vec<String>,
    pub json_only: bool,
}
