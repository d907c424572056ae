import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliPath, runCli } from './run-cli.js';

/**
 * A run to interrupt: its epochs take tens of milliseconds, so a five-epoch run can end between
 * two looks at its checkpoint on a busy machine; thirty leave the tests a second or more to act.
 */
const run30 = ['train', '--preset', 'smoke', '--limit', '1500', '--epochs', '30', '--seed', '2', '--quiet'];
/** The epoch and batch of the position a checkpoint file records, or null before there is one. */
const positionIn = (checkpoint: string): [number, number] | null => {
  const match = /"position":\{"epoch":(\d+),"batch":(\d+)/.exec(existsSync(checkpoint) ? readFileSync(checkpoint, 'utf8') : '');
  return match === null ? null : [Number(match[1]), Number(match[2])];
};

/** Starts `nnkit args` and resolves once `ready()` holds, returning the child to signal. */
function startUntil(args: readonly string[], cwd: string, ready: () => boolean) {
  const child = spawn(process.execPath, [cliPath, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const readyPromise = new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (ready()) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
    void exited.then(() => {
      clearInterval(timer);
      if (!ready()) reject(new Error(`nnkit exited before it was ready: ${stderr}`));
    });
  });
  return { child, exited, ready: readyPromise, output: () => ({ stdout, stderr }) };
}

describe('nnkit train checkpoints', () => {
  it('killed with SIGKILL after its second epoch and resumed, gives the uninterrupted model byte for byte', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-resume-'));
    expect(runCli([...run30, '--out', 'full.json'], { cwd: folder }).code).toBe(0);
    const checkpoint = join(folder, 'run.ckpt.json');
    const killed = startUntil([...run30, '--out', 'resumed.json', '--checkpoint', 'run.ckpt.json'], folder, () => (positionIn(checkpoint)?.[0] ?? 0) >= 2);
    await killed.ready;
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(existsSync(join(folder, 'resumed.json'))).toBe(false);
    const resumed = runCli(['train', '--resume', 'run.ckpt.json', '--quiet'], { cwd: folder });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(readFileSync(join(folder, 'resumed.json'))).toEqual(readFileSync(join(folder, 'full.json')));
  });

  it('--checkpoint-every N also saves mid-epoch, and a run killed after one resumes to the same bytes', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-every-'));
    // 1500 images in batches of 32: 47 batches an epoch, a checkpoint after every 10th trained.
    expect(runCli([...run30, '--out', 'full.json'], { cwd: folder }).code).toBe(0);
    const checkpoint = join(folder, 'run.ckpt.json');
    const killed = startUntil([...run30, '--out', 'resumed.json', '--checkpoint', 'run.ckpt.json', '--checkpoint-every', '10'], folder, () => {
      const position = positionIn(checkpoint);
      return position !== null && position[0] >= 1 && position[1] !== 0;
    });
    await killed.ready;
    killed.child.kill('SIGKILL');
    await killed.exited;
    const [epoch, batch] = positionIn(checkpoint)!;
    // Mid-way through an epoch after the first, after 50, 60, … batches trained (in the second
    // epoch: 3, 13, … of it), or at the end of an epoch the run got through before the kill.
    expect(epoch).toBeGreaterThanOrEqual(1);
    expect(batch === 0 || (47 * epoch + batch) % 10 === 0).toBe(true);
    const resumed = runCli(['train', '--resume', 'run.ckpt.json', '--checkpoint-every', '10', '--quiet'], { cwd: folder });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(readFileSync(join(folder, 'resumed.json'))).toEqual(readFileSync(join(folder, 'full.json')));
    const alone = runCli(['train', '--preset', 'smoke', '--checkpoint-every', '10'], { cwd: folder });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/--checkpoint-every needs --checkpoint FILE/);
  });

  it('Ctrl-C writes a checkpoint, exits 130, and --resume finishes the same model', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-interrupt-'));
    expect(runCli([...run30, '--out', 'full.json'], { cwd: folder }).code).toBe(0);
    const started = startUntil(['train', '--preset', 'smoke', '--limit', '1500', '--epochs', '30', '--seed', '2', '--out', 'm.json'], folder, () =>
      started.output().stdout.includes('epoch 1/30:'),
    );
    await started.ready;
    started.child.kill('SIGINT');
    expect(await started.exited).toBe(130);
    expect(started.output().stdout).toMatch(/interrupted: checkpoint written to m\.checkpoint\.json; continue with: nnkit train --resume m\.checkpoint\.json/);
    expect(existsSync(join(folder, 'm.json'))).toBe(false);
    const resumed = runCli(['train', '--resume', 'm.checkpoint.json', '--quiet'], { cwd: folder });
    expect(resumed.code).toBe(0);
    expect(readFileSync(join(folder, 'm.json'))).toEqual(readFileSync(join(folder, 'full.json')));
  });

  it('rejects a damaged checkpoint and settings beside --resume', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-badckpt-'));
    writeFileSync(join(folder, 'cut.json'), '{"format":"nnkit-train-run","version":1,"settings":{');
    const cut = runCli(['train', '--resume', 'cut.json'], { cwd: folder });
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/cut\.json: not a checkpoint \(invalid JSON/);
    writeFileSync(join(folder, 'other.json'), '{"format":"nnkit-model"}');
    const other = runCli(['train', '--resume', 'other.json'], { cwd: folder });
    expect(other.code).toBe(1);
    expect(other.stderr).toMatch(/other\.json: format: expected an nnkit-train-run/);
    const mixed = runCli(['train', '--resume', 'other.json', '--epochs', '3'], { cwd: folder });
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/drop --epochs/);
    for (const run of [cut, other, mixed]) expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('resumes a run file written before the run-file codec (version 1, the flags\' names) to the uninterrupted bytes', () => {
    const folder = mkdtempSync(join(tmpdir(), 'nnkit-v1-'));
    // Written by `nnkit train` of this file's flags plus `--checkpoint run.ckpt.json --checkpoint-every 5 --out model.json`, killed mid-epoch 2.
    copyFileSync(fileURLToPath(new URL('fixtures/run-checkpoint-v1.json', import.meta.url)), join(folder, 'run.ckpt.json'));
    const flags = ['--arch', '784-6-10', '--activation', 'relu', '--limit', '400', '--epochs', '3', '--batch-size', '20', '--optimizer', 'momentum', '--lr', '0.05', '--momentum', '0.5'];
    const more = ['--val-split', '0.25', '--early-stop', '5', '--clip', '5', '--seed', '3', '--threads', '1', '--backend', 'js', '--quiet'];
    expect(runCli(['train', ...flags, ...more, '--out', 'full.json'], { cwd: folder }).code).toBe(0);
    const resumed = runCli(['train', '--resume', 'run.ckpt.json', '--quiet'], { cwd: folder });
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(readFileSync(join(folder, 'model.json'))).toEqual(readFileSync(join(folder, 'full.json')));
    // The run file was rewritten in the current version, under the library's names.
    const rewritten = JSON.parse(readFileSync(join(folder, 'run.ckpt.json'), 'utf8')) as { version: number; settings: Record<string, unknown> };
    expect(rewritten.version).toBe(2);
    expect(rewritten.settings).toMatchObject({ validationSplit: 0.25, earlyStopping: 5, clipGradientNorm: 5 });
    expect(rewritten.settings).not.toHaveProperty('valSplit');
  });
});
