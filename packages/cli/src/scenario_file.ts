import { readFile } from 'node:fs/promises';
import { UsageError } from './exit_codes.js';

// A scenario JSONL file (or stdin with `-`) as numbered lines, blank lines
// dropped; line numbers are 1-based as in the file, for messages.

export interface ScenarioLine {
  line: number;
  text: string;
}

export async function readScenarioLines(path: string, readStdin: () => Promise<string>): Promise<ScenarioLine[]> {
  let text: string;
  if (path === '-') {
    text = await readStdin();
  } else {
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(
        `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message}`,
      );
    }
  }
  const lines: ScenarioLine[] = [];
  text.split('\n').forEach((t, i) => {
    if (t.trim() !== '') lines.push({ line: i + 1, text: t });
  });
  if (lines.length === 0) throw new UsageError(`${path}: no scenarios (one JSON object per line)`);
  return lines;
}
