// Transposed 2-D convolution (torch.nn.functional.conv_transpose2d): the gradient of conv2d
// with respect to its input, run forward as an op (so it differentiates to any order).
import { Tensor } from '../tensor';
import { check, fmtShape, knownOptions } from '../util/errors';
import { add } from './binary';
import { conv2dInputGradOp, convGeom, pair, type Pair } from './conv';
import { reshape } from './movement';
import { squeeze, unsqueeze } from './shaping';

export interface ConvTranspose2dOptions {
  stride?: Pair;
  /** Removed from each side of the full output (an int or [h, w]), as in PyTorch. */
  padding?: Pair;
  /** Added to one side of the output (below max(stride, dilation) per dim) to pick among the sizes a stride allows. */
  outputPadding?: Pair;
  dilation?: Pair;
  groups?: number;
}

/**
 * Transposed 2-D convolution (torch.nn.functional.conv_transpose2d): the gradient of conv2d with
 * respect to its input, as an op. x [N, Cin, H, W] (or [Cin, H, W]), weight [Cin, Cout/groups, kh, kw],
 * bias [Cout] -> [N, Cout, Ho, Wo], Ho = (H - 1)·s - 2p + d·(kh - 1) + outputPadding + 1.
 * @example
 * const y = convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }); // 2x upsampling
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, opts: ConvTranspose2dOptions = {}): Tensor {
  const op = 'convTranspose2d';
  knownOptions(op, opts, 'stride padding outputPadding dilation groups');
  check(x?._isTensor && (x.ndim === 4 || x.ndim === 3), op, () => `expected a 4-D input [N, C, H, W] (or 3-D [C, H, W]), got ${x?._isTensor ? `shape ${fmtShape(x.shape)}` : typeof x}`);
  check(weight?._isTensor && weight.ndim === 4, op, () => `expected a 4-D weight [in, out/groups, kh, kw], got ${weight?._isTensor ? `shape ${fmtShape(weight.shape)}` : typeof weight}`);
  for (const [n, t] of [['input', x], ['weight', weight], ['bias', bias]] as const) {
    if (t === null) continue;
    check(t?._isTensor, op, () => `${n} must be a tensor, got ${typeof t}`);
    t._assertLive(op);
    check(t.dtype === 'float32', op, () => `${n} must be float32, got ${t.dtype}`);
  }
  if (x.ndim === 3) {
    const x4 = unsqueeze(x, 0);
    const y = convTranspose2d(x4, weight, bias, opts);
    const r = squeeze(y, 0);
    x4.dispose(); y.dispose();
    return r;
  }
  const { stride = 1, padding = 0, outputPadding = 0, dilation = 1, groups = 1 } = opts;
  const [Cin, Cg, kh, kw] = weight.shape, [N, C, H, W] = x.shape;
  check(Number.isInteger(groups) && groups >= 1 && Cin % groups === 0, op, () => `groups must be a positive integer dividing the weight's ${Cin} input channels, got ${groups}`);
  check(C === Cin, op, () => `weight ${fmtShape(weight.shape)} expects ${Cin} input channels, got input ${fmtShape(x.shape)}`);
  const g = convGeom(op, kh, kw, { stride, padding: pair(op, 'padding', padding, 0), dilation, groups });
  const [oh, ow] = pair(op, 'outputPadding', outputPadding, 0);
  check(oh < Math.max(g.sh, g.dh) && ow < Math.max(g.sw, g.dw), op, () =>
    `outputPadding must be smaller than stride or dilation in each dim, got outputPadding [${oh}, ${ow}] with stride [${g.sh}, ${g.sw}] and dilation [${g.dh}, ${g.dw}]`);
  const Co = Cg * groups;
  const Ho = (H - 1) * g.sh - g.pt - g.pb + g.dh * (kh - 1) + oh + 1, Wo = (W - 1) * g.sw - g.pl - g.pr + g.dw * (kw - 1) + ow + 1;
  check(Ho > 0 && Wo > 0, op, () => `the output would be empty ([${Ho}, ${Wo}]) for input ${fmtShape(x.shape)}, kernel [${kh}, ${kw}] and padding [${g.pt}, ${g.pl}]`);
  if (bias !== null) check(bias.ndim === 1 && bias.shape[0] === Co, op, () => `bias must have shape [${Co}], got ${fmtShape(bias.shape)}`);
  const y = conv2dInputGradOp(x, weight, g, [N, Co, Ho, Wo]);
  if (bias === null) return y;
  const b = reshape(bias, [1, Co, 1, 1]);
  const r = add(y, b);
  y.dispose(); b.dispose();
  return r;
}
