// nn.PixelShuffle / PixelUnshuffle and their F functions against the index formula (0, 1 and 2
// leading batch dims), round trip, gradients by finite differences, repr, errors.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { nn } from '../../src/index';
import { gradCheck } from '../helpers/gradcheck';

/** out[b, c, h*r + i, w*r + j] = in[b, c*r*r + i*r + j, h, w] over B leading planes-groups. */
function shuffleRef(x: number[], B: number, C: number, H: number, W: number, r: number): number[] {
  const oc = C / (r * r), out = new Array<number>(x.length);
  for (let b = 0; b < B; b++) for (let c = 0; c < oc; c++) for (let h = 0; h < H; h++) for (let i = 0; i < r; i++) for (let w = 0; w < W; w++) for (let j = 0; j < r; j++) {
    out[((b * oc + c) * H * r + h * r + i) * W * r + w * r + j] = x[((b * C + c * r * r + i * r + j) * H + h) * W + w];
  }
  return out;
}

describe('PixelShuffle / PixelUnshuffle', () => {
  it('moves every element where the index formula says, with 0, 1 or 2 leading dims; unshuffle inverts it', () => ag.tidy(() => {
    for (const [lead, C, H, W, r] of [[[], 18, 2, 3, 3], [[2], 8, 3, 1, 2], [[2, 3], 4, 2, 2, 2], [[1], 5, 3, 2, 1]] as [number[], number, number, number, number][]) {
      const B = lead.reduce((a, v) => a * v, 1), n = B * C * H * W;
      const vals = Array.from({ length: n }, (_, i) => i);
      const x = ag.tensor(vals, { shape: [...lead, C, H, W] });
      const y = new nn.PixelShuffle(r).call(x);
      expect(y.shape).toEqual([...lead, C / (r * r), H * r, W * r]);
      expect(Array.from(y.data())).toEqual(shuffleRef(vals, B, C, H, W, r));
      const back = new nn.PixelUnshuffle(r).call(y);
      expect(back.shape).toEqual(x.shape);
      expect(Array.from(back.data())).toEqual(vals);
    }
    // int32 and a strided (transposed) input
    const xi = ag.arange(2 * 4 * 3 * 2, { dtype: 'int32' }).reshape([2, 4, 2, 3]).transpose(2, 3);
    expect(Array.from(ag.nn.F.pixelShuffle(xi, 2).data())).toEqual(shuffleRef(Array.from(xi.contiguous().data()), 2, 4, 3, 2, 2));
  }));

  it('gradients match finite differences', () => {
    for (const [label, fn, shape] of [
      ['pixelShuffle', (x: ag.Tensor) => ag.nn.F.pixelShuffle(x, 2), [2, 8, 2, 3]],
      ['pixelUnshuffle', (x: ag.Tensor) => ag.nn.F.pixelUnshuffle(x, 2), [1, 3, 4, 2]],
    ] as const) {
      expect(gradCheck({ label, inputs: (g) => [g.u([...shape])], fn }).worst, label).toBeNull();
    }
  });

  it('prints as PyTorch; errors', () => ag.tidy(() => {
    expect(new nn.PixelShuffle(3).toString()).toBe('PixelShuffle(upscale_factor=3)');
    expect(new nn.PixelUnshuffle(2).toString()).toBe('PixelUnshuffle(downscale_factor=2)');
    expect(() => ag.nn.F.pixelShuffle(ag.zeros([1, 7, 2, 2]), 2)).toThrow(/pixelShuffle: expected the channel dim \(size 7 of input \[1, 7, 2, 2\]\) to be divisible by upscaleFactor\^2 = 4/);
    expect(() => ag.nn.F.pixelShuffle(ag.zeros([4, 2]), 2)).toThrow(/pixelShuffle: expected an input \[\*, C, H, W\] of at least 3 dims, got shape \[4, 2\]/);
    expect(() => ag.nn.F.pixelUnshuffle(ag.zeros([1, 2, 4, 3]), 2)).toThrow(/pixelUnshuffle: expected height and width of input \[1, 2, 4, 3\] to be divisible by downscaleFactor 2/);
    expect(() => new nn.PixelShuffle(0).call(ag.zeros([1, 4, 2, 2]))).toThrow(/pixelShuffle: upscaleFactor must be a positive integer, got 0/);
    expect(() => ag.nn.F.pixelUnshuffle(ag.zeros([1, 2, 4, 4]), 1.5)).toThrow(/pixelUnshuffle: downscaleFactor must be a positive integer, got 1.5/);
  }));
});
