/**
 * Executes a model: binds every node to its kernel once (attributes parsed, value names resolved
 * to slot indices), then runs nodes in order on each request.
 *
 * Steady state allocates little: each node owns its output buffers (KernelContext.output hands
 * the same one back while dtype and shape are unchanged) and its kernel's plan (made again only
 * when the input signature changes, see node-context.ts), and callers receive copies of the graph
 * outputs, so a reused buffer never escapes. Subgraphs (If branches) are planned at load too; a
 * subgraph sees the values of its enclosing graphs by name.
 */
import { InferenceInputError, ModelError } from './errors';
import type { Dim, Graph, Model, Node, ValueInfo } from './graph';
import { isGraph, nodeLabel } from './graph';
import { AttributeReader, outputsAsList, type AnyKernel, type KernelOutputs } from './kernel';
import type { KernelLookup } from './kernel-set';
import { NodeContext } from './node-context';
import type { RunMeter } from './run-meter';
import { Tensor, sizeOf } from './tensor';

interface PlannedNode {
  readonly node: Node;
  readonly kernel: AnyKernel;
  readonly attrs: unknown;
  /** -1 for an omitted optional input / output */
  readonly inputSlots: Int32Array;
  readonly outputSlots: Int32Array;
  /** the names this node reads, its subgraphs' outer references included (for pruning) */
  readonly reads: readonly string[];
  readonly ctx: NodeContext;
  readonly inputsBuf: Array<Tensor | undefined>;
}

interface Plan {
  readonly graph: Graph;
  readonly slotOf: ReadonlyMap<string, number>;
  /** slot values at the start of a run: initializers filled in, everything else undefined */
  readonly base: ReadonlyArray<Tensor | undefined>;
  readonly inputSlots: readonly number[];
  readonly outputSlots: readonly number[];
  /** names this graph reads from enclosing graphs, with the local slot they land in */
  readonly outerRefs: ReadonlyArray<readonly [number, string]>;
  readonly nodes: readonly PlannedNode[];
  readonly orderCache: Map<string, readonly PlannedNode[]>;
}

interface Scope {
  plan: Plan;
  values: Array<Tensor | undefined>;
  parent: Scope | undefined;
}

/** Options of InferenceSession.create. */
export interface SessionOptions {
  /** The kernels nodes bind to: every kernel (kernels/registry.ts `allKernels`), or a Worker's own. */
  readonly kernels: KernelLookup;
  /** Observes and may stop every run (the compiler's budget); none in the Worker. */
  readonly meter?: RunMeter;
  /**
   * Shapes rather than values (the compiler's output-shape and working-set probes): a node whose
   * kernel plan states large outputs yields zero tensors of those shapes instead of running; see
   * NodeContext.plannedZeros. Never set in the Worker.
   */
  readonly shapesOnly?: boolean;
}

/** A missing kernel, collected so that all of them are reported together. */
interface MissingKernel {
  readonly node: Node;
  readonly opset: number;
}

export class InferenceSession {
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  private readonly plans = new Map<Graph, Plan>();
  private readonly root: Plan;
  private scope: Scope | undefined;
  // Per-run bookkeeping prepared once, so that a run allocates little beyond its outputs.
  private readonly outputNames: readonly string[];
  private readonly inputNames: ReadonlySet<string>;
  /** whether some symbolic dimension name appears in more than one input (then they must agree) */
  private readonly sharedSymbols: boolean;
  /** the root graph's slot values, reused by every run and cleared after it */
  private readonly rootValues: Array<Tensor | undefined>;
  /** the root graph's execution order for all outputs (the default run) */
  private readonly defaultOrder: readonly PlannedNode[];
  /** the scope record of a root-graph run, reused by every run */
  private readonly rootScope: Scope;
  /** runSubgraph bound once, for the node contexts */
  private readonly runSubgraphBound = (graph: Graph, bindings?: ReadonlyMap<string, Tensor>): Tensor[] => this.runSubgraph(graph, bindings);

  readonly meter: RunMeter | undefined;
  private readonly shapesOnly: boolean;
  private readonly kernels: KernelLookup;

