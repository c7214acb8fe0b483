import { packageProject } from '../../vitest.shared.ts';

// Every test spawns the built bin; give slow shared machines room.
export default packageProject('cli', { testTimeout: 30_000 });
