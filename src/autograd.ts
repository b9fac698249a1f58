// The define-by-run tape. Each recorded op call is a Node {op, inputs, saved} that its outputs point
// at (several outputs for a multi-output op such as split). backward() sorts the nodes iteratively
// (no recursion: 10,000-op chains are fine), walks them in reverse, accumulates each output's
// gradient in its node's slot, runs each node's backward once with all its slots, and frees the
// node's saved tensors once its backward has run.
//
// Node lifetime is refcounted: one reference from each output handle, one from each consumer node.
// Disposing every handle of a graph frees its saved tensors even if backward never ran.
import type { Tensor } from './tensor';
import type { AnyOpDef } from './ops/registry';

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Sets whether ops record, returning the previous setting (for library code that restores it in a finally). */
export function setGradEnabled(on: boolean): boolean {
  const prev = gradEnabled;
  gradEnabled = on;
  return prev;
}

/** Runs fn with gradient recording off (torch.no_grad). */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try { return fn(); } finally { gradEnabled = prev; }
}

/** Runs fn with gradient recording on, even inside noGrad (torch.enable_grad). */
export function enableGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = true;
  try { return fn(); } finally { gradEnabled = prev; }
}

export class Node {
  refs: number;
  /** Saved tensors were released (after backward without retainGraph, or when unreachable). */
  freed = false;
  constructor(
    readonly op: AnyOpDef,
    readonly inputs: Tensor[],
    readonly attrs: unknown,
    public saved: Tensor[],
    /** Number of outputs (1 unless op.multiOutput). */
    readonly nOut = 1,
  ) {
    this.refs = nOut;
    for (const t of inputs) if (t._node) t._node.refs++;
  }

  releaseSaved(): void {
    if (this.freed) return;
    this.freed = true;
    for (const s of this.saved) s.dispose();
    this.saved = [];
  }

  /** Drops one reference; at zero frees saved tensors and drops the inputs' nodes (iteratively: long chains). */
  unref(): void {
    const stack: Node[] = [this];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (--n.refs > 0) continue;
      n.releaseSaved();
      for (const t of n.inputs) if (t._node) stack.push(t._node);
    }
  }
}

export interface BackwardOptions {
  /** Keep saved tensors so backward can run through this graph again (default: createGraph, as PyTorch). */
  retainGraph?: boolean;
  /** Record the backward pass itself, for higher-order gradients. */
  createGraph?: boolean;
}

/** The handle a tensor's gradient is keyed by: saved copies stand for the handle they copy. */
const key = (t: Tensor): Tensor => t._origin ?? t;

/** Output index of each output handle of a multi-output node (single-output nodes: always 0). */
const outIndex = new WeakMap<Tensor, number>();

/** Makes `outs` the outputs of a multi-output node (called by runMulti). */
export function markOutputs(node: Node, outs: readonly Tensor[]): void {
  outs.forEach((t, j) => {
    t.requiresGrad = true;
    t._node = node;
    outIndex.set(t, j);
  });
}

/** Where a gradient accumulates: a recorded tensor's node (one slot per output), or a leaf itself. */
type Vertex = Node | Tensor;

/** The vertex t's gradient goes to, or null when t needs none. */
function vertexOf(t: Tensor): Vertex | null {
  const k = key(t);
  if (!k.requiresGrad) return null;
  return k._node ?? k;
}

/** t's slot in its vertex. */
function slotOf(t: Tensor): number {
  return t._node !== null && t._node.nOut > 1 ? outIndex.get(key(t))! : 0;
}

/** Vertices reachable from root through recorded nodes, each after every vertex that consumes it. */
function topoOrder(root: Vertex): Vertex[] {
  const order: Vertex[] = [];
  const seen = new Set<Vertex>([root]);
  const stack: [Vertex, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [v, i] = top;
    const inputs = v instanceof Node ? v.inputs : [];
    if (i < inputs.length) {
      top[1]++;
      const c = vertexOf(inputs[i]);
      if (c !== null && !seen.has(c)) {
        seen.add(c);
        stack.push([c, 0]);
      }
    } else {
      stack.pop();
      order.push(v);
    }
  }
  return order.reverse();
}

type Grads = Map<Vertex, (Tensor | null)[]>;

/** Adds g (owned) into slot `slot` of v's gradients. */
function accumulate(grads: Grads, v: Vertex, slot: number, g: Tensor): void {
  let slots = grads.get(v);
  if (!slots) {
    slots = v instanceof Node && v.nOut > 1 ? new Array<Tensor | null>(v.nOut).fill(null) : [null];
    grads.set(v, slots);
  }
  const acc = slots[slot];
  if (acc) {
    slots[slot] = acc.add(g);
    acc.dispose();
    g.dispose();
  } else slots[slot] = g;
}

const disposeAll = (slots: readonly (Tensor | null)[]): void => { for (const g of slots) g?.dispose(); };

/**
 * Backpropagates from `root`, accumulating into `.grad` of every leaf that requires grad.
 * `gradient` is required for non-scalar roots (same shape as root).
 */
export function backward(root: Tensor, gradient: Tensor | undefined, seed: () => Tensor, opts: BackwardOptions = {}): void {
  root._assertLive('backward');
  if (!root.requiresGrad) {
    throw new Error('asgrad.backward: the tensor does not require grad and has no grad_fn (did you call backward inside noGrad, or on a tensor computed from inputs without requiresGrad?)');
  }
  const rootV = vertexOf(root)!;
  const order = topoOrder(rootV);
  const prev = gradEnabled;
  gradEnabled = !!opts.createGraph;
  const grads: Grads = new Map();
  try {
    accumulate(grads, rootV, slotOf(root), gradient ? gradient._share() : seed());
    for (const v of order) {
      const slots = grads.get(v);
      if (!slots) continue;
      grads.delete(v);
      if (!(v instanceof Node)) {
        let g = slots[0]!;
        if (v.isDisposed) g.dispose();
        else if (v.grad) {
          const old = v.grad;
          v.grad = old.add(g);
          v.grad._kept = true;
          old.dispose();
          g.dispose();
        } else {
          // A leaf's .grad owns contiguous storage (optimizers update it in place): copy broadcast
          // views and storage another gradient shares (add passes one dy to both inputs).
          if (!g.isContiguous() || g._storage.refs > 1) { const c = g.clone(); g.dispose(); g = c; }
          g._kept = true;
          v.grad = g;
        }
        continue;
      }
      const node = v;
      if (node.freed) {
        disposeAll(slots);
        throw new Error(`asgrad.backward: trying to backward through the graph a second time (op '${node.op.name}'), or after its saved tensors were freed; pass { retainGraph: true } to the first backward`);
      }
      const ctx = { inputs: node.inputs, saved: node.saved, attrs: node.attrs };
      const op = node.op;
      const thunks = op.multiOutput ? op.backward!(ctx, slots) : op.backward!(ctx, slots[0]!);
      for (let i = 0; i < node.inputs.length; i++) {
        const x = node.inputs[i];
        const xv = vertexOf(x);
        const thunk = thunks[i];
        if (xv === null || !thunk) continue;
        let gi = thunk();
        // A backward may pass an incoming gradient through (reshape, add): the slots are disposed below.
        if (slots.includes(gi)) gi = gi._share();
        accumulate(grads, xv, slotOf(x), gi);
      }
      disposeAll(slots);
      if (!(opts.retainGraph ?? opts.createGraph)) node.releaseSaved();
    }
  } finally {
    gradEnabled = prev;
    for (const slots of grads.values()) disposeAll(slots);
  }
}
