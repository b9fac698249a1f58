// toString in PyTorch's style: `tensor([[1.0000, 2.5000], ...])`, integers-valued floats as `1.`,
// scientific notation for wide ranges, summarized with `...` above 1000 elements.
import type { Tensor } from './tensor';
import { readFlat } from './read';

const EDGE = 3;
const THRESHOLD = 1000;

function floatFormatter(vals: number[]): (v: number) => string {
  const finite = vals.filter((v) => Number.isFinite(v));
  const abs = finite.map(Math.abs).filter((v) => v > 0);
  const allInt = finite.every((v) => Number.isInteger(v));
  const maxA = abs.length ? Math.max(...abs) : 0, minA = abs.length ? Math.min(...abs) : 0;
  const sci = abs.length > 0 && (maxA / minA > 1000 || maxA > 1e8 || minA < 1e-4);
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  let f: (v: number) => string;
  if (sci) f = (v) => (Number.isFinite(v) ? v.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2') : special(v));
  else if (allInt) f = (v) => (Number.isFinite(v) ? `${v.toFixed(0)}.` : special(v));
  else f = (v) => (Number.isFinite(v) ? v.toFixed(4) : special(v));
  const width = Math.max(0, ...finite.map((v) => f(v).length)); // as PyTorch: nan/inf do not widen
  return (v) => f(v).padStart(width);
}

export function formatTensor(t: Tensor): string {
  if (t.isDisposed) return `tensor(<disposed>, shape=[${t.shape.join(', ')}])`;
  const flat = Array.from(readFlat(t));
  const summarize = t.size > THRESHOLD;
  const strides = t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const shown = (n: number) => (summarize && n > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)] : [...Array(n).keys()]);
  // As PyTorch, the number format is chosen from the values actually printed.
  const printed: number[] = [];
  const visit = (d: number, off: number): void => {
    if (d === t.ndim) { printed.push(flat[off]); return; }
    for (const i of shown(t.shape[d])) if (i >= 0) visit(d + 1, off + i * strides[d]);
  };
  if (t.size > 0) visit(0, 0);
  const fmt = t.dtype === 'float32' ? floatFormatter(printed)
    : t.dtype === 'bool' ? (v: number) => (v ? ' True' : 'False')
      : ((w) => (v: number) => String(v).padStart(w))(Math.max(1, ...printed.map((v) => String(v).length)));
  const indent = 'tensor('.length;
  const rec = (d: number, off: number): string => {
    if (d === t.ndim) return fmt(flat[off]);
    const last = d === t.ndim - 1;
    const parts = shown(t.shape[d]).map((i) => (i < 0 ? (last ? ' ...' : '...') : rec(d + 1, off + i * strides[d])));
    if (last) return `[${parts.join(', ')}]`;
    const sep = ',' + '\n'.repeat(t.ndim - d - 1) + ' '.repeat(indent + d + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = t.size === 0 && t.ndim <= 1 ? '[]' : t.size === 0 ? '[]' : rec(0, 0);
  const extra: string[] = [];
  if (t.size === 0 && t.ndim > 1) extra.push(`size=(${t.shape.join(', ')})`);
  if (t.dtype === 'int32') extra.push('dtype=int32');
  if (t.requiresGrad) extra.push(t._node ? `grad_fn=<${t._node.op.name}>` : 'requires_grad=True');
  return `tensor(${body}${extra.length ? ', ' + extra.join(', ') : ''})`;
}
