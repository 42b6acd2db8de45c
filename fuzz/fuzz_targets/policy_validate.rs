//! Policy parsing and validation on arbitrary text and on arbitrary JSON values: diagnostics or a
//! policy, never a panic; a policy that validates without errors also builds a guard.
#![no_main]

use edgeguard::decision::{Guard, GuardOptions};
use edgeguard::policy::read_policy_text;
use edgeguard_fuzz::{text, within_budget_of};
use libfuzzer_sys::fuzz_target;

// A policy is loaded once at start-up, not per request: 50 ms (see within_budget_of).
fuzz_target!(|data: &[u8]| within_budget_of(50, || run(data)));

fn run(data: &[u8]) {
    let policy_text = text(data);
    let (policy, validation) = read_policy_text(&policy_text);
    if policy.is_some() {
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&policy_text) {
            let options: Result<GuardOptions, _> = serde_json::from_value(serde_json::json!({ "policy": value }));
            if let Ok(options) = options {
                let _ = Guard::new(options);
            }
        }
    }
    let _ = validation;
}
