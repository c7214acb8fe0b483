import { defineConfig } from 'vitest/config';

// One-process run over every package (IDE, merged coverage). Per-package runs
// go through nx (`npm test`), which orders builds before tests.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples'],
    coverage: { provider: 'v8', include: ['packages/*/src/**'], exclude: ['**/*.test.ts'] },
  },
});
