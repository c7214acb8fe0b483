import { VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT, VMA_READ_BIT, VMA_WRITE_BIT } from '@vmaflags/core';
import { AnonVma, harness, setFailPrealloc } from './include/custom.js';
import {
  MmStruct,
  UINT_MAX,
  VMA_ITERATOR,
  VMA_MERGE_NOMERGE,
  VMA_MERGE_SUCCESS,
  VmAreaStruct,
  forEachVma,
  mtreeDestroy,
  vmAreaAlloc,
  vmAreaFree,
  vmaAssertAttached,
  vmaAssertDetached,
  vmaExpand,
  vmaIterNextRange,
  vmaIterSet,
  vmaLink,
  vmaMarkDetached,
  vmaMergeExistingRange,
  vmaMergeNewRange,
  vmaMergeStruct,
  vmaNext,
  vmaPrev,
  type AddressSpace,
  type AnonVmaChain,
  FMODE_READ,
  FMODE_WRITE,
  getFile,
  mappingAllowWritable,
  mappingUnmapWritable,
  fput,
  mpolPut,
  vmaPolicy,
  vmaIsSharedMaywrite,
  type Backend,
  type File,
  type PgoffT,
  type Ref,
  type VmaFlags,
  type VmaIterator,
  type VmaMergeStruct,
} from '@vmaflags/mm';

// Helpers the cases share: those of tools/testing/vma/shared.c/shared.h, the
// two that main.c provides, and the ones local to tests/merge.c, plus the
// ASSERT_* macros turned into asserts that throw.

/** The flags nearly every case uses: READ, WRITE, MAYREAD, MAYWRITE. */
export function baseFlags(b: Backend): VmaFlags {
  return b.mk(VMA_READ_BIT, VMA_WRITE_BIT, VMA_MAYREAD_BIT, VMA_MAYWRITE_BIT);
}

export interface MergeFixture {
  vmaFlags: VmaFlags;
  mm: MmStruct;
  vmi: VmaIterator;
  vmg: VmaMergeStruct;
}

/** Base flags, an empty mm, an iterator at 0 and a blank merge request on them. */
export function mergeFixture(b: Backend): MergeFixture {
  const mm = new MmStruct(b, harness);
  const vmi = VMA_ITERATOR(mm, 0);
  return { vmaFlags: baseFlags(b), mm, vmi, vmg: vmaMergeStruct({ mm, vmi }) };
}

/**
 * A readable, writable file with an empty inode and a mapping nobody has
 * sealed, whose writable count the leak check follows.
 */
export function mkFile(): File {
  const mapping: AddressSpace = { iMmapWritable: 0, flags: 0 };
  harness.trackMapping(mapping);
  return {
    fMapping: mapping,
    fOp: {},
    fMode: FMODE_READ | FMODE_WRITE,
    fInode: { iSize: 0 },
    pathNoexec: false,
  };
}

/**
 * Give a VMA already in the tree the file it maps, as if it had been mapped
 * with it: the VMA's file reference and, for a shared writable VMA, one more
 * writer of the file's mapping (what linking a file VMA does).
 */
export function vmaInstallFile(vma: VmAreaStruct, file: File | null): void {
  vma.vmFile = file === null ? null : getFile(vma.vmMm, file);
  if (file?.fMapping != null && vmaIsSharedMaywrite(vma)) mappingAllowWritable(file.fMapping);
}

/** dummy_anon_vma: the anon_vma most tests hand around. */
export const dummyAnonVma = new AnonVma();

/** dummy_close: a close hook that does nothing but exist (it forbids deleting the VMA). */
export function dummyClose(_vma: VmAreaStruct): void {
  // Deliberately empty: only its presence matters.
}

/** alloc_vma: a detached VMA of mm with the given range, offset and (copied) flags. */
export function allocVma(mm: MmStruct, start: number, end: number, pgoff: PgoffT, vmaFlags: VmaFlags): VmAreaStruct {
  const vma = vmAreaAlloc(mm);
  vma.vmStart = start;
  vma.vmEnd = end;
  vma.vmPgoff = pgoff;
  vma.flags = mm.backend.copy(vmaFlags);
  vmaAssertDetached(vma);
  return vma;
}

