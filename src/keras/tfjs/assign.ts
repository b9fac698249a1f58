// Puts decoded manifest weights into built layers: each weight goes to the layer whose name prefixes
// it ('dense_1/kernel', 'lstm/lstm_cell/recurrent_kernel', tfjs's 'dense_Dense1/bias') and to the
// slot named by its last segment (moving_mean -> movingMean), or by its index (Keras 3's 'dense/0').
// Every weight must be used and every layer weight filled, with equal shapes; else we throw.
import { assign, check, fmtShape, tensor } from './loader_deps';
import type { Tensor } from '../../tensor';
import type { Layer } from '../layers/layer';
import type { DecodedWeight } from './weights';
import { toSnake } from './config';

const OP = 'loadLayersModel';


interface Slot { key: string; t: Tensor; from: string | null }

/** The layer's weights in Keras order (trainable in build order, then moving statistics), by snake name. */
function slotsOf(layer: Layer): Slot[] {
  return Object.entries(layer.stateDict()).map(([k, t]) => ({ key: toSnake(k.slice(k.lastIndexOf('.') + 1)), t, from: null }));
}

/** Weight names' segments: ':0' suffixes and Keras 3's 'vars' folders dropped. */
const segments = (name: string) => name.split('/').map((s) => s.replace(/:\d+$/, '')).filter((s) => s !== 'vars' && s !== '');

/**
 * Assigns `weights` into `layers` (already built). Throws naming the weight for unknown layers,
 * slots, duplicates and shape mismatches, and naming the layer weights left without a value.
 */
export function assignWeights(layers: Layer[], weights: DecodedWeight[]): void {
  const slots = new Map<string, Slot[]>(layers.map((l) => [l.layerName, slotsOf(l)]));
  const names = [...slots.keys()].sort((a, b) => b.length - a.length);
  const plan: [Slot, DecodedWeight][] = [];
  for (const w of weights) {
    const segs = segments(w.name);
    const joined = segs.join('/');
    const owner = names.find((n) => joined.startsWith(`${n}/`));
    check(owner !== undefined, OP, () => `weight '${w.name}' belongs to no layer of the model (layers with weights: ${layers.filter((l) => slots.get(l.layerName)!.length).map((l) => l.layerName).join(', ') || 'none'})`);
    const own = slots.get(owner!)!;
    const last = segs[segs.length - 1];
    const slot = /^\d+$/.test(last) ? own[Number(last)] : own.find((s) => s.key === last);
    check(slot !== undefined, OP, () => `weight '${w.name}' matches no weight of layer '${owner}' (it has ${own.map((s) => s.key).join(', ') || 'no weights'})`);
    check(slot!.from === null, OP, () => `weights '${slot!.from}' and '${w.name}' both map to '${owner}/${slot!.key}'`);
    check(slot!.t.ndim === w.shape.length && slot!.t.shape.every((d, i) => d === w.shape[i]), OP, () =>
      `weight '${w.name}' has shape ${fmtShape(w.shape)} but layer '${owner}' expects ${slot!.key} of shape ${fmtShape(slot!.t.shape)}`);
    slot!.from = w.name;
    plan.push([slot!, w]);
  }
  const missing = [...slots].flatMap(([n, ss]) => ss.filter((s) => s.from === null).map((s) => `${n}/${s.key}`));
  check(missing.length === 0, OP, () => `the weights manifest has no value for ${missing.join(', ')}`);
  for (const [slot, w] of plan) {
    const src = tensor(w.values, { shape: w.shape, dtype: w.dtype });
    try { assign(slot.t, src, OP); } finally { src.dispose(); }
  }
}
