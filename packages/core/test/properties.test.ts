import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VmaFlagsArena } from '../src/arena.js';
import {
  vmaFlagsAnd,
  vmaFlagsAndMask,
  vmaFlagsClear,
  vmaFlagsClearMask,
  vmaFlagsCount,
  vmaFlagsDiffPair,
  vmaFlagsEmpty,
  vmaFlagsSame,
  vmaFlagsSameMask,
  vmaFlagsSamePair,
  vmaFlagsSet,
  vmaFlagsSetFlag,
  vmaFlagsSetMask,
  vmaFlagsTest,
  vmaFlagsTestAll,
  vmaFlagsTestAllMask,
  vmaFlagsTestAny,
  vmaFlagsTestAnyMask,
  vmaFlagsTestSingleMask,
} from '../src/bit_helpers.js';
import { PRESETS, withNumVmaFlagBits, type KernelConfig } from '../src/config.js';
import {
  appendVmaFlags,
  constVmaFlags,
  mkVmaFlagsIn,
  vmaFlagsCopy,
  vmaFlagsFromWords,
  vmaFlagsToWords,
  type VmaFlags,
} from '../src/vma_flags.js';
import {
  legacyToVmaFlags,
  vmaFlagsClearAll,
  vmaFlagsClearWord,
  vmaFlagsOverwriteWord,
  vmaFlagsOverwriteWordOnce,
  vmaFlagsSetWord,
  vmaFlagsToLegacy,
} from '../src/word_helpers.js';

// Every helper checked against a reference model that shares no code with the
// implementation: a bitmap is one bigint of NUM_VMA_FLAG_BITS bits, word k is
// (x >> k*BITS_PER_LONG) & (2^BITS_PER_LONG - 1).

const CONFIGS: KernelConfig[] = [
  PRESETS.i386, // 32 bits, one 32-bit word
  PRESETS.x86_64, // 64 bits, one 64-bit word
  withNumVmaFlagBits(PRESETS.x86_64, 128),
  withNumVmaFlagBits(PRESETS.x86_64, 192),
  withNumVmaFlagBits(PRESETS.i386, 96), // three 32-bit words
];

const RUNS = { numRuns: 200 };

class Model {
  readonly n: number;
  readonly bpl: bigint;
  readonly all: bigint;
  readonly word0: bigint;
  constructor(readonly config: KernelConfig) {
    this.n = config.numVmaFlagBits;
    this.bpl = BigInt(config.bitsPerLong);
    this.all = (1n << BigInt(this.n)) - 1n;
    this.word0 = (1n << this.bpl) - 1n;
  }
  fromBits(bits: readonly number[]): bigint {
    let x = 0n;
    for (const b of bits) x |= 1n << BigInt(b);
    return x;
  }
  bitsOf(x: bigint): number[] {
    const out: number[] = [];
    for (let b = 0; b < this.n; b++) if ((x >> BigInt(b)) & 1n) out.push(b);
    return out;
  }
  words(x: bigint): bigint[] {
    const out: bigint[] = [];
    for (let k = 0n; k < BigInt(this.config.numWords); k++) out.push((x >> (k * this.bpl)) & this.word0);
    return out;
  }
  has(x: bigint, b: number): boolean {
    return ((x >> BigInt(b)) & 1n) === 1n;
  }
  popcount(x: bigint): number {
    let c = 0;
    for (; x; x &= x - 1n) c++;
    return c;
  }
}

/** Build a VmaFlags through the bit interface only. */
function build(config: KernelConfig, model: Model, x: bigint): VmaFlags {
  return mkVmaFlagsIn(config, ...model.bitsOf(x));
}

/** Read a VmaFlags back through the single-bit test only. */
function read(model: Model, f: VmaFlags): bigint {
  let x = 0n;
  for (let b = 0; b < model.n; b++) if (vmaFlagsTest(f, b)) x |= 1n << BigInt(b);
  return x;
}

