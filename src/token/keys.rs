//! Verification keys: Clerk's "JWT public key" (SPKI PEM, networkless) or a JWKS document.
//!
//! Keys are parsed once. A JWKS entry that WebCrypto would refuse to import for RS256
//! verification (wrong `kty`, `use`, `key_ops`, `alg`, a private key) is kept as unusable under
//! its `kid`, so a token naming it fails the way Clerk fails it: at the signature step, with
//! `token-verification-failed`, after the header checks.

use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value};

use super::b64::decode_jwk_member;
use super::der::{rsa_components_from_spki, spki_der_from_pem};
use super::error::{reason, ConfigError, TokenError};
use super::provider::Rs256Verifier;
use super::rs256::RsaPublicKey;

static NEXT_KEY_SET_ID: AtomicU64 = AtomicU64::new(1);

/// The keys a token may be signed with.
#[derive(Clone, Debug)]
pub struct KeySet {
    id: u64,
    source: Source,
}

#[derive(Clone, Debug)]
enum Source {
    /// Clerk ignores the token's `kid` with a PEM key and pins `alg` to RS256.
    Pem(Rs256Verifier),
    Jwks(Vec<JwkEntry>),
}

#[derive(Clone, Debug)]
struct JwkEntry {
    kid: String,
    /// The JWK's `alg`, when it pins one: WebCrypto refuses to verify another algorithm with it.
    pinned_alg: Option<String>,
    verifier: Result<Rs256Verifier, String>,
}

/// The key a token's header selected.
#[derive(Debug)]
pub(crate) struct SelectedKey<'a> {
    pub pinned_alg: Option<&'a str>,
    pub verifier: Result<&'a Rs256Verifier, &'a str>,
}

impl KeySet {
    /// Clerk's "JWT public key": an RSA SPKI `-----BEGIN PUBLIC KEY-----` PEM, 2048 to 4096 bits.
    pub fn from_pem(spki_pem: &str) -> Result<KeySet, ConfigError> {
        let der = spki_der_from_pem(spki_pem).map_err(ConfigError::new)?;
        let components =
            rsa_components_from_spki(&der).map_err(|m| ConfigError::new(format!("jwtKey: {m}")))?;
        let key = RsaPublicKey::from_components(&components.modulus, &components.exponent)
            .map_err(|e| ConfigError::new(format!("jwtKey: {}", e.message)))?;
        Ok(KeySet::with_source(Source::Pem(Rs256Verifier::new(key))))
    }

    /// A JWKS document (`{"keys":[...]}`) as JSON text.
    pub fn from_jwks_json(jwks: &str) -> Result<KeySet, ConfigError> {
        let value: Value =
            serde_json::from_str(jwks).map_err(|e| ConfigError::new(format!("jwks is not JSON: {e}")))?;
        KeySet::from_jwks_value(&value)
    }

    /// A JWKS document already parsed. Every key needs a string `kid` (tokens select keys by it).
    pub fn from_jwks_value(jwks: &Value) -> Result<KeySet, ConfigError> {
        let Some(keys) = jwks.get("keys").and_then(Value::as_array) else {
            return Err(ConfigError::new("jwks must be an object with a \"keys\" array"));
        };
        if keys.is_empty() {
            return Err(ConfigError::new("jwks has no keys"));
        }
        let mut entries = Vec::with_capacity(keys.len());
        for (index, jwk) in keys.iter().enumerate() {
            let Some(jwk) = jwk.as_object() else {
                return Err(ConfigError::new(format!("jwks.keys[{index}] is not an object")));
            };
            let Some(kid) = jwk.get("kid").and_then(Value::as_str) else {
                return Err(ConfigError::new(format!("jwks.keys[{index}] has no string \"kid\"")));
            };
            entries.push(JwkEntry {
                kid: kid.to_owned(),
                pinned_alg: jwk.get("alg").and_then(Value::as_str).map(str::to_owned),
                verifier: import_rs_jwk(jwk),
            });
        }
        Ok(KeySet::with_source(Source::Jwks(entries)))
    }

    fn with_source(source: Source) -> KeySet {
        KeySet { id: NEXT_KEY_SET_ID.fetch_add(1, Ordering::Relaxed), source }
    }

    /// Identity of this key set (distinct per construction): cached verdicts are tied to it.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Clerk's key resolution: a PEM key regardless of `kid`; in a JWKS the key whose `kid`
    /// equals the header's (the last one when a JWKS repeats a `kid`, as Clerk's cache does).
    pub(crate) fn select(&self, header: Option<&Map<String, Value>>) -> Result<SelectedKey<'_>, TokenError> {
        match &self.source {
            Source::Pem(verifier) => Ok(SelectedKey { pinned_alg: Some("RS256"), verifier: Ok(verifier) }),
            Source::Jwks(entries) => {
                let kid = header.and_then(|h| h.get("kid"));
                let found = kid
                    .and_then(Value::as_str)
                    .and_then(|kid| entries.iter().rev().find(|entry| entry.kid == kid));
                let Some(entry) = found else {
                    let shown = kid.map_or_else(|| "undefined".to_owned(), Value::to_string);
                    return Err(TokenError::new(
                        reason::JWK_KID_MISMATCH,
                        format!("Unable to find a signing key in JWKS that matches the kid={shown} of the provided session token."),
                    ));
                };
                Ok(SelectedKey {
                    pinned_alg: entry.pinned_alg.as_deref(),
                    verifier: entry.verifier.as_ref().map_err(String::as_str),
                })
            }
        }
    }
}

/// What WebCrypto's `importKey("jwk", jwk, {name: "RSASSA-PKCS1-v1_5"}, false, ["verify"])`
/// checks, plus edgeguard's key policy (2048–4096 bits, odd exponent ≥ 3).
fn import_rs_jwk(jwk: &Map<String, Value>) -> Result<Rs256Verifier, String> {
    if jwk.get("kty").and_then(Value::as_str) != Some("RSA") {
        return Err("Invalid JWK \"kty\" Parameter".to_owned());
    }
    if jwk.contains_key("d") {
        return Err("a private JWK cannot verify".to_owned());
    }
    if let Some(key_use) = jwk.get("use") {
        if key_use.as_str() != Some("sig") {
            return Err("Invalid JWK \"use\" Parameter".to_owned());
        }
    }
    if let Some(ops) = jwk.get("key_ops") {
        let allows_verify = ops.as_array().is_some_and(|ops| ops.iter().any(|op| op.as_str() == Some("verify")));
        if !allows_verify {
            return Err("Key operations and usage mismatch".to_owned());
        }
    }
    if jwk.get("alg").is_some_and(|alg| !alg.is_string()) {
        return Err("Invalid JWK \"alg\" Parameter".to_owned());
    }
    let member = |name: &str| {
        jwk.get(name)
            .and_then(Value::as_str)
            .and_then(decode_jwk_member)
            .ok_or_else(|| format!("JWK \"{name}\" is missing or not base64url"))
    };
    let key = RsaPublicKey::from_components(&member("n")?, &member("e")?).map_err(|e| e.message)?;
    Ok(Rs256Verifier::new(key))
}
