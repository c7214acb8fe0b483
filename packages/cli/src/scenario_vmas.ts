import { VMA_ITERATOR, forEachVma } from '@vmaflags/mm';
import { AddressSpace, WINDOW_BASE, parseScenario, vmaView, type AddressSpaceOptions } from '@vmaflags/sim';
import type { SmapsVma } from './smaps_file.js';
import type { SmapsVmaModel } from './smaps_mm.js';

// The final VMAs of a scenario run on the simulator, as the same pairs
// explain() judges for a live process, but with everything smaps hides known
// exactly: the real anon_vmas and their chains, the open file objects, the
// anonymous pgoff.

export interface ScenarioVmas {
  name: string;
  models: SmapsVmaModel[];
}

export function scenarioVmas(raw: unknown, line: number, options: AddressSpaceOptions): ScenarioVmas {
  const scenario = parseScenario(raw, line);
  let space = new AddressSpace(options);
  (raw as { ops: unknown[] }).ops.forEach((op, i) => {
    if (scenario.ops[i]!.op === 'fork') space = space.fork();
    else space.apply(op, i, line);
  });
  const models: SmapsVmaModel[] = [];
  for (const vma of forEachVma(VMA_ITERATOR(space.mm, WINDOW_BASE))) {
    const view = vmaView(space.backend, vma);
    if (view === null) break;
    const label = view.file ?? (view.backing === 'shmem_anon' ? '[shmem]' : '');
    const smaps: SmapsVma = {
      start: BigInt(vma.vmStart),
      end: BigInt(vma.vmEnd),
      perms: view.perms,
      offset: BigInt((view.pgoff ?? 0) * 4096),
      dev: '00:00',
      inode: view.file ?? '0',
      path: label,
      fields: {},
      vmFlags: view.flags,
      line,
    };
    models.push({ smaps, vma, unknown: [] });
  }
  return { name: scenario.name, models };
}
