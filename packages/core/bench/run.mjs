#!/usr/bin/env node
// Throughput of the public helpers and the arena against plain-JS floors
// (hand-written word operations on a flat Uint32Array and on {lo, hi} int32
// objects) measured in the same process and run, so ratios are comparable even
// on a noisy machine.
//
// Method: 1024 bitmaps, the loop picks bitmap i & 1023 and mask/bit/value
// i & 15 from fixed tables (masks touch both 32-bit halves; test masks are
// sparse so test_all is sometimes true). Each case is calibrated to ~20 ms per
// sample and warmed up; then ROUNDS rounds run every case of a width group in
// a fresh shuffled order, SAMPLES samples each; a round's figure is its median
// sample and the table shows the median over rounds (min–max in brackets).
// Test results are summed into a sink and mutated bitmaps are check-summed at
// the end, so no case is dead code.
//
// Processes: by default every measured case runs in its own child process
// together with the 64-bit floors of its op, which are its ratio's
// denominator. The library's helpers then carry only that case's type
// feedback, as in a program that uses the API one way (one width, number or
// bigint words). `--shared` runs a whole width group in one process instead,
// so the same helpers see every case (numbers and bigints, bitmaps and
// arena): the pessimistic figure for a program mixing all of it.
//
//   node bench/run.mjs            (after `tsc -b`; `nx run @vmaflags/core:bench`)
//   node bench/run.mjs --shared   (one process per width group)
//   node bench/run.mjs --group 64 (one group, in this process)
//   VMAFLAGS_BENCH_QUICK=1 node bench/run.mjs   (fewer, shorter rounds)
//   VMAFLAGS_BENCH_LIB=/path/to/index.js node bench/run.mjs   (another build)

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { missSummary, targetStatus } from '@vmaflags/tools/bench-policy';

const groupArg = process.argv.indexOf('--group');
const CHILD = groupArg >= 0 ? Number(process.argv[groupArg + 1]) : null;
const JSON_OUT = process.argv.includes('--json');
const caseArg = process.argv.indexOf('--case');
const ONLY = caseArg >= 0 ? Number(process.argv[caseArg + 1]) : null;
const LIST = process.argv.includes('--list');
// Default: every measured case in its own process, next to the 64-bit floors
// of its op, so the library's helpers carry only that case's type feedback (a
// program that uses the API one way). --shared: one process per width group,
// every case of the group feeding the same helpers (numbers and bigints alike).
const SHARED = process.argv.includes('--shared');
if (CHILD !== null && ![64, 128, 192].includes(CHILD)) {
  console.error('--group must be 64, 128 or 192');
  process.exit(2);
}

const lib = await import(process.env.VMAFLAGS_BENCH_LIB ?? new URL('../dist/index.js', import.meta.url).href);
const {
  PRESETS,
  withNumVmaFlagBits,
  VmaFlagsArena,
  vmaFlagsFromWords,
  vmaFlagsToWords,
  vmaFlagsSetWord,
  vmaFlagsClearWord,
  vmaFlagsOverwriteWord,
  vmaFlagsTest,
  vmaFlagsSetFlag,
  vmaFlagsClear,
  vmaFlagsTestAllMask,
  vmaFlagsTestAnyMask,
} = lib;

const QUICK = process.env.VMAFLAGS_BENCH_QUICK === '1';
const ROUNDS = QUICK ? 3 : 5;
const SAMPLES = 3;
const SAMPLE_MS = QUICK ? 10 : 20;
const WARMUP_MS = QUICK ? 50 : 100;
const N = 1024;
const K = 16;

// ---------------------------------------------------------------------------
// Deterministic data

let seed = 0x2545f491;
function rnd32() {
  // xorshift32
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}
const rndBit = (n) => rnd32() % n;

const scratch64 = new BigUint64Array(1);
const scratch32 = new Uint32Array(scratch64.buffer);
const toBig = (lo, hi) => {
  scratch32[0] = lo;
  scratch32[1] = hi;
  return scratch64[0];
};

