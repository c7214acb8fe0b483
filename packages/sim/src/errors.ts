import { describe, readObjectArgument, typeError } from '@vmaflags/core';

/** Throw unless `v` is a string: the error classes quote their inputs in the message. */
function checkText(v: unknown, arg: string): asserts v is string {
  if (typeof v !== 'string') throw typeError(arg, 'a string', v);
}

const isPosition = (v: unknown): boolean => v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0);

// A location is the caller's: read once, into a plain object.
function location(at: unknown): ScenarioLocation {
  const allowed = 'a ScenarioLocation { field, line?, opIndex? }';
  const loc = readObjectArgument(at, 'at', allowed, ({ field, line, opIndex }: ScenarioLocation) => ({
    field,
    line,
    opIndex,
  }));
  checkText(loc.field, 'at.field');
  if (!isPosition(loc.line)) throw typeError('at.line', 'a non-negative integer or undefined', loc.line);
  if (!isPosition(loc.opIndex)) throw typeError('at.opIndex', 'a non-negative integer or undefined', loc.opIndex);
  return loc;
}

/** Where in a scenario a problem was found. */
export interface ScenarioLocation {
  /** 1-based line of a JSONL input, when the scenario came from one. */
  readonly line?: number;
  /** 0-based index of the op in `ops`, when the problem is in an op. */
  readonly opIndex?: number;
  /** The offending field (`op`, `page`, `flags`, …). */
  readonly field: string;
}

/**
 * A malformed scenario line or op: unknown op or field, wrong type, a range
 * outside the window, an `fd` never opened. Thrown before anything changes.
 * The message names the line, op index, field, the allowed values and what
 * was given.
 */
export class ScenarioError extends TypeError {
  /** The 1-based line of the JSONL input, or undefined when the scenario did not come from a line. */
  readonly line: number | undefined;
  /** The 0-based index of the op in `ops`, or undefined when the problem is not in one op. */
  readonly opIndex: number | undefined;
  /** The offending field (`op`, `page`, `flags`, …; `line` for text that is not JSON). */
  readonly field: string;
  /** What the field accepts, in words, as the message quotes it. */
  readonly allowed: string;

  constructor(at: ScenarioLocation, allowed: string, got: unknown) {
    const loc = location(at);
    checkText(allowed, 'allowed');
    const where = [
      loc.line !== undefined ? `line ${loc.line}` : '',
      loc.opIndex !== undefined ? `op ${loc.opIndex}` : '',
    ]
      .filter((s) => s !== '')
      .join(', ');
    super(`${where === '' ? '' : `${where}: `}${loc.field} must be ${allowed}, got ${describe(got)}`);
    this.name = 'ScenarioError';
    this.line = loc.line;
    this.opIndex = loc.opIndex;
    this.field = loc.field;
    this.allowed = allowed;
  }
}

/** An AddressSpace option the simulator cannot honour. */
export class UnsupportedOptionError extends RangeError {
  constructor(
    /** The name of the refused option (`overcommitMemory`, `config`, …). */
    readonly option: string,
    allowed: string,
    got: unknown,
  ) {
    checkText(option, 'option');
    checkText(allowed, 'allowed');
    super(`${option} must be ${allowed}, got ${describe(got)}`);
    this.name = 'UnsupportedOptionError';
  }
}
