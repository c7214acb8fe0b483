import { defineConfig } from 'vitest/config';

// One-process run over every package (IDE, merged coverage). Per-package runs
// go through nx (`npm test`), which orders builds before tests.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples'],
    // TypeScript only: the addon's Rust sources sit in src/ too, and v8 coverage cannot parse them.
    coverage: { provider: 'v8', include: ['packages/*/src/**/*.ts'], exclude: ['**/*.test.ts', '**/*.d.ts'] },
  },
});
