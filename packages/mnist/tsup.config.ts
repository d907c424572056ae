import { defineConfig } from 'tsup';

// ESM and CommonJS: `@nnkit/datasets/node` finds this optional peer with `require`, so it loads
// on every Node 20 without require(esm).
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  shims: true,
  dts: true,
  clean: true,
  sourcemap: true,
});
