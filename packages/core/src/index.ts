// @vmaflags/core — the kernel's VMA flags model. Every module mirrors one kernel
// concept; see the README for the name mapping.
export * from './errors.js';
export * from './config.js';
export * from './vma_flag.js';
export * from './vm_word.js';
export * from './vma_flags.js';
export * from './word_helpers.js';
export * from './bit_helpers.js';
export * from './arena.js';
export * from './backend.js';
export * from './core_backend.js';
export * from './aliases.js';
export * from './flag_table.js';
export * from './flag_names.js';
export * from './default_flags.js';
export * from './smaps.js';
export * from './format_flags.js';
export * from './page_prot.js';
export * from './mm_struct.js';
export * from './vma_lock.js';
export * from './vm_area_struct.js';
export * from './vm_area_desc.js';
export * from './vm_flags.js';
export * from './atomic_flags.js';
export * from './kconfig.js';
export * from './is_instance.js';
