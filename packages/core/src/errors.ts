// Argument errors name the argument and what it accepts, so a failing call can be
// fixed from the message alone. Lock violations get their own class: they are
// bugs in the caller's locking, not bad values.

/** A `RangeError` whose message names the argument, what it accepts and what it got. */
export function rangeError(arg: string, allowed: string, got: unknown): RangeError {
  return new RangeError(`${arg} must be ${allowed}; got ${describe(got)}`);
}

/** A `TypeError` whose message names the argument, what it accepts and what it got. */
export function typeError(arg: string, allowed: string, got: unknown): TypeError {
  return new TypeError(`${arg} must be ${allowed}; got ${describe(got)}`);
}

/** How an offending value is shown in an error message: bigints with `n`, strings quoted, objects by class name. */
export function describe(v: unknown): string {
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return String(v);
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
    super(`${helper}: ${message}`);
  }
}
