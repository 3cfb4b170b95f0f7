/**
 * Builds one recurrent test case: random inputs for a configuration, the kernel's outputs and the
 * reference's, in the layout under test.
 */
import type { Attributes } from '../../../worker/runtime/graph';
import type { Kernel } from '../../../worker/runtime/kernel';
import { Tensor } from '../../../worker/runtime/tensor';
import { KernelReplay } from '../kernel-harness';
import { randomFloats } from '../normalization/harness';
import { reference, transpose, type Act } from './reference';

export interface CaseConfig {
  seq: number;
  batch: number;
  input: number;
  hidden: number;
  direction?: 'forward' | 'reverse' | 'bidirectional';
  layout?: 0 | 1;
  bias?: boolean;
  seqLens?: number[];
  initialH?: boolean;
  initialC?: boolean;
  peepholes?: boolean;
  acts?: Act[][];
  clip?: number;
  linearBeforeReset?: boolean;
  inputForget?: boolean;
  dtype?: 'float32' | 'float64';
  outputs?: string[];
  seed?: number;
  /** mark W and R as constant weights (the GEMM may cache their packed form) */
  constantWeights?: boolean;
  /** run the kernel this many times (to exercise cached weights); the last result is returned */
  repeat?: number;
}

const DEFAULT_ACTS: Record<string, Act[]> = {
  LSTM: [{ name: 'Sigmoid' }, { name: 'Tanh' }, { name: 'Tanh' }],
  GRU: [{ name: 'Sigmoid' }, { name: 'Tanh' }],
  RNN: [{ name: 'Tanh' }],
};

export function runCase(k: Kernel<any, any>, kind: 'LSTM' | 'GRU' | 'RNN', c: CaseConfig) {
  const G = kind === 'LSTM' ? 4 : kind === 'GRU' ? 3 : 1;
  const D = c.direction === 'bidirectional' ? 2 : 1;
  const { seq: S, batch: B, input: I, hidden: H } = c;
  const layout = c.layout ?? 0;
  const dtype = c.dtype ?? 'float32';
  let seed = c.seed ?? 1;
  const rnd = (n: number, scale = 1) => Array.from(randomFloats(n, seed++, -scale, scale));
  const x0 = rnd(S * B * I, 2);
  const w = rnd(D * G * H * I, 0.8);
  const r = rnd(D * G * H * H, 0.8);
  const b = c.bias ? rnd(D * 2 * G * H, 0.5) : undefined;
  const h0 = c.initialH ? rnd(D * B * H) : undefined;
  const c0 = c.initialC ? rnd(D * B * H) : undefined;
  const p = c.peepholes ? rnd(D * 3 * H, 0.5) : undefined;
  const acts = c.acts ?? [DEFAULT_ACTS[kind], DEFAULT_ACTS[kind]].slice(0, D);
  // float32 inputs are what the kernel sees, so the reference starts from the same rounded values
  const round = (a: number[] | undefined) => (a && dtype === 'float32' ? Array.from(Float32Array.from(a)) : a);

  const expected = reference({
    kind, x: round(x0)!, seq: S, batch: B, input: I, hidden: H, directions: D as 1 | 2,
    reverse: c.direction === 'reverse', w: round(w)!, r: round(r)!, b: round(b), seqLens: c.seqLens,
    initialH: round(h0), initialC: round(c0), p: round(p), acts, clip: c.clip,
    linearBeforeReset: c.linearBeforeReset, inputForget: c.inputForget,
  });

  const t = (shape: number[], data: number[]) => Tensor.from(dtype, shape, data);
  const batchMajor = layout === 1;
  const xT = batchMajor ? t([B, S, I], transpose(x0, [S, B, I], [1, 0, 2])) : t([S, B, I], x0);
  const stateT = (data: number[] | undefined) =>
    data === undefined ? undefined : batchMajor ? t([B, D, H], transpose(data, [D, B, H], [1, 0, 2])) : t([D, B, H], data);
  const inputs: (Tensor | undefined)[] = [
    xT,
    t([D, G * H, I], w),
    t([D, G * H, H], r),
    b ? t([D, 2 * G * H], b) : undefined,
    c.seqLens ? Tensor.from('int32', [B], c.seqLens) : undefined,
    stateT(h0),
  ];
  if (kind === 'LSTM') inputs.push(stateT(c0), p ? t([D, 3 * H], p) : undefined);

  const attributes: Record<string, number | string | number[] | string[]> = { hidden_size: H };
  if (c.direction) attributes.direction = c.direction;
  if (layout) attributes.layout = layout;
  if (c.clip !== undefined) attributes.clip = c.clip;
  if (c.linearBeforeReset) attributes.linear_before_reset = 1;
  if (c.inputForget) attributes.input_forget = 1;
  if (c.acts) {
    const flat = c.acts.flat();
    attributes.activations = flat.map((a) => a.name);
    const alphas = flat.filter((a) => a.alpha !== undefined).map((a) => a.alpha!);
    const betas = flat.filter((a) => a.beta !== undefined).map((a) => a.beta!);
    if (alphas.length) attributes.activation_alpha = alphas;
    if (betas.length) attributes.activation_beta = betas;
  }
  const outputs = c.outputs ?? (kind === 'LSTM' ? ['Y', 'Y_h', 'Y_c'] : ['Y', 'Y_h']);
  // W and R as weights: the node's plan keeps their packed layouts across the repeated runs
  const node = new KernelReplay(k, inputs.length, { attributes: attributes as Attributes, opset: 22, outputs, weights: c.constantWeights ? [1, 2] : [] });
  let actual = node.run(inputs);
  for (let i = 1; i < (c.repeat ?? 1); i++) actual = node.run(inputs);

  const yShape = batchMajor ? [B, S, D, H] : [S, D, B, H];
  const stateShape = batchMajor ? [B, D, H] : [D, B, H];
  const want = {
    y: { shape: yShape, data: batchMajor ? transpose(expected.y, [S, D, B, H], [2, 0, 1, 3]) : expected.y },
    yh: { shape: stateShape, data: batchMajor ? transpose(expected.yh, [D, B, H], [1, 0, 2]) : expected.yh },
    yc: { shape: stateShape, data: batchMajor ? transpose(expected.yc, [D, B, H], [1, 0, 2]) : expected.yc },
  };
  return { actual, want };
}
