import type { VmaMergeStruct } from '../../mm/vma_merge_struct.js';
import type { MmStruct } from './mm_types.js';

// include/linux/bug.h and mmdebug.h. What a warning means is the
// environment's call (a harness records it, a simulator treats it as its own
// bug), so each check names the mm whose environment hears about it. A
// warning does not stop the code that raised it; a BUG does.

/**
 * WARN_ON: when `condition` holds, tell the mm's environment `what`; returns the condition so a caller can
 * test and warn in one expression. The code carries on either way.
 */
export function WARN_ON(mm: MmStruct, condition: boolean, what = 'WARN_ON'): boolean {
  if (condition) mm.internal.warn(what);
  return condition;
}

/**
 * WARN_ON_ONCE: the kernel prints only the first hit of each site; every hit reaches the environment here,
 * which decides what a repeat means.
 */
export const WARN_ON_ONCE = WARN_ON;
/** VM_WARN_ON (mmdebug.h): a CONFIG_DEBUG_VM check, always compiled in here, reported like WARN_ON. */
export const VM_WARN_ON = WARN_ON;
/** VM_WARN_ON_ONCE (mmdebug.h): the debug-only WARN_ON_ONCE, reported on every hit like VM_WARN_ON. */
export const VM_WARN_ON_ONCE = WARN_ON;

/**
 * VM_WARN_ON_VMG: a debug check on a merge request; the kernel dumps the vma_merge_struct, here the
 * environment of the iterator's mm hears `what`. Returns the condition.
 */
export function VM_WARN_ON_VMG(condition: boolean, vmg: VmaMergeStruct, what = 'VM_WARN_ON_VMG'): boolean {
  if (condition) vmg.vmi.mm.internal.warn(what);
  return condition;
}

/**
 * BUG_ON: an invariant the code cannot go on without. The environment's bug() never returns, so nothing
 * after a failed check runs.
 */
export function BUG_ON(mm: MmStruct, condition: boolean, what = 'BUG_ON'): void {
  if (condition) mm.internal.bug(what);
}

/** VM_BUG_ON (mmdebug.h): the CONFIG_DEBUG_VM form of BUG_ON, always checked here. */
export const VM_BUG_ON = BUG_ON;
