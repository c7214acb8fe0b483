import { DEFAULT_CONFIG, assertKernelConfig, type Arch, type KernelConfig } from './config.js';
import { UndeclaredVmaFlagError, rangeError, readObjectArgument, typeError } from './errors.js';
import {
  NUM_DECLARED_VMA_FLAG_BITS,
  taskExecBit,
  VMA_ARCH_1_BIT,
  VMA_DROPPABLE_BIT as VMA_DROPPABLE_BIT_64,
  VMA_GROWSDOWN_BIT,
  VMA_HIGH_ARCH_5_BIT,
  VMA_HIGH_ARCH_6_BIT,
  type VmaFlag,
} from './vma_flag.js';
import { constVmaFlags, type VmaFlags } from './vma_flags.js';

// The VM_* legacy masks and VMA_*_FLAGS bitmaps of one kernel configuration.
// The bit numbers never change; which masks exist, what bit 24 and bits 32..38
// mean, and what the arch defaults are, all depend on the config. A table is
// built once per (config, personality) and frozen.

/** Every single-flag `VM_*` mask, in the order the kernel defines them. */
export const VM_FLAG_NAMES = [
  'VM_READ',
  'VM_WRITE',
  'VM_EXEC',
  'VM_SHARED',
  'VM_MAYREAD',
  'VM_MAYWRITE',
  'VM_MAYEXEC',
  'VM_MAYSHARE',
  'VM_GROWSDOWN',
  'VM_UFFD_MISSING',
  'VM_MAYOVERLAY',
  'VM_PFNMAP',
  'VM_MAYBE_GUARD',
  'VM_UFFD_WP',
  'VM_LOCKED',
  'VM_IO',
  'VM_SEQ_READ',
  'VM_RAND_READ',
  'VM_DONTCOPY',
  'VM_DONTEXPAND',
  'VM_LOCKONFAULT',
  'VM_ACCOUNT',
  'VM_NORESERVE',
  'VM_HUGETLB',
  'VM_SYNC',
  'VM_ARCH_1',
  'VM_WIPEONFORK',
  'VM_DONTDUMP',
  'VM_SOFTDIRTY',
  'VM_MIXEDMAP',
  'VM_HUGEPAGE',
  'VM_NOHUGEPAGE',
  'VM_MERGEABLE',
  'VM_STACK',
  'VM_STACK_EARLY',
  'VM_PKEY_BIT0',
  'VM_PKEY_BIT1',
  'VM_PKEY_BIT2',
  'VM_PKEY_BIT3',
  'VM_PKEY_BIT4',
  'VM_SHADOW_STACK',
  'VM_SAO',
  'VM_GROWSUP',
  'VM_SPARC_ADI',
  'VM_ARM64_BTI',
  'VM_ARCH_CLEAR',
  'VM_MAPPED_COPY',
  'VM_MTE',
  'VM_MTE_ALLOWED',
  'VM_UFFD_MINOR',
  'VM_ALLOW_ANY_UNCACHED',
  'VM_SEALED',
  'VM_DROPPABLE',
  'VM_UFFD_RWP',
] as const;

/** Every composite legacy mask (spec §1.3), as one-word values. */
export const VM_COMPOSITE_NAMES = [
  'VM_STACK_INCOMPLETE_SETUP',
  'TASK_EXEC',
  'VM_DATA_FLAGS_TSK_EXEC',
  'VM_DATA_FLAGS_NON_EXEC',
  'VM_DATA_FLAGS_EXEC',
  'VM_DATA_DEFAULT_FLAGS',
  'VM_STACK_DEFAULT_FLAGS',
  'VM_STACK_FLAGS',
  'VM_STARTGAP_FLAGS',
  'VM_SEALED_SYSMAP',
  'VM_ACCESS_FLAGS',
  'VM_SPECIAL',
  'VM_NO_KHUGEPAGED',
  'VM_INIT_DEF_MASK',
  'VM_LOCKED_MASK',
  'VM_ATOMIC_SET_ALLOWED',
  'ARCH_VM_PKEY_FLAGS',
  'VM_FLAGS_CLEAR',
  'VM_STICKY',
  'VM_IGNORE_MERGE',
  'VM_COPY_ON_FORK',
] as const;

