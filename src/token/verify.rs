//! Session-token verification with `@clerk/backend` `verifyToken`'s verdicts: the same checks in
//! the same order, so the first failing check names the same reason.
//!
//! Clerk's order: decode (3 segments, base64url, JSON) → session category → key (by `kid` in a
//! JWKS) → `typ` → `alg` → signature → `sub` → `aud` → `azp` → `iss` → `exp` → `nbf` → `iat`.
//! Where Clerk is laxer than the JWT/JWS RFCs edgeguard rejects; each such place says so below
//! (see also the README's list of deliberate differences).

use serde_json::{Map, Value};

use super::b64::{decode_segment, SegmentError};
use super::error::{reason, TokenError};
use super::json::{json_type, parse_strict};
use super::keys::KeySet;

/// The verified JWT payload.
pub type Claims = Map<String, Value>;

/// Clerk's `verifyToken` options (`authorizedParties`, `issuer`, `audience`, `headerType`,
/// `clockSkewInMs`) plus the clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Accepted `azp` values; `None` or empty: not checked.
    pub authorized_parties: Option<Vec<String>>,
    /// Accepted `iss` values (empty strings ignored, as Clerk); `None` or empty: not checked.
    pub issuers: Option<Vec<String>>,
    /// Accepted `aud` values (empty strings ignored); checked only when the token has an `aud`.
    pub audience: Option<Vec<String>>,
    /// Accepted `typ` header values; `None`: `typ` may be absent or `"JWT"`.
    pub header_types: Option<Vec<String>>,
    /// Tolerance for `exp`, `nbf` and `iat`, in milliseconds (Clerk's default: 5000).
    pub clock_skew_ms: u64,
    /// The current time, in milliseconds since the Unix epoch.
    pub now_ms: u64,
}

pub const DEFAULT_CLOCK_SKEW_MS: u64 = 5_000;
/// JS `Date`'s range (ECMA-262 TimeClip): ±8.64e15 ms. Clerk turns anything beyond into an
/// invalid `Date` whose comparisons are all false, so a time claim there passes every check.
const MAX_TIME_MS: f64 = 8.64e15;
const M2M_TOKEN_CATEGORY: &str = "cl_B7d4PD333AAA";
const ALGORITHMS: [&str; 3] = ["RS256", "RS384", "RS512"];

impl VerifyOptions {
    /// No optional checks, Clerk's default skew, the given clock.
    pub fn at(now_ms: u64) -> VerifyOptions {
        VerifyOptions {
            authorized_parties: None,
            issuers: None,
            audience: None,
            header_types: None,
            clock_skew_ms: DEFAULT_CLOCK_SKEW_MS,
            now_ms,
        }
    }
}

/// A token split and decoded, before any check but the decoding ones.
#[derive(Debug)]
pub(crate) struct DecodedToken<'t> {
    pub signing_input: &'t str,
    pub header: Value,
    pub payload: Value,
    pub signature: Vec<u8>,
}

/// Verifies a session token: Clerk's verdict and reason, or the claims.
pub fn verify_token(token: &str, keys: &KeySet, options: &VerifyOptions) -> Result<Claims, TokenError> {
    verify_token_with_issuer(token, keys, options, None)
}

/// [`verify_token`] with an issuer predicate evaluated at the `iss` step (after `azp`, before
/// `exp`), when `iss` is a string and passes `options.issuers`. The predicate answering anything
/// but `true` rejects with `token-invalid-issuer`.
pub fn verify_token_with_issuer(
    token: &str,
    keys: &KeySet,
    options: &VerifyOptions,
    issuer_predicate: Option<&mut dyn FnMut(&str) -> bool>,
) -> Result<Claims, TokenError> {
    let decoded = decode_token(token)?;
    let header = check_header_before_key(&decoded.header)?;
    let selected = keys.select(header)?;
    check_header_after_key(header, options)?;
    let alg = header.and_then(|h| h.get("alg")).and_then(Value::as_str).unwrap_or_default();
    check_signature(&decoded, alg, selected.pinned_alg, selected.verifier)?;
    let claims = payload_object(decoded.payload)?;
    check_claims(&claims, options, issuer_predicate)?;
    Ok(claims)
}

/// The non-signature claim checks of [`verify_token`] (`sub`, `aud`, `azp`, `iss`, `exp`, `nbf`,
/// `iat`), for claims already verified elsewhere (Clerk's middleware): a guard configured with
/// other parties, issuers or clock still fails closed.
pub fn validate_claims(claims: &Claims, options: &VerifyOptions) -> Result<(), TokenError> {
    check_claims(claims, options, None)
}

