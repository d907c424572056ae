import { describe, expect, it } from 'vitest';
import { GLYPH_DESCENT, GLYPH_HEIGHT, GLYPH_WIDTH, glyph, hasGlyph, textWidth } from './font.js';
import { Raster } from './raster.js';

const RED = [255, 0, 0] as const;
const WHITE = [255, 255, 255];

describe('Raster', () => {
  it('starts opaque in its background colour and rejects an empty size', () => {
    const raster = new Raster(2, 1, [1, 2, 3]);
    expect([...raster.data]).toEqual([1, 2, 3, 255, 1, 2, 3, 255]);
    expect(() => new Raster(0, 3)).toThrow('Raster: size 0×3 must be positive integers');
  });

  it('fills rectangles clipped to the canvas', () => {
    const raster = new Raster(4, 3);
    raster.fillRect(2, 1, 10, 10, RED);
    expect(raster.pixel(1, 1)).toEqual(WHITE);
    expect(raster.pixel(2, 1)).toEqual([...RED]);
    expect(raster.pixel(3, 2)).toEqual([...RED]);
  });

  it('outlines rectangles inside their bounds', () => {
    const raster = new Raster(5, 5);
    raster.strokeRect(0, 0, 5, 5, RED);
    expect(raster.pixel(0, 2)).toEqual([...RED]);
    expect(raster.pixel(4, 4)).toEqual([...RED]);
    expect(raster.pixel(2, 2)).toEqual(WHITE);
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
  });

  it('writes bitmap text where the glyph has ink, aligned as asked', () => {
    const raster = new Raster(20, 12);
    const width = raster.text(10, 0, '1', RED, { scale: 1, align: 'center' });
    expect(width).toBe(5);
    // '1' row 0 is "..#..": ink at column 2 of the glyph, which starts at x = 10 − 2.5 → 8 (rounded).
    expect(raster.pixel(10, 0)).toEqual([...RED]);
    expect(raster.pixel(9, 0)).toEqual(WHITE);
    // 'g' hangs below the baseline: its last row is ".###." at y = 8.
    const descender = new Raster(6, 10);
    descender.text(0, 0, 'g', RED, { scale: 1 });
    expect(descender.pixel(2, GLYPH_HEIGHT + GLYPH_DESCENT - 1)).toEqual([...RED]);
  });

  it('draws only the characters that fit in maxWidth', () => {
    const raster = new Raster(40, 10);
    expect(raster.text(0, 0, '8888', RED, { scale: 1, maxWidth: 11 })).toBe(11);
    let ink = 0;
    for (let x = 0; x < 40; x++) for (let y = 0; y < 10; y++) if (raster.pixel(x, y)[1] === 0) ink += 1;
    expect(ink).toBe(2 * glyph('8').reduce((sum, bit) => sum + bit, 0));
  });

  it('draws gray images as ink on paper or as they are, enlarged', () => {
    const raster = new Raster(4, 4, [255, 0, 0]);
    raster.drawGray(0, 0, [255, 0], 2, 1);
    raster.drawGray(2, 0, [255, 0], 1, 2, { scale: 2, paper: false });
    expect([raster.pixel(0, 0), raster.pixel(1, 0), raster.pixel(0, 1)]).toEqual([[0, 0, 0], WHITE, [...RED]]);
    expect([raster.pixel(3, 1), raster.pixel(2, 2), raster.pixel(3, 3)]).toEqual([WHITE, [0, 0, 0], [0, 0, 0]]);
    expect(() => raster.drawGray(0, 0, [1, 2, 3], 2, 2)).toThrow('drawGray: 3 pixels for a 2×2 image');
  });
});

describe('font', () => {
  it('has both cases, digits and caption symbols; anything else draws as ?', () => {
    expect(['0', '9', 'a', 'Z', '→', '(', ')', '.', '%', '✓', '×'].every(hasGlyph)).toBe(true);
    expect(glyph('A')).not.toEqual(glyph('a'));
    expect(hasGlyph('€')).toBe(false);
    expect(glyph('€')).toEqual(glyph('?'));
    expect(glyph('1').length).toBe(GLYPH_WIDTH * (GLYPH_HEIGHT + GLYPH_DESCENT));
    expect(glyph('1').reduce((a, b) => a + b, 0)).toBe(10); // rows ..#.. .##.. ..#..×4 .###.
    expect(textWidth('12', 2)).toBe(22);
    expect(textWidth('')).toBe(0);
  });
});
