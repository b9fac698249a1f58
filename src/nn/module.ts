// Module: the base of every layer (PyTorch's nn.Module without __setattr__ magic). Subclasses
// register parameters, buffers and submodules explicitly in their constructor; everything else
// (naming, train/eval, stateDict, printing, dispose) walks those three ordered maps.
import { Tensor } from '../tensor';
import { keep, tidy } from '../memory';
import { noGrad } from '../autograd';
import { castK, copyK, fillK } from '../backend/kernels';
import { check, fmtShape } from '../util/errors';
import { assign } from './param';
import { addIndent } from './repr';

/** Any module, whatever its forward signature (for containers). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModule = Module<any[], any>;

/** A plain object from dotted names to tensors (parameters and persistent buffers). */
export type StateDict = Record<string, Tensor>;

export interface LoadResult { missingKeys: string[]; unexpectedKeys: string[] }

const NAME_RE = /^[^.]+$/;

/** Counter for Module._all's walks. */
let walkStamp = 0;

/**
 * Base class of layers. Register state in the constructor, implement `forward`.
 * `call(...)` runs `forward` inside `tidy`, so only the returned tensors survive.
 * @example
 * class MLP extends Module {
 *   fc1 = this.registerModule('fc1', new Linear(2, 16));
 *   fc2 = this.registerModule('fc2', new Linear(16, 1));
 *   forward(x: Tensor) { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 * const y = new MLP().call(x);
 */
export abstract class Module<I extends unknown[] = [Tensor], O = Tensor> {
  /** True in training mode (Dropout drops, BatchNorm uses batch statistics). */
  training = true;
  private readonly _parameters = new Map<string, Tensor | null>();
  private readonly _buffers = new Map<string, Tensor | null>();
  private readonly _nonPersistent = new Set<string>();
  private readonly _modules = new Map<string, AnyModule | null>();
  /** The stamp of the last _all() walk that reached this module. */
  private _walkStamp = 0;

  abstract forward(...args: I): O;

  /** forward(...) inside tidy: intermediates are freed, the result (and kept tensors) survive. */
  call(...args: I): O {
    return tidy(() => this.forward(...args));
  }

  /**
   * The class name printed by toString() and errors. NOTE: bundlers rename colliding class
   * names (esbuild: `Dropout2`) unless built with keepNames; override to pin it.
   */
  typeName(): string { return this.constructor.name; }

  /** Extra text inside the parentheses of toString(), e.g. `in_features=2, out_features=3`. */
  extraRepr(): string { return ''; }

  private checkName(kind: string, name: string, own: Map<string, unknown>): void {
    check(typeof name === 'string' && NAME_RE.test(name), `Module.register${kind}`, () =>
      `name must be a non-empty string without '.', got ${JSON.stringify(name)}`);
    for (const m of [this._parameters, this._buffers, this._modules] as Map<string, unknown>[]) {
      check(m === own || !m.has(name), `Module.register${kind}`, () => `'${name}' is already registered as another kind of attribute (parameter, buffer or submodule)`);
    }
  }

  /**
   * Registers a leaf float32 tensor as a parameter: sets requiresGrad and keeps it from tidy.
   * Re-registering a name disposes the tensor it held before. `null` registers an absent slot
   * (e.g. bias=false), which stateDict skips.
   */
  registerParameter<T extends Tensor | null>(name: string, t: T): T {
    this.checkName('Parameter', name, this._parameters);
    if (t !== null) {
      check(t?._isTensor, 'Module.registerParameter', () => `'${name}' must be a tensor or null, got ${typeof t}`);
      t._assertLive('Module.registerParameter');
      check(t.dtype === 'float32', 'Module.registerParameter', () => `'${name}' must be float32, got ${t.dtype}`);
      check(t.isLeaf, 'Module.registerParameter', () => `'${name}' is not a leaf tensor (it was computed by an op); pass t.detach() or a fresh tensor`);
      keep(t);
      t.requiresGrad = true;
      t.name = name;
    }
    const old = this._parameters.get(name);
    if (old && old !== t) old.dispose();
    this._parameters.set(name, t);
    return t;
  }

