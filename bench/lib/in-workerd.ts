/** The small models the in-workerd comparisons serve, with one request each, and Worker start-up. */
import { readFileSync } from 'fs';
import * as path from 'path';
import { digitsImage } from '../http-binary';
import { tinyModel } from '../reference-models';
import { maxAbsDiff } from './stats';
import { startModuleWorker, type StartedWorker } from './module-worker';
import { v2Bodies, type RequestBodyVariant } from './v2-bodies';
import { modulesOf, type WorkerVariant } from './worker-variants';

export interface ServedModel {
  readonly name: string;
  readonly onnx: Uint8Array;
  readonly bodies: readonly RequestBodyVariant[];
}

export function smallServedModels(): ServedModel[] {
  const tiny = tinyModel();
  const feed = tiny.feeds(1).input;
  return [
    { name: 'tiny', onnx: tiny.onnx, bodies: v2Bodies('input', feed.shape, feed.data as Float32Array) },
    { name: 'digits', onnx: new Uint8Array(readFileSync(path.join(__dirname, '..', '..', 'models', 'digits', 'model.onnx'))), bodies: v2Bodies('input', [1, 784], digitsImage()) },
  ];
}

export const startVariant = (v: WorkerVariant): Promise<StartedWorker> => startModuleWorker(modulesOf(v), { livePath: v.livePath, textBindings: v.textBindings });

/** POSTs `body` and returns the answer's bytes; throws on anything but 200. */
export async function post(url: string, body: RequestBodyVariant, who: string): Promise<Buffer> {
  const res = await fetch(url, { method: 'POST', body: body.body, headers: body.headers });
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`${who} answered ${res.status} to ${body.label}: ${bytes.toString('utf8').slice(0, 300)}`);
  return bytes;
}

/** Largest |a - b| over the outputs two JSON v2 answers share by name (Infinity when they share none). */
export function answersDiff(a: Buffer, b: Buffer): number {
  const outputs = (x: Buffer) => new Map((JSON.parse(x.toString('utf8')) as { outputs: { name: string; data: number[] }[] }).outputs.map((o) => [o.name, o.data]));
  const [oa, ob] = [outputs(a), outputs(b)];
  const shared = [...oa.keys()].filter((k) => ob.has(k));
  return shared.length ? Math.max(...shared.map((k) => maxAbsDiff(oa.get(k)!, ob.get(k)!))) : Infinity;
}