/** detach_free_vma */
export function detachFreeVma(vma: VmAreaStruct): void {
  vmaMarkDetached(vma);
  vmAreaFree(vma);
}

/** attach_vma (main.c): link into the tree; attached on success. */
export function attachVma(mm: MmStruct, vma: VmAreaStruct): number {
  const res = vmaLink(mm, vma);
  if (res === 0) vmaAssertAttached(vma);
  return res;
}

/** merge_existing (main.c): vma_merge_existing_range, result attached. */
export function mergeExisting(vmg: VmaMergeStruct): VmAreaStruct | null {
  const vma = vmaMergeExistingRange(vmg);
  if (vma !== null) vmaAssertAttached(vma);
  return vma;
}

/**
 * alloc_and_link_vma: alloc_vma + attach_vma, with the write-started probe
 * reset afterwards so linking does not count as a write.
 */
export function allocAndLinkVma(
  mm: MmStruct,
  start: number,
  end: number,
  pgoff: PgoffT,
  vmaFlags: VmaFlags,
): VmAreaStruct | null {
  const vma = allocVma(mm, start, end, pgoff, vmaFlags);
  if (attachVma(mm, vma) !== 0) {
    detachFreeVma(vma);
    return null;
  }
  vma.vmLockSeq = UINT_MAX;
  return vma;
}

/** reset_dummy_anon_vma */
export function resetDummyAnonVma(): void {
  dummyAnonVma.wasCloned = false;
  dummyAnonVma.wasUnlinked = false;
}

/**
 * cleanup_mm: reset the injected failures and the dummy anon_vma's probes,
 * then release every VMA as exit_mmap() would, minus the close hooks (out of
 * its file's writable count, file and policy references dropped, freed) and
 * the tree,
 * so the next scenario starts from an empty mm. Returns the number of VMAs
 * freed.
 */
export function cleanupMm(mm: MmStruct, vmi: VmaIterator): number {
  let count = 0;
  setFailPrealloc(false);
  harness.failAnonVmaClone = false;
  harness.failDupPolicy = false;
  harness.failUffdUnmapPrep = false;
  resetDummyAnonVma();
  vmaIterSet(vmi, 0);
  for (const vma of forEachVma(vmi)) {
    vmaMarkDetached(vma);
    if (vma.vmFile !== null) {
      if (vma.vmFile.fMapping !== null && vmaIsSharedMaywrite(vma)) mappingUnmapWritable(vma.vmFile.fMapping);
      fput(mm, vma.vmFile);
    }
    mpolPut(mm, vmaPolicy(vma));
    vmAreaFree(vma);
    count++;
  }
  mtreeDestroy(mm.mmMt);
  mm.mapCount = 0;
  return count;
}

/**
 * vma_write_started: reads and rearms the vm_lock_seq probe; true if
 * vmaStartWrite() touched the VMA since it was last armed.
 */
export function vmaWriteStarted(vma: VmAreaStruct): boolean {
  const seq = vma.vmLockSeq | 0; // read as a signed int: UINT_MAX is -1
  vma.vmLockSeq = UINT_MAX;
  return seq > -1;
}

/** __vma_set_dummy_anon_vma: give the VMA anonVma through a single chain link. */
export function __vmaSetDummyAnonVma(vma: VmAreaStruct, avc: AnonVmaChain, anonVma: AnonVma): void {
  vma.anonVma = anonVma;
  vma.anonVmaChain = [avc];
  avc.anonVma = vma.anonVma;
}

/** Give the VMA a fresh anon_vma through a single chain link, as its first fault would; returns it. */
export function vmaFaultIn(vma: VmAreaStruct): AnonVma {
  const anonVma = new AnonVma();
  __vmaSetDummyAnonVma(vma, { anonVma }, anonVma);
  return anonVma;
}

