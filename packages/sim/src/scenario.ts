import { ScenarioError } from './errors.js';
import { safeIsArray } from '@vmaflags/core';

// The scenario format shared with the live-kernel probe: one JSON object per
// line, `name` and `ops`, pages counted from the window base. Parsing checks
// every op completely before anything runs.

/** The window: user address 0x200000000000 (32 TiB), 2^20 pages (4 GiB). */
export const WINDOW_BASE = 0x200000000000;
/** The window's size in pages; every page of an op lies in [0, WINDOW_PAGES). */
export const WINDOW_PAGES = 2 ** 20;

/** The words of an op's `prot` list, in the order they must appear; an empty list is PROT_NONE. */
export const PROTS = ['read', 'write', 'exec'] as const;
/** One access right of `prot`: PROT_READ, PROT_WRITE or PROT_EXEC without the prefix, in lower case. */
export type Prot = (typeof PROTS)[number];
/** The mapping types, one of which must come first in an mmap op's `flags`. */
export const MAP_TYPES = ['private', 'shared', 'shared_validate', 'droppable'] as const;
/** The MAP_* modifiers an mmap op's `flags` may list after the type, each at most once, in this order. */
export const MAP_MODIFIERS = [
  'anonymous',
  'fixed',
  'fixed_noreplace',
  'noreserve',
  'growsdown',
  'locked',
  'populate',
  'stack',
] as const;
/** One word of an mmap op's `flags`: a MAP_* constant's name without the prefix, in lower case. */
export type MapFlag = (typeof MAP_TYPES)[number] | (typeof MAP_MODIFIERS)[number];
/** The values of a madvise op's `advice`: the MADV_* constants' names without the prefix, in lower case. */
export const ADVICE = [
  'normal',
  'random',
  'sequential',
  'willneed',
  'dontneed',
  'free',
  'remove',
  'dontfork',
  'dofork',
  'mergeable',
  'unmergeable',
  'hugepage',
  'nohugepage',
  'dontdump',
  'dodump',
  'wipeonfork',
  'keeponfork',
  'cold',
  'pageout',
  'populate_read',
  'populate_write',
  'guard_install',
  'guard_remove',
] as const;
/** One madvise advice (`guard_install` is MADV_GUARD_INSTALL). */
export type Advice = (typeof ADVICE)[number];
/** The words of a mlockall op's `flags` (MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT), in the order they must appear. */
export const MLOCKALL_FLAGS = ['current', 'future', 'onfault'] as const;
/** One mlockall flag. */
export type MlockallFlag = (typeof MLOCKALL_FLAGS)[number];
/** The words of an mremap op's `flags` (MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP), in the order they must appear. */
export const MREMAP_FLAGS = ['maymove', 'fixed', 'dontunmap'] as const;
/** One mremap flag. */
export type MremapFlag = (typeof MREMAP_FLAGS)[number];
/** The modes an open op accepts: O_RDWR and O_RDONLY. */
export const OPEN_MODES = ['rdwr', 'rdonly'] as const;
/** How an open op opens its file. */
export type OpenMode = (typeof OPEN_MODES)[number];

/** A run of pages inside the window, counted from the window base. */
export interface Range {
  /** The first page, in [0, WINDOW_PAGES). */
  page: number;
  /** How many pages (> 0); the range ends inside the window. */
  pages: number;
}
/**
 * create_file: a regular file of `pages` pages of data, named by its label.
 *
 * @property op - `'create_file'`.
 * @property file - The file's label, `file` then a number (`file0`); each label is created once per scenario.
 * @property pages - The file's size in pages (> 0).
 */
export type CreateFileOp = { op: 'create_file'; file: string; pages: number };
/**
 * open: a new open file description of a created file; two opens of one file are two distinct files.
 *
 * @property op - `'open'`.
 * @property fd - The label later mmap ops name the descriptor by (any non-empty string).
 * @property file - The label of the file to open; one never created makes the op fail with ENOENT.
 * @property mode - `'rdwr'` or `'rdonly'`: whether shared writable mappings of it are allowed.
 */
