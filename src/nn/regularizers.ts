// Weight penalties: l1 / l2 / l1l2 as functions returning a scalar tensor (add it to the loss),
// and as Keras / TensorFlow.js regularizer objects ({ l1: 0.01 }) with apply(weight).
import type { Tensor } from '../tensor';
import { tidy } from '../memory';
import { check } from '../util/errors';

/** A penalty on one weight, as `tf.regularizers.*`. */
export interface Regularizer {
  readonly className: 'L1L2';
  readonly l1: number;
  readonly l2: number;
  /** The scalar penalty l1 * sum(|w|) + l2 * sum(w^2). */
  apply(weight: Tensor): Tensor;
  /** The TF.js serialization config. */
  getConfig(): { l1: number; l2: number };
}

function penalty(w: Tensor, l1: number, l2: number): Tensor {
  check(w?._isTensor, 'regularizers', () => `expected a weight tensor, got ${typeof w}`);
  check(Number.isFinite(l1) && Number.isFinite(l2), 'regularizers', () => `factors must be finite numbers, got l1=${l1}, l2=${l2}`);
  return tidy(() => {
    const a = l1 !== 0 ? w.abs().sum().mul(l1) : null;
    const b = l2 !== 0 ? w.square().sum().mul(l2) : null;
    return a && b ? a.add(b) : a ?? b ?? w.sum().mul(0);
  });
}

function make(l1: number, l2: number): Regularizer {
  check(Number.isFinite(l1) && Number.isFinite(l2) && l1 >= 0 && l2 >= 0, 'regularizers', () => `factors must be non-negative numbers, got l1=${l1}, l2=${l2}`);
  return { className: 'L1L2', l1, l2, apply: (w) => penalty(w, l1, l2), getConfig: () => ({ l1, l2 }) };
}

const isT = (x: unknown): x is Tensor => typeof x === 'object' && x !== null && (x as Tensor)._isTensor === true;

/**
 * l1(w, factor = 0.01) -> factor * sum(|w|); l1({ l1: 0.01 }) -> a Regularizer.
 * @example
 * const loss = mse.add(l1(fc.weight, 1e-4));
 */
export function l1(w: Tensor, factor?: number): Tensor;
export function l1(config?: { l1?: number }): Regularizer;
export function l1(a?: Tensor | { l1?: number }, factor = 0.01): Tensor | Regularizer {
  return isT(a) ? penalty(a, factor, 0) : make(a?.l1 ?? 0.01, 0);
}

/** l2(w, factor = 0.01) -> factor * sum(w^2) (Keras' l2, no 1/2); l2({ l2: 0.01 }) -> a Regularizer. */
export function l2(w: Tensor, factor?: number): Tensor;
export function l2(config?: { l2?: number }): Regularizer;
export function l2(a?: Tensor | { l2?: number }, factor = 0.01): Tensor | Regularizer {
  return isT(a) ? penalty(a, 0, factor) : make(0, a?.l2 ?? 0.01);
}

/** l1l2(w, l1 = 0.01, l2 = 0.01) -> both penalties summed; l1l2({ l1, l2 }) -> a Regularizer (TF.js defaults 0.01). */
export function l1l2(w: Tensor, l1?: number, l2?: number): Tensor;
export function l1l2(config?: { l1?: number; l2?: number }): Regularizer;
export function l1l2(a?: Tensor | { l1?: number; l2?: number }, f1 = 0.01, f2 = 0.01): Tensor | Regularizer {
  return isT(a) ? penalty(a, f1, f2) : make(a?.l1 ?? 0.01, a?.l2 ?? 0.01);
}

/** A regularizer from a name ('l1', 'l2', 'l1l2' / 'l1_l2', with default factors) or an object. */
export function getRegularizer(x: 'l1' | 'l2' | 'l1l2' | 'l1_l2' | string | Regularizer): Regularizer {
  if (typeof x === 'object' && x !== null && typeof x.apply === 'function') return x;
  if (x === 'l1') return l1({});
  if (x === 'l2') return l2({});
  check(x === 'l1l2' || x === 'l1_l2', 'getRegularizer', () => `unknown regularizer ${JSON.stringify(x)} (expected 'l1', 'l2' or 'l1l2')`);
  return l1l2({});
}
