export { type Shape, sizeOf, shapesEqual, formatShape, assertShape } from './shape.js';
export { type Tensor, tensor, zeros, cloneTensor } from './tensor.js';
export { type Param, createParam, zeroGrads, zeroFloats } from './param.js';
export { type Rng, type RngState, createRng } from './rng.js';
export type { Kernels, MatmulParams, Conv2dGeometry, Pool2dGeometry } from './kernels.js';
export type { PenaltyTerms, AdamCoefficients, MomentumCoefficients, RmspropCoefficients } from './kernels.js';
export { conv2dGeometry, pool2dGeometry, outputSize } from './geometry.js';
export { jsKernels } from './js-kernels.js';
/** Batch normalisation's per-channel loops: the interface and the JavaScript reference. */
export { type BatchNormKernels, jsBatchNorm } from './batch-norm-kernels.js';
export { encodeBase64, decodeBase64, encodeFloat32, decodeFloat32 } from './base64.js';
