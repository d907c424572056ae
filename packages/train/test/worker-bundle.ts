import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nodeWorkers } from '../src/parallel/node-workers.js';
import type { WorkerTransport } from '../src/parallel/protocol.js';

let bundled: Promise<string> | null = null;
let preludes = 0;

/**
 * `test/js-worker.ts` with everything it imports (workspace packages from their sources,
 * seedrandom) bundled into one CommonJS file that Node's worker_threads can start, once per
 * test process; returns its path. The file is removed when the process exits.
 */
export function testWorkerScript(): Promise<string> {
  bundled ??= (async () => {
    const { build } = await import('tsup');
    const outDir = mkdtempSync(join(tmpdir(), 'nnkit-train-worker-'));
    process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));
    await build({
      entry: { 'js-worker': fileURLToPath(new URL('./js-worker.ts', import.meta.url)) },
      format: ['cjs'],
      platform: 'node',
      target: 'node20',
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
    return join(outDir, 'js-worker.cjs');
  })();
  return bundled;
}

/** `nodeWorkers` running the test worker script; `prelude` (JavaScript) runs before it, to inject failures. */
export async function testWorkers(prelude?: string): Promise<WorkerTransport> {
  const script = await testWorkerScript();
  if (prelude === undefined) return nodeWorkers({ workerUrl: pathToFileURL(script) });
  const withPrelude = script.replace(/\.cjs$/, `-${++preludes}.cjs`);
  writeFileSync(withPrelude, `${prelude}\n${readFileSync(script, 'utf8')}`);
  return nodeWorkers({ workerUrl: pathToFileURL(withPrelude) });
}
