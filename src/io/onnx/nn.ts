// PyTorch-style nn modules (a Sequential of Linear, Conv2d, pools, activations, ...) as ONNX
// nodes. nn is NCHW like ONNX, so weights export as they are; shapes are tracked to check the
// input and to give the output's dims. BatchNorm exports its running statistics, Dropout nothing.
import type { AnyModule } from '../../nn/module';
import { Sequential } from '../../nn/sequential';
import { Linear } from '../../nn/linear';
import { Conv2d } from '../../nn/conv';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from '../../nn/pool';
import { Flatten } from '../../nn/flatten';
import { Dropout } from '../../nn/dropout';
import { Identity } from '../../nn/identity';
import { BatchNorm1d } from '../../nn/batchnorm';
import { ReflectionPad2d, ReplicationPad2d, ZeroPad2d } from '../../nn/pad_upsample';
import { ELU, GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh } from '../../nn/activation';
import { pair, samePads } from '../../ops/conv';
import { poolOut } from '../../ops/pool';
import { check } from '../../util/errors';
import type { GraphBuilder } from './graph';
import { emitActivation } from './activations';

/** The tensor flowing through the graph: its name and shape without the batch dim. */
interface Flow { x: string; shape: number[] }

const SUPPORTED = 'Sequential, Linear, Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, Flatten, Dropout, Identity, BatchNorm1d, BatchNorm2d, ZeroPad2d, ReflectionPad2d, ReplicationPad2d, ReLU, LeakyReLU, Sigmoid, Tanh, GELU, ELU, Softplus, Softmax, LogSoftmax';

const ACTIVATIONS: [abstract new (...a: never[]) => AnyModule, string][] = [[ReLU, 'relu'], [Sigmoid, 'sigmoid'], [Tanh, 'tanh'],
  [GELU, 'gelu'], [LeakyReLU, 'leakyRelu'], [ELU, 'elu'], [Softmax, 'softmax'], [LogSoftmax, 'logSoftmax']];

function expectInput(ok: boolean, m: AnyModule, f: Flow, want: string): void {
  check(ok, 'exportOnnx', () => `${m.typeName()} expects input ${want}, got [N, ${f.shape.join(', ')}]`);
}

/** Conv / pool attributes over [C, H, W] with pads [top, left, bottom, right], and the output's H, W. */
function window(f: Flow, k: number[], s: number[], pads: number[], d = [1, 1], ceil = false) {
  // poolOut with pad p0 on both sides of an input p1 - p0 longer: pads p0 + p1 in all.
  const out = (i: number) => poolOut(f.shape[i + 1] + pads[i + 2] - pads[i], k[i], s[i], pads[i], d[i], ceil);
  return { attrs: { kernel_shape: k, strides: s, pads }, hw: [out(0), out(1)] };
}

