// Models exported by PyTorch's torch.onnx.export (torch_onnx_models.py, written by generate.py)
// run through importOnnx must give PyTorch's outputs on the same input.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as ag from '../../src/index';
import { fromFixture, loadFixture, mismatch, type Encoded } from './fixture';

interface Exported { name: string; x: Encoded & { int: boolean }; y: Encoded }

const { torch, models } = loadFixture<{ torch: string; models: Exported[] }>('onnx.json');

describe(`importOnnx runs models exported by PyTorch ${torch}`, () => {
  it('has the models generate.py exported', () => expect(models.length).toBe(4));
  for (const c of models) {
    it(c.name, () => {
      const model = ag.importOnnx(readFileSync(new URL(`./onnx/${c.name}.onnx`, import.meta.url)));
      const x = fromFixture(c.x, c.x.int ? 'int:0' : 'randn');
      try {
        const { y } = model.run({ x }); // run's outputs are kept: the caller disposes them
        const problem = mismatch('y', y, c.y, 1e-4);
        y.dispose();
        expect(problem).toBeNull();
      } finally {
        x.dispose();
        model.dispose();
      }
    });
  }
});