/** The base flags without VMA_WRITE: what mprotect(PROT_READ) leaves, unable to merge with writable neighbours. */
export function readOnlyFlags(b: Backend): VmaFlags {
  const flags = baseFlags(b);
  b.clear(flags, VMA_WRITE_BIT);
  return flags;
}

/** vma_set_dummy_anon_vma */
export function vmaSetDummyAnonVma(vma: VmAreaStruct, avc: AnonVmaChain): void {
  __vmaSetDummyAnonVma(vma, avc, dummyAnonVma);
}

// The merge.c helpers.

/** merge_new: look up prev and next around the iterator, step into the gap, then run the new-range merge. */
export function mergeNew(vmg: VmaMergeStruct): VmAreaStruct | null {
  vmg.next = vmaNext(vmg.vmi);
  vmg.prev = vmaPrev(vmg.vmi);
  vmaIterNextRange(vmg.vmi);
  const vma = vmaMergeNewRange(vmg);
  if (vma !== null) vmaAssertAttached(vma);
  return vma;
}

/** expand_existing */
export function expandExisting(vmg: VmaMergeStruct): number {
  return vmaExpand(vmg);
}

/**
 * vmg_set_range: reuse vmg for another request on [start, end): neighbours,
 * target and merge decisions are cleared and the iterator moved to start.
 * vmg.anonVma is deliberately kept.
 */
export function vmgSetRange(vmg: VmaMergeStruct, start: number, end: number, pgoff: PgoffT, vmaFlags: VmaFlags): void {
  vmaIterSet(vmg.vmi, start);
  vmg.prev = null;
  vmg.middle = null;
  vmg.next = null;
  vmg.target = null;
  vmg.start = start;
  vmg.end = end;
  vmg.pgoff = pgoff;
  vmg.vmaFlags = vmg.vmi.mm.backend.copy(vmaFlags);
  vmg.justExpand = false;
  vmg.__removeMiddle = false;
  vmg.__removeNext = false;
  vmg.__adjustMiddleStart = false;
  vmg.__adjustNextStart = false;
}

/** vmg_set_range_anon_vma */
export function vmgSetRangeAnonVma(
  vmg: VmaMergeStruct,
  start: number,
  end: number,
  pgoff: PgoffT,
  vmaFlags: VmaFlags,
  anonVma: AnonVma | null,
): void {
  vmgSetRange(vmg, start, end, pgoff, vmaFlags);
  vmg.anonVma = anonVma;
}

/**
 * try_merge_new_vma: map [start, end) the way mmap would, by merging when a
 * neighbour fits and by linking a fresh VMA otherwise; wasMerged reports
 * which path was taken.
 */
export function tryMergeNewVma(
  mm: MmStruct,
  vmg: VmaMergeStruct,
  start: number,
  end: number,
  pgoff: PgoffT,
  vmaFlags: VmaFlags,
  wasMerged: Ref<boolean>,
): VmAreaStruct | null {
  vmgSetRange(vmg, start, end, pgoff, vmaFlags);
  const merged = mergeNew(vmg);
  if (merged !== null) {
    wasMerged.value = true;
    ASSERT_EQ(vmg.state, VMA_MERGE_SUCCESS);
    return merged;
  }
  wasMerged.value = false;
  ASSERT_EQ(vmg.state, VMA_MERGE_NOMERGE);
  return allocAndLinkVma(mm, start, end, pgoff, vmaFlags);
}

// ---------------------------------------------------------------------------
// TEST(name) and ASSERT_* (shared.h). A failed assert throws, which ends the
// case just as the C macro's early return does; the message has the kernel's
// format and points at the calling line.

/**
 * TEST(name): how a run_*_tests() list hands each case to whatever runs it
 * (the CLI's counter, or a vitest test of the same name).
 */
export type TestRegistrar = (name: string, body: () => void) => void;

export class AssertionFailure extends Error {
  override readonly name = 'AssertionFailure';
}

