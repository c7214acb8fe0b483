#!/usr/bin/env node
// Bitwise mutation testing: the mutants Stryker has no operator for. For each
// source file it finds, with the TypeScript parser, every bitwise or shift
// expression and the number literals they use, applies one change at a time
// (operator swaps, a constant or shift amount off by one, a dropped `~`),
// runs the given test command, restores the file, and reports which mutants
// the tests killed.
//
//   node tools/mutation/bitwise.mjs --test "<command>" [--cwd dir] [--name id]
//        [--timeout seconds] [--only line,line] file.ts [file.ts ...]
//
// A mutant is killed when the command exits non-zero, survives when it exits 0,
// and times out past --timeout (counted as killed, as Stryker does); one a
// `bitwise-mutation disable` comment marks equivalent is reported as ignored,
// with the comment's reason, and left out of the score. Results go
// to reports/mutation/bitwise/<name>.json; the exit code is 0 whatever survives.

import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ts from 'typescript';

const { values: opts, positionals: files } = parseArgs({
  allowPositionals: true,
  options: {
    test: { type: 'string' },
    cwd: { type: 'string', default: process.cwd() },
    name: { type: 'string', default: 'bitwise' },
    timeout: { type: 'string', default: '120' },
    only: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
});
if (!opts.test || files.length === 0) {
  console.error(
    'usage: bitwise.mjs --test "<command>" [--cwd dir] [--name id] [--timeout s] [--only lines] [--dry-run] file.ts ...',
  );
  process.exit(2);
}
const cwd = path.resolve(opts.cwd);
const timeoutMs = Number(opts.timeout) * 1000;
const onlyLines = opts.only ? new Set(opts.only.split(',').map(Number)) : null;

const BINARY_SWAPS = {
  [ts.SyntaxKind.BarToken]: ['&', '^'],
  [ts.SyntaxKind.AmpersandToken]: ['|', '^'],
  [ts.SyntaxKind.CaretToken]: ['|', '&'],
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken]: ['>>'],
  [ts.SyntaxKind.GreaterThanGreaterThanToken]: ['>>>'],
  [ts.SyntaxKind.LessThanLessThanToken]: ['>>>'],
  [ts.SyntaxKind.BarEqualsToken]: ['&=', '^='],
  [ts.SyntaxKind.AmpersandEqualsToken]: ['|=', '^='],
  [ts.SyntaxKind.CaretEqualsToken]: ['|=', '&='],
  [ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken]: ['>>='],
  [ts.SyntaxKind.GreaterThanGreaterThanEqualsToken]: ['>>>='],
};
const BITWISE = new Set(Object.keys(BINARY_SWAPS).map(Number));
const SHIFTS = new Set([
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanToken,
  ts.SyntaxKind.LessThanLessThanToken,
  ts.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.GreaterThanGreaterThanEqualsToken,
  ts.SyntaxKind.LessThanLessThanEqualsToken,
]);

/** A literal's value written back in the style it had (hex stays hex). */
function formatLike(original, value) {
  if (/^0x/i.test(original)) return `0x${value.toString(16)}`;
  return String(value);
}

// Mutants that are equivalent by construction, marked in the source with
// `// bitwise-mutation disable next-line <ops>: <reason>` (the next line) or
// `// bitwise-mutation disable <ops>: <reason>` … `// bitwise-mutation restore`
// (a region). <ops> is a comma-separated list of the source text a mutant
// replaces (an operator such as `>>>`, `~`, or a literal such as `0`): only
// those mutants are covered, so a marked line keeps its other mutants.
// Returns line number (1-based) → { reason, ops }.
function equivalentLines(text) {
  const out = new Map();
  const lines = text.split('\n');
  let region = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/\/\/\s*bitwise-mutation restore\b/.test(line)) {
      region = null;
      continue;
    }
    if (region !== null) out.set(i + 1, region);
    const mark = /\/\/\s*bitwise-mutation disable(\s+next-line)?\s+(\S+):\s*(.*)$/.exec(line);
    if (mark) {
      const m = { reason: mark[3], ops: new Set(mark[2].split(',')) };
      if (mark[1]) out.set(i + 2, m);
      else region = m;
    }
  }
  return out;
}

/** The reason a comment of equivalentLines() gives for mutant m, if one covers it. */
function markedEquivalent(marks, m) {
  const mark = marks.get(m.line);
  return mark?.ops.has(m.original) ? mark.reason : undefined;
}

