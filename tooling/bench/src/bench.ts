// `pnpm bench`: nnkit's own benchmarks, one section each. `--json` makes the last stdout line a
// single JSON object with every section's figures (for CI and for comparing runs);
// `--sizes 128,256` limits the matmul sizes.
import { formatMatmulBench, runMatmulBench, type MatmulBenchResult } from './matmul-bench.js';

interface BenchReport {
  readonly node: string;
  readonly matmul?: MatmulBenchResult;
  // Further sections (bench-cnn training step, CSV parsing) add their results here.
}

function parseSizes(argv: readonly string[]): number[] | undefined {
  const index = argv.findIndex((argument) => argument === '--sizes' || argument.startsWith('--sizes='));
  if (index < 0) return undefined;
  const text = argv[index].startsWith('--sizes=') ? argv[index].slice('--sizes='.length) : (argv[index + 1] ?? '');
  const sizes = text.split(',').map(Number);
  if (sizes.length === 0 || !sizes.every((size) => Number.isInteger(size) && size > 0)) {
    throw new Error(`bench: --sizes must be a comma-separated list of positive integers, got "${text}"`);
  }
  return sizes;
}

function main(argv: readonly string[]): void {
  const json = argv.includes('--json');
  const log = (text: string): void => {
    // With --json the tables go to stderr so stdout ends with exactly one JSON line.
    if (json) process.stderr.write(`${text}\n`);
    else process.stdout.write(`${text}\n`);
  };

  const matmul = runMatmulBench({ sizes: parseSizes(argv) });
  log('matmul (square float32, one thread, median of several runs after a warm-up)');
  log(formatMatmulBench(matmul));

  // ---------------------------------------------------------------------------------------
  // Further benchmarks go here, each as `const result = runXBench(); log(formatXBench(result));`
  // with its result added to the report below (reuse `timeIt`/`median` from ./timing.js):
  //   - bench-cnn training step (BENCHMARKS.md workload), images/s
  //   - Kaggle CSV parsing, MB/s
  // ---------------------------------------------------------------------------------------

  const report: BenchReport = { node: process.version, matmul };
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
}

try {
  main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
