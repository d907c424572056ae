// Serves the playground as built for the tests (test-results/site, so a concurrent `build` of
// dist never races with it) on 127.0.0.1 for the browser tests.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { preview } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** The same site without the cross-origin isolation headers, as a plain static host serves it. */
    plainUrl: string;
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));

import { browserTestsRun, chromiumPath, skipNotice } from './browser.js';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!browserTestsRun) {
    process.stderr.write(`${skipNotice}\n`);
    project.provide('baseUrl', '');
    project.provide('plainUrl', '');
    return async () => {};
  }
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: install Chromium with \`apt-get install -y chromium\``);
  const outDir = 'test-results/site';
  if (!existsSync(`${root}${outDir}/index.html`)) throw new Error(`apps/playground/${outDir} is missing: run \`pnpm --filter playground test\`, which builds it first`);
  const server = await preview({ root, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 4319, strictPort: false } });
  // Without vite.config.ts, hence without its COOP/COEP headers.
  const plain = await preview({ root, configFile: false, base: './', appType: 'mpa', logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port: 4329, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  const plainUrl = plain.resolvedUrls?.local[0];
  if (url === undefined || plainUrl === undefined) throw new Error('vite preview did not report a local URL');
  project.provide('baseUrl', url);
  project.provide('plainUrl', plainUrl);
  return async () => {
    for (const each of [server, plain]) await new Promise<void>((resolve) => each.httpServer.close(() => resolve()));
  };
}
