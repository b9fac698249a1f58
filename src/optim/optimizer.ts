// The Optimizer base class (torch.optim.Optimizer's shape): parameter groups with defaults merged,
// lazily created per-parameter state, zeroGrad, step over fused in-place kernels, stateDict /
// loadStateDict in PyTorch's layout. Subclasses supply validation and the per-parameter update.
import { Tensor } from '../tensor';
import { copyInto, copyK, fillK } from '../backend/kernels';
import { keep } from '../memory';
import { enableGrad } from '../autograd';
import { check, fmtShape } from '../util/errors';

/** Per-parameter state: tensors (shaped like the parameter, kept) and counters such as `step`. */
export type ParamState = Record<string, Tensor | number>;

/** A parameter group: its parameters plus every hyperparameter (defaults merged in). */
export type ParamGroup<O> = O & { params: Tensor[]; initialLr?: number; [key: string]: unknown };

/** A group as the user passes it: params plus any hyperparameters overriding the defaults. */
export type ParamGroupInput<O> = Partial<O> & { params: Iterable<Tensor> | Tensor; [key: string]: unknown };

/** What an optimizer takes: parameters, or parameter groups `[{ params, lr, ... }]`. */
export type ParamsInput<O> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

export interface OptimizerStateDict {
  /** Keyed by the parameter's index across all groups, in group order. */
  state: Record<number, ParamState>;
  /** Every group's hyperparameters, with `params` replaced by the parameters' indices. */
  paramGroups: Record<string, unknown>[];
}

const isTensor = (x: unknown): x is Tensor => !!x && (x as { _isTensor?: boolean })._isTensor === true;

/** Throws `asgrad.optim.<name>: <message>` unless `value` is a number satisfying `ok`. */
export function checkHyper(name: string, value: unknown, ok: (v: number) => boolean, message: string): void {
  check(typeof value === 'number' && ok(value), `optim.${name}`, () => `${message}: ${String(value)}`);
}

export abstract class Optimizer<O extends { lr: number } = { lr: number }> {
  readonly defaults: O;
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created on the parameter's first step. */
  readonly state = new Map<Tensor, ParamState>();
  /** The class name used in error messages ('SGD', 'Adam', ...). */
  readonly name: string;

  /**
   * @param params tensors or parameter groups; may be omitted (or empty) and added later with
   *   `addParamGroup` / `setParams`, e.g. by a Keras-style model that knows its weights only after build.
   */
  constructor(params: ParamsInput<O> | undefined, defaults: O, options: Partial<O>, name: string) {
    this.name = name;
    knownKeys(`optim.${name}`, options, defaults);
    this.defaults = { ...defaults, ...options };
    this.validate(this.defaults, name);
    if (params !== undefined) this.addParams(params, name);
  }

  /** Throws a clear error when a group's hyperparameters are out of range. */
  protected abstract validate(group: O, name?: string): void;

  /** Updates one parameter in place; `param` and `grad` are contiguous, equal-shaped float32. */
  protected abstract update(param: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<O>): void;

  private addParams(params: ParamsInput<O>, name: string): void {
    check(params !== null && typeof (params as Iterable<unknown>)[Symbol.iterator] === 'function' && !isTensor(params),
      `optim.${name}`, () => `params should be an iterable of Tensors or of parameter groups { params, ... }, got ${isTensor(params) ? 'a single Tensor (wrap it in an array)' : typeof params}`);
    const items = [...(params as Iterable<unknown>)];
    if (items.length === 0) return;
    if (items.every(isTensor)) this.addParamGroup({ params: items as Tensor[] } as unknown as ParamGroupInput<O>);
    else if (items.every((g) => !isTensor(g) && typeof g === 'object' && g !== null && 'params' in g)) {
      for (const g of items) this.addParamGroup(g as ParamGroupInput<O>);
    } else {
      throw new Error(`asgrad.optim.${name}: params must be all Tensors or all parameter groups { params, ... }, not a mix`);
    }
  }

