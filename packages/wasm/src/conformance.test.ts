import { kernelConformanceChecks } from '@nnkit/tensor/test';
import { describe, it } from 'vitest';
import { createWasmKernelsSync } from './wasm-kernels.js';

// The shared suite every backend passes, on both instruction sets (vitest.config.ts starts the
// workers with Node 20's relaxed-SIMD flag, so the default picks fused multiply-add) and both
// memories: an ordinary one (every operand copied in and out) and a shared one, where the suite
// also hands the kernels arrays from `allocate` (operands used in place).
for (const options of [{ relaxedSimd: false, sharedMemory: false }, {}] as const) {
  const kernels = createWasmKernelsSync({ ...options, memoryPages: 1 });
  const memory = kernels.allocate === undefined ? 'ordinary memory' : 'shared memory';
  describe(`kernel conformance: wasm (${kernels.features}, ${memory})`, () => {
    for (const check of kernelConformanceChecks(kernels)) it(check.name, check.run);
  });
}
