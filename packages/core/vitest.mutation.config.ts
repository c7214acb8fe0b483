import { mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

// Stryker runs from the workspace root (its sandbox must hold vitest.shared.ts),
// so the project root is pinned here; the JSON results file is left alone.
export default mergeConfig(base, { root: import.meta.dirname, test: { reporters: ['default'] } });
