// nn.ModuleList, nn.ModuleDict and nn.Unflatten: registration (parameters, stateDict keys as
// PyTorch's, train/eval, loadStateDict), list/map operations, PyTorch's printing, errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { nn, type Tensor } from '../../src/index';

class Net extends nn.Module {
  layers = this.registerModule('layers', new nn.ModuleList<nn.Linear>([new nn.Linear(3, 3), new nn.Linear(3, 3)]));
  heads = this.registerModule('heads', new nn.ModuleDict({ a: new nn.Linear(3, 2), b: new nn.Linear(3, 1, { bias: false }) }));
  forward(x: Tensor): Tensor {
    for (const l of this.layers) x = l.forward(x).relu();
    return ag.cat([...this.heads.values()].map((h) => h.forward(x)), 1);
  }
}

describe('ModuleList', () => {
  it('registers children: parameters, stateDict keys, train/eval, loadStateDict, forward through them', () => ag.tidy(() => {
    const net = new Net(), net2 = new Net();
    expect(Object.keys(net.stateDict())).toEqual(['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias', 'heads.a.weight', 'heads.a.bias', 'heads.b.weight']);
    expect(net.parameters().length).toBe(7);
    net.eval();
    expect([...net.layers].every((l) => !l.training) && !net.heads.get('b').training).toBe(true);
    net2.loadStateDict(net.stateDict());
    const x = ag.randn([4, 3]);
    const y = net.call(x), y2 = net2.call(x);
    expect(y.shape).toEqual([4, 3]);
    expect(Array.from(y2.data())).toEqual(Array.from(y.data()));
    // the same math by hand
    let h = x;
    for (const l of net.layers) h = h.matmul(l.weight.T).add(l.bias!).relu();
    const want = ag.cat([h.matmul(net.heads.get('a').weight.T).add(net.heads.get('a').bias!), h.matmul(net.heads.get('b').weight.T)], 1);
    expect(y.sub(want).abs().max().item()).toBeLessThan(1e-6);
    net.dispose(); net2.dispose();
  }));

  it('append, extend, insert, at (negative), set, pop, iteration and renumbered keys', () => {
    const [a, b, c, d, e] = [new nn.ReLU(), new nn.Tanh(), new nn.Sigmoid(), new nn.GELU(), new nn.ELU()];
    const list = new nn.ModuleList([a]);
    list.append(b).extend([c, d]);
    expect(list.length).toBe(4);
    const ids = (ms: Iterable<nn.Module>, ref: nn.Module[]) => [...ms].map((m) => ref.indexOf(m));
    expect(ids([list.at(0), list.at(-1), list.get(-4)], [a, d])).toEqual([0, 1, 0]);
    list.insert(1, e);
    expect(ids(list, [a, b, c, d, e])).toEqual([0, 4, 1, 2, 3]);
    expect(list.namedChildren().map(([n]) => n)).toEqual(['0', '1', '2', '3', '4']);
    const id = new nn.Identity(), sp = new nn.Softplus();
    list.insert(-1, id).insert(100, sp); // Python's list.insert: before the last, and clamped to the end
    expect(ids(list, [a, b, c, d, e, id, sp])).toEqual([0, 4, 1, 2, 5, 3, 6]);
    expect(list.pop(1)).toBe(e);
    expect(list.pop()).toBe(sp);
    list.set(-1, e);
    expect(list.namedChildren().map(([n, m]) => `${n}:${[a, b, c, id, e].indexOf(m)}`)).toEqual(['0:0', '1:1', '2:2', '3:3', '4:4']);
    expect(ids(list.children(), [...list])).toEqual([0, 1, 2, 3, 4]);
  });

  it('prints as PyTorch, runs of equal children folded', () => {
    const lin = () => new nn.Linear(2, 3);
    const list = new nn.ModuleList([lin(), lin(), new nn.ReLU(), lin()]);
    expect(list.toString()).toBe([
      'ModuleList(',
      '  (0-1): 2 x Linear(in_features=2, out_features=3, bias=True)',
      '  (2): ReLU()',
      '  (3): Linear(in_features=2, out_features=3, bias=True)',
      ')'].join('\n'));
    expect(new nn.ModuleList().toString()).toBe('ModuleList()');
    const seq = new nn.Sequential(new nn.ModuleList([new nn.ReLU(), new nn.ReLU()]));
    expect(seq.toString()).toBe('Sequential(\n  (0): ModuleList(\n    (0-1): 2 x ReLU()\n  )\n)');
    list.dispose();
  });

  it('errors: bad index, non-module, calling it', () => {
    const list = new nn.ModuleList([new nn.ReLU()]);
    expect(() => list.at(1)).toThrow(/ModuleList\.at: index 1 is out of range for a ModuleList of 1 modules/);
    expect(() => list.at(-2)).toThrow(/ModuleList\.at: index -2 is out of range/);
    expect(() => list.at(0.5)).toThrow(/ModuleList\.at: index 0.5 is out of range/);
    expect(() => new nn.ModuleList().pop()).toThrow(/ModuleList\.pop: index -1 is out of range for a ModuleList of 0 modules/);
    expect(() => list.append({} as nn.Module)).toThrow(/ModuleList\.append: the module must be a Module, got object/);
    expect(() => list.forward()).toThrow(/ModuleList: a ModuleList has no forward/);
  });
});

