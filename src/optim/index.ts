// asgrad.optim: optimizers (PyTorch's update math and option names), gradient clipping and
// learning-rate schedulers. Re-exported from the package root as `optim`.
export { Optimizer, type ParamGroup, type ParamGroupInput, type ParamsInput, type ParamState, type OptimizerStateDict } from './optimizer';
export { SGD, type SGDOptions } from './sgd';
export { Adam, type AdamOptions } from './adam';
export { AdamW, type AdamWOptions } from './adamw';
export { Adagrad, type AdagradOptions } from './adagrad';
export { RMSprop, type RMSpropOptions } from './rmsprop';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions } from './clip';
export { LRScheduler, StepLR, ExponentialLR, CosineAnnealingLR, LinearLR, warmup, type SchedulerStateDict } from './lr_scheduler';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './plateau';
export { getOptimizer, type OptimizerName } from './get_optimizer';
export { MultiStepLR, LambdaLR, type LrLambda } from './lr_scheduler_more';
export { OneCycleLR, type OneCycleLROptions } from './one_cycle';
