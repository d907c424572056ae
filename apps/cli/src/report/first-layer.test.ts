import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { firstLayerImages } from './first-layer.js';

describe('firstLayerImages', () => {
  it('reads the same filters from hwio and ohwi layouts', () => {
    // Two 2×1 filters: filter 0 = [1, -1], filter 1 = [0, 2].
    const hwio = firstLayerImages({ kind: 'conv2d', weights: [1, 0, -1, 2], shape: [2, 1, 1, 2] })!;
    const ohwi = firstLayerImages({ kind: 'conv2d', weights: [1, -1, 0, 2], shape: [2, 2, 1, 1], layout: 'ohwi' })!;
    expect(hwio.images.map((image) => image.limit)).toEqual([1, 2]);
    expect([hwio.width, hwio.height, hwio.total]).toEqual([1, 2, 2]);
    expect(hwio.images.map((image) => [...image.png])).toEqual(ohwi.images.map((image) => [...image.png]));
    const top = PNG.sync.read(Buffer.from(hwio.images[0].png)).data;
    expect([...top.subarray(0, 3)]).toEqual([103, 0, 31]); // +1 of max 1: darkest red
  });

  it('reshapes each dense unit to the input image and honours the limit', () => {
    const weights = new Float32Array(784 * 30).map((_, i) => Math.sin(i));
    const pictures = firstLayerImages({ kind: 'dense', weights, shape: [784, 30] }, 8)!;
    expect([pictures.width, pictures.height, pictures.total, pictures.images.length]).toEqual([28, 28, 30, 8]);
    expect(firstLayerImages({ kind: 'dense', weights: new Float32Array(10 * 3), shape: [10, 3] })).toBeNull();
    expect(firstLayerImages({ kind: 'batchNorm', weights: [1], shape: [1] })).toBeNull();
  });

  it('rejects a shape that does not match the weights', () => {
    expect(() => firstLayerImages({ kind: 'conv2d', weights: [1, 2, 3], shape: [2, 2, 1, 1] })).toThrow(
      'firstLayer: shape [2, 2, 1, 1] holds 4 weights but 3 were given',
    );
  });
});
