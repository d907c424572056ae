import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

interface TrainJson {
  accuracy: number;
  validationAccuracy: number | null;
  bestValidation: { epoch: number; validationAccuracy: number; testAccuracy?: number } | null;
  epochs: number;
  samples: number;
  arch: string | null;
  threads: number;
  history: { learningRate: number; validationAccuracy?: number }[];
  members?: { seed: number; accuracy: number }[];
  ensemble?: { vote: number; average: number };
}

describe('nnkit train options', () => {
  it('--arch, --optimizer, --schedule, --val-split, --clip and --augment shape the run', () => {
    const run = runCli([
      'train', '--arch', '784-32-10', '--optimizer', 'nesterov', '--lr', '0.05', '--schedule', 'step:1,0.5',
      '--val-split', '0.1', '--clip', '5', '--augment', 'rotate:10', '--limit', '1000', '--epochs', '2', '--json',
    ]);
    expect(run.code).toBe(0);
    const result = run.json<TrainJson>();
    expect(result.arch).toBe('784-32-10');
    expect(result.samples).toBe(1000);
    // Progress (on stderr with --json): each epoch's line but the last estimates the time left.
    expect(run.stderr).toMatch(/epoch 1\/2: loss .* s · ≈ \d+s to go\n/);
    expect(run.stderr).toMatch(/epoch 2\/2: loss [^\n]* s\n/);
    // step:1,0.5 halves η after every epoch.
    expect(result.history.map((record) => record.learningRate)).toEqual([0.05, 0.025]);
    expect(result.history[0].validationAccuracy).toBeGreaterThan(0.5);
    // The summary's validation accuracy is the last epoch's; the best is the last of the highest.
    expect(result.validationAccuracy).toBe(result.history[1].validationAccuracy);
    const [first, second] = result.history.map((record) => record.validationAccuracy!);
    expect(result.bestValidation).toEqual({ epoch: second >= first ? 2 : 1, validationAccuracy: Math.max(first, second), testAccuracy: expect.any(Number) });
  });

  it('--arch reads the layers grammar, so any registered layer trains from the command line', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-grammar-'));
    const arch = 'conv2d(4,5,he)-elu-maxPool2d(2)-flatten-dense(units=16)-elu(alpha=0.5)-dense(10)';
    const run = runCli(['train', '--arch', arch, '--limit', '500', '--epochs', '1', '--json', '--out', join(folder, 'model.json')]);
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    expect(run.json<TrainJson>().arch).toBe(arch);
    const saved = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as { layers: { config: { kind: string } }[] };
    expect(saved.layers.map((layer) => layer.config)).toContainEqual({ kind: 'elu', alpha: 0.5 });
  });

  it('reads a YAML config, and command-line flags win over it', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-config-'));
    writeFileSync(join(folder, 'run.yaml'), 'preset: smoke\nlimit: 800\nepochs: 3\nbatch-size: 50\n');
    const run = runCli(['train', '--config', 'run.yaml', '--epochs', '1', '--json'], { cwd: folder });
    expect(run.code).toBe(0);
    expect(run.json<TrainJson>()).toMatchObject({ samples: 800, epochs: 1 });
    writeFileSync(join(folder, 'bad.json'), '{"epochs": -2}');
    const bad = runCli(['train', '--config', 'bad.json'], { cwd: folder });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--config bad\.json: epochs: expected a positive integer, got '-2'/);
    writeFileSync(join(folder, 'unknown.json'), '{"epoch": 2}');
    expect(runCli(['train', '--config', 'unknown.json'], { cwd: folder }).stderr).toMatch(/unknown option 'epoch'/);
  });

  it('a config file may name settings as the flags do (val-split) or as the library does (validationSplit)', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-config-names-'));
    const base = 'preset: smoke\nlimit: 300\nepochs: 2\nthreads: 1\n';
    writeFileSync(join(folder, 'old.yaml'), `${base}val-split: 0.2\nearly-stop: 1\nclip: 0.5\n`);
    writeFileSync(join(folder, 'new.yaml'), `${base}validation-split: 0.2\nearlyStopping: 1\nclipGradientNorm: 0.5\n`);
    const train = (config: string, out: string) => runCli(['train', '--config', config, '--quiet', '--out', out], { cwd: folder });
    for (const [config, out] of [['old.yaml', 'old.json'], ['new.yaml', 'new.json']]) expect(train(config, out).code).toBe(0);
    expect(runCli(['train', '--preset', 'smoke', '--limit', '300', '--epochs', '2', '--threads', '1', '--quiet', '--out', 'flags.json', '--val-split', '0.2', '--early-stop', '1', '--clip', '0.5'], { cwd: folder }).code).toBe(0);
    const flags = readFileSync(join(folder, 'flags.json'));
    expect(readFileSync(join(folder, 'old.json'))).toEqual(flags);
    expect(readFileSync(join(folder, 'new.json'))).toEqual(flags);
    expect(JSON.parse(flags.toString()).meta.settings).toMatchObject({ valSplit: 0.2, earlyStop: 1, clip: 0.5 });
    writeFileSync(join(folder, 'both.yaml'), 'val-split: 0.2\nvalidationSplit: 0.3\n');
    const both = train('both.yaml', 'both.json');
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--config both\.yaml: validationSplit: the same option is given twice/);
  });

  it('--threads defaults to every core, and to one for the batch-10 presets whose steps are too small to split', () => {
    const threadsOf = (args: string[]) => {
      const run = runCli(['train', '--limit', '200', '--epochs', '1', '--json', ...args]);
      expect(run.code).toBe(0);
      return run.json<TrainJson>().threads;
    };
    expect(threadsOf(['--preset', 'smoke'])).toBe(availableParallelism());
    expect(threadsOf(['--preset', 'nielsen-ch1'])).toBe(1);
    expect(threadsOf(['--preset', 'nielsen-ch1', '--threads', '2'])).toBe(2);
    // Another network or batch size is not what the preset's single thread was measured on.
    expect(threadsOf(['--preset', 'nielsen-ch1', '--batch-size', '100'])).toBe(availableParallelism());
    expect(runCli(['train', '--help']).stdout.replace(/\s+/g, ' ')).toMatch(/nielsen-ch1, nielsen-ch3, nielsen-ch6-dropout: 1,/);
  });

  it('--ensemble K trains K seeds and reports each and their vote', () => {
    const run = runCli(['train', '--preset', 'smoke', '--limit', '800', '--epochs', '1', '--ensemble', '3', '--json']);
    expect(run.code).toBe(0);
    const result = run.json<TrainJson>();
    expect(result.members?.map((member) => member.seed)).toEqual([1, 2, 3]);
    expect(result.ensemble?.vote).toBeGreaterThan(0.5);
    expect(result.ensemble?.average).toBeGreaterThan(0.5);
  });

  it('trains on a Kaggle train.csv with 25 % held out', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-csv-'));
    // A small Kaggle-layout file made from the first 400 MNIST training images.
    expect(runCli(['train', '--preset', 'smoke', '--limit', '10', '--epochs', '1', '--quiet'], { cwd: folder }).code).toBe(0);
    const header = ['label', ...Array.from({ length: 784 }, (_, i) => `pixel${i}`)].join(',');
    const rows: string[] = [header];
    for (let i = 0; i < 400; i++) rows.push([i % 10, ...Array.from({ length: 784 }, (_, p) => ((p * 7 + i * 13) % 97 < 10 * (i % 10) ? 200 : 0))].join(','));
    writeFileSync(join(folder, 'train.csv'), `${rows.join('\r\n')}\r\n`);
    const run = runCli(['train', '--preset', 'smoke', '--data', 'csv:train.csv', '--epochs', '2', '--json'], { cwd: folder });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    expect(run.json<TrainJson>().samples).toBe(300);
  });

  it.each([
    [['train', '--arch', '784-30-11'], /last layer must have 10 units/],
    [['train', '--arch', 'flatten dense(0) dense(10)'], /^nnkit: --arch flatten dense\(0\) dense\(10\): 'dense\(0\)' \(part 2, column 9\): dense: units: expected a positive integer, got 0 \(see --help\)$/m],
    [['train', '--arch', 'conv20x5-blah-fc10'], /--arch conv20x5-blah-fc10: unknown part 'blah' \(part 2, column 10\)/],
    [['train', '--optimizer', 'lbfgs'], /expected one of sgd, momentum/],
    [['train', '--schedule', 'zigzag'], /--schedule: /],
    [['train', '--augment', 'spin:3'], /--augment: /],
    [['train', '--val-split', '1.5'], /expected a number between 0 and 1/],
    [['train', '--activation', 'tanh'], /shape an --arch network/],
    [['train', '--optimizer', 'adam', '--momentum', '0.5'], /--momentum applies to momentum, nesterov and rmsprop, not adam/],
  ])('usage error %j exits 2 with one line', (args, message) => {
    const run = runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a malformed --data file is one line and exit 1; a missing one a usage error, exit 2', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-baddata-'));
    writeFileSync(join(folder, 'bad.csv'), 'label,pixel0\n3,abc\n');
    const bad = runCli(['train', '--preset', 'smoke', '--data', 'csv:bad.csv'], { cwd: folder });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.csv/);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const missing = runCli(['train', '--preset', 'smoke', '--data', 'idx:nowhere'], { cwd: folder });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nowhere/);
  });
});
