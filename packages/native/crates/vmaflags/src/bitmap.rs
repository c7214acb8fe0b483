//! `vma_flags_t` helpers over a borrowed slice of hardware words, word 0
//! first. Callers guarantee every slice holds at least one word and that bit
//! numbers are below the bitmap width; the helpers still never index out of
//! bounds (an out-of-range bit reads as clear and writes nothing), so a
//! validation slip cannot turn into a panic.

use crate::word::Word;

/// Splits a bit number into (word index, bit within word).
#[inline(always)]
fn locate<W: Word>(bit: u32) -> (usize, u32) {
    ((bit / W::BITS) as usize, bit % W::BITS)
}

#[inline(always)]
pub fn clear_all<W: Word>(f: &mut [W]) {
    f.fill(W::ZERO);
}

/// Word 0 only; higher words are the caller's business, as in the kernel.
#[inline(always)]
pub fn overwrite_word<W: Word>(f: &mut [W], value: W) {
    if let Some(w) = f.first_mut() {
        *w = value;
    }
}

#[inline(always)]
pub fn set_word<W: Word>(f: &mut [W], value: W) {
    if let Some(w) = f.first_mut() {
        *w = *w | value;
    }
}

#[inline(always)]
pub fn clear_word<W: Word>(f: &mut [W], value: W) {
    if let Some(w) = f.first_mut() {
        *w = *w & !value;
    }
}

#[inline(always)]
pub fn word0<W: Word>(f: &[W]) -> W {
    f.first().copied().unwrap_or(W::ZERO)
}

#[inline(always)]
pub fn test<W: Word>(f: &[W], bit: u32) -> bool {
    let (i, b) = locate::<W>(bit);
    f.get(i).is_some_and(|w| *w & W::bit(b) != W::ZERO)
}

#[inline(always)]
pub fn set_flag<W: Word>(f: &mut [W], bit: u32) {
    let (i, b) = locate::<W>(bit);
    if let Some(w) = f.get_mut(i) {
        *w = *w | W::bit(b);
    }
}

#[inline(always)]
pub fn clear_flag<W: Word>(f: &mut [W], bit: u32) {
    let (i, b) = locate::<W>(bit);
    if let Some(w) = f.get_mut(i) {
        *w = *w & !W::bit(b);
    }
}

/// Bitmap intersection is non-empty; an empty mask matches nothing.
#[inline]
pub fn test_any_mask<W: Word>(f: &[W], mask: &[W]) -> bool {
    f.iter().zip(mask).any(|(a, m)| *a & *m != W::ZERO)
}

/// Mask is a subset of the flags; an empty mask always matches.
#[inline]
pub fn test_all_mask<W: Word>(f: &[W], mask: &[W]) -> bool {
    f.iter().zip(mask).all(|(a, m)| *a & *m == *m)
}

#[inline]
pub fn count<W: Word>(f: &[W]) -> u32 {
    f.iter().map(|w| w.count_ones()).sum()
}

#[inline]
pub fn empty<W: Word>(f: &[W]) -> bool {
    f.iter().all(|w| *w == W::ZERO)
}

#[inline]
pub fn same_pair<W: Word>(a: &[W], b: &[W]) -> bool {
    a == b
}

#[inline]
pub fn set_mask<W: Word>(f: &mut [W], mask: &[W]) {
    for (a, m) in f.iter_mut().zip(mask) {
        *a = *a | *m;
    }
}

#[inline]
pub fn clear_mask<W: Word>(f: &mut [W], mask: &[W]) {
    for (a, m) in f.iter_mut().zip(mask) {
        *a = *a & !*m;
    }
}

/// `out = a ^ b`.
#[inline]
pub fn diff_pair<W: Word>(out: &mut [W], a: &[W], b: &[W]) {
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        *o = *x ^ *y;
    }
}

/// `out = a & b`.
#[inline]
pub fn and_mask<W: Word>(out: &mut [W], a: &[W], b: &[W]) {
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        *o = *x & *y;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_helpers_touch_word0_only() {
        let mut f = [0u64, 7];
        set_word(&mut f, 0b1010);
        assert_eq!(f, [0b1010, 7]);
        clear_word(&mut f, 0b10);
        assert_eq!(f, [0b1000, 7]);
        overwrite_word(&mut f, 1);
        assert_eq!(f, [1, 7]);
        assert_eq!(word0(&f), 1);
        clear_all(&mut f);
        assert_eq!(f, [0, 0]);
    }

    #[test]
    fn bits_cross_words() {
        let mut f = [0u32; 3];
        set_flag(&mut f, 0);
        set_flag(&mut f, 33);
        set_flag(&mut f, 95);
        assert_eq!(f, [1, 2, 0x8000_0000]);
        assert!(test(&f, 33) && test(&f, 95) && !test(&f, 34));
        assert_eq!(count(&f), 3);
        clear_flag(&mut f, 33);
        assert_eq!(f, [1, 0, 0x8000_0000]);
    }

    #[test]
    fn out_of_range_bits_are_inert() {
        let mut f = [0u64; 1];
        set_flag(&mut f, 64);
        clear_flag(&mut f, 1000);
        assert_eq!(f, [0]);
        assert!(!test(&f, 64));
        let mut none: [u64; 0] = [];
        overwrite_word(&mut none, 1);
        assert_eq!(word0(&none), 0);
    }

    #[test]
    fn mask_queries_follow_kernel_edge_cases() {
        let f = [0b0110u64, 1];
        let empty_mask = [0u64, 0];
        assert!(!test_any_mask(&f, &empty_mask));
        assert!(test_all_mask(&f, &empty_mask));
        assert!(test_any_mask(&f, &[0, 1]));
        assert!(test_all_mask(&f, &[0b0100, 1]));
        assert!(!test_all_mask(&f, &[0b1100, 1]));
        assert!(empty(&empty_mask) && !empty(&f));
    }

    #[test]
    fn set_clear_and_combine() {
        let mut f = [0b0001u64, 0];
        set_mask(&mut f, &[0b0110, 2]);
        assert_eq!(f, [0b0111, 2]);
        clear_mask(&mut f, &[0b0011, 0]);
        assert_eq!(f, [0b0100, 2]);
        let mut out = [0u64; 2];
        diff_pair(&mut out, &f, &[0b0101, 2]);
        assert_eq!(out, [0b0001, 0]);
        and_mask(&mut out, &f, &[0b1100, 3]);
        assert_eq!(out, [0b0100, 2]);
        assert!(same_pair(&f, &[0b0100, 2]));
    }
}
