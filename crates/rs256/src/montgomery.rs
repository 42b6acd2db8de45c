//! Montgomery arithmetic modulo an odd RSA modulus, product-scanning ("column-wise") with the
//! reduction interleaved (the FIPS method), on radix-2^28 limbs.
//!
//! Every column of the product is a dot product of two contiguous slices (one operand is kept
//! in reversed limb order), so the only inner loop is [`ColumnDot::dot`]; the scalar and the
//! wasm SIMD back-ends differ only there.
//!
//! Bounds that make the plain `u64` sums sound (L = limb count ≤ 147, R = 2^(28·L) ≥ 4n):
//! - one limb product < 2^56, a column dot of ≤ 147 products < 147·2^56 < 2^63.3;
//! - the carry between columns stays < 2^37;
//! - inputs < 2n give an output < (4n² + R·n)/R < 2n, so no final subtraction is needed
//!   between steps ("lazy" reduction); only the result leaving Montgomery form is reduced.

use super::limbs::{double_mod, reduce_once, LIMB_BITS, LIMB_MASK};

/// Σ x[j]·y[j] over two slices of equal length (≤ 147), in a `u64` that cannot overflow.
pub(crate) trait ColumnDot {
    fn dot(x: &[u32], y: &[u32]) -> u64;
}

/// Portable back-end: a plain multiply-accumulate loop.
pub(crate) struct ScalarDot;

impl ColumnDot for ScalarDot {
    #[inline(always)]
    fn dot(x: &[u32], y: &[u32]) -> u64 {
        x.iter().zip(y).fold(0u64, |sum, (&a, &b)| {
            sum.wrapping_add(u64::from(a) * u64::from(b))
        })
    }
}

/// Out-of-range windows are empty; every call site computes its range inside the slice
/// (the tests exercise every column of every size), so this never hides a real column.
#[inline(always)]
fn window(x: &[u32], start: usize, end: usize) -> &[u32] {
    x.get(start..end).unwrap_or(&[])
}

#[inline(always)]
fn limb(x: &[u32], index: usize) -> u64 {
    x.get(index).copied().map_or(0, u64::from)
}

pub(crate) fn reversed(x: &[u32]) -> Vec<u32> {
    x.iter().rev().copied().collect()
}

/// An odd modulus with its precomputed Montgomery constants.
#[derive(Clone)]
pub(crate) struct Modulus {
    limbs: Vec<u32>,
    limbs_reversed: Vec<u32>,
    /// −n⁻¹ mod 2^28.
    n0_inv_neg: u32,
    /// R² mod n, in reversed limb order (it is only ever the right-hand operand).
    r_squared_reversed: Vec<u32>,
}

impl Modulus {
    /// `limbs` holds an odd `bits`-bit number with `4n < 2^(28·limbs.len())`, at most 147 limbs.
    pub(crate) fn new(limbs: Vec<u32>, bits: usize) -> Modulus {
        let n0 = limbs.first().copied().unwrap_or(1);
        // Newton's iteration doubles the correct low bits: 3 (n0·n0 ≡ 1 mod 8) → 48 ≥ 32.
        let mut inverse = n0;
        for _ in 0..4 {
            inverse = inverse.wrapping_mul(2u32.wrapping_sub(n0.wrapping_mul(inverse)));
        }
        let mut modulus = Modulus {
            limbs_reversed: reversed(&limbs),
            limbs,
            n0_inv_neg: inverse.wrapping_neg() & LIMB_MASK,
            r_squared_reversed: Vec::new(),
        };
        modulus.r_squared_reversed = reversed(&modulus.compute_r_squared(bits));
        modulus
    }

    pub(crate) fn limbs(&self) -> &[u32] {
        &self.limbs
    }

    /// R² mod n: 2^(35L) mod n by doubling (from 2^(bits−1) < n), which is R·2^(7L); two
    /// Montgomery squarings turn R·2^(7L) into R·2^(28L) = R².
    fn compute_r_squared(&self, bits: usize) -> Vec<u32> {
        let limb_count = self.limbs.len();
        let limb_bits = LIMB_BITS as usize;
        let start_bit = bits.saturating_sub(1);
        let mut x = vec![0u32; limb_count];
        if let Some(slot) = x.get_mut(start_bit / limb_bits) {
            *slot = 1 << (start_bit % limb_bits);
        }
        for _ in start_bit..35 * limb_count {
            double_mod(&mut x, &self.limbs);
        }
        let mut scratch = vec![0u32; limb_count];
        let mut squared = vec![0u32; limb_count];
        for _ in 0..2 {
            let x_reversed = reversed(&x);
            self.mont_sqr::<ScalarDot>(&x, &x_reversed, &mut scratch, &mut squared);
            core::mem::swap(&mut x, &mut squared);
        }
        reduce_once(&mut x, &self.limbs);
        x
    }

