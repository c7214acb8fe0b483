import { PRESETS, coreBackend, withNumVmaFlagBits, type FlagsBackend, type KernelConfig } from '@vmaflags/core';
import { describe, expect, test } from 'vitest';
import { nativeBackend } from '../src/index.js';
import { argumentOf } from './argument_of.js';
import { fuzzScale, rng, type Rng } from './rng.js';

// Malformed calls on both backends: the same input must give the same
// outcome — both succeed with the same result, or both throw the same
// error class naming the same argument. Inputs are drawn from values that
// are wrong for some argument: over-long and sparse arrays, foreign and
// forged bitmaps, numbers of every awkward kind, huge strings and bigints.

const CALLS = Math.round(40_000 * fuzzScale());
const CONFIGS: KernelConfig[] = [PRESETS.i386, PRESETS.x86_64, withNumVmaFlagBits(PRESETS.x86_64, 128)];

const sparse = (n: number): unknown[] => {
  const a: unknown[] = [];
  a.length = n;
  return a;
};
const BAD: readonly unknown[] = [
  undefined,
  null,
  true,
  '',
  '1',
  'x'.repeat(1000),
  Symbol('s'),
  () => 0,
  {},
  [],
  [1n],
  [0n, 0n, 0n, 0n, 0n],
  sparse(3),
  [undefined],
  [-1n],
  [1.5],
  [2n ** 64n],
  new Uint32Array(2),
  new ArrayBuffer(8),
  NaN,
  Infinity,
  -Infinity,
  -1,
  -0.5,
  0.5,
  1.5,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 64,
  -(2 ** 53),
  -1n,
  2n ** 32n,
  2n ** 63n,
  2n ** 64n - 1n,
  2n ** 64n,
  1n << 4000n,
  -(1n << 70n),
  { valueOf: () => 1 },
  new Number(1),
  Object(1n),
];

// A huge sparse array only where an array is expected: core builds the
// message of a bad number argument with String(value), which throws its own
// RangeError ("Invalid string length") for it.
const BAD_WORDS: readonly unknown[] = [sparse(2 ** 32 - 1), sparse(2 ** 20)];

type Kind = 'flags' | 'bit' | 'word' | 'words';
interface Sig {
  name: keyof FlagsBackend<unknown>;
  args: Kind[];
  /** Variadic bits after the fixed arguments. */
  rest?: boolean;
}
const SIGS: Sig[] = [
  { name: 'mk', args: [], rest: true },
  { name: 'append', args: ['flags'], rest: true },
  { name: 'copy', args: ['flags'] },
  { name: 'toWords', args: ['flags'] },
  { name: 'fromWords', args: ['words'] },
  { name: 'fromLegacy', args: ['word'] },
  { name: 'toLegacy', args: ['flags'] },
  { name: 'clearAll', args: ['flags'] },
  { name: 'overwriteWord', args: ['flags', 'word'] },
  { name: 'setWord', args: ['flags', 'word'] },
  { name: 'clearWord', args: ['flags', 'word'] },
  { name: 'test', args: ['flags', 'bit'] },
  { name: 'testAny', args: ['flags'], rest: true },
  { name: 'testAll', args: ['flags'], rest: true },
  { name: 'testAnyMask', args: ['flags', 'flags'] },
  { name: 'testAllMask', args: ['flags', 'flags'] },
  { name: 'count', args: ['flags'] },
  { name: 'empty', args: ['flags'] },
  { name: 'samePair', args: ['flags', 'flags'] },
  { name: 'sameMask', args: ['flags', 'flags'] },
  { name: 'same', args: ['flags'], rest: true },
  { name: 'diffPair', args: ['flags', 'flags'] },
  { name: 'andMask', args: ['flags', 'flags'] },
  { name: 'and', args: ['flags'], rest: true },
  { name: 'setFlag', args: ['flags', 'bit'] },
  { name: 'set', args: ['flags'], rest: true },
  { name: 'setMask', args: ['flags', 'flags'] },
  { name: 'clear', args: ['flags'], rest: true },
  { name: 'clearMask', args: ['flags', 'flags'] },
];

/** One argument, described so each backend can build its own version of it. */
type Spec = { own: number } | { foreignConfig: true } | { otherBackend: true } | { value: unknown };

