// Bilinear resizing of the last two dims (F.interpolate mode 'bilinear'), separable: along W,
// then along H, each output = x[i0]·λ0 + x[i1]·λ1 with PyTorch's source indices and weights
// (area_pixel_compute_source_index, computed in float32), i.e. h0λ·(w0λ·x00 + w1λ·x01) +
// h1λ·(w0λ·x10 + w1λ·x11). Built from indexSelect, mul and add, so it differentiates through
// them (first order: indexSelect's backward is a kernel).
import { tensor } from '../creation';
import { Tensor } from '../tensor';
import { add, mul } from './binary';
import { indexSelect } from './indexing';

const f = Math.fround;

/** PyTorch's area_pixel_compute_scale: the source step per output index. */
function ratio(n: number, out: number, factor: number | null, alignCorners: boolean): number {
  if (alignCorners) return out > 1 ? f((n - 1) / (out - 1)) : 0;
  return factor !== null && factor > 0 ? f(1 / factor) : f(n / out);
}

/** Source indices i0, i1 and weights λ0, λ1 of each of `out` outputs along a dim of size n. */
function taps(n: number, out: number, factor: number | null, alignCorners: boolean): { i0: number[]; i1: number[]; l0: number[]; l1: number[] } {
  const r = ratio(n, out, factor, alignCorners);
  const i0: number[] = [], i1: number[] = [], l0: number[] = [], l1: number[] = [];
  for (let o = 0; o < out; o++) {
    if (n === out) { i0.push(o); i1.push(o); l0.push(1); l1.push(0); continue; }
    let src = alignCorners ? f(r * o) : f(f(r * f(o + 0.5)) - 0.5);
    if (!alignCorners && src < 0) src = 0;
    const a = Math.min(Math.floor(src), n - 1);
    const lam = f(Math.min(Math.max(f(src - a), 0), 1));
    i0.push(a); i1.push(a + (a < n - 1 ? 1 : 0)); l1.push(lam); l0.push(f(1 - lam));
  }
  return { i0, i1, l0, l1 };
}

/** x[..., i0]·λ0 + x[..., i1]·λ1 along dim d (-1 or -2) of x. */
function along(x: Tensor, d: -1 | -2, t: ReturnType<typeof taps>): Tensor {
  const i0 = tensor(t.i0, { dtype: 'int32' }), i1 = tensor(t.i1, { dtype: 'int32' });
  const shape = d === -1 ? [t.l0.length] : [t.l0.length, 1];
  const l0 = tensor(t.l0, { shape }), l1 = tensor(t.l1, { shape });
  const a = indexSelect(x, d, i0), b = indexSelect(x, d, i1);
  const wa = mul(a, l0), wb = mul(b, l1);
  const y = add(wa, wb);
  for (const v of [i0, i1, l0, l1, a, b, wa, wb]) v.dispose();
  return y;
}

/** Bilinear resize of x [..., H, W] to [..., Ho, Wo]; factors are the scale factors when given
 *  (PyTorch then steps by 1/factor), alignCorners as F.interpolate's align_corners. */
export function bilinear(x: Tensor, Ho: number, Wo: number, fh: number | null, fw: number | null, alignCorners: boolean): Tensor {
  const [H, W] = x.shape.slice(-2);
  const byW = along(x, -1, taps(W, Wo, fw, alignCorners));
  const y = along(byW, -2, taps(H, Ho, fh, alignCorners));
  byW.dispose();
  return y;
}
