/**
 * EyeLike: a 2-D tensor of the input's shape with ones on the k-th diagonal (k > 0 above the main
 * one, k < 0 below) and zeros elsewhere, in the dtype given by the `dtype` attribute (an ONNX
 * TensorProto type code) or the input's own.
 */
import { kernel, kernelFail, required } from '../../kernel';
import type { DType } from '../../tensor';
import { isBigIntDType } from '../../tensor';
import { fillRange } from '../tensor/common';
import { shapeText } from '../common/shape-text';
import { singleOutput } from '../common/planned-output';

interface EyePlan {
  readonly dtype: DType;
  readonly outShape: readonly number[];
}

/** TensorProto.DataType codes EyeLike can produce (numbers and bool; float16 computes as float32). */
const EYE_TYPES: Readonly<Record<number, DType>> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64',
  9: 'bool', 10: 'float32', 11: 'float64', 12: 'uint32', 13: 'uint64',
};

export const eyeLikeKernel = kernel({
  op: 'EyeLike',
  attributes: (a) => {
    const code = a.has('dtype') ? a.int('dtype') : undefined;
    const dtype = code === undefined ? undefined : EYE_TYPES[code];
    if (code !== undefined && !dtype) a.fail(`attribute "dtype" is ${code}; supported: float, float16, double, int8/16/32/64, uint8/16/32/64, bool`);
    return { dtype, k: a.int('k', 0) };
  },
  plan(inputs, { dtype: given }, ctx): EyePlan {
    const x = required(inputs, 0, ctx);
    if (x.shape.length !== 2) kernelFail(ctx, `input must be 2-D, got shape ${shapeText(x.shape)}`);
    const dtype = given ?? x.dtype;
    if (dtype === 'string') kernelFail(ctx, 'a string input needs the dtype attribute to choose a numeric output type');
    return { dtype, outShape: x.shape };
  },
  outputs: singleOutput,
  run(_inputs, { k }, ctx, { dtype, outShape }) {
    const [rows, cols] = outShape;
    const out = ctx.output(0, dtype, outShape);
    const zero = isBigIntDType(dtype) ? 0n : 0;
    const one = isBigIntDType(dtype) ? 1n : 1;
    fillRange(out.data, zero, 0, out.size);
    const d = out.data as unknown as { [i: number]: unknown };
    for (let r = Math.max(0, -k); r < rows && r + k < cols; r++) d[r * cols + r + k] = one;
    return out;
  },
});