export type OpenOp = { op: 'open'; fd: string; file: string; mode: OpenMode };
/**
 * mmap of `pages` pages at `page`: a hint unless `flags` has `fixed` or `fixed_noreplace`.
 *
 * @property op - `'mmap'`.
 * @property prot - The access asked for (PROT_*).
 * @property flags - The mapping type first, then its modifiers (MAP_*).
 * @property fd - The descriptor of a file mapping, by its open op's label; absent for an anonymous mapping (a file mapping without one fails with EBADF).
 * @property offset_pages - Where in the file the mapping starts, in pages (0 when absent); absent for an anonymous mapping.
 *
 * @interface
 */
export type MmapOp = Range & { op: 'mmap'; prot: Prot[]; flags: MapFlag[]; fd?: string; offset_pages?: number };
/**
 * A system call that takes only a range: munmap, mlock, mlock2 with MLOCK_ONFAULT, munlock, mseal, and the
 * page accesses `touch` (read then write each page) and `touch_read` (read each page).
 *
 * @property op - Which call or access.
 *
 * @interface
 */
export type RangeOp = Range & {
  op: 'munmap' | 'mlock' | 'mlock2_onfault' | 'munlock' | 'mseal' | 'touch' | 'touch_read';
};
/**
 * mprotect: change the access rights of the range.
 *
 * @property op - `'mprotect'`.
 * @property prot - The new access rights (PROT_*).
 *
 * @interface
 */
export type MprotectOp = Range & { op: 'mprotect'; prot: Prot[] };
/**
 * madvise: give the kernel advice about the range.
 *
 * @property op - `'madvise'`.
 * @property advice - The advice (MADV_*).
 *
 * @interface
 */
export type MadviseOp = Range & { op: 'madvise'; advice: Advice };
/**
 * mlockall: lock the whole address space, now, later or on fault as the flags say.
 *
 * @property op - `'mlockall'`.
 * @property flags - MCL_* flags.
 */
export type MlockallOp = { op: 'mlockall'; flags: MlockallFlag[] };
/**
 * mremap: resize the mapping at the range, moving it if the flags allow.
 *
 * @property op - `'mremap'`.
 * @property new_pages - The new size in pages (> 0).
 * @property flags - MREMAP_* flags.
 * @property new_page - Where to move the mapping; present exactly when `flags` has `fixed`.
 *
 * @interface
 */
export type MremapOp = Range & { op: 'mremap'; new_pages: number; flags: MremapFlag[]; new_page?: number };
/**
 * An op without fields: munlockall, or fork (every later op runs in the child).
 *
 * @property op - Which one.
 */
export type BareOp = { op: 'munlockall' | 'fork' };
/** One validated op of a scenario, as {@link parseOp} returns it. */
export type Op = CreateFileOp | OpenOp | MmapOp | RangeOp | MprotectOp | MadviseOp | MlockallOp | MremapOp | BareOp;
/** The name of an op, its `op` field. */
export type OpName = Op['op'];

/** A validated scenario, as {@link parseScenario} returns it. */
export interface Scenario {
  /** The scenario's name, copied to the output. */
  name: string;
  /** The ops, in the order they run. */
  ops: Op[];
}

/** Keys a recorded corpus line carries; they are recomputed, never read. */
const OUTPUT_OP_KEYS_LIST = ['result', 'fault_page', 'ret_page'] as const;
/** The result keys of a recorded op (`result`, `fault_page`, `ret_page`): accepted on input, ignored, and recomputed. */
export const OUTPUT_OP_KEYS: ReadonlySet<string> = new Set(OUTPUT_OP_KEYS_LIST);

