//! JS `createGuard` / `validatePolicy`: JSON text in (policies and options are data), records out.

use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::decision::{DecideContext, Decision, Guard, GuardOptions, RequestRecord};
use crate::policy::{read_policy_text, Diagnostic, Validation};

#[wasm_bindgen]
pub struct WasmGuard {
    inner: Guard,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ContextRecord {
    now_ms: f64,
    /// True when Clerk's middleware supplied the session (then `claims: null` means signed out).
    #[serde(default)]
    from_clerk: bool,
    #[serde(default)]
    claims: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    body: Option<String>,
}

fn to_js<T: serde::Serialize>(value: &T) -> JsValue {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    // A failed conversion surfaces as null, which the JS side treats as engine-unavailable (deny).
    value.serialize(&serializer).unwrap_or(JsValue::NULL)
}

fn diagnostics(errors: Vec<Diagnostic>) -> JsValue {
    to_js(&errors)
}

#[wasm_bindgen]
impl WasmGuard {
    /// `options_json`: the createGuard options with the policy inline. Errors: an array of
    /// `{ path, message }`, every problem at once.
    #[wasm_bindgen(constructor)]
    pub fn new(options_json: &str) -> Result<WasmGuard, JsValue> {
        let options: GuardOptions = serde_json::from_str(options_json).map_err(|e| {
            diagnostics(vec![Diagnostic { path: "options".into(), message: format!("invalid createGuard options: {e}") }])
        })?;
        Guard::new(options).map(|inner| WasmGuard { inner }).map_err(diagnostics)
    }

    pub fn warnings(&self) -> JsValue {
        to_js(&self.inner.warnings())
    }

    /// Rule names with `log: true`, for the JS audit hook.
    #[wasm_bindgen(js_name = loggedRules)]
    pub fn logged_rules(&self) -> Vec<String> {
        self.inner.policy().routes.iter().filter(|r| r.log).map(|r| r.name.clone()).collect()
    }

    pub fn decide(&mut self, request: JsValue, context: JsValue) -> JsValue {
        match read_inputs(request, context) {
            Ok((request, context)) => to_js(&self.inner.decide(&request, &context)),
            Err(decision) => to_js(&decision),
        }
    }

    pub fn explain(&mut self, request: JsValue, context: JsValue) -> JsValue {
        #[derive(serde::Serialize)]
        struct Explained {
            decision: Decision,
            trace: Vec<String>,
        }
        let explained = match read_inputs(request, context) {
            Ok((request, context)) => {
                let (decision, trace) = self.inner.explain(&request, &context);
                Explained { decision, trace }
            }
            Err(decision) => Explained { trace: vec![format!("bad request record: {}", decision.reason)], decision },
        };
        to_js(&explained)
    }
}

fn read_inputs(request: JsValue, context: JsValue) -> Result<(RequestRecord, DecideContext), Decision> {
    let request: RequestRecord = serde_wasm_bindgen::from_value(request).map_err(|_| Decision::deny(400, "bad-request", None))?;
    let context: ContextRecord = serde_wasm_bindgen::from_value(context).map_err(|_| Decision::deny(400, "bad-request", None))?;
    let now_ms = if context.now_ms.is_finite() && context.now_ms >= 0.0 { context.now_ms as u64 } else { 0 };
    Ok((
        request,
        DecideContext {
            now_ms,
            clerk_claims: context.from_clerk.then_some(context.claims),
            body: context.body.map(String::into_bytes),
        },
    ))
}

#[wasm_bindgen(js_name = validatePolicy)]
pub fn validate_policy(policy_json: &str) -> JsValue {
    let (_, validation): (_, Validation) = read_policy_text(policy_json);
    to_js(&validation)
}
