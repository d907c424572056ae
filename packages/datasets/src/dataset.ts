import { type Shape, formatShape, sizeOf } from '@nnkit/tensor';

/**
 * Labelled images kept as bytes (0–255, one byte a pixel, row-major, `count` images of
 * `imageShape` each) and converted to float32 one mini-batch at a time, so 60 000 MNIST images
 * take 47 MB instead of 188 MB. `labels[i]` is the class of image i (0–9 for digits).
 */
export interface Dataset {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  /** Per-image shape, NHWC without the batch: `[28, 28, 1]` for MNIST. */
  readonly imageShape: Shape;
  /** Where it came from, for messages: `"mnist:train"`, `"train.csv"`. */
  readonly name: string;
  /**
   * True when the source had no labels (Kaggle test.csv, a lone IDX images file, a PNG):
   * `labels` is then all zeros and must not be trained or scored on.
   */
  readonly unlabelled?: boolean;
}

/** MNIST's per-image shape `[28, 28, 1]` (height, width, channels). */
export const MNIST_IMAGE_SHAPE: Shape = Object.freeze([28, 28, 1]);

/**
 * Builds a `Dataset` after checking that `images.length = count · sizeOf(imageShape)` and
 * `labels.length = count`; the arrays are used as given (not copied).
 */
export function createDataset(fields: {
  images: Uint8Array;
  labels: Uint8Array;
  imageShape?: Shape;
  name: string;
  unlabelled?: boolean;
}): Dataset {
  const imageShape = fields.imageShape ?? MNIST_IMAGE_SHAPE;
  const imageSize = sizeOf(imageShape);
  if (!(imageSize > 0) || !Number.isInteger(imageSize)) {
    throw new RangeError(`${fields.name}: image shape ${formatShape(imageShape)} must have positive integer dimensions`);
  }
  const count = fields.labels.length;
  if (fields.images.length !== count * imageSize) {
    throw new RangeError(
      `${fields.name}: ${fields.images.length} image bytes do not hold ${count} images of ${formatShape(imageShape)} (${count * imageSize} bytes)`,
    );
  }
  const dataset: Dataset = { images: fields.images, labels: fields.labels, count, imageShape, name: fields.name };
  return fields.unlabelled ? { ...dataset, unlabelled: true } : dataset;
}

/** Bytes per image: the product of `imageShape` (784 for MNIST). */
export function imageSizeOf(dataset: Dataset): number {
  return sizeOf(dataset.imageShape);
}