  /** Registers state that is not trained (running statistics). Non-persistent buffers are left out of stateDict. */
  registerBuffer<T extends Tensor | null>(name: string, t: T, { persistent = true } = {}): T {
    this.checkName('Buffer', name, this._buffers);
    if (t !== null) {
      check(t?._isTensor, 'Module.registerBuffer', () => `'${name}' must be a tensor or null, got ${typeof t}`);
      t._assertLive('Module.registerBuffer');
      keep(t);
    }
    const old = this._buffers.get(name);
    if (old && old !== t) old.dispose();
    this._buffers.set(name, t);
    if (persistent) this._nonPersistent.delete(name); else this._nonPersistent.add(name);
    return t;
  }

  /** Registers a submodule; its state appears under `name.` in namedParameters and stateDict. */
  registerModule<M extends AnyModule | null>(name: string, m: M): M {
    this.checkName('Module', name, this._modules);
    check(m === null || m instanceof Module, 'Module.registerModule', () => `'${name}' must be a Module or null, got ${typeof m}`);
    this._modules.set(name, m);
    return m;
  }

  /** Direct submodules with their names, in registration order. */
  namedChildren(): [string, AnyModule][] {
    return [...this._modules].filter((e): e is [string, AnyModule] => e[1] !== null);
  }

  children(): AnyModule[] { return this.namedChildren().map(([, m]) => m); }

