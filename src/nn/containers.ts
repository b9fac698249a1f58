// Containers holding submodules without a forward of their own (PyTorch nn.ModuleList and
// nn.ModuleDict), and nn.Unflatten. Children are registered, so parameters(), stateDict(),
// train()/eval(), dispose() and printing reach them.
import type { Tensor } from '../tensor';
import { check, fmtShape } from '../util/errors';
import { Module, type AnyModule } from './module';
import { addIndent } from './repr';

/** Removes every registered child (Module keeps its map private; containers rebuild it in order). */
const clearChildren = (m: AnyModule): void => (m as unknown as { _modules: Map<string, unknown> })._modules.clear();

const needModule = (op: string, m: unknown, what: string): void =>
  check(m instanceof Module, op, () => `${what} must be a Module, got ${m === null ? 'null' : typeof m}`);

/**
 * A list of modules, registered as '0', '1', ... (so a ModuleList registered as 'layers' gives
 * stateDict keys 'layers.0.weight'). Calling it is an error, as in PyTorch: iterate it in your forward.
 * @example
 * class Net extends Module {
 *   layers = this.registerModule('layers', new ModuleList([new Linear(4, 4), new Linear(4, 2)]));
 *   forward(x: Tensor) { for (const l of this.layers) x = l.forward(x).relu(); return x; }
 * }
 */
export class ModuleList<M extends AnyModule = AnyModule> extends Module<unknown[], never> {
  private items: M[] = [];

  constructor(modules: Iterable<M> = []) {
    super();
    this.extend(modules);
  }

  private sync(): void {
    clearChildren(this);
    this.items.forEach((m, i) => this.registerModule(String(i), m));
  }

  private index(op: string, i: number, n = this.items.length): number {
    check(Number.isInteger(i) && i >= -n && i < n, `ModuleList.${op}`, () => `index ${i} is out of range for a ModuleList of ${this.items.length} modules`);
    return i < 0 ? i + n : i;
  }

  get length(): number { return this.items.length; }

  /** Appends a module. Returns this. */
  append(m: M): this {
    needModule('ModuleList.append', m, 'the module');
    this.registerModule(String(this.items.length), m);
    this.items.push(m);
    return this;
  }

  /** Appends every module of an iterable. Returns this. */
  extend(modules: Iterable<M>): this {
    check(modules != null && typeof (modules as Iterable<M>)[Symbol.iterator] === 'function', 'ModuleList.extend', () => `expected an iterable of modules, got ${typeof modules}`);
    for (const m of modules) this.append(m);
    return this;
  }

  /** Inserts m before index i (negative counts from the end; i = length appends). */
  insert(i: number, m: M): this {
    needModule('ModuleList.insert', m, 'the module');
    check(Number.isInteger(i), 'ModuleList.insert', () => `index must be an integer, got ${i}`);
    const n = this.items.length;
    this.items.splice(Math.min(Math.max(i < 0 ? i + n : i, 0), n), 0, m);
    this.sync();
    return this;
  }

  /** The module at index i (negative counts from the end). */
  at(i: number): M { return this.items[this.index('at', i)]; }

  /** Alias of at. */
  get(i: number): M { return this.at(i); }

  /** Replaces the module at index i. */
  set(i: number, m: M): this {
    needModule('ModuleList.set', m, 'the module');
    const k = this.index('set', i);
    this.items[k] = m;
    this.registerModule(String(k), m);
    return this;
  }

  /** Removes and returns the module at index i (default the last); later modules are renumbered. */
  pop(i = -1): M {
    const [m] = this.items.splice(this.index('pop', i), 1);
    this.sync();
    return m;
  }

  [Symbol.iterator](): Iterator<M> { return this.items[Symbol.iterator](); }

  forward(): never {
    throw new Error('asgrad.ModuleList: a ModuleList has no forward; iterate over it in the parent module');
  }

  /** PyTorch's ModuleList repr: runs of identical children print once as '(i-j): n x ...'. */
  toString(): string {
    if (this.items.length === 0) return 'ModuleList()';
    const reprs = this.items.map((m) => m.toString()), lines: string[] = [];
    for (let s = 0; s < reprs.length;) {
      let e = s;
      while (e + 1 < reprs.length && reprs[e + 1] === reprs[s]) e++;
      lines.push(addIndent(s === e ? `(${s}): ${reprs[s]}` : `(${s}-${e}): ${e - s + 1} x ${reprs[s]}`, 2));
      s = e + 1;
    }
    return `ModuleList(\n  ${lines.join('\n  ')}\n)`;
  }
}

