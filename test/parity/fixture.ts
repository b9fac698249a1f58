// Reading the PyTorch fixtures that generate.py writes: JSON with NaN and ±Infinity as strings,
// tensors as { shape, data } with data flat in row-major order.
import { readFileSync } from 'node:fs';
import * as ag from '../../src/index';
import type { Tensor } from '../../src/index';

export interface Encoded { shape: number[]; data: number[] }

export function loadFixture<T>(name: string): T {
  const text = readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
  return JSON.parse(text, (_, v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v)) as T;
}

/** A float32 tensor of the encoded values; int:K inputs become int32, bool inputs bool. */
export function fromFixture(e: Encoded, kind = 'randn', requiresGrad = false): Tensor {
  if (kind.startsWith('int:')) return ag.tensor(Int32Array.from(e.data), { shape: e.shape, dtype: 'int32' });
  if (kind === 'bool') return ag.tensor(Uint8Array.from(e.data), { shape: e.shape, dtype: 'bool' });
  return ag.tensor(Float32Array.from(e.data), { shape: e.shape, requiresGrad });
}

/** Evaluates a JS expression of the fixture with `ag` in scope. */
export const jsOf = <F>(source: string): F => new Function('ag', `return ${source};`)(ag) as F;

/**
 * null when `got` has PyTorch's shape and every value is within tol·(1 + |want|) (NaN matching
 * NaN, infinities equal), else a message naming the worst element.
 */
export function mismatch(what: string, got: Tensor | null | undefined, want: Encoded, tol: number): string | null {
  if (!got) return `${what}: missing (PyTorch has shape [${want.shape}])`;
  if (got.shape.length !== want.shape.length || got.shape.some((d, i) => d !== want.shape[i])) return `${what}: shape [${got.shape}], PyTorch [${want.shape}]`;
  const d = got.data();
  let worst = -1, at = -1;
  for (let i = 0; i < want.data.length; i++) {
    const a = d[i], b = want.data[i];
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) continue;
    const err = Math.abs(a - b);
    if (err <= tol * (1 + Math.abs(b))) continue;
    if (!(err <= worst)) { worst = err; at = i; }
  }
  return at < 0 ? null : `${what}: element ${at} is ${d[at]}, PyTorch ${want.data[at]}`;
}
