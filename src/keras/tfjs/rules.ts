// Per Keras class: the asgrad layer it becomes, the config keys asgrad honours (camelCase, passed to
// the constructor), and the keys accepted only at their Keras defaults ('any': no effect on the
// outputs once weights are loaded, e.g. LSTM's implementation). Used by config.ts.
import type { Layer, Shape } from '../layers/layer';
import {
  Dense, Activation, Dropout, Flatten, BatchNormalization, LayerNormalization, Conv2D, DepthwiseConv2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, MaxPooling2D, UpSampling2D, ZeroPadding2D, Embedding, GRU, LSTM, SimpleRNN, Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract, ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU, Permute, RepeatVector, Reshape,
} from './loader_deps';

type Fixed = Record<string, unknown[] | 'any'>;

export interface Rule {
  ctor: new (args: never) => Layer;
  keys: string[];
  fixed?: Fixed;
  /** Checks keys that depend on the input shape (batch excluded) once it is known. */
  checkInput?: (cfg: Record<string, unknown>, inputShape: Shape, where: string) => void;
}

const show = (v: unknown) => JSON.stringify(v)?.slice(0, 200) ?? String(v);

/** `axis` must name the last axis: -1, or rank - 1 of the batched input (Keras 2 stores [3] for NHWC). */
const lastAxis = (cfg: Record<string, unknown>, s: Shape, where: string): void => {
  const a = cfg.axis;
  const v = Array.isArray(a) && a.length === 1 ? a[0] : a;
  if (v === undefined || v === null || v === -1 || v === s.length) return;
  throw new Error(`asgrad.loadLayersModel: ${where}: config key 'axis' = ${show(a)} is not supported (only the last axis: -1 or ${s.length} for inputs of shape [null, ${s.join(', ')}])`);
};

const noRegs = (...ks: string[]): Fixed => Object.fromEntries(ks.map((k) => [`${k}Regularizer`, [null]]));

const conv = ['kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', 'activation', 'useBias', 'biasRegularizer'];
const pool = ['poolSize', 'strides', 'padding', 'dataFormat'];
const rnnFixed: Fixed = {
  dropout: [0, null], recurrentDropout: [0, null], stateful: [false, null], timeMajor: [false, null],
  unroll: 'any', implementation: 'any', unitForgetBias: 'any', zeroOutputForMask: 'any', seed: 'any', ...noRegs('kernel', 'recurrent', 'bias'),
};
const rnn = ['units', 'activation', 'useBias', 'returnSequences', 'returnState', 'goBackwards'];
const bnFixed: Fixed = {
  axis: 'any', ...noRegs('beta', 'gamma'), renorm: [false, null], renormClipping: 'any', renormMomentum: 'any',
  virtualBatchSize: [null], adjustment: [null], fused: 'any', synchronized: [false],
};
const merge = (ctor: Rule['ctor']): Rule => ({ ctor, keys: [] });

export const RULES: Record<string, Rule> = {
  Dense: { ctor: Dense as Rule['ctor'], keys: ['units', 'activation', 'useBias', 'kernelRegularizer', 'biasRegularizer'], fixed: { loraRank: [null], loraAlpha: 'any', quantizationConfig: [null] } },
  Conv2D: { ctor: Conv2D as Rule['ctor'], keys: ['filters', ...conv, 'kernelRegularizer'], fixed: { groups: [1, null], loraRank: [null], loraAlpha: 'any' } },
  DepthwiseConv2D: { ctor: DepthwiseConv2D as Rule['ctor'], keys: ['depthMultiplier', ...conv, 'depthwiseRegularizer'], fixed: { groups: [1, null] } },
  MaxPooling2D: { ctor: MaxPooling2D as Rule['ctor'], keys: pool },
  AveragePooling2D: { ctor: AveragePooling2D as Rule['ctor'], keys: pool },
  GlobalAveragePooling2D: { ctor: GlobalAveragePooling2D as Rule['ctor'], keys: ['dataFormat'], fixed: { keepdims: [false, null] } },
  ZeroPadding2D: { ctor: ZeroPadding2D as Rule['ctor'], keys: ['padding', 'dataFormat'] },
  BatchNormalization: { ctor: BatchNormalization as Rule['ctor'], keys: ['momentum', 'epsilon', 'center', 'scale'], fixed: bnFixed, checkInput: lastAxis },
  LayerNormalization: { ctor: LayerNormalization as Rule['ctor'], keys: ['epsilon', 'center', 'scale'], fixed: { axis: 'any', ...noRegs('beta', 'gamma'), rmsScaling: [false] }, checkInput: lastAxis },
  Activation: { ctor: Activation as Rule['ctor'], keys: ['activation'] },
  Dropout: { ctor: Dropout as Rule['ctor'], keys: ['rate'], fixed: { noiseShape: [null], seed: 'any' } },
  Flatten: { ctor: Flatten as Rule['ctor'], keys: [], fixed: { dataFormat: ['channelsLast', null] } },
  Embedding: {
    ctor: Embedding as Rule['ctor'], keys: ['inputDim', 'outputDim', 'inputLength', 'maskZero'],
    fixed: { sparse: [false, null], loraRank: [null], loraAlpha: 'any', ...noRegs('embeddings') },
  },
  SimpleRNN: { ctor: SimpleRNN as Rule['ctor'], keys: rnn, fixed: rnnFixed },
  LSTM: { ctor: LSTM as Rule['ctor'], keys: [...rnn, 'recurrentActivation'], fixed: rnnFixed },
  GRU: { ctor: GRU as Rule['ctor'], keys: [...rnn, 'recurrentActivation', 'resetAfter'], fixed: rnnFixed },
  Add: merge(Add as Rule['ctor']),
  Subtract: merge(Subtract as Rule['ctor']),
  Multiply: merge(Multiply as Rule['ctor']),
  Average: merge(Average as Rule['ctor']),
  Maximum: merge(Maximum as Rule['ctor']),
  Minimum: merge(Minimum as Rule['ctor']),
  Concatenate: { ctor: Concatenate as Rule['ctor'], keys: ['axis'] },
  ReLU: { ctor: ReLU as Rule['ctor'], keys: ['maxValue', 'negativeSlope', 'threshold'] },
  LeakyReLU: { ctor: LeakyReLU as Rule['ctor'], keys: ['alpha', 'negativeSlope'] },
  PReLU: { ctor: PReLU as Rule['ctor'], keys: ['sharedAxes', 'alphaRegularizer'] },
  ELU: { ctor: ELU as Rule['ctor'], keys: ['alpha'] },
  ThresholdedReLU: { ctor: ThresholdedReLU as Rule['ctor'], keys: ['theta'] },
  Softmax: { ctor: Softmax as Rule['ctor'], keys: ['axis'] },
  Reshape: { ctor: Reshape as Rule['ctor'], keys: ['targetShape'] },
  Permute: { ctor: Permute as Rule['ctor'], keys: ['dims'] },
  RepeatVector: { ctor: RepeatVector as Rule['ctor'], keys: ['n'] },
  GlobalMaxPooling2D: { ctor: GlobalMaxPooling2D as Rule['ctor'], keys: ['dataFormat'], fixed: { keepdims: [false, null] } },
  UpSampling2D: { ctor: UpSampling2D as Rule['ctor'], keys: ['size', 'dataFormat', 'interpolation'] },
};
