import { defineProject, type UserWorkspaceConfig } from 'vitest/config';

// Every package writes machine-readable results next to itself so `.ci/run`
// (and nx's cache, which restores `test-results/`) can count real outcomes.
export function packageProject(name: string, extra: UserWorkspaceConfig['test'] = {}) {
  const conditions = ['@vmaflags/source', 'node', 'import', 'module', 'default'];
  return defineProject({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ['@vmaflags/source'] } },
    test: {
      name,
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      benchmark: { include: ['bench/**/*.bench.ts'] },
      // VITEST_JSON_OUTPUT names another file for runs on other Node versions (tools/vitest-on-node.mjs).
      reporters: process.env.VITEST_NO_JSON
        ? ['default']
        : ['default', ['json', { outputFile: process.env.VITEST_JSON_OUTPUT ?? 'test-results/vitest.json' }]],
      ...extra,
    },
  });
}
