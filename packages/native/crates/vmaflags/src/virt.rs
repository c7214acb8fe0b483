//! The kernel's Rust view of a VMA (`kernel::mm::virt`): three wrappers over
//! one `vm_area_struct` whose types encode what the holder may do.
//!
//! * [`VmaRef`] — read access (the holder has the mmap or VMA read lock).
//! * [`VmaMixedMap`] — a `VmaRef` known to have `MIXEDMAP` set.
//! * [`VmaNew`] — a VMA still being set up inside `mmap`; the only one that may
//!   change flags, and only the changes the kernel considers safe (there is
//!   deliberately no way to set `PFNMAP`, which must never meet `MIXEDMAP`).
//!
//! All flag changes go through the single private [`VmaNew::update_flags`].

use core::cell::Cell;
use core::ops::Deref;

use crate::word::Word;

/// `kernel::mm::virt::flags`: the legacy `VM_*` word values the Rust API names.
///
/// `MAYSHARE` is bit 7 (0x80) as in C. The upstream binding helper currently
/// initialises it from `VM_MAYEXEC` (0x40); this port uses the C value.
/// `SOFTDIRTY` is the value with `CONFIG_MEM_SOFT_DIRTY` enabled (it is 0
/// otherwise).
pub mod flags {
    pub const NONE: u64 = 0;
    pub const READ: u64 = 1 << 0;
    pub const WRITE: u64 = 1 << 1;
    pub const EXEC: u64 = 1 << 2;
    pub const SHARED: u64 = 1 << 3;
    pub const MAYREAD: u64 = 1 << 4;
    pub const MAYWRITE: u64 = 1 << 5;
    pub const MAYEXEC: u64 = 1 << 6;
    pub const MAYSHARE: u64 = 1 << 7;
    pub const PFNMAP: u64 = 1 << 10;
    pub const IO: u64 = 1 << 14;
    pub const DONTCOPY: u64 = 1 << 17;
    pub const DONTEXPAND: u64 = 1 << 18;
    pub const LOCKONFAULT: u64 = 1 << 19;
    pub const ACCOUNT: u64 = 1 << 20;
    pub const NORESERVE: u64 = 1 << 21;
    pub const HUGETLB: u64 = 1 << 22;
    pub const SYNC: u64 = 1 << 23;
    pub const ARCH_1: u64 = 1 << 24;
    pub const WIPEONFORK: u64 = 1 << 25;
    pub const DONTDUMP: u64 = 1 << 26;
    pub const SOFTDIRTY: u64 = 1 << 27;
    pub const MIXEDMAP: u64 = 1 << 28;
    pub const HUGEPAGE: u64 = 1 << 29;
    pub const NOHUGEPAGE: u64 = 1 << 30;
    pub const MERGEABLE: u64 = 1 << 31;

    /// Every constant by name, in declaration order.
    pub const ALL: [(&str, u64); 26] = [
        ("NONE", NONE),
        ("READ", READ),
        ("WRITE", WRITE),
        ("EXEC", EXEC),
        ("SHARED", SHARED),
        ("MAYREAD", MAYREAD),
        ("MAYWRITE", MAYWRITE),
        ("MAYEXEC", MAYEXEC),
        ("MAYSHARE", MAYSHARE),
        ("PFNMAP", PFNMAP),
        ("IO", IO),
        ("DONTCOPY", DONTCOPY),
        ("DONTEXPAND", DONTEXPAND),
        ("LOCKONFAULT", LOCKONFAULT),
        ("ACCOUNT", ACCOUNT),
        ("NORESERVE", NORESERVE),
        ("HUGETLB", HUGETLB),
        ("SYNC", SYNC),
        ("ARCH_1", ARCH_1),
        ("WIPEONFORK", WIPEONFORK),
        ("DONTDUMP", DONTDUMP),
        ("SOFTDIRTY", SOFTDIRTY),
        ("MIXEDMAP", MIXEDMAP),
        ("HUGEPAGE", HUGEPAGE),
        ("NOHUGEPAGE", NOHUGEPAGE),
        ("MERGEABLE", MERGEABLE),
    ];
}

/// The kernel's `-EINVAL` from the `try_clear_may*` helpers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Einval;

/// Why a VMA could not be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VmAreaError {
    /// `start` or `end` does not fit an `unsigned long` of the configuration.
    AddressTooWide,
    /// `end` lies below `start`.
    Inverted,
    /// No flag words (a bitmap always has at least word 0).
    NoWords,
    /// A VMA in setup with `PFNMAP` set: `set_mixedmap` could then make the
    /// two meet, which the kernel's type-state exists to rule out.
    Pfnmap,
}

/// The parts of `vm_area_struct` the Rust API reads: the address range and
/// the flags bitmap (word 0 is the legacy `vm_flags` view). Cells because, as
/// in the kernel, the wrappers change flags through shared references. The
/// words are borrowed: the caller owns the storage.
#[derive(Debug)]
pub struct VmArea<'s, W: Word> {
    vm_start: u64,
    vm_end: u64,
    flags: &'s [Cell<W>],
}

