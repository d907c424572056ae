export { type Dataset, fillBatch } from '@nnkit/datasets';
export { Sequential } from '@nnkit/layers';
