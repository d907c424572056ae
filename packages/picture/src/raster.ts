import { GLYPH_DESCENT, GLYPH_HEIGHT, GLYPH_WIDTH, glyph, textWidth } from './font.js';

/** An RGB colour, 0–255 each. */
export type Rgb = readonly [number, number, number];

/** An RGBA picture, 4 bytes a pixel, row-major: what `ImageData` holds and PNG encoders take. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8ClampedArray;
}

/** Options for `Raster.text`. */
export interface TextOptions {
  /** Integer magnification of the 5×7 font (default 2: 10×14-pixel characters). */
  readonly scale?: number;
  /** Which point of the text `x` names (default left). */
  readonly align?: 'left' | 'center' | 'right';
  /** Whether `y` is the top or the vertical middle of the capitals (default top). */
  readonly baseline?: 'top' | 'middle';
  /** Draw only the characters that fit in this many pixels. */
  readonly maxWidth?: number;
}

/**
 * A small RGBA canvas for pictures without a browser: axis-aligned rectangles, straight lines,
 * gray images and bitmap text, clipped to the canvas, at integer coordinates (no antialiasing,
 * so pictures stay crisp when enlarged). It runs unchanged in Node and the browser; its `data`
 * can go straight into an `ImageData` or `encodePng` from `@nnkit/picture/node`.
 */
export class Raster implements RgbaImage {
  /** Width in pixels. */
  readonly width: number;
  /** Height in pixels. */
  readonly height: number;
  /** RGBA bytes, row-major, `width · height · 4`. */
  readonly data: Uint8ClampedArray;

  /** A `width × height` canvas filled with `background` (default white), fully opaque. */
  constructor(width: number, height: number, background: Rgb = [255, 255, 255]) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError(`Raster: size ${width}×${height} must be positive integers`);
    }
    this.width = width;
    this.height = height;
    this.data = new Uint8ClampedArray(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  /** Colour of one pixel. */
  pixel(x: number, y: number): Rgb {
    const offset = (y * this.width + x) * 4;
    return [this.data[offset], this.data[offset + 1], this.data[offset + 2]];
  }

  /** Fills the rectangle [x, x + width) × [y, y + height), clipped to the canvas. */
  fillRect(x: number, y: number, width: number, height: number, color: Rgb): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + width));
    const y1 = Math.min(this.height, Math.round(y + height));
    for (let row = y0; row < y1; row++) {
      for (let column = x0, offset = (row * this.width + x0) * 4; column < x1; column++, offset += 4) {
        this.data[offset] = color[0];
        this.data[offset + 1] = color[1];
        this.data[offset + 2] = color[2];
        this.data[offset + 3] = 255;
      }
    }
  }

  /** Outlines the rectangle with lines `thickness` pixels wide, drawn inside it. */
  strokeRect(x: number, y: number, width: number, height: number, color: Rgb, thickness = 1): void {
    this.fillRect(x, y, width, thickness, color);
    this.fillRect(x, y + height - thickness, width, thickness, color);
    this.fillRect(x, y, thickness, height, color);
    this.fillRect(x + width - thickness, y, thickness, height, color);
  }

  /** A straight line from (x0, y0) to (x1, y1) with a square pen `thickness` pixels wide (Bresenham). */
  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, thickness = 1): void {
    let x = Math.round(x0);
    let y = Math.round(y0);
    const xEnd = Math.round(x1);
    const yEnd = Math.round(y1);
    const dx = Math.abs(xEnd - x);
    const dy = -Math.abs(yEnd - y);
    const stepX = x < xEnd ? 1 : -1;
    const stepY = y < yEnd ? 1 : -1;
    const half = Math.floor((thickness - 1) / 2);
    let error = dx + dy;
    for (;;) {
      this.fillRect(x - half, y - half, thickness, thickness, color);
      if (x === xEnd && y === yEnd) return;
      const doubled = 2 * error;
      if (doubled >= dy) {
        error += dy;
        x += stepX;
      }
      if (doubled <= dx) {
        error += dx;
        y += stepY;
      }
    }
  }

  /**
   * Draws `text` in the 5×7 bitmap font (descenders hang `GLYPH_DESCENT` rows below); returns
   * the width drawn in pixels.
   */
  text(x: number, y: number, text: string, color: Rgb, options: TextOptions = {}): number {
    const scale = options.scale ?? 2;
    let characters = [...text];
    if (options.maxWidth !== undefined) {
      characters = characters.slice(0, Math.max(0, Math.floor((options.maxWidth + scale) / ((GLYPH_WIDTH + 1) * scale))));
    }
    const width = textWidth(characters.join(''), scale);
    let left = Math.round(options.align === 'center' ? x - width / 2 : options.align === 'right' ? x - width : x);
    const top = Math.round(options.baseline === 'middle' ? y - (GLYPH_HEIGHT * scale) / 2 : y);
    const rows = GLYPH_HEIGHT + GLYPH_DESCENT;
    for (const character of characters) {
      const bits = glyph(character);
      for (let gy = 0; gy < rows; gy++) {
        for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
          if (bits[gy * GLYPH_WIDTH + gx] === 1) this.fillRect(left + gx * scale, top + gy * scale, scale, scale, color);
        }
      }
      left += (GLYPH_WIDTH + 1) * scale;
    }
    return width;
  }

  /**
   * Copies a gray image (bytes 0–255, `width · height`, row-major, MNIST's white ink on black)
   * at (x, y), each pixel a `scale × scale` block: as dark ink on white paper (default), or as
   * it is when `paper` is false.
   */
  drawGray(x: number, y: number, pixels: ArrayLike<number>, width: number, height: number, options: { scale?: number; paper?: boolean } = {}): void {
    const scale = options.scale ?? 1;
    const paper = options.paper ?? true;
    if (pixels.length !== width * height) throw new RangeError(`drawGray: ${pixels.length} pixels for a ${width}×${height} image`);
    for (let row = 0; row < height; row++) {
      for (let column = 0; column < width; column++) {
        const value = pixels[row * width + column];
        const level = paper ? 255 - value : value;
        this.fillRect(x + column * scale, y + row * scale, scale, scale, [level, level, level]);
      }
    }
  }
}
