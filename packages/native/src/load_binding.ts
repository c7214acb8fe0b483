// Loads the compiled addon through the napi-rs loader (binding.cjs), which
// looks for a local build first and then for the prebuilt platform package.
// When neither is there, its own error does not say what to install, so the
// failure is rethrown naming the package for this platform and how to build.

import { readFileSync } from 'node:fs';
import { readObjectArgument, typeError } from '@vmaflags/core';

/** Platform suffixes published as `@vmaflags/native-<suffix>`. */
export const PLATFORM_SUFFIXES = [
  'linux-x64-gnu',
  'linux-arm64-gnu',
  'linux-x64-musl',
  'linux-arm64-musl',
  'darwin-x64',
  'darwin-arm64',
  'win32-x64-msvc',
] as const;

/**
 * The facts that pick a prebuilt package: what `process.platform` and `process.arch` say,
 * and on Linux which C library.
 */
export interface HostInfo {
  /** A `process.platform` value (`linux`, `darwin`, `win32`, …). */
  platform: string;
  /** A `process.arch` value (`x64`, `arm64`, …). */
  arch: string;
  /** Linux only: whether the C library is musl. */
  musl?: boolean;
}

function isMusl(): boolean {
  try {
    return readFileSync('/usr/bin/ldd', 'utf8').includes('musl');
  } catch {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    return !report?.header?.glibcVersionRuntime;
  }
}

export function currentHost(): HostInfo {
  const host: HostInfo = { platform: process.platform, arch: process.arch };
  if (host.platform === 'linux') host.musl = isMusl();
  return host;
}

/** The platform package name for a host, or undefined if none is published. */
export function platformPackage(host: HostInfo): string | undefined {
  const h = checkHost(host);
  let suffix = `${h.platform}-${h.arch}`;
  if (h.platform === 'linux') suffix += h.musl ? '-musl' : '-gnu';
  if (h.platform === 'win32') suffix += '-msvc';
  return (PLATFORM_SUFFIXES as readonly string[]).includes(suffix) ? `@vmaflags/native-${suffix}` : undefined;
}

// The fields are read once, into a plain object.
function checkHost(host: HostInfo): HostInfo {
  const h = readObjectArgument(host, 'host', 'an object { platform, arch, musl? }', (o: HostInfo) => ({
    platform: o.platform,
    arch: o.arch,
    musl: o.musl,
  }));
  if (typeof h.platform !== 'string') throw typeError('host.platform', 'a string', h.platform);
  if (typeof h.arch !== 'string') throw typeError('host.arch', 'a string', h.arch);
  if (h.musl !== undefined && typeof h.musl !== 'boolean')
    throw typeError('host.musl', 'a boolean or undefined', h.musl);
  return h;
}

/**
 * The error message shown when the addon cannot be loaded on `host`: which prebuilt
 * package to install, or how to build from source when none is published.
 */
export function missingBindingMessage(host: HostInfo): string {
  const h = checkHost(host);
  const pkg = platformPackage(h);
  const where = `${h.platform}-${h.arch}${h.musl === undefined ? '' : h.musl ? ' (musl)' : ' (glibc)'}`;
  const build =
    'build it from source with a Rust toolchain (https://rustup.rs): in a checkout of the vmaflags ' +
    'repository run `npm install && npm run build -w @vmaflags/native`';
  return pkg
    ? `@vmaflags/native: the native addon for ${where} is missing. Install the prebuilt package ` +
        `\`${pkg}\` (\`npm install ${pkg}\`; npm skips it when optional dependencies are omitted), or ${build}.`
    : `@vmaflags/native: no prebuilt addon is published for ${where}; ${build}.`;
}

/** Requires the loader via `load`, turning a load failure into a clear error. */
export function loadBinding<T>(load: () => T, host: () => HostInfo = currentHost): T {
  try {
    return load();
  } catch (cause) {
    throw new Error(missingBindingMessage(host()), { cause });
  }
}
