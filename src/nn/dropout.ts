// Dropout (PyTorch nn.Dropout): in training, zeroes each element with probability p and scales
// the survivors by 1/(1-p) (inverted dropout); in eval mode returns its input. Any shape.
import type { Tensor } from '../tensor';
import { check } from '../util/errors';
import { Module } from './module';
import { dropout } from './functional';
import { pyFloat } from './repr';

/**
 * Masks come from the seeded generator, so manualSeed(n) makes them repeat.
 * @example
 * const drop = new Dropout(0.5);
 * drop.call(x);         // training: about half zeroed, the rest doubled
 * drop.eval().call(x);  // x itself
 */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    check(typeof p === 'number' && p >= 0 && p <= 1, 'Dropout', () => `dropout probability has to be between 0 and 1, but got ${p}`);
  }

  forward(x: Tensor): Tensor { return dropout(x, this.p, this.training); }

  extraRepr(): string { return `p=${pyFloat(this.p)}, inplace=False`; }
}
