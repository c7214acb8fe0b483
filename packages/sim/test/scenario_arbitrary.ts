import fc from 'fast-check';
import { ADVICE, MAP_MODIFIERS, WINDOW_PAGES } from '../src/index.js';

// Random scenarios over the whole vocabulary, weighted roughly like a
// program's use of it (many mappings, protection changes and touches, fewer
// locks, seals and forks), packed into a small corner of the window so the
// ops collide, with an occasional range at the top end of the window.

type RawOp = Record<string, unknown>;

const page = fc.oneof(
  { weight: 19, arbitrary: fc.integer({ min: 0, max: 63 }) },
  { weight: 1, arbitrary: fc.integer({ min: WINDOW_PAGES - 48, max: WINDOW_PAGES - 1 }) },
);
const length = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 4 }) },
  { weight: 3, arbitrary: fc.integer({ min: 5, max: 16 }) },
  { weight: 1, arbitrary: fc.integer({ min: 17, max: 300 }) },
);
/** page and pages, the range clipped to the window. */
const range = fc
  .record({ page, pages: length })
  .map(({ page, pages }) => ({ page, pages: Math.min(pages, WINDOW_PAGES - page) }));

const prot = fc.constantFrom(
  [],
  ['read'],
  ['read', 'write'],
  ['read', 'exec'],
  ['read', 'write', 'exec'],
  ['write'],
  ['exec'],
);

const mapType = fc.oneof(
  { weight: 12, arbitrary: fc.constant('private') },
  { weight: 4, arbitrary: fc.constant('shared') },
  { weight: 2, arbitrary: fc.constant('droppable') },
  { weight: 1, arbitrary: fc.constant('shared_validate') },
);
const placement = fc.oneof(
  { weight: 8, arbitrary: fc.constant(['fixed']) },
  { weight: 4, arbitrary: fc.constant(['fixed_noreplace']) },
  { weight: 2, arbitrary: fc.constant([]) },
  { weight: 1, arbitrary: fc.constant(['fixed', 'fixed_noreplace']) },
);
const extras = fc.oneof(
  { weight: 6, arbitrary: fc.constant([]) },
  { weight: 4, arbitrary: fc.subarray(['noreserve', 'growsdown', 'locked', 'populate', 'stack']) },
);

const mmap = fc
  .record({
    range,
    prot,
    type: mapType,
    placement,
    extras,
    file: fc.option(fc.record({ fd: fc.constantFrom('rw', 'ro', 'f1'), offset: fc.integer({ min: 0, max: 24 }) }), {
      freq: 2,
    }),
  })
  .map(({ range, prot, type, placement, extras, file }): RawOp => {
    const chosen = new Set([...placement, ...extras, ...(file === null ? ['anonymous'] : [])]);
    const op: RawOp = {
      op: 'mmap',
      ...range,
      prot,
      flags: [type, ...MAP_MODIFIERS.filter((m) => chosen.has(m))],
    };
    if (file !== null) Object.assign(op, { fd: file.fd, offset_pages: file.offset });
    return op;
  });

const mremap = fc
  .record({
    range,
    newPages: length,
    newPage: page,
    flags: fc.constantFrom<string[]>(
      [],
      ['maymove'],
      ['maymove', 'fixed'],
      ['maymove', 'dontunmap'],
      ['maymove', 'fixed', 'dontunmap'],
      ['fixed'],
      ['dontunmap'],
    ),
    sameSize: fc.boolean(),
  })
  .map(({ range, newPages, newPage, flags, sameSize }): RawOp => {
    const n = sameSize ? range.pages : newPages;
    const op: RawOp = { op: 'mremap', ...range, new_pages: n, flags };
    // The new range, or the old one grown in place, stays inside the window.
    if (flags.includes('fixed')) op.new_page = Math.min(newPage, WINDOW_PAGES - n);
    else op.new_pages = Math.min(n, WINDOW_PAGES - range.page);
    return op;
  });

const rangeOp = (name: string) => range.map((r): RawOp => ({ op: name, ...r }));

/** One well-formed op (never create_file: labels are created once, by the prelude). */
export const opArbitrary: fc.Arbitrary<RawOp> = fc.oneof(
  { weight: 20, arbitrary: mmap },
  { weight: 8, arbitrary: rangeOp('munmap') },
  {
    weight: 12,
    arbitrary: fc.record({ r: range, prot }).map(({ r, prot }): RawOp => ({ op: 'mprotect', ...r, prot })),
  },
  {
    weight: 12,
    arbitrary: fc
      .record({ r: range, advice: fc.constantFrom(...ADVICE) })
      .map(({ r, advice }): RawOp => ({ op: 'madvise', ...r, advice })),
  },
  { weight: 10, arbitrary: rangeOp('touch') },
  { weight: 5, arbitrary: rangeOp('touch_read') },
  { weight: 4, arbitrary: rangeOp('mlock') },
  { weight: 2, arbitrary: rangeOp('mlock2_onfault') },
  { weight: 3, arbitrary: rangeOp('munlock') },
  { weight: 2, arbitrary: rangeOp('mseal') },
  { weight: 8, arbitrary: mremap },
  { weight: 2, arbitrary: fc.constant({ op: 'fork' }) },
  {
    weight: 1,
    arbitrary: fc
      .subarray(['current', 'future', 'onfault'], { minLength: 1 })
      .map((flags): RawOp => ({ op: 'mlockall', flags })),
  },
  { weight: 1, arbitrary: fc.constant({ op: 'munlockall' }) },
  {
    // Re-opening a label: a read-only description behind "rw", or a file
    // never created (ENOENT; mappings of that label are then EBADF).
    weight: 1,
    arbitrary: fc
      .record({
        fd: fc.constantFrom('rw', 'ro', 'f1'),
        file: fc.constantFrom('file0', 'file1', 'file2'),
        mode: fc.constantFrom('rdwr', 'rdonly'),
      })
      .map((o): RawOp => ({ op: 'open', ...o })),
  },
);

/** The files and descriptors every scenario starts with, so any op may name them. */
const prelude = fc
  .record({ file0: fc.integer({ min: 1, max: 32 }), file1: fc.option(fc.integer({ min: 1, max: 8 }), { freq: 3 }) })
  .map(({ file0, file1 }): RawOp[] => [
    { op: 'create_file', file: 'file0', pages: file0 },
    ...(file1 === null ? [] : [{ op: 'create_file', file: 'file1', pages: file1 }]),
    { op: 'open', fd: 'rw', file: 'file0', mode: 'rdwr' },
    { op: 'open', fd: 'ro', file: 'file0', mode: 'rdonly' },
    { op: 'open', fd: 'f1', file: 'file1', mode: 'rdwr' },
  ]);

/** One scenario object: the prelude, then 1 to `maxOps` ops. */
export function scenarioArbitrary(maxOps = 24): fc.Arbitrary<{ name: string; ops: RawOp[] }> {
  return fc
    .record({ prelude, body: fc.array(opArbitrary, { minLength: 1, maxLength: maxOps }) })
    .map(({ prelude, body }) => ({ name: 'random', ops: [...prelude, ...body] }));
}
