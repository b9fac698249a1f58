// Copies of a model's weights and their restoration, for callbacks (EarlyStopping's
// restoreBestWeights); shared by Sequential and Functional.
import { copyInto } from '../backend/kernels';
import { noGrad } from '../autograd';
import { keep, tidy } from '../memory';
import type { Module } from '../nn/module';
import type { Tensor } from '../tensor';

/** Copies of every state-dict entry, owned by the caller (kept from tidy). */
export function weightsCopy(m: Module<never[], unknown>): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  noGrad(() => { for (const [k, t] of Object.entries(m.stateDict())) out.set(k, keep(t.clone())); });
  return out;
}

/** Writes copies made by weightsCopy back into the model's tensors (does not dispose them). */
export function restoreWeights(m: Module<never[], unknown>, w: Map<string, Tensor>): void {
  const sd = m.stateDict();
  tidy(() => { for (const [k, t] of w) if (sd[k]) copyInto(sd[k], t); });
}
