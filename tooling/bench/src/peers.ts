// `pnpm bench:peers`: nnkit against TensorFlow.js (cpu, wasm) and PyTorch (CPU) on the
// BENCHMARKS.md workloads, in one run. `--json` makes the last stdout line a single JSON object
// with every figure and the headline ratios; `--smoke` checks the harness in well under a
// minute. The same file, started with `--child <spec>`, is the child process that runs one
// library on one workload.
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runChild } from './peers/child.js';
import { parsePeersOptions, peersUsage } from './peers/options.js';
import { childFlag, type ChildSpec } from './peers/protocol.js';
import { formatPeersTable, formatRatios, formatTimeTable } from './peers/report.js';
import { runPeers } from './peers/run.js';

const entryFile = fileURLToPath(import.meta.url);

async function child(specText: string | undefined): Promise<void> {
  // nnkit's fastest kernels use fused multiply-add (relaxed SIMD), which Node 20 enables only
  // behind this flag; it must be set before any WebAssembly module is compiled. Newer Node
  // versions ship relaxed SIMD without it.
  if (Number(process.versions.node.split('.')[0]) < 22) setFlagsFromString('--experimental-wasm-relaxed-simd');
  if (specText === undefined) throw new Error(`${childFlag}: missing the spec (JSON)`);
  const report = await runChild(JSON.parse(specText) as ChildSpec);
  process.stdout.write(`\n${JSON.stringify(report)}\n`);
}

async function parent(argv: readonly string[]): Promise<void> {
  const options = parsePeersOptions(argv);
  if (options.help) {
    process.stdout.write(`${peersUsage}\n`);
    return;
  }
  // With --json the tables go to stderr so stdout ends with exactly one JSON line.
  const log = (text: string): void => void (options.json ? process.stderr : process.stdout).write(`${text}\n`);
  const progress = (line: string): void => void process.stderr.write(`  ${line}\n`);
  log(`bench:peers (${options.profile}): ${options.workloads.join(', ')} with ${options.runners.join(', ')}; one process each, one after another`);
  const report = await runPeers(options, entryFile, progress);
  log('');
  log(formatPeersTable(report.results));
  log('');
  if (report.timeToAccuracy.length > 0) {
    log('Time to 99 %: the fast preset trained start to finish (wall seconds from process start to exit)');
    log(formatTimeTable(report.timeToAccuracy));
    log('');
  }
  log('nnkit ÷ peer, images/s (> 1: nnkit is faster); against PyTorch its best of 1 and 2 threads; fastTimeVsPytorch: nnkit ÷ PyTorch wall seconds (< 1: nnkit is sooner)');
  log(formatRatios(report));
  log('');
  log(report.flop.convention);
  log('Peak RSS: ru_maxrss of the process that ran the row, MNIST in memory included (dataRssMegabytes in --json).');
  log(`Load average ${report.machine.loadAverage.join(' ')} on ${report.machine.cpus} cores; ${report.seconds.toFixed(0)} s in all.`);
  if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  if (!report.results.some((row) => row.runner === 'nnkit' && (row.train || row.infer)) && options.runners.includes('nnkit')) {
    process.exitCode = 1;
  }
}

async function main(argv: readonly string[]): Promise<void> {
  try {
    if (argv[0] === childFlag) await child(argv[1]);
    else await parent(argv);
  } catch (error) {
    // A child's last stderr line is what the parent reports, so the stack goes first.
    if (argv[0] === childFlag && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.stderr.write(`bench:peers: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
    process.exitCode = 1;
  }
}

void main(process.argv.slice(2));
