// Helpers for testing a `Kernels` backend, kept out of the main entry so that fast-check is only
// loaded by code that tests: `import { kernelConformanceChecks } from '@nnkit/tensor/test'`.
export { kernelConformanceChecks, type ConformanceCheck, type ConformanceOptions } from './conformance.js';
export { referenceKernels } from './reference.js';
