import {
  isKernelConfig,
  readObjectArgument,
  smapVmaFlagMnemonics,
  typeError,
  VMA_EXEC_BIT,
  VMA_MAYSHARE_BIT,
  VMA_READ_BIT,
  VMA_WRITE_BIT,
  safeInstanceOf,
} from '@vmaflags/core';
import { VmAreaStruct, type Backend } from '@vmaflags/mm';
import type { SimFile } from './files.js';
import { WINDOW_BASE, WINDOW_PAGES } from './scenario.js';

// The scenario format's view of a VMA: what /proc/PID/smaps shows for it,
// clipped to the window, in pages from the window base.

/** What backs a VMA: private anonymous memory, the shmem object of a shared anonymous mapping, or a file. */
export type Backing = 'anon' | 'shmem_anon' | 'file';

/** One VMA in the scenario output: its /proc/PID/smaps entry, clipped to the window, in pages from the window base. */
export interface VmaView {
  /** First page (inclusive), clipped to the window. */
  start: number;
  /** Last page (exclusive), clipped to the window. */
  end: number;
  /** The four smaps permission characters: `r`, `w`, `x` or `-`, then `s` when VM_MAYSHARE is set, `p` otherwise. */
  perms: string;
  /** True only when no file (shmem included) backs the VMA. */
  anon: boolean;
  /** What backs the VMA. */
  backing: Backing;
  /** The label of the backing file (`file0` …); null for anonymous and shmem memory. */
  file: string | null;
  /** The offset into the backing file or shmem object, in pages; null for private anonymous memory. */
  pgoff: number | null;
  /** The smaps `VmFlags` mnemonics (`rd`, `wr`, `mr`, …), in the order the kernel prints them. */
  flags: string[];
}

const WINDOW_END = WINDOW_BASE + WINDOW_PAGES * 4096;

/** The VmFlags mnemonics of word 0, in bit order (show_smap_vma_flags). */
function mnemonics(b: Backend, vma: VmAreaStruct): string[] {
  const names = smapVmaFlagMnemonics(b.config);
  const out: string[] = [];
  let word = b.toLegacy(vma.flags);
  for (let bit = 0; word !== 0n; bit++, word >>= 1n) {
    if ((word & 1n) !== 0n && names[bit] !== '') out.push(names[bit]!);
  }
  return out;
}

// The backend must be the one the VMA's flags belong to (its mm's), or one of
// the same config; it is read once, so a throwing getter or Proxy trap is a
// TypeError naming `b`.
function checkBackend(b: unknown, vma: VmAreaStruct): void {
  const allowed = "a FlagsBackend of the VMA's config";
  if (b === vma.vmMm.backend) return;
  const { config, test, toLegacy } = readObjectArgument(b, 'b', allowed, (o: Backend) => ({
    config: o.config as unknown,
    test: o.test as unknown,
    toLegacy: o.toLegacy as unknown,
  }));
  const sameConfig = isKernelConfig(config) && config.key === vma.vmMm.backend.config.key;
  if (!sameConfig || typeof test !== 'function' || typeof toLegacy !== 'function') throw typeError('b', allowed, b);
}

/** One VMA as the scenario output shows it, or null when it lies outside the window. */
export function vmaView(b: Backend, vma: VmAreaStruct): VmaView | null {
  if (!safeInstanceOf(vma, VmAreaStruct)) throw typeError('vma', 'a VmAreaStruct (from @vmaflags/mm)', vma);
  checkBackend(b, vma);
  if (vma.vmEnd <= WINDOW_BASE || vma.vmStart >= WINDOW_END) return null;
  const file = vma.vmFile as SimFile | null;
  const backing: Backing = file === null ? 'anon' : file.shmem ? 'shmem_anon' : 'file';
  const f = vma.flags;
  const perms =
    (b.test(f, VMA_READ_BIT) ? 'r' : '-') +
    (b.test(f, VMA_WRITE_BIT) ? 'w' : '-') +
    (b.test(f, VMA_EXEC_BIT) ? 'x' : '-') +
    (b.test(f, VMA_MAYSHARE_BIT) ? 's' : 'p');
  return {
    start: (Math.max(vma.vmStart, WINDOW_BASE) - WINDOW_BASE) / 4096,
    end: (Math.min(vma.vmEnd, WINDOW_END) - WINDOW_BASE) / 4096,
    perms,
    anon: file === null,
    backing,
    file: file === null ? null : file.label,
    pgoff: file === null ? null : vma.vmPgoff,
    flags: mnemonics(b, vma),
  };
}
