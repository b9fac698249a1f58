// Tensor: a view {shape, strides, offset} over refcounted Storage in wasm memory, plus autograd
// fields. No math lives here: methods are attached in methods.ts and delegate to ops.
// Tensors never hold typed arrays (memory.grow would detach them); reads copy out.
import { getBackend } from './backend/load';
import type { DType } from './dtype';
import { Storage, stats, track, register, unregister, transient } from './memory';
import { contiguousStrides, sizeOf } from './shape';
import type { Node } from './autograd';

export type TypedArray = Float32Array | Int32Array | Uint8Array;
export type NestedArray = number | boolean | NestedArray[];

/** A tensor's own copy of a shape or strides array. Not frozen: V8 runs slice, every, for-of and
 *  the like 4-15x slower on frozen arrays, and these arrays are read on every op. */
function own(a: readonly number[]): number[] {
  const n = a.length, c: number[] = [];
  for (let i = 0; i < n; i++) c.push(a[i]);
  return c;
}

export class Tensor {
  readonly _isTensor = true;
  readonly shape: readonly number[];
  /** Element strides per dim. */
  readonly strides: readonly number[];
  /** Element offset of the first element inside storage. */
  readonly offset: number;
  readonly dtype: DType;
  requiresGrad = false;
  /** Accumulated gradient of a leaf after backward(). */
  grad: Tensor | null = null;
  _node: Node | null = null;
  _kept = false;
  /** Set on handles autograd saved: the handle whose place in the graph this one stands for. */
  _origin: Tensor | null = null;
  _storage: Storage;
  private _disposed = false;
  /** A saved copy of an op's own output: points at that op's node without holding a reference. */
  private _weakNode = false;
  /** The finalization-registry cell, made when the handle may escape (see register in memory.ts). */
  _handle: { storage: Storage; alive: boolean } | null = null;
  /** Name for printing (parameters). */
  name?: string;

  /** Internal: use the creation functions. Takes ownership of one reference to `storage`. */
  constructor(storage: Storage, shape: readonly number[], dtype: DType, strides?: readonly number[], offset = 0, tracked = true) {
    this._storage = storage;
    // Copied: callers reuse their arrays (split's views), and no two tensors share one.
    this.shape = own(shape);
    this.strides = strides ? own(strides) : contiguousStrides(shape);
    this.offset = offset;
    this.dtype = dtype;
    stats.tensors++;
    // A handle inside tidy is reachable from its scope until the scope ends: the safety net is
    // armed only for handles that can be collected (tidy arms the ones that outlive it).
    if ((!tracked || !track(this)) && transient.depth === 0) register(this);
  }

  /** A new uninitialized contiguous tensor. */
  static _empty(shape: readonly number[], dtype: DType = 'float32'): Tensor {
    const bytes = sizeOf(shape) * 4;
    const ptr = getBackend().heap.alloc(bytes);
    return new Tensor(new Storage(ptr, bytes), shape, dtype);
  }

  /** A new handle on the same storage with another layout (a view). */
  _view(shape: readonly number[], strides?: readonly number[], offset: number = this.offset, dtype: DType = this.dtype): Tensor {
    this._assertLive('view');
    return new Tensor(this._storage.retain(), shape, dtype, strides, offset);
  }

  /**
   * An untracked handle sharing this one's layout and place in the graph (requiresGrad, node), so
   * a backward recorded with createGraph differentiates through it. `weakNode` is for an op saving
   * its own output: the node owns the handle, so the handle must not own the node.
   */
  _share(weakNode = false): Tensor {
    this._assertLive('save');
    const t = new Tensor(this._storage.retain(), this.shape, this.dtype, this.strides, this.offset, false);
    t.requiresGrad = this.requiresGrad;
    t._origin = this._origin ?? this;
    t._node = this._node;
    t._weakNode = weakNode;
    if (t._node && !weakNode) t._node.refs++;
    return t;
  }

  get size(): number { return sizeOf(this.shape); }
  get ndim(): number { return this.shape.length; }
  get isDisposed(): boolean { return this._disposed; }
  /** True for a tensor created by the user (not by a recorded op). */
  get isLeaf(): boolean { return this._node === null; }

  /** Byte address of element [0, ..., 0]. */
  get _ptr(): number { return this._storage.ptr + this.offset * 4; }

  isContiguous(): boolean {
    let acc = 1;
    for (let i = this.shape.length - 1; i >= 0; i--) {
      if (this.shape[i] !== 1 && this.strides[i] !== acc) return false;
      acc *= this.shape[i];
    }
    return true;
  }

  _assertLive(op: string): void {
    if (this._disposed) throw new Error(`asgrad.${op}: the tensor was disposed (shape [${this.shape.join(', ')}], ${this.dtype}); it can no longer be used`);
  }

  /** Frees this handle; storage is freed when its last view goes. Disposing twice is a no-op. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    unregister(this);
    stats.tensors--;
    this._storage.release();
    if (this.grad && !this.grad._disposed) this.grad.dispose();
    this.grad = null;
    // _node stays: graphs through this handle still need it; the refcount frees it when unused.
    if (this._node && !this._weakNode) this._node.unref();
  }
}
