//! Clerk's `has()` (`@clerk/shared` `createCheckAuthorization`) over an [`Auth`]: the same answer
//! for every query, including malformed ones (a requested dimension that cannot be evaluated
//! fails; `has({})` is false; every requested dimension must pass).

use serde_json::{Map, Value};

use super::claims::{split_by_scope, Auth};

/// A `has()` query. Values are JSON so that a non-string `role` (etc.) fails as in Clerk; a
/// `None` member is "not asked" (JavaScript `undefined`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HasQuery {
    pub role: Option<Value>,
    pub permission: Option<Value>,
    pub feature: Option<Value>,
    pub plan: Option<Value>,
    pub reverification: Option<Value>,
}

/// Clerk's reverification requirement: a preset or a custom `{ level, afterMinutes }`.
#[derive(Clone, Debug, PartialEq)]
pub enum Reverification {
    /// `strict_mfa`, `strict`, `moderate` or `lax`.
    Preset(String),
    /// `level`: `first_factor`, `second_factor` or `multi_factor`.
    Custom { level: String, after_minutes: f64 },
}

impl Reverification {
    fn to_value(&self) -> Value {
        match self {
            Reverification::Preset(name) => Value::String(name.clone()),
            Reverification::Custom { level, after_minutes } => {
                let mut object = Map::new();
                object.insert("level".to_owned(), Value::String(level.clone()));
                object.insert(
                    "afterMinutes".to_owned(),
                    serde_json::Number::from_f64(*after_minutes).map_or(Value::Null, Value::Number),
                );
                Value::Object(object)
            }
        }
    }
}