/** Tables for one width: S lanes per bitmap. */
function makeData(numBits) {
  const S = numBits / 32;
  // Word masks: word 0 only, touching both halves; the high half stays below
  // 2^21 so the same value is also a safe-integer number.
  const WLO = new Int32Array(K);
  const WHI = new Int32Array(K);
  const wBig = [];
  const wNum = [];
  for (let k = 0; k < K; k++) {
    const lo = (rnd32() & rnd32()) | (1 << (k & 31)) | (k % 4 === 0 ? 0x80000000 : 0);
    const hi = rnd32() & rnd32() & 0x1fffff;
    WLO[k] = lo | 0;
    WHI[k] = hi | 0;
    wBig.push(toBig(lo, hi));
    wNum.push(hi * 4294967296 + (lo >>> 0));
  }
  // Test masks: 1-2 bits anywhere in the bitmap (full width).
  const MT = new Int32Array(K * S);
  const tBits = [];
  for (let k = 0; k < K; k++) {
    const bits = [rndBit(numBits)];
    if (k & 1) bits.push(rndBit(numBits));
    for (const b of bits) MT[k * S + (b >>> 5)] |= 1 << (b & 31);
    tBits.push(bits);
  }
  const BITS = new Int32Array(K);
  for (let k = 0; k < K; k++) BITS[k] = rndBit(numBits);
  // Initial contents: random, densest in word 0.
  const init = new Int32Array(N * S);
  for (let i = 0; i < init.length; i++) init[i] = (i % S < 2 ? rnd32() : rnd32() & rnd32() & rnd32()) | 0;
  return { S, numBits, WLO, WHI, wBig, wNum, MT, tBits, BITS, init };
}

// ---------------------------------------------------------------------------
// Cases

/** @type {{group:number, op:string, form:string, kind:'floor'|'public'|'arena'|'bigint', target:number|null, run:(n:number)=>number, check:()=>number}[]} */
const cases = [];
const add = (group, op, form, kind, target, run, check) => cases.push({ group, op, form, kind, target, run, check });

function sumU32(a) {
  let s = 0;
  for (let i = 0; i < a.length; i++) s = (s + a[i]) | 0;
  return s;
}