/// [`validate_claims`] with the issuer predicate of [`verify_token_with_issuer`].
pub fn validate_claims_with_issuer(
    claims: &Claims,
    options: &VerifyOptions,
    issuer_predicate: Option<&mut dyn FnMut(&str) -> bool>,
) -> Result<(), TokenError> {
    check_claims(claims, options, issuer_predicate)
}

/// Clerk's `decodeJwt`: any failure here is `token-invalid`.
pub(crate) fn decode_token(token: &str) -> Result<DecodedToken<'_>, TokenError> {
    let invalid = |detail: &str| {
        TokenError::new(reason::TOKEN_INVALID, format!("Invalid JWT form. {detail}"))
    };
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(signature), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid("A JWT consists of three parts separated by dots."));
    };
    let segment = |raw: &str| {
        decode_segment(raw).map_err(|e| match e {
            // Stricter than Clerk, whose loose base64url parser strips trailing `=`.
            SegmentError::Padding => invalid("A segment carries '=' padding, which JWS base64url forbids."),
            SegmentError::Malformed => invalid("The header, payload, or signature could not be decoded."),
        })
    };
    let json = |raw: &str, what: &str| {
        let bytes = segment(raw)?;
        // Stricter than Clerk: its TextDecoder replaces invalid UTF-8 and drops a leading BOM,
        // its JSON.parse keeps the last of duplicate names and accepts lone surrogates,
        // out-of-range numbers (as ±Infinity) and any nesting depth.
        let text = std::str::from_utf8(&bytes).map_err(|_| invalid(&format!("The {what} is not valid UTF-8.")))?;
        parse_strict(text).map_err(|e| invalid(&format!("The {what} is not valid JSON: {e}.")))
    };
    let header_value = json(header, "header")?;
    let payload_value = json(payload, "payload")?;
    let signature_bytes = segment(signature)?;
    let signing_input_len = header.len() + 1 + payload.len();
    let signing_input = token.get(..signing_input_len).ok_or_else(|| invalid("Unreadable token."))?;
    Ok(DecodedToken { signing_input, header: header_value, payload: payload_value, signature: signature_bytes })
}

/// Checks made before the key is resolved: the header is an object (Clerk throws a TypeError
/// on `null`; edgeguard rejects) and is not a machine-to-machine token.
pub(crate) fn check_header_before_key(header: &Value) -> Result<Option<&Map<String, Value>>, TokenError> {
    if header.is_null() {
        return Err(TokenError::new(reason::TOKEN_INVALID, "Invalid JWT form. The header is null."));
    }
    // Like JavaScript property access, a non-object header simply has no members.
    let header = header.as_object();
    if header.and_then(|h| h.get("cat")).and_then(Value::as_str) == Some(M2M_TOKEN_CATEGORY) {
        return Err(TokenError::new(reason::TOKEN_INVALID, "Invalid session token category."));
    }
    Ok(header)
}

/// `typ`, `alg` and (stricter than Clerk, which ignores it) `crit`.
pub(crate) fn check_header_after_key(
    header: Option<&Map<String, Value>>,
    options: &VerifyOptions,
) -> Result<(), TokenError> {
    let member = |name: &str| header.and_then(|h| h.get(name));
    let typ = member("typ");
    if typ.is_some() || options.header_types.is_some() {
        let default_types = ["JWT".to_owned()];
        let allowed = options.header_types.as_deref().unwrap_or(&default_types);
        if !typ.and_then(Value::as_str).is_some_and(|t| allowed.iter().any(|a| a == t)) {
            return Err(TokenError::new(
                reason::TOKEN_INVALID,
                format!("Invalid JWT type {}. Expected \"{}\".", shown(typ), allowed.join(", ")),
            ));
        }
    }
    let alg = member("alg");
    if !alg.and_then(Value::as_str).is_some_and(|a| ALGORITHMS.contains(&a)) {
        return Err(TokenError::new(
            reason::TOKEN_INVALID_ALGORITHM,
            format!("Invalid JWT algorithm {}. Supported: {}.", shown(alg), ALGORITHMS.join(",")),
        ));
    }
    // RFC 7515 §4.1.11: a recipient must reject a token whose `crit` it does not understand;
    // edgeguard understands no extension, so any `crit` is rejected.
    if header.is_some_and(|h| h.contains_key("crit")) {
        return Err(TokenError::new(reason::TOKEN_INVALID, "Unsupported critical JWT header extensions (crit)."));
    }
    Ok(())
}

