import { lanesOf, writableLanesOf } from './access_private.js';
import { bitmapCopy, configMismatch, toVmWord } from './bitmap.js';
import { VmaLockError, typeError } from './errors.js';
import { VmAreaStruct } from './vm_area_struct.js';
import { vmaAssertCanModify, vmaAssertWriteLocked, vmaIsAttached, vmaStartWrite } from './vma_lock.js';
import type { VmaFlags } from './vma_flags.js';
import type { VmFlagsInput } from './vm_word.js';
import {
  vmaFlagsClearAll,
  vmaFlagsClearWord,
  vmaFlagsOverwriteWord,
  vmaFlagsOverwriteWordOnce,
  vmaFlagsSetWord,
  vmaFlagsToLegacy,
} from './word_helpers.js';
import { safeInstanceOf } from './is_instance.js';

// The vm_flags_* mutators: legacy one-word values applied to a VMA's bitmap,
// each under the lock its kernel counterpart asserts or takes. Arguments are
// checked first, then the lock, and only then is anything written, so a throw
// leaves the VMA (and its lock state) as it was.
//
// init / reset / mod replace the whole bitmap (higher words end up zero);
// set / clear change word 0 only. The kernel's soft-dirty warning (a
// VM_SOFTDIRTY value while page tables lack soft-dirty support) is not
// modelled: page tables are taken to support soft-dirty whenever
// CONFIG_MEM_SOFT_DIRTY gives VM_SOFTDIRTY a bit.

function assertVma(vma: unknown): asserts vma is VmAreaStruct {
  if (!safeInstanceOf(vma, VmAreaStruct)) throw typeError('vma', 'a VmAreaStruct', vma);
}

function word(vma: VmAreaStruct, value: unknown, arg: string): bigint {
  return toVmWord(value, vma.flags.config.bitsPerLong, arg);
}

// vm_flags_init without its precondition: all words cleared, word 0 := value.
function initWord(vma: VmAreaStruct, value: bigint): void {
  vmaFlagsClearAll(vma.flags);
  vmaFlagsOverwriteWord(vma.flags, value);
}

/**
 * `vm_flags_init`: set the flags of a VMA that is not in the tree yet. The
 * kernel asserts nothing; here the VMA must be detached (rule 'vma_detached'),
 * because an attached VMA is visible to others — use vmFlagsReset there.
 */
export function vmFlagsInit(vma: VmAreaStruct, flags: VmFlagsInput): void {
  assertVma(vma);
  const v = word(vma, flags, 'flags');
  if (vmaIsAttached(vma)) {
    throw new VmaLockError(
      'vma_detached',
      'vm_flags_init',
      'the VMA is attached; vm_flags_init is only for VMAs not yet in the tree (use vm_flags_reset under the VMA write lock)',
    );
  }
  initWord(vma, v);
}

/** `vm_flags_reset`: replace the flags. Requires the VMA write lock (does not take it). */
export function vmFlagsReset(vma: VmAreaStruct, flags: VmFlagsInput): void {
  assertVma(vma);
  const v = word(vma, flags, 'flags');
  vmaAssertWriteLocked(vma, 'vm_flags_reset');
  initWord(vma, v);
}

/**
 * `vm_flags_reset_once`: as vmFlagsReset, but word 0 is written with one untorn
 * store (WRITE_ONCE) after the higher words are zeroed. Requires the VMA write lock.
 */
export function vmFlagsResetOnce(vma: VmAreaStruct, flags: VmFlagsInput): void {
  assertVma(vma);
  const v = word(vma, flags, 'flags');
  vmaAssertWriteLocked(vma, 'vm_flags_reset_once');
  const f = vma.flags;
  if (f.config.numWords > 1) {
    // Zero words 1..n but leave word 0 for the single store below.
    const w0 = vmaFlagsToLegacy(f);
    vmaFlagsClearAll(f);
    vmaFlagsOverwriteWord(f, w0);
  }
  vmaFlagsOverwriteWordOnce(f, v);
}

/**
 * `vma_flags_reset_once`: replace the whole bitmap with `flags`, word 0 first
 * as one untorn store (WRITE_ONCE: lockless readers of word 0 see the old or
 * the new word, never a mix), then words 1..n copied from `flags`. Requires
 * the VMA write lock. {@link vmFlagsResetOnce} is the older one-word form,
 * which zeroes words 1..n instead.
 */
export function vmaFlagsResetOnce(vma: VmAreaStruct, flags: VmaFlags): void {
  assertVma(vma);
  const src = lanesOf(flags, 'flags');
  const config = vma.flags.config;
  if (flags.config !== config && flags.config.key !== config.key)
    throw configMismatch('flags', config, 'vma', flags.config);
  vmaAssertWriteLocked(vma, 'vma_flags_reset_once');
  vmaFlagsOverwriteWordOnce(vma.flags, vmaFlagsToLegacy(flags));
  const first = config.bitsPerLong >>> 5;
  bitmapCopy(writableLanesOf(vma.flags, 'vma.flags'), first, src, first, src.length - first);
}

/** `vm_flags_set`: word 0 |= flags. Takes the VMA write lock; requires the mmap write lock. */
export function vmFlagsSet(vma: VmAreaStruct, flags: VmFlagsInput): void {
  assertVma(vma);
  const v = word(vma, flags, 'flags');
  vmaStartWrite(vma, 'vm_flags_set');
  vmaFlagsSetWord(vma.flags, v);
}

/** `vm_flags_clear`: word 0 &= ~flags. Takes the VMA write lock; requires the mmap write lock. */
export function vmFlagsClear(vma: VmAreaStruct, flags: VmFlagsInput): void {
  assertVma(vma);
  const v = word(vma, flags, 'flags');
  vmaStartWrite(vma, 'vm_flags_clear');
  vmaFlagsClearWord(vma.flags, v);
}

/**
 * `__vm_flags_mod`: flags := (word 0 | set) & ~clear, higher words zeroed. A
 * bit in both `set` and `clear` ends up clear. Takes no lock: meant for a VMA
 * not in the tree or otherwise private; an attached VMA must already be
 * write-locked (rule 'vma_write_locked').
 */
export function __vmFlagsMod(vma: VmAreaStruct, set: VmFlagsInput, clear: VmFlagsInput): void {
  assertVma(vma);
  const s = word(vma, set, 'set');
  const c = word(vma, clear, 'clear');
  vmaAssertCanModify(vma, '__vm_flags_mod');
  initWord(vma, (vmaFlagsToLegacy(vma.flags) | s) & ~c);
}

/** `vm_flags_mod`: {@link __vmFlagsMod} after taking the VMA write lock (requires the mmap write lock). */
export function vmFlagsMod(vma: VmAreaStruct, set: VmFlagsInput, clear: VmFlagsInput): void {
  assertVma(vma);
  const s = word(vma, set, 'set');
  const c = word(vma, clear, 'clear');
  vmaStartWrite(vma, 'vm_flags_mod');
  initWord(vma, (vmaFlagsToLegacy(vma.flags) | s) & ~c);
}
