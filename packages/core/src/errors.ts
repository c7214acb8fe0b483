import { safeIsArray } from './is_instance.js';

// Argument errors name the argument and what it accepts, so a failing call can be
// fixed from the message alone. Lock violations get their own class: they are
// bugs in the caller's locking, not bad values.

// The error classes' own inputs are checked like any argument: a message is
// built from them, and one that is not a string would fail inside the
// template with the engine's error instead.
function checkText(v: unknown, arg: string): void {
  if (typeof v !== 'string') throw typeError(arg, 'a string', v);
}

// The name a message starts with: empty, the message would name nothing.
function checkName(v: unknown): void {
  if (typeof v !== 'string') throw typeError('arg', 'a non-empty string', v);
  if (v === '') throw rangeError('arg', 'a non-empty string', v);
}

// The most flag names a config declares: one per bit of the widest bitmap.
const MAX_DECLARED = 4096;

/** A `RangeError` whose message names the argument, what it accepts and what it got. */
export function rangeError(arg: string, allowed: string, got: unknown): RangeError {
  checkName(arg);
  checkText(allowed, 'allowed');
  return new RangeError(`${arg} must be ${allowed}; got ${describe(got)}`);
}

/** A `TypeError` whose message names the argument, what it accepts and what it got. */
export function typeError(arg: string, allowed: string, got: unknown): TypeError {
  checkName(arg);
  checkText(allowed, 'allowed');
  return new TypeError(`${arg} must be ${allowed}; got ${describe(got)}`);
}

/**
 * `read(value)` for an object argument named `arg` (an init, options or host
 * object), so its fields are read once, before anything is built: a TypeError
 * naming `arg` unless `value` is an object, and, when a getter or Proxy trap
 * of the caller's throws while it is read (a revoked Proxy throws on every
 * read), a TypeError naming `arg` with the original exception as its `cause`.
 * `read` should copy the fields it needs into a new object, so nothing of the
 * caller's runs again later.
 */
export function readObjectArgument<T extends object, R>(
  value: unknown,
  arg: string,
  allowed: string,
  read: (o: T) => R,
): R {
  if (typeof read !== 'function') throw typeError('read', 'a function', read);
  if (typeof value !== 'object' || value === null) throw typeError(arg, allowed, value);
  try {
    return read(value as T);
  } catch (cause) {
    const err = typeError(arg, `${allowed} whose fields can be read`, value);
    err.cause = cause;
    throw err;
  }
}

// A message never costs more than the call that failed: at most this many
// characters of a string or a name are quoted, and a huge bigint is shown by
// its size.
const QUOTE_CHARS = 40;
const MAX_SHOWN_BIGINT = 0xffff_ffff_ffff_ffff_ffff_ffff_ffff_ffffn;

function quote(s: string): string {
  return s.length > QUOTE_CHARS
    ? `${JSON.stringify(s.slice(0, QUOTE_CHARS))}… (length ${s.length})`
    : JSON.stringify(s);
}

function clip(s: string): string {
  return s.length > QUOTE_CHARS ? `${s.slice(0, QUOTE_CHARS)}…` : s;
}

/**
 * How an offending value is shown in an error message: bigints with `n`,
 * strings quoted (the first 40 characters of a long one, with its length),
 * arrays with their length, other objects by class name, functions by name.
 * It never runs the value's own code (getters, Proxy traps, `toString`) and
 * never throws, so a hostile value still gets its message.
 */
export function describe(v: unknown): string {
  switch (typeof v) {
    case 'bigint':
      if (v > MAX_SHOWN_BIGINT || v < -MAX_SHOWN_BIGINT) {
        return `a bigint of ${Math.ceil((v < 0n ? -v : v).toString(16).length / 16)} 64-bit words`;
      }
      return `${v}n`;
    case 'string':
      return quote(v);
    case 'symbol':
      // String() of a symbol is the engine's own rendering, with no user code.
      return clip(String(v));
    case 'function':
      return `function ${ownName(v) ?? '(anonymous)'}`;
    case 'object':
      return v === null ? 'null' : describeObject(v);
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    default:
      return String(v);
  }
}

function describeObject(v: object): string {
  // Each step can reach a Proxy trap (a revoked Proxy throws on all of them);
  // descriptors rather than property reads keep getters from running.
  try {
    if (Array.isArray(v)) return `Array(length ${v.length})`;
    const proto = Object.getPrototypeOf(v) as object | null;
    if (proto === null) return 'object';
    const ctor = Object.getOwnPropertyDescriptor(proto, 'constructor')?.value as unknown;
    return (typeof ctor === 'function' ? ownName(ctor) : undefined) ?? 'object';
  } catch {
    return 'object';
  }
}

function ownName(f: object): string | undefined {
  try {
    const name = Object.getOwnPropertyDescriptor(f, 'name')?.value as unknown;
    return typeof name === 'string' && name !== '' ? clip(name) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A `VMA_<name>_BIT` the configuration does not declare (bit 40 DROPPABLE on a
 * 32-bit config other than ppc32, SAO off powerpc64, …): where the kernel would
 * fail to compile, the lookup throws this RangeError naming the name, the config
 * and the names it does declare.
 */
export class UndeclaredVmaFlagError extends RangeError {
  /** Always `UndeclaredVmaFlagError`. */
  override readonly name = 'UndeclaredVmaFlagError';
  /** Always `ERR_VMA_FLAG_UNDECLARED`. */
  readonly code = 'ERR_VMA_FLAG_UNDECLARED';
  constructor(
    /** The flag name asked for (e.g. `DROPPABLE`). */
    readonly flagName: string,
    /** The name of the configuration that does not declare it. */
    readonly configName: string,
    declared: readonly string[],
  ) {
    checkText(configName, 'configName');
    if (!safeIsArray(declared) || declared.length > MAX_DECLARED || !declared.every((d) => typeof d === 'string')) {
      throw typeError('declared', `an array of at most ${MAX_DECLARED} flag names (strings)`, declared);
    }
    super(
      `name must be a VMA flag bit declared by config ${configName} (${declared.join(', ')}); got ${describe(flagName)}`,
    );
  }
}

/** The kernel rule a lock check enforces; see README "Locking". */
export type VmaLockRule =
  | 'mmap_write_locked'
  | 'mmap_locked'
  | 'vma_write_locked'
  | 'vma_locked'
  | 'vma_stabilised'
  | 'vma_detached'
  | 'lock_state';

const VMA_LOCK_RULES: readonly unknown[] = [
  'mmap_write_locked',
  'mmap_locked',
  'vma_write_locked',
  'vma_locked',
  'vma_stabilised',
  'vma_detached',
  'lock_state',
] satisfies VmaLockRule[];

/**
 * Thrown where the kernel would fire a lockdep splat or a VM_WARN: a helper was
 * called without the lock its contract requires. Nothing has been modified.
 */
export class VmaLockError extends Error {
  /** Always `VmaLockError`. */
  override readonly name = 'VmaLockError';
  /** Stable code for programmatic checks: `ERR_VMA_LOCK`. */
  readonly code = 'ERR_VMA_LOCK';
  constructor(
    /** The locking rule that was broken. */
    readonly rule: VmaLockRule,
    /** The helper that refused the call, by its kernel name. */
    readonly helper: string,
    message: string,
  ) {
    if (!VMA_LOCK_RULES.includes(rule)) throw typeError('rule', `one of ${VMA_LOCK_RULES.join(', ')}`, rule);
    checkText(helper, 'helper');
    checkText(message, 'message');
    super(`${helper}: ${message}`);
  }
}
