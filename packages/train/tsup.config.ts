import { defineConfig } from 'tsup';
import { bundleWorkerSource } from './src/worker-bundle.js';

// `@nnkit/train/node` starts its workers from a script embedded as text: bundle the worker
// (src/worker.ts and everything it imports) first, and put the text in place of the
// `worker-source` module, so any bundle of the node entry (the CLI's single file) carries it.
export default defineConfig(async () => {
  const workerSource = await bundleWorkerSource();
  return {
    entry: ['src/index.ts', 'src/node.ts', 'src/worker.ts'],
    format: ['esm'],
    dts: true,
    clean: true,
    sourcemap: true,
    esbuildPlugins: [
      {
        name: 'embed-worker-source',
        setup(build) {
          build.onLoad({ filter: /[\\/]src[\\/]worker-source\.ts$/ }, () => ({
            contents: `export const embeddedWorkerSource = ${JSON.stringify(workerSource)};`,
            loader: 'js',
          }));
        },
      },
    ],
  };
});
