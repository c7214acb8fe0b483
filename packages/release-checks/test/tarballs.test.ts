import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { publicPackages } from '@vmaflags/tools/workspace';
import { afterAll, describe, expect, test } from 'vitest';
import { packListing } from '../src/pack.js';
import { promisedFiles, targetInListing } from '../src/package_targets.js';
import { pathWithWorkspaceBins, stageNapiPackage } from '../src/stage_release.js';

// What `npm pack --dry-run` would publish for every public package (and, on
// Linux, the platform package a release makes for this machine): a LICENSE and
// a README, source maps whose sources travel with them, and no package.json
// entry point naming a file that is not in the tarball.

interface SourceMap {
  sources: string[];
  sourceRoot?: string;
  sourcesContent?: (string | null)[];
}

const listings = new Map<string, { listing: Set<string>; manifest: Record<string, unknown> }>();
function checkTarball(dir: string) {
  let entry = listings.get(dir);
  if (!entry) {
    const listing = new Set(packListing(dir).files.map((f) => f.path));
    entry = { listing, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) };
    listings.set(dir, entry);
  }
  return entry;
}

const stageRoot = mkdtempSync(join(tmpdir(), 'vmaflags-tarballs-'));
afterAll(() => rmSync(stageRoot, { recursive: true, force: true }));

const packages = publicPackages().map((p) => ({ name: p.manifest.name as string, dir: () => p.dir }));
// The platform packages exist only once a release has made them; stage them
// the release's way for this machine's target (built here on Linux only).
if (process.platform === 'linux') {
  for (const p of publicPackages().filter((q) => q.manifest.napi)) {
    let staged: ReturnType<typeof stageNapiPackage> | undefined;
    const stage = () =>
      (staged ??= stageNapiPackage(p.dir, join(stageRoot, p.rel.replace(/\W/g, '_')), {
        ...process.env,
        PATH: pathWithWorkspaceBins(process.env.PATH ?? ''),
      }));
    packages.push({ name: `${p.manifest.name} (platform package for this machine)`, dir: () => stage().platformDir });
  }
}

describe.each(packages)('$name tarball', ({ dir }) => {
  test('carries LICENSE and README.md', () => {
    const { listing } = checkTarball(dir());
    expect(listing).toContain('LICENSE');
    expect(listing).toContain('README.md');
  });

  test('every entry point in package.json names a file in the tarball', () => {
    const { listing, manifest } = checkTarball(dir());
    const promised = promisedFiles(manifest);
    expect(promised.length).toBeGreaterThan(0);
    const missing = promised.filter((p) => !targetInListing(p.target, listing));
    expect(missing).toEqual([]);
  });

  test('every source map ships its sources (in the tarball or as sourcesContent)', () => {
    const { listing } = checkTarball(dir());
    const maps = [...listing].filter((f) => f.endsWith('.map'));
    const unshipped: string[] = [];
    for (const map of maps) {
      const data = JSON.parse(readFileSync(join(dir(), map), 'utf8')) as SourceMap;
      data.sources.forEach((source, i) => {
        if (typeof data.sourcesContent?.[i] === 'string') return;
        const path = posix.normalize(posix.join(dirname(map), data.sourceRoot ?? '', source));
        if (!listing.has(path)) unshipped.push(`${map} → ${source}`);
      });
    }
    expect(unshipped).toEqual([]);
  });

  test('ships no tests, build info or stray addon builds (only a platform package ships its binary)', () => {
    const { listing, manifest } = checkTarball(dir());
    const stray = [...listing].filter(
      (f) => /\.test\.|tsbuildinfo$/.test(f) || (f.endsWith('.node') && f !== manifest.main),
    );
    expect(stray).toEqual([]);
  });
});

test('the JavaScript source maps embed their sources', () => {
  for (const p of publicPackages()) {
    const { listing } = checkTarball(p.dir);
    const jsMaps = [...listing].filter((f) => f.endsWith('.js.map'));
    expect(jsMaps.length).toBeGreaterThan(0);
    for (const map of jsMaps) {
      const data = JSON.parse(readFileSync(join(p.dir, map), 'utf8')) as SourceMap;
      expect(data.sourcesContent?.length, map).toBe(data.sources.length);
    }
  }
});
