import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';
import { mnistAssets } from './scripts/mnist-assets.js';
import { recordModelAssets, recordModelSize } from './scripts/record-model-assets.js';

const publicData = fileURLToPath(new URL('./public/data', import.meta.url));
const defaultModel = fileURLToPath(new URL('./public/models/default.json', import.meta.url));
// The record network (docs/accuracy.md), copied into public/models/record (gitignored) when it exists.
const recordModel = fileURLToPath(new URL('../../models/record.json', import.meta.url));
const publicRecord = fileURLToPath(new URL('./public/models/record', import.meta.url));

// Cross-origin isolation: SharedArrayBuffer (multi-threaded training) exists only on pages
// served with these two headers. A static host serving dist must send them on every file too.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Workspace packages resolve to their TypeScript sources (the `@nnkit/source` export
// condition), so the app needs no prior package build in dev and always sees the current code.
export default defineConfig({
  base: './',
  // A multi-page app answers unknown paths with 404 instead of index.html.
  appType: 'mpa',
  // Whether a pre-trained model ships with this build: the page then never requests a missing file.
  // The record network's download size is read from its files, so the page's words follow the model.
  define: {
    __HAS_DEFAULT_MODEL__: JSON.stringify(existsSync(defaultModel)),
    __HAS_RECORD_MODEL__: JSON.stringify(existsSync(recordModel)),
    __RECORD_MODEL_SIZE__: JSON.stringify(recordModelSize(recordModel) ?? ''),
  },
  resolve: { conditions: ['@nnkit/source', ...defaultClientConditions] },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1000 },
  plugins: [mnistAssets(publicData), recordModelAssets(recordModel, publicRecord)],
  server: { host: '127.0.0.1', headers: isolationHeaders },
  preview: { host: '127.0.0.1', headers: isolationHeaders },
});
