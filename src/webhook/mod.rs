//! Clerk (svix) webhooks: signature verification identical to the `svix` 2.5 package, and replay
//! protection. One job per file: secret parsing, header selection, timestamp rules, verification,
//! replay store.

pub mod error;
mod headers;
mod replay;
mod secret;
mod timestamp;
mod verify;

pub use error::WebhookError;
pub use headers::SignatureHeaders;
pub use replay::{check_replay, Admission, MemoryReplayStore, ReplayStore, DEFAULT_REPLAY_CAPACITY};
pub use secret::{WebhookSecret, SECRET_PREFIX};
pub use timestamp::js_parse_int;
pub use verify::{sign, signature_header, verify_webhook, VerifiedWebhook, WebhookOptions, DEFAULT_TOLERANCE_SECONDS};
