//! An owned `vma_flags_t` of any configured shape. The storage width follows
//! `BITS_PER_LONG` so word-level helpers behave like the configured kernel's.

use crate::bitmap;
use crate::config::Shape;
use crate::word::Word;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VmaFlags {
    W32(Box<[u32]>),
    W64(Box<[u64]>),
}

/// A word given to `from_words` does not fit, or there are too many words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordsError {
    TooMany { got: usize, max: usize },
    TooWide { index: usize },
}

/// Runs `$body` with `$w` bound to the word slice, whatever the width.
macro_rules! with_words {
    ($flags:expr, $w:ident => $body:expr) => {
        match $flags {
            VmaFlags::W32($w) => $body,
            VmaFlags::W64($w) => $body,
        }
    };
}

/// Runs `$body` on two bitmaps of the same width; `$otherwise` if they differ.
macro_rules! with_pair {
    ($a:expr, $b:expr, $x:ident, $y:ident => $body:expr, $otherwise:expr) => {
        match ($a, $b) {
            (VmaFlags::W32($x), VmaFlags::W32($y)) => $body,
            (VmaFlags::W64($x), VmaFlags::W64($y)) => $body,
            _ => $otherwise,
        }
    };
}

fn from_u64_words<W: Word>(n: usize, words: &[u64]) -> Result<Box<[W]>, WordsError> {
    if words.len() > n {
        return Err(WordsError::TooMany {
            got: words.len(),
            max: n,
        });
    }
    let mut out = vec![W::ZERO; n];
    for (i, (o, v)) in out.iter_mut().zip(words).enumerate() {
        *o = W::from_u64(*v).ok_or(WordsError::TooWide { index: i })?;
    }
    Ok(out.into_boxed_slice())
}

impl VmaFlags {
    /// `EMPTY_VMA_FLAGS` of the given shape.
    pub fn empty(shape: Shape) -> VmaFlags {
        let n = shape.num_words();
        if shape.bits_per_long() == 32 {
            VmaFlags::W32(vec![0; n].into_boxed_slice())
        } else {
            VmaFlags::W64(vec![0; n].into_boxed_slice())
        }
    }

    /// Words beyond the ones given are zero (`legacy_to_vma_flags` is the
    /// one-word case).
    pub fn from_words(shape: Shape, words: &[u64]) -> Result<VmaFlags, WordsError> {
        let n = shape.num_words();
        Ok(if shape.bits_per_long() == 32 {
            VmaFlags::W32(from_u64_words(n, words)?)
        } else {
            VmaFlags::W64(from_u64_words(n, words)?)
        })
    }

    pub fn shape(&self) -> Shape {
        let (bpl, n) = match self {
            VmaFlags::W32(w) => (32, w.len() as u32),
            VmaFlags::W64(w) => (64, w.len() as u32),
        };
        // Every constructor starts from a valid shape, so the storage describes one.
        Shape::from_storage(bpl, bpl * n)
    }

    pub fn to_words(&self) -> Vec<u64> {
        with_words!(self, w => w.iter().map(|x| x.to_u64()).collect())
    }

    /// Storage as little-endian 32-bit lanes (the shared arena layout).
    pub fn to_lanes(&self) -> Vec<u32> {
        match self {
            VmaFlags::W32(w) => w.to_vec(),
            VmaFlags::W64(w) => w
                .iter()
                .flat_map(|x| [*x as u32, (*x >> 32) as u32])
                .collect(),
        }
    }

    pub fn num_bits(&self) -> u32 {
        with_words!(self, w => w.len() as u32 * word_bits(w))
    }

    /// `vma_flags_to_legacy`: word 0.
    pub fn word0(&self) -> u64 {
        with_words!(self, w => bitmap::word0(w).to_u64())
    }

    pub fn clear_all(&mut self) {
        with_words!(self, w => bitmap::clear_all(w))
    }

    /// The word-0 helpers take a value already checked against the width; a
    /// wider value is cut to the word (callers validate first).
    pub fn overwrite_word(&mut self, v: u64) {
        with_words!(self, w => bitmap::overwrite_word(w, Word::truncate(v)))
    }

    pub fn set_word(&mut self, v: u64) {
        with_words!(self, w => bitmap::set_word(w, Word::truncate(v)))
    }

    pub fn clear_word(&mut self, v: u64) {
        with_words!(self, w => bitmap::clear_word(w, Word::truncate(v)))
    }

    pub fn test(&self, bit: u32) -> bool {
        with_words!(self, w => bitmap::test(w, bit))
    }

    pub fn set_flag(&mut self, bit: u32) {
        with_words!(self, w => bitmap::set_flag(w, bit))
    }

    pub fn clear_flag(&mut self, bit: u32) {
        with_words!(self, w => bitmap::clear_flag(w, bit))
    }

    pub fn count(&self) -> u32 {
        with_words!(self, w => bitmap::count(w))
    }

    pub fn is_empty(&self) -> bool {
        with_words!(self, w => bitmap::empty(w))
    }

