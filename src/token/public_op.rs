//! An optional host implementation of RSA's public operation (`s^e mod n`), for a runtime with a
//! faster one than the core's own (Node's OpenSSL, installed by the JS shim's Node entry).
//!
//! Only the arithmetic is handed over. The range check and the comparison of the whole PKCS#1 v1.5
//! block stay in `edgeguard_rs256` (`verify_pkcs1v15_sha256_by`), so a host operation that errs,
//! throws or answers garbage can only make a signature fail, never pass.

use std::cell::RefCell;
use std::rc::Rc;

/// `(modulus big-endian, exponent, signature)` → `signature^exponent mod modulus` as big-endian
/// bytes of the modulus' length, or `None`.
pub type PublicOp = Rc<dyn Fn(&[u8], u32, &[u8]) -> Option<Vec<u8>>>;

thread_local! {
    static HOST_OP: RefCell<Option<PublicOp>> = const { RefCell::new(None) };
}

/// Installs (or, with `None`, removes) the host operation for this thread's verifications.
pub fn set_rsa_public_op(op: Option<PublicOp>) {
    HOST_OP.with(|slot| *slot.borrow_mut() = op);
}

/// The installed operation, cloned out so no borrow is held while it runs.
pub(crate) fn rsa_public_op() -> Option<PublicOp> {
    HOST_OP.with(|slot| slot.borrow().clone())
}