function spec(r: Rng, kind: Kind, config: KernelConfig, corrupt: boolean): Spec {
  if (corrupt && r.bool(0.5)) {
    if (kind === 'flags' && r.bool(0.4)) return r.bool() ? { foreignConfig: true } : { otherBackend: true };
    return { value: kind === 'words' && r.bool(0.3) ? r.pick(BAD_WORDS) : r.pick(BAD) };
  }
  switch (kind) {
    case 'flags':
      return { own: r.int(3) };
    case 'bit':
      return { value: r.bool(0.9) ? r.int(config.numVmaFlagBits) : config.numVmaFlagBits };
    case 'word':
      return { value: r.bool(0.8) ? r.bigWord(config.bitsPerLong) : r.int(2 ** 31) };
    case 'words':
      return { value: Array.from({ length: r.int(config.numWords + 1) }, () => r.bigWord(config.bitsPerLong)) };
  }
}

function outcome(f: () => unknown): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

const show = (v: unknown): string =>
  typeof v === 'bigint'
    ? `${v}n`
    : Array.isArray(v)
      ? `array(${v.length})`
      : typeof v === 'string'
        ? `string(${v.length})`
        : String(v);

describe('malformed inputs: native and core fail alike', () => {
  test(
    `${CALLS} malformed calls, same outcome, class and argument on both backends`,
    () => {
      const r = rng();
      const sides = CONFIGS.map((config) => {
        const other = CONFIGS.find((c) => c !== config)!;
        const make = (b: FlagsBackend<unknown>, ob: FlagsBackend<unknown>, xb: FlagsBackend<unknown>) => ({
          b,
          pool: [b.mk(1), b.mk(), b.fromLegacy(0xffn)],
          foreign: ob.mk(0),
          otherBackend: xb.mk(0),
        });
        const core = coreBackend(config) as FlagsBackend<unknown>;
        const native = nativeBackend(config) as FlagsBackend<unknown>;
        return {
          config,
          core: make(core, coreBackend(other) as FlagsBackend<unknown>, native),
          native: make(native, nativeBackend(other) as FlagsBackend<unknown>, core),
        };
      });
      const build = (side: (typeof sides)[number]['core'], s: Spec): unknown =>
        'own' in s
          ? side.pool[s.own]
          : 'foreignConfig' in s
            ? side.foreign
            : 'otherBackend' in s
              ? side.otherBackend
              : s.value;
      let errors = 0;
      const coreUnnamed = new Map<string, number>();
      for (let i = 0; i < CALLS; i++) {
        const w = r.pick(sides);
        const sig = r.pick(SIGS);
        const kinds: Kind[] = [...sig.args];
        if (sig.rest) for (let k = r.int(4); k > 0; k--) kinds.push('bit');
        const corrupt = r.bool(0.8);
        const specs = kinds.map((k) => spec(r, k, w.config, corrupt));
        const call = (side: typeof w.core) => () =>
          (side.b[sig.name] as (...a: unknown[]) => unknown)(...specs.map((s) => build(side, s)));
        const c = outcome(call(w.core));
        const n = outcome(call(w.native));
        const where = () =>
          `seed ${r.seed}, call ${i}: ${sig.name}(${specs.map((s) => ('value' in s ? show(s.value) : JSON.stringify(s))).join(', ')}) on ${w.config.key}`;
        if (c.ok !== n.ok)
          expect.fail(
            `${where()}: core ${c.ok ? 'returned' : `threw ${String(c.error)}`}, native ${n.ok ? 'returned' : `threw ${String(n.error)}`}`,
          );
        if (!c.ok && !n.ok) {
          errors++;
          const [ce, ne] = [c.error as Error, n.error as Error];
          // Core's own message may not name an argument (a bigint where core
          // expects a number reaches its arithmetic): then only the class can
          // be compared, and the case is counted.
          const named = / must /.test(ce.message);
          if (!named)
            coreUnnamed.set(`${sig.name}: ${ce.message}`, (coreUnnamed.get(`${sig.name}: ${ce.message}`) ?? 0) + 1);
          if (ne.constructor !== ce.constructor || (named && argumentOf(ne) !== argumentOf(ce))) {
            expect.fail(
              `${where()}: core threw ${ce.constructor.name}: ${ce.message.slice(0, 200)}; native threw ${ne.constructor.name}: ${ne.message.slice(0, 200)}`,
            );
          }
          expect(ne.message.length, where()).toBeLessThan(600);
        } else if (
          c.ok &&
          n.ok &&
          sig.name !== 'mk' &&
          sig.name !== 'copy' &&
          sig.name !== 'fromWords' &&
          sig.name !== 'fromLegacy' &&
          typeof c.value !== 'object'
        ) {
          expect(n.value, where()).toEqual(c.value);
        }
      }
      // Most calls are malformed; every one failed alike on both sides.
      expect(errors).toBeGreaterThan(CALLS / 3);
      console.log(`error parity: ${CALLS} calls, ${errors} errors, all alike`);
      if (coreUnnamed.size) console.log('core errors naming no argument:', Object.fromEntries(coreUnnamed));
    },
    120_000 * fuzzScale(),
  );
});
