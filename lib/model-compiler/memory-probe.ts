/**
 * The runtime's working set, measured by running the compiled model on zero inputs at batch 1 and
 * batch 2 with a meter that adds up every output buffer the kernels allocate. Buffers are counted
 * as if none were freed during the run, so this is an upper bound; two batch sizes give the fixed
 * part and the part per row, from which the working set at any batch is extrapolated linearly.
 * The runs compute shapes, not values, where kernel plans state them (the session's `shapesOnly`
 * mode): such a node allocates the same output buffers without doing its arithmetic.
 */
import type { Model } from '../../worker/runtime/graph';
import type { RunMeter } from '../../worker/runtime/run-meter';
import { InferenceSession } from '../../worker/runtime/session';
import { allKernels } from '../../worker/runtime/kernels/registry';
import { Tensor } from '../../worker/runtime/tensor';

export interface WorkingSet {
  /** bytes allocated by one run whatever the batch */
  readonly fixedBytes: number;
  /** bytes added by each row of the batch (the first dimension of variable size) */
  readonly perRowBytes: number;
  /** elements of the largest input per row: the batch limit is limits.maxTensorElements / this */
  readonly inputElementsPerRow: number;
  /** true when the inputs have a variable dimension, i.e. requests may carry several rows */
  readonly batched: boolean;
}

class AllocationCounter implements RunMeter {
  bytes = 0;
  beforeNode(): void {}
  afterNode(): void {}
  allocate(_node: unknown, bytes: number): void {
    this.bytes += bytes;
  }
  allocated(): void {}
  enterSubgraph(): void {}
  leaveSubgraph(): void {}
}

/** Measures the working set, or undefined when the model cannot run on zero inputs. */
export function measureWorkingSet(model: Model): WorkingSet | undefined {
  const inputs = model.graph.inputs;
  if (inputs.some((v) => v.shape === null || v.dtype === 'string')) return undefined;
  const batched = inputs.some((v) => v.shape!.some((d) => typeof d !== 'number'));
  const run = (rows: number): number | undefined => {
    const feeds: Record<string, Tensor> = {};
    for (const v of inputs) feeds[v.name] = Tensor.zeros(v.dtype, v.shape!.map((d) => (typeof d === 'number' ? d : rows)));
    const meter = new AllocationCounter();
    try {
      InferenceSession.create(model, { kernels: allKernels, meter, shapesOnly: true }).run(feeds);
    } catch {
      return undefined;
    }
    const inputBytes = Object.values(feeds).reduce((n, t) => n + (t.data as Uint8Array).byteLength, 0);
    return meter.bytes + inputBytes;
  };
  const one = run(1);
  const two = batched ? run(2) : one;
  if (one === undefined || two === undefined) return undefined;
  const perRowBytes = Math.max(0, two - one);
  const inputElementsPerRow = Math.max(1, ...inputs.map((v) => v.shape!.reduce<number>((n, d) => n * (typeof d === 'number' ? d : 1), 1)));
  return { fixedBytes: Math.max(0, one - perRowBytes), perRowBytes, inputElementsPerRow, batched };
}

/** CPU time of one inference at batch 1 on zero inputs, the median of `runs`, in milliseconds; undefined when it cannot run. */
export function timeBatchOne(model: Model, runs = 5): number | undefined {
  const inputs = model.graph.inputs;
  if (inputs.some((v) => v.shape === null || v.dtype === 'string')) return undefined;
  const feeds: Record<string, Tensor> = {};
  for (const v of inputs) feeds[v.name] = Tensor.zeros(v.dtype, v.shape!.map((d) => (typeof d === 'number' ? d : 1)));
  try {
    const session = InferenceSession.create(model, { kernels: allKernels });
    session.run(feeds);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = process.cpuUsage();
      session.run(feeds);
      const used = process.cpuUsage(started);
      times.push((used.user + used.system) / 1000);
    }
    return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
  } catch {
    return undefined;
  }
}
