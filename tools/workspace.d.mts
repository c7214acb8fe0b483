export interface WorkspacePackage {
  /** Absolute directory. */
  dir: string;
  /** Directory as listed in the root `workspaces`. */
  rel: string;
  manifest: Record<string, any>;
}
export const workspaceRoot: string;
export function readJson(file: string): any;
export function workspacePackages(root?: string): WorkspacePackage[];
export function publicPackages(root?: string): WorkspacePackage[];
