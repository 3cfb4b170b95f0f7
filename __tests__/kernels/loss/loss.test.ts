import { negativeLogLikelihoodLossKernel } from '../../../worker/runtime/kernels/loss/negative-log-likelihood-loss';
import { softmaxCrossEntropyLossKernel } from '../../../worker/runtime/kernels/loss/softmax-cross-entropy-loss';
import { KernelError, ModelError } from '../../../worker/runtime/errors';
import { Tensor } from '../../../worker/runtime/tensor';
import { parseKernelAttributes, runKernel } from '../kernel-harness';
import { expectClose, randomFloats } from '../transformer/helpers';

type Reduction = 'none' | 'sum' | 'mean';

/** Naive NLL over [N, C, ...] with per-element indexing, straight from the ONNX definition. */
function referenceNll(logp: Tensor, target: Tensor, weight: number[] | undefined, reduction: Reduction, ignore?: number): number[] {
  const [n, c] = logp.shape;
  const d = logp.size / (n * c);
  const losses: number[] = [];
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const cls = Number(target.data[i * d + j]);
      if (cls === ignore) {
        losses.push(0);
        continue;
      }
      const w = weight ? weight[cls] : 1;
      losses.push(-Number(logp.data[(i * c + cls) * d + j]) * w);
      wsum += w;
    }
  }
  const sum = losses.reduce((a, b) => a + b, 0);
  return reduction === 'none' ? losses : reduction === 'sum' ? [sum] : [sum / wsum];
}

function referenceLogSoftmax(x: Tensor): Tensor {
  const [n, c] = x.shape;
  const d = x.size / (n * c);
  const y = new Float64Array(x.size);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const col = Array.from({ length: c }, (_, k) => Number(x.data[(i * c + k) * d + j]));
      const lse = Math.log(col.reduce((s, v) => s + Math.exp(v), 0));
      col.forEach((v, k) => (y[(i * c + k) * d + j] = v - lse));
    }
  }
  return new Tensor('float64', x.shape, y);
}

const targets = (shape: number[], classes: number, seed: number, dtype: 'int64' | 'int32' = 'int64'): Tensor =>
  Tensor.from(dtype, shape, randomFloats(shape.reduce((a, b) => a * b, 1), seed, 0, classes).map(Math.floor));
const floats = (shape: number[], seed: number): Tensor => Tensor.from('float32', shape, randomFloats(shape.reduce((a, b) => a * b, 1), seed, -3, 0));

