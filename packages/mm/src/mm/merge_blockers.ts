import type { File } from '../include/linux/fs.js';
import { vmaPages, vmaPolicy } from '../include/linux/mm.js';
import type { VmAreaStruct } from '../include/linux/mm_types.js';
import type { AnonVma } from '../include/linux/rmap.js';
import type { Backend, PgoffT, VmaFlags } from '../include/linux/types.js';
import { vmaFlagMasks } from '../include/linux/vma_flag_masks.js';
import {
  anonVmaName,
  anonVmaNameEq,
  isMergeableVmUserfaultfdCtx,
  mpolEqual,
  type AnonVmaName,
  type Mempolicy,
  type VmUserfaultfdCtx,
} from '../include/stubs.js';

// "Why would these two not merge": the mergeability predicates of mm/vma.c
// (is_mergeable_vma, is_mergeable_anon_vma, the pgoff and VM_SPECIAL rules)
// in one place, each answering with a reason code. vma.ts decides merges
// with them; vmaMergeBlockers() turns them into every reason two neighbouring
// VMAs stay apart.

/** Why two VMAs cannot become one, in the kernel's terms. */
export type MergeBlockerCode =
  /** They do not touch: prev ends below next's start. */
  | 'gap'
  /** VM_SPECIAL (IO, DONTEXPAND, PFNMAP, MIXEDMAP) is set: such VMAs are never merged. */
  | 'special'
  /** Different NUMA memory policies. */
  | 'mempolicy'
  /** The flags differ in bits that count (all but VMA_IGNORE_MERGE_FLAGS). */
  | 'flags'
  /** Different files, or a file and anonymous memory (vm_file is compared by identity). */
  | 'file'
  /** Registered with different userfaultfd contexts. */
  | 'uffd_ctx'
  /** Different anon_vma_name. */
  | 'anon_name'
  /** Both have anonymous memory under different anon_vmas. */
  | 'anon_vma'
  /** One side's anon_vma came through fork (a chain of more than one link). */
  | 'fork_child'
  /** next's pgoff does not continue prev's. */
  | 'pgoff';

/** One reason two VMAs stay apart. */
export interface MergeBlocker {
  /** Which rule. */
  readonly code: MergeBlockerCode;
  /** 'flags': the differing bits that prevent the merge; 'special': the VM_SPECIAL bits set. Otherwise null. */
  readonly flags: VmaFlags | null;
}

/** What is_mergeable_vma compares a neighbour against: these fields of vma_merge_struct. */
export interface MergeRequestAttrs {
  /** The NUMA memory policy of the range. */
  readonly policy: Mempolicy;
  /** The flags the range will have. */
  readonly vmaFlags: VmaFlags;
  /** The file the range maps, or null for anonymous memory. */
  readonly file: File | null;
  /** The userfaultfd context the range is registered with. */
  readonly uffdCtx: VmUserfaultfdCtx;
  /** The name of anonymous memory (prctl PR_SET_VMA_ANON_NAME). */
  readonly anonName: AnonVmaName;
}

/** The flags differ at most in bits a merge ignores (VMA_IGNORE_MERGE_FLAGS). */
export function flagsMergeCompatible(b: Backend, a: VmaFlags, c: VmaFlags): boolean {
  return b.samePair(a, c) || b.empty(flagsMergeDiff(b, a, c));
}

/** The bits in which a and c differ, less those a merge ignores. */
function flagsMergeDiff(b: Backend, a: VmaFlags, c: VmaFlags): VmaFlags {
  const diff = b.diffPair(a, c);
  b.clearMask(diff, vmaFlagMasks(b).VMA_IGNORE_MERGE_FLAGS);
  return diff;
}

/** True when vma's anon_vma came to it through fork(), so pages may be shared copy-on-write. */
export function vmaIsForkChild(vma: VmAreaStruct | null): boolean {
  // A child's VMA is chained to its parent's anon_vma as well as its own.
  // Merging it would make more VMAs contend on one root lock, so it is kept apart.
  return vma !== null && vma.anonVma !== null && vma.anonVmaChain.length !== 1;
}

type AttrCheck = readonly [MergeBlockerCode, (vma: VmAreaStruct, req: MergeRequestAttrs) => boolean];

