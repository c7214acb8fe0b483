import type { KernelConfig } from './config.js';
import type { VmaFlags } from './vma_flags.js';

// The kernel reaches the bitmap inside vma_flags_t through ACCESS_PRIVATE.
// Here the storage is an ES private field, so only code inside the class body
// can touch it; the class hands these accessors to the library's own modules
// at load time. This module is deliberately absent from index.ts and the
// package exports, so nothing outside the package can obtain them.

export interface VmaFlagsAccess {
  /** The lanes of `f`; TypeError naming `arg` if `f` is not a VmaFlags. */
  lanes(f: VmaFlags, arg: string): Uint32Array;
  /** As `lanes`, plus a TypeError if `f` is a shared constant. */
  writableLanes(f: VmaFlags, arg: string): Uint32Array;
  /** Whether `f`'s kernel words are 64-bit; `f` must already be a checked VmaFlags. */
  wide(f: VmaFlags): boolean;
  /** A VmaFlags over existing lanes (a view: writes go to `lanes`). */
  wrap(config: KernelConfig, lanes: Uint32Array, constant: boolean): VmaFlags;
}

const unset = (): never => {
  throw new Error('VmaFlags storage accessed before vma_flags.js finished loading');
};

export let lanesOf: VmaFlagsAccess['lanes'] = unset;
export let writableLanesOf: VmaFlagsAccess['writableLanes'] = unset;
export let wideOf: VmaFlagsAccess['wide'] = unset;
export let wrapLanes: VmaFlagsAccess['wrap'] = unset;

let granted = false;

/** Called once, by the VmaFlags class itself. */
export function grantAccess(access: VmaFlagsAccess): void {
  if (granted) throw new Error('VmaFlags storage access was already granted');
  granted = true;
  lanesOf = access.lanes;
  writableLanesOf = access.writableLanes;
  wideOf = access.wide;
  wrapLanes = access.wrap;
}
