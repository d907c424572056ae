import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { digitPng, weightsPng } from './png.js';

const decode = (bytes: Uint8Array) => PNG.sync.read(Buffer.from(bytes));
const pixel = (png: PNG, x: number, y: number) => [...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4)];

describe('png', () => {
  it('draws MNIST digits as dark ink on white, enlarged by whole pixels', () => {
    const pixels = new Uint8Array(4);
    pixels[1] = 255; // the top-right pixel is full ink
    const png = decode(digitPng(pixels, 2, 2, 3));
    expect([png.width, png.height]).toEqual([6, 6]);
    expect(pixel(png, 0, 0)).toEqual([255, 255, 255, 255]);
    expect(pixel(png, 3, 2)).toEqual([0, 0, 0, 255]);
    expect(pixel(png, 5, 0)).toEqual([0, 0, 0, 255]);
    expect(pixel(png, 3, 3)).toEqual([255, 255, 255, 255]);
  });

  it('maps weights onto the diverging map: −max darkest blue, 0 near-white, +max darkest red', () => {
    const png = decode(weightsPng([-2, 0, 2, 1], 4, 1));
    expect(pixel(png, 0, 0)).toEqual([5, 48, 97, 255]);
    expect(pixel(png, 1, 0)).toEqual([247, 247, 247, 255]);
    expect(pixel(png, 2, 0)).toEqual([103, 0, 31, 255]);
    // +half sits at 0.75 on the map, halfway between the stops at 0.7 (244,165,130) and 0.8 (214,96,77).
    expect(pixel(png, 3, 0)).toEqual([229, 131, 104, 255]);
  });
});
