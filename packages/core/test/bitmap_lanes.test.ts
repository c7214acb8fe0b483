import { describe, expect, test } from 'vitest';
import { VmaFlagsArena } from '../src/arena.js';
import {
  vmaFlagsClearMask,
  vmaFlagsCount,
  vmaFlagsEmpty,
  vmaFlagsSamePair,
  vmaFlagsSetMask,
  vmaFlagsTestAllMask,
  vmaFlagsTestAnyMask,
} from '../src/bit_helpers.js';
import { vmaFlagsOverwriteWordOnce } from '../src/word_helpers.js';
import { PRESETS, defineKernelConfig, withNumVmaFlagBits } from '../src/config.js';
import { constVmaFlags, mkVmaFlagsIn, vmaFlagsFromWords, vmaFlagsToWords } from '../src/vma_flags.js';

// Lane-level behaviour that the per-helper tests reach only by accident: dense
// population counts, writes that must stay inside one arena entry, and the
// argument checks that come before any work.

describe('population count', () => {
  test('dense and sign-bit patterns in every lane', () => {
    const X128 = withNumVmaFlagBits(PRESETS.x86_64, 128);
    const cases: [bigint[], number][] = [
      [[0xffff_ffff_ffff_ffffn, 0n], 64],
      [[0x8000_0000_8000_0000n, 0x8000_0000_0000_0000n], 3],
      [[0xaaaa_aaaa_aaaa_aaaan, 0x5555_5555_5555_5555n], 64],
      [[0xf0f0_f0f0_0f0f_0f0fn, 0xff00_ff00_00ff_00ffn], 64],
      [[0x7fff_ffff_ffff_fffen, 0x1n], 63],
      [[0xcccc_cccc_3333_3333n, 0x0n], 32],
      [[0x1234_5678_9abc_def0n, 0xfedc_ba98_7654_3210n], 64],
    ];
    for (const [words, n] of cases) expect([words, vmaFlagsCount(vmaFlagsFromWords(words, X128))]).toEqual([words, n]);
    expect(
      vmaFlagsCount(vmaFlagsFromWords([0x8000_0000, 0xffff_fffe, 0x1], withNumVmaFlagBits(PRESETS.i386, 96))),
    ).toBe(33);
  });
});

describe('arena entries stay inside their lanes', () => {
  // n = 3 (i386, 96 bits) and n = 8 (x86_64, 256 bits) take the general loops.
  for (const config of [withNumVmaFlagBits(PRESETS.i386, 96), withNumVmaFlagBits(PRESETS.x86_64, 256)]) {
    test(`load into an entry leaves the next one alone (${config.numVmaFlagBits} bits)`, () => {
      const arena = new VmaFlagsArena(config, 3);
      const full = vmaFlagsFromWords(
        Array.from({ length: config.numWords }, () => (1n << BigInt(config.bitsPerLong)) - 1n),
        config,
      );
      arena.load(1, full);
      arena.load(2, full);
      arena.load(0, mkVmaFlagsIn(config, 1));
      arena.load(1, mkVmaFlagsIn(config, config.numVmaFlagBits - 1));
      expect(vmaFlagsToWords(arena.store(2))).toEqual(vmaFlagsToWords(full));
      expect(vmaFlagsCount(arena.store(1))).toBe(1);
      expect(vmaFlagsCount(arena.store(0))).toBe(1);
      arena.clearAll(1);
      expect(vmaFlagsToWords(arena.store(2))).toEqual(vmaFlagsToWords(full));
      expect(vmaFlagsCount(arena.store(0))).toBe(1);
    });
  }
});

