import {
  ENOMEM,
  MmStruct,
  VMA_ITERATOR,
  VMA_MERGE_ERROR_NOMEM,
  VMA_MERGE_START,
  VMG_STATE,
  copyVma,
  doVmiMunmap,
  mmapRegion,
  ref,
  splitVma,
  vmaExpand,
  vmaIterSet,
  vmaLookup,
  type Backend,
  type VmAreaStruct,
} from '@vmaflags/mm';
import {
  HarnessMempolicy,
  current,
  harness,
  setFailAnonVmaClone,
  setFailDupPolicy,
  setFailPrealloc,
  setFailUffdUnmapPrep,
} from '../include/custom.js';
import {
  ASSERT_EQ,
  ASSERT_FALSE,
  ASSERT_TRUE,
  allocAndLinkVma,
  baseFlags,
  cleanupMm,
  mkFile,
  readOnlyFlags,
  vmaFaultIn,
  vmaInstallFile,
  type TestRegistrar,
} from '../shared.js';

// Each allocation the VMA code cannot do without, made to fail: what the
// kernel guarantees afterwards is the error code, a tree as it was, and
// nothing allocated or referenced on the way left behind (the runners' leak
// check sees to the last part).
//
// Facts from linux-mm/linux-mm @009857a22860ec279c1d75b4546a54dcac4c1384
// mm/vma.c: __split_vma() returns the error of vma_dup_policy() or
// anon_vma_clone() after putting the new piece's policy and freeing it;
// copy_vma() returns NULL when either fails, freeing the copy; vma_expand()
// returns the error of dup_anon_vma() before changing anything;
// commit_merge() returns -ENOMEM when preallocation fails;
// vms_gather_munmap_vmas() calls userfaultfd_unmap_prep() for each VMA it
// gathers only when the caller passed a userfaultfd list, and on its error
// reattaches what it detached and fails the unmap. mm/rmap.c: a failed
// anon_vma_clone() leaves dst without an anon_vma.

type Inject = (fail: boolean) => void;

/** A split whose policy copy or anon_vma clone fails changes nothing and returns -ENOMEM. */
function testSplitFailures(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const file = mkFile();
  for (const inject of [setFailDupPolicy, setFailAnonVmaClone] as Inject[]) {
    for (const newBelow of [false, true]) {
      const vma = allocAndLinkVma(mm, 0x100000, 0x104000, 0x100, baseFlags(b))!;
      vmaInstallFile(vma, file);
      const pol = harness.mpolNew();
      vma.vmPolicy = pol;
      const anonVma = vmaFaultIn(vma);
      vmaIterSet(vmi, 0x100000);
      inject(true);
      ASSERT_EQ(splitVma(vmi, vma, 0x102000, newBelow), -ENOMEM);
      inject(false);
      ASSERT_EQ(mm.mapCount, 1);
      ASSERT_EQ(vmaLookup(mm, 0x100000), vma);
      ASSERT_EQ(vmaLookup(mm, 0x103000), vma);
      ASSERT_EQ(vma.vmStart, 0x100000);
      ASSERT_EQ(vma.vmEnd, 0x104000);
      ASSERT_EQ(vma.vmPgoff, 0x100);
      ASSERT_EQ(vma.anonVma, anonVma);
      ASSERT_EQ(harness.liveVmas.size, 1);
      ASSERT_EQ(harness.livePolicies.size, 1);
      ASSERT_EQ(pol.refcnt, 1);
      ASSERT_EQ(harness.fileReferences(file), 1);
      cleanupMm(mm, vmi);
    }
  }
}

/** copy_vma() whose policy copy or anon_vma clone fails returns NULL and leaves nothing behind. */
function testCopyVmaFailures(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const file = mkFile();
  for (const inject of [setFailDupPolicy, setFailAnonVmaClone] as Inject[]) {
    const src = allocAndLinkVma(mm, 0x100000, 0x102000, 0x100, baseFlags(b))!;
    vmaInstallFile(src, file);
    src.vmPolicy = harness.mpolNew();
    inject(true);
    ASSERT_EQ(copyVma(ref(src), 0x400000, 0x2000, 0x100, ref(false)), null);
    inject(false);
    ASSERT_EQ(mm.mapCount, 1);
    ASSERT_EQ(vmaLookup(mm, 0x400000), null);
    ASSERT_EQ(harness.liveVmas.size, 1);
    ASSERT_EQ(harness.livePolicies.size, 1);
    ASSERT_EQ(harness.fileReferences(file), 1);
    cleanupMm(mm, vmi);
  }
}

/**
 * An unfaulted target expanding over a faulted next must take next's
 * anon_vma; if that fails, vma_expand() returns -ENOMEM with both VMAs as
 * they were, also when an mremap() source without pages (copied_from) needs
 * nothing. A failed preallocation in commit_merge() is -ENOMEM too. An
 * expansion over an unfaulted next clones nothing, so cannot fail that way.
 */
