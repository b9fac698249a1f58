// Gradient clipping in place: clipGradNorm (torch.nn.utils.clip_grad_norm_) and clipGradValue
// (clip_grad_value_). Norms are reduced in wasm; grads are rescaled/clamped in place by kernels.
import '../methods';
import { Tensor } from '../tensor';
import { getBackend } from '../backend/load';
import { copyK } from '../backend/kernels';
import { keep, tidy } from '../memory';
import { noGrad } from '../autograd';
import { check } from '../util/errors';

export interface ClipGradNormOptions {
  /** Throw when the total norm is NaN or infinite instead of scaling by it (default false). */
  errorIfNonfinite?: boolean;
}

const isTensor = (x: unknown): x is Tensor => !!x && (x as { _isTensor?: boolean })._isTensor === true;

function gradsOf(params: Iterable<Tensor> | Tensor, op: string): Tensor[] {
  const list = isTensor(params) ? [params] : [...params];
  for (const p of list) check(isTensor(p), op, () => `expected Tensors, got ${p === null ? 'null' : typeof p}`);
  return list.filter((p) => p.grad !== null && p.grad !== undefined).map((p) => {
    const g = p.grad!;
    g._assertLive(op);
    check(g.dtype === 'float32', op, () => `gradients must be float32, got ${g.dtype}`);
    if (!g.isContiguous()) { // make it contiguous so the kernels can write it in place
      p.grad = keep(copyK(g));
      g.dispose();
    }
    return p.grad!;
  });
}

/**
 * Scales all gradients together so that their joint `normType`-norm is at most `maxNorm`, in
 * place; returns the total norm before clipping (a number). Grads are multiplied by
 * min(1, maxNorm / (total + 1e-6)), as PyTorch does. `normType` is any p > 0 or Infinity.
 * Parameters without a grad are ignored; with none, returns 0.
 */
export function clipGradNorm(params: Iterable<Tensor> | Tensor, maxNorm: number, normType = 2, options: ClipGradNormOptions = {}): number {
  const op = 'optim.clipGradNorm';
  check(typeof maxNorm === 'number' && maxNorm >= 0, op, () => `maxNorm must be a non-negative number, got ${String(maxNorm)}`);
  check(typeof normType === 'number' && normType > 0, op, () => `normType must be a positive number or Infinity, got ${String(normType)}`);
  const grads = gradsOf(params, op);
  if (grads.length === 0) return 0;
  const norms = noGrad(() => tidy(() => grads.map((g) => {
    if (g.size === 0) return 0;
    if (normType === Infinity) return g.abs().max().item() as number;
    if (normType === 2) return Math.sqrt(g.square().sum().item() as number);
    if (normType === 1) return g.abs().sum().item() as number;
    return (g.abs().pow(normType).sum().item() as number) ** (1 / normType);
  })));
  const total = normType === Infinity ? Math.max(...norms) : norms.reduce((a, n) => a + n ** normType, 0) ** (1 / normType);
  if (!Number.isFinite(total) && options.errorIfNonfinite) {
    throw new Error(`asgrad.${op}: the total norm of order ${normType} for gradients is non-finite (${total}), so it cannot be clipped`);
  }
  const coef = Math.min(1, maxNorm / (total + 1e-6));
  if (coef < 1 || Number.isNaN(coef)) {
    const k = getBackend().k;
    for (const g of grads) k.scale_inplace_f32(g._ptr, g.size, coef);
  }
  return total;
}

/** Clamps every gradient to [−clipValue, clipValue] in place (NaN stays NaN). */
export function clipGradValue(params: Iterable<Tensor> | Tensor, clipValue: number): void {
  const op = 'optim.clipGradValue';
  check(typeof clipValue === 'number' && clipValue >= 0, op, () => `clipValue must be a non-negative number, got ${String(clipValue)}`);
  const k = getBackend().k;
  for (const g of gradsOf(params, op)) k.clamp_inplace_f32(g._ptr, g.size, -clipValue, clipValue);
}
