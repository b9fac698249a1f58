// Gradient-check cases for the channels-last convolution and pooling ops (src/ops/conv_nhwc.ts,
// pool_nhwc.ts): odd channel counts, stride, asymmetric padding, dilation, the one-channel direct
// kernel, the 1×1 path and a strided (NCHW-permuted) input.
import type { Tensor } from '../../../src/index';
import type { GradCases, Gen } from '../../helpers/gradcheck';
import { viaBackward } from '../../helpers/second_order';
import { conv2dNhwc, conv2dNhwcInput, conv2dNhwcWeight, type NhwcGeom } from '../../../src/ops/conv_nhwc';
import { avgPool2dNhwc, maxPool2dNhwc } from '../../../src/ops/pool_nhwc';
import type { PoolGeom } from '../../../src/ops/pool';

const u = (g: Gen, s: number[]) => g.u(s, -1, 1);
const G = (g: Partial<NhwcGeom>): NhwcGeom => ({ sh: 1, sw: 1, pt: 0, pb: 0, pl: 0, pr: 0, dh: 1, dw: 1, ...g });
const out = (n: number, k: number, s: number, p0: number, p1: number, d: number) => Math.floor((n + p0 + p1 - d * (k - 1) - 1) / s) + 1;

function convCase(label: string, xs: number[], ws: number[], g: NhwcGeom, bias = false) {
  return {
    label, inputs: (gen: Gen) => [u(gen, xs), u(gen, ws), ...(bias ? [u(gen, [ws[3]])] : [])],
    fn: (x: Tensor, w: Tensor, b?: Tensor) => conv2dNhwc(x, w, b ?? null, g),
  };
}

/** dy's shape for x [N, H, W, C] and kernel [kh, kw, C, Co]. */
const dyShape = (xs: number[], ws: number[], g: NhwcGeom) =>
  [xs[0], out(xs[1], ws[0], g.sh, g.pt, g.pb, g.dh), out(xs[2], ws[1], g.sw, g.pl, g.pr, g.dw), ws[3]];

const pool = (k: [number, number], s: [number, number], pads: [number, number, number, number], H: number, W: number, d = 1): PoolGeom => ({
  kh: k[0], kw: k[1], sh: s[0], sw: s[1], pt: pads[0], pb: pads[1], pl: pads[2], pr: pads[3], dh: d, dw: d,
  Ho: out(H, k[0], s[0], pads[0], pads[1], d), Wo: out(W, k[1], s[1], pads[2], pads[3], d),
});


const g2 = G({ sh: 2, sw: 2, pt: 1, pb: 0, pl: 0, pr: 1 });

export const gradCases: GradCases = {
  conv2dNhwc: [
    convCase('conv2dNhwc C=3 k3 bias', [2, 5, 4, 3], [3, 3, 3, 5], G({}), true),
    convCase('conv2dNhwc C=5 stride 2, asymmetric pads', [1, 6, 5, 5], [3, 2, 5, 3], g2, true),
    convCase('conv2dNhwc C=2 dilation (2,1) pads', [1, 7, 5, 2], [2, 3, 2, 3], G({ dh: 2, pt: 1, pb: 1, pl: 1, pr: 1 })),
    convCase('conv2dNhwc C=1 direct kernel, same pads, Co 7', [2, 5, 9, 1], [3, 3, 1, 7], G({ pt: 1, pb: 1, pl: 1, pr: 1 }), true),
    convCase('conv2dNhwc 1x1', [2, 3, 4, 5], [1, 1, 5, 3], G({}), true),
    { label: 'conv2dNhwc of a permuted NCHW input', inputs: (g) => [u(g, [1, 3, 5, 4]), u(g, [2, 2, 3, 2])],
      fn: (x, w) => conv2dNhwc(x.permute([0, 2, 3, 1]), w, null, G({})) },
    { label: 'conv2dNhwc tanh (recorded conv, then the tanh op)', inputs: (g) => [u(g, [1, 4, 4, 2]), u(g, [2, 2, 2, 3])],
      fn: (x, w) => conv2dNhwc(x, w, null, G({}), { activation: 'tanh' }) },
  ],
  conv2dNhwcInputGrad: [
    { label: 'conv2dNhwcInput stride 2 pads (dy, w)', inputs: (g) => [u(g, dyShape([1, 6, 5, 3], [3, 3, 3, 2], g2)), u(g, [3, 3, 3, 2])],
      fn: (dy, w) => conv2dNhwcInput([1, 6, 5, 3], w, dy, g2) },
    { label: 'conv2dNhwcInput 1x1 (dy, w)', inputs: (g) => [u(g, [2, 3, 2, 4]), u(g, [1, 1, 3, 4])],
      fn: (dy, w) => conv2dNhwcInput([2, 3, 2, 3], w, dy, G({})) },
  ],
  conv2dNhwcWeightGrad: [
    { label: 'conv2dNhwcWeight dilation 2 pads (x, dy)', inputs: (g) => [u(g, [1, 6, 7, 2]), u(g, dyShape([1, 6, 7, 2], [2, 2, 2, 3], G({ dh: 2, dw: 2, pt: 1, pb: 1 })))],
      fn: (x, dy) => conv2dNhwcWeight(x, [2, 2, 2, 3], dy, G({ dh: 2, dw: 2, pt: 1, pb: 1 })) },
    { label: 'conv2dNhwcWeight 1x1 (x, dy)', inputs: (g) => [u(g, [2, 3, 2, 3]), u(g, [2, 3, 2, 2])],
      fn: (x, dy) => conv2dNhwcWeight(x, [1, 1, 3, 2], dy, G({})) },
  ],
  // maxPool2dNhwc composes the argmax kernel with gather: distinct values keep windows away from ties.
  maxPool2dNhwc: [
    { label: 'maxPool2dNhwc 2x2 C=5', inputs: (g) => [g.distinct([2, 4, 5, 5], 0.05)], fn: (x) => maxPool2dNhwc(x, pool([2, 2], [2, 2], [0, 0, 0, 0], 4, 5)) },
    { label: 'maxPool2dNhwc 3x3 s2 TF same pads C=3', inputs: (g) => [g.distinct([1, 6, 5, 3], 0.05)], fn: (x) => maxPool2dNhwc(x, pool([3, 3], [2, 2], [0, 1, 1, 1], 6, 5)) },
    { label: 'maxPool2dNhwc dilation 2 C=1', inputs: (g) => [g.distinct([1, 6, 7, 1], 0.05)], fn: (x) => maxPool2dNhwc(x, pool([2, 2], [1, 1], [0, 0, 0, 0], 6, 7, 2)) },
  ],
  avgPool2dNhwc: [
    { label: 'avgPool2dNhwc 3x3 s2 pads C=5', inputs: (g) => [u(g, [2, 6, 5, 5])], fn: (x) => avgPool2dNhwc(x, pool([3, 3], [2, 2], [1, 1, 0, 1], 6, 5)) },
    { label: 'avgPool2dNhwc count pads, of a permuted view', inputs: (g) => [u(g, [1, 3, 5, 4])], fn: (x) => avgPool2dNhwc(x.permute([0, 2, 3, 1]), pool([2, 2], [1, 1], [1, 0, 0, 1], 5, 4), true) },
  ],
  avgPool2dNhwcBackward: [
    { label: 'avgPool2dNhwc backward 3x3 s2 pads', inputs: (g) => [u(g, [1, 3, 3, 3])],
      fn: viaBackward([1, 6, 5, 3], (t) => avgPool2dNhwc(t, pool([3, 3], [2, 2], [1, 1, 1, 1], 6, 5))) },
  ],
};
