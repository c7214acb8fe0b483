import { packageProject } from '../../vitest.shared.ts';

// Packing and installing take seconds each; the machine may be shared.
export default packageProject('release-checks', { testTimeout: 300_000, hookTimeout: 300_000 });
