import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ArchitectureError, formatArchitecture, formatLayer, parseArchitecture, parseLayer, parseLayers, splitArchitecture } from './architecture.js';
import { layerSchemas, type LayerSpec } from './registry.js';
import type { FieldSchema, LayerSchema } from './schema.js';

/** Any valid value of a field, from its declaration. */
function valueOf(field: FieldSchema): fc.Arbitrary<unknown> {
  switch (field.type) {
    case 'integer':
      return fc.integer({ min: field.min, max: field.max });
    case 'size': {
      const side = fc.integer({ min: field.min, max: field.max });
      return fc.oneof(side, fc.tuple(side, side));
    }
    case 'number':
      return fc
        .double({
          min: field.min,
          max: Math.min(field.max, 1e6),
          minExcluded: field.minExclusive === true,
          maxExcluded: field.maxExclusive === true,
          noNaN: true,
        })
        .map((value) => (Object.is(value, -0) ? 0 : value));
    case 'enum': {
      const word = fc.constantFrom(...field.values);
      const tuple = field.tuple;
      if (tuple === undefined) return word;
      return fc.oneof(word, fc.array(fc.integer({ min: tuple.min, max: 9 }), { minLength: tuple.length, maxLength: tuple.length }));
    }
  }
}

/** Any valid config of any registered layer: required fields always, the others sometimes. */
const anyLayer: fc.Arbitrary<LayerSpec> = fc.oneof(
  ...(layerSchemas as readonly LayerSchema[]).map((schema) => {
    const fields = Object.fromEntries(Object.entries(schema.fields).map(([name, field]) => [name, valueOf(field)]));
    const requiredKeys = Object.entries(schema.fields)
      .filter(([, field]) => field.default === undefined && !field.optional)
      .map(([name]) => name);
    return fc.record(fields, { requiredKeys }).map((values) => ({ kind: schema.kind, ...values }) as unknown as LayerSpec);
  }),
);

describe('architecture grammar', () => {
  it('parse(format(definition)) equals the definition, for any layers', () => {
    fc.assert(
      fc.property(fc.array(anyLayer, { minLength: 1, maxLength: 6 }), fc.constantFrom(' ', '-', ' - '), (layers, separator) => {
        const definition = { inputShape: [28, 28, 1], layers, loss: { kind: 'softmaxCrossEntropy' as const } };
        expect(parseArchitecture(formatArchitecture(definition, separator), { inputShape: [28, 28, 1] })).toEqual(definition);
      }),
      { numRuns: 300 },
    );
  });

  it('writes numbers in field order, enum words bare and fields after a gap by name', () => {
    expect(formatLayer({ kind: 'conv2d', filters: 20, kernelSize: 5, padding: 'same', init: 'he' })).toBe('conv2d(20,5,same,he)');
    expect(formatLayer({ kind: 'conv2d', filters: 8, kernelSize: [3, 5], stride: 2, padding: [0, 1, 0, 1] })).toBe('conv2d(8,[3,5],2,padding=[0,1,0,1])');
    expect(formatLayer({ kind: 'batchNorm', epsilon: 0.01 })).toBe('batchNorm(epsilon=0.01)');
    expect(formatLayer({ kind: 'maxPool2d', size: 2 })).toBe('maxPool2d(2)');
    expect(formatLayer({ kind: 'relu' })).toBe('relu');
  });

  it('reads positional, named and bare enum arguments, ignoring case', () => {
    expect(parseLayer('conv2d(20,5,same,he)')).toEqual({ kind: 'conv2d', filters: 20, kernelSize: 5, padding: 'same', init: 'he' });
    expect(parseLayer('Conv2D(he, filters = 20, kernelSize=[3, 5])')).toEqual({ kind: 'conv2d', filters: 20, kernelSize: [3, 5], init: 'he' });
    expect(parseLayer('dense(units=100, init=scaledNormal)')).toEqual({ kind: 'dense', units: 100, init: 'scaledNormal' });
    expect(parseLayer('MAXPOOL2D(2,1)')).toEqual({ kind: 'maxPool2d', size: 2, stride: 1 });
    expect(parseLayer('batchNorm(0.9, 1e-5)')).toEqual({ kind: 'batchNorm', momentum: 0.9, epsilon: 1e-5 });
    expect(parseLayers('flatten  dense(30)-sigmoid - dense(10)').map((layer) => layer.kind)).toEqual(['flatten', 'dense', 'sigmoid', 'dense']);
  });

  it('splits at spaces and dashes outside brackets, with positions', () => {
    expect(splitArchitecture(' conv2d(8, 3)-relu dense(epsilon=1e-3)')).toEqual([
      { text: 'conv2d(8, 3)', part: 1, column: 2 },
      { text: 'relu', part: 2, column: 15 },
      { text: 'dense(epsilon=1e-3)', part: 3, column: 20 },
    ]);
  });

  it.each([
    ['flatten dense(0) dense(10)', "'dense(0)' (part 2, column 9): dense: units: expected a positive integer, got 0"],
    ['flatten densee(10)', "'densee(10)' (part 2, column 9): unknown layer kind 'densee', expected one of dense, conv2d"],
    ['dense(10,20)', "'dense(10,20)' (part 1, column 1): dense: too many values (dense takes units, init)"],
    ['dense(10,units=20)', "dense: units: given twice"],
    ['dense(10,unit=20)', "dense: unit: unknown option (dense takes units, init)"],
    ['dense(10,same)', "no option of dense takes 'same'"],
    ['dropout(0.5,0.2)', 'dropout: too many values'],
    ['relu(1)', 'relu: too many values (relu takes no arguments)'],
    ['dense(10', 'an unclosed bracket'],
    ['flatten--dense(10)', 'an empty layer at column 9'],
    ['flatten-', "a trailing '-' at column 8"],
    ['dense(10/2)', "cannot read '10/2'"],
    ['  ', 'empty architecture'],
  ])('rejects %j naming the layer and its position', (text, message) => {
    expect(() => parseLayers(text)).toThrow(ArchitectureError);
    expect(() => parseLayers(text)).toThrow(message);
  });
});
