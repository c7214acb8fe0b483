import {
  VMA_ACCOUNT_BIT,
  VMA_DONTDUMP_BIT,
  VMA_EXEC_BIT,
  VMA_MERGEABLE_BIT,
  VMA_MAYSHARE_BIT,
  VMA_MAYWRITE_BIT,
  VMA_NORESERVE_BIT,
  VMA_PFNMAP_BIT,
  VMA_SHARED_BIT,
  VMA_WRITE_BIT,
} from '@vmaflags/core';
import {
  EACCES,
  EINVAL,
  ENOMEM,
  EPERM,
  MMF_HAS_MDWE,
  MmStruct,
  VMA_ITERATOR,
  mapDenyWriteExec,
  mmapRegion,
  vmaLookup,
  vmaNeedsDirtyTracking,
  vmaWantsWritenotify,
  doVmiMunmap,
  splitVma,
  vmaIterSet,
  vmaModifyFlags,
  vmaTest,
  type Backend,
  type File,
  type VmAreaStruct,
  type VmaFlags,
  type VmaInternal,
  type VmOperationsStruct,
  getFile,
} from '@vmaflags/mm';
import { current, harness, takeWarnings } from '../include/custom.js';
import {
  ASSERT_EQ,
  ASSERT_FALSE,
  ASSERT_TRUE,
  allocAndLinkVma,
  baseFlags,
  cleanupMm,
  type TestRegistrar,
  mkFile,
  vmaInstallFile,
} from '../shared.js';

// Short scenarios for the checks around mmap_region() and a VMA's page
// protection that the kernel's cases leave unchecked: memory-deny-write-execute,
// a file sealed against writing, and which VMAs must start write-protected.
//
// Facts from linux-mm/linux-mm @009857a22860ec279c1d75b4546a54dcac4c1384
// mm/vma.c: map_deny_write_exec() (via mmap_region()), mmap_region()'s
// mapping_map_writable() for shared writable file mappings,
// vma_wants_writenotify() and vma_needs_dirty_tracking().

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
  harness.trackMapping(sealed.fMapping!);
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
    vmaInstallFile(vma, c.file);
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

/** The harness environment with some answers changed and the calls to it logged. */
function recordingEnv(overrides: Partial<VmaInternal>, log: string[]): VmaInternal {
  const env = Object.create(harness) as VmaInternal;
  const range = (v: VmAreaStruct): string => `${v.vmStart.toString(16)}-${v.vmEnd.toString(16)}`;
  const mayExpand = overrides.mayExpandVm ?? (() => true);
  const enough = overrides.securityVmEnoughMemoryMm ?? (() => 0);
  const overridden: Partial<VmaInternal> = {
    mayExpandVm: (mm, flags, npages) => {
      log.push(`mayExpandVm(${npages})`);
      return mayExpand(mm, flags, npages);
    },
    securityVmEnoughMemoryMm: (mm, pages) => {
      log.push(`security(${pages})`);
      return enough(mm, pages);
    },
    vmAcctMemory: (pages) => void log.push(`acct(${pages})`),
    vmaClose: (vma) => void log.push(`close(${range(vma)})`),
  };
  return Object.assign(env, overridden);
}

/**
 * Commit charging and address-space limits around mmap_region() and munmap:
 * a private writable mapping is charged for the pages it adds (none when it
 * replaces pages already charged), asked of the limit for the pages it adds,
 * and uncharged when unmapped; a refusal fails the mapping and leaves what was
 * there. Replaced and unmapped VMAs are closed.
 */
