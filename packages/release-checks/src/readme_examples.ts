// The ```ts examples of a README section as programs a user could run: each
// line of the form `expression; // value` becomes an assertion that the
// expression equals the documented value, and each block is compiled to an
// ES module and to a CommonJS script (TypeScript's own emit), so both ways
// of loading the packages are exercised.
import ts from 'typescript';

export interface Example {
  /** Position in the section, from 0. */
  index: number;
  source: string;
  esm: string;
  cjs: string;
  /** How many documented values the example checks. */
  assertions: number;
}

/** The fenced ```ts blocks between `## heading` and the next `## ` heading. */
export function sectionBlocks(markdown: string, heading: string): string[] {
  const start = markdown.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no "## ${heading}" section`);
  const end = markdown.indexOf('\n## ', start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

// A comment that starts like a JS value (not prose): a literal, an array, a string.
const VALUE_COMMENT = /^(.*?);\s*\/\/\s*((?:true|false|null|undefined|-?\d|0x|'|"|`|\[).*)$/;

/** The shortest prefix of `text` that is a complete expression ("false: no EXEC" → "false"). */
function valuePrefix(text: string): string | undefined {
  for (let end = 1; end <= text.length; end++) {
    const candidate = text.slice(0, end).trim();
    const rest = text.slice(end).trim();
    if (rest !== '' && !rest.startsWith(':')) continue;
    const sf = ts.createSourceFile('v.ts', `(${candidate});`, ts.ScriptTarget.ES2022);
    if ((sf as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length === 0) return candidate;
  }
  return undefined;
}

function withAssertions(source: string): { code: string; assertions: number } {
  let assertions = 0;
  const lines = source.split('\n').map((line) => {
    const m = VALUE_COMMENT.exec(line);
    if (!m || /^\s*(const|let|var|import|export)\b/.test(m[1]!)) return line;
    const value = valuePrefix(m[2]!);
    if (value === undefined) return line;
    assertions++;
    return `assert.deepStrictEqual(${m[1]!.trim()}, ${value});`;
  });
  return { code: `import assert from 'node:assert/strict';\n${lines.join('\n')}`, assertions };
}

function compile(code: string, module: ts.ModuleKind): string {
  return ts.transpileModule(code, {
    compilerOptions: { module, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
}

export function readmeExamples(markdown: string, heading: string): Example[] {
  return sectionBlocks(markdown, heading).map((source, index) => {
    const { code, assertions } = withAssertions(source);
    return {
      index,
      source,
      esm: compile(code, ts.ModuleKind.ESNext),
      cjs: compile(code, ts.ModuleKind.CommonJS),
      assertions,
    };
  });
}
