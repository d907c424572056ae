// Time to 99 %: the `fast` preset trained start to finish by nnkit's command line and by the
// same recipe in PyTorch (python/torch_fast.py: same network, optimizer, schedule, batch and
// epochs; the data order differs), each a process of its own. The figure is the wall time from
// starting the process to its exit (start-up, loading MNIST, training and the test score), as a
// user waits for it; GNU time (/usr/bin/time) reports the peak memory when it is installed.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mnistDataDirectory } from '@nnkit/datasets/node';
import { presets } from '@nnkit/train';
import type { Profile } from './workloads.js';
import { pytorchThreads, runProcess, type ChildOutput, type PythonLookup } from './pytorch.js';

/** Who trains `fast`: nnkit's CLI (default threads), PyTorch on 2 threads and on 1. */
export type TimeRunnerId = 'nnkit' | keyof typeof pytorchThreads;

/** One process that trained `fast`. */
export interface TimeToAccuracyRow {
  readonly runner: TimeRunnerId;
  readonly library: string;
  readonly backend: string;
  /** Wall seconds from the process's start to its exit; null when it did not finish. */
  readonly seconds: number | null;
  /** Test accuracy at the end, percent. */
  readonly accuracy: number | null;
  /** Peak resident set size (ru_maxrss), MiB; null when unknown. */
  readonly peakRssMegabytes: number | null;
  /** Why `seconds` is null. */
  readonly reason?: string;
}

/** What torch_fast.py reads from its one argument. */
export interface TorchFastSpec {
  readonly threads: number;
  readonly seed: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  /** Train on the first `limit` images only (the smoke run), or all of them. */
  readonly limit: number | null;
  readonly mnistDirectory: string;
}

/** `fast` in full, or one epoch on 640 images for `--smoke`. */
function runLength(profile: Profile): { epochs: number; limit: number | null } {
  return profile === 'smoke' ? { epochs: 1, limit: 640 } : { epochs: presets.fast.epochs, limit: null };
}

/** The spec of the PyTorch run: the `fast` preset's recipe. */
export function torchFastSpec(profile: Profile, threads: number, seed: number): TorchFastSpec {
  const { epochs, limit } = runLength(profile);
  const optimizer = presets.fast.optimizer;
  if (optimizer.kind !== 'adam' || presets.fast.schedule?.kind !== 'cosine') throw new Error('time to accuracy: torch_fast.py implements Adam with a cosine schedule; the fast preset changed');
  return { threads, seed, epochs, batchSize: presets.fast.batchSize, learningRate: optimizer.learningRate ?? 1e-3, limit, mnistDirectory: mnistDataDirectory() };
}

/** `apps/cli/dist/cli.js`, looked for upwards from `entryFile`, or null when it is not built. */
export function nnkitCliPath(entryFile: string): string | null {
  let directory = dirname(entryFile);
  for (let up = 0; up < 8; up++) {
    const candidate = join(directory, 'apps', 'cli', 'dist', 'cli.js');
    if (existsSync(candidate)) return candidate;
    directory = dirname(directory);
  }
  return null;
}

const gnuTime = '/usr/bin/time';
const timeMarker = 'bench-peers-time';

/** Runs `command args` under GNU time when present; wall seconds as the parent saw them, peak RSS from GNU time. */
async function timedProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ output: ChildOutput; seconds: number; peakRssMegabytes: number | null }> {
  const wrapped = existsSync(gnuTime);
  const started = performance.now();
  const output = wrapped
    ? await runProcess(gnuTime, ['-f', `${timeMarker} %M`, command, ...args], env, timeoutMs)
    : await runProcess(command, args, env, timeoutMs);
  const seconds = (performance.now() - started) / 1000;
  const line = output.stderr.split('\n').find((text) => text.startsWith(timeMarker));
  const kilobytes = line === undefined ? Number.NaN : Number(line.slice(timeMarker.length + 1));
  return { output, seconds, peakRssMegabytes: Number.isFinite(kilobytes) ? kilobytes / 1024 : null };
}

function lastJson(output: ChildOutput): Record<string, unknown> | null {
  const last = output.stdout.trim().split('\n').pop() ?? '';
  if (!last.startsWith('{')) return null;
  try {
    return JSON.parse(last) as Record<string, unknown>;
  } catch {
    return null;
  }
}

function failure(output: ChildOutput, timeoutMs: number): string {
  if (output.timedOut) return `did not finish within ${Math.round(timeoutMs / 1000)} s`;
  const lastError = output.stderr.split('\n').filter((line) => line.trim() !== '' && !line.startsWith(timeMarker)).pop() ?? 'no output';
  return `exit ${output.signal ?? output.code}: ${lastError}`;
}

/** `nnkit train --preset fast` with the CLI's default threads and backend. */
export async function timeNnkitFast(cli: string | null, profile: Profile, seed: number, timeoutMs: number): Promise<TimeToAccuracyRow> {
  const base = { runner: 'nnkit' as const, library: 'nnkit', backend: 'CLI defaults' };
  if (cli === null) return { ...base, seconds: null, accuracy: null, peakRssMegabytes: null, reason: 'apps/cli/dist/cli.js not found (pnpm build)' };
  const { epochs, limit } = runLength(profile);
  const args = [cli, 'train', '--preset', 'fast', '--seed', String(seed), '--epochs', String(epochs), '--json', '--quiet', ...(limit === null ? [] : ['--limit', String(limit)])];
  const { output, seconds, peakRssMegabytes } = await timedProcess(process.execPath, args, process.env, timeoutMs);
  const report = output.code === 0 ? lastJson(output) : null;
  if (report === null) return { ...base, seconds: null, accuracy: null, peakRssMegabytes: null, reason: failure(output, timeoutMs) };
  const threads = typeof report.threads === 'number' ? report.threads : 1;
  return {
    ...base,
    backend: `${String(report.backend)}, ${threads} thread${threads === 1 ? '' : 's'}`,
    seconds,
    accuracy: typeof report.accuracy === 'number' ? report.accuracy * 100 : null,
    peakRssMegabytes,
  };
}

/** python/torch_fast.py on `threads` threads. */
export async function timePytorchFast(torch: PythonLookup | null, script: string, runner: keyof typeof pytorchThreads, profile: Profile, seed: number, timeoutMs: number): Promise<TimeToAccuracyRow> {
  const threads = pytorchThreads[runner];
  const base = { runner, library: 'torch', backend: `cpu, ${threads} thread${threads === 1 ? '' : 's'}` };
  if (torch === null || 'reason' in torch) return { ...base, seconds: null, accuracy: null, peakRssMegabytes: null, reason: torch && 'reason' in torch ? torch.reason : 'not selected' };
  const spec = torchFastSpec(profile, threads, seed);
  const { output, seconds, peakRssMegabytes } = await timedProcess(torch.python, [script, JSON.stringify(spec)], { ...process.env, OPENBLAS_NUM_THREADS: '1' }, timeoutMs);
  const report = output.code === 0 ? lastJson(output) : null;
  if (report === null) return { ...base, seconds: null, accuracy: null, peakRssMegabytes: null, reason: failure(output, timeoutMs) };
  return {
    ...base,
    library: String(report.library),
    seconds,
    accuracy: typeof report.accuracy === 'number' ? report.accuracy * 100 : null,
    peakRssMegabytes: peakRssMegabytes ?? (typeof report.peakRssMegabytes === 'number' ? report.peakRssMegabytes : null),
  };
}
