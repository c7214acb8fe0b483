import { describe } from '@vmaflags/core';

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
    const where = [at.line !== undefined ? `line ${at.line}` : '', at.opIndex !== undefined ? `op ${at.opIndex}` : '']
      .filter((s) => s !== '')
      .join(', ');
    super(`${where === '' ? '' : `${where}: `}${at.field} must be ${allowed}, got ${describe(got)}`);
    this.name = 'ScenarioError';
    this.line = at.line;
    this.opIndex = at.opIndex;
    this.field = at.field;
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
    super(`${option} must be ${allowed}, got ${describe(got)}`);
    this.name = 'UnsupportedOptionError';
  }
}
