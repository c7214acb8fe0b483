import { assertKernelConfig, type KernelConfig } from '@vmaflags/core';
import { binding } from './binding.js';

// The addon knows configurations by a small id, registered once per config
// key; equal keys are the same configuration (as in the core).
const ids = new WeakMap<KernelConfig, number>();

export function configId(config: KernelConfig, arg = 'config'): number {
  let id = ids.get(config);
  if (id === undefined) {
    assertKernelConfig(config, arg);
    id = binding.internConfig(config.key, config.bitsPerLong, config.numVmaFlagBits);
    ids.set(config, id);
  }
  return id;
}

/**
 * One object per config id, made on first use: the addon's bound helper
 * objects are per configuration and cost a native call to create.
 */
export function perConfigId<T>(make: (id: number) => T): (id: number) => T {
  const made = new Map<number, T>();
  return (id) => {
    let o = made.get(id);
    if (o === undefined) {
      o = make(id);
      made.set(id, o);
    }
    return o;
  };
}
