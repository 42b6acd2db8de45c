//! Radix-2^28 little-endian limbs held in `u32`, and the few whole-number operations the
//! key set-up needs (conversion, comparison, subtraction, doubling).
//!
//! Why 28 bits: a product of two limbs is < 2^56, so a whole column of up to 147 products
//! (a 4096-bit modulus) sums in a plain `u64` without a carry chain — the property that lets
//! the Montgomery kernels (scalar and wasm SIMD) accumulate with simple adds.

use core::cmp::Ordering;

pub(crate) const LIMB_BITS: u32 = 28;
pub(crate) const LIMB_MASK: u32 = (1 << LIMB_BITS) - 1;

/// Big-endian bytes → exactly `limb_count` limbs (little-endian limb order).
/// `None` if the value does not fit in `limb_count` limbs.
pub(crate) fn from_be_bytes(bytes: &[u8], limb_count: usize) -> Option<Vec<u32>> {
    let mut limbs = vec![0u32; limb_count];
    let mut acc: u64 = 0;
    let mut acc_bits: u32 = 0;
    let mut next = 0usize;
    for &byte in bytes.iter().rev() {
        acc |= u64::from(byte) << acc_bits;
        acc_bits += 8;
        if acc_bits >= LIMB_BITS {
            *limbs.get_mut(next)? = (acc as u32) & LIMB_MASK;
            next += 1;
            acc >>= LIMB_BITS;
            acc_bits -= LIMB_BITS;
        }
    }
    if acc != 0 {
        *limbs.get_mut(next)? = acc as u32;
    }
    Some(limbs)
}

/// Limbs → big-endian bytes of exactly `len` bytes. `None` if the value needs more bytes.
pub(crate) fn to_be_bytes(limbs: &[u32], len: usize) -> Option<Vec<u8>> {
    let mut little_endian = Vec::with_capacity(limbs.len() * 4 + 1);
    let mut acc: u64 = 0;
    let mut acc_bits: u32 = 0;
    for &limb in limbs {
        acc |= u64::from(limb) << acc_bits;
        acc_bits += LIMB_BITS;
        while acc_bits >= 8 {
            little_endian.push(acc as u8);
            acc >>= 8;
            acc_bits -= 8;
        }
    }
    little_endian.push(acc as u8);
    if little_endian.iter().skip(len).any(|&byte| byte != 0) {
        return None;
    }
    little_endian.resize(len, 0);
    little_endian.reverse();
    Some(little_endian)
}

/// Compares two numbers of the same limb count.
pub(crate) fn compare(a: &[u32], b: &[u32]) -> Ordering {
    for (x, y) in a.iter().rev().zip(b.iter().rev()) {
        match x.cmp(y) {
            Ordering::Equal => continue,
            other => return other,
        }
    }
    a.len().cmp(&b.len())
}

/// `a -= b` for `a >= b` of the same limb count (the caller compares first).
pub(crate) fn sub_assign(a: &mut [u32], b: &[u32]) {
    let mut borrow: u32 = 0;
    for (x, &y) in a.iter_mut().zip(b) {
        let diff = x.wrapping_sub(y).wrapping_sub(borrow);
        borrow = diff >> 31;
        *x = diff & LIMB_MASK;
    }
}

/// `a = 2a mod n` for `a < n`, with `2n` fitting in the limb count.
pub(crate) fn double_mod(a: &mut [u32], n: &[u32]) {
    let mut carry: u32 = 0;
    for x in a.iter_mut() {
        let doubled = (*x << 1) | carry;
        carry = doubled >> LIMB_BITS;
        *x = doubled & LIMB_MASK;
    }
    if compare(a, n) != Ordering::Less {
        sub_assign(a, n);
    }
}

/// Reduces `a < 2n` to `a < n`.
pub(crate) fn reduce_once(a: &mut [u32], n: &[u32]) {
    if compare(a, n) != Ordering::Less {
        sub_assign(a, n);
    }
}
