// linear_epilogue_f32 after matmul_f32 (a dense layer at inference) against a float64 reference:
// odd sizes, W as [K, N] or stored [N, K] (strides), strided x, unaligned pointers, every
// activation; guards around the output; and bitwise equality with the separate add/unary/softmax kernels.
import { beforeAll, describe, expect, it } from 'vitest';
import { availableBuilds, loadRaw, type RawWasm } from '../helpers/raw_wasm';
import { L } from '../../src/backend/exports';

const ACTS = [['none', L.none], ['relu', L.relu], ['sigmoid', L.sigmoid], ['tanh', L.tanh], ['softmax', L.softmax]] as const;
const SHAPES: [number, number, number][] = [ // M, K, N
  [0, 3, 5], [3, 0, 5], [3, 5, 0], [1, 1, 1], [1, 3, 5], [1, 784, 128], [1, 128, 10], [3, 5, 17],
  [5, 17, 3], [17, 1003, 5], [2, 1003, 17], [64, 784, 10], [33, 130, 129], [4, 385, 9],
];
const SENTINEL = -12345.5;
const GUARD = 64;

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2147483648 - 1;
  };
}

function reference(act: string, x: Float64Array, w: Float64Array, b: Float64Array | null, M: number, K: number, N: number): Float64Array {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = b ? b[j] : 0;
      for (let k = 0; k < K; k++) s += x[i * K + k] * w[k * N + j];
      out[i * N + j] = act === 'relu' ? Math.max(s, 0) : act === 'sigmoid' ? 1 / (1 + Math.exp(-s)) : act === 'tanh' ? Math.tanh(s) : s;
    }
    if (act === 'softmax') {
      const row = out.subarray(i * N, (i + 1) * N);
      const m = Math.max(...row);
      let z = 0;
      for (let j = 0; j < N; j++) z += Math.exp(row[j] - m);
      for (let j = 0; j < N; j++) row[j] = Math.exp(row[j] - m) / z;
    }
  }
  return out;
}

interface Case { M: number; K: number; N: number; act: string; code: number; wT: boolean; xStrided: boolean; bias: boolean; offset: number }

function run(w: RawWasm, c: Case): void {
  const { M, K, N, offset } = c;
  w.reset();
  const rnd = random(M * 7919 + K * 31 + N + c.code);
  // x: every other element of rows padded to 2K + 3 when strided.
  const xRow = c.xStrided ? 2 * K + 3 : K, xCol = c.xStrided ? 2 : 1;
  const guarded = (elems: number) => w.alloc(4 * elems + offset + 2 * GUARD) + GUARD + offset;
  const px = guarded(Math.max(1, M * xRow)), pw = guarded(Math.max(1, K * N)), pb = guarded(Math.max(1, N)), po = guarded(Math.max(1, M * N));
  const scratch = w.alloc(w.exports.matmul_f32_scratch_bytes(M, N, K));
  const x64 = new Float64Array(M * K), w64 = new Float64Array(K * N), b64 = new Float64Array(N);
  const f = w.f32();
  for (let i = 0; i < M; i++) for (let k = 0; k < K; k++) { const v = Math.fround(rnd()); x64[i * K + k] = v; f[(px >> 2) + i * xRow + k * xCol] = v; }
  // W[k, j] stored at k*N + j, or at j*K + k when transposed ([N, K] storage, as nn.Linear's weight).
  for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) { const v = Math.fround(rnd() * 0.3); w64[k * N + j] = v; f[(pw >> 2) + (c.wT ? j * K + k : k * N + j)] = v; }
  for (let j = 0; j < N; j++) { const v = Math.fround(rnd()); b64[j] = v; f[(pb >> 2) + j] = v; }
  for (let i = -GUARD / 4; i < M * N + GUARD / 4; i++) f[(po >> 2) + i] = SENTINEL;
  const [wRow, wCol] = c.wT ? [1, K] : [N, 1];
  w.exports.matmul_f32(po, px, pw, M, N, K, xRow, xCol, wRow, wCol, N, 0, M, scratch);
  w.exports.linear_epilogue_f32(po, c.bias ? pb : 0, M, N, c.code);
  const g = w.f32();
  const ref = reference(c.act, x64, w64, c.bias ? b64 : null, M, K, N);
  const label = JSON.stringify(c);
  let worst = 0;
  for (let i = 0; i < M * N; i++) {
    const err = Math.abs(g[(po >> 2) + i] - ref[i]) / (1 + Math.abs(ref[i]));
    if (!(err <= worst)) worst = err; // NaN-safe
  }
  expect(worst, label).toBeLessThan(1e-5 * Math.max(1, Math.sqrt(K)));
  for (let i = 1; i <= GUARD / 4; i++) {
    expect(g[(po >> 2) - i], `${label} guard before`).toBe(SENTINEL);
    expect(g[(po >> 2) + M * N - 1 + i], `${label} guard after`).toBe(SENTINEL);
  }
  if (M === 0 || N === 0) return;
  // The same result, bit for bit, from matmul_f32, then the binary add kernel (bias row broadcast
  // by a zero stride) and the activation kernel.
  const po2 = guarded(M * N), ms = w.alloc(w.exports.matmul_f32_scratch_bytes(M, N, K));
  w.exports.matmul_f32(po2, px, pw, M, N, K, xRow, xCol, wRow, wCol, N, 0, M, ms);
  if (c.bias) w.exports.binary_f32(0, po2, po2, pb, 1, 1, M, N, 0, 0, N, 1, 0, 0, 0, 1);
  const U = { relu: 8, sigmoid: 9, tanh: 10 } as Record<string, number>;
  if (c.act in U) w.exports.unary_f32(U[c.act], po2, po2, M * N, 0);
  if (c.act === 'softmax') w.exports.softmax_f32(0, po2, po2, M, N);
  const k = w.f32();
  const a = Array.from(k.subarray(po >> 2, (po >> 2) + M * N)), b = Array.from(k.subarray(po2 >> 2, (po2 >> 2) + M * N));
  expect(a, `${label} equals the separate kernels`).toEqual(b);
}

describe.each(availableBuilds())('linear_epilogue_f32 (%s build)', (build) => {
  let w: RawWasm;
  beforeAll(async () => { w = await loadRaw(build); });

  it('epilogue codes equal the module globals', () => {
    for (const [name, code] of Object.entries(L)) expect((w.exports[`L_${name.toUpperCase()}`] as WebAssembly.Global).value, name).toBe(code);
  });

  it.each(ACTS)('%s: odd sizes, W as [K, N] and as stored [N, K], with and without bias', (act, code) => {
    for (const [M, K, N] of SHAPES) {
      for (const wT of [false, true]) {
        for (const bias of [true, false]) run(w, { M, K, N, act, code, wT, xStrided: false, bias, offset: 0 });
      }
    }
  });

  it.each(ACTS)('%s: strided x and unaligned pointers', (act, code) => {
    for (const [M, K, N] of SHAPES) run(w, { M, K, N, act, code, wT: M % 2 === 1, xStrided: true, bias: true, offset: 4 * ((M + N) % 3 + 1) });
  });
});
