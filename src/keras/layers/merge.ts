// Keras merge layers over an ARRAY of tensors, as TensorFlow.js-layers' add, multiply, average,
// maximum, minimum, concatenate (and Keras' subtract, which tfjs lacks): `layer.call([a, b])`
// (tfjs's layer.apply([a, b])); computeOutputShape and build take one shape per input.
import { tidy } from '../../memory';
import { cat } from '../../ops/movement';
import type { Tensor } from '../../tensor';
import { check } from '../../util/errors';
import { Layer, type LayerArgs, type Shape } from './layer';

const fmt = (s: readonly (number | null)[]) => `[${s.map((d) => d ?? 'null').join(', ')}]`;
const an = (w: string) => (/^[AEIOU]/.test(w) ? `an ${w}` : `a ${w}`);
/** Shapes as tfjs prints them in errors: with the batch dim as null. */
const fmtAll = (ss: Shape[]) => ss.map((s) => fmt([null, ...s])).join(', ');

/**
 * Base of the merge layers: checks that it got an array of at least two tensors (exactly two for
 * Subtract) with one batch size, then merges them. Elementwise merges broadcast as tfjs: the dims
 * after the batch dim, aligned right, must be equal or 1 (a lower-rank input gets 1s after its
 * batch dim); the batch sizes must be equal.
 */
export abstract class Merge extends Layer {
  /** Marks layers whose forward / call take an array of tensors (and shape lists). */
  readonly multiInput = true;
  protected readonly exactInputs: number | null = null;

  /** The input shapes (batch dim excluded) after checking their number. */
  protected shapeList(s: Shape | Shape[]): Shape[] {
    const n = this.exactInputs;
    // [] counts as an empty list; a list's entries are arrays.
    const list = Array.isArray(s) && s.every((d) => Array.isArray(d));
    check(list && (n === null ? s.length >= 2 : s.length === n), this.layerName, () =>
      `${an(this.className)} layer should be called on ${n === null ? 'an array of at least 2' : `exactly ${n}`} inputs, got ${list ? `${s.length}${s.length ? ` (shapes ${fmtAll(s as Shape[])})` : ''}` : `one input of shape ${fmt([null, ...(s as Shape)])}`}`);
    return s as Shape[];
  }

  build(inputShape: Shape | Shape[]): void {
    this.computeOutputShape(inputShape);
    this.built = true;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.shapeList(inputShape);
    let out = shapes[0];
    for (const s of shapes.slice(1)) {
      const [a, b] = out.length >= s.length ? [out, s] : [s, out];
      const lead = a.length - b.length;
      const r = a.slice(0, lead);
      for (let k = 0; k < b.length; k++) {
        const i = a[lead + k], j = b[k];
        check(i === j || i === 1 || j === 1, this.layerName, () =>
          `${this.className} inputs of shapes ${fmtAll(shapes)} cannot be broadcast together (each dim after the batch dim must match or be 1)`);
        r.push(i === 1 ? j : i);
      }
      out = r;
    }
    return out;
  }

  /** The tensors after checking them: an array of at least 2 (or exactInputs), one batch size. */
  protected inputList(xs: Tensor | Tensor[]): Tensor[] {
    check(Array.isArray(xs) && xs.every((x) => x?._isTensor === true), this.layerName, () =>
      `${an(this.className)} layer should be called on an array of tensors (layer.call([a, b])), got ${(xs as Tensor)?._isTensor ? `one tensor of shape [${(xs as Tensor).shape.join(', ')}]` : Array.isArray(xs) ? `an array holding a ${typeof xs.find((x) => !x?._isTensor)}` : typeof xs}`);
    check(xs.every((x) => x.ndim >= 1), this.layerName, () => `expected tensors with a batch dim, got shapes ${xs.map((x) => `[${x.shape.join(', ')}]`).join(', ')}`);
    this.shapeList(xs.map((x) => x.shape.slice(1)));
    check(xs.every((x) => x.shape[0] === xs[0].shape[0]), this.layerName, () =>
      `cannot merge tensors with different batch sizes: got shapes ${xs.map((x) => `[${x.shape.join(', ')}]`).join(', ')}`);
    return xs;
  }

  forward(xs: Tensor | Tensor[]): Tensor {
    const list = this.inputList(xs);
    const shapes = list.map((x) => x.shape.slice(1));
    if (!this.built) this.build(shapes); else this.computeOutputShape(shapes);
    // Lower-rank inputs get 1s right after the batch dim (tfjs's expandDims(x, 1)).
    const rank = Math.max(...list.map((x) => x.ndim));
    const same = list.map((x) => (x.ndim === rank ? x : x.reshape([x.shape[0], ...new Array<number>(rank - x.ndim).fill(1), ...x.shape.slice(1)])));
    const y = this.merge(same);
    same.forEach((x, i) => { if (x !== list[i]) x.dispose(); });
    return y;
  }

