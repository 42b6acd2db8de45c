//! Shared by tests/token_*.rs: the Clerk-labelled fixture cases (tests/token_fixtures) and, natively,
//! an RS256 signer over the fixture key (num-bigint), so tests can mint any token they need.
#![allow(dead_code)]

use edgeguard::token::KeySet;
use serde_json::Value;

pub const FIXTURES: &str = include_str!("../token_fixtures/cases.json");

pub struct Case {
    pub name: String,
    pub token: String,
    pub keys: Value,
    /// `record::VerifyOptionsRecord` JSON.
    pub options: Value,
    /// Clerk's verdict: "ok", a reason, or "threw".
    pub clerk: String,
    pub strictness: Vec<String>,
    pub strict_reasons: Vec<String>,
}

pub fn fixtures() -> Value {
    serde_json::from_str(FIXTURES).expect("cases.json is JSON")
}

pub fn main_pem() -> String {
    fixtures()["keys"]["main"]["pem"].as_str().expect("main pem").to_owned()
}

pub fn pem(name: &str) -> String {
    fixtures()["keys"][name]["pem"].as_str().expect("pem").to_owned()
}

pub fn cases() -> Vec<Case> {
    let fixtures = fixtures();
    let strings = |v: &Value| -> Vec<String> {
        v.as_array().expect("array").iter().map(|s| s.as_str().expect("string").to_owned()).collect()
    };
    fixtures["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| Case {
            name: c["name"].as_str().expect("name").to_owned(),
            token: c["token"].as_str().expect("token").to_owned(),
            keys: c["keys"].clone(),
            options: c["options"].clone(),
            clerk: c["clerk"].as_str().expect("clerk").to_owned(),
            strictness: strings(&c["strictness"]),
            strict_reasons: strings(&c["strictReasons"]),
        })
        .collect()
}

pub fn key_set(case: &Case) -> KeySet {
    match case.keys.get("pem") {
        Some(_) => KeySet::from_pem(&main_pem()).expect("main key"),
        None => KeySet::from_jwks_value(&case.keys["jwks"]).expect("fixture JWKS is usable"),
    }
}

/// A case's verdict must be Clerk's, or, where a documented strictness applies, a rejection
/// with that strictness's reason. `ours` is "ok" or a reason.
pub fn check_against_clerk(case: &Case, ours: &str) {
    if ours == case.clerk {
        return;
    }
    assert!(
        !case.strictness.is_empty() && case.strict_reasons.iter().any(|r| r == ours),
        "{}: edgeguard {ours}, Clerk {} (strictness {:?})\n  token {}",
        case.name,
        case.clerk,
        case.strictness,
        case.token
    );
}

#[cfg(not(target_arch = "wasm32"))]
pub mod signer {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use num_bigint::BigUint;
    use serde_json::Value;
    use sha2::{Digest, Sha256};

    const SHA256_DIGEST_INFO: [u8; 19] =
        [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

    /// The fixture's main key (RSA-2048), private half.
    pub struct Signer {
        n: BigUint,
        d: BigUint,
        len: usize,
    }

    impl Signer {
        pub fn main() -> Signer {
            let keys = &super::fixtures()["keys"]["main"];
            let int = |name: &str| BigUint::parse_bytes(keys[name].as_str().expect("hex").as_bytes(), 16).expect("hex");
            let n = int("n");
            let len = n.to_bytes_be().len();
            Signer { n, d: int("d"), len }
        }

        /// RSASSA-PKCS1-v1_5 with SHA-256 over `input`.
        pub fn sign(&self, input: &[u8]) -> Vec<u8> {
            let mut em = vec![0x00, 0x01];
            em.resize(self.len - SHA256_DIGEST_INFO.len() - 32 - 1, 0xff);
            em.push(0x00);
            em.extend_from_slice(&SHA256_DIGEST_INFO);
            em.extend_from_slice(&Sha256::digest(input));
            let s = BigUint::from_bytes_be(&em).modpow(&self.d, &self.n).to_bytes_be();
            let mut out = vec![0u8; self.len - s.len()];
            out.extend_from_slice(&s);
            out
        }

        /// `header.payload.signature` from raw JSON texts.
        pub fn token_from_text(&self, header: &str, payload: &str) -> String {
            let input = format!("{}.{}", URL_SAFE_NO_PAD.encode(header), URL_SAFE_NO_PAD.encode(payload));
            let signature = URL_SAFE_NO_PAD.encode(self.sign(input.as_bytes()));
            format!("{input}.{signature}")
        }

        /// A token with `{"alg":"RS256","typ":"JWT"}` and the given claims.
        pub fn token(&self, claims: &Value) -> String {
            self.token_from_text(r#"{"alg":"RS256","typ":"JWT","kid":"ins_2abc"}"#, &claims.to_string())
        }
    }
}
