import { describe, expect, test } from 'vitest';
import { VMA_ITERATOR, forEachVma } from '@vmaflags/mm';
import { AddressSpace, ScenarioError, UnsupportedOptionError, WINDOW_BASE, replay, replayLine } from '../src/index.js';

// Malformed input is a typed error naming where and what is allowed, and
// leaves the address space exactly as it was.

const mmap = { op: 'mmap', page: 0, pages: 4, prot: ['read', 'write'], flags: ['private', 'anonymous', 'fixed'] };

function expectScenarioError(fn: () => unknown, field: string, opIndex?: number, line?: number): ScenarioError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ScenarioError);
  expect(caught).toBeInstanceOf(TypeError);
  const e = caught as ScenarioError;
  expect(e.field).toBe(field);
  expect(e.opIndex).toBe(opIndex);
  expect(e.line).toBe(line);
  expect(e.message).toContain(field);
  if (opIndex !== undefined) expect(e.message).toContain(`op ${opIndex}`);
  if (line !== undefined) expect(e.message).toContain(`line ${line}`);
  return e;
}

describe('malformed scenarios', () => {
  const cases: [string, unknown, string, number | undefined][] = [
    ['unknown op', { name: 'x', ops: [{ op: 'mmapp' }] }, 'op', 0],
    ['unknown field', { name: 'x', ops: [{ ...mmap, colour: 1 }] }, 'colour', 0],
    ['missing field', { name: 'x', ops: [{ op: 'munmap', page: 0 }] }, 'pages', 0],
    ['pages 0', { name: 'x', ops: [{ op: 'munmap', page: 0, pages: 0 }] }, 'pages', 0],
    ['negative pages', { name: 'x', ops: [{ op: 'munmap', page: 0, pages: -1 }] }, 'pages', 0],
    ['page outside the window', { name: 'x', ops: [{ op: 'munmap', page: 2 ** 20, pages: 1 }] }, 'page', 0],
    ['range past the window', { name: 'x', ops: [{ op: 'munmap', page: 2 ** 20 - 1, pages: 2 }] }, 'pages', 0],
    ['fractional page', { name: 'x', ops: [{ op: 'munmap', page: 0.5, pages: 1 }] }, 'page', 0],
    ['string pages', { name: 'x', ops: [{ op: 'munmap', page: 0, pages: '1' }] }, 'pages', 0],
    ['prot out of order', { name: 'x', ops: [{ ...mmap, prot: ['write', 'read'] }] }, 'prot', 0],
    ['two map types', { name: 'x', ops: [{ ...mmap, flags: ['private', 'shared'] }] }, 'flags', 0],
    [
      'unknown advice',
      { name: 'x', ops: [mmap, { op: 'madvise', page: 0, pages: 1, advice: 'sometimes' }] },
      'advice',
      1,
    ],
    ['fd never opened', { name: 'x', ops: [{ ...mmap, flags: ['private', 'fixed'], fd: 'a' }] }, 'fd', 0],
    [
      'file created twice',
      {
        name: 'x',
        ops: [
          { op: 'create_file', file: 'file0', pages: 1 },
          { op: 'create_file', file: 'file0', pages: 1 },
        ],
      },
      'file',
      1,
    ],
    [
      'fixed mremap without new_page',
      { name: 'x', ops: [mmap, { op: 'mremap', page: 0, pages: 1, new_pages: 1, flags: ['maymove', 'fixed'] }] },
      'new_page',
      1,
    ],
    ['no name', { ops: [] }, 'name', undefined],
    ['unknown scenario key', { name: 'x', ops: [], when: 1 }, 'when', undefined],
  ];
  test.each(cases)('%s', (_what, scenario, field, opIndex) => {
    expectScenarioError(() => replay(scenario), field, opIndex);
  });

  test('a JSONL line names its line number', () => {
    expectScenarioError(
      () => replayLine(JSON.stringify({ name: 'x', ops: [mmap, { op: 'touch', page: 0 }] }), 7),
      'pages',
      1,
      7,
    );
    expectScenarioError(() => replayLine('{"name":', 3), 'line', undefined, 3);
  });

  test('the message lists the allowed values', () => {
    const e = expectScenarioError(
      () => replay({ name: 'x', ops: [{ op: 'mlockall', flags: ['sometimes'] }] }),
      'flags',
      0,
    );
    expect(e.message).toContain('"current", "future", "onfault"');
  });
});

