// torch.nn.init: fill an existing tensor in place from the seeded generator (manualSeed), never
// recorded by autograd. Fans follow PyTorch's layout: weight [out, in, ...kernel].
// Keras-style named initializers (fans for [..., in, out] kernels) are in initializers.ts.
import { Tensor } from '../tensor';
import { fromFlat, normal, uniform } from '../creation';
import { check, fmtShape } from '../util/errors';
import { assign } from './param';

export type Nonlinearity = 'linear' | 'identity' | 'conv1d' | 'conv2d' | 'conv3d' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'leaky_relu' | 'selu';
export type FanMode = 'fanIn' | 'fanOut';

function live(op: string, t: Tensor): void {
  check(t?._isTensor, op, () => `expected a tensor, got ${typeof t}`);
  t._assertLive(op);
  check(t.dtype === 'float32', op, () => `expected a float32 tensor, got ${t.dtype}`);
}

/** Writes a fresh tensor into t and frees it. */
function fill(t: Tensor, src: Tensor): Tensor {
  assign(t, src);
  src.dispose();
  return t;
}

/**
 * The recommended gain for a nonlinearity (torch.nn.init.calculate_gain): 1 for linear and
 * sigmoid, 5/3 for tanh, sqrt(2) for relu, sqrt(2 / (1 + slope^2)) for leakyRelu, 3/4 for selu.
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'identity': case 'conv1d': case 'conv2d': case 'conv3d': case 'sigmoid': return 1;
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leakyRelu': case 'leaky_relu': {
      const s = param ?? 0.01;
      check(typeof s === 'number' && Number.isFinite(s), 'calculateGain', () => `negative slope ${s} is not a valid number`);
      return Math.sqrt(2 / (1 + s * s));
    }
    case 'selu': return 3 / 4;
    default: throw new Error(`asgrad.calculateGain: unsupported nonlinearity '${String(nonlinearity)}' (expected linear, sigmoid, tanh, relu, leakyRelu or selu)`);
  }
}

/** [fanIn, fanOut] of a weight [out, in, ...kernel]: in * receptive field, out * receptive field. */
export function calculateFanInAndFanOut(t: Tensor | readonly number[]): [number, number] {
  const shape = Array.isArray(t) ? t : (t as Tensor).shape;
  check(shape.length >= 2, 'init', () => `fan in and fan out can not be computed for a tensor with fewer than 2 dimensions (shape ${fmtShape(shape)})`);
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return [shape[1] * receptive, shape[0] * receptive];
}

export function uniform_(t: Tensor, a = 0, b = 1): Tensor {
  live('init.uniform_', t);
  check(a <= b, 'init.uniform_', () => `expected a <= b, got a=${a}, b=${b}`);
  return fill(t, uniform([...t.shape], a, b));
}

export function normal_(t: Tensor, mean = 0, std = 1): Tensor {
  live('init.normal_', t);
  check(std >= 0, 'init.normal_', () => `std must be non-negative, got ${std}`);
  return fill(t, normal([...t.shape], mean, std));
}

/**
 * Normal(mean, std) restricted to [a, b] (absolute bounds, torch.nn.init.trunc_normal_), by
 * redrawing the values that fall outside.
 */
export function truncNormal_(t: Tensor, mean = 0, std = 1, a = -2, b = 2): Tensor {
  live('init.truncNormal_', t);
  check(a < b && mean >= a - 2 * std && mean <= b + 2 * std, 'init.truncNormal_', () => `need a < b and the mean near [a, b], got mean=${mean}, a=${a}, b=${b}`);
  const out = new Float32Array(t.size);
  let todo = Array.from({ length: t.size }, (_, i) => i);
  for (let round = 0; todo.length > 0; round++) {
    check(round < 1000, 'init.truncNormal_', () => `[${a}, ${b}] has too little mass under Normal(${mean}, ${std})`);
    const d = normal([todo.length], mean, std);
    const v = d.data() as Float32Array;
    d.dispose();
    const next: number[] = [];
    todo.forEach((idx, j) => { if (v[j] >= a && v[j] <= b) out[idx] = v[j]; else next.push(idx); });
    todo = next;
  }
  return fill(t, fromFlat(out, t.shape, 'float32'));
}

export function constant_(t: Tensor, value: number): Tensor {
  live('init.constant_', t);
  return assign(t, value);
}
export const zeros_ = (t: Tensor): Tensor => constant_(t, 0);
export const ones_ = (t: Tensor): Tensor => constant_(t, 1);

