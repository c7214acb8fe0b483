import {
  KERNEL_CONFIG_OPTION_NAMES,
  PRESETS,
  defineKernelConfig,
  withNumVmaFlagBits,
  type KernelConfig,
  type KernelConfigOptions,
  type PresetName,
} from '@vmaflags/core';
import type { CommandContext } from './context.js';
import { UsageError } from './exit_codes.js';
import { hostKernelConfig, kconfigFileConfig, type SourcedKernelConfig } from './host_kernel_config.js';

// --kconfig FILE / --arch host|PRESET / --bits / --option NAME=on|off → one
// KernelConfig from @vmaflags/core, with where it came from. Core validates
// every combination; its errors become usage errors.

export interface KernelConfigFlags {
  arch?: string;
  kconfig?: string;
  bits?: string;
  option?: string[];
}

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** What `--arch` accepts. */
export const ARCH_VALUES = ['host', ...PRESET_NAMES] as const;

/** `--arch` when not given: `host` to describe the running kernel, a preset for text from any machine. */
export type ArchDefault = 'host' | PresetName;

/** The default for a command reading a process: the running kernel's configuration, but not for a saved file. */
export function liveArchDefault(flags: { file?: string }): ArchDefault {
  return flags.file === undefined ? 'host' : 'x86_64';
}

export const LIVE_ARCH_HELP =
  'default host for a live process, x86_64 with --file (a saved smaps may come from any machine: give its --kconfig)';

/** A configuration, where it came from, and whether that was read rather than named by --arch. */
export interface ResolvedKernelConfig extends SourcedKernelConfig {
  read: boolean;
}

/** The configuration the flags ask for (`defaultArch` when they name none). */
export async function kernelConfigOf(
  flags: KernelConfigFlags,
  defaultArch: ArchDefault = 'x86_64',
): Promise<ResolvedKernelConfig> {
  const arch = flags.arch ?? defaultArch;
  if (!(ARCH_VALUES as readonly string[]).includes(arch)) {
    throw new UsageError(`--arch must be one of ${ARCH_VALUES.join(', ')}; got ${JSON.stringify(arch)}`);
  }
  const base =
    flags.kconfig !== undefined
      ? await kconfigFileConfig(flags.kconfig)
      : arch === 'host'
        ? await hostKernelConfig(`with a preset (${PRESET_NAMES.join(', ')})`)
        : { config: PRESETS[arch as PresetName], source: `preset:${arch}` };
  const read = flags.kconfig !== undefined || arch === 'host';
  return { config: adjusted(base.config, flags), source: base.source, read };
}

/**
 * One dim line on stderr in text mode saying where a configuration read from
 * the running kernel or a file came from: it decides how every flag is decoded.
 * Commands call it once their input has been checked, before their output.
 */
export function reportConfigSource(ctx: CommandContext, resolved: ResolvedKernelConfig): void {
  if (resolved.read && !ctx.json) ctx.io.stderr(`${ctx.c.dim(`config from ${resolved.source}`)}\n`);
}

/** `base` with the --bits and --option changes. */
function adjusted(base: KernelConfig, flags: KernelConfigFlags): KernelConfig {
  let bits: number = base.numVmaFlagBits;
  if (flags.bits !== undefined) {
    if (!/^\d+$/.test(flags.bits))
      throw new UsageError(`--bits must be a positive integer (NUM_VMA_FLAG_BITS); got ${JSON.stringify(flags.bits)}`);
    bits = Number(flags.bits);
  }
  const overrides = parseOptionOverrides(flags.option ?? []);
  try {
    if (overrides.size === 0) return bits === base.numVmaFlagBits ? base : withNumVmaFlagBits(base, bits);
    const options: Partial<Record<keyof KernelConfigOptions, boolean | number>> = {};
    for (const k of KERNEL_CONFIG_OPTION_NAMES) options[k] = overrides.get(k) ?? base.options[k];
    return defineKernelConfig({
      arch: base.arch,
      numVmaFlagBits: bits,
      options: options as Partial<KernelConfigOptions>,
      name: `${base.name}+${[...overrides].map(([k, v]) => `${k}=${String(v)}`).join(',')}`,
    });
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) {
      throw new UsageError(
        e.message.replace(/^config\.numVmaFlagBits/, '--bits').replace(/^config\.options\./, '--option '),
      );
    }
    throw e;
  }
}

function parseOptionOverrides(specs: readonly string[]): Map<keyof KernelConfigOptions, boolean | number> {
  const out = new Map<keyof KernelConfigOptions, boolean | number>();
  for (const spec of specs) {
    const m = /^(?:CONFIG_)?([A-Z0-9_]+)=(.+)$/i.exec(spec);
    const name = m?.[1]?.toUpperCase() as keyof KernelConfigOptions | undefined;
    if (!m || name === undefined || !KERNEL_CONFIG_OPTION_NAMES.includes(name)) {
      throw new UsageError(
        `--option must be NAME=on|off with NAME one of ${KERNEL_CONFIG_OPTION_NAMES.join(', ')}; got ${JSON.stringify(spec)}`,
      );
    }
    const value = m[2]!.toLowerCase();
    if (name === 'ARCH_PKEY_BITS') {
      if (!/^\d+$/.test(value))
        throw new UsageError(`--option ARCH_PKEY_BITS takes a number (3..5); got ${JSON.stringify(m[2])}`);
      out.set(name, Number(value));
    } else if (value === 'on' || value === 'y' || value === 'true' || value === '1') {
      out.set(name, true);
    } else if (value === 'off' || value === 'n' || value === 'false' || value === '0') {
      out.set(name, false);
    } else {
      throw new UsageError(`--option ${name} must be on or off; got ${JSON.stringify(m[2])}`);
    }
  }
  return out;
}

export function describeConfig(config: KernelConfig): string {
  return `${config.name} (BITS_PER_LONG ${config.bitsPerLong}, NUM_VMA_FLAG_BITS ${config.numVmaFlagBits})`;
}
