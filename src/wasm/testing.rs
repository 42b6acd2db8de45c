//! Test-only export: a real WebAssembly trap on demand, so the fail-closed paths of the JS shim
//! (tests/js/faults.test.mjs) are exercised by the engine itself, not by a mock. Calling it only
//! kills the caller's own instance, which the shim then discards and re-instantiates.

use wasm_bindgen::prelude::*;

/// Executes `unreachable`: the calling JS receives a `WebAssembly.RuntimeError`.
#[wasm_bindgen(js_name = __edgeguardTestTrap)]
pub fn edgeguard_test_trap() {
    core::arch::wasm32::unreachable()
}
