import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { expectFailure, runCli } from './run-cli.js';

let folder: string;
beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'nnkit-hardening-'));
});

/** A model file of a few hundred bytes declaring a dense layer of `units` units over 784 inputs. */
function modelBomb(units: number): string {
  const path = join(folder, `bomb-${units}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      format: 'nnkit-model',
      version: 1,
      inputShape: [28, 28, 1],
      loss: { kind: 'softmaxCrossEntropy' },
      layers: [{ config: { kind: 'flatten' }, params: {} }, { config: { kind: 'dense', units }, params: { weights: { shape: [784, units], data: 'AAAAAA==' } } }],
    }),
  );
  return path;
}

describe('model files are checked against what they store before anything is built', () => {
  it('inspect and eval refuse a layer declaring a million units in one line', () => {
    const bomb = modelBomb(1_000_000);
    const message = new RegExp(`^nnkit: ${bomb.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: layers\\[1\\]: declares more parameters than the file stores \\(1 values\\)\\n$`);
    expectFailure(['inspect', bomb], 1, message);
    expectFailure(['eval', bomb, '--limit', '10'], 1, message);
  });

  it('NNKIT_MAX_PARAMS lowers (or raises) the limit on stored values', () => {
    const small = inject('smokeModel');
    const run = runCli(['inspect', small], { env: { NNKIT_MAX_PARAMS: '2' } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/layers: stores [\d,]+ parameter values, more than the limit of 2\n$/);
    expect(runCli(['inspect', small], { env: { NNKIT_MAX_PARAMS: 'lots' } }).stderr).toMatch(/NNKIT_MAX_PARAMS=lots: expected a positive integer/);
  });
});
