import { expect, test } from 'vitest';
import {
  mkVmaFlags,
  mkVmaFlagsIn,
  PRESETS,
  showSmapVmaFlags,
  VM_MAYREAD,
  VMA_ACCESS_FLAGS,
  VMA_EXEC_BIT,
  VMA_READ_BIT,
  VMA_WRITE_BIT,
  vmaFlagsSetWord,
  vmaFlagsTest,
  vmaFlagsTestAllMask,
  vmaFlagsToLegacy,
  withNumVmaFlagBits,
} from '../src/index.js';

// The usage example in the repository README, line for line.
test('README usage example gives the documented results', () => {
  const flags = mkVmaFlags(VMA_READ_BIT, VMA_WRITE_BIT);
  vmaFlagsSetWord(flags, VM_MAYREAD);
  expect(vmaFlagsTest(flags, VMA_EXEC_BIT)).toBe(false);
  expect(vmaFlagsTestAllMask(flags, VMA_ACCESS_FLAGS)).toBe(false);
  expect(vmaFlagsToLegacy(flags)).toBe(0x13n);
  expect(showSmapVmaFlags(flags)).toBe('VmFlags: rd wr mr \n');
});

test('README configuration pointers work as described', () => {
  expect(mkVmaFlagsIn(PRESETS.arm64, VMA_READ_BIT).config).toBe(PRESETS.arm64);
  expect(withNumVmaFlagBits(PRESETS.x86_64, 128).numWords).toBe(2);
});
