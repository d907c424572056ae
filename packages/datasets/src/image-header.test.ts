import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { pngHeaderOnly } from '../test/photo.js';
import { readImageHeader } from './image-header.js';

describe('readImageHeader', () => {
  it('reads the size of a PNG and of a JPEG without decoding them', () => {
    const png = PNG.sync.write(Object.assign(new PNG({ width: 37, height: 5 }), { data: Buffer.alloc(37 * 5 * 4, 200) }));
    expect(readImageHeader(png, 'a.png')).toEqual({ format: 'png', width: 37, height: 5 });
    const jpg = jpeg.encode({ width: 19, height: 41, data: Buffer.alloc(19 * 41 * 4, 128) }, 80).data;
    expect(readImageHeader(jpg, 'a.jpg')).toEqual({ format: 'jpeg', width: 19, height: 41 });
  });

  it('refuses an image past the pixel cap from its header alone', () => {
    expect(() => readImageHeader(pngHeaderOnly(20000, 20000), 'huge.png')).toThrow(
      'huge.png: found a 20000×20000 image (400,000,000 pixels); expected at most 25,000,000 pixels',
    );
    expect(() => readImageHeader(pngHeaderOnly(100, 100), 'small.png', { maxPixels: 9999 })).toThrow('expected at most 9,999 pixels');
    expect(readImageHeader(pngHeaderOnly(100, 100), 'small.png', { maxPixels: 10000 }).width).toBe(100);
  });

  it('names the file and what is wrong with bytes that are not an image', () => {
    expect(() => readImageHeader(new TextEncoder().encode('hello, world, not an image'), 'notes.png')).toThrow(
      'notes.png: byte 0: found neither a PNG nor a JPEG signature; expected a PNG or JPEG image',
    );
    expect(() => readImageHeader(new Uint8Array(0), 'empty.jpg')).toThrow('empty.jpg: byte 0: found an empty file');
    expect(() => readImageHeader(pngHeaderOnly(0, 7), 'zero.png')).toThrow('zero.png: found a 0×7 PNG image; expected an image of at least 1×1 pixels');
    const jpg = jpeg.encode({ width: 8, height: 8, data: Buffer.alloc(256, 0) }, 80).data;
    expect(() => readImageHeader(jpg.subarray(0, 30), 'cut.jpg')).toThrow(/^cut\.jpg: byte \d+: found the end of the file; expected a JPEG frame header/);
  });
});
