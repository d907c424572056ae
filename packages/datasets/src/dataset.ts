import type { Shape } from '@nnkit/tensor';

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
}
