//! A bounded cache of successful verifications, keyed by the token itself.
//!
//! The cache only skips the RSA signature check. A hit re-runs the checks that depend on the
//! caller's options and clock (`typ`, `sub`, `aud`, `azp`, `iss`, `exp`, `nbf`, `iat`), so a token
//! is never accepted from the cache when a fresh verification would reject it. Entries expire at
//! `exp − clockSkew` (after that a fresh verification decides), belong to one [`KeySet`], and are
//! evicted by CLOCK (second chance) when the entry count or the byte budget is exceeded.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

use serde_json::Value;

use super::error::TokenError;
use super::claims::auth_from_claims;
use super::keys::KeySet;
use super::shared_auth::SharedAuth;
use super::verify::{check_header_after_key, decode_token, validate_claims_with_issuer, verify_token_with_issuer};
use super::verify::{Claims, VerifyOptions};

/// An entry belongs to one token and one key set (a token verified against other keys is
/// another question with possibly another answer). It is found by a fast 64-bit hash of both and
/// accepted only when the whole token and the key set are equal, so a hash collision can only
/// cost a verification, never answer for another token. Hashing needs no resistance to chosen
/// inputs: only tokens whose signature verified are ever stored, so a forger cannot fill a bucket.
fn entry_hash(token: &str, key_set_id: u64) -> u64 {
    fingerprint(token.as_bytes(), key_set_id)
}

/// A fast 64-bit hash of `bytes` under `seed`, eight bytes a step (not for inputs an attacker
/// chooses to collide: see `entry_hash`).
pub(crate) fn fingerprint(bytes: &[u8], seed: u64) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut hash = seed.wrapping_mul(K) ^ (bytes.len() as u64);
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let word = u64::from_le_bytes(self::word(word));
        hash = (hash.rotate_left(5) ^ word).wrapping_mul(K);
    }
    let mut last = [0u8; 8];
    for (slot, byte) in last.iter_mut().zip(words.remainder()) {
        *slot = *byte;
    }
    hash = (hash.rotate_left(5) ^ u64::from_le_bytes(last)).wrapping_mul(K);
    // Final avalanche (MurmurHash3's fmix64): the map uses both the low and the high bits.
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^ (hash >> 33)
}

/// Size limits. `max_bytes` counts an estimate of each entry's memory (token length based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheLimits {
    pub max_entries: usize,
    pub max_bytes: usize,
}

impl Default for CacheLimits {
    fn default() -> CacheLimits {
        CacheLimits { max_entries: 1024, max_bytes: 8 * 1024 * 1024 }
    }
}

struct Entry {
    hash: u64,
    token: Box<str>,
    key_set_id: u64,
    header: Value,
    claims: Arc<Claims>,
    /// The claims' `Auth`, built on the first call that asks for it (`verify_auth`).
    auth: Option<SharedAuth>,
    /// `exp − clockSkew` at insertion, in ms.
    valid_until_ms: f64,
    cost: usize,
    referenced: bool,
}

/// The verified-token cache. Not shared between threads (one per guard / wasm instance).
pub struct TokenCache {
    limits: CacheLimits,
    slots: Vec<Option<Entry>>,
    free: Vec<usize>,
    /// One slot per hash: a colliding token replaces the entry (see `entry_hash`).
    index: HashMap<u64, usize, BuildHasherDefault<PassThroughHasher>>,
    hand: usize,
    bytes: usize,
    stats: CacheStats,
}

/// Counters, for observability and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Verdicts answered from the cache (signature check skipped).
    pub hits: u64,
    /// Full verifications.
    pub misses: u64,
    pub evictions: u64,
}

/// Per-entry bookkeeping (hash, index, slot, header) on top of the token-proportional part.
const ENTRY_OVERHEAD: usize = 256;
/// The token's own copy, a parsed claims map (a few times its JSON text; the token is ≥ 4/3 of
/// that text), and the `Auth` built from it on the first hit, which holds a copy of the claims.
const BYTES_PER_TOKEN_BYTE: usize = 7;

impl TokenCache {
    pub fn new(limits: CacheLimits) -> TokenCache {
        TokenCache {
            limits,
            slots: Vec::new(),
            free: Vec::new(),
            index: HashMap::default(),
            hand: 0,
            bytes: 0,
            stats: CacheStats::default(),
        }
    }

    pub fn stats(&self) -> CacheStats {
        self.stats
    }