    pub fn test_any_mask(&self, mask: &VmaFlags) -> bool {
        with_pair!(self, mask, a, m => bitmap::test_any_mask(a, m), false)
    }

    pub fn test_all_mask(&self, mask: &VmaFlags) -> bool {
        with_pair!(self, mask, a, m => bitmap::test_all_mask(a, m), false)
    }

    /// `vma_flags_test_single_mask`: the kernel warns when the mask has more
    /// than one bit and then answers as `test_any_mask`.
    pub fn test_single_mask(&self, mask: &VmaFlags) -> bool {
        self.test_any_mask(mask)
    }

    pub fn same_pair(&self, other: &VmaFlags) -> bool {
        self == other
    }

    pub fn set_mask(&mut self, mask: &VmaFlags) {
        with_pair!(self, mask, a, m => bitmap::set_mask(a, m), ())
    }

    pub fn clear_mask(&mut self, mask: &VmaFlags) {
        with_pair!(self, mask, a, m => bitmap::clear_mask(a, m), ())
    }

    /// New bitmap `self ^ other`.
    pub fn diff_pair(&self, other: &VmaFlags) -> VmaFlags {
        let mut out = self.clone();
        with_pair!(&mut out, other, o, b => {
            let a = o.to_vec();
            bitmap::diff_pair(o, &a, b)
        }, ());
        out
    }

    /// New bitmap `self & mask`.
    pub fn and_mask(&self, mask: &VmaFlags) -> VmaFlags {
        let mut out = self.clone();
        with_pair!(&mut out, mask, o, m => {
            let a = o.to_vec();
            bitmap::and_mask(o, &a, m)
        }, ());
        out
    }

    /// Width-agnostic read access for code that needs the raw words.
    pub fn as_u64(&self) -> Option<&[u64]> {
        match self {
            VmaFlags::W64(w) => Some(w),
            VmaFlags::W32(_) => None,
        }
    }

    pub fn as_u32(&self) -> Option<&[u32]> {
        match self {
            VmaFlags::W32(w) => Some(w),
            VmaFlags::W64(_) => None,
        }
    }
}

fn word_bits<W: Word>(_: &[W]) -> u32 {
    W::BITS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(bpl: u32, n: u32) -> Shape {
        Shape::new(bpl, n).unwrap()
    }

    #[test]
    fn round_trips_words_of_every_width() {
        for (bpl, n) in [(32, 32), (32, 96), (64, 64), (64, 128), (64, 192)] {
            let s = shape(bpl, n);
            let max = s.word_max();
            let words: Vec<u64> = (0..s.num_words()).map(|i| max - i as u64).collect();
            let f = VmaFlags::from_words(s, &words).unwrap();
            assert_eq!(f.to_words(), words);
            assert_eq!(f.shape(), s);
            assert_eq!(f.num_bits(), n);
            assert_eq!(f.to_lanes().len(), s.num_lanes());
        }
    }

    #[test]
    fn from_words_fills_and_rejects() {
        let s = shape(64, 128);
        let f = VmaFlags::from_words(s, &[5]).unwrap();
        assert_eq!(f.to_words(), vec![5, 0]);
        assert_eq!(
            VmaFlags::from_words(s, &[1, 2, 3]),
            Err(WordsError::TooMany { got: 3, max: 2 })
        );
        assert_eq!(
            VmaFlags::from_words(shape(32, 64), &[1, 1 << 32]),
            Err(WordsError::TooWide { index: 1 })
        );
    }

    #[test]
    fn lanes_are_little_endian_halves() {
        let f = VmaFlags::from_words(shape(64, 64), &[0x1234_5678_9abc_def0]).unwrap();
        assert_eq!(f.to_lanes(), vec![0x9abc_def0, 0x1234_5678]);
    }

    #[test]
    fn helpers_dispatch_on_width() {
        let s = shape(32, 64);
        let mut f = VmaFlags::empty(s);
        f.set_flag(40);
        f.set_word(0xffff_ffff);
        assert_eq!(f.to_words(), vec![0xffff_ffff, 1 << 8]);
        f.clear_word(0xf);
        assert_eq!(f.word0(), 0xffff_fff0);
        assert_eq!(f.count(), 29);
        let mask = VmaFlags::from_words(s, &[0x10, 0]).unwrap();
        assert!(f.test_any_mask(&mask) && f.test_single_mask(&mask));
        f.clear_mask(&mask);
        assert!(!f.test(4));
        let d = f.diff_pair(&VmaFlags::empty(s));
        assert_eq!(d, f);
        let a = f.and_mask(&VmaFlags::from_words(s, &[0, u32::MAX as u64]).unwrap());
        assert_eq!(a.to_words(), vec![0, 1 << 8]);
        f.clear_all();
        assert!(f.is_empty());
    }

    #[test]
    fn mixed_widths_never_match() {
        let a = VmaFlags::empty(shape(32, 64));
        let b = VmaFlags::empty(shape(64, 64));
        assert!(!a.test_all_mask(&b));
        assert!(!a.same_pair(&b));
    }
}
