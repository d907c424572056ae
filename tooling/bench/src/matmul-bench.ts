import { createRng, jsKernels, type Kernels } from '@nnkit/tensor';
import { timeIt } from './timing.js';

/** One square size: GFLOP/s (2·n³ per product, median run) of the backend and of the naive loop. */
export interface MatmulBenchRow {
  readonly size: number;
  readonly kernelGflops: number;
  readonly naiveGflops: number;
  /** kernelGflops / naiveGflops: the figure that survives a busy machine. */
  readonly speedup: number;
  /** The same two rates from the median CPU time (close to an idle machine's figures when busy). */
  readonly kernelCpuGflops: number;
  readonly naiveCpuGflops: number;
}

/** What the matmul benchmark measured, JSON-ready. */
export interface MatmulBenchResult {
  readonly kernels: string;
  readonly rows: readonly MatmulBenchRow[];
}

/** How many square sizes and how long to spend on each. */
export interface MatmulBenchOptions {
  readonly sizes?: readonly number[];
  readonly kernels?: Kernels;
  /** Timed runs per measurement (the median is reported). */
  readonly runs?: number;
}

/**
 * The baseline every faster matmul is compared with: out = a·b with the i-k-j loop order, the
 * fastest plain loop nest (unit stride over b's rows and out's rows), no blocking.
 */
export function naiveMatmul(a: Float32Array, b: Float32Array, out: Float32Array, m: number, k: number, n: number): void {
  out.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    const outRow = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      const bRow = p * n;
      for (let j = 0; j < n; j++) out[outRow + j] += aip * b[bRow + j];
    }
  }
}

function gflops(size: number, milliseconds: number): number {
  return (2 * size ** 3) / (milliseconds * 1e6);
}

/**
 * Times `kernels.matmul` (default `jsKernels`) on square float32 products beside `naiveMatmul`,
 * in the same process and alternating sizes, so the ratio holds even on a shared machine.
 * Each figure is the median of several runs after a warm-up run.
 */
export function runMatmulBench(options: MatmulBenchOptions = {}): MatmulBenchResult {
  const kernels = options.kernels ?? jsKernels;
  const sizes = options.sizes ?? [128, 256, 512, 1024];
  const rng = createRng('matmul-bench');
  const rows: MatmulBenchRow[] = [];
  for (const size of sizes) {
    const a = Float32Array.from({ length: size * size }, () => rng.uniform(-1, 1));
    const b = Float32Array.from({ length: size * size }, () => rng.uniform(-1, 1));
    const out = new Float32Array(size * size);
    // Small sizes take microseconds: repeat them until a run set covers at least ~0.2 s.
    const runs = options.runs ?? (size >= 1024 ? 3 : 5);
    const minimumMilliseconds = size >= 1024 ? 0 : 200;
    const kernelTiming = timeIt(() => kernels.matmul(a, b, out, { m: size, k: size, n: size }), { runs, minimumMilliseconds });
    const naiveTiming = timeIt(() => naiveMatmul(a, b, out, size, size, size), { runs, minimumMilliseconds });
    const kernelGflops = gflops(size, kernelTiming.medianMilliseconds);
    const naiveGflops = gflops(size, naiveTiming.medianMilliseconds);
    rows.push({
      size,
      kernelGflops,
      naiveGflops,
      speedup: kernelGflops / naiveGflops,
      kernelCpuGflops: gflops(size, kernelTiming.medianCpuMilliseconds),
      naiveCpuGflops: gflops(size, naiveTiming.medianCpuMilliseconds),
    });
  }
  return { kernels: kernels.name, rows };
}

/** The result as an aligned text table, one row per size. */
export function formatMatmulBench(result: MatmulBenchResult): string {
  const header = ['size', `${result.kernels} GFLOP/s`, 'naive i-k-j GFLOP/s', 'speed-up', `by CPU time: ${result.kernels}`, 'naive'];
  const lines = result.rows.map((row) => [
    `${row.size}×${row.size}×${row.size}`,
    row.kernelGflops.toFixed(2),
    row.naiveGflops.toFixed(2),
    `${row.speedup.toFixed(1)}×`,
    row.kernelCpuGflops.toFixed(2),
    row.naiveCpuGflops.toFixed(2),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const format = (cells: string[]): string => cells.map((cell, column) => cell.padStart(widths[column])).join('  ');
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...lines.map(format)].join('\n');
}
