import { packageProject } from '../../vitest.shared.ts';

export default packageProject('sim', { testTimeout: 60_000 });
