//! JS `setRsaPublicOp(op)`: the Node entry hands in OpenSSL's raw RSA public operation
//! (`crypto.publicDecrypt` without padding), faster than the core's wasm arithmetic (BENCHMARKS.md).
//! `op(modulus: Uint8Array, exponent: number, signature: Uint8Array)` returns `s^e mod n` as a
//! Uint8Array; a throw or anything else is a failed signature (see `token::public_op`).

use std::rc::Rc;

use js_sys::{Function, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::token::{set_rsa_public_op as install, PublicOp};

#[wasm_bindgen(js_name = setRsaPublicOp)]
pub fn set_rsa_public_op(op: Option<Function>) {
    install(op.map(|op| {
        Rc::new(move |modulus: &[u8], exponent: u32, signature: &[u8]| -> Option<Vec<u8>> {
            let args = (Uint8Array::from(modulus), JsValue::from(exponent), Uint8Array::from(signature));
            let result = op.call3(&JsValue::NULL, &args.0, &args.1, &args.2).ok()?;
            Some(result.dyn_into::<Uint8Array>().ok()?.to_vec())
        }) as PublicOp
    }));
}
