/**
 * A one-hidden-layer perceptron (inputs -> hidden ReLU -> classes softmax) trained with
 * mini-batch Adam on cross-entropy, seeded and single-threaded so that a run is reproducible;
 * plus its ONNX export (Gemm, Relu, Gemm, Softmax, and ArgMax for the label).
 */
import { buildModel, input, node, output, attr } from './onnx-builder';
import { Random } from './random';
import { Tensor } from '../../worker/runtime/tensor';

export interface MlpOptions {
  inputs: number;
  hidden: number;
  classes: number;
  epochs: number;
  batch: number;
  learningRate: number;
  seed: number;
}

export interface Mlp {
  readonly o: MlpOptions;
  /** [inputs, hidden], row-major (Gemm's B without transB) */
  readonly w1: Float32Array;
  readonly b1: Float32Array;
  /** [hidden, classes] */
  readonly w2: Float32Array;
  readonly b2: Float32Array;
}

function heInit(rng: Random, fanIn: number, n: number): Float32Array {
  const w = new Float32Array(n);
  const s = Math.sqrt(2 / fanIn);
  for (let i = 0; i < n; i++) w[i] = rng.normal() * s;
  return w;
}

/** Hidden activations and class probabilities for one row (written into h and p). */
function forward(m: Mlp, x: Float32Array, h: Float32Array, p: Float32Array): void {
  const { inputs, hidden, classes } = m.o;
  h.set(m.b1);
  for (let i = 0; i < inputs; i++) {
    const v = x[i];
    if (v === 0) continue; // digit images are mostly background
    const row = i * hidden;
    for (let j = 0; j < hidden; j++) h[j] += v * m.w1[row + j];
  }
  for (let j = 0; j < hidden; j++) if (h[j] < 0) h[j] = 0;
  let max = -Infinity;
  for (let k = 0; k < classes; k++) {
    let s = m.b2[k];
    for (let j = 0; j < hidden; j++) s += h[j] * m.w2[j * classes + k];
    p[k] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  for (let k = 0; k < classes; k++) sum += p[k] = Math.exp(p[k] - max);
  for (let k = 0; k < classes; k++) p[k] /= sum;
}

class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private t = 0;
  constructor(private readonly w: Float32Array, private readonly lr: number) {
    this.m = new Float32Array(w.length);
    this.v = new Float32Array(w.length);
  }
  step(g: Float32Array): void {
    this.t++;
    const c1 = 1 - 0.9 ** this.t;
    const c2 = 1 - 0.999 ** this.t;
    for (let i = 0; i < g.length; i++) {
      this.m[i] = 0.9 * this.m[i] + 0.1 * g[i];
      this.v[i] = 0.999 * this.v[i] + 0.001 * g[i] * g[i];
      this.w[i] -= (this.lr * (this.m[i] / c1)) / (Math.sqrt(this.v[i] / c2) + 1e-8);
    }
  }
}

export function trainMlp(X: readonly Float32Array[], y: readonly number[], o: MlpOptions): Mlp {
  const rng = new Random(o.seed);
  const m: Mlp = {
    o,
    w1: heInit(rng, o.inputs, o.inputs * o.hidden),
    b1: new Float32Array(o.hidden),
    w2: heInit(rng, o.hidden, o.hidden * o.classes),
    b2: new Float32Array(o.classes),
  };
  const params = [m.w1, m.b1, m.w2, m.b2];
  const grads = params.map((p) => new Float32Array(p.length));
  const [gw1, gb1, gw2, gb2] = grads;
  const optimizers = params.map((p) => new Adam(p, o.learningRate));
  const h = new Float32Array(o.hidden);
  const p = new Float32Array(o.classes);
  const dh = new Float32Array(o.hidden);
  const order = [...X.keys()];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    rng.shuffle(order);
    for (let start = 0; start < order.length; start += o.batch) {
      const batch = order.slice(start, start + o.batch);
      for (const g of grads) g.fill(0);
      const scale = 1 / batch.length;
      for (const r of batch) {
        const x = X[r];
        forward(m, x, h, p);
        p[y[r]] -= 1; // d(cross-entropy)/d(logits)
        dh.fill(0);
        for (let j = 0; j < o.hidden; j++) {
          if (h[j] === 0) continue;
          let s = 0;
          for (let k = 0; k < o.classes; k++) {
            gw2[j * o.classes + k] += h[j] * p[k] * scale;
            s += p[k] * m.w2[j * o.classes + k];
          }
          dh[j] = s;
        }
        for (let k = 0; k < o.classes; k++) gb2[k] += p[k] * scale;
        for (let j = 0; j < o.hidden; j++) gb1[j] += dh[j] * scale;
        for (let i = 0; i < o.inputs; i++) {
          const v = x[i];
          if (v === 0) continue;
          const row = i * o.hidden;
          const vs = v * scale;
          for (let j = 0; j < o.hidden; j++) gw1[row + j] += vs * dh[j];
        }
      }
      optimizers.forEach((opt, i) => opt.step(grads[i]));
    }
  }
  return m;
}

export function predictClass(m: Mlp, x: Float32Array): number {
  const h = new Float32Array(m.o.hidden);
  const p = new Float32Array(m.o.classes);
  forward(m, x, h, p);
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  return best;
}

/** ONNX (opset 17): input [N, inputs] -> probabilities [N, classes] and label [N] (int64). */
export function exportMlp(m: Mlp, docString: string, producer: string): Uint8Array {
  const { inputs, hidden, classes } = m.o;
  return buildModel({
    opsets: { '': 17 },
    producer,
    docString,
    inputs: [input('input', 'float32', ['N', inputs])],
    outputs: [output('probabilities', 'float32', ['N', classes]), output('label', 'int64', ['N'])],
    initializers: {
      w1: new Tensor('float32', [inputs, hidden], m.w1),
      b1: new Tensor('float32', [hidden], m.b1),
      w2: new Tensor('float32', [hidden, classes], m.w2),
      b2: new Tensor('float32', [classes], m.b2),
    },
    nodes: [
      node('Gemm', ['input', 'w1', 'b1'], ['hidden_pre']),
      node('Relu', ['hidden_pre'], ['hidden']),
      node('Gemm', ['hidden', 'w2', 'b2'], ['logits']),
      node('Softmax', ['logits'], ['probabilities'], { axis: attr.int(1) }),
      node('ArgMax', ['logits'], ['label'], { axis: attr.int(1), keepdims: attr.int(0) }),
    ],
  });
}
