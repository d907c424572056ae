import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { bench: 'src/bench.ts', peers: 'src/peers.ts', 'network-py': 'src/network-py.ts', 'nnkit-worker': 'src/peers/nnkit-worker.ts' },
  format: ['esm'],
  clean: true,
  noExternal: [/^@nnkit\//],
  // The image codecs that @nnkit/datasets' /node entry loads stay packages of their own (CommonJS).
  external: ['pngjs', 'jpeg-js'],
});
