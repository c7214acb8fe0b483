// /proc/PID/smaps as records. No maintained npm parser covers smaps (procfs
// libraries read maps, status, stat… but not smaps), and the format is small:
// per VMA one maps-style header line
//   start-end perms offset major:minor inode [path]
// then `Key: value [kB]` lines ending with `VmFlags: …`. Kept in this one
// module; flags are decoded elsewhere with @vmaflags/core.

export interface SmapsVma {
  start: bigint;
  end: bigint;
  /** The 4 characters of maps: r/w/x/- then p or s. */
  perms: string;
  /** File offset in bytes. */
  offset: bigint;
  dev: string;
  inode: string;
  /** Path, `[heap]`-style name, or '' for anonymous memory. */
  path: string;
  /** Numeric fields (`Size`, `Rss`, … in kB; `THPeligible`, `ProtectionKey` as given). */
  fields: Record<string, number>;
  /** The VmFlags mnemonics in the order printed, or null when the line is absent. */
  vmFlags: string[] | null;
  /** 1-based line number of the header, for messages. */
  line: number;
}

export class SmapsFormatError extends Error {
  override readonly name = 'SmapsFormatError';
}

const HEADER =
  /^([0-9a-f]+)-([0-9a-f]+)\s+([r-][w-][x-][ps])\s+([0-9a-f]+)\s+([0-9a-f]+:[0-9a-f]+)\s+(\d+)(?:\s+(.*))?$/;
const FIELD = /^([A-Za-z_]+):\s*(.*)$/;

export function parseSmaps(text: string): SmapsVma[] {
  const out: SmapsVma[] = [];
  let cur: SmapsVma | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd();
    if (line === '') return;
    const h = HEADER.exec(line);
    if (h) {
      cur = {
        start: BigInt(`0x${h[1]}`),
        end: BigInt(`0x${h[2]}`),
        perms: h[3]!,
        offset: BigInt(`0x${h[4]}`),
        dev: h[5]!,
        inode: h[6]!,
        path: h[7]?.trim() ?? '',
        fields: {},
        vmFlags: null,
        line: i + 1,
      };
      out.push(cur);
      return;
    }
    const f = FIELD.exec(line);
    if (!f || cur === null)
      throw new SmapsFormatError(`line ${i + 1}: not a smaps header or field: ${JSON.stringify(line)}`);
    const vma: SmapsVma = cur;
    const [, key, value] = f as unknown as [string, string, string];
    if (key === 'VmFlags') {
      vma.vmFlags = value.split(/\s+/).filter((t) => t !== '');
    } else {
      const n = /^(\d+)(?:\s+kB)?$/.exec(value.trim());
      if (n) vma.fields[key] = Number(n[1]);
    }
  });
  return out;
}

/** `anon`, `file`, or the kernel's bracketed name (`heap`, `stack`, `vdso`, …). */
export function backingOf(vma: SmapsVma): string {
  if (vma.path === '') return 'anon';
  if (vma.path.startsWith('[')) return vma.path.slice(1, vma.path.indexOf(']') > 0 ? vma.path.indexOf(']') : undefined);
  if (vma.inode === '0') return 'special';
  return vma.path.startsWith('/SYSV') || vma.path.startsWith('/dev/zero') || vma.path.startsWith('/memfd:')
    ? 'shmem'
    : 'file';
}
