// OnnxModule: an imported ONNX graph as an nn Module. Float initializers become parameters
// (BatchNormalization's running statistics buffers) under their ONNX names, split at '.' into
// submodules, so stateDict() keys match PyTorch's for a PyTorch export and the model fine-tunes
// like any other; forward runs the nodes in order with asgrad's differentiable ops.
import { isGradEnabled, noGrad } from '../../../autograd';
import { keep, tidy } from '../../../memory';
import { Module } from '../../../nn/module';
import type { Tensor } from '../../../tensor';
import { check, fmtShape } from '../../../util/errors';
import { Attrs, nodeError, type OnnxOp, type OpContext } from './attrs';
import type { GraphProto, ModelProto, NodeProto, ValueInfo } from './model_proto';
import { ONNX_OPS } from './ops';
import { dataToTensor, dataTypeName, dtypeOf } from './tensor_proto';
import { staticFacts, type StaticFacts } from './static_values';
import { FoldCache, type FoldRecord } from './fold_cache';

/** Holds the parameters under one dotted prefix. */
class Prefix extends Module<[], never> {
  forward(): never { throw new Error('asgrad.OnnxModule: a parameter prefix has no forward'); }
  typeName(): string { return 'Prefix'; }
}

/** Values by name: a graph's own, its folded ones, then (for If branches) the enclosing graphs'. */
class Scope {
  readonly own = new Map<string, Tensor>();
  folded: Map<string, Tensor> | null = null;
  constructor(readonly parent: Scope | null) {}
  get(name: string): Tensor | undefined { return this.own.get(name) ?? this.folded?.get(name) ?? this.parent?.get(name); }
}

/**
 * One node's step in a graph's run plan; `frees` are the values whose last reader (or writer,
 * when unread) it is; `fold`: its outputs are fixed by the input shapes (static_values.ts).
 */
type Plan = { node: NodeProto; op: OnnxOp; attrs: Attrs; frees: string[]; fold: boolean }[];

/** The context a converter runs in (a class, not closures per node: this runs for every node of every call). */
class NodeContext implements OpContext {
  readonly opset: number;
  constructor(private readonly owner: OnnxModule, readonly node: NodeProto, private readonly scope: Scope, private readonly borrowed: Set<Tensor>) {
    this.opset = owner.opset;
  }
  runGraph(g: GraphProto): Tensor[] { return this.owner._runSubgraph(g, this.scope, this.borrowed); }
  inputType(i: number): number { return this.owner._declaredType(this.node.inputs[i]); }
}

/** Every name a node reads, including inside its subgraphs (If branches read the outer scope). */
function readsOf(node: NodeProto, into: Set<string>): Set<string> {
  for (const i of node.inputs) if (i) into.add(i);
  for (const a of node.attrs.values()) if (a.g) for (const n of a.g.nodes) readsOf(n, into);
  return into;
}

/** Initializer names read at BatchNormalization's mean / var inputs: buffers, as PyTorch's running stats. */
function runningStats(g: GraphProto): Set<string> {
  const s = new Set<string>();
  for (const n of g.nodes) if (n.opType === 'BatchNormalization') { s.add(n.inputs[3]); s.add(n.inputs[4]); }
  return s;
}

export class OnnxModule extends Module<Tensor[], Tensor | Tensor[]> {
  /** The graph's inputs, in order (forward's arguments), without initializers. */
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly opset: number;
  readonly producer: string;
  private readonly graph: GraphProto;
  /** Initializers by ONNX name (the registered parameters and buffers themselves): the scope every run's values sit in. */
  private readonly consts = new Scope(null);
  /** The element types the graph declares for its inputs and initializers (OpContext.inputType). */
  private readonly declared = new Map<string, number>();
  private readonly plans = new WeakMap<GraphProto, Plan>();
  /** Initializers of subgraphs (If branches): constants, not trained. */
  private readonly subConsts = new Map<GraphProto, Map<string, Tensor>>();
  /** What the enclosing graph knows at each subgraph (static_values.ts), set when it is planned. */
  private readonly outerFacts = new WeakMap<GraphProto, StaticFacts>();
  /** The shape arithmetic's values, computed once per input signature. */
  private readonly folds = new FoldCache();
  /** The running forward's input signature (dtypes and shapes). */
  private signature = '';

