import { packageProject } from '../../vitest.shared.ts';

export default packageProject('vma-testing', { testTimeout: 60_000 });
