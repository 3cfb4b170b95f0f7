/**
 * Scan: runs the `body` subgraph once per slice of its scan inputs, threading state values from
 * one iteration to the next. The body takes [...states, ...scan slices] and yields
 * [...states, ...scan output slices]; the node returns the final states and the scan output
 * slices stacked along a new axis.
 *
 * Opset 8 has a leading batch axis on every input and output and an optional `sequence_lens`
 * input (first); each batch row is scanned on its own along axis 1, for its own length, and
 * scan outputs past a row's length are zero (as onnxruntime pads them). Opset 9 and later drop
 * the batch axis and `sequence_lens` and add per-input scan axes and directions
 * (`scan_input_axes`, `scan_input_directions`) and per-output ones (`scan_output_axes`,
 * `scan_output_directions`); a reverse direction reads (or writes) the slices last to first.
 *
 * The body's nodes reuse their output buffers across iterations, so every value kept past an
 * iteration (states, scan output slices) is copied out first. Everything here is a function of
 * the inputs and the parsed attributes.
 */
import type { Graph } from '../../graph';
import { kernel, kernelFail, type KernelContext } from '../../kernel';
import { Tensor, allocateData, sameShape, sizeOf } from '../../tensor';
import { normalizeAxis } from '../common/axes';
import { shapeText } from '../common/shape-text';
import { copyRange, readInts } from './common';

interface ScanAttributes {
  readonly body: Graph;
  readonly numScanInputs: number;
  /** per scan input: true when read last to first (opset 8 `directions`, 9+ `scan_input_directions`) */
  readonly inputReverse: readonly boolean[] | undefined;
  /** opset 9+: per scan input, its scan axis (may be negative) */
  readonly inputAxes: readonly number[] | undefined;
  /** opset 9+: per scan output, true when written last to first */
  readonly outputReverse: readonly boolean[] | undefined;
  /** opset 9+: per scan output, the axis the slices are stacked along (may be negative) */
  readonly outputAxes: readonly number[] | undefined;
}

type Ctx = Pick<KernelContext, 'node'>;

export const scanKernel = kernel<ScanAttributes>({
  op: 'Scan',
  attributes: (a, opset) => {
    const body = a.graph('body');
    const numScanInputs = a.int('num_scan_inputs');
    const stateCount = body.inputs.length - numScanInputs;
    if (numScanInputs < 1) a.fail(`num_scan_inputs must be at least 1, got ${numScanInputs}`);
    if (stateCount < 0) a.fail(`num_scan_inputs is ${numScanInputs} but the body takes only ${body.inputs.length} input(s)`);
    if (body.outputs.length < stateCount) {
      a.fail(`the body takes ${stateCount} state value(s) and must output each of them first, but it has ${body.outputs.length} output(s)`);
    }
    const scanOutputCount = body.outputs.length - stateCount;
    const directions = (name: string, count: number): boolean[] | undefined => {
      const v = a.ints(name, undefined);
      if (v === undefined) return undefined;
      if (v.length !== count) a.fail(`attribute "${name}" has ${v.length} entries; it needs one per scan ${name.includes('output') ? 'output' : 'input'} (${count})`);
      if (v.some((d) => d !== 0 && d !== 1)) a.fail(`attribute "${name}" must hold 0 (forward) or 1 (reverse), got [${v.join(', ')}]`);
      return v.map((d) => d === 1);
    };
    const axes = (name: string, count: number): number[] | undefined => {
      const v = a.ints(name, undefined);
      if (v !== undefined && v.length !== count) a.fail(`attribute "${name}" has ${v.length} entries; it needs one per scan ${name.includes('output') ? 'output' : 'input'} (${count})`);
      return v;
    };
    if (opset < 9) {
      return { body, numScanInputs, inputReverse: directions('directions', numScanInputs), inputAxes: undefined, outputReverse: undefined, outputAxes: undefined };
    }
    return {
      body,
      numScanInputs,
      inputReverse: directions('scan_input_directions', numScanInputs),
      inputAxes: axes('scan_input_axes', numScanInputs),
      outputReverse: directions('scan_output_directions', scanOutputCount),
      outputAxes: axes('scan_output_axes', scanOutputCount),
    };
  },
  run(inputs, attrs, ctx) {
    return ctx.opset < 9 ? runBatched(inputs, attrs, ctx) : runUnbatched(inputs, attrs, ctx);
  },
});

