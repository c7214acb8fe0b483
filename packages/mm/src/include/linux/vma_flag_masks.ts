import { vmaFlagTable, vmaFlagsToWords, type VmaFlags as CoreVmaFlags } from '@vmaflags/core';
import type { Backend, VmaFlags } from './types.js';

// The VMA_*_FLAGS masks the merge code tests against, as bitmaps of the
// backend in use. The values come from the core flag table for the backend's
// configuration and cross over as plain words, so a backend never receives
// another implementation's handle. Treat them as constants: they are shared.

/**
 * The VMA_*_FLAGS masks of include/linux/mm.h as bitmaps of one backend, as vmaFlagMasks() returns them.
 * Shared by every caller: read them, never pass one where a helper writes.
 */
export interface VmaFlagMasks {
  /** EMPTY_VMA_FLAGS: no flag set. */
  readonly EMPTY_VMA_FLAGS: VmaFlags;
  /** Kept on a merged VMA if any part had them (SOFTDIRTY if configured, MAYBE_GUARD). */
  readonly VMA_STICKY_FLAGS: VmaFlags;
  /** Differences here do not prevent a merge. */
  readonly VMA_IGNORE_MERGE_FLAGS: VmaFlags;
  /** IO, DONTEXPAND, PFNMAP, MIXEDMAP: never merged. */
  readonly VMA_SPECIAL_FLAGS: VmaFlags;
  /** VMA_REMAP_FLAGS: IO, PFNMAP, DONTEXPAND and DONTDUMP, what a PFN remap (remap_pfn_range) sets on its VMA. */
  readonly VMA_REMAP_FLAGS: VmaFlags;
  /** VMA_ACCESS_FLAGS: READ, WRITE and EXEC; a VMA with none of them is inaccessible (PROT_NONE). */
  readonly VMA_ACCESS_FLAGS: VmaFlags;
  /** VMA_LOCKED_MASK: LOCKED and LOCKONFAULT, the bits of a VMA's mlock() state. */
  readonly VMA_LOCKED_MASK: VmaFlags;
  /** VM_STACK for this configuration (GROWSDOWN, or GROWSUP's bit). */
  readonly VM_STACK: VmaFlags;
  /** VM_SHADOW_STACK for this configuration; empty when it does not exist. */
  readonly VM_SHADOW_STACK: VmaFlags;
  /** VM_SOFTDIRTY; empty without CONFIG_MEM_SOFT_DIRTY. */
  readonly VM_SOFTDIRTY: VmaFlags;
}

const cache = new WeakMap<Backend, VmaFlagMasks>();

/** The masks for backend `b`, built once from the core flag table of its configuration and cached per backend. */
export function vmaFlagMasks(b: Backend): VmaFlagMasks {
  const hit = cache.get(b);
  if (hit !== undefined) return hit;
  const t = vmaFlagTable(b.config);
  const mask = (f: CoreVmaFlags): VmaFlags => b.fromWords(vmaFlagsToWords(f));
  const masks: VmaFlagMasks = Object.freeze({
    EMPTY_VMA_FLAGS: b.mk(),
    VMA_STICKY_FLAGS: mask(t.VMA_STICKY_FLAGS),
    VMA_IGNORE_MERGE_FLAGS: mask(t.VMA_IGNORE_MERGE_FLAGS),
    VMA_SPECIAL_FLAGS: mask(t.VMA_SPECIAL_FLAGS),
    VMA_REMAP_FLAGS: mask(t.VMA_REMAP_FLAGS),
    VMA_ACCESS_FLAGS: mask(t.VMA_ACCESS_FLAGS),
    VMA_LOCKED_MASK: mask(t.VMA_LOCKED_MASK),
    VM_STACK: b.fromLegacy(t.VM_STACK),
    VM_SHADOW_STACK: b.fromLegacy(t.VM_SHADOW_STACK),
    VM_SOFTDIRTY: b.fromLegacy(t.VM_SOFTDIRTY),
  });
  cache.set(b, masks);
  return masks;
}
