// Flatten (PyTorch nn.Flatten): merges dims startDim..endDim into one.
// Shapes: [N, C, H, W] -> [N, C*H*W] with the defaults (startDim 1, endDim -1). A view when possible.
import type { Tensor } from '../tensor';
import { Module } from './module';

/**
 * @example
 * new Flatten().call(zeros([2, 3, 4])).shape; // [2, 12]
 */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) { super(); }

  forward(x: Tensor): Tensor { return x.flatten(this.startDim, this.endDim); }

  extraRepr(): string { return `start_dim=${this.startDim}, end_dim=${this.endDim}`; }
}
