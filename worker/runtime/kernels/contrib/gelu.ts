/**
 * The GELU family of com.microsoft, as onnxruntime computes it (Gelu and BiasGelu on float32 in
 * float32 arithmetic, as MlasErf; float64 to double precision):
 *   Gelu       x * 0.5 * (1 + erf(x / sqrt 2))
 *   BiasGelu   Gelu(A + bias)                      bias over the last dimension
 *   FastGelu   0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), x = X (+ bias when given)
 *   QuickGelu  x * sigmoid(alpha * x)              alpha defaults to 1.702
 */
import { kernel, type Kernel } from '../../kernel';
import { erf } from '../math/erf';
import { geluIntoF32 } from '../math/float32-activations';
import { expectRowBias } from './bias';
import { floatInput, expectSameFloat } from '../common/inputs';
import { MICROSOFT_DOMAIN } from '../common/microsoft-domain';
import type { Floats } from '../common/tensor-types';

const SQRT_HALF = Math.SQRT1_2;
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

/** y[i] = f(x[i] + bias[i % width]); bias null adds nothing. */
type BiasedLoop<A> = (x: Floats, bias: Floats | null, width: number, y: Floats, attrs: A) => void;

function biasedActivation<A>(op: string, biasIndex: number | null, biasRequired: boolean, loop: BiasedLoop<A>, attributes?: Kernel<A>['attributes']): Kernel<A> {
  return kernel<A>({
    op,
    domain: MICROSOFT_DOMAIN,
    attributes,
    run(inputs, attrs, ctx) {
      const x = floatInput(inputs, 0, 'X', ctx);
      let bias: Floats | null = null;
      if (biasIndex !== null && (biasRequired || inputs[biasIndex])) {
        const b = floatInput(inputs, biasIndex, 'bias', ctx);
        expectSameFloat(b, x, 'bias', 'X', ctx);
        expectRowBias(b, x, 'bias', ctx);
        bias = b.data;
      }
      const y = ctx.output(0, x.dtype, x.shape);
      loop(x.data, bias, x.shape[x.shape.length - 1] ?? 1, y.data as Floats, attrs);
      return y;
    },
  });
}

function erfGelu(x: Floats, bias: Floats | null, width: number, y: Floats): void {
  if (x instanceof Float32Array && y instanceof Float32Array && (bias === null || bias instanceof Float32Array)) {
    geluIntoF32(x, bias, width, y, x.length);
    return;
  }
  for (let i = 0, j = 0; i < x.length; i++) {
    const v = bias === null ? x[i] : x[i] + bias[j];
    y[i] = 0.5 * v * (1 + erf(v * SQRT_HALF));
    if (++j === width) j = 0;
  }
}

export const geluKernel = biasedActivation('Gelu', null, false, erfGelu);

export const biasGeluKernel = biasedActivation('BiasGelu', 1, true, erfGelu);

export const fastGeluKernel = biasedActivation('FastGelu', 1, false, (x, bias, width, y) => {
  for (let i = 0, j = 0; i < x.length; i++) {
    const v = bias === null ? x[i] : x[i] + bias[j];
    y[i] = 0.5 * v * (1 + Math.tanh(SQRT_TWO_OVER_PI * (v + 0.044715 * v * v * v)));
    if (++j === width) j = 0;
  }
});

interface QuickGeluAttributes {
  readonly alpha: number;
}

export const quickGeluKernel = biasedActivation<QuickGeluAttributes>(
  'QuickGelu',
  null,
  false,
  (x, _bias, _width, y, { alpha }) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const t = alpha * v;
      // exp of a non-positive argument only, as Sigmoid does
      y[i] = t >= 0 ? v / (1 + Math.exp(-t)) : (v * Math.exp(t)) / (1 + Math.exp(t));
    }
  },
  (r) => ({ alpha: r.float('alpha', 1.702) }),
);
