/**
 * 4-bit block quantization as onnxruntime's MatMulNBits quantizer lays it out: W [N, K] in
 * blocks of `blockSize` along K, asymmetric (uint8 zero point, packed two per byte) or symmetric
 * (no zero point: 8 is implied). B is uint8 [N, k_blocks, block_size / 2], low nibble first.
 */
import { Tensor } from '../../worker/runtime/tensor';
import { attr, buildModel, input, node, output } from './onnx-builder';

const MS = 'com.microsoft';

export interface QuantizedWeights {
  readonly b: Tensor<'uint8'>;
  readonly scales: Tensor<'float32'>;
  /** packed uint8 [N * ceil(k_blocks / 2)], absent when symmetric */
  readonly zeroPoints?: Tensor<'uint8'>;
}

export function quantize4Bit(w: Float32Array, n: number, k: number, blockSize: number, symmetric: boolean): QuantizedWeights {
  const kBlocks = Math.ceil(k / blockSize);
  const blob = blockSize / 2;
  const b = new Uint8Array(n * kBlocks * blob);
  const scales = new Float32Array(n * kBlocks);
  const zpRow = Math.ceil(kBlocks / 2);
  const zps = new Uint8Array(n * zpRow);
  for (let j = 0; j < n; j++) {
    for (let kb = 0; kb < kBlocks; kb++) {
      const start = kb * blockSize;
      const end = Math.min(k, start + blockSize);
      let lo = 0;
      let hi = 0;
      for (let i = start; i < end; i++) {
        lo = Math.min(lo, w[j * k + i]);
        hi = Math.max(hi, w[j * k + i]);
      }
      let scale: number;
      let zp: number;
      if (symmetric) {
        const absMax = Math.max(-lo, hi);
        scale = absMax / 8 || 1;
        zp = 8;
      } else {
        scale = (hi - lo) / 15 || 1;
        zp = Math.min(15, Math.max(0, Math.round(-lo / scale)));
      }
      scales[j * kBlocks + kb] = scale;
      if (!symmetric) zps[j * zpRow + (kb >> 1)] |= zp << ((kb & 1) * 4);
      for (let i = start; i < end; i++) {
        const q = Math.min(15, Math.max(0, Math.round(w[j * k + i] / scale) + zp));
        const t = i - start;
        b[(j * kBlocks + kb) * blob + (t >> 1)] |= q << ((t & 1) * 4);
      }
    }
  }
  return {
    b: new Tensor('uint8', [n, kBlocks, blob], b),
    scales: new Tensor('float32', [n * kBlocks], scales),
    zeroPoints: symmetric ? undefined : new Tensor('uint8', [n * zpRow], zps),
  };
}

/** n seeded values in [-scale, scale). */
function uniform(n: number, seed: number, scale: number): Float32Array {
  let s = seed;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = scale * (2 * (s / 2 ** 32) - 1);
  }
  return out;
}

/** A 4-bit MLP: x [batch, 256] -> MatMulNBits 256x512 (block 32, zero points) -> FastGelu -> MatMulNBits 512x64 (block 128, symmetric, bias) -> Softmax. */
export function nbitsMlpModel(): Uint8Array {
  const up = quantize4Bit(uniform(512 * 256, 1, 0.2), 512, 256, 32, false);
  const down = quantize4Bit(uniform(64 * 512, 2, 0.2), 64, 512, 128, true);
  const init: Record<string, Tensor> = {
    up_b: up.b, up_scales: up.scales, up_zp: up.zeroPoints!,
    down_b: down.b, down_scales: down.scales, down_bias: new Tensor('float32', [64], uniform(64, 3, 1)),
  };
  return buildModel({
    opsets: { '': 17, [MS]: 1 },
    inputs: [input('x', 'float32', ['batch', 256])],
    outputs: [output('probabilities', 'float32', ['batch', 64])],
    nodes: [
      node('MatMulNBits', ['x', 'up_b', 'up_scales', 'up_zp'], ['h'], { K: attr.int(256), N: attr.int(512), bits: attr.int(4), block_size: attr.int(32) }, MS),
      node('FastGelu', ['h'], ['a'], {}, MS),
      node('MatMulNBits', ['a', 'down_b', 'down_scales', '', '', 'down_bias'], ['logits'], { K: attr.int(512), N: attr.int(64), bits: attr.int(4), block_size: attr.int(128) }, MS),
      node('Softmax', ['logits'], ['probabilities'], { axis: attr.int(-1) }),
    ],
    initializers: init,
  });
}
