// Linear NCHW resampling ops (average / adaptive pooling, nearest upsampling) registered as pairs:
// the op maps [N, C, H, W] -> [N, C, Ho, Wo], its adjoint maps back, and each is the other's
// backward, so both differentiate to any order.
import { withContiguous } from '../backend/kernels';
import { Tensor } from '../tensor';
import { defineOp, run, type OpDef } from './registry';

/** Input and output spatial sizes of a resampling op. */
export interface ResampleAttrs { H: number; W: number; Ho: number; Wo: number }

/**
 * Registers `name` and its adjoint `${name}Backward` and returns the former. `fill(adjoint, out,
 * x, attrs)` writes the op (adjoint false: x [N, C, H, W], out [N, C, Ho, Wo]) or its adjoint
 * (sizes swapped) into the fresh `out`; x is contiguous, out non-empty.
 */
export function defineAdjointPair<A extends ResampleAttrs>(name: string, fill: (adjoint: boolean, out: Tensor, x: Tensor, attrs: A) => void): OpDef<A> {
  const apply = (adjoint: boolean, t: Tensor, a: A): Tensor => {
    const [N, C] = t.shape;
    const out = Tensor._empty(adjoint ? [N, C, a.H, a.W] : [N, C, a.Ho, a.Wo]);
    if (out.size > 0) withContiguous(t, (c) => fill(adjoint, out, c, a));
    return out;
  };
  const op: OpDef<A> = defineOp<A>({
    name,
    forward: ([x], a) => apply(false, x, a),
    backward: ({ attrs }, dy) => [() => run(adjointOp, [dy], attrs)],
  });
  const adjointOp: OpDef<A> = defineOp<A>({
    name: `${name}Backward`,
    forward: ([dy], a) => apply(true, dy, a),
    backward: ({ attrs }, g) => [() => run(op, [g], attrs)],
  });
  return op;
}
