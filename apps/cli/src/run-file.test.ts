import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeRunFile, encodeRunFile, RUN_FILE_VERSION } from './run-file.js';
import { modelFileSettings } from './saved-settings.js';
import type { TrainSettings } from './settings.js';

/** A run file written by `nnkit train --checkpoint` before the codec existed (version 1, the flags' names). */
const versionOneText = readFileSync(new URL('../test/fixtures/run-checkpoint-v1.json', import.meta.url), 'utf8');
const versionOne = JSON.parse(versionOneText) as { settings: Record<string, unknown>; checkpoint: unknown };

describe('run files', () => {
  it('reads a version 1 file, its settings under the library names', () => {
    const run = decodeRunFile(versionOneText, 'v1.json');
    expect(run.settings).toMatchObject({ validationSplit: 0.25, earlyStopping: 5, clipGradientNorm: 5, arch: '784-6-10', threads: 1 });
    expect(run.settings).not.toHaveProperty('valSplit');
    expect(run.out).toBe('model.json');
    expect(run.checkpoint.position).toEqual({ epoch: 1, batch: 5 });
    // The model file still records the old names, in the old order, with the same optimizer object.
    expect(JSON.stringify(modelFileSettings(run.settings))).toBe(JSON.stringify(versionOne.settings));
  });

  it('writes the current version and reads back what it wrote, whatever the strings hold', () => {
    const run = decodeRunFile(versionOneText, 'v1.json');
    const settings: TrainSettings = { ...run.settings, data: 'csv:we "quote", back\\slash, {braces}.csv', schedule: 'step:10,0.5' };
    const text = encodeRunFile(settings, 'out "1".json', run.checkpoint);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['format', 'version', 'settings', 'out', 'checkpoint']);
    expect(parsed.version).toBe(RUN_FILE_VERSION);
    expect(parsed.settings).toMatchObject({ validationSplit: 0.25, earlyStopping: 5, clipGradientNorm: 5 });
    const back = decodeRunFile(text, 'v2.json');
    expect(back.settings).toEqual(settings);
    expect(back.out).toBe('out "1".json');
    // Written with the checksum of its stored numbers, which reading verified.
    expect(back.checkpoint).toEqual({ ...run.checkpoint, checksum: expect.stringMatching(/^crc32:[0-9a-f]{8}$/) });
  });

  const withSettings = (change: Record<string, unknown>, drop: string[] = []) => {
    const settings: Record<string, unknown> = { ...versionOne.settings, ...change };
    for (const key of drop) delete settings[key];
    return JSON.stringify({ ...versionOne, settings });
  };

  it.each([
    ['an epoch count of 0', withSettings({ epochs: 0 }), /^bad\.json: settings\.epochs: expected an integer >= 1, got 0$/],
    ['a missing seed', withSettings({}, ['seed']), /^bad\.json: settings\.seed: expected an integer >= 0, got nothing$/],
    ['an unknown preset', withSettings({ preset: 'huge' }), /^bad\.json: settings\.preset: expected one of .*got "huge"$/],
    ['a bad data spec', withSettings({ data: 'mnsit' }), /^bad\.json: settings\.data: expected mnist, idx:DIR, csv:FILE or folder:DIR, got "mnsit"$/],
    ['a split of 1', withSettings({ valSplit: 1 }), /^bad\.json: settings\.validationSplit: expected a fraction between 0 and 1, got 1$/],
    ['both names of one setting', withSettings({ validationSplit: 0.1 }), /^bad\.json: settings\.validationSplit: expected one of validationSplit and valSplit/],
    ['an unknown optimizer', withSettings({ optimizer: { kind: 'lbfgs', learningRate: 1 } }), /^bad\.json: settings\.optimizer\.kind: expected one of sgd/],
    ['a text learning rate', withSettings({ optimizer: { kind: 'sgd', learningRate: '0.1' } }), /^bad\.json: settings\.optimizer\.learningRate: expected a number >= 0, got "0\.1"$/],
    ['a bad schedule', withSettings({ schedule: 'zigzag' }), /^bad\.json: settings\.schedule: expected a valid schedule/],
    ['a bad network', withSettings({ arch: '784-x-10' }), /^bad\.json: settings\.arch: --arch 784-x-10: /],
    ['no settings', JSON.stringify({ ...versionOne, settings: null }), /^bad\.json: settings: expected an object, got null$/],
    ['a newer version', JSON.stringify({ ...versionOne, version: 9 }), /^bad\.json: format: expected an nnkit-train-run version 1 or 2 checkpoint/],
    ['a damaged checkpoint', JSON.stringify({ ...versionOne, checkpoint: { ...(versionOne.checkpoint as object), batchSize: -1 } }), /^bad\.json: checkpoint: batchSize: expected an integer >= 1, got -1$/],
    ['cut short', versionOneText.slice(0, 500), /^bad\.json: not a checkpoint \(invalid JSON; was the file cut short\?\)$/],
  ])('rejects %s with one line naming the field', (_name, text, message) => {
    expect(() => decodeRunFile(text, 'bad.json')).toThrow(message);
  });
});
