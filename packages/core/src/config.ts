import { rangeError, readObjectArgument, typeError } from './errors.js';
import { safeIsArray } from './is_instance.js';

// A kernel configuration decides which VM_* masks exist, what bit 24 and the
// high bits mean, how wide vm_flags_t is and how many bits vma_flags_t holds.
// Configs are interned: equal settings give the identical frozen object, so
// "same config" is an identity check on every helper's hot path.

/** An architecture the flag table is modelled for (`generic32`/`generic64`: no architecture-specific flags). */
export type Arch =
  | 'x86_64'
  | 'i386'
  | 'arm64'
  | 'arm'
  | 'riscv64'
  | 'ppc64'
  | 'ppc32'
  | 'parisc'
  | 'sparc64'
  | 'generic32'
  | 'generic64';

const ARCH_BITS: Readonly<Record<Arch, 32 | 64>> = {
  x86_64: 64,
  i386: 32,
  arm64: 64,
  arm: 32,
  riscv64: 64,
  ppc64: 64,
  ppc32: 32,
  parisc: 32,
  sparc64: 64,
  generic32: 32,
  generic64: 64,
};

/** Every {@link Arch}, in declaration order. */
export const ARCHES: readonly Arch[] = Object.freeze(Object.keys(ARCH_BITS) as Arch[]);

/** The CONFIG_ options a user may choose (without the `CONFIG_` prefix). */
export interface KernelConfigOptions {
  /** `CONFIG_MMU`: off models a no-MMU kernel (bit 9 is MAYOVERLAY instead of UFFD_MISSING; bit 24 is MAPPED_COPY unless the architecture claims it). */
  MMU: boolean;
  /** `CONFIG_MEM_SOFT_DIRTY`: VM_SOFTDIRTY exists. */
  MEM_SOFT_DIRTY: boolean;
  /** `CONFIG_ARCH_HAS_PKEYS`: memory protection keys live in the high bits (64-bit only). */
  ARCH_HAS_PKEYS: boolean;
  /**
   * Number of protection-key bits. Not a choice: each arch's Kconfig fixes it
   * (x86 4, powerpc 5, arm64 3), so it is derived from the arch and may be left
   * out; a given value must equal the arch's. 0 in a config without pkeys.
   */
  ARCH_PKEY_BITS: number;
  /** `CONFIG_X86_USER_SHADOW_STACK`: VM_SHADOW_STACK on bit 37 (64-bit x86). */
  X86_USER_SHADOW_STACK: boolean;
  /** `CONFIG_RISCV_USER_CFI`: VM_SHADOW_STACK on bit 37 (64-bit riscv). */
  RISCV_USER_CFI: boolean;
  /** `CONFIG_ARM64_MTE`: VM_MTE and VM_MTE_ALLOWED (arm64). */
  ARM64_MTE: boolean;
  /** `CONFIG_ARM64_GCS`: the guarded control stack, VM_SHADOW_STACK on bit 38 (arm64). */
  ARM64_GCS: boolean;
  /** `CONFIG_ARM64_BTI`: VM_ARM64_BTI on bit 24 (arm64). */
  ARM64_BTI: boolean;
  /** `CONFIG_HAVE_ARCH_USERFAULTFD_MINOR`: VM_UFFD_MINOR exists (64-bit with MMU). */
  HAVE_ARCH_USERFAULTFD_MINOR: boolean;
  /** `CONFIG_USERFAULTFD_RWP`: userfaultfd read-write protection (`VM_UFFD_RWP`, bit 43): 64-bit x86, arm64, riscv. */
  USERFAULTFD_RWP: boolean;
  /** `CONFIG_STACK_GROWSUP`: the stack grows up, VM_GROWSUP on bit 24; forced on (and only possible) on parisc. */
  STACK_GROWSUP: boolean;
  /** `CONFIG_MSEAL_SYSTEM_MAPPINGS`: system mappings are sealed, so VM_SEALED_SYSMAP is VM_SEALED. */
  MSEAL_SYSTEM_MAPPINGS: boolean;
}

