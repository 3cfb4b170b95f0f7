/**
 * A deliberately naive Attention written straight from the ONNX definition, element by element,
 * for checking the kernel: heads indexed through the 3-D or 4-D layout, keys and values
 * concatenated after the cache, GQA by integer division, masks broadcast by numpy rules.
 */
import type { Tensor } from '../../../worker/runtime/tensor';

export interface ReferenceCase {
  readonly Q: Tensor;
  readonly K: Tensor;
  readonly V: Tensor;
  readonly mask?: Tensor;
  readonly pastKey?: Tensor;
  readonly pastValue?: Tensor;
  readonly qHeads?: number;
  readonly kvHeads?: number;
  readonly isCausal?: boolean;
  readonly scale?: number;
  readonly softcap?: number;
  readonly qkMode?: number;
}

export interface ReferenceResult {
  readonly y: { shape: number[]; data: number[] };
  readonly presentKey: { shape: number[]; data: number[] };
  readonly presentValue: { shape: number[]; data: number[] };
  readonly qk: { shape: number[]; data: number[] };
}

export function referenceAttention(c: ReferenceCase): ReferenceResult {
  const rank = c.Q.rank;
  const B = c.Q.shape[0];
  const qH = rank === 4 ? c.Q.shape[1] : c.qHeads!;
  const kvH = rank === 4 ? c.K.shape[1] : c.kvHeads!;
  const qS = rank === 4 ? c.Q.shape[2] : c.Q.shape[1];
  const kvS = rank === 4 ? c.K.shape[2] : c.K.shape[1];
  const D = rank === 4 ? c.Q.shape[3] : c.Q.shape[2] / qH;
  const Dv = rank === 4 ? c.V.shape[3] : c.V.shape[2] / kvH;
  const past = c.pastKey ? c.pastKey.shape[2] : 0;
  const T = past + kvS;
  const at = (t: Tensor, H: number, S: number, Dd: number, b: number, h: number, s: number, d: number): number =>
    Number(rank === 4 ? t.data[((b * H + h) * S + s) * Dd + d] : t.data[(b * S + s) * H * Dd + h * Dd + d]);
  const key = (b: number, g: number, j: number, d: number): number =>
    j < past ? Number(c.pastKey!.data[((b * kvH + g) * past + j) * D + d]) : at(c.K, kvH, kvS, D, b, g, j - past, d);
  const value = (b: number, g: number, j: number, d: number): number =>
    j < past ? Number(c.pastValue!.data[((b * kvH + g) * past + j) * Dv + d]) : at(c.V, kvH, kvS, Dv, b, g, j - past, d);
  const maskAt = (b: number, h: number, i: number, j: number): number => {
    if (!c.mask) return 0;
    const shape = [1, 1, 1, 1, ...c.mask.shape].slice(-4);
    if (j >= shape[3]) return -Infinity;
    const idx = [b, h, i, j].map((x, a) => (shape[a] === 1 ? 0 : x));
    const v = Number(c.mask.data[((idx[0] * shape[1] + idx[1]) * shape[2] + idx[2]) * shape[3] + idx[3]]);
    return c.mask.dtype === 'bool' ? (v ? 0 : -Infinity) : v;
  };
  const scale = c.scale ?? 1 / Math.sqrt(D);
  const y = new Array<number>(B * qH * qS * Dv).fill(0);
  const qk: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < qH; h++) {
      const g = Math.floor(h / (qH / kvH));
      for (let i = 0; i < qS; i++) {
        const raw: number[] = [];
        for (let j = 0; j < T; j++) {
          let dot = 0;
          for (let d = 0; d < D; d++) dot += at(c.Q, qH, qS, D, b, h, i, d) * key(b, g, j, d);
          raw.push(dot * scale);
        }
        const capped = c.softcap ? raw.map((x) => c.softcap! * Math.tanh(x / c.softcap!)) : raw;
        const biased = capped.map((x, j) => x + maskAt(b, h, i, j) + (c.isCausal && j > i + past ? -Infinity : 0));
        const max = Math.max(...biased);
        const exps = biased.map((x) => Math.exp(x - max));
        const sum = exps.reduce((s, x) => s + x, 0);
        const p = exps.map((x) => x / sum);
        qk.push(...[raw, capped, biased, p][c.qkMode ?? 0]);
        for (let d = 0; d < Dv; d++) {
          let acc = 0;
          for (let j = 0; j < T; j++) acc += p[j] * value(b, g, j, d);
          // 3-D output is [B, qS, qH * Dv]; 4-D is [B, qH, qS, Dv]
          y[rank === 4 ? ((b * qH + h) * qS + i) * Dv + d : (b * qS + i) * qH * Dv + h * Dv + d] = acc;
        }
      }
    }
  }
  const present = (fn: typeof key, Dd: number) => {
    const data: number[] = [];
    for (let b = 0; b < B; b++) for (let g = 0; g < kvH; g++) for (let j = 0; j < T; j++) for (let d = 0; d < Dd; d++) data.push(fn(b, g, j, d));
    return { shape: [B, kvH, T, Dd], data };
  };
  return {
    y: { shape: rank === 4 ? [B, qH, qS, Dv] : [B, qS, qH * Dv], data: y },
    presentKey: present(key, D),
    presentValue: present(value, Dv),
    qk: { shape: [B, qH, qS, T], data: qk },
  };
}
