import { DEFAULT_CONFIG, assertKernelConfig, type KernelConfig } from './config.js';
import { vmaFlagTable } from './flag_table.js';

// The two text tables the kernel keeps for VMA flags: the two-letter smaps
// mnemonics (fs/proc/task_mmu.c) and the ordered long names that printk %pGv
// and the show_vma_flags() tracepoint helper print (trace/events/mmflags.h).

/** `struct trace_print_flags`: one entry of an ordered flag-name table. */
export interface TracePrintFlags {
  /** The one-word mask the name stands for. */
  readonly mask: bigint;
  /** The printed name (`read`, `write`, …). */
  readonly name: string;
}

/** Shown for a set bit the smaps table has no mnemonic for. */
export const SMAPS_UNKNOWN_MNEMONIC = '??';

const mnemonicCache = new WeakMap<KernelConfig, readonly string[]>();
const namesCache = new WeakMap<KernelConfig, readonly TracePrintFlags[]>();

function bitOf(mask: bigint): number {
  let b = 0;
  while (mask > 1n) {
    mask >>= 1n;
    b++;
  }
  return b;
}

/**
 * The smaps `VmFlags:` mnemonic of every bit of word 0 (BITS_PER_LONG
 * entries): `??` where the kernel has no name, `''` for bits it never prints
 * (protection keys, MTE_ALLOWED), otherwise the two-letter code.
 */
export function smapVmaFlagMnemonics(config: KernelConfig = DEFAULT_CONFIG): readonly string[] {
  assertKernelConfig(config, 'config');
  let hit = mnemonicCache.get(config);
  if (!hit) {
    hit = Object.freeze(buildMnemonics(config));
    mnemonicCache.set(config, hit);
  }
  return hit;
}

function buildMnemonics(config: KernelConfig): string[] {
  const o = config.options;
  const t = vmaFlagTable(config);
  const out = new Array<string>(config.bitsPerLong).fill(SMAPS_UNKNOWN_MNEMONIC);
  // Assigned in the kernel's initialiser order: where two entries land on the
  // same bit (bit 24 on arm64 BTI and on PPC32) the later one wins.
  const put = (mask: bigint, s: string) => {
    out[bitOf(mask)] = s;
  };
  put(t.VM_READ, 'rd');
  put(t.VM_WRITE, 'wr');
  put(t.VM_EXEC, 'ex');
  put(t.VM_SHARED, 'sh');
  put(t.VM_MAYREAD, 'mr');
  put(t.VM_MAYWRITE, 'mw');
  put(t.VM_MAYEXEC, 'me');
  put(t.VM_MAYSHARE, 'ms');
  put(t.VM_GROWSDOWN, 'gd');
  put(t.VM_PFNMAP, 'pf');
  put(t.VM_MAYBE_GUARD, 'gu');
  put(t.VM_LOCKED, 'lo');
  put(t.VM_IO, 'io');
  put(t.VM_SEQ_READ, 'sr');
  put(t.VM_RAND_READ, 'rr');
  put(t.VM_DONTCOPY, 'dc');
  put(t.VM_DONTEXPAND, 'de');
  put(t.VM_LOCKONFAULT, 'lf');
  put(t.VM_ACCOUNT, 'ac');
  put(t.VM_NORESERVE, 'nr');
  put(t.VM_HUGETLB, 'ht');
  put(t.VM_SYNC, 'sf');
  put(t.VM_ARCH_1, 'ar');
  put(t.VM_WIPEONFORK, 'wf');
  put(t.VM_DONTDUMP, 'dd');
  if (o.ARM64_BTI) put(t.VM_ARM64_BTI, 'bt');
  if (o.MEM_SOFT_DIRTY) put(t.VM_SOFTDIRTY, 'sd');
  put(t.VM_MIXEDMAP, 'mm');
  put(t.VM_HUGEPAGE, 'hg');
  put(t.VM_NOHUGEPAGE, 'nh');
  put(t.VM_MERGEABLE, 'mg');
  // smaps exists only with an MMU; without one UFFD_MISSING is VM_NONE and
  // bit 9 (MAYOVERLAY) keeps the `??` default.
  if (o.MMU) put(t.VM_UFFD_MISSING, 'um');
  put(t.VM_UFFD_WP, 'uw');
  if (o.ARM64_MTE) {
    put(t.VM_MTE, 'mt');
    put(t.VM_MTE_ALLOWED, '');
  }
  if (o.ARCH_HAS_PKEYS) {
    // Shown on the separate `ProtectionKey:` line instead.
    put(t.VM_PKEY_BIT0, '');
    put(t.VM_PKEY_BIT1, '');
    put(t.VM_PKEY_BIT2, '');
    if (o.ARCH_PKEY_BITS > 3) put(t.VM_PKEY_BIT3, '');
    if (o.ARCH_PKEY_BITS > 4) put(t.VM_PKEY_BIT4, '');
  }
  if (o.HAVE_ARCH_USERFAULTFD_MINOR) put(t.VM_UFFD_MINOR, 'ui');
  if (o.ARCH_HAS_USER_SHADOW_STACK) put(t.VM_SHADOW_STACK, 'ss');
  if (o['64BIT'] || o.PPC32) put(t.VM_DROPPABLE, 'dp');
  if (o['64BIT']) put(t.VM_SEALED, 'sl');
  return out;
}