function arbitraries(model: Model) {
  const bit = fc.integer({ min: 0, max: model.n - 1 });
  // Dense random values, sparse ones (few bits, often near lane edges) and the extremes.
  const edgeBit = fc.constantFrom(...[0, 1, 30, 31, 32, 33, 63, 64, 95, 96, 127, 128, 191].filter((b) => b < model.n));
  const value = fc.oneof(
    fc.bigInt({ min: 0n, max: model.all }),
    fc.array(fc.oneof(bit, edgeBit), { maxLength: 6 }).map((bs) => model.fromBits(bs)),
    fc.constantFrom(0n, model.all),
  );
  const wordMaxNumber = model.config.bitsPerLong === 64 ? Number.MAX_SAFE_INTEGER : 0xffff_ffff;
  const word = fc.oneof(
    fc.bigInt({ min: 0n, max: model.word0 }),
    fc.constantFrom(0n, model.word0, 1n << (model.bpl - 1n)),
    fc.integer({ min: 0, max: 0xffff_ffff }),
    fc.integer({ min: 0, max: wordMaxNumber }),
  );
  const bits = fc.array(fc.oneof(bit, edgeBit), { maxLength: 8 });
  return { bit, value, word, bits };
}

let warn: ReturnType<typeof vi.spyOn>;
beforeAll(() => {
  warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
});
afterAll(() => {
  warn.mockRestore();
});

