// matmul_f32 against a float64 reference: odd sizes, all four transpose layouts (as strides),
// unaligned pointers, padded output rows, row sub-ranges, and the guards around every buffer.
import { beforeAll, describe, expect, it } from 'vitest';
import { availableBuilds, loadRaw, type RawWasm } from '../helpers/raw_wasm';

/** How an operand is laid out in memory: plain row-major, transposed storage, or a strided view. */
type Layout = 'n' | 't' | 's';

interface Case {
  M: number; N: number; K: number;
  la?: Layout; lb?: Layout;
  /** Extra bytes added to the 64-aligned A, B and out pointers (multiples of 4). */
  offset?: number;
  /** ldc - N. */
  ldcPad?: number;
  rowStart?: number; rowEnd?: number;
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 10, 3], [1, 40, 17], [1, 130, 5], [2, 17, 9], [3, 5, 17], [17, 3, 5], [5, 1003, 3],
  [4, 8, 4], [8, 16, 8], [7, 9, 11], [12, 35, 260], [64, 64, 64], [65, 67, 129], [1003, 17, 5],
  [17, 33, 1003], [1, 37, 1003], [9, 1037, 9], [130, 10, 128], [133, 20, 513],
  [1, 50, 7], [1, 23, 9], [1, 128, 33], // one row: 32- and 16-column register blocks, then the narrow rest
];
const LAYOUTS: [Layout, Layout][] = [['n', 'n'], ['t', 'n'], ['n', 't'], ['t', 't']];

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}

/** Element strides [row, col] of a rows×cols operand and how many elements its storage spans. */
function strides(layout: Layout, rows: number, cols: number): { row: number; col: number; span: number } {
  if (layout === 'n') return { row: cols, col: 1, span: rows * cols };
  if (layout === 't') return { row: 1, col: rows, span: rows * cols };
  // A strided view: every other element of every other (padded) row of a bigger matrix.
  const row = 2 * (2 * cols + 1);
  return { row, col: 2, span: Math.max(0, (rows - 1) * row + (cols - 1) * 2 + 1) };
}

const SENTINEL = -12345.5;
const GUARD = 64;

/** Runs one matmul_f32 call and checks it; returns the output rows it computed. */
function check(w: RawWasm, c: Case): Float32Array {
  const { M, N, K, la = 'n', lb = 'n', offset = 0, ldcPad = 0 } = c;
  const rowStart = c.rowStart ?? 0, rowEnd = c.rowEnd ?? M;
  const sa = strides(la, M, K), sb = strides(lb, K, N);
  const ldc = N + ldcPad;
  const guarded = (elems: number) => w.alloc(4 * elems + offset + 2 * GUARD) + GUARD + offset;
  const a = guarded(sa.span), b = guarded(sb.span), out = guarded(M * ldc);
  const scratchBytes = w.exports.matmul_f32_scratch_bytes(M, N, K);
  const scratch = w.alloc(scratchBytes + GUARD);

  const rnd = random(M * 1000003 + N * 1009 + K);
  let f = w.f32();
  const fillGuard = (p: number) => f.fill(SENTINEL, (p - GUARD) >>> 2, p >>> 2);
  for (const [p, n] of [[a, sa.span], [b, sb.span], [out, M * ldc]]) {
    fillGuard(p);
    fillGuard(p + 4 * n + GUARD);
    f.fill(SENTINEL, p >>> 2, (p >>> 2) + n);
  }
  f.fill(SENTINEL, (scratch + scratchBytes) >>> 2, (scratch + scratchBytes + GUARD) >>> 2);
  const A = new Float64Array(M * K), B = new Float64Array(K * N);
  for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) {
    const v = Math.fround(rnd());
    f[(a >>> 2) + i * sa.row + k * sa.col] = v;
    A[i * K + k] = v;
  }
  for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) {
    const v = Math.fround(rnd());
    f[(b >>> 2) + k * sb.row + j * sb.col] = v;
    B[k * N + j] = v;
  }

  w.exports.matmul_f32(out, a, b, M, N, K, sa.row, sa.col, sb.row, sb.col, ldc, rowStart, rowEnd, scratch);

  f = w.f32();
  const got = new Float32Array(Math.max(0, rowEnd - rowStart) * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < ldc; j++) {
      const v = f[(out >>> 2) + i * ldc + j];
      if (i < rowStart || i >= rowEnd || j >= N) {
        if (v !== SENTINEL) throw new Error(`wrote out[${i},${j}] outside rows [${rowStart},${rowEnd}) × N=${N}`);
        continue;
      }
      let s = 0, abs = 0;
      for (let k = 0; k < K; k++) {
        s += A[i * K + k] * B[k * N + j];
        abs += Math.abs(A[i * K + k] * B[k * N + j]);
      }
      if (!(Math.abs(v - s) <= 1e-5 * abs + 1e-30)) {
        throw new Error(`out[${i},${j}] = ${v}, expected ${s} (${JSON.stringify(c)})`);
      }
      got[(i - rowStart) * N + j] = v;
    }
  }
  const intact = (p: number) => f.subarray(p >>> 2, (p + GUARD) >>> 2).every((v) => v === SENTINEL);
  for (const [p, n] of [[a, sa.span], [b, sb.span], [out, M * ldc]]) {
    if (!intact(p - GUARD) || !intact(p + 4 * n)) throw new Error(`guard overwritten (${JSON.stringify(c)})`);
  }
  if (!intact(scratch + scratchBytes)) throw new Error(`scratch overrun: ${scratchBytes} bytes (${JSON.stringify(c)})`);
  w.reset();
  return got;
}

