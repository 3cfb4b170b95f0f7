/**
 * What the session keeps per node: its output buffers, scratch, output list and plan. `runNode`
 * plans when the input signature differs from the last run's (dtypes, shapes, inputs present, the
 * WebAssembly kernels installed) and runs the kernel with that plan; a run with the same signature
 * compares and allocates nothing. The kernel test harness replays kernels through this same class.
 *
 * `plannedZeros` serves the compiler's output-shape and working-set probes: it plans, and when
 * the plan states large outputs it hands back zero-filled buffers of those dtypes and shapes
 * instead of running the kernel (see lib/model-compiler/shape-probe.ts for why that keeps shapes
 * right).
 */
import type { Graph, Node } from './graph';
import { nodeLabel } from './graph';
import { KernelError } from './errors';
import type { AnyKernel, KernelContext, KernelOutputs, PlanInput } from './kernel';
import { DType, MAX_TENSOR_ELEMENTS, Tensor, bytesPerElement, isBigIntDType, sameShape, sizeOf } from './tensor';
import type { RunMeter } from './run-meter';
import { wasmKernels, type WasmKernels } from './wasm';

/**
 * Outputs of at most this many elements in all are computed even by the shape probe: such small
 * values are the shapes, indices and sizes that Reshape, Expand, Slice, ConstantOfShape and Range
 * read, so their values decide shapes further on.
 */
export const SHAPE_VALUE_ELEMENTS = 64;

/** Runs subgraphs for a node (the session, in the scope of the node running). */
export type SubgraphRunner = (graph: Graph, bindings?: ReadonlyMap<string, Tensor>) => Tensor[];

export class NodeContext implements KernelContext {
  private readonly buffers: Array<Tensor | undefined> = [];
  private scratchBuffer: Float32Array = new Float32Array(0);
  private readonly list: Tensor[] = [];
  // the plan and the signature it was made for
  private plan: unknown = undefined;
  private planned = false;
  private planWasm: WasmKernels | null = null;
  private readonly planDTypes: Array<DType | undefined>;
  private readonly planShapes: Array<readonly number[] | undefined>;

  /**
   * `constants[i]` is input i's tensor when that input is a weight (the same tensor every run);
   * kernels may derive packed layouts of it in their plan.
   */
  constructor(
    readonly node: Node,
    readonly opset: number,
    private readonly subgraphs: SubgraphRunner,
    private readonly constants: ReadonlyArray<Tensor | undefined> = [],
    private readonly meter?: RunMeter,
  ) {
    this.planDTypes = new Array<DType | undefined>(node.inputs.length).fill(undefined);
    this.planShapes = new Array<readonly number[] | undefined>(node.inputs.length).fill(undefined);
  }

  /** Runs `kernel` on `inputs`, planning first when the signature changed since the last run. */
  runNode(kernel: AnyKernel, attrs: unknown, inputs: ReadonlyArray<Tensor | undefined>): KernelOutputs {
    if (kernel.plan !== undefined && !this.signatureMatches(inputs)) this.replan(kernel, attrs, inputs);
    return kernel.run(inputs, attrs, this, this.plan);
  }

  /**
   * Zero-filled outputs of the dtypes and shapes the kernel's plan states for these inputs, without
   * running the kernel; undefined when the kernel has no such plan or the outputs hold at most
   * SHAPE_VALUE_ELEMENTS elements (then the node must really run). Buffers come from `output`, so
   * the meter is charged for them.
   */
  plannedZeros(kernel: AnyKernel, attrs: unknown, inputs: ReadonlyArray<Tensor | undefined>): Tensor[] | undefined {
    if (kernel.plan === undefined) return undefined;
    if (!this.signatureMatches(inputs)) this.replan(kernel, attrs, inputs);
    const signatures = kernel.outputs?.(this.plan, inputs, attrs);
    if (signatures === undefined) return undefined;
    let elements = 0;
    for (const s of signatures) elements += sizeOf(s.shape);
    if (elements <= SHAPE_VALUE_ELEMENTS) return undefined;
    return signatures.map((s, i) => {
      const t = this.output(i, s.dtype, s.shape);
      // a buffer reused from an earlier real run (a Loop body) holds that run's values
      if (t.dtype === 'string') (t.data as string[]).fill('');
      else if (isBigIntDType(t.dtype)) (t.data as BigInt64Array).fill(0n);
      else (t.data as Float32Array).fill(0);
      return t;
    });
  }

