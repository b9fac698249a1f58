// Sequential: a Module running its children in order, output of one into the next
// (PyTorch's nn.Sequential, candle's seq().add()). Children are named '0', '1', ... unless
// given as an object of names.
import type { Tensor } from '../tensor';
import { tidy } from '../memory';
import { check } from '../util/errors';
import { Module, type AnyModule } from './module';

/**
 * y = mN(...m1(m0(x))). Input and output shapes are those of the first and last layers.
 * @example
 * const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
 * const logits = model.call(x); // x [B, 784] -> [B, 10]
 * model.get(0); // the first Linear
 */
export class Sequential extends Module {
  private readonly layers: AnyModule[] = [];

  constructor(...modules: AnyModule[] | [Record<string, AnyModule>]) {
    super();
    const first = modules[0] as unknown;
    if (modules.length === 1 && first !== null && typeof first === 'object' && !(first instanceof Module)) {
      for (const [name, m] of Object.entries(first as Record<string, AnyModule>)) this.addNamed(name, m);
    } else {
      for (const m of modules as AnyModule[]) this.add(m);
    }
  }

  private addNamed(name: string, m: AnyModule): void {
    check(m instanceof Module, 'Sequential', () => `layer '${name}' must be a Module, got ${m === null ? 'null' : typeof m}`);
    this.registerModule(name, m);
    this.layers.push(m);
  }

  /** Appends a layer (named by its position). Returns this. */
  add(m: AnyModule): this {
    this.addNamed(String(this.layers.length), m);
    return this;
  }

  get length(): number { return this.layers.length; }

  /** The layer at index i (negative counts from the end). */
  get<M extends AnyModule = AnyModule>(i: number): M {
    const n = this.layers.length;
    check(Number.isInteger(i) && i >= -n && i < n, 'Sequential.get', () => `index ${i} is out of range for ${n} layers`);
    return this.layers[i < 0 ? i + n : i] as M;
  }

  /** Alias of get (Array.prototype.at). */
  at<M extends AnyModule = AnyModule>(i: number): M { return this.get<M>(i); }

  [Symbol.iterator](): Iterator<AnyModule> { return this.layers[Symbol.iterator](); }

  forward(x: Tensor): Tensor {
    // tidy frees the outputs between layers; autograd nodes survive through refcounts.
    return tidy(() => {
      let y: Tensor = x;
      for (const m of this.layers) y = m.forward(y);
      return y;
    });
  }
}
