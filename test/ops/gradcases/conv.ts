// Gradient-check cases for convolution, pooling, padding and upsampling (src/ops/conv.ts, pool.ts,
// pad.ts): odd sizes, stride, padding, dilation and groups varied; one non-contiguous input each.
import type { Tensor } from '../../../src/index';
import type { GradCases, Gen } from '../../helpers/gradcheck';
import { viaBackward } from '../../helpers/second_order';
import { conv1d, conv2d, conv2dInput, conv2dWeight, type Conv2dOptions } from '../../../src/ops/conv';
import { convTranspose2d } from '../../../src/ops/conv_transpose';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d } from '../../../src/ops/pool';
import { pad, upsample } from '../../../src/ops/pad';

const u = (g: Gen, s: number[]) => g.u(s, -1, 1);

function convCase(label: string, xs: number[], ws: number[], o: Conv2dOptions, bias = false) {
  return {
    label, inputs: (g: Gen) => [u(g, xs), u(g, ws), ...(bias ? [u(g, [ws[0]])] : [])],
    fn: (x: Tensor, w: Tensor, b?: Tensor) => conv2d(x, w, b ?? null, o),
  };
}

const outShape = (xs: number[], ws: number[], s: number, p: number, d: number) =>
  [xs[0], ws[0], ...[2, 3].map((i) => Math.floor((xs[i] + 2 * p - d * (ws[i] - 1) - 1) / s) + 1)];

