// Tensor methods: PyTorch's names in camelCase, each delegating to the op function of the same
// name. Attached to the prototype here so tensor.ts stays free of math and import cycles.
import { Tensor, type NestedArray, type TypedArray } from './tensor';
import { backward, type BackwardOptions } from './autograd';
import { castK } from './backend/kernels';
import type { DType } from './dtype';
import { formatTensor } from './format';
import { item, readFlat, toNested } from './read';
import { fromFlat } from './creation';
import { check, fmtShape } from './util/errors';
import * as bin from './ops/binary';
import * as un from './ops/unary';
import * as red from './ops/reduce';
import * as mv from './ops/movement';
import * as shp from './ops/shaping';
import * as idx from './ops/indexing';
import * as srt from './ops/sort';
import * as cmp from './ops/composite';
import * as mx from './ops/math_extra';
import * as mj from './ops/math_js';
import * as os from './ops/order_stats';
import * as la from './ops/linalg_extra';
import * as se from './ops/select_extra';
import { matmul } from './ops/matmul';
import { logSoftmax, softmax } from './ops/softmax';
import type { TensorLike } from './ops/operands';
import type { Dims, VarOptions } from './ops/reduce';

declare module './tensor' {
  interface Tensor {
    add(b: TensorLike): Tensor; sub(b: TensorLike): Tensor; mul(b: TensorLike): Tensor; div(b: TensorLike): Tensor;
    pow(b: TensorLike): Tensor; maximum(b: TensorLike): Tensor; minimum(b: TensorLike): Tensor;
    neg(): Tensor; abs(): Tensor; sqrt(): Tensor; rsqrt(): Tensor; exp(): Tensor; log(): Tensor; log1p(): Tensor; sin(): Tensor; cos(): Tensor;
    square(): Tensor; reciprocal(): Tensor; relu(): Tensor; sigmoid(): Tensor; tanh(): Tensor;
    leakyRelu(negativeSlope?: number): Tensor; elu(alpha?: number): Tensor; gelu(): Tensor; softplus(beta?: number): Tensor;
    step(): Tensor; sign(): Tensor; floor(): Tensor; ceil(): Tensor; round(): Tensor;
    eq(b: TensorLike): Tensor; ne(b: TensorLike): Tensor; lt(b: TensorLike): Tensor; le(b: TensorLike): Tensor;
    gt(b: TensorLike): Tensor; ge(b: TensorLike): Tensor;
    clamp(min?: number | null, max?: number | null): Tensor;
    /** x.where(cond, y) = where(cond, x, y), as in PyTorch. */
    where(cond: Tensor, other: TensorLike): Tensor;
    maskedFill(mask: Tensor, value: number): Tensor;
    sum(dim?: Dims, keepdim?: boolean): Tensor; mean(dim?: Dims, keepdim?: boolean): Tensor;
    max(dim?: Dims, keepdim?: boolean): Tensor; min(dim?: Dims, keepdim?: boolean): Tensor;
    prod(dim?: Dims, keepdim?: boolean): Tensor; logsumexp(dim?: Dims, keepdim?: boolean): Tensor;
    var(dim?: Dims, opts?: VarOptions | boolean): Tensor; std(dim?: Dims, opts?: VarOptions | boolean): Tensor;
    argmax(dim?: number | null, keepdim?: boolean): Tensor; argmin(dim?: number | null, keepdim?: boolean): Tensor;
    matmul(b: Tensor): Tensor; softmax(dim?: number): Tensor; logSoftmax(dim?: number): Tensor;
    reshape(...shape: number[] | [number[]]): Tensor; view(...shape: number[] | [number[]]): Tensor;
    flatten(startDim?: number, endDim?: number): Tensor; squeeze(dim?: number | number[]): Tensor; unsqueeze(dim: number): Tensor;
    transpose(dim0?: number, dim1?: number): Tensor; permute(...dims: number[] | [number[]]): Tensor;
    expand(...shape: number[] | [number[]]): Tensor; expandAs(other: Tensor): Tensor;
    slice(dim: number, start?: number, end?: number, step?: number): Tensor; narrow(dim: number, start: number, length: number): Tensor;
    split(sizeOrSections: number | number[], dim?: number): Tensor[]; chunk(chunks: number, dim?: number): Tensor[];
    unbind(dim?: number): Tensor[];
    flip(dims: number | number[]): Tensor; contiguous(): Tensor; clone(): Tensor;
    gather(dim: number, index: Tensor): Tensor; indexSelect(dim: number, index: Tensor): Tensor;
    sort(dim?: number, descending?: boolean): [Tensor, Tensor]; argsort(dim?: number, descending?: boolean): Tensor;
    topk(k: number, dim?: number, largest?: boolean): [Tensor, Tensor]; cumsum(dim: number): Tensor;
    tril(diagonal?: number): Tensor; triu(diagonal?: number): Tensor; repeat(...sizes: number[] | [readonly number[]]): Tensor;
    roll(shifts: number | number[], dims?: number | number[]): Tensor; outer(b: Tensor): Tensor; lerp(end: Tensor, weight: Tensor | number): Tensor;
    isnan(): Tensor; isfinite(): Tensor; any(dim?: number | number[], keepdim?: boolean): Tensor; all(dim?: number | number[], keepdim?: boolean): Tensor;
    norm(p?: number | 'fro', dim?: Dims, keepdim?: boolean): Tensor; fmod(b: TensorLike): Tensor; remainder(b: TensorLike): Tensor;
    cumprod(dim: number): Tensor; erf(): Tensor; erfc(): Tensor; atan2(b: TensorLike): Tensor;
    expm1(): Tensor; log2(): Tensor; log10(): Tensor; tan(): Tensor; atan(): Tensor; asin(): Tensor; acos(): Tensor;
    sinh(): Tensor; cosh(): Tensor; asinh(): Tensor; acosh(): Tensor; atanh(): Tensor; trunc(): Tensor; frac(): Tensor;
    logit(eps?: number): Tensor; hypot(b: TensorLike): Tensor; logaddexp(b: Tensor): Tensor;
    kthvalue(k: number, dim?: number, keepdim?: boolean): [Tensor, Tensor];
    median(): Tensor; median(dim: number, keepdim?: boolean): [Tensor, Tensor];
    quantile(q: number | readonly number[], dim?: number, keepdim?: boolean): Tensor;
    scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor;
    bmm(b: Tensor): Tensor; addmm(a: Tensor, b: Tensor, opts?: la.AddmmOptions): Tensor; baddbmm(a: Tensor, b: Tensor, opts?: la.AddmmOptions): Tensor;
    tile(dims: number | readonly number[]): Tensor; repeatInterleave(repeats?: number | Tensor, dim?: number): Tensor;
    /** The transpose of a 2-D tensor (all dims reversed otherwise), as PyTorch's .T. */
    readonly T: Tensor;
    /** PyTorch's t(): a 2-D tensor's transpose, a 0-D or 1-D tensor as it is (a view); throws above 2-D. */
    t(): Tensor;
    /** A new tensor sharing storage, cut from the graph. */
    detach(): Tensor;
    /** Sets requiresGrad in place (leaf float32 tensors only); returns this. */
    requiresGrad_(flag?: boolean): Tensor;
    backward(gradient?: Tensor, opts?: BackwardOptions): void;
    /** A flat copy of the values (Float32Array, Int32Array, or Uint8Array for bool). */
    data(): TypedArray;
    /** Values as nested arrays (booleans for bool). */
    toArray(): NestedArray;
    item(): number;
    to(dtype: DType): Tensor; float(): Tensor; int(): Tensor; bool(): Tensor;
  }
}

