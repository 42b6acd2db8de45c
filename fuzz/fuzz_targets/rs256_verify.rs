//! The RS256 verifier: arbitrary (message, signature) against a fixed key never verifies (its
//! private half does not exist), and arbitrary (modulus, exponent) keys are refused or usable,
//! never a panic.
#![no_main]

use std::sync::OnceLock;

use edgeguard::token::rs256::RsaPublicKey;
use edgeguard_fuzz::{fields, within_budget};
use libfuzzer_sys::fuzz_target;

fn fixed_key() -> &'static RsaPublicKey {
    static KEY: OnceLock<RsaPublicKey> = OnceLock::new();
    KEY.get_or_init(|| {
        let n = edgeguard_fuzz_modulus();
        RsaPublicKey::from_components(&n, &[1, 0, 1]).expect("the fixed fuzz modulus is a valid key")
    })
}

fn edgeguard_fuzz_modulus() -> Vec<u8> {
    (0..edgeguard_fuzz::MODULUS_HEX.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&edgeguard_fuzz::MODULUS_HEX[i..i + 2], 16).expect("hex"))
        .collect()
}

// The one-off set-up (policy compile, key parse) runs before the clock starts: the budget is per input.
fuzz_target!(|data: &[u8]| {
    let _ = fixed_key();
    within_budget(|| run(data))
});

fn run(data: &[u8]) {
    let parts = fields(data, 4);
    let key = fixed_key();
    assert!(!key.verify_pkcs1v15_sha256(parts[0], parts[1]));
    // A modulus-sized signature reaches the modular exponentiation itself (~0.5 ms): one input in
    // eight, so the parsing paths keep a high execution rate.
    if parts[1].len() >= 2 && parts[1][0] & 7 == 0 {
        let mut sized = vec![0u8; key.modulus_len()];
        for (i, b) in sized.iter_mut().enumerate() {
            *b = parts[1][i % parts[1].len()];
        }
        assert!(!key.verify_pkcs1v15_sha256(parts[0], &sized));
    }
    if let Ok(other) = RsaPublicKey::from_components(parts[2], parts[3]) {
        let _ = other.verify_pkcs1v15_sha256(parts[0], parts[1]);
    }
}
