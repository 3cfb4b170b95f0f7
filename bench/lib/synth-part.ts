/**
 * Synthesis time for 1, 10 and 50 models: runs bench/synth.ts (its own process, so that its
 * bundler and compiler caches start cold as in a real `cdktf synth`) and takes its table.
 */
import { spawn } from 'child_process';
import * as path from 'path';
import type { BenchPart, PartResult } from './report';
import type { Table } from './table';

const SCRIPT = path.join(__dirname, '..', 'synth.ts');

function runScript(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', SCRIPT], {
      cwd: path.join(__dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`bench/synth.ts exited with ${code}:\n${out}`))));
  });
}

/** The markdown table rows of the script's output, and its other lines as notes. */
export function parseSynthOutput(out: string): Table {
  const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
  const tableLines = lines.filter((l) => l.startsWith('|') && !/^\|[\s|:-]+\|$/.test(l));
  const cells = (l: string) => l.slice(1, -1).split('|').map((c) => c.trim());
  if (tableLines.length < 2) throw new Error(`bench/synth.ts printed no table:\n${out}`);
  return {
    title: 'Synthesis time (in-process app.synth(), real compiler and bundler)',
    headers: cells(tableLines[0]),
    rows: tableLines.slice(1).map(cells),
    notes: [...lines.filter((l) => !l.startsWith('|')), 'From bench/synth.ts, run in its own process.'],
  };
}

export const synthPart: BenchPart = {
  name: 'synth',
  title: 'Synthesis',
  async run(log): Promise<PartResult> {
    const out = await runScript();
    for (const l of out.split('\n').filter(Boolean)) log(`  ${l}`);
    return { tables: [parseSynthOutput(out)], targets: [] };
  },
};