impl<'s, W: Word> VmArea<'s, W> {
    pub fn new(
        vm_start: u64,
        vm_end: u64,
        words: &'s mut [W],
    ) -> Result<VmArea<'s, W>, VmAreaError> {
        if vm_start > W::MAX_U64 || vm_end > W::MAX_U64 {
            return Err(VmAreaError::AddressTooWide);
        }
        if vm_end < vm_start {
            return Err(VmAreaError::Inverted);
        }
        if words.is_empty() {
            return Err(VmAreaError::NoWords);
        }
        Ok(VmArea {
            vm_start,
            vm_end,
            flags: Cell::from_mut(words).as_slice_of_cells(),
        })
    }

    /// A copy of the whole bitmap, word 0 first.
    pub fn words(&self) -> Vec<W> {
        self.flags.iter().map(Cell::get).collect()
    }

    fn word0(&self) -> W {
        self.flags.first().map_or(W::ZERO, Cell::get)
    }
}

/// Read-only access to a VMA.
#[derive(Clone, Copy, Debug)]
pub struct VmaRef<'a, W: Word> {
    vma: &'a VmArea<'a, W>,
}

impl<'a, W: Word> VmaRef<'a, W> {
    pub fn new(vma: &'a VmArea<'a, W>) -> VmaRef<'a, W> {
        VmaRef { vma }
    }

    /// The legacy `vm_flags` word (word 0 of the bitmap).
    pub fn flags(&self) -> W {
        self.vma.word0()
    }

    /// First address of the VMA (inclusive).
    pub fn start(&self) -> u64 {
        self.vma.vm_start
    }

    /// End of the VMA (exclusive).
    pub fn end(&self) -> u64 {
        self.vma.vm_end
    }

    /// A `VmaMixedMap` view if `MIXEDMAP` is set.
    pub fn as_mixedmap_vma(&self) -> Option<VmaMixedMap<'a, W>> {
        if self.has(flags::MIXEDMAP) {
            Some(VmaMixedMap(*self))
        } else {
            None
        }
    }

    fn has(&self, flag: u64) -> bool {
        self.flags() & W::truncate(flag) != W::ZERO
    }
}

/// A VMA with `MIXEDMAP` set.
#[derive(Clone, Copy, Debug)]
pub struct VmaMixedMap<'a, W: Word>(VmaRef<'a, W>);

impl<'a, W: Word> Deref for VmaMixedMap<'a, W> {
    type Target = VmaRef<'a, W>;
    fn deref(&self) -> &VmaRef<'a, W> {
        &self.0
    }
}

/// A VMA being initialised inside `mmap`: not yet visible to anyone else, so
/// its flags may change without locks.
#[derive(Debug)]
pub struct VmaNew<'a, W: Word>(VmaRef<'a, W>);

impl<'a, W: Word> Deref for VmaNew<'a, W> {
    type Target = VmaRef<'a, W>;
    fn deref(&self) -> &VmaRef<'a, W> {
        &self.0
    }
}

impl<'a, W: Word> VmaNew<'a, W> {
    /// The caller promises the VMA is still in its setup phase. Refused
    /// with `PFNMAP` set: nothing here can set it, and with it absent
    /// `set_mixedmap` can never make `PFNMAP` meet `MIXEDMAP`.
    pub fn new(vma: &'a VmArea<'a, W>) -> Result<VmaNew<'a, W>, VmAreaError> {
        let r = VmaRef::new(vma);
        if r.has(flags::PFNMAP) {
            return Err(VmAreaError::Pfnmap);
        }
        Ok(VmaNew(r))
    }

    /// The one place flags change: OR in `set`, then clear `unset` (so a bit
    /// in both ends up clear). Only word 0 — the hardware word — is touched.
    fn update_flags(&self, set: u64, unset: u64) {
        let next = (self.flags() | W::truncate(set)) & !W::truncate(unset);
        if let Some(w) = self.0.vma.flags.first() {
            w.set(next);
        }
    }

    /// Sets `MIXEDMAP`. Sound because a `VmaNew` never has `PFNMAP` (refused
    /// at construction, and no method sets it).
    pub fn set_mixedmap(&self) -> VmaMixedMap<'a, W> {
        self.update_flags(flags::MIXEDMAP, 0);
        VmaMixedMap(self.0)
    }

    /// Sets `IO` (device memory; always a valid combination).
    pub fn set_io(&self) {
        self.update_flags(flags::IO, 0);
    }

    /// Sets `DONTEXPAND` (no `mremap` growth).
    pub fn set_dontexpand(&self) {
        self.update_flags(flags::DONTEXPAND, 0);
    }

    /// Sets `DONTCOPY` (not inherited by fork). Userspace can undo it with
    /// `madvise` unless `IO` is also set.
    pub fn set_dontcopy(&self) {
        self.update_flags(flags::DONTCOPY, 0);
    }

    /// Sets `DONTDUMP` (left out of core dumps). Userspace can undo it with
    /// `madvise` unless `IO` is also set.
    pub fn set_dontdump(&self) {
        self.update_flags(flags::DONTDUMP, 0);
    }

    pub fn readable(&self) -> bool {
        self.has(flags::READ)
    }

    pub fn writable(&self) -> bool {
        self.has(flags::WRITE)
    }

    pub fn executable(&self) -> bool {
        self.has(flags::EXEC)
    }

    /// Drops `MAYREAD` for good (mprotect can no longer add `READ`); refused
    /// while `READ` itself is set.
    pub fn try_clear_mayread(&self) -> Result<(), Einval> {
        self.try_clear_may(flags::READ, flags::MAYREAD)
    }

    pub fn try_clear_maywrite(&self) -> Result<(), Einval> {
        self.try_clear_may(flags::WRITE, flags::MAYWRITE)
    }

    pub fn try_clear_mayexec(&self) -> Result<(), Einval> {
        self.try_clear_may(flags::EXEC, flags::MAYEXEC)
    }

    fn try_clear_may(&self, access: u64, may: u64) -> Result<(), Einval> {
        if self.has(access) {
            return Err(Einval);
        }
        self.update_flags(0, may);
        Ok(())
    }
}

