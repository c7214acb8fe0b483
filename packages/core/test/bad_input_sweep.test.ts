import {
  coverageGaps,
  flagsBackendEntries,
  hostileValues,
  type SweepEntry,
  sweepEntry,
  tryHostile,
  tryHostileCombination,
} from '@vmaflags/tools/bad-input';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';
import type { KernelConfig } from '../src/index.js';

// Every export of the package entry, called validly and then with one argument
// replaced by a hostile value: the call either accepts the value (with a sane
// result) or throws a TypeError/RangeError (or a documented subclass) whose own
// message names the argument, and a mutator that throws leaves its arguments
// as they were.

const {
  MmStruct,
  PRESETS,
  VmAreaDesc,
  VmAreaStruct,
  VmaFlags,
  VmaFlagsArena,
  constVmaFlags,
  mkVmaFlagsIn,
  mmapWriteLock,
  vmaFlagsToWords,
  vmaStartWrite,
  withNumVmaFlagBits,
} = api;

/**
 * The configuration every valid call of the table uses, set by each test
 * before it sweeps: 64-bit one word, 32-bit, and a wide 64-bit bitmap take
 * different paths through the word and bit helpers.
 */
let C: KernelConfig = PRESETS.x86_64;
const CONFIGS: KernelConfig[] = [PRESETS.x86_64, PRESETS.i386, withNumVmaFlagBits(PRESETS.x86_64, 128)];
/** A frozen bitmap of a different config than every valid call uses (128 bits, 32-bit words). */
const FOREIGN = constVmaFlags(withNumVmaFlagBits(PRESETS.i386, 128), [0, 1, 100]);
const HOSTILE = hostileValues([['frozen VmaFlags of a different config', FOREIGN]]);

type Vma = InstanceType<typeof VmAreaStruct>;

const flags = () => mkVmaFlagsIn(C, 0, 1, 4, 5);
const mask = () => mkVmaFlagsIn(C, 0, 4);
/** `coreBackend(C)`, looked up at each call so the entries follow C. */
const backendOfC = Object.fromEntries(
  Object.keys(api.coreBackend(PRESETS.x86_64)).map((op) => [
    op,
    (...a: unknown[]) => (api.coreBackend(C) as unknown as Record<string, (...x: unknown[]) => unknown>)[op]!(...a),
  ]),
);
const words = (f: unknown) => vmaFlagsToWords(f as InstanceType<typeof VmaFlags>);

/** A VMA whose flags may be changed: mmap write-locked, VMA write-locked, attached. */
function writableVma(): Vma {
  const mm = new MmStruct(C);
  const vma = new VmAreaStruct(mm, { start: 0x1000, end: 0x3000, flags: 0x73n });
  mmapWriteLock(mm);
  vmaStartWrite(vma);
  api.vmaMarkAttached(vma);
  return vma;
}

function vmaState(v: unknown): unknown {
  const vma = v as Vma;
  return { words: words(vma.flags), seq: vma.vmLockSeq, refcnt: vma.vmRefcnt, mm: vma.vmMm.mmLockSeq };
}

function lockState(mm: InstanceType<typeof MmStruct>): unknown {
  const l = mm.mmapLock;
  return { readers: l.readers, writer: l.writeLocked, seq: l.seq };
}

function desc() {
  return new VmAreaDesc({ mm: new MmStruct(C), start: 0x1000, end: 0x2000, vmaFlags: 0x73n });
}

const isBool = (r: unknown) => (typeof r === 'boolean' ? undefined : `returned ${String(r)}, not a boolean`);
const isFlags = (r: unknown) => (r instanceof VmaFlags ? undefined : 'did not return a VmaFlags');
const isWord = (r: unknown) =>
  typeof r === 'bigint' && r >= 0n && r < 2n ** 64n ? undefined : `returned ${String(r)}, not a u64 word`;
const isText = (r: unknown) => (typeof r === 'string' && r.length < 4096 ? undefined : 'did not return a short string');

/** A function of the entry taking (first valid value, …rest), with the state of the first argument. */
function entry(
  name: string,
  params: string[],
  make: () => unknown[],
  call: (...a: unknown[]) => unknown,
  more: Partial<SweepEntry> = {},
): SweepEntry {
  return { name, params, make, call, ...more };
}

