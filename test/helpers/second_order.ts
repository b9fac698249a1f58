// Backward passes as functions the finite-difference check can differentiate: the gradient of a
// loss built on a fresh zero input, recorded with createGraph, squared so the check sees a
// non-linear use of it (a linear one would pass with a wrong but affine backward).
import * as ag from '../../src/index';
import type { Tensor } from '../../src/index';

/** (x.grad)² for x = zeros(xShape) and the scalar loss(x), with the backward recorded. */
export function gradSquared(xShape: number[], loss: (x: Tensor) => Tensor): Tensor {
  return ag.enableGrad(() => {
    const x = ag.zeros(xShape, { requiresGrad: true });
    loss(x).backward(undefined, { createGraph: true });
    const gx = x.grad!;
    x.grad = null;
    const r = gx.mul(gx);
    gx.dispose();
    x.dispose();
    return r;
  });
}

/** The adjoint op of f as a function of dy: (x.grad)² of sum(f(x) * dy). */
export function viaBackward(xShape: number[], f: (t: Tensor) => Tensor): (dy: Tensor) => Tensor {
  return (dy) => gradSquared(xShape, (x) => f(x).mul(dy).sum());
}
