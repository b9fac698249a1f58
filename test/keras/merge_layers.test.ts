// Merge layers (add, subtract, multiply, average, maximum, minimum, concatenate) against
// tfjs-layers 4.22 on the cpu backend: outputs on the same inputs (incl. tfjs's broadcasting of
// lower-rank inputs), computeOutputShape, getConfig round trips, gradients by finite differences,
// training through them, and errors naming the layer.
import { beforeAll, describe, expect, it } from 'vitest';
import { layers, noGrad, optim, tensor, tidy, type Tensor } from '../../src/index';
import { deserializeLayer, type Layer, type Merge } from '../../src/keras/layers';
import { gradCheck, type Gen, type InputSpec } from '../helpers/gradcheck';
import { arr, expectSame, ours, tf, theirs, tfl } from '../helpers/tfjs_layers';

beforeAll(async () => { await tf.setBackend('cpu'); });

type Pair = [string, () => Layer, () => tfl.layers.Layer];
const ELEMENTWISE: Pair[] = [
  ['add', () => layers.add(), () => tfl.layers.add({})],
  ['multiply', () => layers.multiply(), () => tfl.layers.multiply({})],
  ['average', () => layers.average(), () => tfl.layers.average({})],
  ['maximum', () => layers.maximum(), () => tfl.layers.maximum({})],
  ['minimum', () => layers.minimum(), () => tfl.layers.minimum({})],
];

/** Input shape lists (batch dim first) the elementwise merges accept, incl. tfjs's broadcasting. */
const SHAPES: number[][][] = [
  [[3, 4], [3, 4]],
  [[2, 3, 4], [2, 3, 4], [2, 3, 4]],
  [[2, 3, 4], [2, 1, 4], [2, 3, 1]],
  [[2, 3, 4], [2, 4]], // lower rank: 1s after the batch dim, as tfjs's expandDims(x, 1)
  [[2, 5], [2, 1]],
];

describe('elementwise merge layers match tfjs-layers', () => {
  for (const [name, mine, tfjs] of ELEMENTWISE) {
    it(`${name}: outputs and computeOutputShape`, () => {
      SHAPES.forEach((shapes, k) => {
        const xs = shapes.map((s, i) => arr(100 * k + i + 1, s));
        expectSame(ours(mine(), xs), theirs(tfjs(), xs), 1e-6, `${name} ${JSON.stringify(shapes)}`);
        const want = tfjs().computeOutputShape(shapes.map((s) => [null, ...s.slice(1)])) as (number | null)[];
        expect(mine().computeOutputShape(shapes.map((s) => s.slice(1)))).toEqual(want.slice(1));
      });
    });
  }

  it('subtract (Keras; tfjs has none) is inputs[0] - inputs[1], broadcast as the others', () => {
    const a = arr(1, [2, 3, 4]), b = arr(2, [2, 1, 4]);
    const got = ours(layers.subtract(), [a, b]);
    expect(got.shape).toEqual([2, 3, 4]);
    got.values.forEach((v, i) => {
      const n = Math.floor(i / 12), c = i % 4;
      expect(v).toBe(Math.fround(a.values[i] - b.values[n * 4 + c]));
    });
    expect(layers.subtract().computeOutputShape([[3, 4], [1, 4]])).toEqual([3, 4]);
  });
});

describe('concatenate matches tfjs-layers', () => {
  const cases: [number | undefined, number[][]][] = [
    [undefined, [[2, 3, 4], [2, 3, 2]]],
    [-1, [[2, 5], [2, 1], [2, 3]]],
    [1, [[2, 3, 4], [2, 1, 4]]],
    [2, [[2, 3, 4, 2], [2, 3, 1, 2]]],
    [-2, [[2, 3, 4, 2], [2, 3, 5, 2]]],
  ];
  for (const [axis, shapes] of cases) {
    it(`axis ${axis ?? '(default -1)'} on ${JSON.stringify(shapes)}`, () => {
      const xs = shapes.map((s, i) => arr(7 + i, s));
      const args = axis === undefined ? {} : { axis };
      // tfjs's K.concatenate treats every negative axis as -1 (a tfjs bug); Keras' -2 is rank - 2.
      const tfArgs = axis !== undefined && axis < -1 ? { axis: shapes[0].length + axis } : args;
      expectSame(ours(layers.concatenate(args), xs), theirs(tfl.layers.concatenate(tfArgs), xs), 0);
      const want = tfl.layers.concatenate(tfArgs).computeOutputShape(shapes.map((s) => [null, ...s.slice(1)])) as (number | null)[];
      expect(layers.concatenate(args).computeOutputShape(shapes.map((s) => s.slice(1)))).toEqual(want.slice(1));
    });
  }
});

