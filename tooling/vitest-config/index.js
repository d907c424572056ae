// Shared vitest preset: workspace packages resolve to their TypeScript sources, so tests never
// need a build and always see the code next to them.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** @param {import('vitest/config').ViteUserConfig} [extra] */
export function nnkitVitestConfig(extra = {}) {
  return defineConfig({
    ...extra,
    resolve: {
      alias: [
        { find: /^@nnkit\/([a-z]+)\/([a-z]+)$/, replacement: `${root}packages/$1/src/$2.ts` },
        { find: /^@nnkit\/([a-z]+)$/, replacement: `${root}packages/$1/src/index.ts` },
      ],
    },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 60_000,
      ...(extra.test ?? {}),
    },
  });
}
