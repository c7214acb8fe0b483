import { packageProject } from '../../vitest.shared.ts';

export default packageProject('mm', { testTimeout: 60_000 });
