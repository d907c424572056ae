import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { saveModel, Sequential } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { expectFailure, runCli } from './run-cli.js';

const model = inject('smokeModel');
let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'nnkit-inspect-'));
});

describe('nnkit inspect', () => {
  it('shows the layers as a Keras-like table with totals, the metadata and the history', () => {
    const run = runCli(['inspect', model]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const text = run.stdout;
    expect(text).toMatch(/· nnkit-model v1 · \d+\.\d KB\n/);
    expect(text).toContain('input [28, 28, 1] → output [10] · loss softmaxCrossEntropy');
    // smoke preset: 784·32 + 32 = 25 120 and 32·10 + 10 = 330 parameters.
    expect(text).toMatch(/Layer +Output shape +Params +Settings\n─+\n/);
    expect(text).toMatch(/flatten_1 +\[784\] +0\n/);
    expect(text).toMatch(/dense_1 +\[32\] +25,120 +units 32, init he\n/);
    expect(text).toMatch(/relu_1 +\[32\] +0\n/);
    expect(text).toMatch(/dense_2 +\[10\] +330 +units 10, init glorot\n/);
    expect(text).toContain('Total params: 25,450\nTrainable params: 25,450\nNon-trainable params: 0\n');
    expect(text).toMatch(/Training history \(1 epoch\)\nepoch +train loss +train accuracy/);
    expect(text).toMatch(/\n +1 +\d\.\d{4} +\d+\.\d\d% /);
  });

  it('--json carries the layers, parameter counts, meta and history', () => {
    const result = runCli(['inspect', model, '--json']).json<{
      inputShape: number[];
      outputShape: number[];
      layers: { name: string; kind: string; params: number; config: { kind: string } }[];
      totalParams: number;
      trainableParams: number;
      history: { epoch: number; trainLoss: number }[];
      meta: Record<string, unknown>;
    }>();
    expect(result.inputShape).toEqual([28, 28, 1]);
    expect(result.outputShape).toEqual([10]);
    expect(result.layers.map((layer) => layer.name)).toEqual(['flatten_1', 'dense_1', 'relu_1', 'dense_2']);
    expect(result.layers[1]).toMatchObject({ kind: 'dense', params: 25_120, config: { kind: 'dense', units: 32 } });
    expect(result.totalParams).toBe(25_450);
    expect(result.trainableParams).toBe(25_450);
    expect(result.history).toHaveLength(1);
    expect(result.history[0].epoch).toBe(1);
    expect(result.meta).not.toBeNull();
  });

  it('a conv model without history: non-trainable batch-norm state, and says there is no history', () => {
    const conv = new Sequential(
      {
        inputShape: [28, 28, 1],
        layers: [
          { kind: 'conv2d', filters: 4, kernelSize: 3 },
          { kind: 'batchNorm' },
          { kind: 'relu' },
          { kind: 'maxPool2d', size: 2 },
          { kind: 'flatten' },
          { kind: 'dense', units: 10 },
        ],
        loss: { kind: 'softmaxCrossEntropy' },
      },
      createRng(3),
    );
    const path = join(folder, 'conv.json');
    writeFileSync(path, saveModel(conv));
    const run = runCli(['inspect', path]);
    expect(run.code).toBe(0);
    // conv 3·3·1·4 + 4 = 40; batch norm 4 + 4 trainable, 4 + 4 running statistics; dense 13·13·4·10 + 10 = 6 770.
    expect(run.stdout).toMatch(/conv2d_1 +\[26, 26, 4\] +40 +filters 4, kernelSize 3/);
    expect(run.stdout).toMatch(/batchNorm_1 +\[26, 26, 4\] +16 /);
    expect(run.stdout).toContain('Total params: 6,826\nTrainable params: 6,818\nNon-trainable params: 8\n');
    expect(run.stdout).toContain('no training history in this file');
    expect(run.stdout).not.toContain('Metadata');
  });

  it('a checkpoint of a training run: its settings, how far it got, the network and the history so far', () => {
    const run = runCli(['train', '--preset', 'smoke', '--limit', '600', '--epochs', '2', '--checkpoint', 'run.ckpt', '--quiet'], { cwd: folder });
    expect(run.code).toBe(0);
    const text = runCli(['inspect', 'run.ckpt'], { cwd: folder });
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^run\.ckpt · nnkit train checkpoint · \d+\.\d MB\n/);
    expect(text.stdout).toContain('preset smoke · 2 epochs · batch 32 · adam η=0.005 · seed 1');
    expect(text.stdout).toContain('2 of 2 epochs done · continue with: nnkit train --resume run.ckpt');
    expect(text.stdout).toContain('Total params: 25,450\n');
    expect(text.stdout).toMatch(/Training history \(2 epochs\)\n/);
    const result = runCli(['inspect', 'run.ckpt', '--json'], { cwd: folder }).json<{
      format: string;
      settings: { preset: string };
      position: { epoch: number; batch: number; batchesPerEpoch: number };
      totalParams: number;
      history: unknown[];
    }>();
    expect(result).toMatchObject({ format: 'nnkit-train-run', settings: { preset: 'smoke' }, position: { epoch: 2, batch: 0, batchesPerEpoch: 19 }, totalParams: 25_450 });
    expect(result.history).toHaveLength(2);
    // A checkpoint cut short is one line naming it.
    writeFileSync(join(folder, 'cut.ckpt'), readFileSync(join(folder, 'run.ckpt'), 'utf8').slice(0, 5000));
    expectFailure(['inspect', join(folder, 'cut.ckpt')], 1, /cut\.ckpt: not a checkpoint \(invalid JSON; was the file cut short\?\)/);
  });

  it('a run file of version 1 (written before the settings took the library names) reads the same', () => {
    const path = fileURLToPath(new URL('fixtures/run-checkpoint-v1.json', import.meta.url));
    const text = runCli(['inspect', path]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('--arch 784-6-10 · 3 epochs · batch 20 · momentum η=0.05 · seed 3 · 1 thread(s) · data mnist (first 400)');
    expect(text.stdout).toContain('1 of 3 epochs done, 5 of 15 batches into epoch 2');
    const result = runCli(['inspect', path, '--json']).json<{ settings: Record<string, unknown> }>();
    expect(result.settings).toMatchObject({ validationSplit: 0.25, earlyStopping: 5, clipGradientNorm: 5 });
  });

  it.each([
    [['inspect'], /missing required argument 'model'/],
    [['inspect', 'nope.json'], /model nope\.json: no such file/],
    [['inspect', 'a.json', 'b.json'], /too many arguments/],
  ])('usage error %j exits 2 with one line', (args, message) => {
    expectFailure(args, 2, message);
  });

  it.each([
    ['an empty file', () => '', /empty\.json: not valid JSON/],
    ['another format', () => JSON.stringify({ format: 'keras', version: 1 }), /other\.json: format: expected "nnkit-model", got "keras"/],
    ['a newer version', (text: string) => text.replace('"version": 1', '"version": 7'), /newer\.json: version: expected 1, got 7 \(written by a newer nnkit\)/],
    ['a broken base64 payload', (text: string) => text.replace(/"data": "[A-Za-z0-9+/]{8}/, '"data": "!!!!!!!!'), /payload\.json: layers\[1\]\.params\.weights\.data: not valid base64/],
  ] as const)('%s: one line naming the file and the field, exit 1', (_name, edit, message) => {
    const fileName = String(message.source.match(/^(\w+)\\\.json/)?.[1]) + '.json';
    const path = join(folder, fileName);
    writeFileSync(path, edit(readFileSync(model, 'utf8')));
    expectFailure(['inspect', path], 1, message);
  });
});
