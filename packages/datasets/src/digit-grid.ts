import { GLYPH_DESCENT, GLYPH_HEIGHT, Raster, type Rgb } from '@nnkit/picture';

/** Options for `digitGrid`. */
export interface DigitGridOptions {
  /** Cells per row (default: all in one row, at most 10). */
  readonly columns?: number;
  /** Pixels per image pixel (default 2). */
  readonly scale?: number;
  /** Image side in pixels when images are not 28×28 (square). */
  readonly imageSize?: number;
  /** Pixels between cells and around the grid (default 2). */
  readonly gap?: number;
  /** Dark ink on white paper (default) or `false` for MNIST's white ink on black. */
  readonly paper?: boolean;
  /** One line under each image, drawn with `@nnkit/picture`'s 5×7 font (clipped to the cell). */
  readonly captions?: readonly (string | undefined)[];
  /** Colour of each caption (default near black); e.g. red for a wrong prediction. */
  readonly captionColors?: readonly (Rgb | undefined)[];
  /** Integer magnification of the caption font (default: 1, or 2 when scale ≥ 4). */
  readonly captionScale?: number;
}

/**
 * Lays out gray images (bytes 0–255, `imageSize²` each) in a grid of `columns`, each pixel a
 * `scale × scale` block, with optional captions centred under the images, as an RGBA raster of
 * width = columns · (imageSize · scale + gap) + gap.
 */
export function digitGrid(images: readonly Uint8Array[], options: DigitGridOptions = {}): Raster {
  const imageSize = options.imageSize ?? 28;
  const scale = options.scale ?? 2;
  const gap = options.gap ?? 2;
  const columns = options.columns ?? Math.max(1, Math.min(10, images.length));
  const paper = options.paper ?? true;
  const captions = options.captions;
  const captionScale = options.captionScale ?? (scale >= 4 ? 2 : 1);
  if (!(Number.isInteger(scale) && scale > 0 && Number.isInteger(columns) && columns > 0 && Number.isInteger(gap) && gap >= 0)) {
    throw new RangeError(`digitGrid: scale, columns and gap must be positive integers, got ${scale}, ${columns}, ${gap}`);
  }
  images.forEach((image, i) => {
    if (image.length !== imageSize * imageSize) throw new RangeError(`digitGrid: image ${i} has ${image.length} pixels, expected ${imageSize}×${imageSize}`);
  });
  const cell = imageSize * scale;
  // One font pixel above the text, the capitals, the descenders.
  const captionHeight = captions !== undefined ? (1 + GLYPH_HEIGHT + GLYPH_DESCENT) * captionScale : 0;
  const rows = Math.max(1, Math.ceil(images.length / columns));
  const width = columns * (cell + gap) + gap;
  const height = rows * (cell + captionHeight + gap) + gap;
  const frame = paper ? 255 : 40;
  const raster = new Raster(width, height, [frame, frame, frame]);
  images.forEach((image, n) => {
    const left = gap + (n % columns) * (cell + gap);
    const top = gap + Math.floor(n / columns) * (cell + captionHeight + gap);
    raster.drawGray(left, top, image, imageSize, imageSize, { scale, paper });
    const caption = captions?.[n];
    if (caption !== undefined && caption !== '') {
      const color = options.captionColors?.[n] ?? (paper ? [20, 20, 20] : [235, 235, 235]);
      raster.text(left + cell / 2, top + cell + captionScale, caption, color, { scale: captionScale, align: 'center', maxWidth: cell });
    }
  });
  return raster;
}
