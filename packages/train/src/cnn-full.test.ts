import { loadMnist } from '@nnkit/datasets/node';
import { describe, expect, it } from 'vitest';
import { fit } from './fit.js';
import { createPresetModel, getPreset, presetFitOptions } from './presets.js';

// The bench-cnn gate on all of MNIST takes minutes with the JavaScript kernels, so it runs only
// when asked: NNKIT_FULL_MNIST=1 pnpm --filter @nnkit/train test src/cnn-full.test.ts
describe.runIf(process.env.NNKIT_FULL_MNIST === '1')('cnn preset on full MNIST', () => {
  it('reaches 97 % test accuracy after one epoch', { timeout: 3_600_000 }, async () => {
    const { train, test } = loadMnist();
    const preset = getPreset('cnn');
    const model = createPresetModel(preset, 1);
    const result = await fit(model, { train, test }, {
      ...presetFitOptions(preset),
      epochs: 1,
      seed: 1,
      batchEndEvery: 100,
      onBatchEnd: (info) => void process.stderr.write(`batch ${info.batch}/${info.batches} loss ${info.loss.toFixed(4)} ${info.imagesPerSecond.toFixed(0)} img/s\n`),
    });
    const record = result.history[0];
    process.stderr.write(`cnn 1 epoch: test accuracy ${record.testAccuracy}, ${record.seconds.toFixed(0)} s\n`);
    expect(record.testAccuracy).toBeGreaterThanOrEqual(0.97);
  });
});