  output<D extends DType>(index: number, dtype: D, shape: readonly number[]): Tensor<D> {
    const previous = this.buffers[index];
    if (previous && previous.dtype === dtype && sameShape(previous.shape, shape)) return previous as Tensor<D>;
    const size = sizeOf(shape);
    if (!(size <= MAX_TENSOR_ELEMENTS)) {
      throw new KernelError(`${nodeLabel(this.node)}: output ${index} of shape [${shape.join(', ')}] would hold ${size} elements, above the limit of ${MAX_TENSOR_ELEMENTS}`);
    }
    this.meter?.allocate(this.node, size * bytesPerElement(dtype));
    const fresh = this.allocate(dtype, shape.slice());
    this.meter?.allocated(fresh);
    this.buffers[index] = fresh;
    return fresh;
  }

  results(first: Tensor, second?: Tensor, third?: Tensor): Tensor[] {
    const list = this.list;
    const length = third !== undefined ? 3 : second !== undefined ? 2 : 1;
    if (list.length !== length) list.length = length;
    list[0] = first;
    if (length > 1) list[1] = second!;
    if (length > 2) list[2] = third!;
    return list;
  }

  scratch(length: number): Float32Array {
    if (this.scratchBuffer.length < length) this.scratchBuffer = this.allocateScratch(length);
    return this.scratchBuffer;
  }

  runSubgraph(graph: Graph, bindings?: ReadonlyMap<string, Tensor>): Tensor[] {
    return this.subgraphs(graph, bindings);
  }

  /** A new output buffer (the test harness fills it with junk: kernels must not rely on zeros). */
  protected allocate<D extends DType>(dtype: D, shape: number[]): Tensor<D> {
    return Tensor.zeros(dtype, shape);
  }

  /** A new scratch array (the test harness fills it with junk). */
  protected allocateScratch(length: number): Float32Array {
    return new Float32Array(length);
  }

  private signatureMatches(inputs: ReadonlyArray<Tensor | undefined>): boolean {
    if (!this.planned || this.planWasm !== wasmKernels()) return false;
    const dtypes = this.planDTypes;
    const shapes = this.planShapes;
    if (inputs.length !== dtypes.length) return false;
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i];
      if (t === undefined) {
        if (dtypes[i] !== undefined) return false;
      } else if (t.dtype !== dtypes[i] || !sameShape(t.shape, shapes[i]!)) {
        return false;
      }
    }
    return true;
  }

  private replan(kernel: AnyKernel, attrs: unknown, inputs: ReadonlyArray<Tensor | undefined>): void {
    const described: Array<PlanInput | undefined> = [];
    this.planDTypes.length = inputs.length;
    this.planShapes.length = inputs.length;
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i];
      const shape = t?.shape.slice();
      const value = t !== undefined && this.constants[i] === t ? t : undefined;
      described.push(t === undefined ? undefined : value ? { dtype: t.dtype, shape: shape!, value } : { dtype: t.dtype, shape: shape! });
      this.planDTypes[i] = t?.dtype;
      this.planShapes[i] = shape;
    }
    // a failed plan leaves none behind: the next run plans again (and fails the same way)
    this.planned = false;
    this.plan = kernel.plan!(described, attrs, this, this.plan);
    this.planWasm = wasmKernels();
    this.planned = true;
  }
}
