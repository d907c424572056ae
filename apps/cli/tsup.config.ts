import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

// The CLI ships as one bundle and its worker-thread script: the workspace packages are inlined,
// third-party packages stay dependencies. @nnkit/mnist and pngjs are loaded with `require` at run
// time (MNIST's IDX files are read from disk), so they are real dependencies too.
export default defineConfig({
  entry: ['src/cli.ts', 'src/train-worker.ts'],
  format: ['esm'],
  clean: true,
  sourcemap: true,
  noExternal: [/^@nnkit\//],
  banner: { js: '#!/usr/bin/env node' },
  define: { __NNKIT_VERSION__: JSON.stringify(version) },
});
