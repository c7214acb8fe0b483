import { describe, expect, test } from 'vitest';
import { PRESETS, defineKernelConfig, withNumVmaFlagBits } from '../src/config.js';
import {
  mkVmaFlagsFromMasks,
  vmaFlagsEmpty,
  vmaFlagsSet,
  vmaFlagsTestAnyMask,
  vmaFlagsTestSingleMask,
} from '../src/bit_helpers.js';
import { vmaflagNames, smapVmaFlagMnemonics } from '../src/flag_names.js';
import { vmaFlagTable } from '../src/flag_table.js';
import { formatVmaFlags, parseVmaFlagNames } from '../src/format_flags.js';
import { parseSmapVmaFlags, showSmapVmaFlags } from '../src/smaps.js';
import { EMPTY_VMA_FLAGS, mkVmaFlagsIn, vmaFlagsToWords } from '../src/vma_flags.js';
import { vmaFlagsToLegacy } from '../src/word_helpers.js';

// Facts: linux-mm include/linux/mm.h with the RWP series applied (mm-new, May
// 2026; mmflags.h @35e1f6b6 and mmap_lock.h @1632d9c3 carry it): VMA_UFFD_*
// are single-flag masks, EMPTY_VMA_FLAGS where the flag is compiled out, and
// __VMA_UFFD_FLAGS is mk_vma_flags_from_masks() over all four.
const RWP = defineKernelConfig({
  arch: 'x86_64',
  options: { USERFAULTFD_RWP: true, HAVE_ARCH_USERFAULTFD_MINOR: true },
});
const words = (f: Parameters<typeof vmaFlagsToWords>[0]) => vmaFlagsToWords(f);

describe('VMA_UFFD_* and VMA_DROPPABLE masks', () => {
  test('x86_64 preset: MISSING, WP, MINOR exist, RWP is empty', () => {
    const t = vmaFlagTable(PRESETS.x86_64);
    expect(words(t.VMA_UFFD_MISSING)).toEqual([1n << 9n]);
    expect(words(t.VMA_UFFD_WP)).toEqual([1n << 12n]);
    expect(words(t.VMA_UFFD_MINOR)).toEqual([1n << 41n]);
    expect(vmaFlagsEmpty(t.VMA_UFFD_RWP)).toBe(true);
    expect(words(t.VMA_DROPPABLE)).toEqual([1n << 40n]);
  });

  test('with USERFAULTFD_RWP the RWP mask is bit 43', () => {
    expect(words(vmaFlagTable(RWP).VMA_UFFD_RWP)).toEqual([1n << 43n]);
  });

  test('32-bit: MINOR and RWP empty; DROPPABLE empty except on ppc32 (bit 24)', () => {
    const i386 = vmaFlagTable(PRESETS.i386);
    expect([
      vmaFlagsEmpty(i386.VMA_UFFD_MINOR),
      vmaFlagsEmpty(i386.VMA_UFFD_RWP),
      vmaFlagsEmpty(i386.VMA_DROPPABLE),
    ]).toEqual([true, true, true]);
    expect(words(vmaFlagTable(PRESETS.ppc32).VMA_DROPPABLE)).toEqual([1n << 24n]);
    expect(words(vmaFlagTable(PRESETS.arm).VMA_UFFD_WP)).toEqual([1n << 12n]);
  });

  test('no MMU: VMA_UFFD_MISSING is empty (bit 9 is MAYOVERLAY there)', () => {
    expect(vmaFlagsEmpty(vmaFlagTable(PRESETS.nommu).VMA_UFFD_MISSING)).toBe(true);
  });

  test('ksm_compatible-style test: an empty VMA_DROPPABLE never matches', () => {
    // "[PATCH v4 17/25]": ksm_compatible() tests VMA_DROPPABLE with
    // vma_flags_test_single_mask, which must be false where it is empty.
    const flags = mkVmaFlagsIn(PRESETS.i386, 0, 24, 31);
    expect(vmaFlagsTestSingleMask(flags, vmaFlagTable(PRESETS.i386).VMA_DROPPABLE)).toBe(false);
    expect(vmaFlagsTestSingleMask(mkVmaFlagsIn(PRESETS.ppc32, 24), vmaFlagTable(PRESETS.ppc32).VMA_DROPPABLE)).toBe(
      true,
    );
    expect(vmaFlagsTestSingleMask(mkVmaFlagsIn(PRESETS.x86_64, 40), vmaFlagTable(PRESETS.x86_64).VMA_DROPPABLE)).toBe(
      true,
    );
  });

  test('VMA_STACK_INCOMPLETE_SETUP: SEQ_READ, RAND_READ and STACK_EARLY', () => {
    expect(words(vmaFlagTable(PRESETS.x86_64).VMA_STACK_INCOMPLETE_SETUP)).toEqual([0x1_8000n]);
    expect(words(vmaFlagTable(PRESETS.parisc).VMA_STACK_INCOMPLETE_SETUP)).toEqual([0x1_8100n]);
  });
});

