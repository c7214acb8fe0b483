import {
  VMA_DONTDUMP_BIT,
  VMA_DONTEXPAND_BIT,
  VMA_MAYSHARE_BIT,
  VMA_MAYWRITE_BIT,
  VMA_SHARED_BIT,
  VMA_SOFTDIRTY_BIT,
  VMA_WRITE_BIT,
} from '@vmaflags/core';
import {
  EINVAL,
  ENOMEM,
  MmStruct,
  PAGE_SIZE,
  PROT_READ,
  VMA_ITERATOR,
  doMprotect,
  mmapRegion,
  vmGetPageProt,
  vmaDummyVmOps,
  vmaIsAnonymous,
  vmaLookup,
  vmaTest,
  type Backend,
  type File,
  type VmAreaDesc,
  type VmAreaStruct,
  type VmOperationsStruct,
  type VmaInternal,
} from '@vmaflags/mm';
import { current, harness } from '../include/custom.js';
import {
  ASSERT_EQ,
  ASSERT_FALSE,
  ASSERT_NE,
  ASSERT_TRUE,
  baseFlags,
  cleanupMm,
  mkFile,
  type TestRegistrar,
} from '../shared.js';

// What mmap_region() does around the file's hooks and after the VMA exists:
// the clean-up when a driver's mmap hook fails, the sanity check on what the
// hook changed, the fields an mmap_prepare hook may set, soft-dirty marking
// and the final page protection.
//
// Facts from linux-mm/linux-mm @009857a22860ec279c1d75b4546a54dcac4c1384
// mm/vma.c: __mmap_region() hands the hook a vm_area_desc whose file is the
// file being mapped; __mmap_new_file_vma() calls unmap_region() over the new
// VMA's range when mmap_file() fails ("undo any partial mapping done by a
// device driver") and warns only when a hook added VM_MAYWRITE to flags that
// lacked it; set_vma_user_defined_fields() runs only for an mmap_prepare
// file, and replaces vm_ops only when the hook set some;
// __mmap_region() calls the mmap_prepare hook only when __mmap_setup()
// succeeded; __mmap_complete() sets VM_SOFTDIRTY only if pgtable_supports_soft_dirty()
// and ends with vma_set_page_prot(). mm/mmap.c: vma_set_page_prot() derives
// vm_page_prot from the final flags, without VM_SHARED when
// vma_wants_writenotify(). include/linux/mm.h: vma_init() installs
// vma_dummy_vm_ops, so a file VMA is never anonymous.

/** The harness with some of its answers replaced, for one mm. */
function envWith(overrides: Partial<VmaInternal>): VmaInternal {
  return Object.assign(Object.create(harness) as VmaInternal, overrides);
}

/** An environment whose mmap_file() runs the file's own mmap hook, as the kernel's does. */
function hookRunningEnv(overrides: Partial<VmaInternal> = {}): VmaInternal {
  return envWith({ mmapFile: (file: File, vma: VmAreaStruct) => file.fOp.mmap!(file, vma), ...overrides });
}

/** A fresh mm in env, made current->mm. */
function mmIn(b: Backend, env: VmaInternal) {
  const mm = new MmStruct(b, env);
  current.mm = mm;
  return { mm, vmi: VMA_ITERATOR(mm, 0) };
}

const page = (addr: number): number => addr / PAGE_SIZE;

/**
 * A driver's mmap hook that filled page-table entries and then failed: the
 * new VMA's range is zapped and nothing is left mapped there, while the
 * neighbours keep their entries. (The page-table entries the model keeps are
 * guard markers; the hook plants some as a driver would populate PTEs.)
 */
function testMmapHookFailureZapsRange(b: Backend): void {
  const { mm, vmi } = mmIn(b, hookRunningEnv());
  const flags = baseFlags(b);
  const file = mkFile();
  file.fOp.mmap = (_file, vma) => {
    for (let addr = vma.vmStart; addr < vma.vmEnd; addr += PAGE_SIZE) mm.guardPtes.add(page(addr));
    return -EINVAL;
  };

  // Alone in the address space: no neighbour bounds the clean-up.
  ASSERT_EQ(mmapRegion(mm, file, 0x101000, 0x3000, flags, 0, null), -EINVAL);
  ASSERT_EQ(mm.guardPtes.size, 0);
  ASSERT_EQ(mm.mapCount, 0);

  ASSERT_EQ(mmapRegion(mm, null, 0x100000, 0x1000, flags, page(0x100000), null), 0x100000);
  ASSERT_EQ(mmapRegion(mm, null, 0x104000, 0x1000, flags, page(0x104000), null), 0x104000);
  mm.guardPtes.add(page(0x100000));
  mm.guardPtes.add(page(0x104000));
  ASSERT_EQ(mmapRegion(mm, file, 0x101000, 0x3000, flags, 0, null), -EINVAL);
  for (let addr = 0x101000; addr < 0x104000; addr += PAGE_SIZE) {
    ASSERT_FALSE(mm.guardPtes.has(page(addr)));
    ASSERT_EQ(vmaLookup(mm, addr), null);
  }
  ASSERT_TRUE(mm.guardPtes.has(page(0x100000)) && mm.guardPtes.has(page(0x104000)));
  ASSERT_EQ(mm.mapCount, 2);
  ASSERT_EQ(mm.totalVm, 2);
  cleanupMm(mm, vmi);
}

