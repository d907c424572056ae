import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/bench.ts', 'src/peers.ts'],
  format: ['esm'],
  clean: true,
  noExternal: [/^@nnkit\//],
});