describe('mkVmaFlagsFromMasks (mk_vma_flags_from_masks)', () => {
  test('ORs whole masks, empty ones included: __VMA_UFFD_FLAGS', () => {
    for (const [config, expected] of [
      [PRESETS.x86_64, (1n << 9n) | (1n << 12n) | (1n << 41n)],
      [RWP, (1n << 9n) | (1n << 12n) | (1n << 41n) | (1n << 43n)],
      [PRESETS.i386, (1n << 9n) | (1n << 12n)],
      [PRESETS.nommu, 1n << 12n],
    ] as const) {
      const t = vmaFlagTable(config);
      const all = mkVmaFlagsFromMasks(t.VMA_UFFD_MISSING, t.VMA_UFFD_WP, t.VMA_UFFD_MINOR, t.VMA_UFFD_RWP);
      expect([config.name, vmaFlagsToLegacy(all)]).toEqual([config.name, expected]);
    }
  });

  test('one mask, wide bitmaps, a fresh mutable result', () => {
    const t = vmaFlagTable(PRESETS.x86_64);
    const one = mkVmaFlagsFromMasks(t.VMA_UFFD_WP);
    expect(one).not.toBe(t.VMA_UFFD_WP);
    vmaFlagsSet(one, 0);
    expect(words(one)).toEqual([0x1001n]);
    expect(words(t.VMA_UFFD_WP)).toEqual([0x1000n]);
    const wide = withNumVmaFlagBits(PRESETS.x86_64, 192);
    const m = mkVmaFlagsFromMasks(
      mkVmaFlagsIn(wide, 1, 70),
      mkVmaFlagsIn(wide, 130),
      mkVmaFlagsIn(wide),
      mkVmaFlagsIn(wide, 1, 191),
    );
    expect(words(m)).toEqual([0x2n, 0x40n, (1n << 63n) | 0x4n]);
    expect(vmaFlagsTestAnyMask(m, mkVmaFlagsIn(wide, 191))).toBe(true);
    expect(vmaFlagsEmpty(mkVmaFlagsFromMasks(EMPTY_VMA_FLAGS, EMPTY_VMA_FLAGS))).toBe(true);
  });

  test("every mask must be a VmaFlags of the first one's config", () => {
    const t = vmaFlagTable(PRESETS.x86_64);
    expect(() => mkVmaFlagsFromMasks(1n as never)).toThrow(/^masks\[0\] must be a VmaFlags/);
    expect(() => mkVmaFlagsFromMasks(undefined as never)).toThrow(TypeError);
    expect(() => mkVmaFlagsFromMasks(t.VMA_UFFD_WP, {} as never)).toThrow(/^masks\[1\] must be a VmaFlags/);
    expect(() =>
      mkVmaFlagsFromMasks(t.VMA_UFFD_WP, t.VMA_UFFD_MISSING, vmaFlagTable(PRESETS.i386).VMA_UFFD_WP),
    ).toThrow(/^masks\[2\] must be a VmaFlags of config x86_64 .*\(the config of masks\[0\]\)/);
  });
});

describe('USERFAULTFD_RWP in the text renderings', () => {
  // RWP series 04/14: smaps `ur` (task_mmu.c, right after `ui`), %pGv
  // `uffd_rwp` (mmflags.h, right after `uffd_wp`), both only with the option.
  test('smaps ur at bit 43', () => {
    expect(smapVmaFlagMnemonics(RWP)[43]).toBe('ur');
    expect(smapVmaFlagMnemonics(PRESETS.x86_64)[43]).toBe('??');
    expect(showSmapVmaFlags((1n << 43n) | (1n << 41n) | 1n, RWP)).toBe('VmFlags: rd ui ur \n');
    expect(vmaFlagsToLegacy(parseSmapVmaFlags('VmFlags: rd ur', RWP))).toBe((1n << 43n) | 1n);
    expect(() => parseSmapVmaFlags('ur', PRESETS.x86_64)).toThrow(RangeError);
  });

  test('%pGv uffd_rwp right after uffd_wp', () => {
    const names = vmaflagNames(RWP).map((e) => e.name);
    expect(names.indexOf('uffd_rwp')).toBe(names.indexOf('uffd_wp') + 1);
    expect(vmaflagNames(RWP).find((e) => e.name === 'uffd_rwp')!.mask).toBe(1n << 43n);
    expect(vmaflagNames(PRESETS.x86_64).some((e) => e.name === 'uffd_rwp')).toBe(false);
    expect(formatVmaFlags((1n << 43n) | (1n << 12n) | (1n << 13n), RWP)).toBe('uffd_wp|uffd_rwp|locked');
    expect(formatVmaFlags(1n << 43n, PRESETS.x86_64)).toBe('0x80000000000');
    expect(vmaFlagsToLegacy(parseVmaFlagNames('uffd_wp|uffd_rwp', RWP))).toBe((1n << 43n) | (1n << 12n));
  });
});
