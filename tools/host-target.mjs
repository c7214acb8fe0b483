// Which of a napi-rs package's `napi.targets` this machine runs, and the name
// of the prebuilt package a release publishes for it.
import { parseTriple } from '@napi-rs/cli';

/** 'gnu' or 'musl' on Linux (glibc reports its version), undefined elsewhere. */
function hostLibc() {
  if (process.platform !== 'linux') return undefined;
  const header = process.report?.getReport().header;
  return header?.glibcVersionRuntime ? 'gnu' : 'musl';
}

/** The parsed target of `manifest.napi.targets` matching this host, or undefined. */
export function hostTarget(manifest) {
  const libc = hostLibc();
  return (manifest.napi?.targets ?? [])
    .map((t) => parseTriple(t))
    .find((t) => t.platform === process.platform && t.arch === process.arch && (libc === undefined || t.abi === libc));
}

/** `@scope/name-<platform>-<arch>[-<abi>]`: what `napi create-npm-dirs` names the host's package. */
export function hostPlatformPackage(manifest) {
  const target = hostTarget(manifest);
  const name = manifest.napi?.packageName ?? manifest.name;
  return target && { target, name: `${name}-${target.platformArchABI}` };
}
