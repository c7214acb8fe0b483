import { prandom } from '@vmaflags/mm';
import { describe, expect, test } from 'vitest';
import { ADVICE, replay, type ScenarioOutput } from '../src/index.js';

// The simulator on the TypeScript core and on the native addon must agree
// exactly, and every step must leave a tree validate_mm() accepts
// (CONFIG_DEBUG_VM_MAPLE_TREE on: a BUG throws). Random scenarios over the
// whole vocabulary in a small corner of the window, so ops collide.

const PROTS = [[], ['read'], ['read', 'write'], ['read', 'exec'], ['write']];
const RANGE_OPS = ['munmap', 'mlock', 'mlock2_onfault', 'munlock', 'mseal', 'touch', 'touch_read'];

function randomScenario(seed: number, steps: number): { name: string; ops: Record<string, unknown>[] } {
  const rnd = prandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const page = (): number => Math.floor(rnd() * 48);
  const pages = (): number => 1 + Math.floor(rnd() * 8);
  const ops: Record<string, unknown>[] = [
    { op: 'create_file', file: 'file0', pages: 16 },
    { op: 'open', fd: 'rw', file: 'file0', mode: 'rdwr' },
    { op: 'open', fd: 'ro', file: 'file0', mode: 'rdonly' },
  ];
  for (let i = 0; i < steps; i++) {
    const r = rnd();
    if (r < 0.3) {
      const file = rnd() < 0.3;
      const type = pick(file ? ['private', 'shared'] : ['private', 'private', 'shared', 'droppable']);
      const mods = (file ? [] : ['anonymous']).concat(
        pick([
          ['fixed'],
          ['fixed_noreplace'],
          [],
          ['fixed', 'locked'],
          ['fixed', 'noreserve'],
          ['fixed', 'populate'],
          ['fixed', 'growsdown'],
          ['fixed_noreplace', 'stack'],
          ['fixed', 'locked', 'populate'],
        ]),
      );
      const op: Record<string, unknown> = {
        op: 'mmap',
        page: page(),
        pages: pages(),
        prot: pick(PROTS),
        flags: [type, ...mods],
      };
      if (file) Object.assign(op, { fd: pick(['rw', 'ro']), offset_pages: Math.floor(rnd() * 8) });
      ops.push(op);
    } else if (r < 0.5) {
      ops.push({ op: 'mprotect', page: page(), pages: pages(), prot: pick(PROTS) });
    } else if (r < 0.7) {
      ops.push({ op: 'madvise', page: page(), pages: pages(), advice: pick(ADVICE) });
    } else if (r < 0.85) {
      ops.push({ op: pick(RANGE_OPS), page: page(), pages: pages() });
    } else if (r < 0.95) {
      const flags = pick([
        [],
        ['maymove'],
        ['maymove', 'fixed'],
        ['maymove', 'dontunmap'],
        ['maymove', 'fixed', 'dontunmap'],
      ]);
      const op: Record<string, unknown> = { op: 'mremap', page: page(), pages: pages(), new_pages: pages(), flags };
      if (flags.includes('dontunmap')) op.new_pages = op.pages;
      if (flags.includes('fixed')) op.new_page = page();
      ops.push(op);
    } else if (r < 0.97) {
      ops.push({ op: 'fork' });
    } else {
      ops.push(
        pick([
          { op: 'mlockall', flags: ['current', 'onfault'] },
          { op: 'munlockall' },
          { op: 'mlockall', flags: ['future'] },
        ]),
      );
    }
  }
  return { name: `random-${seed}`, ops };
}

describe('core and native backends', () => {
  test('reach identical results and VMAs over 200 random scenarios, validate_mm clean', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const scenario = randomScenario(seed, 40);
      const outputs: ScenarioOutput[] = (['core', 'native'] as const).map((backend) =>
        replay(scenario, { backend, debugVm: true }),
      );
      expect(JSON.stringify(outputs[1]), `seed ${seed}`).toBe(JSON.stringify(outputs[0]));
    }
  });
});
