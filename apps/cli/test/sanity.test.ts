import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

interface Scores {
  trainAccuracy: number;
  testAccuracy: number;
}

describe('nnkit sanity', () => {
  it('memorises shuffled labels without learning anything that generalises', () => {
    const run = runCli(['sanity', '--limit', '300', '--epochs', '10', '--seed', '1', '--json']);
    expect(run.code).toBe(0);
    const result = run.json<{ shuffled: Scores; normal: Scores; samples: number; epochs: number; chance: number }>();
    expect(result).toMatchObject({ samples: 300, epochs: 10, chance: 0.1 });
    // Measured with seed 1: shuffled 52.7 % train / 11.4 % test; true labels 100 % / 80.1 %.
    expect(result.shuffled.trainAccuracy).toBeGreaterThan(0.35);
    expect(result.shuffled.testAccuracy).toBeGreaterThan(0.04);
    expect(result.shuffled.testAccuracy).toBeLessThan(0.16);
    expect(result.normal.trainAccuracy).toBeGreaterThan(0.95);
    expect(result.normal.testAccuracy).toBeGreaterThan(0.7);
    // Progress went to stderr, so stdout is the JSON line alone.
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/shuffled labels +epoch 10\/10/);
  });

  it('prints both runs side by side and says what they mean', () => {
    const run = runCli(['sanity', '--limit', '200', '--epochs', '3', '--quiet']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ +train accuracy +test accuracy\ntrue labels +\d+\.\d% +\d+\.\d%\nshuffled labels +\d+\.\d% +\d+\.\d% +\(chance ≈ 10\.0%\)/);
    expect(run.stdout).toMatch(/test accuracy stays near chance/);
    expect(run.stdout).toMatch(/only held-out accuracy measures what was learned/);
    expect(run.stdout).not.toMatch(/epoch \d/); // --quiet: no progress
  });

  it('--help lists every option with its default', () => {
    const run = runCli(['sanity', '--help']);
    expect(run.code).toBe(0);
    const text = run.stdout.replace(/\s+/g, ' '); // help wraps at 80 columns
    for (const option of ['--preset <name>', '--limit <n>', '--epochs <n>', '--lr <x>', '--seed <n>', '--json', '--quiet']) expect(text).toContain(option);
    expect(text).toMatch(/--preset <name> [^(]*\([^)]*\) \(default: "smoke"\)/);
    expect(text).toMatch(/training images \(default: 1000\)/);
    expect(text).toMatch(/\(each run\) \(default: 30\)/);
    expect(text).toMatch(/shuffling \(default: 1\)/);
  });

  it.each([
    [['sanity', '--preset', 'nope'], /unknown preset 'nope'/],
    [['sanity', '--limit', '0'], /--limit.*expected a positive integer/],
    [['sanity', '--limit', '60001'], /--limit 60001 exceeds the 60000 MNIST training images/],
    [['sanity', '--epochs', 'ten'], /--epochs.*expected a positive integer, got 'ten'/],
    [['sanity', 'extra'], /too many arguments/],
  ])('usage error %j exits 2 with one line', (args, message) => {
    const run = runCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
  });
});
