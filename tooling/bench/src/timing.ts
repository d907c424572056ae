/** The median of `values` (the mean of the two middle values for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** How `timeIt` repeats a workload. */
export interface TimeItOptions {
  /** Untimed runs first, so the JIT has optimised the code and caches are warm (default 1). */
  readonly warmup?: number;
  /** Timed runs (default 5). */
  readonly runs?: number;
  /** Keep running past `runs` until this many milliseconds have been timed in total (default 0). */
  readonly minimumMilliseconds?: number;
  /** Never more timed runs than this, whatever `minimumMilliseconds` asks (default 50). */
  readonly maximumRuns?: number;
}

/**
 * Wall-clock milliseconds of each timed run and their median (the figure to report), and the
 * same for the process's CPU time (user + system): on a machine shared with other jobs the CPU
 * time stays close to the unloaded wall time while the wall time stretches.
 */
export interface Timing {
  readonly milliseconds: readonly number[];
  readonly medianMilliseconds: number;
  readonly cpuMilliseconds: readonly number[];
  readonly medianCpuMilliseconds: number;
}

/** CPU time of this process in milliseconds, or NaN where `process.cpuUsage` does not exist (browsers). */
function cpuNow(): number {
  if (typeof process === 'undefined' || typeof process.cpuUsage !== 'function') return Number.NaN;
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/**
 * Runs `workload` `warmup` times untimed, then at least `runs` times timed with
 * `performance.now()` (and `process.cpuUsage()`); reports every run and the medians, which shrug
 * off the odd run slowed by garbage collection or a neighbour on a shared machine.
 */
export function timeIt(workload: () => void, options: TimeItOptions = {}): Timing {
  const warmup = options.warmup ?? 1;
  const runs = options.runs ?? 5;
  const minimumMilliseconds = options.minimumMilliseconds ?? 0;
  const maximumRuns = Math.max(runs, options.maximumRuns ?? 50);
  for (let i = 0; i < warmup; i++) workload();
  const milliseconds: number[] = [];
  const cpuMilliseconds: number[] = [];
  let total = 0;
  while (milliseconds.length < runs || (total < minimumMilliseconds && milliseconds.length < maximumRuns)) {
    const cpuStart = cpuNow();
    const start = performance.now();
    workload();
    const elapsed = performance.now() - start;
    cpuMilliseconds.push(cpuNow() - cpuStart);
    milliseconds.push(elapsed);
    total += elapsed;
  }
  return { milliseconds, medianMilliseconds: median(milliseconds), cpuMilliseconds, medianCpuMilliseconds: median(cpuMilliseconds) };
}