impl HasQuery {
    /// From a JSON object: members `role`, `permission`, `feature`, `plan`, `reverification`
    /// (present, even as `null`, means asked).
    pub fn from_json(query: &Map<String, Value>) -> HasQuery {
        HasQuery {
            role: query.get("role").cloned(),
            permission: query.get("permission").cloned(),
            feature: query.get("feature").cloned(),
            plan: query.get("plan").cloned(),
            reverification: query.get("reverification").cloned(),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Check {
    Skip,
    Pass,
    Fail,
}

impl Check {
    fn from_bool(pass: bool) -> Check {
        if pass { Check::Pass } else { Check::Fail }
    }
}

impl Auth {
    /// Exactly what Clerk's `auth().has(query)` answers for this session.
    pub fn has(&self, query: &HasQuery) -> bool {
        if self.user_id.is_empty() {
            return false;
        }
        let checks = [self.check_org(query), self.check_billing(query), self.check_reverification(query)];
        checks.contains(&Check::Pass) && !checks.contains(&Check::Fail)
    }

    /// `has({ role })`: the active organization role (`org:` prefixes are normalised).
    pub fn has_role(&self, role: &str) -> bool {
        self.has(&HasQuery { role: Some(Value::from(role)), ..HasQuery::default() })
    }

    /// `has({ permission })`: an organization permission such as `org:invoices:read`.
    pub fn has_permission(&self, permission: &str) -> bool {
        self.has(&HasQuery { permission: Some(Value::from(permission)), ..HasQuery::default() })
    }

    /// `has({ feature })`: `name`, `u:name`/`user:name` or `o:name`/`org:name`/`organization:name`.
    pub fn has_feature(&self, feature: &str) -> bool {
        self.has(&HasQuery { feature: Some(Value::from(feature)), ..HasQuery::default() })
    }

    /// `has({ plan })`, scoped like features.
    pub fn has_plan(&self, plan: &str) -> bool {
        self.has(&HasQuery { plan: Some(Value::from(plan)), ..HasQuery::default() })
    }

    /// `has({ reverification })`: whether the factors were verified recently enough.
    pub fn satisfies_reverification(&self, requirement: &Reverification) -> bool {
        self.has(&HasQuery { reverification: Some(requirement.to_value()), ..HasQuery::default() })
    }

    fn check_org(&self, query: &HasQuery) -> Check {
        if query.role.is_none() && query.permission.is_none() {
            return Check::Skip;
        }
        let role = match &query.role {
            None => None,
            Some(Value::String(role)) => Some(role),
            Some(_) => return Check::Fail,
        };
        let permission = match &query.permission {
            None => None,
            Some(Value::String(permission)) => Some(permission),
            Some(_) => return Check::Fail,
        };
        if self.org_id.as_deref().is_none_or(str::is_empty) {
            return Check::Fail;
        }
        if let Some(role) = role {
            match self.org_role.as_deref() {
                Some(org_role) if !org_role.is_empty() && with_org_prefix(org_role) == with_org_prefix(role) => {}
                _ => return Check::Fail,
            }
        }
        if let Some(permission) = permission {
            let wanted = with_org_prefix(permission);
            if !self.org_permissions.contains(&wanted) {
                return Check::Fail;
            }
        }
        Check::Pass
    }

    fn check_billing(&self, query: &HasQuery) -> Check {
        if query.feature.is_none() && query.plan.is_none() {
            return Check::Skip;
        }
        let feature = match &query.feature {
            None => None,
            Some(Value::String(feature)) => Some(feature),
            Some(_) => return Check::Fail,
        };
        let plan = match &query.plan {
            None => None,
            Some(Value::String(plan)) => Some(plan),
            Some(_) => return Check::Fail,
        };
        // Clerk reads `sessionClaims.fea || ""` and `sessionClaims.pla || ""`.
        let entitled = |claim: &str, wanted: &str| match self.claims.get(claim) {
            Some(Value::String(granted)) if !granted.is_empty() => has_feature_or_plan(granted, wanted),
            _ => false,
        };
        if feature.is_some_and(|f| !entitled("fea", f)) || plan.is_some_and(|p| !entitled("pla", p)) {
            return Check::Fail;
        }
        Check::Pass
    }

    fn check_reverification(&self, query: &HasQuery) -> Check {
        let Some(requirement) = &query.reverification else {
            return Check::Skip;
        };
        let Some([factor1, factor2]) = self.factor_verification_age else {
            return Check::Fail;
        };
        if !valid_factor_age(factor1) || !valid_factor_age(factor2) {
            return Check::Fail;
        }
        let Some((level, after_minutes)) = reverification_config(requirement) else {
            return Check::Fail;
        };
        if factor1 == -1.0 && factor2 == -1.0 {
            return Check::Fail;
        }
        let factor1_fresh = factor1 != -1.0 && after_minutes > factor1;
        let factor2_fresh = factor2 != -1.0 && after_minutes > factor2;
        Check::from_bool(match level {
            Level::First => factor1_fresh,
            Level::Second if factor2 == -1.0 => factor1_fresh,
            Level::Second => factor2_fresh,
            Level::Multi if factor2 == -1.0 => factor1_fresh,
            Level::Multi => factor1 != -1.0 && factor1_fresh && factor2_fresh,
        })
    }
}

#[derive(Clone, Copy)]
/// Which factors a reverification level asks for (Clerk: first_factor, second_factor, multi_factor).
enum Level {
    First,
    Second,
    Multi,
}

/// `validateReverificationConfig`: a preset name, or an object (arrays included, as `typeof`
/// says "object") with a known `level` and a positive numeric `afterMinutes`.
fn reverification_config(requirement: &Value) -> Option<(Level, f64)> {
    match requirement {
        Value::String(preset) => match preset.as_str() {
            "strict_mfa" => Some((Level::Multi, 10.0)),
            "strict" => Some((Level::Second, 10.0)),
            "moderate" => Some((Level::Second, 60.0)),
            "lax" => Some((Level::Second, 1440.0)),
            _ => None,
        },
        Value::Object(config) => {
            let level = match config.get("level").and_then(Value::as_str)? {
                "first_factor" => Level::First,
                "second_factor" => Level::Second,
                "multi_factor" => Level::Multi,
                _ => return None,
            };
            let after_minutes = config.get("afterMinutes").and_then(Value::as_f64).filter(|m| *m > 0.0)?;
            Some((level, after_minutes))
        }
        _ => None,
    }
}

fn valid_factor_age(age: f64) -> bool {
    age.is_finite() && (age == -1.0 || age >= 0.0)
}

/// `value.replace(/^(org:)*/, "org:")`.
fn with_org_prefix(value: &str) -> String {
    let mut rest = value;
    while let Some(stripped) = rest.strip_prefix("org:") {
        rest = stripped;
    }
    format!("org:{rest}")
}

/// `checkForFeatureOrPlan`: `scope:id` (only the first two `:`-separated parts count) or a bare
/// id matching either scope; an unknown scope or an unparseable claim fails.
fn has_feature_or_plan(granted: &str, wanted: &str) -> bool {
    let Ok(scoped) = split_by_scope(Some(granted)) else {
        return false;
    };
    let mut parts = wanted.split(':');
    let raw_scope = parts.next().unwrap_or_default();
    let raw_id = parts.next();
    let id = raw_id.filter(|id| !id.is_empty()).unwrap_or(raw_scope);
    let contains = |list: &[String]| list.iter().any(|entry| entry == id);
    match raw_id {
        None => contains(&scoped.org) || contains(&scoped.user),
        Some(_) => match raw_scope {
            "o" | "org" | "organization" => contains(&scoped.org),
            "u" | "user" => contains(&scoped.user),
            _ => false,
        },
    }
}
