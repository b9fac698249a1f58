// importOnnx: an ONNX model (ModelProto bytes) as an asgrad nn Module.
import { OnnxModule } from './onnx_module';
import { decodeModel } from './model_proto';
import { check } from '../../../util/errors';

export { OnnxModule };

/**
 * The ONNX model in `bytes` as an nn Module that runs with asgrad's ops: `model.forward(...inputs)`
 * (one output as a Tensor, several as an array; differentiable, so imported models fine-tune), or
 * `model.run({ name: tensor })` as onnxruntime's session.run (no gradients, outputs by name).
 * int64 tensors load as int32 and float64 / float16 as float32. Throws naming the first node
 * whose op or attribute is not supported, before running anything.
 * @example
 * const model = importOnnx(fs.readFileSync('model.onnx'));
 * const { output } = model.run({ input: x });
 */
export function importOnnx(bytes: Uint8Array | ArrayBuffer): OnnxModule {
  check(bytes instanceof Uint8Array || bytes instanceof ArrayBuffer, 'importOnnx', () =>
    `expected the model's bytes as a Uint8Array or ArrayBuffer, got ${bytes === null ? 'null' : typeof bytes}`);
  return new OnnxModule(decodeModel(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)));
}
