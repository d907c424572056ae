import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveModel, Sequential } from '@nnkit/layers';
import { createRng } from '@nnkit/tensor';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from './run-cli.js';

const model = inject('smokeModel');
const trainCsv = inject('trainCsv');
let folder: string;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'nnkit-report-'));
});

describe('nnkit report', () => {
  it('writes one self-contained HTML page with history, first-layer weights and the model', () => {
    const out = join(folder, 'report.html');
    const run = runCli(['report', model, '--limit', '300', '--out', out, '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = run.json<{ accuracy: number; count: number; out: string; bytes: number; history: boolean; firstLayer: string }>();
    expect(result).toMatchObject({ count: 300, out, history: true, firstLayer: 'dense' });
    const html = readFileSync(out, 'utf8');
    expect(Buffer.byteLength(html)).toBe(result.bytes);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`${(result.accuracy * 100).toFixed(2)}%`);
    for (const heading of ['Confusion matrix and per-class scores', 'Where the mistakes are', 'Training history', 'Misclassified images', 'First-layer weights', 'Model']) {
      expect(html).toContain(`<h2>${heading}</h2>`);
    }
    expect(html).toContain('The incoming weights of 32 hidden units');
    expect(html).toContain('units 32, init he'); // layer settings in the model table
    // Self-contained: no scripts, nothing fetched from elsewhere.
    expect(html).not.toMatch(/<script|src="http|href="http|url\(http/);
    expect(html).toMatch(/src="data:image\/png;base64,/);
    expect(readdirSync(folder)).toEqual(['report.html']);
  });

  it('leaves the history out when the model file has none, and names a held-out CSV part', () => {
    const bare = new Sequential(
      { inputShape: [28, 28, 1], layers: [{ kind: 'flatten' }, { kind: 'dense', units: 10 }], loss: { kind: 'softmaxCrossEntropy' } },
      createRng(2),
    );
    const path = join(folder, 'bare.json');
    writeFileSync(path, saveModel(bare));
    const out = join(folder, 'bare.html');
    const run = runCli(['report', path, '--data', `csv:${trainCsv}`, '--out', out, '--title', 'untrained <model>']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/accuracy \d+\.\d\d% on 100 images \(25 % held out of csv:.*train\.csv \(seed 0\)\) · wrote .*bare\.html/);
    const html = readFileSync(out, 'utf8');
    expect(html).not.toContain('Training history');
    expect(html).toContain('<h1>untrained &lt;model&gt;</h1>');
    expect(html).toContain('25 % held out of csv:');
  });

  it('scores as eval does: over the model\'s own test-time views unless --tta says otherwise, and says so on the page', () => {
    const own = JSON.parse(readFileSync(model, 'utf8')) as { meta?: Record<string, unknown> };
    own.meta = { ...own.meta, testTimeViews: 3 };
    const viewed = join(folder, 'three-views.json');
    writeFileSync(viewed, JSON.stringify(own));
    const out = join(folder, 'views.html');
    const run = runCli(['report', viewed, '--limit', '300', '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const evaluated = runCli(['eval', viewed, '--limit', '300', '--json']).json<{ accuracy: number; tta: number }>();
    expect(run.json()).toMatchObject({ accuracy: evaluated.accuracy, tta: 3 });
    expect(runCli(['report', viewed, '--limit', '50', '--out', join(folder, 'text.html')]).stdout).toMatch(/^accuracy .* on 50 images \(MNIST test set.*\) · test-time augmentation over 3 views \(the model's own; --tta 1 scores the image alone\) · wrote /);
    expect(readFileSync(out, 'utf8')).toContain('3: probabilities averaged over the image and 2 one-pixel shifts');
    const one = runCli(['report', viewed, '--limit', '300', '--tta', '1', '--out', join(folder, 'one.html'), '--json']).json<{ accuracy: number }>();
    expect(one).not.toHaveProperty('tta');
    expect(one.accuracy).toBe(runCli(['eval', viewed, '--limit', '300', '--tta', '1', '--json']).json<{ accuracy: number }>().accuracy);
    expect(readFileSync(join(folder, 'one.html'), 'utf8')).not.toContain('one-pixel shift');
  });

  it('--help lists every option with its default', () => {
    const text = runCli(['report', '--help']).stdout.replace(/\s+/g, ' ');
    expect(text).toMatch(/--out <file> .* \(required\)/);
    expect(text).toMatch(/--data <spec> .* \(default: "mnist"\)/);
    expect(text).toMatch(/--limit <n> .* \(default: all\)/);
    expect(text).toMatch(/--title <text> .* \(default: the model file name\)/);
  });

  it.each([
    [['report', 'm.json'], /required option '--out <file>' not specified/],
    [['report', 'm.json', '--out', 'r.html', '--data', 'idx'], /--data.*idx needs a folder, as in idx:DIR, got 'idx'/],
    [['report', 'm.json', '--out', 'r.html', '--limit', '-3'], /--limit.*expected a positive integer/],
  ])('usage error %j exits 2 with one line', (args, message) => {
    const run = runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('checks --out before any work and never overwrites a report with half a page', () => {
    const existing = join(folder, 'keep.html');
    writeFileSync(existing, 'previous report');
    const intoFolder = runCli(['report', model, '--out', folder]);
    expect(intoFolder.code).toBe(2);
    expect(intoFolder.stderr).toMatch(/--out .*: is a folder, expected a file path/);
    const broken = join(folder, 'broken.json');
    writeFileSync(broken, readFileSync(model, 'utf8').slice(0, 500));
    const run = runCli(['report', broken, '--out', existing]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/broken\.json: not valid JSON/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(existing, 'utf8')).toBe('previous report');
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
