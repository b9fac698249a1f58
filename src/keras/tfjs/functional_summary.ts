// Functional.summary()'s table: one row per layer call (name (class), output shape(s), parameters,
// the calls it takes inputs from, as Keras' "Connected to"), then the parameter totals. A layer
// called several times (shared) shows its parameters at its first row only.
import type { Shape } from '../layers/layer';
import type { TensorRef } from './graph';

export interface SummaryRow { name: string; className: string; shapes: Shape[]; params: number; inputs: TensorRef[]; layer?: object }

const shapeStr = (s: Shape) => `[null, ${s.map((d) => d ?? 'null').join(', ')}]`;

export function formatFunctionalSummary(modelName: string, rows: SummaryRow[], total: number, trainable: number): string[] {
  const seen = new Set<object | undefined>();
  const cells = rows.map((r) => [`${r.name} (${r.className})`, r.shapes.map(shapeStr).join(' '), String(seen.has(r.layer) ? 0 : (seen.add(r.layer), r.params)),
    r.inputs.map((i) => `${i.layer}[${i.node}][${i.tensor}]`).join(', ')]);
  const head = ['Layer (type)', 'Output shape', 'Param #', 'Connected to'];
  const w = head.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)) + 2);
  const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i])).join('').trimEnd();
  const bar = (c: string) => c.repeat(w.reduce((a, b) => a + b, 0));
  return [`Model: "${modelName}"`, bar('_'), line(head), bar('='), ...cells.map(line), bar('='),
    `Total params: ${total}`, `Trainable params: ${trainable}`, `Non-trainable params: ${total - trainable}`, bar('_')];
}