/** Options fixed by the architecture and word size rather than chosen. */
export interface DerivedKernelOptions {
  /** `CONFIG_64BIT`: `BITS_PER_LONG` is 64. */
  '64BIT': boolean;
  /** `CONFIG_PPC32`: 32-bit powerpc. */
  PPC32: boolean;
  /** `CONFIG_PPC64`: 64-bit powerpc. */
  PPC64: boolean;
  /** `CONFIG_PARISC`. */
  PARISC: boolean;
  /** `CONFIG_SPARC64`. */
  SPARC64: boolean;
  /** `CONFIG_ARM64`. */
  ARM64: boolean;
  /** `CONFIG_X86`: x86_64 or i386. */
  X86: boolean;
  /** `CONFIG_RISCV`. */
  RISCV: boolean;
  /** `CONFIG_ARCH_HAS_USER_SHADOW_STACK`: any of the shadow-stack options is on. */
  ARCH_HAS_USER_SHADOW_STACK: boolean;
}

/** Every option of a configuration, chosen and derived, frozen. */
export type KernelOptions = Readonly<KernelConfigOptions & DerivedKernelOptions>;

/**
 * A kernel configuration, made by {@link defineKernelConfig} or taken from {@link PRESETS}.
 * Interned and frozen: equal settings give the identical object.
 */
export interface KernelConfig {
  /** Preset name, or `custom`. Not part of identity. */
  readonly name: string;
  /** The architecture. */
  readonly arch: Arch;
  /** `BITS_PER_LONG`: width of `vm_flags_t` (the hardware word). */
  readonly bitsPerLong: 32 | 64;
  /** `NUM_VMA_FLAG_BITS`: width of `vma_flags_t`, a multiple of `bitsPerLong`. */
  readonly numVmaFlagBits: number;
  /** Kernel words (`unsigned long`) in a bitmap. */
  readonly numWords: number;
  /** 32-bit storage lanes in a bitmap (`numVmaFlagBits / 32`). */
  readonly numLanes: number;
  /** Every `CONFIG_` option, chosen and derived. */
  readonly options: KernelOptions;
  /** Canonical description of everything that affects behaviour. */
  readonly key: string;
}

/** What {@link defineKernelConfig} takes. */
export interface KernelConfigInput {
  /** The architecture; fixes `BITS_PER_LONG`. */
  arch: Arch;
  /** Defaults to `BITS_PER_LONG` of the architecture. */
  numVmaFlagBits?: number;
  /** Options to turn on or off; unset ones are off (MMU on). */
  options?: Partial<KernelConfigOptions>;
  /** A label shown in errors and `console.log`; defaults to `custom`. */
  name?: string;
}

/** Largest bitmap width accepted; far above anything the kernel plans. */
export const MAX_NUM_VMA_FLAG_BITS = 4096;

const OFF: KernelConfigOptions = {
  MMU: true,
  MEM_SOFT_DIRTY: false,
  ARCH_HAS_PKEYS: false,
  ARCH_PKEY_BITS: 0,
  X86_USER_SHADOW_STACK: false,
  RISCV_USER_CFI: false,
  ARM64_MTE: false,
  ARM64_GCS: false,
  ARM64_BTI: false,
  HAVE_ARCH_USERFAULTFD_MINOR: false,
  USERFAULTFD_RWP: false,
  STACK_GROWSUP: false,
  MSEAL_SYSTEM_MAPPINGS: false,
};

const OPTION_NAMES = Object.keys(OFF) as (keyof KernelConfigOptions)[];

/** The names of every chosen option, in declaration order (what `options` of {@link defineKernelConfig} accepts). */
export const KERNEL_CONFIG_OPTION_NAMES: readonly (keyof KernelConfigOptions)[] = Object.freeze([...OPTION_NAMES]);

// CONFIG_ARCH_PKEY_BITS: an `int` with one fixed default in each arch Kconfig
// that has protection keys; no other arch declares it.
const ARCH_PKEY_BITS: Readonly<Partial<Record<Arch, number>>> = { x86_64: 4, i386: 4, ppc64: 5, arm64: 3 };

type BoolOption = Exclude<keyof KernelConfigOptions, 'ARCH_PKEY_BITS'>;

// Options an arch's Kconfig turns on with no prompt (`def_bool y`, or a `bool`
// defaulting to y without a prompt): such a kernel cannot be built without them.
// MMU has a prompt only on arm, riscv and the generic stand-ins.
const FORCED: Readonly<Partial<Record<Arch, readonly BoolOption[]>>> = {
  x86_64: ['MMU'],
  i386: ['MMU'],
  arm64: ['MMU'],
  ppc64: ['MMU'],
  ppc32: ['MMU'],
  parisc: ['MMU', 'STACK_GROWSUP'],
  sparc64: ['MMU'],
};

