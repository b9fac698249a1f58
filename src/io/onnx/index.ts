// exportOnnx: a Keras-style `sequential` model or a PyTorch-style nn module as ONNX bytes
// (ModelProto), for onnxruntime and other ONNX runtimes. Inference form only.
import type { AnyModule } from '../../nn/module';
import { Sequential as NnSequential } from '../../nn/sequential';
import { check } from '../../util/errors';
import { GraphBuilder } from './graph';
import { convertKeras, type KerasLayerLike } from './keras';
import { convertNn } from './nn';

export interface OnnxExportOptions {
  /**
   * One sample's shape, without the batch dim (which exports as the symbolic 'N'): Keras' inputShape
   * ([28, 28, 1]) or nn's [C, H, W] / [features]. Default for Keras models: the model's inputShape.
   */
  inputShape?: number[];
  /** ONNX opset of the default domain, 13 to 21. Default 13. */
  opset?: number;
}

/** The layers of a Keras-style model or layer, or null for anything else (an nn module). */
function kerasLayers(model: AnyModule): KerasLayerLike[] | null {
  if (model instanceof NnSequential) return null;
  const m = model as unknown as { layers?: KerasLayerLike[]; className?: unknown };
  if (Array.isArray(m.layers) && m.layers.every((l) => typeof l?.className === 'string')) return m.layers;
  return typeof m.className === 'string' ? [m as KerasLayerLike] : null;
}

/**
 * The model in ONNX form: graph input 'input' [N, ...inputShape] (float32), output 'output'.
 * Keras-style models (`sequential` of dense, conv2d, pooling, flatten, dropout, activation,
 * batchNormalization layers) and nn modules (Sequential of Linear, Conv2d, pools, BatchNorm,
 * activations, ...) are supported; any other layer throws naming it and the supported ones.
 * BatchNorm exports its moving statistics and Dropout is left out, whatever the training mode.
 * @example
 * const bytes = exportOnnx(model);                           // Keras: inputShape from the model
 * const bytes2 = exportOnnx(net, { inputShape: [1, 28, 28] }); // nn: one sample's shape
 * const session = await ort.InferenceSession.create(bytes);
 */
export function exportOnnx(model: AnyModule, { inputShape, opset = 13 }: OnnxExportOptions = {}): Uint8Array {
  check(Number.isInteger(opset) && opset >= 13 && opset <= 21, 'exportOnnx', () => `opset must be an integer from 13 to 21, got ${opset}`);
  const layers = kerasLayers(model);
  const shape = inputShape ?? (layers ? (model as unknown as { inputShape: number[] | null }).inputShape : null);
  check(Array.isArray(shape) && shape.length > 0 && shape.every((d) => Number.isInteger(d) && d > 0), 'exportOnnx', () =>
    `needs { inputShape }: one sample's shape without the batch dim, e.g. [1, 28, 28]; got ${JSON.stringify(shape)}`);
  const g = new GraphBuilder();
  const out = layers ? convertKeras(g, layers, [...shape!]) : convertNn(g, model, [...shape!]);
  const name = (model as unknown as { name?: unknown }).name;
  return g.serialize(out.x, shape!, out.shape, opset, typeof name === 'string' ? name : 'asgrad');
}
