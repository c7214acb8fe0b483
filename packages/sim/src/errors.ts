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
  readonly line: number | undefined;
  readonly opIndex: number | undefined;
  readonly field: string;
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
    readonly option: string,
    allowed: string,
    got: unknown,
  ) {
    super(`${option} must be ${allowed}, got ${describe(got)}`);
    this.name = 'UnsupportedOptionError';
  }
}