  /** This module and all descendants (each once), depth first, with dotted names ('' for this one). */
  namedModules(prefix = ''): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const visit = (m: AnyModule, p: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([p, m]);
      for (const [n, c] of m.namedChildren()) visit(c, p ? `${p}.${n}` : n);
    };
    visit(this, prefix);
    return out;
  }

  modules(): AnyModule[] { return this.namedModules().map(([, m]) => m); }

  private namedState(kind: '_parameters' | '_buffers', prefix: string, recurse: boolean): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const mods: [string, AnyModule][] = recurse ? this.namedModules(prefix) : [[prefix, this]];
    for (const [p, m] of mods) {
      for (const [n, t] of m[kind]) {
        if (t === null || seen.has(t)) continue;
        seen.add(t);
        out.push([p ? `${p}.${n}` : n, t]);
      }
    }
    return out;
  }

  /** Parameters with dotted names ('0.weight'), each tensor once (tied weights appear once). */
  namedParameters(prefix = '', recurse = true): [string, Tensor][] { return this.namedState('_parameters', prefix, recurse); }
  parameters(recurse = true): Tensor[] { return this.namedParameters('', recurse).map(([, t]) => t); }
  namedBuffers(prefix = '', recurse = true): [string, Tensor][] { return this.namedState('_buffers', prefix, recurse); }
  buffers(recurse = true): Tensor[] { return this.namedBuffers('', recurse).map(([, t]) => t); }

  /** Sets training mode here and in every descendant. Returns this. */
  train(mode = true): this {
    for (const m of this._all()) m.training = mode;
    return this;
  }

  /** Internal: this module and every descendant, each once. No names and no Set: predict and
   *  evaluate walk the tree on every call, so modules are marked with the walk's stamp instead. */
  _all(): AnyModule[] {
    const stamp = ++walkStamp;
    const out: AnyModule[] = [], stack: AnyModule[] = [this];
    while (stack.length > 0) {
      const m = stack.pop()!;
      if (m._walkStamp === stamp) continue;
      m._walkStamp = stamp;
      out.push(m);
      for (const c of m._modules.values()) if (c !== null) stack.push(c);
    }
    return out;
  }

  /** train(false). */
  eval(): this { return this.train(false); }

  /** Applies fn to every descendant, then to this module (torch's Module.apply, e.g. for custom init). */
  apply(fn: (m: AnyModule) => void): this {
    for (const c of this.children()) c.apply(fn);
    fn(this);
    return this;
  }

  /** Sets requiresGrad on every parameter (freezing with false). Returns this. */
  requiresGrad_(flag = true): this {
    for (const p of this.parameters()) p.requiresGrad = flag;
    return this;
  }

  /** Frees every parameter's gradient (setToNone, PyTorch's default) or fills it with zeros. */
  zeroGrad({ setToNone = true } = {}): void {
    for (const p of this.parameters()) {
      if (!p.grad) continue;
      if (setToNone) { p.grad.dispose(); p.grad = null; } else if (p.grad.isContiguous()) fillK(p.grad, 0); else assign(p.grad, 0);
    }
  }

  /** PyTorch's state_dict order: per module (depth first) its parameters, then its persistent buffers. */
  private stateEntries(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    for (const [p, m] of this.namedModules()) {
      for (const [n, t] of [...m._parameters, ...[...m._buffers].filter(([b]) => !m._nonPersistent.has(b))]) {
        if (t === null || seen.has(t)) continue;
        seen.add(t);
        out.push([p ? `${p}.${n}` : n, t]);
      }
    }
    return out;
  }

  /**
   * Parameters and persistent buffers by dotted name. By default the values ARE the module's
   * live tensors (as PyTorch's): read or save them, do not dispose them. With `{ copy: true }`
   * they are fresh detached copies that the caller owns and must dispose.
   */
  stateDict({ copy = false } = {}): StateDict {
    const sd: StateDict = {};
    for (const [n, t] of this.stateEntries()) sd[n] = copy ? noGrad(() => copyK(t)) : t;
    return sd;
  }

  /**
   * Copies values from `sd` into this module's tensors in place (identities are kept, so
   * optimizers holding the parameters stay valid). Shapes must match exactly; dtypes are
   * converted. With strict (default) any missing or unexpected key is an error and nothing is
   * copied; otherwise the matching keys are loaded and the mismatches returned.
   */
  loadStateDict(sd: StateDict, { strict = true } = {}): LoadResult {
    check(sd !== null && typeof sd === 'object', 'loadStateDict', () => `expected an object of name -> tensor, got ${sd === null ? 'null' : typeof sd}`);
    const own = new Map(this.stateEntries());
    const missingKeys = [...own.keys()].filter((k) => !(k in sd));
    const unexpectedKeys = Object.keys(sd).filter((k) => !own.has(k));
    const errors: string[] = [];
    if (strict && unexpectedKeys.length) errors.push(`Unexpected key(s) in state_dict: ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}.`);
    if (strict && missingKeys.length) errors.push(`Missing key(s) in state_dict: ${missingKeys.map((k) => `"${k}"`).join(', ')}.`);
    for (const [k, dst] of own) {
      if (!(k in sd)) continue;
      const src = sd[k];
      if (!src?._isTensor) { errors.push(`value for "${k}" is not a tensor (got ${src === null ? 'null' : typeof src}).`); continue; }
      if (src.isDisposed) { errors.push(`value for "${k}" was disposed.`); continue; }
      if (src.ndim !== dst.ndim || src.shape.some((d, i) => d !== dst.shape[i])) {
        errors.push(`size mismatch for ${k}: copying a param with shape ${fmtShape(src.shape)} from checkpoint, the shape in current model is ${fmtShape(dst.shape)}.`);
      }
    }
    check(errors.length === 0, 'loadStateDict', () => `Error(s) in loading state_dict for ${this.typeName()}:\n\t${errors.join('\n\t')}`);
    for (const [k, dst] of own) {
      if (!(k in sd) || sd[k] === dst) continue;
      const src = sd[k].dtype === dst.dtype ? sd[k] : castK(sd[k], dst.dtype);
      assign(dst, src, 'loadStateDict');
      if (src !== sd[k]) src.dispose();
    }
    return { missingKeys, unexpectedKeys };
  }

  /** The module tree as PyTorch prints it. */
  toString(): string {
    const extra = this.extraRepr();
    const kids = this.namedChildren().map(([n, m]) => `(${n}): ${addIndent(m.toString(), 2)}`);
    const name = this.typeName();
    if (kids.length === 0) return `${name}(${extra})`;
    const lines = [...(extra ? extra.split('\n') : []), ...kids];
    return `${name}(\n${lines.map((l) => `  ${l}`).join('\n')}\n)`;
  }

  /** Frees every parameter, gradient and buffer of this module and its descendants. */
  dispose(): void {
    for (const m of this.modules()) {
      for (const map of [m._parameters, m._buffers]) {
        for (const [n, t] of map) { t?.dispose(); map.set(n, null); }
      }
    }
  }
}
