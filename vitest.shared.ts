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
      reporters: process.env.VITEST_NO_JSON ? ['default'] : ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
      ...extra,
    },
  });
}