  private constructor(
    readonly model: Model,
    options: SessionOptions,
  ) {
    this.meter = options.meter;
    this.kernels = options.kernels;
    this.shapesOnly = options.shapesOnly === true;
    this.inputs = model.graph.inputs;
    this.outputs = model.graph.outputs;
    this.outputNames = this.outputs.map((o) => o.name);
    this.inputNames = new Set(this.inputs.map((v) => v.name));
    const symbolUses = this.inputs.flatMap((v) => [...new Set((v.shape ?? []).filter((d): d is string => typeof d === 'string' && d !== ''))]);
    this.sharedSymbols = new Set(symbolUses).size < symbolUses.length;
    const missing: MissingKernel[] = [];
    this.root = this.plan(model.graph, new Set(), missing, true);
    this.rootValues = this.root.base.slice();
    this.defaultOrder = this.orderFor(this.root, this.outputNames);
    this.rootScope = { plan: this.root, values: this.rootValues, parent: undefined };
    if (missing.length > 0) {
      const list = missing.map((m) => `${nodeLabel(m.node)} (domain "${m.node.domain || 'ai.onnx'}", opset ${m.opset})`);
      throw new ModelError(`no kernel for ${missing.length} node(s): ${list.join('; ')}`);
    }
  }

  /** Binds every node of the model to its kernel; throws a ModelError listing every missing kernel. */
  static create(model: Model, options: SessionOptions): InferenceSession {
    return new InferenceSession(model, options);
  }

  private opsetOf(domain: string): number {
    const v = this.model.opsets[domain] ?? (domain === 'ai.onnx' ? this.model.opsets[''] : undefined);
    return v ?? 1;
  }

  private plan(graph: Graph, outerNames: ReadonlySet<string>, missing: MissingKernel[], isRoot: boolean): Plan {
    const slotOf = new Map<string, number>();
    const base: Array<Tensor | undefined> = [];
    const slot = (name: string): number => {
      let s = slotOf.get(name);
      if (s === undefined) {
        s = base.length;
        slotOf.set(name, s);
        base.push(undefined);
      }
      return s;
    };
    const defined = new Set<string>();
    for (const [name, t] of graph.initializers) {
      base[slot(name)] = t;
      defined.add(name);
    }
    const graphInputs = new Set(graph.inputs.map((v) => v.name));
    const weightNames = new Set([...graph.initializers.keys()].filter((n) => !graphInputs.has(n)));
    const inputSlots = graph.inputs.map((v) => {
      defined.add(v.name);
      return slot(v.name);
    });
    const outerRefs: Array<[number, string]> = [];
    const use = (name: string, user: string): number => {
      if (name === '') return -1;
      if (!defined.has(name)) {
        if (!outerNames.has(name)) {
          throw new ModelError(`${user} uses value "${name}", which no earlier node, graph input or initializer produces`);
        }
        defined.add(name);
        outerRefs.push([slot(name), name]);
      }
      return slot(name);
    };
    const nodes: PlannedNode[] = [];
    for (const node of graph.nodes) {
      const label = nodeLabel(node);
      const reads = node.inputs.filter((n) => n !== '');
      const inputSlots = Int32Array.from(node.inputs, (n) => use(n, label));
      for (const value of Object.values(node.attributes)) {
        const subgraphs = isGraph(value as never) ? [value as Graph] : Array.isArray(value) && value.length > 0 && isGraph(value[0] as never) ? (value as Graph[]) : [];
        if (subgraphs.length === 0) continue;
        // Subgraphs see everything defined so far here and in the enclosing graphs (built only
        // for nodes that hold subgraphs: per node it would make planning quadratic).
        const visible = new Set([...outerNames, ...defined]);
        for (const g of subgraphs) {
          const sub = this.plans.get(g) ?? this.plan(g, visible, missing, false);
          for (const [, name] of sub.outerRefs) {
            reads.push(name);
            use(name, label);
          }
        }
      }
      const opset = this.opsetOf(node.domain);
      const kernel = this.kernels.find(node.domain, node.op);
      if (!kernel) missing.push({ node, opset });
      const attrs = kernel?.attributes ? kernel.attributes(new AttributeReader(node), opset) : undefined;
      for (const out of node.outputs) if (out !== '') defined.add(out);
      const outputSlots = Int32Array.from(node.outputs, (n) => (n === '' ? -1 : slot(n)));
      // Weights (initializers not overridable as graph inputs) are the same tensor every run: the
      // kernel's plan may derive packed layouts of them.
      const constants = node.inputs.map((n) => (weightNames.has(n) ? graph.initializers.get(n) : undefined));
      nodes.push({
        node,
        kernel: kernel as AnyKernel,
        attrs,
        inputSlots,
        outputSlots,
        reads,
        ctx: new NodeContext(node, opset, this.runSubgraphBound, constants, this.meter),
        inputsBuf: new Array(node.inputs.length).fill(undefined),
      });
    }
    const outputSlots = graph.outputs.map((v) => use(v.name, isRoot ? `graph output "${v.name}"` : `subgraph "${graph.name}" output "${v.name}"`));
    const plan: Plan = { graph, slotOf, base, inputSlots, outputSlots, outerRefs, nodes, orderCache: new Map() };
    this.plans.set(graph, plan);
    return plan;
  }

