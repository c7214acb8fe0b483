// @vmaflags/native — the vmaflags model in Rust, loaded through Node-API:
// a FlagsBackend, the kernel's Rust VMA types and a fast path over arenas.
import { binding } from './binding.js';

export { nativeBackend, type NativeVmaFlags } from './native_backend.js';
export { VmaRef, VmaMixedMap, VmaNew, flags, virtFlags, type VirtFlags } from './virt.js';
export { registerArena, nativeMask, type NativeArena, type NativeMask } from './native_arena.js';
export { missingBindingMessage, platformPackage, PLATFORM_SUFFIXES, type HostInfo } from './load_binding.js';

/** Does nothing, natively: the baseline cost of one call into the addon. */
export const noop: () => void = binding.noop;

/**
 * Does nothing, natively, through a Node-API callback with no napi-rs
 * wrapper: the floor for the cost of any call into native code.
 */
export const rawNoop: () => void = binding.rawNoop();
