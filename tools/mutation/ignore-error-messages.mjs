// A Stryker ignorer: the text of an error or warning is for people, and a
// mutant that only rewords it tells nothing about the model. Ignores the
// whole expression that builds the message (the throw itself stays mutated,
// so a removed check is still caught).
import { PluginKind, declareValuePlugin } from '@stryker-mutator/api/plugin';

// Calls that only assemble a message: the project's error factories, and
// Error subclasses constructed directly.
const MESSAGE_BUILDERS = /^(rangeError|typeError|badBit|badWord|bitError|bitsError|configMismatch|describe)$|Error$/;

function calleeName(node) {
  const c = node.callee;
  if (c?.type === 'Identifier') return c.name;
  if (c?.type === 'MemberExpression' && c.property?.type === 'Identifier') return c.property.name;
  return undefined;
}

// Functions whose string literals are only message text (validateMm's are
// the text of the BUG it raises on a corrupt tree).
const MESSAGE_FUNCTIONS = /^(badBit|badWord|configLabel|configMismatch|describe|rangeError|typeError|validateMm)$/;

// The kernel's WARN/BUG family in @vmaflags/mm: the condition stays mutated
// (a check that no longer fires is a real mutant); the text after it only
// tells a reader which check fired.
const KERNEL_CHECKS = /^(VM_)?(WARN|BUG)_ON(_ONCE|_VMG|_VMA|_MM)?$/;

function isKernelCheckText(path) {
  const parent = path.parentPath?.node;
  if (parent?.type !== 'CallExpression') return false;
  const name = calleeName(parent);
  if (name === undefined || !KERNEL_CHECKS.test(name)) return false;
  const i = parent.arguments.indexOf(path.node);
  return i >= 0 && i === parent.arguments.length - 1 && i > 0;
}

function isMessageText(path) {
  for (let p = path.parentPath; p; p = p.parentPath) {
    const n = p.node;
    if (n.type === 'VariableDeclarator' && n.id?.type === 'Identifier' && /^(allowed|message|msg)$/.test(n.id.name))
      return true;
    if (n.type === 'FunctionDeclaration') return MESSAGE_FUNCTIONS.test(n.id?.name ?? '');
  }
  return false;
}

// Checks that take the caller's argument name (or helper name) only to put it
// in the message they may throw: that string literal is message text too.
const NAMING_CHECKS = /^(assert\w*|check\w*|mmOf|lanesOf|writableLanesOf|maskLanes|split\w*|toVmWord|legacyWordOf)$/;

function isArgumentName(path) {
  const parent = path.parentPath?.node;
  if (!parent || (parent.type !== 'CallExpression' && parent.type !== 'NewExpression')) return false;
  if (!parent.arguments.includes(path.node)) return false;
  const name = calleeName(parent);
  return name !== undefined && NAMING_CHECKS.test(name);
}

const errorMessages = {
  shouldIgnore(path) {
    const node = path.node;
    if ((node.type === 'StringLiteral' || node.type === 'TemplateLiteral') && isArgumentName(path)) {
      return 'Argument name for an error message';
    }
    if ((node.type === 'StringLiteral' || node.type === 'TemplateLiteral') && isKernelCheckText(path)) {
      return 'Text of a kernel WARN or BUG';
    }
    if ((node.type === 'StringLiteral' || node.type === 'TemplateLiteral') && isMessageText(path)) {
      return 'Error or warning text';
    }
    if (node.type === 'CallExpression' || node.type === 'NewExpression') {
      const name = calleeName(node);
      if (name !== undefined && (MESSAGE_BUILDERS.test(name) || name === 'emitWarning')) {
        return 'Builds error or warning text';
      }
    }
    return undefined;
  },
};

export const strykerPlugins = [declareValuePlugin(PluginKind.Ignore, 'error-messages', errorMessages)];
