import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { glyph, textWidth } from './bitmap-font.js';
import { Raster } from './raster.js';

const RED = [255, 0, 0] as const;
const WHITE = [255, 255, 255];

describe('Raster', () => {
  it('fills rectangles clipped to the canvas', () => {
    const raster = new Raster(4, 3);
    raster.fillRect(2, 1, 10, 10, RED);
    expect(raster.pixel(1, 1)).toEqual(WHITE);
    expect(raster.pixel(2, 1)).toEqual([...RED]);
    expect(raster.pixel(3, 2)).toEqual([...RED]);
  });

  it('draws lines through both end points (Bresenham)', () => {
    const raster = new Raster(5, 5);
    raster.line(0, 0, 4, 2, RED);
    // One pixel per column, each within half a pixel of y = x/2 (the ties at x = 1 and 3 round toward the end point).
    const inked = [];
    for (let y = 0; y < 5; y++) for (let x = 0; x < 5; x++) if (raster.pixel(x, y)[1] === 0) inked.push([x, y]);
    expect(inked.sort((a, b) => a[0] - b[0])).toEqual([
      [0, 0],
      [1, 1],
      [2, 1],
      [3, 2],
      [4, 2],
    ]);
    for (const [x, y] of inked) expect(Math.abs(y - x / 2)).toBeLessThanOrEqual(0.5);
  });

  it('writes bitmap text where the glyph has ink, aligned as asked', () => {
    const raster = new Raster(20, 10);
    const width = raster.text(10, 0, '1', RED, { scale: 1, align: 'center' });
    expect(width).toBe(5);
    // '1' row 0 is "..#..": ink at column 2 of the glyph, which starts at x = 10 − 2.5 → 8 (rounded).
    expect(raster.pixel(10, 0)).toEqual([...RED]);
    expect(raster.pixel(9, 0)).toEqual(WHITE);
    expect(textWidth('12', 2)).toBe(22);
    expect(glyph('A')).toEqual(glyph('a'));
    expect(glyph('€')).toEqual(glyph('?'));
  });

  it('encodes to a PNG of its size', () => {
    const png = PNG.sync.read(new Raster(7, 3).toPng());
    expect([png.width, png.height]).toEqual([7, 3]);
  });
});
