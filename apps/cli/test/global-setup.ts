import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeKaggleCsv, sliceDataset } from '@nnkit/datasets';
import { loadMnist } from '@nnkit/datasets/node';
import type { TestProject } from 'vitest/node';
import { runCli } from './run-cli.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A small model saved by `nnkit train` (smoke preset, 1 000 images, 1 epoch, seed 1, with history). */
    smokeModel: string;
    /** Kaggle train-layout CSV (`label,pixel0,…`) of the first 400 MNIST test images. */
    trainCsv: string;
    /** Kaggle test-layout CSV (`pixel0,…`, no labels) of MNIST test images 400–429. */
    testCsv: string;
    /** A folder for the shared fixtures, removed after the run. */
    fixtures: string;
  }
}

/**
 * Trains one small model for every CLI test file (a couple of seconds) instead of one per file,
 * writes two small Kaggle CSVs, and shares their paths through `inject(...)`.
 */
export default function setup(project: TestProject): () => void {
  const fixtures = mkdtempSync(join(tmpdir(), 'nnkit-cli-fixtures-'));
  const smokeModel = join(fixtures, 'smoke.json');
  const run = runCli(['train', '--preset', 'smoke', '--limit', '1000', '--epochs', '1', '--seed', '1', '--quiet', '--out', smokeModel]);
  if (run.code !== 0) throw new Error(`global setup: nnkit train failed (exit ${run.code}): ${run.stderr.trim()}`);
  const { test } = loadMnist();
  const trainCsv = join(fixtures, 'train.csv');
  const testCsv = join(fixtures, 'test.csv');
  writeFileSync(trainCsv, encodeKaggleCsv(sliceDataset(test, 0, 400)));
  writeFileSync(testCsv, encodeKaggleCsv(sliceDataset(test, 400, 430), { layout: 'test' }));
  project.provide('smokeModel', smokeModel);
  project.provide('trainCsv', trainCsv);
  project.provide('testCsv', testCsv);
  project.provide('fixtures', fixtures);
  return () => rmSync(fixtures, { recursive: true, force: true });
}
