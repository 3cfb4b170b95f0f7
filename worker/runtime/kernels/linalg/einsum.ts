/**
 * Einsum: a general implementation. The equation is parsed once (at load) into labels; each run
 * resolves label sizes, gives every operand a stride per label (a repeated label in one operand
 * sums its strides: a diagonal), and sums products over the contracted labels with an odometer.
 * Ellipsis dimensions broadcast numpy-style. Suited to the small contractions models use Einsum
 * for; large matrix products belong to MatMul/Gemm.
 */
import { kernel, kernelFail, type KernelContext } from '../../kernel';
import { isBigIntDType, type Tensor } from '../../tensor';

/** One operand term: letters, with ELLIPSIS standing for the broadcast dimensions. */
type Term = readonly (string | typeof ELLIPSIS)[];
const ELLIPSIS = Symbol('...');

export interface EinsumEquation {
  readonly inputs: readonly Term[];
  /** null in implicit mode (no "->"): the output is derived at run time */
  readonly output: Term | null;
}

export function parseEinsum(equation: string, fail: (msg: string) => never): EinsumEquation {
  const eq = equation.replace(/\s+/g, '');
  const arrow = eq.indexOf('->');
  const lhs = arrow >= 0 ? eq.slice(0, arrow) : eq;
  const rhs = arrow >= 0 ? eq.slice(arrow + 2) : null;
  const parseTerm = (text: string): Term => {
    const term: (string | typeof ELLIPSIS)[] = [];
    for (let i = 0; i < text.length; i++) {
      if (text.startsWith('...', i)) {
        if (term.includes(ELLIPSIS)) fail(`equation "${equation}": a term has more than one ellipsis`);
        term.push(ELLIPSIS);
        i += 2;
      } else if (/[a-zA-Z]/.test(text[i])) term.push(text[i]);
      else fail(`equation "${equation}": unexpected character "${text[i]}" (labels are letters; "..." is the ellipsis)`);
    }
    return term;
  };
  const inputs = lhs.split(',').map(parseTerm);
  const output = rhs === null ? null : parseTerm(rhs);
  if (output) {
    const seen = new Set<string>();
    for (const l of output) {
      if (l === ELLIPSIS) {
        if (!inputs.some((t) => t.includes(ELLIPSIS))) fail(`equation "${equation}": the output has "..." but no input does`);
        continue;
      }
      if (seen.has(l)) fail(`equation "${equation}": output label "${l}" appears twice`);
      seen.add(l);
      if (!inputs.some((t) => t.includes(l))) fail(`equation "${equation}": output label "${l}" appears in no input`);
    }
  }
  return { inputs, output };
}

export const einsumKernel = kernel<EinsumEquation>({
  op: 'Einsum',
  attributes: (r) => parseEinsum(r.string('equation'), (m) => r.fail(m)),
  run(inputs, eq, ctx) {
    if (inputs.length !== eq.inputs.length) kernelFail(ctx, `the equation has ${eq.inputs.length} operand(s) but the node has ${inputs.length} input(s)`);
    const tensors = inputs.map((t, i) => t ?? kernelFail(ctx, `input ${i} is required`));
    const dtype = tensors[0].dtype;
    if (tensors.some((t) => t.dtype !== dtype)) kernelFail(ctx, 'all Einsum inputs must have the same type');
    if (dtype === 'string' || dtype === 'bool') kernelFail(ctx, `dtype ${dtype} is not supported`);
    return einsum(eq, tensors, ctx);
  },
});

