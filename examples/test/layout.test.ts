import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// What makes an example one: a header comment saying what it shows, a test
// that runs it, a line in the README, and imports by public package names
// only, so it reads like code outside this repository.
const src = new URL('../src/', import.meta.url);
const names = readdirSync(src)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3))
  .sort();
const tests = new Set(readdirSync(new URL('./', import.meta.url)));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('examples layout', () => {
  it('has examples', () => {
    expect(names.length).toBeGreaterThanOrEqual(3);
  });

  describe.each(names)('%s', (name) => {
    const text = readFileSync(new URL(`${name}.ts`, src), 'utf8');

    it('opens with a header comment of at least two lines', () => {
      const header = text.split('\n').findIndex((l) => !l.startsWith('//'));
      expect(header).toBeGreaterThanOrEqual(2);
    });

    it('has a test that runs it', () => {
      expect(tests.has(`${name}.test.ts`)).toBe(true);
      const test = readFileSync(new URL(`./${name}.test.ts`, import.meta.url), 'utf8');
      expect(test).toContain(`runExample('${name}'`);
    });

    it('is listed in the README', () => {
      expect(readme).toContain(`src/${name}.ts`);
    });

    it('imports packages by their public names only', () => {
      const specifiers = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1] as string);
      expect(specifiers.length).toBeGreaterThan(0);
      for (const s of specifiers) expect(s).toMatch(/^(node:[a-z_/]+|@vmaflags\/[a-z-]+)$/);
    });
  });
});