/** Opset 9+: inputs are [...initial states, ...scan inputs]. */
function runUnbatched(inputs: ReadonlyArray<Tensor | undefined>, attrs: ScanAttributes, ctx: KernelContext): Tensor[] {
  const { body, numScanInputs } = attrs;
  const stateCount = body.inputs.length - numScanInputs;
  const values = presentInputs(inputs, 0, body, ctx);
  const states = values.slice(0, stateCount);
  const scans = values.slice(stateCount);
  const axes = scans.map((t, i) => normalizeAxis(attrs.inputAxes?.[i] ?? 0, t.rank, ctx, `scan input ${i}'s axis`));
  const length = sequenceLength(scans, axes, body, stateCount, ctx);
  const scanOutputCount = body.outputs.length - stateCount;
  const outputs: Tensor[] = new Array(scanOutputCount);
  // each slice goes straight to its place in the output, allocated once the first slice shows its shape
  const place = (k: number, iteration: number, slice: Tensor): void => {
    let out = outputs[k];
    if (!out) {
      const axis = normalizeAxis(attrs.outputAxes?.[k] ?? 0, slice.rank + 1, ctx, `scan output ${k}'s axis`);
      out = outputs[k] = ctx.output(stateCount + k, slice.dtype, [...slice.shape.slice(0, axis), length, ...slice.shape.slice(axis)]);
    }
    const axis = normalizeAxis(attrs.outputAxes?.[k] ?? 0, out.rank, ctx, `scan output ${k}'s axis`);
    writeSlice(slice, out, axis, attrs.outputReverse?.[k] ? length - 1 - iteration : iteration);
  };
  const finalStates = scanLoop(ctx, body, states, scans, axes, attrs.inputReverse, length, place);
  const results = finalStates.map((v, i) => {
    const out = ctx.output(i, v.dtype, v.shape);
    copyRange(v.data, 0, out.data, 0, v.size);
    return out;
  });
  for (let k = 0; k < scanOutputCount; k++) {
    if (!outputs[k]) {
      // zero iterations: the slice shape comes from the body's declaration
      const sliceShape = declaredSliceShape(body, stateCount + k);
      const axis = normalizeAxis(attrs.outputAxes?.[k] ?? 0, sliceShape.length + 1, ctx, `scan output ${k}'s axis`);
      outputs[k] = ctx.output(stateCount + k, body.outputs[stateCount + k].dtype, [...sliceShape.slice(0, axis), 0, ...sliceShape.slice(axis)]);
    }
    results.push(outputs[k]);
  }
  return results;
}

