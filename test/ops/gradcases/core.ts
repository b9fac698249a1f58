// Gradient-check cases for the core ops (src/ops): every registered op name needs at least one.
// Inputs avoid kinks (relu/abs at 0, max ties, clamp bounds); sizes are odd; one broadcast
// variant per binary op; some cases feed non-contiguous views (transposed, stepped, flipped).
import * as ag from '../../../src/index';
import type { Tensor } from '../../../src/index';
import type { GradCases, Gen } from '../../helpers/gradcheck';

const i32 = (data: ag.NestedArray) => ag.tensor(data, { dtype: 'int32' });

function binary(name: string, f: (a: Tensor, b: Tensor) => Tensor, mk: (g: Gen, shape: number[]) => ReturnType<Gen['u']>, mkB = mk) {
  return [
    { label: `${name} [3,5]`, inputs: (g: Gen) => [mk(g, [3, 5]), mkB(g, [3, 5])], fn: f },
    { label: `${name} broadcast [2,1,5] x [3,1]`, inputs: (g: Gen) => [mk(g, [2, 1, 5]), mkB(g, [3, 1])], fn: f },
    { label: `${name} transposed`, inputs: (g: Gen) => [mk(g, [5, 3]), mkB(g, [3, 5])], fn: (a: Tensor, b: Tensor) => f(a.T, b) },
  ];
}

const unary = (name: string, f: (x: Tensor) => Tensor, mk: (g: Gen) => ReturnType<Gen['u']>, eps?: number) => [
  { label: `${name} [17]`, inputs: (g: Gen) => [mk(g)], fn: f, eps },
  { label: `${name} flipped view`, inputs: (g: Gen) => [mk(g)], fn: (x: Tensor) => f(x.reshape(17, 1).flip(0)), eps },
];

const any = (g: Gen, s = [17]) => g.u(s, -2, 2);
const pos = (g: Gen, s = [17]) => g.u(s, 0.5, 2);
const away = (g: Gen, s = [17]) => g.away(s, 0.2, 1.5);

