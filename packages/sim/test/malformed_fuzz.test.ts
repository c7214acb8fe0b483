import fc from 'fast-check';
import { prandom, validateMm } from '@vmaflags/mm';
import { describe, expect, test } from 'vitest';
import { AddressSpace, ScenarioError, WINDOW_PAGES, replayLine } from '../src/index.js';
import { fuzzScale, fuzzSeed } from './env.js';
import { opArbitrary } from './scenario_arbitrary.js';

// Malformed ops by the ten thousand: a well-formed op with one thing broken
// (unknown op or field, a missing field, a wrong type, pages <= 0, a range
// outside the window, an fd never opened, a file created twice, ...). Each
// must be a ScenarioError naming the line, the op and the broken field, and
// leave the address space exactly as it was, its tree passing validate_mm.
// Between them, well-formed ops keep changing the address space.

type RawOp = Record<string, unknown>;
type Malformed = { raw: unknown; field: string };

/** Per backend: 20,000 per default run in all; VMAFLAGS_FUZZ_SCALE=10 is 200,000. */
const COUNT = Math.max(1, Math.round(10_000 * fuzzScale()));
const SEED = fuzzSeed();

/** The format's fields per op: required, then optional. */
const FIELDS: Record<string, { required: string[]; optional: string[] }> = {
  create_file: { required: ['file', 'pages'], optional: [] },
  open: { required: ['fd', 'file', 'mode'], optional: [] },
  mmap: { required: ['page', 'pages', 'prot', 'flags'], optional: ['fd', 'offset_pages'] },
  mprotect: { required: ['page', 'pages', 'prot'], optional: [] },
  madvise: { required: ['page', 'pages', 'advice'], optional: [] },
  mlockall: { required: ['flags'], optional: [] },
  munlockall: { required: [], optional: [] },
  mremap: { required: ['page', 'pages', 'new_pages', 'flags'], optional: ['new_page'] },
  fork: { required: [], optional: [] },
};
for (const name of ['munmap', 'mlock', 'mlock2_onfault', 'munlock', 'mseal', 'touch', 'touch_read'])
  FIELDS[name] = { required: ['page', 'pages'], optional: [] };
const EVERY_FIELD = [...new Set(Object.values(FIELDS).flatMap((f) => [...f.required, ...f.optional]))];
const NUMBERS = ['page', 'pages', 'new_pages', 'new_page', 'offset_pages'];
const LISTS = ['prot', 'flags'];

const NOT_AN_INTEGER = ['1', 1.5, null, true, [], {}, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, -1e300];
const NOT_A_LIST = ['read', null, 7, {}, ['nope'], [[]], ['read', 'read'], [1]];
const NOT_A_NAME = [1, null, '', [], {}, 'Normal', 'file', 'fileA', ' rdwr'];
const JUNK_KEYS = ['colour', 'addr', 'len', 'length', 'Pages', 'page ', 'offset', 'new_addr', 'prot_none', 'x'];
const JUNK_OPS = ['mmapp', 'MMAP', '', 'brk', 'mmap2', 'munmap ', 'touch-read', 'exit', 'toString', '__proto__'];

function mutate(op: RawOp, rnd: () => number): Malformed {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const name = op.op as string;
  const spec = FIELDS[name]!;
  const allowed = new Set(['op', 'result', 'fault_page', 'ret_page', ...spec.required, ...spec.optional]);
  const present = Object.keys(op).filter((k) => k !== 'op');
  const numbers = present.filter((k) => NUMBERS.includes(k));
  const kinds = ['op', 'not_object', 'unknown_key', 'other_ops_key', 'missing', 'wrong_type'];
  if (numbers.length > 0) kinds.push('pages', 'page', 'past_window');
  if (name === 'mmap') kinds.push(op.fd === undefined ? 'anon_fd' : 'fd_never_opened');
  if (name === 'mremap') kinds.push('mremap_new_page');
  if (name === 'open') kinds.push('create_existing');
  for (;;) {
    switch (pick(kinds)) {
      case 'op':
        return { raw: { ...op, op: pick(JUNK_OPS) }, field: 'op' };
      case 'not_object':
        return { raw: pick([null, 7, 'mmap', [op], true]), field: 'op' };
      case 'unknown_key': {
        const key = pick(JUNK_KEYS);
        return { raw: { ...op, [key]: pick([1, 'x', null]) }, field: key };
      }
      case 'other_ops_key': {
        const key = pick(EVERY_FIELD.filter((k) => !allowed.has(k)));
        if (key === undefined) continue;
        return { raw: { ...op, [key]: 1 }, field: key };
      }
      case 'missing': {
        if (spec.required.length === 0) continue;
        const key = pick(spec.required);
        const { [key]: _, ...rest } = op;
        return { raw: rest, field: key };
      }
      case 'wrong_type': {
        if (present.length === 0) continue;
        const key = pick(present);
        const bad = NUMBERS.includes(key)
          ? pick(NOT_AN_INTEGER)
          : LISTS.includes(key)
            ? pick(NOT_A_LIST)
            : pick(NOT_A_NAME);
        if (name === 'mlockall' && key === 'flags' && Array.isArray(bad) && bad.length === 0) continue;
        if (key === 'fd' && typeof bad === 'string' && bad !== '') continue; // any non-empty label is a well-formed fd
        return { raw: { ...op, [key]: bad }, field: key };
      }
      case 'pages': {
        if (!('pages' in op)) continue;
        return { raw: { ...op, pages: pick([0, -1, -(2 ** 20), -0.5]) }, field: 'pages' };
      }
      case 'page': {
        if (!('page' in op)) continue;
        return { raw: { ...op, page: pick([-1, WINDOW_PAGES, WINDOW_PAGES + 1, 2 ** 40, -(2 ** 20)]) }, field: 'page' };
      }
      case 'past_window': {
        if (!('page' in op)) continue;
        const page = WINDOW_PAGES - 1 - Math.floor(rnd() * 16);
        const fixedMremap = name === 'mremap' && op.new_page !== undefined;
        const raw: RawOp = { ...op, page, pages: WINDOW_PAGES - page + 1 + Math.floor(rnd() * 8) };
        if (name === 'mremap' && !fixedMremap) raw.new_pages = 1;
        return { raw, field: 'pages' };
      }
      case 'anon_fd': {
        const key = pick(['fd', 'offset_pages']);
        return { raw: { ...op, [key]: key === 'fd' ? 'rw' : 0 }, field: key };
      }
      case 'fd_never_opened':
        return { raw: { ...op, fd: pick(['nope', 'RW', 'rw ', '3']) }, field: 'fd' };
      case 'mremap_new_page': {
        const flags = op.flags as string[];
        if (flags.includes('fixed')) {
          const { new_page: _, ...rest } = op;
          if (rnd() < 0.5) return { raw: rest, field: 'new_page' };
          const newPages = op.new_pages as number;
          return { raw: { ...op, new_page: WINDOW_PAGES - newPages + 1 }, field: 'new_page' };
        }
        if (rnd() < 0.5) return { raw: { ...op, new_page: 0 }, field: 'new_page' };
        return { raw: { ...op, new_pages: WINDOW_PAGES - (op.page as number) + 1 }, field: 'new_pages' };
      }
      case 'create_existing':
        return { raw: { op: 'create_file', file: 'file0', pages: 1 }, field: 'file' };
    }
  }
}

