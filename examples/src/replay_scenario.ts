// Run a scenario on the simulator: one process's address space at the
// system-call level, on the kernel's own VMA code. mprotect on the middle page
// of a mapping splits it into three VMAs and mprotect back merges them again;
// a touch gives the VMA an anon_vma, and fork copies it into a child. Then one
// scenario line of the live-kernel probe's format is replayed, printing the
// output line the probe would print for it on this machine's kernel.
//
//   node dist/replay_scenario.js
import { AddressSpace, type Prot, replayLine, type VmaView } from '@vmaflags/sim';

// Pages are counted from the simulator's window base; one VMA per line, the
// way /proc/PID/maps and smaps show it.
const show = (step: string, vmas: readonly VmaView[]) => {
  console.log(`${step}:`);
  for (const v of vmas) {
    const range = `${String(v.start).padStart(2)}..${String(v.end).padEnd(2)}`;
    console.log(`  pages ${range} ${v.perms} ${v.backing} VmFlags: ${v.flags.join(' ')}`);
  }
};

// Linux 6.18 on x86_64 with 4 KiB pages, the core backend.
const as = new AddressSpace();
const rw: Prot[] = ['read', 'write'];
const mapped = as.mmap({ page: 0, pages: 4, prot: rw, flags: ['private', 'anonymous', 'fixed_noreplace'] });
show(`mmap 4 pages read-write (${mapped})`, as.vmas());
// The read-only middle also gives up its commit charge (`ac`, VM_ACCOUNT):
// no page of the mapping was touched yet (it has no anon_vma), so nothing
// private needs keeping. The live kernel does the same.
show(`mprotect page 1 read-only (${as.mprotect({ page: 1, pages: 1, prot: ['read'] })})`, as.vmas());
// Writable again it is charged again, and the three VMAs are alike: one VMA.
show(`mprotect page 1 read-write (${as.mprotect({ page: 1, pages: 1, prot: rw })})`, as.vmas());
show(`touch page 2 (${as.touch({ page: 2, pages: 1 }).result})`, as.vmas());
// The child's VMAs are copies; the parent's are unchanged.
const child = as.fork();
show('fork, the child', child.vmas());

// The same steps as one scenario line; replay runs it in a fresh process and
// answers with the ops' results and the final VMAs (the child's after a fork).
const scenario = JSON.stringify({
  name: 'split_merge_fork',
  ops: [
    { op: 'mmap', page: 0, pages: 4, prot: rw, flags: ['private', 'anonymous', 'fixed_noreplace'] },
    { op: 'mprotect', page: 1, pages: 1, prot: ['read'] },
    { op: 'mprotect', page: 1, pages: 1, prot: rw },
    { op: 'touch', page: 2, pages: 1 },
    { op: 'fork' },
  ],
});
process.stdout.write(`replay: ${replayLine(scenario, 1)}`);
