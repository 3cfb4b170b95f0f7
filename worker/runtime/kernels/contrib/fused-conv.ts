/**
 * FusedConv (com.microsoft), what onnxruntime's graph optimizer makes of Conv followed by an
 * activation (and, with Z, by the Add of a residual):
 *   Y = activation(Conv(X, W, B) + Z)
 * Conv is ai.onnx Conv's kernel (conv/conv.ts), planned and run as is; the sum and the activation
 * (Relu, Tanh, Sigmoid, LeakyRelu, Clip, HardSigmoid with activation_params) follow in place.
 */
import { kernel, kernelFail, type AttributeReader } from '../../kernel';
import type { Tensor } from '../../tensor';
import { convKernel, type ConvAttributes, type ConvPlan } from '../conv/conv';
import { MICROSOFT_DOMAIN } from '../common/microsoft-domain';
import { shapeText } from '../common/shape-text';
import { outputLikeFirstInput } from '../common/planned-output';

type Activation = (y: Float32Array, params: readonly number[]) => void;

const ACTIVATIONS: Readonly<Record<string, { readonly params: readonly number[]; readonly apply: Activation }>> = {
  Relu: { params: [], apply: (y) => { for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] = 0; } },
  Tanh: { params: [], apply: (y) => { for (let i = 0; i < y.length; i++) y[i] = Math.tanh(y[i]); } },
  Sigmoid: { params: [], apply: (y) => { for (let i = 0; i < y.length; i++) y[i] = 1 / (1 + Math.exp(-y[i])); } },
  LeakyRelu: { params: [0.01], apply: (y, [alpha]) => { for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] *= alpha; } },
  Clip: { params: [-Infinity, Infinity], apply: (y, [lo, hi]) => { for (let i = 0; i < y.length; i++) y[i] = y[i] < lo ? lo : y[i] > hi ? hi : y[i]; } },
  HardSigmoid: { params: [0.2, 0.5], apply: (y, [a, b]) => { for (let i = 0; i < y.length; i++) y[i] = Math.max(0, Math.min(1, a * y[i] + b)); } },
};

interface FusedConvAttributes {
  readonly conv: ConvAttributes;
  readonly activation: Activation | null;
  readonly params: readonly number[];
}

function readActivation(r: AttributeReader): Pick<FusedConvAttributes, 'activation' | 'params'> {
  if (!r.has('activation')) return { activation: null, params: [] };
  const name = r.string('activation');
  const known = ACTIVATIONS[name];
  if (!known) r.fail(`attribute "activation" is "${name}"; supported: ${Object.keys(ACTIVATIONS).join(', ')}`);
  const given = r.floats('activation_params', []);
  if (given.length > known.params.length) r.fail(`attribute "activation_params" has ${given.length} values; ${name} takes ${known.params.length}`);
  return { activation: known.apply, params: known.params.map((d, i) => given[i] ?? d) };
}

export const fusedConvKernel = kernel<FusedConvAttributes, ConvPlan>({
  op: 'FusedConv',
  domain: MICROSOFT_DOMAIN,
  attributes: (r, opset) => ({ conv: convKernel.attributes!(r, opset), ...readActivation(r) }),
  plan(inputs, attrs, ctx, previous) {
    const plan = convKernel.plan!(inputs, attrs.conv, ctx, previous);
    const z = inputs[3];
    if (z && (z.dtype !== 'float32' || z.shape.length !== plan.outShape.length || z.shape.some((d, i) => d !== plan.outShape[i]))) {
      kernelFail(ctx, `Z must be float32 with the output's shape ${shapeText(plan.outShape)}, got ${z.dtype} ${shapeText(z.shape)}`);
    }
    return plan;
  },
  outputs: outputLikeFirstInput,
  run(inputs, attrs, ctx, plan) {
    const y = convKernel.run(inputs, attrs.conv, ctx, plan) as Tensor<'float32'>;
    const z = inputs[3] as Tensor<'float32'> | undefined;
    if (z) for (let i = 0; i < y.data.length; i++) y.data[i] += z.data[i];
    if (attrs.activation) attrs.activation(y.data, attrs.params);
    return y;
  },
});