/**
 * A driver's mmap hook may change the flags (VM_DONTEXPAND | VM_DONTDUMP is
 * the usual pair) without any warning, also on a mapping it may not make
 * writable; the VMA keeps what the hook set.
 */
function testMmapHookChangesFlags(b: Backend): void {
  const { mm, vmi } = mmIn(b, hookRunningEnv());
  const file = mkFile();
  file.fOp.mmap = (_file, vma) => {
    b.set(vma.flags, VMA_DONTEXPAND_BIT);
    b.set(vma.flags, VMA_DONTDUMP_BIT);
    return 0;
  };
  const readOnly = baseFlags(b);
  b.clear(readOnly, VMA_WRITE_BIT);
  b.clear(readOnly, VMA_MAYWRITE_BIT);
  for (const [addr, flags] of [
    [0x100000, readOnly],
    [0x200000, baseFlags(b)],
  ] as const) {
    ASSERT_EQ(mmapRegion(mm, file, addr, 0x2000, flags, 0, null), addr);
    const vma = vmaLookup(mm, addr)!;
    ASSERT_TRUE(vmaTest(vma, VMA_DONTEXPAND_BIT) && vmaTest(vma, VMA_DONTDUMP_BIT));
    ASSERT_EQ(vmaTest(vma, VMA_MAYWRITE_BIT), b.test(flags, VMA_MAYWRITE_BIT));
  }
  cleanupMm(mm, vmi);
}

/**
 * The older mmap hook sets vm_ops and vm_private_data on the VMA itself;
 * nothing after it resets them (the copy of user-defined fields is only for
 * mmap_prepare).
 */
function testMmapHookPrivateDataKept(b: Backend): void {
  const { mm, vmi } = mmIn(b, hookRunningEnv());
  const ops: VmOperationsStruct = { pageMkwrite: () => 0 };
  const file = mkFile();
  file.fOp.mmap = (_file, vma) => {
    vma.vmOps = ops;
    vma.vmPrivateData = 'driver data';
    return 0;
  };
  ASSERT_EQ(mmapRegion(mm, file, 0x100000, 0x2000, baseFlags(b), 0, null), 0x100000);
  const vma = vmaLookup(mm, 0x100000)!;
  ASSERT_EQ(vma.vmOps, ops);
  ASSERT_EQ(vma.vmPrivateData, 'driver data');
  cleanupMm(mm, vmi);
}

/**
 * An mmap_prepare hook sees the file being mapped in desc->file; one that
 * installs no vm_ops leaves the VMA's default (dummy) ops, so the VMA stays a
 * file VMA and not an anonymous one; one that does gets its ops installed.
 */
function testMmapPrepareDescAndDefaultOps(b: Backend): void {
  const { mm, vmi } = mmIn(b, harness);
  const seen: VmAreaDesc[] = [];
  let ops: VmOperationsStruct | null = null;
  const file = mkFile();
  file.fOp.mmapPrepare = (desc) => {
    seen.push({ ...desc });
    if (ops !== null) desc.vmOps = ops;
    return 0;
  };

  ASSERT_EQ(mmapRegion(mm, file, 0x100000, 0x2000, baseFlags(b), 0x10, null), 0x100000);
  ASSERT_EQ(seen.length, 1);
  ASSERT_EQ(seen[0]!.file, file);
  ASSERT_EQ(seen[0]!.vmFile, file);
  ASSERT_EQ(seen[0]!.start, 0x100000);
  ASSERT_EQ(seen[0]!.end, 0x102000);
  ASSERT_EQ(seen[0]!.pgoff, 0x10);
  let vma = vmaLookup(mm, 0x100000)!;
  ASSERT_EQ(vma.vmFile, file);
  ASSERT_EQ(vma.vmOps, vmaDummyVmOps);
  ASSERT_FALSE(vmaIsAnonymous(vma));

  ops = { pageMkwrite: () => 0 };
  ASSERT_EQ(mmapRegion(mm, file, 0x200000, 0x2000, baseFlags(b), 0x20, null), 0x200000);
  vma = vmaLookup(mm, 0x200000)!;
  ASSERT_EQ(seen[1]!.file, file);
  ASSERT_EQ(vma.vmOps, ops);
  cleanupMm(mm, vmi);
}

/**
 * A new mapping is marked soft-dirty only where the page tables can carry
 * the bit: with CONFIG_MEM_SOFT_DIRTY the answer can still be no at run time
 * (torvalds/linux @8f3a2b4a96dc014e99e1df327db1450fdbbd5e15
 * arch/riscv/include/asm/pgtable.h: pgtable_supports_soft_dirty() also needs
 * the Svrsw60t59b extension), and then VM_SOFTDIRTY stays clear.
 */