function testMmapRegionAccounting(b: Backend): void {
  const log: string[] = [];
  let expand = true;
  let enough = 0;
  const env = recordingEnv({ mayExpandVm: () => expand, securityVmEnoughMemoryMm: () => enough }, log);
  const mm = new MmStruct(b, env);
  const vmi = VMA_ITERATOR(mm, 0);
  const rw = baseFlags(b);
  const ro = b.copy(rw);
  b.clear(ro, VMA_WRITE_BIT);
  const noreserve = b.copy(rw);
  b.set(noreserve, VMA_NORESERVE_BIT);
  current.mm = mm;
  const take = (): string[] => log.splice(0, log.length);

  ASSERT_EQ(mmapRegion(mm, null, 0x100000, 0x4000, rw, 0x100, null), 0x100000);
  ASSERT_EQ(take().join(' '), 'mayExpandVm(4) security(4)');
  ASSERT_TRUE(vmaTest(vmaLookup(mm, 0x100000)!, VMA_ACCOUNT_BIT));
  ASSERT_EQ(mm.totalVm, 4);

  // Over the same pages: nothing new to charge, nothing new for the limit;
  // the old VMA is closed (once when its range is cleared, once when freed:
  // the kernel's second vma_close() finds the dummy ops and does nothing),
  // and an unmap of no charged pages uncharges nothing.
  ASSERT_EQ(mmapRegion(mm, null, 0x101000, 0x2000, rw, 0x101, null), 0x101000);
  ASSERT_EQ(take().join(' '), 'mayExpandVm(0) close(101000-103000) close(101000-103000) acct(0)');
  ASSERT_EQ(mm.totalVm, 4);

  // Half over the charged pages, half new: two pages charged.
  ASSERT_EQ(mmapRegion(mm, null, 0x103000, 0x3000, rw, 0x103, null), 0x103000);
  ASSERT_EQ(take().join(' '), 'mayExpandVm(2) security(2) close(103000-104000) close(103000-104000) acct(0)');

  // Not accountable: read-only, or NORESERVE.
  ASSERT_EQ(mmapRegion(mm, null, 0x200000, 0x2000, ro, 0x200, null), 0x200000);
  ASSERT_EQ(mmapRegion(mm, null, 0x300000, 0x2000, noreserve, 0x300, null), 0x300000);
  ASSERT_EQ(take().join(' '), 'mayExpandVm(2) mayExpandVm(2)');
  ASSERT_FALSE(vmaTest(vmaLookup(mm, 0x300000)!, VMA_ACCOUNT_BIT));

  // Unmapping uncharges what was charged, and closes what it removes.
  vmaIterSet(vmi, 0x104000);
  ASSERT_EQ(doVmiMunmap(vmi, mm, 0x104000, 0x2000, null, false), 0);
  ASSERT_EQ(take().join(' '), 'close(104000-106000) acct(-2)');
  vmaIterSet(vmi, 0x200000);
  ASSERT_EQ(doVmiMunmap(vmi, mm, 0x200000, 0x2000, null, false), 0);
  ASSERT_EQ(take().join(' '), 'close(200000-202000) acct(0)');

  // Refusals: the mapping fails and the VMAs it would have replaced stay.
  const before = mm.mapCount;
  enough = -ENOMEM;
  ASSERT_EQ(mmapRegion(mm, null, 0x400000, 0x2000, rw, 0x400, null), -ENOMEM);
  ASSERT_EQ(mmapRegion(mm, null, 0x300000, 0x2000, rw, 0x300, null), -ENOMEM);
  enough = 0;
  expand = false;
  ASSERT_EQ(mmapRegion(mm, null, 0x100000, 0x2000, ro, 0x100, null), -ENOMEM);
  expand = true;
  ASSERT_EQ(take().join(' '), 'mayExpandVm(2) security(2) mayExpandVm(0) security(2) mayExpandVm(0)');
  // The split made while gathering [0x100,0x102) stays, as in the kernel; the pages keep their mapping.
  ASSERT_EQ(mm.mapCount, before + 1);
  ASSERT_TRUE(vmaTest(vmaLookup(mm, 0x100000)!, VMA_WRITE_BIT) && vmaTest(vmaLookup(mm, 0x102000)!, VMA_WRITE_BIT));
  ASSERT_TRUE(vmaTest(vmaLookup(mm, 0x300000)!, VMA_NORESERVE_BIT));
  ASSERT_EQ(vmaLookup(mm, 0x400000), null);
  ASSERT_EQ(mm.totalVm, 6);
  cleanupMm(mm, vmi);
}

/**
 * A file's mmap hooks: mmap_prepare edits the description before any VMA
 * exists (offset, flags, ops, private data, even the file), and its failure
 * leaves what was mapped there; the older mmap hook runs on the new VMA, and
 * its failure unmaps it. Moving the VMA or making it writable behind the
 * caller's back is reported. KSM's flags are applied either way.
 */
