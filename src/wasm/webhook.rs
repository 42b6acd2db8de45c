//! wasm surface of `crate::webhook`: records in, records out (as JSON text), errors as data
//! (never a throw).

use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::webhook::{
    verify_webhook, Admission, MemoryReplayStore, WebhookError, WebhookOptions, WebhookSecret,
    DEFAULT_REPLAY_CAPACITY,
};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Outcome {
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timestamp: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

impl Outcome {
    fn failed(error: WebhookError) -> Outcome {
        Outcome { ok: false, id: None, timestamp: None, reason: Some(error.reason), message: Some(error.message) }
    }
}

/// JSON text of `{ ok: true }` or `{ ok: false, reason: "webhook-bad-secret", message }`.
#[wasm_bindgen(js_name = webhookCheckSecret)]
pub fn webhook_check_secret(secret: &str) -> String {
    let outcome = match WebhookSecret::parse(secret) {
        Ok(_) => Outcome { ok: true, id: None, timestamp: None, reason: None, message: None },
        Err(error) => Outcome::failed(error),
    };
    super::json_text(&outcome)
}

/// JSON text of `{ ok: true, id, timestamp }` or `{ ok: false, reason, message }`. `names[i]` goes with
/// `values[i]`; the JS side has already resolved which entries svix would see. Times are whole
/// seconds (the JS side floors and range-checks them).
#[wasm_bindgen(js_name = webhookVerify)]
pub fn webhook_verify(
    secret: &str,
    names: Vec<String>,
    values: Vec<String>,
    body: &[u8],
    tolerance_seconds: f64,
    now_seconds: f64,
) -> String {
    let outcome = WebhookSecret::parse(secret).and_then(|secret| {
        let headers: Vec<(String, String)> = names.into_iter().zip(values).collect();
        let options = WebhookOptions { tolerance_seconds: tolerance_seconds as i64, now_seconds: now_seconds as i64 };
        verify_webhook(&secret, &headers, body, &options)
    });
    let outcome = match outcome {
        Ok(verified) => Outcome {
            ok: true,
            id: Some(verified.id),
            timestamp: Some(verified.timestamp as f64),
            reason: None,
            message: None,
        },
        Err(error) => Outcome::failed(error),
    };
    super::json_text(&outcome)
}

/// The core's bounded `MemoryReplayStore`, one per JS store object.
#[wasm_bindgen(js_name = WebhookReplayStore)]
pub struct WasmReplayStore {
    inner: MemoryReplayStore,
}

#[wasm_bindgen(js_class = WebhookReplayStore)]
impl WasmReplayStore {
    /// `capacity` 0 means the default (10 000 ids).
    #[wasm_bindgen(constructor)]
    pub fn new(capacity: u32) -> WasmReplayStore {
        let capacity = if capacity == 0 { DEFAULT_REPLAY_CAPACITY } else { capacity as usize };
        WasmReplayStore { inner: MemoryReplayStore::with_capacity(capacity) }
    }

    /// `"fresh"`, `"seen"` or `"full"`.
    pub fn admit(&mut self, id: &str, now_seconds: f64, expires_at_seconds: f64) -> String {
        match self.inner.admission(id, now_seconds as i64, expires_at_seconds as i64) {
            Admission::Fresh => "fresh",
            Admission::Seen => "seen",
            Admission::Full => "full",
        }
        .to_owned()
    }

    #[wasm_bindgen(getter)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }

    #[wasm_bindgen(getter)]
    pub fn capacity(&self) -> u32 {
        u32::try_from(self.inner.capacity()).unwrap_or(u32::MAX)
    }
}