/** Everything an op could change: the VMAs, the mm's counters, the accounting, the files. */
function snapshot(space: AddressSpace): string {
  const { mm } = space;
  const files = (space as unknown as { files: { inodes: Map<string, unknown>; fds: Map<string, unknown> } }).files;
  return JSON.stringify([
    space.vmas(),
    [mm.mapCount, mm.totalVm, mm.lockedVm, mm.dataVm, mm.execVm, mm.stackVm, mm.pinnedVm, mm.flags],
    space.backend.toLegacy(mm.defVmaFlags).toString(),
    space.internal.committed,
    [...files.inodes.keys()],
    [...files.fds.entries()].map(([k, v]) => [k, v === null ? null : (v as { fMode: number }).fMode]),
  ]);
}

function expectNamed(err: unknown, field: string, opIndex: number, line: number, what: string): void {
  if (!(err instanceof ScenarioError)) expect.fail(`${what}: expected a ScenarioError, got ${String(err)}`);
  expect(err, what).toBeInstanceOf(TypeError);
  expect(err.field, `${what}: ${err.message}`).toBe(field);
  expect(err.opIndex, what).toBe(opIndex);
  expect(err.line, what).toBe(line);
  expect(err.message, what).toContain(`line ${line}, op ${opIndex}: ${field} must be `);
}

describe.each(['core', 'native'] as const)('%s backend', (backend) => {
  test(`${COUNT} malformed ops are ScenarioErrors naming line, op and field, and change nothing`, {
    timeout: 600_000,
  }, () => {
    const rnd = prandom(SEED);
    const valid = fc.sample(opArbitrary, { seed: SEED, numRuns: 2_000 }).filter((o) => o.op !== 'fork');
    const prelude: RawOp[] = [
      { op: 'create_file', file: 'file0', pages: 16 },
      { op: 'open', fd: 'rw', file: 'file0', mode: 'rdwr' },
      { op: 'open', fd: 'ro', file: 'file0', mode: 'rdonly' },
      { op: 'open', fd: 'f1', file: 'file1', mode: 'rdwr' },
    ];
    const space = new AddressSpace({ backend, debugVm: true });
    for (const [i, op] of prelude.entries()) space.apply(op, i);
    let done = 0;
    let viaReplay = 0;
    let changes = 0;
    for (let i = 0; done < COUNT; i++) {
      // A well-formed op now and then, so the malformed ones meet many states.
      if (i % 8 === 0) {
        const before = snapshot(space);
        space.apply(valid[i % valid.length]!, 0);
        if (snapshot(space) !== before) changes++;
      }
      const base = valid[Math.floor(rnd() * valid.length)]!;
      const { raw, field } = mutate(base, rnd);
      const line = 1 + Math.floor(rnd() * 1000);
      const what = `#${done} ${JSON.stringify(raw)}`;
      if (i % 16 === 0) {
        // As part of a whole scenario: refused before its first op runs.
        const ops = [...prelude, raw];
        let err: unknown;
        try {
          replayLine(JSON.stringify({ name: 'x', ops }), line, { backend });
        } catch (e) {
          err = e;
        }
        // JSON has no NaN or Infinity: they arrive as null, still the same field.
        expectNamed(err, field, prelude.length, line, what);
        viaReplay++;
      } else {
        const before = snapshot(space);
        const opIndex = Math.floor(rnd() * 100);
        let err: unknown;
        try {
          space.apply(raw, opIndex, line);
        } catch (e) {
          err = e;
        }
        expectNamed(err, field, opIndex, line, what);
        expect(snapshot(space), what).toBe(before);
        validateMm(space.mm);
      }
      done++;
    }
    expect(done).toBe(COUNT);
    expect(viaReplay).toBeGreaterThan(0);
    // The snapshot sees what well-formed ops do, so it would see a malformed one's change.
    expect(changes).toBeGreaterThan(COUNT / 100);
  });
});