function floors64(d) {
  const { WLO, WHI, MT, BITS, init } = d;
  const G = 64;
  // e: flat Uint32Array, two lanes per bitmap.
  const W = new Uint32Array(init);
  const eSetWord = (j, lo, hi) => {
    const b = j << 1;
    W[b] |= lo;
    W[b + 1] |= hi;
  };
  const eClearWord = (j, lo, hi) => {
    const b = j << 1;
    W[b] &= ~lo;
    W[b + 1] &= ~hi;
  };
  const eOverwrite = (j, lo, hi) => {
    const b = j << 1;
    W[b] = lo;
    W[b + 1] = hi;
  };
  const eTestBit = (j, bit) => (W[(j << 1) + (bit >>> 5)] & (1 << (bit & 31))) !== 0;
  const eSetBit = (j, bit) => {
    W[(j << 1) + (bit >>> 5)] |= 1 << (bit & 31);
  };
  const eClearBit = (j, bit) => {
    W[(j << 1) + (bit >>> 5)] &= ~(1 << (bit & 31));
  };
  const eTestAll = (j, k) => {
    const b = j << 1;
    const m = k << 1;
    return ((MT[m] & ~W[b]) | (MT[m + 1] & ~W[b + 1])) === 0;
  };
  const eTestAny = (j, k) => {
    const b = j << 1;
    const m = k << 1;
    return ((MT[m] & W[b]) | (MT[m + 1] & W[b + 1])) !== 0;
  };
  const chkE = () => sumU32(W);
  const form = 'floor: flat Uint32Array';
  add(
    G,
    'set_word',
    form,
    'floor',
    null,
    (n) => {
      for (let i = 0; i < n; i++) eSetWord(i & 1023, WLO[i & 15], WHI[i & 15]);
      return W[5];
    },
    chkE,
  );
  add(
    G,
    'clear_word',
    form,
    'floor',
    null,
    (n) => {
      for (let i = 0; i < n; i++) eClearWord(i & 1023, WLO[i & 15], WHI[i & 15]);
      return W[5];
    },
    chkE,
  );
  add(
    G,
    'overwrite_word',
    form,
    'floor',
    null,
    (n) => {
      for (let i = 0; i < n; i++) eOverwrite(i & 1023, WLO[i & 15], WHI[i & 15]);
      return W[5];
    },
    chkE,
  );
  add(
    G,
    'test_bit',
    form,
    'floor',
    null,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (eTestBit(i & 1023, BITS[i & 15])) s++;
      return s;
    },
    chkE,
  );
  add(
    G,
    'set_bit',
    form,
    'floor',
    null,
    (n) => {
      for (let i = 0; i < n; i++) eSetBit(i & 1023, BITS[i & 15]);
      return W[5];
    },
    chkE,
  );
  add(
    G,
    'clear_bit',
    form,
    'floor',
    null,
    (n) => {
      for (let i = 0; i < n; i++) eClearBit(i & 1023, BITS[i & 15]);
      return W[5];
    },
    chkE,
  );
  add(
    G,
    'test_all',
    form,
    'floor',
    null,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (eTestAll(i & 1023, i & 15)) s++;
      return s;
    },
    chkE,
  );
  add(
    G,
    'test_any',
    form,
    'floor',
    null,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (eTestAny(i & 1023, i & 15)) s++;
      return s;
    },
    chkE,
  );
  add(
    G,
    'mixed',
    form,
    'floor',
    null,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const j = i & 1023;
        const k = i & 15;
        if (eTestAny(j, k)) s++;
        eSetWord(j, WLO[k], WHI[k]);
        if (eTestBit(j, BITS[k])) s++;
        eClearWord(j, WLO[(k + 5) & 15], WHI[(k + 5) & 15]);
      }
      return s;
    },
    chkE,
  );

  // a: one {lo, hi} object of int32 fields per bitmap.
  const O = [];
  for (let j = 0; j < N; j++) O.push({ lo: init[2 * j] | 0, hi: init[2 * j + 1] | 0 });
  const aTestBit = (o, bit) => ((bit < 32 ? o.lo : o.hi) & (1 << (bit & 31))) !== 0;
  const aSetBit = (o, bit) => {
    if (bit < 32) o.lo |= 1 << bit;
    else o.hi |= 1 << (bit & 31);
  };
  const aClearBit = (o, bit) => {
    if (bit < 32) o.lo &= ~(1 << bit);
    else o.hi &= ~(1 << (bit & 31));
  };
  const aTestAny = (o, k) => ((MT[k << 1] & o.lo) | (MT[(k << 1) + 1] & o.hi)) !== 0;
  const aTestAll = (o, k) => ((MT[k << 1] & ~o.lo) | (MT[(k << 1) + 1] & ~o.hi)) === 0;
  const chkO = () => O.reduce((s, o) => (s + o.lo + o.hi) | 0, 0);
  const fo = 'floor: {lo, hi} objects';
  add(
    G,
    'set_word',
    fo,
    'floor',
    null,
    (n) => {
      for (let i = 0; i < n; i++) {
        const o = O[i & 1023];
        o.lo |= WLO[i & 15];
        o.hi |= WHI[i & 15];
      }
      return O[5].lo;
    },
    chkO,
  );
  add(
    G,
    'clear_word',
    fo,
    'floor',
    null,
    (n) => {
      for (let i = 0; i < n; i++) {
        const o = O[i & 1023];
        o.lo &= ~WLO[i & 15];
        o.hi &= ~WHI[i & 15];
      }
      return O[5].lo;
    },
    chkO,
  );
  add(
    G,
    'overwrite_word',
    fo,
    'floor',
    null,
    (n) => {
      for (let i = 0; i < n; i++) {
        const o = O[i & 1023];
        o.lo = WLO[i & 15];
        o.hi = WHI[i & 15];
      }
      return O[5].lo;
    },
    chkO,
  );
  add(
    G,
    'test_bit',
    fo,
    'floor',
    null,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (aTestBit(O[i & 1023], BITS[i & 15])) s++;
      return s;
    },
    chkO,
  );
  add(
    G,
    'set_bit',
    fo,
    'floor',
    null,
    (n) => {
      for (let i = 0; i < n; i++) aSetBit(O[i & 1023], BITS[i & 15]);
      return O[5].lo;
    },
    chkO,
  );
  add(
    G,
    'clear_bit',
    fo,
    'floor',
    null,
    (n) => {
      for (let i = 0; i < n; i++) aClearBit(O[i & 1023], BITS[i & 15]);
      return O[5].lo;
    },
    chkO,
  );
  add(
    G,
    'test_all',
    fo,
    'floor',
    null,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (aTestAll(O[i & 1023], i & 15)) s++;
      return s;
    },
    chkO,
  );
  add(
    G,
    'test_any',
    fo,
    'floor',
    null,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (aTestAny(O[i & 1023], i & 15)) s++;
      return s;
    },
    chkO,
  );
  add(
    G,
    'mixed',
    fo,
    'floor',
    null,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const o = O[i & 1023];
        const k = i & 15;
        if (aTestAny(o, k)) s++;
        o.lo |= WLO[k];
        o.hi |= WHI[k];
        if (aTestBit(o, BITS[k])) s++;
        o.lo &= ~WLO[(k + 5) & 15];
        o.hi &= ~WHI[(k + 5) & 15];
      }
      return s;
    },
    chkO,
  );
}

