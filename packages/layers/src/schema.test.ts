import { describe, expect, it } from 'vitest';
import { layerRegistry } from './registry.js';
import { readConfig, type LayerSchema } from './schema.js';

const { dense, conv2d, dropout, batchNorm, maxPool2d, elu } = layerRegistry;

describe('readConfig', () => {
  it('fills defaults and keeps what is given', () => {
    expect(readConfig(dense, { kind: 'dense', units: 30 })).toEqual({ units: 30, init: 'glorot' });
    expect(readConfig(conv2d, { kind: 'conv2d', filters: 8, kernelSize: [3, 5], padding: [1, 1, 2, 2] })).toEqual({
      filters: 8,
      kernelSize: [3, 5],
      stride: 1,
      padding: [1, 1, 2, 2],
      init: 'glorot',
    });
    // An optional field without a fixed default stays absent (pooling strides default to the size).
    expect(readConfig(maxPool2d, { kind: 'maxPool2d', size: 2 })).toEqual({ size: 2 });
  });

  it.each([
    [dense, { units: 0 }, 'dense: units: expected a positive integer, got 0'],
    [dense, { units: 2.5 }, 'dense: units: expected a positive integer, got 2.5'],
    [dense, { units: 65537 }, 'dense: units: expected at most 65536, got 65537'],
    [dense, {}, 'dense: units: expected a positive integer, got nothing'],
    [conv2d, { filters: 2, kernelSize: [3, 0] }, 'conv2d: kernelSize: expected [height, width], each a positive integer, got [3,0]'],
    [conv2d, { filters: 2, kernelSize: [3, 2000] }, 'conv2d: kernelSize: expected [height, width], each at most 1024, got [3,2000]'],
    [conv2d, { filters: 2, kernelSize: '3' }, 'conv2d: kernelSize: expected a positive integer or [height, width], got "3"'],
    [dropout, { rate: 1 }, 'dropout: rate: expected a number in [0, 1), got 1'],
    [dropout, { rate: -0.1 }, 'dropout: rate: expected a number in [0, 1), got -0.1'],
    [batchNorm, { momentum: 1.5 }, 'batchNorm: momentum: expected a number in [0, 1], got 1.5'],
    [batchNorm, { epsilon: 0 }, 'batchNorm: epsilon: expected a number in (0, Infinity), got 0'],
    [elu, { alpha: Number.NaN }, 'elu: alpha: expected a number in (0, Infinity), got null'],
  ] as [LayerSchema, object, string][])('rejects out-of-range values: %#', (schema, fields, message) => {
    expect(() => readConfig(schema, { kind: schema.kind, ...fields })).toThrow(message);
  });

  it('rejects values outside an enum, and lists that do not fit its tuple', () => {
    expect(() => readConfig(dense, { kind: 'dense', units: 3, init: 'zeros' })).toThrow(
      'dense: init: expected one of normal, scaledNormal, glorot, he, got "zeros"',
    );
    expect(() => readConfig(conv2d, { kind: 'conv2d', filters: 2, kernelSize: 3, padding: [1, 1, 1] })).toThrow(
      'conv2d: padding: expected one of valid, same or [top, bottom, left, right] (integers ≥ 0), got [1,1,1]',
    );
    expect(() => readConfig(conv2d, { kind: 'conv2d', filters: 2, kernelSize: 3, padding: [1, 1, 1, -1] })).toThrow('conv2d: padding:');
  });

  it('rejects unknown fields and configs that are not objects', () => {
    expect(() => readConfig(dense, { kind: 'dense', units: 3, unit: 3 })).toThrow('dense: unit: unknown option (dense takes options units, init)');
    expect(() => readConfig(layerRegistry.relu, { kind: 'relu', alpha: 1 })).toThrow('relu: alpha: unknown option (relu takes no options)');
    expect(() => readConfig(dense, [3])).toThrow('dense: config must be an object, got [3]');
    expect(() => readConfig(dense, null)).toThrow('dense: config must be an object, got null');
  });
});