fn check_signature(
    decoded: &DecodedToken<'_>,
    alg: &str,
    pinned_alg: Option<&str>,
    verifier: Result<&super::provider::Rs256Verifier, &str>,
) -> Result<(), TokenError> {
    let failed = |detail: &str| {
        TokenError::new(reason::TOKEN_VERIFICATION_FAILED, format!("Error verifying JWT signature. {detail}"))
    };
    // Clerk imports the key for the header's algorithm first: a key pinned to another `alg`, or
    // one WebCrypto refuses, fails with `token-verification-failed`.
    if pinned_alg.is_some_and(|pinned| pinned != alg) {
        return Err(failed("Error: JWK \"alg\" does not match the requested algorithm"));
    }
    let verifier = verifier.map_err(|why| failed(&format!("Error: {why}")))?;
    // Stricter than Clerk: RS384/RS512 with a JWK that pins no `alg` would be verified by Clerk;
    // Clerk session tokens are RS256 and edgeguard verifies RS256 only.
    if alg != "RS256" {
        return Err(failed(&format!("Error: only RS256 is supported, the token uses {alg}")));
    }
    if !verifier.verify_signature(decoded.signing_input.as_bytes(), &decoded.signature) {
        return Err(TokenError::new(reason::TOKEN_INVALID_SIGNATURE, "JWT signature is invalid."));
    }
    Ok(())
}

/// Clerk reads claims off whatever JSON the payload is: a non-object has no `sub`, which fails
/// the `sub` check with the same reason (Clerk throws a TypeError on `null`; edgeguard rejects).
pub(crate) fn payload_object(payload: Value) -> Result<Claims, TokenError> {
    match payload {
        Value::Object(claims) => Ok(claims),
        other => Err(TokenError::new(
            reason::TOKEN_VERIFICATION_FAILED,
            format!("Subject claim (sub) is required and must be a string. The payload is {}.", json_type(&other)),
        )),
    }
}

fn check_claims(
    claims: &Claims,
    options: &VerifyOptions,
    issuer_predicate: Option<&mut dyn FnMut(&str) -> bool>,
) -> Result<(), TokenError> {
    check_subject(claims.get("sub"))?;
    check_audience(claims.get("aud"), options.audience.as_deref())?;
    check_authorized_party(claims.get("azp"), options.authorized_parties.as_deref())?;
    check_issuer(claims.get("iss"), options.issuers.as_deref(), issuer_predicate)?;
    check_times(claims, options)
}

fn check_subject(sub: Option<&Value>) -> Result<(), TokenError> {
    match sub {
        Some(Value::String(s)) if !s.is_empty() => Ok(()),
        // Stricter than Clerk, which accepts `sub: ""`: a session without a user is no session.
        Some(Value::String(_)) => {
            Err(TokenError::new(reason::TOKEN_VERIFICATION_FAILED, "Subject claim (sub) is empty."))
        }
        other => Err(TokenError::new(
            reason::TOKEN_VERIFICATION_FAILED,
            format!("Subject claim (sub) is required and must be a string. Received {}.", shown(other)),
        )),
    }
}

fn check_audience(aud: Option<&Value>, audience: Option<&[String]>) -> Result<(), TokenError> {
    let expected: Vec<&str> = audience.unwrap_or_default().iter().map(String::as_str).filter(|a| !a.is_empty()).collect();
    // Clerk: `[aud].flat().filter(Boolean)`; nothing to compare on either side → not checked.
    let present = match aud {
        None => false,
        Some(Value::Array(items)) => items.iter().any(js_truthy),
        Some(value) => js_truthy(value),
    };
    if expected.is_empty() || !present {
        return Ok(());
    }
    let mismatch = |what: &str| {
        TokenError::new(
            reason::TOKEN_VERIFICATION_FAILED,
            format!("Invalid JWT audience claim{what} (aud) {}. Is not included in {:?}.", shown(aud), expected),
        )
    };
    match aud {
        Some(Value::String(a)) if expected.contains(&a.as_str()) => Ok(()),
        Some(Value::String(_)) => Err(mismatch("")),
        Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
            if items.iter().filter_map(Value::as_str).any(|a| expected.contains(&a)) {
                Ok(())
            } else {
                Err(mismatch(" array"))
            }
        }
        // Stricter than Clerk, which skips the check for an `aud` that is neither a string nor
        // an array of strings (RFC 7519 §4.1.3: a recipient not named in `aud` must reject).
        _ => Err(TokenError::new(
            reason::TOKEN_VERIFICATION_FAILED,
            format!("Invalid JWT audience claim (aud) {}: expected a string or an array of strings.", shown(aud)),
        )),
    }
}

