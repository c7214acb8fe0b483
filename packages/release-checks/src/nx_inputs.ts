// Which workspace files an nx target's inputs cover, following nx's forms:
// `{projectRoot}`/`{workspaceRoot}` globs, `!` exclusions, named inputs (from
// nx.json or the project) and `^name` for the project's workspace dependencies.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { workspacePackages, workspaceRoot, type WorkspacePackage } from '@vmaflags/tools/workspace';
import { globSync } from 'tinyglobby';

type Input = string | Record<string, unknown>;
export interface NxTarget {
  inputs?: Input[];
  cache?: boolean;
  options?: { script?: string };
}
export interface NxProject {
  name: string;
  root: string;
  namedInputs?: Record<string, Input[]>;
  targets: Record<string, NxTarget>;
}

const nxJson = JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8')) as {
  namedInputs: Record<string, Input[]>;
};
const nxBin = join(workspaceRoot, 'node_modules', '.bin', 'nx');

const projects = new Map<string, NxProject>();
/** The project as nx resolves it (target defaults and package.json `nx` merged). */
export function nxProject(name: string): NxProject {
  let project = projects.get(name);
  if (!project) {
    const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
    project = JSON.parse(
      execFileSync(nxBin, ['show', 'project', name, '--json'], { cwd: workspaceRoot, env, encoding: 'utf8' }),
    ) as NxProject;
    projects.set(name, project);
  }
  return project;
}

/** Groups of globs (workspace-relative); a file is an input if some group includes and does not exclude it. */
interface GlobGroup {
  include: string[];
  exclude: string[];
}

function workspaceDependencies(pkg: WorkspacePackage): WorkspacePackage[] {
  const names = new Set(
    Object.keys({ ...pkg.manifest.dependencies, ...pkg.manifest.devDependencies, ...pkg.manifest.peerDependencies }),
  );
  return workspacePackages().filter((p) => names.has(p.manifest.name));
}

function expand(
  pkg: WorkspacePackage,
  project: NxProject,
  inputs: Input[],
  group: GlobGroup,
  groups: GlobGroup[],
  seen: Set<string>,
): void {
  const root = relative(workspaceRoot, pkg.dir);
  for (const input of inputs) {
    if (typeof input !== 'string') continue; // env, externalDependencies, runtime: not files
    if (input.startsWith('^')) {
      for (const dep of workspaceDependencies(pkg)) {
        const key = `${dep.manifest.name}:${input}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const depProject = nxProject(dep.manifest.name);
        const depGroup: GlobGroup = { include: [], exclude: [] };
        groups.push(depGroup);
        expand(dep, depProject, [input.slice(1)], depGroup, groups, seen);
      }
      continue;
    }
    const named = project.namedInputs?.[input] ?? nxJson.namedInputs[input];
    if (named) {
      expand(pkg, project, named, group, groups, seen);
      continue;
    }
    const negated = input.startsWith('!');
    const glob = (negated ? input.slice(1) : input)
      .replace('{projectRoot}', root)
      .replace('{workspaceRoot}/', '')
      .replace(/^\.\//, '');
    (negated ? group.exclude : group.include).push(glob);
  }
}

/** Whether `file` (workspace-relative) is among the inputs of `target` of the package's project. */
export function isInput(pkg: WorkspacePackage, project: NxProject, target: NxTarget, file: string): boolean {
  const own: GlobGroup = { include: [], exclude: [] };
  const groups = [own];
  expand(pkg, project, target.inputs ?? ['default', '^default'], own, groups, new Set());
  return groups.some(
    (g) =>
      g.include.length > 0 && globSync(g.include, { cwd: workspaceRoot, ignore: g.exclude, dot: true }).includes(file),
  );
}

/** Workspace files a package script runs: script paths, workspace bins, and the scripts it runs with `npm run`. */
export function filesRunBy(pkg: WorkspacePackage, script: string, seen = new Set<string>()): string[] {
  const command = pkg.manifest.scripts?.[script] as string | undefined;
  if (command === undefined || seen.has(script)) return [];
  seen.add(script);
  const bins = new Map<string, string>();
  for (const p of workspacePackages()) {
    for (const [name, target] of Object.entries((p.manifest.bin ?? {}) as Record<string, string>))
      bins.set(name, relative(workspaceRoot, join(p.dir, target)));
  }
  const files: string[] = [];
  const words = command.split(/\s+|&&|;|\|\|/).filter(Boolean);
  words.forEach((word, i) => {
    // A path right after an option (`--js binding.cjs`) is something the command writes;
    // any word right after an option is its argument (`cargo test -p vmaflags` names a crate), not a bin.
    const previous = words[i - 1] ?? '';
    if (/\.(mjs|cjs|js|ts)$/.test(word) && !word.startsWith('-') && !previous.startsWith('-'))
      files.push(relative(workspaceRoot, join(pkg.dir, word)));
    else if (bins.has(word) && !previous.startsWith('-')) files.push(bins.get(word)!);
    else if (word === 'run' && words[i - 1] === 'npm' && words[i + 1])
      files.push(...filesRunBy(pkg, words[i + 1]!, seen));
  });
  return files;
}
