//! wasm SIMD back-end for the Montgomery column dot product: four 28-bit limbs per load,
//! `u64x2_extmul_{low,high}_u32x4` for four exact 32×32→64 products, `i64x2_add` to
//! accumulate. Two lanes each take half the products, so no lane comes near 2^64 (see
//! montgomery.rs for the bound on the whole column).

use core::arch::wasm32::{
    i64x2_add, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4, u64x2_extract_lane, u64x2_splat,
    v128, v128_load,
};

use super::montgomery::{ColumnDot, ScalarDot};

pub(crate) struct SimdDot;

impl ColumnDot for SimdDot {
    #[inline(always)]
    fn dot(x: &[u32], y: &[u32]) -> u64 {
        let x_chunks = x.chunks_exact(4);
        let y_chunks = y.chunks_exact(4);
        let tail = ScalarDot::dot(x_chunks.remainder(), y_chunks.remainder());
        let mut sum = u64x2_splat(0);
        for (a, b) in x_chunks.zip(y_chunks) {
            // SAFETY: each chunk is exactly 4 u32 = 16 readable bytes, and `v128_load` emits
            // an alignment-1 load, so any u32 address is fine.
            let (va, vb) = unsafe {
                (
                    v128_load(a.as_ptr().cast::<v128>()),
                    v128_load(b.as_ptr().cast::<v128>()),
                )
            };
            sum = i64x2_add(sum, u64x2_extmul_low_u32x4(va, vb));
            sum = i64x2_add(sum, u64x2_extmul_high_u32x4(va, vb));
        }
        u64x2_extract_lane::<0>(sum)
            .wrapping_add(u64x2_extract_lane::<1>(sum))
            .wrapping_add(tail)
    }
}
