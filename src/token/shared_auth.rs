//! An [`Auth`] shared by every decision of one cached session token, named by a serial number.
//!
//! The token cache builds a token's `Auth` once and hands out this handle; a decision carries it
//! without copying the claims. The serial names that `Auth` for the life of the process (numbers
//! are never reused, and an `Auth` never changes after it is built), so a caller may keep a derived
//! form (the JS shim keeps the parsed object) under it: same serial, same `Auth`.

use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use serde::{Serialize, Serializer};

use super::claims::Auth;

/// 0 is "unshared": an `Auth` built for one decision only (claims handed in by Clerk's middleware).
static NEXT_SERIAL: AtomicU64 = AtomicU64::new(1);

#[derive(Clone, Debug, PartialEq)]
pub struct SharedAuth {
    auth: Arc<Auth>,
    serial: u64,
}

impl SharedAuth {
    /// An `Auth` for one decision: no serial, so nothing may be kept under it.
    pub fn unshared(auth: Auth) -> SharedAuth {
        SharedAuth { auth: Arc::new(auth), serial: 0 }
    }

    /// An `Auth` that will be handed out again: it gets a serial of its own.
    pub(crate) fn shared(auth: Auth) -> SharedAuth {
        SharedAuth { auth: Arc::new(auth), serial: NEXT_SERIAL.fetch_add(1, Ordering::Relaxed) }
    }

    /// The serial naming this `Auth`, or `None` when it is built for one decision only.
    pub fn serial(&self) -> Option<u64> {
        (self.serial != 0).then_some(self.serial)
    }
}

impl Deref for SharedAuth {
    type Target = Auth;

    fn deref(&self) -> &Auth {
        &self.auth
    }
}

/// Serialised as the `Auth` itself: the serial is not part of the record.
impl Serialize for SharedAuth {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.auth.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth() -> Auth {
        let claims = serde_json::json!({ "sub": "user_1", "exp": 2.0e9 });
        let claims = claims.as_object().cloned().unwrap_or_default();
        super::super::auth_from_claims(&claims).expect("valid claims")
    }

    #[test]
    fn serials_are_never_zero_and_never_repeat() {
        let first = SharedAuth::shared(auth());
        let second = SharedAuth::shared(auth());
        assert!(first.serial().is_some() && second.serial().is_some());
        assert_ne!(first.serial(), second.serial());
        assert_eq!(first.clone().serial(), first.serial(), "a clone is the same Auth");
        assert_eq!(SharedAuth::unshared(auth()).serial(), None);
    }

    #[test]
    fn serialises_as_the_auth() {
        let auth = auth();
        let text = serde_json::to_string(&SharedAuth::shared(auth.clone())).expect("serialisable");
        assert_eq!(text, serde_json::to_string(&auth).expect("serialisable"));
    }
}
