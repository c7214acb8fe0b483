import { PRESETS, constVmaFlags, withNumVmaFlagBits } from '@vmaflags/core';
import { VMA_ITERATOR, type VmAreaStruct, forEachVma } from '@vmaflags/mm';
import {
  coverageGaps,
  hostileValues,
  type SweepEntry,
  sweepEntry,
  tryHostileCombination,
} from '@vmaflags/tools/bad-input';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as api from '../src/index.js';

// Every export of the package entry, called validly and then with one argument
// (or one field of an op or options object) replaced by a hostile value: the
// call accepts it or throws a TypeError/RangeError (ScenarioError and
// UnsupportedOptionError are those) naming it, and an AddressSpace method
// that throws leaves the address space exactly as it was.

const { AddressSpace } = api;
type Space = InstanceType<typeof AddressSpace>;

const FOREIGN = constVmaFlags(withNumVmaFlagBits(PRESETS.i386, 128), [0, 1, 100]);
const HOSTILE = hostileValues([['frozen VmaFlags of a different config', FOREIGN]]);

/** Four read-write anonymous pages at page 0 and an open file `fd0`, for every method to work on. */
function space(): Space {
  const as = new AddressSpace();
  as.mmap({ page: 0, pages: 4, prot: ['read', 'write'], flags: ['private', 'anonymous', 'fixed'] });
  as.createFile({ file: 'file0', pages: 4 });
  as.open({ file: 'file0', fd: 'fd0', mode: 'rdwr' });
  return as;
}

/** Everything observable of an address space: its VMAs, a child's, and the files and fds it knows. */
function observe(as: Space): unknown {
  // The file table is private to the class; the test reads it to see that a refused op created nothing.
  const files = (as as unknown as { files: { inodes: Map<string, unknown>; fds: Map<string, unknown> } }).files;
  return { vmas: as.vmas(), fork: as.fork().vmas(), files: [...files.inodes.keys()], fds: [...files.fds.keys()] };
}

/** Valid ops of each AddressSpace method (the op object without its `op` name). */
const OPS: [keyof Space & string, Record<string, unknown>][] = [
  ['createFile', { file: 'file1', pages: 2 }],
  ['open', { file: 'file0', fd: 'fd1', mode: 'rdonly' }],
  ['mmap', { page: 8, pages: 2, prot: ['read'], flags: ['shared', 'fixed'], fd: 'fd0', offset_pages: 1 }],
  ['munmap', { page: 1, pages: 1 }],
  ['mprotect', { page: 1, pages: 1, prot: ['read'] }],
  ['madvise', { page: 1, pages: 1, advice: 'dontfork' }],
  ['mlock', { page: 1, pages: 1 }],
  ['mlock2Onfault', { page: 1, pages: 1 }],
  ['munlock', { page: 1, pages: 1 }],
  ['mlockall', { flags: ['current'] }],
  ['mremap', { page: 0, pages: 1, new_pages: 2, flags: ['maymove'] }],
  ['mseal', { page: 1, pages: 1 }],
  ['touch', { page: 1, pages: 1 }],
  ['touchRead', { page: 1, pages: 1 }],
];

/** `as.<method>(op)` with the whole op hostile, then each field of it. */
function methodEntries(method: keyof Space & string, op: Record<string, unknown>): SweepEntry[] {
  const run = (as: unknown, o: unknown) => ((as as Space)[method] as (x: unknown) => unknown).call(as, o);
  const state = (a: unknown[]) => observe(a[a.length - 1] as Space);
  return [
    {
      name: `AddressSpace#${method}`,
      params: ['op'],
      alsoNamed: Object.keys(op),
      make: () => [{ ...op }, space()],
      call: (o, as) => run(as, o),
      state,
    },
    ...Object.keys(op).map(
      (field): SweepEntry => ({
        name: `AddressSpace#${method}`,
        params: [field],
        make: () => [op[field], space()],
        call: (v, as) => run(as, { ...op, [field]: v }),
        state,
      }),
    ),
  ];
}

const mmapOp = { op: 'mmap', page: 0, pages: 2, prot: ['read'], flags: ['private', 'anonymous', 'fixed'] };
const scenario = () => ({ name: 'x', ops: [{ ...mmapOp }] });

