export interface NapiTarget {
  triple: string;
  platformArchABI: string;
  platform: string;
  arch: string;
  abi: string | null;
}
export function hostTarget(manifest: Record<string, any>): NapiTarget | undefined;
export function hostPlatformPackage(manifest: Record<string, any>): { target: NapiTarget; name: string } | undefined;
