import { Raster } from '@nnkit/picture';
import { encodePng } from '@nnkit/picture/node';
import { type Rgb, diverging } from './colors.js';

/**
 * A grayscale image (bytes 0–255, `width · height`, row-major, MNIST's white ink on black) as a
 * PNG with dark ink on white paper, `scale`× nearest-neighbour enlarged.
 */
export function digitPng(pixels: ArrayLike<number>, width = 28, height = 28, scale = 1): Uint8Array {
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
): Uint8Array {
  if (values.length !== width * height) {
    throw new Error(`weightsPng: ${values.length} values for a ${width}×${height} image`);
  }
  let limit = options.limit ?? 0;
  if (options.limit === undefined) for (let i = 0; i < values.length; i++) limit = Math.max(limit, Math.abs(values[i]));
  const divisor = limit > 0 ? limit : 1;
  return rasterPng(width, height, options.scale ?? 1, (x, y) => diverging(values[y * width + x] / divisor));
}

function rasterPng(width: number, height: number, scale: number, color: (x: number, y: number) => Rgb): Uint8Array {
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`png: scale = ${scale} must be a positive integer`);
  const raster = new Raster(width * scale, height * scale);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raster.fillRect(x * scale, y * scale, scale, scale, color(x, y));
  return encodePng(raster);
}