/** Each documented field of AddressSpaceOptions, valid, as `new AddressSpace({ [field]: value })` takes it. */
const OPTIONS: Record<string, unknown> = {
  config: api.X86_64_6_18,
  backend: 'core',
  overcommitMemory: 1,
  thp: 'madvise',
  noexecFiles: false,
  maxMapCount: 65530,
  stackGuardGap: 256,
  capIpcLock: false,
  rlimitMemlock: 2048,
  rlimitStack: 2048,
  totalPages: 1 << 20,
  kernelVersion: '6.18',
  debugVm: false,
};

const OPTION_NAMES = Object.keys(OPTIONS);
/** What a scenario's messages may name instead of the scenario: its fields and those of its ops. */
const SCENARIO_FIELDS = ['name', 'ops', 'op', 'line', ...Object.keys(mmapOp)];

/** The first VMA of a fresh address space (its four anonymous pages at page 0). */
function firstVma(as: Space): VmAreaStruct {
  for (const vma of forEachVma(VMA_ITERATOR(as.mm, api.WINDOW_BASE))) return vma;
  throw new Error('the address space has no VMA');
}

const vmaState = (vma: VmAreaStruct) => ({ file: vma.vmFile, ops: vma.vmOps, range: [vma.vmStart, vma.vmEnd] });
const inode = () => ({ label: 'file9', iSize: 4096, mapping: { iMmapWritable: 0, flags: 0 } });