describe('merge layers: config, build, multi-input call', () => {
  it('getConfig names match tfjs and rebuild the same layer through deserializeLayer', () => {
    const pairs: [Layer, tfl.layers.Layer][] = [
      [layers.add({ name: 'a1' }), tfl.layers.add({ name: 'a1' })],
      [layers.concatenate({ axis: 2, name: 'c1' }), tfl.layers.concatenate({ axis: 2, name: 'c1' })],
      [layers.maximum({ name: 'm1' }), tfl.layers.maximum({ name: 'm1' })],
    ];
    for (const [mine, tfjs] of pairs) {
      const cfg = mine.getConfig(), their = tfjs.getConfig();
      for (const k of Object.keys(their)) if (!['dtype', 'trainable', 'batchInputShape'].includes(k)) expect(cfg[k], k).toEqual(their[k]);
      const back = deserializeLayer({ className: mine.className, config: JSON.parse(JSON.stringify(cfg)) });
      expect(back.className).toBe(mine.className);
      expect(back.getConfig()).toEqual(cfg);
    }
    for (const l of [layers.subtract(), layers.multiply(), layers.average(), layers.minimum()]) {
      const back = deserializeLayer({ className: l.className, config: l.getConfig() });
      expect([back.className, back.getConfig()]).toEqual([l.className, l.getConfig()]);
    }
  });

  it('builds from a list of shapes, marks itself multiInput, and returns a fresh tensor from call', () => {
    const l = layers.add() as Merge;
    expect(l.multiInput).toBe(true);
    l.build([[3], [3]]);
    expect(l.built).toBe(true);
    const a = tensor([[1, 2, 3]]), b = tensor([[10, 20, 30]]);
    const y = l.call([a, b]);
    expect(y.toArray()).toEqual([[11, 22, 33]]);
    for (const t of [a, b, y]) t.dispose();
  });

  it('trains: gradients reach two dense branches through concatenate and add', () => {
    const d1 = layers.dense({ units: 3, inputShape: [2] }), d2 = layers.dense({ units: 3, inputShape: [2] });
    const cat = layers.concatenate(), sum = layers.add(), head = layers.dense({ units: 1, inputShape: [6] });
    for (const d of [d1, d2]) d.build([2]);
    head.build([6]);
    const opt = new optim.SGD([...d1.parameters(), ...d2.parameters(), ...head.parameters()], { lr: 0.1 });
    const x = tensor([[1, 0], [0, 1], [1, 1], [0.5, -1]]), y = tensor([[1], [-1], [0.5], [2]]);
    const loss = () => tidy(() => head.forward(cat.forward([sum.forward([d1.forward(x), d2.forward(x)]), d2.forward(x)])).sub(y).square().mean());
    const first = noGrad(() => tidy(() => loss().item()));
    for (let i = 0; i < 30; i++) {
      opt.zeroGrad();
      const l = loss();
      l.backward();
      l.dispose();
      expect(d1.kernel!.grad, 'grad reaches the first branch').not.toBeNull();
      opt.step();
    }
    expect(noGrad(() => tidy(() => loss().item()))).toBeLessThan(first * 0.5);
    opt.dispose();
    for (const t of [x, y]) t.dispose();
    for (const m of [d1, d2, head]) m.dispose();
  });
});

/** n tensors of `shape` whose values differ pairwise by at least 0.1 (no ties for max / min). */
function separated(g: Gen, shape: number[], n: number): InputSpec[] {
  const base = g.u(shape, -1, 1);
  return Array.from({ length: n }, (_, k) => ({ shape, values: base.values.map((v) => v + 0.35 * k * (g.next() < 0.5 ? 1 : -1) + (k ? 0.1 : 0)) }));
}

