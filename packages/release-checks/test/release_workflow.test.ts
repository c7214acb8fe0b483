import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { publicPackages, workspaceRoot } from '@vmaflags/tools/workspace';
import { expect, test } from 'vitest';
import { parse } from 'yaml';

// The release workflow builds exactly the targets the addon declares, hands
// the binaries to the step that places them, and publishes with provenance.

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  'working-directory'?: string;
}
interface Job {
  strategy?: { matrix: { settings: { target: string; host: string }[] } };
  permissions?: Record<string, string>;
  steps: Step[];
}

const workflow = parse(readFileSync(join(workspaceRoot, '.github/workflows/release.yml'), 'utf8')) as {
  jobs: Record<string, Job>;
};
const napiPackages = publicPackages().filter((p) => p.manifest.napi);
const { build, publish } = workflow.jobs as { build: Job; publish: Job };

test('there is an addon to release', () => {
  expect(napiPackages.length).toBeGreaterThan(0);
});

test.each(napiPackages.map((p) => [p.manifest.name as string, p] as const))(
  'the build matrix is exactly napi.targets of %s',
  (_name, p) => {
    const matrix = build.strategy!.matrix.settings.map((s) => s.target);
    expect(new Set(matrix).size).toBe(matrix.length);
    expect([...matrix].sort()).toEqual([...(p.manifest.napi.targets as string[])].sort());
  },
);

test.each(napiPackages.map((p) => [p.manifest.name as string, p] as const))(
  'each build job builds its own target of %s and uploads the binary',
  (_name, p) => {
    const dir = relative(workspaceRoot, p.dir);
    const buildStep = build.steps.find((s) => s.run?.includes('napi build'));
    expect(buildStep?.['working-directory']).toBe(dir);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, matched literally
    expect(buildStep?.run).toContain('--target ${{ matrix.settings.target }}');
    expect(buildStep?.run).toContain('--release');
    const upload = build.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.with).toMatchObject({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, matched literally
      name: 'bindings-${{ matrix.settings.target }}',
      path: `${dir}/${p.manifest.napi.binaryName}.*.node`,
    });
  },
);

test.each(napiPackages.map((p) => [p.manifest.name as string, p] as const))(
  'the publish job places the binaries of %s before publishing',
  (_name, p) => {
    const dir = relative(workspaceRoot, p.dir);
    const names = publish.steps.map((s) => s.run ?? s.uses ?? '');
    const download = publish.steps.find((s) => s.uses?.startsWith('actions/download-artifact'));
    // `npm run artifacts` reads ./artifacts below the package (see tools/napi-artifacts.mjs).
    expect(download?.with).toMatchObject({ pattern: 'bindings-*', path: `${dir}/artifacts` });
    const at = (needle: string) => names.findIndex((n) => n.includes(needle));
    expect(at(`npm run create-npm-dirs -w ${p.manifest.name}`)).toBeGreaterThan(at('actions/download-artifact'));
    expect(at(`npm run artifacts -w ${p.manifest.name}`)).toBeGreaterThan(
      at(`npm run create-npm-dirs -w ${p.manifest.name}`),
    );
    expect(at('changesets/action')).toBeGreaterThan(at(`npm run artifacts -w ${p.manifest.name}`));
  },
);

test('publishing runs changeset publish with npm provenance', () => {
  const root = JSON.parse(readFileSync(join(workspaceRoot, 'package.json'), 'utf8'));
  const action = publish.steps.find((s) => s.uses?.startsWith('changesets/action'));
  expect(action?.with?.publish).toBe('npm run release');
  expect(root.scripts.release).toMatch(/changeset publish/);
  expect(action?.with?.version).toBe('npm run version-packages');
  expect(String(action?.env?.NPM_CONFIG_PROVENANCE)).toBe('true');
  // Provenance needs the job's OIDC token.
  expect(publish.permissions?.['id-token']).toBe('write');
});
