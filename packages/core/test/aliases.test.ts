import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as aliases from '../src/aliases.js';
import { vmaFlagSet, vmaFlagsTestMask } from '../src/aliases.js';
import { vmaFlagsSetFlag, vmaFlagsTest, vmaFlagsTestAnyMask } from '../src/bit_helpers.js';
import { emptyVmaFlags, mkVmaFlags } from '../src/vma_flags.js';

describe('old spellings', () => {
  it('are the same functions as the new names', () => {
    expect(vmaFlagsTestMask).toBe(vmaFlagsTestAnyMask);
    expect(vmaFlagSet).toBe(vmaFlagsSetFlag);
    expect(Object.keys(aliases).sort()).toEqual(['vmaFlagSet', 'vmaFlagsTestMask']);
  });

  it('behave as the new helpers', () => {
    const f = emptyVmaFlags();
    vmaFlagSet(f, 4);
    expect(vmaFlagsTest(f, 4)).toBe(true);
    expect(vmaFlagsTestMask(f, mkVmaFlags(4, 5))).toBe(true);
    expect(vmaFlagsTestMask(f, mkVmaFlags())).toBe(false);
  });

  it('each carries @deprecated naming its replacement', () => {
    const src = readFileSync(new URL('../src/aliases.ts', import.meta.url), 'utf8');
    expect(src).toMatch(/@deprecated[^\n]*\{@link vmaFlagsTestAnyMask\}.*export const vmaFlagsTestMask/s);
    expect(src).toMatch(/@deprecated[^\n]*\{@link vmaFlagsSetFlag\}.*export const vmaFlagSet\b/s);
  });
});
