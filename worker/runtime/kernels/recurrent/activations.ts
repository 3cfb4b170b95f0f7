/**
 * The activation functions the recurrent ops accept in their `activations` attribute, with the
 * alpha/beta consumption order and defaults onnxruntime uses: names are case-insensitive, each
 * function that takes alpha (or beta) consumes the next value of activation_alpha (activation_beta),
 * and a missing value defaults to LeakyRelu 0.01, HardSigmoid 0.2/0.5, Elu 1.0, otherwise 0.
 */
import type { AttributeReader } from '../../kernel';
import type { Floats as FloatArray } from '../common/tensor-types';

export type ActivationKind =
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'affine'
  | 'leakyrelu'
  | 'thresholdedrelu'
  | 'scaledtanh'
  | 'hardsigmoid'
  | 'elu'
  | 'softsign'
  | 'softplus';

export interface Activation {
  readonly kind: ActivationKind;
  readonly alpha: number;
  readonly beta: number;
}

/** [takes alpha, takes beta, default alpha, default beta] */
const PARAMETERS: Record<ActivationKind, readonly [boolean, boolean, number, number]> = {
  sigmoid: [false, false, 0, 0],
  tanh: [false, false, 0, 0],
  relu: [false, false, 0, 0],
  affine: [true, true, 0, 0],
  leakyrelu: [true, false, 0.01, 0],
  thresholdedrelu: [true, false, 0, 0],
  scaledtanh: [true, true, 0, 0],
  hardsigmoid: [true, true, 0.2, 0.5],
  elu: [true, false, 1, 0],
  softsign: [false, false, 0, 0],
  softplus: [false, false, 0, 0],
};

const NAMES = 'Sigmoid, Tanh, Relu, Affine, LeakyRelu, ThresholdedRelu, ScaledTanh, HardSigmoid, Elu, Softsign, Softplus';

/**
 * Reads `activations`, `activation_alpha` and `activation_beta` into one list per direction of
 * `perDirection.length` functions each. A list written for one direction is reused for both
 * directions of a bidirectional op.
 */
export function parseActivations(attrs: AttributeReader, perDirection: readonly ActivationKind[], numDirections: number): Activation[][] {
  const names = attrs.strings('activations', [] as string[]);
  const alphas = attrs.floats('activation_alpha', [] as number[]);
  const betas = attrs.floats('activation_beta', [] as number[]);
  const count = perDirection.length;
  if (names.length === 0) {
    return Array.from({ length: numDirections }, () => perDirection.map((kind) => ({ kind, alpha: 0, beta: 0 })));
  }
  if (names.length !== count * numDirections && !(numDirections === 2 && names.length === count)) {
    attrs.fail(`attribute "activations" must list ${count * numDirections} functions (${count} per direction), got ${names.length}`);
  }
  let ai = 0;
  let bi = 0;
  const parsed = names.map((name): Activation => {
    const kind = name.toLowerCase() as ActivationKind;
    const spec = PARAMETERS[kind];
    if (!spec) attrs.fail(`activation "${name}" is not supported; supported: ${NAMES}`);
    const alpha = spec[0] ? (ai < alphas.length ? alphas[ai++] : spec[2]) : 0;
    const beta = spec[1] ? (bi < betas.length ? betas[bi++] : spec[3]) : 0;
    return { kind, alpha, beta };
  });
  return Array.from({ length: numDirections }, (_, d) => (parsed.length === count ? parsed : parsed.slice(d * count, (d + 1) * count)));
}


/** Applies `act` in place to a[offset .. offset + length). */
export function applyActivation(act: Activation, a: FloatArray, offset: number, length: number): void {
  const end = offset + length;
  const { alpha, beta } = act;
  switch (act.kind) {
    case 'sigmoid':
      for (let i = offset; i < end; i++) a[i] = 1 / (1 + Math.exp(-a[i]));
      return;
    case 'tanh':
      for (let i = offset; i < end; i++) a[i] = Math.tanh(a[i]);
      return;
    case 'relu':
      for (let i = offset; i < end; i++) a[i] = a[i] > 0 ? a[i] : 0;
      return;
    case 'affine':
      for (let i = offset; i < end; i++) a[i] = alpha * a[i] + beta;
      return;
    case 'leakyrelu':
      for (let i = offset; i < end; i++) a[i] = a[i] >= 0 ? a[i] : alpha * a[i];
      return;
    case 'thresholdedrelu':
      for (let i = offset; i < end; i++) a[i] = a[i] > alpha ? a[i] : 0;
      return;
    case 'scaledtanh':
      for (let i = offset; i < end; i++) a[i] = alpha * Math.tanh(beta * a[i]);
      return;
    case 'hardsigmoid':
      for (let i = offset; i < end; i++) a[i] = Math.min(Math.max(alpha * a[i] + beta, 0), 1);
      return;
    case 'elu':
      for (let i = offset; i < end; i++) a[i] = a[i] >= 0 ? a[i] : alpha * (Math.exp(a[i]) - 1);
      return;
    case 'softsign':
      for (let i = offset; i < end; i++) a[i] = a[i] / (1 + Math.abs(a[i]));
      return;
    case 'softplus':
      for (let i = offset; i < end; i++) {
        const x = a[i];
        // log(1 + e^x) without overflow for large x
        a[i] = x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
      }
      return;
  }
}
