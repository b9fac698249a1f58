// norm, fmod / remainder, cumprod, erf / erfc, atan2 against float64 JS references: odd sizes,
// negative and zero values, int32 exactness, gradients (incl. at zeros) and error messages.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { close, flat } from '../helpers/close';
import { gradCheck } from '../helpers/gradcheck';

/** 3x5 with negatives, zeros and a zero row. */
const X35 = [[1.5, -2, 0, 0.25, -3], [0, 0, 0, 0, 0], [-0.5, 4, 1, -1, 2.5]];

/** vector norm of a flat list, float64. */
function vnorm(v: number[], p: number): number {
  const a = v.map(Math.abs);
  if (p === Infinity) return Math.max(...a);
  if (p === -Infinity) return Math.min(...a);
  if (p === 0) return a.filter((x) => x !== 0).length;
  return a.reduce((s, x) => s + x ** p, 0) ** (1 / p);
}
const col = (m: number[][], j: number) => m.map((r) => r[j]);

describe('norm', () => {
  const PS = [2, 1, 3, 0.5, Infinity, -Infinity, 0];

  it('matches vector norms over all dims, dim 0, dim 1 and keepdim, for every p', () => {
    ag.tidy(() => {
      const x = ag.tensor(X35);
      for (const p of PS) {
        close(x.norm(p).item(), vnorm(X35.flat(), p), 1e-5);
        close(flat(ag.norm(x, p, 1)), X35.map((r) => vnorm(r, p)), 1e-5);
        close(flat(ag.norm(x, p, 0)), [0, 1, 2, 3, 4].map((j) => vnorm(col(X35, j), p)), 1e-5);
        const k = ag.norm(x, p, -1, true);
        expect(k.shape).toEqual([3, 1]);
        close(flat(k), X35.map((r) => vnorm(r, p)), 1e-5);
      }
      close(x.norm('fro').item(), vnorm(X35.flat(), 2));
      expect(ag.norm(x, 2, [0, 1], true).shape).toEqual([1, 1]);
    });
  });

  it('reduces several dims of a 3-D tensor', () => {
    ag.tidy(() => {
      const v = Array.from({ length: 2 * 3 * 7 }, (_, i) => ((i * 7) % 11) - 5); // includes 0 and negatives
      const x = ag.tensor(v, { shape: [2, 3, 7] });
      for (const p of [2, 3, Infinity]) {
        const got = ag.norm(x, p, [0, 2]);
        expect(got.shape).toEqual([3]);
        const want = [0, 1, 2].map((j) => vnorm(v.filter((_, i) => Math.floor(i / 7) % 3 === j), p));
        close(flat(got), want, 1e-5);
      }
    });
  });

  it('has the finite subgradient 0 at x = 0 for every p, and the right gradient elsewhere', () => {
    ag.tidy(() => {
      for (const p of PS) {
        const z = ag.zeros([7]).requiresGrad_();
        ag.norm(z, p).backward();
        expect(flat(z.grad!), `p = ${p}`).toEqual(new Array(7).fill(0));
      }
      // rows: a zero row (gradient 0) and rows holding zeros (gradient x/||x|| with 0 at the zeros)
      const x = ag.tensor(X35, { requiresGrad: true });
      ag.norm(x, 2, 1).sum().backward();
      const want = X35.map((r) => { const n = vnorm(r, 2); return r.map((v) => (n === 0 ? 0 : v / n)); });
      close(flat(x.grad!), want.flat());
      const y = ag.tensor(X35, { requiresGrad: true });
      ag.norm(y, 0.5, 1).sum().backward(); // p < 1: |x|^(p-1) would be infinite at the zeros
      expect(flat(y.grad!).every(Number.isFinite)).toBe(true);
    });
  });

  it('passes finite-difference gradient checks for p = 2, 1, 3, 0.5, Infinity over a dim', () => {
    for (const p of [2, 1, 3, 0.5, Infinity, -Infinity]) {
      const r = gradCheck({ label: `norm p=${p}`, inputs: (g) => [g.away([3, 5], 0.2, 2)], fn: (x) => ag.norm(x, p, 1) });
      expect(r.worst, `p = ${p}`).toBeNull();
    }
    const r = gradCheck({ label: 'norm keepdim all', inputs: (g) => [g.u([13], -2, 2)], fn: (x) => x.norm(2, null, true).mul(x) });
    expect(r.worst).toBeNull();
  });

  it('rejects bad p, int tensors and bad dims', () => {
    ag.tidy(() => {
      const x = ag.tensor(X35);
      expect(() => ag.norm(x, -1)).toThrow(/norm: p must be a number > 0.*got -1/);
      expect(() => ag.norm(x, 'nuc' as 'fro')).toThrow(/norm: p must be .*"nuc"/);
      expect(() => ag.norm(x, NaN)).toThrow(/norm: p must be/);
      expect(() => ag.norm(ag.tensor([1, 2], { dtype: 'int32' }))).toThrow(/norm: expected a float32 tensor, got int32/);
      expect(() => ag.norm(x, 2, 2)).toThrow(/^asgrad\.norm: .*dim/);
    });
  });
});