function testMmapFileHooks(b: Backend): void {
  const log: string[] = [];
  const env = recordingEnv({}, log);
  const mmapHooks: File[] = [];
  Object.assign(env, {
    mmapFile: (file: File, vma: VmAreaStruct) => {
      mmapHooks.push(file);
      return file.fOp.mmap!(file, vma);
    },
    ksmVmaFlags: (_mm: MmStruct, _file: File | null, flags: VmaFlags) => {
      const out = b.copy(flags);
      b.set(out, VMA_MERGEABLE_BIT);
      return out;
    },
  });
  const mm = new MmStruct(b, env);
  const _vmi = VMA_ITERATOR(mm, 0);
  const flags = baseFlags(b);
  const ops: VmOperationsStruct = { close: () => {} };
  const other = mkFile();
  current.mm = mm;

  let prepareError = 0;
  const prepared = mkFile();
  prepared.fOp.mmapPrepare = (desc) => {
    if (prepareError !== 0) return prepareError;
    desc.pgoff += 1;
    b.set(desc.vmaFlags, VMA_DONTDUMP_BIT);
    desc.vmOps = ops;
    desc.privateData = 'driver data';
    // The hook hands over a file it holds a reference on.
    desc.vmFile = getFile(mm, other);
    return 0;
  };
  ASSERT_EQ(mmapRegion(mm, prepared, 0x100000, 0x2000, flags, 0x10, null), 0x100000);
  let vma = vmaLookup(mm, 0x100000)!;
  ASSERT_EQ(vma.vmPgoff, 0x11);
  ASSERT_TRUE(vmaTest(vma, VMA_DONTDUMP_BIT) && vmaTest(vma, VMA_MERGEABLE_BIT));
  ASSERT_EQ(vma.vmOps, ops);
  ASSERT_EQ(vma.vmPrivateData, 'driver data');
  ASSERT_EQ(vma.vmFile, other);
  ASSERT_EQ(mmapHooks.length, 0);

  // A failing prepare hook runs after the old range was cleared and its VMAs
  // closed: that part stays unmapped (a hole), the rest of the VMA stays.
  prepareError = -EINVAL;
  ASSERT_EQ(mmapRegion(mm, prepared, 0x100000, 0x1000, flags, 0x10, null), -EINVAL);
  ASSERT_EQ(vmaLookup(mm, 0x100000), null);
  ASSERT_EQ(vmaLookup(mm, 0x101000)!.vmPgoff, 0x12);
  ASSERT_EQ(vmaLookup(mm, 0x101000)!.vmFile, other);

  // The mmap hook: sets the ops, or fails and leaves nothing mapped.
  log.length = 0;
  let mmapError = 0;
  let misbehave = (_vma: VmAreaStruct): void => {};
  const hooked = mkFile();
  hooked.fOp.mmap = (_file, v) => {
    if (mmapError !== 0) return mmapError;
    v.vmOps = ops;
    misbehave(v);
    return 0;
  };
  ASSERT_EQ(mmapRegion(mm, hooked, 0x200000, 0x2000, flags, 0x20, null), 0x200000);
  vma = vmaLookup(mm, 0x200000)!;
  ASSERT_EQ(vma.vmOps, ops);
  ASSERT_EQ(vma.vmFile, hooked);
  ASSERT_TRUE(vmaTest(vma, VMA_MERGEABLE_BIT));
  ASSERT_EQ(mmapHooks.length, 1);

  mmapError = -EINVAL;
  ASSERT_EQ(mmapRegion(mm, hooked, 0x300000, 0x2000, flags, 0x30, null), -EINVAL);
  ASSERT_EQ(vmaLookup(mm, 0x300000), null);
  mmapError = 0;

  const readOnly = b.copy(flags);
  b.clear(readOnly, VMA_MAYWRITE_BIT);
  misbehave = (v) => b.set(v.flags, VMA_MAYWRITE_BIT);
  ASSERT_EQ(mmapRegion(mm, hooked, 0x400000, 0x1000, readOnly, 0x40, null), 0x400000);
  ASSERT_TRUE(takeWarnings().includes('mmap: driver made the VMA writable'));
  misbehave = (v) => {
    v.vmStart += 0x1000;
  };
  try {
    mmapRegion(mm, hooked, 0x500000, 0x2000, flags, 0x50, null);
  } catch {
    // What follows a moved VMA is undefined; the warning is what counts.
  }
  ASSERT_TRUE(takeWarnings().includes('mmap: driver moved the VMA'));
}

