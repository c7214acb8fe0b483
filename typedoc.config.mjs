// API reference of every public workspace package, merged into one site in
// docs/api. TypeDoc expands the `packages/*` glob itself, so a package added
// later is documented without editing this file; private packages (the test
// harness, anything not published) are left out by reading their manifests.
import { readdirSync, readFileSync } from 'node:fs';

const packagesDir = new URL('./packages/', import.meta.url);
const privatePackages = readdirSync(packagesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .filter((d) => {
    try {
      return JSON.parse(readFileSync(new URL(`${d.name}/package.json`, packagesDir), 'utf8')).private === true;
    } catch {
      return false;
    }
  })
  .map((d) => `packages/${d.name}`);
// Validation and source settings apply per package in this mode, so they sit
// in packageOptions as well as at the top.
const validation = { notExported: true, invalidLink: true, notDocumented: true };
// No "Defined in" source links: the repository has no public remote to point
// them at (a clone's origin is a local path), so TypeDoc could only warn.
const disableSources = true;

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'vmaflags',
  entryPointStrategy: 'packages',
  entryPoints: ['packages/*'],
  exclude: privatePackages,
  packageOptions: {
    entryPoints: ['src/index.ts'],
    tsconfig: 'tsconfig.json',
    validation,
    disableSources,
  },
  out: 'docs/api',
  readme: 'README.md',
  treatWarningsAsErrors: true,
  validation,
  disableSources,
};
