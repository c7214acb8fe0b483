import {
  KERNEL_CONFIG_NAME_MAX_LENGTH,
  PRESETS,
  defineKernelConfig,
  type Arch,
  type KernelConfig,
  type KernelConfigOptions,
  type PresetName,
} from './config.js';
import { rangeError, readObjectArgument, typeError } from './errors.js';

// A kernel `.config` (what `make` writes, `/proc/config.gz`, `/boot/config-*`)
// turned into the KernelConfig that describes that kernel's flag table.
//
// The file has three kinds of line: `CONFIG_FOO=value`, `# CONFIG_FOO is not
// set`, and blank or `#` comment lines. One regex reads them. A general
// KEY=value library (dotenv's `parse`) would drop the `is not set` lines as
// comments, rewrite escapes the kernel's format does not have, and give this
// dependency-free package its first runtime dependency.

const LINE = /^(?:CONFIG_([A-Za-z0-9_]+)=(.*)|# CONFIG_([A-Za-z0-9_]+) is not set)$/;

/** What {@link kernelConfigFromKconfig} takes besides the text. */
export interface KconfigOptions {
  /**
   * `uname -m` of the machine the config belongs to (`x86_64`, `aarch64`, …),
   * used only when the text names no architecture; see {@link presetForMachine}.
   */
  machine?: string;
  /** `NUM_VMA_FLAG_BITS`; defaults to `BITS_PER_LONG` of the architecture. */
  numVmaFlagBits?: number;
  /** The configuration's label; defaults to `kconfig:<arch>`. */
  name?: string;
}

// A symbol as the text leaves it: its value as written (a string symbol keeps
// its quotes: none of the symbols read here is a string), `false` for `is not
// set` or `=n`, absent when the text does not mention it. A later line
// overrides an earlier one, as when the kernel's own tools read a config.
type Symbols = ReadonlyMap<string, string | false>;

function readSymbols(text: string): Symbols {
  const symbols = new Map<string, string | false>();
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    const m = LINE.exec(line);
    if (m === null) {
      if (line === '' || line.startsWith('#')) continue;
      throw rangeError(
        'text',
        `a kernel .config (CONFIG_NAME=value, "# CONFIG_NAME is not set", blank or # comment lines) at line ${i + 1}`,
        raw.length > 80 ? `${raw.slice(0, 80)}…` : raw,
      );
    }
    if (m[3] !== undefined) symbols.set(m[3], false);
    else symbols.set(m[1]!, m[2] === 'n' ? false : m[2]!);
  }
  return symbols;
}

/** A bool or tristate: set (`y` or `m`), unset, or not mentioned. */
function tristate(symbols: Symbols, name: string): boolean | undefined {
  const v = symbols.get(name);
  if (v === undefined || v === false) return v;
  if (v === 'y' || v === 'm') return true;
  throw rangeError('text', `y, m or n for CONFIG_${name}`, v);
}

type BoolOption = Exclude<keyof KernelConfigOptions, 'ARCH_PKEY_BITS'>;

// The symbols behind each option. Protection keys come from ARCH_HAS_PKEYS
// itself or from the per-arch option that selects it (a select cannot be
// refused, so either one set means pkeys are on):
// torvalds/linux arch/x86/Kconfig X86_INTEL_MEMORY_PROTECTION_KEYS,
// arch/powerpc/Kconfig PPC_MEM_KEYS, arch/arm64/Kconfig ARM64_POE.
const OPTION_SYMBOLS: Readonly<Record<BoolOption, readonly string[]>> = {
  MMU: ['MMU'],
  MEM_SOFT_DIRTY: ['MEM_SOFT_DIRTY'],
  ARCH_HAS_PKEYS: ['ARCH_HAS_PKEYS', 'X86_INTEL_MEMORY_PROTECTION_KEYS', 'PPC_MEM_KEYS', 'ARM64_POE'],
  X86_USER_SHADOW_STACK: ['X86_USER_SHADOW_STACK'],
  RISCV_USER_CFI: ['RISCV_USER_CFI'],
  ARM64_MTE: ['ARM64_MTE'],
  ARM64_GCS: ['ARM64_GCS'],
  ARM64_BTI: ['ARM64_BTI'],
  HAVE_ARCH_USERFAULTFD_MINOR: ['HAVE_ARCH_USERFAULTFD_MINOR'],
  USERFAULTFD_RWP: ['USERFAULTFD_RWP'],
  STACK_GROWSUP: ['STACK_GROWSUP'],
  MSEAL_SYSTEM_MAPPINGS: ['MSEAL_SYSTEM_MAPPINGS'],
};