function errorSane(r: unknown, cls: typeof RangeError | typeof TypeError, a: unknown[]): string | undefined {
  if (!(r instanceof cls)) return `not a ${cls.name}`;
  const quoted = (a[0] as string).length + (a[1] as string).length;
  return r.message.length < quoted + 200 ? undefined : `a message of ${r.message.length} characters`;
}

// The exports by name: the sweep looks every one of them up.
const EXPORTS: Record<string, unknown> = { ...api };
const fn = (name: keyof typeof api) => EXPORTS[name] as (...a: unknown[]) => unknown;

/** Query over a bitmap: (flags, …). */
function flagsQuery(name: keyof typeof api, params: string[], rest: () => unknown[], sane = isBool): SweepEntry {
  return entry(name, params, () => [flags(), ...rest()], fn(name), { sane });
}

/** Mutator of a bitmap: (flags, …), whose first argument must not change when it throws. */
function flagsMutator(name: keyof typeof api, params: string[], rest: () => unknown[]): SweepEntry {
  return entry(name, params, () => [flags(), ...rest()], fn(name), { state: (a) => words(a[0]) });
}

/** A helper over a VMA: (vma, …); the VMA's flags and locks must not change when it throws. */
function vmaCall(name: keyof typeof api, params: string[], rest: () => unknown[], make = writableVma): SweepEntry {
  return entry(name, params, () => [make(), ...rest()], fn(name), { state: (a) => vmaState(a[0]) });
}

/** A helper over a VMA descriptor: (desc, …). */
function descCall(name: keyof typeof api, params: string[], rest: () => unknown[]): SweepEntry {
  return entry(name, params, () => [desc(), ...rest()], fn(name), {
    state: (a) => words((a[0] as InstanceType<typeof VmAreaDesc>).vmaFlags),
  });
}

/** A helper over an mm's lock: (mm, …). */
function mmCall(name: keyof typeof api, params: string[], setup: (mm: InstanceType<typeof MmStruct>) => void) {
  return entry(
    name,
    params,
    () => {
      const mm = new MmStruct(C);
      setup(mm);
      return [mm];
    },
    fn(name),
    { state: (a) => lockState(a[0] as InstanceType<typeof MmStruct>) },
  );
}

/** (config?) → a table. */
function configTable(name: keyof typeof api): SweepEntry {
  return entry(name, ['config'], () => [C], fn(name));
}

const writeLocked = (mm: InstanceType<typeof MmStruct>) => mmapWriteLock(mm);
const readLocked = (mm: InstanceType<typeof MmStruct>) => api.mmapReadLock(mm);
const unlocked = () => {};

function arena() {
  const a = new VmaFlagsArena(C, 4);
  a.setWord(1, 0x73n);
  return a;
}
type Arena = InstanceType<typeof VmaFlagsArena>;

/**
 * `arena.<method>(index, …)`, which must leave the arena as it was when it
 * throws. The arena travels as a hidden last argument so `state` can see it.
 */
function arenaMethod(method: keyof Arena & string, params: string[], rest: () => unknown[]): SweepEntry {
  return entry(
    `VmaFlagsArena#${method}`,
    params,
    () => [1, ...rest(), arena()],
    (...a) => {
      const target = a[a.length - 1] as Arena;
      return (target[method] as (...x: unknown[]) => unknown)(...a.slice(0, -1));
    },
    { state: (a) => [...(a[a.length - 1] as Arena).lanes] },
  );
}

