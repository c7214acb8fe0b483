import { PRESETS, coreBackend, withNumVmaFlagBits, type FlagsBackend, type KernelConfig } from '@vmaflags/core';
import { describe, expect, test } from 'vitest';
import { nativeBackend } from '../src/index.js';
import { argumentOf } from './argument_of.js';
import { fuzzScale, rng, type Rng } from './rng.js';
import { expectSingleMaskWarnings } from './single_mask_warning.js';

// The same random operation sequence runs on the TypeScript core and on the
// addon; after every operation every bitmap must hold the same words and every
// query must give the same answer. Invalid arguments are mixed in: both sides
// must then throw the same error class and leave everything unchanged.

const CONFIGS: [string, KernelConfig, number][] = [
  ['32-bit (i386)', PRESETS.i386, 25_000],
  ['64-bit (x86_64)', PRESETS.x86_64, 30_000],
  ['128-bit (x86_64)', withNumVmaFlagBits(PRESETS.x86_64, 128), 30_000],
  ['96-bit (arm, 3 words)', withNumVmaFlagBits(PRESETS.arm, 96), 15_000],
];

const POOL = 4;
type Pool = unknown[];
type Args = { a: number; b: number; bits: number[]; bit: number; word: bigint; words: bigint[] };
interface Op {
  name: string;
  /** Replaces pool[a] with the result. */
  creates?: boolean;
  run(b: FlagsBackend<unknown>, pool: Pool, x: Args): unknown;
}

const OPS: Op[] = [
  { name: 'mk', creates: true, run: (b, _p, x) => b.mk(...x.bits) },
  { name: 'append', creates: true, run: (b, p, x) => b.append(p[x.b], ...x.bits) },
  { name: 'copy', creates: true, run: (b, p, x) => b.copy(p[x.b]) },
  { name: 'fromWords', creates: true, run: (b, _p, x) => b.fromWords(x.words) },
  { name: 'fromLegacy', creates: true, run: (b, _p, x) => b.fromLegacy(x.word) },
  { name: 'diffPair', creates: true, run: (b, p, x) => b.diffPair(p[x.a], p[x.b]) },
  { name: 'andMask', creates: true, run: (b, p, x) => b.andMask(p[x.a], p[x.b]) },
  { name: 'and', creates: true, run: (b, p, x) => b.and(p[x.a], ...x.bits) },
  { name: 'toWords', run: (b, p, x) => b.toWords(p[x.a]) },
  { name: 'toLegacy', run: (b, p, x) => b.toLegacy(p[x.a]) },
  { name: 'clearAll', run: (b, p, x) => b.clearAll(p[x.a]) },
  { name: 'overwriteWord', run: (b, p, x) => b.overwriteWord(p[x.a], x.word) },
  { name: 'overwriteWordOnce', run: (b, p, x) => b.overwriteWordOnce(p[x.a], x.word) },
  { name: 'setWord', run: (b, p, x) => b.setWord(p[x.a], x.word) },
  { name: 'clearWord', run: (b, p, x) => b.clearWord(p[x.a], x.word) },
  { name: 'test', run: (b, p, x) => b.test(p[x.a], x.bit) },
  { name: 'testAny', run: (b, p, x) => b.testAny(p[x.a], ...x.bits) },
  { name: 'testAnyMask', run: (b, p, x) => b.testAnyMask(p[x.a], p[x.b]) },
  { name: 'testAll', run: (b, p, x) => b.testAll(p[x.a], ...x.bits) },
  { name: 'testAllMask', run: (b, p, x) => b.testAllMask(p[x.a], p[x.b]) },
  { name: 'testSingleMask', run: (b, p, x) => b.testSingleMask(p[x.a], p[x.b]) },
  { name: 'count', run: (b, p, x) => b.count(p[x.a]) },
  { name: 'empty', run: (b, p, x) => b.empty(p[x.a]) },
  { name: 'samePair', run: (b, p, x) => b.samePair(p[x.a], p[x.b]) },
  { name: 'sameMask', run: (b, p, x) => b.sameMask(p[x.a], p[x.b]) },
  { name: 'same', run: (b, p, x) => b.same(p[x.a], ...x.bits) },
  { name: 'setFlag', run: (b, p, x) => b.setFlag(p[x.a], x.bit) },
  { name: 'set', run: (b, p, x) => b.set(p[x.a], ...x.bits) },
  { name: 'setMask', run: (b, p, x) => b.setMask(p[x.a], p[x.b]) },
  { name: 'clear', run: (b, p, x) => b.clear(p[x.a], ...x.bits) },
  { name: 'clearMask', run: (b, p, x) => b.clearMask(p[x.a], p[x.b]) },
];