function testMmapSoftDirtyNeedsPgtableSupport(b: Backend): void {
  for (const supported of [true, false]) {
    const { mm, vmi } = mmIn(b, envWith({ pgtableSupportsSoftDirty: () => supported }));
    ASSERT_EQ(mmapRegion(mm, null, 0x100000, 0x2000, baseFlags(b), page(0x100000), null), 0x100000);
    ASSERT_EQ(mmapRegion(mm, mkFile(), 0x200000, 0x2000, baseFlags(b), 0, null), 0x200000);
    ASSERT_EQ(vmaTest(vmaLookup(mm, 0x100000)!, VMA_SOFTDIRTY_BIT), supported);
    ASSERT_EQ(vmaTest(vmaLookup(mm, 0x200000)!, VMA_SOFTDIRTY_BIT), supported);
    cleanupMm(mm, vmi);
  }
}

/**
 * The page protection a new VMA ends up with follows its final flags (with
 * VM_ACCOUNT and VM_SOFTDIRTY added during the mmap), and for a shared
 * writable file mapping the flags without VM_SHARED, so the first write
 * faults and the file learns of it. An mprotect() later derives it afresh
 * (pgprot_modify() keeps only the cache attributes of the old protection).
 */
function testMmapFinalPageProt(b: Backend): void {
  const { mm, vmi } = mmIn(b, harness);
  const flags = baseFlags(b);
  ASSERT_EQ(mmapRegion(mm, null, 0x100000, 0x2000, flags, page(0x100000), null), 0x100000);
  let vma = vmaLookup(mm, 0x100000)!;
  ASSERT_NE(vmGetPageProt(b, vma.flags), vmGetPageProt(b, flags));
  ASSERT_EQ(vma.vmPageProt, vmGetPageProt(b, vma.flags));
  // Made read-only later, it keeps nothing of the writable protection.
  ASSERT_EQ(doMprotect(mm, 0x100000, 0x2000, PROT_READ), 0);
  vma = vmaLookup(mm, 0x100000)!;
  ASSERT_FALSE(vmaTest(vma, VMA_WRITE_BIT));
  ASSERT_EQ(vma.vmPageProt, vmGetPageProt(b, vma.flags));

  const shared = baseFlags(b);
  b.set(shared, VMA_SHARED_BIT);
  b.set(shared, VMA_MAYSHARE_BIT);
  ASSERT_EQ(mmapRegion(mm, mkFile(), 0x200000, 0x2000, shared, 0, null), 0x200000);
  vma = vmaLookup(mm, 0x200000)!;
  const private_ = b.copy(vma.flags);
  b.clear(private_, VMA_SHARED_BIT);
  ASSERT_EQ(vma.vmPageProt, vmGetPageProt(b, private_));
  cleanupMm(mm, vmi);
}

/**
 * An mmap_prepare hook runs only once the mapping passed its limits: over
 * the address-space limit the mmap fails before the hook is called, and
 * nothing is mapped.
 */
function testMmapPrepareNotCalledOverLimit(b: Backend): void {
  let mayExpand = false;
  const { mm, vmi } = mmIn(b, envWith({ mayExpandVm: () => mayExpand }));
  let calls = 0;
  const file = mkFile();
  file.fOp.mmapPrepare = () => {
    calls++;
    return 0;
  };
  ASSERT_EQ(mmapRegion(mm, file, 0x100000, 0x2000, baseFlags(b), 0, null), -ENOMEM);
  ASSERT_EQ(calls, 0);
  ASSERT_EQ(vmaLookup(mm, 0x100000), null);
  ASSERT_EQ(mm.mapCount, 0);
  mayExpand = true;
  ASSERT_EQ(mmapRegion(mm, file, 0x100000, 0x2000, baseFlags(b), 0, null), 0x100000);
  ASSERT_EQ(calls, 1);
  cleanupMm(mm, vmi);
}

/** The scenarios above, in the kernel's TEST() style. */
export function runMmapRegionRulesTests(b: Backend, TEST: TestRegistrar): void {
  TEST('mmap_hook_failure_zaps_range', () => testMmapHookFailureZapsRange(b));
  TEST('mmap_hook_changes_flags', () => testMmapHookChangesFlags(b));
  TEST('mmap_hook_private_data_kept', () => testMmapHookPrivateDataKept(b));
  TEST('mmap_prepare_desc_and_default_ops', () => testMmapPrepareDescAndDefaultOps(b));
  TEST('mmap_soft_dirty_needs_pgtable_support', () => testMmapSoftDirtyNeedsPgtableSupport(b));
  TEST('mmap_final_page_prot', () => testMmapFinalPageProt(b));
  TEST('mmap_prepare_not_called_over_limit', () => testMmapPrepareNotCalledOverLimit(b));
}
