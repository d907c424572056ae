// Test images: photographed-style digits and image files, made here so tests need no fixtures.
import { createRng } from '@nnkit/tensor';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** A PNG's signature and IHDR claiming `width × height`, followed by a 1×1 image's data. */
export function pngHeaderOnly(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(encodeRgba(1, 1, new Uint8Array([255, 255, 255, 255]), 'png'));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  view.setUint32(16, width);
  view.setUint32(20, height);
  return bytes;
}

/** RGBA pixels as PNG or JPEG (quality 85) bytes. */
export function encodeRgba(width: number, height: number, rgba: Uint8Array, format: 'png' | 'jpeg'): Uint8Array {
  if (format === 'jpeg') return jpeg.encode({ width, height, data: rgba }, 85).data;
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  return PNG.sync.write(png);
}

/**
 * A 28×28 digit photographed on paper: enlarged `scale`× at (`left`, `top`) of a `width × height`
 * gray canvas lit from one side (paper 250 → 150 across), dark ink, Gaussian noise of σ `noise`
 * and, with `clutter`, a dust speck and a faint ruled line. Returns gray bytes.
 */
export function photographDigit(digit: Uint8Array, options: { width: number; height: number; scale: number; left: number; top: number; noise?: number; clutter?: boolean; seed?: number }): Uint8Array {
  const { width, height, scale, left, top } = options;
  const rng = createRng(options.seed ?? 1);
  const gray = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const paper = 250 - (100 * x) / width;
      const dx = Math.floor((x - left) / scale);
      const dy = Math.floor((y - top) / scale);
      let ink = dx >= 0 && dy >= 0 && dx < 28 && dy < 28 ? digit[dy * 28 + dx] / 255 : 0;
      if (options.clutter && ((x - 5) ** 2 + (y - height + 6) ** 2 < 5 || y === Math.floor(height / 7))) ink = Math.max(ink, y === Math.floor(height / 7) ? 0.25 : 0.8);
      gray[y * width + x] = Math.max(0, Math.min(255, Math.round(paper * (1 - 0.75 * ink) + rng.normal(0, options.noise ?? 0))));
    }
  }
  return gray;
}

/** Gray bytes as RGBA (opaque). */
export function grayToRgba(gray: Uint8Array): Uint8Array {
  const rgba = new Uint8Array(gray.length * 4);
  gray.forEach((value, i) => rgba.set([value, value, value, 255], i * 4));
  return rgba;
}
