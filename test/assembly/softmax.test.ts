// softmax_f32 in both modes (softmax, logSoftmax) against a float64 reference, including large
// logits (the max shift) and in-place use.
import { afterEach, describe, expect, it } from 'vitest';
import { getBackend } from '../../src/backend/load';
import { Buffers, OFFSETS, SIZES, diff, rng, uniformValues } from '../helpers/reference';

const buf = new Buffers();
afterEach(() => buf.free());

function ref(x: number[], rows: number, cols: number, log: boolean): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const row = x.slice(r * cols, (r + 1) * cols);
    const m = Math.max(...row);
    const s = row.reduce((a, v) => a + Math.exp(v - m), 0);
    for (const v of row) out.push(log ? v - m - Math.log(s) : Math.exp(v - m) / s);
  }
  return out;
}

describe('softmax_f32', () => {
  for (const log of [0, 1]) {
    it(log ? 'logSoftmax' : 'softmax', () => {
      for (const cols of SIZES.filter((s) => s > 0)) for (const rows of [1, 3]) for (const offset of OFFSETS) {
        for (const scale of [3, 200]) {
          const x = uniformValues(rng(cols + rows + offset + scale), rows * cols, -scale, scale);
          const px = buf.f32(x, offset), po = buf.alloc(rows * cols, (offset + 4) % 16);
          getBackend().k.softmax_f32(log, po, px, rows, cols);
          const tol = log ? 2e-6 * Math.max(1, scale / 3) : 2e-6;
          expect(diff(buf.readF32(po, rows * cols), ref(x, rows, cols, !!log), tol, log ? tol : 1e-7), `rows ${rows} cols ${cols} scale ${scale} offset ${offset}`).toBeNull();
          getBackend().k.softmax_f32(log, px, px, rows, cols); // in place
          expect(diff(buf.readF32(px, rows * cols), ref(x, rows, cols, !!log), tol, log ? tol : 1e-7), 'in place').toBeNull();
          buf.free();
        }
      }
    });
  }
  it('rows = 0 writes nothing', () => {
    const po = buf.f32([7]);
    getBackend().k.softmax_f32(0, po, po, 0, 5);
    expect(buf.readF32(po, 1)).toEqual([7]);
  });
});