    /// `out = a·b·R⁻¹ mod n` (lazily: `out < 2n` for `a, b < 2n`). `b_reversed` is `b` in
    /// reversed limb order; `m` is scratch of L limbs.
    pub(crate) fn mont_mul<D: ColumnDot>(
        &self,
        a: &[u32],
        b_reversed: &[u32],
        m: &mut [u32],
        out: &mut [u32],
    ) {
        let l = self.limbs.len();
        if l == 0 {
            return;
        }
        let n_rev = &self.limbs_reversed;
        let n0 = limb(&self.limbs, 0);
        let mut carry: u64 = 0;
        // Columns 0..L: each one fixes m[i] so that the column's low 28 bits vanish.
        for i in 0..l {
            let ab = D::dot(window(a, 0, i + 1), window(b_reversed, l - 1 - i, l));
            let mn = D::dot(window(m, 0, i), window(n_rev, l - 1 - i, l - 1));
            let low = (ab & u64::from(LIMB_MASK)) + (mn & u64::from(LIMB_MASK)) + carry;
            let high = (ab >> LIMB_BITS) + (mn >> LIMB_BITS);
            let m_i = (low as u32).wrapping_mul(self.n0_inv_neg) & LIMB_MASK;
            if let Some(slot) = m.get_mut(i) {
                *slot = m_i;
            }
            carry = high + ((low + u64::from(m_i) * n0) >> LIMB_BITS);
        }
        // Columns L..2L−1 are the result, shifted down by L limbs (the division by R).
        for i in l..2 * l - 1 {
            let start = i + 1 - l;
            let ab = D::dot(window(a, start, l), window(b_reversed, 0, 2 * l - 1 - i));
            let mn = D::dot(window(m, start, l), window(n_rev, 0, 2 * l - 1 - i));
            let low = (ab & u64::from(LIMB_MASK)) + (mn & u64::from(LIMB_MASK)) + carry;
            let high = (ab >> LIMB_BITS) + (mn >> LIMB_BITS);
            if let Some(slot) = out.get_mut(i - l) {
                *slot = (low as u32) & LIMB_MASK;
            }
            carry = high + (low >> LIMB_BITS);
        }
        // The result is < 2n < 2^(28L), so the last carry is the top limb (< 2^28).
        if let Some(slot) = out.get_mut(l - 1) {
            *slot = carry as u32;
        }
    }

    /// `out = a²·R⁻¹ mod n` (lazily, as [`Self::mont_mul`]); each off-diagonal product is
    /// computed once and doubled.
    pub(crate) fn mont_sqr<D: ColumnDot>(
        &self,
        a: &[u32],
        a_reversed: &[u32],
        m: &mut [u32],
        out: &mut [u32],
    ) {
        let l = self.limbs.len();
        if l == 0 {
            return;
        }
        let n_rev = &self.limbs_reversed;
        let n0 = limb(&self.limbs, 0);
        let mut carry: u64 = 0;
        for i in 0..l {
            // a[j]·a[i−j] for j < i−j, i.e. j < (i+1)/2; a[i−j] sits at a_reversed[L−1−i+j].
            let half = i.div_ceil(2);
            let off_diagonal = D::dot(
                window(a, 0, half),
                window(a_reversed, l - 1 - i, l - 1 - i + half),
            );
            let diagonal = if i % 2 == 0 {
                limb(a, i / 2) * limb(a, i / 2)
            } else {
                0
            };
            let ab = 2 * off_diagonal + diagonal;
            let mn = D::dot(window(m, 0, i), window(n_rev, l - 1 - i, l - 1));
            let low = (ab & u64::from(LIMB_MASK)) + (mn & u64::from(LIMB_MASK)) + carry;
            let high = (ab >> LIMB_BITS) + (mn >> LIMB_BITS);
            let m_i = (low as u32).wrapping_mul(self.n0_inv_neg) & LIMB_MASK;
            if let Some(slot) = m.get_mut(i) {
                *slot = m_i;
            }
            carry = high + ((low + u64::from(m_i) * n0) >> LIMB_BITS);
        }
        for i in l..2 * l - 1 {
            let start = i + 1 - l;
            let half = i.div_ceil(2);
            let off_diagonal = if start < half {
                D::dot(window(a, start, half), window(a_reversed, 0, half - start))
            } else {
                0
            };
            let diagonal = if i % 2 == 0 {
                limb(a, i / 2) * limb(a, i / 2)
            } else {
                0
            };
            let ab = 2 * off_diagonal + diagonal;
            let mn = D::dot(window(m, start, l), window(n_rev, 0, 2 * l - 1 - i));
            let low = (ab & u64::from(LIMB_MASK)) + (mn & u64::from(LIMB_MASK)) + carry;
            let high = (ab >> LIMB_BITS) + (mn >> LIMB_BITS);
            if let Some(slot) = out.get_mut(i - l) {
                *slot = (low as u32) & LIMB_MASK;
            }
            carry = high + (low >> LIMB_BITS);
        }
        if let Some(slot) = out.get_mut(l - 1) {
            *slot = carry as u32;
        }
    }

