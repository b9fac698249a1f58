// Keras / TensorFlow.js initializers by name ('glorotUniform', 'heNormal', ...). An Initializer
// fills a tensor in place and returns it. Fans use Keras' kernel layout [..., in, out] unless
// `{ layout: 'torch' }` ([out, in, ...]) is asked for.
import { Tensor } from '../tensor';
import { tidy } from '../memory';
import { noGrad } from '../autograd';
import { assign } from './param';
import { check, fmtShape } from '../util/errors';
import * as init from './init';

/** Fills t in place (from the seeded generator) and returns it. */
export type Initializer = (t: Tensor) => Tensor;

export type InitializerName = 'zeros' | 'ones' | 'constant' | 'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal'
  | 'leCunUniform' | 'leCunNormal' | 'randomNormal' | 'randomUniform' | 'truncatedNormal' | 'orthogonal' | 'identity';

export type FanLayout = 'keras' | 'torch';

/** [fanIn, fanOut]; Keras: [in, out] for dense kernels, [...kernel, in, out] for convolutions. */
export function computeFans(shape: readonly number[], layout: FanLayout = 'keras'): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (layout === 'torch') return init.calculateFanInAndFanOut(shape);
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape[shape.length - 2] * receptive, shape[shape.length - 1] * receptive];
}

export interface VarianceScalingOptions {
  scale?: number;
  mode?: 'fanIn' | 'fanOut' | 'fanAvg';
  distribution?: 'truncatedNormal' | 'normal' | 'uniform';
  layout?: FanLayout;
}

/**
 * Keras VarianceScaling: variance scale / n (n = fanIn, fanOut or their mean); 'uniform' draws
 * U(-sqrt(3 scale / n), +), 'truncatedNormal' a 2-sigma truncated normal rescaled to that
 * variance (std / 0.8796...), 'normal' an untruncated normal.
 */
export function varianceScaling({ scale = 1, mode = 'fanIn', distribution = 'truncatedNormal', layout = 'keras' }: VarianceScalingOptions = {}): Initializer {
  check(scale > 0, 'varianceScaling', () => `scale must be positive, got ${scale}`);
  return (t) => {
    const [fi, fo] = computeFans(t.shape, layout);
    const n = Math.max(1, mode === 'fanIn' ? fi : mode === 'fanOut' ? fo : (fi + fo) / 2);
    const v = scale / n;
    if (distribution === 'uniform') { const lim = Math.sqrt(3 * v); return init.uniform_(t, -lim, lim); }
    if (distribution === 'normal') return init.normal_(t, 0, Math.sqrt(v));
    const std = Math.sqrt(v) / 0.87962566103423978;
    return init.truncNormal_(t, 0, std, -2 * std, 2 * std);
  };
}

type Opt = { layout?: FanLayout };

/** Named factories, as `tf.initializers.*`. */
export const initializers = {
  zeros: (): Initializer => init.zeros_,
  ones: (): Initializer => init.ones_,
  constant: ({ value = 0 }: { value?: number } = {}): Initializer => (t) => init.constant_(t, value),
  glorotUniform: ({ layout }: Opt = {}) => varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'uniform', layout }),
  glorotNormal: ({ layout }: Opt = {}) => varianceScaling({ scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal', layout }),
  heUniform: ({ layout }: Opt = {}) => varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'uniform', layout }),
  heNormal: ({ layout }: Opt = {}) => varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'truncatedNormal', layout }),
  leCunUniform: ({ layout }: Opt = {}) => varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'uniform', layout }),
  leCunNormal: ({ layout }: Opt = {}) => varianceScaling({ scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', layout }),
  randomNormal: ({ mean = 0, stddev = 0.05 }: { mean?: number; stddev?: number } = {}): Initializer => (t) => init.normal_(t, mean, stddev),
  randomUniform: ({ minval = -0.05, maxval = 0.05 }: { minval?: number; maxval?: number } = {}): Initializer => (t) => init.uniform_(t, minval, maxval),
  truncatedNormal: ({ mean = 0, stddev = 0.05 }: { mean?: number; stddev?: number } = {}): Initializer =>
    (t) => init.truncNormal_(t, mean, stddev, mean - 2 * stddev, mean + 2 * stddev),
  /** Keras' orthogonal over [rest, lastDim]: rows are flattened leading dims. */
  orthogonal: ({ gain = 1, layout = 'keras' }: { gain?: number } & Opt = {}): Initializer => (t) => {
    if (layout === 'torch' || t.ndim < 2) return init.orthogonal_(t, gain);
    // Keras orthogonalizes the [prod(leading), last] matrix (PyTorch: [first, prod(rest)]).
    const last = t.shape[t.ndim - 1];
    const tt = Tensor._empty([t.size / last, last]);
    init.orthogonal_(tt, gain);
    noGrad(() => tidy(() => { assign(t, tt.reshape([...t.shape])); }));
    tt.dispose();
    return t;
  },
  identity: ({ gain = 1 }: { gain?: number } = {}): Initializer => (t) => {
    check(t.ndim === 2, 'initializers.identity', () => `needs a 2-D tensor, got shape ${fmtShape(t.shape)}`);
    init.eye_(t);
    if (gain !== 1) noGrad(() => tidy(() => { assign(t, t.mul(gain)); }));
    return t;
  },
};

/**
 * An initializer from a name ('glorotUniform', also snake/Keras spellings like 'glorot_uniform'
 * and 'he_normal'), a function, or an Initializer.
 * @example
 * getInitializer('heNormal')(linear.weight);
 */
export function getInitializer(nameOrFn: InitializerName | string | Initializer, opts: Opt = {}): Initializer {
  if (typeof nameOrFn === 'function') return nameOrFn;
  check(typeof nameOrFn === 'string', 'getInitializer', () => `expected an initializer name or function, got ${typeof nameOrFn}`);
  const key = nameOrFn.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/^lecun/, 'leCun')
    .replace(/^(GlorotUniform|GlorotNormal|HeUniform|HeNormal|LeCunUniform|LeCunNormal|RandomNormal|RandomUniform|TruncatedNormal|Orthogonal|Zeros|Ones|Identity)$/, (m) => m[0].toLowerCase() + m.slice(1));
  const f = (initializers as Record<string, (o?: object) => Initializer>)[key];
  check(f !== undefined, 'getInitializer', () => `unknown initializer '${nameOrFn}' (expected one of ${Object.keys(initializers).join(', ')})`);
  return f(opts);
}
