import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSubmissionCsv } from '@nnkit/datasets';
import { evaluateWithTta } from '@nnkit/train';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { expectFailure, runCli } from './run-cli.js';
import { writeScoringFixtures } from './scoring-fixtures.js';

const model = inject('smokeModel');
const trainCsv = inject('trainCsv');
const testCsv = inject('testCsv');
let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'nnkit-submit-'));
});

describe('nnkit submit', () => {
  it("writes Kaggle's ImageId,Label file, ImageId from 1, agreeing with predict", () => {
    const out = join(folder, 'submission.csv');
    const run = runCli(['submit', model, '--test', testCsv, '--out', out, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = run.json<{ count: number; out: string; labelCounts: number[] }>();
    expect(result.count).toBe(30);
    expect(result.labelCounts.reduce((a, b) => a + b, 0)).toBe(30);
    const text = readFileSync(out, 'utf8');
    const lines = text.trim().split(/\r?\n/);
    expect(lines[0]).toBe('ImageId,Label');
    expect(lines[1]).toMatch(/^1,\d$/);
    expect(lines[30]).toMatch(/^30,\d$/);
    expect(lines).toHaveLength(31);
    // The datasets package's strict reader accepts it, and the labels are what predict says.
    const labels = parseSubmissionCsv(new Uint8Array(readFileSync(out)), out);
    const predicted = runCli(['predict', model, '--csv', testCsv, '--json']).json<{ predictions: { digit: number }[] }>();
    expect(Array.from(labels)).toEqual(predicted.predictions.map((p) => p.digit));
    expect(readdirSync(folder)).toEqual(['submission.csv']);
  });

  it('scores as eval does: the model\'s own test-time views, several models or an ensemble file averaged', () => {
    // A model that asks to be scored over three views (as the playground's export records it), and a second network.
    const { viewed, other, ensembleFile, networks, test } = writeScoringFixtures(folder, model, 3, testCsv, 7);
    const labelsOf = (path: string) => Array.from(parseSubmissionCsv(new Uint8Array(readFileSync(path)), path));

    const three = runCli(['submit', viewed, '--test', testCsv, '--out', join(folder, 'three.csv'), '--threads', '1', '--json']);
    expect(three.code, three.stderr).toBe(0);
    expect(three.json()).toMatchObject({ tta: 3 });
    expect(three.json()).not.toHaveProperty('members');
    expect(labelsOf(join(folder, 'three.csv'))).toEqual(Array.from(evaluateWithTta(networks[0], test, { views: 3 }).predictions));
    expect(runCli(['submit', viewed, '--test', testCsv, '--out', join(folder, 'plain.csv')]).stdout).toMatch(/test-time augmentation over 3 views \(the model's own; --tta 1 scores the image alone\)/);
    expect(runCli(['submit', viewed, '--test', testCsv, '--out', join(folder, 'one.csv'), '--tta', '1', '--json']).json()).not.toHaveProperty('tta');

    // Two files and the ensemble file naming them: the same submission, the probabilities of both averaged over the first's views.
    const pair = runCli(['submit', viewed, other, '--test', testCsv, '--out', join(folder, 'pair.csv'), '--threads', '2', '--json']);
    expect(pair.code, pair.stderr).toBe(0);
    expect(pair.json()).toMatchObject({ members: [viewed, other], tta: 3, count: 30 });
    expect(runCli(['submit', ensembleFile, '--test', testCsv, '--out', join(folder, 'ensemble.csv'), '--json']).code).toBe(0);
    const together = Array.from(evaluateWithTta(networks, test, { views: 3 }).predictions);
    expect(labelsOf(join(folder, 'pair.csv'))).toEqual(together);
    expect(labelsOf(join(folder, 'ensemble.csv'))).toEqual(together);
    // An untrained member pulls the averaged answers away from the trained model's alone.
    expect(together).not.toEqual(labelsOf(join(folder, 'three.csv')));
    // A member the ensemble file lists is an input too: never overwritten by --out.
    const member = readFileSync(other);
    expectFailure(['submit', ensembleFile, '--test', testCsv, '--out', other], 2, /--out .*other\.json: is also an input of this command \(.*other\.json\); write to another file/);
    expect(readFileSync(other)).toEqual(member);
  });

  it("never overwrites the weights of a model in nnkit's binary form (submit, report, train --init-from)", () => {
    const binary = join(folder, 'binary.json');
    expect(runCli(['export', model, '--format', 'nnkit', '--out', binary]).code).toBe(0);
    const weights = readFileSync(join(folder, 'binary.bin'));
    expectFailure(['submit', binary, '--test', testCsv, '--out', join(folder, 'binary.bin')], 2, /--out .*binary\.bin: is also an input of this command \(.*binary\.bin\); write to another file/);
    expectFailure(['report', binary, '--out', join(folder, 'binary.bin')], 2, /--out .*binary\.bin: is also an input of this command/);
    expectFailure(['train', '--init-from', binary, '--limit', '100', '--epochs', '1', '--out', join(folder, 'binary.bin')], 2, /--out .*binary\.bin: is also an input of this command/);
    expect(readFileSync(join(folder, 'binary.bin'))).toEqual(weights);
  });

  it('prints how often each digit was predicted', () => {
    const run = runCli(['submit', model, '--test', testCsv, '--out', join(folder, 'plain.csv')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^wrote 30 predictions to .*plain\.csv \(ImageId,Label; ImageId from 1\)\npredicted digits: 0: \d+ · 1: \d+ · .* · 9: \d+\n$/);
  });

  it.each([
    [['submit', 'm.json', '--out', 's.csv'], /required option '--test <file>' not specified/],
    [['submit', 'm.json', '--test', 't.csv'], /required option '--out <file>' not specified/],
    [['submit', 'm.json', '--test', 'missing.csv', '--out', 's.csv'], /--test missing\.csv: no such file/],
  ])('usage error %j exits 2 with one line', (args, message) => {
    expectFailure(args, 2, message);
  });

  it('rejects a labelled train.csv and a malformed test.csv, leaving --out alone', () => {
    const out = join(folder, 'keep.csv');
    writeFileSync(out, 'previous submission');
    expectFailure(['submit', model, '--test', trainCsv, '--out', out], 1, /train\.csv: line 1: found a label column \(train layout\); expected 784 pixel columns and no label \(test layout\)/);
    const short = join(folder, 'short.csv');
    const lines = readFileSync(testCsv, 'utf8').split('\n');
    lines[5] = lines[5].split(',').slice(0, 700).join(',');
    writeFileSync(short, lines.join('\n'));
    expectFailure(['submit', model, '--test', short, '--out', out], 1, /short\.csv: line 6, column pixel700: found end of line after 700 fields; expected 784 fields/);
    expect(readFileSync(out, 'utf8')).toBe('previous submission');
    expectFailure(['submit', model, '--test', testCsv, '--out', folder], 2, /--out .*: is a folder, expected a file path/);
  });
});
