// The op registry: one definition object per differentiable op, forward and backward together.
// Forward computes with kernels (never recorded); backward returns one thunk per input, written
// with other ops, evaluated only for inputs that need a gradient. Tests enumerate the registry,
// so an op cannot ship without a finite-difference gradient check.
import { Node, isGradEnabled, markOutputs, setGradEnabled } from '../autograd';
import type { Tensor } from '../tensor';

export interface BackwardContext<A> {
  inputs: readonly Tensor[];
  saved: readonly Tensor[];
  attrs: A;
}

/** What backward returns: per input, a thunk computing its gradient (called only if needed), or null. */
export type GradThunks = ((() => Tensor) | null)[];

export interface OpDef<A = any> {
  name: string;
  multiOutput?: false;
  forward(inputs: readonly Tensor[], attrs: A): Tensor;
  /** What backward needs: the forward's inputs and/or output (shared, freed after backward). */
  save?(inputs: readonly Tensor[], output: Tensor, attrs: A): Tensor[];
  backward?(ctx: BackwardContext<A>, dy: Tensor): GradThunks;
}

/**
 * An op whose forward returns several tensors (split, unbind). Recorded as ONE node that all outputs
 * share: its backward runs once, after every output's gradient is accumulated, and receives them
 * all (null for an output no gradient reached).
 */
export interface MultiOpDef<A = any> {
  name: string;
  multiOutput: true;
  /** Returns new handles, distinct from each other and from the inputs. */
  forward(inputs: readonly Tensor[], attrs: A): Tensor[];
  save?(inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: A): Tensor[];
  /** dys[j]: the gradient of output j, or null when nothing downstream of output j needs one. */
  backward?(ctx: BackwardContext<A>, dys: readonly (Tensor | null)[]): GradThunks;
}

export type AnyOpDef = OpDef | MultiOpDef;

export const registry = new Map<string, AnyOpDef>();

export function defineOp<A>(def: OpDef<A>): OpDef<A>;
export function defineOp<A>(def: MultiOpDef<A>): MultiOpDef<A>;
export function defineOp(def: AnyOpDef): AnyOpDef {
  if (registry.has(def.name)) throw new Error(`asgrad: op '${def.name}' defined twice`);
  registry.set(def.name, def);
  return def;
}

/** Checks the inputs are live; true when the call must be recorded. */
function mustRecord(op: AnyOpDef, inputs: readonly Tensor[]): boolean {
  let anyGrad = false;
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i];
    t._assertLive(op.name);
    if (t.requiresGrad) anyGrad = true;
  }
  return anyGrad && op.backward !== undefined && isGradEnabled();
}

/** Runs an op, recording a Node when grad is on and some input requires grad. */
export function run<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  const record = mustRecord(op, inputs);
  // The forward never records (a plain try/finally: this runs for every op, a closure costs).
  const prev = setGradEnabled(false);
  let out: Tensor;
  try { out = op.forward(inputs, attrs); } finally { setGradEnabled(prev); }
  if (record) {
    out.requiresGrad = true;
    const node = new Node(op, [...inputs], attrs, []);
    out._node = node;
    if (op.save) node.saved = op.save(inputs, out, attrs).map((t) => t._share(t === out));
  }
  return out;
}

/** Runs a multi-output op, recording one Node shared by all outputs (none when there are no outputs). */
export function runMulti<A>(op: MultiOpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor[] {
  const record = mustRecord(op, inputs);
  const prev = setGradEnabled(false);
  let outs: Tensor[];
  try { outs = op.forward(inputs, attrs); } finally { setGradEnabled(prev); }
  if (record && outs.length > 0) {
    const node = new Node(op, [...inputs], attrs, [], outs.length);
    markOutputs(node, outs);
    if (op.save) node.saved = op.save(inputs, outs, attrs).map((t) => t._share(outs.includes(t)));
  }
  return outs;
}
