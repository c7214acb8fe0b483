import {
  PRESETS,
  VmaFlags,
  VmaFlagsArena,
  coreBackend,
  mkVmaFlagsIn,
  withNumVmaFlagBits,
  type FlagsBackend,
  type KernelConfig,
} from '@vmaflags/core';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { binding } from '../src/binding.js';
import { configId } from '../src/config_id.js';
import { NativeVmaFlags } from '../src/native_backend.js';
import * as pkg from '../src/index.js';
import { fuzzScale, rng, type Rng } from './rng.js';
import { expectSingleMaskWarnings } from './single_mask_warning.js';

// Throws malformed arguments at every export (and at the raw binding under
// it). A call must either succeed — exactly when every argument is valid by
// the documented rules, which `ok` below restates independently — or throw a
// TypeError/RangeError whose message names one of the bad arguments. Any
// other outcome (a different error, a crash, a silent success on bad input)
// fails the test.

const CALLS = Math.round(100_000 * fuzzScale());
// Generous: the machine may be shared; the run itself takes a few seconds.
const LONG = 120_000 * fuzzScale();

const C32 = PRESETS.i386;
const C64 = PRESETS.x86_64;
const C128 = withNumVmaFlagBits(PRESETS.x86_64, 128);
const CONFIGS = [C32, C64, C128];
const CAP = 40;

