import { describe, expect, it } from 'vitest';
import { digitArt } from './digit-art.js';

describe('digitArt', () => {
  it('draws each pixel as two characters of its shade, inside a frame', () => {
    const image = new Uint8Array([0, 255, 64, 128]);
    expect(digitArt(image, 2)).toEqual(['┌────┐', '│  ██│', '│░░▒▒│', '└────┘']);
  });
});
