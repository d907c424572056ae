// `pnpm bench`: nnkit's own benchmarks, one section each. `--json` makes the last stdout line a
// single JSON object with every section's figures (for CI and for comparing runs);
// `--sizes 128,256` limits the matmul sizes.
import { createWasmKernels } from '@nnkit/wasm';
import { formatCnnStepBench, runCnnStepBench, type CnnStepBenchRow } from './cnn-step-bench.js';
import { formatCsvBench, runCsvBench, type CsvBenchResult } from './csv-bench.js';
import { formatMatmulBench, runMatmulBench, type MatmulBenchResult } from './matmul-bench.js';
import { setFlagsFromString } from 'node:v8';
import { jsKernels } from '@nnkit/tensor';

interface BenchReport {
  readonly node: string;
  readonly matmul?: MatmulBenchResult;
  readonly cnnTrainingStep?: readonly CnnStepBenchRow[];
  readonly csv?: CsvBenchResult;
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

async function main(argv: readonly string[]): Promise<void> {
  const json = argv.includes('--json');
  const log = (text: string): void => {
    // With --json the tables go to stderr so stdout ends with exactly one JSON line.
    if (json) process.stderr.write(`${text}\n`);
    else process.stdout.write(`${text}\n`);
  };

  const matmul = runMatmulBench({ sizes: parseSizes(argv) });
  log('matmul (square float32, one thread, median of several runs after a warm-up)');
  log(formatMatmulBench(matmul));

  // Fused multiply-add (relaxed SIMD) is behind a flag in Node 20; set before any wasm compiles.
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  const wasm = await createWasmKernels().catch(() => null);
  const cnnTrainingStep = runCnnStepBench([
    { name: 'js', kernels: jsKernels },
    ...(wasm ? [{ name: `wasm (${wasm.features})`, kernels: wasm }] : []),
  ]);
  log('');
  log('bench-cnn training step (batch 64, real MNIST, forward + loss + backward + SGD momentum, one thread)');
  log(formatCnnStepBench(cnnTrainingStep));

  const csv = runCsvBench();
  log('');
  log('Kaggle train.csv parsing');
  log(formatCsvBench(csv));

  const report: BenchReport = { node: process.version, matmul, cnnTrainingStep, csv };
  if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
