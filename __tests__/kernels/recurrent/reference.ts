/**
 * A deliberately plain reference for LSTM / GRU / RNN, written from the ONNX operator equations:
 * one batch entry and one time step at a time, every dot product spelled out, float64 throughout.
 * Results are returned in layout 0; `toLayout1` permutes them for the batch-major tests.
 */
export type Act = { name: string; alpha?: number; beta?: number };

export function activate(a: Act, x: number): number {
  const alpha = a.alpha ?? 0;
  const beta = a.beta ?? 0;
  switch (a.name.toLowerCase()) {
    case 'sigmoid': return 1 / (1 + Math.exp(-x));
    case 'tanh': return Math.tanh(x);
    case 'relu': return Math.max(0, x);
    case 'affine': return alpha * x + beta;
    case 'leakyrelu': return x >= 0 ? x : alpha * x;
    case 'thresholdedrelu': return x > alpha ? x : 0;
    case 'scaledtanh': return alpha * Math.tanh(beta * x);
    case 'hardsigmoid': return Math.min(1, Math.max(0, alpha * x + beta));
    case 'elu': return x >= 0 ? x : alpha * (Math.exp(x) - 1);
    case 'softsign': return x / (1 + Math.abs(x));
    case 'softplus': return Math.log(1 + Math.exp(x));
    default: throw new Error(`reference: unknown activation ${a.name}`);
  }
}

export interface ReferenceProblem {
  kind: 'LSTM' | 'GRU' | 'RNN';
  /** layout 0 data */
  x: ArrayLike<number>;
  seq: number;
  batch: number;
  input: number;
  hidden: number;
  directions: 1 | 2;
  reverse?: boolean;
  w: ArrayLike<number>;
  r: ArrayLike<number>;
  b?: ArrayLike<number>;
  seqLens?: number[];
  initialH?: ArrayLike<number>;
  initialC?: ArrayLike<number>;
  p?: ArrayLike<number>;
  /** per direction: LSTM [f, g, h], GRU [f, g], RNN [f] */
  acts: Act[][];
  clip?: number;
  linearBeforeReset?: boolean;
  inputForget?: boolean;
}

export function reference(q: ReferenceProblem): { y: number[]; yh: number[]; yc: number[] } {
  const { seq: S, batch: B, input: I, hidden: H, directions: D } = q;
  const G = q.kind === 'LSTM' ? 4 : q.kind === 'GRU' ? 3 : 1;
  const y = new Array<number>(S * D * B * H).fill(0);
  const yh = new Array<number>(D * B * H).fill(0);
  const yc = new Array<number>(D * B * H).fill(0);
  const clip = (v: number) => (q.clip === undefined ? v : Math.min(q.clip, Math.max(-q.clip, v)));
  const W = (d: number, row: number, i: number) => q.w[(d * G * H + row) * I + i];
  const R = (d: number, row: number, i: number) => q.r[(d * G * H + row) * H + i];
  const Wb = (d: number, row: number) => (q.b ? q.b[d * 2 * G * H + row] : 0);
  const Rb = (d: number, row: number) => (q.b ? q.b[d * 2 * G * H + G * H + row] : 0);
  const X = (t: number, b: number, i: number) => q.x[(t * B + b) * I + i];
  const xw = (d: number, gate: number, t: number, b: number, j: number) => {
    let s = 0;
    for (let i = 0; i < I; i++) s += X(t, b, i) * W(d, gate * H + j, i);
    return s;
  };
  const hr = (d: number, gate: number, h: number[], j: number) => {
    let s = 0;
    for (let i = 0; i < H; i++) s += h[i] * R(d, gate * H + j, i);
    return s;
  };

  for (let d = 0; d < D; d++) {
    const reverse = q.reverse || d === 1;
    const [f, g, hAct] = q.acts[d];
    for (let b = 0; b < B; b++) {
      let h = Array.from({ length: H }, (_, j) => (q.initialH ? q.initialH[(d * B + b) * H + j] : 0));
      let c = Array.from({ length: H }, (_, j) => (q.initialC ? q.initialC[(d * B + b) * H + j] : 0));
      const len = q.seqLens ? q.seqLens[b] : S;
      for (let k = 0; k < len; k++) {
        const t = reverse ? len - 1 - k : k;
        const nh = new Array<number>(H);
        const nc = new Array<number>(H);
        if (q.kind === 'LSTM') {
          const P = (gate: number, j: number) => (q.p ? q.p[d * 3 * H + gate * H + j] : 0);
          // W rows are i, o, f, c; P is i, o, f
          for (let j = 0; j < H; j++) {
            const pre = (gate: number) => xw(d, gate, t, b, j) + hr(d, gate, h, j) + Wb(d, gate * H + j) + Rb(d, gate * H + j);
            const i = activate(f, clip(pre(0) + P(0, j) * c[j]));
            const fg = q.inputForget ? 1 - i : activate(f, clip(pre(2) + P(2, j) * c[j]));
            const ct = activate(g, clip(pre(3)));
            nc[j] = fg * c[j] + i * ct;
            const o = activate(f, clip(pre(1) + P(1, j) * nc[j]));
            nh[j] = o * activate(hAct, nc[j]);
          }
          c = nc;
        } else if (q.kind === 'GRU') {
          const z = new Array<number>(H);
          const r = new Array<number>(H);
          for (let j = 0; j < H; j++) {
            z[j] = activate(f, clip(xw(d, 0, t, b, j) + hr(d, 0, h, j) + Wb(d, j) + Rb(d, j)));
            r[j] = activate(f, clip(xw(d, 1, t, b, j) + hr(d, 1, h, j) + Wb(d, H + j) + Rb(d, H + j)));
          }
          const rh = h.map((v, j) => r[j] * v);
          for (let j = 0; j < H; j++) {
            const pre = q.linearBeforeReset
              ? xw(d, 2, t, b, j) + r[j] * (hr(d, 2, h, j) + Rb(d, 2 * H + j)) + Wb(d, 2 * H + j)
              : xw(d, 2, t, b, j) + hr(d, 2, rh, j) + Rb(d, 2 * H + j) + Wb(d, 2 * H + j);
            const ht = activate(g, clip(pre));
            nh[j] = (1 - z[j]) * ht + z[j] * h[j];
          }
        } else {
          for (let j = 0; j < H; j++) nh[j] = activate(f, clip(xw(d, 0, t, b, j) + hr(d, 0, h, j) + Wb(d, j) + Rb(d, j)));
        }
        h = nh;
        for (let j = 0; j < H; j++) y[((t * D + d) * B + b) * H + j] = h[j];
      }
      // an entry with no steps reports zero state (onnxruntime's behaviour), not its initial state
      for (let j = 0; j < H; j++) {
        yh[(d * B + b) * H + j] = len === 0 ? 0 : h[j];
        yc[(d * B + b) * H + j] = len === 0 ? 0 : c[j];
      }
    }
  }
  return { y, yh, yc };
}

/** Permutes a row-major tensor of `shape` by `perm` (output dim k = input dim perm[k]). */
export function transpose(data: ArrayLike<number>, shape: number[], perm: number[]): number[] {
  const outShape = perm.map((p) => shape[p]);
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const out: number[] = [];
  const idx = new Array<number>(outShape.length).fill(0);
  const total = shape.reduce((a, b) => a * b, 1);
  for (let n = 0; n < total; n++) {
    let src = 0;
    for (let k = 0; k < perm.length; k++) src += idx[k] * strides[perm[k]];
    out.push(data[src]);
    for (let k = outShape.length - 1; k >= 0; k--) {
      if (++idx[k] < outShape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}