/// `update_flags` arithmetic on a bare word, for the arena fast path:
/// OR in `set`, then clear `unset`.
#[inline(always)]
pub fn update_word<W: Word>(w: W, set: W, unset: W) -> W {
    (w | set) & !unset
}

#[cfg(test)]
mod tests {
    use super::flags::*;
    use super::*;

    #[test]
    fn constants_match_the_c_masks() {
        assert_eq!(MAYSHARE, 0x80);
        assert_eq!(MIXEDMAP, 0x1000_0000);
        assert_eq!(MERGEABLE, 0x8000_0000);
        assert_eq!(flags::ALL.len(), 26);
        let mut seen = 0u64;
        for (_, v) in flags::ALL.iter().skip(1) {
            assert_eq!(v.count_ones(), 1);
            assert_eq!(seen & v, 0, "constants must be distinct");
            seen |= v;
        }
    }

    #[test]
    fn setters_go_through_update_flags() {
        let mut words = [READ | MAYREAD, 1 << 3];
        let area = VmArea::<u64>::new(0x1000, 0x3000, &mut words).unwrap();
        let vma = VmaNew::new(&area).unwrap();
        vma.set_io();
        vma.set_dontexpand();
        vma.set_dontcopy();
        vma.set_dontdump();
        assert_eq!(
            vma.flags(),
            READ | MAYREAD | IO | DONTEXPAND | DONTCOPY | DONTDUMP
        );
        assert_eq!((vma.start(), vma.end()), (0x1000, 0x3000));
        assert_eq!(words[1], 1 << 3, "higher words untouched");
    }

    #[test]
    fn clear_wins_over_set() {
        let mut words = [0];
        let area = VmArea::<u32>::new(0, 0, &mut words).unwrap();
        let vma = VmaNew::new(&area).unwrap();
        vma.update_flags(IO | READ, IO);
        assert_eq!(vma.flags(), READ as u32);
        assert_eq!(update_word(0b0011u64, 0b0100, 0b0110), 0b0001);
    }

    #[test]
    fn mixedmap_view_appears_once_set() {
        let mut words = [0];
        let area = VmArea::<u64>::new(0, 4096, &mut words).unwrap();
        let vma = VmaNew::new(&area).unwrap();
        assert!(vma.as_mixedmap_vma().is_none());
        let mm = vma.set_mixedmap();
        assert_eq!(mm.flags(), MIXEDMAP);
        assert!(VmaRef::new(&area).as_mixedmap_vma().is_some());
    }

    #[test]
    fn try_clear_may_refuses_while_access_is_set() {
        let mut words = [READ | WRITE | MAYREAD | MAYWRITE | MAYEXEC];
        let area = VmArea::<u64>::new(0, 0, &mut words).unwrap();
        let vma = VmaNew::new(&area).unwrap();
        assert!(vma.readable() && vma.writable() && !vma.executable());
        assert_eq!(vma.try_clear_mayread(), Err(Einval));
        assert_eq!(vma.try_clear_maywrite(), Err(Einval));
        assert_eq!(vma.try_clear_mayexec(), Ok(()));
        assert_eq!(vma.flags(), READ | WRITE | MAYREAD | MAYWRITE);
    }

    #[test]
    fn a_vma_in_setup_never_has_pfnmap() {
        let mut words = [PFNMAP | READ];
        let area = VmArea::<u64>::new(0, 4096, &mut words).unwrap();
        assert_eq!(VmaNew::new(&area).err(), Some(VmAreaError::Pfnmap));
        assert_eq!(VmaRef::new(&area).flags(), PFNMAP | READ);
    }

    #[test]
    fn area_validation() {
        assert_eq!(
            VmArea::<u32>::new(0, 1 << 32, &mut [0]).err(),
            Some(VmAreaError::AddressTooWide)
        );
        assert_eq!(
            VmArea::<u64>::new(2, 1, &mut [0]).err(),
            Some(VmAreaError::Inverted)
        );
        assert_eq!(
            VmArea::<u64>::new(0, 1, &mut []).err(),
            Some(VmAreaError::NoWords)
        );
    }
}