/** Every `VMA_*` bitmap mask (the stage-4 equivalents of the composites). */
export const VMA_FLAGS_NAMES = [
  'VMA_STARTGAP_FLAGS',
  'VMA_DATA_FLAGS_TSK_EXEC',
  'VMA_DATA_FLAGS_NON_EXEC',
  'VMA_DATA_FLAGS_EXEC',
  'VMA_DATA_DEFAULT_FLAGS',
  'VMA_STACK_DEFAULT_FLAGS',
  'VMA_STACK_FLAGS',
  'VMA_ACCESS_FLAGS',
  'VMA_SPECIAL_FLAGS',
  'VMA_REMAP_FLAGS',
  'VMA_LOCKED_MASK',
  'VMA_STICKY_FLAGS',
  'VMA_IGNORE_MERGE_FLAGS',
  'VMA_STACK_INCOMPLETE_SETUP',
  // One-flag masks that are EMPTY_VMA_FLAGS where the flag does not exist, so
  // code can name them on every config (mk_vma_flags_from_masks combines them).
  'VMA_DROPPABLE',
  'VMA_UFFD_MISSING',
  'VMA_UFFD_WP',
  'VMA_UFFD_MINOR',
  'VMA_UFFD_RWP',
] as const;

/** The name of a single-flag `VM_*` mask (`VM_READ`, …). */
export type VmFlagName = (typeof VM_FLAG_NAMES)[number];
/** The name of a composite legacy mask (`VM_SPECIAL`, …). */
export type VmCompositeName = (typeof VM_COMPOSITE_NAMES)[number];
/** The name of a `VMA_*_FLAGS` bitmap mask. */
export type VmaFlagsName = (typeof VMA_FLAGS_NAMES)[number];

/** What one bit number means under a config. */
export interface VmaFlagBitInfo {
  /** The bit number. */
  readonly bit: VmaFlag;
  /**
   * The name the kernel's enum declares this bit under (`VMA_<name>_BIT`) for
   * this config: bit 9 is `UFFD_MISSING` with an MMU and `MAYOVERLAY` without;
   * bit 40 is `DROPPABLE` on 64-bit configs only (PPC32 declares DROPPABLE as
   * bit 24, other 32-bit configs not at all), so it is `null` on 32-bit ones.
   */
  readonly declaredName: string | null;
  /** `1 << bit` if it fits a `vm_flags_t` (bit < BITS_PER_LONG), else 0n. */
  readonly mask: bigint;
  /** The `VM_*` single-flag masks equal to `mask` in this config (none: the bit is unused). */
  readonly vmNames: readonly VmFlagName[];
}

/** The flag table of one configuration. All values are frozen. */
export type VmaFlagTable = {
  /** The configuration the table describes. */
  readonly config: KernelConfig;
  /** Whether TASK_EXEC was taken as VM_EXEC (personality READ_IMPLIES_EXEC). */
  readonly readImpliesExec: boolean;
  /** Bits 0..43, indexed by bit number (`declaredName` null where this config declares none). */
  readonly bits: readonly VmaFlagBitInfo[];
  /**
   * Every `VMA_<name>_BIT` this config declares, aliases included, keyed by
   * `<name>` (`READ`, `PKEY_BIT0`, `GROWSUP`, …). A name the kernel would not
   * compile for this config has no entry; {@link vmaFlagBit} throws for it.
   */
  readonly declaredBits: Readonly<Record<string, VmaFlag>>;
  /** `TASK_EXEC_BIT`: EXEC for a READ_IMPLIES_EXEC table, else READ. */
  readonly TASK_EXEC_BIT: VmaFlag;
  /** `VM_NONE`: 0n in every configuration. */
  readonly VM_NONE: 0n;
  /** `VMA_STACK_BIT`: GROWSUP's bit 24 under CONFIG_STACK_GROWSUP, else GROWSDOWN's bit 8. */
  readonly VMA_STACK_BIT: VmaFlag;
  /** `VMA_STACK_EARLY_BIT`: bit 8, declared only under CONFIG_STACK_GROWSUP (else null). */
  readonly VMA_STACK_EARLY_BIT: VmaFlag | null;
  /** `VMA_SHADOW_STACK_BIT`: 37 (x86/riscv), 38 (arm64 GCS), null when there is no shadow stack. */
  readonly VMA_SHADOW_STACK_BIT: VmaFlag | null;
  /** `VMA_DROPPABLE_BIT`: 40 on 64-bit, 24 on PPC32 (aliasing ARCH_1), null (not declared) on other 32-bit configs. */
  readonly VMA_DROPPABLE_BIT: VmaFlag | null;
  /** `VM_PKEY_SHIFT` (32) with CONFIG_ARCH_HAS_PKEYS, else null (undefined in the kernel). */
  readonly VM_PKEY_SHIFT: number | null;
} & { readonly [K in VmFlagName | VmCompositeName]: bigint } & { readonly [K in VmaFlagsName]: VmaFlags };

