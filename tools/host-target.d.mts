export interface NapiTarget {
  triple: string;
  platformArchABI: string;
  platform: string;
  arch: string;
  abi: string | null;
}
// biome-ignore lint/suspicious/noExplicitAny: package.json manifests are JSON read from disk, untyped by nature
export function hostTarget(manifest: Record<string, any>): NapiTarget | undefined;
// biome-ignore lint/suspicious/noExplicitAny: package.json manifests are JSON read from disk, untyped by nature
export function hostPlatformPackage(manifest: Record<string, any>): { target: NapiTarget; name: string } | undefined;
