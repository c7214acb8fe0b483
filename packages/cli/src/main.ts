#!/usr/bin/env node
import { runCli } from './program.js';

// The `vmaflags` bin. Errors the user can fix are reported in one line by
// runCli; anything else is a bug and keeps its stack trace.

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // `vmaflags inspect self | head` closes the pipe early; that is not an error.
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin,
});
