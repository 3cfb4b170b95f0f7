/**
 * The benchmark suite: `npm run bench` runs every part, prints each table, and writes the same
 * figures to BENCHMARKS.md with the machine's description.
 *
 *   npm run bench                          all parts (a few minutes)
 *   npm run bench -- --only inference,size some parts (inference, large, http, peer, isolate, size, startup, synth, allocation, assets)
 *   npm run bench -- --no-write            print only, leave BENCHMARKS.md alone
 *   BENCH_HTTP_SECONDS=10                  duration of each HTTP load (default 10)
 *   BENCH_CPU_SECONDS=6                    load per row of the in-workerd CPU tables (peer, isolate; default 6)
 *
 * A run with --only replaces just those parts' sections of BENCHMARKS.md and keeps the others.
 * The reliability load test runs on its own (`npx ts-node --transpile-only bench/load.ts`, 30-60 s)
 * and writes bench/load-results.md, which BENCHMARKS.md includes as its last section.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { parseArgs } from 'util';
import { allocationPart } from './allocation';
import { assetsPart } from './assets';
import { httpPart } from './http';
import { inferencePart } from './inference';
import { isolateCpuPart } from './isolate-cpu';
import { largeInferencePart } from './large-inference';
import { ortWebWorkerPart } from './ort-web-worker';
import { describeMachine, machineLines } from './lib/machine';
import { mergeSections, renderReport, targetsTable, type BenchPart, type PartResult, type TargetCheck } from './lib/report';
import { renderTable } from './lib/table';
import { sizePart } from './size';
import { startupPart } from './startup';
import { synthPart } from './lib/synth-part';

export const PARTS: readonly BenchPart[] = [inferencePart, largeInferencePart, httpPart, ortWebWorkerPart, isolateCpuPart, sizePart, startupPart, synthPart, allocationPart, assetsPart];

export const BENCHMARKS_FILE = path.join(__dirname, '..', 'BENCHMARKS.md');
/** Written by the load test (bench/load.ts, 30-60 s of load); included in BENCHMARKS.md as it stands. */
const LOAD_RESULTS_FILE = path.join(__dirname, 'load-results.md');

/** The load test's latest results with headings one level down, as a section of BENCHMARKS.md. */
function loadTestSection(): string {
  if (!existsSync(LOAD_RESULTS_FILE)) return '';
  const body = readFileSync(LOAD_RESULTS_FILE, 'utf8').replace(/^# .*\n/, '').replace(/^(#+) /gm, '#$1 ');
  return `\n## Load test (reliability)\n${body}`;
}

function selectParts(only: string | undefined): BenchPart[] {
  if (!only) return [...PARTS];
  const names = only.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !PARTS.some((p) => p.name === n));
  if (unknown.length) throw new Error(`--only: unknown part ${unknown.join(', ')}; choose from ${PARTS.map((p) => p.name).join(', ')}`);
  return PARTS.filter((p) => names.includes(p.name));
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { only: { type: 'string' }, 'no-write': { type: 'boolean' } } });
  const parts = selectParts(values.only);
  const machine = describeMachine();
  console.log('Machine:');
  for (const l of machineLines(machine)) console.log(l);
  const results: { part: BenchPart; result: PartResult | Error }[] = [];
  for (const part of parts) {
    console.log(`\n== ${part.title} ==`);
    const started = Date.now();
    let result: PartResult | Error;
    try {
      result = await part.run((l) => console.log(l));
      for (const t of result.tables) console.log(`\n${renderTable(t)}`);
    } catch (e) {
      result = e instanceof Error ? e : new Error(String(e));
      console.error(`${part.title} failed: ${result.stack ?? result.message}`);
    }
    console.log(`(${part.name}: ${((Date.now() - started) / 1000).toFixed(0)} s)`);
    results.push({ part, result });
  }
  const targets: TargetCheck[] = results.flatMap(({ result }) => (result instanceof Error ? [] : [...result.targets]));
  if (targets.length) console.log(`\n${renderTable(targetsTable(targets))}`);
  if (!values['no-write']) {
    const command = `npm run bench${values.only ? ` -- --only ${values.only}` : ''}`;
    const partial = values.only !== undefined && existsSync(BENCHMARKS_FILE);
    writeFileSync(BENCHMARKS_FILE, partial ? mergeSections(readFileSync(BENCHMARKS_FILE, 'utf8'), results, command) : renderReport(machine, results, command) + loadTestSection());
    console.log(`\nWrote ${path.relative(process.cwd(), BENCHMARKS_FILE)}`);
  }
  return results.some(({ result }) => result instanceof Error) ? 1 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(2);
    },
  );
}
