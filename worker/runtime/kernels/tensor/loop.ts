/**
 * Loop: runs the `body` subgraph while the iteration count is below the trip count M and `cond` is
 * true (either input may be omitted). The body's inputs are [iteration_num (int64 scalar), cond
 * (bool scalar), ...loop-carried values]; its outputs are [cond, ...carried, ...scan outputs].
 * Carried values feed the next iteration and end as the node's first outputs; each scan output is
 * collected per iteration and stacked along a new axis 0.
 *
 * The body's nodes reuse their output buffers across iterations, so every value kept past an
 * iteration (carried values, scan slices) is copied out of those buffers first.
 *
 * Without a trip count and with a cond that never turns false a loop would run forever, so at most
 * MAX_LOOP_ITERATIONS iterations run (also with a huge M, as exporters write for while-loops);
 * beyond that the node fails with a KernelError rather than hang the Worker.
 */
import type { Graph } from '../../graph';
import { kernel, kernelFail } from '../../kernel';
import { Tensor, sameShape, sizeOf } from '../../tensor';
import { copyRange, readScalar } from './common';
import { shapeText } from '../common/shape-text';

/** Iterations a Loop node may run before it fails (one million). */
export const MAX_LOOP_ITERATIONS = 1_000_000;

interface LoopAttributes {
  readonly body: Graph;
}

export const loopKernel = kernel<LoopAttributes>({
  op: 'Loop',
  attributes: (a) => {
    const body = a.graph('body');
    if (body.inputs.length < 2) a.fail(`the body must take at least 2 inputs (iteration_num, cond), it takes ${body.inputs.length}`);
    const carried = body.inputs.length - 2;
    if (body.outputs.length < 1 + carried) {
      a.fail(`the body has ${carried} loop-carried input(s) and must output cond and each of them, but it has ${body.outputs.length} output(s)`);
    }
    return { body };
  },
  run(inputs, { body }, ctx) {
    const carriedCount = body.inputs.length - 2;
    const scanCount = body.outputs.length - 1 - carriedCount;
    if (inputs.length - 2 !== carriedCount) {
      kernelFail(ctx, `the node passes ${Math.max(0, inputs.length - 2)} loop-carried value(s) but the body takes ${carriedCount}`);
    }
    if (ctx.node.outputs.length > carriedCount + scanCount) {
      kernelFail(ctx, `the node declares ${ctx.node.outputs.length} outputs; the body yields ${carriedCount} carried value(s) and ${scanCount} scan output(s)`);
    }
    const tripInput = inputs[0];
    const condInput = inputs[1];
    const tripCount = tripInput ? readTripCount(tripInput, ctx) : Infinity;
    let cond = condInput ? readScalar(condInput, ctx, 'cond') !== 0 : true;
    let carried: Tensor[] = [];
    for (let i = 0; i < carriedCount; i++) {
      const v = inputs[i + 2];
      if (!v) kernelFail(ctx, `loop-carried input ${i + 2} ("${body.inputs[i + 2].name}") is required`);
      carried.push(v);
    }
    const scans: Tensor[][] = Array.from({ length: scanCount }, () => []);
    const bindings = new Map<string, Tensor>();
    let iteration = 0;
    while (iteration < tripCount && cond) {
      if (iteration >= MAX_LOOP_ITERATIONS) {
        kernelFail(ctx, `stopped after ${MAX_LOOP_ITERATIONS} iterations: the loop has ${tripInput ? `trip count ${tripCount}` : 'no trip count'} and its condition is still true; a Loop may run at most ${MAX_LOOP_ITERATIONS} iterations`);
      }
      bindings.set(body.inputs[0].name, Tensor.from('int64', [], [BigInt(iteration)]));
      bindings.set(body.inputs[1].name, Tensor.from('bool', [], [cond ? 1 : 0]));
      for (let i = 0; i < carriedCount; i++) bindings.set(body.inputs[i + 2].name, carried[i]);
      const outputs = ctx.runSubgraph(body, bindings);
      if (outputs.length !== 1 + carriedCount + scanCount) {
        kernelFail(ctx, `the body produced ${outputs.length} outputs; expected ${1 + carriedCount + scanCount}`);
      }
      // Without a cond input the body's cond output is ignored (the spec's for-loop form).
      if (condInput) cond = readScalar(outputs[0], ctx, 'the body\'s cond output') !== 0;
      carried = outputs.slice(1, 1 + carriedCount).map((t) => t.clone());
      for (let k = 0; k < scanCount; k++) {
        const slice = outputs[1 + carriedCount + k];
        const first = scans[k][0];
        if (first && (first.dtype !== slice.dtype || !sameShape(first.shape, slice.shape))) {
          kernelFail(ctx, `scan output ${k} ("${body.outputs[1 + carriedCount + k].name}") is ${slice.dtype} ${shapeText(slice.shape)} in iteration ${iteration} but was ${first.dtype} ${shapeText(first.shape)} before; every iteration must yield the same shape`);
        }
        scans[k].push(slice.clone());
      }
      iteration++;
    }
    const results: Tensor[] = carried.map((v, i) => {
      const out = ctx.output(i, v.dtype, v.shape);
      copyRange(v.data, 0, out.data, 0, v.size);
      return out;
    });
    for (let k = 0; k < scanCount; k++) {
      const info = body.outputs[1 + carriedCount + k];
      const slices = scans[k];
      // With zero iterations the slice shape comes from the body's declaration (unknown dims as 0).
      const sliceShape = slices.length ? slices[0].shape : (info.shape ?? []).map((d) => (typeof d === 'number' ? d : 0));
      const dtype = slices.length ? slices[0].dtype : info.dtype;
      const out = ctx.output(carriedCount + k, dtype, [slices.length, ...sliceShape]);
      const n = sizeOf(sliceShape);
      slices.forEach((s, i) => copyRange(s.data, 0, out.data, i * n, n));
      results.push(out);
    }
    return results;
  },
});

function readTripCount(t: Tensor, ctx: Parameters<typeof readScalar>[1]): number {
  if (t.dtype !== 'int64' && t.dtype !== 'int32') kernelFail(ctx, `trip count M must be int64, got ${t.dtype}`);
  const m = readScalar(t, ctx, 'trip count M');
  return m < 0 ? 0 : m;
}