  /** forward inside tidy: only the result survives. */
  call(xs: Tensor | Tensor[]): Tensor {
    return tidy(() => this.forward(xs));
  }

  /** Merges same-rank tensors with one batch size and broadcastable dims. */
  protected abstract merge(xs: Tensor[]): Tensor;
}

/** Folds `f` over the inputs left to right, disposing the partial results. */
function fold(xs: Tensor[], f: (a: Tensor, b: Tensor) => Tensor): Tensor {
  let acc = f(xs[0], xs[1]);
  for (let i = 2; i < xs.length; i++) { const n = f(acc, xs[i]); acc.dispose(); acc = n; }
  return acc;
}

/** Elementwise sum of the inputs. */
export class Add extends Merge {
  readonly className = 'Add';
  constructor(args: LayerArgs = {}) { super(args, 'add'); }
  protected merge(xs: Tensor[]): Tensor { return fold(xs, (a, b) => a.add(b)); }
}

/** inputs[0] - inputs[1] (Keras' Subtract: exactly two inputs). */
export class Subtract extends Merge {
  readonly className = 'Subtract';
  protected readonly exactInputs = 2;
  constructor(args: LayerArgs = {}) { super(args, 'subtract'); }
  protected merge(xs: Tensor[]): Tensor { return xs[0].sub(xs[1]); }
}

/** Elementwise product of the inputs. */
export class Multiply extends Merge {
  readonly className = 'Multiply';
  constructor(args: LayerArgs = {}) { super(args, 'multiply'); }
  protected merge(xs: Tensor[]): Tensor { return fold(xs, (a, b) => a.mul(b)); }
}

/** Elementwise mean: the sum times 1/n, as tfjs computes it. */
export class Average extends Merge {
  readonly className = 'Average';
  constructor(args: LayerArgs = {}) { super(args, 'average'); }
  protected merge(xs: Tensor[]): Tensor {
    const s = fold(xs, (a, b) => a.add(b));
    const y = s.mul(1 / xs.length);
    s.dispose();
    return y;
  }
}

/** Elementwise maximum of the inputs. */
export class Maximum extends Merge {
  readonly className = 'Maximum';
  constructor(args: LayerArgs = {}) { super(args, 'maximum'); }
  protected merge(xs: Tensor[]): Tensor { return fold(xs, (a, b) => a.maximum(b)); }
}

/** Elementwise minimum of the inputs. */
export class Minimum extends Merge {
  readonly className = 'Minimum';
  constructor(args: LayerArgs = {}) { super(args, 'minimum'); }
  protected merge(xs: Tensor[]): Tensor { return fold(xs, (a, b) => a.minimum(b)); }
}

export interface ConcatenateArgs extends LayerArgs {
  /** The axis of the full tensors (batch dim 0) to join along; default -1. Not the batch axis. */
  axis?: number;
}

/** Joins the inputs along `axis`; they must have one rank and equal dims elsewhere. */
export class Concatenate extends Merge {
  readonly className = 'Concatenate';
  readonly axis: number;
  constructor(args: ConcatenateArgs = {}) {
    super(args, 'concatenate');
    this.axis = args.axis ?? -1;
    check(Number.isInteger(this.axis) && this.axis !== 0, 'layers.concatenate', () =>
      `axis must be a non-zero integer (0 is the batch axis), got ${JSON.stringify(args.axis)}`);
  }

  /** The axis in shapes without the batch dim. */
  private batchlessAxis(rank: number, shapes: Shape[]): number {
    const a = this.axis < 0 ? rank + 1 + this.axis : this.axis;
    check(a >= 1 && a <= rank, this.layerName, () => `axis ${this.axis} is out of range for inputs of shapes ${fmtAll(shapes)}`);
    return a - 1;
  }

  computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shapes = this.shapeList(inputShape);
    const rank = shapes[0].length;
    const ax = this.batchlessAxis(rank, shapes);
    check(shapes.every((s) => s.length === rank && s.every((d, i) => i === ax || d === shapes[0][i])), this.layerName, () =>
      `a Concatenate layer requires inputs with matching shapes except for the concat axis (${this.axis}); got input shapes ${fmtAll(shapes)}`);
    const out = [...shapes[0]];
    out[ax] = shapes.reduce((n, s) => n + s[ax], 0);
    return out;
  }

  protected merge(xs: Tensor[]): Tensor { return cat(xs, this.batchlessAxis(xs[0].ndim - 1, xs.map((x) => x.shape.slice(1))) + 1); }

  getConfig(): Record<string, unknown> { return { ...super.getConfig(), axis: this.axis }; }
}
