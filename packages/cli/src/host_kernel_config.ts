import { readFile } from 'node:fs/promises';
import { machine, release } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { PRESETS, kernelConfigFromKconfig, presetForMachine, type KernelConfig } from '@vmaflags/core';
import { UsageError } from './exit_codes.js';

// The running kernel's configuration: its /proc/config.gz, else the
// /boot/config-$(uname -r) distributions install, else the preset of its
// machine name. Where it came from travels with it, because decoding with a
// guess must be visible.
//
// VMAFLAGS_HOST_ROOT (a directory standing in for /) and VMAFLAGS_HOST_MACHINE
// (a uname -m name) replace what is probed, so the whole chain can be walked on
// any machine, and a mounted system image examined.

/** A configuration and what it was read from: `/proc/config.gz`, `/boot/config-…`, `preset:NAME`, `file:PATH`. */
export interface SourcedKernelConfig {
  config: KernelConfig;
  source: string;
}

const gunzipAsync = promisify(gunzip);

/** A `.config`, gunzipped when it starts with the gzip magic; `null` when there is no such file. */
async function readKconfig(path: string): Promise<string | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(`cannot read ${path}: permission denied`);
    if (code === 'EISDIR') throw new UsageError(`cannot read ${path}: is a directory`);
    throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (e) {
      throw new UsageError(`cannot read ${path}: not a valid gzip file (${(e as Error).message})`);
    }
  }
  return bytes.toString('utf8');
}

function fromText(text: string, path: string, what: string, source: string, machineName?: string): SourcedKernelConfig {
  const opts = machineName === undefined ? {} : { machine: machineName };
  try {
    // Read once for the architecture, which the name shows next to the source.
    const { arch } = kernelConfigFromKconfig(text, opts);
    return { config: kernelConfigFromKconfig(text, { ...opts, name: `${arch} from ${path}` }), source };
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError) throw new UsageError(`${what}: ${e.message}`);
    throw e;
  }
}

/** A `.config` the user names (plain or gzip); it says its own architecture. */
export async function kconfigFileConfig(path: string): Promise<SourcedKernelConfig> {
  const text = await readKconfig(path);
  if (text === null) throw new UsageError(`--kconfig: cannot read ${path}: no such file`);
  return fromText(text, path, `--kconfig ${path}`, `file:${path}`);
}

/**
 * This kernel's configuration, by the first source that exists.
 *
 * @param presets the `--arch` values to suggest when nothing fits.
 */
export async function hostKernelConfig(presets: string, env = process.env): Promise<SourcedKernelConfig> {
  const root = env.VMAFLAGS_HOST_ROOT || '/';
  const machineName = env.VMAFLAGS_HOST_MACHINE || machine();
  const candidates = [join(root, 'proc', 'config.gz'), join(root, 'boot', `config-${release()}`)];
  for (const path of candidates) {
    const text = await readKconfig(path);
    if (text !== null) return fromText(text, path, path, path, machineName);
  }
  const preset = presetForMachine(machineName);
  if (preset === undefined) {
    throw new UsageError(
      `--arch host: this kernel's configuration is unknown (no ${candidates.join(', no ')}, and no preset for machine ${JSON.stringify(machineName)}); give --arch ${presets} or --kconfig FILE`,
    );
  }
  return { config: PRESETS[preset], source: `preset:${preset}` };
}
