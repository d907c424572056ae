// Fine-tuning on the user's handwriting, run in the training worker: the pre-trained model's
// weights copied into a fresh network of the same definition and its feature layers frozen
// (`fit`'s `initFrom` and `freeze`, @nnkit/train's fine-tuning path), then a few seeded epochs on
// the user's training samples mixed with MNIST training images, so it learns the hand without
// forgetting the digits it knew. The held-out samples never come here.
import type { Kernels } from '@nnkit/tensor';
import { createRng } from '@nnkit/tensor';
import { type Dataset, Sequential, createDataset, distortionHook, fit, loadModel, parseAugmentSpec, saveModel } from './nnkit.js';

/** What the page chooses for a fine-tuning run. */
export interface TuneSettings {
  readonly epochs: number;
  /** MNIST training images mixed in. */
  readonly mnistImages: number;
  /** Keep every layer before the first dense one fixed (the convolutions): train the classifier only. */
  readonly freezeFeatures: boolean;
  readonly seed: number;
}

/** The settings the page starts with. */
export const defaultTuneSettings: TuneSettings = { epochs: 4, mnistImages: 600, freezeFeatures: true, seed: 1 };
/** Mild distortions of every training image, so a few samples teach more than their exact pixels. */
export const tuneDistortions = 'rotate:8,scale:0.08,shear:5,translate:1';
const learningRate = 0.0005;
const batchSize = 32;

/**
 * The training set: each of the user's samples repeated so they make about a third of it (at
 * least once, at most 20 times), then `mnistImages` MNIST training images drawn by the seed.
 */
export function tuningSet(images: Uint8Array, labels: Uint8Array, mnist: Dataset, settings: TuneSettings): { dataset: Dataset; repeats: number } {
  const count = labels.length;
  if (count === 0) throw new RangeError('fine-tuning: no training samples');
  const mnistCount = Math.min(settings.mnistImages, mnist.count);
  const repeats = Math.max(1, Math.min(20, Math.round(mnistCount / (2 * count))));
  const picks = createRng(settings.seed).fork('mnist-mix').permutation(mnist.count).subarray(0, mnistCount);
  const total = count * repeats + mnistCount;
  const allImages = new Uint8Array(total * 784);
  const allLabels = new Uint8Array(total);
  for (let repeat = 0; repeat < repeats; repeat++) {
    allImages.set(images, repeat * count * 784);
    allLabels.set(labels, repeat * count);
  }
  picks.forEach((index, slot) => {
    const at = count * repeats + slot;
    allImages.set(mnist.images.subarray(index * 784, (index + 1) * 784), at * 784);
    allLabels[at] = mnist.labels[index];
  });
  return { dataset: createDataset({ images: allImages, labels: allLabels, name: 'my-digits+mnist' }), repeats };
}

/** Layers kept fixed with `freezeFeatures`: all before the first dense layer. */
export function featureLayers(model: Sequential): number {
  const first = model.definition.layers.findIndex((layer) => layer.kind === 'dense');
  return first < 0 ? 0 : first;
}

/** Progress of a fine-tuning run, after each mini-batch. */
export interface TuneProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  readonly loss: number;
}

/** Fine-tunes `baseText` (an nnkit-model file) on the samples; returns the tuned model's file text. */
export async function fineTune(
  baseText: string,
  samples: { images: Uint8Array; labels: Uint8Array },
  mnist: Dataset,
  settings: TuneSettings,
  kernels: Kernels,
  onProgress: (progress: TuneProgress) => void,
): Promise<string> {
  const { model: base } = loadModel(baseText, 'the pre-trained model');
  const { dataset, repeats } = tuningSet(samples.images, samples.labels, mnist, settings);
  const model = new Sequential(base.definition, createRng(settings.seed).fork('init'));
  const frozen = settings.freezeFeatures ? featureLayers(model) : 0;
  await fit(model, { train: dataset }, {
    epochs: settings.epochs,
    batchSize,
    optimizer: { kind: 'adam', learningRate },
    seed: settings.seed,
    kernels,
    initFrom: base,
    ...(frozen > 0 ? { freeze: frozen } : {}),
    augment: distortionHook(parseAugmentSpec(tuneDistortions)),
    onBatchEnd: (info) => onProgress({ epoch: info.epoch, epochs: settings.epochs, batch: info.batch, batches: info.batches, loss: info.loss }),
  });
  // Saved unfrozen: the file is a plain model to predict with or to train on.
  model.freeze([]);
  return saveModel(model, {
    meta: {
      source: 'fine-tuned in the nnkit playground on handwriting samples',
      fineTuning: { samples: samples.labels.length, repeats, mnistImages: Math.min(settings.mnistImages, mnist.count), epochs: settings.epochs, frozenLayers: frozen, learningRate, batchSize, distortions: tuneDistortions, seed: settings.seed },
    },
  });
}