describe('ModuleDict', () => {
  it('set/get/has/delete/keys/values/entries keep registration in step', () => ag.tidy(() => {
    const d = new nn.ModuleDict<nn.Linear>([['x', new nn.Linear(2, 2)], ['y', new nn.Linear(2, 1)]]);
    expect([...d.keys()]).toEqual(['x', 'y']);
    expect(d.size).toBe(2);
    expect(d.has('x') && !d.has('z')).toBe(true);
    d.set('z', new nn.Linear(1, 1));
    const x = d.get('x');
    expect(d.delete('x')).toBe(true);
    expect(d.delete('x')).toBe(false);
    x.dispose();
    d.set('x', new nn.Linear(3, 3)); // re-added keys go last, as in a Python dict
    expect([...d.keys()]).toEqual(['y', 'z', 'x']);
    expect(Object.keys(d.stateDict())).toEqual(['y.weight', 'y.bias', 'z.weight', 'z.bias', 'x.weight', 'x.bias']);
    expect([...d.values()].map((m) => m.inFeatures)).toEqual([2, 1, 3]);
    expect([...d.entries()].map(([k]) => k)).toEqual([...d].map(([k]) => k));
    expect(d.toString()).toBe('ModuleDict(\n  (y): Linear(in_features=2, out_features=1, bias=True)\n  (z): Linear(in_features=1, out_features=1, bias=True)\n  (x): Linear(in_features=3, out_features=3, bias=True)\n)');
    d.eval();
    expect([...d.values()].some((m) => m.training)).toBe(false);
    d.dispose();
    d.clear();
    expect([d.size, d.children().length]).toEqual([0, 0]);
  }));

  it('errors', () => {
    const d = new nn.ModuleDict({ a: new nn.ReLU() });
    expect(() => d.get('b')).toThrow(/ModuleDict\.get: no module named "b" \(keys: a\)/);
    expect(() => d.set('a.b', new nn.ReLU())).toThrow(/registerModule: name must be a non-empty string without '\.'/);
    expect(() => d.set('c', null as unknown as nn.Module)).toThrow(/ModuleDict\.set: module 'c' must be a Module, got null/);
    expect(() => d.forward()).toThrow(/ModuleDict: a ModuleDict has no forward/);
  });
});

describe('Unflatten', () => {
  it('splits one dim (negative dims, a -1 size), prints as PyTorch, errors', () => ag.tidy(() => {
    const x = ag.arange(2 * 30).reshape([2, 30]);
    const y = new nn.Unflatten(1, [2, 5, 3]).call(x);
    expect(y.shape).toEqual([2, 2, 5, 3]);
    expect(y.toArray()).toEqual(x.reshape([2, 2, 5, 3]).toArray());
    expect(new nn.Unflatten(-1, [-1, 6]).call(x).shape).toEqual([2, 5, 6]);
    expect(new nn.Unflatten(0, [1, 2]).call(x).shape).toEqual([1, 2, 30]);
    expect(new nn.Unflatten(1, [2, 5]).toString()).toBe('Unflatten(dim=1, unflattened_size=(2, 5))');
    expect(() => new nn.Unflatten(1, [4, 7]).call(x)).toThrow(/Unflatten: unflattenedSize \[4,7\] does not match size 30 of dim 1 of input \[2, 30\]/);
    expect(() => new nn.Unflatten(1, [-1, 7]).call(x)).toThrow(/Unflatten: unflattenedSize \[-1,7\] does not match size 30/);
    expect(() => new nn.Unflatten(2, [2, 15]).call(x)).toThrow(/Unflatten: dim 2 is out of range for input \[2, 30\]/);
    expect(() => new nn.Unflatten(1, [-1, -1])).toThrow(/Unflatten: unflattenedSize must be a non-empty list of sizes \(at most one -1\)/);
  }));
});