/**
 * The options the text states. One it does not mention is left out, so it takes
 * {@link defineKernelConfig}'s default: off, except what the architecture forces
 * on (and MMU). A real config always mentions MMU and the prompted options; the
 * unprompted ones it leaves out are exactly the ones that are off.
 */
function optionsOf(symbols: Symbols): Partial<KernelConfigOptions> {
  const options: Partial<KernelConfigOptions> = {};
  for (const [option, names] of Object.entries(OPTION_SYMBOLS) as [BoolOption, readonly string[]][]) {
    const states = names.map((n) => tristate(symbols, n));
    if (states.includes(true)) options[option] = true;
    else if (states.includes(false)) options[option] = false;
  }
  const pkeyBits = symbols.get('ARCH_PKEY_BITS');
  if (typeof pkeyBits === 'string') {
    if (!/^\d+$/.test(pkeyBits)) throw rangeError('text', 'a decimal number for CONFIG_ARCH_PKEY_BITS', pkeyBits);
    options.ARCH_PKEY_BITS = Number(pkeyBits);
  }
  return options;
}

// The symbol each modelled architecture's Kconfig sets (`def_bool y` or the
// 32/64-bit split of one arch directory). riscv is one symbol for both widths
// and is handled with 64BIT below.
const ARCH_SYMBOLS: readonly (readonly [symbol: string, arch: Arch])[] = [
  ['X86_64', 'x86_64'],
  ['X86_32', 'i386'],
  ['ARM64', 'arm64'],
  ['ARM', 'arm'],
  ['PPC64', 'ppc64'],
  ['PPC32', 'ppc32'],
  ['PARISC', 'parisc'],
  ['SPARC64', 'sparc64'],
];

const MODELLED = `${ARCH_SYMBOLS.map(([symbol]) => `CONFIG_${symbol}`).join(', ')}, CONFIG_RISCV with CONFIG_64BIT, or "# CONFIG_MMU is not set" for the no-MMU model`;

/** The architecture the text names: a modelled one, `riscv32`, or none. */
function archOf(symbols: Symbols): Arch | 'riscv32' | undefined {
  const named = new Set<Arch | 'riscv32'>();
  for (const [symbol, arch] of ARCH_SYMBOLS) if (tristate(symbols, symbol)) named.add(arch);
  if (tristate(symbols, 'RISCV')) named.add(tristate(symbols, '64BIT') ? 'riscv64' : 'riscv32');
  if (named.size > 1)
    throw rangeError('text', 'the config of one architecture', `CONFIG_ symbols of ${[...named].join(' and ')}`);
  return named.values().next().value;
}

const MACHINES: ReadonlyMap<string, PresetName> = new Map([
  ['x86_64', 'x86_64'],
  ['aarch64', 'arm64'],
  ['arm64', 'arm64'],
  ['riscv64', 'riscv64'],
  ['ppc64', 'ppc64'],
  ['ppc64le', 'ppc64'],
  ['ppc', 'ppc32'],
  ['parisc', 'parisc'],
  ['parisc64', 'parisc'],
  ['sparc64', 'sparc64'],
]);

const MACHINE_NAMES =
  'x86_64, i386 to i686, aarch64, arm64, armv*, riscv64, ppc64, ppc64le, ppc, parisc, parisc64, sparc64';

/**
 * The {@link PRESETS} entry for a `uname -m` machine name (Node's `os.machine()`):
 * `x86_64`; `i386` to `i686` → `i386`; `aarch64`/`arm64` → `arm64`; `armv*` → `arm`;
 * `riscv64`; `ppc64`/`ppc64le` → `ppc64`; `ppc` → `ppc32`; `parisc`/`parisc64` →
 * `parisc`; `sparc64`. `undefined` for any other machine.
 *
 * @throws TypeError when `machine` is not a string.
 */
