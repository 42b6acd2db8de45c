//! Webhook failures as data: a stable `reason` code for programs, a `message` for people.

use std::fmt;

/// The secret is missing, lacks the `whsec_` prefix, is not base64 as svix decodes it, or is empty.
pub const BAD_SECRET: &str = "webhook-bad-secret";
/// No usable `svix-id` / `svix-timestamp` / `svix-signature` (or `webhook-*`) header.
pub const MISSING_HEADERS: &str = "webhook-missing-headers";
/// The timestamp header is not a number as svix reads it (or lies outside JavaScript's Date range).
pub const INVALID_TIMESTAMP: &str = "webhook-invalid-timestamp";
/// Signed more than `tolerance_seconds` before now.
pub const TIMESTAMP_TOO_OLD: &str = "webhook-timestamp-too-old";
/// Signed more than `tolerance_seconds` after now.
pub const TIMESTAMP_TOO_NEW: &str = "webhook-timestamp-too-new";
/// No `v1` signature in the header matches the body.
pub const INVALID_SIGNATURE: &str = "webhook-invalid-signature";
/// The body is not valid UTF-8 (svix would decode it lossily; edgeguard refuses).
pub const INVALID_BODY: &str = "webhook-invalid-body";
/// This message id was already accepted and its signature is still within the tolerance window.
pub const REPLAY: &str = "webhook-replay";
/// The in-memory replay store is full of unexpired ids: refusing rather than forgetting one.
pub const REPLAY_STORE_FULL: &str = "webhook-replay-store-full";
/// Options out of range (negative tolerance).
pub const BAD_OPTIONS: &str = "webhook-bad-options";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookError {
    pub reason: &'static str,
    pub message: String,
}

impl WebhookError {
    pub(crate) fn new(reason: &'static str, message: impl Into<String>) -> Self {
        WebhookError { reason, message: message.into() }
    }
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.reason, self.message)
    }
}

impl std::error::Error for WebhookError {}
