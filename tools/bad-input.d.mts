/** Phrases of the JavaScript engine's own errors, which an API error message must not contain. */
export const ENGINE_PHRASES: readonly string[];

/** What a Proxy whose every trap throws throws. */
export class TrapError extends Error {
  constructor(trap: string);
}

/** A hostile value and how a failure report names it. */
export type Hostile = readonly [label: string, value: unknown];

/** The common hostile values plus the package's own. */
export function hostileValues(extra?: readonly Hostile[]): Hostile[];

/** An error class a call may throw. */
// biome-ignore lint/suspicious/noExplicitAny: any constructor of errors
export type ErrorClass = abstract new (...args: any[]) => Error;

/** Undefined when `err` is one of `classes` and its own message names `param`; else what is wrong. */
export function rejectionProblem(
  err: unknown,
  param: string,
  classes?: readonly ErrorClass[],
  alsoNamed?: readonly string[],
): string | undefined;

/** A valid call of one export, which the sweep varies one argument at a time. */
export interface SweepEntry {
  /** The export (and method) called, as the report names it. */
  name: string;
  /** Parameter names as the docs call them, one per substituted position. */
  params: readonly string[];
  /** Fresh valid arguments. */
  make(): unknown[];
  /** The call under test. */
  call(...args: unknown[]): unknown;
  /** The observable state of the valid arguments (mutators), compared around a call that threw. */
  state?(args: unknown[]): unknown;
  /** A problem with the result of an accepted value, or undefined. */
  sane?(result: unknown, args: unknown[]): string | undefined;
  /** The error classes the call may throw; default TypeError and RangeError. */
  classes?: readonly ErrorClass[];
  /** Fields of an object argument that a message may name instead of the argument. */
  alsoNamed?: readonly string[];
  /** A constructor only the package itself calls: every value must be rejected. */
  neverValid?: boolean;
}

/** Substitute `value` at position `pos` of a fresh valid call; a problem or undefined. */
export function tryHostile(entry: SweepEntry, pos: number, value: unknown): string | undefined;

/** Every (position, value) that does not end well, as `"<param> = <label>: <problem>"`. */
export function sweepEntry(entry: SweepEntry, values: readonly Hostile[]): string[];

/** Every position replaced at once, position i by `values[picks[i]]`; a problem or undefined. */
export function tryHostileCombination(
  entry: SweepEntry,
  values: readonly Hostile[],
  picks: readonly number[],
): string | undefined;

/** Exports neither covered by the table nor listed as argument-free, and covered names that are not exports. */
export function coverageGaps(
  api: object,
  tableNames: Iterable<string>,
  argumentFree: Iterable<string>,
): { uncovered: string[]; unknown: string[] };

/** Sweep entries for every FlagsBackend operation of `backend`, named `<name>#<op>`. */
export function flagsBackendEntries(
  name: string,
  backend: object,
  flags: () => unknown,
  mask: () => unknown,
): SweepEntry[];