export const gradCases: GradCases = {
  conv2d: [
    convCase('conv2d [2,3,6,5] k3 bias', [2, 3, 6, 5], [4, 3, 3, 3], {}, true),
    convCase('conv2d stride 2 pad 1', [1, 2, 7, 7], [3, 2, 3, 3], { stride: 2, padding: 1 }, true),
    convCase('conv2d stride (2,1) pad (1,2) dilation (2,1)', [1, 2, 7, 6], [2, 2, 3, 2], { stride: [2, 1], padding: [1, 2], dilation: [2, 1] }),
    convCase('conv2d groups 2', [2, 4, 5, 5], [6, 2, 3, 3], { groups: 2, padding: 1 }, true),
    convCase('conv2d depthwise stride 2', [1, 3, 7, 5], [3, 1, 3, 3], { groups: 3, padding: 1, stride: 2 }, true),
    convCase('conv2d same', [1, 2, 5, 4], [2, 2, 2, 3], { padding: 'same' }),
    { label: 'conv2d channels-last view input', inputs: (g) => [u(g, [1, 5, 4, 2]), u(g, [3, 2, 2, 2])], fn: (x, w) => conv2d(x.permute([0, 3, 1, 2]), w) },
    { label: 'conv1d stride 2 pad 1', inputs: (g) => [u(g, [2, 3, 9]), u(g, [2, 3, 3]), u(g, [2])], fn: (x, w, b) => conv1d(x, w, b, { stride: 2, padding: 1 }) },
  ],
  conv2dInputGrad: [
    { label: 'conv2dInput stride 2 pad 1 (dy, w)', inputs: (g) => [u(g, outShape([2, 2, 6, 5], [3, 2, 3, 3], 2, 1, 1)), u(g, [3, 2, 3, 3])],
      fn: (dy, w) => conv2dInput([2, 2, 6, 5], w, dy, { stride: 2, padding: 1 }) },
    { label: 'conv2dInput groups 2 dilation 2', inputs: (g) => [u(g, outShape([1, 4, 7, 7], [2, 2, 2, 2], 1, 1, 2)), u(g, [2, 2, 2, 2])],
      fn: (dy, w) => conv2dInput([1, 4, 7, 7], w, dy, { padding: 1, dilation: 2, groups: 2 }) },
    { label: 'conv2dInput depthwise', inputs: (g) => [u(g, [1, 3, 4, 5]), u(g, [3, 1, 3, 3])],
      fn: (dy, w) => conv2dInput([1, 3, 4, 5], w, dy, { padding: 1, groups: 3 }) },
  ],
  conv2dWeightGrad: [
    { label: 'conv2dWeight stride 2 pad 1 (x, dy)', inputs: (g) => [u(g, [2, 2, 6, 5]), u(g, outShape([2, 2, 6, 5], [3, 2, 3, 3], 2, 1, 1))],
      fn: (x, dy) => conv2dWeight(x, [3, 2, 3, 3], dy, { stride: 2, padding: 1 }) },
    { label: 'conv2dWeight groups 2', inputs: (g) => [u(g, [1, 4, 5, 5]), u(g, [1, 2, 3, 3])],
      fn: (x, dy) => conv2dWeight(x, [2, 2, 3, 3], dy, { groups: 2 }) },
    { label: 'conv2dWeight depthwise stride 2', inputs: (g) => [u(g, [1, 3, 7, 5]), u(g, [1, 3, 4, 3])],
      fn: (x, dy) => conv2dWeight(x, [3, 1, 3, 3], dy, { groups: 3, padding: 1, stride: 2 }) },
  ],
  // maxPool2d composes the argmax kernel with gather: distinct values keep windows away from ties.
  maxPool2d: [
    { label: 'maxPool2d 2', inputs: (g) => [g.distinct([2, 2, 5, 6], 0.05)], fn: (x) => maxPool2d(x, 2) },
    { label: 'maxPool2d k3 s2 p1 ceil', inputs: (g) => [g.distinct([1, 2, 6, 7], 0.05)], fn: (x) => maxPool2d(x, 3, { stride: 2, padding: 1, ceilMode: true }) },
    { label: 'maxPool2d dilation 2', inputs: (g) => [g.distinct([1, 1, 7, 6], 0.05)], fn: (x) => maxPool2d(x, [2, 3], { stride: 1, dilation: 2 }) },
  ],
  avgPool2d: [
    { label: 'avgPool2d k3 s2 p1', inputs: (g) => [u(g, [2, 2, 7, 6])], fn: (x) => avgPool2d(x, 3, { stride: 2, padding: 1 }) },
    { label: 'avgPool2d exclude pad, ceil', inputs: (g) => [u(g, [1, 2, 6, 5])], fn: (x) => avgPool2d(x, [3, 2], { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }) },
    { label: 'avgPool2d of a transposed view', inputs: (g) => [u(g, [1, 2, 5, 6])], fn: (x) => avgPool2d(x.transpose(2, 3), 2) },
  ],
  avgPool2dBackward: [
    { label: 'avgPool2d backward k3 s2 p1', inputs: (g) => [u(g, [1, 2, 3, 3])], fn: viaBackward([1, 2, 5, 5], (t) => avgPool2d(t, 3, { stride: 2, padding: 1 })) },
    { label: 'avgPool2d backward exclude pad', inputs: (g) => [u(g, [1, 1, 3, 3])], fn: viaBackward([1, 1, 5, 4], (t) => avgPool2d(t, 2, { stride: 2, padding: 1, countIncludePad: false })) },
  ],
  adaptiveAvgPool2d: [
    { label: 'adaptiveAvgPool2d 7x5 -> 3x2', inputs: (g) => [u(g, [2, 2, 7, 5])], fn: (x) => adaptiveAvgPool2d(x, [3, 2]) },
    { label: 'adaptiveAvgPool2d global', inputs: (g) => [u(g, [2, 3, 3, 4])], fn: (x) => adaptiveAvgPool2d(x, 1) },
  ],
  adaptiveAvgPool2dBackward: [
    { label: 'adaptiveAvgPool2d backward 5x7 -> 2x3', inputs: (g) => [u(g, [1, 2, 2, 3])], fn: viaBackward([1, 2, 5, 7], (t) => adaptiveAvgPool2d(t, [2, 3])) },
  ],
  pad: [
    { label: 'pad [1,2,0,3]', inputs: (g) => [u(g, [2, 3, 4])], fn: (x) => pad(x, [1, 2, 0, 3], 'constant', 0.5) },
    { label: 'pad with crop [-1,2,1,-2]', inputs: (g) => [u(g, [2, 5, 4])], fn: (x) => pad(x, [-1, 2, 1, -2]) },
  ],
  cat: [
    // reflect / replicate / circular pad concatenate views of x (narrow, flip, expand)
    { label: 'reflect pad [2,1,1,2] of [2, 4, 5]', inputs: (g) => [u(g, [2, 4, 5])], fn: (x) => pad(x, [2, 1, 1, 2], 'reflect') },
    { label: 'replicate pad [1,3] of a transposed view', inputs: (g) => [u(g, [4, 3])], fn: (x) => pad(x.T, [1, 3], 'replicate') },
    { label: 'circular pad [0,2,3,1] of [3, 5]', inputs: (g) => [u(g, [3, 5])], fn: (x) => pad(x, [0, 2, 3, 1], 'circular') },
  ],
  conv2dInputGrad: [
    // convTranspose2d runs conv2d's input-gradient op forward (its own backward: conv2d and the weight gradient)
    { label: 'convTranspose2d stride 2, padding 1, output padding 1, bias', inputs: (g) => [u(g, [1, 2, 3, 3]), u(g, [2, 3, 3, 3]), u(g, [3])],
      fn: (x, w, b) => convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }) },
    { label: 'convTranspose2d groups 2, dilation 2, a transposed input view', inputs: (g) => [u(g, [1, 4, 3, 2]), u(g, [4, 1, 2, 2])],
      fn: (x, w) => convTranspose2d(x.transpose(2, 3), w, null, { groups: 2, dilation: 2 }) },
  ],
  indexSelect: [
    // bilinear resizing: indexSelect along W and H, weighted and added
    { label: 'bilinear [2, 1, 3, 4] to [5, 3]', inputs: (g) => [u(g, [2, 1, 3, 4])], fn: (x) => upsample(x, { size: [5, 3], mode: 'bilinear' }) },
    { label: 'bilinear x2, align corners, transposed view', inputs: (g) => [u(g, [1, 2, 4, 3])], fn: (x) => upsample(x.transpose(2, 3), { scaleFactor: 2, mode: 'bilinear', alignCorners: true }) },
  ],
  upsampleNearest2d: [
    { label: 'upsample x2', inputs: (g) => [u(g, [1, 2, 3, 2])], fn: (x) => upsample(x, { scaleFactor: 2 }) },
    { label: 'upsample to size [5, 7]', inputs: (g) => [u(g, [2, 1, 3, 4])], fn: (x) => upsample(x, { size: [5, 7] }) },
  ],
  upsampleNearest2dBackward: [
    { label: 'upsample backward x(2,3)', inputs: (g) => [u(g, [1, 2, 6, 6])], fn: viaBackward([1, 2, 3, 2], (t) => upsample(t, { scaleFactor: [2, 3] })) },
  ],
};

