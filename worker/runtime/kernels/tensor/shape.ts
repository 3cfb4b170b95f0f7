/**
 * Shape (optionally a start..end window of the dimensions, opset 15+) and Size, both int64.
 */
import { kernel, required } from '../../kernel';

function clampAxis(v: number, rank: number): number {
  const a = v < 0 ? v + rank : v;
  return Math.min(Math.max(a, 0), rank);
}

export const shapeKernel = kernel({
  op: 'Shape',
  attributes: (a) => ({ start: a.int('start', 0), end: a.has('end') ? a.int('end') : undefined }),
  run(inputs, attrs, ctx) {
    const x = required(inputs, 0, ctx);
    const start = clampAxis(attrs.start, x.rank);
    const end = clampAxis(attrs.end ?? x.rank, x.rank);
    const dims = x.shape.slice(start, Math.max(start, end));
    const out = ctx.output(0, 'int64', [dims.length]);
    for (let i = 0; i < dims.length; i++) out.data[i] = BigInt(dims[i]);
    return out;
  },
});

export const sizeKernel = kernel({
  op: 'Size',
  run(inputs, _attrs, ctx) {
    const x = required(inputs, 0, ctx);
    const out = ctx.output(0, 'int64', []);
    out.data[0] = BigInt(x.size);
    return out;
  },
});