const FRAME = /at (?:(\S+) \()?(?:.*[\\/])?([^\\/]+?):(\d+):\d+\)?$/;
/** Local assertion helpers of the cases (assertSpan, expectBit, ...): a report should name their caller. */
const HELPER = /^(?:\S+\.)?(?:assert|expect)[A-Z]/;

/** file:line:function() of the case line that failed: the first frame outside this file and the cases' assert helpers. */
function where(): string {
  const frames = (new Error().stack?.split('\n').slice(1) ?? [])
    .map((f) => FRAME.exec(f.trim()))
    .filter((m): m is RegExpExecArray => m !== null && !/^shared\.(ts|js)$/.test(m[2]!));
  const m = frames.find((f) => !HELPER.test(f[1] ?? '')) ?? frames[0];
  return m ? `${m[2]}:${m[3]}:${m[1] ?? '<anonymous>'}()` : '<unknown>';
}

function fail(expr: string, detail = ''): never {
  throw new AssertionFailure(`Assert FAILED at ${where()}: ${expr} is FALSE${detail}.`);
}

function show(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') return v < 0 ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
  if (typeof v === 'bigint') return `0x${v.toString(16)}`;
  if (v instanceof VmAreaStruct)
    return `vma [0x${v.vmStart.toString(16)}, 0x${v.vmEnd.toString(16)}) pgoff 0x${v.vmPgoff.toString(16)}`;
  if (v instanceof AnonVma) return v === dummyAnonVma ? 'anon_vma(dummy)' : 'anon_vma';
  return String(v);
}

export function ASSERT_TRUE(cond: boolean, expr = 'ASSERT_TRUE'): void {
  if (!cond) fail(expr);
}

export function ASSERT_FALSE(cond: boolean, expr = 'ASSERT_FALSE'): void {
  if (cond) fail(expr);
}

/** Identity for objects, value for numbers. */
export function ASSERT_EQ<T>(a: T, b: T, expr = 'ASSERT_EQ'): void {
  if (!Object.is(a, b)) fail(expr, ` (${show(a)} != ${show(b)})`);
}

export function ASSERT_NE<T>(a: T, b: T, expr = 'ASSERT_NE'): void {
  if (Object.is(a, b)) fail(expr, ` (${show(a)} == ${show(b)})`);
}

const words = (b: Backend, f: VmaFlags): string =>
  `{${b
    .toWords(f)
    .map((w) => `0x${w.toString(16)}`)
    .join(', ')}}`;

export function ASSERT_FLAGS_SAME_MASK(b: Backend, flags: VmaFlags, mask: VmaFlags): void {
  if (!b.sameMask(flags, mask)) fail('ASSERT_FLAGS_SAME_MASK', ` (${words(b, flags)} != ${words(b, mask)})`);
}

export function ASSERT_FLAGS_NOT_SAME_MASK(b: Backend, flags: VmaFlags, mask: VmaFlags): void {
  if (b.sameMask(flags, mask)) fail('ASSERT_FLAGS_NOT_SAME_MASK', ` (${words(b, flags)})`);
}

export function ASSERT_FLAGS_SAME(b: Backend, flags: VmaFlags, ...bits: number[]): void {
  if (!b.same(flags, ...bits)) fail('ASSERT_FLAGS_SAME', ` (${words(b, flags)} != bits ${bits.join(', ')})`);
}

export function ASSERT_FLAGS_NOT_SAME(b: Backend, flags: VmaFlags, ...bits: number[]): void {
  if (b.same(flags, ...bits)) fail('ASSERT_FLAGS_NOT_SAME', ` (bits ${bits.join(', ')})`);
}

export function ASSERT_FLAGS_EMPTY(b: Backend, flags: VmaFlags): void {
  if (!b.empty(flags)) fail('ASSERT_FLAGS_EMPTY', ` (${words(b, flags)})`);
}

export function ASSERT_FLAGS_NONEMPTY(b: Backend, flags: VmaFlags): void {
  if (b.empty(flags)) fail('ASSERT_FLAGS_NONEMPTY');
}
