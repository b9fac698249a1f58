// ONNX converters: the recurrent ops LSTM, GRU and RNN (opsets 7 and 14: one layer, forward /
// reverse / bidirectional, layout 0 or 1, all optional inputs). The input projection of every step
// is one GEMM per direction; the recurrence is in rnn_recur.ts.
import type { Tensor } from '../../../../tensor';
import { tensor, zeros } from '../../../../creation';
import { tidy } from '../../../../memory';
import { cat } from '../../../../ops/movement';
import { stack } from '../../../../ops/shaping';
import { nodeError, type Attrs, type OnnxOp, type OpContext } from '../attrs';
import { valuesOf, need } from '../values';
import { resolveActs, runDirection, type Direction } from './rnn_recur';

type Kind = 'lstm' | 'gru' | 'rnn';

const GATES: Record<Kind, number> = { lstm: 4, gru: 3, rnn: 1 };
const DEFAULT_ACTS: Record<Kind, string[]> = { lstm: ['Sigmoid', 'Tanh', 'Tanh'], gru: ['Sigmoid', 'Tanh'], rnn: ['Tanh'] };
const OP: Record<Kind, string> = { lstm: 'LSTM', gru: 'GRU', rnn: 'RNN' };

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Checks `t` (named `what`) is float32 with shape `want`. */
function expectShape(ctx: OpContext, t: Tensor, what: string, want: number[], meaning: string): void {
  if (t.dtype !== 'float32') nodeError(ctx.node, `${what} must be float32, got ${t.dtype}`);
  if (t.ndim !== want.length || t.shape.some((d, i) => d !== want[i])) {
    nodeError(ctx.node, `${what} must have shape ${fmt(want)} (${meaning}), got ${fmt(t.shape)}`);
  }
}

/**
 * The activation names per direction. One-direction RNN may list two (its documented default is
 * ['Tanh', 'Tanh']): onnxruntime uses the first.
 */
function activations(ctx: OpContext, a: Attrs, kind: Kind, D: number): string[][] {
  const per = DEFAULT_ACTS[kind].length;
  let names = a.strings('activations', []);
  if (names.length === 0) return Array.from({ length: D }, () => DEFAULT_ACTS[kind]);
  if (kind === 'rnn' && D === 1 && names.length === 2) names = names.slice(0, 1);
  if (names.length === per * D) return Array.from({ length: D }, (_, d) => names.slice(d * per, (d + 1) * per));
  return nodeError(ctx.node, `activations has ${names.length} name(s) [${names.join(', ')}]; ${OP[kind]} with ${D} direction(s) takes ${per * D}`);
}

/** Per step t, a bool [B, 1] mask t < len[b]; null when every length is T (or the input is absent). */
function stepMasks(ctx: OpContext, lens: Tensor | undefined, T: number, B: number): Tensor[] | null {
  if (!lens) return null;
  if (lens.dtype !== 'int32' || lens.ndim !== 1 || lens.shape[0] !== B) {
    nodeError(ctx.node, `sequence_lens must be an int32 tensor of shape [${B}] (batch), got ${lens.dtype} ${fmt(lens.shape)}`);
  }
  const v = valuesOf(lens)!;
  const bad = v.find((n) => !(n >= 1 && n <= T));
  if (bad !== undefined) nodeError(ctx.node, `sequence_lens holds ${bad}; every length must be in [1, ${T}] (seq_length)`);
  if (v.every((n) => n === T)) return null;
  return Array.from({ length: T }, (_, t) => tensor(Int32Array.from(v, (n) => (t < n ? 1 : 0)), { shape: [B, 1], dtype: 'bool' }));
}