function convertModule(g: GraphBuilder, m: AnyModule, f: Flow): void {
  const act = ACTIVATIONS.find(([c]) => m instanceof c)?.[1];
  const p = m as { negativeSlope?: number; alpha?: number; dim?: number };
  if (m instanceof Sequential) for (const c of m) convertModule(g, c, f);
  else if (act) f.x = emitActivation(g, f.x, act, p.dim, p.negativeSlope ?? p.alpha)!;
  else if (m instanceof Softplus) {
    // softplus(beta x) / beta (asgrad's linear branch above beta x = 20 differs by < 2e-9 relative).
    const b = m.beta === 1 ? '' : g.floats([], [m.beta]);
    f.x = b ? g.node('Div', [g.node('Softplus', [g.node('Mul', [f.x, b])]), b]) : g.node('Softplus', [f.x]);
  } else if (m instanceof Linear) {
    expectInput(f.shape[f.shape.length - 1] === m.inFeatures, m, f, `[N, ..., ${m.inFeatures}]`);
    const bias = m.bias ? [g.weight(m.bias, 'linear_bias')] : [];
    if (f.shape.length === 1) f.x = g.node('Gemm', [f.x, g.weight(m.weight, 'linear_weight'), ...bias], { transB: 1 });
    else { f.x = g.node('MatMul', [f.x, g.weight(m.weight, 'linear_weight', [1, 0])]); if (bias.length) f.x = g.node('Add', [f.x, bias[0]]); }
    f.shape = [...f.shape.slice(0, -1), m.outFeatures];
  } else if (m instanceof Conv2d) {
    expectInput(f.shape.length === 3 && f.shape[0] === m.inChannels, m, f, `[N, ${m.inChannels}, H, W]`);
    const k = m.kernelSize, d = m.dilation, p = m.padding;
    const [[pt, pb], [pl, pr]] = [0, 1].map((i) => (p === 'same' ? samePads(k[i], d[i]) : p === 'valid' ? [0, 0] : [p[i], p[i]]));
    const w = window(f, k, m.stride, [pt, pl, pb, pr], d);
    const bias = m.bias ? [g.weight(m.bias, 'conv_bias')] : [];
    f.x = g.node('Conv', [f.x, g.weight(m.weight, 'conv_weight'), ...bias], { ...w.attrs, dilations: d, group: m.groups });
    f.shape = [m.outChannels, ...w.hw];
  } else if (m instanceof MaxPool2d || m instanceof AvgPool2d) {
    expectInput(f.shape.length === 3, m, f, '[N, C, H, W]');
    const max = m instanceof MaxPool2d, avg = m as AvgPool2d;
    check(max || avg.divisorOverride === null, 'exportOnnx', () => 'AvgPool2d with divisorOverride has no ONNX equivalent');
    const [ph, pw] = pair('exportOnnx', 'padding', m.padding, 0), d = max ? pair('exportOnnx', 'dilation', m.dilation) : [1, 1];
    const w = window(f, pair('exportOnnx', 'kernelSize', m.kernelSize), pair('exportOnnx', 'stride', m.stride), [ph, pw, ph, pw], d, m.ceilMode);
    f.x = g.node(max ? 'MaxPool' : 'AveragePool', [f.x], { ...w.attrs, ceil_mode: +m.ceilMode, ...(max ? { dilations: d } : { count_include_pad: +avg.countIncludePad }) });
    f.shape = [f.shape[0], ...w.hw];
  } else if (m instanceof AdaptiveAvgPool2d) {
    expectInput(f.shape.length === 3, m, f, '[N, C, H, W]');
    const [C, H, W] = f.shape, o = m.outputSize, Ho = (typeof o === 'number' ? o : o[0]) ?? H, Wo = (typeof o === 'number' ? o : o[1]) ?? W;
    // Equal windows only (the output size divides the input's): then it is a plain average pool.
    check(H % Ho === 0 && W % Wo === 0, 'exportOnnx', () => `AdaptiveAvgPool2d from [${H}, ${W}] to [${Ho}, ${Wo}]: only output sizes that divide the input's export`);
    f.x = g.node('AveragePool', [f.x], { kernel_shape: [H / Ho, W / Wo], strides: [H / Ho, W / Wo] });
    f.shape = [C, Ho, Wo];
  } else if (m instanceof Flatten) {
    const r = f.shape.length + 1, s = m.startDim < 0 ? m.startDim + r : m.startDim, e = m.endDim < 0 ? m.endDim + r : m.endDim;
    check(s >= 1 && e >= s && e < r, 'exportOnnx', () => `Flatten(${m.startDim}, ${m.endDim}) on [N, ${f.shape.join(', ')}]: only dims after the (dynamic) batch dim can be merged`);
    f.shape = [...f.shape.slice(0, s - 1), f.shape.slice(s - 1, e).reduce((a, b) => a * b, 1), ...f.shape.slice(e)];
    f.x = g.node('Reshape', [f.x, g.int64s([0, ...f.shape])]);
  } else if (m instanceof BatchNorm1d) {
    expectInput(f.shape[0] === m.numFeatures, m, f, `[N, ${m.numFeatures}, ...]`);
    check(m.runningMean !== null && m.runningVar !== null, 'exportOnnx', () => `${m.typeName()} without running statistics (trackRunningStats false) has no ONNX inference form`);
    const c = [m.numFeatures];
    const scale = m.weight ? g.weight(m.weight, 'bn_weight') : g.floats(c, new Float32Array(c[0]).fill(1));
    const bias = m.bias ? g.weight(m.bias, 'bn_bias') : g.floats(c, new Float32Array(c[0]));
    f.x = g.node('BatchNormalization', [f.x, scale, bias, g.weight(m.runningMean!, 'bn_mean'), g.weight(m.runningVar!, 'bn_var')], { epsilon: m.eps });
  } else if (m instanceof ZeroPad2d || m instanceof ReflectionPad2d || m instanceof ReplicationPad2d) {
    expectInput(f.shape.length >= 2, m, f, '[N, ..., H, W]');
    const [l, r, t, b] = m.padding, lead = f.shape.slice(1).map(() => 0), n = f.shape.length;
    // ONNX Pad's modes: 'constant' (the default), 'reflect' (torch's reflect), 'edge' (torch's replicate).
    const attrs: Record<string, string> = m instanceof ReflectionPad2d ? { mode: 'reflect' } : m instanceof ReplicationPad2d ? { mode: 'edge' } : {};
    f.x = g.node('Pad', [f.x, g.int64s([...lead, t, l, ...lead, b, r])], attrs);
    f.shape = [...f.shape.slice(0, -2), f.shape[n - 2] + t + b, f.shape[n - 1] + l + r];
  } else {
    check(m instanceof Dropout || m instanceof Identity, 'exportOnnx', () => `module ${m.typeName()} has no ONNX conversion; supported modules: ${SUPPORTED}`);
  }
}

/** Emits module m (a Sequential or one supported module) from graph input 'input' [N, ...inShape]. */
export function convertNn(g: GraphBuilder, m: AnyModule, inShape: number[]): Flow {
  const f: Flow = { x: 'input', shape: inShape };
  convertModule(g, m, f);
  return f;
}
