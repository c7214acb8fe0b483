// A napi-rs package staged the way the release workflow makes it, for the
// one target this machine can build: its packed files copied out, the built
// addon placed where the workflow downloads artifacts, then the package's own
// `create-npm-dirs` and `artifacts` scripts and `napi pre-publish --dry-run`.
// pre-publish's only change to the package itself (optional dependencies on
// the platform packages) is applied here, as its dry run writes nothing.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { hostPlatformPackage } from '@vmaflags/tools/host-target';
import { workspaceRoot } from '@vmaflags/tools/workspace';
import { packListing } from './pack.js';

export interface StagedNapiPackage {
  /** The package as it would be published. */
  dir: string;
  /** Its platform package for this machine (`npm/<platform>`). */
  platformDir: string;
  platformPackage: string;
}

/** PATH with the workspace's bins first, so package scripts find `napi` and the tools. */
export function pathWithWorkspaceBins(path: string): string {
  return [join(workspaceRoot, 'node_modules', '.bin'), path].join(':');
}

export function stageNapiPackage(pkgDir: string, stageRoot: string, env: NodeJS.ProcessEnv): StagedNapiPackage {
  const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const host = hostPlatformPackage(manifest);
  if (!host) throw new Error(`${manifest.name}: no napi target for ${process.platform}-${process.arch}`);
  const dir = join(stageRoot, basename(pkgDir));
  for (const { path } of packListing(pkgDir).files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    copyFileSync(join(pkgDir, path), join(dir, path));
  }
  // Only this machine's binary exists, so the release is made for its target alone.
  manifest.napi.targets = [host.target.triple];
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const binary = `${manifest.napi.binaryName}.${host.target.platformArchABI}.node`;
  mkdirSync(join(dir, 'artifacts', `bindings-${host.target.triple}`), { recursive: true });
  copyFileSync(join(pkgDir, binary), join(dir, 'artifacts', `bindings-${host.target.triple}`, binary));

  const run = (cmd: string, args: string[]) =>
    execFileSync(cmd, args, { cwd: dir, env, encoding: 'utf8', stdio: 'pipe' });
  run('npm', ['run', 'create-npm-dirs']);
  run('npm', ['run', 'artifacts']);
  run('napi', ['pre-publish', '-t', 'npm', '--no-gh-release', '--dry-run']);
  manifest.optionalDependencies = { ...manifest.optionalDependencies, [host.name]: manifest.version };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir, platformDir: join(dir, 'npm', host.target.platformArchABI), platformPackage: host.name };
}
