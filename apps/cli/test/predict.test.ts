import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataset } from '@nnkit/datasets';
import { loadMnist, readDigitImage } from '@nnkit/datasets/node';
import { loadModel } from '@nnkit/layers';
import { evaluate, evaluateWithTta } from '@nnkit/train';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { expectFailure, runCli } from './run-cli.js';
import { writeScoringFixtures } from './scoring-fixtures.js';

const model = inject('smokeModel');
const trainCsv = inject('trainCsv');
const testCsv = inject('testCsv');
let folder: string;
let paperPng: string;
let inkPng: string;

interface PredictJson {
  predictions: { source: string; row?: number; digit: number; label?: number; probabilities: number[] }[];
}

/** MNIST test image `index` as a PNG: enlarged `scale`× and, with `paper`, dark ink on white. */
function mnistPng(index: number, scale: number, paper: boolean): Buffer {
  const { test } = loadMnist();
  const side = 28 * scale;
  const png = new PNG({ width: side, height: side });
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const ink = test.images[index * 784 + Math.floor(y / scale) * 28 + Math.floor(x / scale)];
      const at = (y * side + x) * 4;
      png.data[at] = png.data[at + 1] = png.data[at + 2] = paper ? 255 - ink : ink;
      png.data[at + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'nnkit-predict-'));
  paperPng = join(folder, 'seven-on-paper.png');
  inkPng = join(folder, 'two-white-on-black.png');
  writeFileSync(paperPng, mnistPng(0, 4, true)); // MNIST test image 0 is a 7
  writeFileSync(inkPng, mnistPng(1, 1, false)); // test image 1 is a 2
});

