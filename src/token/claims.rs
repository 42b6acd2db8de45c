//! Session claims → [`Auth`], for v1 and v2 Clerk session tokens, as `@clerk/shared`'s
//! `__experimental_JWTPayloadToAuthObjectProperties` decodes them.
//!
//! v1: `org_id`, `org_role`, `org_slug`, `org_permissions`. v2 (`v: 2`): `o: {id, rol, slg, per,
//! fpm}` with `orgRole = "org:" + rol` and the org permissions rebuilt from `fea`/`per`/`fpm`.
//! Where Clerk would pass a claim of another JSON type through (and its `has()` then fails),
//! edgeguard rejects the claims: a typed session never holds a value Clerk's types don't allow.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::error::{reason, TokenError};
use super::jsops::{is_ascii_decimal, js_trim};
use super::verify::{js_truthy, Claims};

/// The decoded session (same shape for v1 and v2 tokens).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Auth {
    /// `sub`.
    pub user_id: String,
    /// `sid`.
    pub session_id: Option<String>,
    /// `sts` (v2): `"active"`, `"pending"` (signed in but with a pending task: not signed in
    /// for protected routes), …; `None` when absent.
    pub session_status: Option<String>,
    pub org_id: Option<String>,
    /// With the `org:` prefix for v2 tokens (`"org:" + o.rol`); as issued for v1.
    pub org_role: Option<String>,
    pub org_slug: Option<String>,
    /// v1: `org_permissions`; v2: decoded from `fea`, `o.per` and `o.fpm`.
    pub org_permissions: Vec<String>,
    /// The entries of `fea` as issued (scoped, e.g. `"o:reports"`, `"u:export"`).
    pub features: Vec<String>,
    /// `pla` as issued (e.g. `"u:pro"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// `fva`: minutes since the first and second factor were verified (-1: never).
    pub factor_verification_age: Option<[f64; 2]>,
    /// `iat`, seconds.
    pub issued_at: Option<f64>,
    /// `exp`, seconds.
    pub expires_at: f64,
    /// The whole verified payload.
    pub claims: Claims,
}

/// Decodes verified session claims. Fails (`token-verification-failed`) where Clerk's decoding
/// throws (e.g. a `fea` entry without a scope in a v2 org token) and where a claim has a JSON
/// type Clerk's session types don't allow.
pub fn auth_from_claims(claims: &Claims) -> Result<Auth, TokenError> {
    let user_id = match claims.get("sub") {
        Some(Value::String(sub)) if !sub.is_empty() => sub.clone(),
        _ => return Err(invalid("sub", "a non-empty string")),
    };
    let expires_at = claims.get("exp").and_then(Value::as_f64).ok_or_else(|| invalid("exp", "a number"))?;
    let issued_at = match claims.get("iat") {
        None => None,
        Some(iat) => Some(iat.as_f64().ok_or_else(|| invalid("iat", "a number"))?),
    };
    let org = if claims.get("v").and_then(Value::as_f64) == Some(2.0) { org_v2(claims)? } else { org_v1(claims)? };
    Ok(Auth {
        user_id,
        session_id: optional_string(claims.get("sid"), "sid")?,
        session_status: optional_string(claims.get("sts"), "sts")?,
        org_id: org.id,
        org_role: org.role,
        org_slug: org.slug,
        org_permissions: org.permissions,
        features: match optional_string(claims.get("fea"), "fea")? {
            Some(fea) => fea.split(',').map(js_trim).filter(|f| !f.is_empty()).map(str::to_owned).collect(),
            None => Vec::new(),
        },
        plan: optional_string(claims.get("pla"), "pla")?,
        factor_verification_age: factor_verification_age(claims.get("fva"))?,
        issued_at,
        expires_at,
        claims: claims.clone(),
    })
}

#[derive(Default)]
struct Org {
    id: Option<String>,
    role: Option<String>,
    slug: Option<String>,
    permissions: Vec<String>,
}

fn org_v1(claims: &Claims) -> Result<Org, TokenError> {
    let permissions = match claims.get("org_permissions") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|p| p.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| invalid("org_permissions", "an array of strings"))?,
        Some(_) => return Err(invalid("org_permissions", "an array of strings")),
    };
    Ok(Org {
        id: optional_string(claims.get("org_id"), "org_id")?,
        role: optional_string(claims.get("org_role"), "org_role")?,
        slug: optional_string(claims.get("org_slug"), "org_slug")?,
        permissions,
    })
}