    pub fn limits(&self) -> CacheLimits {
        self.limits
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The estimated bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    pub fn clear(&mut self) {
        self.slots.clear();
        self.free.clear();
        self.index.clear();
        self.hand = 0;
        self.bytes = 0;
    }

    /// [`verify_token`](super::verify_token), answered from the cache when it can be.
    pub fn verify(&mut self, token: &str, keys: &KeySet, options: &VerifyOptions) -> Result<Arc<Claims>, TokenError> {
        self.verify_with_issuer(token, keys, options, None)
    }

    /// [`verify_token_with_issuer`], answered from the cache when it can be.
    pub fn verify_with_issuer(
        &mut self,
        token: &str,
        keys: &KeySet,
        options: &VerifyOptions,
        issuer_predicate: Option<&mut dyn FnMut(&str) -> bool>,
    ) -> Result<Arc<Claims>, TokenError> {
        self.verify_in_slot(token, keys, options, issuer_predicate).map(|(claims, _)| claims)
    }

    /// [`verify`](Self::verify) and then the claims' [`Auth`](super::Auth), built once per cached
    /// token and shared (with its serial) by every later hit. A token that is not cached (its
    /// `exp` too close, the cache full of larger entries) gets an unshared `Auth`.
    pub fn verify_auth(&mut self, token: &str, keys: &KeySet, options: &VerifyOptions) -> Result<SharedAuth, TokenError> {
        let (claims, slot) = self.verify_in_slot(token, keys, options, None)?;
        let Some(entry) = slot.and_then(|slot| self.slots.get_mut(slot)).and_then(Option::as_mut) else {
            return auth_from_claims(&claims).map(SharedAuth::unshared);
        };
        if let Some(auth) = &entry.auth {
            return Ok(auth.clone());
        }
        // A failure is not kept: it is rare (claims of a type Clerk's session types don't allow)
        // and recomputing it answers the same.
        let auth = SharedAuth::shared(auth_from_claims(&entry.claims)?);
        entry.auth = Some(auth.clone());
        Ok(auth)
    }

    /// The verification and the slot of the token's entry, if it has one now.
    fn verify_in_slot(
        &mut self,
        token: &str,
        keys: &KeySet,
        options: &VerifyOptions,
        mut issuer_predicate: Option<&mut dyn FnMut(&str) -> bool>,
    ) -> Result<(Arc<Claims>, Option<usize>), TokenError> {
        let key_set_id = keys.id();
        let hash = entry_hash(token, key_set_id);
        let now = options.now_ms as f64;
        if let Some(slot) = self.index.get(&hash).copied() {
            let (same, usable) = match self.slots.get(slot).and_then(Option::as_ref) {
                Some(e) if e.key_set_id == key_set_id && same_token(&e.token, token) => (true, now < e.valid_until_ms),
                // Another token with the same hash: a miss; storing this one replaces it.
                _ => (false, false),
            };
            if usable {
                self.stats.hits += 1;
                let verdict = match self.slots.get_mut(slot).and_then(Option::as_mut) {
                    Some(entry) => {
                        entry.referenced = true;
                        check_header_after_key(entry.header.as_object(), options)
                            .and_then(|()| validate_claims_with_issuer(&entry.claims, options, reborrow(&mut issuer_predicate)))
                            .map(|()| (Arc::clone(&entry.claims), Some(slot)))
                    }
                    None => Err(TokenError::new(super::reason::TOKEN_VERIFICATION_FAILED, "cache slot vanished")),
                };
                // A failure here comes from the caller's options or clock, not from the token:
                // the entry stays for callers (or clocks) it still satisfies.
                return verdict;
            }
            if same {
                self.remove(slot);
            }
        }

        self.stats.misses += 1;
        let claims = Arc::new(verify_token_with_issuer(token, keys, options, issuer_predicate)?);
        if let Some(exp_ms) = claims.get("exp").and_then(Value::as_f64).map(|exp| exp.trunc() * 1000.0) {
            let valid_until_ms = exp_ms - options.clock_skew_ms as f64;
            if now < valid_until_ms {
                // The header decoded fine moments ago; a failure here only means "don't cache".
                if let Ok(decoded) = decode_token(token) {
                    let slot = self.insert(Entry {
                        hash,
                        token: token.into(),
                        key_set_id,
                        header: decoded.header,
                        claims: Arc::clone(&claims),
                        auth: None,
                        valid_until_ms,
                        cost: ENTRY_OVERHEAD.saturating_add(token.len().saturating_mul(BYTES_PER_TOKEN_BYTE)),
                        referenced: false,
                    });
                    return Ok((claims, slot));
                }
            }
        }
        Ok((claims, None))
    }

    /// Stores the entry; its slot, or `None` when it does not fit.
    fn insert(&mut self, entry: Entry) -> Option<usize> {
        if self.limits.max_entries == 0 || entry.cost > self.limits.max_bytes {
            return None;
        }
        if let Some(colliding) = self.index.get(&entry.hash).copied() {
            self.remove(colliding);
        }
        while self.index.len() >= self.limits.max_entries || self.bytes + entry.cost > self.limits.max_bytes {
            if !self.evict_one() {
                return None;
            }
        }
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        self.bytes += entry.cost;
        self.index.insert(entry.hash, slot);
        let place = self.slots.get_mut(slot)?;
        *place = Some(entry);
        Some(slot)
    }

    /// CLOCK: sweep from the hand, clearing reference bits, and evict the first unreferenced
    /// entry. Two full sweeps always find one; false only when the cache is empty.
    fn evict_one(&mut self) -> bool {
        let len = self.slots.len();
        if len == 0 || self.index.is_empty() {
            return false;
        }
        for _ in 0..(2 * len) {
            let slot = self.hand % len;
            self.hand = (slot + 1) % len;
            match self.slots.get_mut(slot).and_then(Option::as_mut) {
                Some(entry) if entry.referenced => entry.referenced = false,
                Some(_) => {
                    self.remove(slot);
                    self.stats.evictions += 1;
                    return true;
                }
                None => {}
            }
        }
        false
    }

    fn remove(&mut self, slot: usize) {
        if let Some(entry) = self.slots.get_mut(slot).and_then(Option::take) {
            self.index.remove(&entry.hash);
            self.bytes = self.bytes.saturating_sub(entry.cost);
            self.free.push(slot);
        }
    }
}

/// Lends the predicate for one call while keeping it for a later one.
fn reborrow<'a>(predicate: &'a mut Option<&mut dyn FnMut(&str) -> bool>) -> Option<&'a mut dyn FnMut(&str) -> bool> {
    match predicate {
        Some(p) => Some(&mut **p),
        None => None,
    }
}

