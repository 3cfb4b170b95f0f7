/**
 * Window functions for signal processing: HannWindow, HammingWindow, BlackmanWindow. Input: the
 * window length (a scalar). periodic = 1 (default) gives the periodic window (denominator N),
 * 0 the symmetric one (N - 1). output_datatype is an ONNX type code, float by default.
 */
import type { Kernel } from '../../kernel';
import { kernel, kernelFail, required } from '../../kernel';
import type { DType } from '../../tensor';
import { ONNX_TYPES } from './cast';

interface WindowAttrs {
  readonly dtype: DType;
  readonly periodic: boolean;
}

/** cosine-sum window: a0 - a1 cos(2πn/N) + a2 cos(4πn/N) */
function windowKernel(op: string, a0: number, a1: number, a2: number): Kernel<WindowAttrs> {
  return kernel<WindowAttrs>({
    op,
    attributes: (r) => {
      const code = r.int('output_datatype', 1);
      const target = ONNX_TYPES[code];
      if (!target || target.dtype === 'string' || target.dtype === 'bool') r.fail(`attribute "output_datatype" is type code ${code}; use a numeric type`);
      const periodic = r.int('periodic', 1);
      if (periodic !== 0 && periodic !== 1) r.fail(`attribute "periodic" is ${periodic}; use 0 or 1`);
      return { dtype: target.dtype, periodic: periodic === 1 };
    },
    run(inputs, { dtype, periodic }, ctx) {
      const sizeT = required(inputs, 0, ctx);
      if (sizeT.size !== 1 || (sizeT.dtype !== 'int32' && sizeT.dtype !== 'int64')) kernelFail(ctx, `size must be an int32 or int64 scalar, got ${sizeT.dtype}[${sizeT.shape.join(', ')}]`);
      const size = Number(sizeT.data[0]);
      if (size < 0) kernelFail(ctx, `size is ${size}; it must not be negative`);
      const out = ctx.output(0, dtype, [size]);
      const denom = periodic ? size : size - 1;
      const dst = out.data as unknown as { [i: number]: number | bigint };
      const big = dtype === 'int64' || dtype === 'uint64';
      for (let n = 0; n < size; n++) {
        const t = denom === 0 ? 0 : (2 * Math.PI * n) / denom;
        const v = a0 - a1 * Math.cos(t) + a2 * Math.cos(2 * t);
        dst[n] = big ? BigInt(Math.trunc(v)) : v;
      }
      return out;
    },
  });
}

export const hannWindowKernel = windowKernel('HannWindow', 0.5, 0.5, 0);
export const hammingWindowKernel = windowKernel('HammingWindow', 25 / 46, 21 / 46, 0);
export const blackmanWindowKernel = windowKernel('BlackmanWindow', 0.42, 0.5, 0.08);
