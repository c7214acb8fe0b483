import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

// The suite as Stryker runs it: @vmaflags/mm is taken from the sources next
// to this file, so inside Stryker's sandbox the tests exercise the mutated
// copy of the port rather than the workspace package the symlink points at.
export default mergeConfig(base, {
  resolve: { alias: { '@vmaflags/mm': fileURLToPath(new URL('../mm/src/index.ts', import.meta.url)) } },
});