/**
 * The environment's answers reach the decisions that depend on them:
 * khugepaged hears of every merge's result and of each new file VMA (a new
 * anonymous one registers on its first fault instead); soft-dirty tracking
 * and userfaultfd write-protection make a shared writable VMA want write
 * notification (soft-dirty not for hugetlb); a hugetlbfs file is not
 * charged here.
 */
function testEnvironmentHooks(b: Backend): void {
  const entered: string[] = [];
  let softDirty = false;
  let uffdWp = false;
  let hugetlb = false;
  const env = recordingEnv({}, []);
  Object.assign(env, {
    khugepagedEnterVma: (vma: VmAreaStruct) =>
      void entered.push(`${vma.vmStart.toString(16)}-${vma.vmEnd.toString(16)}`),
    vmaSoftDirtyEnabled: () => softDirty,
    userfaultfdWp: () => uffdWp,
    isVmHugetlbPage: () => hugetlb,
    isFileHugepages: () => hugetlb,
  });
  const mm = new MmStruct(b, env);
  const vmi = VMA_ITERATOR(mm, 0);
  const flags = baseFlags(b);
  current.mm = mm;

  ASSERT_EQ(mmapRegion(mm, null, 0x100000, 0x2000, flags, 0x100, null), 0x100000);
  ASSERT_EQ(entered.length, 0);
  ASSERT_EQ(mmapRegion(mm, null, 0x102000, 0x2000, flags, 0x102, null), 0x102000);
  ASSERT_EQ(entered.join(' '), '100000-104000');
  ASSERT_EQ(mmapRegion(mm, mkFile(), 0x200000, 0x2000, flags, 0, null), 0x200000);
  ASSERT_EQ(entered.join(' '), '100000-104000 200000-202000');
  entered.length = 0;
  // An existing range folded into its neighbour: the neighbour is reported.
  const vma = vmaLookup(mm, 0x100000)!;
  vmaIterSet(vmi, 0x102000);
  ASSERT_EQ(splitVma(vmi, vma, 0x102000, false), 0);
  const upper = vmaLookup(mm, 0x102000)!;
  vmaIterSet(vmi, 0x102000);
  ASSERT_EQ(vmaModifyFlags(vmi, vma, upper, 0x102000, 0x104000, b.copy(vma.flags)), vma);
  ASSERT_EQ(entered.join(' '), '100000-104000');

  // Write notification for a shared writable VMA without hooks or file.
  const shared = b.copy(flags);
  b.set(shared, VMA_SHARED_BIT);
  b.set(shared, VMA_MAYSHARE_BIT);
  const sv = allocAndLinkVma(mm, 0x300000, 0x301000, 0x300, shared)!;
  sv.vmOps = null;
  const prot = b.toLegacy(sv.flags);
  ASSERT_FALSE(vmaWantsWritenotify(sv, prot));
  softDirty = true;
  ASSERT_TRUE(vmaWantsWritenotify(sv, prot));
  hugetlb = true;
  ASSERT_FALSE(vmaWantsWritenotify(sv, prot));
  uffdWp = true;
  ASSERT_TRUE(vmaWantsWritenotify(sv, prot));
  softDirty = false;
  uffdWp = false;

  // A private writable mapping of a hugetlbfs file is not charged here.
  ASSERT_EQ(mmapRegion(mm, mkFile(), 0x400000, 0x2000, flags, 0, null), 0x400000);
  ASSERT_FALSE(vmaTest(vmaLookup(mm, 0x400000)!, VMA_ACCOUNT_BIT));
  hugetlb = false;
  ASSERT_EQ(mmapRegion(mm, mkFile(), 0x500000, 0x2000, flags, 0, null), 0x500000);
  ASSERT_TRUE(vmaTest(vmaLookup(mm, 0x500000)!, VMA_ACCOUNT_BIT));
  cleanupMm(mm, vmi);
}

/** The scenarios above, in the kernel's TEST() style. */
export function runMmapRulesTests(b: Backend, TEST: TestRegistrar): void {
  TEST('mmap_region_mdwe', () => testMmapRegionMdwe(b));
  TEST('mmap_region_sealed_file', () => testMmapRegionSealedFile(b));
  TEST('vma_wants_writenotify', () => testVmaWantsWritenotify(b));
  TEST('mmap_region_accounting', () => testMmapRegionAccounting(b));
  TEST('mmap_file_hooks', () => testMmapFileHooks(b));
  TEST('environment_hooks', () => testEnvironmentHooks(b));
}