const shapeArgs = (args: (number | number[])[]): number[] => (Array.isArray(args[0]) ? args[0] : (args as number[]));

const P = Tensor.prototype;
P.add = function (b) { return bin.add(this, b); };
P.sub = function (b) { return bin.sub(this, b); };
P.mul = function (b) { return bin.mul(this, b); };
P.div = function (b) { return bin.div(this, b); };
P.pow = function (b) { return bin.pow(this, b); };
P.maximum = function (b) { return bin.maximum(this, b); };
P.minimum = function (b) { return bin.minimum(this, b); };
P.eq = function (b) { return bin.eq(this, b); };
P.ne = function (b) { return bin.ne(this, b); };
P.lt = function (b) { return bin.lt(this, b); };
P.le = function (b) { return bin.le(this, b); };
P.gt = function (b) { return bin.gt(this, b); };
P.ge = function (b) { return bin.ge(this, b); };
P.clamp = function (min, max) { return bin.clamp(this, min, max); };
P.where = function (cond, other) { return bin.where(cond, this, other); };
P.maskedFill = function (mask, value) { return bin.maskedFill(this, mask, value); };
for (const name of ['neg', 'abs', 'sqrt', 'rsqrt', 'exp', 'log', 'log1p', 'sin', 'cos', 'square', 'reciprocal', 'relu', 'sigmoid', 'tanh', 'gelu', 'step', 'sign', 'floor', 'ceil', 'round'] as const) {
  const f = un[name] as (x: Tensor) => Tensor;
  P[name] = function (this: Tensor) { return f(this); };
}
P.leakyRelu = function (s) { return un.leakyRelu(this, s); };
P.elu = function (a) { return un.elu(this, a); };
P.softplus = function (b) { return un.softplus(this, b); };
P.sum = function (d, k) { return red.sum(this, d, k); };
P.mean = function (d, k) { return red.mean(this, d, k); };
P.max = function (d, k) { return red.max(this, d, k); };
P.min = function (d, k) { return red.min(this, d, k); };
P.prod = function (d, k) { return red.prod(this, d, k); };
P.logsumexp = function (d, k) { return red.logsumexp(this, d, k); };
P.var = function (d, o) { return red.variance(this, d, o); };
P.std = function (d, o) { return red.std(this, d, o); };
P.argmax = function (d, k) { return red.argmax(this, d, k); };
P.argmin = function (d, k) { return red.argmin(this, d, k); };
P.matmul = function (b) { return matmul(this, b); };
P.softmax = function (d) { return softmax(this, d); };
P.logSoftmax = function (d) { return logSoftmax(this, d); };
P.reshape = function (...s) { return mv.reshape(this, shapeArgs(s)); };
P.view = function (...s) { return mv.view(this, shapeArgs(s)); };
P.flatten = function (s, e) { return shp.flatten(this, s, e); };
P.squeeze = function (d) { return shp.squeeze(this, d); };
P.unsqueeze = function (d) { return shp.unsqueeze(this, d); };
P.transpose = function (a, b) { return mv.transpose(this, a, b); };
P.permute = function (...d) { return mv.permute(this, shapeArgs(d)); };
P.expand = function (...s) { return mv.expand(this, shapeArgs(s)); };
P.expandAs = function (o) { return mv.expand(this, o.shape); };
P.slice = function (d, s, e, st) { return mv.slice(this, d, s, e, st); };
P.narrow = function (d, s, l) { return mv.narrow(this, d, s, l); };
P.split = function (s, d) { return shp.split(this, s, d); };
P.chunk = function (c, d) { return shp.chunk(this, c, d); };
P.unbind = function (d) { return shp.unbind(this, d); };
P.flip = function (d) { return mv.flip(this, d); };
P.contiguous = function () { return mv.contiguous(this); };
P.clone = function () { return mv.clone(this); };
P.gather = function (d, i) { return idx.gather(this, d, i); };
P.sort = function (d, desc) { return srt.sort(this, d, desc); };
P.argsort = function (d, desc) { return srt.argsort(this, d, desc); };
P.topk = function (k, d, largest) { return srt.topk(this, k, d, largest); };
P.cumsum = function (d) { return srt.cumsum(this, d); };
P.tril = function (k) { return cmp.tril(this, k); };
P.triu = function (k) { return cmp.triu(this, k); };
P.repeat = function (...sizes) { return cmp.repeat(this, (sizes.length === 1 && Array.isArray(sizes[0]) ? sizes[0] : sizes) as readonly number[]); };
P.roll = function (s, d) { return cmp.roll(this, s, d); };
P.outer = function (b) { return cmp.outer(this, b); };
P.lerp = function (e, w) { return cmp.lerp(this, e, w); };
P.isnan = function () { return cmp.isnan(this); };
P.isfinite = function () { return cmp.isfinite(this); };
P.any = function (d, k) { return cmp.any(this, d, k); };
P.all = function (d, k) { return cmp.all(this, d, k); };
P.norm = function (p, d, k) { return mx.norm(this, p, d, k); };
P.fmod = function (b) { return mx.fmod(this, b); };
P.remainder = function (b) { return mx.remainder(this, b); };
P.cumprod = function (d) { return mx.cumprod(this, d); };
P.erf = function () { return mx.erf(this); };
P.erfc = function () { return mx.erfc(this); };
P.atan2 = function (b) { return mx.atan2(this, b); };
for (const name of ['expm1', 'log2', 'log10', 'tan', 'atan', 'asin', 'acos', 'sinh', 'cosh', 'asinh', 'acosh', 'atanh', 'trunc', 'frac'] as const) {
  P[name] = function (this: Tensor) { return mj[name](this); };
}
P.logit = function (eps) { return mj.logit(this, eps); };
P.hypot = function (b) { return mj.hypot(this, b); };
P.logaddexp = function (b) { return mj.logaddexp(this, b); };
P.kthvalue = function (k, d, keep) { return os.kthvalue(this, k, d, keep); };
P.median = function (this: Tensor, d?: number, keep?: boolean) { return d === undefined ? os.median(this) : os.median(this, d, keep); } as Tensor['median'];
P.quantile = function (q, d, keep) { return os.quantile(this, q, d, keep); };
P.scatterAdd = function (d, i, src) { return idx.scatterAdd(this, d, i, src); };
P.indexSelect = function (d, i) { return idx.indexSelect(this, d, i); };
P.bmm = function (b) { return la.bmm(this, b); };
P.addmm = function (a, b, o) { return la.addmm(this, a, b, o); };
P.baddbmm = function (a, b, o) { return la.baddbmm(this, a, b, o); };
P.tile = function (d) { return la.tile(this, d); };
P.repeatInterleave = function (r, d) { return se.repeatInterleave(this, r, d); };
Object.defineProperty(P, 'T', {
  get(this: Tensor) { return mv.permute(this, this.shape.map((_, i) => this.ndim - 1 - i)); },
});
P.t = function () {
  check(this.ndim <= 2, 't', () => `expects a tensor with at most 2 dims (use transpose(dim0, dim1) or permute), got shape ${fmtShape(this.shape)}`);
  return mv.permute(this, this.ndim === 2 ? [1, 0] : this.shape.map((_, i) => i));
};
P.detach = function () { return this._view(this.shape, this.strides, this.offset); };
P.requiresGrad_ = function (flag = true) {
  check(this.dtype === 'float32' || !flag, 'requiresGrad_', () => `only float32 tensors can require gradients, got ${this.dtype}`);
  check(this.isLeaf, 'requiresGrad_', () => 'can only change requiresGrad of leaf tensors (use detach() first)');
  this.requiresGrad = flag;
  return this;
};
P.backward = function (gradient, opts) {
  if (gradient === undefined) {
    check(this.size === 1, 'backward', () => `grad can be implicitly created only for scalar outputs; got shape [${this.shape.join(', ')}]: pass a gradient`);
  } else {
    check(gradient._isTensor && gradient.shape.length === this.shape.length && gradient.shape.every((d, i) => d === this.shape[i]), 'backward', () =>
      `gradient shape [${gradient.shape?.join(', ')}] does not match the tensor's shape [${this.shape.join(', ')}]`);
  }
  backward(this, gradient, () => fromFlat(new Float32Array(this.size).fill(1), this.shape, 'float32'), opts);
};
P.data = function () { return readFlat(this); };
P.toArray = function () { return toNested(this); };
P.item = function () { return item(this) as number; };
P.to = function (dtype) { this._assertLive('to'); return castK(this, dtype); };
P.float = function () { return this.to('float32'); };
P.int = function () { return this.to('int32'); };
P.bool = function () { return this.to('bool'); };
P.toString = function () { return formatTensor(this); };