describe.each(CONFIGS.map((c) => [`${c.name} ${c.numVmaFlagBits} bits (${c.bitsPerLong}-bit words)`, c] as const))(
  'properties on %s',
  (_label, config) => {
    const m = new Model(config);
    const A = arbitraries(m);

    it('construction: mk / append / fromWords / toWords / copy / const agree with the model', () => {
      fc.assert(
        fc.property(A.bits, A.value, A.bits, (bits, x, more) => {
          const f = mkVmaFlagsIn(config, ...bits);
          expect(vmaFlagsToWords(f)).toEqual(m.words(m.fromBits(bits)));
          expect(read(m, f)).toBe(m.fromBits(bits));
          const g = vmaFlagsFromWords(m.words(x), config);
          expect(read(m, g)).toBe(x);
          expect(vmaFlagsToWords(g)).toEqual(m.words(x));
          const h = appendVmaFlags(g, ...more);
          expect(read(m, h)).toBe(x | m.fromBits(more));
          expect(read(m, g)).toBe(x);
          const c = vmaFlagsCopy(g);
          expect(read(m, c)).toBe(x);
          expect(read(m, constVmaFlags(config, g))).toBe(x);
          expect(read(m, constVmaFlags(config, bits))).toBe(m.fromBits(bits));
        }),
        RUNS,
      );
    });

    it('word helpers touch word 0 only (clear_all: everything)', () => {
      fc.assert(
        fc.property(A.value, A.word, (x, w) => {
          const v = BigInt(w);
          const set = build(config, m, x);
          vmaFlagsSetWord(set, w);
          expect(read(m, set)).toBe(x | v);
          const clr = build(config, m, x);
          vmaFlagsClearWord(clr, w);
          expect(read(m, clr)).toBe(x & ~v);
          for (const over of [vmaFlagsOverwriteWord, vmaFlagsOverwriteWordOnce]) {
            const o = build(config, m, x);
            over(o, w);
            expect(read(m, o)).toBe((x & ~m.word0) | v);
          }
          const all = build(config, m, x);
          vmaFlagsClearAll(all);
          expect(read(m, all)).toBe(0n);
          expect(vmaFlagsToLegacy(build(config, m, x))).toBe(x & m.word0);
          expect(read(m, legacyToVmaFlags(w, config))).toBe(v);
        }),
        RUNS,
      );
    });

    it('word values at or above 2^BITS_PER_LONG are rejected without a change', () => {
      fc.assert(
        fc.property(A.value, fc.bigInt({ min: 1n << m.bpl, max: 1n << (m.bpl + 70n) }), (x, bad) => {
          const f = build(config, m, x);
          for (const helper of [vmaFlagsSetWord, vmaFlagsClearWord, vmaFlagsOverwriteWord, vmaFlagsOverwriteWordOnce]) {
            expect(() => helper(f, bad)).toThrow(RangeError);
            expect(() => helper(f, -bad)).toThrow(RangeError);
          }
          expect(read(m, f)).toBe(x);
        }),
        RUNS,
      );
    });

    it('variadic queries and mutators', () => {
      fc.assert(
        fc.property(A.value, A.bits, A.bit, (x, bits, b) => {
          const f = build(config, m, x);
          const y = m.fromBits(bits);
          expect(vmaFlagsTest(f, b)).toBe(m.has(x, b));
          expect(vmaFlagsTestAny(f, ...bits)).toBe((x & y) !== 0n);
          expect(vmaFlagsTestAll(f, ...bits)).toBe((x & y) === y);
          expect(vmaFlagsSame(f, ...bits)).toBe(x === y);
          expect(read(m, vmaFlagsAnd(f, ...bits))).toBe(x & y);
          expect(read(m, f)).toBe(x);
          const s = build(config, m, x);
          vmaFlagsSet(s, ...bits);
          expect(read(m, s)).toBe(x | y);
          const c = build(config, m, x);
          vmaFlagsClear(c, ...bits);
          expect(read(m, c)).toBe(x & ~y);
          const one = build(config, m, x);
          vmaFlagsSetFlag(one, b);
          expect(read(m, one)).toBe(x | (1n << BigInt(b)));
        }),
        RUNS,
      );
    });

    it('mask queries, pair helpers and mask mutators', () => {
      fc.assert(
        fc.property(A.value, A.value, (x, y) => {
          const f = build(config, m, x);
          const g = build(config, m, y);
          expect(vmaFlagsTestAnyMask(f, g)).toBe((x & y) !== 0n);
          expect(vmaFlagsTestAllMask(f, g)).toBe((x & y) === y);
          expect(vmaFlagsTestSingleMask(f, g)).toBe((x & y) !== 0n);
          expect(vmaFlagsCount(f)).toBe(m.popcount(x));
          expect(vmaFlagsEmpty(f)).toBe(x === 0n);
          expect(vmaFlagsSamePair(f, g)).toBe(x === y);
          expect(vmaFlagsSameMask(f, g)).toBe(x === y);
          expect(read(m, vmaFlagsDiffPair(f, g))).toBe(x ^ y);
          expect(read(m, vmaFlagsAndMask(f, g))).toBe(x & y);
          expect(read(m, f)).toBe(x);
          expect(read(m, g)).toBe(y);
          const s = build(config, m, x);
          vmaFlagsSetMask(s, g);
          expect(read(m, s)).toBe(x | y);
          const c = build(config, m, x);
          vmaFlagsClearMask(c, g);
          expect(read(m, c)).toBe(x & ~y);
          // a bitmap as its own mask
          const self = build(config, m, x);
          vmaFlagsClearMask(self, self);
          expect(read(m, self)).toBe(0n);
        }),
        RUNS,
      );
    });

    it('out-of-range bits throw and change nothing', () => {
      fc.assert(
        fc.property(A.value, A.bits, fc.integer({ min: m.n, max: 1 << 20 }), fc.nat({ max: 8 }), (x, bits, bad, at) => {
          const list = [...bits];
          list.splice(Math.min(at, list.length), 0, bad);
          const f = build(config, m, x);
          expect(() => vmaFlagsSet(f, ...list)).toThrow(RangeError);
          expect(() => vmaFlagsClear(f, ...list)).toThrow(RangeError);
          expect(() => vmaFlagsTestAny(f, ...list)).toThrow(RangeError);
          expect(() => vmaFlagsSetFlag(f, bad)).toThrow(`bit must be an integer in [0, ${m.n}); got ${bad}`);
          expect(() => mkVmaFlagsIn(config, ...list)).toThrow(
            `bits[${list.indexOf(bad)}] must be an integer in [0, ${m.n}); got ${bad}`,
          );
          expect(read(m, f)).toBe(x);
        }),
        RUNS,
      );
    });

    it('a random program gives the same result on a bitmap, an arena entry and an arena view', () => {
      type Op =
        | { op: 'setWord' | 'clearWord' | 'overwriteWord'; w: bigint | number }
        | { op: 'setBit' | 'clearBit'; b: number }
        | { op: 'setMask' | 'clearMask'; y: bigint }
        | { op: 'clearAll' };
      const op: fc.Arbitrary<Op> = fc.oneof(
        fc.record({
          op: fc.constantFrom('setWord' as const, 'clearWord' as const, 'overwriteWord' as const),
          w: A.word,
        }),
        fc.record({ op: fc.constantFrom('setBit' as const, 'clearBit' as const), b: A.bit }),
        fc.record({ op: fc.constantFrom('setMask' as const, 'clearMask' as const), y: A.value }),
        fc.constant({ op: 'clearAll' as const }),
      );
      fc.assert(
        fc.property(fc.array(op, { maxLength: 30 }), fc.nat({ max: 3 }), (ops, index) => {
          let x = 0n;
          const f = build(config, m, 0n);
          const arena = new VmaFlagsArena(config, 4);
          const view = new VmaFlagsArena(config, 4).at(index);
          for (const o of ops) {
            switch (o.op) {
              case 'setWord':
                x |= BigInt(o.w);
                vmaFlagsSetWord(f, o.w);
                arena.setWord(index, o.w);
                vmaFlagsSetWord(view, o.w);
                break;
              case 'clearWord':
                x &= ~BigInt(o.w);
                vmaFlagsClearWord(f, o.w);
                arena.clearWord(index, o.w);
                vmaFlagsClearWord(view, o.w);
                break;
              case 'overwriteWord':
                x = (x & ~m.word0) | BigInt(o.w);
                vmaFlagsOverwriteWord(f, o.w);
                arena.overwriteWord(index, o.w);
                vmaFlagsOverwriteWord(view, o.w);
                break;
              case 'setBit':
                x |= 1n << BigInt(o.b);
                vmaFlagsSetFlag(f, o.b);
                arena.setBit(index, o.b);
                vmaFlagsSet(view, o.b);
                break;
              case 'clearBit':
                x &= ~(1n << BigInt(o.b));
                vmaFlagsClear(f, o.b);
                arena.clearBit(index, o.b);
                vmaFlagsClear(view, o.b);
                break;
              case 'setMask': {
                x |= o.y;
                const mask = build(config, m, o.y);
                vmaFlagsSetMask(f, mask);
                arena.setMask(index, mask);
                vmaFlagsSetMask(view, mask);
                break;
              }
              case 'clearMask': {
                x &= ~o.y;
                const mask = build(config, m, o.y);
                vmaFlagsClearMask(f, mask);
                arena.clearMask(index, mask);
                vmaFlagsClearMask(view, mask);
                break;
              }
              case 'clearAll':
                x = 0n;
                vmaFlagsClearAll(f);
                arena.clearAll(index);
                vmaFlagsClearAll(view);
                break;
            }
            // compare cheaply, and let expect() report only a mismatch
            const want = m.words(x).join();
            const got = [vmaFlagsToWords(f), vmaFlagsToWords(arena.store(index)), vmaFlagsToWords(view)].map((w) =>
              w.join(),
            );
            if (got.some((g) => g !== want)) expect({ op: o, got }).toEqual({ op: o, got: [want, want, want] });
            if (arena.getWord(index) !== (x & m.word0)) expect(arena.getWord(index)).toBe(x & m.word0);
          }
          // the other entries were never touched
          for (let i = 0; i < 4; i++) if (i !== index) expect(vmaFlagsToWords(arena.store(i))).toEqual(m.words(0n));
        }),
        { numRuns: 100 },
      );
    });

    it('arena queries agree with the model', () => {
      fc.assert(
        fc.property(A.value, A.value, A.bit, (x, y, b) => {
          const arena = new VmaFlagsArena(config, 2);
          arena.load(1, build(config, m, x));
          const mask = build(config, m, y);
          expect(arena.testBit(1, b)).toBe(m.has(x, b));
          expect(arena.testAnyMask(1, mask)).toBe((x & y) !== 0n);
          expect(arena.testAllMask(1, mask)).toBe((x & y) === y);
          expect(arena.getWord(1)).toBe(x & m.word0);
          expect(read(m, arena.at(1))).toBe(x);
          expect(read(m, arena.store(0))).toBe(0n);
        }),
        RUNS,
      );
    });
  },
);
