import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = fileURLToPath(new URL('../../packages/', import.meta.url));

// End-to-end tests: a real Chromium drives the built site served by `vite preview`. The Node
// side of the tests (reading an exported model back) imports the workspace packages from their
// TypeScript sources, like every package's own tests.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@nnkit\/([a-z]+)\/([a-z]+)$/, replacement: `${packages}$1/src/$2.ts` },
      { find: /^@nnkit\/([a-z]+)$/, replacement: `${packages}$1/src/index.ts` },
    ],
  },
  test: {
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    // The tests wait on page states and events, never on a clock (a busy machine is slow, not
    // broken); these limits only end a test that hangs for good.
    testTimeout: 900_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