describe('NegativeLogLikelihoodLoss', () => {
  const cases: Array<[string, number[], Reduction, boolean, number | undefined]> = [
    ['[N, C], none', [4, 5], 'none', false, undefined],
    ['[N, C, d1], mean with weights', [3, 5, 2], 'mean', true, undefined],
    ['[N, C, d1, d2], mean, ignore_index without weights', [2, 4, 3, 3], 'mean', false, 1],
    ['[N, C, d1, d2, d3], sum, weights and a negative ignore_index', [2, 3, 2, 2, 2], 'sum', true, -1],
    ['[N, C, d1], none, weights and ignore_index', [3, 4, 5], 'none', true, 2],
  ];
  it.each(cases)('%s', (_name, shape, reduction, withWeight, ignore) => {
    const x = floats(shape, shape.length * 7);
    const tshape = [shape[0], ...shape.slice(2)];
    const t = targets(tshape, shape[1], 11);
    if (ignore === -1) t.data[0] = -1n;
    const weight = withWeight ? randomFloats(shape[1], 5, 0.2, 2) : undefined;
    const inputs = [x, t, weight ? Tensor.from('float32', [shape[1]], weight) : undefined];
    const attributes = { reduction, ...(ignore === undefined ? {} : { ignore_index: ignore }) };
    const out = runKernel(negativeLogLikelihoodLossKernel, inputs, { attributes })[0];
    expectClose(out, reduction === 'none' ? tshape : [], referenceNll(x, t, weight, reduction, ignore));
  });

  it('takes int32 targets and float64 inputs; mean is the default reduction', () => {
    const x = new Tensor('float64', [3, 4], Float64Array.from(randomFloats(12, 3)));
    const t = targets([3], 4, 4, 'int32');
    const out = runKernel(negativeLogLikelihoodLossKernel, [x, t])[0];
    expect(out.dtype).toBe('float64');
    expectClose(out, [], referenceNll(x, t, undefined, 'mean'), 1e-12);
  });

  it('rejects out-of-range targets and mismatched shapes with a KernelError naming them', () => {
    const x = floats([2, 3], 1);
    expect(() => runKernel(negativeLogLikelihoodLossKernel, [x, Tensor.from('int64', [2], [0, 3])])).toThrow(/target value 3 at index 1 is not a class in \[0, 3\)/);
    expect(() => runKernel(negativeLogLikelihoodLossKernel, [x, Tensor.from('int64', [2], [0, 3])])).toThrow(KernelError);
    expect(() => runKernel(negativeLogLikelihoodLossKernel, [x, Tensor.from('int64', [3], [0, 1, 2])])).toThrow(/target must have shape \[N, d1, ..., dk\] = \[2\]/);
    expect(() => runKernel(negativeLogLikelihoodLossKernel, [x, Tensor.from('int64', [2], [0, 1]), floats([2], 1)])).toThrow(/weight must have shape \[C\] = \[3\]/);
    expect(() => runKernel(negativeLogLikelihoodLossKernel, [floats([3], 1), Tensor.from('int64', [3], [0, 1, 2])])).toThrow(/input must have shape \[N, C\]/);
    expect(() => runKernel(negativeLogLikelihoodLossKernel, [x, Tensor.from('float32', [2], [0, 1])])).toThrow(/int64 or int32 class indices/);
  });

  it('rejects an unknown reduction at compile time', () => {
    expect(() => parseKernelAttributes(negativeLogLikelihoodLossKernel, { reduction: 'avg' })).toThrow(ModelError);
    expect(() => parseKernelAttributes(negativeLogLikelihoodLossKernel, { reduction: 'avg' })).toThrow(/reduction.*supported: none, sum, mean/);
  });
});

describe('SoftmaxCrossEntropyLoss', () => {
  it.each<[Reduction, boolean, number | undefined]>([
    ['mean', false, undefined],
    ['mean', true, 2],
    ['sum', true, undefined],
    ['none', false, 0],
  ])('reduction %s, weights %s, ignore_index %s, with log_prob', (reduction, withWeight, ignore) => {
    const shape = [3, 5, 2, 3];
    const x = Tensor.from('float32', shape, randomFloats(90, 17, -4, 4));
    const t = targets([3, 2, 3], 5, 19);
    const weight = withWeight ? randomFloats(5, 23, 0.2, 2) : undefined;
    const attributes = { reduction, ...(ignore === undefined ? {} : { ignore_index: ignore }) };
    const [loss, logProb] = runKernel(softmaxCrossEntropyLossKernel, [x, t, weight && Tensor.from('float32', [5], weight)], { attributes, outputs: 2 });
    const logp = referenceLogSoftmax(x);
    expectClose(logProb, shape, logp.data as Float64Array);
    expectClose(loss, reduction === 'none' ? [3, 2, 3] : [], referenceNll(logp, t, weight, reduction, ignore));
  });

  it('without the log_prob output, and stable for large scores', () => {
    const x = Tensor.from('float32', [2, 3], [1000, 0, -1000, 5, 5, 5]);
    const out = runKernel(softmaxCrossEntropyLossKernel, [x, Tensor.from('int64', [2], [0, 1])], { attributes: { reduction: 'none' } });
    expect(out).toHaveLength(1);
    expectClose(out[0], [2], [0, Math.log(3)]);
  });
});
