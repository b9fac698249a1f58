// Keras-style layers (layers.dense, conv2d, ...) as ONNX nodes. ONNX convolutions and pools are
// NCHW: a channelsLast tensor is transposed to NCHW before the first of them and stays so until a
// layer needs Keras' layout again (flatten, dense), so flatten keeps Keras' element order and
// dense kernels export as they are. Conv kernels [kh, kw, in, out] become [out, in, kh, kw].
import type { Tensor } from '../../tensor';
import { check } from '../../util/errors';
import { hwc, tfPadding, type DataFormat, type PaddingMode } from '../../keras/layers/conv';
import type { GraphBuilder } from './graph';
import { emitActivation } from './activations';

/** What the converter reads of a Keras-style layer: weights (public fields), options (getConfig). */
export interface KerasLayerLike {
  className: string;
  layerName: string;
  built?: boolean;
  computeOutputShape(inputShape: number[]): number[];
  getConfig(): Record<string, unknown>;
  [weight: string]: unknown;
}

/** The tensor flowing through the graph: its name, Keras shape (no batch), and whether ONNX holds it as NCHW. */
interface Flow { x: string; shape: number[]; nchw: boolean }

const SUPPORTED = 'Dense, Conv2D, DepthwiseConv2D, MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, ZeroPadding2D, Flatten, Dropout, Activation, BatchNormalization';

/** Makes the ONNX tensor hold Keras' layout (true) or, for a channelsLast layer, NCHW (false). */
function layout(g: GraphBuilder, f: Flow, keras: boolean): void {
  if (f.nchw === keras) { f.x = g.node('Transpose', [f.x], { perm: keras ? [0, 2, 3, 1] : [0, 3, 1, 2] }); f.nchw = !keras; }
}

/** Makes the ONNX tensor NCHW for a spatial layer with this config; returns its H, W, C and data format. */
function toNchw(g: GraphBuilder, f: Flow, cfg: Record<string, unknown>) {
  const format = (cfg.dataFormat ?? 'channelsLast') as DataFormat;
  const dims = hwc(f.shape, format);
  layout(g, f, format === 'channelsFirst');
  return dims;
}

function activate(g: GraphBuilder, f: Flow, layer: KerasLayerLike, name: unknown): void {
  // Keras' axis -1 is the channels: axis 1 of an NCHW-held tensor.
  const y = emitActivation(g, f.x, String(name ?? 'linear'), f.nchw ? 1 : -1);
  check(y !== null, 'exportOnnx', () => `layer '${layer.layerName}': activation ${JSON.stringify(name)} has no ONNX conversion`);
  f.x = y!;
}

/** Conv / pool attributes: kernel, strides and TensorFlow's explicit padding ([top, left, bottom, right]). */
function window(H: number, W: number, cfg: Record<string, unknown>, k: number[], d = [1, 1]) {
  const s = cfg.strides as number[], pad = cfg.padding as PaddingMode;
  const ph = tfPadding(H, k[0], s[0], d[0], pad).pads, pw = tfPadding(W, k[1], s[1], d[1], pad).pads;
  return { kernel_shape: k, strides: s, pads: [ph[0], pw[0], ph[1], pw[1]] };
}

