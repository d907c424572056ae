import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('nnkit bench', () => {
  it('reports training and inference images/s as JSON', () => {
    const run = runCli(['bench', '--preset', 'smoke', '--images', '640', '--threads', '1', '--json']);
    expect(run.code).toBe(0);
    const result = run.json<{ preset: string; threads: number; trainImagesPerSecond: number; inferenceImagesPerSecond: number }>();
    expect(result).toMatchObject({ preset: 'smoke', threads: 1 });
    expect(result.trainImagesPerSecond).toBeGreaterThan(0);
    expect(result.inferenceImagesPerSecond).toBeGreaterThan(0);
  });

  it('picks threads as `nnkit train` does: one for the batch-10 presets, else every core', () => {
    const threadsOf = (preset: string) => runCli(['bench', '--preset', preset, '--images', '640', '--json']).json<{ threads: number }>().threads;
    expect(threadsOf('nielsen-ch1')).toBe(1);
    expect(threadsOf('smoke')).toBe(availableParallelism());
  });

  it('rejects bad options with exit 2', () => {
    const run = runCli(['bench', '--images', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/expected a positive integer/);
    expect(runCli(['bench', '--preset', 'huge']).stderr).toMatch(/unknown preset 'huge'/);
  });
});
