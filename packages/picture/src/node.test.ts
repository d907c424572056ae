import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodePng, encodePng, pngDataUri } from './node.js';
import { Raster } from './raster.js';

describe('PNG', () => {
  it('encodes RGBA bytes that pngjs decodes back unchanged', () => {
    const data = new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 128]);
    const png = PNG.sync.read(Buffer.from(encodePng({ width: 2, height: 1, data })));
    expect([png.width, png.height]).toEqual([2, 1]);
    expect([...png.data]).toEqual([...data]);
    expect(() => encodePng({ width: 2, height: 2, data })).toThrow('encodePng: 8 bytes for a 2×2 RGBA image; expected 16');
  });

  it('decodes what it encodes, and names the file it cannot read', () => {
    const raster = new Raster(3, 2, [10, 20, 30]);
    raster.fillRect(1, 1, 1, 1, [200, 100, 0]);
    const back = decodePng(encodePng(raster), 'r.png');
    expect([back.width, back.height]).toEqual([3, 2]);
    expect([...back.data]).toEqual([...raster.data]);
    expect(() => decodePng(new Uint8Array([1, 2, 3]), 'x.png')).toThrow(/^x\.png: found an unreadable image .*; expected a PNG image$/);
  });

  it('wraps PNG bytes in a data URI', () => {
    expect(pngDataUri(encodePng(new Raster(1, 1))).startsWith('data:image/png;base64,iVBORw0KGgo')).toBe(true);
  });
});