/** Python %: the sign of b. */
const pyMod = (a: number, b: number) => a - b * Math.floor(a / b);

describe('fmod and remainder', () => {
  const A = [5.5, -5.5, 7, -7, 0, 2.25, -0.75, 3, 1e-3, -9.5, 6, 4.5, -1];
  const B = [2, 2, -3, -3, 1.5, -0.5, 2, 3, 0.5, 4, -2.5, -4, 0.3];

  it('float32: fmod has the sign of a, remainder the sign of b (float64 references)', () => {
    ag.tidy(() => {
      const a = ag.tensor(A), b = ag.tensor(B);
      const fa = A.map(Math.fround), fb = B.map(Math.fround);
      close(flat(ag.fmod(a, b)), fa.map((v, i) => v % fb[i]), 1e-6);
      close(flat(a.remainder(b)), fa.map((v, i) => pyMod(v, fb[i])), 1e-6);
      // scalars and broadcasting [3, 1] x [5]
      const c = ag.tensor([[-7.5], [0.5], [8]]), d = ag.tensor([2, -2, 3, -3, 0.75]);
      const rows = [-7.5, 0.5, 8], cols = [2, -2, 3, -3, 0.75];
      close(flat(c.fmod(d)), rows.flatMap((r) => cols.map((q) => r % q)));
      close(flat(ag.remainder(c, d)), rows.flatMap((r) => cols.map((q) => pyMod(r, q))));
      close(flat(a.fmod(-2.5)), fa.map((v) => v % -2.5));
      close(flat(ag.remainder(a, 1.5)), fa.map((v) => pyMod(v, 1.5)));
      // division by zero: NaN, as torch
      expect(flat(ag.fmod(ag.tensor([1, -2]), 0)).every(Number.isNaN)).toBe(true);
      expect(flat(ag.remainder(ag.tensor([1, -2]), 0)).every(Number.isNaN)).toBe(true);
    });
  });

  it('int32: exact over the whole i32 range, negative operands included (BigInt references)', () => {
    ag.tidy(() => {
      const MIN = -2147483648, MAX = 2147483647;
      const a = [MIN, MAX, MIN, MAX, -7, 7, -7, 7, 0, MIN, 123456789, -987654321, MAX, -1];
      const b = [-1, -1, 7, -7, 3, -3, -3, 3, 5, MIN, 1000, 97, MAX, MIN];
      const ta = ag.tensor(a, { dtype: 'int32' }), tb = ag.tensor(b, { dtype: 'int32' });
      const f = ag.fmod(ta, tb), r = ta.remainder(tb);
      expect(f.dtype).toBe('int32');
      expect(r.dtype).toBe('int32');
      const fw = a.map((v, i) => Number(BigInt(v) % BigInt(b[i])));
      const rw = a.map((v, i) => { const B = BigInt(b[i]); return Number(((BigInt(v) % B) + B) % B); });
      expect(Array.from(f.data())).toEqual(fw);
      expect(Array.from(r.data())).toEqual(rw);
      expect(Array.from(ta.fmod(4).data())).toEqual(a.map((v) => Number(BigInt(v) % 4n)));
      expect(Array.from(ta.remainder(-4).data())).toEqual(a.map((v) => Number(((BigInt(v) % -4n) - 4n) % -4n)));
      expect(ta.fmod(2.5).dtype).toBe('float32'); // a float scalar promotes
    });
  });

  it('int32 division by zero throws a clear error; shapes must broadcast', () => {
    ag.tidy(() => {
      const a = ag.tensor([1, 2, 3], { dtype: 'int32' });
      expect(() => ag.fmod(a, ag.tensor([1, 0, 1], { dtype: 'int32' }))).toThrow(/fmod: integer division by zero/);
      expect(() => a.remainder(0)).toThrow(/remainder: integer division by zero/);
      expect(() => ag.fmod(a, ag.tensor([1, 2]))).toThrow(/fmod/);
    });
  });

  it('gradients: da = 1, db = -trunc(a/b) (fmod) and -floor(a/b) (remainder)', () => {
    ag.tidy(() => {
      const fa = A.map(Math.fround), fb = B.map(Math.fround);
      for (const [fn, q] of [[ag.fmod, Math.trunc], [ag.remainder, Math.floor]] as const) {
        const a = ag.tensor(A, { requiresGrad: true }), b = ag.tensor(B, { requiresGrad: true });
        fn(a, b).sum().backward();
        expect(flat(a.grad!)).toEqual(new Array(A.length).fill(1));
        close(flat(b.grad!), fa.map((v, i) => -q(v / fb[i]) || 0));
      }
    });
  });
});

