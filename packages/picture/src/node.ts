// The Node entry: PNG files. pngjs is an optional peer dependency, loaded on first use, so a
// browser user of `@nnkit/picture` (or of `@nnkit/datasets`) never installs it.
import { createRequire } from 'node:module';
import type { PNG as PngClass } from 'pngjs';
import { Raster, type RgbaImage } from './raster.js';

let pngjs: { PNG: typeof PngClass } | undefined;

function loadPngjs(): { PNG: typeof PngClass } {
  if (pngjs === undefined) {
    try {
      const require = createRequire(import.meta.url);
      pngjs = require('pngjs') as { PNG: typeof PngClass };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
      throw new Error('PNG files need the pngjs package, an optional peer dependency of @nnkit/picture: npm install pngjs');
    }
  }
  return pngjs;
}

/** PNG file bytes (8-bit RGBA) of an RGBA image; `data.length` must be `width · height · 4`. */
export function encodePng(image: RgbaImage): Uint8Array {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`encodePng: size ${width}×${height} must be positive integers`);
  }
  if (data.length !== width * height * 4) {
    throw new RangeError(`encodePng: ${data.length} bytes for a ${width}×${height} RGBA image; expected ${width * height * 4}`);
  }
  const { PNG } = loadPngjs();
  const png = new PNG({ width, height });
  png.data = Buffer.from(data.buffer, data.byteOffset, data.length);
  return PNG.sync.write(png, { colorType: 6 });
}

/** Decodes PNG bytes (any bit depth or colour type) to an RGBA `Raster`; errors name `fileName`. */
export function decodePng(bytes: Uint8Array, fileName: string): Raster {
  const { PNG } = loadPngjs();
  let png: PngClass;
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
  } catch (error) {
    throw new Error(`${fileName}: found an unreadable image (${(error as Error).message}); expected a PNG image`);
  }
  const raster = new Raster(png.width, png.height);
  raster.data.set(png.data);
  return raster;
}

/** A `data:image/png;base64,…` URI for embedding PNG bytes in HTML. */
export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png.buffer, png.byteOffset, png.length).toString('base64')}`;
}
