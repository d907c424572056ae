import { defineConfig } from 'vitest/config';

// End-to-end tests: a real Chromium drives the built site served by `vite preview`.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
