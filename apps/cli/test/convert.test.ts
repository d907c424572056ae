import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sliceDataset } from '@nnkit/datasets';
import { loadDataSpec, loadMnist } from '@nnkit/datasets/node';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { expectFailure, runCli } from './run-cli.js';

const trainCsv = inject('trainCsv');
let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'nnkit-convert-'));
});

describe('nnkit convert', () => {
  it('writes MNIST as gzipped IDX files that read back to the same images and labels', () => {
    const out = join(folder, 'mnist-idx');
    const run = runCli(['convert', 'mnist', `idx:${out}`, '--gzip', '--limit', '300', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = run.json<{ train: number; test: number; files: string[] }>();
    expect(result).toMatchObject({ train: 300, test: 300 });
    expect(readdirSync(out).sort()).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']);
    expect(result.files.sort()).toEqual(readdirSync(out).sort().map((name) => join(out, name)));
    // gzip magic bytes, and the same content as the embedded copy.
    expect([...readFileSync(join(out, 'train-images-idx3-ubyte.gz')).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const back = loadDataSpec(`idx:${out}`);
    const mnist = loadMnist();
    expect(back.train.images).toEqual(sliceDataset(mnist.train, 0, 300).images);
    expect(back.train.labels).toEqual(sliceDataset(mnist.train, 0, 300).labels);
    expect(back.test?.labels).toEqual(sliceDataset(mnist.test, 0, 300).labels);
  });

  it('CSV → IDX → CSV reproduces the file byte for byte', () => {
    const idx = join(folder, 'from-csv');
    const first = runCli(['convert', `csv:${trainCsv}`, `idx:${idx}`]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^csv:.*train\.csv → idx:.*from-csv: 400 training images\n  wrote .*train-images-idx3-ubyte\n  wrote .*train-labels-idx1-ubyte\n$/);
    const csv = join(folder, 'again.csv');
    const second = runCli(['convert', `idx:${idx}`, `csv:${csv}`]);
    expect(second.code).toBe(0);
    expect(readFileSync(csv)).toEqual(readFileSync(trainCsv));
  });

  it('a source with a test set gives FILE and FILE-test.csv', () => {
    const idx = join(folder, 'small-idx');
    expect(runCli(['convert', 'mnist', `idx:${idx}`, '--limit', '20']).code).toBe(0);
    const run = runCli(['convert', `idx:${idx}`, `csv:${join(folder, 'small.csv')}`, '--json']);
    expect(run.code).toBe(0);
    expect(run.json<{ files: string[] }>().files).toEqual([join(folder, 'small.csv'), join(folder, 'small-test.csv')]);
    expect(readFileSync(join(folder, 'small-test.csv'), 'utf8').split('\n')[0]).toMatch(/^label,pixel0,/);
  });

  it('--help lists every option', () => {
    const text = runCli(['convert', '--help']).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Usage: nnkit convert [options] <from> <to>');
    expect(text).toMatch(/--gzip /);
    expect(text).toMatch(/--limit <n> .* \(default: all\)/);
  });

  it.each([
    [['convert', 'mnist'], /missing required argument 'to'/],
    [['convert', 'mnist', 'mnist'], /expected idx:DIR or csv:FILE, got 'mnist'/],
    [['convert', 'kaggle', 'idx:out'], /expected mnist, idx:DIR, csv:FILE or folder:DIR, got 'kaggle'/],
    [['convert', 'mnist', 'csv:out.csv', '--gzip'], /--gzip applies to idx: output only/],
    [['convert', 'mnist', 'idx:/nonexistent-folder/sub/out'], /folder \/nonexistent-folder\/sub does not exist/],
  ])('usage error %j exits 2 with one line', (args, message) => {
    expectFailure(args, 2, message);
  });

  it('an output folder that is a file is refused before reading anything', () => {
    const file = join(folder, 'a-file');
    writeFileSync(file, 'x');
    expectFailure(['convert', 'mnist', `idx:${file}`], 2, /a-file is a file, expected a folder/);
  });

  it('malformed or missing input: one line naming the file and place, nothing written', () => {
    const broken = join(folder, 'broken-idx');
    mkdirSync(broken);
    const images = readFileSync(join(folder, 'small-idx', 'train-images-idx3-ubyte'));
    writeFileSync(join(broken, 'train-images-idx3-ubyte'), images.subarray(0, 1000));
    writeFileSync(join(broken, 'train-labels-idx1-ubyte'), readFileSync(join(folder, 'small-idx', 'train-labels-idx1-ubyte')));
    const out = join(folder, 'never-written');
    expectFailure(['convert', `idx:${broken}`, `idx:${out}`], 1, /broken-idx\/train-images-idx3-ubyte: byte \d+: found .*; expected .*/);
    expect(existsSync(out)).toBe(false);
    expectFailure(['convert', `idx:${join(folder, 'missing')}`, `idx:${out}`], 2, /data idx:.*missing: no such folder/);
    const onlyImages = join(folder, 'only-images');
    mkdirSync(onlyImages);
    writeFileSync(join(onlyImages, 'train-images-idx3-ubyte'), images);
    expectFailure(['convert', `idx:${onlyImages}`, `csv:${join(folder, 'x.csv')}`], 1, /only-images\/train-images-idx3-ubyte: found no matching labels file/);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(join(folder, 'x.csv'))).toBe(false);
  });
});
