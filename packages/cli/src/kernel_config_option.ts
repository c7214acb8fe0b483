import {
  KERNEL_CONFIG_OPTION_NAMES,
  PRESETS,
  defineKernelConfig,
  withNumVmaFlagBits,
  type KernelConfig,
  type KernelConfigOptions,
  type PresetName,
} from '@vmaflags/core';
import { UsageError } from './exit_codes.js';

// --arch / --bits / --option NAME=on|off → one KernelConfig from @vmaflags/core.
// Core validates every combination; its errors become usage errors.

export interface KernelConfigFlags {
  arch?: string;
  bits?: string;
  option?: string[];
}

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

export function kernelConfigOf(flags: KernelConfigFlags): KernelConfig {
  const presetName = flags.arch ?? 'x86_64';
  if (!Object.hasOwn(PRESETS, presetName)) {
    throw new UsageError(`--arch must be one of ${PRESET_NAMES.join(', ')}; got ${JSON.stringify(presetName)}`);
  }
  const preset = PRESETS[presetName as PresetName];
  let bits: number = preset.bitsPerLong;
  if (flags.bits !== undefined) {
    if (!/^\d+$/.test(flags.bits))
      throw new UsageError(`--bits must be a positive integer (NUM_VMA_FLAG_BITS); got ${JSON.stringify(flags.bits)}`);
    bits = Number(flags.bits);
  }
  const overrides = parseOptionOverrides(flags.option ?? []);
  try {
    if (overrides.size === 0) return bits === preset.numVmaFlagBits ? preset : withNumVmaFlagBits(preset, bits);
    const options: Partial<Record<keyof KernelConfigOptions, boolean | number>> = {};
    for (const k of KERNEL_CONFIG_OPTION_NAMES) options[k] = overrides.get(k) ?? preset.options[k];
    return defineKernelConfig({
      arch: preset.arch,
      numVmaFlagBits: bits,
      options: options as Partial<KernelConfigOptions>,
      name: `${preset.name}+${[...overrides].map(([k, v]) => `${k}=${String(v)}`).join(',')}`,
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
