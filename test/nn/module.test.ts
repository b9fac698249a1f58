import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import * as nn from '../../src/nn';
import type { Tensor } from '../../src/index';

class Block extends nn.Module {
  fc = this.registerModule('fc', new nn.Linear(3, 2));
  act = this.registerModule('act', new nn.ReLU());
  scale = this.registerParameter('scale', ag.ones([2]));
  count = this.registerBuffer('count', ag.zeros([1]));
  forward(x: Tensor): Tensor { return this.act.forward(this.fc.forward(x)).mul(this.scale); }
}

class Net extends nn.Module {
  block = this.registerModule('block', new Block());
  head = this.registerModule('head', new nn.Sequential(new nn.Linear(2, 4), new nn.Dropout(0.5), new nn.Linear(4, 1)));
  forward(x: Tensor): Tensor { return this.head.forward(this.block.forward(x)); }
}

describe('Module registration', () => {
  it('names parameters, buffers and modules with dotted paths', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual([
      'block.scale', 'block.fc.weight', 'block.fc.bias', 'head.0.weight', 'head.0.bias', 'head.2.weight', 'head.2.bias',
    ]);
    expect(net.parameters().length).toBe(7);
    expect(net.parameters(false).length).toBe(0);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['block.count']);
    expect(net.buffers()[0]).toBe(net.block.count);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['block', 'head']);
    expect(net.children()[1]).toBe(net.head);
    expect(net.namedModules().map(([n, m]) => `${n}:${m.constructor.name}`)).toEqual([
      ':Net', 'block:Block', 'block.fc:Linear', 'block.act:ReLU', 'head:Sequential', 'head.0:Linear', 'head.1:Dropout', 'head.2:Linear',
    ]);
    expect(net.modules().length).toBe(8);
    for (const p of net.parameters()) expect(p.requiresGrad).toBe(true);
    expect(net.block.count.requiresGrad).toBe(false);
    net.dispose();
  });

  it('keeps parameters alive across tidy and frees them on dispose', () => {
    const before = ag.memory().numTensors;
    const net = ag.tidy(() => new Net());
    expect(ag.memory().numTensors).toBe(before + 8);
    for (const p of net.parameters()) expect(p.isDisposed).toBe(false);
    net.dispose();
    expect(ag.memory().numTensors).toBe(before);
  });

  it('refuses non-leaf, non-float32 parameters and bad names', () => {
    class M extends nn.Module { forward(x: Tensor) { return x; } }
    const m = new M();
    ag.tidy(() => {
      const w = ag.ones([2], { requiresGrad: true });
      expect(() => m.registerParameter('w', w.mul(2))).toThrow(/registerParameter: 'w' is not a leaf tensor/);
      expect(() => m.registerParameter('i', ag.zeros([2], { dtype: 'int32' }))).toThrow(/'i' must be float32, got int32/);
      expect(() => m.registerParameter('a.b', ag.zeros([2]))).toThrow(/without '\.'/);
      m.registerBuffer('buf', ag.zeros([1]));
      expect(() => m.registerParameter('buf', ag.zeros([1]))).toThrow(/already registered/);
    });
    m.dispose();
  });

  it('re-registering a parameter disposes the old one; tied parameters are listed once', () => {
    class Tied extends nn.Module {
      a = this.registerModule('a', new nn.Linear(2, 2));
      b = this.registerModule('b', new nn.Linear(2, 2));
      forward(x: Tensor) { return x; }
    }
    const t = new Tied();
    const old = t.b.weight;
    t.b.registerParameter('weight', t.a.weight);
    expect(old.isDisposed).toBe(true);
    expect(t.namedParameters().map(([n]) => n)).toEqual(['a.weight', 'a.bias', 'b.bias']);
    t.dispose();
  });

  it('train()/eval() set the flag recursively', () => {
    const net = new Net();
    expect(net.eval()).toBe(net);
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.head.train();
    expect(net.training).toBe(false);
    expect(net.head.get(1).training).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    net.dispose();
  });

  it('zeroGrad frees gradients (or zero-fills them)', () => {
    const fc = new nn.Linear(3, 2);
    ag.tidy(() => { fc.call(ag.ones([4, 3])).sum().backward(); });
    expect(fc.weight.grad).not.toBeNull();
    fc.zeroGrad({ setToNone: false });
    expect(Array.from(fc.weight.grad!.data())).toEqual([0, 0, 0, 0, 0, 0]);
    fc.zeroGrad();
    expect(fc.weight.grad).toBeNull();
    expect(fc.bias!.grad).toBeNull();
    fc.dispose();
  });

  it('call() frees intermediates and returns the output', () => {
    const net = new Net().eval();
    const x = ag.ones([5, 3]);
    const before = ag.memory().numTensors;
    const y = net.call(x);
    expect(y.shape).toEqual([5, 1]);
    y.dispose(); // frees the graph's saved tensors too
    expect(ag.memory().numTensors).toBe(before);
    const z = ag.noGrad(() => net.call(x));
    expect(ag.memory().numTensors).toBe(before + 1);
    z.dispose(); x.dispose(); net.dispose();
  });
});

