// Decode the `VmFlags:` line of /proc/PID/smaps: which kernel flags a mapping
// has, the flags word the kernel printed it from, the same flags the way printk
// `%pGv` writes them, and that printing the decoded bitmap gives the line back.
//
//   node dist/decode_smaps_line.js                      # a sample stack line
//   node dist/decode_smaps_line.js "VmFlags: rd ex mr mw me de"
import {
  DEFAULT_CONFIG,
  formatVmaFlags,
  parseSmapVmaFlags,
  showSmapVmaFlags,
  vmaFlagTable,
  vmaFlagsTest,
  vmaFlagsToLegacy,
} from '@vmaflags/core';

// The [stack] mapping of a process on Linux 6.18 x86_64, as smaps prints it.
const SAMPLE = 'VmFlags: rd wr mr mw me gd ac ';

const line = process.argv[2] ?? SAMPLE;
// Smaps is printed by the running kernel, so decode with the configuration
// that matches it; DEFAULT_CONFIG is a distribution x86_64 kernel.
const flags = parseSmapVmaFlags(line, DEFAULT_CONFIG);
const table = vmaFlagTable(DEFAULT_CONFIG);

console.log(`line:   ${JSON.stringify(line)}`);
console.log(`word 0: 0x${vmaFlagsToLegacy(flags).toString(16)}`);
for (const info of table.bits) {
  if (vmaFlagsTest(flags, info.bit)) {
    console.log(`  bit ${String(info.bit).padStart(2)}  ${info.vmNames.join(' = ')}`);
  }
}
console.log(`%pGv:   ${formatVmaFlags(flags)}`);
const again = showSmapVmaFlags(flags).trimEnd();
console.log(`again:  ${JSON.stringify(again)} (${again === line.trim() ? 'same line' : 'normalised'})`);