interface Arg {
  name: string;
  valid(r: Rng): unknown;
  ok(v: unknown): boolean;
  /** Extra bad values specific to this argument. */
  bad?: readonly unknown[];
  /** Draw bad values only from `bad` (random numbers could be valid elsewhere). */
  badOnly?: boolean;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const wordOk = (v: unknown, bits: number): boolean =>
  (typeof v === 'bigint' && v >= 0n && v < 1n << BigInt(bits)) ||
  (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 && BigInt(v) < 1n << BigInt(bits));

const index = (name: string, limit: number): Arg => ({
  name,
  valid: (r) => r.int(limit),
  ok: (v) => isInt(v) && v >= 0 && v < limit,
  bad: [limit, limit + 1, 2 ** 32, -1],
});
const bit = (name: string, n: number) => index(name, n);
const word = (name: string, bits: number): Arg => ({
  name,
  valid: (r) => (r.bool(0.8) ? r.bigWord(bits) : r.int(2 ** 31)),
  ok: (v) => wordOk(v, bits),
  bad: [1n << BigInt(bits), (1n << BigInt(bits)) + 1n, -1n, 2 ** 53, 2 ** 64, 1n << 64n],
});
const oneOf = (name: string, set: Set<unknown>, pool: () => unknown[]): Arg => ({
  name,
  valid: (r) => r.pick(pool()),
  ok: (v) => set.has(v),
});

// Values that are wrong for (almost) every argument, plus random junk.
const SHARED_BAD: unknown[] = [
  undefined,
  null,
  true,
  false,
  '',
  '1',
  '0x10',
  'bits',
  {},
  [],
  [1, 2],
  Symbol('s'),
  () => 1,
  NaN,
  Infinity,
  -Infinity,
  -0.5,
  0.5,
  1.5,
  -1,
  -(2 ** 31),
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  1e300,
  -1e-300,
  0n,
  1n,
  -1n,
  2n ** 32n,
  2n ** 63n,
  2n ** 64n - 1n,
  2n ** 64n,
  2n ** 200n,
  -(2n ** 70n),
  new Uint8Array(4),
  new Int32Array(2),
  new Float64Array(1),
  new BigUint64Array(1),
  new Uint32Array(0),
  new ArrayBuffer(8),
  new Number(1),
  Object(1n),
  new String('x'),
  { valueOf: () => 1 },
  { length: 1, 0: 1 },
  [undefined],
  ['x'],
  [-1],
  [1.5],
  [2n ** 70n],
  [{}],
  new Date(0),
  /x/,
  new Map(),
  Promise.resolve(1),
  new Error('x'),
];

function junk(r: Rng): unknown {
  switch (r.int(6)) {
    case 0:
      return (r.next() - 0.5) * 2 ** r.int(70);
    case 1:
      return r.int(200) - 50;
    case 2:
      return (BigInt(r.int(2 ** 31)) * (r.bool() ? 1n : -1n)) << BigInt(r.int(70));
    default:
      return r.pick(SHARED_BAD);
  }
}

interface Target {
  name: string;
  args: Arg[];
  /** Variadic tail: 0–4 more arguments of this kind. */
  rest?: Arg;
  call(...a: unknown[]): unknown;
  /** Validity of the whole call when it is not just "every argument ok". */
  valid?(a: unknown[]): boolean;
  /** Arguments that are fine alone but wrong together (e.g. a range past the end). */
  badNames?(a: unknown[]): string[];
  /** Accept a non-argument error (e.g. EINVAL) when it matches. */
  allow?(e: unknown): boolean;
}

// Everything the fuzzer knows about one configuration.
function world(config: KernelConfig, r: Rng) {
  const n = config.numVmaFlagBits;
  const bpl = config.bitsPerLong;
  const nb = pkg.nativeBackend(config) as FlagsBackend<unknown>;
  const handles = new Set<unknown>();
  const handleList: unknown[] = [];
  const keep = <T>(h: T): T => {
    if (handles.size < 64 && typeof h === 'object' && h !== null && h instanceof NativeVmaFlags) {
      handles.add(h);
      handleList.push(h);
    }
    return h;
  };
  for (let i = 0; i < 8; i++) keep(nb.fromWords(Array.from({ length: config.numWords }, () => r.bigWord(bpl))));
  const coreFlags = new Set<unknown>();
  const coreList: VmaFlags[] = [];
  for (let i = 0; i < 6; i++) {
    const f = mkVmaFlagsIn(config, r.int(n), r.int(n));
    coreFlags.add(f);
    coreList.push(f);
  }
  const arena = new VmaFlagsArena(config, CAP);
  const na = pkg.registerArena(arena);
  return { config, n, bpl, nb, handles, handleList, keep, coreFlags, coreList, arena, na };
}
type World = ReturnType<typeof world>;

function targets(w: World, others: World[]): Target[] {
  const { n, bpl, nb, keep, na, arena } = w;
  const flags = (name: string) => oneOf(name, w.handles, () => w.handleList);
  const core = (name: string) => oneOf(name, w.coreFlags, () => w.coreList);
  const b = bit('bits', n);
  const wd = (name = 'word') => word(name, bpl);
  const words: Arg = {
    name: 'words',
    valid: (r) => Array.from({ length: r.int(w.config.numWords + 1) }, () => r.bigWord(bpl)),
    ok: (v) => Array.isArray(v) && v.length <= w.config.numWords && v.every((x) => wordOk(x, bpl)),
    bad: [Array(w.config.numWords + 1).fill(0n), [1n << BigInt(bpl)], [0n, -1n]],
  };
  const start: Arg = { ...index('start', CAP + 1) };
  const count: Arg = { name: 'count', valid: (r) => r.int(4), ok: (v) => isInt(v) && v >= 0, bad: [CAP + 1] };
  const rangeOk = (a: unknown[]) => start.ok(a[0]) && count.ok(a[1]) && (a[0] as number) + (a[1] as number) <= CAP;
  const outArg: Arg = {
    name: 'out',
    valid: (r) => (r.bool() ? undefined : new Uint32Array(2 + r.int(2))),
    ok: (v) => v === undefined || (v instanceof Uint32Array && v.buffer !== arena.buffer),
    bad: [arena.lanes, new Uint32Array(0), new Int32Array(2)],
  };
  const outOk = (a: unknown[]) =>
    a[3] === undefined || (a[3] as Uint32Array).length >= Math.ceil((a[1] as number) / 32);
  const indices: Arg = {
    name: 'indices',
    valid: (r) => Uint32Array.from({ length: r.int(6) }, () => r.int(CAP)),
    ok: (v) => v instanceof Uint32Array && v.buffer !== arena.buffer && v.every((i) => i < CAP),
    bad: [Uint32Array.of(CAP), Uint32Array.of(0, 2 ** 32 - 1), arena.lanes.subarray(0, 2), Int32Array.of(1)],
  };
  // Arena masks: a handle of this config, or one entry's lanes.
  const lanes = w.config.numLanes;
  const maskArg: Arg = {
    name: 'mask',
    valid: (r) => (r.bool() ? r.pick(w.handleList) : Uint32Array.from({ length: lanes }, () => r.int(2 ** 32))),
    ok: (v) => w.handles.has(v) || (v instanceof Uint32Array && v.length === lanes),
    bad: [new Uint32Array(lanes + 1), new Int32Array(lanes), new Uint32Array(0)],
  };
  const addr = (name: string) => ({ ...word(name, bpl), bad: [1n << BigInt(bpl), -1n] });
  const optAddr = (name: string): Arg => {
    const a = addr(name);
    return { ...a, ok: (v) => v === undefined || a.ok(v) };
  };
  // VMA constructors: end defaults to start and must not be below it.
  const vmaOk = (a: unknown[]) => {
    // Any core bitmap will do; addresses are unsigned longs of its config.
    if (!(a[0] instanceof VmaFlags)) return false;
    const bits = a[0].config.bitsPerLong;
    const addrOk = (v: unknown) => v === undefined || wordOk(v, bits);
    if (!addrOk(a[1]) || !addrOk(a[2])) return false;
    const toBig = (v: unknown) => (typeof v === 'number' ? BigInt(v) : (v as bigint));
    const s = a[1] === undefined ? 0n : toBig(a[1]);
    const e = a[2] === undefined ? s : toBig(a[2]);
    return e >= s;
  };
  const vmaNew = () => new pkg.VmaNew(w.coreList[0]!, 0n, 4096n);
  const einval = (e: unknown) => e instanceof Error && (e as { code?: string }).code === 'EINVAL';
  const otherHandles = others.flatMap((o) => o.handleList.slice(0, 2));
  const foreign: unknown[] = [...otherHandles, ...w.coreList.slice(0, 2), ...others.map((o) => o.coreList[0])];

  const T: Target[] = [
    // FlagsBackend methods
    { name: 'mk', args: [], rest: b, call: (...a) => keep(nb.mk(...(a as number[]))) },
    { name: 'append', args: [flags('base')], rest: b, call: (f, ...a) => keep(nb.append(f, ...(a as number[]))) },
    { name: 'copy', args: [flags('flags')], call: (f) => keep(nb.copy(f)) },
    { name: 'toWords', args: [flags('flags')], call: (f) => nb.toWords(f) },
    { name: 'fromWords', args: [words], call: (x) => keep(nb.fromWords(x as bigint[])) },
    { name: 'fromLegacy', args: [wd('value')], call: (x) => keep(nb.fromLegacy(x as bigint)) },
    { name: 'toLegacy', args: [flags('flags')], call: (f) => nb.toLegacy(f) },
    { name: 'clearAll', args: [flags('flags')], call: (f) => nb.clearAll(f) },
    ...(['overwriteWord', 'overwriteWordOnce', 'setWord', 'clearWord'] as const).map(
      (m): Target => ({ name: m, args: [flags('flags'), wd('value')], call: (f, x) => nb[m](f, x as bigint) }),
    ),
    ...(['test', 'setFlag'] as const).map(
      (m): Target => ({ name: m, args: [flags('flags'), bit('bit', n)], call: (f, x) => nb[m](f, x as number) }),
    ),
    ...(['testAny', 'testAll', 'same', 'set', 'clear'] as const).map(
      (m): Target => ({ name: m, args: [flags('flags')], rest: b, call: (f, ...a) => nb[m](f, ...(a as number[])) }),
    ),
    {
      name: 'and',
      args: [flags('flags')],
      rest: b,
      call: (f, ...a) => keep(nb.and(f, ...(a as number[]))),
    },
    ...(['testAnyMask', 'testAllMask', 'testSingleMask', 'sameMask', 'setMask', 'clearMask'] as const).map(
      (m): Target => ({ name: m, args: [flags('flags'), flags('mask')], call: (f, x) => nb[m](f, x) }),
    ),
    { name: 'andMask', args: [flags('flags'), flags('mask')], call: (f, x) => keep(nb.andMask(f, x)) },
    { name: 'samePair', args: [flags('a'), flags('b')], call: (x, y) => nb.samePair(x, y) },
    { name: 'diffPair', args: [flags('a'), flags('b')], call: (x, y) => keep(nb.diffPair(x, y)) },
    { name: 'count', args: [flags('flags')], call: (f) => nb.count(f) },
    { name: 'empty', args: [flags('flags')], call: (f) => nb.empty(f) },

    // kernel::mm::virt
    {
      name: 'new VmaNew',
      args: [core('flags'), optAddr('start'), optAddr('end')],
      valid: vmaOk,
      badNames: () => ['start', 'end'],
      call: (f, s, e) => new pkg.VmaNew(f as VmaFlags, s as bigint, e as bigint),
    },
    {
      name: 'new VmaRef',
      args: [core('flags'), optAddr('start'), optAddr('end')],
      valid: vmaOk,
      badNames: () => ['start', 'end'],
      call: (f, s, e) => new pkg.VmaRef(f as VmaFlags, s as bigint, e as bigint),
    },
    {
      name: 'VmaNew.fromVmaFlags',
      args: [core('flags'), optAddr('start'), optAddr('end')],
      valid: vmaOk,
      badNames: () => ['start', 'end'],
      call: (f, s, e) => pkg.VmaNew.fromVmaFlags(f as VmaFlags, s as bigint, e as bigint),
    },
    {
      name: 'new VmaMixedMap',
      args: [core('VmaMixedMap')],
      valid: () => false,
      badNames: () => ['flags'],
      call: (f) => new pkg.VmaMixedMap(f as VmaFlags),
    },
    ...(
      [
        'flags',
        'start',
        'end',
        'readable',
        'writable',
        'executable',
        'setIo',
        'setDontexpand',
        'setDontcopy',
        'setDontdump',
        'setMixedmap',
        'asVmaRef',
        'asMixedmapVma',
        'toVmaFlags',
        'tryClearMayread',
        'tryClearMaywrite',
        'tryClearMayexec',
      ] as const
    ).map(
      (m): Target => ({
        name: `VmaNew.${m}`,
        args: [],
        rest: { name: 'ignored', valid: junk, ok: () => true },
        call: (...a) => (vmaNew()[m] as (...x: unknown[]) => unknown)(...a),
        allow: einval,
      }),
    ),
    {
      name: 'virtFlags',
      args: [
        { name: 'config', valid: () => w.config, ok: (v) => v === undefined || CONFIGS.includes(v as KernelConfig) },
      ],
      call: (c) => pkg.virtFlags(c as KernelConfig),
    },
    {
      name: 'nativeBackend',
      args: [{ name: 'config', valid: () => w.config, ok: (v) => CONFIGS.includes(v as KernelConfig) }],
      call: (c) => pkg.nativeBackend(c as KernelConfig),
    },

    // arena
    {
      name: 'registerArena',
      args: [
        { name: 'arena', valid: () => arena, ok: (v) => v instanceof VmaFlagsArena, bad: [arena.lanes, arena.buffer] },
      ],
      call: (x) => pkg.registerArena(x as VmaFlagsArena),
    },
    {
      name: 'nativeMask',
      args: [{ ...core('flags'), ok: (v) => v instanceof VmaFlags }],
      call: (x) => pkg.nativeMask(x as VmaFlags),
    },
    {
      name: 'arena.setMaskRange(native lanes of core flags)',
      args: [core('flags')],
      badNames: () => ['mask'],
      call: (x) => na.setMaskRange(0, 1, pkg.nativeMask(x as VmaFlags)),
    },
    { name: 'arena.getWord', args: [index('index', CAP)], call: (i) => na.getWord(i as number) },
    { name: 'arena.clearAll', args: [index('index', CAP)], call: (i) => na.clearAll(i as number) },
    ...(['setWord', 'clearWord', 'overwriteWord'] as const).map(
      (m): Target => ({
        name: `arena.${m}`,
        args: [index('index', CAP), wd()],
        call: (i, x) => na[m](i as number, x as bigint),
      }),
    ),
    ...(['testBit', 'setBit', 'clearBit'] as const).map(
      (m): Target => ({
        name: `arena.${m}`,
        args: [index('index', CAP), bit('bit', n)],
        call: (i, x) => na[m](i as number, x as number),
      }),
    ),
    {
      name: 'arena.updateFlags',
      args: [index('index', CAP), wd('set'), wd('unset')],
      call: (i, s, u) => na.updateFlags(i as number, s as bigint, u as bigint),
    },
    {
      name: 'arena.updateFlagsRange',
      args: [start, count, wd('set'), wd('unset')],
      valid: (a) => rangeOk(a) && wd().ok(a[2]) && wd().ok(a[3]),
      badNames: () => ['count'],
      call: (s, c, x, y) => na.updateFlagsRange(s as number, c as number, x as bigint, y as bigint),
    },
    {
      name: 'arena.updateFlagsList',
      args: [indices, wd('set'), wd('unset')],
      call: (l, x, y) => na.updateFlagsList(l as Uint32Array, x as bigint, y as bigint),
    },
    {
      name: 'arena.overwriteWordRange',
      args: [start, count, wd()],
      valid: (a) => rangeOk(a) && wd().ok(a[2]),
      badNames: () => ['count'],
      call: (s, c, x) => na.overwriteWordRange(s as number, c as number, x as bigint),
    },
    ...(['setMaskRange', 'clearMaskRange'] as const).map(
      (m): Target => ({
        name: `arena.${m}`,
        args: [start, count, maskArg],
        valid: (a) => rangeOk(a) && maskArg.ok(a[2]),
        badNames: () => ['count'],
        call: (s, c, x) => na[m](s as number, c as number, x as never),
      }),
    ),
    ...(['testAnyMaskRange', 'testAllMaskRange'] as const).map(
      (m): Target => ({
        name: `arena.${m}`,
        args: [start, count, maskArg, outArg],
        valid: (a) => rangeOk(a) && maskArg.ok(a[2]) && outArg.ok(a[3]) && outOk(a),
        badNames: () => ['count', 'out'],
        call: (s, c, x, o) => na[m](s as number, c as number, x as never, o as Uint32Array),
      }),
    ),

    // helpers and the baseline
    {
      name: 'noop',
      args: [],
      rest: { name: 'ignored', valid: junk, ok: () => true },
      call: (...a) => (pkg.noop as (...x: unknown[]) => void)(...a),
    },
    {
      name: 'platformPackage',
      args: [
        {
          name: 'host',
          valid: (r) => ({
            platform: r.pick(['linux', 'darwin', 'win32', 'aix']),
            arch: r.pick(['x64', 'arm64', 'ia32']),
            musl: r.pick([true, false, undefined]),
          }),
          ok: (v) =>
            typeof v === 'object' &&
            v !== null &&
            typeof (v as { platform: unknown }).platform === 'string' &&
            typeof (v as { arch: unknown }).arch === 'string' &&
            [true, false, undefined].includes((v as { musl?: unknown }).musl as boolean),
        },
      ],
      call: (h) => pkg.platformPackage(h as never),
    },
    {
      name: 'missingBindingMessage',
      args: [
        {
          name: 'host',
          valid: (r) => ({
            platform: r.pick(['linux', 'darwin', 'win32', 'aix']),
            arch: r.pick(['x64', 'arm64', 'ia32']),
            musl: r.pick([true, false, undefined]),
          }),
          ok: (v) =>
            typeof v === 'object' &&
            v !== null &&
            typeof (v as { platform: unknown }).platform === 'string' &&
            typeof (v as { arch: unknown }).arch === 'string' &&
            [true, false, undefined].includes((v as { musl?: unknown }).musl as boolean),
        },
      ],
      call: (h) => pkg.missingBindingMessage(h as never),
    },
  ];
  for (const t of T)
    for (const a of [...t.args, ...(t.rest ? [t.rest] : [])])
      if (/flags|base|mask|^a$|^b$/.test(a.name)) a.bad = [...(a.bad ?? []), ...foreign];
  return T;
}

// Shapes the oracle has seen registered per key (keys are unique to this run).
const keyed = new Map<string, string>();
const KEYS = ['a', 'b', 'c'].map((k) => `fuzz-${process.pid}-${k}`);

/** A storage buffer argument: an attached, non-shared ArrayBuffer of exactly `bytes` bytes. */
function storageArg(name: string, bytes: number, live: unknown[], foreign: unknown[]): Arg {
  const detached = new ArrayBuffer(bytes);
  structuredClone(detached, { transfer: [detached] });
  return {
    name,
    valid: (r) => r.pick(live),
    ok: (v) => v instanceof ArrayBuffer && v.byteLength === bytes,
    bad: [
      ...foreign,
      detached,
      new ArrayBuffer(bytes + 1),
      new SharedArrayBuffer(bytes),
      new Uint8Array(bytes),
      0,
      -1,
      2 ** 53,
    ],
  };
}

// The raw helpers object of a configuration: bitmaps are bare storage
// buffers, so buffers of another size, detached or shared ones are refused.
function rawFlagsTargets(w: World, cfg: Arg, bitsArr: Arg, wd: Arg): Target[] {
  const id = configId(w.config);
  const fo = binding.flagsOps(id) as Record<string, (...a: unknown[]) => unknown>;
  const live: unknown[] = Array.from({ length: 4 }, (_, k) => fo.mk!(k));
  const bytes = (live[0] as ArrayBuffer).byteLength;
  const foreign = CONFIGS.filter((c) => c.numLanes !== w.config.numLanes).map((c) =>
    (binding.flagsOps(configId(c)) as typeof fo).mk!(0),
  );
  const h = (name: string): Arg => storageArg(name, bytes, live, foreign);
  const bitArg = bit('bit', w.n);
  return [
    { name: 'binding.flagsOps', args: [cfg], call: (c) => binding.flagsOps(c as number) },
    { name: 'flagsOps.mk', args: [], rest: bitArg, call: (...a) => fo.mk!(...a) },
    { name: 'flagsOps.setWord', args: [h('flags'), wd], call: (f, x) => fo.setWord!(f, x) },
    { name: 'flagsOps.test', args: [h('flags'), bitArg], call: (f, x) => fo.test!(f, x) },
    { name: 'flagsOps.testAll', args: [h('flags')], rest: bitArg, call: (f, ...a) => fo.testAll!(f, ...a) },
    { name: 'flagsOps.samePair', args: [h('a'), h('b')], call: (x, y) => fo.samePair!(x, y) },
    { name: 'flagsOps.setMask', args: [h('flags'), h('mask')], call: (x, y) => fo.setMask!(x, y) },
    { name: 'flagsOps.diffPair', args: [h('a'), h('b')], call: (x, y) => fo.diffPair!(x, y) },
    {
      name: 'flagsOps.fromWords',
      args: [
        {
          ...bitsArr,
          name: 'words',
          valid: (r) => Array.from({ length: r.int(w.config.numWords + 1) }, () => r.bigWord(w.bpl)),
          ok: (v) => Array.isArray(v) && v.length <= w.config.numWords && v.every((x) => wordOk(x, w.bpl)),
          bad: [Array(w.config.numWords + 1).fill(0n), [-1n]],
        },
      ],
      call: (a) => fo.fromWords!(a),
    },
  ];
}

const PFNMAP = 0x400n;

// The raw binding, below the TypeScript layer: config ids are arguments too.
function rawTargets(w: World): Target[] {
  const id = configId(w.config);
  // Other small integers are ids of other configurations, hence badOnly.
  const cfg: Arg = {
    name: 'config',
    valid: () => id,
    ok: (v) => v === id,
    bad: [-1, 1e9, 0.5, '0', 2 ** 32, undefined, null, {}, 1n, NaN],
    badOnly: true,
  };
  const bitsArr: Arg = {
    name: 'bits',
    valid: (r) => Array.from({ length: r.int(4) }, () => r.int(w.n)),
    ok: (v) => Array.isArray(v) && v.every((x) => isInt(x) && x >= 0 && x < w.n),
    bad: [[w.n], [-1], [0.5], ['1'], 5],
  };
  const wd: Arg = word('value', w.bpl);
  const ws: Arg = {
    name: 'words',
    valid: (r) => Array.from({ length: 1 + r.int(w.config.numWords) }, () => r.bigWord(w.bpl)),
    ok: (v) => Array.isArray(v) && v.length >= 1 && v.length <= w.config.numWords && v.every((x) => wordOk(x, w.bpl)),
    bad: [[], Array(w.config.numWords + 1).fill(0n)],
  };
  // VMA storage: any view's buffer may be read; the setup operations refuse
  // a buffer whose flags have PFNMAP (only reachable through the raw binding).
  const ops = binding.vmaOps(id) as Record<string, (...a: unknown[]) => unknown>;
  const vmas = [ops.newFromWords!([0n], 0n, 0n), ops.refFromWords!([1n], 0n, 0n), ops.newFromWords!([0x10n], 4n, 8n)];
  const bytes = (vmas[0] as ArrayBuffer).byteLength;
  const foreign = CONFIGS.filter((c) => c.numLanes !== w.config.numLanes).map((c) =>
    (binding.vmaOps(configId(c)) as typeof ops).refFromWords!([0n], 0n, 0n),
  );
  const anyVma = storageArg('vma', bytes, vmas, foreign);
  return [
    ...rawFlagsTargets(w, cfg, bitsArr, wd),
    { name: 'binding.vmaOps', args: [cfg], call: (c) => binding.vmaOps(c as number) },
    {
      name: 'vmaOps.newFromWords',
      args: [ws, word('start', w.bpl), word('end', w.bpl)],
      valid: (a) =>
        ws.ok(a[0]) &&
        wordOk(a[1], w.bpl) &&
        wordOk(a[2], w.bpl) &&
        BigInt(a[2] as bigint) >= BigInt(a[1] as bigint) &&
        (BigInt((a[0] as bigint[])[0]!) & PFNMAP) === 0n,
      badNames: () => ['end', 'words[0]'],
      call: (a, s, e) => ops.newFromWords!(a, s, e),
    },
    {
      name: 'vmaOps.refFromWords',
      args: [ws, word('start', w.bpl), word('end', w.bpl)],
      valid: (a) =>
        ws.ok(a[0]) && wordOk(a[1], w.bpl) && wordOk(a[2], w.bpl) && BigInt(a[2] as bigint) >= BigInt(a[1] as bigint),
      badNames: () => ['end'],
      call: (a, s, e) => ops.refFromWords!(a, s, e),
    },
    ...(
      [
        'flags',
        'start',
        'end',
        'words',
        'isMixedmap',
        'readable',
        'writable',
        'executable',
        'setIo',
        'setDontexpand',
        'setDontcopy',
        'setDontdump',
        'setMixedmap',
        'tryClearMayread',
        'tryClearMaywrite',
        'tryClearMayexec',
      ] as const
    ).map(
      (m): Target => ({
        name: `vmaOps.${m}`,
        args: [anyVma],
        call: (h) => ops[m]!(h),
        allow: (e) => (e as { code?: string }).code === 'EINVAL',
      }),
    ),
    {
      name: 'binding.registerArena',
      args: [
        cfg,
        {
          name: 'arena.lanes',
          valid: () => w.arena.lanes,
          ok: (v) => v === w.arena.lanes,
          bad: [new Uint32Array(3), new Uint32Array(w.arena.lanes.buffer, 4, w.arena.lanes.length - 2)],
        },
        { name: 'arena.capacity', valid: () => CAP, ok: (v) => v === CAP },
      ],
      badNames: () => ['arena.lanes'],
      call: (c, l, n) => binding.registerArena(c as number, l as Uint32Array, n as number),
    },
    {
      name: 'binding.internConfig',
      args: [
        { name: 'config.key', valid: (r) => r.pick(KEYS), ok: (v) => typeof v === 'string' },
        { name: 'config.bitsPerLong', valid: (r) => r.pick([32, 64]), ok: (v) => v === 32 || v === 64, bad: [16, 128] },
        {
          name: 'config.numVmaFlagBits',
          valid: (r) => 64 * (1 + r.int(3)),
          ok: (v) => isInt(v) && v >= 32 && v <= 4096,
          bad: [96, 4160, 0],
        },
      ],
      valid: (a) => {
        const [k, bpl, nbits] = a as [string, number, number];
        if (
          typeof k !== 'string' ||
          (bpl !== 32 && bpl !== 64) ||
          !isInt(nbits) ||
          nbits < bpl ||
          nbits > 4096 ||
          nbits % bpl !== 0
        )
          return false;
        const shape = `${bpl}/${nbits}`;
        const known = keyed.get(k);
        if (known === undefined) keyed.set(k, shape);
        return (known ?? shape) === shape;
      },
      badNames: () => ['config.key', 'config.numVmaFlagBits'],
      call: (k, b, n) => binding.internConfig(k as string, b as number, n as number),
    },
  ];
}

expectSingleMaskWarnings();

describe('malformed calls', () => {
  test(
    `${CALLS} random calls: success exactly when valid, else TypeError/RangeError naming an argument`,
    () => {
      const r = rng();
      // internConfig in a fresh process may already know the fuzz keys from a
      // previous test file; seed the oracle's view from a probe.
      const worlds = CONFIGS.map((c) => world(c, r));
      const all = worlds.flatMap((w) => [
        ...targets(
          w,
          worlds.filter((o) => o !== w),
        ),
        ...rawTargets(w),
      ]);
      const hit = new Map<string, { ok: number; bad: number }>();
      for (let i = 0; i < CALLS; i++) {
        const t = r.pick(all);
        const spec = [...t.args];
        if (t.rest) for (let k = r.int(5); k > 0; k--) spec.push(t.rest);
        const corrupt = r.bool(0.6);
        const args = spec.map((a) => {
          if (!corrupt || r.bool(0.6)) return a.valid(r);
          return a.bad && (a.badOnly || r.bool(0.4)) ? r.pick(a.bad) : junk(r);
        });
        const valid = t.valid ? t.valid(args) : spec.every((a, k) => a.ok(args[k]));
        const stat = hit.get(t.name) ?? { ok: 0, bad: 0 };
        hit.set(t.name, stat);
        let error: unknown;
        try {
          t.call(...args);
        } catch (e) {
          error = e;
        }
        const where = () => `seed ${r.seed}, call ${i}: ${t.name}(${args.map((a) => fc.stringify(a)).join(', ')})`;
        if (error === undefined) {
          if (!valid) expect.fail(`${where()} succeeded, but an argument is invalid`);
          stat.ok++;
          continue;
        }
        if (t.allow?.(error)) {
          stat.ok++;
          continue;
        }
        if (valid) expect.fail(`${where()} threw ${String(error)} although every argument is valid`);
        if (!(error instanceof TypeError || error instanceof RangeError)) {
          expect.fail(`${where()} threw ${String(error)}: not a TypeError/RangeError`);
        }
        const names = spec.filter((a, k) => !a.ok(args[k])).map((a) => a.name);
        if (t.badNames) names.push(...t.badNames(args));
        const msg = (error as Error).message;
        const named = names.some((nm) => msg.includes(nm));
        if (!named) expect.fail(`${where()} threw "${msg}", which names none of ${names.join(', ')}`);
        stat.bad++;
      }
      console.log(`fuzz: ${CALLS} calls over ${all.length} targets, every outcome as the rules say`);
      // Every target saw both valid and invalid calls.
      for (const t of all) {
        const s = hit.get(t.name);
        expect(s, t.name).toBeDefined();
        expect(s!.ok + s!.bad, t.name).toBeGreaterThan(20);
        if (!/^VmaNew\.|^noop$|^new VmaMixedMap$/.test(t.name)) expect(s!.bad, t.name).toBeGreaterThan(0);
      }
    },
    LONG,
  );

  test('core bitmaps and native handles never mix', () => {
    const nb = pkg.nativeBackend(C64);
    const cb = coreBackend(C64);
    expect(() => nb.count(cb.mk(1) as never)).toThrow(TypeError);
    expect(() => cb.count(nb.mk(1) as never)).toThrow(TypeError);
    expect(() => nb.setMask(nb.mk(), pkg.nativeBackend(C128).mk() as never)).toThrow(
      /mask must be a VmaFlags of config/,
    );
  });
});
