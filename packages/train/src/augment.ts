import { distortImage, type AugmentSpec } from '@nnkit/datasets';
import { sizeOf } from '@nnkit/tensor';
import type { AugmentHook } from './fit-options.js';

/**
 * An `augment` hook for `fit` that distorts every image of each batch with
 * `@nnkit/datasets`' `distortImage` (rotation, scale, shear, shifts, elastic, noise), drawing
 * from the run's 'augment' stream, so a seed reproduces the distortions.
 */
export function distortionHook(spec: AugmentSpec): AugmentHook {
  let scratch = new Uint8Array(0);
  return (images, rng, imageShape) => {
    const size = sizeOf(imageShape);
    // distortImage may not write over its input: keep the originals in a reused buffer.
    if (scratch.length < images.length) scratch = new Uint8Array(images.length);
    scratch.set(images);
    for (let offset = 0; offset < images.length; offset += size) distortImage(scratch, images, spec, rng, imageShape, offset, offset);
  };
}