  /** The nodes needed for the given outputs, in execution order (cached per output set). */
  private orderFor(plan: Plan, outputNames: readonly string[]): readonly PlannedNode[] {
    const key = outputNames.join('\u0000');
    let order = plan.orderCache.get(key);
    if (!order) {
      const needed = new Set(outputNames);
      const kept: PlannedNode[] = [];
      for (let i = plan.nodes.length - 1; i >= 0; i--) {
        const pn = plan.nodes[i];
        if (!pn.node.outputs.some((o) => needed.has(o))) continue;
        kept.push(pn);
        for (const r of pn.reads) needed.add(r);
      }
      order = kept.reverse();
      plan.orderCache.set(key, order);
    }
    return order;
  }

  /**
   * Runs the model. `outputNames` selects graph outputs (default: all); only the nodes they need
   * run. Returns fresh tensors the caller owns.
   */
  run(feeds: Readonly<Record<string, Tensor>>, outputNames?: readonly string[]): Record<string, Tensor> {
    const names = outputNames ?? this.outputNames;
    if (outputNames) {
      for (let i = 0; i < names.length; i++) {
        const name = names[i];
        if (!this.outputNames.includes(name)) {
          throw new InferenceInputError(`unknown output "${name}"; the model's outputs are: ${this.outputNames.join(', ')}`);
        }
      }
    }
    this.validateFeeds(feeds);
    const plan = this.root;
    const values = this.rootValues;
    const inputs = plan.graph.inputs;
    for (let i = 0; i < inputs.length; i++) values[plan.inputSlots[i]] = feeds[inputs[i].name];
    try {
      this.execute(plan, values, outputNames ? this.orderFor(plan, names) : this.defaultOrder, undefined);
      const result: Record<string, Tensor> = {};
      for (let i = 0; i < names.length; i++) {
        const name = names[i];
        const t = values[plan.slotOf.get(name)!];
        if (!t) throw new ModelError(`graph output "${name}" was not produced (a node returned fewer outputs than it declares)`);
        result[name] = t.clone();
      }
      return result;
    } finally {
      // back to initializers only: no request's tensors stay reachable between runs
      for (let i = 0; i < values.length; i++) values[i] = plan.base[i];
    }
  }

  /** Runs a subgraph in the scope of the node currently executing (If branches, loop bodies). */
  runSubgraph(graph: Graph, bindings?: ReadonlyMap<string, Tensor>): Tensor[] {
    const plan = this.plans.get(graph);
    if (!plan) throw new ModelError(`subgraph "${graph.name}" is not part of this model`);
    const values = plan.base.slice();
    if (bindings) {
      for (const [name, t] of bindings) {
        const s = plan.slotOf.get(name);
        if (s !== undefined) values[s] = t;
      }
    }
    for (const [s, name] of plan.outerRefs) values[s] = lookup(this.scope, name);
    let outputs: Tensor[] | undefined;
    this.meter?.enterSubgraph(graph);
    try {
      this.execute(plan, values, plan.nodes, this.scope);
      outputs = plan.outputSlots.map((s, i) => {
        const t = values[s];
        if (!t) throw new ModelError(`subgraph "${graph.name}" did not produce its output "${graph.outputs[i].name}"`);
        return t;
      });
    } finally {
      this.meter?.leaveSubgraph(outputs);
    }
    return outputs;
  }

  private execute(plan: Plan, values: Array<Tensor | undefined>, order: readonly PlannedNode[], parent: Scope | undefined): void {
    const saved = this.scope;
    // a root run reuses one scope record; subgraph runs (nested, possibly re-entrant) get their own
    const root = values === this.rootValues;
    this.scope = root ? this.rootScope : { plan, values, parent };
    try {
      for (let p = 0; p < order.length; p++) {
        const pn = order[p];
        const { inputSlots, inputsBuf, outputSlots } = pn;
        for (let i = 0; i < inputSlots.length; i++) inputsBuf[i] = inputSlots[i] < 0 ? undefined : values[inputSlots[i]];
        let outputs: KernelOutputs | undefined;
        try {
          outputs = this.shapesOnly ? pn.ctx.plannedZeros(pn.kernel, pn.attrs, inputsBuf) : undefined;
          if (outputs === undefined) {
            this.meter?.beforeNode(pn.node, inputsBuf);
            outputs = pn.ctx.runNode(pn.kernel, pn.attrs, inputsBuf);
            this.meter?.afterNode(pn.node, inputsBuf, outputsAsList(outputs));
          }
        } catch (e) {
          if (e instanceof InferenceInputError || e instanceof ModelError) throw e;
          const err = new Error(`${nodeLabel(pn.node)} failed: ${(e as Error)?.message ?? String(e)}`);
          (err as Error & { cause?: unknown }).cause = e;
          throw err;
        } finally {
          inputsBuf.fill(undefined);
        }
        if (outputs instanceof Tensor) {
          if (outputSlots.length > 0 && outputSlots[0] >= 0) values[outputSlots[0]] = outputs;
        } else {
          const n = Math.min(outputs.length, outputSlots.length);
          for (let i = 0; i < n; i++) if (outputSlots[i] >= 0) values[outputSlots[i]] = outputs[i];
        }
      }
    } finally {
      this.scope = saved;
    }
  }