describe('a bad op leaves the address space unchanged', () => {
  test.each([
    { op: 'munmap', page: 0, pages: 0 },
    { op: 'mprotect', page: 0, pages: 2, prot: ['exec', 'read'] },
    { op: 'madvise', page: 0, pages: 2, advice: 'hugepages' },
    { op: 'mmap', page: 2 ** 20 - 1, pages: 4, prot: [], flags: ['private', 'anonymous', 'fixed'] },
    { op: 'mmap', page: 0, pages: 4, prot: [], flags: ['shared', 'fixed'], fd: 'nope' },
  ])('%j', (bad) => {
    const space = new AddressSpace();
    space.apply(mmap, 0);
    space.apply({ op: 'mprotect', page: 1, pages: 1, prot: ['read'] }, 1);
    const before = JSON.stringify(space.vmas());
    const mapCount = space.mm.mapCount;
    const totalVm = space.mm.totalVm;
    expect(() => space.apply(bad, 2)).toThrow(ScenarioError);
    expect(JSON.stringify(space.vmas())).toBe(before);
    expect(space.mm.mapCount).toBe(mapCount);
    expect(space.mm.totalVm).toBe(totalVm);
  });
});

describe('options', () => {
  test.each([
    [{ overcommitMemory: 2 }, 'overcommitMemory'],
    [{ backend: 'wasm' }, 'backend'],
    [{ thp: 'sometimes' }, 'thp'],
    [{ maxMapCount: -1 }, 'maxMapCount'],
    [{ kernelVersion: '6.12' }, 'kernelVersion'],
  ])('%j is refused', (options, name) => {
    expect(() => new AddressSpace(options as never)).toThrow(UnsupportedOptionError);
    expect(() => new AddressSpace(options as never)).toThrow(name);
  });
});

describe('the methods check their arguments too', () => {
  test('a bad range is a ScenarioError and changes nothing', () => {
    const space = new AddressSpace();
    space.mmap({ page: 0, pages: 4, prot: ['read', 'write'], flags: ['private', 'anonymous', 'fixed'] });
    const before = JSON.stringify(space.vmas());
    expect(() => space.munmap({ page: 0, pages: 0 })).toThrow(ScenarioError);
    expect(() => space.mprotect({ page: -1, pages: 1, prot: [] })).toThrow(ScenarioError);
    expect(() => space.madvise({ page: 0, pages: 1, advice: 'often' as never })).toThrow(ScenarioError);
    expect(() =>
      space.mmap({ page: 0, pages: 1, prot: ['write', 'read'] as never, flags: ['private', 'anonymous'] }),
    ).toThrow(ScenarioError);
    expect(() => space.touch({ page: 2 ** 20, pages: 1 })).toThrow(ScenarioError);
    expect(JSON.stringify(space.vmas())).toBe(before);
  });
});

describe('the kernel hooks check their arguments', () => {
  test('anon_vma_clone names dst, src and operation, and clones nothing', () => {
    const space = new AddressSpace();
    space.mmap({ page: 0, pages: 4, prot: ['read', 'write'], flags: ['private', 'anonymous', 'fixed'] });
    space.touch({ page: 0, pages: 1 });
    const before = JSON.stringify(space.vmas());
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const bad of [undefined, {}, revoked.proxy, space.vmas()[0]]) {
      expect(() => space.internal.anonVmaClone(bad as never, bad as never, 0)).toThrow(
        /^dst must be a VmAreaStruct \(from @vmaflags\/mm\); got /,
      );
    }
    const vma = [...forEachVma(VMA_ITERATOR(space.mm, WINDOW_BASE))][0]!;
    expect(() => space.internal.anonVmaClone(vma, {} as never, 0)).toThrow(/^src must be a VmAreaStruct/);
    expect(() => space.internal.anonVmaClone(vma, vma, 7 as never)).toThrow(
      'operation must be a VmaOperation (0, 1, 2 or 3); got 7',
    );
    expect(JSON.stringify(space.vmas())).toBe(before);
  });
});
