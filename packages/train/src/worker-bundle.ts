import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Bundles `src/worker.ts` with everything it imports (workspace packages from their sources,
 * seedrandom, the embedded WebAssembly) into one classic script that defines the global
 * `nnkitTrainWorker`. Used by the package build (tsup.config.ts) and, when running from
 * sources (tests, development), by `nodeWorkers` on first use. Needs `tsup` (a development
 * dependency); never reached from the built package.
 */
export async function bundleWorkerSource(): Promise<string> {
  const tsup = 'tsup'; // a variable, so that bundlers leave this development-only import alone
  const { build } = (await import(/* @vite-ignore */ tsup)) as typeof import('tsup');
  const outDir = await mkdtemp(join(tmpdir(), 'nnkit-train-worker-'));
  try {
    await build({
      entry: { 'train-worker': fileURLToPath(new URL('./worker.ts', import.meta.url)) },
      format: ['iife'],
      globalName: 'nnkitTrainWorker',
      platform: 'browser',
      target: 'es2022',
      outDir,
      noExternal: [/./],
      config: false,
      silent: true,
      dts: false,
      sourcemap: false,
      splitting: false,
      clean: false,
      esbuildOptions(options) {
        options.conditions = ['@nnkit/source'];
        options.logLevel = 'error';
      },
    });
    return await readFile(join(outDir, 'train-worker.global.js'), 'utf8');
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
