/** Following workerd's stdout file: whole lines, in order, across rotations, with a final flush. */
import { appendFileSync, mkdtempSync, openSync, rmSync, statSync, writeSync, closeSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tailLogFile } from '../../lib/local/log-tail';
import { logPrinter } from '../../lib/cli/serve';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'model-edge-log-tail-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

it('delivers whole lines as they are appended, and a last partial line on stop', async () => {
  const file = path.join(dir, 'out.log');
  appendFileSync(file, '');
  const lines: string[] = [];
  const tail = tailLogFile(file, (l) => lines.push(l), { intervalMs: 10 });
  appendFileSync(file, 'one\ntw');
  appendFileSync(file, 'o\nthree');
  await until(() => lines.length >= 2);
  expect(lines).toEqual(['one', 'two']);
  tail.stop();
  expect(lines).toEqual(['one', 'two', 'three']);
});

it('empties the file once it is read past the rotation size, and keeps following an appending writer', async () => {
  const file = path.join(dir, 'out.log');
  const writer = openSync(file, 'a');
  const lines: string[] = [];
  const tail = tailLogFile(file, (l) => lines.push(l), { intervalMs: 10, rotateBytes: 64 });
  for (let i = 0; i < 20; i++) writeSync(writer, `line ${i} ${'x'.repeat(20)}\n`);
  await until(() => lines.length >= 20);
  expect(statSync(file).size).toBe(0);
  writeSync(writer, 'after rotation\n');
  await until(() => lines.length >= 21);
  tail.stop();
  closeSync(writer);
  expect(lines.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([...Array.from({ length: 20 }, (_, i) => `line ${i}`), 'after rotation']);
});

describe('request log modes', () => {
  const request = JSON.stringify({ message: 'request', method: 'POST', path: '/v2/models/m/infer', status: 200, durationMs: 1.5, cache: 'bypass' });
  const fault = JSON.stringify({ message: 'request', method: 'POST', path: '/v2/models/m/infer', status: 500, durationMs: 2, cache: 'bypass', error: 'boom' });
  const printed = (mode: 'concise' | 'json' | 'off') => {
    const out: string[] = [];
    const print = logPrinter(mode, (l) => out.push(l));
    for (const l of [request, fault, 'workerd: something else']) print(l);
    return out;
  };

  it('concise: one short line per request', () => {
    expect(printed('concise')).toEqual(['POST /v2/models/m/infer 200 1.5 ms', 'POST /v2/models/m/infer 500 2 ms error: boom', 'workerd: something else']);
  });
  it('json: the Worker lines as they are', () => {
    expect(printed('json')).toEqual([request, fault, 'workerd: something else']);
  });
  it('off: only faults and workerd lines', () => {
    expect(printed('off')).toEqual(['POST /v2/models/m/infer 500 2 ms error: boom', 'workerd: something else']);
  });
});