/** The options `arch` forces on (they default to true there and cannot be false). */
export function forcedKernelOptions(arch: Arch): readonly string[] {
  if (!isArch(arch)) throw rangeError('arch', `one of ${ARCHES.join(', ')}`, arch);
  return FORCED[arch] ?? [];
}

// A name is a string (never an object, whose key conversion would run its
// code): only then is it looked up among the arches.
function isArch(v: unknown): v is Arch {
  return typeof v === 'string' && Object.hasOwn(ARCH_BITS, v);
}

/** The longest configuration name {@link defineKernelConfig} accepts: names are quoted in error messages. */
export const KERNEL_CONFIG_NAME_MAX_LENGTH = 128;

const interned = new Map<string, KernelConfig>();
const known = new WeakSet<object>();

/**
 * The interned configuration for `input`.
 *
 * @throws TypeError or RangeError naming the field when an architecture, width or
 * option is unknown, or an option is impossible on the architecture (for
 * example protection keys on a 32-bit kernel).
 */
export function defineKernelConfig(input: KernelConfigInput): KernelConfig {
  const fields = readObjectArgument(input, 'config', 'an object', (o: KernelConfigInput) => ({
    arch: o.arch,
    numVmaFlagBits: o.numVmaFlagBits,
    options: o.options,
    name: o.name,
  }));
  const { arch } = fields;
  if (!isArch(arch)) throw rangeError('config.arch', `one of ${ARCHES.join(', ')}`, arch);
  const bitsPerLong = ARCH_BITS[arch];
  const numVmaFlagBits = fields.numVmaFlagBits ?? bitsPerLong;
  if (typeof numVmaFlagBits !== 'number') {
    throw typeError('config.numVmaFlagBits', 'a number', numVmaFlagBits);
  }
  if (
    !Number.isInteger(numVmaFlagBits) ||
    numVmaFlagBits < bitsPerLong ||
    numVmaFlagBits > MAX_NUM_VMA_FLAG_BITS ||
    numVmaFlagBits % bitsPerLong !== 0
  ) {
    throw rangeError(
      'config.numVmaFlagBits',
      `a multiple of BITS_PER_LONG (${bitsPerLong}) in [${bitsPerLong}, ${MAX_NUM_VMA_FLAG_BITS}]`,
      numVmaFlagBits,
    );
  }
  const inputOptions = fields.options ?? {};
  // An array is no set of options; refusing it first also spares listing the
  // entries of a huge one.
  if (safeIsArray(inputOptions)) throw typeError('config.options', 'an object of options', inputOptions);
  const entries = readObjectArgument(inputOptions, 'config.options', 'an object', (o: object) => Object.entries(o));
  // An option given as undefined takes its default, as if left out.
  const given = Object.fromEntries(entries.filter(([, v]) => v !== undefined)) as Partial<KernelConfigOptions>;
  for (const k of Object.keys(given)) {
    if (!OPTION_NAMES.includes(k as keyof KernelConfigOptions)) {
      throw rangeError(`config.options.${k}`, `one of the known options (${OPTION_NAMES.join(', ')})`, k);
    }
  }
  const pkeyBits = ARCH_PKEY_BITS[arch] ?? 0;
  const forced = FORCED[arch] ?? [];
  const chosen: KernelConfigOptions = { ...OFF, ARCH_PKEY_BITS: pkeyBits, ...given };
  for (const k of forced) if (!Object.hasOwn(given, k)) chosen[k] = true;
  for (const k of OPTION_NAMES) {
    const v = chosen[k];
    if (k === 'ARCH_PKEY_BITS') {
      if (typeof v !== 'number') throw typeError('config.options.ARCH_PKEY_BITS', 'a number', v);
    } else if (typeof v !== 'boolean') {
      throw typeError(`config.options.${k}`, 'a boolean', v);
    }
  }
  for (const k of forced) {
    if (!chosen[k]) throw rangeError(`config.options.${k}`, `true on arch ${arch} (its Kconfig forces it on)`, false);
  }
  // A pkey count is the arch's, whether or not pkeys are enabled; 0 is always
  // accepted as "none" so a config without pkeys can be restated.
  if (chosen.ARCH_PKEY_BITS !== pkeyBits && (chosen.ARCH_HAS_PKEYS || chosen.ARCH_PKEY_BITS !== 0)) {
    throw rangeError(
      'config.options.ARCH_PKEY_BITS',
      `${pkeyBits} on arch ${arch} (fixed by its Kconfig)`,
      chosen.ARCH_PKEY_BITS,
    );
  }
  const derived: DerivedKernelOptions = {
    '64BIT': bitsPerLong === 64,
    PPC32: arch === 'ppc32',
    PPC64: arch === 'ppc64',
    PARISC: arch === 'parisc',
    SPARC64: arch === 'sparc64',
    ARM64: arch === 'arm64',
    X86: arch === 'x86_64' || arch === 'i386',
    RISCV: arch === 'riscv64',
    ARCH_HAS_USER_SHADOW_STACK: chosen.X86_USER_SHADOW_STACK || chosen.RISCV_USER_CFI || chosen.ARM64_GCS,
  };
  validate(chosen, derived, arch);
  if (!chosen.ARCH_HAS_PKEYS) chosen.ARCH_PKEY_BITS = 0;
  const keyOf = (k: keyof KernelConfigOptions): string =>
    k === 'ARCH_PKEY_BITS' || k === 'MMU' ? `${k}=${String(chosen[k])}` : k;
  const options: KernelOptions = Object.freeze({ ...chosen, ...derived });
  const key =
    `${arch}/${bitsPerLong}/${numVmaFlagBits}/` +
    OPTION_NAMES.filter((k) => chosen[k] !== OFF[k])
      .map(keyOf)
      .join(',');
  const name = fields.name ?? 'custom';
  const allowedName = `a string of at most ${KERNEL_CONFIG_NAME_MAX_LENGTH} characters`;
  if (typeof name !== 'string') throw typeError('config.name', allowedName, name);
  if (name.length > KERNEL_CONFIG_NAME_MAX_LENGTH) throw rangeError('config.name', allowedName, name);
  const cacheKey = `${name}|${key}`;
  const hit = interned.get(cacheKey);
  if (hit) return hit;
  const config: KernelConfig = Object.freeze({
    name,
    arch,
    bitsPerLong,
    numVmaFlagBits,
    numWords: numVmaFlagBits / bitsPerLong,
    numLanes: numVmaFlagBits / 32,
    options,
    key,
  });
  interned.set(cacheKey, config);
  known.add(config);
  return config;
}

