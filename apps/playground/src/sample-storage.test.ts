import 'fake-indexeddb/auto';
import { createStore, set } from 'idb-keyval';
import { describe, expect, it } from 'vitest';
import { indexedDbStorage } from './sample-storage.js';
import { addSample, emptySampleSet, undoSample, withTarget } from './teach-samples.js';

describe('IndexedDB storage of the samples', () => {
  it('saves the set and loads it back as it was, after each change', async () => {
    const storage = indexedDbStorage(createStore('test-round-trip', 'samples'));
    expect(await storage.load()).toBeNull();
    let samples = withTarget(emptySampleSet(), 7);
    for (let index = 0; index < 4; index++) samples = addSample(samples, index, new Uint8Array(784).fill(index * 60));
    await storage.save(samples);
    // Another storage on the same database: what a reload sees.
    const reloaded = await indexedDbStorage(createStore('test-round-trip', 'samples')).load();
    expect(reloaded?.target).toBe(7);
    expect(reloaded?.nextId).toBe(5);
    expect(reloaded?.samples.map((sample) => [sample.id, sample.label, sample.pixels[0]])).toEqual([[1, 0, 0], [2, 1, 60], [3, 2, 120], [4, 3, 180]]);
    await storage.save(undoSample(samples));
    expect((await storage.load())?.samples.length).toBe(3);
  });

  it('drops what it cannot read: another version, broken samples', async () => {
    const store = createStore('test-broken', 'samples');
    await set('samples', { version: 99, target: 10, nextId: 1, samples: [] }, store);
    expect(await indexedDbStorage(store).load()).toBeNull();
    await set('samples', { version: 1, target: 1000, nextId: 2, samples: [{ id: 1, label: 3, pixels: new Uint8Array(784) }, { id: 5, label: 12, pixels: new Uint8Array(784) }, { id: 6, label: 2, pixels: new Uint8Array(3) }] }, store);
    const loaded = await indexedDbStorage(store).load();
    expect(loaded?.samples.map((sample) => sample.id)).toEqual([1]);
    expect(loaded?.target).toBe(10);
  });
  it('keeps the last fine-tuned model beside the samples, and drops a record it cannot read', async () => {
    const store = createStore('test-tuning', 'samples');
    const storage = indexedDbStorage(store);
    expect(await storage.loadTuning()).toBeNull();
    await storage.saveTuning({ text: '{"format":"nnkit-model"}', trainIds: [1, 2, 4], heldOutIds: [3] });
    expect(await indexedDbStorage(store).loadTuning()).toEqual({ text: '{"format":"nnkit-model"}', trainIds: [1, 2, 4], heldOutIds: [3] });
    // The samples and the model are separate records: saving one leaves the other.
    await storage.save(emptySampleSet());
    expect((await storage.loadTuning())?.heldOutIds).toEqual([3]);
    for (const broken of [{ version: 2, text: 'x', trainIds: [], heldOutIds: [] }, { version: 1, text: '', trainIds: [], heldOutIds: [] }, { version: 1, text: 'x', trainIds: [1.5], heldOutIds: [] }, 'nonsense']) {
      await set('tuned-model', broken, store);
      expect(await storage.loadTuning()).toBeNull();
    }
  });
});