export const gradCases: GradCases = {
  add: binary('add', (a, b) => a.add(b), any),
  sub: binary('sub', (a, b) => a.sub(b), any),
  mul: binary('mul', (a, b) => a.mul(b), any),
  div: binary('div', (a, b) => a.div(b), any, (g, s) => g.away(s, 0.5, 1)),
  pow: [
    ...binary('pow', (a, b) => a.pow(b), pos, (g, s) => g.u(s, -1.5, 2)),
    { label: 'pow scalar exponent', inputs: (g) => [g.u([7], -2, 2)], fn: (x) => x.pow(3) },
  ],
  maximum: binary('maximum', (a, b) => a.maximum(b), (g, s) => g.distinct(s, 0.13), (g, s) => g.distinct(s, 0.07)),
  minimum: binary('minimum', (a, b) => a.minimum(b), (g, s) => g.distinct(s, 0.13), (g, s) => g.distinct(s, 0.07)),
  where: [
    { label: 'where', inputs: (g) => [any(g, [3, 5]), any(g, [3, 5])], fn: (a, b) => ag.where(i32([[1, 0, 1, 1, 0], [0, 0, 1, 0, 1], [1, 1, 1, 0, 0]]).gt(0), a, b) },
    { label: 'where broadcast', inputs: (g) => [any(g, [3, 1]), any(g, [5])], fn: (a, b) => ag.where(ag.tensor([true, false, true, false, false]), a, b) },
  ],
  clamp: [
    // values at least 0.05 from the bounds -0.5 and 0.5
    { label: 'clamp', inputs: () => [{ shape: [9], values: [-1.2, -0.7, -0.4, -0.1, 0.2, 0.35, 0.6, 0.9, 1.3] }], fn: (x) => x.clamp(-0.5, 0.5) },
    { label: 'clamp min only', inputs: () => [{ shape: [5], values: [-1, -0.3, 0.3, 0.9, 2] }], fn: (x) => x.clamp(0.1) },
    { label: 'clamp max only', inputs: () => [{ shape: [5], values: [-1, -0.3, 0.3, 0.9, 2] }], fn: (x) => x.clamp(null, 0.1) },
  ],
  neg: unary('neg', (x) => x.neg(), any),
  abs: unary('abs', (x) => x.abs(), away),
  sqrt: unary('sqrt', (x) => x.sqrt(), pos),
  rsqrt: unary('rsqrt', (x) => x.rsqrt(), pos),
  exp: unary('exp', (x) => x.exp(), any),
  log: unary('log', (x) => x.log(), pos),
  log1p: unary('log1p', (x) => x.log1p(), (g) => g.u([17], -0.5, 2)),
  sin: unary('sin', (x) => x.sin(), (g) => g.u([17], -4, 4)),
  cos: unary('cos', (x) => x.cos(), (g) => g.u([17], -4, 4)),
  square: unary('square', (x) => x.square(), any),
  reciprocal: unary('reciprocal', (x) => x.reciprocal(), (g) => g.away([17], 0.5, 1.5)),
  relu: unary('relu', (x) => x.relu(), away),
  sigmoid: unary('sigmoid', (x) => x.sigmoid(), any),
  tanh: unary('tanh', (x) => x.tanh(), any),
  leakyRelu: [...unary('leakyRelu', (x) => x.leakyRelu(), away), ...unary('leakyRelu 0.2', (x) => x.leakyRelu(0.2), away)],
  elu: [...unary('elu', (x) => x.elu(), away), ...unary('elu 0.5', (x) => x.elu(0.5), away)],
  gelu: unary('gelu', (x) => x.gelu(), (g) => g.u([17], -3, 3)),
  softplus: [...unary('softplus', (x) => x.softplus(), (g) => g.u([17], -3, 3)), ...unary('softplus beta 2', (x) => x.softplus(2), (g) => g.u([17], -3, 3))],
  sum: [
    { label: 'sum all', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.sum() },
    { label: 'sum dim 1', inputs: (g) => [any(g, [3, 5, 2])], fn: (x) => x.sum(1) },
    { label: 'sum dims [0, 2] keepdim', inputs: (g) => [any(g, [3, 5, 2])], fn: (x) => x.sum([0, 2], true) },
    { label: 'sum dim -1 of a transposed view', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.T.sum(-1) },
  ],
  max: [
    { label: 'max all', inputs: (g) => [g.distinct([3, 5])], fn: (x) => x.max() },
    { label: 'max dim 1', inputs: (g) => [g.distinct([3, 5, 2])], fn: (x) => x.max(1) },
    { label: 'max dims [0, 2] keepdim', inputs: (g) => [g.distinct([3, 5, 2])], fn: (x) => x.max([0, 2], true) },
  ],
  min: [
    { label: 'min all', inputs: (g) => [g.distinct([3, 5])], fn: (x) => x.min() },
    { label: 'min dim -1', inputs: (g) => [g.distinct([3, 5])], fn: (x) => x.min(-1) },
    { label: 'min dim 0 of flipped', inputs: (g) => [g.distinct([3, 5])], fn: (x) => x.flip(1).min(0) },
  ],
  prod: [
    { label: 'prod all', inputs: (g) => [g.away([7], 0.5, 0.8)], fn: (x) => x.prod() },
    { label: 'prod dim 1', inputs: (g) => [g.away([3, 5], 0.5, 0.8)], fn: (x) => x.prod(1) },
    { label: 'prod dims [0, 2] keepdim', inputs: (g) => [g.away([3, 2, 3], 0.5, 0.8)], fn: (x) => x.prod([0, 2], true) },
    { label: 'prod with a zero', inputs: () => [{ shape: [2, 3], values: [0, 1.5, -2, 0.5, 0.7, 1.1] }], fn: (x) => x.prod(1), eps: 1e-3 },
  ],
  matmul: [
    { label: 'matmul 1-D . 1-D', inputs: (g) => [any(g, [5]), any(g, [5])], fn: (a, b) => a.matmul(b) },
    { label: 'matmul 2-D x 1-D', inputs: (g) => [any(g, [3, 5]), any(g, [5])], fn: (a, b) => a.matmul(b) },
    { label: 'matmul 1-D x 2-D', inputs: (g) => [any(g, [5]), any(g, [5, 3])], fn: (a, b) => a.matmul(b) },
    { label: 'matmul 2-D', inputs: (g) => [any(g, [3, 5]), any(g, [5, 7])], fn: (a, b) => a.matmul(b) },
    { label: 'matmul batched broadcast', inputs: (g) => [any(g, [2, 1, 3, 4]), any(g, [3, 4, 5])], fn: (a, b) => a.matmul(b) },
    { label: 'matmul transposed operands', inputs: (g) => [any(g, [5, 3]), any(g, [7, 5])], fn: (a, b) => a.T.matmul(b.T) },
    { label: 'matmul flipped operands', inputs: (g) => [any(g, [3, 5]), any(g, [5, 4])], fn: (a, b) => a.flip(1).matmul(b.flip([0, 1])) },
    { label: 'matmul stepped slice', inputs: (g) => [any(g, [3, 9]), any(g, [5, 2])], fn: (a, b) => a.slice(1, 0, 9, 2).matmul(b) },
  ],
  softmax: [
    { label: 'softmax last', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.softmax(-1) },
    { label: 'softmax dim 0', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.softmax(0) },
    { label: 'softmax dim 1 of 3-D', inputs: (g) => [any(g, [2, 3, 4])], fn: (x) => x.softmax(1) },
  ],
  logSoftmax: [
    { label: 'logSoftmax last', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.logSoftmax() },
    { label: 'logSoftmax dim 0', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.logSoftmax(0) },
    { label: 'logSoftmax dim 1 of transposed 3-D', inputs: (g) => [any(g, [4, 3, 2])], fn: (x) => x.permute(2, 1, 0).logSoftmax(1) },
  ],
  reshape: [
    { label: 'reshape', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.reshape(5, 3).mul(x.reshape(5, 3)) },
    { label: 'reshape of a transposed view (copies)', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.T.reshape(-1).square() },
  ],
  permute: [
    { label: 'permute', inputs: (g) => [any(g, [2, 3, 4])], fn: (x) => x.permute(2, 0, 1).exp() },
    { label: 't() of a 2-D tensor', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.t().exp() },
  ],
  expand: [{ label: 'expand', inputs: (g) => [any(g, [3, 1])], fn: (x) => x.expand(2, 3, 5).exp() }],
  contiguous: [{ label: 'contiguous of a transposed view', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.T.contiguous().square() }],
  clone: [{ label: 'clone', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.clone().square() }],
  slice: [
    { label: 'slice step 2', inputs: (g) => [any(g, [3, 7])], fn: (x) => x.slice(1, 1, 7, 2).square() },
    { label: 'slice negative start', inputs: (g) => [any(g, [5, 3])], fn: (x) => x.slice(0, -3).square() },
    { label: 'narrow', inputs: (g) => [any(g, [5, 3])], fn: (x) => x.narrow(1, 1, 2) },
  ],
  sliceScatter: [{
    // sliceScatter is slice's backward: reach it through a differentiable (createGraph) backward.
    label: 'sliceScatter via slice backward with createGraph',
    inputs: (g) => [any(g, [3, 3])],
    fn: (v) => ag.enableGrad(() => {
      const x = ag.zeros([3, 7], { requiresGrad: true });
      x.slice(1, 1, 7, 2).mul(v).sum().backward(undefined, { createGraph: true });
      const gx = x.grad!;
      x.grad = null;
      const r = gx.mul(gx); // quadratic in v: checks the recorded sliceScatter backward
      gx.dispose();
      x.dispose();
      return r;
    }),
  }],
  flip: [
    { label: 'flip dims [0, 2]', inputs: (g) => [any(g, [2, 3, 5])], fn: (x) => x.flip([0, 2]).mul(ag.arange(5).float()) },
  ],
  cat: [
    { label: 'cat dim 1', inputs: (g) => [any(g, [3, 2]), any(g, [3, 5]), any(g, [3, 1])], fn: (a, b, c) => ag.cat([a, b, c], 1).square() },
    { label: 'cat dim 0 of views', inputs: (g) => [any(g, [3, 2]), any(g, [2, 3])], fn: (a, b) => ag.cat([a.T, b.flip(0)], 0).exp() },
    { label: 'stack', inputs: (g) => [any(g, [3, 2]), any(g, [3, 2])], fn: (a, b) => ag.stack([a, b], 1).exp() },
  ],
  indexSelect: [
    { label: 'indexSelect dim 0 with repeats', inputs: (g) => [any(g, [5, 3])], fn: (x) => x.indexSelect(0, i32([4, 0, 4, -1, 2])) },
    { label: 'indexSelect dim 1 of transposed', inputs: (g) => [any(g, [5, 3])], fn: (x) => x.T.indexSelect(1, i32([1, 3, 3])) },
  ],
  gather: [
    { label: 'gather dim 1 with repeats', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.gather(1, i32([[0, 4], [2, 2], [-1, 1]])) },
    { label: 'gather dim 0', inputs: (g) => [any(g, [3, 4])], fn: (x) => x.gather(0, i32([[2, 0, 1, 1], [0, 0, 2, 1]])) },
  ],
  // Composite functions (no registry entry of their own).
  mean: [{ label: 'mean dims [0, 2]', inputs: (g) => [any(g, [3, 5, 2])], fn: (x) => x.mean([0, 2]) }],
  var: [
    { label: 'var dim 1', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.var(1) },
    { label: 'var all, correction 0', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.var(null, { correction: 0 }) },
  ],
  std: [{ label: 'std dim 0 keepdim', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.std(0, { keepdim: true }) }],
  logsumexp: [{ label: 'logsumexp dim 1', inputs: (g) => [any(g, [3, 5])], fn: (x) => x.logsumexp(1) }],
  squeeze: [{ label: 'squeeze/unsqueeze/flatten', inputs: (g) => [any(g, [3, 1, 5])], fn: (x) => x.squeeze(1).unsqueeze(0).flatten().exp() }],
};
