import { describe, expect, it } from 'vitest';
import { runExample } from './run_example.js';

const VMA_RW =
  '{"start":0,"end":4,"perms":"rw-p","anon":true,"backing":"anon","file":null,"pgoff":null,"flags":["rd","wr","mr","mw","me","ac"]}';

describe('replay_scenario', () => {
  // The replayed line is the one tools/kernel-probe printed for the same
  // scenario on this machine's Linux 6.18.44 x86_64 (byte for byte), so the
  // dropped `ac` of the read-only middle is the live kernel's answer too.
  it('splits a mapping by mprotect, merges it back, forks and replays the same scenario', () => {
    expect(runExample('replay_scenario')).toBe(
      [
        'mmap 4 pages read-write (ok):',
        '  pages  0..4  rw-p anon VmFlags: rd wr mr mw me ac',
        'mprotect page 1 read-only (ok):',
        '  pages  0..1  rw-p anon VmFlags: rd wr mr mw me ac',
        '  pages  1..2  r--p anon VmFlags: rd mr mw me',
        '  pages  2..4  rw-p anon VmFlags: rd wr mr mw me ac',
        'mprotect page 1 read-write (ok):',
        '  pages  0..4  rw-p anon VmFlags: rd wr mr mw me ac',
        'touch page 2 (ok):',
        '  pages  0..4  rw-p anon VmFlags: rd wr mr mw me ac',
        'fork, the child:',
        '  pages  0..4  rw-p anon VmFlags: rd wr mr mw me ac',
        `replay: {"name":"split_merge_fork","ops":[${[
          '{"op":"mmap","page":0,"pages":4,"prot":["read","write"],"flags":["private","anonymous","fixed_noreplace"],"result":"ok"}',
          '{"op":"mprotect","page":1,"pages":1,"prot":["read"],"result":"ok"}',
          '{"op":"mprotect","page":1,"pages":1,"prot":["read","write"],"result":"ok"}',
          '{"op":"touch","page":2,"pages":1,"result":"ok"}',
          '{"op":"fork","result":"ok"}',
        ].join(',')}],"vmas":[${VMA_RW}]}`,
        '',
      ].join('\n'),
    );
  });
});