describe('construction checks the config before anything else', () => {
  test('vmaFlagsFromWords / constVmaFlags with a null or fake config', () => {
    for (const bad of [null, undefined, {}, 'x86_64']) {
      if (bad !== undefined)
        expect(() => vmaFlagsFromWords([], bad as never)).toThrow(/^config must be a KernelConfig/);
      expect(() => constVmaFlags(bad as never, [])).toThrow(/^config must be a KernelConfig/);
    }
  });

  test('constVmaFlags copies a bitmap of the same config, or of one with the same key', () => {
    const c = PRESETS.arm;
    const src = mkVmaFlagsIn(c, 3, 31);
    expect(vmaFlagsToWords(constVmaFlags(c, src))).toEqual([0x8000_0008n]);
    const alias = defineKernelConfig({ arch: 'arm', name: 'arm-alias' });
    expect(alias).not.toBe(c);
    expect(vmaFlagsToWords(constVmaFlags(alias, src))).toEqual([0x8000_0008n]);
    expect(() => constVmaFlags(PRESETS.i386, src)).toThrow(/^bits must be a VmaFlags of config i386/);
  });
});

describe('unrolled and looped lane counts', () => {
  const X192 = withNumVmaFlagBits(PRESETS.x86_64, 192);
  const X256 = withNumVmaFlagBits(PRESETS.x86_64, 256);
  test('every lane counts in intersects / subset (1, 2, 3, 4, 6 and 8 lanes)', () => {
    for (const config of [
      PRESETS.i386,
      PRESETS.x86_64,
      withNumVmaFlagBits(PRESETS.i386, 96),
      withNumVmaFlagBits(PRESETS.x86_64, 128),
      X192,
      X256,
    ]) {
      for (let lane = 0; lane < config.numLanes; lane++) {
        const b = lane * 32 + 7;
        const f = mkVmaFlagsIn(config, b);
        expect([config.numLanes, lane, vmaFlagsTestAnyMask(f, mkVmaFlagsIn(config, b))]).toEqual([
          config.numLanes,
          lane,
          true,
        ]);
        expect([config.numLanes, lane, vmaFlagsTestAllMask(mkVmaFlagsIn(config), mkVmaFlagsIn(config, b))]).toEqual([
          config.numLanes,
          lane,
          false,
        ]);
        expect(vmaFlagsTestAllMask(f, mkVmaFlagsIn(config, b))).toBe(true);
        expect(vmaFlagsTestAnyMask(f, mkVmaFlagsIn(config, b + 1))).toBe(false);
        expect([config.numLanes, lane, vmaFlagsEmpty(f)]).toEqual([config.numLanes, lane, false]);
        expect(vmaFlagsSamePair(f, mkVmaFlagsIn(config, b))).toBe(true);
        expect(vmaFlagsSamePair(f, mkVmaFlagsIn(config))).toBe(false);
        const g = mkVmaFlagsIn(config, b, (b + 33) % config.numVmaFlagBits);
        vmaFlagsClearMask(g, mkVmaFlagsIn(config, b));
        expect([config.numLanes, lane, vmaFlagsToWords(g)]).toEqual([
          config.numLanes,
          lane,
          vmaFlagsToWords(mkVmaFlagsIn(config, (b + 33) % config.numVmaFlagBits)),
        ]);
        vmaFlagsSetMask(g, f);
        expect(vmaFlagsTestAllMask(g, f)).toBe(true);
      }
    }
  });
});

