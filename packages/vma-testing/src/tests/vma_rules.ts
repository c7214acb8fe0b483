import {
  VMA_EXEC_BIT,
  VMA_GROWSDOWN_BIT,
  VMA_MAYREAD_BIT,
  VMA_MAYSHARE_BIT,
  VMA_MAYWRITE_BIT,
  VMA_READ_BIT,
  VMA_SEALED_BIT,
  VMA_SHARED_BIT,
  VMA_WRITE_BIT,
} from '@vmaflags/core';
import {
  MmStruct,
  VMA_ITERATOR,
  EINVAL,
  ENOMEM,
  EPERM,
  copyVma,
  doVmiMunmap,
  mmapRegion,
  ref,
  splitVma,
  vmaIterLoad,
  validateMm,
  vmaIterSet,
  vmaLookup,
  type Backend,
  type VmAreaStruct,
  type VmaInternal,
  type VmaIterator,
} from '@vmaflags/mm';
import { AnonVma, current, harness, setDebugVmMapleTree, setFailPrealloc } from '../include/custom.js';
import {
  ASSERT_EQ,
  ASSERT_TRUE,
  allocAndLinkVma,
  baseFlags,
  vmaWriteStarted,
  cleanupMm,
  type TestRegistrar,
  mkFile,
  vmaInstallFile,
} from '../shared.js';

// Short scenarios for VMA bookkeeping that the kernel's cases leave
// unchecked: the file mapping's writer count across a split, and
// validate_mm() noticing a corrupted mm.
//
// Facts from linux-mm/linux-mm @009857a22860ec279c1d75b4546a54dcac4c1384
// mm/vma.c: __split_vma() links the new piece into the file's rmap through
// vma_prepare() (__vma_link_file(), which counts a shared writable VMA as a
// writer: mapping_allow_writable()); validate_mm().

/** Splitting a shared writable file VMA adds one writer to the mapping; a private one adds none. */
function testSplitCountsFileWriters(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const shared = baseFlags(b);
  b.set(shared, VMA_SHARED_BIT);
  b.set(shared, VMA_MAYSHARE_BIT);

  for (const flags of [shared, baseFlags(b)]) {
    const file = mkFile();
    const vma = allocAndLinkVma(mm, 0x100000, 0x104000, 0, flags)!;
    vmaInstallFile(vma, file);
    vmaIterSet(vmi, 0x100000);
    ASSERT_EQ(splitVma(vmi, vma, 0x102000, true), 0);
    // Both pieces are writers of the file now.
    ASSERT_EQ(file.fMapping!.iMmapWritable, flags === shared ? 2 : 0);
    ASSERT_EQ(vmaLookup(mm, 0x100000)!.vmFile, file);
    ASSERT_EQ(mm.mapCount, 2);
    cleanupMm(mm, vmi);
  }
}

/** With tree validation on, validate_mm() stops on a wrong map_count or a VMA not stored at its own range. */
function testValidateMmCatchesCorruption(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const vma = allocAndLinkVma(mm, 0x100000, 0x102000, 0x100, baseFlags(b))!;
  allocAndLinkVma(mm, 0x200000, 0x202000, 0x200, baseFlags(b));

  const bugs = (): boolean => {
    try {
      validateMm(mm);
      return false;
    } catch {
      return true;
    }
  };
  ASSERT_EQ(bugs(), false);

  mm.mapCount++;
  ASSERT_TRUE(bugs());
  mm.mapCount -= 2;
  ASSERT_TRUE(bugs());
  mm.mapCount++;

  vma.vmEnd = 0x101000;
  ASSERT_TRUE(bugs());
  vma.vmEnd = 0x102000;
  vma.vmStart = 0x101000;
  ASSERT_TRUE(bugs());
  vma.vmStart = 0x100000;
  ASSERT_EQ(bugs(), false);

  // CONFIG_DEBUG_VM_MAPLE_TREE off: nothing is checked.
  mm.mapCount++;
  setDebugVmMapleTree(false);
  try {
    ASSERT_EQ(bugs(), false);
  } finally {
    setDebugVmMapleTree(true);
    mm.mapCount--;
  }
  cleanupMm(mm, vmi);
}

/**
 * copy_vma() paths beyond the merge rules: an unfaulted anonymous source
 * copied right after itself merges with itself and the caller's VMA pointer
 * follows; a copy to a range that is not free is refused; a fresh copy runs
 * the open hook; and a copy whose linking fails is closed, unlinked from the
 * anon_vma and not left in the tree.
 */
