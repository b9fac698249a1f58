// exportOnnx on PyTorch-style nn modules: every supported module kind (odd sizes, strides,
// padding, groups, ceil mode), an MLP and LeNet-5, run in onnxruntime-node and compared with
// forward in eval mode; BatchNorm's running statistics; the errors.
import { describe, expect, it } from 'vitest';
import { exportOnnx, nn, randn, tidy, type Tensor } from '../../src/index';
import type { AnyModule } from '../../src/nn/module';
import { checkExport } from './onnx_helpers';

/** Checks the export of `m` (eval mode) against its forward on a random batch, then disposes it. */
async function check(m: AnyModule, inShape: number[], batch = 3): Promise<void> {
  m.eval();
  try {
    await checkExport(m, inShape, (x) => m.forward(x), { inputShape: inShape }, batch);
  } finally {
    m.dispose();
  }
}

/** Random running statistics (variance > 0), so BatchNorm's eval form is not the identity. */
function randomizeStats(bn: nn.BatchNorm1d): void {
  tidy(() => {
    nn.assign(bn.runningMean!, randn([bn.numFeatures]));
    nn.assign(bn.runningVar!, randn([bn.numFeatures]).abs().add(0.3));
    if (bn.weight) nn.assign(bn.weight, randn([bn.numFeatures]));
    if (bn.bias) nn.assign(bn.bias, randn([bn.numFeatures]));
  });
}

