//! `jsonwebtoken`'s crypto seam, backed by edgeguard's RS256 verifier ([`super::rs256`]).
//!
//! jsonwebtoken 11 routes every signature check through a [`CryptoProvider`]. Ours verifies RS256
//! and refuses everything else: no HMAC (so a public key can never be used as an HMAC secret),
//! no ECDSA/EdDSA/PSS, and no signing at all. [`verify_token`](super::verify_token) calls the
//! verifier directly through [`JwtVerifier`] with a key parsed once; [`install`] makes the same
//! verifier the process default for code that uses `jsonwebtoken::decode`.

use std::sync::Arc;

use jsonwebtoken::crypto::{CryptoProvider, JwtSigner, JwtVerifier, KeyUtils};
use jsonwebtoken::errors::{Error as JwtError, ErrorKind};
use jsonwebtoken::jwk::{EllipticCurve, ThumbprintHash};
use jsonwebtoken::signature::{Error as SignatureError, Verifier};
use jsonwebtoken::{Algorithm, DecodingKey, DecodingKeyKind, EncodingKey};
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::der::rsa_components_from_pkcs1;
use super::rs256::RsaPublicKey;

/// An RS256 verifier over one parsed key (Montgomery constants computed once, shared).
#[derive(Clone, Debug)]
pub struct Rs256Verifier {
    key: Arc<RsaPublicKey>,
}

impl Rs256Verifier {
    pub fn new(key: RsaPublicKey) -> Rs256Verifier {
        Rs256Verifier { key: Arc::new(key) }
    }

    pub fn modulus_bits(&self) -> usize {
        self.key.modulus_bits()
    }

    /// `message` is the JWS signing input (`header.payload`), `signature` the decoded third segment.
    /// The exponentiation is the host's when one is installed ([`super::set_rsa_public_op`]).
    pub fn verify_signature(&self, message: &[u8], signature: &[u8]) -> bool {
        match super::public_op::rsa_public_op() {
            Some(op) => self.key.verify_pkcs1v15_sha256_by(message, signature, |s| {
                op(self.key.modulus_be(), self.key.exponent(), s)
            }),
            None => self.key.verify_pkcs1v15_sha256(message, signature),
        }
    }
}

impl Verifier<Vec<u8>> for Rs256Verifier {
    fn verify(&self, message: &[u8], signature: &Vec<u8>) -> Result<(), SignatureError> {
        if self.verify_signature(message, signature) {
            Ok(())
        } else {
            Err(SignatureError::new())
        }
    }
}

impl JwtVerifier for Rs256Verifier {
    fn algorithm(&self) -> Algorithm {
        Algorithm::RS256
    }
}

/// RS256 verification only; every other algorithm and all signing are refused with an error.
pub static PROVIDER: CryptoProvider = CryptoProvider {
    signer_factory: refuse_signing,
    verifier_factory: rs256_verifier,
    key_utils: KeyUtils {
        rsa_pub_components_from_private_key: |_| Err(unsupported("private keys are not accepted")),
        rsa_pub_components_from_public_key: rsa_components,
        ec_pub_components_from_private_key: |_, _| Err(unsupported("EC keys are not supported")),
        ed_pub_components_from_private_key: |_, _: &EllipticCurve| {
            Err(unsupported("EdDSA keys are not supported"))
        },
        compute_digest,
    },
};

/// Makes [`PROVIDER`] jsonwebtoken's process default. Returns whether it is the default now
/// (false when another provider was installed first; edgeguard's own verification does not
/// depend on the default).
pub fn install() -> bool {
    match PROVIDER.install_default() {
        Ok(()) => true,
        Err(existing) => std::ptr::eq(existing, &PROVIDER),
    }
}

fn refuse_signing(_: &Algorithm, _: &EncodingKey) -> Result<Box<dyn JwtSigner>, JwtError> {
    Err(unsupported("edgeguard verifies tokens; it never signs"))
}

fn rs256_verifier(algorithm: &Algorithm, key: &DecodingKey) -> Result<Box<dyn JwtVerifier>, JwtError> {
    if *algorithm != Algorithm::RS256 {
        return Err(ErrorKind::InvalidAlgorithm.into());
    }
    let (modulus, exponent) = match key.kind() {
        DecodingKeyKind::RsaModulusExponent { n, e } => (n.clone(), e.clone()),
        DecodingKeyKind::SecretOrDer(der) => rsa_components(der)?,
    };
    let key = RsaPublicKey::from_components(&modulus, &exponent)
        .map_err(|e| JwtError::from(ErrorKind::InvalidRsaKey(e.message)))?;
    Ok(Box::new(Rs256Verifier::new(key)))
}

/// jsonwebtoken hands RSA public keys over as PKCS#1 `RSAPublicKey` DER.
fn rsa_components(der: &[u8]) -> Result<(Vec<u8>, Vec<u8>), JwtError> {
    let components = rsa_components_from_pkcs1(der).map_err(|m| JwtError::from(ErrorKind::InvalidRsaKey(m)))?;
    Ok((components.modulus, components.exponent))
}

fn compute_digest(data: &[u8], hash: ThumbprintHash) -> Result<Vec<u8>, JwtError> {
    Ok(match hash {
        ThumbprintHash::SHA256 => Sha256::digest(data).to_vec(),
        ThumbprintHash::SHA384 => Sha384::digest(data).to_vec(),
        ThumbprintHash::SHA512 => Sha512::digest(data).to_vec(),
        _ => return Err(unsupported("unknown thumbprint hash")),
    })
}

fn unsupported(message: &str) -> JwtError {
    ErrorKind::Provider(message.to_owned()).into()
}
