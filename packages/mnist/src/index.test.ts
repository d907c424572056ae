import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mnistDirectory, mnistPaths } from './index.js';

describe('@nnkit/mnist', () => {
  it('points at the four IDX files, with their magic numbers and sizes', () => {
    const paths = mnistPaths();
    expect(paths.trainImages.startsWith(mnistDirectory())).toBe(true);
    const magic = (path: string) => readFileSync(path).readUInt32BE(0);
    expect([magic(paths.trainImages), magic(paths.testImages)]).toEqual([0x803, 0x803]);
    expect([magic(paths.trainLabels), magic(paths.testLabels)]).toEqual([0x801, 0x801]);
    expect(statSync(paths.trainImages).size).toBe(16 + 60_000 * 784);
    expect(statSync(paths.testLabels).size).toBe(8 + 10_000);
  });
});