function convertLayer(g: GraphBuilder, layer: KerasLayerLike, f: Flow): void {
  const cfg = layer.getConfig(), name = layer.layerName, cls = layer.className;
  const biasOf = (): string[] => (layer.bias ? [g.weight(layer.bias as Tensor, `${name}_bias`)] : []);
  if (cls === 'Activation') activate(g, f, layer, cfg.activation);
  else if (cls === 'Flatten') { layout(g, f, true); f.x = g.node('Flatten', [f.x], { axis: 1 }); }
  else if (cls === 'Dense') {
    layout(g, f, true);
    const k = layer.kernel as Tensor, K = g.weight(k, `${name}_kernel`), bias = biasOf();
    check(f.shape[f.shape.length - 1] === k.shape[0], 'exportOnnx', () => `layer '${name}' expects last dim ${k.shape[0]}, got input shape [${f.shape.join(', ')}]`);
    if (f.shape.length === 1) f.x = g.node('Gemm', [f.x, K, ...bias]);
    else { f.x = g.node('MatMul', [f.x, K]); if (bias.length) f.x = g.node('Add', [f.x, bias[0]]); }
    activate(g, f, layer, cfg.activation);
  } else if (cls === 'Conv2D' || cls === 'DepthwiseConv2D') {
    const dw = cls === 'DepthwiseConv2D', k = (dw ? layer.depthwiseKernel : layer.kernel) as Tensor, [kh, kw, c, m] = k.shape;
    const [H, W, C] = toNchw(g, f, cfg);
    check(c === C, 'exportOnnx', () => `layer '${name}' expects ${c} channels, got input shape [${f.shape.join(', ')}]`);
    // Depthwise [kh, kw, C, m] -> [C, m, kh, kw], which is ONNX's [C*m, 1, kh, kw] with group C.
    const K = g.weight(k, `${name}_kernel`, dw ? [2, 3, 0, 1] : [3, 2, 0, 1], dw ? [c * m, 1, kh, kw] : undefined);
    const d = cfg.dilationRate as number[];
    f.x = g.node('Conv', [f.x, K, ...biasOf()], { ...window(H, W, cfg, [kh, kw], d), dilations: d, group: dw ? c : 1 });
    activate(g, f, layer, cfg.activation);
  } else if (cls === 'MaxPooling2D' || cls === 'AveragePooling2D') {
    const [H, W] = toNchw(g, f, cfg);
    // AveragePool's default count_include_pad 0 divides by the window's valid count, as Keras' 'same'.
    f.x = g.node(cls === 'MaxPooling2D' ? 'MaxPool' : 'AveragePool', [f.x], window(H, W, cfg, cfg.poolSize as number[]));
  } else if (cls === 'GlobalAveragePooling2D') {
    toNchw(g, f, cfg);
    f.x = g.node('Flatten', [g.node('GlobalAveragePool', [f.x])], { axis: 1 });
    f.nchw = false;
  } else if (cls === 'ZeroPadding2D') {
    const [[t, b], [l, r]] = layer.padding as number[][];
    toNchw(g, f, cfg);
    f.x = g.node('Pad', [f.x, g.int64s([0, 0, t, l, 0, 0, b, r])]);
  } else if (cls === 'BatchNormalization') {
    // Inference form, folded to x * scale + shift along Keras' last axis (the channels).
    const [mean, vari, gamma, beta] = ['movingMean', 'movingVariance', 'gamma', 'beta'].map((w) => (layer[w] as Tensor | null)?.data());
    const c = mean!.length, scale = new Float32Array(c), shift = new Float32Array(c);
    for (let i = 0; i < c; i++) {
      scale[i] = (gamma ? gamma[i] : 1) / Math.sqrt(vari![i] + Number(cfg.epsilon));
      shift[i] = (beta ? beta[i] : 0) - mean![i] * scale[i];
    }
    const dims = f.nchw ? [c, 1, 1] : [c];
    f.x = g.node('Add', [g.node('Mul', [f.x, g.floats(dims, scale, `${name}_scale`)]), g.floats(dims, shift, `${name}_shift`)]);
  } else {
    check(cls === 'Dropout', 'exportOnnx', () => `layer '${name}' (${cls}) has no ONNX conversion; supported layers: ${SUPPORTED}`);
  }
  f.shape = layer.computeOutputShape(f.shape);
}

/** Emits the layers from graph input 'input' of Keras shape `inShape`; returns the last tensor and its shape. */
export function convertKeras(g: GraphBuilder, layers: readonly KerasLayerLike[], inShape: number[]): Flow {
  const f: Flow = { x: 'input', shape: inShape, nchw: false };
  for (const layer of layers) {
    check(layer.built !== false, 'exportOnnx', () => `layer '${layer.layerName}' has no weights yet: build the model (give the first layer an inputShape) first`);
    convertLayer(g, layer, f);
  }
  layout(g, f, true);
  return f;
}
