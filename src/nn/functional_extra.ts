// More of nn.functional (re-exported by functional.ts): groupNorm, instanceNorm, pixelShuffle,
// pixelUnshuffle, channel-wise dropout1d/dropout2d, and the 1-D / adaptive-max pools of pool1d.ts.
import type { Tensor } from '../tensor';
import { tidy } from '../memory';
import { noGrad } from '../autograd';
import { ones } from '../creation';
import { check, fmtShape } from '../util/errors';
import { assign } from './param';
import { dropout } from './functional';

export { maxPool1d, avgPool1d, adaptiveAvgPool1d, adaptiveMaxPool1d, adaptiveMaxPool2d } from './pool1d';

/** Throws unless x is a live tensor (float32 unless anyDtype). */
function needTensor(op: string, x: unknown, what = 'input', anyDtype = false): asserts x is Tensor {
  check(x !== null && typeof x === 'object' && (x as Tensor)._isTensor, op, () => `${what} must be a tensor, got ${x === null ? 'null' : typeof x}`);
  (x as Tensor)._assertLive(op);
  check(anyDtype || (x as Tensor).dtype === 'float32', op, () => `${what} must be float32, got ${(x as Tensor).dtype}`);
}

/** Checks optional per-channel tensors (weight, bias, running stats) have shape [C]. */
function needChannels(op: string, C: number, x: Tensor, named: [string, Tensor | null][]): void {
  for (const [n, t] of named) {
    if (t === null) continue;
    needTensor(op, t, n);
    check(t.ndim === 1 && t.shape[0] === C, op, () => `${n} must have shape [${C}] (channels of input ${fmtShape(x.shape)}), got ${fmtShape(t.shape)}`);
  }
}

/** y * weight + bias with [C] parameters broadcast over dim 1 of a rank-r tensor. */
function affine(y: Tensor, weight: Tensor | null, bias: Tensor | null): Tensor {
  const bshape = [y.shape[1], ...y.shape.slice(2).map(() => 1)];
  if (weight !== null) y = y.mul(weight.reshape(bshape));
  if (bias !== null) y = y.add(bias.reshape(bshape));
  return y;
}

/**
 * Group normalization (torch.nn.functional.group_norm): x [N, C, *] is split into numGroups groups
 * of C/numGroups channels; each (sample, group) is normalized by its mean and biased variance,
 * then scaled per channel by weight [C] and shifted by bias [C] (both optional).
 * @example
 * const y = F.groupNorm(x, 4); // x [N, 16, H, W]
 */
export function groupNorm(x: Tensor, numGroups: number, weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5): Tensor {
  needTensor('groupNorm', x);
  check(x.ndim >= 2, 'groupNorm', () => `expected an input [N, C, *] of at least 2 dims, got shape ${fmtShape(x.shape)}`);
  const [N, C] = x.shape;
  check(Number.isInteger(numGroups) && numGroups > 0 && C % numGroups === 0, 'groupNorm', () =>
    `expected the number of channels to be divisible by numGroups, but got input of shape ${fmtShape(x.shape)} and numGroups=${numGroups}`);
  needChannels('groupNorm', C, x, [['weight', weight], ['bias', bias]]);
  return tidy(() => {
    const g = x.reshape([N, numGroups, -1]);
    const centred = g.sub(g.mean(2, true));
    const y = centred.mul(centred.square().mean(2, true).add(eps).rsqrt()).reshape([...x.shape]);
    return affine(y, weight, bias);
  });
}

export interface InstanceNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Normalize with each instance's own statistics (default); false uses the running ones. */
  useInputStats?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * Instance normalization (torch.nn.functional.instance_norm) of x [N, C, *]: each (sample,
 * channel) is normalized over its spatial dims by its mean and biased variance. With useInputStats
 * and running statistics given, those move towards the batch averages of the instance means and
 * unbiased variances by momentum (in place, as PyTorch); without useInputStats they normalize.
 */
