import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The built `nnkit` bundle: tests run what users run (turbo builds it before `test`). */
export const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The last stdout line parsed as JSON (for --json runs). */
  json<T = Record<string, unknown>>(): T;
}

/** Runs `nnkit ...args` to completion in a child process, without a terminal and without colour. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): CliRun {
  const result = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    timeout: 300_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const stdout = result.stdout ?? '';
  return {
    code: result.status ?? 1,
    stdout,
    stderr: result.stderr ?? '',
    json<T>() {
      const lines = stdout.trim().split('\n');
      return JSON.parse(lines[lines.length - 1] ?? 'null') as T;
    },
  };
}

/** Runs `nnkit ...args` and checks it fails the way users should see it: one line, no stack trace, this exit code, nothing on stdout. */
export function expectFailure(args: string[], code: number, message: RegExp): void {
  const run = runCli(args);
  expect(run.stderr).toMatch(message);
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(run.code).toBe(code);
  expect(run.stdout).toBe('');
}
