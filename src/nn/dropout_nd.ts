// Channel-wise dropout (PyTorch nn.Dropout1d, nn.Dropout2d): in training each channel is zeroed
// as a whole with probability p and the rest scaled by 1/(1-p); in eval the input is returned.
import type { Tensor } from '../tensor';
import { Dropout } from './dropout';
import { dropout1d, dropout2d } from './functional_extra';

/** Input [N, C, L] or unbatched [C, L]. */
export class Dropout1d extends Dropout {
  forward(x: Tensor): Tensor { return dropout1d(x, this.p, this.training); }
  typeName(): string { return 'Dropout1d'; }
}

/**
 * Input [N, C, H, W] (a 3-D input is taken as [N, C, L], as PyTorch does today).
 * @example
 * new Dropout2d(0.2).call(x); // x [N, C, H, W]: whole feature maps dropped
 */
export class Dropout2d extends Dropout {
  forward(x: Tensor): Tensor { return dropout2d(x, this.p, this.training); }
  typeName(): string { return 'Dropout2d'; }
}
