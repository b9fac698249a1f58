// Einsum (torch.einsum, also the ONNX importer's Einsum), numpy's semantics: explicit ('ij,jk->ik')
// and implicit outputs, '...' broadcast dims, repeated labels as diagonals; composed of masks, sums,
// permutes and one batched matmul (or broadcast product) per pair of operands, so it differentiates.
import { eye } from '../creation';
import { tidy } from '../memory';
import type { Tensor } from '../tensor';
import { mul } from './binary';
import { sum } from './reduce';
import { matmul } from './matmul';
import { expand, permute, reshape } from './movement';
import { live } from './linalg_extra';

type Fail = (message: string) => never;

/** An operand and one label per dim: a letter, or '.k' for the k-th of the equation's '...' dims. */
interface Term { t: Tensor; labels: string[] }

const sizeOf = (T: Term, l: string) => T.t.shape[T.labels.indexOf(l)];
const product = (T: Term, ls: string[]) => ls.reduce((p, l) => p * sizeOf(T, l), 1);

/** T summed over the labels `drop` selects. */
function sumOut(T: Term, drop: (l: string) => boolean): Term {
  const dims = T.labels.flatMap((l, i) => (drop(l) ? [i] : []));
  if (dims.length === 0) return T;
  return { t: sum(T.t, dims), labels: T.labels.filter((l) => !drop(l)) };
}

/** Repeated labels of one operand become its diagonal: x * eye (broadcast at the two dims), summed over the second. */
function diagonals(fail: Fail, T: Term): Term {
  for (;;) {
    const q = T.labels.findIndex((l, i) => T.labels.indexOf(l) !== i);
    if (q < 0) return T;
    const p = T.labels.indexOf(T.labels[q]), n = T.t.shape[p];
    if (T.t.shape[q] !== n) fail(`label '${T.labels[q]}' repeats over dims of sizes ${n} and ${T.t.shape[q]}`);
    const mask = reshape(eye(n), T.t.shape.map((s, i) => (i === p || i === q ? n : 1)));
    T = { t: sum(mul(T.t, mask), q), labels: T.labels.filter((_, i) => i !== q) };
  }
}

/** A and B contracted over their shared labels outside `keep`; shared labels in `keep` are batch dims. */
function pair(A: Term, B: Term, keep: Set<string>): Term {
  A = sumOut(A, (l) => !keep.has(l) && !B.labels.includes(l));
  B = sumOut(B, (l) => !keep.has(l) && !A.labels.includes(l));
  const shared = A.labels.filter((l) => B.labels.includes(l));
  // '...' dims broadcast: a size-1 side is expanded to the other's size.
  const grow = (T: Term, other: Term): Term => {
    const shape = T.labels.map((l, i) => (shared.includes(l) ? Math.max(T.t.shape[i], sizeOf(other, l)) : T.t.shape[i]));
    return shape.every((s, i) => s === T.t.shape[i]) ? T : { t: expand(T.t, shape), labels: T.labels };
  };
  A = grow(A, B); B = grow(B, A);
  const batch = shared.filter((l) => keep.has(l)), contract = shared.filter((l) => !keep.has(l));
  const aOnly = A.labels.filter((l) => !B.labels.includes(l)), bOnly = B.labels.filter((l) => !A.labels.includes(l));
  const order = (T: Term, ls: string[]) => permute(T.t, ls.map((l) => T.labels.indexOf(l)));
  const outShape = [...batch.map((l) => sizeOf(A, l)), ...aOnly.map((l) => sizeOf(A, l)), ...bOnly.map((l) => sizeOf(B, l))];
  const labels = [...batch, ...aOnly, ...bOnly];
  if (contract.length === 0) { // a broadcast product: [batch, aOnly, 1...] * [batch, 1..., bOnly]
    const a = reshape(order(A, [...batch, ...aOnly]), [...outShape.slice(0, batch.length + aOnly.length), ...bOnly.map(() => 1)]);
    const b = reshape(order(B, [...batch, ...bOnly]), [...outShape.slice(0, batch.length), ...aOnly.map(() => 1), ...bOnly.map((l) => sizeOf(B, l))]);
    return { t: mul(a, b), labels };
  }
  const a3 = reshape(order(A, [...batch, ...aOnly, ...contract]), [product(A, batch), product(A, aOnly), product(A, contract)]);
  const b3 = reshape(order(B, [...batch, ...contract, ...bOnly]), [product(B, batch), product(B, contract), product(B, bOnly)]);
  return { t: reshape(matmul(a3, b3), outShape), labels };
}