/** Opset 8: inputs are [sequence_lens?, ...initial states, ...scan inputs], all with a batch axis 0. */
function runBatched(inputs: ReadonlyArray<Tensor | undefined>, attrs: ScanAttributes, ctx: KernelContext): Tensor[] {
  const { body, numScanInputs } = attrs;
  const stateCount = body.inputs.length - numScanInputs;
  const values = presentInputs(inputs, 1, body, ctx);
  values.forEach((t, i) => {
    if (t.rank < (i < stateCount ? 1 : 2)) kernelFail(ctx, `input ${i + 1} ("${ctx.node.inputs[i + 1]}") is ${shapeText(t.shape)}; opset 8 Scan needs a batch axis${i < stateCount ? '' : ' and a sequence axis'}`);
  });
  const batch = values[0].shape[0];
  values.forEach((t, i) => {
    if (t.shape[0] !== batch) kernelFail(ctx, `input ${i + 1} ("${ctx.node.inputs[i + 1]}") has batch size ${t.shape[0]} but input 1 has ${batch}; every input shares batch axis 0`);
  });
  const maxLength = sequenceLength(values.slice(stateCount).map((t) => rowOf(t, 0)), new Array(numScanInputs).fill(0), body, stateCount, ctx);
  const lengths = inputs[0] ? readInts(inputs[0], ctx, 'sequence_lens') : new Array<number>(batch).fill(maxLength);
  if (inputs[0]) {
    if (lengths.length !== batch) kernelFail(ctx, `sequence_lens holds ${lengths.length} value(s); it needs one per batch row (${batch})`);
    lengths.forEach((n, b) => {
      if (n < 1 || n > maxLength) kernelFail(ctx, `sequence_lens[${b}] is ${n}; it must lie in 1..${maxLength} (the length of the scan inputs' sequence axis)`);
    });
  }
  const rows = Array.from({ length: batch }, (_, b) => {
    const states = values.slice(0, stateCount).map((t) => rowOf(t, b));
    const scans = values.slice(stateCount).map((t) => rowOf(t, b));
    const slices: Tensor[][] = Array.from({ length: body.outputs.length - stateCount }, () => []);
    const keep = (k: number, _iteration: number, slice: Tensor): void => void slices[k].push(slice.clone());
    return { states: scanLoop(ctx, body, states, scans, new Array(numScanInputs).fill(0), attrs.inputReverse, lengths[b], keep), slices };
  });
  const results: Tensor[] = [];
  for (let i = 0; i < stateCount; i++) {
    const first = rows[0].states[i];
    const out = ctx.output(i, first.dtype, [batch, ...first.shape]);
    rows.forEach((r, b) => {
      const v = r.states[i];
      if (v.dtype !== first.dtype || !sameShape(v.shape, first.shape)) {
        kernelFail(ctx, `state ${i} ("${body.outputs[i].name}") is ${v.dtype} ${shapeText(v.shape)} for batch row ${b} but ${first.dtype} ${shapeText(first.shape)} for row 0`);
      }
      copyRange(v.data, 0, out.data, b * v.size, v.size);
    });
    results.push(out);
  }
  const scanOutputCount = body.outputs.length - stateCount;
  for (let k = 0; k < scanOutputCount; k++) {
    const sample = rows.find((r) => r.slices[k].length > 0)?.slices[k][0];
    const sliceShape = sample ? sample.shape : declaredSliceShape(body, stateCount + k);
    const dtype = sample ? sample.dtype : body.outputs[stateCount + k].dtype;
    // rows shorter than the longest sequence keep zeros past their length
    const out = ctx.output(stateCount + k, dtype, [batch, maxLength, ...sliceShape]);
    clearData(out);
    const n = sizeOf(sliceShape);
    rows.forEach((r, b) => r.slices[k].forEach((s, i) => {
      if (s.dtype !== dtype || !sameShape(s.shape, sliceShape)) {
        kernelFail(ctx, `scan output ${k} ("${body.outputs[stateCount + k].name}") is ${s.dtype} ${shapeText(s.shape)} for batch row ${b} but ${dtype} ${shapeText(sliceShape)} elsewhere`);
      }
      copyRange(s.data, 0, out.data, (b * maxLength + i) * n, n);
    }));
    results.push(out);
  }
  return results;
}

/** Receives scan output k's slice of an iteration; the slice's buffer is reused by the next one. */
type SliceSink = (k: number, iteration: number, slice: Tensor) => void;

/**
 * Runs the body `length` times and returns the final states; slice i of scan input j is taken
 * along axes[j], last to first when reversed.
 */
function scanLoop(
  ctx: KernelContext, body: Graph, initial: readonly Tensor[], scans: readonly Tensor[], axes: readonly number[],
  reverse: readonly boolean[] | undefined, length: number, sink: SliceSink,
): Tensor[] {
  const stateCount = initial.length;
  const scanOutputCount = body.outputs.length - stateCount;
  let states = initial.slice();
  const first: Array<Pick<Tensor, 'dtype' | 'shape'> | undefined> = new Array(scanOutputCount);
  const bindings = new Map<string, Tensor>();
  for (let iteration = 0; iteration < length; iteration++) {
    for (let i = 0; i < stateCount; i++) bindings.set(body.inputs[i].name, states[i]);
    scans.forEach((t, j) => {
      const index = reverse?.[j] ? length - 1 - iteration : iteration;
      bindings.set(body.inputs[stateCount + j].name, readSlice(t, axes[j], index));
    });
    const outputs = ctx.runSubgraph(body, bindings);
    if (outputs.length !== body.outputs.length) kernelFail(ctx, `the body produced ${outputs.length} outputs; expected ${body.outputs.length}`);
    // a state passed through unchanged is still the caller's tensor; others live in reused buffers
    const next = outputs.slice(0, stateCount).map((t, i) => (t.data === states[i].data ? t : t.clone()));
    next.forEach((t, i) => {
      if (t.dtype !== states[i].dtype || !sameShape(t.shape, states[i].shape)) {
        kernelFail(ctx, `state ${i} ("${body.outputs[i].name}") changed from ${states[i].dtype} ${shapeText(states[i].shape)} to ${t.dtype} ${shapeText(t.shape)} in iteration ${iteration}; a state keeps its shape`);
      }
    });
    states = next;
    for (let k = 0; k < scanOutputCount; k++) {
      const slice = outputs[stateCount + k];
      const seen = first[k];
      if (seen && (seen.dtype !== slice.dtype || !sameShape(seen.shape, slice.shape))) {
        kernelFail(ctx, `scan output ${k} ("${body.outputs[stateCount + k].name}") is ${slice.dtype} ${shapeText(slice.shape)} in iteration ${iteration} but was ${seen.dtype} ${shapeText(seen.shape)} before; every iteration must yield the same shape`);
      }
      if (!seen) first[k] = { dtype: slice.dtype, shape: slice.shape.slice() };
      sink(k, iteration, slice);
    }
  }
  return states;
}

