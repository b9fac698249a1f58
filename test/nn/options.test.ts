// Options a module or loss does not have are errors that name the module and the options it
// takes, as PyTorch's TypeError on an unexpected keyword: a PyTorch spelling (padding_mode,
// ignore_index) or a typo would otherwise be ignored and the model silently differ.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { nn } from '../../src/index';

const F = nn.functional;
const bogus = { padding_mode: 'reflect' } as never;

describe('unknown options', () => {
  it('every nn module with an options object names the option and the ones it takes', () => {
    const makers: [string, () => unknown, string][] = [
      ['Linear', () => new nn.Linear(3, 4, bogus), 'bias'],
      ['Conv2d', () => new nn.Conv2d(3, 4, 3, bogus), 'stride, padding, dilation, groups, bias, paddingMode'],
      ['Conv1d', () => new nn.Conv1d(3, 4, 3, bogus), 'stride, padding, dilation, groups, bias, paddingMode'],
      ['ConvTranspose2d', () => new nn.ConvTranspose2d(3, 4, 3, bogus), 'stride, padding, outputPadding, dilation, groups, bias, paddingMode'],
      ['BatchNorm1d', () => new nn.BatchNorm1d(3, bogus), 'eps, momentum, affine, trackRunningStats'],
      ['BatchNorm2d', () => new nn.BatchNorm2d(3, bogus), 'eps, momentum, affine, trackRunningStats'],
      ['LayerNorm', () => new nn.LayerNorm([3], bogus), 'eps, elementwiseAffine, bias'],
      ['GroupNorm', () => new nn.GroupNorm(1, 3, bogus), 'eps, affine'],
      ['InstanceNorm2d', () => new nn.InstanceNorm2d(3, bogus), 'eps, momentum, affine, trackRunningStats'],
      ['MaxPool2d', () => new nn.MaxPool2d(2, bogus), 'stride, padding, dilation, ceilMode'],
      ['AvgPool2d', () => new nn.AvgPool2d(2, bogus), 'stride, padding, ceilMode, countIncludePad, divisorOverride'],
      ['MaxPool1d', () => new nn.MaxPool1d(2, bogus), 'stride, padding, dilation, ceilMode'],
      ['AvgPool1d', () => new nn.AvgPool1d(2, bogus), 'stride, padding, ceilMode, countIncludePad'],
      ['RNNCell', () => new nn.RNNCell(3, 4, bogus), 'bias, nonlinearity'],
      ['LSTMCell', () => new nn.LSTMCell(3, 4, bogus), 'bias'],
      ['MultiheadAttention', () => new nn.MultiheadAttention(4, 2, bogus), 'dropout, bias, addBiasKv, addZeroAttn, kdim, vdim, batchFirst'],
      ['TransformerEncoderLayer', () => new nn.TransformerEncoderLayer(4, 2, bogus), 'dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, bias'],
      ['Upsample', () => new nn.Upsample({ scaleFactor: 2, ...(bogus as object) }), 'size, scaleFactor, mode, alignCorners'],
    ];
    for (const [name, make, known] of makers) {
      expect(make, name).toThrow(`asgrad.${name}: unknown option 'padding_mode' (expected ${known})`);
    }
  });

  it('losses name the option, also through their modules', () => ag.tidy(() => {
    const x = ag.zeros([2, 3]), t = ag.tensor([0, 2], { dtype: 'int32' });
    expect(() => F.crossEntropy(x, t, { ignore_index: 0 } as never)).toThrow("asgrad.crossEntropy: unknown option 'ignore_index' (expected reduction, weight, ignoreIndex, labelSmoothing)");
    expect(() => new nn.CrossEntropyLoss({ label_smoothing: 0.1 } as never).forward(x, t)).toThrow(/asgrad\.crossEntropy: unknown option 'label_smoothing'/);
    expect(() => F.nllLoss(x, t, { size_average: true } as never)).toThrow(/asgrad\.nllLoss: unknown option 'size_average' \(expected reduction, weight, ignoreIndex\)/);
    expect(() => F.binaryCrossEntropyWithLogits(x, x, { pos_weight: x } as never)).toThrow(/unknown option 'pos_weight' \(expected reduction, weight, posWeight\)/);
    for (const [f, known] of [[F.mseLoss, 'reduction'], [F.l1Loss, 'reduction'], [F.smoothL1Loss, 'reduction, beta'], [F.huberLoss, 'reduction, delta'], [F.binaryCrossEntropy, 'reduction, weight']] as const) {
      expect(() => f(x, x, { reduce: false } as never)).toThrow(`unknown option 'reduce' (expected ${known})`);
    }
  }));
});

describe('unknown options of the functional ops', () => {
  it('name the op and the options it takes', () => ag.tidy(() => {
    const x = ag.zeros([1, 1, 4, 4]), w = ag.zeros([1, 1, 2, 2]), x1 = ag.zeros([1, 1, 6]);
    const cases: [string, () => unknown, string][] = [
      ['conv2d', () => ag.conv2d(x, w, null, bogus), 'stride, padding, dilation, groups'],
      ['conv1d', () => ag.conv1d(x1, ag.zeros([1, 1, 2]), null, bogus), 'stride, padding, dilation, groups'],
      ['convTranspose2d', () => F.convTranspose2d(x, w, null, bogus), 'stride, padding, outputPadding, dilation, groups'],
      ['maxPool2d', () => ag.maxPool2d(x, 2, bogus), 'stride, padding, dilation, ceilMode'],
      ['avgPool2d', () => ag.avgPool2d(x, 2, bogus), 'stride, padding, ceilMode, countIncludePad, divisorOverride'],
      ['maxPool1d', () => F.maxPool1d(x1, 2, bogus), 'stride, padding, dilation, ceilMode'],
      ['avgPool1d', () => F.avgPool1d(x1, 2, bogus), 'stride, padding, ceilMode, countIncludePad'],
      ['upsample', () => ag.upsample(x, { scaleFactor: 2, ...(bogus as object) }), 'size, scaleFactor, mode, alignCorners'],
    ];
    for (const [name, call, known] of cases) expect(call, name).toThrow(`asgrad.${name}: unknown option 'padding_mode' (expected ${known})`);
  }));
});

describe('Conv paddingMode', () => {
  it("pads with F.pad's mode before a convolution without padding, and shows it in the repr", () => ag.tidy(() => {
    const conv = new nn.Conv2d(1, 1, 3, { padding: 1, paddingMode: 'circular', bias: false });
    nn.assign(conv.weight, 0);
    nn.assign(conv.weight.narrow(2, 0, 1).narrow(3, 0, 1), 1); // picks x[i - 1, j - 1]: the wrapped-around neighbour
    const x = ag.arange(9).float().reshape(1, 1, 3, 3);
    expect(conv.forward(x).toArray()).toEqual([[[[8, 6, 7], [2, 0, 1], [5, 3, 4]]]]);
    expect(String(conv)).toBe('Conv2d(1, 1, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False, padding_mode=circular)');
    conv.dispose();
    expect(() => new nn.ConvTranspose2d(1, 1, 3, { paddingMode: 'reflect' } as never)).toThrow("asgrad.ConvTranspose2d: paddingMode must be 'zeros', got 'reflect'");
    expect(() => new nn.Conv1d(1, 1, 3, { paddingMode: 'mirror' } as never)).toThrow("asgrad.Conv1d: paddingMode must be 'zeros', 'reflect', 'replicate' or 'circular', got 'mirror'");
  }));
});
