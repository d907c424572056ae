// Entry of the WebAssembly module: every exported function is a kernel entry point.
export { packA, packB, gemmBlock } from './matmul';
export { im2col, col2im } from './convolution';
export { maxPool2d, maxPool2dBackward } from './pooling';
export { addRowVector, sumRows } from './rows';
export { relu, reluBackward, axpy, zero } from './elementwise';

/** First free byte after the module's static data: the JavaScript side lays out buffers from here. */
export function heapBase(): usize {
  return __heap_base;
}
export { batchNormStatistics, batchNormForward, batchNormGradientSums, batchNormInputGradient } from './batch-norm';
export { adamUpdate, momentumUpdate, rmspropUpdate } from './optimizers';
export { lookupBytes } from './gather';
