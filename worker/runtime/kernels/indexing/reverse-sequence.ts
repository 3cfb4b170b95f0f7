/**
 * ReverseSequence: for each batch entry b, reverses the first sequence_lens[b] steps along the
 * time axis and leaves the rest in place. batch_axis and time_axis are 0 and 1 (either order), so
 * every (batch, time) pair addresses one contiguous block of the remaining axes.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { sizeBetween, stridesOf, type DType } from '../../tensor';
import { copyRange } from '../tensor/common';
import { expectIndexDType } from '../common/inputs';
import { shapeText } from '../common/shape-text';
import { singleOutput } from '../common/planned-output';

interface ReversePlan {
  readonly dtype: DType;
  readonly outShape: readonly number[];
  readonly strides: readonly number[];
  /** elements of one (batch, time) block */
  readonly inner: number;
}

export const reverseSequenceKernel = kernel({
  op: 'ReverseSequence',
  attributes: (a) => {
    const batchAxis = a.int('batch_axis', 1);
    const timeAxis = a.int('time_axis', 0);
    if ((batchAxis !== 0 && batchAxis !== 1) || (timeAxis !== 0 && timeAxis !== 1) || batchAxis === timeAxis) {
      a.fail(`batch_axis (${batchAxis}) and time_axis (${timeAxis}) must be 0 and 1, one each`);
    }
    return { batchAxis, timeAxis };
  },
  plan(inputs, { batchAxis }, ctx): ReversePlan {
    const x = required(inputs, 0, ctx);
    const lensInput = required(inputs, 1, ctx);
    if (x.shape.length < 2) kernelFail(ctx, `input must have rank >= 2, got shape ${shapeText(x.shape)}`);
    const batch = x.shape[batchAxis];
    if (lensInput.shape.length !== 1 || lensInput.shape[0] !== batch) {
      kernelFail(ctx, `sequence_lens must be 1-D with one length per batch entry (${batch}), got shape ${shapeText(lensInput.shape)}`);
    }
    expectIndexDType(lensInput, ctx, 'sequence_lens');
    return { dtype: x.dtype, outShape: x.shape, strides: stridesOf(x.shape), inner: sizeBetween(x.shape, 2) };
  },
  outputs: singleOutput,
  run(inputs, { batchAxis, timeAxis }, ctx, { outShape, strides, inner }) {
    const x = inputs[0]!;
    const lens = inputs[1]!.data as ArrayLike<number | bigint>;
    const out = ctx.output(0, x.dtype, outShape);
    const batch = outShape[batchAxis];
    const time = outShape[timeAxis];
    for (let b = 0; b < batch; b++) {
      const len = Number(lens[b]);
      if (!(len >= 0 && len <= time)) kernelFail(ctx, `sequence_lens[${b}] = ${len} is out of range (expected 0..${time}, the time axis length)`);
      for (let t = 0; t < time; t++) {
        const from = t < len ? len - 1 - t : t;
        const base = b * strides[batchAxis];
        copyRange(x.data, base + from * strides[timeAxis], out.data, base + t * strides[timeAxis], inner);
      }
    }
    return out;
  },
});
