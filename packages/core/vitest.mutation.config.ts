import { mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

// Stryker runs from the workspace root (its sandbox must hold vitest.shared.ts),
// so the project root is pinned here; the JSON results file is left alone.
const mutation = mergeConfig(base, { root: import.meta.dirname, test: { reporters: ['default'] } });
export default mutation;

/** The mutation config restricted to `include` (mergeConfig would append to the list instead). */
export function withTests(include: string[]): typeof mutation {
  return { ...mutation, test: { ...mutation.test, include } };
}