/** Flat-array floors for wide bitmaps (S lanes); word ops touch word 0. */
function floorsWide(d) {
  const { S, WLO, WHI, MT, BITS, init, numBits } = d;
  const G = numBits;
  const W = new Uint32Array(init);
  const form = `floor: flat Uint32Array, stride ${S}`;
  const chk = () => sumU32(W);
  const testAll = (b, m) => {
    let acc = 0;
    for (let w = 0; w < S; w++) acc |= MT[m + w] & ~W[b + w];
    return acc === 0;
  };
  const testAny = (b, m) => {
    let acc = 0;
    for (let w = 0; w < S; w++) acc |= MT[m + w] & W[b + w];
    return acc !== 0;
  };
  add(
    G,
    'set_word',
    form,
    'floor',
    null,
    (n) => {
      for (let i = 0; i < n; i++) {
        const b = (i & 1023) * S;
        W[b] |= WLO[i & 15];
        W[b + 1] |= WHI[i & 15];
      }
      return W[5];
    },
    chk,
  );
  add(
    G,
    'test_bit',
    form,
    'floor',
    null,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const bit = BITS[i & 15];
        if ((W[(i & 1023) * S + (bit >>> 5)] & (1 << (bit & 31))) !== 0) s++;
      }
      return s;
    },
    chk,
  );
  add(
    G,
    'test_all',
    form,
    'floor',
    null,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (testAll((i & 1023) * S, (i & 15) * S)) s++;
      return s;
    },
    chk,
  );
  add(
    G,
    'test_any',
    form,
    'floor',
    null,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (testAny((i & 1023) * S, (i & 15) * S)) s++;
      return s;
    },
    chk,
  );
  add(
    G,
    'mixed',
    form,
    'floor',
    null,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const b = (i & 1023) * S;
        const k = i & 15;
        if (testAny(b, k * S)) s++;
        W[b] |= WLO[k];
        W[b + 1] |= WHI[k];
        const bit = BITS[k];
        if ((W[b + (bit >>> 5)] & (1 << (bit & 31))) !== 0) s++;
        W[b] &= ~WLO[(k + 5) & 15];
        W[b + 1] &= ~WHI[(k + 5) & 15];
      }
      return s;
    },
    chk,
  );
}

