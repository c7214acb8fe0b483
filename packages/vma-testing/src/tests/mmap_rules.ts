import { VMA_EXEC_BIT, VMA_MAYSHARE_BIT, VMA_PFNMAP_BIT, VMA_SHARED_BIT, VMA_WRITE_BIT } from '@vmaflags/core';
import {
  EACCES,
  EPERM,
  MMF_HAS_MDWE,
  MmStruct,
  VMA_ITERATOR,
  mapDenyWriteExec,
  mmapRegion,
  vmaLookup,
  vmaNeedsDirtyTracking,
  vmaWantsWritenotify,
  type Backend,
  type File,
  type VmOperationsStruct,
} from '@vmaflags/mm';
import { current, harness } from '../include/custom.js';
import {
  ASSERT_EQ,
  ASSERT_FALSE,
  ASSERT_TRUE,
  allocAndLinkVma,
  baseFlags,
  cleanupMm,
  type TestRegistrar,
} from '../shared.js';

// Short scenarios for the checks around mmap_region() and a VMA's page
// protection that the kernel's cases leave unchecked: memory-deny-write-execute,
// a file sealed against writing, and which VMAs must start write-protected.
//
// Facts from linux-mm/linux-mm @009857a22860ec279c1d75b4546a54dcac4c1384
// mm/vma.c: map_deny_write_exec() (via mmap_region()), mmap_region()'s
// mapping_map_writable() for shared writable file mappings,
// vma_wants_writenotify() and vma_needs_dirty_tracking().

function mkFile(): File {
  return { fMapping: { iMmapWritable: 0, flags: 0 }, fOp: {} };
}

/**
 * With MMF_HAS_MDWE a mapping may not be writable and executable at once, nor
 * become executable later; executable alone is fine, and without the flag so
 * is writable and executable.
 */
function testMmapRegionMdwe(b: Backend): void {
  const rw = baseFlags(b);
  const rwx = b.copy(rw);
  b.set(rwx, VMA_EXEC_BIT);
  const rx = b.copy(rwx);
  b.clear(rx, VMA_WRITE_BIT);

  for (const mdwe of [true, false]) {
    const mm = new MmStruct(b, harness);
    const vmi = VMA_ITERATOR(mm, 0);
    current.mm = mm;
    if (mdwe) mm.flags |= 1 << MMF_HAS_MDWE;

    ASSERT_EQ(mmapRegion(mm, null, 0x100000, 0x2000, rwx, 0x100, null), mdwe ? -EACCES : 0x100000);
    ASSERT_EQ(vmaLookup(mm, 0x100000) === null, mdwe);
    ASSERT_EQ(mmapRegion(mm, null, 0x200000, 0x2000, rx, 0x200, null), 0x200000);

    // An existing mapping turned executable: denied unless it already was.
    ASSERT_EQ(mapDenyWriteExec(mm, rw, rx), mdwe);
    ASSERT_FALSE(mapDenyWriteExec(mm, rx, rx));
    ASSERT_EQ(mapDenyWriteExec(mm, rx, rwx), mdwe);
    ASSERT_FALSE(mapDenyWriteExec(mm, rwx, rw));
    cleanupMm(mm, vmi);
  }
}

/** A shared writable mapping of a file sealed against writes fails before anything is mapped. */
function testMmapRegionSealedFile(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const shared = baseFlags(b);
  b.set(shared, VMA_SHARED_BIT);
  b.set(shared, VMA_MAYSHARE_BIT);
  current.mm = mm;

  const sealed = mkFile();
  sealed.fMapping!.iMmapWritable = -1;
  ASSERT_EQ(mmapRegion(mm, sealed, 0x100000, 0x2000, shared, 0, null), -EPERM);
  ASSERT_EQ(mm.mapCount, 0);
  ASSERT_EQ(sealed.fMapping!.iMmapWritable, -1);

  // Unsealed, the same mapping succeeds; a private one never asks.
  const file = mkFile();
  ASSERT_EQ(mmapRegion(mm, file, 0x100000, 0x2000, shared, 0, null), 0x100000);
  ASSERT_EQ(mmapRegion(mm, sealed, 0x300000, 0x2000, baseFlags(b), 0, null), 0x300000);
  ASSERT_EQ(mm.mapCount, 2);
  cleanupMm(mm, vmi);
}

/**
 * Which VMAs must start write-protected to see the first write: shared and
 * writable, and then either a page_mkwrite/pfn_mkwrite hook or a file that
 * can write back (not a PFNMAP) — unless the driver customised the page
 * protection. Dirty tracking asks the same without the protection test.
 */
function testVmaWantsWritenotify(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const mkwrite: VmOperationsStruct = { pageMkwrite: () => 0 };
  const pfnMkwrite: VmOperationsStruct = { pfnMkwrite: () => 0 };
  const shared = baseFlags(b);
  b.set(shared, VMA_SHARED_BIT);
  b.set(shared, VMA_MAYSHARE_BIT);
  const sharedRo = b.copy(shared);
  b.clear(sharedRo, VMA_WRITE_BIT);
  const pfnmap = b.copy(shared);
  b.set(pfnmap, VMA_PFNMAP_BIT);

  const cases: { flags: typeof shared; file: File | null; ops: VmOperationsStruct | null; want: boolean }[] = [
    { flags: shared, file: null, ops: mkwrite, want: true },
    { flags: shared, file: null, ops: pfnMkwrite, want: true },
    { flags: shared, file: null, ops: null, want: false },
    { flags: shared, file: mkFile(), ops: null, want: true },
    { flags: pfnmap, file: mkFile(), ops: null, want: false },
    { flags: pfnmap, file: null, ops: mkwrite, want: true },
    { flags: sharedRo, file: mkFile(), ops: mkwrite, want: false },
    { flags: baseFlags(b), file: mkFile(), ops: mkwrite, want: false },
  ];
  for (const c of cases) {
    const vma = allocAndLinkVma(mm, 0x100000, 0x102000, 0x100, c.flags)!;
    vma.vmFile = c.file;
    vma.vmOps = c.ops;
    const prot = b.toLegacy(vma.flags);
    ASSERT_EQ(vmaWantsWritenotify(vma, prot), c.want);
    ASSERT_EQ(vmaNeedsDirtyTracking(vma), c.want);
    // A protection other than the one the flags give (here: no read bit) is
    // the driver's: left alone, unless a write hook needs the notification.
    ASSERT_EQ(vmaWantsWritenotify(vma, prot & ~1n), c.want && c.ops !== null);
    ASSERT_EQ(vmaNeedsDirtyTracking(vma), c.want);
    cleanupMm(mm, vmi);
  }
  ASSERT_TRUE(cases.some((c) => c.want) && cases.some((c) => !c.want));
}

/** The scenarios above, in the kernel's TEST() style. */
export function runMmapRulesTests(b: Backend, TEST: TestRegistrar): void {
  TEST('mmap_region_mdwe', () => testMmapRegionMdwe(b));
  TEST('mmap_region_sealed_file', () => testMmapRegionSealedFile(b));
  TEST('vma_wants_writenotify', () => testVmaWantsWritenotify(b));
}
