import { PRESETS, type VmaFlags, VmaFlagsArena, constVmaFlags, mkVmaFlags, withNumVmaFlagBits } from '@vmaflags/core';
import {
  coverageGaps,
  flagsBackendEntries,
  hostileValues,
  type SweepEntry,
  sweepEntry,
  tryHostileCombination,
} from '@vmaflags/tools/bad-input';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { binding } from '../src/binding.js';
import { configId } from '../src/config_id.js';
import * as api from '../src/index.js';

// Every export of the package entry, called validly and then with one argument
// replaced by a hostile value, through the TypeScript wrapper into the addon:
// the call accepts the value or throws a TypeError/RangeError naming the
// argument, and an arena operation that throws leaves every lane as it was.
// A panic or abort in the addon kills the worker, which fails the file.

const { VmaMixedMap, VmaNew, VmaRef, nativeBackend, nativeMask, registerArena } = api;
const X86 = PRESETS.x86_64;
// Interned first, so X86 is config id 0 of this worker (each test file runs in
// its own process) and -0 for a config id, which is 0, names the same config.
const ID = configId(X86);
const FOREIGN = constVmaFlags(withNumVmaFlagBits(PRESETS.i386, 128), [0, 1, 100]);
const HOSTILE = hostileValues([
  ['frozen VmaFlags of a different config', FOREIGN],
  ['NativeVmaFlags of a different config', nativeBackend(PRESETS.i386).mk(1)],
]);

const flags = () => mkVmaFlags(0, 1, 4, 5);
const backend = nativeBackend(X86);

type Native = ReturnType<typeof registerArena>;

/**
 * `arena.<method>(…)` on a registered arena of 8 entries; the arena travels
 * as a hidden last argument so `state` can compare its lanes.
 */
function arenaMethod(method: keyof Native & string, params: string[], args: () => unknown[]): SweepEntry {
  return {
    name: `NativeArena#${method}`,
    params,
    make: () => {
      const core = new VmaFlagsArena(X86, 8);
      core.setWord(1, 0x73n);
      return [...args(), core];
    },
    call: (...a) => {
      const core = a[a.length - 1] as VmaFlagsArena;
      return (registerArena(core)[method] as (...x: unknown[]) => unknown)(...a.slice(0, -1));
    },
    state: (a) => [...(a[a.length - 1] as VmaFlagsArena).lanes],
  };
}

/** A `virt` VMA constructor: (flags, start, end). */
function vmaConstructor(name: string, make: (...a: unknown[]) => unknown, more: Partial<SweepEntry> = {}) {
  return {
    name,
    params: ['flags', 'start', 'end'],
    make: () => [flags(), 0x1000n, 0x3000n],
    call: make,
    ...more,
  } satisfies SweepEntry;
}

const host = { platform: 'linux', arch: 'x64', musl: false };

