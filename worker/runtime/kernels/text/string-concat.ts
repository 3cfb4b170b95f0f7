/** StringConcat (opset 20): elementwise X + Y of two string tensors with numpy broadcasting. */
import { kernel, kernelFail } from '../../kernel';
import type { Tensor } from '../../tensor';
import { broadcastIndex, broadcastShapes } from '../common/broadcast';

function stringInput(inputs: ReadonlyArray<Tensor | undefined>, index: number, name: string, ctx: Parameters<typeof kernelFail>[0]): Tensor<'string'> {
  const t = inputs[index];
  if (!t) kernelFail(ctx, `input ${name} (#${index}) is required`);
  if (t.dtype !== 'string') kernelFail(ctx, `input ${name} must be a string tensor, got ${t.dtype}`);
  return t as Tensor<'string'>;
}

export const stringConcatKernel = kernel({
  op: 'StringConcat',
  run(inputs, _attrs, ctx) {
    const x = stringInput(inputs, 0, 'X', ctx);
    const y = stringInput(inputs, 1, 'Y', ctx);
    const shape = broadcastShapes(x.shape, y.shape);
    if (!shape) kernelFail(ctx, `X [${x.shape.join(', ')}] and Y [${y.shape.join(', ')}] do not broadcast`);
    const z = ctx.output(0, 'string', shape) as Tensor<'string'>;
    const [xi, yi] = broadcastIndex([x.shape, y.shape], shape);
    for (let i = 0; i < z.data.length; i++) z.data[i] = x.data[xi[i]] + y.data[yi[i]];
    return z;
  },
});
