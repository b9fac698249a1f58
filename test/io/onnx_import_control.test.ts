// importOnnx: Constant, Identity, Dropout and If against ONNX's conformance data.
import { describe, it } from 'vitest';
import { runOnnxCase } from './onnx_conformance';

const CASES = ['test_constant', 'test_identity', 'test_dropout_default', 'test_dropout_default_old', 'test_dropout_random_old'];

describe('importOnnx conformance: control ops', () => {
  for (const name of CASES) it(name, () => runOnnxCase(name));
});
