//! RS256: RSASSA-PKCS1-v1_5 signature verification with SHA-256 (RFC 8017 §8.2.2, RFC 7518 §3.3).
//!
//! Verification handles public data only (key, message, signature), so the arithmetic is
//! variable-time. The decrypted block is never parsed: the one acceptable encoded message
//! `00 01 FF…FF 00 ‖ DigestInfo(SHA-256) ‖ H` is built and compared whole, which closes the
//! PKCS#1 v1.5 padding-parsing (Bleichenbacher '06 style) attack class by construction.
//!
//! Key policy (stricter than WebCrypto, which also accepts 1024-bit moduli and any exponent):
//! the modulus is odd and 2048..=4096 bits; the exponent is odd and 3 ≤ e < 2^32.

mod limbs;
mod montgomery;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd;

use core::fmt;

use sha2::{Digest, Sha256};

use montgomery::{ColumnDot, Modulus, ScalarDot};

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
type FastDot = simd::SimdDot;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
type FastDot = ScalarDot;

pub const MIN_MODULUS_BITS: usize = 2048;
pub const MAX_MODULUS_BITS: usize = 4096;

/// `DigestInfo ::= SEQUENCE { AlgorithmIdentifier { id-sha256, NULL }, OCTET STRING (32) }`
/// (RFC 8017 §9.2 note 1). The form without the NULL parameter is not accepted.
const SHA256_DIGEST_INFO_PREFIX: [u8; 19] = [
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaKeyError {
    pub message: String,
}

impl RsaKeyError {
    fn new(message: impl Into<String>) -> RsaKeyError {
        RsaKeyError {
            message: message.into(),
        }
    }
}

impl fmt::Display for RsaKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RsaKeyError {}

/// An RSA public key ready for repeated RS256 verification (Montgomery constants precomputed).
#[derive(Clone)]
pub struct RsaPublicKey {
    modulus: Modulus,
    /// Big-endian modulus without leading zero bytes; its length is k, the signature length.
    modulus_be: Vec<u8>,
    modulus_bits: usize,
    exponent: u32,
    /// R^e mod n (reversed limbs), see `Modulus::pow_public`.
    correction_reversed: Vec<u32>,
}

impl fmt::Debug for RsaPublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPublicKey")
            .field("modulus_bits", &self.modulus_bits)
            .field("exponent", &self.exponent)
            .finish_non_exhaustive()
    }
}

impl PartialEq for RsaPublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.modulus_be == other.modulus_be && self.exponent == other.exponent
    }
}

impl Eq for RsaPublicKey {}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first_nonzero = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(first_nonzero..).unwrap_or(&[])
}

impl RsaPublicKey {
    /// Big-endian unsigned modulus and exponent (as in JWK `n`/`e` after base64url decoding,
    /// or SPKI). Leading zero bytes are allowed.
    pub fn from_components(modulus_be: &[u8], exponent_be: &[u8]) -> Result<Self, RsaKeyError> {
        let modulus_be = strip_leading_zeros(modulus_be);
        let Some(&top_byte) = modulus_be.first() else {
            return Err(RsaKeyError::new("RSA modulus is zero"));
        };
        let modulus_bits = modulus_be.len() * 8 - top_byte.leading_zeros() as usize;
        if !(MIN_MODULUS_BITS..=MAX_MODULUS_BITS).contains(&modulus_bits) {
            return Err(RsaKeyError::new(format!(
                "RSA modulus is {modulus_bits} bits; only {MIN_MODULUS_BITS} to {MAX_MODULUS_BITS} bits are accepted"
            )));
        }
        if modulus_be.last().is_some_and(|&low| low % 2 == 0) {
            return Err(RsaKeyError::new("RSA modulus is even"));
        }

        let exponent_be = strip_leading_zeros(exponent_be);
        if exponent_be.len() > 4 {
            return Err(RsaKeyError::new("RSA public exponent must be below 2^32"));
        }
        let exponent = exponent_be
            .iter()
            .fold(0u32, |e, &b| (e << 8) | u32::from(b));
        if exponent < 3 || exponent % 2 == 0 {
            return Err(RsaKeyError::new(format!(
                "RSA public exponent {exponent} is invalid; it must be odd and at least 3"
            )));
        }

        // R = 2^(28·L) ≥ 4n keeps every intermediate of the lazy Montgomery steps below 2n.
        let limb_count = (modulus_bits + 2).div_ceil(limbs::LIMB_BITS as usize);
        let modulus_limbs = limbs::from_be_bytes(modulus_be, limb_count)
            .ok_or_else(|| RsaKeyError::new("RSA modulus does not fit its limb count"))?;
        let modulus = Modulus::new(modulus_limbs, modulus_bits);
        let correction_reversed = modulus.correction_reversed::<FastDot>(exponent);
        Ok(RsaPublicKey { modulus, modulus_be: modulus_be.to_vec(), modulus_bits, exponent, correction_reversed })
    }

