/**
 * MatMulNBits (com.microsoft), the weight-only quantized MatMul of onnxruntime's 4-bit quantizer:
 *   Y = A x dequantize(B)^T (+ bias),   dequantize(B)[j, i] = (q - zero_point) * scale
 * per block of block_size values along K. B stays packed (two 4-bit values per byte) in memory:
 * each output column is dequantized into K floats of scratch and consumed at once. WebAssembly
 * SIMD when installed; the JavaScript path performs the same f32 operations in the same order
 * (see worker/wasm/nbits.as.ts), so both give the same bits.
 */
import { kernel, kernelFail, required } from '../../kernel';
import type { Tensor } from '../../tensor';
import { wasmKernels } from '../../wasm';
import { nbitsGeometry, type NBitsAttributes, type NBitsGeometry } from './matmul-nbits-geometry';
import { matMulNBitsWasm, NBitsWasmWeights } from './matmul-nbits-wasm';
import { MICROSOFT_DOMAIN } from '../common/microsoft-domain';

const INPUT = { A: 0, B: 1, scales: 2, zeroPoints: 3, gIdx: 4, bias: 5 } as const;

interface NBitsPlan extends NBitsGeometry {
  /** the weights' copy in wasm memory, when B, scales and zero points are all weights */
  readonly wasmWeights: NBitsWasmWeights | null;
}

const fround = Math.fround;

export const matMulNBitsKernel = kernel<NBitsAttributes, NBitsPlan>({
  op: 'MatMulNBits',
  domain: MICROSOFT_DOMAIN,
  attributes(r) {
    const k = r.int('K');
    const n = r.int('N');
    if (k < 1 || n < 1) r.fail(`attributes "K" and "N" must be positive, got K = ${k}, N = ${n}`);
    const bits = r.int('bits', 4);
    if (bits !== 4) r.fail(`attribute "bits" is ${bits}; supported: 4 (quantize with bits=4)`);
    const blockSize = r.int('block_size');
    if (blockSize < 16 || (blockSize & (blockSize - 1)) !== 0) r.fail(`attribute "block_size" must be a power of 2 >= 16, got ${blockSize}`);
    return { k, n, blockSize };
  },
  plan(inputs, attrs, ctx, previous) {
    if (inputs[INPUT.gIdx]) kernelFail(ctx, 'g_idx (act-order quantization) is not supported; quantize without act_order');
    const b = required(inputs, INPUT.B, ctx);
    const scales = required(inputs, INPUT.scales, ctx);
    const zp = inputs[INPUT.zeroPoints];
    const g = nbitsGeometry(required(inputs, INPUT.A, ctx), b, scales, zp, inputs[INPUT.bias], attrs, ctx);
    const constant = b.value !== undefined && scales.value !== undefined && (zp === undefined || zp.value !== undefined);
    return { ...g, wasmWeights: constant ? previous?.wasmWeights ?? new NBitsWasmWeights() : null };
  },
  outputs: (plan) => [{ dtype: 'float32', shape: plan.outShape }],
  run(inputs, _attrs, ctx, plan) {
    const a = (inputs[INPUT.A] as Tensor<'float32'>).data;
    const b = (inputs[INPUT.B] as Tensor<'uint8'>).data;
    const scales = (inputs[INPUT.scales] as Tensor<'float32'>).data;
    const zp = inputs[INPUT.zeroPoints]?.data as Uint8Array | Float32Array | undefined;
    const bias = inputs[INPUT.bias]?.data as Float32Array | undefined;
    const y = ctx.output(0, 'float32', plan.outShape);
    const wk = wasmKernels();
    if (wk !== null) matMulNBitsWasm(wk, plan, a, b, scales, zp, bias, y, plan.wasmWeights);
    else matMulNBitsJs(plan, a, b, scales, zp, bias, ctx.scratch(plan.k), y.data);
    return y;
  },
});

function matMulNBitsJs(
  g: NBitsGeometry,
  a: Float32Array,
  b: Uint8Array,
  scales: Float32Array,
  zp: Uint8Array | Float32Array | undefined,
  bias: Float32Array | undefined,
  w: Float32Array,
  y: Float32Array,
): void {
  const { m, k, n, blockSize, kBlocks } = g;
  const blob = blockSize >> 1;
  const zpRow = (kBlocks + 1) >> 1;
  const k4 = k & ~3;
  for (let j = 0; j < n; j++) {
    for (let kb = 0; kb < kBlocks; kb++) {
      const block = j * kBlocks + kb;
      const scale = scales[block];
      let z = 8;
      if (zp instanceof Float32Array) z = zp[block];
      else if (zp) z = (kb & 1) !== 0 ? zp[j * zpRow + (kb >> 1)] >> 4 : zp[j * zpRow + (kb >> 1)] & 15;
      const src = block * blob;
      const start = kb * blockSize;
      const end = Math.min(start + blockSize, k);
      for (let i = start; i < end; i++) {
        const t = i - start;
        const packed = b[src + (t >> 1)];
        const q = (t & 1) !== 0 ? packed >> 4 : packed & 15;
        w[i] = fround(q - z) * scale; // the Float32Array store rounds the product
      }
    }
    const bj = bias ? bias[j] : 0;
    for (let r = 0; r < m; r++) {
      const o = r * k;
      let l0 = 0;
      let l1 = 0;
      let l2 = 0;
      let l3 = 0;
      let i = 0;
      for (; i < k4; i += 4) {
        l0 = fround(l0 + fround(a[o + i] * w[i]));
        l1 = fround(l1 + fround(a[o + i + 1] * w[i + 1]));
        l2 = fround(l2 + fround(a[o + i + 2] * w[i + 2]));
        l3 = fround(l3 + fround(a[o + i + 3] * w[i + 3]));
      }
      let s = fround(fround(fround(l0 + l1) + l2) + l3);
      for (; i < k; i++) s = fround(s + fround(a[o + i] * w[i]));
      if (bias) s = fround(s + bj);
      y[r * n + j] = s;
    }
  }
}