export function presetForMachine(machine: string): PresetName | undefined {
  if (typeof machine !== 'string') throw typeError('machine', 'a string (a uname -m machine name)', machine);
  if (/^i[3-6]86$/.test(machine)) return 'i386';
  if (machine.startsWith('armv')) return 'arm';
  return MACHINES.get(machine);
}

/**
 * The configuration of the kernel a `.config` text describes: the architecture
 * from the text's `CONFIG_X86_64`, `CONFIG_X86_32`, `CONFIG_ARM64`, `CONFIG_ARM`,
 * `CONFIG_RISCV` (with `CONFIG_64BIT`), `CONFIG_PPC64`, `CONFIG_PPC32`,
 * `CONFIG_PARISC` or `CONFIG_SPARC64`; a text that names none of them but says
 * `# CONFIG_MMU is not set` is the no-MMU model (`generic32`, or `generic64` with
 * `CONFIG_64BIT`); otherwise the architecture of `opts.machine` (see
 * {@link presetForMachine}). Every option of {@link KernelConfigOptions} is read from
 * its Kconfig symbol (`=y` and `=m` set it, `=n` and `# … is not set` clear it);
 * an option the text does not mention keeps {@link defineKernelConfig}'s default,
 * so what the architecture forces stays forced. Unknown symbols are ignored.
 *
 * Pure: give it the text of `/proc/config.gz` (gunzipped) or `/boot/config-*`.
 *
 * @throws TypeError when `text` is not a string or `opts` is malformed.
 * @throws RangeError naming `text` for a line that is not `.config` syntax, a
 * value that does not fit its symbol, symbols of two architectures, an option
 * the architecture cannot have or refuses to drop (`# CONFIG_MMU is not set` on
 * x86_64), or when neither the text nor `opts.machine` gives an architecture we
 * model; naming `opts.numVmaFlagBits` for a width the architecture cannot have.
 */
export function kernelConfigFromKconfig(text: string, opts: KconfigOptions = {}): KernelConfig {
  if (typeof text !== 'string') throw typeError('text', 'a string (the contents of a kernel .config)', text);
  const { machine, numVmaFlagBits, name } = readObjectArgument(opts, 'opts', 'an object', (o: KconfigOptions) => ({
    machine: o.machine,
    numVmaFlagBits: o.numVmaFlagBits,
    name: o.name,
  }));
  if (machine !== undefined && typeof machine !== 'string')
    throw typeError('opts.machine', 'a string (a uname -m machine name)', machine);
  if (name !== undefined && (typeof name !== 'string' || name.length > KERNEL_CONFIG_NAME_MAX_LENGTH))
    throw typeError('opts.name', `a string of at most ${KERNEL_CONFIG_NAME_MAX_LENGTH} characters`, name);
  const symbols = readSymbols(text);
  const options = optionsOf(symbols);
  const named = archOf(symbols);
  let arch: Arch | undefined = named === 'riscv32' ? undefined : named;
  if (arch === undefined && options.MMU === false) arch = tristate(symbols, '64BIT') ? 'generic64' : 'generic32';
  if (arch === undefined && named === undefined && machine !== undefined) {
    const preset = presetForMachine(machine);
    if (preset !== undefined) arch = PRESETS[preset].arch;
  }
  if (arch === undefined) {
    const got =
      named === 'riscv32'
        ? 'riscv32 (RISCV without 64BIT)'
        : `no architecture${machine === undefined ? ' and no opts.machine' : ` and machine ${JSON.stringify(machine)}`}`;
    throw rangeError(
      'text',
      `a config naming an architecture we model (${MODELLED}), or come with an opts.machine we map (${MACHINE_NAMES})`,
      got,
    );
  }
  try {
    return defineKernelConfig({
      arch,
      options,
      name: name ?? `kconfig:${arch}`,
      ...(numVmaFlagBits === undefined ? {} : { numVmaFlagBits }),
    });
  } catch (e) {
    // Core names its own fields; say which line of the text is at fault.
    if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
    const message = e.message
      .replace(/^config\.options\.(\w+)/, 'text: CONFIG_$1')
      .replace(/^config\.numVmaFlagBits/, 'opts.numVmaFlagBits');
    throw e instanceof RangeError ? new RangeError(message, { cause: e }) : new TypeError(message, { cause: e });
  }
}