const TABLE: SweepEntry[] = [
  {
    name: 'AddressSpace',
    params: ['options', 'files'],
    alsoNamed: OPTION_NAMES,
    make: () => [{}, undefined],
    call: (o, f) => new AddressSpace(o as never, f as never),
  },
  ...OPTION_NAMES.map(
    (field): SweepEntry => ({
      name: 'AddressSpace',
      params: [field],
      make: () => [OPTIONS[field]],
      call: (v) => new AddressSpace({ [field]: v }),
    }),
  ),
  ...OPS.flatMap(([method, op]) => methodEntries(method, op)),
  {
    name: 'AddressSpace#apply',
    params: ['op', 'opIndex', 'line'],
    alsoNamed: ['page', 'pages'],
    make: () => [{ op: 'munmap', page: 1, pages: 1 }, 0, 1, space()],
    call: (o, i, l, as) => (as as Space).apply(o, i as number, l as number),
    state: (a) => observe(a[3] as Space),
  },
  {
    name: 'resolveOptions',
    params: ['options'],
    alsoNamed: OPTION_NAMES,
    make: () => [{}],
    call: (o) => api.resolveOptions(o as never),
  },
  { name: 'kernelFeatures', params: ['version'], make: () => ['6.18'], call: (v) => api.kernelFeatures(v as never) },
  { name: 'errnoName', params: ['errno'], make: () => [12], call: (e) => api.errnoName(e as number) },
  {
    name: 'parseScenario',
    params: ['scenario', 'line'],
    alsoNamed: SCENARIO_FIELDS,
    make: () => [scenario(), 1],
    call: (s, l) => api.parseScenario(s, l as number),
  },
  {
    name: 'parseOp',
    params: ['op', 'where'],
    alsoNamed: Object.keys(mmapOp),
    make: () => [{ ...mmapOp }, { line: 1, opIndex: 0 }],
    call: (o, w) => api.parseOp(o, w as never),
  },
  {
    // The op's name and its fields are both `op` in the scenario format.
    name: 'parseOpFields',
    params: ['op', 'op', 'where'],
    alsoNamed: ['page', 'pages'],
    make: () => ['munmap', { page: 1, pages: 1 }, {}],
    call: (n, o, w) => api.parseOpFields(n as never, o as never, w as never),
  },
  {
    name: 'replay',
    params: ['scenario', 'options', 'line'],
    alsoNamed: [...SCENARIO_FIELDS, ...OPTION_NAMES],
    make: () => [scenario(), {}, 1],
    call: (s, o, l) => api.replay(s, o as never, l as number),
  },
  {
    name: 'replayLine',
    params: ['text', 'lineNo', 'options'],
    alsoNamed: [...SCENARIO_FIELDS, ...OPTION_NAMES],
    make: () => [JSON.stringify(scenario()), 1, {}],
    call: (t, l, o) => api.replayLine(t as string, l as number, o as never),
  },
  {
    name: 'replayJsonl',
    params: ['text', 'options'],
    alsoNamed: [...SCENARIO_FIELDS, ...OPTION_NAMES],
    make: () => [JSON.stringify(scenario()), {}],
    call: (t, o) => api.replayJsonl(t as string, o as never),
  },
  {
    name: 'ScenarioError',
    params: ['at', 'allowed', 'got'],
    make: () => [{ field: 'page', opIndex: 0 }, 'a page', -1],
    call: (at, a, g) => new api.ScenarioError(at as never, a as string, g),
  },
  {
    name: 'UnsupportedOptionError',
    params: ['option', 'allowed', 'got'],
    make: () => ['thp', 'a mode', 1],
    call: (o, a, g) => new api.UnsupportedOptionError(o as string, a as string, g),
  },
  { name: 'SimulatorBug', params: ['what'], make: () => ['x'], call: (w) => new api.SimulatorBug(w as string) },
  {
    name: 'openFile',
    params: ['inode', 'writable', 'noexec'],
    alsoNamed: ['inode.label', 'inode.iSize', 'inode.mapping'],
    make: () => [inode(), true, false],
    call: (i, w, n) => api.openFile(i as never, w as boolean, n as boolean),
  },
  {
    name: 'shmemZeroSetup',
    params: ['vma'],
    make: () => [firstVma(space())],
    call: (v) => api.shmemZeroSetup(v as VmAreaStruct),
    state: (a) => vmaState(a[0] as VmAreaStruct),
  },
  {
    name: 'vmaView',
    params: ['b', 'vma'],
    make: () => {
      const as = space();
      return [as.backend, firstVma(as)];
    },
    call: (b, v) => api.vmaView(b as never, v as VmAreaStruct),
  },
  {
    name: 'KernelVmaInternal',
    params: ['o'],
    alsoNamed: OPTION_NAMES,
    make: () => [api.resolveOptions({})],
    call: (o) => new api.KernelVmaInternal(o as never),
  },
  ...(
    [
      ['securityVmEnoughMemoryMm', ['mm', 'pages'], (as: Space) => [as.mm, 4]],
      ['vmAcctMemory', ['pages'], () => [4]],
      ['capable', ['cap'], () => [14]],
      ['rlimit', ['resource'], () => [8]],
    ] as const
  ).map(
    ([method, params, args]): SweepEntry => ({
      name: `KernelVmaInternal#${method}`,
      params,
      make: () => {
        const as = space();
        return [...args(as), as.internal];
      },
      call: (...a) => {
        const internal = a[a.length - 1] as InstanceType<typeof api.KernelVmaInternal>;
        return (internal[method] as (...x: unknown[]) => unknown)(...a.slice(0, -1));
      },
      state: (a) => (a[a.length - 1] as InstanceType<typeof api.KernelVmaInternal>).committed,
    }),
  ),
  ...hookEntries(),
  { name: 'isSimFile', params: ['v'], make: () => [simFile()], call: (v) => api.isSimFile(v) },
  ...(['warn', 'bug'] as const).map(
    (method): SweepEntry => ({
      // Always throws: a SimulatorBug for a string, a TypeError naming `what` otherwise.
      name: `KernelVmaInternal#${method}`,
      params: ['what'],
      classes: [TypeError, api.SimulatorBug],
      make: () => ['x'],
      call: (w) => {
        try {
          space().internal[method](w as string);
        } catch (e) {
          if (e instanceof api.SimulatorBug) return e;
          throw e;
        }
      },
    }),
  ),
];

function simFile() {
  return api.openFile(inode(), true, false);
}

