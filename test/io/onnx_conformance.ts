// Runs ONNX's own conformance cases (Debian libonnx-testdata, fetched by
// scripts/fetch-onnx-testdata.sh into .cache/onnx/data): each case is a model.onnx with
// test_data_set_*/input_*.pb and the reference output_*.pb, which the imported model must reproduce.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import { importOnnx } from '../../src/io/onnx/import';
import { dataToTensor, decodeTensorProto } from '../../src/io/onnx/import/tensor_proto';
import { dispose } from '../../src/index';

export const ONNX_DATA = resolve(__dirname, '../../.cache/onnx/data');

/** The case's directory (e.g. 'node/test_relu'); throws with the fetch command when the data is missing. */
export function caseDir(name: string): string {
  if (!existsSync(join(ONNX_DATA, 'node'))) throw new Error(`ONNX test data missing: run scripts/fetch-onnx-testdata.sh (looked in ${ONNX_DATA})`);
  const dir = join(ONNX_DATA, name.includes('/') ? name : `node/${name}`);
  if (!existsSync(join(dir, 'model.onnx'))) throw new Error(`no ONNX test case ${dir}`);
  return dir;
}

const pbFiles = (dir: string, prefix: string) => readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
  .sort((a, b) => parseInt(a.slice(prefix.length)) - parseInt(b.slice(prefix.length))).map((f) => readFileSync(join(dir, f)));

/**
 * Imports the case's model, runs every data set twice, and checks each output's dtype, dims and values:
 * exact for int / bool, |ours - ref| <= atol + rtol * |ref| for floats (ONNX's backend tests use
 * rtol 1e-3); NaN where the reference has NaN.
 */
export function runOnnxCase(name: string, { rtol = 1e-3, atol = 1e-5 } = {}): void {
  const dir = caseDir(name);
  const model = importOnnx(readFileSync(join(dir, 'model.onnx')));
  try {
    const sets = readdirSync(dir).filter((d) => d.startsWith('test_data_set_'));
    expect(sets.length).toBeGreaterThan(0);
    for (const set of sets) {
      const refs = pbFiles(join(dir, set), 'output_').map((b) => decodeTensorProto(b));
      // Decoded before any tensor exists, so a case with an unsupported type throws without leaking.
      const inputs = pbFiles(join(dir, set), 'input_').map((b) => decodeTensorProto(b)).map(dataToTensor);
      // Twice: the first run with these shapes records the folded shape arithmetic, the second reads it.
      try {
        for (let pass = 0; pass < 2; pass++) checkRun(model, inputs, refs, rtol, atol);
      } finally {
        dispose(inputs);
      }
    }
  } finally {
    model.dispose();
  }
}

/** One run of `model` on `inputs`, checked against `refs` (see runOnnxCase). */
function checkRun(model: OnnxModule, inputs: Tensor[], refs: DecodedTensor[], rtol: number, atol: number): void {
  const out = model.run(Object.fromEntries(model.inputs.map((v, i) => [v.name, inputs[i]])));
  try {
    expect(Object.keys(out).length).toBe(refs.length);
    model.outputs.forEach((v, k) => {
      const ours = out[v.name], ref = refs[k];
      const want = dataToTensor(ref);
      const wantDtype = want.dtype;
      want.dispose();
      expect({ output: v.name, dtype: ours.dtype, shape: ours.shape }).toEqual({ output: v.name, dtype: wantDtype, shape: ref.dims });
      const got = ours.data() as ArrayLike<number>;
      if (wantDtype !== 'float32') { expect(Array.from(got, Number)).toEqual(Array.from(ref.values, Number)); return; }
      let worst = 0, at = -1;
      for (let i = 0; i < got.length; i++) {
        const r = ref.values[i], g = got[i];
        if (Number.isNaN(r) || !Number.isFinite(r)) { if (!Object.is(r, g) && !(Number.isNaN(r) && Number.isNaN(g))) { worst = Infinity; at = i; } continue; }
        const excess = Math.abs(g - r) - (atol + rtol * Math.abs(r));
        if (!(excess <= worst)) { worst = Number.isNaN(excess) ? Infinity : excess; at = i; }
      }
      expect({ output: v.name, worstExcess: worst, at, got: got[at], want: ref.values[at] }).toEqual({ output: v.name, worstExcess: 0, at: -1, got: undefined, want: undefined });
    });
  } finally {
    dispose(Object.values(out));
  }
}
