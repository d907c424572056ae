import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph, textWidth } from './bitmap-font.js';
import type { Rgb } from './colors.js';
import { encodePng } from './png.js';

/** Options for `Raster.text`. */
export interface TextOptions {
  /** Integer magnification of the 5×7 font (default 2: 10×14-pixel characters). */
  scale?: number;
  /** Which point of the text `x` names (default left). */
  align?: 'left' | 'center' | 'right';
  /** Whether `y` is the top or the vertical middle of the text (default top). */
  baseline?: 'top' | 'middle';
}

/**
 * A small RGB canvas for PNG pictures: axis-aligned rectangles, straight lines and bitmap text,
 * clipped to the canvas, with integer coordinates (no antialiasing, so pictures stay crisp).
 */
export class Raster {
  readonly width: number;
  readonly height: number;
  /** RGBA bytes, row-major, always opaque. */
  readonly data: Uint8Array;

  constructor(width: number, height: number, background: Rgb = [255, 255, 255]) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new Error(`Raster: size ${width}×${height} must be positive integers`);
    }
    this.width = width;
    this.height = height;
    this.data = new Uint8Array(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  /** Colour of one pixel, for tests. */
  pixel(x: number, y: number): Rgb {
    const offset = (y * this.width + x) * 4;
    return [this.data[offset], this.data[offset + 1], this.data[offset + 2]];
  }

  /** Fills the rectangle [x, x + width) × [y, y + height). */
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

  /** Draws `text` in the 5×7 bitmap font; returns its width in pixels. */
  text(x: number, y: number, text: string, color: Rgb, options: TextOptions = {}): number {
    const scale = options.scale ?? 2;
    const width = textWidth(text, scale);
    let left = Math.round(options.align === 'center' ? x - width / 2 : options.align === 'right' ? x - width : x);
    const top = Math.round(options.baseline === 'middle' ? y - (GLYPH_HEIGHT * scale) / 2 : y);
    for (const character of text) {
      glyph(character).forEach((row, gy) =>
        row.forEach((ink, gx) => ink && this.fillRect(left + gx * scale, top + gy * scale, scale, scale, color)),
      );
      left += (GLYPH_WIDTH + 1) * scale;
    }
    return width;
  }

  /** Copies a grayscale image (0–255 ink, MNIST style) as dark ink on white, `scale`× enlarged. */
  drawDigit(x: number, y: number, pixels: ArrayLike<number>, width: number, height: number, scale = 1): void {
    for (let row = 0; row < height; row++) {
      for (let column = 0; column < width; column++) {
        const ink = 255 - pixels[row * width + column];
        this.fillRect(x + column * scale, y + row * scale, scale, scale, [ink, ink, ink]);
      }
    }
  }

  /** PNG file bytes of the canvas. */
  toPng(): Buffer {
    return encodePng(this.width, this.height, this.data);
  }
}
