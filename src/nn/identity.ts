// Identity (PyTorch nn.Identity): returns its input unchanged (the same tensor). Any shape.
import type { Tensor } from '../tensor';
import { Module } from './module';

/**
 * A placeholder layer, e.g. to remove a layer without changing indices.
 * @example
 * new Identity().forward(x) === x; // true
 */
export class Identity extends Module {
  forward(x: Tensor): Tensor { return x; }
}