function wordsOf(d, j) {
  const words = [];
  for (let w = 0; w < d.S; w += 2) words.push(toBig(d.init[j * d.S + w], d.init[j * d.S + w + 1]));
  return words;
}

function maskFlags(d, config) {
  const out = [];
  for (let k = 0; k < K; k++) {
    const words = [];
    for (let w = 0; w < d.S; w += 2) words.push(toBig(d.MT[k * d.S + w], d.MT[k * d.S + w + 1]));
    out.push(vmaFlagsFromWords(words, config));
  }
  return out;
}

function publicCases(d, config, targets) {
  const { wBig, wNum, BITS, numBits } = d;
  const G = numBits;
  const F = [];
  for (let j = 0; j < N; j++) F.push(vmaFlagsFromWords(wordsOf(d, j), config));
  const M = maskFlags(d, config);
  const chk = () => F.reduce((s, f) => (s + Number(vmaFlagsToWords(f)[0] & 0xffffn)) | 0, 0);
  const form = 'public API (VmaFlags)';
  const t = targets;
  add(
    G,
    'set_word',
    `${form}, bigint`,
    'public',
    t.word,
    (n) => {
      for (let i = 0; i < n; i++) vmaFlagsSetWord(F[i & 1023], wBig[i & 15]);
      return 0;
    },
    chk,
  );
  if (G === 64) {
    add(
      G,
      'set_word',
      `${form}, number`,
      'public',
      t.word,
      (n) => {
        for (let i = 0; i < n; i++) vmaFlagsSetWord(F[i & 1023], wNum[i & 15]);
        return 0;
      },
      chk,
    );
    add(
      G,
      'clear_word',
      `${form}, bigint`,
      'public',
      t.word,
      (n) => {
        for (let i = 0; i < n; i++) vmaFlagsClearWord(F[i & 1023], wBig[i & 15]);
        return 0;
      },
      chk,
    );
    add(
      G,
      'overwrite_word',
      `${form}, bigint`,
      'public',
      t.word,
      (n) => {
        for (let i = 0; i < n; i++) vmaFlagsOverwriteWord(F[i & 1023], wBig[i & 15]);
        return 0;
      },
      chk,
    );
  }
  add(
    G,
    'test_bit',
    form,
    'public',
    t.bit,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (vmaFlagsTest(F[i & 1023], BITS[i & 15])) s++;
      return s;
    },
    chk,
  );
  if (G === 64) {
    add(
      G,
      'set_bit',
      form,
      'public',
      t.bit,
      (n) => {
        for (let i = 0; i < n; i++) vmaFlagsSetFlag(F[i & 1023], BITS[i & 15]);
        return 0;
      },
      chk,
    );
    add(
      G,
      'clear_bit',
      form,
      'public',
      t.bit,
      (n) => {
        for (let i = 0; i < n; i++) vmaFlagsClear(F[i & 1023], BITS[i & 15]);
        return 0;
      },
      chk,
    );
  }
  add(
    G,
    'test_all',
    form,
    'public',
    t.test,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (vmaFlagsTestAllMask(F[i & 1023], M[i & 15])) s++;
      return s;
    },
    chk,
  );
  add(
    G,
    'test_any',
    form,
    'public',
    t.test,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (vmaFlagsTestAnyMask(F[i & 1023], M[i & 15])) s++;
      return s;
    },
    chk,
  );
  const mixed = (words) => (n) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const f = F[i & 1023];
      const k = i & 15;
      if (vmaFlagsTestAnyMask(f, M[k])) s++;
      vmaFlagsSetWord(f, words[k]);
      if (vmaFlagsTest(f, BITS[k])) s++;
      vmaFlagsClearWord(f, words[(k + 5) & 15]);
    }
    return s;
  };
  add(G, 'mixed', `${form}, bigint`, 'public', t.mixed, mixed(wBig), chk);
  if (G === 64) add(G, 'mixed', `${form}, number`, 'public', t.mixed, mixed(wNum), chk);
}