describe.each(availableBuilds())('matmul_f32 (%s build)', (build) => {
  let w: RawWasm;
  beforeAll(async () => { w = await loadRaw(build); });

  it.each(SHAPES)('matches float64 at M=%i N=%i K=%i, all four transpose layouts', (M, N, K) => {
    for (const [la, lb] of LAYOUTS) check(w, { M, N, K, la, lb });
  });

  it.each(SHAPES)('strided views, unaligned pointers, padded ldc at M=%i N=%i K=%i', (M, N, K) => {
    check(w, { M, N, K, la: 's', lb: 'n', offset: 4, ldcPad: 3 });
    check(w, { M, N, K, la: 'n', lb: 's', offset: 8, ldcPad: 1 });
    check(w, { M, N, K, la: 's', lb: 's', offset: 12 });
    check(w, { M, N, K, la: 't', lb: 't', offset: 4, ldcPad: 5 });
  });

  it('computes only rows [rowStart, rowEnd), and the same values as one whole call', () => {
    for (const [M, N, K] of [[3, 40, 37], [17, 3, 5], [65, 67, 129], [13, 40, 300], [1003, 17, 5], [9, 1037, 9]]) {
      for (const [la, lb] of LAYOUTS) {
        const whole = check(w, { M, N, K, la, lb });
        const cuts = [...new Set([0, 1, 6, 7, Math.floor(M / 2), M - 1, M])].filter((r) => r <= M).sort((x, y) => x - y);
        for (let s = 0; s + 1 < cuts.length; s++) {
          const [rowStart, rowEnd] = [cuts[s], cuts[s + 1]];
          const part = check(w, { M, N, K, la, lb, rowStart, rowEnd, offset: 4 });
          expect(part).toEqual(whole.subarray(rowStart * N, rowEnd * N));
        }
      }
    }
  });

  it('handles empty sizes: K = 0 writes zeros, M = 0 or N = 0 writes nothing', () => {
    for (const [M, N, K] of [[3, 5, 0], [17, 9, 0], [0, 5, 3], [3, 0, 5], [0, 0, 0], [1, 1, 0]]) {
      for (const [la, lb] of LAYOUTS) {
        const got = check(w, { M, N, K, la, lb, ldcPad: 2 });
        expect(got.every((v) => v === 0)).toBe(true);
      }
    }
  });

  it('asks for scratch that grows with the problem and never for zero bytes', () => {
    const bytes = (M: number, N: number, K: number) => w.exports.matmul_f32_scratch_bytes(M, N, K);
    expect(bytes(0, 0, 0)).toBeGreaterThan(0);
    expect(bytes(1024, 1024, 1024)).toBeGreaterThanOrEqual(bytes(128, 128, 128));
    expect(bytes(1024, 1024, 1024) % 64).toBe(0);
  });
});
