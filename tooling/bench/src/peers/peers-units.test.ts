import { describe, expect, it } from 'vitest';
import { summarize } from './measure.js';
import { parsePeersOptions } from './options.js';
import { computeRatios, formatPeersTable, type PeerRow } from './report.js';
import { forwardFlop, planPhase, trainFlop, workloads } from './workloads.js';

describe('workload arithmetic', () => {
  it('matches BENCHMARKS.md per image', () => {
    // bench-mlp: 2·(784·100 + 100·10) = 158 800; training 3·158 800 − 2·784·100 = 319 600.
    expect(forwardFlop(workloads['bench-mlp'])).toBe(158_800);
    expect(trainFlop(workloads['bench-mlp'])).toBe(319_600);
    // bench-cnn: 576 000 + 2 560 000 + 128 000 + 2 000 = 3 266 000; training 3·that − 576 000.
    expect(forwardFlop(workloads['bench-cnn'])).toBe(3_266_000);
    expect(trainFlop(workloads['bench-cnn'])).toBe(9_222_000);
  });

  it('gives TensorFlow.js cpu one bench-cnn step per timing and skips its training in smoke mode', () => {
    expect(planPhase('full', 'tfjs-cpu', 'bench-cnn', 'train')).toEqual({ schedule: { warmup: 1, steps: 1, runs: 2 } });
    expect(planPhase('smoke', 'tfjs-cpu', 'bench-cnn', 'train')).toHaveProperty('skip');
    expect(planPhase('full', 'nnkit', 'bench-cnn', 'train')).toEqual(planPhase('full', 'pytorch', 'bench-cnn', 'train'));
  });
});

describe('summarize', () => {
  it('reports the median run as images/s and GFLOP/s', () => {
    // 10 steps of 64 = 640 images; median of 100, 200, 400 ms is 200 ms → 3 200 img/s.
    const result = summarize({ batchSize: 64, warmup: 1, steps: 10, milliseconds: [400, 100, 200] }, 9_222_000);
    expect(result.imagesPerSecond).toBeCloseTo(3200, 9);
    expect(result.gflops).toBeCloseTo((3200 * 9_222_000) / 1e9, 9);
  });
});

describe('parsePeersOptions', () => {
  it('reads every option', () => {
    const options = parsePeersOptions(['--json', '--smoke', '--backend', 'js', '--threads=2', '--workloads', 'bench-cnn', '--peers', 'nnkit,tfjs-cpu', '--python', '/usr/bin/python3']);
    expect(options).toMatchObject({ json: true, profile: 'smoke', backend: 'js', threads: 2, workloads: ['bench-cnn'], runners: ['nnkit', 'tfjs-cpu'], pythons: ['/usr/bin/python3'] });
  });

  it('defaults to the full run with the fastest nnkit backend', () => {
    expect(parsePeersOptions([])).toMatchObject({ json: false, profile: 'full', backend: undefined, threads: undefined, workloads: ['bench-mlp', 'bench-cnn'] });
  });

  it('rejects bad input with one line naming the option', () => {
    expect(() => parsePeersOptions(['--backend', 'gpu'])).toThrow(/^--backend: expected js or wasm, got "gpu"$/);
    expect(() => parsePeersOptions(['--threads', '0'])).toThrow(/^--threads: expected a positive integer/);
    expect(() => parsePeersOptions(['--peers', 'keras'])).toThrow(/^--peers: unknown "keras"/);
    expect(() => parsePeersOptions(['--fast'])).toThrow(/^unknown option "--fast"/);
  });
});

function row(workload: PeerRow['workload'], runner: PeerRow['runner'], train: number | string, infer: number | string): PeerRow {
  const phase = (value: number | string) =>
    typeof value === 'number' ? summarize({ batchSize: 100, warmup: 0, steps: 1, milliseconds: [100_000 / value] }, 1e6) : null;
  const reasons: { train?: string; infer?: string } = {};
  if (typeof train === 'string') reasons.train = train;
  if (typeof infer === 'string') reasons.infer = infer;
  return { workload, runner, library: runner, backend: 'test', train: phase(train), infer: phase(infer), reasons, peakRssMegabytes: 100, dataRssMegabytes: 50 };
}

describe('computeRatios', () => {
  const rows = [
    row('bench-mlp', 'nnkit', 30_000, 90_000),
    row('bench-mlp', 'tfjs-wasm', 10_000, 20_000),
    row('bench-cnn', 'nnkit', 2_000, 6_000),
    row('bench-cnn', 'tfjs-wasm', 'no Conv2DBackpropFilter kernel', 3_000),
    row('bench-cnn', 'tfjs-cpu', 4, 200),
  ];

  it('divides nnkit by the peer and gives the reason where a figure is missing', () => {
    const { ratios, reasons } = computeRatios(rows);
    expect(ratios.mlpTrainVsTfjsWasm).toBeCloseTo(3, 9);
    expect(ratios.cnnInferVsTfjsWasm).toBeCloseTo(2, 9);
    expect(ratios.cnnTrainVsTfjsCpu).toBeCloseTo(500, 6);
    expect(ratios.cnnTrainVsPytorch).toBeNull();
    expect(reasons).toEqual({
      cnnTrainVsPytorch: 'pytorch did not run bench-cnn (not selected)',
      cnnTrainVsPytorch1Thread: 'pytorch-1thread did not run bench-cnn (not selected)',
    });
  });

  it('prints missing figures as numbered notes', () => {
    const table = formatPeersTable(rows);
    expect(table).toContain('(1) bench-cnn tfjs-wasm train: no Conv2DBackpropFilter kernel');
    expect(table).toMatch(/bench-mlp\s+tfjs-wasm\s+test\s+10,000\s+10\.0\s+20,000\s+20\.0\s+100 MiB\s+3\.00×\s+4\.50×/);
  });
});