function arenaCases(d, config, targets) {
  const { wBig, wNum, BITS, numBits, init } = d;
  const G = numBits;
  const A = new VmaFlagsArena(config, N);
  A.lanes.set(new Uint32Array(init.buffer));
  const M = maskFlags(d, config);
  const chk = () => sumU32(A.lanes);
  const form = 'arena (VmaFlagsArena)';
  const t = targets;
  add(
    G,
    'set_word',
    `${form}, number`,
    'arena',
    t.word,
    (n) => {
      for (let i = 0; i < n; i++) A.setWord(i & 1023, wNum[i & 15]);
      return 0;
    },
    chk,
  );
  if (G === 64) {
    add(
      G,
      'clear_word',
      `${form}, number`,
      'arena',
      t.word,
      (n) => {
        for (let i = 0; i < n; i++) A.clearWord(i & 1023, wNum[i & 15]);
        return 0;
      },
      chk,
    );
    add(
      G,
      'overwrite_word',
      `${form}, number`,
      'arena',
      t.word,
      (n) => {
        for (let i = 0; i < n; i++) A.overwriteWord(i & 1023, wNum[i & 15]);
        return 0;
      },
      chk,
    );
    add(
      G,
      'set_word',
      `bigint-mask entry: ${form}`,
      'bigint',
      0.5,
      (n) => {
        for (let i = 0; i < n; i++) A.setWord(i & 1023, wBig[i & 15]);
        return 0;
      },
      chk,
    );
    add(
      G,
      'clear_word',
      `bigint-mask entry: ${form}`,
      'bigint',
      0.5,
      (n) => {
        for (let i = 0; i < n; i++) A.clearWord(i & 1023, wBig[i & 15]);
        return 0;
      },
      chk,
    );
  }
  add(
    G,
    'test_bit',
    form,
    'arena',
    t.bit,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (A.testBit(i & 1023, BITS[i & 15])) s++;
      return s;
    },
    chk,
  );
  if (G === 64) {
    add(
      G,
      'set_bit',
      form,
      'arena',
      t.bit,
      (n) => {
        for (let i = 0; i < n; i++) A.setBit(i & 1023, BITS[i & 15]);
        return 0;
      },
      chk,
    );
    add(
      G,
      'clear_bit',
      form,
      'arena',
      t.bit,
      (n) => {
        for (let i = 0; i < n; i++) A.clearBit(i & 1023, BITS[i & 15]);
        return 0;
      },
      chk,
    );
  }
  add(
    G,
    'test_all',
    form,
    'arena',
    t.test,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (A.testAllMask(i & 1023, M[i & 15])) s++;
      return s;
    },
    chk,
  );
  add(
    G,
    'test_any',
    form,
    'arena',
    t.test,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) if (A.testAnyMask(i & 1023, M[i & 15])) s++;
      return s;
    },
    chk,
  );
  add(
    G,
    'mixed',
    `${form}, number`,
    'arena',
    t.mixed,
    (n) => {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const j = i & 1023;
        const k = i & 15;
        if (A.testAnyMask(j, M[k])) s++;
        A.setWord(j, wNum[k]);
        if (A.testBit(j, BITS[k])) s++;
        A.clearWord(j, wNum[(k + 5) & 15]);
      }
      return s;
    },
    chk,
  );
}

// Targets: ratio to the fastest floor of the same op (64-bit floors for every width).
const TARGETS = {
  64: {
    public: { word: 0.3, bit: 0.45, test: 0.5, mixed: 0.7 },
    arena: { word: 0.75, bit: 0.9, test: 0.9, mixed: 0.9 },
  },
  128: {
    public: { word: 0.35, bit: 0.55, test: 0.45, mixed: 0.5 },
    arena: { word: 0.75, bit: 0.9, test: 0.65, mixed: 0.65 },
  },
  192: {
    public: { word: 0.35, bit: 0.55, test: 0.4, mixed: 0.4 },
    arena: { word: 0.7, bit: 0.9, test: 0.6, mixed: 0.5 },
  },
};

