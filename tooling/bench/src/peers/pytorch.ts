// PyTorch as a peer: found by asking `python3 -c 'import torch'` (then Debian's
// /usr/bin/python3, where `apt-get install -y python3-torch` puts it, when `python3` on the PATH
// is another interpreter), run as a child on python/torch_peer.py with the workload's spec.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mnistDataDirectory } from '@nnkit/datasets/node';
import type { ChildReport } from './protocol.js';
import type { Schedule, Workload } from './workloads.js';

/** PyTorch's thread count for each PyTorch row: 2 as in BENCHMARKS.md (both cores), and 1. */
export const pytorchThreads = { pytorch: 2, 'pytorch-1thread': 1 } as const;

/** How to install PyTorch for the comparison (Debian's package: CPU only, no download of wheels). */
export const pytorchInstallHint = 'install with apt-get install -y python3-torch';

/** A Python that imports torch, or why none does. */
export type PythonLookup = { readonly python: string; readonly version: string } | { readonly reason: string };

/**
 * The first of `candidates` (default: `python3`, then `/usr/bin/python3`) that imports torch.
 * The reason names the first candidate's failure, as the user would type it.
 */
export function findTorchPython(candidates: readonly string[] = ['python3', '/usr/bin/python3']): PythonLookup {
  const failures: string[] = [];
  for (const python of new Set(candidates)) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1' },
    });
    if (probe.status === 0) return { python, version: probe.stdout.trim() };
    const why = probe.error ? probe.error.message : (probe.stderr.trim().split('\n').pop() ?? `exit code ${probe.status}`);
    failures.push(`${python} (${why})`);
  }
  return { reason: `python3 -c "import torch" failed: ${pytorchInstallHint} [tried ${failures.join('; ')}]` };
}

/** `python/torch_peer.py`, looked for upwards from `entryFile` (the built bundle or its source). */
export function torchScriptPath(entryFile: string): string {
  let directory = dirname(entryFile);
  for (let up = 0; up < 6; up++) {
    const candidate = join(directory, 'python', 'torch_peer.py');
    if (existsSync(candidate)) return candidate;
    directory = dirname(directory);
  }
  throw new Error(`bench:peers: python/torch_peer.py not found above ${entryFile}`);
}

/** What torch_peer.py reads from its one argument. */
export interface TorchSpec {
  readonly workload: Workload['name'];
  readonly batchSize: number;
  readonly inferBatchSize: number;
  readonly optimizer: Workload['optimizer'];
  readonly train: Schedule | null;
  readonly infer: Schedule | null;
  readonly seed: number;
  readonly threads: number;
  readonly mnistDirectory: string;
}

/** The spec for `workload` with these schedules. */
export function torchSpec(workload: Workload, train: Schedule | null, infer: Schedule | null, seed: number, threads: number): TorchSpec {
  return {
    workload: workload.name,
    batchSize: workload.batchSize,
    inferBatchSize: workload.inferBatchSize,
    optimizer: workload.optimizer,
    train,
    infer,
    seed,
    threads,
    mnistDirectory: mnistDataDirectory(),
  };
}

/** Output of a finished child process. */
export interface ChildOutput {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** Runs `command args`, collecting its output; kills it (by its own pid) after `timeoutMs`. */
export function runProcess(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ChildOutput> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: `${stderr}${error.message}\n`, timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

/** The report a child printed as its last stdout line, or an Error saying why there is none. */
export function parseChildReport(output: ChildOutput, what: string, timeoutMs: number): ChildReport | Error {
  const lastLine = output.stdout.trim().split('\n').pop() ?? '';
  if (output.code === 0 && lastLine.startsWith('{')) {
    try {
      return JSON.parse(lastLine) as ChildReport;
    } catch {
      // fall through to the error below
    }
  }
  if (output.timedOut) return new Error(`${what} did not finish within ${Math.round(timeoutMs / 1000)} s`);
  const lastError = output.stderr.trim().split('\n').filter((line) => line.trim() !== '').pop() ?? 'no output';
  const status = output.signal ? `signal ${output.signal}` : `exit code ${output.code}`;
  return new Error(`${what} failed (${status}): ${lastError}`);
}

/** Runs torch_peer.py with OPENBLAS_NUM_THREADS=1 (PyTorch threads itself; see the script). */
export async function runPytorch(python: string, script: string, spec: TorchSpec, timeoutMs: number): Promise<ChildReport | Error> {
  const output = await runProcess(python, [script, JSON.stringify(spec)], { ...process.env, OPENBLAS_NUM_THREADS: '1' }, timeoutMs);
  return parseChildReport(output, `PyTorch on ${spec.workload}`, timeoutMs);
}