function validate(o: KernelConfigOptions, d: DerivedKernelOptions, arch: Arch): void {
  const need = (opt: keyof KernelConfigOptions, ok: boolean, allowed: string) => {
    if (o[opt] && !ok) throw rangeError(`config.options.${opt}`, `false unless ${allowed}`, `true with arch ${arch}`);
  };
  // Everything living above bit 31 needs a 64-bit vm_flags_t: a 32-bit kernel
  // cannot express these as legacy masks at all.
  const wide = '64-bit (bits 32 and up do not fit a 32-bit vm_flags_t)';
  need('ARCH_HAS_PKEYS', d['64BIT'], wide);
  need('X86_USER_SHADOW_STACK', d['64BIT'] && d.X86, `${wide} on x86`);
  need('RISCV_USER_CFI', d['64BIT'] && d.RISCV, `${wide} on riscv`);
  need('ARM64_MTE', d.ARM64, 'arch is arm64');
  need('ARM64_GCS', d.ARM64, 'arch is arm64');
  need('ARM64_BTI', d.ARM64, 'arch is arm64');
  need('HAVE_ARCH_USERFAULTFD_MINOR', d['64BIT'] && o.MMU, `${wide} with MMU`);
  // USERFAULTFD_RWP depends on 64BIT, ARCH_HAS_PTE_PROTNONE and
  // HAVE_ARCH_USERFAULTFD_WP: of our arches, x86_64, arm64 and riscv64 (MMU).
  need(
    'USERFAULTFD_RWP',
    (d.X86 || d.ARM64 || d.RISCV) && d['64BIT'] && o.MMU,
    'arch is x86_64, arm64 or riscv64 with MMU',
  );
  need('STACK_GROWSUP', d.PARISC, 'arch is parisc (the only grows-up stack)');
  need('MEM_SOFT_DIRTY', o.MMU, 'MMU is enabled');
  need('ARCH_HAS_PKEYS', o.ARCH_PKEY_BITS !== 0, 'arch is x86_64, ppc64 or arm64 (the arches with protection keys)');
}