function recurrent(kind: Kind): OnnxOp {
  return (inputs, a, ctx) => {
    const known = ['activation_alpha', 'activation_beta', 'activations', 'clip', 'direction', 'hidden_size'];
    if (ctx.opset >= 14) known.push('layout');
    if (kind === 'lstm') known.push('input_forget');
    if (kind === 'gru') known.push('linear_before_reset');
    a.only(...known);
    const G = GATES[kind];
    const X = need(ctx, inputs, 0, 'X'), W = need(ctx, inputs, 1, 'W'), R = need(ctx, inputs, 2, 'R');
    const [B_, lens, initH, initC, P] = [inputs[3], inputs[4], inputs[5], kind === 'lstm' ? inputs[6] : undefined, kind === 'lstm' ? inputs[7] : undefined];

    const direction = a.string('direction', 'forward');
    if (!['forward', 'reverse', 'bidirectional'].includes(direction)) {
      nodeError(ctx.node, `direction must be forward, reverse or bidirectional, got '${direction}'`);
    }
    const D = direction === 'bidirectional' ? 2 : 1;
    const layout = a.int('layout', 0);
    if (layout !== 0 && layout !== 1) nodeError(ctx.node, `layout must be 0 or 1, got ${layout}`);
    if (X.dtype !== 'float32' || X.ndim !== 3) nodeError(ctx.node, `X must be a 3-D float32 tensor, got ${X.dtype} ${fmt(X.shape)}`);
    const [T, Bt, I] = layout ? [X.shape[1], X.shape[0], X.shape[2]] : X.shape;
    if (T === 0) nodeError(ctx.node, 'X has no time steps (seq_length 0)');
    if (R.ndim !== 3) nodeError(ctx.node, `R must be 3-D [num_directions, ${G}*hidden_size, hidden_size], got ${fmt(R.shape)}`);
    const H = a.int('hidden_size', R.shape[2]);
    if (!(H > 0)) nodeError(ctx.node, `hidden_size must be positive, got ${H}`);
    const clip = a.has('clip') ? a.float('clip') : null;
    if (clip !== null && !(clip >= 0)) nodeError(ctx.node, `clip must be a non-negative threshold, got ${clip}`);
    const inputForget = a.int('input_forget', 0);
    if (inputForget !== 0 && inputForget !== 1) nodeError(ctx.node, `input_forget must be 0 or 1, got ${inputForget}`);
    const lbr = a.int('linear_before_reset', 0) !== 0;

    const state = layout ? `[batch, num_directions, hidden_size] = [${Bt}, ${D}, ${H}] (layout 1)` : `[num_directions, batch, hidden_size] = [${D}, ${Bt}, ${H}]`;
    expectShape(ctx, W, 'W', [D, G * H, I], `num_directions, ${G}*hidden_size, input_size`);
    expectShape(ctx, R, 'R', [D, G * H, H], `num_directions, ${G}*hidden_size, hidden_size`);
    if (B_) expectShape(ctx, B_, 'B', [D, 2 * G * H], `num_directions, ${2 * G}*hidden_size`);
    if (initH) expectShape(ctx, initH, 'initial_h', layout ? [Bt, D, H] : [D, Bt, H], state);
    if (initC) expectShape(ctx, initC, 'initial_c', layout ? [Bt, D, H] : [D, Bt, H], state);
    if (P) expectShape(ctx, P, 'P', [D, 3 * H], 'num_directions, 3*hidden_size');
    const fail = (msg: string): never => nodeError(ctx.node, msg);
    const actNames = activations(ctx, a, kind, D);
    const allActs = resolveActs(actNames.flat(), a.floats('activation_alpha', []), a.floats('activation_beta', []), fail);
    const per = DEFAULT_ACTS[kind].length;
    const fused = kind === 'lstm' && clip === null && !P && inputForget === 0;

    return tidy(() => {
      const masks = stepMasks(ctx, lens, T, Bt);
      const xs = (layout ? X.transpose(0, 1) : X).reshape([T * Bt, I]);
      const perDir = (t: Tensor | undefined) => (t ? t.unbind(0) : null);
      // initial_h / initial_c are [B, D, H] in layout 1.
      const states = (t: Tensor | undefined) => perDir(t && layout ? t.transpose(0, 1) : t);
      const [Ws, Rs, Bs, Ps] = [W, R, B_, P].map(perDir);
      const [H0s, C0s] = [initH, initC].map(states);
      const ys: Tensor[] = [], hs: Tensor[] = [], cs: Tensor[] = [];
      for (let d = 0; d < D; d++) {
        const lstmFused = fused && actNames[d].every((n, k) => n.toLowerCase() === DEFAULT_ACTS.lstm[k].toLowerCase());
        let bx: Tensor | null = null, bhn: Tensor | null = null;
        if (Bs) {
          const [wb, rb] = Bs[d].split([G * H, G * H], 0);
          if (kind === 'gru' && lbr) {
            const [wbZR, wbH] = wb.split([2 * H, H], 0), [rbZR, rbH] = rb.split([2 * H, H], 0);
            bx = cat([wbZR.add(rbZR), wbH], 0);
            bhn = rbH;
          } else {
            bx = wb.add(rb);
          }
        }
        let gx = xs.matmul(Ws![d].T);
        if (bx) gx = gx.add(bx);
        const dir: Direction = {
          kind, gx: gx.reshape([T, Bt, G * H]), wh: Rs![d].T, bhn, linearBeforeReset: lbr,
          acts: allActs.slice(d * per, (d + 1) * per), clip, peep: Ps ? Ps[d].split([H, H, H], 0) : null,
          inputForget: inputForget === 1, fused: lstmFused,
          h0: H0s ? H0s[d] : zeros([Bt, H]), c0: kind !== 'lstm' ? null : C0s ? C0s[d] : zeros([Bt, H]),
          reverse: direction === 'reverse' || d === 1, masks,
        };
        const r = runDirection(dir);
        ys.push(r.y); hs.push(r.h);
        if (r.c) cs.push(r.c);
      }
      // Y [T, D, B, H] (layout 1: [B, T, D, H]); Y_h, Y_c [D, B, H] (layout 1: [B, D, H]).
      const Y = stack(ys, 1), Yh = stack(hs, 0);
      const out = [layout ? Y.permute(2, 0, 1, 3) : Y, layout ? Yh.transpose(0, 1) : Yh];
      if (kind === 'lstm') { const Yc = stack(cs, 0); out.push(layout ? Yc.transpose(0, 1) : Yc); }
      return out;
    });
  };
}

export const RNN_OPS: Record<string, OnnxOp> = {
  LSTM: recurrent('lstm'),
  GRU: recurrent('gru'),
  RNN: recurrent('rnn'),
};
