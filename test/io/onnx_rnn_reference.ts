// For the ONNX LSTM / GRU / RNN import tests: a float64 reference of the three ops written per
// sequence (each batch row runs its own sequence_lens steps, reversed within that length for the
// reverse direction, as onnxruntime does), and the ModelProto bytes of a one-node model.
import { cat, float, floats, int, ints, msg, str, type Bytes } from '../../src/io/onnx/protobuf';
import { rng } from '../helpers/reference';

export type Op = 'LSTM' | 'GRU' | 'RNN';

export interface RnnCase {
  op: Op;
  T: number; B: number; I: number; H: number;
  direction?: 'forward' | 'reverse' | 'bidirectional';
  layout?: 0 | 1;
  /** Flat values in the ONNX shapes (X, initial_h / initial_c in the layout's order). */
  X: number[]; W: number[]; R: number[];
  Bias?: number[]; lens?: number[]; h0?: number[]; c0?: number[]; P?: number[];
  clip?: number; inputForget?: number; linearBeforeReset?: number;
  activations?: string[]; alpha?: number[]; beta?: number[];
}

export const GATES: Record<Op, number> = { LSTM: 4, GRU: 3, RNN: 1 };
const DEFAULTS: Record<Op, string[]> = { LSTM: ['Sigmoid', 'Tanh', 'Tanh'], GRU: ['Sigmoid', 'Tanh'], RNN: ['Tanh'] };
export const dirsOf = (c: RnnCase): number => (c.direction === 'bidirectional' ? 2 : 1);

type Fn = (x: number) => number;
const ACT: Record<string, { a?: number; b?: number; needs: number; f: (a: number, b: number) => Fn }> = {
  relu: { needs: 0, f: () => (x) => Math.max(x, 0) },
  tanh: { needs: 0, f: () => Math.tanh },
  sigmoid: { needs: 0, f: () => (x) => 1 / (1 + Math.exp(-x)) },
  softsign: { needs: 0, f: () => (x) => x / (1 + Math.abs(x)) },
  softplus: { needs: 0, f: () => (x) => Math.log1p(Math.exp(x)) },
  leakyrelu: { needs: 1, a: 0.01, f: (a) => (x) => (x >= 0 ? x : a * x) },
  elu: { needs: 1, a: 1, f: (a) => (x) => (x >= 0 ? x : a * (Math.exp(x) - 1)) },
  thresholdedrelu: { needs: 1, f: (a) => (x) => (x > a ? x : 0) },
  hardsigmoid: { needs: 2, a: 0.2, b: 0.5, f: (a, b) => (x) => Math.min(Math.max(a * x + b, 0), 1) },
  affine: { needs: 2, f: (a, b) => (x) => a * x + b },
  scaledtanh: { needs: 2, f: (a, b) => (x) => a * Math.tanh(b * x) },
};

/** Activation functions per direction, alphas / betas consumed in order by the functions that take them. */
function acts(c: RnnCase): Fn[][] {
  const D = dirsOf(c), per = DEFAULTS[c.op].length;
  let names = c.activations ?? (D === 2 ? [...DEFAULTS[c.op], ...DEFAULTS[c.op]] : DEFAULTS[c.op]);
  if (c.op === 'RNN' && D === 1 && names.length === 2) names = names.slice(0, 1);
  let ai = 0, bi = 0;
  const fns = names.map((n) => {
    const s = ACT[n.toLowerCase()];
    const a = s.needs >= 1 ? (c.alpha?.[ai++] ?? s.a!) : 0;
    const b = s.needs >= 2 ? (c.beta?.[bi++] ?? s.b!) : 0;
    return s.f(a, b);
  });
  return Array.from({ length: D }, (_, d) => fns.slice(d * per, (d + 1) * per));
}

