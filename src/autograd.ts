// The define-by-run tape. Each recorded op output carries a Node {op, inputs, saved}. backward()
// sorts the graph iteratively (no recursion: 10,000-op chains are fine), walks it in reverse,
// accumulates gradients, and frees each node's saved tensors once its backward has run.
//
// Node lifetime is refcounted: one reference from the output handle, one from each consumer node.
// Disposing every handle of a graph frees its saved tensors even if backward never ran.
import type { Tensor } from './tensor';
import type { OpDef } from './ops/registry';

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
  refs = 1;
  /** Saved tensors were released (after backward without retainGraph, or when unreachable). */
  freed = false;
  constructor(
    readonly op: OpDef,
    readonly inputs: Tensor[],
    readonly attrs: unknown,
    public saved: Tensor[],
  ) {
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

/** Reverse topological order of (keys of) tensors reachable from root through recorded nodes. */
function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  const stack: [Tensor, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    const inputs = t._node ? t._node.inputs : [];
    if (i < inputs.length) {
      top[1]++;
      const c = key(inputs[i]);
      if (c.requiresGrad && !seen.has(c)) {
        seen.add(c);
        stack.push([c, 0]);
      }
    } else {
      stack.pop();
      order.push(t);
    }
  }
  return order.reverse();
}

/**
 * Backpropagates from `root`, accumulating into `.grad` of every leaf that requires grad.
 * `gradient` is required for non-scalar roots (same shape as root).
 */
export function backward(root: Tensor, gradient: Tensor | undefined, seed: () => Tensor, opts: BackwardOptions = {}): void {
  root._assertLive('backward');
  if (!root.requiresGrad) {
    throw new Error('asgrad.backward: the tensor does not require grad and has no grad_fn (did you call backward inside noGrad, or on a tensor computed from inputs without requiresGrad?)');
  }
  const order = topoOrder(key(root));
  const prev = gradEnabled;
  gradEnabled = !!opts.createGraph;
  const grads = new Map<Tensor, Tensor>();
  try {
    grads.set(key(root), gradient ? gradient._share() : seed());
    for (const t of order) {
      let g = grads.get(t);
      if (!g) continue;
      grads.delete(t);
      const node = t._node;
      if (!node) {
        if (t.isDisposed) g.dispose();
        else if (t.grad) {
          const old = t.grad;
          t.grad = old.add(g);
          t.grad._kept = true;
          old.dispose();
          g.dispose();
        } else {
          // A leaf's .grad owns contiguous storage (optimizers update it in place): copy broadcast
          // views and storage another gradient shares (add passes one dy to both inputs).
          if (!g.isContiguous() || g._storage.refs > 1) { const c = g.clone(); g.dispose(); g = c; }
          g._kept = true;
          t.grad = g;
        }
        continue;
      }
      if (node.freed) {
        throw new Error(`asgrad.backward: trying to backward through the graph a second time (op '${node.op.name}'), or after its saved tensors were freed; pass { retainGraph: true } to the first backward`);
      }
      const thunks = node.op.backward!({ inputs: node.inputs, saved: node.saved, attrs: node.attrs }, g);
      for (let i = 0; i < node.inputs.length; i++) {
        const x = key(node.inputs[i]);
        const thunk = thunks[i];
        if (!x.requiresGrad || !thunk) continue;
        let gi = thunk();
        if (gi === g) gi = g._share();
        const acc = grads.get(x);
        if (acc) {
          grads.set(x, acc.add(gi));
          acc.dispose();
          gi.dispose();
        } else grads.set(x, gi);
      }
      g.dispose();
      if (!(opts.retainGraph ?? opts.createGraph)) node.releaseSaved();
    }
  } finally {
    gradEnabled = prev;
    for (const g of grads.values()) g.dispose();
  }
}