/** Options for {@link vmaFlagTable}. */
export interface VmaFlagTableOptions {
  /**
   * Model a task whose personality has READ_IMPLIES_EXEC: TASK_EXEC becomes
   * VM_EXEC, which flows into VM_DATA_FLAGS_TSK_EXEC and every arch default
   * built on it. Default false (a modern binary).
   */
  readImpliesExec?: boolean;
}

/**
 * `INIT_VM_FLAG`: the legacy one-word mask of a bit, `1 << bit`. A bit at or
 * above BITS_PER_LONG cannot be a `vm_flags_t` mask at all (the kernel only
 * gates such flags so they are never built on 32-bit); here it is a RangeError.
 */
export function initVmFlag(bit: number, config: KernelConfig = DEFAULT_CONFIG): bigint {
  assertKernelConfig(config, 'config');
  const allowed = `an integer in [0, ${config.bitsPerLong}) (BITS_PER_LONG of config ${config.name})`;
  if (typeof bit !== 'number') throw typeError('bit', allowed, bit);
  if (!Number.isInteger(bit) || bit < 0 || bit >= config.bitsPerLong) throw rangeError('bit', allowed, bit);
  return 1n << BigInt(bit);
}

const cache = new WeakMap<KernelConfig, [VmaFlagTable | undefined, VmaFlagTable | undefined]>();

/**
 * The flag table of `config` (cached: the same frozen object on every call
 * with the same config and options).
 */
export function vmaFlagTable(config: KernelConfig = DEFAULT_CONFIG, options: VmaFlagTableOptions = {}): VmaFlagTable {
  assertKernelConfig(config, 'config');
  const rie =
    readObjectArgument(options, 'options', 'an object', (o: VmaFlagTableOptions) => o.readImpliesExec) ?? false;
  if (typeof rie !== 'boolean') throw typeError('options.readImpliesExec', 'a boolean', rie);
  let slots = cache.get(config);
  if (!slots) {
    // Stryker disable next-line ArrayDeclaration: an empty array holds the two slots just as well
    slots = [undefined, undefined];
    cache.set(config, slots);
  }
  const i = rie ? 1 : 0;
  let table = slots[i];
  if (table === undefined) {
    table = buildTable(config, rie);
    slots[i] = table;
  }
  return table;
}

/** Bit numbers set in a one-word mask, ascending. */
function vmFlagsBits(mask: bigint): number[] {
  const out: number[] = [];
  for (let b = 0; mask > 0n; b++, mask >>= 1n) if (mask & 1n) out.push(b);
  return out;
}

// Which bit-24 alias the kernel's #if/#elif chain picks.
type Arch1Alias = 'SAO' | 'GROWSUP' | 'SPARC_ADI' | 'ARM64_BTI' | 'MAPPED_COPY' | null;

function arch1Alias(o: KernelConfig['options']): Arch1Alias {
  if (o.PPC64) return 'SAO';
  if (o.PARISC) return 'GROWSUP';
  if (o.SPARC64) return 'SPARC_ADI';
  if (o.ARM64) return 'ARM64_BTI';
  if (!o.MMU) return 'MAPPED_COPY';
  return null;
}

type DataDefault = 'TSK_EXEC' | 'NON_EXEC' | 'EXEC';

