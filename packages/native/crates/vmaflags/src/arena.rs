//! Batch operations over a flat arena of bitmaps: entry `i` is words
//! `[i * stride, (i + 1) * stride)`, where `stride` is the number of hardware
//! words per `vma_flags_t`. The TypeScript core lays its `VmaFlagsArena` out
//! the same way (little-endian 32-bit lanes), so the addon can run these
//! directly on its buffer.
//!
//! Every operation checks its whole range or index list before writing
//! anything, so a bad request leaves the arena untouched.

use crate::bitmap;
use crate::virt::update_word;
use crate::word::Word;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArenaError {
    /// Entry `index` (or the end of a range) is past the last entry.
    Index { index: u64, capacity: usize },
    /// Entry list element `position` names entry `index`, past the last one.
    ListIndex {
        position: usize,
        index: u32,
        capacity: usize,
    },
    /// A mask with a different number of words than an entry.
    MaskWidth { got: usize, want: usize },
    /// The result bitmap holds fewer than `want` 32-bit lanes.
    OutTooShort { got: usize, want: usize },
}

/// Entry `i` of an arena of `capacity` entries, checked.
pub(crate) fn check_index(i: u64, capacity: usize) -> Result<usize, ArenaError> {
    match usize::try_from(i) {
        Ok(i) if i < capacity => Ok(i),
        _ => Err(ArenaError::Index { index: i, capacity }),
    }
}

/// Entries `[start, start + count)` of an arena of `capacity` entries, checked.
pub(crate) fn entries(
    start: u64,
    count: u64,
    capacity: usize,
) -> Result<core::ops::Range<usize>, ArenaError> {
    let end = start.saturating_add(count);
    if end > capacity as u64 {
        let index = if start >= capacity as u64 { start } else { end };
        return Err(ArenaError::Index { index, capacity });
    }
    // Both fit in usize: they are bounded by capacity.
    Ok(start as usize..end as usize)
}

/// Every listed entry is below `capacity`; else the first one that is not.
pub(crate) fn check_list(indices: &[u32], capacity: usize) -> Result<(), ArenaError> {
    // Max first: one branch-free pass in the common (valid) case.
    let max = indices.iter().copied().max().unwrap_or(0);
    if indices.is_empty() || (max as usize) < capacity {
        return Ok(());
    }
    let (position, index) = indices
        .iter()
        .copied()
        .enumerate()
        .find(|(_, i)| *i as usize >= capacity)
        .unwrap_or((0, max));
    Err(ArenaError::ListIndex {
        position,
        index,
        capacity,
    })
}

pub struct ArenaMut<'a, W: Word> {
    words: &'a mut [W],
    stride: usize,
}