fn check_authorized_party(azp: Option<&Value>, parties: Option<&[String]>) -> Result<(), TokenError> {
    let Some(parties) = parties.filter(|p| !p.is_empty()) else {
        return Ok(());
    };
    match azp.and_then(Value::as_str) {
        Some(azp) if !azp.is_empty() && parties.iter().any(|p| p == azp) => Ok(()),
        _ => Err(TokenError::new(
            reason::TOKEN_INVALID_AUTHORIZED_PARTIES,
            format!("Invalid JWT Authorized party claim (azp) {}. Expected \"{}\".", shown(azp), parties.join(",")),
        )),
    }
}

fn check_issuer(
    iss: Option<&Value>,
    issuers: Option<&[String]>,
    predicate: Option<&mut dyn FnMut(&str) -> bool>,
) -> Result<(), TokenError> {
    let expected: Vec<&str> = issuers.unwrap_or_default().iter().map(String::as_str).filter(|i| !i.is_empty()).collect();
    if expected.is_empty() && predicate.is_none() {
        return Ok(());
    }
    let accepted = match iss.and_then(Value::as_str) {
        Some(iss) => (expected.is_empty() || expected.contains(&iss)) && predicate.is_none_or(|accepts| accepts(iss)),
        None => false,
    };
    if accepted {
        return Ok(());
    }
    Err(TokenError::new(
        reason::TOKEN_INVALID_ISSUER,
        format!("Invalid JWT issuer claim (iss) {}. Expected \"{}\".", shown(iss), expected.join(",")),
    ))
}

fn check_times(claims: &Claims, options: &VerifyOptions) -> Result<(), TokenError> {
    let now = options.now_ms as f64;
    if now > MAX_TIME_MS {
        return Err(TokenError::new(reason::TOKEN_VERIFICATION_FAILED, "The clock is outside the JavaScript Date range."));
    }
    let skew = options.clock_skew_ms as f64;

    let exp = time_claim(claims, "exp", "expiry date", true)?;
    if exp.is_some_and(|exp| exp <= now - skew) {
        return Err(TokenError::new(reason::TOKEN_EXPIRED, format!("JWT is expired. Expiry date: {}, Current date: {}.", seconds(exp), seconds(Some(now)))));
    }
    let nbf = time_claim(claims, "nbf", "not before date", false)?;
    if nbf.is_some_and(|nbf| nbf > now + skew) {
        return Err(TokenError::new(
            reason::TOKEN_NOT_ACTIVE_YET,
            format!("JWT cannot be used prior to not before date claim (nbf). Not before date: {}; Current date: {};", seconds(nbf), seconds(Some(now))),
        ));
    }
    let iat = time_claim(claims, "iat", "issued at date", false)?;
    if iat.is_some_and(|iat| iat > now + skew) {
        return Err(TokenError::new(
            reason::TOKEN_IAT_IN_THE_FUTURE,
            format!("JWT issued at date claim (iat) is in the future. Issued at date: {}; Current date: {};", seconds(iat), seconds(Some(now))),
        ));
    }
    Ok(())
}

/// A NumericDate claim as Clerk reads it: `new Date(0).setUTCSeconds(value)`, i.e. the seconds
/// truncated toward zero, in milliseconds. `None` when an optional claim is absent.
fn time_claim(claims: &Claims, name: &str, label: &str, required: bool) -> Result<Option<f64>, TokenError> {
    let value = match claims.get(name) {
        None if !required => return Ok(None),
        Some(Value::Number(n)) => n.as_f64(),
        _ => None,
    };
    let Some(seconds) = value else {
        return Err(TokenError::new(
            reason::TOKEN_VERIFICATION_FAILED,
            format!("Invalid JWT {label} claim ({name}) {}. Expected number.", shown(claims.get(name))),
        ));
    };
    let ms = seconds.trunc() * 1000.0;
    // Stricter than Clerk: beyond the Date range Clerk's comparisons are all false, so e.g.
    // `exp: -1e13` never expires there. edgeguard rejects such a claim.
    if ms.is_nan() || ms.abs() > MAX_TIME_MS {
        return Err(TokenError::new(
            reason::TOKEN_VERIFICATION_FAILED,
            format!("Invalid JWT {label} claim ({name}) {seconds}: outside the representable date range."),
        ));
    }
    Ok(Some(ms))
}

fn seconds(ms: Option<f64>) -> String {
    ms.map_or_else(String::new, |ms| format!("{}s", ms / 1000.0))
}

/// JavaScript truthiness of a JSON value.
pub(crate) fn js_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

fn shown(value: Option<&Value>) -> String {
    value.map_or_else(|| "undefined".to_owned(), |v| {
        let text = v.to_string();
        if text.len() > 80 {
            format!("{}…", text.chars().take(80).collect::<String>())
        } else {
            text
        }
    })
}
