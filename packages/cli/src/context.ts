import type { Colors } from './color.js';

// What a command needs from the outside world, so the program can be driven
// from the bin and nothing reaches for globals.

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}

export interface CommandContext {
  io: CliIo;
  c: Colors;
  json: boolean;
}