/** The node's inputs from `from` on, all required, checked against the body's input count. */
function presentInputs(inputs: ReadonlyArray<Tensor | undefined>, from: number, body: Graph, ctx: Ctx): Tensor[] {
  const count = inputs.length - from;
  if (count !== body.inputs.length) {
    kernelFail(ctx, `the node passes ${Math.max(0, count)} state and scan input(s) but the body takes ${body.inputs.length}`);
  }
  const out: Tensor[] = [];
  for (let i = from; i < inputs.length; i++) {
    const t = inputs[i];
    if (!t) kernelFail(ctx, `input ${i} ("${body.inputs[i - from].name}") is required`);
    out.push(t);
  }
  return out;
}

/** The common length of the scan inputs along their scan axes. */
function sequenceLength(scans: readonly Tensor[], axes: readonly number[], body: Graph, stateCount: number, ctx: Ctx): number {
  const length = scans[0].shape[axes[0]];
  scans.forEach((t, j) => {
    if (t.shape[axes[j]] !== length) {
      kernelFail(ctx, `scan input ${j} ("${body.inputs[stateCount + j].name}") has ${t.shape[axes[j]]} slices along axis ${axes[j]} but scan input 0 has ${length}; all scan inputs must have the same length`);
    }
  });
  return length;
}

/** Element `index` along `axis`, that axis removed (a copy). */
function readSlice(t: Tensor, axis: number, index: number): Tensor {
  const shape = t.shape.filter((_, d) => d !== axis);
  if (axis === 0) return new Tensor(t.dtype, shape, subData(t, index * sizeOf(shape), sizeOf(shape)));
  const outer = sizeOf(t.shape.slice(0, axis));
  const inner = sizeOf(t.shape.slice(axis + 1));
  const n = t.shape[axis];
  const data = allocateData(t.dtype, outer * inner);
  for (let o = 0; o < outer; o++) copyRange(t.data, (o * n + index) * inner, data, o * inner, inner);
  return new Tensor(t.dtype, shape, data as never);
}

/** Writes `slice` as element `index` along `axis` of `out`. */
function writeSlice(slice: Tensor, out: Tensor, axis: number, index: number): void {
  const outer = sizeOf(out.shape.slice(0, axis));
  const inner = sizeOf(out.shape.slice(axis + 1));
  const n = out.shape[axis];
  for (let o = 0; o < outer; o++) copyRange(slice.data, o * inner, out.data, (o * n + index) * inner, inner);
}

/** Batch row b of an opset-8 input, the batch axis removed. */
function rowOf(t: Tensor, b: number): Tensor {
  const n = sizeOf(t.shape.slice(1));
  return new Tensor(t.dtype, t.shape.slice(1), subData(t, b * n, n));
}

/** A view of `length` elements from `start` (a copy for strings). */
function subData(t: Tensor, start: number, length: number): never {
  const d = t.data;
  return (Array.isArray(d) ? d.slice(start, start + length) : (d as Float32Array).subarray(start, start + length)) as never;
}

/** With zero iterations, a scan output's slice shape comes from the body's declaration (unknown dims as 0). */
function declaredSliceShape(body: Graph, output: number): number[] {
  return (body.outputs[output].shape ?? []).map((d) => (typeof d === 'number' ? d : 0));
}

function clearData(t: Tensor): void {
  const d = t.data;
  if (Array.isArray(d)) d.fill('');
  else if (d instanceof BigInt64Array || d instanceof BigUint64Array) d.fill(0n);
  else (d as Float32Array).fill(0);
}
