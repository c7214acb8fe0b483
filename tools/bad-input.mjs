// The bad-input sweep shared by the packages: hostile values, the verdict on
// what a call did with one, and the loop that puts each value in each argument
// position of a table of valid calls. Framework-free, so each package's test
// turns the returned problems into its own assertions.
import { isDeepStrictEqual } from 'node:util';

/**
 * Phrases of the JavaScript engine's own errors. An API error must be its own
 * message naming the argument; one of these means a value reached code that
 * assumed its type.
 */
export const ENGINE_PHRASES = [
  'Cannot convert',
  'Invalid string length',
  'Maximum call stack',
  'revoked',
  'is not a function',
  'Cannot read properties',
  'Cannot mix BigInt',
  'is not iterable',
  'Invalid array length',
  'Invalid typed array length',
  'Array buffer allocation failed',
  'Cannot create property',
  'Cannot perform',
  'is not a constructor',
  'Do not know how to serialize',
];

/** What a Proxy whose every trap throws throws: the caller's own error, never expected to escape. */
export class TrapError extends Error {
  constructor(trap) {
    super(`${trap} trap`);
    this.name = 'TrapError';
  }
}

const TRAPS = [
  'apply',
  'construct',
  'defineProperty',
  'deleteProperty',
  'get',
  'getOwnPropertyDescriptor',
  'getPrototypeOf',
  'has',
  'isExtensible',
  'ownKeys',
  'preventExtensions',
  'set',
  'setPrototypeOf',
];

function throwingHandler() {
  const handler = {};
  for (const trap of TRAPS) {
    handler[trap] = () => {
      throw new TrapError(trap);
    };
  }
  return handler;
}

let common;

// Built once: the big ones cost tens of megabytes, and none of them is
// something an API may legitimately modify.
function commonHostileValues() {
  if (common) return common;
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();
  const sparse = [];
  sparse.length = 2 ** 32 - 1;
  const throwingConstructor = {};
  Object.defineProperty(throwingConstructor, 'constructor', {
    get() {
      throw new TrapError('constructor getter');
    },
  });
  common = [
    ['undefined', undefined],
    ['null', null],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['-1', -1],
    ['1.5', 1.5],
    ['2**53', 2 ** 53],
    ['-0', -0],
    ['2n**70n', 2n ** 70n],
    ['-1n', -1n],
    ["''", ''],
    ["'0x1g'", '0x1g'],
    ['10 MB string', 'x'.repeat(10 * 1024 * 1024)],
    ['Symbol()', Symbol('hostile')],
    ['[]', []],
    ['sparse array of length 2**32-1', sparse],
    ['array of 10^6 bits', Array.from({ length: 1e6 }, (_, i) => i % 2)],
    ['{}', {}],
    ['Object.create(null)', Object.create(null)],
    ['revoked Proxy', revoked.proxy],
    ['Proxy whose every trap throws', new Proxy({}, throwingHandler())],
    ['object with a throwing constructor getter', throwingConstructor],
    [
      'a function',
      function hostile() {
        return hostile;
      },
    ],
  ];
  return common;
}

/**
 * The hostile values as `[label, value]` pairs: the common list plus the
 * package's own (e.g. a frozen bitmap of a different config).
 */
export function hostileValues(extra = []) {
  return [...commonHostileValues(), ...extra];
}

/** Whether `err` is one of `classes` and its message names `param` in its own words; else what is wrong. */
export function rejectionProblem(err, param, classes = [TypeError, RangeError], alsoNamed = []) {
  if (!classes.some((c) => err instanceof c)) {
    const kind = err instanceof Error ? `${err.name}: ${err.message}` : typeof err;
    return `threw ${kind}, not one of ${classes.map((c) => c.name).join('/')}`;
  }
  const message = err.message;
  if (typeof message !== 'string') return 'threw an error without a message';
  const engine = ENGINE_PHRASES.find((p) => message.includes(p));
  if (engine !== undefined) return `engine message (${JSON.stringify(engine)}): ${message.slice(0, 200)}`;
  if (![param, ...alsoNamed].some((name) => message.includes(name))) {
    return `message does not name ${param}: ${message.slice(0, 200)}`;
  }
  if (message.length > 4096) return `message of ${message.length} characters`;
  return undefined;
}

/**
 * One table entry: a valid call of an exported function, constructor or method.
 *
 * - `params`: the parameter names as the docs call them, one per position the
 *   sweep substitutes (a rest parameter is one position, named e.g. `bits`).
 * - `make()`: fresh valid arguments.
 * - `call(...args)`: the call under test.
 * - `state(args)`: for mutators, the observable state of the valid arguments,
 *   compared before and after a call that threw.
 * - `sane(result, args)`: optional; returns a problem with an accepted value's
 *   result, or undefined.
 * - `classes`: the error classes the entry may throw (default TypeError/RangeError).
 * - `alsoNamed`: the fields of an object argument, which a message may name
 *   instead (a scenario missing its `name` is rejected by naming `name`).
 * - `neverValid`: a constructor only the package itself calls; every value must
 *   be rejected, and `make()` gives arguments of the right shape.
 */

