import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './bitmap-font.js';

/** An RGBA picture, 4 bytes a pixel, row-major (what `ImageData` and PNG encoders take). */
export interface Raster {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** An RGB colour, 0–255 each. */
export type Rgb = readonly [number, number, number];

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
  /** One line under each image, drawn with the built-in 5×7 font (clipped to the cell). */
  readonly captions?: readonly (string | undefined)[];
  /** Colour of each caption (default near black); e.g. red for a wrong prediction. */
  readonly captionColors?: readonly (Rgb | undefined)[];
  /** Integer magnification of the caption font (default: 1, or 2 when scale ≥ 4). */
  readonly captionScale?: number;
}

/**
 * Lays out gray images (bytes 0–255, `imageSize²` each) in a grid of `columns`, each pixel a
 * `scale × scale` block, with optional captions under the images, as an RGBA raster of
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
  const captionHeight = captions !== undefined ? GLYPH_HEIGHT * captionScale + 2 * captionScale : 0;
  const rows = Math.max(1, Math.ceil(images.length / columns));
  const width = columns * (cell + gap) + gap;
  const height = rows * (cell + captionHeight + gap) + gap;
  const data = new Uint8ClampedArray(width * height * 4);
  const frame = paper ? 255 : 40;
  for (let i = 0; i < data.length; i += 4) {
    data[i] = data[i + 1] = data[i + 2] = frame;
    data[i + 3] = 255;
  }
  images.forEach((image, n) => {
    const left = gap + (n % columns) * (cell + gap);
    const top = gap + Math.floor(n / columns) * (cell + captionHeight + gap);
    for (let y = 0; y < cell; y++) {
      const sourceRow = Math.floor(y / scale) * imageSize;
      let at = ((top + y) * width + left) * 4;
      for (let x = 0; x < cell; x++, at += 4) {
        const value = image[sourceRow + Math.floor(x / scale)];
        data[at] = data[at + 1] = data[at + 2] = paper ? 255 - value : value;
      }
    }
    const caption = captions?.[n];
    if (caption !== undefined && caption !== '') {
      const color = options.captionColors?.[n] ?? (paper ? [20, 20, 20] : [235, 235, 235]);
      drawText(data, width, caption, left, top + cell + captionScale, cell, captionScale, color);
    }
  });
  return { width, height, data };
}

/** Draws `text` in the 5×7 font at (left, top), magnified by `scale`, clipped to `maxWidth`. */
export function drawText(data: Uint8ClampedArray, width: number, text: string, left: number, top: number, maxWidth: number, scale: number, color: Rgb): void {
  const advance = (GLYPH_WIDTH + 1) * scale;
  const characters = [...text].slice(0, Math.max(0, Math.floor((maxWidth + scale) / advance)));
  // Centre the caption under its cell.
  const textWidth = characters.length * advance - scale;
  let x0 = left + Math.max(0, Math.floor((maxWidth - textWidth) / 2));
  const height = data.length / 4 / width;
  for (const character of characters) {
    const bits = glyph(character);
    for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
      for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
        if (bits[gy * GLYPH_WIDTH + gx] === 0) continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            const x = x0 + gx * scale + dx;
            const y = top + gy * scale + dy;
            if (x < 0 || y < 0 || x >= width || y >= height) continue;
            const at = (y * width + x) * 4;
            data[at] = color[0];
            data[at + 1] = color[1];
            data[at + 2] = color[2];
          }
        }
      }
    }
    x0 += advance;
  }
}