fn org_v2(claims: &Claims) -> Result<Org, TokenError> {
    let Some(o) = claims.get("o").filter(|o| js_truthy(o)) else {
        return Ok(Org::default());
    };
    // `o.id` etc. on a non-object `o` read as undefined in JavaScript.
    let member = |name: &str| o.as_object().and_then(|o| o.get(name));
    let role = match member("rol") {
        Some(rol) if js_truthy(rol) => {
            Some(format!("org:{}", rol.as_str().ok_or_else(|| invalid("o.rol", "a string"))?))
        }
        _ => None,
    };
    let org_features = split_by_scope(truthy_string(claims.get("fea"), "fea")?)
        .map_err(|e| TokenError::new(reason::TOKEN_VERIFICATION_FAILED, e))?
        .org;
    // `parsePermissions` only splits `per` and `fpm` when both are truthy.
    let permissions = match (member("per").filter(|v| js_truthy(v)), member("fpm").filter(|v| js_truthy(v))) {
        (Some(per), Some(fpm)) => {
            let per = per.as_str().ok_or_else(|| invalid("o.per", "a string"))?;
            let fpm = fpm.as_str().ok_or_else(|| invalid("o.fpm", "a string"))?;
            org_permissions(&org_features, per, fpm)
        }
        _ => Vec::new(),
    };
    Ok(Org {
        id: optional_string(member("id"), "o.id")?,
        role,
        slug: optional_string(member("slg"), "o.slg")?,
        permissions,
    })
}

/// `buildOrgPermissions(parsePermissions({per, fpm}))`: `fpm` holds one decimal bitmask per org
/// feature (in `fea` order); bit i (least significant first) grants the i-th permission of `per`.
fn org_permissions(org_features: &[String], per: &str, fpm: &str) -> Vec<String> {
    let permissions: Vec<&str> = per.split(',').map(js_trim).collect();
    let masks: Vec<&str> = fpm.split(',').map(js_trim).collect();
    let mut granted = Vec::new();
    for (feature, mask) in org_features.iter().zip(masks) {
        let bits = low_bits_of_decimal(mask, permissions.len());
        for (permission, bit) in permissions.iter().zip(bits) {
            if bit {
                granted.push(format!("org:{feature}:{permission}"));
            }
        }
    }
    granted
}

/// The `count` least significant bits of a decimal string, least significant first; no bits
/// for a string that is not all ASCII digits (Clerk's `decimalToBinaryBits(...) ?? []`).
fn low_bits_of_decimal(decimal: &str, count: usize) -> Vec<bool> {
    if !is_ascii_decimal(decimal) {
        return Vec::new();
    }
    let mut digits: Vec<u8> = decimal.bytes().map(|b| b - b'0').collect();
    let mut bits = Vec::with_capacity(count);
    while bits.len() < count {
        let mut remainder = 0u8;
        for digit in digits.iter_mut() {
            let value = remainder * 10 + *digit;
            *digit = value / 2;
            remainder = value % 2;
        }
        bits.push(remainder == 1);
    }
    bits
}

/// Scoped entries of `fea`/`pla` (`@clerk/shared`'s `splitByScope`): `o:` org, `u:` user,
/// `ou:`/`uo:` both; other scopes are ignored; an entry without `:` is an error.
pub(crate) struct Scoped {
    pub org: Vec<String>,
    pub user: Vec<String>,
}

pub(crate) fn split_by_scope(claim: Option<&str>) -> Result<Scoped, String> {
    let mut scoped = Scoped { org: Vec::new(), user: Vec::new() };
    let Some(claim) = claim.filter(|c| !c.is_empty()) else {
        return Ok(scoped);
    };
    for part in claim.split(',').map(js_trim) {
        let Some((scope, value)) = part.split_once(':') else {
            return Err(format!("Invalid claim element (missing colon): {part}"));
        };
        match scope {
            "o" => scoped.org.push(value.to_owned()),
            "u" => scoped.user.push(value.to_owned()),
            "ou" | "uo" => {
                scoped.org.push(value.to_owned());
                scoped.user.push(value.to_owned());
            }
            _ => {}
        }
    }
    Ok(scoped)
}

/// A claim Clerk reads with `if (value)` and then uses as a string.
fn truthy_string<'a>(value: Option<&'a Value>, name: &str) -> Result<Option<&'a str>, TokenError> {
    match value {
        Some(v) if js_truthy(v) => v.as_str().map(Some).ok_or_else(|| invalid(name, "a string")),
        _ => Ok(None),
    }
}

fn optional_string(value: Option<&Value>, name: &str) -> Result<Option<String>, TokenError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(name, "a string")),
    }
}

fn factor_verification_age(value: Option<&Value>) -> Result<Option<[f64; 2]>, TokenError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(items)) => match items.as_slice() {
            [first, second] => match (first.as_f64(), second.as_f64()) {
                (Some(first), Some(second)) => Ok(Some([first, second])),
                _ => Err(invalid("fva", "two numbers")),
            },
            _ => Err(invalid("fva", "two numbers")),
        },
        Some(_) => Err(invalid("fva", "two numbers")),
    }
}

fn invalid(claim: &str, expected: &str) -> TokenError {
    TokenError::new(
        reason::TOKEN_VERIFICATION_FAILED,
        format!("Session claim {claim} must be {expected}."),
    )
}