/**
 * `vmaflag_names`: the ordered name table behind %pGv and show_vma_flags().
 * Order matters: the formatter walks it front to back and each entry consumes
 * its bits (so on PPC32 `arch_1` takes bit 24 before `droppable` is reached).
 *
 * Entries whose mask is VM_NONE in the config are left out. The kernel keeps
 * `uffd_missing` with a zero mask on !MMU, where it would name no bit yet match
 * every value; that artefact is not reproduced.
 */
export function vmaflagNames(config: KernelConfig = DEFAULT_CONFIG): readonly TracePrintFlags[] {
  assertKernelConfig(config, 'config');
  let hit = namesCache.get(config);
  if (!hit) {
    hit = Object.freeze(buildNames(config));
    namesCache.set(config, hit);
  }
  return hit;
}

function buildNames(config: KernelConfig): TracePrintFlags[] {
  const o = config.options;
  const t = vmaFlagTable(config);
  const out: TracePrintFlags[] = [];
  const add = (mask: bigint, name: string) => {
    if (mask !== 0n) out.push(Object.freeze({ mask, name }));
  };
  add(t.VM_READ, 'read');
  add(t.VM_WRITE, 'write');
  add(t.VM_EXEC, 'exec');
  add(t.VM_SHARED, 'shared');
  add(t.VM_MAYREAD, 'mayread');
  add(t.VM_MAYWRITE, 'maywrite');
  add(t.VM_MAYEXEC, 'mayexec');
  add(t.VM_MAYSHARE, 'mayshare');
  add(t.VM_GROWSDOWN, 'growsdown');
  add(t.VM_UFFD_MISSING, 'uffd_missing');
  if (o.HAVE_ARCH_USERFAULTFD_MINOR) add(t.VM_UFFD_MINOR, 'uffd_minor');
  add(t.VM_PFNMAP, 'pfnmap');
  add(t.VM_MAYBE_GUARD, 'maybe_guard');
  add(t.VM_UFFD_WP, 'uffd_wp');
  add(t.VM_LOCKED, 'locked');
  add(t.VM_IO, 'io');
  add(t.VM_SEQ_READ, 'seqread');
  add(t.VM_RAND_READ, 'randread');
  add(t.VM_DONTCOPY, 'dontcopy');
  add(t.VM_DONTEXPAND, 'dontexpand');
  add(t.VM_LOCKONFAULT, 'lockonfault');
  add(t.VM_ACCOUNT, 'account');
  add(t.VM_NORESERVE, 'noreserve');
  add(t.VM_HUGETLB, 'hugetlb');
  add(t.VM_SYNC, 'sync');
  // Bit 24 has one entry whose name follows the arch (mmflags.h's own chain:
  // arm64 BTI and sparc ADI print as arch_1).
  add(t.VM_ARCH_1, o.PPC64 ? 'sao' : o.PARISC ? 'growsup' : !o.MMU ? 'mappedcopy' : 'arch_1');
  add(t.VM_WIPEONFORK, 'wipeonfork');
  add(t.VM_DONTDUMP, 'dontdump');
  if (o.MEM_SOFT_DIRTY) add(t.VM_SOFTDIRTY, 'softdirty');
  add(t.VM_MIXEDMAP, 'mixedmap');
  add(t.VM_HUGEPAGE, 'hugepage');
  add(t.VM_NOHUGEPAGE, 'nohugepage');
  if (o['64BIT'] || o.PPC32) add(t.VM_DROPPABLE, 'droppable');
  add(t.VM_MERGEABLE, 'mergeable');
  return out;
}