  private validateFeeds(feeds: Readonly<Record<string, Tensor>>): void {
    let given = 0;
    let unknownNames = false;
    for (const name in feeds) {
      given++;
      if (!this.inputNames.has(name)) unknownNames = true;
    }
    if (unknownNames || given !== this.inputs.length || !this.allInputsFed(feeds)) {
      this.throwFeedNames(feeds);
    }
    const symbols = this.sharedSymbols ? new Map<string, [number, string]>() : undefined;
    for (let n = 0; n < this.inputs.length; n++) {
      const info = this.inputs[n];
      const t = feeds[info.name];
      if (!(t instanceof Tensor)) throw new InferenceInputError(`input "${info.name}" is not a Tensor`);
      if (t.dtype !== info.dtype) {
        throw new InferenceInputError(`input "${info.name}" has dtype ${t.dtype}, but the model expects ${info.dtype}`);
      }
      if (t.data.length !== sizeOf(t.shape)) {
        throw new InferenceInputError(`input "${info.name}" has ${t.data.length} values, but its shape [${t.shape.join(', ')}] needs ${sizeOf(t.shape)}`);
      }
      const shape = info.shape;
      if (!shape) continue;
      if (t.shape.length !== shape.length) {
        throw new InferenceInputError(
          `input "${info.name}" has rank ${t.shape.length} (shape [${t.shape.join(', ')}]), but the model expects rank ${shape.length} (${shapeText(shape)})`,
        );
      }
      for (let i = 0; i < shape.length; i++) {
        const d = shape[i];
        const got = t.shape[i];
        if (typeof d === 'number' && d !== got) {
          throw new InferenceInputError(`input "${info.name}" has shape [${t.shape.join(', ')}], but the model expects ${shapeText(shape)} (dimension ${i} must be ${d})`);
        }
        if (symbols && typeof d === 'string' && d !== '') {
          const seen = symbols.get(d);
          if (seen && seen[0] !== got) {
            throw new InferenceInputError(
              `dimension "${d}" is ${seen[0]} in input "${seen[1]}" but ${got} in input "${info.name}"; inputs sharing a dimension name must agree`,
            );
          }
          symbols.set(d, [got, info.name]);
        }
      }
    }
  }

  private allInputsFed(feeds: Readonly<Record<string, Tensor>>): boolean {
    for (let i = 0; i < this.inputs.length; i++) if (feeds[this.inputs[i].name] === undefined) return false;
    return true;
  }

  /** The error for feeds whose names do not match the model's inputs. */
  private throwFeedNames(feeds: Readonly<Record<string, Tensor>>): never {
    const missing = this.inputs.filter((v) => feeds[v.name] === undefined).map((v) => v.name);
    const unknown = Object.keys(feeds).filter((n) => !this.inputNames.has(n));
    const parts: string[] = [];
    if (missing.length) parts.push(`missing input${missing.length > 1 ? 's' : ''} ${missing.map((n) => `"${n}"`).join(', ')}`);
    if (unknown.length) parts.push(`unknown input${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}`);
    throw new InferenceInputError(`${parts.join('; ')}; the model's inputs are: ${this.inputs.map(describeInput).join(', ')}`);
  }
}

function lookup(scope: Scope | undefined, name: string): Tensor | undefined {
  for (let s = scope; s; s = s.parent) {
    const slot = s.plan.slotOf.get(name);
    if (slot !== undefined && s.values[slot] !== undefined) return s.values[slot];
  }
  return undefined;
}

function shapeText(shape: readonly Dim[]): string {
  return `[${shape.map((d) => (d === null ? '?' : d)).join(', ')}]`;
}

function describeInput(v: ValueInfo): string {
  return `"${v.name}" (${v.dtype}${v.shape ? ` ${shapeText(v.shape)}` : ''})`;
}