    pub fn modulus_bits(&self) -> usize {
        self.modulus_bits
    }

    /// Modulus length in bytes (k): the exact length an RS256 signature must have.
    pub fn modulus_len(&self) -> usize {
        self.modulus_be.len()
    }

    /// `message` is the JWS signing input; it is hashed with SHA-256 here.
    pub fn verify_pkcs1v15_sha256(&self, message: &[u8], signature: &[u8]) -> bool {
        match self.rsavp1_with::<FastDot>(signature) {
            Some(decrypted) => self.is_encoded_sha256(message, &decrypted),
            None => false,
        }
    }

    /// [`Self::verify_pkcs1v15_sha256`] with RSAVP1's exponentiation done by `public_op`: given
    /// the signature `s` (already checked here to be k bytes and `s < n`), it returns `s^e mod n`
    /// as k big-endian bytes, or `None`. Everything else (the range check, the encoding compared
    /// whole) stays here, so a `public_op` can only be wrong about arithmetic, and anything it
    /// returns that is not the one acceptable block is a rejection.
    pub fn verify_pkcs1v15_sha256_by(
        &self,
        message: &[u8],
        signature: &[u8],
        public_op: impl FnOnce(&[u8]) -> Option<Vec<u8>>,
    ) -> bool {
        if !self.is_in_range(signature) {
            return false;
        }
        match public_op(signature) {
            Some(decrypted) => self.is_encoded_sha256(message, &decrypted),
            None => false,
        }
    }

    /// The modulus, big-endian, without leading zeros.
    pub fn modulus_be(&self) -> &[u8] {
        &self.modulus_be
    }

    pub fn exponent(&self) -> u32 {
        self.exponent
    }

    /// RSAVP1's input check: exactly k bytes and, as a number, below n.
    fn is_in_range(&self, signature: &[u8]) -> bool {
        // Equal-length big-endian byte strings compare like the numbers they encode.
        signature.len() == self.modulus_be.len() && signature < self.modulus_be.as_slice()
    }

    fn is_encoded_sha256(&self, message: &[u8], decrypted: &[u8]) -> bool {
        encode_pkcs1v15_sha256(&Sha256::digest(message), self.modulus_len())
            .is_some_and(|expected| decrypted == expected.as_slice())
    }

    /// RSAVP1 (RFC 8017 §5.2.2): `s^e mod n` as k big-endian bytes; `None` unless the
    /// signature is exactly k bytes and `s < n`. Exposed for tests and benchmarks only.
    #[doc(hidden)]
    pub fn rsavp1(&self, signature: &[u8]) -> Option<Vec<u8>> {
        self.rsavp1_with::<FastDot>(signature)
    }

    /// [`Self::rsavp1`] forced onto the portable scalar kernel (the wasm tests compare the two).
    #[doc(hidden)]
    pub fn rsavp1_scalar(&self, signature: &[u8]) -> Option<Vec<u8>> {
        self.rsavp1_with::<ScalarDot>(signature)
    }

    /// Whether the default kernel is the wasm SIMD one (for benchmark labels).
    #[doc(hidden)]
    pub fn uses_simd() -> bool {
        cfg!(all(target_arch = "wasm32", target_feature = "simd128"))
    }

    fn rsavp1_with<D: ColumnDot>(&self, signature: &[u8]) -> Option<Vec<u8>> {
        if !self.is_in_range(signature) {
            return None;
        }
        let base = limbs::from_be_bytes(signature, self.modulus.limbs().len())?;
        let result = self.modulus.pow_public::<D>(&base, self.exponent, &self.correction_reversed);
        limbs::to_be_bytes(&result, self.modulus_len())
    }
}

/// EMSA-PKCS1-v1_5-ENCODE (RFC 8017 §9.2) for SHA-256: `00 01 FF…FF 00 ‖ DigestInfo ‖ H`,
/// `em_len` bytes long. `None` if `em_len` leaves fewer than 8 bytes of `FF` padding.
fn encode_pkcs1v15_sha256(hash: &[u8], em_len: usize) -> Option<Vec<u8>> {
    let suffix_len = SHA256_DIGEST_INFO_PREFIX.len() + hash.len();
    let padding_len = em_len.checked_sub(3 + suffix_len).filter(|&len| len >= 8)?;
    let mut em = Vec::with_capacity(em_len);
    em.extend_from_slice(&[0x00, 0x01]);
    em.resize(2 + padding_len, 0xff);
    em.push(0x00);
    em.extend_from_slice(&SHA256_DIGEST_INFO_PREFIX);
    em.extend_from_slice(hash);
    Some(em)
}
