import { defineConfig } from 'tsup';

// Two builds: the package entry for bundlers and Node (dependencies stay imports), then one
// self-contained file per format for a page without a build step: an IIFE that sets the global
// `nnkit`, and an ES module. Both are minified and must stay within the size budget
// (scripts/check-bundle.mjs).
export default defineConfig([
  { entry: ['src/index.ts'], format: ['esm'], dts: true, clean: true, sourcemap: true },
  {
    entry: { 'nnkit-inference': 'src/index.ts' },
    format: ['iife', 'esm'],
    globalName: 'nnkit',
    platform: 'browser',
    noExternal: [/.*/],
    minify: true,
  },
]);
