import { vmaFlagsSetFlag, vmaFlagsTest } from './bit_helpers.js';
import { rangeError, typeError } from './errors.js';
import { vmaFlagTable } from './flag_table.js';
import { VmAreaStruct } from './vm_area_struct.js';
import { vmaAssertStabilised } from './vma_lock.js';
import { safeInstanceOf } from './is_instance.js';

// The one kind of flag change allowed under a read lock: setting a bit listed
// in VM_ATOMIC_SET_ALLOWED (only MAYBE_GUARD) with an atomic set_bit, so that
// madvise(MADV_GUARD_INSTALL) can mark a VMA while holding the mmap lock for
// read. JS runs one thread per bitmap, so a plain set is already atomic.
//
// The kernel warns once and ignores any other bit; here it is a RangeError,
// thrown before any lock check or write.

function assertVma(vma: unknown): asserts vma is VmAreaStruct {
  if (!safeInstanceOf(vma, VmAreaStruct)) throw typeError('vma', 'a VmAreaStruct', vma);
}

function checkBit(vma: VmAreaStruct, bit: unknown): number {
  const numBits = vma.flags.config.numVmaFlagBits;
  if (typeof bit !== 'number') throw typeError('bit', `an integer in [0, ${numBits})`, bit);
  if (!Number.isInteger(bit) || bit < 0 || bit >= numBits)
    throw rangeError('bit', `an integer in [0, ${numBits})`, bit);
  return bit;
}

function allowedBits(vma: VmAreaStruct): bigint {
  return vmaFlagTable(vma.flags.config).VM_ATOMIC_SET_ALLOWED;
}

function requireAllowed(vma: VmAreaStruct, bit: unknown): number {
  const b = checkBit(vma, bit);
  if (!isAllowed(vma, b)) {
    throw rangeError('bit', 'a bit in VM_ATOMIC_SET_ALLOWED (only VMA_MAYBE_GUARD_BIT = 11)', bit);
  }
  return b;
}

function isAllowed(vma: VmAreaStruct, bit: number): boolean {
  return bit < vma.flags.config.bitsPerLong && ((allowedBits(vma) >> BigInt(bit)) & 1n) === 1n;
}

/**
 * `__vma_atomic_valid_flag`: whether `bit` may be set or tested atomically
 * (it is in VM_ATOMIC_SET_ALLOWED). A non-integer or out-of-range bit is a
 * RangeError; any other bit answers false.
 */
export function __vmaAtomicValidFlag(vma: VmAreaStruct, bit: number): boolean {
  assertVma(vma);
  return isAllowed(vma, checkBit(vma, bit));
}

/**
 * `vma_set_atomic_flag`: set an atomic-capable bit under only a read lock:
 * the mmap lock (read or write) or a VMA lock (vma_assert_stabilised).
 */
export function vmaSetAtomicFlag(vma: VmAreaStruct, bit: number): void {
  assertVma(vma);
  const b = requireAllowed(vma, bit);
  vmaAssertStabilised(vma, 'vma_set_atomic_flag');
  vmaFlagsSetFlag(vma.flags, b);
}

/**
 * `vma_test_atomic_flag`: read an atomic-capable bit, no lock needed (the
 * answer may be stale the moment it is returned).
 */
export function vmaTestAtomicFlag(vma: VmAreaStruct, bit: number): boolean {
  assertVma(vma);
  return vmaFlagsTest(vma.flags, requireAllowed(vma, bit));
}

/**
 * `vma_flag_set_atomic` (series v3 name).
 * @deprecated Renamed `vma_set_atomic_flag`: use {@link vmaSetAtomicFlag}.
 */
export const vmaFlagSetAtomic: typeof vmaSetAtomicFlag = vmaSetAtomicFlag;

/**
 * `vma_flag_test_atomic` (series v3 name).
 * @deprecated Renamed `vma_test_atomic_flag`: use {@link vmaTestAtomicFlag}.
 */
export const vmaFlagTestAtomic: typeof vmaTestAtomicFlag = vmaTestAtomicFlag;