/**
 * torch.einsum: operands summed over the labels the output omits, e.g. 'bij,bjk->bik' (bmm),
 * 'ii->i' (diagonal), 'i,j->ij' (outer). Operands as arguments or one array.
 * @example
 * einsum('ij,jk->ik', a, b) // a @ b
 */
export function einsum(equation: string, ...operands: Tensor[] | [Tensor[]]): Tensor {
  const xs = (Array.isArray(operands[0]) ? operands[0] : operands) as Tensor[];
  live('einsum', xs, true);
  return tidy(() => einsumWith((m) => { throw new Error(`asgrad.einsum: ${m}`); }, String(equation), xs));
}

/** Einsum of float32 operands `xs` by `equation`; `fail` throws (ONNX: naming the node). */
export function einsumWith(fail: Fail, equation: string, xs: Tensor[]): Tensor {
  const eqn = equation.replace(/\s+/g, '');
  const sides = eqn.split('->');
  if (sides.length > 2) fail(`equation '${equation}' has more than one '->'`);
  const terms = sides[0].split(',');
  if (terms.length !== xs.length) fail(`equation '${equation}' names ${terms.length} operand(s), got ${xs.length} input(s)`);
  const parse = (s: string) => {
    const m = /^([a-zA-Z]*)(\.\.\.)?([a-zA-Z]*)$/.exec(s);
    if (!m) fail(`equation '${equation}': term '${s}' is not letters with at most one '...'`);
    return { before: [...m[1]], ell: m[2] !== undefined, after: [...m[3]] };
  };
  const parsed = terms.map(parse);
  const ellRanks = parsed.map((p, i) => {
    const e = xs[i].ndim - p.before.length - p.after.length;
    if (p.ell ? e < 0 : e !== 0) fail(`equation '${equation}': term '${terms[i]}' does not fit input ${i} of shape [${xs[i].shape.join(', ')}]`);
    return e;
  });
  const E = Math.max(0, ...ellRanks);
  const ellLabels = (e: number) => Array.from({ length: e }, (_, k) => `.${E - e + k}`);
  let list: Term[] = parsed.map((p, i) => ({ t: xs[i], labels: [...p.before, ...ellLabels(ellRanks[i]), ...p.after] }));
  // Sizes agree per label; '...' dims may broadcast from 1.
  const sizes = new Map<string, number>();
  for (const T of list) {
    T.labels.forEach((l, i) => {
      const s = T.t.shape[i], had = sizes.get(l);
      if (had === undefined || (l.startsWith('.') && had === 1)) sizes.set(l, s);
      else if (had !== s && !(l.startsWith('.') && s === 1)) fail(`equation '${equation}': label '${l.startsWith('.') ? '...' : l}' has sizes ${had} and ${s}`);
    });
  }
  let out: string[];
  if (sides.length === 2) {
    const p = parse(sides[1]);
    out = [...p.before, ...(p.ell ? ellLabels(E) : []), ...p.after];
    for (const l of out) {
      if (!sizes.has(l)) fail(`equation '${equation}': output label '${l}' is in no input`);
      if (out.indexOf(l) !== out.lastIndexOf(l)) fail(`equation '${equation}': output label '${l}' repeats`);
    }
  } else { // implicit: the '...' dims, then the letters used once, alphabetically
    const count = new Map<string, number>();
    for (const T of list) for (const l of T.labels) count.set(l, (count.get(l) ?? 0) + 1);
    out = [...ellLabels(E), ...[...count].filter(([l, c]) => c === 1 && !l.startsWith('.')).map(([l]) => l).sort()];
  }
  const outSet = new Set(out);
  list = list.map((T) => diagonals(fail, T));
  let cur = sumOut(list[0], (l) => !outSet.has(l) && !list.slice(1).some((T) => T.labels.includes(l)));
  for (let i = 1; i < list.length; i++) {
    const keep = new Set([...out, ...list.slice(i + 1).flatMap((T) => T.labels)]);
    cur = pair(cur, list[i], keep);
  }
  cur = sumOut(cur, (l) => !outSet.has(l));
  return permute(cur.t, out.map((l) => cur.labels.indexOf(l)));
}