function testCopyVmaPaths(b: Backend): void {
  const closed: VmAreaStruct[] = [];
  const env = Object.assign(Object.create(harness) as VmaInternal, {
    vmaClose: (vma: VmAreaStruct) => void closed.push(vma),
  });
  const mm = new MmStruct(b, env);
  const vmi = VMA_ITERATOR(mm, 0);
  const flags = baseFlags(b);

  // S [0x10,0x12) anonymous and unfaulted, copied to [0x12,0x14): its offset
  // becomes the destination's page number, which continues its own.
  let src = allocAndLinkVma(mm, 0x10000, 0x12000, 0x10, flags)!;
  src.vmOps = null;
  const vmap = ref(src);
  const locks = ref(false);
  const copy = copyVma(vmap, 0x12000, 0x2000, 0x10, locks);
  ASSERT_EQ(copy, src);
  ASSERT_EQ(vmap.value, src);
  ASSERT_EQ(src.vmEnd, 0x14000);
  ASSERT_TRUE(locks.value);
  cleanupMm(mm, vmi);

  // The destination overlaps a VMA: refused, nothing changes.
  src = allocAndLinkVma(mm, 0x10000, 0x12000, 0x10, flags)!;
  const blocker = allocAndLinkVma(mm, 0x21000, 0x22000, 0x99, flags)!;
  ASSERT_EQ(copyVma(ref(src), 0x20000, 0x2000, 0x10, ref(false)), null);
  ASSERT_EQ(mm.mapCount, 2);
  ASSERT_EQ(vmaLookup(mm, 0x21000), blocker);
  cleanupMm(mm, vmi);

  // A fresh copy gets the open hook; a failed link closes and unlinks it.
  const opened: VmAreaStruct[] = [];
  for (const fail of [false, true]) {
    src = allocAndLinkVma(mm, 0x10000, 0x12000, 0x10, flags)!;
    src.vmOps = { open: (v) => void opened.push(v), close: () => {} };
    const anonVma = new AnonVma();
    src.anonVma = anonVma;
    src.anonVmaChain = [{ anonVma }];
    setFailPrealloc(fail);
    const made = copyVma(ref(src), 0x40000, 0x2000, 0x10, ref(true));
    setFailPrealloc(false);
    ASSERT_EQ(made === null, fail);
    ASSERT_EQ(opened.length, fail ? 2 : 1);
    ASSERT_EQ(closed.length, fail ? 1 : 0);
    ASSERT_EQ(closed.at(-1) === opened.at(-1), fail);
    ASSERT_EQ(anonVma.wasUnlinked, fail);
    ASSERT_EQ(vmaLookup(mm, 0x40000) === null, fail);
    ASSERT_EQ(mm.mapCount, fail ? 1 : 2);
    cleanupMm(mm, vmi);
  }
}

/** An mm whose environment is the harness's but with a sysctl_max_map_count the test can change. */
function limitedMm(b: Backend): { mm: MmStruct; vmi: VmaIterator; setMaxMapCount: (n: number) => void } {
  let maxMapCount = harness.sysctlMaxMapCount;
  const env = Object.create(harness) as VmaInternal;
  Object.defineProperty(env, 'sysctlMaxMapCount', { get: () => maxMapCount });
  const mm = new MmStruct(b, env);
  return { mm, vmi: VMA_ITERATOR(mm, 0), setMaxMapCount: (n) => (maxMapCount = n) };
}

/**
 * do_vmi_munmap()'s argument checks and refusals: an unaligned start, a
 * range past TASK_SIZE or an empty one is -EINVAL (a length is rounded up to
 * whole pages); a sealed VMA is -EPERM; a hole punched into a VMA when
 * map_count is at its limit is -ENOMEM (an unmap that splits nothing new
 * still works). A refusal changes nothing.
 */
function testMunmapChecks(b: Backend): void {
  const { mm, vmi, setMaxMapCount } = limitedMm(b);
  // Read-only, so the pages count towards no exec/stack/data counter these VMAs never charged.
  const flags = b.mk(VMA_READ_BIT, VMA_MAYREAD_BIT);
  const top = harness.TASK_SIZE;
  const munmap = (start: number, len: number): number => {
    vmaIterSet(vmi, start);
    return doVmiMunmap(vmi, mm, start, len, null, false);
  };

  allocAndLinkVma(mm, 0x100000, 0x104000, 0x100, flags);
  ASSERT_EQ(munmap(0x100800, 0x1000), -EINVAL);
  ASSERT_EQ(munmap(top + 0x1000, 0x1000), -EINVAL);
  ASSERT_EQ(munmap(0x100000, top - 0x100000 + 1), -EINVAL);
  ASSERT_EQ(munmap(0x100000, 0), -EINVAL);
  ASSERT_EQ(mm.mapCount, 1);
  ASSERT_EQ(munmap(top - 0x1000, 0x1000), 0);
  // One byte unmaps its whole page.
  ASSERT_EQ(munmap(0x103000, 1), 0);
  ASSERT_EQ(vmaLookup(mm, 0x103000), null);
  ASSERT_EQ(vmaLookup(mm, 0x102000)!.vmEnd, 0x103000);

  // At the map_count limit: no hole in the middle, but trimming an end is fine.
  setMaxMapCount(1);
  ASSERT_EQ(munmap(0x101000, 0x1000), -ENOMEM);
  ASSERT_EQ(vmaLookup(mm, 0x101000)!.vmStart, 0x100000);
  ASSERT_EQ(munmap(0x102000, 0x1000), 0);
  ASSERT_EQ(mm.mapCount, 1);
  setMaxMapCount(harness.sysctlMaxMapCount);
  cleanupMm(mm, vmi);

  // Sealed: neither a part nor the whole nor a range starting before it.
  const sealed = b.copy(flags);
  b.set(sealed, VMA_SEALED_BIT);
  allocAndLinkVma(mm, 0x100000, 0x101000, 0x100, flags);
  allocAndLinkVma(mm, 0x101000, 0x104000, 0x101, sealed);
  for (const [start, len] of [
    [0x102000, 0x1000],
    [0x101000, 0x3000],
    [0x100000, 0x2000],
  ] as const) {
    ASSERT_EQ(munmap(start, len), -EPERM);
    ASSERT_EQ(vmaLookup(mm, 0x100000)!.vmEnd, 0x101000);
    ASSERT_EQ(vmaLookup(mm, 0x101000)!.vmEnd, 0x104000);
  }
  ASSERT_EQ(mm.mapCount, 2);
  cleanupMm(mm, vmi);
}