// Each width group gets its own copy of the case code (re-created from source
// with its dependencies bound as constants), so the loops of one group never
// share type feedback with another's, and a group is only built when it is
// measured: the 64-bit figures are those of a program using one width.
const DEPS = {
  add,
  N,
  K,
  sumU32,
  toBig,
  wordsOf,
  maskFlags,
  VmaFlagsArena,
  vmaFlagsFromWords,
  vmaFlagsToWords,
  vmaFlagsSetWord,
  vmaFlagsClearWord,
  vmaFlagsOverwriteWord,
  vmaFlagsTest,
  vmaFlagsSetFlag,
  vmaFlagsClear,
  vmaFlagsTestAllMask,
  vmaFlagsTestAnyMask,
};
function fresh(fn) {
  const names = Object.keys(DEPS);
  return new Function(...names, `'use strict'; return (${fn.toString()});`)(...names.map((n) => DEPS[n]));
}

function buildGroup(bits) {
  const config = bits === 64 ? PRESETS.x86_64 : withNumVmaFlagBits(PRESETS.x86_64, bits);
  // Every group measures the 64-bit floors too: they are its ratios' denominators.
  fresh(floors64)(makeData(64));
  for (const c of cases) c.group = bits;
  for (const c of cases) c.floor64 = true;
  const d = makeData(bits);
  if (bits !== 64) fresh(floorsWide)(d);
  fresh(publicCases)(d, config, TARGETS[bits].public);
  fresh(arenaCases)(d, config, TARGETS[bits].arena);
}

// ---------------------------------------------------------------------------
// Measurement

let sink = 0;
const now = () => performance.now();

function calibrate(c) {
  let n = 1000;
  for (;;) {
    const t0 = now();
    sink ^= c.run(n);
    const dt = now() - t0;
    if (dt >= SAMPLE_MS / 4 || n >= 1 << 30) {
      return Math.max(1000, Math.round((n * SAMPLE_MS) / Math.max(dt, 0.001)));
    }
    n *= 4;
  }
}

function warm(c) {
  const end = now() + WARMUP_MS;
  while (now() < end) sink ^= c.run(c.n >>> 3 || 1000);
}

