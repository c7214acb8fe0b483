import { VmaLockError, rangeError, typeError, type VmaLockRule } from './errors.js';
import { MmStruct } from './mm_struct.js';
import type { VmAreaStruct } from './vm_area_struct.js';
import { safeInstanceOf } from './is_instance.js';

// Per-VMA locks (include/linux/mmap_lock.h), modelled single-threaded.
//
// A VMA is write-locked while the mmap lock is held for write and its
// vmLockSeq equals mm_lock_seq; releasing (or downgrading) the mmap write lock
// bumps mm_lock_seq, which drops every VMA write lock at once. vmRefcnt is 0
// for a detached VMA, 1 for an attached one, plus one per VMA reader.
//
// Each assertion throws a VmaLockError where the kernel would warn or splat;
// the optional `helper` names the public helper whose contract was broken.
// Without CONFIG_MMU there are no per-VMA locks: vma_start_write does nothing,
// "VMA write-locked" means "mmap write-locked", and VMAs never count as attached.

/** `UINT_MAX`: the vmLockSeq of a VMA that was never write-locked (`vma_lock_init`). */
export const UINT_MAX = 0xffff_ffff;

// A helper name is quoted in messages, so it is checked first like any argument.
const MAX_HELPER_LENGTH = 64;

function checkHelper(helper: unknown): void {
  if (typeof helper === 'string' && helper.length <= MAX_HELPER_LENGTH) return;
  const allowed = `a helper name (a string of at most ${MAX_HELPER_LENGTH} characters)`;
  throw typeof helper === 'string' ? rangeError('helper', allowed, helper) : typeError('helper', allowed, helper);
}

function mmOf(vma: VmAreaStruct, helper: string): MmStruct {
  checkHelper(helper);
  let mm: unknown;
  try {
    mm = (vma as { vmMm?: unknown } | null | undefined)?.vmMm;
  } catch {
    // A Proxy that throws (or is revoked) is not a VMA: reported below.
  }
  if (!safeInstanceOf(mm, MmStruct)) throw typeError('vma', `a VmAreaStruct (${helper})`, vma);
  return mm;
}

function fail(rule: VmaLockRule, helper: string, message: string): never {
  throw new VmaLockError(rule, helper, message);
}

function vmaLabel(vma: VmAreaStruct): string {
  return `VMA [0x${vma.vmStart.toString(16)}, 0x${vma.vmEnd.toString(16)})`;
}

/** `mmap_assert_locked`: the mmap lock is held, for read or write. */
export function mmapAssertLocked(mm: MmStruct, helper = 'mmap_assert_locked'): void {
  checkHelper(helper);
  if (!safeInstanceOf(mm, MmStruct)) throw typeError('mm', 'an MmStruct', mm);
  if (!mm.mmapLock.locked) fail('mmap_locked', helper, 'requires the mmap lock (read or write); it is not held');
}

/** `mmap_assert_write_locked`: the mmap lock is held for write. */
export function mmapAssertWriteLocked(mm: MmStruct, helper = 'mmap_assert_write_locked'): void {
  checkHelper(helper);
  if (!safeInstanceOf(mm, MmStruct)) throw typeError('mm', 'an MmStruct', mm);
  if (!mm.mmapLock.writeLocked) {
    fail(
      'mmap_write_locked',
      helper,
      mm.mmapLock.locked
        ? 'requires the mmap write lock; only a read lock is held'
        : 'requires the mmap write lock; it is not held',
    );
  }
}

/**
 * `__is_vma_write_locked`: whether the VMA is write-locked in the current
 * mmap-write-lock sequence. The kernel asserts the mmap write lock first; this
 * query answers false without it (no VMA can be write-locked then).
 */
export function __isVmaWriteLocked(vma: VmAreaStruct): boolean {
  const lock = mmOf(vma, '__is_vma_write_locked').mmapLock;
  return lock.writeLocked && vma.vmLockSeq === lock.seq;
}

/** `vma_lock_init`: forget any write lock; with `resetRefcnt`, also mark detached. */
export function vmaLockInit(vma: VmAreaStruct, resetRefcnt: boolean): void {
  mmOf(vma, 'vma_lock_init');
  if (resetRefcnt) vma.vmRefcnt = 0;
  vma.vmLockSeq = UINT_MAX;
}

