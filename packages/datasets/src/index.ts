export type { Dataset } from './dataset.js';
