// The kernel ABI: every export of the module. Kernels are pure functions over byte pointers into
// the one linear memory, element counts and f32 hyperparameters. They never allocate, never
// grow memory and never validate: the TypeScript host (src/backend) checks every argument first.
export { heapBase } from './heap_base';
export * from './kernels/matmul';
export * from './kernels/unary';
export * from './kernels/binary';
export * from './kernels/reduce';
export * from './kernels/softmax';
export * from './kernels/copy';
export * from './kernels/index_ops';
export * from './kernels/random';
export * from './kernels/convert';
export * from './kernels/optim';
export * from './kernels/conv';
export * from './kernels/pool';
export * from './kernels/lstm';
export * from './kernels/linear';
export * from './kernels/conv_nhwc';
export * from './kernels/pool_nhwc';
export * from './kernels/conv_nhwc_c1';
export * from './kernels/conv_nhwc_gemm';
export * from './kernels/sort';
export * from './kernels/lstm_seq';