/** What each op may carry besides `op` (required, then optional). */
const FIELDS: Record<OpName, { required: readonly string[]; optional: readonly string[] }> = {
  create_file: { required: ['file', 'pages'], optional: [] },
  open: { required: ['fd', 'file', 'mode'], optional: [] },
  mmap: { required: ['page', 'pages', 'prot', 'flags'], optional: ['fd', 'offset_pages'] },
  munmap: { required: ['page', 'pages'], optional: [] },
  mprotect: { required: ['page', 'pages', 'prot'], optional: [] },
  madvise: { required: ['page', 'pages', 'advice'], optional: [] },
  mlock: { required: ['page', 'pages'], optional: [] },
  mlock2_onfault: { required: ['page', 'pages'], optional: [] },
  munlock: { required: ['page', 'pages'], optional: [] },
  mlockall: { required: ['flags'], optional: [] },
  munlockall: { required: [], optional: [] },
  mremap: { required: ['page', 'pages', 'new_pages', 'flags'], optional: ['new_page'] },
  mseal: { required: ['page', 'pages'], optional: [] },
  touch: { required: ['page', 'pages'], optional: [] },
  touch_read: { required: ['page', 'pages'], optional: [] },
  fork: { required: [], optional: [] },
};
/** Every op name the scenario format knows. */
export const OP_NAMES = Object.keys(FIELDS) as OpName[];
const ALLOWED_KEYS = Object.fromEntries(
  OP_NAMES.map((n) => [n, new Set(['op', ...OUTPUT_OP_KEYS_LIST, ...FIELDS[n].required, ...FIELDS[n].optional])]),
) as unknown as Record<OpName, ReadonlySet<string>>;

/** The largest page offset an x86_64 off_t can express. */
export const MAX_OFFSET_PAGES = 2 ** 51 - 1;

interface Where {
  line?: number;
  opIndex?: number;
}

function fail(where: Where, field: string, allowed: string, got: unknown): never {
  throw new ScenarioError({ ...where, field }, allowed, got);
}

// Reading an op or a scenario runs the caller's getters and Proxy traps; one
// that throws (a revoked Proxy throws on every read) becomes a ScenarioError
// naming the object, with the original exception as its `cause`.
function readGuarded<T>(where: Where, field: string, raw: unknown, parse: () => T): T {
  try {
    return parse();
  } catch (cause) {
    if (cause instanceof ScenarioError) throw cause;
    const err = new ScenarioError({ ...where, field }, 'an object whose fields can be read', raw);
    err.cause = cause;
    throw err;
  }
}

/** A line or op index of a Where: absent, or a non-negative integer. */
function isLocation(v: unknown): boolean {
  return v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0);
}

// A Where is the caller's too (parseOp, parseOpFields): copied once and checked.
function whereOf(where: unknown): Where {
  const allowed = 'a location { line?, opIndex? } of non-negative integers';
  if (typeof where !== 'object' || where === null) throw new ScenarioError({ field: 'where' }, allowed, where);
  const w = readGuarded({}, 'where', where, () => {
    const { line, opIndex } = where as Where;
    return { line, opIndex };
  });
  if (!isLocation(w.line) || !isLocation(w.opIndex)) throw new ScenarioError({ field: 'where' }, allowed, where);
  // Only the keys given, so a ScenarioError's location names nothing absent.
  const out: Where = {};
  if (w.line !== undefined) out.line = w.line;
  if (w.opIndex !== undefined) out.opIndex = w.opIndex;
  return out;
}

function int(where: Where, field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    fail(where, field, `an integer in [${min}, ${max}]`, v);
  return v;
}

/** A list of names from `allowed`, each at most once, in the order of `allowed`. */
function orderedList<T extends string>(where: Where, field: string, v: unknown, allowed: readonly T[]): T[] {
  if (!safeIsArray(v) || !inOrder(v, 0, allowed))
    fail(where, field, `a list of ${allowed.map((a) => `"${a}"`).join(', ')} (each at most once, in that order)`, v);
  return v as T[];
}

// Whether v[from..] names members of `allowed`, each at most once, in its
// order. The checks of every system call run this, so it allocates nothing.
function inOrder(v: readonly unknown[], from: number, allowed: readonly string[]): boolean {
  let last = -1;
  for (let k = from; k < v.length; k++) {
    const i = allowed.indexOf(v[k] as string);
    if (i <= last) return false;
    last = i;
  }
  return true;
}

function label(where: Where, field: string, v: unknown, pattern: RegExp, what: string): string {
  if (typeof v !== 'string' || !pattern.test(v)) fail(where, field, what, v);
  return v;
}

