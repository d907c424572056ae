import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAugmentSpec, sliceDataset } from '@nnkit/datasets';
import { loadDataSpec } from '@nnkit/datasets/node';
import { decodePng } from '@nnkit/picture/node';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { previewPicture } from '../src/commands/augment.js';
import { expectFailure, runCli } from './run-cli.js';

const trainCsv = inject('trainCsv');
let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'nnkit-augment-'));
});

describe('nnkit augment --preview', () => {
  it('draws originals beside distorted versions, the same picture for the same seed', () => {
    const spec = 'rotate:12,scale:0.1,elastic:34/4';
    const out = join(folder, 'preview.png');
    const run = runCli(['augment', '--preview', spec, '--data', `csv:${trainCsv}`, '--count', '3', '--variants', '4', '--seed', '2', '--out', out, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = run.json<{ width: number; height: number; images: number; variants: number; spec: string }>();
    expect(result).toMatchObject({ images: 3, variants: 4, spec });
    const picture = decodePng(new Uint8Array(readFileSync(out)), out);
    expect([picture.width, picture.height]).toEqual([result.width, result.height]);
    // What the command wrote is exactly the picture built from the same images in-process.
    const expected = previewPicture(loadDataSpec(`csv:${trainCsv}`).train, parseAugmentSpec(spec), 2, 3, 4);
    expect([expected.width, expected.height]).toEqual([picture.width, picture.height]);
    expect(Buffer.from(picture.data).equals(Buffer.from(expected.data))).toBe(true);
    // Same seed, same picture; another seed, other distortions (same size).
    const again = previewPicture(loadDataSpec(`csv:${trainCsv}`).train, parseAugmentSpec(spec), 2, 3, 4);
    expect(Buffer.from(again.data).equals(Buffer.from(expected.data))).toBe(true);
    const other = previewPicture(loadDataSpec(`csv:${trainCsv}`).train, parseAugmentSpec(spec), 3, 3, 4);
    expect(other.height).toBe(expected.height);
    expect(Buffer.from(other.data).equals(Buffer.from(expected.data))).toBe(false);
    // More rows make a taller picture; more columns a wider one.
    const taller = previewPicture(loadDataSpec(`csv:${trainCsv}`).train, parseAugmentSpec(spec), 2, 5, 4);
    expect(taller.height).toBeGreaterThan(expected.height);
    const wider = previewPicture(loadDataSpec(`csv:${trainCsv}`).train, parseAugmentSpec(spec), 2, 3, 9);
    expect(wider.width).toBeGreaterThan(expected.width);
    expect(readdirSync(folder)).toEqual(['preview.png']);
  });

  it('says what it wrote', () => {
    const run = runCli(['augment', '--preview', 'shift:2', '--out', join(folder, 'shift.png'), '--count', '2']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^wrote .*shift\.png \(\d+×\d+\): 2 images of mnist, each beside 7 distorted versions of shift:2\n$/);
  });
});

describe('nnkit augment --help', () => {
  it('lists every option with its default', () => {
    const text = runCli(['augment', '--help']).stdout.replace(/\s+/g, ' ');
    expect(text).toMatch(/--preview <spec> /);
    expect(text).toMatch(/--data <spec> .* \(default: "mnist"\)/);
    expect(text).toMatch(/--out <target> .* \(required\)/);
    expect(text).toMatch(/--copies <n> .* \(default: 1\)/);
    expect(text).toMatch(/--count <n> .* \(default: 8\)/);
    expect(text).toMatch(/--variants <n> .* \(default: 7\)/);
    expect(text).toMatch(/--seed <n> .* \(default: 1\)/);
    expect(text).toMatch(/--limit <n> .* \(default: all\)/);
  });
});

describe('nnkit augment SPEC (expansion)', () => {
  it('writes the originals followed by K distorted copies, labels repeated', () => {
    const out = join(folder, 'expanded');
    const run = runCli(['augment', 'rotate:10,shift:1', '--data', `csv:${trainCsv}`, '--copies', '2', '--limit', '50', '--seed', '4', '--out', `idx:${out}`, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json<{ train: number; test: number | null; copies: number }>()).toMatchObject({ train: 150, test: null, copies: 2 });
    const original = sliceDataset(loadDataSpec(`csv:${trainCsv}`).train, 0, 50);
    const { train } = loadDataSpec(`idx:${out}`);
    expect(train.count).toBe(150);
    expect(train.images.subarray(0, 50 * 784)).toEqual(original.images);
    for (let copy = 0; copy < 3; copy++) expect(train.labels.subarray(copy * 50, (copy + 1) * 50)).toEqual(original.labels);
    // Every copy is distorted, and differently from the other copy.
    for (let i = 0; i < 50; i++) {
      const first = train.images.subarray((50 + i) * 784, (51 + i) * 784);
      const second = train.images.subarray((100 + i) * 784, (101 + i) * 784);
      expect(Buffer.from(first).equals(Buffer.from(original.images.subarray(i * 784, (i + 1) * 784)))).toBe(false);
      expect(Buffer.from(first).equals(Buffer.from(second))).toBe(false);
    }
    // The same seed writes the same files.
    const repeat = join(folder, 'repeat');
    expect(runCli(['augment', 'rotate:10,shift:1', '--data', `csv:${trainCsv}`, '--copies', '2', '--limit', '50', '--seed', '4', '--out', `idx:${repeat}`]).code).toBe(0);
    expect(readFileSync(join(repeat, 'train-images-idx3-ubyte'))).toEqual(readFileSync(join(out, 'train-images-idx3-ubyte')));
  });

  it('copies a test set unchanged', () => {
    const out = join(folder, 'with-test');
    const run = runCli(['augment', 'noise:0.1', '--copies', '1', '--limit', '30', '--out', `idx:${out}`, '--gzip']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^30 training images → 60 \(originals \+ 1 distorted copy each, noise:0\.1\); 30 test images copied unchanged\n/);
    expect(readdirSync(out).sort()).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']);
  });

  it.each([
    [['augment', '--out', 'x.png'], /missing distortions: augment SPEC --out idx:DIR, or augment --preview SPEC --out preview\.png/],
    [['augment', 'rotate:5', '--preview', 'rotate:5', '--out', 'p.png'], /either --preview SPEC or SPEC, not both/],
    [['augment', 'rotate:5'], /required option '--out <target>' not specified/],
    [['augment', 'twist:5', '--out', 'idx:x'], /spec: augment "twist:5": "twist:5": unknown distortion "twist"/],
    [['augment', '--preview', 'rotate:95', '--out', 'p.png'], /--preview: .*rotate must be below 90 degrees/],
    [['augment', '--preview', 'rotate:5', '--out', 'p.jpg'], /--out p\.jpg: expected a \.png file for the preview/],
    [['augment', 'rotate:5', '--out', 'folder/'], /--out folder\/: expected idx:DIR or csv:FILE/],
    [['augment', 'rotate:5', '--out', 'idx:x', '--copies', '0'], /--copies.*expected a positive integer, got '0'/],
    [['augment', 'rotate:5', '--out', 'csv:x.csv', '--gzip'], /--gzip applies to idx: output only/],
  ])('usage error %j exits 2 with one line', (args, message) => {
    expectFailure(args, 2, message);
  });

  it('a malformed data file: one line naming file and place, nothing written', () => {
    const bad = join(folder, 'bad.csv');
    writeFileSync(bad, readFileSync(trainCsv, 'utf8').replace(/\n7,/, '\n12,'));
    const out = join(folder, 'not-written');
    expectFailure(['augment', 'rotate:5', '--data', `csv:${bad}`, '--out', `idx:${out}`], 1, /bad\.csv: line \d+, column label: found "12"; expected a label 0–9/);
    expect(readdirSync(folder)).not.toContain('not-written');
  });
});