/** Y, Y_h, Y_c (LSTM) flat in the layout's shapes: Y [T, D, B, H] / [B, T, D, H], states [D, B, H] / [B, D, H]. */
export function rnnReference(c: RnnCase): { Y: number[]; Yh: number[]; Yc: number[] } {
  const { T, B, I, H, op } = c, D = dirsOf(c), G = GATES[op], L = c.layout ?? 0;
  const clip: Fn = c.clip === undefined ? (x) => x : (x) => Math.min(Math.max(x, -c.clip!), c.clip!);
  const fns = acts(c);
  const x = (t: number, b: number, i: number) => c.X[(L ? b * T + t : t * B + b) * I + i];
  const st = (b: number, d: number) => (L ? b * D + d : d * B + b) * H;
  const Y = new Array<number>(T * D * B * H).fill(0), Yh = new Array<number>(D * B * H).fill(0), Yc = Yh.slice();
  for (let d = 0; d < D; d++) {
    const [f, g, hf] = fns[d];
    const bias = (k: number) => c.Bias?.[d * 2 * G * H + k] ?? 0;
    const wx = (t: number, b: number, k: number) => {
      let s = bias(k);
      for (let i = 0; i < I; i++) s += x(t, b, i) * c.W[(d * G * H + k) * I + i];
      return s;
    };
    const rh = (h: number[], k: number) => {
      let s = bias(G * H + k);
      for (let j = 0; j < H; j++) s += h[j] * c.R[(d * G * H + k) * H + j];
      return s;
    };
    const p = (k: number) => c.P?.[d * 3 * H + k] ?? 0;
    for (let b = 0; b < B; b++) {
      const len = c.lens?.[b] ?? T;
      let h = Array.from({ length: H }, (_, j) => c.h0?.[st(b, d) + j] ?? 0);
      let cs = Array.from({ length: H }, (_, j) => c.c0?.[st(b, d) + j] ?? 0);
      for (let s = 0; s < len; s++) {
        const t = c.direction === 'reverse' || d === 1 ? len - 1 - s : s;
        const hn = new Array<number>(H), cn = new Array<number>(H);
        for (let j = 0; j < H; j++) {
          if (op === 'RNN') {
            hn[j] = f(clip(wx(t, b, j) + rh(h, j)));
          } else if (op === 'GRU') {
            const z = f(clip(wx(t, b, j) + rh(h, j))), r = f(clip(wx(t, b, H + j) + rh(h, H + j)));
            let rec: number;
            if (c.linearBeforeReset) rec = r * rh(h, 2 * H + j);
            else {
              rec = bias(G * H + 2 * H + j);
              for (let k = 0; k < H; k++) {
                const rk = f(clip(wx(t, b, H + k) + rh(h, H + k)));
                rec += rk * h[k] * c.R[(d * G * H + 2 * H + j) * H + k];
              }
            }
            hn[j] = (1 - z) * g(clip(wx(t, b, 2 * H + j) + rec)) + z * h[j];
          } else {
            // gate blocks i, o, f, c; peepholes i, o, f
            const i = f(clip(wx(t, b, j) + rh(h, j) + p(j) * cs[j]));
            const fg = c.inputForget ? 1 - i : f(clip(wx(t, b, 2 * H + j) + rh(h, 2 * H + j) + p(2 * H + j) * cs[j]));
            cn[j] = fg * cs[j] + i * g(clip(wx(t, b, 3 * H + j) + rh(h, 3 * H + j)));
            const o = f(clip(wx(t, b, H + j) + rh(h, H + j) + p(H + j) * cn[j]));
            hn[j] = o * hf(cn[j]);
          }
        }
        h = hn;
        if (op === 'LSTM') cs = cn;
        for (let j = 0; j < H; j++) Y[(L ? (b * T + t) * D + d : (t * D + d) * B + b) * H + j] = h[j];
      }
      for (let j = 0; j < H; j++) { Yh[st(b, d) + j] = h[j]; Yc[st(b, d) + j] = cs[j]; }
    }
  }
  return { Y, Yh, Yc };
}

/** Seeded uniform values in [lo, hi). */
export function values(seed: number, n: number, lo = -1, hi = 1): number[] {
  const next = rng(seed);
  return Array.from({ length: n }, () => lo + (hi - lo) * next());
}

/** A random case: weights in [-0.6, 0.6), inputs in [-1, 1), optional biases / states / peepholes. */
export function randomCase(base: Omit<RnnCase, 'X' | 'W' | 'R'>, seed: number, parts: ('Bias' | 'h0' | 'c0' | 'P')[] = []): RnnCase {
  const D = base.direction === 'bidirectional' ? 2 : 1, G = GATES[base.op], { T, B, I, H } = base;
  const c: RnnCase = { ...base, X: values(seed, T * B * I), W: values(seed + 1, D * G * H * I, -0.6, 0.6), R: values(seed + 2, D * G * H * H, -0.6, 0.6) };
  if (parts.includes('Bias')) c.Bias = values(seed + 3, D * 2 * G * H, -0.5, 0.5);
  if (parts.includes('h0')) c.h0 = values(seed + 4, D * B * H);
  if (parts.includes('c0')) c.c0 = values(seed + 5, D * B * H);
  if (parts.includes('P')) c.P = values(seed + 6, D * 3 * H, -0.5, 0.5);
  return c;
}