describe('merge layers: gradients by finite differences', () => {
  const cases: [string, () => Layer, (g: Gen) => InputSpec[]][] = [
    ['add (broadcast)', () => layers.add(), (g) => [g.u([2, 3, 4]), g.u([2, 1, 4]), g.u([2, 4])]],
    ['subtract', () => layers.subtract(), (g) => [g.u([2, 3]), g.u([2, 3])]],
    ['multiply (broadcast)', () => layers.multiply(), (g) => [g.u([2, 3, 4]), g.u([2, 3, 1]), g.u([2, 3, 4])]],
    ['average', () => layers.average(), (g) => [g.u([2, 5]), g.u([2, 5]), g.u([2, 1])]],
    ['maximum', () => layers.maximum(), (g) => separated(g, [2, 6], 3)],
    ['minimum', () => layers.minimum(), (g) => separated(g, [3, 4], 2)],
    ['concatenate axis 1', () => layers.concatenate({ axis: 1 }), (g) => [g.u([2, 3, 2]), g.u([2, 1, 2])]],
    ['concatenate axis -1', () => layers.concatenate(), (g) => [g.u([2, 3]), g.u([2, 2]), g.u([2, 1])]],
  ];
  for (const [label, make, inputs] of cases) {
    it(label, () => {
      const layer = make() as Merge;
      const r = gradCheck({ label, inputs, fn: (...xs: Tensor[]) => layer.forward(xs) });
      expect(r.worst).toBeNull();
    });
  }
});

describe('merge layers: errors name the layer and the shapes', () => {
  const run = (l: Layer, shapes: number[][]) => () => tidy(() => { (l as Merge).call(shapes.map((s) => tensor(new Float32Array(s.reduce((a, b) => a * b, 1)), { shape: s }))); });
  it('mismatched shapes', () => {
    expect(run(layers.add({ name: 'add_bad' }), [[2, 3], [2, 4]])).toThrow(/asgrad\.add_bad: Add inputs of shapes \[null, 3\], \[null, 4\] cannot be broadcast/);
    expect(run(layers.multiply(), [[2, 3, 4], [2, 2, 4]])).toThrow(/Multiply inputs of shapes \[null, 3, 4\], \[null, 2, 4\] cannot be broadcast/);
    expect(run(layers.concatenate({ name: 'cat_bad' }), [[2, 3, 4], [2, 2, 5]])).toThrow(/asgrad\.cat_bad: a Concatenate layer requires inputs with matching shapes except for the concat axis \(-1\); got input shapes \[null, 3, 4\], \[null, 2, 5\]/);
    expect(run(layers.concatenate(), [[2, 3, 4], [2, 3]])).toThrow(/matching shapes except for the concat axis/);
    expect(() => layers.add().computeOutputShape([[3], [4]])).toThrow(/cannot be broadcast/);
  });
  it('different batch sizes', () => {
    expect(run(layers.average({ name: 'avg_b' }), [[2, 3], [3, 3]])).toThrow(/asgrad\.avg_b: cannot merge tensors with different batch sizes: got shapes \[2, 3\], \[3, 3\]/);
  });
  it('wrong number or kind of inputs', () => {
    const x = tensor([[1, 2]]);
    expect(() => (layers.add({ name: 'one' }) as Merge).call(x)).toThrow(/asgrad\.one: an Add layer should be called on an array of tensors \(layer\.call\(\[a, b\]\)\), got one tensor of shape \[1, 2\]/);
    expect(() => (layers.maximum() as Merge).call([x])).toThrow(/should be called on an array of at least 2 inputs, got 1 \(shapes \[null, 2\]\)/);
    expect(() => (layers.subtract() as Merge).call([x, x, x])).toThrow(/a Subtract layer should be called on exactly 2 inputs, got 3/);
    expect(() => layers.add().computeOutputShape([3, 4])).toThrow(/should be called on an array of at least 2 inputs, got one input of shape \[null, 3, 4\]/);
    expect(() => layers.concatenate({ axis: 0 })).toThrow(/asgrad\.layers\.concatenate: axis must be a non-zero integer \(0 is the batch axis\), got 0/);
    expect(() => layers.concatenate({ axis: 3 }).computeOutputShape([[2], [2]])).toThrow(/axis 3 is out of range for inputs of shapes \[null, 2\], \[null, 2\]/);
    x.dispose();
  });
});
