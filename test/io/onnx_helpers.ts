// Shared by the ONNX export tests: run exported bytes in onnxruntime-node and compare with
// asgrad's own outputs and with the bytes imported back; the file's protobuf fields, to check what it says.
import { expect } from 'vitest';
import * as ort from 'onnxruntime-node';
import { exportOnnx, importOnnx, noGrad, randn, type Tensor, type OnnxExportOptions } from '../../src/index';
import type { AnyModule } from '../../src/nn/module';
import { fields } from '../../src/io/onnx/import/wire';

/** The graph's 'output' for input x, from onnxruntime-node. */
export async function ortRun(bytes: Uint8Array, x: Tensor): Promise<{ data: Float32Array; dims: number[] }> {
  const session = await ort.InferenceSession.create(bytes);
  try {
    const r = await session.run({ input: new ort.Tensor('float32', x.data() as Float32Array, x.shape) });
    return { data: r.output.data as Float32Array, dims: [...r.output.dims] };
  } finally {
    await session.release();
  }
}

/** Same dims, and max |ours - ort| <= tol * max(1, max |ours|). */
export function expectClose(ours: Float32Array, shape: number[], theirs: { data: Float32Array; dims: number[] }, tol = 1e-4): void {
  expect(theirs.dims).toEqual(shape);
  let scale = 1, diff = 0;
  for (let i = 0; i < ours.length; i++) {
    scale = Math.max(scale, Math.abs(ours[i]));
    diff = Math.max(diff, Math.abs(ours[i] - theirs.data[i]));
  }
  expect(Number.isFinite(diff)).toBe(true);
  expect(diff).toBeLessThanOrEqual(tol * scale);
}

/** The exported bytes imported back with importOnnx, run on x: the round trip. */
function reimported(bytes: Uint8Array, x: Tensor): { data: Float32Array; dims: number[] } {
  const m = importOnnx(bytes);
  try {
    const { output } = m.run({ input: x });
    const r = { data: output.data() as Float32Array, dims: [...output.shape] };
    output.dispose();
    return r;
  } finally {
    m.dispose();
  }
}

/**
 * Exports `model`, runs it in onnxruntime on a random batch of `inShape` samples, and compares
 * with `ours(x)` (keras: predict; nn: forward in eval mode); the bytes imported back with
 * importOnnx must give the same. Returns the bytes.
 */
export async function checkExport(model: AnyModule, inShape: number[], ours: (x: Tensor) => Tensor,
  opts: OnnxExportOptions = {}, batch = 3): Promise<Uint8Array> {
  const bytes = exportOnnx(model, opts);
  const x = randn([batch, ...inShape]);
  try {
    const y = noGrad(() => ours(x));
    const mine = y.data() as Float32Array, shape = [...y.shape];
    y.dispose();
    expectClose(mine, shape, await ortRun(bytes, x));
    expectClose(mine, shape, reimported(bytes, x));
  } finally {
    x.dispose();
  }
  return bytes;
}

/** One decoded protobuf field: varints as numbers, length-delimited as bytes, fixed32 as its float. */
export type Field = { n: number; wire: number; v: number | Uint8Array };

/** The fields of one protobuf message, in order, read with the importer's reader (itself checked against ONNX's conformance files). */
export function readFields(b: Uint8Array): Field[] {
  return fields(b).map((f) => ({
    n: f.no, wire: f.wire,
    v: f.wire === 2 ? f.bytes! : f.wire === 5 ? new DataView(f.bytes!.buffer, f.bytes!.byteOffset + f.value, 4).getFloat32(0, true) : f.value,
  }));
}

const utf8 = new TextDecoder();
/** Field n's values (all occurrences). */
export const get = (fs: Field[], n: number): (number | Uint8Array)[] => fs.filter((f) => f.n === n).map((f) => f.v);
export const str = (v: number | Uint8Array): string => utf8.decode(v as Uint8Array);
export const msg = (v: number | Uint8Array): Field[] => readFields(v as Uint8Array);
