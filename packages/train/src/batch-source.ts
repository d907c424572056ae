import type { Dataset } from '@nnkit/datasets';
import { sizeOf } from '@nnkit/tensor';

/** Image bytes without labels: a dataset's, or the augmented copy of one mini-batch. */
export type ImageBytes = Pick<Dataset, 'images' | 'count' | 'imageShape' | 'name'>;

/**
 * Where the rows of one mini-batch come from: row r is image `imageOrder[imageStart + r]` of
 * `images`, with the label of image `labelOrder[labelStart + r]` of `labelled`. Without
 * augmentation both read the training set through the epoch's order; with it, the images are
 * the batch's augmented copy (row r at position r) and the labels still come from the
 * training set, so the caller's data is never touched.
 */
export interface BatchSource {
  readonly rows: number;
  readonly images: ImageBytes;
  readonly imageOrder: ArrayLike<number>;
  readonly imageStart: number;
  readonly labelled: Dataset;
  readonly labelOrder: ArrayLike<number>;
  readonly labelStart: number;
}

/** Where a step's images come from: the training set, or the buffer of the batch's augmented bytes. */
export const imageSources = ['dataset', 'augmented'] as const;
/** See `imageSources`. */
export type ImageSource = (typeof imageSources)[number];

/** One mini-batch by name: 0-based epoch and batch, its first position in the epoch's order, its rows, its images. */
export interface BatchRequest {
  readonly epoch: number;
  readonly batch: number;
  readonly position: number;
  readonly rows: number;
  readonly images: ImageSource;
}

/** What a replica reads batches from: the training set, the epoch's order, the augmented buffer (`batchSize` images). */
export interface BatchData {
  readonly train: Dataset;
  readonly order: ArrayLike<number>;
  readonly augmented: Uint8Array;
}

/**
 * The rows of `request`: `order[position..position+rows)` of the training set, or with
 * augmented images the first `rows` images of the augmented buffer (in batch order), labelled
 * by the same positions of the training set.
 */
export function batchSource(request: BatchRequest, data: BatchData): BatchSource {
  const { rows, position } = request;
  const { train, order } = data;
  if (request.images === 'dataset') return { rows, images: train, imageOrder: order, imageStart: position, labelled: train, labelOrder: order, labelStart: position };
  const count = data.augmented.length / sizeOf(train.imageShape);
  const images: ImageBytes = { images: data.augmented, count, imageShape: train.imageShape, name: `${train.name} (augmented batch)` };
  return { rows, images, imageOrder: identityOrder(images.count), imageStart: 0, labelled: train, labelOrder: order, labelStart: position };
}

/** The bytes of `train`'s images `order[start..start+rows)`, copied into `buffer` image after image (for the augmentation hook). */
export function copyBatchBytes(train: Dataset, order: ArrayLike<number>, start: number, rows: number, buffer: Uint8Array, imageSize: number): Uint8Array {
  for (let r = 0; r < rows; r++) {
    const from = order[start + r] * imageSize;
    buffer.set(train.images.subarray(from, from + imageSize), r * imageSize);
  }
  return buffer.subarray(0, rows * imageSize);
}

const identities = new Map<number, Int32Array>();

/** 0, 1, …, count − 1 (one shared read-only array per count). */
export function identityOrder(count: number): Int32Array {
  let list = identities.get(count);
  if (!list) {
    list = new Int32Array(count);
    for (let i = 0; i < count; i++) list[i] = i;
    identities.set(count, list);
  }
  return list;
}
