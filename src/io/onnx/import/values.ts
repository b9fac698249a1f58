// Helpers for converters: read the small int / float tensors ONNX passes as operands (shapes,
// axes, pads, scales) into numbers, check operands, and make int tensors. A shape-carrying
// tensor is read back from wasm memory, which is cheap at these sizes.
import { tensor } from '../../../creation';
import type { Tensor } from '../../../tensor';
import { nodeError, type OpContext } from './attrs';

/** Input `i` of the node, which must be present. */
export function need(ctx: OpContext, inputs: (Tensor | undefined)[], i: number, what: string): Tensor {
  const t = inputs[i];
  if (!t) nodeError(ctx.node, `needs input ${i} (${what})`);
  return t;
}

/** The values of a small operand tensor (shape, axes, pads, scales: int or float) as numbers; undefined when absent. */
export function valuesOf(t: Tensor | undefined): number[] | undefined {
  if (!t) return undefined;
  return Array.from(t.data() as ArrayLike<number>, Number);
}

/** A scalar operand's value (a 0-d or one-element tensor). */
export function scalarOf(ctx: OpContext, t: Tensor, what: string): number {
  if (t.size !== 1) nodeError(ctx.node, `${what} must hold one value, got shape [${t.shape.join(', ')}]`);
  return Number((t.data() as ArrayLike<number>)[0]);
}

/** A new int32 tensor of `values` with `shape` (default 1-D). */
export const intTensor = (values: readonly number[], shape: number[] = [values.length]): Tensor =>
  tensor(Int32Array.from(values), { shape, dtype: 'int32' });

/** `axis` in [-rank, rank) as a non-negative axis; throws naming the node otherwise. */
export function normAxis(ctx: OpContext, axis: number, rank: number): number {
  if (!(Number.isInteger(axis) && axis >= -rank && axis < rank)) nodeError(ctx.node, `axis ${axis} is out of range for a tensor of rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}
