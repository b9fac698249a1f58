// model.summary(): TensorFlow.js 4's table for sequential models (layer, input shape, output
// shape, parameter count; 90 columns at [0.32, 0.61, 0.89, 1]) and the parameter totals.
import type { Sequential } from './sequential';
import { trainableParams } from './layers/layer';

/** tfjs's printRow: each field cut at its column, the last character before a field forced to a space. */
function row(fields: string[], cols: number[]): string {
  let line = '';
  fields.forEach((f, i) => {
    if (i > 0) line = line.slice(0, -1) + ' ';
    line = (line + f).slice(0, cols[i]);
    line += ' '.repeat(cols[i] - line.length);
  });
  return line;
}

const shapeStr = (s: number[]) => JSON.stringify([null, ...s]);

export function formatSummary(model: Sequential, lineLength = 90, positions = [0.32, 0.61, 0.89, 1]): string[] {
  const cols = positions[positions.length - 1] <= 1 ? positions.map((p) => Math.floor(lineLength * p)) : positions;
  const out = ['_'.repeat(lineLength), row(['Layer (type)', 'Input Shape', 'Output shape', 'Param #'], cols), '='.repeat(lineLength)];
  let shape = model.inputShape;
  let trainable = 0, total = 0;
  model.layers.forEach((l, i) => {
    const inShape = shape;
    shape = l.computeOutputShape(shape);
    const n = l.countParams();
    total += n;
    trainable += trainableParams(l).reduce((a, p) => a + p.size, 0);
    out.push(row([`${l.layerName} (${l.className})`, `[${shapeStr(inShape)}]`, shapeStr(shape), String(n)], cols));
    out.push((i === model.layers.length - 1 ? '=' : '_').repeat(lineLength));
  });
  out.push(`Total params: ${total}`, `Trainable params: ${trainable}`, `Non-trainable params: ${total - trainable}`, '_'.repeat(lineLength));
  return out;
}