impl<'a, W: Word> ArenaMut<'a, W> {
    /// `words.len()` must be a multiple of `stride`; any tail is ignored.
    pub fn new(words: &'a mut [W], stride: usize) -> ArenaMut<'a, W> {
        let stride = stride.max(1);
        let usable = words.len() - words.len() % stride;
        ArenaMut {
            words: &mut words[..usable],
            stride,
        }
    }

    pub fn capacity(&self) -> usize {
        self.words.len() / self.stride
    }

    pub fn stride(&self) -> usize {
        self.stride
    }

    fn check_index(&self, i: u64) -> Result<usize, ArenaError> {
        check_index(i, self.capacity())
    }

    /// Word range covering entries `[start, start + count)`.
    fn span(&self, start: u64, count: u64) -> Result<core::ops::Range<usize>, ArenaError> {
        let e = entries(start, count, self.capacity())?;
        Ok(e.start * self.stride..e.end * self.stride)
    }

    fn check_mask(&self, mask: &[W]) -> Result<(), ArenaError> {
        if mask.len() != self.stride {
            return Err(ArenaError::MaskWidth {
                got: mask.len(),
                want: self.stride,
            });
        }
        Ok(())
    }

    fn check_list(&self, indices: &[u32]) -> Result<(), ArenaError> {
        check_list(indices, self.capacity())
    }

    pub fn entry(&self, i: u64) -> Result<&[W], ArenaError> {
        let i = self.check_index(i)?;
        Ok(&self.words[i * self.stride..(i + 1) * self.stride])
    }

    pub fn entry_mut(&mut self, i: u64) -> Result<&mut [W], ArenaError> {
        let i = self.check_index(i)?;
        Ok(&mut self.words[i * self.stride..(i + 1) * self.stride])
    }

    /// `update_flags(set, unset)` on word 0 of one entry.
    pub fn update_flags(&mut self, i: u64, set: W, unset: W) -> Result<(), ArenaError> {
        let e = self.entry_mut(i)?;
        e[0] = update_word(e[0], set, unset);
        Ok(())
    }

    /// `update_flags(set, unset)` on word 0 of every entry in the range.
    pub fn update_flags_range(
        &mut self,
        start: u64,
        count: u64,
        set: W,
        unset: W,
    ) -> Result<(), ArenaError> {
        let span = self.span(start, count)?;
        let words = &mut self.words[span];
        if self.stride == 1 {
            // Contiguous words: the compiler vectorises this loop.
            for w in words.iter_mut() {
                *w = update_word(*w, set, unset);
            }
        } else {
            for w in words.iter_mut().step_by(self.stride) {
                *w = update_word(*w, set, unset);
            }
        }
        Ok(())
    }

    /// `update_flags(set, unset)` on word 0 of each listed entry (duplicates
    /// are harmless: the update is idempotent).
    pub fn update_flags_list(
        &mut self,
        indices: &[u32],
        set: W,
        unset: W,
    ) -> Result<(), ArenaError> {
        self.check_list(indices)?;
        let stride = self.stride;
        for &i in indices {
            if let Some(w) = self.words.get_mut(i as usize * stride) {
                *w = update_word(*w, set, unset);
            }
        }
        Ok(())
    }

    /// Word 0 := `value` for every entry in the range.
    pub fn overwrite_word_range(
        &mut self,
        start: u64,
        count: u64,
        value: W,
    ) -> Result<(), ArenaError> {
        let span = self.span(start, count)?;
        let words = &mut self.words[span];
        if self.stride == 1 {
            words.fill(value);
        } else {
            for w in words.iter_mut().step_by(self.stride) {
                *w = value;
            }
        }
        Ok(())
    }

    /// ORs `mask` into every entry of the range; returns how many changed.
    pub fn set_mask_range(
        &mut self,
        start: u64,
        count: u64,
        mask: &[W],
    ) -> Result<u32, ArenaError> {
        self.map_range(start, count, mask, |w, m| w | m)
    }

    /// Clears `mask` in every entry of the range; returns how many changed.
    pub fn clear_mask_range(
        &mut self,
        start: u64,
        count: u64,
        mask: &[W],
    ) -> Result<u32, ArenaError> {
        self.map_range(start, count, mask, |w, m| w & !m)
    }

    /// Rewrites every word of the range as `op(word, mask word)`; returns how
    /// many entries changed. `op` is inlined, so each caller keeps its own
    /// tight loop.
    #[inline(always)]
    fn map_range(
        &mut self,
        start: u64,
        count: u64,
        mask: &[W],
        op: impl Fn(W, W) -> W,
    ) -> Result<u32, ArenaError> {
        self.check_mask(mask)?;
        let span = self.span(start, count)?;
        let mut changed = 0u32;
        if let [m] = *mask {
            // One word per entry: a flat loop the compiler vectorises.
            for w in self.words[span].iter_mut() {
                let next = op(*w, m);
                changed += u32::from(next != *w);
                *w = next;
            }
            return Ok(changed);
        }
        for e in self.words[span].chunks_exact_mut(self.stride) {
            let mut diff = W::ZERO;
            for (w, m) in e.iter_mut().zip(mask) {
                let next = op(*w, *m);
                diff = diff | (next ^ *w);
                *w = next;
            }
            changed += u32::from(diff != W::ZERO);
        }
        Ok(changed)
    }

    /// Counts entries of the range that share a bit with `mask`; if `out` is
    /// given, bit `j` of it (32-bit lanes) records whether entry `start + j`
    /// matched. Lanes `[0, ceil(count / 32))` of `out` are overwritten.
    pub fn test_any_mask_range(
        &self,
        start: u64,
        count: u64,
        mask: &[W],
        out: Option<&mut [u32]>,
    ) -> Result<u32, ArenaError> {
        self.test_range::<false>(start, count, mask, out)
    }

    /// As [`Self::test_any_mask_range`], for entries holding every bit of `mask`.
    pub fn test_all_mask_range(
        &self,
        start: u64,
        count: u64,
        mask: &[W],
        out: Option<&mut [u32]>,
    ) -> Result<u32, ArenaError> {
        self.test_range::<true>(start, count, mask, out)
    }

    fn test_range<const ALL: bool>(
        &self,
        start: u64,
        count: u64,
        mask: &[W],
        out: Option<&mut [u32]>,
    ) -> Result<u32, ArenaError> {
        self.check_mask(mask)?;
        let span = self.span(start, count)?;
        let want = (count as usize).div_ceil(32);
        if let Some(o) = &out {
            if o.len() < want {
                return Err(ArenaError::OutTooShort { got: o.len(), want });
            }
        }
        let words = &self.words[span];
        let hit = |e: &[W]| {
            if ALL {
                bitmap::test_all_mask(e, mask)
            } else {
                bitmap::test_any_mask(e, mask)
            }
        };
        if let [m] = *mask {
            // One word per entry: flat loops the compiler vectorises.
            let one = |w: W| {
                if ALL {
                    w & m == m
                } else {
                    w & m != W::ZERO
                }
            };
            return Ok(match out {
                None => words.iter().map(|w| u32::from(one(*w))).sum(),
                Some(out) => {
                    let mut hits = 0u32;
                    for (chunk, o) in words.chunks(32).zip(out.iter_mut()) {
                        let mut lane = 0u32;
                        for (j, w) in chunk.iter().enumerate() {
                            lane |= u32::from(one(*w)) << j;
                        }
                        hits += lane.count_ones();
                        *o = lane;
                    }
                    hits
                }
            });
        }
        let entries = words.chunks_exact(self.stride);
        Ok(match out {
            None => entries.map(|e| u32::from(hit(e))).sum(),
            Some(out) => {
                let mut hits = 0u32;
                let mut lanes = out.iter_mut();
                let mut lane = 0u32;
                for (j, e) in entries.enumerate() {
                    lane |= u32::from(hit(e)) << (j % 32);
                    if j % 32 == 31 {
                        if let Some(o) = lanes.next() {
                            hits += lane.count_ones();
                            *o = lane;
                        }
                        lane = 0;
                    }
                }
                if !count.is_multiple_of(32) {
                    if let Some(o) = lanes.next() {
                        hits += lane.count_ones();
                        *o = lane;
                    }
                }
                hits
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_flags_range_touches_word0_of_each_entry() {
        let mut words = [0b0011u64, 9, 0b0001, 9, 0b1000, 9];
        let mut a = ArenaMut::new(&mut words, 2);
        assert_eq!(a.capacity(), 3);
        a.update_flags_range(1, 2, 0b0100, 0b0001).unwrap();
        assert_eq!(words, [0b0011, 9, 0b0100, 9, 0b1100, 9]);
    }

    #[test]
    fn stride_one_is_contiguous() {
        let mut words = [1u64, 2, 3, 4];
        let mut a = ArenaMut::new(&mut words, 1);
        a.update_flags_range(0, 4, 8, 1).unwrap();
        a.overwrite_word_range(3, 1, 77).unwrap();
        assert_eq!(words, [8, 10, 10, 77]);
    }

    #[test]
    fn ranges_are_checked_before_writing() {
        let mut words = [0u32; 4];
        let mut a = ArenaMut::new(&mut words, 1);
        assert_eq!(
            a.update_flags_range(2, 3, 1, 0),
            Err(ArenaError::Index {
                index: 5,
                capacity: 4
            })
        );
        assert_eq!(
            a.overwrite_word_range(9, 0, 1),
            Err(ArenaError::Index {
                index: 9,
                capacity: 4
            })
        );
        assert_eq!(
            a.update_flags_range(u64::MAX, 2, 1, 0),
            Err(ArenaError::Index {
                index: u64::MAX,
                capacity: 4
            })
        );
        assert!(
            a.update_flags_range(4, 0, 1, 0).is_ok(),
            "empty range at the end"
        );
        assert_eq!(words, [0; 4]);
    }

    #[test]
    fn list_is_checked_before_writing() {
        let mut words = [0u64; 3];
        let mut a = ArenaMut::new(&mut words, 1);
        assert_eq!(
            a.update_flags_list(&[0, 1, 3, 2], 1, 0),
            Err(ArenaError::ListIndex {
                position: 2,
                index: 3,
                capacity: 3
            })
        );
        assert_eq!(words, [0; 3]);
        let mut a = ArenaMut::new(&mut words, 1);
        a.update_flags_list(&[2, 0, 2], 5, 4).unwrap();
        a.update_flags_list(&[], 5, 4).unwrap();
        assert_eq!(words, [1, 0, 1]);
    }

    #[test]
    fn mask_ops_count_changes_and_matches() {
        let mut words = [0b01u64, 0, 0b10, 1, 0b11, 0];
        let mut a = ArenaMut::new(&mut words, 2);
        assert_eq!(a.set_mask_range(0, 3, &[0b01, 0]).unwrap(), 1);
        assert_eq!(a.test_all_mask_range(0, 3, &[0b11, 0], None).unwrap(), 2);
        let mut out = [u32::MAX; 2];
        assert_eq!(
            a.test_any_mask_range(0, 3, &[0, 1], Some(&mut out))
                .unwrap(),
            1
        );
        assert_eq!(out, [0b010, u32::MAX]);
        assert_eq!(a.clear_mask_range(0, 3, &[0b10, 1]).unwrap(), 2);
        assert_eq!(words, [0b01, 0, 0b01, 0, 0b01, 0]);
    }

    #[test]
    fn result_bitmap_spans_lanes() {
        let mut words = [1u32; 40];
        words[33] = 0;
        let a = ArenaMut::new(&mut words, 1);
        let mut out = [0u32; 2];
        assert_eq!(
            a.test_any_mask_range(0, 40, &[1], Some(&mut out)).unwrap(),
            39
        );
        assert_eq!(out, [u32::MAX, 0xff & !0b10]);
        let mut short = [0u32; 1];
        assert_eq!(
            a.test_any_mask_range(0, 40, &[1], Some(&mut short)),
            Err(ArenaError::OutTooShort { got: 1, want: 2 })
        );
    }

    #[test]
    fn one_word_and_wide_entries_agree() {
        // The same entries laid out with one word each and with two words
        // (second word zero) must give the same answers.
        let narrow: Vec<u64> = (0..100u64).map(|i| (i * 0x9e37_79b9) & 0xff).collect();
        let mut wide: Vec<u64> = narrow.iter().flat_map(|w| [*w, 0]).collect();
        let mut narrow_buf = narrow.clone();
        let n = ArenaMut::new(&mut narrow_buf, 1);
        let w = ArenaMut::new(&mut wide, 2);
        for (start, count) in [(0u64, 100u64), (3, 64), (31, 33), (99, 1), (50, 0)] {
            for m in [0u64, 1, 0x11, 0xf0] {
                let mut on = [0u32; 4];
                let mut ow = [0u32; 4];
                let a = n
                    .test_any_mask_range(start, count, &[m], Some(&mut on))
                    .unwrap();
                let b = w
                    .test_any_mask_range(start, count, &[m, 0], Some(&mut ow))
                    .unwrap();
                assert_eq!((a, on), (b, ow), "any {start} {count} {m:#x}");
                let a = n.test_all_mask_range(start, count, &[m], None).unwrap();
                let b = w.test_all_mask_range(start, count, &[m, 0], None).unwrap();
                assert_eq!(a, b, "all {start} {count} {m:#x}");
            }
        }
        let mut n = ArenaMut::new(&mut narrow_buf, 1);
        let mut w = ArenaMut::new(&mut wide, 2);
        assert_eq!(
            n.set_mask_range(0, 100, &[0x3]).unwrap(),
            w.set_mask_range(0, 100, &[0x3, 0]).unwrap()
        );
        assert_eq!(
            n.clear_mask_range(10, 50, &[0x1]).unwrap(),
            w.clear_mask_range(10, 50, &[0x1, 0]).unwrap()
        );
        let flat: Vec<u64> = wide.iter().step_by(2).copied().collect();
        assert_eq!(flat, narrow_buf);
    }

    #[test]
    fn mask_width_must_match_stride() {
        let mut words = [0u64; 4];
        let mut a = ArenaMut::new(&mut words, 2);
        assert_eq!(
            a.set_mask_range(0, 1, &[1]),
            Err(ArenaError::MaskWidth { got: 1, want: 2 })
        );
    }

    #[test]
    fn entries_by_index() {
        let mut words = [0u64; 4];
        let mut a = ArenaMut::new(&mut words, 2);
        a.update_flags(1, 3, 1).unwrap();
        assert_eq!(a.entry(1).unwrap(), &[2, 0]);
        assert!(a.entry(2).is_err());
        a.entry_mut(0).unwrap()[1] = 4;
        assert_eq!(words, [0, 4, 2, 0]);
    }
}
