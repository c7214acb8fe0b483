//! The arena's batch operations over memory other threads may access at the
//! same time (a `SharedArrayBuffer` seen by several workers). Plain slices
//! over such memory would be a data race, which Rust leaves undefined
//! whatever the hardware does; here every lane is an `AtomicU32` read and
//! written with relaxed loads and stores. A 64-bit word is two lanes (low
//! first), so another thread may see one half of a word updated before the
//! other, exactly as with the core's two-lane writes. Read-modify-write
//! operations write back only the lanes they change, so threads that change
//! different lanes of one entry never undo each other; two threads changing
//! the same lane at once may lose one of the updates, as with the kernel's
//! non-atomic flag helpers. What cannot happen is undefined behaviour.
//!
//! Inputs that could themselves be shared (masks, index lists) are copied
//! in with relaxed loads before use ([`copy_lanes`]), so what is checked is
//! what is applied. Result bitmaps are written lane by lane. Mask operations
//! store only words they change: unchanged memory is left alone, which is
//! both cheaper (no vector stores here) and kinder to other writers.

use core::sync::atomic::{AtomicU32, Ordering::Relaxed};

use crate::arena::{self, ArenaError};
use crate::virt::update_word;

/// Entries of `lanes_per_entry` 32-bit lanes over shared memory.
pub struct SharedArena<'a> {
    lanes: &'a [AtomicU32],
    stride: usize,
    wide: bool,
}

/// Copies `src` into `dst` (replacing its contents) with relaxed loads.
pub fn copy_lanes(src: &[AtomicU32], dst: &mut Vec<u32>) {
    dst.clear();
    dst.extend(src.iter().map(|l| l.load(Relaxed)));
}

