// Keras JSON layer configs (snake_case, `{ class_name, config }`) -> asgrad layers. Keys are
// camelCased as tfjs's convertPythonicToTs; initializers, constraints and dtypes are dropped (the
// weights are loaded); every other key is either honoured or must hold its Keras default, else we
// throw naming the layer, the key and the value: never a silently different model.
import { isActivation, l1l2 } from './loader_deps';
import type { Regularizer } from '../../nn/regularizers';
import type { Layer, Shape } from '../layers/layer';
import { RULES, type Rule } from './rules';

const OP = 'loadLayersModel';

/** Keras JSON as stored: `{ class_name, config }` (plus name / inbound_nodes in functional models). */
export interface KerasLayerJson {
  class_name: string;
  config: Record<string, unknown>;
  name?: string;
  inbound_nodes?: unknown[];
}

/** A converted layer, and a check of its first input shape (batch excluded) for keys that depend on it. */
export interface Converted {
  layer: Layer;
  checkInput?: (inputShape: Shape) => void;
}

/** tfjs's toCamelCase. */
export function toCamelCase(s: string): string {
  if (s.length <= 1 || !s.includes('_')) return s;
  return s.replace(/[_]+(\w|$)/g, (_m, c: string) => c.toUpperCase());
}

/** tfjs's convertPythonicToTs for a layer config: keys and string values camelCased, except `name` values. */
export function pythonicToTs(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return toCamelCase(v);
  if (typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => pythonicToTs(x));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k === 'name' ? k : toCamelCase(k)] = k === 'name' && typeof x === 'string' ? x : pythonicToTs(x);
  return out;
}

/** Keys every layer may carry that do not change its outputs once the weights are loaded. */
const IGNORED = new Set(['name', 'trainable', 'dtype', 'batchInputShape', 'batchShape', 'inputShape', 'batchSize', 'inputDtype', 'autocast']);
const isDropped = (k: string) => IGNORED.has(k) || k.endsWith('Initializer') || k.endsWith('Constraint');

/** tfjs's toSnakeCase (for naming keys as the JSON spells them). */
export const toSnake = (s: string): string => s.replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();

const show = (v: unknown) => JSON.stringify(v)?.slice(0, 200) ?? String(v);

function fail(where: string, msg: string): never {
  throw new Error(`asgrad.${OP}: ${where}: ${msg}`);
}

/** Deep equality of JSON values (for default checks). */
function same(a: unknown, b: unknown): boolean {
  return show(a) === show(b);
}

/** A Keras regularizer object (L1L2, L1, L2; Keras 3 adds `module`) -> asgrad's, or null. */
export function toRegularizer(where: string, key: string, r: unknown): Regularizer | null {
  if (r === null || r === undefined) return null;
  const o = r as { className?: string; config?: { l1?: number; l2?: number } };
  const cls = o?.className;
  const c = o?.config ?? {};
  const num = (x: unknown) => (typeof x === 'number' ? x : 0);
  if (cls === 'L1L2' || cls === 'l1L2' || cls === 'L1' || cls === 'L2') return l1l2({ l1: num(c.l1), l2: num(c.l2) });
  return fail(where, `unsupported ${key} ${show(r)} (supported: L1L2, L1, L2)`);
}

/** The activation name as asgrad knows it (Keras' silu is swish), or a throw naming the layer. */
export function toActivation(where: string, key: string, v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  const name = v === 'silu' ? 'swish' : v;
  if (!isActivation(name)) fail(where, `unsupported ${key} ${show(v)} (supported: linear, relu, relu6, sigmoid, hardSigmoid, tanh, softmax, logSoftmax, elu, selu, gelu, softplus, softsign, swish, mish)`);
  return name;
}

/**
 * Builds the asgrad layer for one Keras layer JSON. `inputShape` (batch excluded) is passed to the
 * constructor when given (the first layer of a Sequential). Throws for unknown classes and keys.
 */
export function layerFromKeras(json: KerasLayerJson, inputShape?: Shape): Converted {
  const cls = json?.class_name;
  const raw = json?.config ?? {};
  const name = typeof raw.name === 'string' ? raw.name : json?.name ?? '?';
  const where = `layer '${name}' (${cls})`;
  const rule: Rule | undefined = Object.prototype.hasOwnProperty.call(RULES, cls) ? RULES[cls] : undefined;
  if (!rule) {
    const nested = cls === 'Model' || cls === 'Functional' || cls === 'Sequential' ? ' (a model nested as a layer is not supported)' : '';
    fail(where, `unknown layer class ${show(cls)}${nested} (supported: ${Object.keys(RULES).join(', ')})`);
  }
  const cfg = pythonicToTs(raw) as Record<string, unknown>;
  const args: Record<string, unknown> = { name };
  if (typeof cfg.trainable === 'boolean') args.trainable = cfg.trainable;
  if (inputShape) args.inputShape = inputShape;
  const keys = new Set(rule.keys);
  const original = new Map(Object.keys(raw).map((k) => [toCamelCase(k), k]));
  for (const [k, v] of Object.entries(cfg)) {
    if (isDropped(k)) continue;
    const key = original.get(k) ?? k;
    if (keys.has(k)) {
      if (v !== null) args[k] = v;
      continue;
    }
    const fixed = rule.fixed?.[k] ?? (k === 'activityRegularizer' ? [null] : undefined);
    if (fixed === undefined) fail(where, `config key '${key}' = ${show(raw[key])} is not supported (asgrad honours: ${rule.keys.map(toSnake).join(', ') || 'none'})`);
    if (fixed === 'any') continue;
    if (!fixed.some((d) => same(d, v))) fail(where, `config key '${key}' = ${show(raw[key])} is not supported (only ${fixed.map((d) => show(typeof d === 'string' ? toSnake(d) : d)).join(' or ')})`);
  }
  for (const k of rule.keys) {
    if (k.endsWith('Regularizer')) { const r = toRegularizer(where, toSnake(k), args[k]); if (r) args[k] = r; else delete args[k]; }
    if (k === 'activation' || k === 'recurrentActivation') { const a = toActivation(where, toSnake(k), args[k]); if (a) args[k] = a; else delete args[k]; }
  }
  let layer: Layer;
  try {
    layer = new rule.ctor(args as never);
  } catch (e) {
    return fail(where, (e as Error).message.replace(/^asgrad\./, ''));
  }
  const ci = rule.checkInput;
  return { layer, ...(ci ? { checkInput: (s: Shape) => ci(cfg, s, where) } : {}) };
}
