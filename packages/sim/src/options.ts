import { totalmem } from 'node:os';
import { defineKernelConfig, isKernelConfig, type KernelConfig } from '@vmaflags/core';
import type { KernelFeatures } from '@vmaflags/mm';
import { UnsupportedOptionError } from './errors.js';

// What the simulated kernel is. Defaults describe the machine the reference
// corpus is recorded on: Linux 6.18, x86_64, 4 KiB pages,
// CONFIG_MEM_SOFT_DIRTY and CONFIG_X86_USER_SHADOW_STACK off (/proc/config.gz),
// vm.overcommit_memory 0, vm.max_map_count 65530, THP "madvise", a 256-page
// stack guard gap, running as root (CAP_IPC_LOCK) with an 8 MiB memlock limit.

/** x86_64 as this kernel is configured: no soft-dirty, no user shadow stacks. */
export const X86_64_6_18: KernelConfig = defineKernelConfig({
  name: 'x86_64-6.18',
  arch: 'x86_64',
  options: { ARCH_HAS_PKEYS: true, ARCH_PKEY_BITS: 4, HAVE_ARCH_USERFAULTFD_MINOR: true },
});

/** Which `FlagsBackend` holds the VMA flags: `@vmaflags/core`'s TypeScript one or `@vmaflags/native`'s addon. Results are identical. */
export type BackendName = 'core' | 'native';
/** The transparent huge page mode (/sys/kernel/mm/transparent_hugepage/enabled). */
export type ThpMode = 'always' | 'madvise' | 'never';

/**
 * Kernel releases whose system-call behaviour the simulator knows: from
 * 6.13, the first with guard regions (mseal exists since 6.10). Only 6.18 is
 * checked against a live kernel; the older ones differ from it in the gated
 * features below and are otherwise assumed to behave like it.
 */
export const KERNEL_VERSIONS = ['6.13', '6.14', '6.15', '6.16', '6.17', '6.18'] as const;
/** A kernel release of {@link KERNEL_VERSIONS}. */
export type KernelVersion = (typeof KERNEL_VERSIONS)[number];

/** The gated behaviour of a release: multi-VMA mremap moves from 6.17, VM_MAYBE_GUARD from 6.18. */
export function kernelFeatures(version: KernelVersion): KernelFeatures {
  if (!KERNEL_VERSIONS.includes(version))
    throw new UnsupportedOptionError('version', `one of ${KERNEL_VERSIONS.join(', ')}`, version);
  const minor = Number(version.split('.')[1]);
  return Object.freeze({ multiVmaMremap: minor >= 17, maybeGuard: minor >= 18 });
}

/**
 * What kernel and machine an {@link AddressSpace} simulates. Every field is optional; the defaults describe
 * Linux 6.18 on x86_64 as this machine runs it. {@link resolveOptions} checks them and throws an
 * {@link UnsupportedOptionError} for a value that cannot be simulated.
 */
export interface AddressSpaceOptions {
  /** The kernel configuration (a core preset or defineKernelConfig()); 64-bit only. */
  config?: KernelConfig;
  /** Where the VMA flags live: `'core'` (default) or `'native'`. */
  backend?: BackendName;
  /** vm.overcommit_memory: 0 (heuristic) or 1 (always). */
  overcommitMemory?: 0 | 1 | 2;
  /** /sys/kernel/mm/transparent_hugepage/enabled */
  thp?: ThpMode;
  /** Files live on a noexec mount. */
  noexecFiles?: boolean;
  /** vm.max_map_count */
  maxMapCount?: number;
  /** vm.stack_guard_gap, in pages. */
  stackGuardGap?: number;
  /** The task has CAP_IPC_LOCK (root does). */
  capIpcLock?: boolean;
  /** RLIMIT_MEMLOCK in bytes. */
  rlimitMemlock?: number;
  /** RLIMIT_STACK in bytes. */
  rlimitStack?: number;
  /** Physical memory plus swap, in pages, for the overcommit heuristic. */
  totalPages?: number;
  /** The kernel release whose behaviour to reproduce. */
  kernelVersion?: KernelVersion;
  /** CONFIG_DEBUG_VM_MAPLE_TREE: validate the whole tree after every change (slow). */
  debugVm?: boolean;
}

/** The options with every default filled in, as {@link resolveOptions} returns them. */
export type ResolvedOptions = Required<AddressSpaceOptions>;

const OPTION_NAMES = [
  'config',
  'backend',
  'overcommitMemory',
  'thp',
  'noexecFiles',
  'maxMapCount',
  'stackGuardGap',
  'capIpcLock',
  'rlimitMemlock',
  'rlimitStack',
  'totalPages',
  'kernelVersion',
  'debugVm',
] as const satisfies readonly (keyof AddressSpaceOptions)[];

// The options are read once, into a plain object: a getter or Proxy trap that
// throws (a revoked Proxy throws on every read) is an error naming `options`.
function readOptions(options: unknown): AddressSpaceOptions {
  if (typeof options !== 'object' || options === null)
    throw new UnsupportedOptionError('options', 'an object', options);
  const copy: Record<string, unknown> = {};
  try {
    for (const k of OPTION_NAMES) copy[k] = (options as Record<string, unknown>)[k];
  } catch (cause) {
    const err = new UnsupportedOptionError('options', 'an object whose fields can be read', options);
    err.cause = cause;
    throw err;
  }
  return copy as AddressSpaceOptions;
}

function positiveInt(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new UnsupportedOptionError(name, 'a non-negative safe integer', v);
  return v;
}

function oneOf<T>(name: string, v: unknown, allowed: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (!allowed.includes(v as T))
    throw new UnsupportedOptionError(name, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`, v);
  return v as T;
}

function bool(name: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new UnsupportedOptionError(name, 'a boolean', v);
  return v;
}

/** Fill in the defaults and refuse what cannot be simulated. */
export function resolveOptions(options: AddressSpaceOptions = {}): ResolvedOptions {
  const o = readOptions(options);
  const config = o.config ?? X86_64_6_18;
  if (!isKernelConfig(config)) throw new UnsupportedOptionError('config', 'a KernelConfig', config);
  if (config.arch !== 'x86_64')
    throw new UnsupportedOptionError(
      'config',
      'an x86_64 configuration (the system-call layer models x86_64)',
      config.name,
    );
  const overcommitMemory = oneOf('overcommitMemory', o.overcommitMemory, [0, 1] as const, 0);
  return {
    config,
    backend: oneOf('backend', o.backend, ['core', 'native'] as const, 'core'),
    overcommitMemory,
    thp: oneOf('thp', o.thp, ['always', 'madvise', 'never'] as const, 'madvise'),
    noexecFiles: bool('noexecFiles', o.noexecFiles, false),
    maxMapCount: positiveInt('maxMapCount', o.maxMapCount, 65530),
    stackGuardGap: positiveInt('stackGuardGap', o.stackGuardGap, 256),
    capIpcLock: bool('capIpcLock', o.capIpcLock, true),
    rlimitMemlock: positiveInt('rlimitMemlock', o.rlimitMemlock, 8 * 1024 * 1024),
    rlimitStack: positiveInt('rlimitStack', o.rlimitStack, 8 * 1024 * 1024),
    totalPages: positiveInt('totalPages', o.totalPages, Math.floor(totalmem() / 4096)),
    kernelVersion: oneOf('kernelVersion', o.kernelVersion, KERNEL_VERSIONS, '6.18'),
    debugVm: bool('debugVm', o.debugVm, false),
  };
}
