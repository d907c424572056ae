import { defineConfig } from 'vitest/config';
import e2e from './vitest.e2e.config.js';

// `pnpm --filter playground screenshots`: the views of the page at desktop and phone widths, into test-results/screenshots.
export default defineConfig({ ...e2e, test: { ...e2e.test, include: ['e2e/**/*.screenshots.ts'] } });
