import { defineConfig } from 'vitest/config';
import e2e from './vitest.e2e.config.js';

// `pnpm --filter playground measure`: the training-speed measurement, on the site built for the tests.
export default defineConfig({ ...e2e, test: { ...e2e.test, include: ['e2e/**/*.measure.ts'] } });
