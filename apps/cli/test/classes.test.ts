import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataset, encodeIdxImages, encodeIdxLabels } from '@nnkit/datasets';
import { glyph } from '@nnkit/picture';
import { createRng } from '@nnkit/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectFailure, runCli } from './run-cli.js';

const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
let folder: string;

/** Synthetic EMNIST-letters-like IDX files: each letter's 5×7 glyph, 3× larger, shifted and noisy. */
function writeLetters(directory: string, perClass: { train: number; test: number }, names?: readonly string[]): void {
  mkdirSync(directory, { recursive: true });
  const rng = createRng(`letters:${directory}`);
  for (const [prefix, count] of [['train', perClass.train], ['t10k', perClass.test]] as const) {
    const images = new Uint8Array(letters.length * count * 784);
    const labels = new Uint8Array(letters.length * count);
    for (let k = 0; k < labels.length; k++) {
      const label = k % letters.length;
      labels[k] = label;
      const bits = glyph(letters[label]);
      const left = 4 + rng.int(6);
      const top = 2 + rng.int(4);
      for (let y = 0; y < 21; y++) {
        for (let x = 0; x < 15; x++) {
          if (bits[Math.floor(y / 3) * 5 + Math.floor(x / 3)]) images[k * 784 + (top + y) * 28 + left + x] = 200 + rng.int(56);
        }
      }
    }
    const dataset = createDataset({ images, labels, name: prefix });
    writeFileSync(join(directory, `${prefix}-images-idx3-ubyte`), encodeIdxImages(dataset));
    writeFileSync(join(directory, `${prefix}-labels-idx1-ubyte`), encodeIdxLabels(dataset));
  }
  if (names) writeFileSync(join(directory, 'classes.txt'), `${names.join('\n')}\n`);
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'nnkit-classes-'));
});

describe('class count and names follow the data', () => {
  it('26 named classes: the model gets 26 outputs, eval and predict speak in letters', () => {
    const data = join(folder, 'letters');
    writeLetters(data, { train: 30, test: 4 }, letters.map((letter) => letter.toLowerCase()));
    const model = join(folder, 'letters.json');
    const train = runCli(['train', '--preset', 'smoke', '--data', `idx:${data}`, '--epochs', '8', '--threads', '1', '--quiet', '--out', model, '--json']);
    expect(train.stderr).toBe('');
    expect(train.code).toBe(0);
    const saved = JSON.parse(readFileSync(model, 'utf8')) as { layers: { config: { kind: string; units?: number } }[]; meta: { classNames: string[] } };
    expect(saved.layers.at(-1)?.config).toMatchObject({ kind: 'dense', units: 26 });
    expect(saved.meta.classNames).toEqual(letters.map((letter) => letter.toLowerCase()));
    const evaluation = runCli(['eval', model, '--data', `idx:${data}`, '--json']);
    expect(evaluation.code).toBe(0);
    const result = evaluation.json<{ accuracy: number; count: number; classNames: string[]; report: { perClass: { label: number; name: string }[] } }>();
    expect(result.count).toBe(104);
    expect(result.accuracy).toBeGreaterThan(0.5); // chance is 1/26
    expect(result.report.perClass.map((entry) => entry.name)).toEqual(result.classNames);
    expect(result.report.perClass[25]).toMatchObject({ label: 25, name: 'z' });
    const text = runCli(['eval', model, '--data', `idx:${data}`]).stdout;
    expect(text).toMatch(/^ +z +\d\.\d{4} +\d\.\d{4} +\d\.\d{4} +4$/m); // the report's row for z
    expect(text).toMatch(/^ *true +a +b +c /m); // the confusion matrix's header
    const csv = join(folder, 'letters.csv');
    expect(runCli(['convert', `idx:${data}`, `csv:${csv}`, '--limit', '3']).code).toBe(0);
    const predict = runCli(['predict', model, '--csv', join(folder, 'letters-test.csv')]);
    expect(predict.code).toBe(0);
    expect(predict.stdout.split('\n')[0]).toMatch(/^image +class +true +p\(a\) +p\(b\) .* p\(z\)$/);
    expect(predict.stdout.split('\n')[1]).toMatch(/row 1 +[a-z] +a /);
  });

  it('an IDX pair with labels past 9 and no names: as many outputs as the largest label + 1, named by number', () => {
    const data = join(folder, 'unnamed');
    writeLetters(data, { train: 2, test: 1 });
    const model = join(folder, 'unnamed.json');
    const run = runCli(['train', '--arch', '784-16-10', '--data', `idx:${data}`, '--epochs', '1', '--threads', '1', '--quiet', '--out', model]);
    expect(run.code).toBe(0);
    const saved = JSON.parse(readFileSync(model, 'utf8')) as { layers: { config: { units?: number } }[]; meta: Record<string, unknown> };
    expect(saved.layers.at(-1)?.config.units).toBe(26);
    expect(saved.meta.classNames).toBeUndefined();
    expect(runCli(['eval', model, '--data', `idx:${data}`]).stdout).toMatch(/^ +25 +\d\.\d{4}/m);
  });

  it('Fashion-MNIST-style names survive idx → idx conversion; a label without a name is one line, exit 1', () => {
    const names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
    const data = join(folder, 'fashion');
    writeLetters(data, { train: 1, test: 1 }, names);
    // The letters go up to label 25, but only ten names: the labels file is named.
    expectFailure(['convert', `idx:${data}`, `idx:${join(folder, 'fashion-copy')}`], 1, /fashion:train: found label 10 at image 10; expected a label 0–9 \(one of its 10 class names\)/);
    writeFileSync(join(data, 'classes.txt'), `${[...names, ...letters.slice(10)].join('\n')}\n`);
    const copy = join(folder, 'fashion-copy');
    expect(runCli(['convert', `idx:${data}`, `idx:${copy}`]).code).toBe(0);
    expect(readFileSync(join(copy, 'classes.txt'), 'utf8')).toBe(readFileSync(join(data, 'classes.txt'), 'utf8'));
    writeFileSync(join(data, 'classes.txt'), 'Trouser\n\nBag\n');
    expectFailure(['convert', `idx:${data}`, `idx:${copy}`], 1, /classes\.txt: line 2: found a blank line; expected one class name a line/);
  });
});
