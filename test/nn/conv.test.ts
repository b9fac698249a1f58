// nn.Conv2d, Conv1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, BatchNorm2d, ZeroPad2d, Upsample:
// shapes, PyTorch reprs, default-init bounds, running statistics, and a LeNet-style stack that trains.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv1d, Conv2d, MaxPool2d, Upsample, ZeroPad2d } from '../../src/nn';

const { nn } = ag;

describe('Conv2d / Conv1d', () => {
  it('shapes, repr and PyTorch default init bounds', () => {
    ag.manualSeed(1);
    const c = new Conv2d(1, 6, 5);
    expect(c.toString()).toBe('Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))');
    expect(c.weight.shape).toEqual([6, 1, 5, 5]);
    const bound = 1 / Math.sqrt(25);
    for (const t of [c.weight, c.bias!]) {
      const v = Array.from(t.data());
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...v.map(Math.abs))).toBeGreaterThan(bound * 0.7);
    }
    ag.tidy(() => expect(c.call(ag.zeros([2, 1, 28, 28])).shape).toEqual([2, 6, 24, 24]));
    const g = new Conv2d(4, 8, [3, 2], { stride: 2, padding: [1, 0], dilation: 2, groups: 2, bias: false });
    expect(g.toString()).toBe('Conv2d(4, 8, kernel_size=(3, 2), stride=(2, 2), padding=(1, 0), dilation=(2, 2), groups=2, bias=False)');
    expect(g.weight.shape).toEqual([8, 2, 3, 2]);
    expect(Math.max(...Array.from(g.weight.data(), Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(2 * 3 * 2));
    ag.tidy(() => expect(g.call(ag.zeros([1, 4, 9, 9])).shape).toEqual([1, 8, 4, 4]));
    const s = new Conv2d(3, 3, 3, { padding: 'same' });
    expect(s.toString()).toBe('Conv2d(3, 3, kernel_size=(3, 3), stride=(1, 1), padding=same)');
    ag.tidy(() => expect(s.call(ag.zeros([1, 3, 5, 6])).shape).toEqual([1, 3, 5, 6]));
    const c1 = new Conv1d(16, 33, 3, { stride: 2 });
    expect(c1.toString()).toBe('Conv1d(16, 33, kernel_size=(3,), stride=(2,))');
    ag.tidy(() => expect(c1.call(ag.zeros([2, 16, 50])).shape).toEqual([2, 33, 24]));
    expect(c.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    for (const m of [c, g, s, c1]) m.dispose();
  });

  it('constructor errors', () => {
    expect(() => new Conv2d(3, 4, 3, { groups: 2 })).toThrow(/Conv2d: inChannels must be divisible by groups/);
    expect(() => new Conv2d(4, 3, 3, { groups: 2 })).toThrow(/outChannels must be divisible by groups/);
    expect(() => new Conv2d(1, 1, 3, { padding: 'same', stride: 2 })).toThrow(/'same' is not supported for strided/);
    expect(() => new Conv2d(1, 1, 0)).toThrow(/kernelSize must be/);
  });
});

describe('pooling, padding, upsampling modules', () => {
  it('reprs and shapes', () => ag.tidy(() => {
    const x = ag.randn([2, 3, 9, 8]);
    const mp = new MaxPool2d(2);
    expect(mp.toString()).toBe('MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)');
    expect(mp.call(x).shape).toEqual([2, 3, 4, 4]);
    expect(new MaxPool2d(3, { stride: 2, ceilMode: true }).call(x).shape).toEqual([2, 3, 4, 4]);
    const ap = new AvgPool2d([3, 2], { stride: 1, padding: 1 });
    expect(ap.toString()).toBe('AvgPool2d(kernel_size=(3, 2), stride=1, padding=1)');
    expect(ap.call(x).shape).toEqual([2, 3, 9, 9]);
    const aa = new AdaptiveAvgPool2d([5, 7]);
    expect(aa.toString()).toBe('AdaptiveAvgPool2d(output_size=(5, 7))');
    expect(aa.call(x).shape).toEqual([2, 3, 5, 7]);
    expect(new AdaptiveAvgPool2d(1).toString()).toBe('AdaptiveAvgPool2d(output_size=1)');
    const zp = new ZeroPad2d([1, 2, 0, 3]);
    expect(zp.toString()).toBe('ZeroPad2d((1, 2, 0, 3))');
    expect(zp.call(x).shape).toEqual([2, 3, 12, 11]);
    expect(new ZeroPad2d(2).toString()).toBe('ZeroPad2d((2, 2, 2, 2))');
    const up = new Upsample({ scaleFactor: 2 });
    expect(up.toString()).toBe("Upsample(scale_factor=2.0, mode='nearest')");
    expect(up.call(x).shape).toEqual([2, 3, 18, 16]);
    expect(new Upsample({ size: [4, 5] }).toString()).toBe("Upsample(size=(4, 5), mode='nearest')");
  }));
});

describe('BatchNorm2d', () => {
  it('normalizes per channel over N, H, W and updates running stats like BatchNorm1d', () => {
    const bn = new BatchNorm2d(3);
    expect(bn.toString()).toBe('BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)');
    ag.tidy(() => {
      const x = ag.randn([4, 3, 5, 6]).mul(2).add(1);
      const y = bn.call(x);
      const m = y.mean([0, 2, 3]).data(), v = y.var([0, 2, 3], { correction: 0 }).data();
      for (let c = 0; c < 3; c++) { expect(m[c]).toBeCloseTo(0, 5); expect(v[c]).toBeCloseTo(1, 3); }
      const xm = x.mean([0, 2, 3]), xv = x.var([0, 2, 3]); // unbiased, as PyTorch's running_var
      const rm = bn.runningMean!.data(), rv = bn.runningVar!.data();
      for (let c = 0; c < 3; c++) {
        expect(rm[c]).toBeCloseTo(0.1 * xm.data()[c], 5);
        expect(rv[c]).toBeCloseTo(0.9 + 0.1 * xv.data()[c], 4);
      }
      bn.eval();
      const ye = bn.call(x);
      const want = x.sub(bn.runningMean!.reshape([1, 3, 1, 1])).div(bn.runningVar!.add(1e-5).sqrt().reshape([1, 3, 1, 1]));
      expect(ye.sub(want).abs().max().item()).toBeLessThan(1e-5);
    });
    expect(() => ag.tidy(() => bn.call(ag.zeros([2, 3, 4])))).toThrow(/BatchNorm2d: expected a 4-D input \[N, 3, H, W\]/);
    bn.dispose();
  });
});

describe('a LeNet-style stack', () => {
  it('prints like PyTorch and its loss decreases under SGD on a fixed batch', () => {
    ag.manualSeed(0);
    const model = new nn.Sequential(
      new Conv2d(1, 4, 3, { padding: 1 }), new BatchNorm2d(4), new nn.ReLU(), new MaxPool2d(2),
      new Conv2d(4, 6, 3, { groups: 2 }), new nn.ReLU(), new AdaptiveAvgPool2d(1), new nn.Flatten(), new nn.Linear(6, 3),
    );
    expect(model.toString().split('\n').slice(0, 3)).toEqual([
      'Sequential(', '  (0): Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))',
      '  (1): BatchNorm2d(4, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)',
    ]);
    const x = ag.randn([8, 1, 10, 10]), y = ag.randint(0, 3, [8]);
    const opt = new ag.optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const losses: number[] = [];
    for (let i = 0; i < 15; i++) {
      ag.tidy(() => {
        opt.zeroGrad();
        const loss = nn.F.crossEntropy(model.forward(x), y);
        loss.backward();
        opt.step();
        losses.push(loss.item());
      });
    }
    expect(losses[14]).toBeLessThan(losses[0] * 0.7);
    opt.dispose(); x.dispose(); y.dispose(); model.dispose();
  });
});