  /** Adds a group; hyperparameters it omits come from the defaults (torch add_param_group). */
  addParamGroup(group: ParamGroupInput<O>): void {
    const op = `optim.${this.name}.addParamGroup`;
    check(group !== null && typeof group === 'object' && 'params' in group, op, () => 'expected a group { params, ...options }');
    const raw = isTensor(group.params) ? [group.params] : [...(group.params as Iterable<Tensor>)];
    const seen = new Set<Tensor>();
    for (const p of raw) {
      check(isTensor(p), op, () => `optimizer can only optimize Tensors, but one of the params is ${p === null ? 'null' : typeof p}`);
      p._assertLive(op);
      check(p.isLeaf, op, () => `can't optimize a non-leaf Tensor (shape ${fmtShape(p.shape)}): optimize the leaf it was computed from, or detach() it and set requiresGrad`);
      check(p.dtype === 'float32', op, () => `can only optimize float32 Tensors, got ${p.dtype} (shape ${fmtShape(p.shape)})`);
      check(!seen.has(p), op, () => `the parameter group contains the same Tensor twice (shape ${fmtShape(p.shape)})`);
      seen.add(p);
    }
    for (const g of this.paramGroups) {
      for (const p of g.params) check(!seen.has(p), op, () => `some parameters appear in more than one parameter group (shape ${fmtShape(p.shape)})`);
    }
    knownKeys(op, group, { ...this.defaults, params: 0 });
    const merged = { ...this.defaults, ...group, params: raw } as ParamGroup<O>;
    for (const [k, v] of Object.entries(merged)) if (Array.isArray(v) && k !== 'params') (merged as Record<string, unknown>)[k] = [...v];
    this.validate(merged, this.name);
    this.paramGroups.push(merged);
  }

  /** Replaces every parameter group by one group of `params` (or the given groups) and drops all state. */
  setParams(params: ParamsInput<O>): void {
    this.disposeState();
    this.paramGroups.length = 0;
    this.addParams(params, this.name);
  }

  /** The first group's learning rate; setting it sets every group's (for simple schedules). */
  get lr(): number {
    check(this.paramGroups.length > 0, `optim.${this.name}.lr`, () => 'the optimizer has no parameter groups yet');
    return this.paramGroups[0].lr;
  }
  set lr(value: number) {
    checkHyper(this.name, value, (v) => v >= 0, 'Invalid learning rate');
    for (const g of this.paramGroups) g.lr = value;
  }

  /** Every parameter in group order. */
  params(): Tensor[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /**
   * Clears gradients. `setToNone` (default, as PyTorch 2) disposes each `.grad` and sets it to null;
   * otherwise grads are zeroed in place.
   */
  zeroGrad(setToNone = true): void {
    for (const p of this.params()) {
      const g = p.grad;
      if (!g) continue;
      if (setToNone || g.isDisposed) { g.dispose(); p.grad = null; continue; }
      if (g.isContiguous()) fillK(g, 0);
      else { p.grad = keep(fillK(Tensor._empty(p.shape, 'float32'), 0)); g.dispose(); }
    }
  }

  /**
   * One update of every parameter that has a gradient (parameters with `grad` null are skipped).
   * `closure`, if given, re-evaluates the loss (with grad enabled) before the update; its result is returned.
   */
  step<T = undefined>(closure?: () => T): T | undefined {
    const op = `optim.${this.name}.step`;
    const loss = closure ? enableGrad(closure) : undefined;
    for (const group of this.paramGroups) {
      this.validate(group, this.name);
      for (const p of group.params) {
        const g = p.grad;
        if (g === null || g === undefined) continue;
        p._assertLive(op);
        g._assertLive(op);
        check(g.size === p.size && g.shape.length === p.shape.length && g.shape.every((d, i) => d === p.shape[i]), op,
          () => `the gradient's shape ${fmtShape(g.shape)} does not match its parameter's shape ${fmtShape(p.shape)}`);
        check(g.dtype === 'float32', op, () => `gradients must be float32, got ${g.dtype} for a parameter of shape ${fmtShape(p.shape)}`);
        let state = this.state.get(p);
        if (!state) { state = {}; this.state.set(p, state); }
        const gc = g.isContiguous() ? g : copyK(g);
        const pc = p.isContiguous() ? p : copyK(p);
        try {
          this.update(pc, gc, state, group);
          if (pc !== p) copyInto(p, pc);
        } finally {
          if (gc !== g) gc.dispose();
          if (pc !== p) pc.dispose();
        }
      }
    }
    return loss;
  }

  /** The state tensor `key` of a parameter, created (filled with `init`, kept) on first use. */
  protected buffer(param: Tensor, state: ParamState, key: string, init = 0): Tensor {
    const cur = state[key];
    if (isTensor(cur)) return cur;
    const t = keep(fillK(Tensor._empty(param.shape, 'float32'), init));
    state[key] = t;
    return t;
  }

  /**
   * A copy of the optimizer state in PyTorch's layout. The tensors are fresh copies owned by the
   * caller: `dispose(sd)` when done. Parameters without state (never stepped) have no entry.
   */
  stateDict(): OptimizerStateDict {
    const state: Record<number, ParamState> = {};
    const paramGroups: Record<string, unknown>[] = [];
    let index = 0;
    for (const g of this.paramGroups) {
      const ids: number[] = [];
      for (const p of g.params) {
        const s = this.state.get(p);
        if (s) {
          const copy: ParamState = {};
          for (const [k, v] of Object.entries(s)) copy[k] = isTensor(v) ? copyK(v) : v;
          state[index] = copy;
        }
        ids.push(index++);
      }
      const hyper: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== 'params') hyper[k] = Array.isArray(v) ? [...v] : v;
      paramGroups.push({ ...hyper, params: ids });
    }
    return { state, paramGroups };
  }