describe('stateDict / loadStateDict', () => {
  it('round-trips into a fresh model, in place', () => {
    ag.manualSeed(1);
    const a = new Net(), b = new Net();
    const sd = a.stateDict();
    expect(Object.keys(sd)).toEqual(['block.scale', 'block.count', 'block.fc.weight', 'block.fc.bias', 'head.0.weight', 'head.0.bias', 'head.2.weight', 'head.2.bias']);
    expect(sd['head.0.weight']).toBe(a.head.get<nn.Linear>(0).weight);
    const wB = b.head.get<nn.Linear>(0).weight;
    expect(Array.from(wB.data())).not.toEqual(Array.from(sd['head.0.weight'].data()));
    const r = b.loadStateDict(sd);
    expect(r).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.head.get<nn.Linear>(0).weight).toBe(wB); // identity kept
    for (const [n, t] of b.namedParameters()) expect(Array.from(t.data())).toEqual(Array.from(sd[n].data()));
    const x = ag.tensor([[0.5, -1, 2]]);
    const ya = a.eval().call(x), yb = b.eval().call(x);
    expect(Array.from(yb.data())).toEqual(Array.from(ya.data()));
    ag.dispose([x, ya, yb]);
    a.dispose(); b.dispose();
  });

  it('copy: true returns detached copies the caller owns', () => {
    const fc = new nn.Linear(2, 2);
    const sd = fc.stateDict({ copy: true });
    expect(sd.weight).not.toBe(fc.weight);
    expect(sd.weight.requiresGrad).toBe(false);
    expect(Array.from(sd.weight.data())).toEqual(Array.from(fc.weight.data()));
    ag.dispose(sd);
    expect(fc.weight.isDisposed).toBe(false);
    fc.dispose();
  });

  it('strict mode lists missing and unexpected keys, PyTorch style, and copies nothing', () => {
    const fc = new nn.Linear(2, 2);
    const before = Array.from(fc.weight.data());
    const sd = { weight: ag.zeros([2, 2]), extra: ag.zeros([1]) };
    expect(() => fc.loadStateDict(sd)).toThrow(
      'asgrad.loadStateDict: Error(s) in loading state_dict for Linear:\n\tUnexpected key(s) in state_dict: "extra".\n\tMissing key(s) in state_dict: "bias".');
    expect(Array.from(fc.weight.data())).toEqual(before);
    const r = fc.loadStateDict(sd, { strict: false });
    expect(r).toEqual({ missingKeys: ['bias'], unexpectedKeys: ['extra'] });
    expect(Array.from(fc.weight.data())).toEqual([0, 0, 0, 0]);
    ag.dispose(sd);
    fc.dispose();
  });

  it('rejects shape mismatches with a clear message', () => {
    const fc = new nn.Linear(2, 2);
    const sd = { weight: ag.zeros([3, 2]), bias: ag.zeros([2]) };
    expect(() => fc.loadStateDict(sd)).toThrow('size mismatch for weight: copying a param with shape [3, 2] from checkpoint, the shape in current model is [2, 2].');
    ag.dispose(sd);
    fc.dispose();
  });

  it('leaves non-persistent buffers out', () => {
    const fc = new nn.Linear(1, 1);
    fc.registerBuffer('cache', ag.zeros([3]), { persistent: false });
    expect(fc.namedBuffers().map(([n]) => n)).toEqual(['cache']);
    expect(Object.keys(fc.stateDict())).toEqual(['weight', 'bias']);
    fc.dispose();
  });

  it("converts dtypes and loads int buffers; BatchNorm's buffers have PyTorch's names", () => {
    const bn = new nn.BatchNorm1d(2);
    const sd = bn.stateDict({ copy: true });
    expect(Object.keys(sd)).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
    ag.dispose(sd.num_batches_tracked);
    sd.num_batches_tracked = ag.tensor(7, { dtype: 'int32' });
    ag.dispose(sd.running_mean);
    sd.running_mean = ag.tensor([1, 2], { dtype: 'int32' });
    bn.loadStateDict(sd);
    expect(bn.numBatchesTracked!.item()).toBe(7);
    expect(bn.runningMean!.dtype).toBe('float32');
    expect(Array.from(bn.runningMean!.data())).toEqual([1, 2]);
    ag.dispose(sd);
    bn.dispose();
  });
});