/**
 * `vma_start_write`: write-lock the VMA until the mmap write lock is dropped or
 * downgraded. Requires the mmap write lock. Returns at once if the VMA is
 * already write-locked in this sequence. The kernel would wait for VMA readers
 * to leave; with no other thread to leave, a VMA that has readers throws.
 */
export function vmaStartWrite(vma: VmAreaStruct, helper = 'vma_start_write'): void {
  const mm = mmOf(vma, helper);
  mmapAssertWriteLocked(mm, helper);
  if (!mm.config.options.MMU) return;
  const seq = mm.mmapLock.seq;
  if (vma.vmLockSeq === seq) return;
  if (vma.vmRefcnt > 1) {
    fail('lock_state', helper, `${vmaLabel(vma)} has ${vma.vmRefcnt - 1} VMA reader(s); the writer would wait forever`);
  }
  vma.vmLockSeq = seq;
}

/** `vma_start_write_killable`: as {@link vmaStartWrite}; returns 0 (no signal can arrive). */
export function vmaStartWriteKillable(vma: VmAreaStruct): 0 {
  vmaStartWrite(vma, 'vma_start_write_killable');
  return 0;
}

/**
 * `vma_end_write_all`: drop every VMA write lock of `mm` while keeping the mmap
 * write lock. mmapWriteUnlock / mmapWriteDowngrade already do this.
 */
export function vmaEndWriteAll(mm: MmStruct): void {
  mmapAssertWriteLocked(mm, 'vma_end_write_all');
  mm.mmapLock.endWriteAll('vma_end_write_all');
}

/** `vma_assert_write_locked`: the VMA is write-locked (without MMU: the mmap write lock is held). */
export function vmaAssertWriteLocked(vma: VmAreaStruct, helper = 'vma_assert_write_locked'): void {
  assertWriteLocked(vma, helper, 'vma_write_locked');
}

function assertWriteLocked(vma: VmAreaStruct, helper: string, rule: VmaLockRule): void {
  const mm = mmOf(vma, helper);
  const lock = mm.mmapLock;
  if (!mm.config.options.MMU) {
    if (!lock.writeLocked)
      fail(rule, helper, 'requires the mmap write lock (no per-VMA locks without MMU); it is not held');
    return;
  }
  if (lock.writeLocked && vma.vmLockSeq === lock.seq) return;
  fail(
    rule,
    helper,
    lock.writeLocked
      ? `requires the VMA write lock; ${vmaLabel(vma)} is not write-locked (call vmaStartWrite)`
      : `requires the VMA write lock, which needs the mmap write lock; the mmap lock is ${lock.locked ? 'only read-held' : 'not held'}`,
  );
}

/** `vma_is_attached`: the VMA is in its mm's tree (vm_refcnt > 0). */
export function vmaIsAttached(vma: VmAreaStruct): boolean {
  mmOf(vma, 'vma_is_attached');
  return vma.vmRefcnt > 0;
}

/**
 * `vma_assert_locked`: the VMA is read- or write-locked and attached. A VMA
 * reader shows as vm_refcnt > 1; at exactly 1 it must be write-locked.
 */
export function vmaAssertLocked(vma: VmAreaStruct, helper = 'vma_assert_locked'): void {
  assertLocked(vma, helper, 'vma_locked');
}

function assertLocked(vma: VmAreaStruct, helper: string, rule: VmaLockRule): void {
  const mm = mmOf(vma, helper);
  // No per-VMA locks without MMU: only the mmap write lock can stand in.
  if (!mm.config.options.MMU) {
    assertWriteLocked(vma, helper, rule);
    return;
  }
  if (vma.vmRefcnt > 1) return;
  if (vma.vmRefcnt === 0)
    fail(rule, helper, `requires a VMA lock, but ${vmaLabel(vma)} is detached (and no mmap lock is held)`);
  assertWriteLocked(vma, helper, rule);
}

/**
 * `vma_assert_stabilised`: the VMA cannot change underneath the caller, because
 * the mmap lock is held (by anyone: the non-lockdep rule) or, failing that,
 * the VMA itself is read- or write-locked.
 */