// VM_DATA_DEFAULT_FLAGS / VM_STACK_DEFAULT_FLAGS per architecture. The kernel
// default (include/linux/mm.h) is DATA_FLAGS_EXEC; only some arches override
// it in asm/page.h (x86, arm, arm64, riscv, powerpc among ours; parisc and
// sparc64 define nothing and so keep the executable default).
// powerpc picks by task width; a 64-bit kernel is modelled with a 64-bit task.
const ARCH_DEFAULTS: Readonly<Record<Arch, { data: DataDefault; stack: DataDefault }>> = {
  x86_64: { data: 'TSK_EXEC', stack: 'TSK_EXEC' },
  i386: { data: 'TSK_EXEC', stack: 'TSK_EXEC' },
  arm64: { data: 'TSK_EXEC', stack: 'TSK_EXEC' },
  arm: { data: 'TSK_EXEC', stack: 'TSK_EXEC' },
  riscv64: { data: 'NON_EXEC', stack: 'NON_EXEC' },
  ppc64: { data: 'NON_EXEC', stack: 'NON_EXEC' },
  ppc32: { data: 'TSK_EXEC', stack: 'TSK_EXEC' },
  // No override in arch/parisc or arch/sparc headers: the generic DATA_FLAGS_EXEC.
  parisc: { data: 'EXEC', stack: 'EXEC' },
  sparc64: { data: 'EXEC', stack: 'EXEC' },
  generic32: { data: 'EXEC', stack: 'EXEC' },
  generic64: { data: 'EXEC', stack: 'EXEC' },
};

