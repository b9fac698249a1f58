// Ops, nn.functional and losses against PyTorch's numbers (fixtures written by generate.py from
// torch_ops.py): forward values, and the gradient of sum(output · cotangent) for every input.
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import type { Tensor } from '../../src/index';
import { fromFixture, jsOf, loadFixture, mismatch, type Encoded } from './fixture';

interface OpCase {
  name: string; js: string; tol: number;
  inputs: (Encoded & { kind: string; grad: boolean })[];
  outputs: Encoded[]; cots: (number[] | null)[]; grads: (Encoded | null)[];
}

const { torch, cases } = loadFixture<{ torch: string; cases: OpCase[] }>('ops.json');

/** Runs the case's JS side on `inputs`, backpropagates sum(output · cotangent); returns the output mismatches. */
function forwardBackward(c: OpCase, inputs: Tensor[]): string[] {
  return ag.tidy(() => {
    const r = jsOf<(...xs: Tensor[]) => Tensor | Tensor[]>(c.js)(...inputs);
    const outs = Array.isArray(r) ? r : [r];
    if (outs.length !== c.outputs.length) return [`${outs.length} outputs, PyTorch ${c.outputs.length}`];
    const problems = outs.map((o, k) => mismatch(`output ${k}`, o, c.outputs[k], c.tol));
    // Outputs asgrad does not differentiate (sign: a zero gradient in PyTorch) add nothing; a
    // gradient asgrad lacks where PyTorch's is not zero shows in the input gradients.
    const terms = outs.flatMap((o, k) => {
      const cot = c.cots[k];
      return cot && o.requiresGrad ? [o.mul(ag.tensor(Float32Array.from(cot), { shape: o.shape })).sum()] : [];
    });
    if (terms.length) terms.reduce((a, b) => a.add(b)).backward();
    return problems.filter((p): p is string => p !== null);
  });
}

describe(`ops match PyTorch ${torch}`, () => {
  it('has the cases generate.py wrote', () => expect(cases.length).toBeGreaterThan(100));
  for (const c of cases) {
    it(c.name, () => {
      const inputs = c.inputs.map((i) => fromFixture(i, i.kind, i.grad));
      try {
        const problems = forwardBackward(c, inputs);
        inputs.forEach((x, k) => {
          const want = c.grads[k];
          if (!want) return;
          const zero = want.data.every((v) => v === 0);
          const p = x.grad || !zero ? mismatch(`gradient of input ${k}`, x.grad, want, 10 * c.tol) : null;
          if (p) problems.push(p);
        });
        expect(problems).toEqual([]);
      } finally {
        ag.dispose(inputs); // and their gradients
      }
    });
  }
});