export function vmaAssertStabilised(vma: VmAreaStruct, helper = 'vma_assert_stabilised'): void {
  const mm = mmOf(vma, helper);
  if (mm.mmapLock.locked) return;
  if (vma.vmRefcnt > 1) return;
  fail(
    'vma_stabilised',
    helper,
    vma.vmRefcnt === 0
      ? `requires the mmap lock or a VMA lock; neither is held and ${vmaLabel(vma)} is detached`
      : `requires the mmap lock (read or write) or a VMA lock on ${vmaLabel(vma)}; neither is held`,
  );
}

/** `vma_assert_attached`. A no-op without MMU, as in the kernel. */
export function vmaAssertAttached(vma: VmAreaStruct, helper = 'vma_assert_attached'): void {
  const mm = mmOf(vma, helper);
  if (!mm.config.options.MMU) return;
  if (vma.vmRefcnt === 0) fail('lock_state', helper, `${vmaLabel(vma)} must be attached; it is detached`);
}

/** `vma_assert_detached`. */
export function vmaAssertDetached(vma: VmAreaStruct, helper = 'vma_assert_detached'): void {
  mmOf(vma, helper);
  if (vma.vmRefcnt !== 0)
    fail('vma_detached', helper, `${vmaLabel(vma)} must be detached (not yet in the tree); it is attached`);
}

/**
 * `vma_assert_can_modify`: a VMA's flags may change freely while it is
 * detached (private to its creator); once attached, only under its write lock.
 */
export function vmaAssertCanModify(vma: VmAreaStruct, helper = 'vma_assert_can_modify'): void {
  mmOf(vma, helper);
  if (vma.vmRefcnt > 0) assertWriteLocked(vma, helper, 'vma_write_locked');
}

/** `vma_mark_attached`: requires the VMA write lock and a detached VMA. No-op without MMU. */
export function vmaMarkAttached(vma: VmAreaStruct): void {
  const mm = mmOf(vma, 'vma_mark_attached');
  if (!mm.config.options.MMU) return;
  vmaAssertWriteLocked(vma, 'vma_mark_attached');
  vmaAssertDetached(vma, 'vma_mark_attached');
  vma.vmRefcnt = 1;
}

/**
 * `vma_mark_detached`: requires the VMA write lock and an attached VMA. The
 * kernel then waits out any VMA readers; here readers make it throw.
 */
export function vmaMarkDetached(vma: VmAreaStruct): void {
  const mm = mmOf(vma, 'vma_mark_detached');
  if (!mm.config.options.MMU) return;
  vmaAssertWriteLocked(vma, 'vma_mark_detached');
  vmaAssertAttached(vma, 'vma_mark_detached');
  if (vma.vmRefcnt > 1) {
    fail(
      'lock_state',
      'vma_mark_detached',
      `${vmaLabel(vma)} has ${vma.vmRefcnt - 1} VMA reader(s); detaching would wait forever`,
    );
  }
  vma.vmRefcnt = 0;
}

/**
 * `vma_start_read` (the lockless, speculative path): take a VMA read lock
 * without the mmap lock. Fails (false) if the VMA is detached or write-locked
 * in the current sequence; callers then fall back to the mmap lock. Without
 * MMU there are no per-VMA locks and it always fails.
 */
export function vmaStartRead(vma: VmAreaStruct): boolean {
  const mm = mmOf(vma, 'vma_start_read');
  if (!mm.config.options.MMU) return false;
  if (vma.vmRefcnt === 0) return false;
  const lock = mm.mmapLock;
  if (lock.writeLocked && vma.vmLockSeq === lock.seq) return false;
  vma.vmRefcnt++;
  return true;
}

/**
 * `vma_start_read_locked`: take a VMA read lock while holding the mmap lock
 * (so no VMA writer can exist), typically to then drop the mmap lock. Fails
 * only for a detached VMA.
 */
export function vmaStartReadLocked(vma: VmAreaStruct): boolean {
  const mm = mmOf(vma, 'vma_start_read_locked');
  mmapAssertLocked(mm, 'vma_start_read_locked');
  if (!mm.config.options.MMU || vma.vmRefcnt === 0) return false;
  vma.vmRefcnt++;
  return true;
}

/** `vma_end_read`: drop a VMA read lock taken by vmaStartRead / vmaStartReadLocked. */
export function vmaEndRead(vma: VmAreaStruct): void {
  mmOf(vma, 'vma_end_read');
  if (vma.vmRefcnt < 2) fail('lock_state', 'vma_end_read', `no VMA read lock is held on ${vmaLabel(vma)}`);
  vma.vmRefcnt--;
}