// is_mergeable_vma, in the kernel's order.
const VMA_ATTR_CHECKS: readonly AttrCheck[] = [
  ['mempolicy', (vma, req) => mpolEqual(req.policy, vmaPolicy(vma))],
  ['flags', (vma, req) => flagsMergeCompatible(vma.vmMm.backend, vma.flags, req.vmaFlags)],
  ['file', (vma, req) => vma.vmFile === req.file],
  ['uffd_ctx', (vma, req) => isMergeableVmUserfaultfdCtx(vma, req.uffdCtx)],
  ['anon_name', (vma, req) => anonVmaNameEq(anonVmaName(vma), req.anonName)],
];

/** is_mergeable_vma: the first attribute of `vma` a range with `req` cannot share, or null when it can. */
export function isMergeableVmaBlocker(vma: VmAreaStruct, req: MergeRequestAttrs): MergeBlockerCode | null {
  for (const [code, ok] of VMA_ATTR_CHECKS) if (!ok(vma, req)) return code;
  return null;
}

/**
 * is_mergeable_anon_vma: whether `tgt` can absorb a range whose anon_vma is
 * `srcAnon` (`src` the VMA it comes from, `copiedFrom` the original of a
 * copy_vma()), as a reason code, or null when it can.
 */
export function isMergeableAnonVmaBlocker(
  tgt: VmAreaStruct,
  srcAnon: AnonVma | null,
  src: VmAreaStruct | null,
  copiedFrom: VmAreaStruct | null,
): 'anon_vma' | 'fork_child' | null {
  const tgtAnon = tgt.anonVma;
  // Unfaulted target: dup_anon_vma() will hand it the request's anon_vma,
  // which is only allowed when neither source is a fork child.
  if (tgtAnon === null && srcAnon !== null) {
    return vmaIsForkChild(src) || vmaIsForkChild(copiedFrom) ? 'fork_child' : null;
  }
  // Faulted target, unfaulted request: the result simply keeps the target's.
  if (tgtAnon !== null && srcAnon === null) return vmaIsForkChild(tgt) ? 'fork_child' : null;
  // Otherwise both sides must point at the same anon_vma (or both at none).
  return srcAnon === tgtAnon ? null : 'anon_vma';
}

/** A range starting at page offset `pgoff` continues prev's file (or anonymous) offsets. */
export function vmaPgoffContinues(prev: VmAreaStruct, pgoff: PgoffT): boolean {
  return prev.vmPgoff + vmaPages(prev) === pgoff;
}

/**
 * Every reason the kernel would not merge `next` into `prev` if an operation
 * on next (an mprotect, madvise or mremap leaving its attributes as they are)
 * asked it to: the checks of vma_merge_existing_range with next as the
 * middle and prev as the target, all evaluated, in the kernel's order.
 * Empty when they would merge.
 */
export function vmaMergeBlockers(prev: VmAreaStruct, next: VmAreaStruct): MergeBlocker[] {
  const b = prev.vmMm.backend;
  const out: MergeBlocker[] = [];
  if (prev.vmEnd !== next.vmStart) out.push({ code: 'gap', flags: null });
  const special = b.andMask(prev.flags, vmaFlagMasks(b).VMA_SPECIAL_FLAGS);
  b.setMask(special, b.andMask(next.flags, vmaFlagMasks(b).VMA_SPECIAL_FLAGS));
  if (!b.empty(special)) out.push({ code: 'special', flags: special });
  const req: MergeRequestAttrs = {
    policy: vmaPolicy(next),
    vmaFlags: next.flags,
    file: next.vmFile,
    uffdCtx: next.vmUserfaultfdCtx,
    anonName: anonVmaName(next),
  };
  for (const [code, ok] of VMA_ATTR_CHECKS) {
    if (ok(prev, req)) continue;
    out.push({ code, flags: code === 'flags' ? flagsMergeDiff(b, prev.flags, next.flags) : null });
  }
  const anon = isMergeableAnonVmaBlocker(prev, next.anonVma, next, null);
  if (anon !== null) out.push({ code: anon, flags: null });
  if (!vmaPgoffContinues(prev, next.vmPgoff)) out.push({ code: 'pgoff', flags: null });
  return out;
}
