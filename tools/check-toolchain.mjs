#!/usr/bin/env node
// Runs before `npm test` and `npm run build`: the build needs cargo (for every
// napi-rs package) and npm 11 (npm 10 rewrites package-lock.json). Checking
// here turns a deep failure inside a build step into one message that says
// what to install. Exits 1 when something is missing.
import { spawnSync } from 'node:child_process';
import { hostPlatformPackage } from './host-target.mjs';
import { workspacePackages } from './workspace.mjs';

const problems = [];

const napiPackages = workspacePackages().filter((p) => p.manifest.napi);
if (napiPackages.length > 0 && spawnSync('cargo', ['--version'], { stdio: 'ignore' }).error) {
  const prebuilt = napiPackages.map((p) => {
    const host = hostPlatformPackage(p.manifest);
    return host
      ? `\`npm install ${p.manifest.name}\` installs the prebuilt ${host.name}`
      : `${p.manifest.name} has no prebuilt package for ${process.platform}-${process.arch}`;
  });
  problems.push(
    [
      `cargo was not found on PATH; building ${napiPackages.map((p) => p.manifest.name).join(', ')} needs a Rust toolchain.`,
      "  Install Rust with rustup (https://rustup.rs): curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh",
      '  then open a new shell (or `source ~/.cargo/env`) and run the command again.',
      `  To use the packages without building them: ${prebuilt.join('; ')}.`,
    ].join('\n'),
  );
}

// `npm_config_user_agent` is "npm/11.19.1 node/v20.20.2 …" when run by npm.
const npmVersion = /\bnpm\/(\d+)\./.exec(process.env.npm_config_user_agent ?? '')?.[1];
if (npmVersion !== undefined && Number(npmVersion) < 11) {
  problems.push(
    `npm ${npmVersion} is running this workspace; it needs npm 11 (see "packageManager" in package.json):\n` +
      '  npm 10 rewrites package-lock.json on install. Upgrade with `npm install -g npm@11`, or run `npx npm@11 …`.',
  );
}

if (problems.length > 0) {
  console.error(problems.join('\n\n'));
  process.exit(1);
}
