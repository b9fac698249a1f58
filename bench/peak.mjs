// The SIMD arithmetic peak of one core of this machine, measured: the ceiling every GEMM figure in
// the matmul section is read against. A loop shaped like a GEMM micro-kernel's k-step without its
// bookkeeping: one f32x4 load, then N independent accumulators each take a product of it with one
// of two register-held vectors (the load keeps V8 and Binaryen from hoisting the products). N runs
// over 6, 8, 10 and 12 and the best counts: enough accumulators to hide the add latency, few enough
// that V8 keeps them, the operands and a temporary in x64's 16 xmm registers (one is V8's scratch).
// Compiled here from the AssemblyScript below:
//   mul + add:     acc = acc + a * b               (the simd build: no FMA)
//   relaxed_madd:  acc = relaxed_madd(a, b, acc)   (the relaxed build; needs the V8 flag on Node 20)
// 8 FLOP per accumulator per iteration (4 lanes × a multiply and an add).
//   node bench/peak.mjs
import asc from 'assemblyscript/asc';
import { setFlagsFromString } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { median } from './harness.mjs';

const ACCUMULATORS = [6, 8, 10, 12];

/** AssemblyScript source of `peak(n, x): f32`: n iterations of `step(acc, a, b)` over `acc` accumulators. */
function source(step, acc) {
  const decl = [], body = [], sum = [];
  for (let i = 0; i < acc; i++) {
    decl.push(`let c${i} = f32x4.splat(x * ${(i + 1) / 16});`);
    body.push(`c${i} = ${step(`c${i}`, `a${i % 2}`, 'b')};`);
    sum.push(`c${i}`);
  }
  return `export function peak(n: i32, x: f32): f32 {
  const a0 = f32x4.splat(x), a1 = f32x4.splat(x * 0.5);
  ${decl.join('\n  ')}
  for (let i = 0; i < n; i++) {
    const b = v128.load((i & 255) << 4);
    ${body.join('\n    ')}
  }
  let s = c0;
  ${sum.slice(1).map((c) => `s = f32x4.add(s, ${c});`).join('\n  ')}
  return f32x4.extract_lane(s, 0);
}`;
}

const LOOPS = {
  'mul + add': { step: (c, a, b) => `f32x4.add(${c}, f32x4.mul(${a}, ${b}))`, enable: ['simd'] },
  relaxed_madd: { step: (c, a, b) => `f32x4.relaxed_madd(${a}, ${b}, ${c})`, enable: ['simd', 'relaxed-simd'] },
};

async function compile(name, acc) {
  const { step, enable } = LOOPS[name];
  const { binary, error, stderr } = await asc.compileString(source(step, acc), { optimizeLevel: 3, runtime: 'stub', initialMemory: 1, enable });
  if (error) throw new Error(`bench/peak.mjs: ${name} did not compile: ${stderr}`);
  if (name === 'relaxed_madd') {
    try { setFlagsFromString('--experimental-wasm-relaxed-simd'); } catch { /* not Node */ }
  }
  if (!WebAssembly.validate(binary)) return null;
  return (await WebAssembly.instantiate(binary)).instance.exports.peak;
}

/** GFLOP/s of one compiled loop: the median of `samples` runs of ~20 ms each. */
function time(peak, acc, samples) {
  let n = 1 << 14;
  for (;;) {
    const t0 = performance.now();
    peak(n, 0.5);
    if (performance.now() - t0 > 20) break;
    n *= 2;
  }
  const gflops = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    peak(n, 0.5);
    gflops.push((n * acc * 8) / ((performance.now() - t0) * 1e6));
  }
  return median(gflops);
}

/**
 * { loop name: best GFLOP/s over the accumulator counts (null where the engine lacks the loop) };
 * `byCount` receives every (loop, accumulators, GFLOP/s).
 */
export async function measurePeak({ samples = 7, byCount = () => {} } = {}) {
  const out = {};
  for (const name of Object.keys(LOOPS)) {
    out[name] = null;
    for (const acc of ACCUMULATORS) {
      const peak = await compile(name, acc);
      if (!peak) continue;
      const g = time(peak, acc, samples);
      byCount(name, acc, g);
      out[name] = Math.max(out[name] ?? 0, g);
    }
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const p = await measurePeak({ byCount: (name, acc, g) => console.log(`${name.padEnd(14)} ${String(acc).padStart(2)} accumulators ${g.toFixed(1)} GFLOP/s`) });
  for (const [k, v] of Object.entries(p)) console.log(`${k.padEnd(14)} best ${v === null ? 'not supported' : `${v.toFixed(1)} GFLOP/s`}`);
}