const TABLE: SweepEntry[] = [
  // errors.ts
  // The factories quote `arg` and `allowed` (the caller's own text) whole; only `got` is bounded.
  entry('rangeError', ['arg', 'allowed', 'got'], () => ['x', 'y', 1], fn('rangeError'), {
    sane: (r, a) => errorSane(r, RangeError, a),
  }),
  entry('typeError', ['arg', 'allowed', 'got'], () => ['x', 'y', 1], fn('typeError'), {
    sane: (r, a) => errorSane(r, TypeError, a),
  }),
  entry('describe', ['v'], () => [1], fn('describe'), { sane: isText }),
  // The object is named by `arg`, as the valid call gives it: `value`.
  entry(
    'readObjectArgument',
    ['value', 'arg', 'allowed', 'read'],
    () => [{ a: 1 }, 'value', 'an object', (o: { a: number }) => o.a],
    fn('readObjectArgument'),
  ),
  entry(
    'UndeclaredVmaFlagError',
    ['flagName', 'configName', 'declared'],
    () => ['SAO', 'x86_64', ['READ']],
    (...a) => new api.UndeclaredVmaFlagError(...(a as [string, string, string[]])),
  ),
  entry(
    'VmaLockError',
    ['rule', 'helper', 'message'],
    () => ['lock_state', 'h', 'm'],
    (...a) => new api.VmaLockError(...(a as [api.VmaLockRule, string, string])),
  ),
  // config.ts
  entry('forcedKernelOptions', ['arch'], () => ['parisc'], fn('forcedKernelOptions')),
  entry('defineKernelConfig', ['config'], () => [{ arch: 'x86_64' }], fn('defineKernelConfig')),
  entry(
    'defineKernelConfig',
    ['config.arch'],
    () => ['x86_64'],
    (arch) => api.defineKernelConfig({ arch } as never),
  ),
  entry(
    'defineKernelConfig',
    ['config.numVmaFlagBits'],
    () => [128],
    (n) => api.defineKernelConfig({ arch: 'x86_64', numVmaFlagBits: n } as never),
  ),
  entry(
    'defineKernelConfig',
    ['config.options'],
    () => [{ MMU: true }],
    (options) => api.defineKernelConfig({ arch: 'x86_64', options } as never),
  ),
  entry(
    'defineKernelConfig',
    ['config.name'],
    () => ['mine'],
    (name) => api.defineKernelConfig({ arch: 'x86_64', name } as never),
  ),
  entry('withNumVmaFlagBits', ['config', 'numVmaFlagBits'], () => [C, 128], fn('withNumVmaFlagBits')),
  // is_instance.ts: a guard answers for any value, so every value is a valid call.
  entry('safeIsArray', ['v'], () => [[]], fn('safeIsArray'), { sane: isBool }),
  entry('safeInstanceOf', ['v', 'C'], () => [[], Array], fn('safeInstanceOf'), { sane: isBool }),
  // kconfig.ts
  entry('presetForMachine', ['machine'], () => ['aarch64'], fn('presetForMachine'), {
    sane: (r) => (r === undefined || Object.hasOwn(api.PRESETS, r as string) ? undefined : `returned ${String(r)}`),
  }),
  entry(
    'kernelConfigFromKconfig',
    ['text', 'opts'],
    () => ['CONFIG_X86_64=y\nCONFIG_MMU=y\n', { machine: 'x86_64' }],
    fn('kernelConfigFromKconfig'),
  ),
  entry(
    'kernelConfigFromKconfig',
    ['opts.machine'],
    () => ['x86_64'],
    (machine) => api.kernelConfigFromKconfig('CONFIG_MMU=y\n', { machine } as never),
  ),
  entry(
    'kernelConfigFromKconfig',
    ['opts.numVmaFlagBits'],
    () => [128],
    (numVmaFlagBits) => api.kernelConfigFromKconfig('CONFIG_X86_64=y\n', { numVmaFlagBits } as never),
  ),
  entry(
    'kernelConfigFromKconfig',
    ['opts.name'],
    () => ['mine'],
    (name) => api.kernelConfigFromKconfig('CONFIG_X86_64=y\n', { name } as never),
  ),
  entry('isKernelConfig', ['v'], () => [C], fn('isKernelConfig'), { sane: isBool }),
  // The message names the value by whatever name `arg` gives it, so the two
  // are swept apart (in combination, any string `arg` is the name to expect).
  entry(
    'assertKernelConfig',
    ['config'],
    () => [C],
    (v) => api.assertKernelConfig(v, 'config'),
  ),
  entry(
    'assertKernelConfig',
    ['arg'],
    () => ['config'],
    (arg) => api.assertKernelConfig(C, arg as string),
  ),
  // vma_flags.ts
  entry(
    'VmaFlags',
    ['config'],
    () => [C],
    (c) => new VmaFlags(c as never),
    { sane: isFlags },
  ),
  entry('emptyVmaFlags', ['config'], () => [C], fn('emptyVmaFlags'), { sane: isFlags }),
  entry('isVmaFlags', ['v'], () => [flags()], fn('isVmaFlags'), { sane: isBool }),
  entry('vmaFlagsCopy', ['flags'], () => [flags()], fn('vmaFlagsCopy'), { sane: isFlags }),
  entry('vmaFlagsToWords', ['flags'], () => [flags()], fn('vmaFlagsToWords')),
  entry('vmaFlagsFromWords', ['words', 'config'], () => [[0x73n], C], fn('vmaFlagsFromWords'), { sane: isFlags }),
  entry(
    'vmaFlagsFromWords',
    ['words[0]'],
    () => [0x73n],
    (w) => api.vmaFlagsFromWords([w as bigint]),
    {
      sane: isFlags,
    },
  ),
  entry('mkVmaFlagsIn', ['config', 'bits'], () => [C, 3], fn('mkVmaFlagsIn'), { sane: isFlags }),
  entry('mkVmaFlags', ['bits'], () => [3], fn('mkVmaFlags'), { sane: isFlags }),
  entry('appendVmaFlags', ['base', 'bits'], () => [flags(), 9], fn('appendVmaFlags'), { sane: isFlags }),
  entry('constVmaFlags', ['config', 'bits'], () => [C, [1, 2]], fn('constVmaFlags'), { sane: isFlags }),
  // word_helpers.ts
  flagsMutator('vmaFlagsClearAll', ['flags'], () => []),
  flagsMutator('vmaFlagsOverwriteWord', ['flags', 'value'], () => [0x3n]),
  flagsMutator('vmaFlagsOverwriteWordOnce', ['flags', 'value'], () => [0x3n]),
  flagsMutator('vmaFlagsSetWord', ['flags', 'value'], () => [0x3n]),
  flagsMutator('vmaFlagsClearWord', ['flags', 'value'], () => [0x3n]),
  flagsQuery('vmaFlagsToLegacy', ['flags'], () => [], isWord),
  entry('legacyToVmaFlags', ['value', 'config'], () => [0x73n, C], fn('legacyToVmaFlags'), { sane: isFlags }),
  // bit_helpers.ts
  // Every mask is an element of one list in the messages: masks[0], masks[1], ….
  entry('mkVmaFlagsFromMasks', ['masks', 'masks'], () => [mask(), flags()], fn('mkVmaFlagsFromMasks'), {
    sane: isFlags,
  }),
  flagsQuery('vmaFlagsTest', ['flags', 'bit'], () => [4]),
  flagsQuery('vmaFlagsTestAny', ['flags', 'bits'], () => [4]),
  flagsQuery('vmaFlagsTestAnyMask', ['flags', 'mask'], () => [mask()]),
  flagsQuery('vmaFlagsTestMask', ['flags', 'mask'], () => [mask()]),
  flagsQuery('vmaFlagsTestAll', ['flags', 'bits'], () => [4]),
  flagsQuery('vmaFlagsTestAllMask', ['flags', 'mask'], () => [mask()]),
  flagsQuery('vmaFlagsTestSingleMask', ['flags', 'mask'], () => [mkVmaFlagsIn(C, 4)]),
  flagsQuery(
    'vmaFlagsCount',
    ['flags'],
    () => [],
    (r) => (Number.isInteger(r) && (r as number) >= 0 ? undefined : `counted ${String(r)}`),
  ),
  flagsQuery('vmaFlagsEmpty', ['flags'], () => []),
  flagsQuery('vmaFlagsSamePair', ['a', 'b'], () => [mask()]),
  flagsQuery('vmaFlagsSameMask', ['flags', 'mask'], () => [mask()]),
  flagsQuery('vmaFlagsSame', ['flags', 'bits'], () => [4]),
  flagsQuery('vmaFlagsDiffPair', ['a', 'b'], () => [mask()], isFlags),
  flagsQuery('vmaFlagsAndMask', ['flags', 'mask'], () => [mask()], isFlags),
  flagsQuery('vmaFlagsAnd', ['flags', 'bits'], () => [4], isFlags),
  flagsMutator('vmaFlagsSetFlag', ['flags', 'bit'], () => [9]),
  flagsMutator('vmaFlagSet', ['flags', 'bit'], () => [9]),
  flagsMutator('vmaFlagsSet', ['flags', 'bits'], () => [9]),
  flagsMutator('vmaFlagsSetMask', ['flags', 'mask'], () => [mkVmaFlagsIn(C, 9)]),
  flagsMutator('vmaFlagsClear', ['flags', 'bits'], () => [4]),
  flagsMutator('vmaFlagsClearMask', ['flags', 'mask'], () => [mask()]),
  // arena.ts
  entry(
    'VmaFlagsArena',
    ['config', 'capacity', 'buffer', 'byteOffset'],
    () => [C, 4, new ArrayBuffer(128), 8],
    (...a) => new VmaFlagsArena(...(a as [api.KernelConfig, number])),
  ),
  entry(
    'VmaFlagsArena.byteLength',
    ['config', 'capacity'],
    () => [C, 4],
    (c, n) => VmaFlagsArena.byteLength(c as api.KernelConfig, n as number),
  ),
  arenaMethod('setWord', ['index', 'value'], () => [0x4n]),
  arenaMethod('clearWord', ['index', 'value'], () => [0x1n]),
  arenaMethod('overwriteWord', ['index', 'value'], () => [0x4n]),
  arenaMethod('clearAll', ['index'], () => []),
  arenaMethod('getWord', ['index'], () => []),
  arenaMethod('testBit', ['index', 'bit'], () => [4]),
  arenaMethod('setBit', ['index', 'bit'], () => [9]),
  arenaMethod('clearBit', ['index', 'bit'], () => [0]),
  arenaMethod('testAnyMask', ['index', 'mask'], () => [mask()]),
  arenaMethod('testAllMask', ['index', 'mask'], () => [mask()]),
  arenaMethod('setMask', ['index', 'mask'], () => [mkVmaFlagsIn(C, 9)]),
  arenaMethod('clearMask', ['index', 'mask'], () => [mask()]),
  arenaMethod('load', ['index', 'flags'], () => [flags()]),
  arenaMethod('store', ['index'], () => []),
  arenaMethod('at', ['index'], () => []),
  // core_backend.ts: the FlagsBackend over VmaFlags
  entry('coreBackend', ['config'], () => [C], fn('coreBackend')),
  ...flagsBackendEntries('coreBackend', backendOfC, flags, mask),
  // flag_table.ts, flag_names.ts, default_flags.ts
  entry('initVmFlag', ['bit', 'config'], () => [4, C], fn('initVmFlag'), { sane: isWord }),
  entry('vmaFlagTable', ['config', 'options'], () => [C, {}], fn('vmaFlagTable')),
  entry(
    'vmaFlagTable',
    ['options.readImpliesExec'],
    () => [true],
    (r) => api.vmaFlagTable(C, { readImpliesExec: r as boolean }),
  ),
  entry('vmaFlagBit', ['name', 'config'], () => ['READ', C], fn('vmaFlagBit')),
  entry('taskExecBit', ['readImpliesExec'], () => [false], fn('taskExecBit')),
  configTable('smapVmaFlagMnemonics'),
  configTable('vmaflagNames'),
  configTable('protectionMap'),
  // smaps.ts, format_flags.ts, page_prot.ts
  entry('showSmapVmaFlags', ['flagsOrVma', 'config'], () => [flags(), C], fn('showSmapVmaFlags'), { sane: isText }),
  entry('parseSmapVmaFlags', ['line', 'config'], () => ['VmFlags: rd wr', C], fn('parseSmapVmaFlags'), {
    sane: isFlags,
  }),
  entry('formatVmaFlags', ['flags', 'config'], () => [0x73n, C], fn('formatVmaFlags'), { sane: isText }),
  entry('showVmaFlags', ['flags', 'config'], () => [0x73n, C], fn('showVmaFlags'), { sane: isText }),
  entry('parseVmaFlagNames', ['str', 'config'], () => ['read|write', C], fn('parseVmaFlagNames'), {
    sane: isFlags,
  }),
  entry('vmaGetPageProt', ['flags', 'config'], () => [0x73n, C], fn('vmaGetPageProt')),
  // mm_struct.ts
  entry(
    'MmStruct',
    ['config', 'init'],
    () => [C, { defFlags: 0x73n }],
    (c, i) => new MmStruct(c as never, i as never),
  ),
  entry(
    'MmStruct',
    ['init.defFlags'],
    () => [0x73n],
    (d) => new MmStruct(C, { defFlags: d as bigint }),
  ),
  entry(
    'MmStruct#defFlags',
    ['value'],
    () => [0x3n, new MmStruct(C, { defFlags: 0x73n })],
    (v, mm) => {
      (mm as InstanceType<typeof MmStruct>).defFlags = v as bigint;
    },
    { state: (a) => words((a[1] as InstanceType<typeof MmStruct>).defVmaFlags) },
  ),
  mmCall('mmapReadLock', ['mm'], unlocked),
  mmCall('mmapReadTrylock', ['mm'], unlocked),
  mmCall('mmapReadUnlock', ['mm'], readLocked),
  mmCall('mmapWriteLock', ['mm'], unlocked),
  mmCall('mmapWriteTrylock', ['mm'], unlocked),
  mmCall('mmapWriteUnlock', ['mm'], writeLocked),
  mmCall('mmapWriteDowngrade', ['mm'], writeLocked),
  mmCall('vmaEndWriteAll', ['mm'], writeLocked),
  entry('mmapAssertLocked', ['mm', 'helper'], () => [lockedMm(), 'h'], fn('mmapAssertLocked')),
  entry('mmapAssertWriteLocked', ['mm', 'helper'], () => [lockedMm(), 'h'], fn('mmapAssertWriteLocked')),
  ...mmapLockMethods(),
  // vm_area_struct.ts
  entry(
    'VmAreaStruct',
    ['mm', 'init'],
    () => [new MmStruct(C), { start: 0x1000, end: 0x2000 }],
    (m, i) => new VmAreaStruct(m as never, i as never),
  ),
  ...initFields('VmAreaStruct', { start: 0x1000, end: 0x2000, pgoff: 1, flags: 0x73n }, (init) => {
    return new VmAreaStruct(new MmStruct(C), init as never);
  }),
  entry('vmAreaAlloc', ['mm'], () => [new MmStruct(C)], fn('vmAreaAlloc')),
  entry('vmAreaDup', ['vma'], () => [writableVma()], fn('vmAreaDup')),
  vmaCall('vmaTest', ['vma', 'bit'], () => [0]),
  vmaCall('vmaTestAny', ['vma', 'bits'], () => [0]),
  vmaCall('vmaTestAnyMask', ['vma', 'mask'], () => [mask()]),
  vmaCall('vmaTestAll', ['vma', 'bits'], () => [0]),
  vmaCall('vmaTestAllFlags', ['vma', 'bits'], () => [0]),
  vmaCall('vmaTestAllMask', ['vma', 'mask'], () => [mask()]),
  vmaCall('vmaTestAllFlagsMask', ['vma', 'mask'], () => [mask()]),
  vmaCall('vmaTestSingleMask', ['vma', 'mask'], () => [mkVmaFlagsIn(C, 0)]),
  vmaCall('vmaSetFlags', ['vma', 'bits'], () => [9]),
  vmaCall('vmaSetFlagsMask', ['vma', 'mask'], () => [mkVmaFlagsIn(C, 9)]),
  vmaCall('vmaClearFlags', ['vma', 'bits'], () => [0]),
  vmaCall('vmaClearFlagsMask', ['vma', 'mask'], () => [mask()]),
  entry('isSharedMaywrite', ['flags'], () => [flags()], fn('isSharedMaywrite'), { sane: isBool }),
  entry('isSharedMaywriteVmFlags', ['vmFlags', 'config'], () => [0x73n, C], fn('isSharedMaywriteVmFlags'), {
    sane: isBool,
  }),
  vmaCall('vmaIsSharedMaywrite', ['vma'], () => []),
  vmaCall('vmaIsAccessible', ['vma'], () => []),
  // vm_area_desc.ts
  entry(
    'VmAreaDesc',
    ['init'],
    () => [{ mm: new MmStruct(C), start: 0, end: 0x1000 }],
    (i) => new VmAreaDesc(i as never),
  ),
  ...initFields('VmAreaDesc', { start: 0x1000, end: 0x2000, pgoff: 1, vmaFlags: 0x73n, pageProt: 0n }, (init) => {
    return new VmAreaDesc({ mm: new MmStruct(C), ...(init as object) } as never);
  }),
  entry(
    'VmAreaDesc',
    ['init.mm'],
    () => [new MmStruct(C)],
    (mm) => new VmAreaDesc({ mm, start: 0, end: 0 } as never),
  ),
  descCall('vmaDescTest', ['desc', 'bit'], () => [0]),
  descCall('vmaDescTestAny', ['desc', 'bits'], () => [0]),
  descCall('vmaDescTestFlags', ['desc', 'bits'], () => [0]),
  descCall('vmaDescTestAnyMask', ['desc', 'mask'], () => [mask()]),
  descCall('vmaDescTestFlagsMask', ['desc', 'mask'], () => [mask()]),
  descCall('vmaDescTestAll', ['desc', 'bits'], () => [0]),
  descCall('vmaDescTestAllMask', ['desc', 'mask'], () => [mask()]),
  descCall('vmaDescSetFlags', ['desc', 'bits'], () => [9]),
  descCall('vmaDescSetFlagsMask', ['desc', 'mask'], () => [mkVmaFlagsIn(C, 9)]),
  descCall('vmaDescClearFlags', ['desc', 'bits'], () => [0]),
  descCall('vmaDescClearFlagsMask', ['desc', 'mask'], () => [mask()]),
  // vma_lock.ts
  vmaCall('__isVmaWriteLocked', ['vma'], () => []),
  vmaCall('vmaLockInit', ['vma', 'resetRefcnt'], () => [false], detachedVma),
  vmaCall('vmaStartWrite', ['vma', 'helper'], () => ['h']),
  vmaCall('vmaStartWriteKillable', ['vma'], () => []),
  vmaCall('vmaAssertWriteLocked', ['vma', 'helper'], () => ['h']),
  vmaCall('vmaIsAttached', ['vma'], () => []),
  vmaCall('vmaAssertLocked', ['vma', 'helper'], () => ['h']),
  vmaCall('vmaAssertStabilised', ['vma', 'helper'], () => ['h']),
  vmaCall('vmaAssertAttached', ['vma', 'helper'], () => ['h']),
  vmaCall('vmaAssertDetached', ['vma', 'helper'], () => ['h'], detachedVma),
  vmaCall('vmaAssertCanModify', ['vma', 'helper'], () => ['h']),
  vmaCall('vmaMarkAttached', ['vma'], () => [], detachedWriteLockedVma),
  vmaCall('vmaMarkDetached', ['vma'], () => []),
  vmaCall('vmaStartRead', ['vma'], () => [], attachedUnlockedVma),
  vmaCall('vmaStartReadLocked', ['vma'], () => [], mmapReadLockedVma),
  vmaCall('vmaEndRead', ['vma'], () => [], readLockedVma),
  // vm_flags.ts
  vmaCall('vmFlagsInit', ['vma', 'flags'], () => [0x3n], detachedVma),
  vmaCall('vmFlagsReset', ['vma', 'flags'], () => [0x3n]),
  vmaCall('vmFlagsResetOnce', ['vma', 'flags'], () => [0x3n]),
  vmaCall('vmaFlagsResetOnce', ['vma', 'flags'], () => [mkVmaFlagsIn(C, 1)]),
  vmaCall('vmFlagsSet', ['vma', 'flags'], () => [0x4n]),
  vmaCall('vmFlagsClear', ['vma', 'flags'], () => [0x1n]),
  vmaCall('__vmFlagsMod', ['vma', 'set', 'clear'], () => [0x4n, 0x1n]),
  vmaCall('vmFlagsMod', ['vma', 'set', 'clear'], () => [0x4n, 0x1n]),
  // atomic_flags.ts
  vmaCall('__vmaAtomicValidFlag', ['vma', 'bit'], () => [api.VMA_MAYBE_GUARD_BIT]),
  vmaCall('vmaSetAtomicFlag', ['vma', 'bit'], () => [api.VMA_MAYBE_GUARD_BIT]),
  vmaCall('vmaFlagSetAtomic', ['vma', 'bit'], () => [api.VMA_MAYBE_GUARD_BIT]),
  vmaCall('vmaTestAtomicFlag', ['vma', 'bit'], () => [api.VMA_MAYBE_GUARD_BIT]),
  vmaCall('vmaFlagTestAtomic', ['vma', 'bit'], () => [api.VMA_MAYBE_GUARD_BIT]),
];

