// sizeClass: 64-byte multiples up to 1 KiB, then four steps per power of two. The heap computes it
// with integer bit tricks; this checks it against the definition written with floats.
import { describe, expect, it } from 'vitest';
import { sizeClass } from '../../src/backend/heap';

function reference(bytes: number): number {
  if (bytes <= 1024) return Math.max(64, Math.ceil(bytes / 64) * 64);
  const step = 2 ** Math.floor(Math.log2(bytes)) / 4;
  return Math.ceil(bytes / step) * step;
}

describe('sizeClass', () => {
  it('equals the definition for every size up to 256 KiB and around each power of two up to 4 GiB', () => {
    for (let b = 0; b <= 1 << 18; b++) if (sizeClass(b) !== reference(b)) expect(sizeClass(b), `${b} bytes`).toBe(reference(b));
    for (let k = 18; k <= 32; k++) {
      for (const d of [-65, -1, 0, 1, 63, 12345]) {
        const b = 2 ** k + d;
        expect(sizeClass(b), `${b} bytes`).toBe(reference(b));
      }
    }
  });

  it('rounds up by at most 25% above 1 KiB, to a 64-byte multiple', () => {
    for (const b of [1025, 1500, 4097, 100_000, 3_000_001, 2 ** 30 + 1]) {
      const c = sizeClass(b);
      expect(c).toBeGreaterThanOrEqual(b);
      expect(c / b).toBeLessThanOrEqual(1.25);
      expect(c % 64).toBe(0);
    }
  });
});
