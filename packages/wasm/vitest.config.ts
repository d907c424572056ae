import { nnkitVitestConfig } from '@nnkit/vitest-config';

// Node 20 accepts relaxed SIMD only behind a flag: pass it so the tests cover both instruction sets.
export default nnkitVitestConfig({ test: { execArgv: ['--experimental-wasm-relaxed-simd'] } });