function buildTable(config: KernelConfig, readImpliesExec: boolean): VmaFlagTable {
  const o = config.options;
  const bpl = config.bitsPerLong;
  // INIT_VM_FLAG for a flag that exists. config.ts already refuses every
  // option that would put a flag above bit 31 on a 32-bit config.
  const F = (bit: number): bigint => initVmFlag(bit, config);
  const when = (cond: boolean, bit: number): bigint => (cond ? F(bit) : 0n);

  const alias24 = arch1Alias(o);
  const growsup = o.STACK_GROWSUP;
  const stackBit = (growsup ? VMA_ARCH_1_BIT : VMA_GROWSDOWN_BIT) as VmaFlag;
  const shadowStackBit: VmaFlag | null =
    o.X86_USER_SHADOW_STACK || o.RISCV_USER_CFI ? VMA_HIGH_ARCH_5_BIT : o.ARM64_GCS ? VMA_HIGH_ARCH_6_BIT : null;
  const droppableBit: VmaFlag | null = o.PPC32 ? VMA_ARCH_1_BIT : o['64BIT'] ? VMA_DROPPABLE_BIT_64 : null;
  const pkeys = o.ARCH_HAS_PKEYS;
  const pkeyBits = o.ARCH_PKEY_BITS;

  const m: Record<VmFlagName, bigint> = {
    VM_READ: F(0),
    VM_WRITE: F(1),
    VM_EXEC: F(2),
    VM_SHARED: F(3),
    VM_MAYREAD: F(4),
    VM_MAYWRITE: F(5),
    VM_MAYEXEC: F(6),
    VM_MAYSHARE: F(7),
    VM_GROWSDOWN: F(8),
    VM_UFFD_MISSING: when(o.MMU, 9),
    VM_MAYOVERLAY: when(!o.MMU, 9),
    VM_PFNMAP: F(10),
    VM_MAYBE_GUARD: F(11),
    VM_UFFD_WP: F(12),
    VM_LOCKED: F(13),
    VM_IO: F(14),
    VM_SEQ_READ: F(15),
    VM_RAND_READ: F(16),
    VM_DONTCOPY: F(17),
    VM_DONTEXPAND: F(18),
    VM_LOCKONFAULT: F(19),
    VM_ACCOUNT: F(20),
    VM_NORESERVE: F(21),
    VM_HUGETLB: F(22),
    VM_SYNC: F(23),
    VM_ARCH_1: F(24),
    VM_WIPEONFORK: F(25),
    VM_DONTDUMP: F(26),
    VM_SOFTDIRTY: when(o.MEM_SOFT_DIRTY, 27),
    VM_MIXEDMAP: F(28),
    VM_HUGEPAGE: F(29),
    VM_NOHUGEPAGE: F(30),
    VM_MERGEABLE: F(31),
    VM_STACK: F(stackBit),
    VM_STACK_EARLY: when(growsup, 8),
    VM_PKEY_BIT0: when(pkeys, 32),
    VM_PKEY_BIT1: when(pkeys, 33),
    VM_PKEY_BIT2: when(pkeys, 34),
    VM_PKEY_BIT3: when(pkeys && pkeyBits > 3, 35),
    VM_PKEY_BIT4: when(pkeys && pkeyBits > 4, 36),
    VM_SHADOW_STACK: shadowStackBit === null ? 0n : F(shadowStackBit),
    VM_SAO: when(alias24 === 'SAO', 24),
    VM_GROWSUP: when(alias24 === 'GROWSUP', 24),
    VM_SPARC_ADI: when(alias24 === 'SPARC_ADI', 24),
    VM_ARM64_BTI: when(alias24 === 'ARM64_BTI', 24),
    VM_ARCH_CLEAR: when(alias24 === 'SPARC_ADI' || alias24 === 'ARM64_BTI', 24),
    VM_MAPPED_COPY: when(alias24 === 'MAPPED_COPY', 24),
    VM_MTE: when(o.ARM64_MTE, 36),
    VM_MTE_ALLOWED: when(o.ARM64_MTE, 37),
    VM_UFFD_MINOR: when(o.HAVE_ARCH_USERFAULTFD_MINOR, 41),
    VM_ALLOW_ANY_UNCACHED: when(o['64BIT'], 39),
    VM_SEALED: when(o['64BIT'], 42),
    VM_DROPPABLE: droppableBit === null ? 0n : F(droppableBit),
    VM_UFFD_RWP: when(o.USERFAULTFD_RWP, 43),
  };

  const TASK_EXEC = readImpliesExec ? m.VM_EXEC : 0n;
  const base = m.VM_READ | m.VM_WRITE | m.VM_MAYREAD | m.VM_MAYWRITE | m.VM_MAYEXEC;
  const data: Record<DataDefault, bigint> = {
    TSK_EXEC: base | TASK_EXEC,
    NON_EXEC: base,
    EXEC: base | m.VM_EXEC,
  };
  const defaults = ARCH_DEFAULTS[config.arch];
  // arm64 lets MTE-capable mappings be created without an explicit mprotect().
  const dataDefault = data[defaults.data] | (o.ARM64 ? m.VM_MTE_ALLOWED : 0n);
  // Stryker disable next-line ConditionalExpression: no arch modelled today has a stack default other than its data default
  const stackDefault = defaults.stack === defaults.data ? dataDefault : data[defaults.stack];
  const VM_SPECIAL = m.VM_IO | m.VM_DONTEXPAND | m.VM_PFNMAP | m.VM_MIXEDMAP;
  const ARCH_VM_PKEY_FLAGS = m.VM_PKEY_BIT0 | m.VM_PKEY_BIT1 | m.VM_PKEY_BIT2 | m.VM_PKEY_BIT3 | m.VM_PKEY_BIT4;
  const VM_STICKY = m.VM_SOFTDIRTY | m.VM_MAYBE_GUARD;

  const c: Record<VmCompositeName, bigint> = {
    VM_STACK_INCOMPLETE_SETUP: m.VM_RAND_READ | m.VM_SEQ_READ | m.VM_STACK_EARLY,
    TASK_EXEC,
    VM_DATA_FLAGS_TSK_EXEC: data.TSK_EXEC,
    VM_DATA_FLAGS_NON_EXEC: data.NON_EXEC,
    VM_DATA_FLAGS_EXEC: data.EXEC,
    VM_DATA_DEFAULT_FLAGS: dataDefault,
    VM_STACK_DEFAULT_FLAGS: stackDefault,
    VM_STACK_FLAGS: m.VM_STACK | stackDefault | m.VM_ACCOUNT,
    VM_STARTGAP_FLAGS: m.VM_GROWSDOWN | m.VM_SHADOW_STACK,
    VM_SEALED_SYSMAP: o.MSEAL_SYSTEM_MAPPINGS ? m.VM_SEALED : 0n,
    VM_ACCESS_FLAGS: m.VM_READ | m.VM_WRITE | m.VM_EXEC,
    VM_SPECIAL,
    VM_NO_KHUGEPAGED: VM_SPECIAL | m.VM_HUGETLB,
    VM_INIT_DEF_MASK: m.VM_NOHUGEPAGE,
    VM_LOCKED_MASK: m.VM_LOCKED | m.VM_LOCKONFAULT,
    VM_ATOMIC_SET_ALLOWED: m.VM_MAYBE_GUARD,
    ARCH_VM_PKEY_FLAGS,
    VM_FLAGS_CLEAR: ARCH_VM_PKEY_FLAGS | m.VM_ARCH_CLEAR,
    VM_STICKY,
    VM_IGNORE_MERGE: VM_STICKY,
    VM_COPY_ON_FORK: m.VM_PFNMAP | m.VM_MIXEDMAP | m.VM_UFFD_WP | m.VM_MAYBE_GUARD,
  };

  // Every VMA_* mask names bits below 64, so it is exactly the bits of the
  // matching legacy value; building it from that value keeps the two in step.
  const bitmap = (word: bigint): VmaFlags => constVmaFlags(config, vmFlagsBits(word));
  const sticky = bitmap(VM_STICKY);
  const b: Record<VmaFlagsName, VmaFlags> = {
    VMA_STARTGAP_FLAGS: bitmap(c.VM_STARTGAP_FLAGS),
    VMA_DATA_FLAGS_TSK_EXEC: bitmap(c.VM_DATA_FLAGS_TSK_EXEC),
    VMA_DATA_FLAGS_NON_EXEC: bitmap(c.VM_DATA_FLAGS_NON_EXEC),
    VMA_DATA_FLAGS_EXEC: bitmap(c.VM_DATA_FLAGS_EXEC),
    VMA_DATA_DEFAULT_FLAGS: bitmap(c.VM_DATA_DEFAULT_FLAGS),
    VMA_STACK_DEFAULT_FLAGS: bitmap(c.VM_STACK_DEFAULT_FLAGS),
    VMA_STACK_FLAGS: bitmap(c.VM_STACK_FLAGS),
    VMA_ACCESS_FLAGS: bitmap(c.VM_ACCESS_FLAGS),
    VMA_SPECIAL_FLAGS: bitmap(VM_SPECIAL),
    VMA_REMAP_FLAGS: bitmap(m.VM_IO | m.VM_PFNMAP | m.VM_DONTEXPAND | m.VM_DONTDUMP),
    VMA_LOCKED_MASK: bitmap(c.VM_LOCKED_MASK),
    VMA_STICKY_FLAGS: sticky,
    VMA_IGNORE_MERGE_FLAGS: sticky,
    VMA_STACK_INCOMPLETE_SETUP: bitmap(c.VM_STACK_INCOMPLETE_SETUP),
    VMA_DROPPABLE: bitmap(m.VM_DROPPABLE),
    VMA_UFFD_MISSING: bitmap(m.VM_UFFD_MISSING),
    VMA_UFFD_WP: bitmap(m.VM_UFFD_WP),
    VMA_UFFD_MINOR: bitmap(m.VM_UFFD_MINOR),
    VMA_UFFD_RWP: bitmap(m.VM_UFFD_RWP),
  };

  const bits: VmaFlagBitInfo[] = [];
  const declared: Record<string, VmaFlag> = {};
  for (let bit = 0; bit < NUM_DECLARED_VMA_FLAG_BITS; bit++) {
    const mask = bit < bpl ? 1n << BigInt(bit) : 0n;
    const name = declaredName(bit, o);
    if (name !== null) declared[name] = bit as VmaFlag;
    bits.push(
      Object.freeze({
        bit: bit as VmaFlag,
        declaredName: name,
        mask,
        vmNames: Object.freeze(mask === 0n ? [] : VM_FLAG_NAMES.filter((n) => m[n] === mask)),
      }),
    );
  }
  Object.assign(declared, declaredAliases(o, stackBit, shadowStackBit, droppableBit));

  return Object.freeze({
    config,
    readImpliesExec,
    bits: Object.freeze(bits),
    VM_NONE: 0n,
    VMA_STACK_BIT: stackBit,
    VMA_STACK_EARLY_BIT: growsup ? VMA_GROWSDOWN_BIT : null,
    VMA_SHADOW_STACK_BIT: shadowStackBit,
    VMA_DROPPABLE_BIT: droppableBit,
    declaredBits: Object.freeze(declared),
    TASK_EXEC_BIT: taskExecBit(readImpliesExec),
    VM_PKEY_SHIFT: pkeys ? 32 : null,
    ...m,
    ...c,
    ...b,
  }) as VmaFlagTable;
}

