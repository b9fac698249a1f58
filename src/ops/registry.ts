// The op registry: one definition object per differentiable op, forward and backward together.
// Forward computes with kernels (never recorded); backward returns one thunk per input, written
// with other ops, evaluated only for inputs that need a gradient. Tests enumerate the registry,
// so an op cannot ship without a finite-difference gradient check.
import { Node, isGradEnabled, setGradEnabled } from '../autograd';
import type { Tensor } from '../tensor';

export interface BackwardContext<A> {
  inputs: readonly Tensor[];
  saved: readonly Tensor[];
  attrs: A;
}

export interface OpDef<A = any> {
  name: string;
  forward(inputs: readonly Tensor[], attrs: A): Tensor;
  /** What backward needs: the forward's inputs and/or output (shared, freed after backward). */
  save?(inputs: readonly Tensor[], output: Tensor, attrs: A): Tensor[];
  backward?(ctx: BackwardContext<A>, dy: Tensor): (((() => Tensor) | null))[];
}

export const registry = new Map<string, OpDef>();

export function defineOp<A>(def: OpDef<A>): OpDef<A> {
  if (registry.has(def.name)) throw new Error(`asgrad: op '${def.name}' defined twice`);
  registry.set(def.name, def);
  return def;
}

/** Runs an op, recording a Node when grad is on and some input requires grad. */
export function run<A>(op: OpDef<A>, inputs: readonly Tensor[], attrs: A): Tensor {
  let anyGrad = false;
  for (let i = 0; i < inputs.length; i++) {
    const t = inputs[i];
    t._assertLive(op.name);
    if (t.requiresGrad) anyGrad = true;
  }
  const record = anyGrad && op.backward !== undefined && isGradEnabled();
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
