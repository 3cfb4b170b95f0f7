/**
 * Range(start, limit, delta): max(ceil((limit - start) / delta), 0) values start + i * delta.
 * int64 is computed with bigint so that large values stay exact.
 */
import { kernel, kernelFail, required } from '../../kernel';
import { readScalar } from './common';

const RANGE_TYPES = new Set(['float32', 'float64', 'int16', 'int32', 'int64']);

export const rangeKernel = kernel({
  op: 'Range',
  run(inputs, _attrs, ctx) {
    const [startT, limitT, deltaT] = [0, 1, 2].map((i) => required(inputs, i, ctx));
    if (!RANGE_TYPES.has(startT.dtype)) kernelFail(ctx, `type ${startT.dtype} is not supported; use float, double, int16, int32 or int64`);
    if (limitT.dtype !== startT.dtype || deltaT.dtype !== startT.dtype) {
      kernelFail(ctx, `start, limit and delta must share one type, got ${startT.dtype}, ${limitT.dtype}, ${deltaT.dtype}`);
    }
    const start = readScalar(startT, ctx, 'start');
    const limit = readScalar(limitT, ctx, 'limit');
    const delta = readScalar(deltaT, ctx, 'delta');
    if (delta === 0) kernelFail(ctx, 'delta must not be 0');
    const n = startT.dtype === 'int64' ? bigCount(startT.data[0] as bigint, limitT.data[0] as bigint, deltaT.data[0] as bigint) : Math.max(Math.ceil((limit - start) / delta), 0);
    if (!Number.isFinite(n)) kernelFail(ctx, `range from ${start} to ${limit} by ${delta} is not finite`);
    const out = ctx.output(0, startT.dtype, [n]);
    if (startT.dtype === 'int64') {
      const s = startT.data[0] as bigint;
      const d = deltaT.data[0] as bigint;
      const data = out.data as BigInt64Array;
      for (let i = 0; i < n; i++) data[i] = s + BigInt(i) * d;
    } else {
      const data = out.data as Float32Array;
      for (let i = 0; i < n; i++) data[i] = start + i * delta;
    }
    return out;
  },
});

/** max(ceil((limit - start) / delta), 0) in exact integer arithmetic. */
function bigCount(start: bigint, limit: bigint, delta: bigint): number {
  const span = limit - start;
  let q = span / delta; // truncates toward zero
  if (q * delta !== span && (span > 0n) === (delta > 0n)) q += 1n;
  return q > 0n ? Number(q) : 0;
}