  /**
   * Loads a `stateDict()` (copying its tensors; the caller still owns them). Groups must match this
   * optimizer's in count and sizes; hyperparameters are taken from the dict, parameters stay.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const op = `optim.${this.name}.loadStateDict`;
    check(sd && typeof sd === 'object' && Array.isArray(sd.paramGroups) && sd.state && typeof sd.state === 'object', op,
      () => 'expected { state, paramGroups } as returned by stateDict()');
    check(sd.paramGroups.length === this.paramGroups.length, op,
      () => `loaded state dict has a different number of parameter groups (${sd.paramGroups.length}) than the optimizer (${this.paramGroups.length})`);
    const byIndex = new Map<number, Tensor>();
    sd.paramGroups.forEach((sg, i) => {
      const ids = sg.params as number[];
      const mine = this.paramGroups[i].params;
      check(Array.isArray(ids) && ids.length === mine.length, op,
        () => `loaded state dict contains a parameter group (${i}) of ${Array.isArray(ids) ? ids.length : '?'} parameters that doesn't match the size of optimizer's group (${mine.length})`);
      ids.forEach((id, j) => byIndex.set(id, mine[j]));
    });
    for (const [key, s] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(key));
      check(p !== undefined, op, () => `state for parameter index ${key} has no parameter in paramGroups`);
      for (const [k, v] of Object.entries(s)) {
        if (isTensor(v)) check(v.size === p.size && v.dtype === 'float32', op,
          () => `state '${k}' of parameter ${key} has shape ${fmtShape(v.shape)} (${v.dtype}) but the parameter has shape ${fmtShape(p.shape)} (float32)`);
      }
    }
    const groups = sd.paramGroups.map((sg, i) => {
      const merged = { ...this.paramGroups[i], ...sg, params: this.paramGroups[i].params } as ParamGroup<O>;
      for (const [k, v] of Object.entries(merged)) if (Array.isArray(v) && k !== 'params') (merged as Record<string, unknown>)[k] = [...v];
      this.validate(merged, this.name);
      return merged;
    });
    const loaded = new Map<Tensor, ParamState>();
    for (const [key, s] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(key))!;
      const mine: ParamState = {};
      for (const [k, v] of Object.entries(s)) {
        if (isTensor(v)) {
          const src = v.isContiguous() ? v : copyK(v);
          const flat = src._view(p.shape, undefined, src.offset);
          const t = keep(Tensor._empty(p.shape, 'float32'));
          copyInto(t, flat);
          flat.dispose();
          if (src !== v) src.dispose();
          mine[k] = t;
        } else mine[k] = v;
      }
      loaded.set(p, mine);
    }
    this.disposeState(); // after copying: the dict may hold this optimizer's own tensors
    groups.forEach((g, i) => { this.paramGroups[i] = g; });
    for (const [p, s] of loaded) this.state.set(p, s);
  }

  private disposeState(): void {
    for (const s of this.state.values()) for (const v of Object.values(s)) if (isTensor(v)) v.dispose();
    this.state.clear();
  }

  /** Frees all state tensors (parameters and their grads are the caller's). */
  dispose(): void {
    this.disposeState();
  }
}

/** Throws on an option the optimizer does not have (a PyTorch name such as weight_decay would otherwise be ignored). */
function knownKeys(op: string, given: object, known: object): void {
  for (const k of Object.keys(given)) check(k in known, op, () => `unknown option '${k}' (expected ${Object.keys(known).join(', ')})`);
}
