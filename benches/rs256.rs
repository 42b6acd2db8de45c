//! Native RS256 timings: `cargo bench --bench rs256`. Keys and signatures are the Node/OpenSSL
//! fixtures of tests/rs256.rs (one key per size; e = 65537 unless noted).
use criterion::{criterion_group, criterion_main, Criterion};
use edgeguard::token::rs256::RsaPublicKey;
use std::hint::black_box;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex digit"))
        .collect()
}

struct Fixture {
    label: String,
    n: Vec<u8>,
    e: Vec<u8>,
    message: Vec<u8>,
    signature: Vec<u8>,
}

fn fixtures() -> Vec<Fixture> {
    let json: serde_json::Value =
        serde_json::from_str(include_str!("../tests/rs256_fixtures/node_signatures.json"))
            .expect("fixture");
    let keys = json["keys"].as_array().expect("keys");
    keys.iter()
        .filter(|k| [2048, 3072, 4096].contains(&k["requestedBits"].as_u64().unwrap_or(0)))
        .map(|k| {
            let case = &k["cases"][4]; // the JWS-shaped signing input, as signed
            assert_eq!(case["valid"], true);
            Fixture {
                label: format!(
                    "{}-bit e=0x{}",
                    k["modulusBits"],
                    k["e"].as_str().unwrap_or("?")
                ),
                n: hex(k["n"].as_str().expect("n")),
                e: hex(k["e"].as_str().expect("e")),
                message: hex(case["message"].as_str().expect("message")),
                signature: hex(case["signature"].as_str().expect("signature")),
            }
        })
        .collect()
}

fn rs256(c: &mut Criterion) {
    for fixture in fixtures() {
        let key = RsaPublicKey::from_components(&fixture.n, &fixture.e).expect("key");
        assert!(key.verify_pkcs1v15_sha256(&fixture.message, &fixture.signature));
        c.bench_function(&format!("verify {}", fixture.label), |b| {
            b.iter(|| {
                key.verify_pkcs1v15_sha256(
                    black_box(&fixture.message),
                    black_box(&fixture.signature),
                )
            })
        });
        c.bench_function(&format!("key setup {}", fixture.label), |b| {
            b.iter(|| RsaPublicKey::from_components(black_box(&fixture.n), black_box(&fixture.e)))
        });
    }
}

criterion_group!(benches, rs256);
criterion_main!(benches);