const TABLE: SweepEntry[] = [
  vmaConstructor('VmaRef', (...a) => new VmaRef(...(a as [VmaFlags]))),
  vmaConstructor('VmaNew', (...a) => new VmaNew(...(a as [VmaFlags]))),
  vmaConstructor('VmaNew.fromVmaFlags', (...a) => VmaNew.fromVmaFlags(...(a as [VmaFlags]))),
  // Only VmaNew.setMixedmap() and VmaRef.asMixedmapVma() make one.
  vmaConstructor('VmaMixedMap', (...a) => new VmaMixedMap(...(a as [VmaFlags])), {
    params: ['flags'],
    neverValid: true,
  }),
  { name: 'virtFlags', params: ['config'], make: () => [X86], call: (c) => api.virtFlags(c as never) },
  { name: 'nativeBackend', params: ['config'], make: () => [X86], call: (c) => nativeBackend(c as never) },
  ...flagsBackendEntries(
    'nativeBackend',
    backend,
    () => backend.mk(0, 1, 4, 5),
    () => backend.mk(0, 4),
  ),
  { name: 'nativeMask', params: ['flags'], make: () => [flags()], call: (f) => nativeMask(f as VmaFlags) },
  {
    name: 'registerArena',
    params: ['arena'],
    make: () => [new VmaFlagsArena(X86, 4)],
    call: (a) => registerArena(a as VmaFlagsArena),
  },
  arenaMethod('getWord', ['index'], () => [1]),
  arenaMethod('setWord', ['index', 'word'], () => [1, 0x4n]),
  arenaMethod('clearWord', ['index', 'word'], () => [1, 0x1n]),
  arenaMethod('overwriteWord', ['index', 'word'], () => [1, 0x4n]),
  arenaMethod('clearAll', ['index'], () => [1]),
  arenaMethod('testBit', ['index', 'bit'], () => [1, 4]),
  arenaMethod('setBit', ['index', 'bit'], () => [1, 9]),
  arenaMethod('clearBit', ['index', 'bit'], () => [1, 0]),
  arenaMethod('updateFlags', ['index', 'set', 'unset'], () => [1, 0x4n, 0x1n]),
  arenaMethod('updateFlagsRange', ['start', 'count', 'set', 'unset'], () => [0, 4, 0x4n, 0x1n]),
  arenaMethod('updateFlagsList', ['indices', 'set', 'unset'], () => [new Uint32Array([1, 3]), 0x4n, 0x1n]),
  arenaMethod('overwriteWordRange', ['start', 'count', 'word'], () => [0, 4, 0x4n]),
  arenaMethod('setMaskRange', ['start', 'count', 'mask'], () => [0, 4, nativeMask(mkVmaFlags(9))]),
  arenaMethod('clearMaskRange', ['start', 'count', 'mask'], () => [0, 4, backend.mk(0)]),
  arenaMethod('testAnyMaskRange', ['start', 'count', 'mask', 'out'], () => [
    0,
    4,
    nativeMask(mkVmaFlags(0)),
    new Uint32Array(4),
  ]),
  arenaMethod('testAllMaskRange', ['start', 'count', 'mask', 'out'], () => [
    0,
    4,
    nativeMask(mkVmaFlags(0)),
    new Uint32Array(4),
  ]),
  { name: 'platformPackage', params: ['host'], make: () => [host], call: (h) => api.platformPackage(h as never) },
  {
    name: 'missingBindingMessage',
    params: ['host'],
    make: () => [host],
    call: (h) => api.missingBindingMessage(h as never),
  },
  ...(['platform', 'arch', 'musl'] as const).map(
    (field): SweepEntry => ({
      name: 'missingBindingMessage',
      params: [`host.${field}`],
      make: () => [host[field]],
      call: (v) => api.missingBindingMessage({ ...host, [field]: v } as never),
    }),
  ),
];

// The addon's own functions, called directly with what the wrapper would
// never pass: the Rust glue checks every argument itself.
type RawOps = Record<string, (...a: unknown[]) => unknown>;
const rawFlags = binding.flagsOps(ID) as RawOps;
const rawVma = binding.vmaOps(ID) as RawOps;
// MAY* without READ/WRITE/EXEC, so the try_clear_may* calls succeed too.
const rawStorage = () => rawVma.newFromWords!([0x70n], 0x1000n, 0x3000n);
const VMA_READS = ['flags', 'start', 'end', 'words', 'isMixedmap', 'readable', 'writable', 'executable'];
const VMA_WRITES = ['setMixedmap', 'setIo', 'setDontexpand', 'setDontcopy', 'setDontdump'];
const VMA_TRY_CLEARS = ['tryClearMayread', 'tryClearMaywrite', 'tryClearMayexec'];

