import { describe, expect, test } from 'vitest';
import * as D from '../src/default_flags.js';
import { DEFAULT_CONFIG } from '../src/config.js';
import { vmaFlagsSet } from '../src/bit_helpers.js';
import { vmaFlagsToWords } from '../src/vma_flags.js';
import { ALL_VM_FLAG_NAMES, EXPECTED } from './kernel_tables.js';

const e = EXPECTED.x86_64;
const consts = D as unknown as Record<string, unknown>;

describe('default_flags (DEFAULT_CONFIG = x86_64)', () => {
  test('every single-flag constant', () => {
    for (const n of ALL_VM_FLAG_NAMES) {
      const bit = e.flags[n];
      expect([n, consts[n]]).toEqual([n, bit === undefined ? 0n : 1n << BigInt(bit)]);
    }
    expect(D.VM_NONE).toBe(0n);
  });

  test('every composite constant', () => {
    for (const [n, v] of Object.entries(e.composites)) expect([n, consts[n]]).toEqual([n, v]);
  });

  test('a few by value, as the spec lists them', () => {
    expect(D.VM_READ).toBe(0x1n);
    expect(D.VM_MAYSHARE).toBe(0x80n);
    expect(D.VM_MAYBE_GUARD).toBe(0x800n);
    expect(D.VM_SEALED).toBe(1n << 42n);
    expect(D.VM_SHADOW_STACK).toBe(1n << 37n);
    expect(D.VM_GROWSUP).toBe(0n);
    expect(D.VM_STACK).toBe(D.VM_GROWSDOWN);
    expect(D.VM_PKEY_SHIFT).toBe(32);
    expect(D.VMA_STACK_BIT).toBe(8);
    expect(D.VMA_SHADOW_STACK_BIT).toBe(37);
  });

  test('VMA_*_FLAGS bitmaps of the default config, immutable', () => {
    expect(vmaFlagsToWords(D.VMA_STARTGAP_FLAGS)).toEqual([0x20_0000_0100n]);
    expect(vmaFlagsToWords(D.VMA_STACK_FLAGS)).toEqual([0x10_0173n]);
    expect(vmaFlagsToWords(D.VMA_ACCESS_FLAGS)).toEqual([0x7n]);
    expect(vmaFlagsToWords(D.VMA_SPECIAL_FLAGS)).toEqual([0x1004_4400n]);
    expect(vmaFlagsToWords(D.VMA_REMAP_FLAGS)).toEqual([0x404_4400n]);
    expect(vmaFlagsToWords(D.VMA_LOCKED_MASK)).toEqual([0x8_2000n]);
    expect(vmaFlagsToWords(D.VMA_STICKY_FLAGS)).toEqual([0x800_0800n]);
    expect(vmaFlagsToWords(D.VMA_IGNORE_MERGE_FLAGS)).toEqual([0x800_0800n]);
    expect(vmaFlagsToWords(D.VMA_DATA_FLAGS_TSK_EXEC)).toEqual([0x73n]);
    expect(vmaFlagsToWords(D.VMA_DATA_FLAGS_NON_EXEC)).toEqual([0x73n]);
    expect(vmaFlagsToWords(D.VMA_DATA_FLAGS_EXEC)).toEqual([0x77n]);
    expect(vmaFlagsToWords(D.VMA_DATA_DEFAULT_FLAGS)).toEqual([0x73n]);
    expect(vmaFlagsToWords(D.VMA_STACK_DEFAULT_FLAGS)).toEqual([0x73n]);
    expect(D.VMA_STACK_FLAGS.config).toBe(DEFAULT_CONFIG);
    expect(() => vmaFlagsSet(D.VMA_ACCESS_FLAGS, 3)).toThrow(TypeError);
  });
});
