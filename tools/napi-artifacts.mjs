#!/usr/bin/env node
// `napi artifacts` for a release: moves each target's built addon from
// ./artifacts (where the release workflow downloads them) into its
// ./npm/<platform> package. Checked first so a missing directory or binary is
// reported as what to put where, rather than as a bare ENOENT.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NapiCli, parseTriple } from '@napi-rs/cli';
import { readJson } from './workspace.mjs';

const dir = process.cwd();
const artifactsDir = join(dir, 'artifacts');
const npmDir = join(dir, 'npm');
const manifest = readJson(join(dir, 'package.json'));
const binaryName = manifest.napi.binaryName;
const targets = manifest.napi.targets.map((t) => parseTriple(t));

/** Every file below `root`, any depth (CI downloads one sub-directory per job). */
function filesBelow(root) {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

const present = new Set(filesBelow(artifactsDir));
const missing = targets.filter((t) => !present.has(`${binaryName}.${t.platformArchABI}.node`));
const noDirs = targets.filter((t) => !existsSync(join(npmDir, t.platformArchABI)));
if (missing.length > 0 || noDirs.length > 0) {
  const lines = [`${manifest.name}: cannot collect the release binaries.`];
  if (missing.length > 0) {
    lines.push(
      `  Put each target's built addon (\`napi build --platform --release --target <triple>\`) under ${relative(process.cwd(), artifactsDir) || '.'}/ (sub-directories are fine); missing:`,
      ...missing.map((t) => `    ${binaryName}.${t.platformArchABI}.node  (${t.triple})`),
      "  The release workflow (.github/workflows/release.yml) downloads every build job's artifact there.",
    );
  }
  if (noDirs.length > 0)
    lines.push(`  Run \`npm run create-npm-dirs\` first: npm/${noDirs[0].platformArchABI}/ and others do not exist.`);
  console.error(lines.join('\n'));
  process.exit(1);
}
await new NapiCli().artifacts({ cwd: dir, outputDir: 'artifacts', npmDir: 'npm' });
