import { Sequential, layerRegistry, layerSchemas, readConfig, type LayerSchema } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { describe, expect, it } from 'vitest';
import { defaultLayer, editField, editorKinds, fieldControls } from './architecture-editor.js';
import { decodeConfig, defaultConfig, encodeConfig } from './config.js';

describe('architecture editor', () => {
  it('offers every layer of @nnkit/layers, in registry order', () => {
    expect(editorKinds).toEqual(layerSchemas.map((schema) => schema.kind));
  });

  describe.each((layerSchemas as readonly LayerSchema[]).map((schema) => [schema.kind, schema] as const))('%s', (kind, schema) => {
    it('has one control per schema field, with its range or its values', () => {
      const controls = fieldControls(kind);
      expect(controls.map((control) => control.name)).toEqual(Object.keys(schema.fields));
      for (const control of controls) {
        const field = schema.fields[control.name];
        if (field.type === 'enum') expect(control).toMatchObject({ control: 'choice', values: field.values });
        else expect(control).toMatchObject({ control: 'number', min: field.min, max: field.max });
      }
    });

    it('starts a new layer with a config its schema accepts, every required field set', () => {
      const layer = defaultLayer(kind);
      expect(layer.kind).toBe(kind);
      const resolved = readConfig(schema, layer);
      for (const [name, field] of Object.entries(schema.fields)) if (!field.optional) expect(resolved).toHaveProperty(name);
    });

    it('keeps a new layer through the link of a setup', () => {
      const layers = [{ kind: 'flatten' as const }, defaultLayer(kind), { kind: 'dense' as const, units: 10 }];
      expect(decodeConfig(encodeConfig({ ...defaultConfig, layers })).layers).toEqual(layers);
    });
  });

  it('shows an empty number box as the default it stands for', () => {
    const placeholder = (kind: string, name: string) => {
      const control = fieldControls(kind).find((each) => each.name === name);
      return control?.control === 'number' ? control.placeholder : null;
    };
    expect(placeholder('conv2d', 'stride')).toBe(String(layerRegistry.conv2d.fields.stride.default));
    expect(placeholder('maxPool2d', 'stride')).toBe('auto');
  });

  it('clamps numbers into the field range and clears a field left empty', () => {
    const units = fieldControls('dense').find((control) => control.name === 'units')!;
    expect(editField({ kind: 'dense', units: 30 }, units, '0')).toEqual({ kind: 'dense', units: layerRegistry.dense.fields.units.min });
    expect(editField({ kind: 'dense', units: 30 }, units, '1e9')).toEqual({ kind: 'dense', units: layerRegistry.dense.fields.units.max });
    expect(editField({ kind: 'dense', units: 30 }, units, '')).toEqual({ kind: 'dense' });
    const init = fieldControls('dense').find((control) => control.name === 'init')!;
    expect(editField({ kind: 'dense', units: 30 }, init, 'he')).toEqual({ kind: 'dense', units: 30, init: 'he' });
  });

  it('reads the links shared before the grammar moved to @nnkit/layers', () => {
    const config = decodeConfig('layers=conv2d(8,5,same,he) relu maxPool2d(2) flatten dense(10)');
    expect(config.layers).toEqual([
      { kind: 'conv2d', filters: 8, kernelSize: 5, padding: 'same', init: 'he' },
      { kind: 'relu' },
      { kind: 'maxPool2d', size: 2 },
      { kind: 'flatten' },
      { kind: 'dense', units: 10 },
    ]);
    expect(new Sequential({ inputShape: [28, 28, 1], layers: config.layers, loss: config.loss }, createRng(1)).outputShape).toEqual([10]);
    // A damaged list keeps the base architecture.
    expect(decodeConfig('layers=dense(0) dense(10)').layers).toEqual(defaultConfig.layers);
  });
});
