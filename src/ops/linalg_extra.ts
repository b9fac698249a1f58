// Matrix helpers with torch's semantics, composed from existing ops (so they differentiate): bmm,
// addmm / baddbmm and tile.
import { tidy } from '../memory';
import type { Tensor } from '../tensor';
import { check, fmtShape, knownOptions } from '../util/errors';
import { add, mul } from './binary';
import { repeat } from './composite';
import { matmul } from './matmul';

/** Throws unless every x is a live tensor (`float` also requires float32). */
export function live(op: string, xs: Tensor[], float = false): void {
  for (const x of xs) {
    check(x?._isTensor, op, () => `expected a tensor, got ${x === null ? 'null' : typeof x}`);
    x._assertLive(op);
    check(!float || x.dtype === 'float32', op, () => `expected float32, got ${x.dtype} (cast with .float())`);
  }
}

export interface AddmmOptions { beta?: number; alpha?: number }

/** beta · input + alpha · (a @ b) for nd-D a and b (no input: a @ b); input is ignored when beta is 0, as torch. */
function product(op: string, nd: number, a: Tensor, b: Tensor, opts: AddmmOptions = {}, ...input: Tensor[]): Tensor {
  live(op, [...input, a, b], true);
  knownOptions(op, opts, 'beta alpha');
  check(a.ndim === nd && b.ndim === nd && (nd < 3 || a.shape[0] === b.shape[0]), op,
    () => `expected ${nd}-D tensors${nd > 2 ? ' with the same batch size' : ''}, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  const { beta = 1, alpha = 1 } = opts;
  return tidy(() => {
    const p = matmul(a, b), r = alpha === 1 ? p : mul(p, alpha);
    return !input.length || beta === 0 ? r : add(beta === 1 ? input[0] : mul(input[0], beta), r);
  });
}

/** Batched matrix product of [B, n, m] and [B, m, p] (torch.bmm; no broadcasting). */
export const bmm = (a: Tensor, b: Tensor): Tensor => product('bmm', 3, a, b);

/** beta · input + alpha · (a @ b) for matrices a, b; input broadcasts (torch.addmm). */
export const addmm = (input: Tensor, a: Tensor, b: Tensor, opts?: AddmmOptions): Tensor => product('addmm', 2, a, b, opts, input);

/** beta · input + alpha · bmm(a, b) (torch.baddbmm). */
export const baddbmm = (input: Tensor, a: Tensor, b: Tensor, opts?: AddmmOptions): Tensor => product('baddbmm', 3, a, b, opts, input);

/** x repeated dims[i] times along each dim; fewer dims than x's are padded with 1s in front (torch.tile). */
export function tile(x: Tensor, dims: number | readonly number[]): Tensor {
  live('tile', [x]);
  const d = typeof dims === 'number' ? [dims] : [...dims];
  check(d.every((k) => Number.isInteger(k) && k >= 0), 'tile', () => `dims must be non-negative integers, got ${JSON.stringify(dims)}`);
  return repeat(x, [...Array<number>(Math.max(0, x.ndim - d.length)).fill(1), ...d]);
}
