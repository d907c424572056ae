import { describe, expect, it } from 'vitest';
import { summarize } from './measure.js';
import { parsePeersOptions } from './options.js';
import { computeRatios, formatPeersTable, type PeerRow } from './report.js';
import { presetNetwork, presets } from '@nnkit/train';
import type { TimeToAccuracyRow } from './time-to-accuracy.js';
import { forwardFlop, planPhase, trainFlop, workloads } from './workloads.js';

describe('workload arithmetic', () => {
  it('matches BENCHMARKS.md per image', () => {
    // bench-mlp: 2·(784·100 + 100·10) = 158 800; training 3·158 800 − 2·784·100 = 319 600.
    expect(forwardFlop(workloads['bench-mlp'])).toBe(158_800);
    expect(trainFlop(workloads['bench-mlp'])).toBe(319_600);
    // bench-cnn: 576 000 + 2 560 000 + 128 000 + 2 000 = 3 266 000; training 3·that − 576 000.
    expect(forwardFlop(workloads['bench-cnn'])).toBe(3_266_000);
    expect(trainFlop(workloads['bench-cnn'])).toBe(9_222_000);
    // bench-record: 28·28·32·9 + 28·28·32·288 + 14·14·32·800 + 14·14·64·288 + 14·14·64·576
    // + 7·7·64·1600 + 4·4·128·1024 + 2048·10 multiply-adds.
    expect(forwardFlop(workloads['bench-record'])).toBe(2 * (225_792 + 7_225_344 + 5_017_600 + 3_612_672 + 7_225_344 + 5_017_600 + 2_097_152 + 20_480));
  });

  it('measures bench-record on the record network with \'same\' convolutions, and only with nnkit and PyTorch', () => {
    expect(workloads['bench-record'].model).toBe(presetNetwork(presets['record-ensemble'], 'same').model);
    expect(workloads['bench-record'].batchSize).toBe(128);
    expect(planPhase('full', 'tfjs-wasm', 'bench-record', 'train')).toHaveProperty('skip');
    expect(planPhase('full', 'tfjs-cpu', 'bench-record', 'infer')).toHaveProperty('skip');
    expect(planPhase('full', 'nnkit', 'bench-record', 'train')).toEqual(planPhase('full', 'pytorch-1thread', 'bench-record', 'train'));
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
    expect(parsePeersOptions([])).toMatchObject({ json: false, profile: 'full', backend: undefined, threads: undefined, workloads: ['bench-mlp', 'bench-cnn', 'bench-record'], timeToAccuracy: true });
  });

  it('selects the time to 99 % with the fast item of --workloads', () => {
    expect(parsePeersOptions(['--workloads', 'bench-cnn'])).toMatchObject({ workloads: ['bench-cnn'], timeToAccuracy: false });
    expect(parsePeersOptions(['--workloads', 'fast,bench-record'])).toMatchObject({ workloads: ['bench-record'], timeToAccuracy: true });
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
    expect(reasons.cnnTrainVsPytorch).toBe('pytorch did not run bench-cnn (not selected); pytorch-1thread did not run bench-cnn (not selected)');
    expect(reasons.recordTrainVsPytorch).toBe('nnkit did not run bench-record');
    expect(reasons.fastTimeVsPytorch).toBe('nnkit did not run fast');
  });

  it('compares with PyTorch\'s best of 1 and 2 threads, whichever is faster', () => {
    const withTorch = [...rows, row('bench-cnn', 'pytorch', 500, 'no inference'), row('bench-cnn', 'pytorch-1thread', 1_000, 4_000)];
    const { ratios } = computeRatios(withTorch);
    expect(ratios.cnnTrainVsPytorch).toBeCloseTo(2, 9);
    expect(ratios.cnnInferVsPytorch).toBeCloseTo(1.5, 9);
    const other = computeRatios([...rows, row('bench-cnn', 'pytorch', 4_000, 'no inference'), row('bench-cnn', 'pytorch-1thread', 1_000, 4_000)]);
    expect(other.ratios.cnnTrainVsPytorch).toBeCloseTo(0.5, 9);
  });

  it('divides nnkit\'s time to 99 % by PyTorch\'s shortest', () => {
    const time = (runner: TimeToAccuracyRow['runner'], seconds: number | null): TimeToAccuracyRow => ({
      runner,
      library: runner,
      backend: 'test',
      seconds,
      accuracy: seconds === null ? null : 99.1,
      peakRssMegabytes: null,
      ...(seconds === null ? { reason: 'no torch' } : {}),
    });
    expect(computeRatios(rows, [time('nnkit', 12), time('pytorch', 40), time('pytorch-1thread', 30)]).ratios.fastTimeVsPytorch).toBeCloseTo(0.4, 9);
    expect(computeRatios(rows, [time('nnkit', 12), time('pytorch', null)]).reasons.fastTimeVsPytorch).toBe('no torch');
  });

  it('prints missing figures as numbered notes', () => {
    const table = formatPeersTable(rows);
    expect(table).toContain('(1) bench-cnn tfjs-wasm train: no Conv2DBackpropFilter kernel');
    expect(table).toMatch(/bench-mlp\s+tfjs-wasm\s+test\s+10,000\s+10\.0\s+20,000\s+20\.0\s+100 MiB\s+3\.00×\s+4\.50×/);
  });
});
