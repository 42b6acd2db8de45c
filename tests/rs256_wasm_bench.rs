//! Timing, not a test: RS256 verify in wasm (Node) against Node's own `crypto.verify` in the
//! same process, on the Node/OpenSSL fixture keys. Prints medians; asserts only correctness.
//! Run (release, output shown):
//!   wasm-pack test --node --release -- --test rs256_wasm_bench -- --include-ignored --nocapture
//! For the scalar-only build: prefix with RUSTFLAGS="-C target-feature=-simd128".
#![cfg(target_arch = "wasm32")]

use edgeguard::token::rs256::RsaPublicKey;
use js_sys::{Array, Function};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

const PASSES: usize = 7;
const ITERATIONS: usize = 200;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex digit"))
        .collect()
}

fn print(line: &str) {
    wasm_bindgen_test::console_log!("{line}");
}

fn now_ms() -> f64 {
    let now = Function::new_no_args("return performance.now()");
    now.call0(&JsValue::NULL)
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

/// Node's `crypto.verify("sha256", …)` over the same cases, `iterations` calls; returns ms.
fn node_verify_ms(n_hex: &str, e_hex: &str, cases: &[(String, String)], iterations: usize) -> f64 {
    let bench = Function::new_with_args(
        "nHex, eHex, messages, signatures, iterations",
        "const crypto = process.getBuiltinModule('node:crypto');
         const b64 = (h) => Buffer.from(h, 'hex').toString('base64url');
         const key = crypto.createPublicKey({ key: { kty: 'RSA', n: b64(nHex), e: b64(eHex) }, format: 'jwk' });
         const m = messages.map((h) => Buffer.from(h, 'hex'));
         const s = signatures.map((h) => Buffer.from(h, 'hex'));
         const start = performance.now();
         for (let i = 0; i < iterations; i++) {
           const j = i % m.length;
           if (!crypto.verify('sha256', m[j], key, s[j])) throw new Error('node verify failed');
         }
         return performance.now() - start;",
    );
    let messages: Array = cases.iter().map(|(m, _)| JsValue::from_str(m)).collect();
    let signatures: Array = cases.iter().map(|(_, s)| JsValue::from_str(s)).collect();
    let args = Array::of5(
        &JsValue::from_str(n_hex),
        &JsValue::from_str(e_hex),
        &messages,
        &signatures,
        &JsValue::from_f64(iterations as f64),
    );
    bench
        .apply(&JsValue::NULL, &args)
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

#[wasm_bindgen_test]
#[ignore = "timing run, not a test: see the file header"]
fn rs256_wasm_timings() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("rs256_fixtures/node_signatures.json"))
            .expect("fixture json");
    print(&format!(
        "rs256 wasm bench: default kernel = {}, {PASSES} interleaved passes × {ITERATIONS} verifies, medians",
        if RsaPublicKey::uses_simd() { "SIMD (simd128)" } else { "scalar" }
    ));
    let mut first = true;
    for key_json in fixture["keys"].as_array().expect("keys") {
        let bits = key_json["requestedBits"].as_u64().unwrap_or(0);
        let e_hex = key_json["e"].as_str().expect("e");
        if !(bits == 2048 || bits == 4096) || e_hex != "010001" {
            continue;
        }
        let n_hex = key_json["n"].as_str().expect("n");
        let cases: Vec<(String, String)> = key_json["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .filter(|c| c["valid"] == true)
            .map(|c| {
                (
                    c["message"].as_str().unwrap_or("").to_owned(),
                    c["signature"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let decoded: Vec<(Vec<u8>, Vec<u8>)> =
            cases.iter().map(|(m, s)| (hex(m), hex(s))).collect();

        let setup_start = now_ms();
        let key = RsaPublicKey::from_components(&hex(n_hex), &hex(e_hex)).expect("key");
        let setup_ms = now_ms() - setup_start;
        if first {
            let (message, signature) = &decoded[0];
            let start = now_ms();
            assert!(key.verify_pkcs1v15_sha256(message, signature));
            print(&format!(
                "cold: first verify after instantiation {:.0} µs (key set-up {:.0} µs)",
                (now_ms() - start) * 1e3,
                setup_ms * 1e3
            ));
            first = false;
        }

        let (mut ours, mut simd, mut scalar, mut node) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for _ in 0..PASSES {
            let start = now_ms();
            for i in 0..ITERATIONS {
                let (message, signature) = &decoded[i % decoded.len()];
                assert!(key.verify_pkcs1v15_sha256(message, signature));
            }
            ours.push((now_ms() - start) * 1e3 / ITERATIONS as f64);

            let start = now_ms();
            for i in 0..ITERATIONS {
                assert!(key.rsavp1(&decoded[i % decoded.len()].1).is_some());
            }
            simd.push((now_ms() - start) * 1e3 / ITERATIONS as f64);

            let start = now_ms();
            for i in 0..ITERATIONS {
                assert!(key.rsavp1_scalar(&decoded[i % decoded.len()].1).is_some());
            }
            scalar.push((now_ms() - start) * 1e3 / ITERATIONS as f64);

            node.push(node_verify_ms(n_hex, e_hex, &cases, ITERATIONS) * 1e3 / ITERATIONS as f64);
        }
        let (ours, simd, scalar, node) = (median(ours), median(simd), median(scalar), median(node));
        print(&format!(
            "{}-bit e=65537: verify {ours:.1} µs | s^e mod n: default kernel {simd:.1} µs, scalar kernel {scalar:.1} µs | Node crypto.verify {node:.1} µs | verify/Node {:.2}× | key set-up {:.0} µs",
            key.modulus_bits(),
            ours / node,
            setup_ms * 1e3
        ));
    }
}
