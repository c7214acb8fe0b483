import { readFileSync } from 'node:fs';
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

// A Stryker ignorer for the port's calls into the kernel functions that are
// empty in every environment (locks, TLB, interval trees: the `(…): void {}`
// bodies of @vmaflags/mm's include/stubs.ts). Removing such a call, or
// flipping the plain test of an `if` that guards nothing else, cannot change
// anything a test could see, so those mutants are equivalent by construction.
// They are reported as ignored, with this reason, instead of as survivors.

const stubsSource = readFileSync(new URL('../../mm/src/include/stubs.ts', import.meta.url), 'utf8');
const noOps = new Set([...stubsSource.matchAll(/export function (\w+)\([^)]*\): void \{\}/g)].map((m) => m[1]));

/** An expression with no side effects and no way to throw on the values the port passes. */
function pure(node) {
  switch (node.type) {
    case 'Identifier':
    case 'ThisExpression':
    case 'NullLiteral':
    case 'BooleanLiteral':
    case 'NumericLiteral':
    case 'StringLiteral':
      return true;
    case 'MemberExpression':
      return pure(node.object) && (!node.computed || pure(node.property));
    case 'TSNonNullExpression':
      return pure(node.expression);
    case 'BinaryExpression':
    case 'LogicalExpression':
      return pure(node.left) && pure(node.right);
    case 'UnaryExpression':
      return pure(node.argument);
    default:
      return false;
  }
}

/** `name` in `scope` is the no-op of that name imported from include/stubs. */
function isNoOp(name, scope) {
  if (!noOps.has(name)) return false;
  const binding = scope.getBinding(name);
  return binding?.kind === 'module' && String(binding.path.parent.source?.value).endsWith('/stubs.js');
}

// validate_mm() only reads the tree and raises a BUG when it is corrupt: on a
// correct tree it does nothing, so dropping a call to it leaves every
// observable result alone (the mutants that corrupt the tree are caught by
// the calls that remain and by the cases' own checks).
const CHECKERS = new Set(['validateMm']);

/** `name` is a read-only consistency check defined in the mutated file itself. */
function isChecker(name, scope) {
  if (!CHECKERS.has(name)) return false;
  const binding = scope.getBinding(name);
  return binding?.kind === 'hoisted';
}

/** A statement whose only effect is calling no-op stubs. */
function inert(node, scope) {
  if (node === null || node === undefined) return true;
  switch (node.type) {
    case 'ExpressionStatement': {
      const e = node.expression;
      return (
        e.type === 'CallExpression' &&
        e.callee.type === 'Identifier' &&
        (isNoOp(e.callee.name, scope) || isChecker(e.callee.name, scope)) &&
        e.arguments.every(pure)
      );
    }
    case 'BlockStatement':
      return node.body.length > 0 && node.body.every((n) => inert(n, scope));
    case 'IfStatement':
      return pure(node.test) && inert(node.consequent, scope) && inert(node.alternate, scope);
    default:
      return false;
  }
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'inert-stub-calls', {
    shouldIgnore(path) {
      return inert(path.node, path.scope)
        ? 'only calls kernel functions that are no-ops in every environment'
        : undefined;
    },
  }),
];
