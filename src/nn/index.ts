// nn: PyTorch-style modules, layers, losses, initializers and regularizers. The public barrel
// exports it as `nn` (and `init` for torch.nn.init). `nn.functional` (alias `nn.F`) holds the
// stateless functions.
import '../methods';

export { Module, type AnyModule, type StateDict, type LoadResult } from './module';
export { assign } from './param';
export { Sequential } from './sequential';
export { Linear, type LinearOptions } from './linear';
export { Flatten } from './flatten';
export { Identity } from './identity';
export { Dropout } from './dropout';
export { BatchNorm1d, type BatchNormOptions } from './batchnorm';
export { LayerNorm, type LayerNormOptions } from './layernorm';
export { ReLU, LeakyReLU, Sigmoid, Tanh, GELU, ELU, Softplus, Softmax, LogSoftmax, SiLU, Hardtanh, ReLU6, SELU, Mish, Hardsigmoid, Hardswish, Softsign, LogSigmoid, Softmin, GLU, CELU, Tanhshrink, Softshrink, Hardshrink, Threshold, PReLU } from './activation';
export { MSELoss, L1Loss, SmoothL1Loss, HuberLoss, BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, NLLLoss } from './loss_modules';
export * as functional from './functional';
export * as F from './functional';
export * as init from './init';
export { initializers, getInitializer, varianceScaling, computeFans, type Initializer, type InitializerName } from './initializers';
export * as regularizers from './regularizers';
export type { Regularizer } from './regularizers';
export type { Reduction, LossOptions, CrossEntropyOptions, NLLOptions, BCEWithLogitsOptions } from './losses';
export type { KerasLossOptions } from './keras_losses';
export { RNN, LSTM, GRU, RNNBase, type RNNOptions, type RNNBaseOptions, type RNNMode } from './rnn';
export { Embedding, type EmbeddingOptions } from './embedding';
export { Conv2d, Conv1d, ConvTranspose2d, type Conv2dOptions, type Conv1dOptions, type ConvTranspose2dOptions } from './conv';
export { MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from './pool';
export { BatchNorm2d } from './batchnorm2d';
export { ZeroPad2d, ReflectionPad2d, ReplicationPad2d, Upsample, type UpsampleOptions } from './pad_upsample';
export { lstmCell } from './rnn_lstm_cell';
export { GroupNorm, type GroupNormOptions } from './groupnorm';
export { InstanceNorm1d, InstanceNorm2d, type InstanceNormOptions } from './instancenorm';
export { ModuleList, ModuleDict, Unflatten } from './containers';
export { MaxPool1d, AvgPool1d, AdaptiveAvgPool1d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, type MaxPool1dOptions, type AvgPool1dOptions } from './pool1d';
export { RNNCell, LSTMCell, GRUCell, type RNNCellOptions } from './rnn_cells';
export { PixelShuffle, PixelUnshuffle } from './pixel_shuffle';
export { Dropout1d, Dropout2d } from './dropout_nd';
export { MultiheadAttention, type MultiheadAttentionOptions, type MultiheadAttentionForwardOptions } from './multihead_attention';
export { TransformerEncoderLayer, TransformerEncoder, TransformerDecoderLayer, TransformerDecoder, type TransformerLayerOptions, type TransformerActivation, type TransformerEncoderLayerForwardOptions, type TransformerEncoderForwardOptions, type TransformerDecoderLayerForwardOptions } from './transformer';
export { KLDivLoss, MarginRankingLoss, HingeEmbeddingLoss, SoftMarginLoss, MultiLabelSoftMarginLoss, CosineEmbeddingLoss, TripletMarginLoss, MultiMarginLoss, PoissonNLLLoss, GaussianNLLLoss } from './loss_modules_extra';
export { CosineSimilarity, PairwiseDistance } from './distance';
