// split, chunk and unbind: one multi-output op whose outputs are views of consecutive sections of
// x along a dim, and whose backward is ONE concatenation of the sections' gradients (zeros for
// sections no gradient reached), as PyTorch's split/unbind backward. Narrowing each section
// instead would cost a zero-filled tensor of x's size per section in backward.
import { fillK } from '../backend/kernels';
import { Tensor } from '../tensor';
import { normDim } from '../shape';
import { check, fmtShape } from '../util/errors';
import { cat, reshape } from './movement';
import { defineOp, runMulti } from './registry';

interface SplitAttrs {
  dim: number;
  /** Section lengths along dim, summing to x.shape[dim]. */
  sizes: number[];
  /** unbind: every size is 1 and the dim is removed from the outputs. */
  drop: boolean;
}

const splitOp = defineOp<SplitAttrs>({
  name: 'split',
  multiOutput: true,
  forward: ([x], { dim, sizes, drop }) => {
    const stride = x.strides[dim];
    const shape = [...x.shape], strides = [...x.strides];
    if (drop) { shape.splice(dim, 1); strides.splice(dim, 1); }
    let at = 0;
    return sizes.map((n) => {
      if (!drop) shape[dim] = n;
      const v = x._view(shape, strides, x.offset + (n > 0 ? at * stride : 0));
      at += n;
      return v;
    });
  },
  backward: ({ inputs: [x], attrs: { dim, sizes, drop } }, dys) => [() => {
    const made: Tensor[] = [];
    const parts = dys.map((g, j) => {
      if (g === null) {
        const shape = [...x.shape];
        shape[dim] = sizes[j];
        g = fillK(Tensor._empty(shape), 0);
        made.push(g);
      } else if (drop) {
        g = reshape(g, x.shape.map((s, i) => (i === dim ? 1 : s)));
        made.push(g);
      }
      return g;
    });
    const dx = cat(parts, dim);
    for (const t of made) t.dispose();
    return dx;
  }],
});

function sections(op: string, x: Tensor, dim: number): [number, number] {
  check(x?._isTensor, op, () => `expected a tensor, got ${typeof x}`);
  check(x.ndim > 0, op, () => `expected a tensor with at least 1 dim, got a scalar (shape ${fmtShape(x.shape)})`);
  const d = normDim(op, dim, x.ndim);
  return [d, x.shape[d]];
}

/**
 * Splits x along dim into views of `size` elements (the last may be smaller), or of the given sizes
 * (torch.split). Backward assembles the gradient in one concatenation.
 */
export function split(x: Tensor, sizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  const [d, n] = sections('split', x, dim);
  let sizes: number[];
  if (typeof sizeOrSections === 'number') {
    const s = sizeOrSections;
    check(Number.isInteger(s) && (s > 0 || (s === 0 && n === 0)), 'split', () => `split size must be a positive integer, got ${s}`);
    sizes = [];
    for (let at = 0; at < n; at += s) sizes.push(Math.min(s, n - at));
    if (n === 0) sizes.push(0); // as PyTorch: one empty section
  } else {
    sizes = [...sizeOrSections];
    check(sizes.every((s) => Number.isInteger(s) && s >= 0), 'split', () => `sizes must be non-negative integers, got [${sizes.join(', ')}]`);
    check(sizes.reduce((a, b) => a + b, 0) === n, 'split', () => `sizes [${sizes.join(', ')}] must sum to the size ${n} of dim ${dim} (shape ${fmtShape(x.shape)})`);
  }
  return runMulti(splitOp, [x], { dim: d, sizes, drop: false });
}

/** Splits into `chunks` views of equal size along dim (the last may be smaller, and fewer may come), as torch.chunk. */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  check(Number.isInteger(chunks) && chunks > 0, 'chunk', () => `chunks must be a positive integer, got ${chunks}`);
  const [d, n] = sections('chunk', x, dim);
  if (n === 0) return runMulti(splitOp, [x], { dim: d, sizes: new Array<number>(chunks).fill(0), drop: false });
  return split(x, Math.ceil(n / chunks), d);
}

/** The slices x[..., i, ...] along dim, each without that dim, as views (torch.unbind). */
export function unbind(x: Tensor, dim = 0): Tensor[] {
  const [d, n] = sections('unbind', x, dim);
  return runMulti(splitOp, [x], { dim: d, sizes: new Array<number>(n).fill(1), drop: true });
}
