// @vmaflags/sim — one Linux process's address space at the system-call
// level, on the kernel's VMA code from @vmaflags/mm, replaying the scenario
// format of the live-kernel probe.
export * from './errors.js';
export * from './errno.js';
export * from './options.js';
export * from './scenario.js';
export * from './smaps.js';
export * from './files.js';
export * from './kernel_internal.js';
export * from './address_space.js';
export * from './replay.js';