export function instanceNorm(x: Tensor, runningMean: Tensor | null = null, runningVar: Tensor | null = null, opts: InstanceNormOptions = {}): Tensor {
  const { weight = null, bias = null, useInputStats = true, momentum = 0.1, eps = 1e-5 } = opts;
  needTensor('instanceNorm', x);
  check(x.ndim >= 3, 'instanceNorm', () => `expected an input [N, C, *] with spatial dims, got shape ${fmtShape(x.shape)}`);
  const [N, C] = x.shape, n = x.size / (N * C || 1);
  needChannels('instanceNorm', C, x, [['runningMean', runningMean], ['runningVar', runningVar], ['weight', weight], ['bias', bias]]);
  check(useInputStats || (runningMean !== null && runningVar !== null), 'instanceNorm', () => 'useInputStats=false needs runningMean and runningVar');
  check(!useInputStats || n > 1, 'instanceNorm', () => `expected more than 1 spatial element when training, got input of shape ${fmtShape(x.shape)}`);
  const dims = x.shape.slice(2).map((_, i) => i + 2), bshape = [1, C, ...dims.map(() => 1)];
  return tidy(() => {
    let mean: Tensor, variance: Tensor;
    if (useInputStats) {
      mean = x.mean(dims, true);
      variance = x.sub(mean).square().mean(dims, true);
      if (runningMean !== null && runningVar !== null && N > 0) {
        noGrad(() => {
          assign(runningMean, runningMean.mul(1 - momentum).add(mean.reshape([N, C]).mean(0).mul(momentum)));
          assign(runningVar, runningVar.mul(1 - momentum).add(variance.reshape([N, C]).mean(0).mul(momentum * n / (n - 1))));
        });
      }
    } else {
      mean = runningMean!.reshape(bshape);
      variance = runningVar!.reshape(bshape);
    }
    return affine(x.sub(mean).mul(variance.add(eps).rsqrt()), weight, bias);
  });
}

/** Sub-pixel rearrangement with factor r: up [*, C*r*r, H, W] -> [*, C, H*r, W*r], else the inverse. */
function shuffle(op: string, x: Tensor, r: number, up: boolean): Tensor {
  needTensor(op, x, 'input', true);
  check(Number.isInteger(r) && r > 0, op, () => `${up ? 'upscale' : 'downscale'}Factor must be a positive integer, got ${r}`);
  check(x.ndim >= 3, op, () => `expected an input [*, C, H, W] of at least 3 dims, got shape ${fmtShape(x.shape)}`);
  const b = x.ndim - 3, [C, H, W] = x.shape.slice(b), lead = x.shape.slice(0, b);
  check(up ? C % (r * r) === 0 : H % r === 0 && W % r === 0, op, () => (up
    ? `expected the channel dim (size ${C} of input ${fmtShape(x.shape)}) to be divisible by upscaleFactor^2 = ${r * r}`
    : `expected height and width of input ${fmtShape(x.shape)} to be divisible by downscaleFactor ${r}`));
  const at = (...d: number[]) => [...lead.map((_, i) => i), ...d.map((k) => k + b)];
  return tidy(() => (up
    ? x.reshape([...lead, C / (r * r), r, r, H, W]).permute(at(0, 3, 1, 4, 2)).reshape([...lead, C / (r * r), H * r, W * r])
    : x.reshape([...lead, C, H / r, r, W / r, r]).permute(at(0, 2, 4, 1, 3)).reshape([...lead, C * r * r, H / r, W / r])));
}

/**
 * Rearranges [*, C*r*r, H, W] into [*, C, H*r, W*r] (torch.nn.functional.pixel_shuffle): output
 * pixel (h*r + i, w*r + j) of channel c is input channel c*r*r + i*r + j at (h, w).
 */
export const pixelShuffle = (x: Tensor, upscaleFactor: number): Tensor => shuffle('pixelShuffle', x, upscaleFactor, true);

/** The inverse of pixelShuffle: [*, C, H*r, W*r] -> [*, C*r*r, H, W] (torch.nn.functional.pixel_unshuffle). */
export const pixelUnshuffle = (x: Tensor, downscaleFactor: number): Tensor => shuffle('pixelUnshuffle', x, downscaleFactor, false);

/** Zeroes whole channels: one keep/drop draw per entry of the first `keep` dims, broadcast over the rest. */
function channelDropout(op: string, x: Tensor, p: number, training: boolean, ranks: number[], keep: (nd: number) => number): Tensor {
  needTensor(op, x);
  check(typeof p === 'number' && p >= 0 && p <= 1, op, () => `dropout probability has to be between 0 and 1, but got ${p}`);
  check(ranks.includes(x.ndim), op, () => `expected a ${ranks.join('-D or ')}-D input, got shape ${fmtShape(x.shape)}`);
  if (!training || p === 0) return x;
  const k = keep(x.ndim);
  return tidy(() => x.mul(dropout(ones([...x.shape.slice(0, k), ...x.shape.slice(k).map(() => 1)]), p, true)));
}

/** Channel-wise dropout of [N, C, L] or unbatched [C, L]: each channel is zeroed with probability p, the rest scaled by 1/(1-p). */
export const dropout1d = (x: Tensor, p = 0.5, training = true): Tensor =>
  channelDropout('dropout1d', x, p, training, [2, 3], (nd) => nd - 1);

/**
 * Channel-wise dropout of [N, C, H, W]. A 3-D input is taken as [N, C, L] (PyTorch's current
 * behaviour, which it warns about), so whole rows of dims 0-1 are dropped.
 */
export const dropout2d = (x: Tensor, p = 0.5, training = true): Tensor =>
  channelDropout('dropout2d', x, p, training, [3, 4], () => 2);