describe('cumprod', () => {
  /** float64 cumprod along the last dim of rows. */
  const cp = (r: number[]) => { let p = 1; return r.map((v) => (p *= v)); };
  const M = [[2, -0.5, 0, 3, 1.5, -2, 0.5], [0, 2, -1, 0, 4, 0.5, 2], [1.5, -1, 2, 0.5, -2, 1, 3]];

  it('matches running products along each dim, with zeros', () => {
    ag.tidy(() => {
      const x = ag.tensor(M);
      close(flat(ag.cumprod(x, 1)), M.map(cp).flat());
      close(flat(x.cumprod(-1)), M.map(cp).flat());
      const cols = M[0].map((_, j) => cp(col(M, j)));
      close(flat(x.cumprod(0)), M.flatMap((_, i) => cols.map((c) => c[i])));
      close(flat(x.T.cumprod(1)), cols.flat()); // a strided view
      const i = ag.tensor([[3, -2, 5], [7, 0, 11]], { dtype: 'int32' });
      const ci = i.cumprod(1);
      expect(ci.dtype).toBe('int32');
      expect(Array.from(ci.data())).toEqual([3, -6, -30, 7, 0, 0]);
      close(ag.tensor(2.5).cumprod(0).item(), 2.5);
    });
  });

  it('gradient is exact where x holds zeros (none, one, two; first and last), never NaN', () => {
    ag.tidy(() => {
      const rows = [[1.5, -2, 0.5, 3, -1], [0, 2, -1, 0.5, 2], [2, 0, 3, -0.5, 0], [1, 0.5, 0, 2, 0], [-1, 2, 1.5, 0.5, 0]];
      const dy = [[0.3, -1, 0.7, 2, -0.4], [1, 0.5, -0.5, 0.25, 1.5], [-1, 2, 0.5, 1, -0.75], [0.5, 0.5, 1, -2, 1], [2, -1, 0.5, 0.3, 1]];
      const x = ag.tensor(rows, { requiresGrad: true });
      x.cumprod(1).backward(ag.tensor(dy));
      // d/dx_i sum_j dy_j prod_{k <= j} x_k = sum_{j >= i} dy_j prod_{k <= j, k != i} x_k
      const want = rows.map((r, n) => r.map((_, i) => {
        let s = 0;
        for (let j = i; j < r.length; j++) { let p = dy[n][j]; for (let k = 0; k <= j; k++) if (k !== i) p *= r[k]; s += p; }
        return s;
      }));
      close(flat(x.grad!), want.flat());
    });
  });

  it('rejects a missing dim and a bad dim', () => {
    ag.tidy(() => {
      const x = ag.tensor([1, 2, 3]);
      expect(() => ag.cumprod(x, undefined as unknown as number)).toThrow(/cumprod: expected a dim/);
      expect(() => ag.cumprod(x, 1)).toThrow(/cumprod/);
    });
  });
});

