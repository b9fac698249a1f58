// PixelShuffle / PixelUnshuffle (PyTorch nn.PixelShuffle, nn.PixelUnshuffle): sub-pixel
// rearrangement [*, C*r*r, H, W] <-> [*, C, H*r, W*r] (a reshape, a permute and a reshape).
import type { Tensor } from '../tensor';
import { Module } from './module';
import { pixelShuffle, pixelUnshuffle } from './functional_extra';

/**
 * @example
 * new PixelShuffle(3).call(x); // [1, 18, 4, 4] -> [1, 2, 12, 12]
 */
export class PixelShuffle extends Module {
  constructor(readonly upscaleFactor: number) { super(); }
  forward(x: Tensor): Tensor { return pixelShuffle(x, this.upscaleFactor); }
  extraRepr(): string { return `upscale_factor=${this.upscaleFactor}`; }
}

/**
 * @example
 * new PixelUnshuffle(2).call(x); // [1, 2, 8, 8] -> [1, 8, 4, 4]
 */
export class PixelUnshuffle extends Module {
  constructor(readonly downscaleFactor: number) { super(); }
  forward(x: Tensor): Tensor { return pixelUnshuffle(x, this.downscaleFactor); }
  extraRepr(): string { return `downscale_factor=${this.downscaleFactor}`; }
}
