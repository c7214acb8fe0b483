import type { VmaMergeStruct } from '../../mm/vma_merge_struct.js';
import type { MmStruct } from './mm_types.js';

// include/linux/bug.h and mmdebug.h. What a warning means is the
// environment's call (a harness records it, a simulator treats it as its own
// bug), so each check names the mm whose environment hears about it. A
// warning does not stop the code that raised it; a BUG does.

export function WARN_ON(mm: MmStruct, condition: boolean, what = 'WARN_ON'): boolean {
  if (condition) mm.internal.warn(what);
  return condition;
}

export const WARN_ON_ONCE = WARN_ON;
export const VM_WARN_ON = WARN_ON;
export const VM_WARN_ON_ONCE = WARN_ON;

export function VM_WARN_ON_VMG(condition: boolean, vmg: VmaMergeStruct, what = 'VM_WARN_ON_VMG'): boolean {
  if (condition) vmg.vmi.mm.internal.warn(what);
  return condition;
}

export function BUG_ON(mm: MmStruct, condition: boolean, what = 'BUG_ON'): void {
  if (condition) mm.internal.bug(what);
}

export const VM_BUG_ON = BUG_ON;