impl<'a> SharedArena<'a> {
    /// `wide`: 64-bit words (two lanes each) rather than 32-bit ones. Any
    /// tail shorter than an entry is ignored.
    pub fn new(lanes: &'a [AtomicU32], lanes_per_entry: usize, wide: bool) -> SharedArena<'a> {
        let stride = lanes_per_entry.max(if wide { 2 } else { 1 });
        let usable = lanes.len() - lanes.len() % stride;
        SharedArena {
            lanes: &lanes[..usable],
            stride,
            wide,
        }
    }

    pub fn capacity(&self) -> usize {
        self.lanes.len() / self.stride
    }

    /// First lane of entry `i`, checked.
    fn check_index(&self, i: u64) -> Result<usize, ArenaError> {
        Ok(arena::check_index(i, self.capacity())? * self.stride)
    }

    /// Entries `[start, start + count)`, checked.
    fn span(&self, start: u64, count: u64) -> Result<core::ops::Range<usize>, ArenaError> {
        arena::entries(start, count, self.capacity())
    }

    fn words_per_entry(&self) -> usize {
        if self.wide {
            self.stride / 2
        } else {
            self.stride
        }
    }

    fn check_mask(&self, mask: &[u64]) -> Result<(), ArenaError> {
        let want = self.words_per_entry();
        if mask.len() != want {
            return Err(ArenaError::MaskWidth {
                got: mask.len(),
                want,
            });
        }
        Ok(())
    }

    /// Word `k` of the entry whose first lane is `base`.
    #[inline(always)]
    fn load(&self, base: usize, k: usize) -> u64 {
        if self.wide {
            let lo = self.lanes[base + 2 * k].load(Relaxed);
            let hi = self.lanes[base + 2 * k + 1].load(Relaxed);
            u64::from(lo) | (u64::from(hi) << 32)
        } else {
            u64::from(self.lanes[base + k].load(Relaxed))
        }
    }

    #[inline(always)]
    fn store(&self, base: usize, k: usize, w: u64) {
        if self.wide {
            self.lanes[base + 2 * k].store(w as u32, Relaxed);
            self.lanes[base + 2 * k + 1].store((w >> 32) as u32, Relaxed);
        } else {
            self.lanes[base + k].store(w as u32, Relaxed);
        }
    }

    /// Word `k` := `w`, where `old` is what [`Self::load`] read: only lanes
    /// whose value changes are written, so an update that changes one half
    /// of a word never writes back a stale copy of the other half, which
    /// another thread may be changing at the same time.
    #[inline(always)]
    fn store_changed(&self, base: usize, k: usize, old: u64, w: u64) {
        if self.wide {
            if old as u32 != w as u32 {
                self.lanes[base + 2 * k].store(w as u32, Relaxed);
            }
            if (old >> 32) as u32 != (w >> 32) as u32 {
                self.lanes[base + 2 * k + 1].store((w >> 32) as u32, Relaxed);
            }
        } else if old != w {
            self.lanes[base + k].store(w as u32, Relaxed);
        }
    }

    /// Word `k` := `f(word k)`, writing only the lanes that change.
    #[inline(always)]
    fn modify(&self, base: usize, k: usize, f: impl FnOnce(u64) -> u64) {
        let old = self.load(base, k);
        self.store_changed(base, k, old, f(old));
    }

    /// Word 0 of entry `i` (`vma_flags_to_legacy`).
    pub fn word0(&self, i: u64) -> Result<u64, ArenaError> {
        let base = self.check_index(i)?;
        Ok(self.load(base, 0))
    }

    /// Word 0 of entry `i` := `f(word 0)`.
    pub fn map_word0(&self, i: u64, f: impl FnOnce(u64) -> u64) -> Result<(), ArenaError> {
        let base = self.check_index(i)?;
        self.modify(base, 0, f);
        Ok(())
    }

    /// Zeroes every lane of entry `i`.
    pub fn clear_all(&self, i: u64) -> Result<(), ArenaError> {
        let base = self.check_index(i)?;
        self.lanes[base..base + self.stride]
            .iter()
            .for_each(|l| l.store(0, Relaxed));
        Ok(())
    }

    /// The lane holding `bit` of entry `i`, and the bit's mask in it (lanes
    /// are little-endian, so bit `b` is in lane `b / 32` at any width).
    fn bit_lane(&self, i: u64, bit: u32) -> Result<(&AtomicU32, u32), ArenaError> {
        let base = self.check_index(i)?;
        let lane = (bit / 32) as usize;
        // Callers check `bit` against the width; out of range reads as no lane.
        match self.lanes[base..base + self.stride].get(lane) {
            Some(l) => Ok((l, 1 << (bit % 32))),
            None => Err(ArenaError::Index {
                index: i,
                capacity: self.capacity(),
            }),
        }
    }

    pub fn test_bit(&self, i: u64, bit: u32) -> Result<bool, ArenaError> {
        let (l, m) = self.bit_lane(i, bit)?;
        Ok(l.load(Relaxed) & m != 0)
    }

    pub fn set_bit(&self, i: u64, bit: u32) -> Result<(), ArenaError> {
        let (l, m) = self.bit_lane(i, bit)?;
        let old = l.load(Relaxed);
        if old & m == 0 {
            l.store(old | m, Relaxed);
        }
        Ok(())
    }

    pub fn clear_bit(&self, i: u64, bit: u32) -> Result<(), ArenaError> {
        let (l, m) = self.bit_lane(i, bit)?;
        let old = l.load(Relaxed);
        if old & m != 0 {
            l.store(old & !m, Relaxed);
        }
        Ok(())
    }

    /// `update_flags(set, unset)` on word 0 of entry `i`.
    pub fn update_flags(&self, i: u64, set: u64, unset: u64) -> Result<(), ArenaError> {
        self.map_word0(i, |w| update_word(w, set, unset))
    }

    /// `update_flags(set, unset)` on word 0 of every entry in the range.
    pub fn update_flags_range(
        &self,
        start: u64,
        count: u64,
        set: u64,
        unset: u64,
    ) -> Result<(), ArenaError> {
        for e in self.span(start, count)? {
            let base = e * self.stride;
            self.modify(base, 0, |w| update_word(w, set, unset));
        }
        Ok(())
    }

    /// `update_flags(set, unset)` on word 0 of each listed entry. `indices`
    /// is a private copy (see [`copy_lanes`]): every index is checked before
    /// any entry is written, and the checked indices are the ones applied.
    pub fn update_flags_list(
        &self,
        indices: &[u32],
        set: u64,
        unset: u64,
    ) -> Result<(), ArenaError> {
        arena::check_list(indices, self.capacity())?;
        for &i in indices {
            let base = i as usize * self.stride;
            self.modify(base, 0, |w| update_word(w, set, unset));
        }
        Ok(())
    }

    /// Word 0 := `value` for every entry in the range.
    pub fn overwrite_word_range(
        &self,
        start: u64,
        count: u64,
        value: u64,
    ) -> Result<(), ArenaError> {
        for e in self.span(start, count)? {
            self.store(e * self.stride, 0, value);
        }
        Ok(())
    }

    /// ORs `mask` into every entry of the range; returns how many changed.
    pub fn set_mask_range(&self, start: u64, count: u64, mask: &[u64]) -> Result<u32, ArenaError> {
        self.map_range(start, count, mask, |w, m| w | m)
    }

    /// Clears `mask` in every entry of the range; returns how many changed.
    pub fn clear_mask_range(
        &self,
        start: u64,
        count: u64,
        mask: &[u64],
    ) -> Result<u32, ArenaError> {
        self.map_range(start, count, mask, |w, m| w & !m)
    }

    fn map_range(
        &self,
        start: u64,
        count: u64,
        mask: &[u64],
        op: impl Fn(u64, u64) -> u64,
    ) -> Result<u32, ArenaError> {
        self.check_mask(mask)?;
        let mut changed = 0u32;
        if let [m] = *mask {
            // One word per entry: no inner loop over the mask.
            for e in self.span(start, count)? {
                let base = e * self.stride;
                let w = self.load(base, 0);
                let next = op(w, m);
                if next != w {
                    changed += 1;
                    self.store_changed(base, 0, w, next);
                }
            }
            return Ok(changed);
        }
        for e in self.span(start, count)? {
            let base = e * self.stride;
            let mut diff = 0u64;
            for (k, m) in mask.iter().enumerate() {
                let w = self.load(base, k);
                let next = op(w, *m);
                if next != w {
                    diff |= next ^ w;
                    self.store_changed(base, k, w, next);
                }
            }
            changed += u32::from(diff != 0);
        }
        Ok(changed)
    }

    /// Counts entries of the range sharing a bit with `mask`; with `out`,
    /// bit `j` of it records whether entry `start + j` matched (lanes
    /// `[0, ceil(count / 32))` are overwritten).
    pub fn test_any_mask_range(
        &self,
        start: u64,
        count: u64,
        mask: &[u64],
        out: Option<&[AtomicU32]>,
    ) -> Result<u32, ArenaError> {
        self.test_range::<false>(start, count, mask, out)
    }

    /// As [`Self::test_any_mask_range`], for entries holding every bit of `mask`.
    pub fn test_all_mask_range(
        &self,
        start: u64,
        count: u64,
        mask: &[u64],
        out: Option<&[AtomicU32]>,
    ) -> Result<u32, ArenaError> {
        self.test_range::<true>(start, count, mask, out)
    }

    fn test_range<const ALL: bool>(
        &self,
        start: u64,
        count: u64,
        mask: &[u64],
        out: Option<&[AtomicU32]>,
    ) -> Result<u32, ArenaError> {
        self.check_mask(mask)?;
        let span = self.span(start, count)?;
        let want = (count as usize).div_ceil(32);
        if let Some(o) = out {
            if o.len() < want {
                return Err(ArenaError::OutTooShort { got: o.len(), want });
            }
        }
        let mut hits = 0u32;
        let mut lane = 0u32;
        let one = match *mask {
            [m] => Some(m),
            _ => None,
        };
        for (j, e) in span.enumerate() {
            let base = e * self.stride;
            let hit = if let Some(m) = one {
                // One word per entry: a single load, no inner loop.
                let w = self.load(base, 0);
                if ALL {
                    w & m == m
                } else {
                    w & m != 0
                }
            } else if ALL {
                mask.iter()
                    .enumerate()
                    .all(|(k, m)| self.load(base, k) & m == *m)
            } else {
                mask.iter()
                    .enumerate()
                    .any(|(k, m)| self.load(base, k) & m != 0)
            };
            hits += u32::from(hit);
            lane |= u32::from(hit) << (j % 32);
            if j % 32 == 31 {
                if let Some(o) = out {
                    o[j / 32].store(lane, Relaxed);
                }
                lane = 0;
            }
        }
        if !count.is_multiple_of(32) {
            if let Some(o) = out {
                o[want - 1].store(lane, Relaxed);
            }
        }
        Ok(hits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arena::ArenaMut;

    fn lanes(words: &[u64]) -> Vec<AtomicU32> {
        words
            .iter()
            .flat_map(|w| [*w as u32, (*w >> 32) as u32])
            .map(AtomicU32::new)
            .collect()
    }

    fn words(lanes: &[AtomicU32]) -> Vec<u64> {
        lanes
            .chunks(2)
            .map(|p| u64::from(p[0].load(Relaxed)) | (u64::from(p[1].load(Relaxed)) << 32))
            .collect()
    }

    #[test]
    fn agrees_with_the_plain_arena() {
        let start: Vec<u64> = (0..24u64)
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect();
        let mut plain = start.clone();
        let shared = lanes(&start);
        let s = SharedArena::new(&shared, 4, true);
        let mut p = ArenaMut::new(&mut plain, 2);
        assert_eq!(s.capacity(), 12);
        s.update_flags_range(2, 7, 0x8000_0000_0000_0001, 0x10)
            .unwrap();
        p.update_flags_range(2, 7, 0x8000_0000_0000_0001, 0x10)
            .unwrap();
        s.update_flags_list(&[0, 11, 3, 3], 0x40, 1).unwrap();
        p.update_flags_list(&[0, 11, 3, 3], 0x40, 1).unwrap();
        s.overwrite_word_range(10, 2, 7).unwrap();
        p.overwrite_word_range(10, 2, 7).unwrap();
        let m = [0xff00, 1 << 63];
        assert_eq!(
            s.set_mask_range(1, 5, &m).unwrap(),
            p.set_mask_range(1, 5, &m).unwrap()
        );
        assert_eq!(
            s.clear_mask_range(0, 12, &[0x0f00, 0]).unwrap(),
            p.clear_mask_range(0, 12, &[0x0f00, 0]).unwrap()
        );
        let out_s = lanes(&[0]);
        let mut out_p = [0u32; 2];
        assert_eq!(
            s.test_any_mask_range(0, 12, &[0x40, 0], Some(&out_s))
                .unwrap(),
            p.test_any_mask_range(0, 12, &[0x40, 0], Some(&mut out_p))
                .unwrap()
        );
        assert_eq!(out_s[0].load(Relaxed), out_p[0]);
        assert_eq!(
            s.test_all_mask_range(0, 12, &m, None).unwrap(),
            p.test_all_mask_range(0, 12, &m, None).unwrap()
        );
        assert_eq!(words(&shared), plain);
    }

    #[test]
    fn one_word_entries_agree_with_the_plain_arena() {
        let start: Vec<u64> = (0..40u64)
            .map(|i| i.wrapping_mul(0x9e37_79b9) & 0xf0f0)
            .collect();
        let mut plain = start.clone();
        let shared = lanes(&start);
        let s = SharedArena::new(&shared, 2, true);
        let mut p = ArenaMut::new(&mut plain, 1);
        for (m, all) in [(0x10u64, false), (0x30, true), (1 << 63, false)] {
            let out_s = lanes(&[0]);
            let mut out_p = [0u32; 2];
            let (a, b) = if all {
                (
                    s.test_all_mask_range(3, 37, &[m], Some(&out_s)).unwrap(),
                    p.test_all_mask_range(3, 37, &[m], Some(&mut out_p))
                        .unwrap(),
                )
            } else {
                (
                    s.test_any_mask_range(3, 37, &[m], Some(&out_s)).unwrap(),
                    p.test_any_mask_range(3, 37, &[m], Some(&mut out_p))
                        .unwrap(),
                )
            };
            assert_eq!(a, b);
            assert_eq!([out_s[0].load(Relaxed), out_s[1].load(Relaxed)], out_p);
        }
        assert_eq!(
            s.set_mask_range(0, 40, &[0x0101]).unwrap(),
            p.set_mask_range(0, 40, &[0x0101]).unwrap()
        );
        assert_eq!(
            s.clear_mask_range(5, 30, &[0x1010]).unwrap(),
            p.clear_mask_range(5, 30, &[0x1010]).unwrap()
        );
        assert_eq!(words(&shared), plain);
    }

    #[test]
    fn entries_bits_and_errors() {
        let shared = lanes(&[0; 4]);
        let s = SharedArena::new(&shared, 4, true);
        s.set_bit(1, 100).unwrap();
        assert!(s.test_bit(1, 100).unwrap());
        s.map_word0(1, |w| w | 3).unwrap();
        assert_eq!(s.word0(1).unwrap(), 3);
        s.clear_bit(1, 1).unwrap();
        assert_eq!(words(&shared), [0, 0, 1, 1 << 36]);
        s.clear_all(1).unwrap();
        assert_eq!(words(&shared), [0; 4]);
        assert_eq!(
            s.word0(2),
            Err(ArenaError::Index {
                index: 2,
                capacity: 2
            })
        );
        assert_eq!(
            s.update_flags_list(&[1, 2], 1, 0),
            Err(ArenaError::ListIndex {
                position: 1,
                index: 2,
                capacity: 2
            })
        );
        assert_eq!(
            s.set_mask_range(0, 1, &[1]),
            Err(ArenaError::MaskWidth { got: 1, want: 2 })
        );
        assert_eq!(words(&shared), [0; 4], "refused calls write nothing");
    }

    #[test]
    fn narrow_words_are_one_lane() {
        let shared: Vec<AtomicU32> = (0..3).map(AtomicU32::new).collect();
        let s = SharedArena::new(&shared, 1, false);
        s.update_flags_range(0, 3, 0x8000_0000, 1).unwrap();
        let got: Vec<u32> = shared.iter().map(|l| l.load(Relaxed)).collect();
        assert_eq!(got, [0x8000_0000, 0x8000_0000, 0x8000_0002]);
        let mut copy = vec![9];
        copy_lanes(&shared, &mut copy);
        assert_eq!(copy, got);
    }

    /// Two threads on one arena, as workers on one `SharedArrayBuffer`: one
    /// runs batches, the other writes lanes and moves a shared index list.
    /// Under Miri this checks there is no data race; on any run, that each
    /// thread's own bits end up set.
    #[test]
    fn a_second_thread_writing_the_same_memory() {
        const CAP: usize = 16;
        let shared = lanes(&[0; CAP * 2]);
        let list: Vec<AtomicU32> = (0..4).map(AtomicU32::new).collect();
        let rounds = if cfg!(miri) { 20 } else { 2000 };
        std::thread::scope(|t| {
            t.spawn(|| {
                let s = SharedArena::new(&shared, 4, true);
                for r in 0..rounds {
                    for l in &list {
                        l.store((r % CAP) as u32, Relaxed);
                    }
                    s.set_bit((r % CAP) as u64, 127).unwrap();
                }
            });
            let s = SharedArena::new(&shared, 4, true);
            let mut copy = Vec::new();
            for _ in 0..rounds {
                s.update_flags_range(0, CAP as u64, 1, 0).unwrap();
                copy_lanes(&list, &mut copy);
                s.update_flags_list(&copy, 2, 0).unwrap();
                s.test_any_mask_range(0, CAP as u64, &[1, 0], None).unwrap();
            }
        });
        let s = SharedArena::new(&shared, 4, true);
        s.update_flags_range(0, CAP as u64, 1, 0).unwrap();
        for i in 0..CAP as u64 {
            assert_eq!(s.word0(i).unwrap() & 1, 1);
        }
        let touched = rounds.min(CAP) as u64;
        for i in 0..touched {
            assert!(
                s.test_bit(i, 127).unwrap(),
                "entry {i} keeps the other thread's bit"
            );
        }
    }
}
