// Timing a phase and summarising it. Runners report raw timings (milliseconds of each timed
// run, in every language the same way); throughput and GFLOP/s are derived here, once.
import { median } from '../timing.js';
import type { Schedule } from './workloads.js';

/** What a runner measured for one phase (the JSON a child process prints, Python's included). */
export interface PhaseTiming {
  readonly batchSize: number;
  readonly warmup: number;
  /** Steps per timed run. */
  readonly steps: number;
  /** Wall-clock milliseconds of each timed run of `steps` steps. */
  readonly milliseconds: readonly number[];
  /** Training only: the batch loss of the first warm-up step and the mean over the last timed run. */
  readonly firstLoss?: number;
  readonly lastLoss?: number;
}

/** A phase summarised: the figures the table and the JSON report. */
export interface PhaseResult extends PhaseTiming {
  /** Images per second of the median run. */
  readonly imagesPerSecond: number;
  /** `imagesPerSecond` × FLOP per image (see `trainFlop`/`forwardFlop`), in GFLOP/s. */
  readonly gflops: number;
}

/** Throughput of the median timed run, and its GFLOP/s at `flopPerImage`. */
export function summarize(timing: PhaseTiming, flopPerImage: number): PhaseResult {
  const imagesPerRun = timing.batchSize * timing.steps;
  const medianMilliseconds = median(timing.milliseconds);
  const imagesPerSecond = medianMilliseconds > 0 ? (imagesPerRun * 1000) / medianMilliseconds : Number.NaN;
  return { ...timing, imagesPerSecond, gflops: (imagesPerSecond * flopPerImage) / 1e9 };
}

/** One step of a phase; returns the batch loss when training. May be async (TensorFlow.js). */
export type Step = (step: number) => number | void | Promise<number | void>;

function isPromise(value: unknown): value is Promise<number | void> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Runs `schedule.warmup` untimed steps, then `schedule.runs` timed runs of `schedule.steps`
 * steps, numbering steps 0, 1, 2… across all of them (so each step can take its own batch).
 * Only asynchronous steps are awaited, so a synchronous step pays no microtask per call.
 */
export async function timeSteps(schedule: Schedule, batchSize: number, step: Step): Promise<PhaseTiming> {
  let index = 0;
  let firstLoss: number | undefined;
  for (let w = 0; w < schedule.warmup; w++) {
    let loss = step(index++);
    if (isPromise(loss)) loss = await loss;
    if (firstLoss === undefined && typeof loss === 'number') firstLoss = loss;
  }
  const milliseconds: number[] = [];
  let lastLoss: number | undefined;
  for (let run = 0; run < schedule.runs; run++) {
    let lossSum = 0;
    let losses = 0;
    const start = performance.now();
    for (let s = 0; s < schedule.steps; s++) {
      let loss = step(index++);
      if (isPromise(loss)) loss = await loss;
      if (typeof loss === 'number') {
        if (firstLoss === undefined) firstLoss = loss;
        lossSum += loss;
        losses++;
      }
    }
    milliseconds.push(performance.now() - start);
    if (losses > 0) lastLoss = lossSum / losses;
  }
  return {
    batchSize,
    warmup: schedule.warmup,
    steps: schedule.steps,
    milliseconds,
    ...(firstLoss === undefined ? {} : { firstLoss }),
    ...(lastLoss === undefined ? {} : { lastLoss }),
  };
}

/** This process's peak resident set size so far (getrusage ru_maxrss), in MiB. */
export function peakRssMegabytes(): number {
  return process.resourceUsage().maxRSS / 1024;
}
