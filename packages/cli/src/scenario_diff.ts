// Where two outputs of the same scenario (the simulator's and the live
// kernel's) differ: per op result fields, and the VMA list reduced to the
// rows that do not match (a longest-common-subsequence alignment, so one
// extra VMA shows as one row, not as every row after it).

import type { ScenarioOutput, VmaView } from '@vmaflags/sim';

export interface OpDifference {
  index: number;
  op: string;
  field: string;
  sim: unknown;
  kernel: unknown;
}

export interface VmaDifference {
  /** A VMA row only the simulator has (null on that side when only the kernel has it). */
  sim: VmaView | null;
  kernel: VmaView | null;
}

export interface ScenarioDifference {
  name: string;
  ops: OpDifference[];
  vmas: VmaDifference[];
}

const RESULT_FIELDS = ['result', 'fault_page', 'ret_page'] as const;

function lcsPairs(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const len: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      len[i]![j] = a[i] === b[j] ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
    }
  }
  const out: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) {
      out.push([i, j]);
      i++;
      j++;
    } else if (len[i + 1]![j]! >= len[i]![j + 1]!) i++;
    else j++;
  }
  return out;
}

export function diffScenario(sim: ScenarioOutput, kernel: ScenarioOutput): ScenarioDifference | null {
  const ops: OpDifference[] = [];
  sim.ops.forEach((s, index) => {
    const k = kernel.ops[index] ?? {};
    for (const field of RESULT_FIELDS) {
      if (JSON.stringify(s[field]) !== JSON.stringify(k[field]))
        ops.push({ index, op: String(s.op), field, sim: s[field], kernel: k[field] });
    }
  });
  const a = sim.vmas.map((v) => JSON.stringify(v));
  const b = kernel.vmas.map((v) => JSON.stringify(v));
  const vmas: VmaDifference[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...lcsPairs(a, b), [a.length, b.length] as [number, number]]) {
    // Unmatched rows between two matches: pair them up side by side.
    const onlySim = sim.vmas.slice(i, pi);
    const onlyKernel = kernel.vmas.slice(j, pj);
    for (let r = 0; r < Math.max(onlySim.length, onlyKernel.length); r++)
      vmas.push({ sim: onlySim[r] ?? null, kernel: onlyKernel[r] ?? null });
    i = pi + 1;
    j = pj + 1;
  }
  if (sim.name !== kernel.name)
    ops.unshift({ index: -1, op: 'name', field: 'name', sim: sim.name, kernel: kernel.name });
  return ops.length === 0 && vmas.length === 0 ? null : { name: sim.name, ops, vmas };
}
