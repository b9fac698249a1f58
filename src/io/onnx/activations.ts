// Activation functions as ONNX nodes, by their TensorFlow.js names (keras' `activation` option and
// layers.activation); the nn activation modules map onto the same names.
import type { GraphBuilder } from './graph';

/**
 * Emits `name`(x); returns its output (x itself for 'linear'), or null for an unknown name.
 * axis: the softmax / logSoftmax axis; alpha: elu's alpha or leakyRelu's slope. selu uses asgrad's
 * constants (ONNX's defaults); gelu is the exact form, as asgrad's: x/2 (1 + erf(x / sqrt 2))
 * (ONNX's Gelu op needs opset 20).
 */
export function emitActivation(g: GraphBuilder, x: string, name: string, axis = -1, alpha?: number): string | null {
  const op = ({ relu: 'Relu', sigmoid: 'Sigmoid', tanh: 'Tanh', softplus: 'Softplus' } as Record<string, string>)[name];
  if (op) return g.node(op, [x]);
  switch (name) {
    case 'linear': return x;
    case 'relu6': return g.node('Clip', [x, g.floats([], [0]), g.floats([], [6])]);
    case 'softmax': return g.node('Softmax', [x], { axis });
    case 'logSoftmax': return g.node('LogSoftmax', [x], { axis });
    case 'elu': return g.node('Elu', [x], { alpha: alpha ?? 1 });
    case 'leakyRelu': return g.node('LeakyRelu', [x], { alpha: alpha ?? 0.01 });
    case 'selu': return g.node('Selu', [x], { alpha: 1.6732632423543772, gamma: 1.0507009873554805 });
    case 'swish': return g.node('Mul', [x, g.node('Sigmoid', [x])]);
    case 'gelu': return g.node('Mul', [g.node('Mul', [x, g.floats([], [0.5])]),
      g.node('Add', [g.node('Erf', [g.node('Mul', [x, g.floats([], [Math.SQRT1_2])])]), g.floats([], [1])])]);
    default: return null;
  }
}