describe('toString', () => {
  it('prints the tree like PyTorch', () => {
    const net = new Net();
    expect(net.toString()).toBe([
      'Net(',
      '  (block): Block(',
      '    (fc): Linear(in_features=3, out_features=2, bias=True)',
      '    (act): ReLU()',
      '  )',
      '  (head): Sequential(',
      '    (0): Linear(in_features=2, out_features=4, bias=True)',
      '    (1): Dropout(p=0.5, inplace=False)',
      '    (2): Linear(in_features=4, out_features=1, bias=True)',
      '  )',
      ')',
    ].join('\n'));
    net.dispose();
    const m = new nn.Sequential(new nn.Linear(784, 128, { bias: false }), new nn.LeakyReLU(0.2), new nn.Softmax(1), new nn.Flatten(), new nn.ELU(), new nn.Softplus(2), new nn.GELU());
    expect(m.toString()).toBe('Sequential(\n  (0): Linear(in_features=784, out_features=128, bias=False)\n  (1): LeakyReLU(negative_slope=0.2)\n  (2): Softmax(dim=1)\n  (3): Flatten(start_dim=1, end_dim=-1)\n  (4): ELU(alpha=1.0)\n  (5): Softplus(beta=2.0, threshold=20.0)\n  (6): GELU(approximate=\'none\')\n)');
    const acts = new nn.Sequential(new nn.SiLU(), new nn.Hardtanh(-2, 2), new nn.ReLU6(), new nn.SELU(), new nn.Mish(), new nn.Hardsigmoid(), new nn.Hardswish(), new nn.Softsign());
    expect(acts.toString()).toBe('Sequential(\n  (0): SiLU()\n  (1): Hardtanh(min_val=-2.0, max_val=2.0)\n  (2): ReLU6()\n  (3): SELU()\n  (4): Mish()\n  (5): Hardsigmoid()\n  (6): Hardswish()\n  (7): Softsign()\n)');
    m.dispose();
  });
});

describe('assign', () => {
  it('overwrites storage in place, broadcasting and converting', () => {
    ag.tidy(() => {
      const w = ag.zeros([2, 3]);
      nn.assign(w, ag.tensor([1, 2, 3]));
      expect(w.toArray()).toEqual([[1, 2, 3], [1, 2, 3]]);
      nn.assign(w, 5);
      expect(Array.from(w.data())).toEqual([5, 5, 5, 5, 5, 5]);
      nn.assign(w, ag.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'int32' }));
      nn.assign(w.T, w.T.contiguous()); // aliasing view
      expect(w.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
      const t = w.T; // non-contiguous destination
      nn.assign(t, 0);
      expect(Array.from(w.data())).toEqual([0, 0, 0, 0, 0, 0]);
      expect(() => nn.assign(w, ag.zeros([3, 2]))).toThrow(/cannot copy a tensor of shape \[3, 2\] into one of shape \[2, 3\]|cannot be broadcast/);
    });
  });
});