const RAW_TABLE: SweepEntry[] = [
  {
    name: 'binding.internConfig',
    params: ['key', 'bitsPerLong', 'numVmaFlagBits'],
    make: () => [X86.key, 64, 64],
    call: (...a) => binding.internConfig(...(a as [string, number, number])),
  },
  { name: 'binding.flagsOps', params: ['config'], make: () => [ID], call: (c) => binding.flagsOps(c as number) },
  { name: 'binding.vmaOps', params: ['config'], make: () => [ID], call: (c) => binding.vmaOps(c as number) },
  {
    name: 'binding.registerArena',
    params: ['config', 'lanes', 'capacity'],
    make: () => [ID, new Uint32Array(8), 4],
    call: (...a) => binding.registerArena(...(a as [number, Uint32Array, number])),
  },
  ...flagsBackendEntries(
    'binding.flagsOps',
    rawFlags,
    () => rawFlags.mk!(0, 1, 4, 5),
    () => rawFlags.mk!(0, 4),
  ),
  ...(['newFromWords', 'refFromWords'] as const).map(
    (op): SweepEntry => ({
      name: `binding.vmaOps#${op}`,
      params: ['words', 'start', 'end'],
      make: () => [[0x73n], 0x1000n, 0x3000n],
      call: (...a) => rawVma[op]!(...a),
    }),
  ),
  ...[...VMA_READS, ...VMA_WRITES, ...VMA_TRY_CLEARS].map(
    (op): SweepEntry => ({
      name: `binding.vmaOps#${op}`,
      params: ['vma'],
      make: () => [rawStorage()],
      call: (v) => rawVma[op]!(v),
    }),
  ),
];

// `noop` and `rawNoop` ignore their arguments (they are the baseline of a
// call into the addon); `flags` and `PLATFORM_SUFFIXES` are constants.
const ARGUMENT_FREE = ['noop', 'rawNoop', 'flags', 'PLATFORM_SUFFIXES'];

describe('every export is in the sweep', () => {
  test('the table covers Object.keys of the entry point', () => {
    const names = TABLE.map((e) => e.name.split(/[#.]/)[0]!).filter((n) => n !== 'NativeArena');
    expect(coverageGaps(api, names, ARGUMENT_FREE)).toEqual({ uncovered: [], unknown: [] });
  });

  test('the table covers every method of a registered arena', () => {
    const methods = Object.keys(registerArena(new VmaFlagsArena(X86, 1))).filter((k) => k !== 'capacity');
    const swept = TABLE.filter((e) => e.name.startsWith('NativeArena#')).map((e) => e.name.slice(12));
    expect(swept.sort()).toEqual(methods.sort());
  });
});

describe('hostile arguments', () => {
  test.each(TABLE.map((e, i) => [`${e.name}(${e.params.join(', ')}) #${i}`, e] as const))('%s', (_, e) => {
    expect(sweepEntry(e, HOSTILE)).toEqual([]);
  });
});

describe('hostile arguments to the addon itself', () => {
  test('X86 is config id 0', () => {
    expect(ID).toBe(0);
  });

  test('the table covers every function of the addon and its helper objects', () => {
    const swept = new Set(RAW_TABLE.map((e) => e.name));
    const expected = [
      ...['internConfig', 'flagsOps', 'vmaOps', 'registerArena'].map((f) => `binding.${f}`),
      ...Object.keys(rawFlags).map((op) => `binding.flagsOps#${op}`),
      ...Object.keys(rawVma).map((op) => `binding.vmaOps#${op}`),
    ];
    expect(expected.filter((n) => !swept.has(n))).toEqual([]);
  });

  test.each(RAW_TABLE.map((e, i) => [`${e.name}(${e.params.join(', ')}) #${i}`, e] as const))('%s', (_, e) => {
    expect(sweepEntry(e, HOSTILE)).toEqual([]);
  });
});

describe('hostile arguments in combination', () => {
  test('every position replaced at once', () => {
    const multi = [...TABLE, ...RAW_TABLE].filter((e) => e.params.length > 1);
    fc.assert(
      fc.property(fc.constantFrom(...multi), fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), (e, picks) => {
        expect(tryHostileCombination(e, HOSTILE, picks), e.name).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });
});
