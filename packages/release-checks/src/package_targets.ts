// Every file a package.json promises to consumers: each `exports` target
// under any condition, plus `main`, `types` and `bin`.

type Exports = string | null | Exports[] | { [key: string]: Exports };

function exportTargets(value: Exports, conditions: string[], out: { conditions: string; target: string }[]): void {
  if (value === null) return;
  if (typeof value === 'string') out.push({ conditions: conditions.join(' > '), target: value });
  else if (Array.isArray(value)) for (const v of value) exportTargets(v, conditions, out);
  else for (const [k, v] of Object.entries(value)) exportTargets(v, [...conditions, k], out);
}

export function promisedFiles(manifest: Record<string, unknown>): { field: string; target: string }[] {
  const out: { conditions: string; target: string }[] = [];
  if (manifest.exports !== undefined) exportTargets(manifest.exports as Exports, ['exports'], out);
  const files = out.map((o) => ({ field: o.conditions, target: o.target }));
  for (const field of ['main', 'types', 'typings'] as const) {
    if (typeof manifest[field] === 'string') files.push({ field, target: manifest[field] });
  }
  const bin = manifest.bin;
  if (typeof bin === 'string') files.push({ field: 'bin', target: bin });
  else if (bin && typeof bin === 'object')
    for (const [k, v] of Object.entries(bin)) files.push({ field: `bin > ${k}`, target: String(v) });
  return files;
}

/** Whether a promised target (possibly a `*` subpath pattern) names a file in `listing`. */
export function targetInListing(target: string, listing: Set<string>): boolean {
  const path = target.replace(/^\.\//, '');
  if (!path.includes('*')) return listing.has(path);
  const [before, after] = path.split('*') as [string, string];
  return [...listing].some((f) => f.startsWith(before) && f.endsWith(after));
}