/** Every mutant of one file: { start, end, replacement, original, kind, line, col }. */
function mutantsOf(file, text) {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out = [];
  const add = (_node, startPos, endPos, replacement, kind) => {
    const { line, character } = sf.getLineAndCharacterOfPosition(startPos);
    if (onlyLines && !onlyLines.has(line + 1)) return;
    out.push({
      start: startPos,
      end: endPos,
      replacement,
      original: text.slice(startPos, endPos),
      kind,
      line: line + 1,
      col: character + 1,
    });
  };
  const literalMutants = (lit, why) => {
    const raw = lit.getText(sf);
    if (raw.includes('_') || raw.endsWith('n')) return; // separators or bigint: left alone
    const v = Number(raw);
    if (!Number.isInteger(v)) return;
    for (const w of [v - 1, v + 1]) {
      if (w < 0 || w > 0xffffffff) continue;
      add(lit, lit.getStart(sf), lit.getEnd(), formatLike(raw, w), why);
    }
  };
  const visit = (node) => {
    if (ts.isBinaryExpression(node) && BITWISE.has(node.operatorToken.kind)) {
      const op = node.operatorToken;
      // `x | 0` and `x ^ 0` are the same ToInt32: that swap is equivalent by construction.
      const zeroOperand = [node.left, node.right].some((n) => ts.isNumericLiteral(n) && Number(n.text) === 0);
      for (const r of BINARY_SWAPS[op.kind]) {
        const orXor = new Set([op.getText(sf).replace('=', ''), r.replace('=', '')]);
        if (zeroOperand && orXor.has('|') && orXor.has('^')) continue;
        add(op, op.getStart(sf), op.getEnd(), r, 'operator');
      }
      const why = SHIFTS.has(op.kind) ? 'shift amount' : 'mask constant';
      for (const side of [node.left, node.right]) {
        if (ts.isNumericLiteral(side)) literalMutants(side, why);
      }
    }
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.LessThanLessThanEqualsToken) {
      if (ts.isNumericLiteral(node.right)) literalMutants(node.right, 'shift amount');
    }
    if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.TildeToken) {
      // `~x` → `x`: the complement dropped.
      add(node, node.getStart(sf), node.operand.getStart(sf), '', 'complement');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

const originals = new Map();
let running = null;
function restoreAll() {
  for (const [file, text] of originals) writeFileSync(file, text);
}
// The test command runs asynchronously, so these handlers get to run: a
// stopped run leaves every source file as it found it.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (running) process.kill(-running.pid, 'SIGTERM');
    restoreAll();
    process.exit(130);
  });
}
process.on('exit', restoreAll);

function runTests() {
  const started = Date.now();
  return new Promise((resolve) => {
    // Its own process group, so a timeout or a stop ends the whole command.
    const child = spawn(opts.test, {
      cwd,
      shell: true,
      stdio: 'ignore',
      detached: true,
      env: { ...process.env, VITEST_NO_JSON: '1' },
    });
    running = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      running = null;
      const ms = Date.now() - started;
      resolve({ status: timedOut ? 'timeout' : code === 0 ? 'survived' : 'killed', ms });
    });
  });
}

const baseline = opts['dry-run'] ? { status: 'survived', ms: 0 } : await runTests();
if (baseline.status !== 'survived') {
  console.error(`the test command fails before any mutation (${baseline.status}): ${opts.test}`);
  process.exit(1);
}

const results = [];
for (const rel of files) {
  const file = path.resolve(cwd, rel);
  const text = readFileSync(file, 'utf8');
  originals.set(file, text);
  const mutants = mutantsOf(file, text);
  const equivalent = equivalentLines(text);
  for (const m of mutants) {
    const mutated = text.slice(0, m.start) + m.replacement + text.slice(m.end);
    let outcome = { status: 'skipped', ms: 0 };
    const reason = markedEquivalent(equivalent, m);
    if (reason !== undefined) {
      outcome = { status: 'ignored', reason, ms: 0 };
    } else if (!opts['dry-run']) {
      writeFileSync(file, mutated);
      try {
        outcome = await runTests();
      } finally {
        writeFileSync(file, text);
      }
    }
    const row = {
      file: rel,
      line: m.line,
      col: m.col,
      kind: m.kind,
      from: m.original,
      to: m.replacement === '' ? '(removed)' : m.replacement,
      ...outcome,
    };
    results.push(row);
    process.stdout.write(`${row.status.padEnd(8)} ${rel}:${m.line}:${m.col} ${m.kind}: ${row.from} -> ${row.to}\n`);
  }
  originals.delete(file);
}

const count = (s) => results.filter((r) => r.status === s).length;
const ignored = count('ignored');
const killed = count('killed');
const timedOut = count('timeout');
const survived = count('survived');
const total = killed + timedOut + survived;
const score = total === 0 ? 100 : ((killed + timedOut) / total) * 100;

console.log(`${'\nfile'.padEnd(32)}killed  timeout  survived  ignored  score`);
for (const rel of files) {
  const rows = results.filter((r) => r.file === rel);
  const k = rows.filter((r) => r.status === 'killed').length;
  const t = rows.filter((r) => r.status === 'timeout').length;
  const s = rows.filter((r) => r.status === 'survived').length;
  const ig = rows.filter((r) => r.status === 'ignored').length;
  const sc = k + t + s === 0 ? 100 : ((k + t) / (k + t + s)) * 100;
  console.log(
    `${rel.padEnd(31)}${String(k).padStart(6)}${String(t).padStart(9)}${String(s).padStart(10)}${String(ig).padStart(9)}  ${sc.toFixed(2)}%`,
  );
}
console.log(
  `${'all'.padEnd(31)}${String(killed).padStart(6)}${String(timedOut).padStart(9)}${String(survived).padStart(10)}${String(ignored).padStart(9)}  ${score.toFixed(2)}%`,
);
if (survived > 0) {
  console.log('\nsurvived:');
  for (const r of results.filter((x) => x.status === 'survived'))
    console.log(`  ${r.file}:${r.line}:${r.col} ${r.kind}: ${r.from} -> ${r.to}`);
}

const reportDir = path.resolve(import.meta.dirname, '../../reports/mutation/bitwise');
mkdirSync(reportDir, { recursive: true });
const report = {
  name: opts.name,
  test: opts.test,
  cwd,
  files,
  killed,
  timeout: timedOut,
  survived,
  ignored,
  score,
  mutants: results,
};
writeFileSync(path.join(reportDir, `${opts.name}.json`), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nreport: ${path.relative(process.cwd(), path.join(reportDir, `${opts.name}.json`))}`);
