// Element-wise tolerance assertions shared by the test files: `close(got, want, tol)` and `flat(t)`.
import { expect } from 'vitest';
import type { Tensor } from '../../src/index';

/** Asserts |got[i] - want[i]| ≤ tol·(1 + |want[i]|) for every i (numbers count as one element). */
export function close(got: ArrayLike<number> | number, want: ArrayLike<number> | number, tol = 1e-5): void {
  const A = typeof got === 'number' ? [got] : got, B = typeof want === 'number' ? [want] : want;
  expect(A.length).toBe(B.length);
  for (let i = 0; i < A.length; i++) expect(Math.abs(A[i] - B[i]), `index ${i}: ${A[i]} vs ${B[i]}`).toBeLessThanOrEqual(tol * (1 + Math.abs(B[i])));
}

/** The tensor's values as a plain array. */
export const flat = (t: Tensor): number[] => Array.from(t.data());
