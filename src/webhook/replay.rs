//! Replay protection: a message id accepted once is refused until its signature would have
//! expired anyway (signed timestamp + tolerance). Svix retries reuse the id with a new timestamp;
//! those are refused too while the first delivery's window is open.

use std::collections::{BTreeSet, HashMap};

use sha2::{Digest, Sha256};

use super::error::{WebhookError, REPLAY, REPLAY_STORE_FULL};
use super::verify::{VerifiedWebhook, WebhookOptions};

/// Where accepted message ids are remembered.
pub trait ReplayStore {
    /// Remember `id` until `expires_at` (unix seconds). `true`: first time, now remembered.
    /// `false`: seen before and not yet expired — or the store cannot remember it: reject either way.
    fn remember(&mut self, id: &str, now: i64, expires_at: i64) -> bool;

    /// `remember` as a verdict with a reason; stores that can be full say so here.
    fn admit(&mut self, id: &str, now: i64, expires_at: i64) -> Result<(), WebhookError> {
        if self.remember(id, now, expires_at) {
            Ok(())
        } else {
            Err(replay_error(id))
        }
    }
}

/// Checks a verified message against the store: `webhook-replay` if its id was already accepted.
pub fn check_replay(
    store: &mut dyn ReplayStore,
    verified: &VerifiedWebhook,
    options: &WebhookOptions,
) -> Result<(), WebhookError> {
    let expires_at = verified.timestamp.saturating_add(options.tolerance_seconds);
    store.admit(&verified.id, options.now_seconds, expires_at)
}

fn replay_error(id: &str) -> WebhookError {
    let shown: String = id.chars().take(80).collect();
    WebhookError::new(REPLAY, format!("webhook message {shown:?} was already accepted (replay)"))
}

/// Default capacity of [`MemoryReplayStore::default`]: ids are kept as 32-byte digests.
pub const DEFAULT_REPLAY_CAPACITY: usize = 10_000;

/// A bounded in-memory store. Expired ids are evicted first; when every slot holds an unexpired id
/// it refuses new ids (`webhook-replay-store-full`) rather than forget one that could be replayed.
#[derive(Debug, Clone)]
pub struct MemoryReplayStore {
    capacity: usize,
    expiry_by_id: HashMap<[u8; 32], i64>,
    by_expiry: BTreeSet<(i64, [u8; 32])>,
}

/// What the memory store did with an id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Fresh,
    Seen,
    Full,
}

impl Default for MemoryReplayStore {
    fn default() -> Self {
        MemoryReplayStore::with_capacity(DEFAULT_REPLAY_CAPACITY)
    }
}

impl MemoryReplayStore {
    /// A store holding at most `capacity` unexpired ids (at least 1).
    pub fn with_capacity(capacity: usize) -> MemoryReplayStore {
        MemoryReplayStore { capacity: capacity.max(1), expiry_by_id: HashMap::new(), by_expiry: BTreeSet::new() }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Ids currently held (expired ones included until the next eviction).
    pub fn len(&self) -> usize {
        self.expiry_by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.expiry_by_id.is_empty()
    }

    pub fn admission(&mut self, id: &str, now: i64, expires_at: i64) -> Admission {
        self.evict_expired(now);
        let key: [u8; 32] = Sha256::digest(id.as_bytes()).into();
        if self.expiry_by_id.contains_key(&key) {
            return Admission::Seen;
        }
        if expires_at <= now {
            // Already outside its window: nothing left to protect, nothing to keep.
            return Admission::Fresh;
        }
        if self.expiry_by_id.len() >= self.capacity {
            return Admission::Full;
        }
        self.expiry_by_id.insert(key, expires_at);
        self.by_expiry.insert((expires_at, key));
        Admission::Fresh
    }

    fn evict_expired(&mut self, now: i64) {
        while let Some(&(expires_at, key)) = self.by_expiry.first() {
            if expires_at > now {
                break;
            }
            self.by_expiry.remove(&(expires_at, key));
            self.expiry_by_id.remove(&key);
        }
    }
}

impl ReplayStore for MemoryReplayStore {
    fn remember(&mut self, id: &str, now: i64, expires_at: i64) -> bool {
        self.admission(id, now, expires_at) == Admission::Fresh
    }

    fn admit(&mut self, id: &str, now: i64, expires_at: i64) -> Result<(), WebhookError> {
        match self.admission(id, now, expires_at) {
            Admission::Fresh => Ok(()),
            Admission::Seen => Err(replay_error(id)),
            Admission::Full => Err(WebhookError::new(
                REPLAY_STORE_FULL,
                format!(
                    "the in-memory replay store holds {} unexpired webhook ids (its capacity): refusing new ones until some expire rather than forgetting one",
                    self.capacity
                ),
            )),
        }
    }
}