function preset(name: string, arch: Arch, options: Partial<KernelConfigOptions> = {}): KernelConfig {
  return defineKernelConfig({ name, arch, options });
}

/**
 * Distribution-style configurations. Each enables what a common kernel for
 * that architecture turns on, so the flag table looks like the one users see.
 */
export const PRESETS = Object.freeze({
  /** x86_64 with soft-dirty, 4 protection-key bits, user shadow stack and userfaultfd minor faults. */
  x86_64: preset('x86_64', 'x86_64', {
    MEM_SOFT_DIRTY: true,
    ARCH_HAS_PKEYS: true,
    X86_USER_SHADOW_STACK: true,
    HAVE_ARCH_USERFAULTFD_MINOR: true,
  }),
  /** 32-bit x86: one 32-bit word, nothing above bit 31. */
  i386: preset('i386', 'i386'),
  /** arm64 with 3 protection-key bits, MTE, GCS, BTI and userfaultfd minor faults. */
  arm64: preset('arm64', 'arm64', {
    ARCH_HAS_PKEYS: true,
    ARM64_MTE: true,
    ARM64_GCS: true,
    ARM64_BTI: true,
    HAVE_ARCH_USERFAULTFD_MINOR: true,
  }),
  /** 32-bit arm: one 32-bit word. */
  arm: preset('arm', 'arm'),
  // riscv selects HAVE_ARCH_SOFT_DIRTY on 64-bit MMU kernels with Svrsw60t59b
  // support (default y), so a distribution build has soft-dirty like x86_64.
  /** riscv64 with soft-dirty, the user shadow stack and userfaultfd minor faults. */
  riscv64: preset('riscv64', 'riscv64', {
    MEM_SOFT_DIRTY: true,
    RISCV_USER_CFI: true,
    HAVE_ARCH_USERFAULTFD_MINOR: true,
  }),
  /** 64-bit powerpc with soft-dirty and protection keys (5 bits, fixed by the arch). */
  ppc64: preset('ppc64', 'ppc64', { MEM_SOFT_DIRTY: true, ARCH_HAS_PKEYS: true }),
  /** 32-bit powerpc (DROPPABLE moves to bit 24). */
  ppc32: preset('ppc32', 'ppc32'),
  /** parisc: 32-bit, stack grows up (forced by the arch). */
  parisc: preset('parisc', 'parisc'),
  /** sparc64 (bit 24 is SPARC_ADI). */
  sparc64: preset('sparc64', 'sparc64'),
  /** A 32-bit kernel without an MMU. */
  nommu: preset('nommu', 'generic32', { MMU: false }),
});

/** The name of a {@link PRESETS} entry. */
export type PresetName = keyof typeof PRESETS;

/** What a plain import uses: x86_64 with a one-word (64-bit) bitmap. */
export const DEFAULT_CONFIG: KernelConfig = PRESETS.x86_64;

/** The same configuration with a different `NUM_VMA_FLAG_BITS`. */
export function withNumVmaFlagBits(config: KernelConfig, numVmaFlagBits: number): KernelConfig {
  assertKernelConfig(config, 'config');
  const options: Partial<KernelConfigOptions> = {};
  for (const k of OPTION_NAMES) (options as Record<string, unknown>)[k] = config.options[k];
  return defineKernelConfig({ arch: config.arch, numVmaFlagBits, options, name: config.name });
}

/** Whether `v` is a configuration made by {@link defineKernelConfig} (not a look-alike object). */
export function isKernelConfig(v: unknown): v is KernelConfig {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: WeakSet.has is false for any non-object anyway
  return typeof v === 'object' && v !== null && known.has(v);
}

/** Throws a `TypeError` naming `arg` unless `v` is a real {@link KernelConfig}. */
export function assertKernelConfig(v: unknown, arg: string): asserts v is KernelConfig {
  if (!isKernelConfig(v)) throw typeError(arg, 'a KernelConfig from defineKernelConfig() or PRESETS', v);
}
