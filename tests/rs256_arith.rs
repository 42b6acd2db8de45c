//! Differential test of the Montgomery exponentiation against num-bigint's `modpow`, on random
//! odd moduli of every limb-boundary size in 2048..=4096 bits (the moduli need not be RSA
//! moduli for the arithmetic), random exponents and edge-case bases. Seed printed; override
//! with RS256_ARITH_SEED. Run: `cargo test --test rs256_arith`.
#![cfg(not(target_arch = "wasm32"))]

use edgeguard::token::rs256::RsaPublicKey;
use num_bigint::BigUint;

struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

fn be_bytes(value: &BigUint, len: usize) -> Vec<u8> {
    let raw = value.to_bytes_be();
    let mut out = vec![0u8; len - raw.len()];
    out.extend_from_slice(&raw);
    out
}

/// A random odd modulus of exactly `bits` bits, in one of several shapes.
fn modulus(rng: &mut SplitMix, bits: usize) -> BigUint {
    let one = BigUint::from(1u8);
    let top = &one << (bits - 1);
    match rng.below(4) {
        0 => (&one << bits) - &one, // all ones
        1 => &top + &one,           // sparse: 2^(bits−1) + 1
        _ => {
            let random = BigUint::from_bytes_be(&rng.bytes(bits.div_ceil(8))) % &top;
            top | random | one
        }
    }
}

fn check(key: &RsaPublicKey, n: &BigUint, e: u32, base: &BigUint, context: &str) {
    let k = key.modulus_len();
    let expected = be_bytes(&base.modpow(&BigUint::from(e), n), k);
    let signature = be_bytes(base, k);
    assert_eq!(
        key.rsavp1(&signature).as_deref(),
        Some(expected.as_slice()),
        "{context}"
    );
    assert_eq!(
        key.rsavp1_scalar(&signature).as_deref(),
        Some(expected.as_slice()),
        "{context} (scalar)"
    );
}

#[test]
fn modpow_matches_num_bigint() {
    let seed = std::env::var("RS256_ARITH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x2856_0611u64);
    println!("rs256_arith seed {seed} (set RS256_ARITH_SEED to replay)");
    let mut rng = SplitMix(seed);
    // Sizes where the limb count L = ceil((bits+2)/28) changes, plus the common ones.
    let mut sizes = vec![
        2048, 2049, 2071, 2072, 2073, 2074, 3072, 4070, 4071, 4094, 4095, 4096,
    ];
    sizes.extend((0..6).map(|_| 2048 + rng.below(2049) as usize));
    for bits in sizes {
        for round in 0..3 {
            let n = modulus(&mut rng, bits);
            let e = match round {
                0 => 65537,
                1 => 3,
                _ => (rng.next() as u32) | 1 | if rng.below(2) == 0 { 0x8000_0000 } else { 2 },
            };
            let key =
                RsaPublicKey::from_components(&n.to_bytes_be(), &e.to_be_bytes()).expect("key");
            assert_eq!(key.modulus_bits(), bits);
            let one = BigUint::from(1u8);
            let random = BigUint::from_bytes_be(&rng.bytes(bits.div_ceil(8))) % &n;
            let small = BigUint::from(rng.next());
            for (label, base) in [
                ("0", BigUint::from(0u8)),
                ("1", one.clone()),
                ("2", BigUint::from(2u8)),
                ("n-1", &n - &one),
                ("n-2", &n - 2u8),
                ("(n-1)/2", (&n - &one) >> 1),
                ("random", random),
                ("small", small),
            ] {
                check(
                    &key,
                    &n,
                    e,
                    &base,
                    &format!("bits {bits} e {e} base {label} n {n:x}"),
                );
            }
        }
    }
}
