import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/bench.ts', 'src/peers.ts', 'src/network-py.ts'],
  format: ['esm'],
  clean: true,
  noExternal: [/^@nnkit\//],
});
