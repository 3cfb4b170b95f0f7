/**
 * MaxPool's float32 2-D path (taken when Indices is not requested) against the general path
 * (taken when it is): same values, NaN placement included, over windows clipped by padding,
 * strides, dilations, ceil_mode and the 2x2 stride-2 special case. The same with the WebAssembly
 * kernels installed (2x2 windows without padding run in the module, four at a time at stride 2).
 */
import { installWasmKernels } from '../../../lib/wasm-module';
import { maxPoolKernel } from '../../../worker/runtime/kernels/conv/pool';
import { useWasmKernels } from '../../../worker/runtime/wasm';
import { Tensor } from '../../../worker/runtime/tensor';
import { randomTensor, runKernel } from '../linalg/helpers';

const CASES: Array<Record<string, number | number[]>> = [
  { kernel_shape: [2, 2], strides: [2, 2] },
  { kernel_shape: [2, 2], strides: [1, 1] },
  { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 },
  { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] },
  { kernel_shape: [3, 2], strides: [1, 2], pads: [2, 0, 0, 1], ceil_mode: 1 },
  { kernel_shape: [2, 3], dilations: [2, 2], pads: [1, 2, 1, 2] },
  { kernel_shape: [5, 5], strides: [3, 3], pads: [4, 4, 4, 4] },
];

describe('MaxPool float32 2-D path', () => {
  it.each(CASES)('%j', (attrs) => {
    const x = randomTensor([2, 3, 9, 11], 7);
    const data = x.data as Float32Array;
    for (let i = 0; i < data.length; i += 17) data[i] = NaN;
    const [fast] = runKernel(maxPoolKernel, [x], attrs, 12, 1);
    const [general] = runKernel(maxPoolKernel, [x], attrs, 12, 2);
    expect(fast.shape).toEqual(general.shape);
    const a = fast.data as Float32Array;
    const b = general.data as Float32Array;
    for (let i = 0; i < b.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`element ${i}: general ${b[i]}, fast ${a[i]}`);
  });

  it('keeps -Infinity inputs and all-negative windows', () => {
    const x = new Tensor('float32', [1, 1, 2, 4], Float32Array.from([-Infinity, -3, -2, -1, -5, -4, -Infinity, -Infinity]));
    const [y] = runKernel(maxPoolKernel, [x], { kernel_shape: [2, 2], strides: [2, 2] }, 12, 1);
    expect(Array.from(y.data as Float32Array)).toEqual([-3, -1]);
  });
});

describe('MaxPool float32 2-D path with the WebAssembly kernels', () => {
  beforeAll(() => installWasmKernels());
  afterAll(() => useWasmKernels(null));

  it.each([...CASES, { kernel_shape: [2, 2], strides: [1, 2] }, { kernel_shape: [2, 2], strides: [3, 3] }])('%j', (attrs) => {
    // 19 columns: at stride 2, eight windows four at a time and one alone
    const x = randomTensor([2, 3, 9, 19], 11);
    const data = x.data as Float32Array;
    for (let i = 0; i < data.length; i += 17) data[i] = NaN;
    for (let i = 5; i < data.length; i += 13) data[i] = i % 2 ? -0 : 0;
    const [fast] = runKernel(maxPoolKernel, [x], attrs, 12, 1);
    const [general] = runKernel(maxPoolKernel, [x], attrs, 12, 2);
    expect(fast.shape).toEqual(general.shape);
    const a = fast.data as Float32Array;
    const b = general.data as Float32Array;
    for (let i = 0; i < b.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`element ${i}: general ${b[i]}, wasm ${a[i]}`);
  });
});
