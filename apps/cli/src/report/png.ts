import { PNG } from 'pngjs';
import { type Rgb, diverging } from './colors.js';

/** PNG file bytes of an RGBA image (`rgba.length = width · height · 4`, row-major). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`encodePng: size ${width}×${height} must be positive integers`);
  }
  if (rgba.length !== width * height * 4) {
    throw new Error(`encodePng: ${rgba.length} bytes for a ${width}×${height} RGBA image; expected ${width * height * 4}`);
  }
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba.buffer, rgba.byteOffset, rgba.length);
  return PNG.sync.write(png, { colorType: 6 });
}

/** A `data:image/png;base64,…` URI for embedding PNG bytes in HTML. */
export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png.buffer, png.byteOffset, png.length).toString('base64')}`;
}

/**
 * A grayscale image (bytes 0–255, `width · height`, row-major, MNIST's white ink on black) as a
 * PNG with dark ink on white paper, `scale`× nearest-neighbour enlarged.
 */
export function digitPng(pixels: ArrayLike<number>, width = 28, height = 28, scale = 1): Buffer {
  if (pixels.length !== width * height) {
    throw new Error(`digitPng: ${pixels.length} pixels for a ${width}×${height} image`);
  }
  return rasterPng(width, height, scale, (x, y) => {
    const ink = 255 - pixels[y * width + x];
    return [ink, ink, ink];
  });
}

/**
 * Real-valued weights (`width · height`, row-major) as a PNG on a blue–white–red diverging map,
 * symmetric around 0: ±`limit` (default the largest |w|) map to the darkest blue and red.
 */
export function weightsPng(
  values: ArrayLike<number>,
  width: number,
  height: number,
  options: { scale?: number; limit?: number } = {},
): Buffer {
  if (values.length !== width * height) {
    throw new Error(`weightsPng: ${values.length} values for a ${width}×${height} image`);
  }
  let limit = options.limit ?? 0;
  if (options.limit === undefined) for (let i = 0; i < values.length; i++) limit = Math.max(limit, Math.abs(values[i]));
  const divisor = limit > 0 ? limit : 1;
  return rasterPng(width, height, options.scale ?? 1, (x, y) => diverging(values[y * width + x] / divisor));
}

function rasterPng(width: number, height: number, scale: number, color: (x: number, y: number) => Rgb): Buffer {
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`png: scale = ${scale} must be a positive integer`);
  const outWidth = width * scale;
  const rgba = new Uint8Array(outWidth * height * scale * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [red, green, blue] = color(x, y);
      for (let dy = 0; dy < scale; dy++) {
        let offset = ((y * scale + dy) * outWidth + x * scale) * 4;
        for (let dx = 0; dx < scale; dx++, offset += 4) {
          rgba[offset] = red;
          rgba[offset + 1] = green;
          rgba[offset + 2] = blue;
          rgba[offset + 3] = 255;
        }
      }
    }
  }
  return encodePng(outWidth, height * scale, rgba);
}