    /// 1 as an operand in reversed limb order (multiplying by it leaves Montgomery form).
    fn one_reversed(&self) -> Vec<u32> {
        let mut one = vec![0u32; self.limbs.len()];
        if let Some(top) = one.last_mut() {
            *top = 1;
        }
        one
    }

    /// R mod n (1 in Montgomery form) = R²·1·R⁻¹, reduced.
    fn r_mod_n<D: ColumnDot>(&self) -> Vec<u32> {
        let l = self.limbs.len();
        let r_squared = reversed(&self.r_squared_reversed);
        let mut scratch = vec![0u32; l];
        let mut r = vec![0u32; l];
        self.mont_mul::<D>(&r_squared, &self.one_reversed(), &mut scratch, &mut r);
        reduce_once(&mut r, &self.limbs);
        r
    }

    /// R^e mod n in reversed limb order: the factor [`Self::pow_public`] ends with for `exponent`.
    /// Computed once per key.
    pub(crate) fn correction_reversed<D: ColumnDot>(&self, exponent: u32) -> Vec<u32> {
        reversed(&self.pow::<D>(&self.r_mod_n::<D>(), exponent))
    }

    /// Left-to-right square-and-multiply over the exponent's bits below its top one, starting
    /// from `acc` (the base's own bit): every step is a Montgomery squaring, and a Montgomery
    /// multiplication by the base where the bit is set. What `acc` and the base stand for
    /// (Montgomery form or plain) is the caller's; the result stays in that form.
    fn square_and_multiply<D: ColumnDot>(&self, mut acc: Vec<u32>, base_reversed: &[u32], exponent: u32, scratch: &mut [u32]) -> Vec<u32> {
        let l = self.limbs.len();
        let mut acc_reversed = vec![0u32; l];
        let mut next = vec![0u32; l];
        let bit_length = u32::BITS - exponent.leading_zeros();
        for bit in (0..bit_length.saturating_sub(1)).rev() {
            for (slot, &value) in acc_reversed.iter_mut().zip(acc.iter().rev()) {
                *slot = value;
            }
            self.mont_sqr::<D>(&acc, &acc_reversed, scratch, &mut next);
            core::mem::swap(&mut acc, &mut next);
            if (exponent >> bit) & 1 == 1 {
                self.mont_mul::<D>(&acc, base_reversed, scratch, &mut next);
                core::mem::swap(&mut acc, &mut next);
            }
        }
        acc
    }

    /// `base^exponent mod n` for `base < n` and `exponent ≥ 1`, given
    /// `correction_reversed(exponent)`: [`Self::pow`] without entering and leaving Montgomery form.
    /// Square-and-multiply on the plain base keeps `acc = base^a · R^−(a−1)` (a squaring doubles
    /// a, a multiplication by the base adds one), so it ends at `base^e · R^−(e−1)`, and one
    /// multiplication by R^e gives `base^e`: 16 squarings and 2 multiplications for e = 65537
    /// instead of 16 and 3.
    pub(crate) fn pow_public<D: ColumnDot>(&self, base: &[u32], exponent: u32, correction_reversed: &[u32]) -> Vec<u32> {
        let mut scratch = vec![0u32; self.limbs.len()];
        let acc = self.square_and_multiply::<D>(base.to_vec(), &reversed(base), exponent, &mut scratch);
        let mut result = vec![0u32; self.limbs.len()];
        self.mont_mul::<D>(&acc, correction_reversed, &mut scratch, &mut result);
        reduce_once(&mut result, &self.limbs);
        result
    }

    /// `base^exponent mod n` for `base < n`, left-to-right square-and-multiply on the public
    /// exponent (variable time is fine: everything here is public), in Montgomery form.
    fn pow<D: ColumnDot>(&self, base: &[u32], exponent: u32) -> Vec<u32> {
        let l = self.limbs.len();
        let mut scratch = vec![0u32; l];
        let mut base_mont = vec![0u32; l];
        self.mont_mul::<D>(base, &self.r_squared_reversed, &mut scratch, &mut base_mont);
        // 1 in Montgomery form is R mod n; not reachable under the key policy (e ≥ 3).
        let start = if exponent == 0 { self.r_mod_n::<D>() } else { base_mont.clone() };
        let acc = self.square_and_multiply::<D>(start, &reversed(&base_mont), exponent, &mut scratch);
        // Leaving Montgomery form (multiplying by 1) gives a value ≤ n; reduce to < n.
        let mut result = vec![0u32; l];
        self.mont_mul::<D>(&acc, &self.one_reversed(), &mut scratch, &mut result);
        reduce_once(&mut result, &self.limbs);
        result
    }
}
