import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { cliPath, expectFailure, runCli } from './run-cli.js';

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
  it('inspect and eval refuse a layer declaring 60 000 units over data for one in one line', () => {
    const bomb = modelBomb(60_000);
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

describe('no command destroys its own inputs or replaces what is not a plain file', () => {
  const model = inject('smokeModel');
  const testCsv = inject('testCsv');
  const trainCsv = inject('trainCsv');
  const unchanged = (path: string) => {
    const before = readFileSync(path);
    return () => expect(Buffer.compare(readFileSync(path), before)).toBe(0);
  };

  it('refuses --out onto an input (same real path, links followed) with exit 2', () => {
    const copy = join(folder, 'copy.csv');
    copyFileSync(testCsv, copy);
    const link = join(folder, 'link-to-copy.csv');
    symlinkSync(copy, link);
    const check = unchanged(copy);
    expectFailure(['submit', model, '--test', copy, '--out', copy], 2, /--out .*copy\.csv: is also an input of this command/);
    expectFailure(['submit', model, '--test', copy, '--out', link], 2, /is also an input of this command/);
    expectFailure(['train', '--data', `csv:${copy}`, '--out', copy, '--epochs', '1'], 2, /--out .*: is also an input/);
    check();
    const modelCheck = unchanged(model);
    expectFailure(['report', model, '--out', model, '--limit', '10'], 2, /--out .*smoke\.json: is also an input/);
    modelCheck();
  });

  it('--out - writes the file to standard output and the summary to stderr', () => {
    const run = runCli(['submit', model, '--test', testCsv, '--out', '-']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('ImageId,Label');
    expect(run.stdout.trim().split('\n')).toHaveLength(31);
    expect(run.stderr).toMatch(/^wrote 30 predictions to -/);
  });

  it('follows a symbolic --out link to its target and writes through a device', () => {
    const target = join(folder, 'target.csv');
    writeFileSync(target, 'old');
    const link = join(folder, 'out-link.csv');
    symlinkSync(target, link);
    expect(runCli(['submit', model, '--test', testCsv, '--out', link]).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toMatch(/^ImageId,Label\n/);
    const device = join(folder, 'null');
    // A null device of the test's own (mknod needs root), never the system's /dev/null.
    if (spawnSync('mknod', ['-m', '666', device, 'c', '1', '3']).status === 0) {
      expect(runCli(['report', model, '--data', `csv:${trainCsv}`, '--limit', '20', '--out', device]).code).toBe(0);
      expect(statSync(device).isCharacterDevice()).toBe(true);
    }
  });
});

describe('option values are bounded before any work', () => {
  const cap = 4 * availableParallelism();

  it('--threads is capped at four per core, said in --help and in the error', () => {
    expectFailure(['train', '--threads', '1000', '--epochs', '1'], 2, new RegExp(`--threads <n>' argument '1000' is invalid\\. expected at most ${cap} threads \\(4 per core\\)`));
    expectFailure(['bench', '--threads', String(cap + 1)], 2, /expected at most \d+ threads/);
    const config = join(folder, 'threads.yaml');
    writeFileSync(config, 'threads: 1000\n');
    expectFailure(['train', '--config', config], 2, /--config .*threads\.yaml: threads: expected at most \d+ threads/);
    expect(runCli(['train', '--help']).stdout.replace(/\s+/g, ' ')).toContain(`--threads <n> split each mini-batch over N threads, at most ${cap} (4 per core)`);
  });
});

describe('sizes are checked before the work they size', () => {
  const trainCsv = inject('trainCsv');

  it('augment --preview refuses a picture past the pixel limit before distorting anything', () => {
    const out = join(folder, 'preview.png');
    expectFailure(['augment', '--preview', 'rotate:10', '--data', `csv:${trainCsv}`, '--count', '1000', '--variants', '1000', '--out', out], 2, /--count 1000 × --variants 1000: a preview of [\d,]+ pixels, more than 25,000,000 \(NNKIT_MAX_PIXELS\)/);
    expect(existsSync(out)).toBe(false);
  });

  it('augment --copies and train --batch-size past what the data allows name the option', () => {
    expectFailure(['augment', 'rotate:10', '--data', `csv:${trainCsv}`, '--copies', '1000000', '--out', `idx:${join(folder, 'expanded')}`], 2, /^nnkit: --copies 1000000: more than the [\d,]+ copies of 400 training images that fit in 1 GiB/);
    expect(existsSync(join(folder, 'expanded'))).toBe(false);
    expectFailure(['train', '--data', `csv:${trainCsv}`, '--batch-size', '1000000000', '--epochs', '1'], 2, /^nnkit: --batch-size 1000000000: more than the 300 training images of csv:/);
  });
});

/** Any control character but the newline, or a bidirectional override. */
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('text from files reaches the terminal escaped', () => {
  const model = inject('smokeModel');

  it("inspect escapes meta and history keys and values (window title, clear screen, colours)", () => {
    const file = JSON.parse(readFileSync(model, 'utf8'));
    file.meta = { '\u001b]0;owned\u0007title': '\u001b[2J\u001b[31mred\u009b1m', note: { kind: 'x\u0000y', '\u202eevil': 1 } };
    file.history = [{ epoch: 1, trainLoss: 0.5, '\u001b[31mloss': 0.1 }];
    const path = join(folder, 'escapes.json');
    writeFileSync(path, JSON.stringify(file));
    const run = runCli(['inspect', path]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toMatch(CONTROL);
    expect(run.stdout).toContain('\\x1b]0;owned\\x07title');
    const json = runCli(['inspect', path, '--json']);
    expect(json.stdout).not.toMatch(CONTROL);
    expect(json.json<{ meta: Record<string, unknown> }>().meta['\u001b]0;owned\u0007title']).toBe('\u001b[2J\u001b[31mred\u009b1m');
  });

  it('a file that is not JSON: the parser message is escaped, on one line', () => {
    const path = join(folder, 'binary.json');
    writeFileSync(path, Buffer.from('x\u001b[2J\u0007\u0000 \u009b1m', 'utf8'));
    const run = runCli(['inspect', path]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^nnkit: .*binary\.json: not valid JSON/);
    expect(run.stderr.slice(0, -1)).not.toMatch(CONTROL);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a 150 000-epoch history and 100 000-deep nesting end in a result or one line, never a stack overflow', () => {
    const file = JSON.parse(readFileSync(model, 'utf8'));
    file.history = Array.from({ length: 150_000 }, (_, index) => ({ epoch: index + 1, trainLoss: 1 / (index + 1), trainAccuracy: 0.5 }));
    const long = join(folder, 'long-history.json');
    writeFileSync(long, JSON.stringify(file));
    const inspected = runCli(['inspect', long, '--json']);
    expect(inspected.stderr).toBe('');
    expect(inspected.json<{ history: unknown[] }>().history).toHaveLength(150_000);
    const report = runCli(['report', long, '--data', `csv:${inject('trainCsv')}`, '--limit', '20', '--out', join(folder, 'long.html')]);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    delete file.history;
    const deep = join(folder, 'deep.json');
    writeFileSync(deep, JSON.stringify(file).replace(/}$/, `,"meta":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`));
    expectFailure(['inspect', deep], 1, /deep\.json: meta: nested more than 64 levels deep/);
  });
});

describe('run checkpoints are validated before anything is built from them', () => {
  let checkpoint: Record<string, any>;
  beforeAll(() => {
    const path = join(folder, 'run.ckpt.json');
    const run = runCli(['train', '--preset', 'smoke', '--data', `csv:${inject('trainCsv')}`, '--epochs', '1', '--quiet', '--checkpoint', path]);
    expect(run.stderr).toBe('');
    checkpoint = JSON.parse(readFileSync(path, 'utf8'));
  });
  const hostile = (name: string, change: (run: Record<string, any>) => void): string => {
    const copy = structuredClone(checkpoint);
    change(copy);
    const path = join(folder, `${name}.ckpt.json`);
    writeFileSync(path, JSON.stringify(copy));
    return path;
  };
  const flip = (data: string) => `${data[0] === 'A' ? 'B' : 'A'}${data.slice(1)}`;

  const cases: [string, (run: Record<string, any>) => void, RegExp][] = [
    ['backend', (run) => (run.settings.backend = 'evil'), /settings\.backend: expected one of js, wasm, auto, got "evil"/],
    ['epochs', (run) => (run.settings.epochs = -3), /settings\.epochs: expected an integer >= 1, got -3/],
    ['position', (run) => (run.checkpoint.position.epoch = 999), /checkpoint\.position\.epoch: 999 epochs done, past the run's 1/],
    ['threads', (run) => (run.settings.threads = 100_000), /settings\.threads: expected at most \d+ threads/],
    ['network', (run) => (run.settings.arch = '784-60000-10'), /settings\.arch: --arch 784-60000-10: .*declares more than 25,450 parameter values/],
    ['other-network', (run) => (run.settings.arch = '784-10'), /settings describe another network than the checkpoint stores: value set 0 is \[784, 32\], the network's is \[784, 10\]/],
    ['flipped', (run) => (run.checkpoint.params[0].data = flip(run.checkpoint.params[0].data)), /checkpoint: checksum: the stored numbers give crc32:/],
    ['nan', (run) => (run.checkpoint.params[1].data = `AADAfw${run.checkpoint.params[1].data.slice(6)}`), /params\[1\]\.data: value 0 is NaN, expected finite numbers/],
  ];
  for (const [name, change, message] of cases) {
    it(`${name}: inspect and --resume fail in one line naming the field, exit 1`, () => {
      const path = hostile(name, change);
      expectFailure(['inspect', path], 1, message);
      expectFailure(['train', '--resume', path, '--quiet'], 1, message);
    });
  }
});

describe('one rule for paths that are not there, and messages naming the option', () => {
  it('a missing file or folder named on the command line is a usage error (exit 2), whatever its role', () => {
    expectFailure(['eval', 'nope.json'], 2, /model nope\.json: no such file/);
    expectFailure(['eval', inject('smokeModel'), '--data', 'csv:nope.csv'], 2, /data nope\.csv: no such file/);
    expectFailure(['convert', 'idx:nope', `csv:${join(folder, 'x.csv')}`], 2, /data idx:nope: no such folder/);
  });

  it('idx:FILE says it is a file, not that no folder exists', () => {
    expectFailure(['eval', inject('smokeModel'), '--data', `idx:${inject('trainCsv')}`], 2, /data idx:.*train\.csv: is a file, expected a folder of IDX files/);
  });

  it('--arch, --schedule and --augment errors name the option, exit 2', () => {
    expectFailure(['train', '--arch', '784-x-10'], 2, /^nnkit: --arch/);
    expectFailure(['train', '--schedule', 'sometimes'], 2, /^nnkit: --schedule: /);
    expectFailure(['train', '--augment', 'wobble:3'], 2, /^nnkit: --augment: /);
  });
});

describe('two runs writing the same file', () => {
  it('the second is refused naming the first pid; a lock left by a killed run is taken over', async () => {
    const work = mkdtempSync(join(folder, 'lock-'));
    const long = ['train', '--preset', 'smoke', '--data', `csv:${inject('trainCsv')}`, '--epochs', '200', '--quiet', '--checkpoint', 'run.json'];
    const first = spawn(process.execPath, [cliPath, ...long], { cwd: work, stdio: 'ignore' });
    try {
      const lock = join(realpathSync(work), '.run.json.lock');
      for (let waited = 0; !existsSync(lock) && waited < 30_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(readFileSync(lock, 'utf8').trim()).toBe(String(first.pid));
      const second = runCli(['train', '--preset', 'smoke', '--data', `csv:${inject('trainCsv')}`, '--epochs', '1', '--checkpoint', 'run.json'], { cwd: work });
      expect(second.code).toBe(1);
      expect(second.stderr).toBe(`nnkit: --checkpoint run.json: another nnkit run (pid ${first.pid}) is writing it; wait for it to end or choose another file\n`);
    } finally {
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));
    }
    // The killed run's lock names a process that is gone: the next run takes it over and removes it at the end.
    expect(existsSync(join(work, '.run.json.lock'))).toBe(true);
    const next = runCli(['train', '--preset', 'smoke', '--data', `csv:${inject('trainCsv')}`, '--epochs', '1', '--quiet', '--out', 'm.json', '--checkpoint', 'run.json'], { cwd: work });
    expect(next.code).toBe(0);
    expect(readdirSync(work).filter((name) => name.endsWith('.lock'))).toEqual([]);
  });
});