function lockedMm() {
  const mm = new MmStruct(C);
  mmapWriteLock(mm);
  return mm;
}

function detachedVma(): Vma {
  return new VmAreaStruct(new MmStruct(C), { start: 0x1000, end: 0x3000, flags: 0x73n });
}

function detachedWriteLockedVma(): Vma {
  const vma = detachedVma();
  mmapWriteLock(vma.vmMm);
  vmaStartWrite(vma);
  return vma;
}

function attachedUnlockedVma(): Vma {
  const vma = writableVma();
  api.mmapWriteUnlock(vma.vmMm);
  return vma;
}

function mmapReadLockedVma(): Vma {
  const vma = attachedUnlockedVma();
  api.mmapReadLock(vma.vmMm);
  return vma;
}

function readLockedVma(): Vma {
  const vma = attachedUnlockedVma();
  api.vmaStartRead(vma);
  return vma;
}

/** One entry per field of an init object, the others kept valid. */
function initFields(name: string, valid: Record<string, unknown>, build: (init: unknown) => unknown): SweepEntry[] {
  return Object.keys(valid).map((key) =>
    entry(
      name,
      [`init.${key}`],
      () => [valid[key]],
      (v) => build({ ...valid, [key]: v }),
    ),
  );
}

/** The methods of `MmStruct#mmapLock` that take a helper name, each called where it succeeds. */
function mmapLockMethods(): SweepEntry[] {
  type Lock = InstanceType<typeof api.MmapLock>;
  const methods: [keyof Lock & string, (mm: InstanceType<typeof MmStruct>) => void][] = [
    ['readLock', unlocked],
    ['readUnlock', readLocked],
    ['writeLock', unlocked],
    ['endWriteAll', writeLocked],
    ['writeUnlock', writeLocked],
    ['writeDowngrade', writeLocked],
  ];
  return methods.map(([method, setup]) =>
    entry(
      `MmapLock#${method}`,
      ['helper'],
      () => {
        const mm = new MmStruct(C);
        setup(mm);
        return ['h', mm];
      },
      (helper, mm) => ((mm as InstanceType<typeof MmStruct>).mmapLock[method] as (h: unknown) => unknown)(helper),
    ),
  );
}

