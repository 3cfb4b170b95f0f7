/**
 * BitCast (opset 26): the same bytes read as another type of the same width (float32 <-> int32,
 * int8 <-> uint8, float64 <-> int64...). float16 is carried as float32 in this runtime, so casts
 * from or to it are refused rather than reinterpreting the wrong bytes.
 */
import { kernel, kernelFail, required } from '../../kernel';
import type { DType } from '../../tensor';
import { bytesPerElement } from '../../tensor';
import { ONNX_TYPES } from './cast';

interface BitCastAttrs {
  readonly dtype: Exclude<DType, 'string'>;
}

export const bitCastKernel = kernel<BitCastAttrs>({
  op: 'BitCast',
  attributes: (r) => {
    const to = r.int('to');
    const target = ONNX_TYPES[to];
    if (!target || target.float16 || target.dtype === 'string') {
      r.fail(`attribute "to" is type code ${to}; BitCast supports float, double, bool and 8- to 64-bit integers`);
    }
    return { dtype: target.dtype as Exclude<DType, 'string'> };
  },
  run(inputs, { dtype }, ctx) {
    const x = required(inputs, 0, ctx);
    if (x.dtype === 'string') kernelFail(ctx, 'input has dtype string; BitCast needs a fixed-width type');
    if (bytesPerElement(x.dtype) !== bytesPerElement(dtype)) {
      kernelFail(ctx, `input ${x.dtype} has ${bytesPerElement(x.dtype)}-byte elements but ${dtype} has ${bytesPerElement(dtype)}; BitCast needs equal widths (float16 inputs are carried as float32 here)`);
    }
    const out = ctx.output(0, dtype, x.shape);
    const src = x.data as Exclude<typeof x.data, string[]>;
    const dst = out.data as Exclude<typeof out.data, string[]>;
    new Uint8Array(dst.buffer, dst.byteOffset, dst.byteLength).set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
    return out;
  },
});