describe('nnkit predict', () => {
  it('classifies PNG files preprocessed like MNIST, as the model does in-process', () => {
    const run = runCli(['predict', model, paperPng, inkPng, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { predictions } = run.json<PredictJson>();
    expect(predictions.map((p) => p.source)).toEqual([paperPng, inkPng]);
    const { model: loaded } = loadModel(readFileSync(model, 'utf8'), model);
    const images = new Uint8Array(2 * 784);
    images.set(readDigitImage(paperPng), 0);
    images.set(readDigitImage(inkPng), 784);
    const expected = evaluate(loaded, createDataset({ images, labels: new Uint8Array(2), name: 'pngs', unlabelled: true }));
    predictions.forEach((prediction, i) => {
      expect(prediction.digit).toBe(expected.predictions[i]);
      expect(prediction.probabilities).toHaveLength(10);
      expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(prediction.probabilities.indexOf(Math.max(...prediction.probabilities))).toBe(prediction.digit);
      prediction.probabilities.forEach((p, c) => expect(p).toBeCloseTo(expected.probabilities[i * 10 + c], 6));
    });
    // A clear 7 and a clear 2: even the small model gets them.
    expect(predictions.map((p) => p.digit)).toEqual([7, 2]);
  });

  it('prints one row per image: the digit and the ten probabilities', () => {
    const run = runCli(['predict', model, paperPng]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^image +digit +p\(0\) +p\(1\) .* p\(9\)$/);
    expect(lines[1]).toMatch(new RegExp(`^${paperPng.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} +7( +[01]\\.\\d{3}){10}$`));
  });

  it('classifies rows of a labelled Kaggle CSV, with the true label beside', () => {
    const run = runCli(['predict', model, '--csv', trainCsv, '--rows', '3-5', '--json']);
    expect(run.code).toBe(0);
    const { predictions } = run.json<PredictJson>();
    const { test } = loadMnist();
    expect(predictions.map((p) => p.row)).toEqual([3, 4, 5]);
    expect(predictions.map((p) => p.label)).toEqual([test.labels[2], test.labels[3], test.labels[4]]);
    const text = runCli(['predict', model, '--csv', trainCsv, '--rows', '3-5']);
    expect(text.stdout).toMatch(/^image +digit +true +p\(0\)/);
    expect(text.stdout).toMatch(/train\.csv row 4 +\d +0 /); // MNIST test image 3 is a 0
    expect(text.stdout).toMatch(/\n\d of 3 labelled images right \(\d+\.\d%\)\n$/);
  });

  it('classifies every row of an unlabelled test.csv by default', () => {
    const run = runCli(['predict', model, '--csv', testCsv, '--json']);
    expect(run.code).toBe(0);
    const { predictions } = run.json<PredictJson>();
    expect(predictions).toHaveLength(30);
    expect(predictions[29]).toMatchObject({ row: 30, source: testCsv });
    expect(predictions[0].label).toBeUndefined();
  });

  it('an ensemble file and the model\'s own test-time views: the probabilities eval averages', () => {
    const { viewed, ensembleFile, networks, test: rows } = writeScoringFixtures(folder, model, 2, testCsv, 3);
    const expectProbabilities = (run: ReturnType<typeof runCli>, expected: Float32Array) => {
      expect(run.code, run.stderr).toBe(0);
      run.json<PredictJson>().predictions.forEach((prediction, i) => {
        expect(prediction.digit).toBe(prediction.probabilities.indexOf(Math.max(...prediction.probabilities)));
        prediction.probabilities.forEach((p, c) => expect(p).toBeCloseTo(expected[i * 10 + c], 6));
      });
    };
    const twoViews = runCli(['predict', viewed, '--csv', testCsv, '--json']);
    expectProbabilities(twoViews, evaluateWithTta(networks[0], rows, { views: 2 }).probabilities);
    expect(twoViews.json()).toMatchObject({ tta: 2 });
    expectProbabilities(runCli(['predict', viewed, '--csv', testCsv, '--tta', '1', '--json']), evaluate(networks[0], rows).probabilities);
    const pair = runCli(['predict', ensembleFile, '--csv', testCsv, '--rows', '1-30', '--json']);
    expectProbabilities(pair, evaluateWithTta(networks, rows, { views: 2 }).probabilities);
    expect(pair.json()).toMatchObject({ members: [join(folder, '2-views.json'), join(folder, 'other.json')], tta: 2 });
    expect(runCli(['predict', ensembleFile, '--csv', testCsv, '--rows', '1']).stdout).toMatch(/^an ensemble of 2: .*2-views\.json, .*other\.json \(probabilities averaged\) · test-time augmentation over 2 views \(the model's own; --tta 1 scores the image alone\)\n/);
  });

  it('--help lists every option with its default', () => {
    const text = runCli(['predict', '--help']).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Usage: nnkit predict [options] <model> [images...]');
    expect(text).toMatch(/--csv <file> /);
    expect(text).toMatch(/--rows <a-b> .* \(default: all\)/);
    expect(text).toMatch(/--invert <when> .* \(default: "auto"\)/);
    expect(text).toMatch(/--backend <name> .* \(default: "auto"\)/);
    expect(text).toMatch(/--tta <n> .* \(default: the model's own/);
    expect(text).toMatch(/--threads <n> .* \(default: every core, \d+ here, when more than 1,000 images are scored counting views; else 1\)/);
    expect(text).toContain('--json');
  });

  it.each([
    [['predict', 'm.json'], /nothing to classify: give PNG or JPEG files or --csv FILE/],
    [['predict', 'm.json', 'a.png', '--rows', '1-2'], /--rows needs --csv FILE/],
    [['predict', 'm.json', '--csv', 'x.csv', '--rows', '5-2'], /--rows.*expected rows A-B with 1 <= A <= B/],
    [['predict', 'm.json', '--csv', 'x.csv', '--rows', '0'], /--rows.*expected rows A-B/],
    [['predict', 'm.json', 'nope.png'], /image nope\.png: no such file/],
    [['predict', 'm.json', 'a.png', '--invert', 'sometimes'], /--invert.*expected one of auto, always, never, got 'sometimes'/],
  ])('usage error %j exits 2 with one line', (args, message) => {
    expectFailure(args, 2, message);
  });

  it('--rows past the end of the file is a usage error naming the row count', () => {
    expectFailure(['predict', model, '--csv', testCsv, '--rows', '20-31'], 2, /--rows 20-31: .*test\.csv has 30 data rows/);
  });

  it('a corrupt or truncated PNG: one line naming the file, exit 1', () => {
    const garbage = join(folder, 'garbage.png');
    writeFileSync(garbage, 'not a png at all');
    expectFailure(['predict', model, garbage], 1, /garbage\.png: byte 0: found neither a PNG nor a JPEG signature; expected a PNG or JPEG image/);
    const truncated = join(folder, 'truncated.png');
    writeFileSync(truncated, readFileSync(paperPng).subarray(0, 60));
    expectFailure(['predict', model, paperPng, truncated], 1, /truncated\.png: found an unreadable PNG \(.*; expected a complete PNG image/);
  });

  it('--explain draws the 28×28 the network read for each image, and gives its pixels in --json', () => {
    const run = runCli(['predict', model, paperPng, '--explain']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    const start = lines.findIndex((line) => line.startsWith(`${paperPng}: the 28×28 the network read`));
    expect(lines[start]).toMatch(/→ 7$/);
    const art = lines.slice(start + 2, start + 30);
    expect(art).toHaveLength(28);
    const expected = readDigitImage(paperPng);
    // Each pixel is two characters of one shade: blank exactly where the network saw no ink.
    art.forEach((line, y) => {
      for (let x = 0; x < 28; x++) expect(line[1 + 2 * x] === ' ').toBe(Math.round((expected[y * 28 + x] / 255) * 4) === 0);
    });
    const json = runCli(['predict', model, paperPng, '--explain', '--json']).json<{ predictions: { input: number[] }[] }>();
    expect(json.predictions[0].input).toEqual([...expected]);
  });

  it('a malformed CSV: file, line and column', () => {
    const lines = readFileSync(testCsv, 'utf8').split('\n');
    lines[2] = lines[2].replace(/,\d+$/, ',256');
    const bad = join(folder, 'bad.csv');
    writeFileSync(bad, lines.join('\n'));
    expectFailure(['predict', model, '--csv', bad], 1, /bad\.csv: line 3, column pixel783: found "256"/);
  });
});