/** Substitute `value` at position `pos` of a fresh valid call of `entry`; return a problem or undefined. */
export function tryHostile(entry, pos, value) {
  const args = entry.make();
  const before = entry.state?.(args);
  const hostileArgs = [...args];
  hostileArgs[pos] = value;
  let result;
  try {
    result = entry.call(...hostileArgs);
    if (entry.neverValid === true) return 'accepted a call that has no valid form';
  } catch (err) {
    const problem = rejectionProblem(err, entry.params[pos], entry.classes, entry.alsoNamed);
    if (problem !== undefined) return problem;
    if (entry.state !== undefined) {
      const after = entry.state(args);
      if (!isDeepStrictEqual(before, after)) return 'threw but changed the state of its other arguments';
    }
    return undefined;
  }
  return entry.sane?.(result, hostileArgs);
}

/** Every (position, hostile value) of `entry` that does not end well, as `"<param> = <label>: <problem>"`. */
export function sweepEntry(entry, values) {
  const problems = [];
  // The valid call itself must work, or every substitution proves nothing.
  if (entry.neverValid !== true) entry.call(...entry.make());
  for (let pos = 0; pos < entry.params.length; pos++) {
    for (const [label, value] of values) {
      const problem = tryHostile(entry, pos, value);
      if (problem !== undefined) problems.push(`${entry.params[pos]} = ${label}: ${problem}`);
    }
  }
  return problems;
}

/**
 * Replace every position of a fresh valid call of `entry` at once, position i
 * by `values[picks[i]]`: a throw must name one of the replaced parameters and
 * leave the state as it was. A problem or undefined.
 */
export function tryHostileCombination(entry, values, picks) {
  const args = entry.make();
  const before = entry.state?.(args);
  const hostile = args.map((a, i) => (i < entry.params.length ? values[picks[i] % values.length][1] : a));
  try {
    entry.call(...hostile);
  } catch (err) {
    const problems = entry.params.map((p) => rejectionProblem(err, p, entry.classes, entry.alsoNamed));
    if (!problems.includes(undefined)) return problems[0];
    if (entry.state !== undefined && !isDeepStrictEqual(before, entry.state(args))) {
      return 'threw but changed the state of its other arguments';
    }
  }
  return undefined;
}

/**
 * The exports that neither the table nor the list of argument-free exports
 * covers, and the table rows that name no export: both must be empty.
 */
export function coverageGaps(api, tableNames, argumentFree) {
  const covered = new Set([...tableNames, ...argumentFree]);
  const exported = new Set(Object.keys(api));
  return {
    uncovered: [...exported].filter((k) => !covered.has(k)).sort(),
    unknown: [...covered].filter((k) => !exported.has(k)).sort(),
  };
}

/**
 * Sweep entries for every operation of a `FlagsBackend` (the interface of
 * `@vmaflags/core`), named `<name>#<op>`. `flags()` makes a bitmap with bits
 * 0, 1, 4 and 5 set, `mask()` one with bits 0 and 4; mutators must leave their
 * bitmap unchanged when they throw. Operations `backend` lacks are left out.
 */
export function flagsBackendEntries(name, backend, flags, mask) {
  const one = () => backend.mk(4);
  const other = () => backend.mk(9);
  const ops = [
    ['mk', ['bits'], () => [3], false],
    ['append', ['base', 'bits'], () => [flags(), 3], false],
    ['copy', ['flags'], () => [flags()], false],
    ['toWords', ['flags'], () => [flags()], false],
    ['fromWords', ['words'], () => [[0x73n]], false],
    ['fromLegacy', ['value'], () => [0x73n], false],
    ['toLegacy', ['flags'], () => [flags()], false],
    ['clearAll', ['flags'], () => [flags()], true],
    ['overwriteWord', ['flags', 'value'], () => [flags(), 0x3n], true],
    ['overwriteWordOnce', ['flags', 'value'], () => [flags(), 0x3n], true],
    ['setWord', ['flags', 'value'], () => [flags(), 0x3n], true],
    ['clearWord', ['flags', 'value'], () => [flags(), 0x3n], true],
    ['test', ['flags', 'bit'], () => [flags(), 4], false],
    ['testAny', ['flags', 'bits'], () => [flags(), 4], false],
    ['testAnyMask', ['flags', 'mask'], () => [flags(), mask()], false],
    ['testAll', ['flags', 'bits'], () => [flags(), 4], false],
    ['testAllMask', ['flags', 'mask'], () => [flags(), mask()], false],
    ['testSingleMask', ['flags', 'mask'], () => [flags(), one()], false],
    ['count', ['flags'], () => [flags()], false],
    ['empty', ['flags'], () => [flags()], false],
    ['samePair', ['a', 'b'], () => [flags(), mask()], false],
    ['sameMask', ['flags', 'mask'], () => [flags(), mask()], false],
    ['same', ['flags', 'bits'], () => [flags(), 4], false],
    ['diffPair', ['a', 'b'], () => [flags(), mask()], false],
    ['andMask', ['flags', 'mask'], () => [flags(), mask()], false],
    ['and', ['flags', 'bits'], () => [flags(), 4], false],
    ['setFlag', ['flags', 'bit'], () => [flags(), 9], true],
    ['set', ['flags', 'bits'], () => [flags(), 9], true],
    ['setMask', ['flags', 'mask'], () => [flags(), other()], true],
    ['clear', ['flags', 'bits'], () => [flags(), 4], true],
    ['clearMask', ['flags', 'mask'], () => [flags(), mask()], true],
  ];
  // The addon's raw helper objects lack the operations its wrapper adds.
  return ops
    .filter(([op]) => typeof backend[op] === 'function')
    .map(([op, params, make, mutates]) => ({
      name: `${name}#${op}`,
      params,
      make,
      call: (...a) => backend[op](...a),
      ...(mutates ? { state: (a) => backend.toWords(a[0]) } : {}),
    }));
}
