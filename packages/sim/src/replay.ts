import { AddressSpace } from './address_space.js';
import { ScenarioError } from './errors.js';
import type { AddressSpaceOptions } from './options.js';
import { OUTPUT_OP_KEYS, parseScenario, type Op } from './scenario.js';
import type { VmaView } from './smaps.js';

// Replaying scenarios: each in a fresh process (as the probe forks a child
// per scenario), output in the probe's exact shape and key order.

/** The output of one scenario, in the probe's key order; `JSON.stringify` of it is the output line. */
export interface ScenarioOutput {
  /** The scenario's name. */
  name: string;
  /** The input ops in input order, each with its input keys as given (recorded results dropped), then `result`, then `fault_page` or `ret_page` when the op has one. */
  ops: Record<string, unknown>[];
  /** The VMAs intersecting the window after the last op (the child's after a fork), ascending. */
  vmas: VmaView[];
}

/** Run the parsed ops in a fresh address space; fork switches to the child. */
function run(
  ops: readonly Op[],
  options: AddressSpaceOptions,
): { results: Record<string, unknown>[]; space: AddressSpace } {
  let space = new AddressSpace(options);
  const results = ops.map((op, i): Record<string, unknown> => {
    if (op.op === 'fork') {
      space = space.fork();
      return { result: 'ok' };
    }
    return space.apply(op, i);
  });
  return { results, space };
}

/**
 * Replay one scenario object (recorded results in it are ignored). The whole
 * scenario is checked before anything runs: a ScenarioError names the op.
 */
export function replay(scenario: unknown, options: AddressSpaceOptions = {}, line?: number): ScenarioOutput {
  const parsed = parseScenario(scenario, line);
  const { results, space } = run(parsed.ops, options);
  const rawOps = (scenario as { ops: Record<string, unknown>[] }).ops;
  const ops = rawOps.map((raw, i) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) if (!OUTPUT_OP_KEYS.has(k)) out[k] = v;
    const r = results[i]!;
    out.result = r.result;
    if (r.fault_page !== undefined) out.fault_page = r.fault_page;
    if (r.ret_page !== undefined) out.ret_page = r.ret_page;
    return out;
  });
  return { name: parsed.name, ops, vmas: space.vmas() };
}

function checkText(text: unknown, line: number | undefined): void {
  if (typeof text !== 'string') throw new ScenarioError({ line, field: 'text' }, 'a string of JSON', text);
}

/** Replay one JSONL line; returns the output line with its `\n`. lineNo is 1-based. */
export function replayLine(text: string, lineNo?: number, options: AddressSpaceOptions = {}): string {
  if (lineNo !== undefined && !(Number.isSafeInteger(lineNo) && lineNo >= 1)) {
    throw new ScenarioError({ field: 'lineNo' }, 'a 1-based line number or undefined', lineNo);
  }
  checkText(text, lineNo);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ScenarioError(
      { line: lineNo, field: 'line' },
      'one JSON object',
      `${text.slice(0, 60)} (${(err as Error).message})`,
    );
  }
  return `${JSON.stringify(replay(raw, options, lineNo))}\n`;
}

/** Replay a whole JSONL text (blank lines skipped); returns the output text. */
export function replayJsonl(text: string, options: AddressSpaceOptions = {}): string {
  checkText(text, undefined);
  let out = '';
  text.split('\n').forEach((line, i) => {
    if (line.trim() !== '') out += replayLine(line, i + 1, options);
  });
  return out;
}
