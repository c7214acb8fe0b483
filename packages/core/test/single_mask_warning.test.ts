import { describe, expect, test, vi } from 'vitest';
import { vmaFlagsTestSingleMask } from '../src/bit_helpers.js';
import { PRESETS, withNumVmaFlagBits } from '../src/config.js';
import { mkVmaFlagsIn } from '../src/vma_flags.js';

// The warning fires once per process, so this file owns its own module
// instance and checks the order: no warning for any one-bit mask, then exactly
// one for the first mask with two bits, wherever they sit.
const X192 = withNumVmaFlagBits(PRESETS.x86_64, 192);

describe('vmaFlagsTestSingleMask warning (one process)', () => {
  test('one-bit masks in any lane never warn; two bits in different lanes do, once', () => {
    const spy = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const f = mkVmaFlagsIn(X192, 0, 40, 191);
    for (const b of [0, 31, 32, 40, 63, 64, 150, 191])
      expect([b, vmaFlagsTestSingleMask(f, mkVmaFlagsIn(X192, b))]).toEqual([b, [0, 40, 191].includes(b)]);
    expect(vmaFlagsTestSingleMask(f, mkVmaFlagsIn(X192))).toBe(false);
    expect(spy).not.toHaveBeenCalled();
    // One bit in lane 0 and one in lane 5: each lane alone looks single.
    expect(vmaFlagsTestSingleMask(f, mkVmaFlagsIn(X192, 1, 191))).toBe(true);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]![1]).toMatchObject({ code: 'VMAFLAGS_SINGLE_MASK', type: 'Warning' });
    expect(vmaFlagsTestSingleMask(f, mkVmaFlagsIn(X192, 2, 3))).toBe(false);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