const HIGH_NAMES = [
  'HIGH_ARCH_0',
  'HIGH_ARCH_1',
  'HIGH_ARCH_2',
  'HIGH_ARCH_3',
  'HIGH_ARCH_4',
  'HIGH_ARCH_5',
  'HIGH_ARCH_6',
];
const LOW_NAMES = [
  'READ',
  'WRITE',
  'EXEC',
  'SHARED',
  'MAYREAD',
  'MAYWRITE',
  'MAYEXEC',
  'MAYSHARE',
  'GROWSDOWN',
  'UFFD_MISSING',
  'PFNMAP',
  'MAYBE_GUARD',
  'UFFD_WP',
  'LOCKED',
  'IO',
  'SEQ_READ',
  'RAND_READ',
  'DONTCOPY',
  'DONTEXPAND',
  'LOCKONFAULT',
  'ACCOUNT',
  'NORESERVE',
  'HUGETLB',
  'SYNC',
  'ARCH_1',
  'WIPEONFORK',
  'DONTDUMP',
  'SOFTDIRTY',
  'MIXEDMAP',
  'HUGEPAGE',
  'NOHUGEPAGE',
  'MERGEABLE',
];

function declaredName(bit: number, o: KernelConfig['options']): string | null {
  if (bit === 9 && !o.MMU) return 'MAYOVERLAY';
  if (bit < 32) return LOW_NAMES[bit]!;
  if (bit < 39) return HIGH_NAMES[bit - 32]!;
  if (bit === 39) return 'ALLOW_ANY_UNCACHED';
  if (bit === 40) return o['64BIT'] ? 'DROPPABLE' : null;
  if (bit === 41) return 'UFFD_MINOR';
  if (bit === 42) return 'SEALED';
  return 'UFFD_RWP';
}

