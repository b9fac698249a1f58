// model.summary(): the TensorFlow.js table of layers, output shapes and parameter counts.
import type { Sequential } from './sequential';

export function formatSummary(model: Sequential, lineLength = 65, positions = [0.45, 0.85, 1]): string[] {
  const cols = positions.map((p) => Math.floor(p <= 1 ? p * lineLength : p));
  const row = (fields: string[]) => {
    let line = '';
    fields.forEach((f, i) => { line = (line + f).slice(0, cols[i]).padEnd(cols[i]); });
    return line;
  };
  const out = ['_'.repeat(lineLength), row(['Layer (type)', 'Output shape', 'Param #']), '='.repeat(lineLength)];
  let shape = model.inputShape;
  let trainable = 0, total = 0;
  model.layers.forEach((l, i) => {
    shape = l.computeOutputShape(shape);
    const n = l.countParams();
    const t = l.parameters().reduce((a, p) => a + p.size, 0);
    total += n;
    trainable += l.trainable ? t : 0;
    out.push(row([`${l.layerName} (${l.className})`, `[null,${shape.join(',')}]`, String(n)]));
    out.push(i === model.layers.length - 1 ? '='.repeat(lineLength) : '_'.repeat(lineLength));
  });
  out.push(`Total params: ${total}`, `Trainable params: ${trainable}`, `Non-trainable params: ${total - trainable}`, '_'.repeat(lineLength));
  return out;
}
