import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { expectFailure, runCli } from './run-cli.js';

const model = inject('smokeModel');
const trainCsv = inject('trainCsv');
let folder: string;

interface SavedModel {
  layers: { config: { kind: string; units?: number }; trainable?: boolean; params: Record<string, { data: string }> }[];
  meta: { settings: Record<string, unknown> };
}

const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as SavedModel;

/** `nnkit train --init-from` the shared smoke model on the CSV fixture; returns the model file's path. */
function fineTune(name: string, extra: string[]): string {
  const out = join(folder, `${name}.json`);
  const run = runCli(['train', '--init-from', model, '--data', `csv:${trainCsv}`, '--epochs', '2', '--quiet', '--out', out, ...extra]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return out;
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'nnkit-fine-tune-'));
});

describe('nnkit train --init-from and --freeze', () => {
  it('frozen layers keep their bytes, the rest train; the file says which layers are frozen', () => {
    const before = read(model);
    const after = read(fineTune('frozen', ['--freeze', '2', '--threads', '1']));
    expect(after.layers.map((layer) => layer.config.kind)).toEqual(['flatten', 'dense', 'relu', 'dense']);
    expect(after.layers[1].params).toEqual(before.layers[1].params); // dense_1, frozen
    expect(after.layers[3].params.weights.data).not.toBe(before.layers[3].params.weights.data);
    expect(after.layers.map((layer) => layer.trainable)).toEqual([false, false, undefined, undefined]);
    expect(after.meta.settings).toMatchObject({ preset: 'smoke', initFrom: model, freeze: 2 });
    // Without --freeze every layer moves from where the saved model left it.
    const free = read(fineTune('free', ['--threads', '1']));
    expect(free.layers[1].params.weights.data).not.toBe(before.layers[1].params.weights.data);
  });

  it('the same seed gives the same model bytes twice, with one thread and with two, frozen layers intact', () => {
    for (const threads of ['1', '2']) {
      const first = readFileSync(fineTune(`seed-a-${threads}`, ['--freeze', 'dense_1', '--threads', threads, '--seed', '4']));
      const second = readFileSync(fineTune(`seed-b-${threads}`, ['--freeze', 'dense_1', '--threads', threads, '--seed', '4']));
      expect(second.equals(first)).toBe(true);
      expect(read(join(folder, `seed-a-${threads}.json`)).layers[1].params).toEqual(read(model).layers[1].params);
    }
  });

  it('data with more classes: the head gets their count and starts from the seed, the body is the saved model’s', () => {
    // The CSV fixture as IDX files, with a few images relabelled 10 and 11: twelve classes.
    const data = join(folder, 'twelve');
    expect(runCli(['convert', `csv:${trainCsv}`, `idx:${data}`]).code).toBe(0);
    const labelsPath = join(data, 'train-labels-idx1-ubyte');
    const labels = readFileSync(labelsPath);
    labels[8] = 10;
    labels[9] = 11;
    writeFileSync(labelsPath, labels);
    const out = join(folder, 'twelve.json');
    const run = runCli(['train', '--init-from', model, '--data', `idx:${data}`, '--freeze', '2', '--epochs', '1', '--threads', '1', '--quiet', '--out', out]);
    expect(run.stderr).toBe('');
    const saved = read(out);
    expect(saved.layers[3].config).toMatchObject({ kind: 'dense', units: 12 });
    expect(saved.layers[1].params).toEqual(read(model).layers[1].params);
  });

  it('a network that differs before the head, or an unknown layer to freeze: one line, exit 2', () => {
    expectFailure(['train', '--init-from', model, '--arch', 'fc16-relu-fc10', '--data', `csv:${trainCsv}`, '--epochs', '1'], 2, /--init-from .*smoke\.json: layer 1 \(dense_1\) is .* but the source has .* there; only the head \(the last dense layer on\) may differ/);
    expectFailure(['train', '--init-from', model, '--freeze', 'conv2d_1', '--data', `csv:${trainCsv}`, '--epochs', '1'], 2, /--freeze: no layer "conv2d_1"; the layers are 0 flatten_1, 1 dense_1, 2 relu_1, 3 dense_2/);
    expectFailure(['train', '--init-from', join(folder, 'missing.json'), '--epochs', '1'], 2, /missing\.json/);
  });
});
