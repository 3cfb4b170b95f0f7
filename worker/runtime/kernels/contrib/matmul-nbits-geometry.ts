/**
 * The operands of MatMulNBits (com.microsoft) checked against its attributes: A [..., K] float32,
 * B uint8 [N, k_blocks, block_size / 2] (4-bit values, two per byte, low nibble first), scales
 * float32 [N * k_blocks], zero_points uint8 [N * ceil(k_blocks / 2)] (packed 4-bit) or float32
 * [N * k_blocks], bias float32 [N].
 */
import { kernelFail, type PlanContext, type PlanInput } from '../../kernel';
import { shapeText } from '../common/shape-text';

export interface NBitsAttributes {
  readonly k: number;
  readonly n: number;
  readonly blockSize: number;
}

export interface NBitsGeometry {
  /** rows of A: the product of its leading dims */
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly blockSize: number;
  readonly kBlocks: number;
  readonly outShape: readonly number[];
}

type Ctx = Pick<PlanContext, 'node'>;

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

export function nbitsGeometry(
  a: PlanInput,
  b: PlanInput,
  scales: PlanInput,
  zp: PlanInput | undefined,
  bias: PlanInput | undefined,
  attrs: NBitsAttributes,
  ctx: Ctx,
): NBitsGeometry {
  const { k, n, blockSize } = attrs;
  const kBlocks = Math.ceil(k / blockSize);
  const blob = blockSize / 2;
  if (a.dtype !== 'float32') kernelFail(ctx, `A must be float32, got ${a.dtype}`);
  if (a.shape.length < 1 || a.shape[a.shape.length - 1] !== k) kernelFail(ctx, `A ${shapeText(a.shape)} must end in K = ${k} (attribute "K")`);
  if (b.dtype !== 'uint8' || size(b.shape) !== n * kBlocks * blob || b.shape[0] !== n) {
    kernelFail(ctx, `B must be uint8 [N, k_blocks, block_size / 2] = [${n}, ${kBlocks}, ${blob}], got ${b.dtype} ${shapeText(b.shape)}`);
  }
  if (scales.dtype !== 'float32' || size(scales.shape) !== n * kBlocks) {
    kernelFail(ctx, `scales must be float32 with N * k_blocks = ${n * kBlocks} values, got ${scales.dtype} ${shapeText(scales.shape)}`);
  }
  if (zp) {
    const packed = n * Math.ceil(kBlocks / 2);
    const ok = (zp.dtype === 'uint8' && size(zp.shape) === packed) || (zp.dtype === 'float32' && size(zp.shape) === n * kBlocks);
    if (!ok) {
      kernelFail(ctx, `zero_points must be uint8 with N * ceil(k_blocks / 2) = ${packed} bytes (4-bit, packed) or float32 with N * k_blocks = ${n * kBlocks} values, got ${zp.dtype} ${shapeText(zp.shape)}`);
    }
  }
  if (bias && (bias.dtype !== 'float32' || size(bias.shape) !== n || bias.shape.length !== 1)) {
    kernelFail(ctx, `bias must be float32 [N] = [${n}], got ${bias.dtype} ${shapeText(bias.shape)}`);
  }
  return { m: size(a.shape) / k, k, n, blockSize, kBlocks, outShape: [...a.shape.slice(0, -1), n] };
}