/** The identity matrix in a 2-D tensor (torch.nn.init.eye_). */
export function eye_(t: Tensor): Tensor {
  live('init.eye_', t);
  check(t.ndim === 2, 'init.eye_', () => `only 2-D tensors are supported, got shape ${fmtShape(t.shape)}`);
  const v = new Float32Array(t.size);
  for (let i = 0; i < Math.min(t.shape[0], t.shape[1]); i++) v[i * t.shape[1] + i] = 1;
  return fill(t, fromFlat(v, t.shape, 'float32'));
}

/** U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut)) (Glorot & Bengio 2010). */
export function xavierUniform_(t: Tensor, gain = 1): Tensor {
  live('init.xavierUniform_', t);
  const [fi, fo] = calculateFanInAndFanOut(t);
  const a = gain * Math.sqrt(6 / (fi + fo));
  return fill(t, uniform([...t.shape], -a, a));
}

/** N(0, std^2) with std = gain * sqrt(2 / (fanIn + fanOut)). */
export function xavierNormal_(t: Tensor, gain = 1): Tensor {
  live('init.xavierNormal_', t);
  const [fi, fo] = calculateFanInAndFanOut(t);
  return fill(t, normal([...t.shape], 0, gain * Math.sqrt(2 / (fi + fo))));
}

export interface KaimingOptions {
  /** Negative slope of the following leaky ReLU (0 for ReLU). */
  a?: number;
  mode?: FanMode;
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, t: Tensor, { a = 0, mode = 'fanIn', nonlinearity = 'leakyRelu' }: KaimingOptions): number {
  live(op, t);
  check(mode === 'fanIn' || mode === 'fanOut', op, () => `mode must be 'fanIn' or 'fanOut', got ${JSON.stringify(mode)}`);
  const [fi, fo] = calculateFanInAndFanOut(t);
  const fan = mode === 'fanIn' ? fi : fo;
  check(fan > 0, op, () => `cannot initialize a tensor with a zero-size fan (shape ${fmtShape(t.shape)})`);
  return calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

/**
 * U(-bound, bound), bound = gain * sqrt(3 / fan) (He et al. 2015). PyTorch's Linear default is
 * kaimingUniform_(w, { a: Math.sqrt(5) }), i.e. bound = 1 / sqrt(fanIn).
 */
export function kaimingUniform_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd('init.kaimingUniform_', t, opts);
  return fill(t, uniform([...t.shape], -bound, bound));
}

/** N(0, std^2), std = gain / sqrt(fan). */
export function kaimingNormal_(t: Tensor, opts: KaimingOptions = {}): Tensor {
  return fill(t, normal([...t.shape], 0, kaimingStd('init.kaimingNormal_', t, opts)));
}

/**
 * A (semi-)orthogonal matrix (Saxe et al. 2013) over t viewed as [shape[0], rest], times gain:
 * Gram-Schmidt QR of a standard normal draw, in float64 on the host.
 */
export function orthogonal_(t: Tensor, gain = 1): Tensor {
  live('init.orthogonal_', t);
  check(t.ndim >= 2, 'init.orthogonal_', () => `only tensors with 2 or more dimensions are supported, got shape ${fmtShape(t.shape)}`);
  const rows = t.shape[0], cols = t.size / rows;
  const m = Math.max(rows, cols), n = Math.min(rows, cols);
  const d = normal([n, m], 0, 1); // n vectors of length m, orthonormalized below
  const raw = d.data() as Float32Array;
  d.dispose();
  const q = Array.from({ length: n }, (_, i) => Float64Array.from(raw.subarray(i * m, (i + 1) * m)));
  for (let i = 0; i < n; i++) {
    for (let pass = 0; pass < 2; pass++) { // twice is enough (Giraud et al. 2005)
      for (let j = 0; j < i; j++) {
        let dot = 0;
        for (let k = 0; k < m; k++) dot += q[i][k] * q[j][k];
        for (let k = 0; k < m; k++) q[i][k] -= dot * q[j][k];
      }
    }
    let norm = 0;
    for (let k = 0; k < m; k++) norm += q[i][k] * q[i][k];
    norm = Math.sqrt(norm);
    for (let k = 0; k < m; k++) q[i][k] /= norm;
  }
  // q holds n orthonormal vectors of length m: rows of t when rows <= cols, else its columns.
  const out = new Float32Array(t.size);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < m; k++) out[rows <= cols ? i * cols + k : k * cols + i] = gain * q[i][k];
  }
  return fill(t, fromFlat(out, t.shape, 'float32'));
}
