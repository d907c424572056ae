import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mnistSample } from '../test/mnist-sample.js';
import { encodeRgba, grayToRgba, photographDigit, pngHeaderOnly } from '../test/photo.js';
import { readImageAsDigit, readImageFolder } from './image-folder.js';
import { loadDataSpec } from './node.js';
import { preprocessDigit } from './preprocess.js';

const sample = mnistSample(12, 't10k');
const digit = (k: number) => sample.images.subarray(k * 784, (k + 1) * 784);

/** Writes MNIST test image `k` photographed on paper as DIR/NAME (.png or .jpg). */
function writePhoto(path: string, k: number): void {
  const gray = photographDigit(digit(k), { width: 90, height: 70, scale: 2, left: 10 + k, top: 5, noise: 3, seed: k });
  writeFileSync(path, encodeRgba(90, 70, grayToRgba(gray), path.endsWith('.png') ? 'png' : 'jpeg'));
}

/** A folder of class subfolders, one photo per image index given. */
function makeFolder(classes: Record<string, number[]>): string {
  const root = mkdtempSync(join(tmpdir(), 'nnkit-folder-'));
  for (const [name, indices] of Object.entries(classes)) {
    mkdirSync(join(root, name), { recursive: true });
    indices.forEach((k, i) => writePhoto(join(root, name, `${i}.${i % 2 === 0 ? 'png' : 'jpg'}`), k));
  }
  return root;
}

describe('readImageFolder', () => {
  it('reads class folders of PNG and JPEG photos as preprocessed 28×28 digits, sorted, labelled by folder', () => {
    // MNIST t10k labels: 7 2 1 0 4 1 4 9 5 9 0 6.
    const root = makeFolder({ '0': [3, 10], '1': [2, 5], '7': [0], test: [] });
    mkdirSync(join(root, 'test', '0'), { recursive: true });
    mkdirSync(join(root, 'test', '1'));
    mkdirSync(join(root, 'test', '7'));
    writePhoto(join(root, 'test', '0', 'a.png'), 3);
    writePhoto(join(root, 'test', '1', 'a.jpeg'), 2);
    writePhoto(join(root, 'test', '7', 'A.PNG'), 0);
    writeFileSync(join(root, '7', 'notes.txt'), 'not an image, ignored');
    const folder = readImageFolder(root);
    expect([...folder.train.labels]).toEqual([0, 0, 1, 1, 7]);
    expect([...folder.test!.labels]).toEqual([0, 1, 7]);
    expect(folder.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(folder.skipped).toEqual([]);
    expect(folder.train.images.subarray(0, 784)).toEqual(readImageAsDigit(join(root, '0', '0.png')));
    // The PNG photo of test image 3 recovers the digit: close to the MNIST original.
    const original = preprocessDigit(digit(3), 28, 28);
    const recovered = folder.train.images.subarray(0, 784);
    const overlap = original.reduce((sum, value, i) => sum + Math.min(value, recovered[i]), 0) / original.reduce((sum, value) => sum + value, 0);
    expect(overlap).toBeGreaterThan(0.7);
  });

  it('names classes after folders that are not numbers, in sorted order', () => {
    const root = makeFolder({ dog: [0], cat: [1, 2] });
    const folder = readImageFolder(root);
    expect(folder.classNames).toEqual(['cat', 'dog']);
    expect([...folder.train.labels]).toEqual([0, 0, 1]);
  });

  it('refuses a folder without class subfolders and an empty class folder, naming them', () => {
    const flat = mkdtempSync(join(tmpdir(), 'nnkit-folder-'));
    writePhoto(join(flat, 'a.png'), 0);
    expect(() => readImageFolder(flat)).toThrow(`${flat}: found no class subfolders; expected subfolders 0/ … 9/`);
    const root = makeFolder({ '0': [3], '1': [] });
    expect(() => readImageFolder(root)).toThrow(`${join(root, '1')}: found an empty class folder; expected PNG or JPEG images`);
    expect(() => readImageFolder(join(flat, 'missing'))).toThrow('found no such folder');
  });

  it('stops at a corrupt or oversized image, or lists and skips them with skipBad', () => {
    const root = makeFolder({ '0': [3, 10], '1': [2] });
    writeFileSync(join(root, '0', 'broken.png'), pngHeaderOnly(40, 40).subarray(0, 40));
    writeFileSync(join(root, '1', 'huge.png'), pngHeaderOnly(20000, 20000));
    writeFileSync(join(root, '1', 'truncated.jpg'), encodeRgba(40, 40, new Uint8Array(6400).fill(90), 'jpeg').subarray(0, 300));
    expect(() => readImageFolder(root)).toThrow(new RegExp(`^${join(root, '0', 'broken.png')}: found an unreadable PNG \\(`));
    const folder = readImageFolder(root, { skipBad: true });
    expect([...folder.train.labels]).toEqual([0, 0, 1]);
    expect(folder.skipped.map((skipped) => skipped.file)).toEqual([join(root, '0', 'broken.png'), join(root, '1', 'huge.png'), join(root, '1', 'truncated.jpg')]);
    expect(folder.skipped[1].reason).toBe('found a 20000×20000 image (400,000,000 pixels); expected at most 25,000,000 pixels');
    expect(folder.skipped[2].reason).toMatch(/^found an unreadable JPEG \(.+\); expected a complete JPEG image$/);
  });

  it('is the folder: data spec, with its class names', () => {
    const root = makeFolder({ '3': [0], '5': [1] });
    const data = loadDataSpec(`folder:${root}`);
    expect(data.train.count).toBe(2);
    expect(data.test).toBeUndefined();
    expect(data.classNames).toEqual(['0', '1', '2', '3', '4', '5']);
  });
});
