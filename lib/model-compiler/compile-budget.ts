/**
 * One budget for everything a compile runs: constant folding and both runs of the output-shape
 * probe charge node runs (every Loop iteration and If branch included, so nested loops multiply
 * against the same limit), element operations (estimated before each kernel runs) and bytes of
 * buffers materialized (checked before they are allocated). A hostile model therefore stops with a
 * CompileBudgetError naming the node, the limit and the fix, in seconds and within a bounded
 * amount of memory, instead of hanging or exhausting the machine.
 */
import { ModelError } from '../../worker/runtime/errors';
import type { Graph, Node } from '../../worker/runtime/graph';
import { nodeLabel } from '../../worker/runtime/graph';
import type { RunMeter } from '../../worker/runtime/run-meter';
import type { Tensor } from '../../worker/runtime/tensor';
import { withDefaults } from './limits';
import { estimateElementOps } from './work-estimate';

export interface CompileBudgetLimits {
  /**
   * Node runs (each node of each subgraph run, and each subgraph run) per compile.
   * @default 1000000
   */
  readonly maxNodeRuns?: number;
  /**
   * Element operations per compile (a MatMul of [m, k] by [k, n] costs m*k*n).
   * @default 4000000000
   */
  readonly maxElementOps?: number;
  /**
   * Bytes of tensors materialized per compile (output buffers, folded constants, the slices
   * Loop nodes collect for their scan outputs).
   * @default 512 MiB
   */
  readonly maxBytes?: number;
}

export const DEFAULT_COMPILE_BUDGET: Required<CompileBudgetLimits> = {
  maxNodeRuns: 1_000_000,
  maxElementOps: 4_000_000_000,
  maxBytes: 512 * 1024 * 1024,
};

/** What the compile was doing when the budget ran out; each names its own fix. */
export type CompilePhase = 'folding constants' | 'probing output shapes';

const FIXES: Record<CompilePhase, string> = {
  'folding constants':
    'the model computes more from its constants than belongs in an edge artifact; compute such values from the inputs at run time or make the constants smaller',
  'probing output shapes':
    'the compiler runs the model on small zero inputs to find its output shapes (computing only what kernel plans cannot tell it), and this run does far more than an edge Worker could; check Loop trip counts and tensor sizes, or declare every graph output\'s shape so that the compiler need not run the model',
};

/** The budget ran out; a ModelError so that sessions and kernels pass it through unchanged. */
export class CompileBudgetError extends ModelError {}

interface Frame {
  /** the node running at this level (whose subgraph the next frame runs) */
  node?: Node;
}

/** Identity of a tensor's storage: views and reused buffers share it. */
function storageOf(t: Tensor): object {
  return t.dtype === 'string' ? t.data : (t.data as ArrayBufferView).buffer;
}

function bytesOf(t: Tensor): number {
  // strings: a pointer and a short string's header each, at least
  return t.dtype === 'string' ? t.size * 16 : (t.data as ArrayBufferView).byteLength;
}

const formatCount = (n: number): string => Math.round(n).toLocaleString('en-US');
const formatBytes = (n: number): string => `${(n / 1024 / 1024).toFixed(0)} MiB`;

export class CompileBudget implements RunMeter {
  readonly limits: Required<CompileBudgetLimits>;
  phase: CompilePhase = 'folding constants';
  nodeRuns = 0;
  elementOps = 0;
  bytes = 0;
  private readonly frames: Frame[] = [{}];
  private readonly charged = new WeakSet<object>();

  constructor(limits: CompileBudgetLimits = {}) {
    this.limits = withDefaults(DEFAULT_COMPILE_BUDGET, limits);
  }

  beforeNode(node: Node, inputs: ReadonlyArray<Tensor | undefined>): void {
    this.frames[this.frames.length - 1].node = node;
    this.countRun();
    const ops = estimateElementOps(node, inputs);
    if (this.elementOps + ops > this.limits.maxElementOps) {
      this.fail(`${formatCount(this.elementOps + ops)} element operations, above the limit of ${formatCount(this.limits.maxElementOps)}`);
    }
    this.elementOps += ops;
  }

  afterNode(_node: Node, inputs: ReadonlyArray<Tensor | undefined>, outputs: readonly Tensor[]): void {
    for (const t of outputs) {
      if (!t) continue;
      this.elementOps += t.size;
      const storage = storageOf(t);
      if (this.charged.has(storage) || inputs.some((x) => x && storageOf(x) === storage)) continue;
      this.chargeBytes(bytesOf(t));
      this.charged.add(storage);
    }
  }

  allocate(node: Node, bytes: number): void {
    // a node the shape probe does not run allocates its outputs without a beforeNode
    this.frames[this.frames.length - 1].node = node;
    this.chargeBytes(bytes);
  }

  allocated(tensor: Tensor): void {
    this.charged.add(storageOf(tensor));
  }

  enterSubgraph(_graph: Graph): void {
    this.countRun();
    this.frames.push({});
  }

  leaveSubgraph(outputs: readonly Tensor[] | undefined): void {
    this.frames.pop();
    // A Loop keeps a copy of every iteration's scan outputs (those after cond and the carried
    // values) until it stacks them; carried values replace each other and are not kept.
    const owner = this.frames[this.frames.length - 1].node;
    if (outputs && owner?.op === 'Loop') for (const t of outputs.slice(owner.inputs.length - 1)) this.chargeBytes(bytesOf(t));
  }

  /** A one-line summary for reports. */
  summary(): string {
    return `${formatCount(this.nodeRuns)} node runs, ${formatCount(this.elementOps)} element operations, ${formatBytes(this.bytes)} materialized`;
  }

  private countRun(): void {
    if (++this.nodeRuns > this.limits.maxNodeRuns) {
      this.fail(`more than ${formatCount(this.limits.maxNodeRuns)} node runs, the limit (each Loop iteration runs its body again, so nested loops multiply)`);
    }
  }

  private chargeBytes(bytes: number): void {
    if (this.bytes + bytes > this.limits.maxBytes) {
      this.fail(`${formatBytes(this.bytes + bytes)} of tensors materialized, above the limit of ${formatBytes(this.limits.maxBytes)}`);
    }
    this.bytes += bytes;
  }

  private fail(what: string): never {
    const path = this.frames
      .map((f) => f.node)
      .filter((n): n is Node => n !== undefined)
      .map(nodeLabel)
      .join(' > ');
    throw new CompileBudgetError(`${path || 'the model'}: the compile budget ran out while ${this.phase}: ${what}; ${FIXES[this.phase]}`);
  }
}

/** V8's messages for an allocation or the stack running out: resource exhaustion, not a model fault. */
const EXHAUSTION = /allocation failed|invalid (typed )?array length|maximum call stack|out of memory/i;

/** The resource-exhaustion error in `e` or its causes, if any: such failures must fail the compile. */
export function exhaustionIn(e: unknown): Error | undefined {
  for (let x = e, depth = 0; x instanceof Error && depth < 8; x = (x as Error & { cause?: unknown }).cause, depth++) {
    if (x instanceof RangeError && EXHAUSTION.test(x.message)) return x;
  }
  return undefined;
}