function args(r: Rng, config: KernelConfig): Args {
  const n = config.numVmaFlagBits;
  const bpl = config.bitsPerLong;
  // One call in 40 gets an out-of-range bit or word.
  const bad = r.int(40) === 0;
  const bit = () => (bad && r.bool(0.3) ? n + r.int(3) : r.int(n));
  const word = () => (bad && r.bool(0.3) ? (r.bool() ? -1n : 1n << BigInt(bpl)) : r.bigWord(bpl));
  const bits = Array.from({ length: r.int(5) }, bit);
  const wordsLen = bad && r.bool(0.3) ? config.numWords + 1 : r.int(config.numWords + 1);
  return {
    a: r.int(POOL),
    b: r.int(POOL),
    bits,
    bit: bit(),
    word: word(),
    words: Array.from({ length: wordsLen }, word),
  };
}

function outcome(f: () => unknown): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

expectSingleMaskWarnings();

const SCALE = fuzzScale();

describe.each(CONFIGS)('native agrees with core on %s', (_name, config, baseSteps) => {
  const steps = Math.round(baseSteps * SCALE);
  test(
    `${steps} random operations in lockstep`,
    () => {
      const r = rng();
      const core = coreBackend(config) as FlagsBackend<unknown>;
      const native = nativeBackend(config) as FlagsBackend<unknown>;
      const cp: Pool = [];
      const np: Pool = [];
      for (let i = 0; i < POOL; i++) {
        const w = Array.from({ length: config.numWords }, () => r.bigWord(config.bitsPerLong));
        cp.push(core.fromWords(w));
        np.push(native.fromWords(w));
      }
      let failures = 0;
      for (let step = 0; step < steps; step++) {
        const op = r.pick(OPS);
        const x = args(r, config);
        const c = outcome(() => op.run(core, cp, x));
        const n = outcome(() => op.run(native, np, x));
        const where = `seed ${r.seed}, step ${step}, ${op.name}(${JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v))})`;
        if (c.ok !== n.ok) {
          expect.fail(
            `${where}: core ${c.ok ? 'returned' : `threw ${String(c.ok ? '' : c.error)}`}, native ${n.ok ? 'returned' : `threw ${String(n.error)}`}`,
          );
        }
        if (!c.ok && !n.ok) {
          expect((n.error as Error).constructor.name, where).toBe((c.error as Error).constructor.name);
          expect(argumentOf(n.error), where).toBe(argumentOf(c.error));
        } else if (c.ok && n.ok) {
          if (op.creates) {
            cp[x.a] = c.value;
            np[x.a] = n.value;
          } else if (c.value !== undefined || n.value !== undefined) {
            if (JSON.stringify(c.value, big) !== JSON.stringify(n.value, big)) {
              expect.fail(`${where}: core ${JSON.stringify(c.value, big)} vs native ${JSON.stringify(n.value, big)}`);
            }
          }
        }
        for (let i = 0; i < POOL; i++) {
          const cw = core.toWords(cp[i]);
          const nw = native.toWords(np[i]);
          for (let k = 0; k < cw.length; k++) {
            if (cw[k] !== nw[k] || cw.length !== nw.length) {
              failures++;
              expect.fail(`${where}: bitmap ${i} differs: core [${cw}] native [${nw}]`);
            }
          }
        }
      }
      expect(failures).toBe(0);
      console.log(`differential ${config.key}: ${steps} operations, 0 disagreements`);
    },
    120_000 * SCALE,
  );
});

function big(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : v;
}
