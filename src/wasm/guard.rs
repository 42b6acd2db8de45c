//! JS `createGuard` / `validatePolicy`: JSON text in (policies and options are data), JSON out.
//!
//! A decision crosses the boundary as one UTF-8 buffer in (`decision::wire`, copied in one
//! memcpy) and one short text out (`decision::decision_text`): ids of the Decision's envelope and
//! of its auth, whose JSON texts the shim fetches once (`lastEnvelope`, `lastAuth`) and then keeps. Walking
//! JS objects field by field from wasm (serde-wasm-bindgen) cost more than the decision itself, and
//! so did passing a long JS string (wasm-bindgen copies it unit by unit); parsing the claims again
//! on every decision cost a quarter of a cached one.

use wasm_bindgen::prelude::*;

use crate::decision::decision_text::{auth_text, DecisionWriter, Written};
use crate::decision::request::DECISION_HEADERS;
use crate::decision::wire;
use crate::decision::{Decision, Guard, GuardOptions};
use crate::policy::{read_policy_text, Diagnostic, Validation};
use crate::token::SharedAuth;

#[wasm_bindgen]
pub struct WasmGuard {
    inner: Guard,
    /// The auth of the last decision, for `lastAuth`.
    last_auth: Option<SharedAuth>,
    writer: DecisionWriter,
    /// The text of the last decision that did not fit the number form, for `lastText`.
    last_text: String,
}


/// `value` as a JS value (via `JSON.parse`), for the rare calls that return data, not a decision.
fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    js_sys::JSON::parse(&super::json_text(value)).unwrap_or(JsValue::NULL)
}

#[wasm_bindgen]
impl WasmGuard {
    /// `options_json`: the createGuard options with the policy inline. Errors: an array of
    /// `{ path, message }`, every problem at once.
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str) -> Result<WasmGuard, JsValue> {
        let options: GuardOptions = serde_json::from_str(options_json).map_err(|e| {
            to_js(&[Diagnostic { path: "options".into(), message: format!("invalid createGuard options: {e}") }])
        })?;
        Guard::new(options).map(|inner| WasmGuard { inner, last_auth: None, writer: DecisionWriter::default(), last_text: String::new() }).map_err(|errors| to_js(&errors))
    }

    pub fn warnings(&self) -> JsValue {
        to_js(&self.inner.warnings())
    }

    /// Rule names with `log: true`, for the JS audit hook.
    #[wasm_bindgen(js_name = loggedRules)]
    pub fn logged_rules(&self) -> Vec<String> {
        self.inner.policy().routes.iter().filter(|r| r.log).map(|r| r.name.clone()).collect()
    }

    /// `input`: the wire record (see `wire`). Returns the Decision as a number ≥ 0 (envelope id and
    /// auth serial, see `decision_text`), or -1 when it crossed as text: then `lastText()` has it.
    pub fn decide(&mut self, input: &[u8]) -> f64 {
        let decision = match wire::read_input(input) {
            Ok(input) => self.inner.decide_wire(&input),
            Err(decision) => decision,
        };
        let written = self.writer.write(&decision);
        self.last_auth = decision.auth;
        match written {
            Written::Code(code) => code,
            Written::Text(text) => {
                self.last_text = text;
                -1.0
            }
        }
    }

    /// The text of the last decision that `decide` answered with -1.
    #[wasm_bindgen(js_name = lastText)]
    pub fn last_text(&self) -> String {
        self.last_text.clone()
    }

    /// The envelope of the last decision, for an envelope id the shim has not seen yet.
    #[wasm_bindgen(js_name = lastEnvelope)]
    pub fn last_envelope(&self) -> String {
        self.writer.last_envelope().to_owned()
    }

    /// The JSON text of the last decision's `auth` (`"null"` when it had none), for a serial the
    /// shim has not seen yet.
    #[wasm_bindgen(js_name = lastAuth)]
    pub fn last_auth(&self) -> String {
        self.last_auth.as_ref().map_or_else(|| "null".to_owned(), auth_text)
    }

    /// Like `decide`; returns `{ decision, trace }` as JSON text.
    pub fn explain(&mut self, input: &[u8]) -> String {
        #[derive(serde::Serialize)]
        struct Explained {
            decision: Decision,
            trace: Vec<String>,
        }
        let explained = match wire::read_input(input) {
            Ok(input) => {
                let (decision, trace) = self.inner.explain_wire(&input);
                Explained { decision, trace }
            }
            Err(decision) => Explained { trace: vec![format!("bad request record: {}", decision.reason)], decision },
        };
        super::json_text(&explained)
    }
}

/// The header names the decision reads: the shim sends only these across the boundary.
#[wasm_bindgen(js_name = decisionHeaders)]
pub fn decision_headers() -> Vec<String> {
    DECISION_HEADERS.iter().map(|name| name.to_string()).collect()
}

#[wasm_bindgen(js_name = validatePolicy)]
pub fn validate_policy(policy_json: &str) -> JsValue {
    let (_, validation): (_, Validation) = read_policy_text(policy_json);
    to_js(&validation)
}
