// Serves the built playground (apps/playground/dist) on 127.0.0.1 for the browser tests.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { preview } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

const root = fileURLToPath(new URL('..', import.meta.url));

/** The browser the tests drive (Debian's package: `apt-get install -y chromium`). */
export const chromiumPath = '/usr/bin/chromium';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (!existsSync(chromiumPath)) throw new Error(`${chromiumPath} is missing: install Chromium with \`apt-get install -y chromium\``);
  if (!existsSync(`${root}dist/index.html`)) throw new Error('apps/playground/dist is missing: run `pnpm --filter playground build` first (the test script does)');
  const server = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 4319, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('vite preview did not report a local URL');
  project.provide('baseUrl', url);
  return async () => {
    await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
  };
}
