import type { MmStruct } from './mm_types.js';

// include/linux/sched.h and personality.h: the task an address space belongs to.

/** READ_IMPLIES_EXEC personality bit: PROT_READ mappings also get PROT_EXEC. */
export const READ_IMPLIES_EXEC = 0x0400000;

/** struct task_struct (partial). */
export interface TaskStruct {
  /** comm: the task's command name, as diagnostics print it. */
  comm: string;
  /** pid: the task's id. */
  pid: number;
  /** mm: the address space the task runs in (null for a kernel thread). */
  mm: MmStruct | null;
  /** personality: execution-domain bits; READ_IMPLIES_EXEC among them changes what PROT_READ maps as. */
  personality: number;
}
