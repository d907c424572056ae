import { defineConfig } from 'vitest/config';
import e2e from './vitest.e2e.config.js';

// Unit tests of the page's logic in Node (no browser): `src/**/*.test.ts`.
export default defineConfig({ resolve: e2e.resolve, test: { include: ['src/**/*.test.ts'] } });
