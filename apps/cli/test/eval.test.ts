import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { sliceDataset } from '@nnkit/datasets';
import { loadMnist } from '@nnkit/datasets/node';
import { loadModel, saveModel, Sequential } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { evaluate } from '@nnkit/train';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { cliPath, expectFailure, runCli } from './run-cli.js';

const model = inject('smokeModel');
const trainCsv = inject('trainCsv');
let folder: string;

interface Scores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}
/** What eval adds for several models. */
interface EnsembleJson extends EvalJson {
  members: { model: string; accuracy: number }[];
  vote: number;
  missedByEvery: number[];
  missedByAny: number;
}

interface EvalJson {
  command: string;
  count: number;
  accuracy: number;
  loss: number;
  evaluatedOn: string;
  confusionMatrix: number[][];
  report: { perClass: (Scores & { label: number })[]; accuracy: number; macroAverage: Scores; weightedAverage: Scores };
  topConfusions: { label: number; predicted: number; count: number }[];
}

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'nnkit-eval-'));
});

/** Expects exit code `code`, exactly one line on stderr matching `message`, nothing on stdout. */
describe('nnkit eval', () => {
  it('scores the model on the MNIST test set: JSON agrees with evaluate() in-process', () => {
    // js: the reference kernels, as evaluate() uses by default (auto picks WebAssembly).
    const run = runCli(['eval', model, '--limit', '500', '--backend', 'js', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = run.json<EvalJson>();
    expect(result.command).toBe('eval');
    expect(result.count).toBe(500);
    expect(result.evaluatedOn).toBe('MNIST test set');
    // The same model and images scored here, without the command line.
    const { model: loaded } = loadModel(readFileSync(model, 'utf8'), model);
    const expected = evaluate(loaded, sliceDataset(loadMnist().test, 0, 500));
    expect(result.accuracy).toBe(expected.accuracy);
    expect(result.loss).toBeCloseTo(expected.loss, 6);
    // 1 000 images, one epoch: clearly learned, far from perfect.
    expect(result.accuracy).toBeGreaterThan(0.6);
    expect(result.accuracy).toBeLessThan(0.99);

    const matrix = result.confusionMatrix;
    expect(matrix).toHaveLength(10);
    for (const row of matrix) expect(row).toHaveLength(10);
    expect(matrix.flat().reduce((a, b) => a + b, 0)).toBe(500);
    const trace = matrix.reduce((sum, row, i) => sum + row[i], 0);
    expect(trace / 500).toBe(result.accuracy);

    const { report } = result;
    expect(report.perClass.map((row) => row.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    report.perClass.forEach((row, i) => {
      expect(row.support).toBe(matrix[i].reduce((a, b) => a + b, 0));
      const predicted = matrix.reduce((sum, r) => sum + r[i], 0);
      expect(row.recall).toBeCloseTo(matrix[i][i] / row.support, 12);
      if (predicted > 0) expect(row.precision).toBeCloseTo(matrix[i][i] / predicted, 12);
    });
    expect(report.accuracy).toBe(result.accuracy);
    expect(report.macroAverage.support).toBe(500);
    expect(report.macroAverage.f1).toBeCloseTo(report.perClass.reduce((sum, row) => sum + row.f1, 0) / 10, 12);
    expect(report.weightedAverage.recall).toBeCloseTo(result.accuracy, 12);

    expect(result.topConfusions.length).toBeGreaterThan(0);
    expect(result.topConfusions.length).toBeLessThanOrEqual(10);
    for (const pair of result.topConfusions) {
      expect(pair.label).not.toBe(pair.predicted);
      expect(pair.count).toBe(matrix[pair.label][pair.predicted]);
    }
    const counts = result.topConfusions.map((pair) => pair.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
  });

  it('prints the report table, the shaded matrix and the confusions, without colour off a terminal', () => {
    const run = runCli(['eval', model, '--limit', '300', '--top', '3']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/accuracy \d+\.\d\d% \(\d+ of 300 correct\) · loss \d\.\d{4} \(cross-entropy\)\n/);
    expect(run.stdout).toContain('              precision    recall  f1-score   support');
    expect(run.stdout).toMatch(/\n    accuracy {25}0\.\d{4} {7}300\n/);
    expect(run.stdout).toMatch(/\n   macro avg {5}0\.\d{4} {4}0\.\d{4} {4}0\.\d{4} {7}300\n/);
    expect(run.stdout).toContain('predicted →');
    expect(run.stdout).toMatch(/shade ░▒▓█/);
    expect(run.stdout).toMatch(/Most frequent confusions[^\n]*\n(  \d → \d +\d+ images? +\(\d+% of the misclassified \ds\)\n){3}$/);
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('colours the matrix on a terminal, and not with NO_COLOR', () => {
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} eval ${JSON.stringify(model)} --limit 200`;
    const { NO_COLOR: _ignored, ...environment } = process.env;
    const onTerminal = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...environment, TERM: 'xterm-256color' } });
    expect(onTerminal.status).toBe(0);
    expect(onTerminal.stdout).toMatch(/\u001b\[48;5;\d+m/);
    expect(onTerminal.stdout).toContain('green: share of the row predicted correctly');
    const noColor = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...environment, TERM: 'xterm-256color', NO_COLOR: '1' } });
    expect(noColor.status).toBe(0);
    expect(noColor.stdout).not.toContain('\u001b[');
  });

  it('evaluates a Kaggle CSV on its seeded 25 % held-out part, the same images every run', () => {
    const first = runCli(['eval', model, '--data', `csv:${trainCsv}`, '--json']);
    expect(first.code).toBe(0);
    const result = first.json<EvalJson>();
    expect(result.count).toBe(100); // ⌈0.25 · 400⌉
    expect(result.evaluatedOn).toBe(`25 % held out of csv:${trainCsv} (seed 0)`);
    const again = runCli(['eval', model, '--data', `csv:${trainCsv}`, '--json']).json<EvalJson>();
    expect(again.confusionMatrix).toEqual(result.confusionMatrix);
  });

  it('--help lists every option with its default', () => {
    const text = runCli(['eval', '--help']).stdout.replace(/\s+/g, ' ');
    expect(text).toMatch(/--data <spec> .* \(default: "mnist"\)/);
    expect(text).toMatch(/--limit <n> .* \(default: all\)/);
    expect(text).toMatch(/--top <n> .* \(default: 10\)/);
    expect(text).toMatch(/--backend <name> .* \(default: "auto"\)/);
    expect(text).toMatch(/--threads <n> .* \(default: every core, \d+ here\)/);
    expect(text).toContain('--json');
  });

  it.each([
    [['eval'], /missing required argument 'models'/],
    [['eval', 'nope.json'], /model nope\.json: no such file/],
    [['eval', 'x.json', '--data', 'mnsit'], /--data.*expected mnist, idx:DIR, csv:FILE or folder:DIR, got 'mnsit'/],
    [['eval', 'x.json', '--limit', '0'], /--limit.*expected a positive integer, got '0'/],
    [['eval', 'x.json', '--top', 'many'], /--top.*expected a non-negative integer/],
    [['eval', 'x.json', '--bogus'], /unknown option '--bogus'/],
  ])('usage error %j exits 2 with one line', (args, message) => {
    expectFailure(args, 2, message);
  });

  it('a truncated model file: one line naming the file, exit 1', () => {
    const text = readFileSync(model, 'utf8');
    const truncated = join(folder, 'truncated.json');
    writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
    expectFailure(['eval', truncated], 1, new RegExp(`^nnkit: ${truncated.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid JSON`));
  });

  it('an unknown layer kind or a wrong parameter shape: the file and the field', () => {
    const file = JSON.parse(readFileSync(model, 'utf8')) as { layers: { config: { kind: string }; params: Record<string, { shape: number[] }> }[] };
    const unknownKind = structuredClone(file);
    unknownKind.layers[2].config.kind = 'swish';
    writeFileSync(join(folder, 'kind.json'), JSON.stringify(unknownKind));
    expectFailure(['eval', join(folder, 'kind.json')], 1, /kind\.json: layers\[2\]\.config\.kind: .*swish/);
    const wrongShape = structuredClone(file);
    wrongShape.layers[1].params.weights.shape = [784, 31];
    writeFileSync(join(folder, 'shape.json'), JSON.stringify(wrongShape));
    expectFailure(['eval', join(folder, 'shape.json')], 1, /shape\.json: layers\[1\]\.params\.weights\.shape: expected \[784, 32\], got \[784, 31\]/);
  });

  it('several models score as an ensemble; members with other classes are refused in one line', () => {
    const run = runCli(['eval', model, model, '--limit', '300', '--json']);
    expect(run.code, run.stderr).toBe(0);
    // A model averaged with itself predicts what it predicts alone.
    const alone = runCli(['eval', model, '--limit', '300', '--json']).json<EvalJson>();
    expect(run.json<EvalJson & { models: string[] }>()).toMatchObject({ accuracy: alone.accuracy, confusionMatrix: alone.confusionMatrix, models: [model, model] });
    // Each alone, and the images both miss: all of the one model's mistakes.
    const both = run.json<EnsembleJson>();
    expect(both.members).toEqual([{ model, accuracy: alone.accuracy }, { model, accuracy: alone.accuracy }]);
    const mistakes = Math.round((1 - alone.accuracy) * 300);
    expect(both.missedByEvery).toHaveLength(mistakes);
    expect(both.missedByAny).toBe(mistakes);
    expect(alone).not.toHaveProperty('missedByEvery');
    const five = new Sequential({ inputShape: [28, 28, 1], layers: [{ kind: 'flatten' }, { kind: 'dense', units: 5 }], loss: { kind: 'softmaxCrossEntropy' } }, createRng(1));
    writeFileSync(join(folder, 'five.json'), saveModel(five));
    expectFailure(['eval', model, join(folder, 'five.json'), '--limit', '10'], 1, /five\.json: scores 5 classes, .*smoke\.json 10: an ensemble's models must share their classes/);
  });

  it('--save-ensemble writes an ensemble file of the models given, which eval scores again to the same figures', () => {
    const members = join(folder, 'members');
    mkdirSync(members, { recursive: true });
    const other = new Sequential({ inputShape: [28, 28, 1], layers: [{ kind: 'flatten' }, { kind: 'dense', units: 10 }], loss: { kind: 'softmaxCrossEntropy' } }, createRng(7));
    writeFileSync(join(members, 'other.json'), saveModel(other));
    const ensemble = join(folder, 'pair.json');
    const run = runCli(['eval', model, join(members, 'other.json'), '--limit', '200', '--tta', '2', '--save-ensemble', ensemble, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const together = run.json<EvalJson & { ensembleFile: string }>();
    expect(together.ensembleFile).toBe(ensemble);
    const file = JSON.parse(readFileSync(ensemble, 'utf8')) as { format: string; version: number; members: string[]; meta: Record<string, unknown> };
    // Members named relative to the ensemble file's folder, the figures as measured.
    expect(file).toMatchObject({ format: 'nnkit-ensemble', version: 1, members: [relative(folder, model), 'members/other.json'] });
    expect(file.meta).toMatchObject({ testTimeViews: 2, testAccuracy: { average: together.accuracy }, evaluatedOn: { data: 'mnist', count: 200 } });
    expect((file.meta.members as unknown[]).length).toBe(2);
    // Each member alone over the same views, as `nnkit eval MEMBER` scores it; the mistakes they share.
    const figures = run.json<EnsembleJson>();
    const alone = [model, join(members, 'other.json')].map((path) => runCli(['eval', path, '--limit', '200', '--tta', '2', '--json']).json<EvalJson>());
    expect(figures.members.map((member) => member.accuracy)).toEqual(alone.map((one) => one.accuracy));
    const mistakes = alone.map((one) => Math.round((1 - one.accuracy) * 200));
    expect(figures.missedByEvery.length).toBeLessThanOrEqual(Math.min(...mistakes));
    expect(figures.missedByAny).toBeGreaterThanOrEqual(Math.max(...mistakes));
    expect(figures.missedByAny).toBeLessThanOrEqual(mistakes[0] + mistakes[1] - figures.missedByEvery.length);
    expect(file.meta).toMatchObject({ missedByEvery: figures.missedByEvery.length, members: [{ accuracy: alone[0].accuracy }, { accuracy: alone[1].accuracy }] });
    // The vote is right where every member is right and wrong where every member is wrong.
    expect(figures.vote).toBeGreaterThanOrEqual((200 - figures.missedByAny) / 200);
    expect(figures.vote).toBeLessThanOrEqual((200 - figures.missedByEvery.length) / 200);
    expect(file.meta).toMatchObject({ testAccuracy: { average: together.accuracy, vote: figures.vote } });
    expect(runCli(['inspect', ensemble]).stdout).toContain(`vote ${(figures.vote * 100).toFixed(2)}% (each member's answer over its views)`);
    const text = runCli(['eval', model, join(members, 'other.json'), '--limit', '200', '--tta', '2']);
    expect(text.stdout).toContain(`each alone: ${(alone[0].accuracy * 100).toFixed(2)}% ${model} · ${(alone[1].accuracy * 100).toFixed(2)}% ${join(members, 'other.json')}`);
    expect(text.stdout).toMatch(new RegExp(`missed by every member: ${figures.missedByEvery.length} images? \\(no way of combining these members mends them\\) · by at least one: ${figures.missedByAny}`));
    expect(text.stdout).toContain(`their vote (each member's answer; the accuracy above averages their probabilities): ${(figures.vote * 100).toFixed(2)}%`);
    expect(text.stdout).toContain(`· loss ${together.loss.toFixed(4)} (cross-entropy of the probabilities averaged over 2 models × 2 views)`);
    const again = runCli(['eval', ensemble, '--limit', '200', '--tta', '2', '--json']).json<EvalJson>();
    expect(again).toMatchObject({ accuracy: together.accuracy, confusionMatrix: together.confusionMatrix });
    // One model is no ensemble: refused before anything is scored or written.
    expectFailure(['eval', model, '--save-ensemble', join(folder, 'one.json')], 1, /^nnkit: --save-ensemble: an ensemble needs two or more model files, got one \(.*smoke\.json\)$/m);
    expect(existsSync(join(folder, 'one.json'))).toBe(false);
    // A file it cannot write, or one of its own inputs: refused before anything is scored.
    expectFailure(['eval', model, join(members, 'other.json'), '--save-ensemble', join(folder, 'missing', 'x.json')], 2, /^nnkit: --save-ensemble .*x\.json: folder .*missing does not exist \(see --help\)$/m);
    expectFailure(['eval', model, join(members, 'other.json'), '--save-ensemble', model], 2, /^nnkit: --save-ensemble .*smoke\.json: is also an input of this command/m);
    // …a member an ensemble file lists included.
    expectFailure(['eval', ensemble, '--save-ensemble', join(members, 'other.json')], 2, /^nnkit: --save-ensemble .*other\.json: is also an input of this command/m);
  });

  it('--subsets K scores every combination of K of the models as eval scores them together, the most accurate first', () => {
    const members = join(folder, 'subsets');
    mkdirSync(members, { recursive: true });
    const paths = [model, ...[3, 5].map((seed) => {
      const path = join(members, `dense-${seed}.json`);
      writeFileSync(path, saveModel(new Sequential({ inputShape: [28, 28, 1], layers: [{ kind: 'flatten' }, { kind: 'dense', units: 10 }], loss: { kind: 'softmaxCrossEntropy' } }, createRng(seed))));
      return path;
    })];
    const run = runCli(['eval', ...paths, '--limit', '200', '--subsets', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { subsets } = run.json<EvalJson & { subsets: { size: number; combinations: { models: string[]; correct: number; accuracy: number }[] } }>();
    expect(subsets.size).toBe(2);
    expect(subsets.combinations.map((combination) => combination.models).sort()).toEqual([[paths[0], paths[1]], [paths[0], paths[2]], [paths[1], paths[2]]].sort());
    for (const [i, combination] of subsets.combinations.entries()) {
      // Each as `nnkit eval` scores exactly those models together (one view each: the same sums).
      const pair = runCli(['eval', ...combination.models, '--limit', '200', '--json']).json<EvalJson>();
      expect(combination).toMatchObject({ accuracy: pair.accuracy, correct: Math.round(pair.accuracy * 200) });
      if (i > 0) expect(subsets.combinations[i - 1].correct).toBeGreaterThanOrEqual(combination.correct);
    }
    // The trained model and the two untrained ones: the pairs with it are the better ones.
    expect(subsets.combinations[2].models).toEqual([paths[1], paths[2]]);
    const text = runCli(['eval', ...paths, '--limit', '200', '--subsets', '2']).stdout;
    const [best, second, worst] = subsets.combinations;
    expect(text).toContain('Every 2 of the 3 models (3 combinations, probabilities averaged), the most accurate first:');
    expect(text).toContain(`  ${(best.accuracy * 100).toFixed(2)}%  ${best.correct} correct  ${best.models.join(', ')}`);
    expect(text).toContain(`over the 3: highest ${(best.accuracy * 100).toFixed(2)}% (${best.correct === second.correct ? '2 combinations' : 'one combination'}), median ${(second.accuracy * 100).toFixed(2)}%, lowest ${(worst.accuracy * 100).toFixed(2)}%`);
    // All of them is the one combination: the ensemble itself; an ensemble file counts its members.
    const all = runCli(['eval', ...paths, '--limit', '200', '--subsets', '3', '--json']).json<EvalJson & { subsets: { combinations: { accuracy: number }[] } }>();
    expect(all.subsets.combinations).toEqual([expect.objectContaining({ accuracy: all.accuracy })]);
    const listed = join(folder, 'three.json');
    writeFileSync(listed, JSON.stringify({ format: 'nnkit-ensemble', version: 1, members: paths.map((path) => relative(folder, path)) }));
    expect(runCli(['eval', listed, '--limit', '200', '--subsets', '2', '--json']).json<{ subsets: unknown }>().subsets).toEqual(subsets);
    // Sizes that cannot be: one line before anything is scored.
    expectFailure(['eval', ...paths, '--subsets', '4'], 2, /^nnkit: --subsets 4: only 3 models given \(see --help\)$/m);
    expectFailure(['eval', listed, '--subsets', '4'], 2, /^nnkit: --subsets 4: only 3 models given \(see --help\)$/m);
    expectFailure(['eval', model, '--subsets', '1'], 2, /^nnkit: --subsets 1: combinations need two or more model files, got one \(see --help\)$/m);
    expectFailure(['eval', ...paths, '--subsets', '0'], 2, /--subsets/);
    expectFailure(['eval', ...Array.from({ length: 20 }, () => model), '--subsets', '10'], 2, /^nnkit: --subsets 10: 184,756 combinations of 20 models; at most 20,000 are scored: give fewer models or another size \(see --help\)$/m);
  });

  it('--on validation scores the images the training held out, as the run scored them, and refuses what has none', () => {
    // Two runs holding out the last 20 % of the CSV's 300 training images (its 25 % test part set aside), one 25 %.
    const train = (name: string, split: string, seed: string) => {
      const run = runCli(['train', '--preset', 'smoke', '--data', `csv:${trainCsv}`, '--val-split', split, '--epochs', '2', '--seed', seed, '--threads', '1', '--out', join(folder, name), '--json']);
      expect(run.code, run.stderr).toBe(0);
      return run.json<{ validationAccuracy: number }>();
    };
    const first = train('val-a.json', '0.2', '1');
    const second = train('val-b.json', '0.2', '2');
    train('val-c.json', '0.25', '1');
    const scored = runCli(['eval', join(folder, 'val-a.json'), '--on', 'validation', '--json']);
    expect(scored.code, scored.stderr).toBe(0);
    const result = scored.json<EvalJson & { on: string }>();
    // The same images and weights as the run's last validation score: the same accuracy.
    expect(result).toMatchObject({ on: 'validation', count: 60, accuracy: first.validationAccuracy });
    expect(result.evaluatedOn).toBe(`validation images of csv:${trainCsv}: the last 60 training images, held out by --val-split 0.2`);
    // Members that held out the same images score together; each alone as its run scored it.
    const pair = runCli(['eval', join(folder, 'val-a.json'), join(folder, 'val-b.json'), '--on', 'validation', '--json']).json<EnsembleJson>();
    expect(pair.members.map((member) => member.accuracy)).toEqual([first.validationAccuracy, second.validationAccuracy]);
    expectFailure(['eval', join(folder, 'val-a.json'), join(folder, 'val-c.json'), '--on', 'validation'], 1, /val-c\.json: held out other validation images than .*val-a\.json: an ensemble is scored on validation images none of its members trained on/);
    // A run that held nothing out, --data, --save-ensemble: refused in one line.
    expectFailure(['eval', model, '--on', 'validation'], 1, /smoke\.json: its training held out no validation images \(preset smoke holds none out and no --val-split was given\): score it on the test set \(--on test\)/);
    expectFailure(['eval', join(folder, 'val-a.json'), '--on', 'validation', '--data', `csv:${trainCsv}`], 2, /--on validation scores the images the model held out of its own training data: --data does not apply/);
    expectFailure(['eval', join(folder, 'val-a.json'), join(folder, 'val-b.json'), '--on', 'validation', '--save-ensemble', join(folder, 'val.json')], 2, /--save-ensemble records test accuracy/);
    expectFailure(['eval', model, '--on', 'train'], 2, /--on.*expected one of test, validation, got 'train'/);
  });

  it('a model for other images than the data: names both', () => {
    const small = new Sequential(
      { inputShape: [14, 14, 1], layers: [{ kind: 'flatten' }, { kind: 'dense', units: 10 }], loss: { kind: 'softmaxCrossEntropy' } },
      createRng(1),
    );
    writeFileSync(join(folder, 'small.json'), saveModel(small));
    expectFailure(['eval', join(folder, 'small.json'), '--limit', '10'], 1, /small\.json: the model takes \[14, 14, 1\] images but mnist:test has \[28, 28, 1\] images/);
  });

  it('a malformed CSV: the file, line and column', () => {
    const lines = readFileSync(trainCsv, 'utf8').split('\n');
    lines[3] = lines[3].replace(/,0,/, ',x1,');
    writeFileSync(join(folder, 'bad.csv'), lines.join('\n'));
    expectFailure(['eval', model, '--data', `csv:${join(folder, 'bad.csv')}`], 1, /bad\.csv: line 4, column pixel\d+: found "x1"/);
  });
});