  constructor(model: ModelProto) {
    super();
    this.graph = model.graph;
    this.opset = model.opset;
    this.producer = model.producer;
    check(this.opset >= 6, 'importOnnx', () => `the model uses opset ${this.opset}; opsets from 6 are supported`);
    for (const n of model.graph.nodes) this.checkSupported(n);
    const stats = runningStats(model.graph);
    for (const d of model.graph.initializers) {
      const t = dataToTensor(d);
      this.register(d.name, t, t.dtype !== 'float32' || stats.has(d.name));
      this.consts.own.set(d.name, t);
    }
    this.inputs = model.graph.inputs.filter((v) => !this.consts.own.has(v.name));
    for (const v of model.graph.inputs) if (v.elemType) this.declared.set(v.name, v.elemType);
    for (const d of model.graph.initializers) this.declared.set(d.name, d.dataType);
    this.outputs = model.graph.outputs;
    this.training = false;
    this.loadSubgraphConstants(model.graph);
  }

  private loadSubgraphConstants(g: GraphProto): void {
    for (const n of g.nodes) {
      for (const a of n.attrs.values()) {
        if (!a.g) continue;
        const consts = new Map(a.g.initializers.map((d) => { this.declared.set(d.name, d.dataType); return [d.name, keep(dataToTensor(d))]; }));
        this.subConsts.set(a.g, consts);
        this.loadSubgraphConstants(a.g);
      }
    }
  }

  dispose(): void {
    this.folds.clear();
    super.dispose();
    for (const consts of this.subConsts.values()) for (const t of consts.values()) t.dispose();
  }

  /** Loads as Module does, and forgets the folded values (they may read the loaded int constants). */
  loadStateDict(...args: Parameters<Module['loadStateDict']>): ReturnType<Module['loadStateDict']> {
    this.folds.clear();
    return super.loadStateDict(...args);
  }

  typeName(): string { return 'OnnxModule'; }

  extraRepr(): string {
    const io = (vs: readonly ValueInfo[]) => vs.map((v) => `${v.name}: [${(v.dims ?? []).map((d) => d ?? '?').join(', ')}]`).join(', ');
    return `inputs=(${io(this.inputs)}), outputs=(${io(this.outputs)}), nodes=${this.graph.nodes.length}, opset=${this.opset}`;
  }

  private checkSupported(n: NodeProto): void {
    if (n.domain !== '' && n.domain !== 'ai.onnx') nodeError(n, `ops of the domain '${n.domain}' are not supported`);
    if (!ONNX_OPS[n.opType]) nodeError(n, `the op is not supported by asgrad's importer (supported: ${Object.keys(ONNX_OPS).sort().join(', ')})`);
    for (const a of n.attrs.values()) if (a.g) for (const m of a.g.nodes) this.checkSupported(m);
  }

  /** Registers `t` under its dotted ONNX name (submodules per segment); names that cannot nest keep their dots as '_'. */
  private register(name: string, t: Tensor, buffer: boolean): void {
    const parts = name.split('.');
    let owner: Module<never[], unknown> = this as unknown as Module<never[], unknown>;
    let leaf = name.replace(/\./g, '_') || '_';
    if (parts.length > 1 && parts.every((p) => p.length > 0)) {
      let m: Module<never[], unknown> | null = owner;
      for (const p of parts.slice(0, -1)) {
        const child = m.namedChildren().find(([k]) => k === p)?.[1] as Module<never[], unknown> | undefined;
        const clash = m.namedParameters('', false).some(([k]) => k === p) || m.namedBuffers('', false).some(([k]) => k === p);
        if (clash) { m = null; break; }
        m = child ?? m.registerModule(p, new Prefix());
      }
      if (m && !m.namedChildren().some(([k]) => k === parts[parts.length - 1])) { owner = m; leaf = parts[parts.length - 1]; }
    }
    if (buffer) owner.registerBuffer(leaf, t); else owner.registerParameter(leaf, t);
  }