function testExpandFailures(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const flags = baseFlags(b);
  for (const inject of [setFailAnonVmaClone, setFailPrealloc] as Inject[]) {
    const target = allocAndLinkVma(mm, 0x100000, 0x101000, 0x100, flags)!;
    const next = allocAndLinkVma(mm, 0x102000, 0x103000, 0x102, flags)!;
    const source = allocAndLinkVma(mm, 0x200000, 0x201000, 0x101, flags)!;
    const anonVma = vmaFaultIn(next);
    const vmg = VMG_STATE(mm, vmi, 0x100000, 0x103000, flags, 0x100);
    vmg.target = target;
    vmg.next = next;
    vmg.copiedFrom = source;
    vmaIterSet(vmi, 0x100000);
    inject(true);
    ASSERT_EQ(vmaExpand(vmg), -ENOMEM);
    inject(false);
    ASSERT_EQ(mm.mapCount, 3);
    ASSERT_EQ(target.vmEnd, 0x101000);
    ASSERT_EQ(vmaLookup(mm, 0x102000), next);
    ASSERT_EQ(next.vmStart, 0x102000);
    if (inject === setFailAnonVmaClone) {
      // Nothing was tried: the target is as unfaulted as before.
      ASSERT_EQ(target.anonVma, null);
      ASSERT_EQ(target.anonVmaChain.length, 0);
      ASSERT_EQ(vmg.state, VMA_MERGE_START);
    } else {
      // The anon_vma it had taken over is unlinked again.
      ASSERT_TRUE(anonVma.wasUnlinked);
      ASSERT_EQ(vmg.state, VMA_MERGE_ERROR_NOMEM);
    }
    cleanupMm(mm, vmi);
  }

  const target = allocAndLinkVma(mm, 0x100000, 0x101000, 0x100, flags)!;
  const next = allocAndLinkVma(mm, 0x102000, 0x103000, 0x102, flags)!;
  const vmg = VMG_STATE(mm, vmi, 0x100000, 0x103000, flags, 0x100);
  vmg.target = target;
  vmg.next = next;
  vmaIterSet(vmi, 0x100000);
  setFailAnonVmaClone(true);
  ASSERT_EQ(vmaExpand(vmg), 0);
  setFailAnonVmaClone(false);
  ASSERT_EQ(mm.mapCount, 1);
  ASSERT_EQ(target.vmEnd, 0x103000);
  cleanupMm(mm, vmi);
}

/**
 * munmap() with a userfaultfd list tells the monitor about each VMA it takes
 * out, over the whole range; without one it tells nobody. A failing
 * notification fails the unmap with every VMA still mapped.
 */
function testMunmapUffdPrep(b: Backend): void {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  const flags = baseFlags(b);
  const readOnly = readOnlyFlags(b);
  const uf = {};
  current.mm = mm;
  const setUp = (): VmAreaStruct[] => {
    ASSERT_EQ(mmapRegion(mm, null, 0x100000, 0x2000, flags, 0x100, null), 0x100000);
    ASSERT_EQ(mmapRegion(mm, null, 0x102000, 0x2000, readOnly, 0x102, null), 0x102000);
    return [vmaLookup(mm, 0x100000)!, vmaLookup(mm, 0x102000)!];
  };

  let vmas = setUp();
  ASSERT_EQ(doVmiMunmap(VMA_ITERATOR(mm, 0x100000), mm, 0x100000, 0x4000, null, false), 0);
  ASSERT_EQ(harness.uffdUnmapPreps.length, 0);
  ASSERT_EQ(mm.mapCount, 0);

  vmas = setUp();
  ASSERT_EQ(doVmiMunmap(VMA_ITERATOR(mm, 0x100000), mm, 0x100000, 0x4000, uf, false), 0);
  ASSERT_EQ(harness.uffdUnmapPreps.length, 2);
  for (const [i, call] of harness.uffdUnmapPreps.entries()) {
    ASSERT_EQ(call.vma, vmas[i]);
    ASSERT_EQ(call.start, 0x100000);
    ASSERT_EQ(call.end, 0x104000);
  }
  ASSERT_EQ(mm.mapCount, 0);

  vmas = setUp();
  setFailUffdUnmapPrep(true);
  ASSERT_EQ(doVmiMunmap(VMA_ITERATOR(mm, 0x100000), mm, 0x100000, 0x4000, uf, false), -ENOMEM);
  setFailUffdUnmapPrep(false);
  ASSERT_EQ(mm.mapCount, 2);
  ASSERT_EQ(vmaLookup(mm, 0x100000), vmas[0]);
  ASSERT_EQ(vmaLookup(mm, 0x103000), vmas[1]);
  for (const vma of vmas) ASSERT_TRUE(harness.liveVmas.has(vma));
  // Still attached: cleanup_mm() detaches them without a warning.
  ASSERT_EQ(cleanupMm(mm, vmi), 2);
  ASSERT_FALSE(harness.liveVmas.size > 0);
}

/** A policy the test gives a VMA is one reference, put when the VMA goes. */
function testPolicyOfUnmappedVma(b: Backend): void {
  const mm = new MmStruct(b, harness);
  current.mm = mm;
  ASSERT_EQ(mmapRegion(mm, null, 0x100000, 0x2000, baseFlags(b), 0x100, null), 0x100000);
  const vma = vmaLookup(mm, 0x100000)!;
  const pol = harness.mpolNew();
  vma.vmPolicy = pol;
  ASSERT_TRUE(pol instanceof HarnessMempolicy);
  ASSERT_EQ(doVmiMunmap(VMA_ITERATOR(mm, 0x100000), mm, 0x100000, 0x2000, null, false), 0);
  ASSERT_EQ(pol.refcnt, 0);
  ASSERT_EQ(harness.livePolicies.size, 0);
}

/** The scenarios above, in the kernel's TEST() style. */
export function runFailureRulesTests(b: Backend, TEST: TestRegistrar): void {
  TEST('split_failures', () => testSplitFailures(b));
  TEST('copy_vma_failures', () => testCopyVmaFailures(b));
  TEST('expand_failures', () => testExpandFailures(b));
  TEST('munmap_uffd_prep', () => testMunmapUffdPrep(b));
  TEST('policy_of_unmapped_vma', () => testPolicyOfUnmappedVma(b));
}
