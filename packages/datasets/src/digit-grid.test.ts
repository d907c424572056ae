import { describe, expect, it } from 'vitest';
import { mnistSample } from '../test/mnist-sample.js';
import { glyph } from '@nnkit/picture';
import { digitGrid } from './digit-grid.js';

describe('digitGrid', () => {
  const sample = mnistSample(3);
  const images = [0, 1, 2].map((k) => sample.images.subarray(k * 784, (k + 1) * 784));

  it('lays images out at scale with gaps, dark ink on paper', () => {
    const raster = digitGrid(images, { columns: 2, scale: 2, gap: 1 });
    // 2 columns of 56 px + 3 gaps; 2 rows.
    expect([raster.width, raster.height]).toEqual([115, 115]);
    expect(raster.data.length).toBe(115 * 115 * 4);
    // Image 1's pixel (row 10, column 12) becomes a 2×2 block at (1 + 57 + 24, 1 + 20).
    const value = images[1][10 * 28 + 12];
    const at = ((1 + 20) * 115 + 1 + 57 + 24) * 4;
    expect([raster.data[at], raster.data[at + 4], raster.data[at + 3]]).toEqual([255 - value, 255 - value, 255]);
  });

  it('draws captions in the bitmap font under each image', () => {
    const plain = digitGrid(images, { columns: 3, gap: 0 });
    const captioned = digitGrid(images, { columns: 3, gap: 0, captions: ['7→1', undefined, 'ok'], captionColors: [[200, 0, 0]] });
    expect(captioned.height).toBe(plain.height + 10);
    const strip = (column: number) => {
      let red = 0;
      let dark = 0;
      for (let y = 56; y < 66; y++) {
        for (let x = column * 56; x < (column + 1) * 56; x++) {
          const at = (y * captioned.width + x) * 4;
          if (captioned.data[at] === 200 && captioned.data[at + 1] === 0) red++;
          if (captioned.data[at] === 20) dark++;
        }
      }
      return [red, dark];
    };
    const inkOf = (text: string) => [...text].reduce((sum, c) => sum + glyph(c).reduce((a, b) => a + b, 0), 0);
    expect(strip(0)).toEqual([inkOf('7→1'), 0]);
    expect(strip(1)).toEqual([0, 0]);
    expect(strip(2)).toEqual([0, inkOf('ok')]);
  });

  it('rejects images of the wrong size', () => {
    expect(() => digitGrid([new Uint8Array(10)])).toThrow('digitGrid: image 0 has 10 pixels, expected 28×28');
  });
});
