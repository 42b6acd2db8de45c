//! svix 2.5 `Webhook.verify`, step for step: required headers, timestamp window, then
//! HMAC-SHA256 over `<id>.<timestamp>.<body>` against every `v1,<base64>` entry of the
//! space-separated signature header. Stricter than svix only where documented (invalid UTF-8 body).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::Mac;

use super::error::{WebhookError, BAD_OPTIONS, INVALID_BODY, INVALID_SIGNATURE, MISSING_HEADERS};
use super::headers::SignatureHeaders;
use super::secret::WebhookSecret;
use super::timestamp::check_timestamp;

/// svix's `WEBHOOK_TOLERANCE_IN_SECONDS`.
pub const DEFAULT_TOLERANCE_SECONDS: i64 = 5 * 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookOptions {
    /// Accepted distance between the signed timestamp and now, both directions (svix: 300).
    pub tolerance_seconds: i64,
    /// The current time, unix seconds (svix: `Math.floor(Date.now() / 1000)`).
    pub now_seconds: i64,
}

impl WebhookOptions {
    pub fn at(now_seconds: i64) -> WebhookOptions {
        WebhookOptions { tolerance_seconds: DEFAULT_TOLERANCE_SECONDS, now_seconds }
    }
}

/// A message whose signature checked out: its id and the signed timestamp (unix seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedWebhook {
    pub id: String,
    pub timestamp: i64,
}

pub fn verify_webhook(
    secret: &WebhookSecret,
    headers: &[(String, String)],
    body: &[u8],
    options: &WebhookOptions,
) -> Result<VerifiedWebhook, WebhookError> {
    if options.tolerance_seconds < 0 {
        return Err(WebhookError::new(
            BAD_OPTIONS,
            format!("tolerance_seconds must not be negative (got {})", options.tolerance_seconds),
        ));
    }
    let found = SignatureHeaders::from_pairs(headers);
    let missing = found.missing();
    if !missing.is_empty() {
        return Err(WebhookError::new(
            MISSING_HEADERS,
            format!("missing or empty webhook header(s): {} (or their webhook-* equivalents)", missing.join(", ")),
        ));
    }
    let timestamp = check_timestamp(found.timestamp, options.now_seconds, options.tolerance_seconds)?;
    if std::str::from_utf8(body).is_err() {
        return Err(WebhookError::new(INVALID_BODY, "the webhook body is not valid UTF-8"));
    }
    let expected = STANDARD.encode(sign(secret, found.id, timestamp, body));
    let matched = found
        .signature
        .split(' ')
        .filter_map(|entry| {
            let mut parts = entry.split(',');
            let version = parts.next().unwrap_or("");
            (version == "v1").then(|| parts.next().unwrap_or(""))
        })
        .any(|candidate| constant_time_eq(candidate.as_bytes(), expected.as_bytes()));
    if !matched {
        return Err(WebhookError::new(INVALID_SIGNATURE, "no v1 signature in svix-signature matches the body"));
    }
    Ok(VerifiedWebhook { id: found.id.to_owned(), timestamp })
}

/// HMAC-SHA256 of `<id>.<timestamp>.<body>` — what svix's `sign` computes.
pub fn sign(secret: &WebhookSecret, id: &str, timestamp: i64, body: &[u8]) -> [u8; 32] {
    let mut mac = secret.mac();
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().into()
}

/// The `v1,<base64>` header value svix would send for this message.
pub fn signature_header(secret: &WebhookSecret, id: &str, timestamp: i64, body: &[u8]) -> String {
    format!("v1,{}", STANDARD.encode(sign(secret, id, timestamp, body)))
}

/// Equal lengths and equal bytes, without an early exit on the first differing byte.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(difference) == 0
}