/** The VmaInternal hooks a valid call can reach without a VMA operation in progress. */
function hookEntries(): SweepEntry[] {
  type Internal = InstanceType<typeof api.KernelVmaInternal>;
  const vmaHooks = [
    'vmaStartWrite',
    'unlinkAnonVmas',
    '__anonVmaPrepare',
    'vmaSoftDirtyEnabled',
    'vmaSupportsMlock',
    'userfaultfdWp',
    'isVmHugetlbPage',
    'vmaClose',
    'shmemZeroSetup',
  ] as const;
  const hooks: [keyof Internal & string, string[], (as: Space, vma: VmAreaStruct) => unknown[]][] = [
    ...vmaHooks.map((h): [keyof Internal & string, string[], (as: Space, vma: VmAreaStruct) => unknown[]] => [
      h,
      ['vma'],
      (_as, vma) => [vma],
    ]),
    ['vmAreaAlloc', ['vma'], (_as, vma) => [vma]],
    ['vmAreaFree', ['vma'], (_as, vma) => [vma]],
    ['getFile', ['file'], () => [simFile()]],
    ['fileReferences', ['file'], () => [simFile()]],
    ['vmaDupPolicy', ['src', 'dst'], (_as, vma) => [vma, vma]],
    ['mpolPut', ['pol'], () => [null]],
    ['userfaultfdUnmapPrep', ['vma'], (_as, vma) => [vma, vma.vmStart, vma.vmEnd, null]],
    ['mayExpandVm', ['mm', 'flags', 'npages'], (as, vma) => [as.mm, vma.flags, 1]],
    ['pgtableSupportsSoftDirty', ['mm'], (as) => [as.mm]],
    ['ksmVmaFlags', ['mm', 'file'], (as) => [as.mm, null]],
    ['khugepagedEnterVma', ['vma'], (_as, vma) => [vma]],
    ['mmapFile', ['file', 'vma'], (_as, vma) => [simFile(), vma]],
    ['shmemFile', ['file'], () => [simFile()]],
    ['isFileHugepages', ['file'], () => [simFile()]],
  ];
  return hooks.map(
    ([method, params, args]): SweepEntry => ({
      name: `KernelVmaInternal#${method}`,
      params,
      make: () => {
        const as = space();
        return [...args(as, firstVma(as)), as.internal];
      },
      call: (...a) => {
        const internal = a[a.length - 1] as Internal;
        return (internal[method] as (...x: unknown[]) => unknown)(...a.slice(0, -1));
      },
    }),
  );
}

// TypeScript-private helpers of AddressSpace (the run* ops are private too).
const PRIVATE_METHODS = ['check', 'access', 'after'];

// anon_vma_clone has a valid call only for a VMA being split or copied, in
// the middle of that operation; its arguments are checked like the others'
// (test/bad_input.test.ts covers it).
// fput drops a reference a VMA holds: a valid call needs one taken first, and
// a file the simulation never referenced is a SimulatorBug, not bad input.
const MM_HOOKS = ['anonVmaClone', 'fput'];

// Constants and the vocabulary tables of the scenario format.
const ARGUMENT_FREE = [
  'ADVICE',
  'KERNEL_VERSIONS',
  'MAP_MODIFIERS',
  'MAP_TYPES',
  'MAX_OFFSET_PAGES',
  'MLOCKALL_FLAGS',
  'MREMAP_FLAGS',
  'OPEN_MODES',
  'OP_NAMES',
  'OUTPUT_OP_KEYS',
  'PROTS',
  'WINDOW_BASE',
  'WINDOW_PAGES',
  'X86_64_6_18',
];

describe('every export is in the sweep', () => {
  test('the table covers Object.keys of the entry point', () => {
    const names = TABLE.map((e) => e.name.split('#')[0]!);
    expect(coverageGaps(api, names, ARGUMENT_FREE)).toEqual({ uncovered: [], unknown: [] });
  });

  test('the table covers every AddressSpace method that takes an argument', () => {
    const methods = Object.getOwnPropertyNames(AddressSpace.prototype).filter(
      (m) => m !== 'constructor' && (AddressSpace.prototype as never as Record<string, () => unknown>)[m]!.length > 0,
    );
    const swept = new Set(TABLE.filter((e) => e.name.startsWith('AddressSpace#')).map((e) => e.name.slice(13)));
    expect(methods.filter((m) => !PRIVATE_METHODS.includes(m) && !m.startsWith('run') && !swept.has(m))).toEqual([]);
  });

  test('every KernelVmaInternal method is swept or a hook of @vmaflags/mm', () => {
    const methods = Object.getOwnPropertyNames(api.KernelVmaInternal.prototype).filter((m) => m !== 'constructor');
    const swept = TABLE.filter((e) => e.name.startsWith('KernelVmaInternal#')).map((e) => e.name.slice(18));
    expect(methods.filter((m) => !swept.includes(m) && !MM_HOOKS.includes(m))).toEqual([]);
  });
});

describe('hostile arguments', () => {
  test.each(TABLE.map((e, i) => [`${e.name}(${e.params.join(', ')}) #${i}`, e] as const))('%s', (_, e) => {
    expect(sweepEntry(e, HOSTILE)).toEqual([]);
  });
});

describe('hostile arguments in combination', () => {
  test('every position replaced at once', () => {
    const multi = TABLE.filter((e) => e.params.length > 1);
    fc.assert(
      fc.property(fc.constantFrom(...multi), fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), (e, picks) => {
        expect(tryHostileCombination(e, HOSTILE, picks), e.name).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });
});
