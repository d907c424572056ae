import { describe, expect, it } from 'vitest';
import { quadrantDataset, TinyModel } from '../test/tiny-model.js';
import { distortionHook } from './augment.js';
import { fit } from './fit.js';

describe('distortionHook', () => {
  it('distorts every batch reproducibly from the seed and leaves the dataset alone', async () => {
    const train = quadrantDataset(120, 'augment');
    const before = train.images.slice();
    const seen: Uint8Array[] = [];
    const hook = distortionHook({ shift: 1, noise: 0.2 });
    const run = async (seed: number) => {
      const model = new TinyModel(train.imageShape, 4, 1);
      await fit(model, { train }, {
        epochs: 1,
        batchSize: 40,
        seed,
        shuffle: false,
        optimizer: { kind: 'sgd', learningRate: 0.1 },
        augment: (images, rng, shape) => {
          hook(images, rng, shape);
          seen.push(images.slice());
        },
      });
      return model.params[0].value.data;
    };
    const first = await run(1);
    expect(await run(1)).toEqual(first);
    expect(seen[0]).toEqual(seen[3]); // batch 1 of both runs
    expect(seen[0]).not.toEqual(before.subarray(0, 40 * 16)); // really distorted
    expect(train.images).toEqual(before);
    expect(await run(2)).not.toEqual(first);
  });

  it('with a hook that changes nothing, trains to the same bytes as without one: images and labels stay paired', async () => {
    const train = quadrantDataset(130, 'augment-identity');
    const run = async (augment: boolean) => {
      const model = new TinyModel(train.imageShape, 4, 1);
      // 130 = 3·40 + 10: the last batch is partial; the order is shuffled every epoch.
      await fit(model, { train }, { epochs: 2, batchSize: 40, seed: 4, optimizer: { kind: 'sgd', learningRate: 0.5 }, ...(augment ? { augment: () => {} } : {}) });
      return model.params.map((param) => param.value.data.slice());
    };
    expect(await run(true)).toEqual(await run(false));
  });
});