function sample(c) {
  const t0 = now();
  sink ^= c.run(c.n);
  const dt = now() - t0;
  return c.n / dt / 1e3; // M ops/s
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function shuffle(xs) {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rnd32() % (i + 1);
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

const started = now();
let checksum = 0;
if (CHILD !== null) {
  buildGroup(CHILD);
  if (LIST) {
    console.log(JSON.stringify(cases.map((c) => ({ floor64: !!c.floor64 }))));
    process.exit(0);
  }
  if (ONLY !== null) {
    const only = cases[ONLY];
    const keep = cases.filter((c) => c === only || (c.floor64 && c.op === only.op));
    cases.length = 0;
    cases.push(...keep);
  }
  for (const c of cases) {
    c.n = calibrate(c);
    warm(c);
    c.rounds = [];
  }
  for (let r = 0; r < ROUNDS; r++) {
    for (const c of shuffle([...cases])) {
      const xs = [];
      for (let s = 0; s < SAMPLES; s++) xs.push(sample(c));
      c.rounds.push(median(xs));
    }
  }
  for (const c of cases) checksum = (checksum + c.check()) | 0;
} else {
  // Children run one after another (never in parallel).
  const self = fileURLToPath(import.meta.url);
  const child = (args) => {
    const r = spawnSync(process.execPath, [...process.execArgv, self, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 24,
    });
    if (r.status !== 0) throw new Error(`bench child ${args.join(' ')} failed (status ${r.status})`);
    return JSON.parse(r.stdout);
  };
  let job = 0;
  for (const group of [64, 128, 192]) {
    const jobs = SHARED
      ? [['--group', String(group), '--json']]
      : child(['--group', String(group), '--list']).flatMap((c, i) =>
          c.floor64 ? [] : [['--group', String(group), '--case', String(i), '--json']],
        );
    for (const args of jobs) {
      const out = child(args);
      checksum = (checksum + out.checksum) | 0;
      sink ^= out.sink;
      for (const c of out.cases) c.job = job;
      job++;
      cases.push(...out.cases);
    }
  }
}
const elapsed = (now() - started) / 1000;

if (JSON_OUT) {
  const slim = cases.map(({ group, op, form, kind, target, rounds, floor64 }) => ({
    group,
    op,
    form,
    kind,
    target,
    rounds,
    floor64: !!floor64,
  }));
  console.log(JSON.stringify({ cases: slim, checksum, sink: sink & 0xff }));
  process.exit(0);
}

// ---------------------------------------------------------------------------
// Report

// A ratio's denominator is the fastest 64-bit floor of the same op measured
// in the same process (job) as the case.
const best = new Map(); // `${job}/${op}` -> M ops/s
for (const c of cases) {
  c.median = median(c.rounds);
  c.min = Math.min(...c.rounds);
  c.max = Math.max(...c.rounds);
  if (c.floor64) best.set(`${c.job}/${c.op}`, Math.max(best.get(`${c.job}/${c.op}`) ?? 0, c.median));
}
// The 64-bit floors appear once: pooled over every process that measured them.
const floorRows = new Map(); // `${op}|${form}` -> case with pooled rounds
for (const c of cases) {
  if (!c.floor64) continue;
  const key = `${c.op}|${c.form}`;
  const row = floorRows.get(key);
  if (row) row.rounds.push(...c.rounds);
  else floorRows.set(key, { ...c, group: 64, rounds: [...c.rounds], pooled: true });
}
const pooledBest = new Map();
for (const row of floorRows.values()) {
  row.median = median(row.rounds);
  row.min = Math.min(...row.rounds);
  row.max = Math.max(...row.rounds);
  pooledBest.set(row.op, Math.max(pooledBest.get(row.op) ?? 0, row.median));
}
const shown = [...floorRows.values(), ...cases.filter((c) => !c.floor64)].sort((a, b) => a.group - b.group);

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const lines = [];
lines.push(`| width | op | form | M ops/s (min–max) | ratio | target | |`);
lines.push(`|---|---|---|---:|---:|---:|---|`);
let misses = 0;
for (const c of shown) {
  const ratio = c.pooled ? c.median / pooledBest.get(c.op) : c.median / best.get(`${c.job}/${c.op}`);
  const status = c.target === null ? '' : targetStatus(ratio >= c.target);
  if (status === 'MISS') misses++;
  lines.push(
    `| ${c.group} | ${c.op} | ${c.form} | ${fmt(c.median)} (${fmt(c.min)}–${fmt(c.max)}) | ${ratio.toFixed(2)} | ${c.target === null ? '—' : `≥ ${c.target.toFixed(2)}`} | ${status} |`,
  );
}

console.log(`# @vmaflags/core benchmark`);
console.log();
console.log(
  `Node ${process.version} (V8 ${process.versions.v8}), ${process.arch}; ${ROUNDS} rounds × ${SAMPLES} samples of ~${SAMPLE_MS} ms; ` +
    `${SHARED ? 'one child process per width group (--shared)' : 'one child process per case'}; ` +
    `ratio = median / fastest 64-bit floor of the same op, measured in the same process; ${elapsed.toFixed(0)} s.`,
);
console.log();
console.log(lines.join('\n'));
console.log();
console.log(missSummary(misses));
console.log(`(checksum ${checksum}, sink ${sink & 0xff})`);