describe('erf and erfc', () => {
  /** Simpson integral of 2/sqrt(pi) e^{-t^2} over [a, b] (an independent float64 reference). */
  function integral(a: number, b: number, n = 20000): number {
    const h = (b - a) / n, f = (t: number) => Math.exp(-t * t);
    let s = f(a) + f(b);
    for (let i = 1; i < n; i++) s += f(a + i * h) * (i % 2 ? 4 : 2);
    return ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
  }
  const V = [-4, -2.5, -1, -0.3, -1e-3, 0, 1e-6, 0.2, 0.5, 1, 1.7, 2.9, 3.1, 4.5];

  it('erf matches the integral to ~1e-7 and keeps relative accuracy near 0', () => {
    ag.tidy(() => {
      const got = flat(ag.erf(ag.tensor(V)));
      const F = V.map(Math.fround); // the float32 inputs the op sees
      F.forEach((v, i) => expect(Math.abs(got[i] - Math.sign(v) * integral(0, Math.abs(v))), `erf(${v})`).toBeLessThan(1.5e-7));
      close(got[6], integral(0, F[6]), 1e-6); // relative: erf(1e-6) ~ 1.13e-6
      expect(flat(ag.tensor([Infinity, -Infinity, 10, -10]).erf())).toEqual([1, -1, 1, -1]);
      expect(Number.isNaN(ag.tensor(NaN).erf().item())).toBe(true);
      expect(ag.erf(ag.tensor([1], { dtype: 'int32' })).dtype).toBe('float32');
    });
  });

  it('erfc is accurate in the tail (relative) and equals 1 - erf near 0', () => {
    ag.tidy(() => {
      const got = flat(ag.tensor(V).erfc());
      V.map(Math.fround).forEach((v, i) => {
        const want = v >= 0 ? integral(v, v + 10) : 1 + integral(0, -v);
        expect(Math.abs(got[i] - want) / want, `erfc(${v})`).toBeLessThan(2e-7);
      });
      const tail = flat(ag.erfc(ag.tensor([5, 7, 9])));
      [5, 7, 9].forEach((v, i) => { const want = integral(v, v + 10); expect(Math.abs(tail[i] - want) / want, `erfc(${v})`).toBeLessThan(1e-6); });
      expect(flat(ag.erfc(ag.tensor([Infinity, -Infinity])))).toEqual([0, 2]);
    });
  });

  it('gradients are ±2/sqrt(pi) e^{-x^2}', () => {
    ag.tidy(() => {
      const x = ag.tensor(V, { requiresGrad: true }), y = ag.tensor(V, { requiresGrad: true });
      x.erf().sum().backward();
      y.erfc().sum().backward();
      const d = V.map((v) => (2 / Math.sqrt(Math.PI)) * Math.exp(-v * v));
      close(flat(x.grad!), d);
      close(flat(y.grad!), d.map((v) => -v));
    });
  });
});

describe('atan2', () => {
  it('matches Math.atan2 in all four quadrants, on the axes and with broadcasting', () => {
    ag.tidy(() => {
      const a = [1, 1, -1, -1, 0, 0, 2, -3, 0.5, 0, -0.25, 4, 1e-3];
      const b = [1, -1, 1, -1, 1, -1, 0, 0, -2, 0, 3, -0.5, -1];
      close(flat(ag.atan2(ag.tensor(a), ag.tensor(b))), a.map((v, i) => Math.atan2(Math.fround(v), Math.fround(b[i]))));
      const r = ag.tensor([[1], [-2], [0.5]]).atan2(ag.tensor([2, -1, 0.5, -3, 1]));
      expect(r.shape).toEqual([3, 5]);
      close(flat(r), [1, -2, 0.5].flatMap((y) => [2, -1, 0.5, -3, 1].map((x) => Math.atan2(y, x))));
      const g = ag.tensor([2, -1], { requiresGrad: true }), h = ag.tensor([-1, 3], { requiresGrad: true });
      ag.atan2(g, h).sum().backward();
      close(flat(g.grad!), [-1 / 5, 3 / 10]);
      close(flat(h.grad!), [-2 / 5, 1 / 10]);
    });
  });
});