/** The ONNX input names in order and each one's shape, for the case's present inputs ('' where absent). */
export function inputSpecs(c: RnnCase): { name: string; dims: number[]; data?: number[]; int?: boolean }[] {
  const D = dirsOf(c), G = GATES[c.op], { T, B, I, H } = c, L = c.layout ?? 0;
  const state = L ? [B, D, H] : [D, B, H];
  const all = [
    { name: 'X', dims: L ? [B, T, I] : [T, B, I], data: c.X }, { name: 'W', dims: [D, G * H, I], data: c.W },
    { name: 'R', dims: [D, G * H, H], data: c.R }, { name: 'B', dims: [D, 2 * G * H], data: c.Bias },
    { name: 'sequence_lens', dims: [B], data: c.lens, int: true }, { name: 'initial_h', dims: state, data: c.h0 },
    ...(c.op === 'LSTM' ? [{ name: 'initial_c', dims: state, data: c.c0 }, { name: 'P', dims: [D, 3 * H], data: c.P }] : []),
  ];
  let last = all.length;
  while (last > 3 && !all[last - 1].data) last--;
  return all.slice(0, last).map((s) => (s.data ? s : { name: '', dims: [] }));
}

export type AttrValue = number | string | string[] | { f: number } | { fs: number[] };

const attr = (name: string, v: AttrValue): Bytes => msg(5, [str(1, name), ...(typeof v === 'number' ? [int(3, v), int(20, 2)]
  : typeof v === 'string' ? [str(4, v), int(20, 3)]
    : Array.isArray(v) ? [...v.map((s) => str(9, s)), int(20, 8)]
      : 'f' in v ? [float(2, v.f), int(20, 1)] : [floats(7, Float32Array.from(v.fs)), int(20, 6)])]);

/** The case's ONNX attributes. */
export function caseAttrs(c: RnnCase): Record<string, AttrValue> {
  const a: Record<string, AttrValue> = { hidden_size: c.H };
  if (c.direction) a.direction = c.direction;
  if (c.layout !== undefined) a.layout = c.layout;
  if (c.clip !== undefined) a.clip = { f: c.clip };
  if (c.inputForget !== undefined) a.input_forget = c.inputForget;
  if (c.linearBeforeReset !== undefined) a.linear_before_reset = c.linearBeforeReset;
  if (c.activations) a.activations = c.activations;
  if (c.alpha) a.activation_alpha = { fs: c.alpha };
  if (c.beta) a.activation_beta = { fs: c.beta };
  return a;
}

/**
 * A one-node model: `graphInputs` (names) are graph inputs, every other present input an
 * initializer holding its data; outputs are named Y, Y_h, Y_c (or '' where left out).
 */
export function nodeModel(op: string, inputs: { name: string; dims: number[]; data?: number[]; int?: boolean }[], attrs: Record<string, AttrValue>,
  outputs: string[], graphInputs: string[], opset = 14): Uint8Array {
  const node = msg(1, [...inputs.map((i) => str(1, i.name)), ...outputs.map((o) => str(2, o)), str(3, `${op.toLowerCase()}_node`), str(4, op),
    ...Object.entries(attrs).map(([k, v]) => attr(k, v))]);
  const valueInfo = (field: number, name: string, elem: number, dims: number[] | null) => msg(field, [str(1, name),
    msg(2, [msg(1, [int(1, elem), ...(dims ? [msg(2, dims.map((d) => msg(1, [int(1, d)])))] : [])])])]);
  const present = inputs.filter((i) => i.name);
  const inits = present.filter((i) => !graphInputs.includes(i.name)).map((i) => msg(5, [ints(1, i.dims), int(2, i.int ? 6 : 1),
    i.int ? ints(5, i.data!) : floats(4, Float32Array.from(i.data!)), str(8, i.name)]));
  const graph = msg(7, [node, str(2, 'g'), ...inits, ...present.filter((i) => graphInputs.includes(i.name)).map((i) => valueInfo(11, i.name, i.int ? 6 : 1, i.dims)),
    ...outputs.filter((o) => o).map((o) => valueInfo(12, o, 1, null))]);
  return cat([int(1, 7), graph, msg(8, [str(1, ''), int(2, opset)])]);
}
