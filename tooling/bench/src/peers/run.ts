// The parent process of `pnpm bench:peers`: one child process per library and workload, run one
// after another (the machine's cores are the thing being measured), collected into rows.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { supportsWasmFeatures } from '@nnkit/wasm';
import { summarize, type PhaseResult, type PhaseTiming } from './measure.js';
import type { PeersOptions } from './options.js';
import { childFlag, type ChildReport, type ChildSpec, type NnkitBackend } from './protocol.js';
import { findTorchPython, parseChildReport, pytorchThreads, runProcess, runPytorch, torchScriptPath, torchSpec } from './pytorch.js';
import { computeRatios, flopConvention, flopTable, type PeerRow, type RatioName } from './report.js';
import { nnkitCliPath, timeNnkitFast, timePytorchFast, type TimeToAccuracyRow } from './time-to-accuracy.js';
import { forwardFlop, planPhase, trainFlop, workloads, type Phase, type PlannedPhase, type RunnerId, type Schedule, type Workload, type WorkloadName } from './workloads.js';

/** Everything one run measured: what `--json` prints. */
export interface PeersReport {
  readonly node: string;
  readonly machine: { readonly cpus: number; readonly model: string; readonly loadAverage: readonly number[] };
  readonly profile: PeersOptions['profile'];
  readonly nnkit: { readonly backend: NnkitBackend; readonly threads: number | 'auto'; readonly backendNote?: string };
  readonly flop: { readonly convention: string; readonly perImage: ReturnType<typeof flopTable> };
  readonly results: readonly PeerRow[];
  /** The `fast` preset start to finish (time to 99 %): nnkit's CLI and PyTorch on 2 and 1 threads. */
  readonly timeToAccuracy: readonly TimeToAccuracyRow[];
  readonly ratios: Record<RatioName, number | null>;
  readonly reasons: Partial<Record<RatioName, string>>;
  readonly seconds: number;
}

/** The same seed for every library: initial weights (where the library takes one) and data order. */
const seed = 'bench-peers';
const pythonSeed = 1;

/** nnkit's backend: the one asked for, else wasm when this engine runs `@nnkit/wasm` (SIMD), else js. */
export function resolveNnkitBackend(requested: NnkitBackend | undefined): { backend: NnkitBackend; note?: string } {
  if (requested) return { backend: requested };
  try {
    if (supportsWasmFeatures('simd')) return { backend: 'wasm' };
    return { backend: 'js', note: 'this engine has no WebAssembly SIMD, so nnkit runs its js kernels' };
  } catch (error) {
    return { backend: 'js', note: `@nnkit/wasm cannot run here (${error instanceof Error ? error.message : String(error)}), so nnkit runs its js kernels` };
  }
}

function scheduleOf(plan: PlannedPhase): Schedule | null {
  return 'schedule' in plan ? plan.schedule : null;
}

function skipOf(plan: PlannedPhase): string | undefined {
  return 'skip' in plan ? plan.skip : undefined;
}

/** A row from a child's report (or from why there is none). */
function toRow(workload: Workload, runner: RunnerId, plans: Record<Phase, PlannedPhase>, report: ChildReport | Error, fallbackLibrary: string): PeerRow {
  if (report instanceof Error) {
    return {
      workload: workload.name,
      runner,
      library: fallbackLibrary,
      backend: runner.replace(/^tfjs-/, ''),
      train: null,
      infer: null,
      reasons: { train: skipOf(plans.train) ?? report.message, infer: skipOf(plans.infer) ?? report.message },
      peakRssMegabytes: null,
      dataRssMegabytes: null,
    };
  }
  const summary = (timing: PhaseTiming | null, flop: number): PhaseResult | null => (timing ? summarize(timing, flop) : null);
  const reasons: { train?: string; infer?: string } = {};
  const trainReason = skipOf(plans.train) ?? report.trainReason;
  const inferReason = skipOf(plans.infer) ?? report.inferReason;
  if (trainReason) reasons.train = trainReason;
  if (inferReason) reasons.infer = inferReason;
  return {
    workload: workload.name,
    runner,
    library: report.library,
    backend: report.backend,
    train: summary(report.train, trainFlop(workload)),
    infer: summary(report.infer, forwardFlop(workload)),
    reasons,
    peakRssMegabytes: report.peakRssMegabytes,
    dataRssMegabytes: report.dataRssMegabytes,
  };
}

/** Runs a Node runner in a child process: `node <entry> --child <spec JSON>`. */
async function runNodeChild(entryFile: string, spec: ChildSpec, timeoutMs: number): Promise<ChildReport | Error> {
  const output = await runProcess(process.execPath, [entryFile, childFlag, JSON.stringify(spec)], process.env, timeoutMs);
  return parseChildReport(output, `${spec.runner} on ${spec.workload}`, timeoutMs);
}