// DECLARE_VMA_BIT_ALIAS entries of the enum (linux-mm mm.h @009857a2). Most
// are declared on every config, whatever the masks say; only the shadow stack,
// the stack aliases and DROPPABLE depend on the config.
const UNCONDITIONAL_ALIASES: Readonly<Record<string, number>> = {
  PKEY_BIT0: 32,
  PKEY_BIT1: 33,
  PKEY_BIT2: 34,
  PKEY_BIT3: 35,
  PKEY_BIT4: 36,
  SAO: 24,
  GROWSUP: 24,
  SPARC_ADI: 24,
  ARM64_BTI: 24,
  ARCH_CLEAR: 24,
  MAPPED_COPY: 24,
  MTE: 36,
  MTE_ALLOWED: 37,
};

function declaredAliases(
  o: KernelConfig['options'],
  stackBit: VmaFlag,
  shadowStackBit: VmaFlag | null,
  droppableBit: VmaFlag | null,
): Record<string, VmaFlag> {
  const out = { ...UNCONDITIONAL_ALIASES } as Record<string, VmaFlag>;
  out.STACK = stackBit;
  if (o.STACK_GROWSUP) out.STACK_EARLY = VMA_GROWSDOWN_BIT;
  if (shadowStackBit !== null) out.SHADOW_STACK = shadowStackBit;
  if (droppableBit !== null) out.DROPPABLE = droppableBit;
  return out;
}

/**
 * `VMA_<name>_BIT` of `config` by name (`'DROPPABLE'` or `'VMA_DROPPABLE_BIT'`).
 * Where the config does not declare the name — bit 40 on a 32-bit config other
 * than ppc32, `SAO` off ppc64, … — an {@link UndeclaredVmaFlagError} (a
 * RangeError), as the kernel would fail to compile the use.
 */
export function vmaFlagBit(name: string, config: KernelConfig = DEFAULT_CONFIG): VmaFlag {
  assertKernelConfig(config, 'config');
  if (typeof name !== 'string') throw typeError('name', 'a string', name);
  // Stryker disable next-line LogicalOperator,StringLiteral: no declared name starts with VMA_ or ends in _BIT, so a looser strip only changes which undeclared name is looked up
  const key = name.startsWith('VMA_') && name.endsWith('_BIT') ? name.slice(4, -4) : name;
  const declared = vmaFlagTable(config).declaredBits;
  const bit = Object.hasOwn(declared, key) ? declared[key] : undefined;
  if (bit === undefined) throw new UndeclaredVmaFlagError(name, config.name, Object.keys(declared));
  return bit;
}
