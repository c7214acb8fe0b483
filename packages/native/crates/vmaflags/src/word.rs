//! The hardware word (`unsigned long`): 32 or 64 bits wide depending on the
//! configuration. Every helper is generic over it so a 32-bit kernel's
//! `vm_flags_t` behaves exactly like the real one (wrap-free, 32-bit masks).

use core::fmt::Debug;
use core::ops::{BitAnd, BitOr, BitXor, Not};

pub trait Word:
    Copy
    + Eq
    + Default
    + Debug
    + BitOr<Output = Self>
    + BitAnd<Output = Self>
    + BitXor<Output = Self>
    + Not<Output = Self>
    + Send
    + Sync
    + 'static
{
    /// `BITS_PER_LONG`.
    const BITS: u32;
    const ZERO: Self;
    /// Largest value as u64 (`2^BITS - 1`).
    const MAX_U64: u64;

    /// The single-bit mask `1 << n`; `n` must be below `BITS`.
    fn bit(n: u32) -> Self;
    fn count_ones(self) -> u32;
    fn to_u64(self) -> u64;
    /// `None` if `v` does not fit the word.
    fn from_u64(v: u64) -> Option<Self>;
    /// Keeps the low `BITS` bits; for values already known to fit.
    fn truncate(v: u64) -> Self;
}

impl Word for u32 {
    const BITS: u32 = 32;
    const ZERO: Self = 0;
    const MAX_U64: u64 = u32::MAX as u64;

    #[inline(always)]
    fn bit(n: u32) -> Self {
        1u32.wrapping_shl(n)
    }
    #[inline(always)]
    fn count_ones(self) -> u32 {
        u32::count_ones(self)
    }
    #[inline(always)]
    fn to_u64(self) -> u64 {
        u64::from(self)
    }
    #[inline(always)]
    fn from_u64(v: u64) -> Option<Self> {
        u32::try_from(v).ok()
    }
    #[inline(always)]
    fn truncate(v: u64) -> Self {
        v as u32
    }
}

impl Word for u64 {
    const BITS: u32 = 64;
    const ZERO: Self = 0;
    const MAX_U64: u64 = u64::MAX;

    #[inline(always)]
    fn bit(n: u32) -> Self {
        1u64.wrapping_shl(n)
    }
    #[inline(always)]
    fn count_ones(self) -> u32 {
        u64::count_ones(self)
    }
    #[inline(always)]
    fn to_u64(self) -> u64 {
        self
    }
    #[inline(always)]
    fn from_u64(v: u64) -> Option<Self> {
        Some(v)
    }
    #[inline(always)]
    fn truncate(v: u64) -> Self {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(<u32 as Word>::BITS, 32);
        assert_eq!(<u64 as Word>::BITS, 64);
        assert_eq!(<u32 as Word>::from_u64(1 << 32), None);
        assert_eq!(<u32 as Word>::from_u64(u32::MAX as u64), Some(u32::MAX));
        assert_eq!(<u64 as Word>::from_u64(u64::MAX), Some(u64::MAX));
        assert_eq!(<u32 as Word>::bit(31), 0x8000_0000);
        assert_eq!(<u64 as Word>::bit(63), 1 << 63);
        assert_eq!(<u32 as Word>::truncate(0x1_0000_0002), 2);
    }
}