// Exports that take no arguments (the MmapLock constructor) or are constants
// and tables: nothing to substitute. A new export must land in TABLE or here.
const ARGUMENT_FREE = [
  'MmapLock',
  'DEFAULT_CONFIG',
  'PRESETS',
  'ARCHES',
  'KERNEL_CONFIG_OPTION_NAMES',
  'MAX_NUM_VMA_FLAG_BITS',
  'KERNEL_CONFIG_NAME_MAX_LENGTH',
  'EMPTY_VMA_FLAGS',
  'NUM_DECLARED_VMA_FLAG_BITS',
  'UINT_MAX',
  'SMAPS_UNKNOWN_MNEMONIC',
  'VM_FLAG_NAMES',
  'VM_COMPOSITE_NAMES',
  'VMA_FLAGS_NAMES',
  'ARCH_VM_PKEY_FLAGS',
  'TASK_EXEC',
];
/** Flag constants: `VM_*` words, `VMA_*_BIT` numbers and `VMA_*_FLAGS` bitmaps. */
const isFlagConstant = (k: string) => /^(VM_[A-Z0-9_]+|VMA_[A-Z0-9_]+)$/.test(k);

describe('every export is in the sweep', () => {
  test('the table covers Object.keys of the entry point', () => {
    const constants = Object.keys(api).filter(isFlagConstant);
    for (const k of constants) expect(typeof (api as Record<string, unknown>)[k]).not.toBe('function');
    const gaps = coverageGaps(
      api,
      TABLE.map((e) => e.name.split(/[#.]/)[0]!),
      [...ARGUMENT_FREE, ...constants],
    );
    expect(gaps).toEqual({ uncovered: [], unknown: [] });
  });
});

describe.each(CONFIGS.map((c) => [c.key, c] as const))('hostile arguments, config %s', (_key, config) => {
  test.each(TABLE.map((e, i) => [`${e.name}(${e.params.join(', ')}) #${i}`, e] as const))('%s', (_, e) => {
    C = config;
    expect(sweepEntry(e, HOSTILE)).toEqual([]);
  });
});

describe('hostile arguments in combination', () => {
  test('every position replaced at once', () => {
    const multi = TABLE.filter((e) => e.params.length > 1);
    fc.assert(
      fc.property(
        fc.constantFrom(...CONFIGS),
        fc.constantFrom(...multi),
        fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
        (config, e, picks) => {
          C = config;
          expect(tryHostileCombination(e, HOSTILE, picks), `${e.name} (${config.key})`).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a sweep failure is reported, not swallowed', () => {
    const broken: SweepEntry = { name: 'broken', params: ['x'], make: () => [1], call: (x) => (x as string).length };
    expect(tryHostile(broken, 0, null)).toMatch(/Cannot read properties/);
  });
});
