import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataSpec, readImageFolder } from '@nnkit/datasets/node';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { expectFailure, runCli } from './run-cli.js';

const model = inject('smokeModel');
const script = fileURLToPath(new URL('../scripts/make-photo-digits.mjs', import.meta.url));
let folder: string;
let photos: string;

/** Runs the generator: `perClass` photographed digits of each class into `out`. */
function makePhotos(out: string, perClass: number, seed: number): string {
  const run = spawnSync(process.execPath, [script, out, '--per-class', String(perClass), '--seed', String(seed)], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

/** Every file under `root` with its bytes, sorted by path. */
function contents(root: string): [string, Buffer][] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry): [string, Buffer] => [join(entry.parentPath, entry.name).slice(root.length), readFileSync(join(entry.parentPath, entry.name))])
    .sort(([a], [b]) => a.localeCompare(b));
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'nnkit-folder-'));
  photos = join(folder, 'photos');
  makePhotos(photos, 3, 5);
});

describe('folder: data', () => {
  it('the generator writes the same PNG and JPEG photos for the same seed, in class folders', () => {
    const again = join(folder, 'again');
    expect(makePhotos(again, 3, 5)).toMatch(/: 30 photographed-style digits from the MNIST test set \(\d+ JPEG, \d+ PNG\), seed 5\n$/);
    const files = contents(photos);
    expect(files.map(([name]) => name)).toEqual(contents(again).map(([name]) => name));
    expect(files.every(([name, bytes], i) => bytes.equals(contents(again)[i][1]) && /^\/\d\/t10k-\d{5}\.(png|jpg)$/.test(name))).toBe(true);
    expect(files.some(([name]) => name.endsWith('.jpg'))).toBe(true);
    expect(readdirSync(photos).sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const other = join(folder, 'other-seed');
    makePhotos(other, 3, 6);
    expect(contents(other).map(([, bytes]) => bytes)).not.toEqual(files.map(([, bytes]) => bytes));
  });

  it('convert folder:DIR idx:OUT writes the 28×28 images the network sees, with their labels', () => {
    const out = join(folder, 'idx');
    const run = runCli(['convert', `folder:${photos}`, `idx:${out}`, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ train: 30, test: null });
    const back = loadDataSpec(`idx:${out}`);
    const read = readImageFolder(photos);
    expect(back.train.images).toEqual(read.train.images);
    expect([...back.train.labels]).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 7, 7, 7, 8, 8, 8, 9, 9, 9]);
    const csv = join(folder, 'photos.csv');
    expect(runCli(['convert', `folder:${photos}`, `csv:${csv}`]).code).toBe(0);
    expect(readFileSync(csv, 'utf8').split('\n')[1]).toMatch(/^0,0,0,/);
  });

  it('eval scores a model on the held-out part of a folder', () => {
    const run = runCli(['eval', model, '--data', `folder:${photos}`, '--json']);
    expect(run.code).toBe(0);
    expect(run.json()).toMatchObject({ count: 8, evaluatedOn: `25 % held out of folder:${photos} (seed 0)` });
  });

  it('a bad image stops the run with one line; --skip-bad lists it on stderr and goes on', () => {
    const bad = join(folder, 'bad');
    makePhotos(bad, 2, 7);
    writeFileSync(join(bad, '4', 'zz-corrupt.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00, 0x01]));
    expectFailure(['convert', `folder:${bad}`, `idx:${join(folder, 'bad-idx')}`], 1, new RegExp(`${join(bad, '4', 'zz-corrupt.jpg')}: byte \\d+: found the end of the file; expected a JPEG frame header`));
    const run = runCli(['convert', `folder:${bad}`, `idx:${join(folder, 'bad-idx')}`, '--skip-bad', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe(`skipped ${join(bad, '4', 'zz-corrupt.jpg')}: byte 8: found the end of the file; expected a JPEG frame header (SOF) before the image data\n`);
    expect(run.json()).toMatchObject({ train: 20 });
  });

  it('a folder without class folders, an empty class folder and a 20000×20000 image: one line, exit 1', () => {
    const flat = join(folder, 'flat');
    mkdirSync(flat);
    expectFailure(['eval', model, '--data', `folder:${flat}`], 1, new RegExp(`${flat}: found no class subfolders; expected subfolders 0/ … 9/`));
    const empty = join(folder, 'empty');
    makePhotos(empty, 1, 8);
    mkdirSync(join(empty, '10'));
    expectFailure(['eval', model, '--data', `folder:${empty}`, '--skip-bad'], 1, new RegExp(`${join(empty, '10')}: found an empty class folder; expected PNG or JPEG images`));
    const partial = join(folder, 'partial');
    makePhotos(partial, 1, 8);
    mkdirSync(join(partial, 'test', '3'), { recursive: true });
    expectFailure(['eval', model, '--data', `folder:${partial}`], 1, /test\/0: found no such folder; expected a class folder/);
    // A PNG whose header claims 20000×20000 pixels: refused from the header, before any decoding.
    const huge = join(folder, 'huge');
    makePhotos(huge, 1, 9);
    const png = PNG.sync.write(Object.assign(new PNG({ width: 1, height: 1 }), { data: Buffer.alloc(4, 255) }));
    png.writeUInt32BE(20000, 16);
    png.writeUInt32BE(20000, 20);
    writeFileSync(join(huge, '2', 'huge.png'), png);
    expectFailure(['train', '--preset', 'smoke', '--epochs', '1', '--data', `folder:${huge}`], 1, /huge\.png: found a 20000×20000 image \(400,000,000 pixels\); expected at most 25,000,000 pixels/);
  });
});