  private checkInput(v: ValueInfo, x: Tensor): void {
    check(x?._isTensor, 'OnnxModule', () => `input '${v.name}' must be a tensor, got ${x === null ? 'null' : typeof x}`);
    const want = v.elemType ? dtypeOf(v.elemType) : null;
    check(!v.elemType || want, 'OnnxModule', () => `input '${v.name}' is ${dataTypeName(v.elemType)} in the model, which asgrad cannot hold (it has float32, int32 and bool)`);
    check(!want || want === x.dtype, 'OnnxModule', () => `input '${v.name}' is ${dataTypeName(v.elemType)} in the model (asgrad ${want}), got a ${x.dtype} tensor`);
    const dims = v.dims;
    check(!dims || (dims.length === x.ndim && dims.every((d, i) => typeof d !== 'number' || d <= 0 || d === x.shape[i])), 'OnnxModule', () =>
      `input '${v.name}' has shape [${dims!.map((d) => d ?? '?').join(', ')}] in the model, got ${fmtShape(x.shape)}`);
  }

  /** Runs the graph on the inputs in order: one output as a Tensor, several as an array. */
  forward(...xs: Tensor[]): Tensor | Tensor[] {
    check(xs.length === this.inputs.length, 'OnnxModule', () =>
      `expects ${this.inputs.length} input(s) (${this.inputs.map((v) => v.name).join(', ')}), got ${xs.length}`);
    // Initializers in the parent scope: runGraph frees only the scope's own values.
    const scope = new Scope(this.consts);
    this.inputs.forEach((v, i) => { this.checkInput(v, xs[i]); scope.own.set(v.name, xs[i]); });
    const outer = this.signature;
    this.signature = xs.map((x) => `${x.dtype}[${x.shape.join(',')}]`).join(' ');
    try {
      const outs = this.runGraph(this.graph, scope, new Set(xs));
      return outs.length === 1 ? outs[0] : outs;
    } finally { this.signature = outer; }
  }

  /**
   * onnxruntime's `session.run`: feeds by input name, outputs by name, without gradients.
   * The outputs are new tensors the caller disposes.
   */
  run(feeds: Record<string, Tensor>): Record<string, Tensor> {
    check(feeds !== null && typeof feeds === 'object', 'OnnxModule.run', () => `expected an object of input name -> tensor, got ${feeds === null ? 'null' : typeof feeds}`);
    for (const k of Object.keys(feeds)) {
      check(this.inputs.some((v) => v.name === k), 'OnnxModule.run', () => `the model has no input '${k}' (inputs: ${this.inputs.map((v) => v.name).join(', ')})`);
    }
    const xs = this.inputs.map((v) => {
      check(feeds[v.name] !== undefined, 'OnnxModule.run', () => `missing the input '${v.name}'`);
      return feeds[v.name];
    });
    return noGrad(() => tidy(() => {
      const out = this.forward(...xs);
      const list = Array.isArray(out) ? out : [out];
      return Object.fromEntries(this.outputs.map((v, i) => [v.name, keep(list[i])]));
    }));
  }


  /** The graph's run plan, computed once: each node's converter and attributes, and the values it reads last. */
  private planOf(g: GraphProto): Plan {
    let plan = this.plans.get(g);
    if (plan) return plan;
    const lastRead = new Map<string, number>();
    g.nodes.forEach((n, i) => { for (const name of readsOf(n, new Set())) lastRead.set(name, i); });
    for (const v of g.outputs) lastRead.set(v.name, Infinity);
    const { facts, foldable } = staticFacts(g, this.outerFacts.get(g) ?? { shapeKnown: new Set(), valueKnown: new Set() }, this.constantsOf);
    for (const n of g.nodes) for (const a of n.attrs.values()) if (a.g) this.outerFacts.set(a.g, facts);
    plan = g.nodes.map((node, i) => {
      const touched = readsOf(node, new Set());
      for (const name of node.outputs) if (name) touched.add(name);
      return { node, op: ONNX_OPS[node.opType], attrs: new Attrs(node), frees: [...touched].filter((name) => (lastRead.get(name) ?? -1) <= i), fold: foldable[i] };
    });
    this.plans.set(g, plan);
    return plan;
  }

  /** The initializers whose values are fixed: the main graph's non-float ones (float ones are parameters), a subgraph's all. */
  private readonly constantsOf = (g: GraphProto): string[] => g === this.graph
    ? g.initializers.filter((d) => this.consts.own.get(d.name)!.dtype !== 'float32').map((d) => d.name)
    : [...(this.subConsts.get(g)?.keys() ?? [])];

