import type { MmStruct } from './mm_types.js';

// include/linux/sched.h and personality.h: the task an address space belongs to.

/** READ_IMPLIES_EXEC personality bit: PROT_READ mappings also get PROT_EXEC. */
export const READ_IMPLIES_EXEC = 0x0400000;

/** struct task_struct (partial). */
export interface TaskStruct {
  comm: string;
  pid: number;
  mm: MmStruct | null;
  personality: number;
}
