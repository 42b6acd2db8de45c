//! Key configuration parsing (SPKI PEM, JWKS JSON) on arbitrary text: an error or a key set,
//! never a panic.
#![no_main]

use edgeguard::token::{KeySet, VerifyOptions};
use edgeguard_fuzz::{fields, text, NOW_MS, within_budget};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| within_budget(|| run(data)));

fn run(data: &[u8]) {
    let parts = fields(data, 2);
    let source = text(parts[0]);
    let token = text(parts[1]);
    for keys in [KeySet::from_pem(&source), KeySet::from_jwks_json(&source)].into_iter().flatten() {
        // A parsed key set must also survive a token naming any of its keys.
        let _ = edgeguard::token::verify_token(&token, &keys, &VerifyOptions::at(NOW_MS));
    }
}