  /** @internal Runs subgraph `g` (an If branch) inside `parent`. */
  _runSubgraph(g: GraphProto, parent: Scope, borrowed: Set<Tensor>): Tensor[] {
    const s = new Scope(parent);
    for (const [name, t] of this.subConsts.get(g) ?? []) s.own.set(name, t);
    return this.runGraph(g, s, borrowed);
  }

  /** @internal The element type the model declares for a value (0 when it declares none). */
  _declaredType(name: string): number { return this.declared.get(name) ?? 0; }

  /**
   * Runs `g`'s nodes in order. Without gradients, a value is disposed after its last reader;
   * with them, tidy (call, or the caller's) frees the intermediates. Returns g's outputs as
   * tensors the graph does not own (initializers and inputs passed through are cloned).
   * Foldable nodes run on the first call with an input signature, recording their outputs, and
   * are skipped after (their values are read from the record).
   */
  private runGraph(g: GraphProto, scope: Scope, borrowed: Set<Tensor>): Tensor[] {
    const plan = this.planOf(g);
    const record = this.folds.recordFor(this.signature, g);
    const replay = record.complete;
    scope.folded = record.values;
    try {
      const outs = this.runNodes(g, plan, scope, borrowed, replay ? null : record);
      record.complete = true;
      return outs;
    } catch (e) {
      this.folds.drop(this.signature, g);
      throw e;
    }
  }

  /** runGraph's loop: `record` (the first run with this signature) takes the foldable nodes' outputs; null: they are skipped. */
  private runNodes(g: GraphProto, plan: Plan, scope: Scope, borrowed: Set<Tensor>, record: FoldRecord | null): Tensor[] {
    const free = !isGradEnabled();
    const missing = new Map<string, NodeProto>();
    const holders = new Map<Tensor, number>();
    for (const { node, op, attrs, frees, fold } of plan) {
      if (fold && !record) continue;
      const inputs: (Tensor | undefined)[] = [];
      for (const name of node.inputs) {
        let t: Tensor | undefined;
        if (name && !(t = scope.get(name))) {
          const from = missing.get(name);
          nodeError(node, from ? `reads '${name}', output of node '${from.name}' (${from.opType}), which asgrad does not compute`
            : `reads '${name}', which no input, initializer or earlier node provides`);
        }
        inputs.push(t);
      }
      while (inputs.length && inputs[inputs.length - 1] === undefined) inputs.pop();
      const r = op(inputs, attrs, new NodeContext(this, node, scope, borrowed));
      const results = Array.isArray(r) ? r : [r];
      if (fold) {
        results.forEach((t, k) => { if (node.outputs[k]) record!.add(node.outputs[k], t, !inputs.includes(t)); else if (!inputs.includes(t)) t.dispose(); });
        node.outputs.forEach((name, k) => { if (name && !results[k]) missing.set(name, node); });
        continue;
      }
      results.forEach((t, k) => {
        const name = node.outputs[k];
        // A converter may pass an input through (Identity): the graph holds it only if it held it before.
        const owned = !inputs.includes(t) || holders.has(t);
        if (!name) { if (owned && !holders.has(t)) t.dispose(); return; }
        scope.own.set(name, t);
        if (owned) holders.set(t, (holders.get(t) ?? 0) + 1);
      });
      node.outputs.forEach((name, k) => { if (name && !results[k]) missing.set(name, node); });
      if (!free) continue;
      for (const name of frees) {
        const t = scope.own.get(name);
        if (!t || !holders.has(t)) continue;
        scope.own.delete(name);
        const left = holders.get(t)! - 1;
        if (left > 0) holders.set(t, left); else { holders.delete(t); t.dispose(); }
      }
    }
    return g.outputs.map((v) => {
      const t = scope.get(v.name);
      if (!t) {
        const from = missing.get(v.name);
        throw new Error(`asgrad.importOnnx: the graph output '${v.name}' ${from ? `comes from node '${from.name}' (${from.opType}), which does not compute it` : 'is not computed by any node'}`);
      }
      return holders.has(t) && !borrowed.has(t) ? t : t.clone();
    });
  }
}