/** page and pages of a range op: inside the window, pages > 0. */
function range(where: Where, o: Record<string, unknown>): Range {
  const page = int(where, 'page', o.page, 0, WINDOW_PAGES - 1);
  const pages = int(where, 'pages', o.pages, 1, WINDOW_PAGES - page);
  return { page, pages };
}

/**
 * Check one op and return it typed. Names of files and fds are checked for
 * shape here; whether they exist is the address space's business.
 */
export function parseOp(raw: unknown, where: Where): Op {
  const at = whereOf(where);
  return readGuarded(at, 'op', raw, () => parseOpAt(raw, at));
}

function parseOpAt(raw: unknown, where: Where): Op {
  if (typeof raw !== 'object' || raw === null || safeIsArray(raw))
    fail(where, 'op', 'an object with an "op" field', raw);
  const name = (raw as Record<string, unknown>).op;
  if (typeof name !== 'string' || !Object.hasOwn(FIELDS, name))
    fail(where, 'op', `one of ${OP_NAMES.join(', ')}`, name);
  return parseOpFieldsAt(name as OpName, raw as Record<string, unknown>, where);
}

/** Check the fields of an op whose name is already known (`o.op` is not read). */
export function parseOpFields(name: OpName, o: Record<string, unknown>, where: Where): Op {
  const at = whereOf(where);
  if (typeof name !== 'string' || !Object.hasOwn(FIELDS, name)) fail(at, 'op', `one of ${OP_NAMES.join(', ')}`, name);
  if (typeof o !== 'object' || o === null || safeIsArray(o)) fail(at, 'op', `the fields of ${name}`, o);
  return readGuarded(at, 'op', o, () => parseOpFieldsAt(name, o, at));
}

function parseOpFieldsAt(name: OpName, o: Record<string, unknown>, where: Where): Op {
  const spec = FIELDS[name];
  const allowed = ALLOWED_KEYS[name];
  for (const key in o) {
    if (!allowed.has(key))
      fail(
        where,
        key,
        `not present (${name} takes ${[...spec.required, ...spec.optional].join(', ') || 'no fields'})`,
        o[key],
      );
  }
  for (const key of spec.required) if (!(key in o)) fail(where, key, `present (${name} requires it)`, undefined);

  switch (name) {
    case 'create_file':
      return {
        op: 'create_file',
        file: label(where, 'file', o.file, /^file[0-9]+$/, 'a label "fileN"'),
        pages: int(where, 'pages', o.pages, 1, WINDOW_PAGES),
      };
    case 'open':
      return {
        op: 'open',
        fd: label(where, 'fd', o.fd, /^.+$/, 'a non-empty label string'),
        file: label(where, 'file', o.file, /^file[0-9]+$/, 'a label "fileN"'),
        mode: OPEN_MODES.includes(o.mode as OpenMode)
          ? (o.mode as OpenMode)
          : fail(where, 'mode', '"rdwr" or "rdonly"', o.mode),
      };
    case 'mmap': {
      const r = range(where, o);
      const prot = orderedList(where, 'prot', o.prot, PROTS);
      const flags = mapFlags(where, o.flags);
      const anonymous = flags.includes('anonymous');
      const op: MmapOp = { op: 'mmap', ...r, prot, flags };
      if (anonymous) {
        if ('fd' in o) fail(where, 'fd', 'absent for an anonymous mapping', o.fd);
        if ('offset_pages' in o) fail(where, 'offset_pages', 'absent for an anonymous mapping', o.offset_pages);
      } else {
        // A file mapping without an fd passes fd -1 (EBADF).
        if ('fd' in o) op.fd = label(where, 'fd', o.fd, /^.+$/, 'a non-empty label string');
        if ('offset_pages' in o) op.offset_pages = int(where, 'offset_pages', o.offset_pages, 0, MAX_OFFSET_PAGES);
      }
      return op;
    }
    case 'mprotect':
      return { op: 'mprotect', ...range(where, o), prot: orderedList(where, 'prot', o.prot, PROTS) };
    case 'madvise': {
      const r = range(where, o);
      if (!ADVICE.includes(o.advice as Advice)) fail(where, 'advice', `one of ${ADVICE.join(', ')}`, o.advice);
      return { op: 'madvise', ...r, advice: o.advice as Advice };
    }
    case 'mlockall':
      return { op: 'mlockall', flags: orderedList(where, 'flags', o.flags, MLOCKALL_FLAGS) };
    case 'mremap': {
      const r = range(where, o);
      const newPages = int(where, 'new_pages', o.new_pages, 1, WINDOW_PAGES);
      const flags = orderedList(where, 'flags', o.flags, MREMAP_FLAGS);
      const op: MremapOp = { op: 'mremap', ...r, new_pages: newPages, flags };
      if (flags.includes('fixed')) {
        if (!('new_page' in o)) fail(where, 'new_page', 'present when flags has "fixed"', undefined);
        op.new_page = int(where, 'new_page', o.new_page, 0, WINDOW_PAGES - newPages);
      } else if ('new_page' in o) {
        fail(where, 'new_page', 'absent unless flags has "fixed"', o.new_page);
      }
      // Growing in place must stay inside the window too (the probe refuses it).
      if (!flags.includes('fixed')) int(where, 'new_pages', newPages, 1, WINDOW_PAGES - r.page);
      return op;
    }
    case 'munlockall':
    case 'fork':
      return { op: name };
    default:
      return { op: name as RangeOp['op'], ...range(where, o) };
  }
}