describe('exportOnnx (nn modules) against onnxruntime-node', () => {
  it('Linear with and without bias, on [N, F] (Gemm) and [N, T, F] (MatMul), alone or in a Sequential', async () => {
    await check(new nn.Linear(7, 5), [7]);
    await check(new nn.Sequential(new nn.Linear(7, 5, { bias: false }), new nn.Linear(5, 3)), [7]);
    await check(new nn.Sequential(new nn.Linear(6, 4), new nn.ReLU(), new nn.Linear(4, 2, { bias: false })), [5, 6]);
  });

  it('every activation module', async () => {
    const acts: (() => AnyModule)[] = [() => new nn.ReLU(), () => new nn.LeakyReLU(0.2), () => new nn.Sigmoid(), () => new nn.Tanh(),
      () => new nn.GELU(), () => new nn.ELU(0.5), () => new nn.Softplus(), () => new nn.Softplus(2), () => new nn.Softmax(1),
      () => new nn.Softmax(-1), () => new nn.LogSoftmax(-1), () => new nn.LogSoftmax(1)];
    for (const a of acts) {
      await check(new nn.Sequential(new nn.Linear(7, 5), a()), [7]);
      await check(new nn.Sequential(new nn.Conv2d(3, 4, 3), a()), [3, 7, 9]);
    }
  });

  it('Conv2d: 3 channels, 7x9 images, padding int / pair / same / valid, stride 2, dilation, groups, no bias', async () => {
    const cases: [number, number, number | [number, number], nn.Conv2dOptions][] = [
      [3, 4, 3, { padding: 1, stride: 2 }],
      [3, 5, [2, 3], { padding: [1, 0], stride: [2, 1] }],
      [3, 2, 3, { padding: 'same', dilation: 2 }],
      [3, 4, [4, 2], { padding: 'same' }],
      [3, 6, 3, { groups: 3, padding: 'valid', bias: false }],
    ];
    for (const [i, o, k, opts] of cases) await check(new nn.Conv2d(i, o, k, opts), [3, 7, 9]);
  });

  it('MaxPool2d / AvgPool2d: padding, stride, dilation, ceil mode, countIncludePad; AdaptiveAvgPool2d', async () => {
    const pools: (() => AnyModule)[] = [
      () => new nn.MaxPool2d(2), () => new nn.MaxPool2d(3, { stride: 2, padding: 1 }), () => new nn.MaxPool2d([2, 3], { dilation: 2 }),
      () => new nn.MaxPool2d(2, { ceilMode: true }), () => new nn.MaxPool2d(3, { stride: 2, padding: 1, ceilMode: true }),
      () => new nn.AvgPool2d(2), () => new nn.AvgPool2d(3, { stride: 2, padding: 1 }), () => new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }),
      () => new nn.AvgPool2d(2, { ceilMode: true }), () => new nn.AvgPool2d([3, 2], { stride: [1, 2] }),
      () => new nn.AdaptiveAvgPool2d(1), () => new nn.AdaptiveAvgPool2d([null, 3]), () => new nn.AdaptiveAvgPool2d([7, 1]),
    ];
    for (const p of pools) await check(p(), [3, 7, 9]);
  });

  it('Flatten (default and partial), Dropout and Identity (left out), ZeroPad2d, ReflectionPad2d, ReplicationPad2d', async () => {
    await check(new nn.Sequential(new nn.Conv2d(3, 2, 3), new nn.Dropout(0.5), new nn.Flatten(), new nn.Identity(), new nn.Linear(70, 3)), [3, 7, 9]);
    await check(new nn.Sequential(new nn.Flatten(2), new nn.Linear(63, 2)), [3, 7, 9]);
    await check(new nn.Flatten(1, 2), [3, 7, 9]);
    await check(new nn.ZeroPad2d([1, 2, 0, 3]), [3, 7, 9]);
    await check(new nn.ReflectionPad2d([1, 2, 0, 3]), [3, 7, 9]);
    await check(new nn.Sequential(new nn.ReplicationPad2d(2), new nn.Conv2d(3, 2, 3)), [3, 7, 9]);
  });

  it('BatchNorm1d on [N, C] and [N, C, L], BatchNorm2d, affine or not: the running statistics', async () => {
    const b1 = new nn.BatchNorm1d(5), b1l = new nn.BatchNorm1d(4, { affine: false, eps: 1e-3 }), b2 = new nn.BatchNorm2d(3);
    for (const b of [b1, b1l, b2]) randomizeStats(b);
    await check(new nn.Sequential(new nn.Linear(7, 5), b1, new nn.ReLU()), [7]);
    await check(b1l, [4, 6]);
    await check(new nn.Sequential(b2, new nn.Conv2d(3, 2, 3)), [3, 7, 9]);
  });

  it('the MNIST MLP and LeNet-5 at batch 1 and 5', async () => {
    for (const batch of [1, 5]) {
      await check(new nn.Sequential(new nn.Flatten(), new nn.Linear(784, 128), new nn.ReLU(), new nn.Linear(128, 10), new nn.LogSoftmax(1)), [1, 28, 28], batch);
      await check(new nn.Sequential(
        new nn.Conv2d(1, 6, 5, { padding: 2 }), new nn.ReLU(), new nn.MaxPool2d(2),
        new nn.Conv2d(6, 16, 5), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(),
        new nn.Linear(400, 120), new nn.ReLU(), new nn.Linear(120, 84), new nn.ReLU(), new nn.Linear(84, 10), new nn.Softmax(1),
      ), [1, 28, 28], batch);
    }
  });

  it('errors: unsupported or custom modules, BatchNorm without running statistics, a missing or wrong inputShape', () => {
    const lstm = new nn.Sequential(new nn.Linear(4, 4), new nn.LSTM(4, 3));
    expect(() => exportOnnx(lstm, { inputShape: [2, 4] })).toThrow(/exportOnnx: module LSTM has no ONNX conversion; supported modules: Sequential, Linear, Conv2d, .*LogSoftmax/);
    expect(() => exportOnnx(lstm)).toThrow(/exportOnnx: needs \{ inputShape \}/);
    expect(() => exportOnnx(lstm, { inputShape: [2, 5] })).toThrow(/Linear expects input \[N, \.\.\., 4\], got \[N, 2, 5\]/);
    lstm.dispose();
    class Custom extends nn.Module { forward(x: Tensor): Tensor { return x.relu(); } }
    expect(() => exportOnnx(new Custom(), { inputShape: [3] })).toThrow(/module Custom has no ONNX conversion/);
    const bn = new nn.BatchNorm1d(3, { trackRunningStats: false });
    expect(() => exportOnnx(bn, { inputShape: [3] })).toThrow(/BatchNorm1d without running statistics \(trackRunningStats false\)/);
    bn.dispose();
    const avg = new nn.AvgPool2d(2, { divisorOverride: 3 });
    expect(() => exportOnnx(avg, { inputShape: [1, 4, 4] })).toThrow(/divisorOverride has no ONNX equivalent/);
    const ad = new nn.AdaptiveAvgPool2d(2);
    expect(() => exportOnnx(ad, { inputShape: [1, 5, 4] })).toThrow(/AdaptiveAvgPool2d from \[5, 4\] to \[2, 2\]: only output sizes that divide/);
    expect(() => exportOnnx(new nn.Flatten(0), { inputShape: [3, 2] })).toThrow(/Flatten\(0, -1\) on \[N, 3, 2\]: only dims after the \(dynamic\) batch dim can be merged/);
  });
});
