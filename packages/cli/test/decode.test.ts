import { describe, expect, it } from 'vitest';
import { jsonLines, runBin } from './run_bin.js';

// torvalds/linux @8e1817b include/linux/mm.h: VM_READ 0x1, VM_WRITE 0x2, VM_EXEC 0x4,
// VM_MAYREAD 0x10, VM_MAYWRITE 0x20, VM_MAYEXEC 0x40, VM_ACCOUNT 0x100000 (bit 20).

interface DecodeJson {
  input: string;
  source: string;
  config: { name: string; bitsPerLong: number; numVmaFlagBits: number };
  words: string[];
  bits: { bit: number; vmaBit: string[]; vm: string[]; smaps: string | null; pgv: string | null; unnamed: boolean }[];
  unnamed: number[];
  pgv: string;
  smaps: string;
  agree: boolean | null;
  onlyWord: number[];
  onlyNames: number[];
}

const decodeJson = (...args: string[]) => {
  const r = runBin(['decode', '--json', ...args]);
  return { ...r, docs: jsonLines(r.stdout) as DecodeJson[] };
};

describe('vmaflags decode', () => {
  it('gives every name of each set bit of a word', () => {
    const { status, docs } = decodeJson('0x100073');
    expect(status).toBe(0);
    expect(docs).toHaveLength(1);
    const d = docs[0]!;
    expect(d.source).toBe('word');
    expect(d.words).toEqual(['0x100073']);
    expect(d.bits.map((b) => b.bit)).toEqual([0, 1, 4, 5, 6, 20]);
    expect(d.bits[5]).toEqual({
      bit: 20,
      vmaBit: ['VMA_ACCOUNT_BIT'],
      vm: ['VM_ACCOUNT'],
      smaps: 'ac',
      pgv: 'account',
      unnamed: false,
    });
    expect(d.pgv).toBe('read|write|mayread|maywrite|mayexec|account');
    expect(d.smaps).toBe('VmFlags: rd wr mr mw me ac');
    expect(d.agree).toBeNull();
  });

  it('reads every text form to the same bits', () => {
    const forms = [
      ['0x100073'],
      ['1048691'],
      ['read|write|mayread|maywrite|mayexec|account'],
      ['VmFlags: rd wr mr mw me ac'],
      ['rd', 'wr', 'mr', 'mw', 'me', 'ac'],
      ['vma ffff8880 start 00007f00 flags: 0x100073(read|write|mayread|maywrite|mayexec|account)'],
      ['vm_flags=0x100073'],
    ];
    const sources = forms.map((f) => {
      const { status, docs } = decodeJson(...f);
      expect(status, f.join(' ')).toBe(0);
      expect(docs[0]!.words, f.join(' ')).toEqual(['0x100073']);
      return docs[0]!.source;
    });
    expect(sources).toEqual(['word', 'word', 'pgv', 'smaps', 'smaps', 'log', 'log']);
  });

  it('says whether a log line word agrees with its names and exits 1 when not', () => {
    const good = decodeJson('flags: 0x100073(read|write|mayread|maywrite|mayexec|account)');
    expect(good.status).toBe(0);
    expect(good.docs[0]!.agree).toBe(true);
    const bad = decodeJson('flags: 0x100077(read|write|mayread|maywrite|mayexec|account|softdirty)');
    expect(bad.status).toBe(1);
    expect(bad.docs[0]).toMatchObject({ agree: false, onlyWord: [2], onlyNames: [27] });
    const text = runBin(['decode', 'flags: 0x100077(read|write|mayread|maywrite|mayexec|account)']);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/agree +NO: only the word has bit 2 \(VM_EXEC\)/);
  });

  it('reads one text per stdin line with -', () => {
    const r = runBin(['decode', '--json', '-'], { input: 'VmFlags: rd mr\n\n0x3\nflags: 0x1(write)\n' });
    expect(r.status).toBe(1);
    const docs = jsonLines(r.stdout) as DecodeJson[];
    expect(docs.map((d) => [d.input, d.words[0], d.agree])).toEqual([
      ['VmFlags: rd mr', '0x11', null],
      ['0x3', '0x3', null],
      ['flags: 0x1(write)', '0x1', false],
    ]);
  });

  it('follows --arch, --bits and --option', () => {
    // arch/arm64: bit 24 is VM_ARM64_BTI, printed "bt" by smaps (fs/proc/task_mmu.c).
    const arm = decodeJson('--arch', 'arm64', '0x1000000');
    expect(arm.docs[0]!.bits[0]).toMatchObject({
      bit: 24,
      smaps: 'bt',
      vm: ['VM_ARCH_1', 'VM_ARM64_BTI', 'VM_ARCH_CLEAR'],
    });
    const x86 = decodeJson('0x1000000');
    expect(x86.docs[0]!.bits[0]).toMatchObject({ bit: 24, smaps: 'ar', vm: ['VM_ARCH_1'] });
    const wide = decodeJson('--bits', '128', '0x1', '0x1');
    expect(wide.docs[0]!.config.numVmaFlagBits).toBe(128);
    expect(wide.docs[0]!.words).toEqual(['0x1', '0x1']);
    expect(wide.docs[0]!.unnamed).toEqual([64]);
    const noSoftDirty = decodeJson('--option', 'MEM_SOFT_DIRTY=off', '0x8000000');
    expect(noSoftDirty.docs[0]!.bits[0]).toMatchObject({ bit: 27, vm: [], smaps: '??', unnamed: true });
    expect(noSoftDirty.docs[0]!.config.name).toBe('x86_64+MEM_SOFT_DIRTY=false');
  });

  it('names the bits the configuration does not', () => {
    // i386: nothing above bit 31 is a VM_* mask; VMA_SEALED_BIT (42) is still declared.
    const { docs } = decodeJson('--arch', 'i386', '--bits', '64', '0x0', '0x400');
    expect(docs[0]!.bits).toEqual([
      { bit: 42, vmaBit: ['VMA_SEALED_BIT'], vm: [], smaps: null, pgv: null, unnamed: true },
    ]);
    expect(docs[0]!.unnamed).toEqual([42]);
  });

  it.each([
    [['0xZZ'], /not a number: "0xZZ"/],
    [['12abc'], /not a number: "12abc"/],
    [['0x10000000000000000'], /does not fit a 64-bit vm_flags_t/],
    [['0x1', '0x2'], /2 words given but config x86_64 has 1/],
    [['rd', 'wx', 'mr'], /unknown smaps mnemonic "wx".*closest: .*wr/],
    [['read|wirte'], /unknown %pGv name "wirte".*closest: write/],
    [['VmFlags: rd ??'], /`\?\?` marks a bit/],
    [['rd', '0x2'], /"0x2" is a number among mnemonics; give either words or names, not both/],
    [['--arch', 'vax', '0x1'], /--arch must be one of host, x86_64, i386/],
    [['--bits', '96', '0x1'], /--bits must be a multiple of BITS_PER_LONG \(64\)/],
    [['--option', 'FOO=on', '0x1'], /--option must be NAME=on\|off with NAME one of MMU/],
    [['--option', 'ARM64_MTE=on', '0x1'], /--option ARM64_MTE must be false unless arch is arm64/],
  ])('rejects %j with exit 2 and one line', (args, message) => {
    const r = runBin(['decode', ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('rejects empty stdin', () => {
    const r = runBin(['decode', '-'], { input: '\n' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no input on stdin/);
  });
});