describe('vmaFlagsOverwriteWordOnce on shared memory', () => {
  test('a 32-bit config writes one lane, leaving word 1 and the next entry alone', () => {
    const config = withNumVmaFlagBits(PRESETS.i386, 96);
    const buffer = new SharedArrayBuffer(VmaFlagsArena.byteLength(config, 2));
    const arena = new VmaFlagsArena(config, 2, buffer);
    arena.load(0, vmaFlagsFromWords([0x1, 0xdead_beef, 0x7], config));
    arena.load(1, vmaFlagsFromWords([0xffff_ffff, 0xffff_ffff, 0xffff_ffff], config));
    const view = arena.at(0);
    vmaFlagsOverwriteWordOnce(view, 0x8000_0001);
    expect(vmaFlagsToWords(arena.store(0))).toEqual([0x8000_0001n, 0xdead_beefn, 0x7n]);
    expect(vmaFlagsToWords(arena.store(1))).toEqual([0xffff_ffffn, 0xffff_ffffn, 0xffff_ffffn]);
  });

  test('a 64-bit config on shared memory stores the whole word', () => {
    const config = withNumVmaFlagBits(PRESETS.x86_64, 128);
    const arena = new VmaFlagsArena(config, 2, new SharedArrayBuffer(VmaFlagsArena.byteLength(config, 2)));
    arena.load(1, mkVmaFlagsIn(config, 0, 127));
    vmaFlagsOverwriteWordOnce(arena.at(1), 0xffff_ffff_0000_0002n);
    expect(vmaFlagsToWords(arena.store(1))).toEqual([0xffff_ffff_0000_0002n, 1n << 63n]);
    expect(vmaFlagsToWords(arena.store(0))).toEqual([0n, 0n]);
  });
});

describe('mask queries on an arena entry read that entry only', () => {
  // Entry 1 of a 128-bit arena starts at lane 4: every lane of its mask test
  // must read lanes 4..7, never entry 0's.
  const X128 = withNumVmaFlagBits(PRESETS.x86_64, 128);
  test('each lane of entry 1, with entry 0 empty or full', () => {
    for (const fill of [false, true]) {
      const arena = new VmaFlagsArena(X128, 2);
      if (fill) arena.load(0, vmaFlagsFromWords([(1n << 64n) - 1n, (1n << 64n) - 1n], X128));
      for (let lane = 0; lane < 4; lane++) {
        const b = lane * 32 + 9;
        arena.clearAll(1);
        arena.setBit(1, b);
        expect([fill, lane, arena.testAnyMask(1, mkVmaFlagsIn(X128, b))]).toEqual([fill, lane, true]);
        expect([fill, lane, arena.testAnyMask(1, mkVmaFlagsIn(X128, b + 1))]).toEqual([fill, lane, false]);
        expect([fill, lane, arena.testAllMask(1, mkVmaFlagsIn(X128, b))]).toEqual([fill, lane, true]);
        expect([fill, lane, arena.testAllMask(1, mkVmaFlagsIn(X128, b, (b + 40) % 128))]).toEqual([fill, lane, false]);
      }
    }
  });
});

describe('the same bit position in two lanes', () => {
  // The any/all mask tests fold their lanes into one word before comparing it
  // with zero. Two lanes whose interesting bits sit at the same position must
  // still count as two findings, not cancel out: bit 32i + k and bit 32j + k,
  // for every pair of lanes (adjacent lanes meet in one operator of the fold).
  // 64, 128 and 192 bits take the unrolled paths; 96 and 256 bits the loop.
  const configs = [
    withNumVmaFlagBits(PRESETS.x86_64, 64),
    withNumVmaFlagBits(PRESETS.x86_64, 128),
    withNumVmaFlagBits(PRESETS.x86_64, 192),
    withNumVmaFlagBits(PRESETS.i386, 96),
    withNumVmaFlagBits(PRESETS.x86_64, 256),
  ];
  for (const config of configs) {
    const width = config.numVmaFlagBits;
    const lanes = width / 32;
    for (let i = 0; i < lanes; i++) {
      for (let j = i + 1; j < lanes; j++) {
        for (const k of [0, 31]) {
          const pair = [32 * i + k, 32 * j + k];
          test(`${width} bits: bits ${pair.join(' and ')}`, () => {
            const both = mkVmaFlagsIn(config, ...pair);
            expect(vmaFlagsTestAnyMask(both, both)).toBe(true);
            expect(vmaFlagsTestAllMask(both, both)).toBe(true);
            // Neither bit is set: nothing intersects and the subset test fails in two lanes.
            const none = mkVmaFlagsIn(config);
            expect(vmaFlagsTestAnyMask(none, both)).toBe(false);
            expect(vmaFlagsTestAllMask(none, both)).toBe(false);
          });
        }
      }
    }
  }
});
