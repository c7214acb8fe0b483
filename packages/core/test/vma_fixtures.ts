import { expect } from 'vitest';
import { DEFAULT_CONFIG, type KernelConfig } from '../src/config.js';
import { VmaLockError, type VmaLockRule } from '../src/errors.js';
import { MmStruct, mmapWriteLock, mmapWriteUnlock } from '../src/mm_struct.js';
import { VmAreaStruct } from '../src/vm_area_struct.js';
import { vmaMarkAttached, vmaStartWrite } from '../src/vma_lock.js';
import { vmaFlagsToWords } from '../src/vma_flags.js';

/** A detached VMA [0x1000, 0x3000) with READ|WRITE|MAYREAD|MAYWRITE|MAYEXEC. */
export function detachedVma(config: KernelConfig = DEFAULT_CONFIG): VmAreaStruct {
  return new VmAreaStruct(new MmStruct(config), { start: 0x1000, end: 0x3000, pgoff: 1, flags: 0x73n });
}

/** As detachedVma, but linked into its mm (attached) with every lock released again. */
export function attachedVma(config: KernelConfig = DEFAULT_CONFIG): VmAreaStruct {
  const vma = detachedVma(config);
  mmapWriteLock(vma.vmMm);
  vmaStartWrite(vma);
  vmaMarkAttached(vma);
  mmapWriteUnlock(vma.vmMm);
  return vma;
}

/** Run `fn`, expect a VmaLockError with this rule and helper, and return it. */
export function expectLockError(fn: () => unknown, rule: VmaLockRule, helper: string): VmaLockError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(VmaLockError);
  const err = caught as VmaLockError;
  expect({ rule: err.rule, helper: err.helper }).toEqual({ rule, helper });
  expect(err.message.startsWith(`${helper}: `)).toBe(true);
  expect(err.code).toBe('ERR_VMA_LOCK');
  return err;
}

/** Everything observable about a VMA's flags and lock state, for "nothing changed" checks. */
export function snapshot(vma: VmAreaStruct): unknown {
  return { words: vmaFlagsToWords(vma.flags), seq: vma.vmLockSeq, refcnt: vma.vmRefcnt, mmSeq: vma.vmMm.mmLockSeq };
}
