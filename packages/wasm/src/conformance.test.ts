import { kernelConformanceChecks } from '@nnkit/tensor/test';
import { describe, it } from 'vitest';
import { createWasmKernelsSync } from './wasm-kernels.js';

// The shared suite every backend passes, on both instruction sets (vitest.config.ts starts the
// workers with Node 20's relaxed-SIMD flag, so the default picks fused multiply-add).
for (const relaxedSimd of [false, undefined]) {
  const kernels = createWasmKernelsSync({ relaxedSimd, memoryPages: 1 });
  describe(`kernel conformance: wasm (${kernels.features})`, () => {
    for (const check of kernelConformanceChecks(kernels)) it(check.name, check.run);
  });
}