function einsum(eq: EinsumEquation, tensors: Tensor[], ctx: KernelContext): Tensor {
  // Expand ellipses into labels "#0".."#r-1", right-aligned across operands.
  let ellipsisRank = 0;
  tensors.forEach((t, i) => {
    const term = eq.inputs[i];
    const letters = term.filter((l) => l !== ELLIPSIS).length;
    if (term.includes(ELLIPSIS)) {
      if (t.rank < letters) kernelFail(ctx, `input ${i} has rank ${t.rank}, fewer than the ${letters} labels of its term`);
      ellipsisRank = Math.max(ellipsisRank, t.rank - letters);
    } else if (t.rank !== letters) {
      kernelFail(ctx, `input ${i} has rank ${t.rank} but its term names ${letters} dimension(s)`);
    }
  });
  const expand = (term: Term, rank: number): string[] => {
    const letters = term.filter((l) => l !== ELLIPSIS).length;
    const own = rank - letters;
    const out: string[] = [];
    for (const l of term) {
      if (l === ELLIPSIS) for (let d = 0; d < own; d++) out.push(`#${ellipsisRank - own + d}`);
      else out.push(l);
    }
    return out;
  };
  const terms = tensors.map((t, i) => expand(eq.inputs[i], t.rank));
  const sizes = new Map<string, number>();
  terms.forEach((term, i) => {
    term.forEach((label, d) => {
      const size = tensors[i].shape[d];
      const known = sizes.get(label);
      if (known === undefined || known === 1) sizes.set(label, size);
      else if (size !== known && !(label.startsWith('#') && size === 1)) {
        kernelFail(ctx, `label "${label.startsWith('#') ? '...' : label}" has size ${known} in one place and ${size} in input ${i}`);
      }
    });
  });
  let outLabels: string[];
  if (eq.output) {
    outLabels = [];
    for (const l of eq.output) {
      if (l === ELLIPSIS) for (let d = 0; d < ellipsisRank; d++) outLabels.push(`#${d}`);
      else outLabels.push(l);
    }
  } else {
    const counts = new Map<string, number>();
    for (const term of terms) for (const l of term) if (!l.startsWith('#')) counts.set(l, (counts.get(l) ?? 0) + 1);
    const once = [...counts].filter(([, c]) => c === 1).map(([l]) => l).sort();
    outLabels = [...Array.from({ length: ellipsisRank }, (_, d) => `#${d}`), ...once];
  }
  const sumLabels = [...sizes.keys()].filter((l) => !outLabels.includes(l));
  const all = [...outLabels, ...sumLabels];
  const dims = all.map((l) => sizes.get(l)!);
  // stride of every operand along every label (0 where absent or broadcast)
  const strides = terms.map((term, i) => {
    const shape = tensors[i].shape;
    const own = new Array<number>(shape.length);
    let s = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      own[d] = s;
      s *= shape[d];
    }
    return all.map((l) => term.reduce((acc, t, d) => (t === l && shape[d] !== 1 ? acc + own[d] : acc), 0));
  });
  const outShape = outLabels.map((l) => sizes.get(l)!);
  const out = ctx.output(0, tensors[0].dtype, outShape);
  const big = isBigIntDType(out.dtype);
  const Y = out.data as unknown as { [i: number]: number | bigint; length: number };
  const datas = tensors.map((t) => t.data as unknown as ArrayLike<number | bigint>);
  const nOut = outLabels.length;
  const nAll = all.length;
  let sumCount = 1;
  for (let d = nOut; d < nAll; d++) sumCount *= dims[d];
  const counter = new Array<number>(nAll).fill(0);
  const offsets = new Array<number>(tensors.length).fill(0);
  for (let o = 0; o < Y.length; o++) {
    let acc: number | bigint = big ? 0n : 0;
    for (let s = 0; s < sumCount; s++) {
      if (big) {
        let p = 1n;
        for (let t = 0; t < datas.length; t++) p *= datas[t][offsets[t]] as bigint;
        acc = (acc as bigint) + p;
      } else {
        let p = 1;
        for (let t = 0; t < datas.length; t++) p *= datas[t][offsets[t]] as number;
        acc = (acc as number) + p;
      }
      step(nAll - 1, nOut);
    }
    Y[o] = acc;
    step(nOut - 1, 0);
  }
  return out;

  /** Advances the odometer over dimensions [lowest, from] (innermost first). */
  function step(from: number, lowest: number): void {
    for (let d = from; d >= lowest; d--) {
      counter[d]++;
      for (let t = 0; t < offsets.length; t++) offsets[t] += strides[t][d];
      if (counter[d] < dims[d]) return;
      for (let t = 0; t < offsets.length; t++) offsets[t] -= strides[t][d] * dims[d];
      counter[d] = 0;
    }
  }
}