/**
 * split_vma(): the VMA's may_split hook can veto a split; at the map_count
 * limit there is no split; a split VMA's new piece gets the open hook and
 * both pieces are write-locked; and the iterator is left on the piece that
 * kept the original VMA.
 */
function testSplitChecks(b: Backend): void {
  const { mm, vmi, setMaxMapCount } = limitedMm(b);
  const opened: VmAreaStruct[] = [];
  let veto = -EINVAL;
  const vetoedAt: number[] = [];

  for (const newBelow of [false, true]) {
    const vma = allocAndLinkVma(mm, 0x100000, 0x104000, 0x100, baseFlags(b))!;
    vma.vmOps = {
      maySplit: (_v, addr) => {
        vetoedAt.push(addr);
        return veto;
      },
      open: (v) => void opened.push(v),
    };
    vmaIterSet(vmi, 0x100000);
    veto = -EINVAL;
    ASSERT_EQ(splitVma(vmi, vma, 0x101000, newBelow), -EINVAL);
    ASSERT_EQ(mm.mapCount, 1);
    ASSERT_EQ(vetoedAt.at(-1), 0x101000);
    veto = 0;
    setMaxMapCount(1);
    ASSERT_EQ(splitVma(vmi, vma, 0x101000, newBelow), -ENOMEM);
    setMaxMapCount(2);
    ASSERT_EQ(splitVma(vmi, vma, 0x101000, newBelow), 0);
    setMaxMapCount(harness.sysctlMaxMapCount);
    const nw = opened.at(-1)!;
    ASSERT_EQ(nw === vma, false);
    ASSERT_EQ(nw.vmStart, newBelow ? 0x100000 : 0x101000);
    ASSERT_EQ(vma.vmStart, newBelow ? 0x101000 : 0x100000);
    ASSERT_EQ(vma.vmPgoff, newBelow ? 0x101 : 0x100);
    ASSERT_EQ(nw.vmPgoff, newBelow ? 0x100 : 0x101);
    ASSERT_TRUE(vmaWriteStarted(vma) && vmaWriteStarted(nw));
    ASSERT_EQ(vmaIterLoad(vmi), vma);
    cleanupMm(mm, vmi);
  }
  ASSERT_EQ(opened.length, 2);
}

/**
 * mm's exec_vm, stack_vm and data_vm follow mmap_region() and munmap: an
 * executable mapping counts as exec, a grows-down one as stack, a private
 * writable one as data, and unmapping takes exactly those pages off again.
 */
function testVmCounters(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  current.mm = mm;
  const kinds: ['execVm' | 'stackVm' | 'dataVm', number[]][] = [
    ['execVm', [VMA_READ_BIT, VMA_EXEC_BIT, VMA_MAYREAD_BIT]],
    ['stackVm', [VMA_READ_BIT, VMA_WRITE_BIT, VMA_GROWSDOWN_BIT]],
    ['dataVm', [VMA_READ_BIT, VMA_WRITE_BIT, VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT]],
  ];
  const counters = (): string => `${mm.execVm}/${mm.stackVm}/${mm.dataVm}`;
  let addr = 0x100000;
  for (const [counter, bits] of kinds) {
    ASSERT_EQ(mmapRegion(mm, null, addr, 0x3000, b.mk(...bits), addr >> 12, null), addr);
    ASSERT_EQ(mm[counter], 3);
    vmaIterSet(vmi, addr);
    ASSERT_EQ(doVmiMunmap(vmi, mm, addr, 0x1000, null, false), 0);
    ASSERT_EQ(mm[counter], 2);
    addr += 0x100000;
  }
  ASSERT_EQ(counters(), '2/2/2');
  ASSERT_EQ(mm.totalVm, 6);
  cleanupMm(mm, vmi);
}

/** The scenarios above, in the kernel's TEST() style. */
export function runVmaRulesTests(b: Backend, TEST: TestRegistrar): void {
  TEST('split_counts_file_writers', () => testSplitCountsFileWriters(b));
  TEST('validate_mm_catches_corruption', () => testValidateMmCatchesCorruption(b));
  TEST('copy_vma_paths', () => testCopyVmaPaths(b));
  TEST('munmap_checks', () => testMunmapChecks(b));
  TEST('split_checks', () => testSplitChecks(b));
  TEST('vm_counters', () => testVmCounters(b));
}
