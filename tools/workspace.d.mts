export interface WorkspacePackage {
  /** Absolute directory. */
  dir: string;
  /** Directory as listed in the root `workspaces`. */
  rel: string;
  // biome-ignore lint/suspicious/noExplicitAny: package.json manifests are JSON read from disk, untyped by nature
  manifest: Record<string, any>;
}
export const workspaceRoot: string;
// biome-ignore lint/suspicious/noExplicitAny: package.json manifests are JSON read from disk, untyped by nature
export function readJson(file: string): any;
export function workspacePackages(root?: string): WorkspacePackage[];
export function publicPackages(root?: string): WorkspacePackage[];