/// `a == b`, eight bytes at a time: wasm's `memcmp` goes byte by byte, and a session token is
/// about a kilobyte.
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let (a_words, b_words) = (a.chunks_exact(8), b.chunks_exact(8));
    let tails_equal = a_words.remainder() == b_words.remainder();
    tails_equal && a_words.zip(b_words).all(|(x, y)| u64::from_ne_bytes(word(x)) == u64::from_ne_bytes(word(y)))
}

fn word(bytes: &[u8]) -> [u8; 8] {
    <[u8; 8]>::try_from(bytes).unwrap_or_default()
}

/// For keys that are uniform hashes already (`entry_hash` values here, DFA state fingerprints in
/// `route::dfa`): the hasher passes them through.
#[derive(Default)]
pub(crate) struct PassThroughHasher(u64);

impl Hasher for PassThroughHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{entry_hash, same_token};

    #[test]
    fn the_hash_covers_every_byte_and_the_key_set() {
        let token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln";
        let base = entry_hash(token, 1);
        assert_ne!(base, entry_hash(token, 2));
        for at in 0..token.len() {
            let mut changed = token.as_bytes().to_vec();
            changed[at] ^= 1;
            let changed = String::from_utf8(changed).expect("ASCII");
            assert_ne!(base, entry_hash(&changed, 1), "byte {at}");
        }
        assert_ne!(entry_hash("", 1), entry_hash("\0", 1));
    }

    #[test]
    fn token_equality_is_byte_equality() {
        let token: String = (0..203u32).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
        assert!(same_token(&token, &token.clone()));
        for len in [0, 1, 7, 8, 9, 16, 202] {
            assert!(same_token(&token[..len], &token[..len]));
            assert!(!same_token(&token[..len], &token[..len + 1]));
        }
        for at in 0..token.len() {
            let mut changed = token.clone().into_bytes();
            changed[at] = b'-';
            assert!(!same_token(&token, &String::from_utf8(changed).expect("ASCII")), "byte {at}");
        }
    }
}
