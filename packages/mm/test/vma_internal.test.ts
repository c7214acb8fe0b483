import { PRESETS, VMA_MAYREAD_BIT, VMA_READ_BIT, coreBackend } from '@vmaflags/core';
import { describe, expect, test } from 'vitest';
import {
  ENOMEM,
  MmStruct,
  PAGE_SIZE,
  VMA_ITERATOR,
  splitVma,
  vmAreaAlloc,
  vmaLink,
  vmaLookup,
  vmaMarkAttached,
  type Backend,
  type VmaInternal,
} from '../src/index.js';
import { environment } from './environment.js';

// Each mm answers to its own environment: allocation failure, limits and
// warnings of one never leak into another.

function mmWithOneVma(b: Backend, env: VmaInternal): MmStruct {
  const mm = new MmStruct(b, env);
  const vma = vmAreaAlloc(mm);
  vma.vmStart = 0x100000;
  vma.vmEnd = 0x100000 + 4 * PAGE_SIZE;
  vma.flags = b.mk(VMA_READ_BIT, VMA_MAYREAD_BIT);
  expect(vmaLink(mm, vma)).toBe(0);
  return mm;
}

describe('VmaInternal', () => {
  const b = coreBackend(PRESETS.x86_64) as unknown as Backend;

  test('allocation failure is injected per environment', () => {
    const failingEnv = environment();
    const failing = mmWithOneVma(b, failingEnv);
    const healthy = mmWithOneVma(b, environment());
    Object.assign(failingEnv, { failPrealloc: true });
    for (const [mm, want] of [
      [failing, -ENOMEM],
      [healthy, 0],
    ] as const) {
      const vma = vmaLookup(mm, 0x100000)!;
      expect(splitVma(VMA_ITERATOR(mm, 0x100000), vma, 0x100000 + PAGE_SIZE, false)).toBe(want);
    }
    expect(failing.mapCount).toBe(1);
    expect(healthy.mapCount).toBe(2);
  });

  test("the map count limit is the environment's", () => {
    const mm = mmWithOneVma(b, environment({ sysctlMaxMapCount: 1 }));
    expect(splitVma(VMA_ITERATOR(mm, 0x100000), vmaLookup(mm, 0x100000)!, 0x100000 + PAGE_SIZE, false)).toBe(-ENOMEM);
  });

  test('a warning reaches the environment of the mm that raised it', () => {
    const a = environment();
    const other = environment();
    const mm = new MmStruct(b, a);
    const vma = vmAreaAlloc(mm);
    vmaMarkAttached(vma);
    vmaMarkAttached(vma); // already attached: vma_assert_detached warns
    expect(a.warnings).toEqual(['vma_assert_detached: VMA is attached']);
    expect(other.warnings).toEqual([]);
  });
});