/**
 * Modules by name, in insertion order (a Map-like API). Keys must not contain '.'.
 * @example
 * const heads = new ModuleDict({ cls: new Linear(8, 3), box: new Linear(8, 4) });
 * heads.get('cls').forward(x); // stateDict keys 'cls.weight', 'box.bias', ...
 */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module<unknown[], never> {
  private readonly items = new Map<string, M>();

  constructor(modules: Record<string, M> | Iterable<[string, M]> = {}) {
    super();
    this.update(modules);
  }

  get size(): number { return this.items.size; }

  /** Adds or replaces the module under key. Returns this. */
  set(key: string, m: M): this {
    needModule('ModuleDict.set', m, `module '${key}'`);
    this.registerModule(key, m);
    this.items.set(key, m);
    return this;
  }

  /** The module under key (an error if there is none). */
  get(key: string): M {
    check(this.items.has(key), 'ModuleDict.get', () => `no module named ${JSON.stringify(key)} (keys: ${[...this.items.keys()].join(', ')})`);
    return this.items.get(key)!;
  }

  has(key: string): boolean { return this.items.has(key); }

  /** Removes key; returns whether it was there. */
  delete(key: string): boolean {
    if (!this.items.delete(key)) return false;
    clearChildren(this);
    for (const [k, m] of this.items) this.registerModule(k, m);
    return true;
  }

  /** Removes every module. */
  clear(): void { this.items.clear(); clearChildren(this); }

  /** Adds every [key, module] of an object or iterable of pairs. Returns this. */
  update(modules: Record<string, M> | Iterable<[string, M]>): this {
    check(modules !== null && typeof modules === 'object', 'ModuleDict.update', () => `expected an object or an iterable of [key, module] pairs, got ${modules === null ? 'null' : typeof modules}`);
    const it = Symbol.iterator in modules ? (modules as Iterable<[string, M]>) : Object.entries(modules as Record<string, M>);
    for (const [k, m] of it) this.set(k, m);
    return this;
  }

  keys(): IterableIterator<string> { return this.items.keys(); }
  values(): IterableIterator<M> { return this.items.values(); }
  entries(): IterableIterator<[string, M]> { return this.items.entries(); }
  [Symbol.iterator](): Iterator<[string, M]> { return this.items.entries(); }

  forward(): never {
    throw new Error('asgrad.ModuleDict: a ModuleDict has no forward; call its modules in the parent module');
  }
}

/**
 * Splits dim into unflattenedSize (PyTorch nn.Unflatten; one entry may be -1).
 * @example
 * new Unflatten(1, [2, 5]).call(x); // [N, 10] -> [N, 2, 5]
 */
export class Unflatten extends Module {
  constructor(readonly dim: number, readonly unflattenedSize: readonly number[]) {
    super();
    check(Number.isInteger(dim), 'Unflatten', () => `dim must be an integer, got ${dim}`);
    check(Array.isArray(unflattenedSize) && unflattenedSize.length > 0 && unflattenedSize.every((d) => Number.isInteger(d) && (d >= 0 || d === -1)) &&
      unflattenedSize.filter((d) => d === -1).length <= 1, 'Unflatten', () => `unflattenedSize must be a non-empty list of sizes (at most one -1), got ${JSON.stringify(unflattenedSize)}`);
  }

  forward(x: Tensor): Tensor {
    check(x?._isTensor && this.dim >= -x.ndim && this.dim < x.ndim, 'Unflatten', () =>
      `dim ${this.dim} is out of range for input ${x?._isTensor ? fmtShape(x.shape) : typeof x}`);
    const d = this.dim < 0 ? this.dim + x.ndim : this.dim, n = x.shape[d];
    const known = this.unflattenedSize.reduce((a, v) => (v === -1 ? a : a * v), 1);
    const sizes = this.unflattenedSize.map((v) => (v === -1 ? (known === 0 ? -1 : n / known) : v));
    check(sizes.every((v) => Number.isInteger(v) && v >= 0) && sizes.reduce((a, v) => a * v, 1) === n, 'Unflatten', () =>
      `unflattenedSize ${JSON.stringify(this.unflattenedSize)} does not match size ${n} of dim ${this.dim} of input ${fmtShape(x.shape)}`);
    return x.reshape([...x.shape.slice(0, d), ...sizes, ...x.shape.slice(d + 1)]);
  }

  extraRepr(): string { return `dim=${this.dim}, unflattened_size=(${this.unflattenedSize.join(', ')}${this.unflattenedSize.length === 1 ? ',' : ''})`; }
}