function describe(row: PeerRow, seconds: number): string {
  const phase = (result: PhaseResult | null, reason: string | undefined): string =>
    result ? `${Math.round(result.imagesPerSecond).toLocaleString('en-US')} img/s` : `n/a (${reason ?? 'not run'})`;
  return `${row.workload} ${row.runner}: train ${phase(row.train, row.reasons.train)}, infer ${phase(row.infer, row.reasons.infer)} [${seconds.toFixed(1)} s]`;
}

/**
 * Runs every selected library on every selected workload and returns the report.
 * `entryFile` is the script to start child processes with (the built `peers.js`);
 * `progress` receives one line per finished child.
 */
export async function runPeers(options: PeersOptions, entryFile: string, progress: (line: string) => void): Promise<PeersReport> {
  const started = performance.now();
  const { backend, note } = resolveNnkitBackend(options.backend);
  if (note) progress(`note: ${note}`);
  const timeoutMs = options.profile === 'smoke' ? 120_000 : 20 * 60_000;
  const wantsTorch = options.runners.some((runner) => runner in pytorchThreads);
  const torch = wantsTorch ? findTorchPython(options.pythons) : null;
  if (torch && 'reason' in torch) progress(`PyTorch: ${torch.reason}`);

  const load = loadavg()[0];
  if (load > cpus().length) progress(`warning: load average ${load.toFixed(1)} on ${cpus().length} cores: other processes share the cores, so the figures (PyTorch's two threads most) are low`);

  const rows: PeerRow[] = [];
  for (const name of options.workloads as readonly WorkloadName[]) {
    const workload = workloads[name];
    for (const runner of options.runners) {
      const plans = { train: planPhase(options.profile, runner, name, 'train'), infer: planPhase(options.profile, runner, name, 'infer') };
      const childStarted = performance.now();
      let report: ChildReport | Error;
      let fallbackLibrary: string;
      if (runner === 'pytorch' || runner === 'pytorch-1thread') {
        fallbackLibrary = 'torch';
        if (torch === null || 'reason' in torch) report = new Error(torch && 'reason' in torch ? torch.reason : 'not selected');
        else report = await runPytorch(torch.python, torchScriptPath(entryFile), torchSpec(workload, scheduleOf(plans.train), scheduleOf(plans.infer), pythonSeed, pytorchThreads[runner]), timeoutMs);
      } else {
        fallbackLibrary = runner === 'nnkit' ? 'nnkit' : 'tfjs';
        const spec: ChildSpec = {
          runner,
          workload: name,
          train: scheduleOf(plans.train),
          infer: scheduleOf(plans.infer),
          nnkitBackend: backend,
          threads: options.threads ?? nnkitThreads(workload),
          // Inference splits a batch's rows over every core whatever the step's size.
          inferThreads: options.threads ?? availableParallelism(),
          seed,
        };
        report = await runNodeChild(entryFile, spec, timeoutMs);
      }
      const row = toRow(workload, runner, plans, report, fallbackLibrary);
      rows.push(row);
      progress(describe(row, (performance.now() - childStarted) / 1000));
    }
  }

  const timeRows: TimeToAccuracyRow[] = [];
  if (options.timeToAccuracy) {
    const fastTimeoutMs = options.profile === 'smoke' ? 120_000 : 10 * 60_000;
    for (const runner of options.runners) {
      const childStarted = performance.now();
      let row: TimeToAccuracyRow;
      if (runner === 'nnkit') row = await timeNnkitFast(nnkitCliPath(entryFile), options.profile, pythonSeed, fastTimeoutMs);
      else if (runner === 'pytorch' || runner === 'pytorch-1thread') row = await timePytorchFast(torch, join(dirname(torchScriptPath(entryFile)), 'torch_fast.py'), runner, options.profile, pythonSeed, fastTimeoutMs);
      else continue;
      timeRows.push(row);
      const figure = row.seconds === null ? `n/a (${row.reason ?? 'not run'})` : `${row.seconds.toFixed(1)} s to ${row.accuracy?.toFixed(2) ?? '?'} %`;
      progress(`fast ${runner}: ${figure} [${((performance.now() - childStarted) / 1000).toFixed(1)} s]`);
    }
  }

  const { ratios, reasons } = computeRatios(rows, timeRows);
  return {
    node: process.version,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', loadAverage: loadavg().map((value) => Math.round(value * 100) / 100) },
    profile: options.profile,
    nnkit: { backend, threads: options.threads ?? 'auto', ...(note ? { backendNote: note } : {}) },
    flop: { convention: flopConvention, perImage: flopTable() },
    results: rows,
    timeToAccuracy: timeRows,
    ratios,
    reasons,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * nnkit's thread count when --threads is not given: every core. bench-cnn (590 MFLOP a step)
 * gained from data parallelism from the start; bench-mlp (64 MFLOP) does since the optimizer and
 * the gradient sum run in WebAssembly and the calling thread blocks on the workers instead of
 * going through the event loop: its calling thread, which carries the critical path, spends
 * ≈ 1.9 CPU ms a step on two threads against ≈ 2.9 on one (docs/performance.md).
 */
export function nnkitThreads(_workload: Workload): number {
  return availableParallelism();
}