function mapFlags(where: Where, v: unknown): MapFlag[] {
  if (!safeIsArray(v) || v.length === 0 || !MAP_TYPES.includes(v[0] as (typeof MAP_TYPES)[number]))
    fail(
      where,
      'flags',
      `exactly one of ${MAP_TYPES.join(', ')}, then any of ${MAP_MODIFIERS.join(', ')} in that order`,
      v,
    );
  if (!inOrder(v, 1, MAP_MODIFIERS)) orderedList(where, 'flags', v.slice(1), MAP_MODIFIERS);
  return v as MapFlag[];
}

/** Check a whole scenario object (name, ops, nothing else but a recorded `vmas`). */
export function parseScenario(raw: unknown, line?: number): Scenario {
  if (line !== undefined && !(Number.isSafeInteger(line) && line >= 1)) {
    throw new ScenarioError({ field: 'line' }, 'a 1-based line number or undefined', line);
  }
  const where: Where = line === undefined ? {} : { line };
  return readGuarded(where, 'scenario', raw, () => parseScenarioAt(raw, where));
}

function parseScenarioAt(raw: unknown, where: Where): Scenario {
  if (typeof raw !== 'object' || raw === null || safeIsArray(raw))
    fail(where, 'scenario', 'an object with "name" and "ops"', raw);
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o))
    if (!['name', 'ops', 'vmas'].includes(key)) fail(where, key, 'not present (a scenario has name, ops)', o[key]);
  if (typeof o.name !== 'string') fail(where, 'name', 'a string', o.name);
  if (!safeIsArray(o.ops)) fail(where, 'ops', 'an array of ops', o.ops);
  const ops = o.ops.map((op, opIndex) => parseOpAt(op, { ...where, opIndex }));
  checkLabels(ops, where);
  return { name: o.name, ops };
}

/**
 * Every file is created once, and every fd a mapping names was opened by an
 * earlier op (an open of a file never created fails with ENOENT at run time,
 * and mapping its fd with EBADF: both are kernel answers, not bad input).
 */
function checkLabels(ops: readonly Op[], where: Where): void {
  const files = new Set<string>();
  const fds = new Set<string>();
  ops.forEach((op, opIndex) => {
    if (op.op === 'create_file') {
      if (files.has(op.file)) fail({ ...where, opIndex }, 'file', 'a label not created before', op.file);
      files.add(op.file);
    } else if (op.op === 'open') {
      fds.add(op.fd);
    } else if (op.op === 'mmap' && op.fd !== undefined && !fds.has(op.fd)) {
      fail({ ...where, opIndex }, 'fd', `an fd opened by an earlier op (${[...fds].join(', ') || 'none yet'})`, op.fd);
    }
  });
}
