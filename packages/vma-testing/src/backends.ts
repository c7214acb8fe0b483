import {
  PRESETS,
  coreBackend,
  rangeError,
  withNumVmaFlagBits,
  type FlagsBackend,
  type KernelConfig,
} from '@vmaflags/core';
import type { Backend } from '@vmaflags/mm';

// Which flag implementations and which bitmap widths the suite runs on.
// VMA_BACKEND=core|native|all (default all; a comma list also works) picks
// the backends; every case then runs once per backend and per width, like
// the kernel's harness built with NUM_VMA_FLAG_BITS=64 and with 128.

export const BACKEND_NAMES = ['core', 'native'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** x86_64 as shipped (64-bit bitmap) and the same with a 128-bit bitmap. */
export const HARNESS_CONFIGS: readonly KernelConfig[] = Object.freeze([
  PRESETS.x86_64,
  withNumVmaFlagBits(PRESETS.x86_64, 128),
]);

/** The backends named by VMA_BACKEND (or `value`), in the canonical order. */
export function selectedBackendNames(value: string | undefined = process.env.VMA_BACKEND): BackendName[] {
  const raw = (value ?? '').trim();
  if (raw === '' || raw === 'all') return [...BACKEND_NAMES];
  const names = raw.split(',').map((s) => s.trim());
  for (const n of names) {
    if (!(BACKEND_NAMES as readonly string[]).includes(n)) {
      throw rangeError('VMA_BACKEND', `"all" or a comma list of ${BACKEND_NAMES.join(', ')}`, raw);
    }
  }
  return BACKEND_NAMES.filter((n) => names.includes(n));
}

type Factory = (config: KernelConfig) => Backend;

// The backends hand out their own handle types; the harness only ever passes
// a backend's handles back to that backend, so they are all `VmaFlags` here.
const asHarnessFactory = (f: (config: KernelConfig) => FlagsBackend<unknown>): Factory => f as unknown as Factory;

/** The factory of one backend; the native addon is loaded on first use. */
export async function loadBackend(name: BackendName): Promise<Factory> {
  if (name === 'core') return asHarnessFactory(coreBackend);
  try {
    const native = await import('@vmaflags/native');
    return asHarnessFactory(native.nativeBackend);
  } catch (err) {
    throw new Error(
      `VMA_BACKEND selects "native" but @vmaflags/native did not load (build it with ` +
        `\`npx nx run @vmaflags/native:build\`, or run with VMA_BACKEND=core): ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/** One backend bound to one configuration: a complete harness build. */
export interface HarnessTarget {
  readonly backendName: BackendName;
  readonly config: KernelConfig;
  readonly backend: Backend;
  /** e.g. `core, 64-bit vma_flags_t` */
  readonly label: string;
}

/** Every selected backend at every harness width. */
export async function harnessTargets(names: readonly BackendName[] = selectedBackendNames()): Promise<HarnessTarget[]> {
  const targets: HarnessTarget[] = [];
  for (const name of names) {
    const factory = await loadBackend(name);
    for (const config of HARNESS_CONFIGS) {
      targets.push({
        backendName: name,
        config,
        backend: factory(config),
        label: `${name}, ${config.numVmaFlagBits}-bit vma_flags_t`,
      });
    }
  }
  return targets;
}
