import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '@nnkit/layers';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const small = ['--limit', '2000', '--epochs', '1', '--seed', '3'];

describe('nnkit train', () => {
  it('trains the smoke preset on a slice and reports JSON on the last stdout line', () => {
    const run = runCli(['train', '--preset', 'smoke', ...small, '--json']);
    expect(run.stderr).not.toMatch(/at .*\(.*:\d+:\d+\)/); // no stack trace
    expect(run.code).toBe(0);
    const result = run.json<{ accuracy: number; loss: number; epochs: number; samples: number; seconds: number; imagesPerSecond: number }>();
    expect(result.epochs).toBe(1);
    expect(result.samples).toBe(2000);
    // 2 000 images, one epoch of a 784-32-10 network: well above chance, far from perfect.
    expect(result.accuracy).toBeGreaterThan(0.75);
    expect(result.accuracy).toBeLessThanOrEqual(1);
    expect(result.loss).toBeGreaterThan(0);
    expect(result.imagesPerSecond).toBeGreaterThan(0);
  });

  it('prints plain progress lines when stdout is not a terminal', () => {
    const run = runCli(['train', '--preset', 'smoke', ...small]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/epoch 1\/1 +\d+% \| batch \d+\/63 \| loss \d\.\d{4} \| acc [\d.]+% \| [\d,]+ img\/s \| ETA \d+s/);
    expect(run.stdout).toMatch(/epoch 1\/1 100% \| batch 63\/63 \| .* img\/s\n/); // no ETA once done
    expect(run.stdout).toMatch(/test accuracy \d+\.\d\d%/);
    expect(run.stdout).not.toContain('\u001b['); // no colour without a terminal
  });

  it('gives identical numbers for the same seed, and a byte-identical model file', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-train-'));
    const first = runCli(['train', '--preset', 'smoke', ...small, '--json', '--out', join(folder, 'a.json')]);
    const second = runCli(['train', '--preset', 'smoke', ...small, '--json', '--out', join(folder, 'b.json')]);
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(second.json<{ accuracy: number }>().accuracy).toBe(first.json<{ accuracy: number }>().accuracy);
    expect(second.json<{ loss: number }>().loss).toBe(first.json<{ loss: number }>().loss);
    const a = JSON.parse(readFileSync(join(folder, 'a.json'), 'utf8')) as { layers: unknown };
    const b = JSON.parse(readFileSync(join(folder, 'b.json'), 'utf8')) as { layers: unknown };
    expect(b.layers).toEqual(a.layers);
    // The saved model loads and has the preset's shape; no temporary files are left behind.
    const { model } = loadModel(readFileSync(join(folder, 'a.json'), 'utf8'), 'a.json');
    expect(model.outputShape).toEqual([10]);
    expect(readdirSync(folder).sort()).toEqual(['a.json', 'b.json']);
  });

  it('a different seed gives different numbers', () => {
    const first = runCli(['train', '--preset', 'smoke', ...small, '--json']);
    const other = runCli(['train', '--preset', 'smoke', '--limit', '2000', '--epochs', '1', '--seed', '4', '--json']);
    expect(other.json<{ loss: number }>().loss).not.toBe(first.json<{ loss: number }>().loss);
  });

  it.each([
    [['train', '--bogus'], /unknown option '--bogus'/],
    [['train', '--epochs', 'three'], /--epochs.*expected a positive integer, got 'three'/],
    [['train', '--epochs', '0'], /expected a positive integer/],
    [['train', '--lr', '-1'], /expected a positive number/],
    [['train', '--preset', 'nope'], /unknown preset 'nope'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('usage error %j exits 2 with one line', (args, message) => {
    const run = runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
  });

  it('refuses an unwritable --out before training, leaving existing files alone', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-train-'));
    const existing = join(folder, 'model.json');
    writeFileSync(existing, 'previous contents');
    const intoFolder = runCli(['train', '--preset', 'smoke', '--limit', '200', '--epochs', '1', '--out', folder]);
    expect(intoFolder.code).toBe(2);
    expect(intoFolder.stderr).toMatch(/--out .*: is a folder, expected a file path/);
    const missingFolder = runCli(['train', '--preset', 'smoke', '--limit', '200', '--epochs', '1', '--out', join(folder, 'nope', 'm.json')]);
    expect(missingFolder.code).toBe(2);
    expect(missingFolder.stderr).toMatch(/does not exist/);
    expect(readFileSync(existing, 'utf8')).toBe('previous contents');
    expect(readdirSync(folder)).toEqual(['model.json']);
  });

  it('--quiet prints the result line but no progress', () => {
    const run = runCli(['train', '--preset', 'smoke', '--limit', '500', '--epochs', '1', '--quiet']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toMatch(/^test accuracy/);
  });
});
