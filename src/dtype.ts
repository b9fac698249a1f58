// Element types. All are 4 bytes wide in linear memory: float32 as f32, int32 and bool as i32
// (bool holds 0 or 1). Comparisons produce bool, as in PyTorch and TensorFlow.js.
export type DType = 'float32' | 'int32' | 'bool';

export const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

export function isDType(x: unknown): x is DType {
  return x === 'float32' || x === 'int32' || x === 'bool';
}

/** Result type of arithmetic between two dtypes (PyTorch promotion restricted to ours). */
export function promote(a: DType, b: DType): DType {
  if (a === 'float32' || b === 'float32') return 'float32';
  return 'int32';
}
