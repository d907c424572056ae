import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node.ts', worker: 'src/parallel/worker.ts' },
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
});
