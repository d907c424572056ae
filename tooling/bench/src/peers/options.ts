// Command-line options of `pnpm bench:peers`.
import type { NnkitBackend } from './protocol.js';
import { runnerIds, workloadNames, type Profile, type RunnerId, type WorkloadName } from './workloads.js';

/** The --workloads item that times the `fast` preset start to finish. */
export const fastName = 'fast';

/** Parsed options. */
export interface PeersOptions {
  /** Last stdout line: one JSON object with every figure (the table goes to stderr). */
  readonly json: boolean;
  /** `smoke`: one step of each phase, to check the harness works (CI); `full`: the measurement. */
  readonly profile: Profile;
  /** nnkit's backend; `undefined`: the fastest available (wasm when `@nnkit/wasm` loads). */
  readonly backend: NnkitBackend | undefined;
  /** Threads for nnkit. */
  /** nnkit's threads; undefined: per workload (see `nnkitThreads`). */
  readonly threads: number | undefined;
  readonly workloads: readonly WorkloadName[];
  /** Time the `fast` preset from start to finish (nnkit's CLI beside PyTorch): the `fast` item of --workloads. */
  readonly timeToAccuracy: boolean;
  /** Which runners to run (nnkit is needed for the ratios, but may be left out). */
  readonly runners: readonly RunnerId[];
  /** Python interpreters to try for PyTorch, in order. */
  readonly pythons: readonly string[];
  readonly help: boolean;
}

/** `--help` text. */
export const peersUsage = `Usage: pnpm bench:peers [options]

Trains bench-mlp, bench-cnn and bench-record (BENCHMARKS.md) for a fixed number of steps, and
runs inference at batch 1000, with nnkit, TensorFlow.js (cpu and wasm) and PyTorch (CPU), each
in a process of its own, and prints images/s, GFLOP/s, peak memory and nnkit/peer ratios; then
trains the \`fast\` preset start to finish with nnkit's CLI and with PyTorch (time to 99 %).

Options:
  --json               last stdout line is one JSON object (the table goes to stderr)
  --smoke              one step of each phase: checks the harness works (< 60 s)
  --backend js|wasm    nnkit's kernels (default: wasm when @nnkit/wasm loads, else js)
  --threads N          threads for nnkit, training and inference (default: every core)
  --workloads a,b      of ${[...workloadNames, fastName].join(', ')} (default: all)
  --peers a,b          of ${runnerIds.join(', ')}
                       (default: all)
  --python PATH        Python with torch to use (default: python3, then /usr/bin/python3)
  --help               this text`;

function listOf<T extends string>(value: string, allowed: readonly T[], option: string): T[] {
  const items = value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw new Error(`${option}: unknown ${JSON.stringify(item)} (expected one of ${allowed.join(', ')})`);
  }
  if (items.length === 0) throw new Error(`${option}: give at least one of ${allowed.join(', ')}`);
  return items as T[];
}

/** Parses `argv` (without node and the script); throws a one-line Error on bad input. */
export function parsePeersOptions(argv: readonly string[]): PeersOptions {
  let json = false;
  let profile: Profile = 'full';
  let backend: NnkitBackend | undefined;
  let threads: number | undefined;
  let workloads: readonly WorkloadName[] = workloadNames;
  let timeToAccuracy = true;
  let runners: readonly RunnerId[] = runnerIds;
  let pythons: readonly string[] = ['python3', '/usr/bin/python3'];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new Error(`${flag}: missing value`);
      return next;
    };
    switch (flag) {
      case '--json':
        json = true;
        break;
      case '--smoke':
        profile = 'smoke';
        break;
      case '--backend': {
        const name = value();
        if (name !== 'js' && name !== 'wasm') throw new Error(`--backend: expected js or wasm, got ${JSON.stringify(name)}`);
        backend = name;
        break;
      }
      case '--threads': {
        const text = value();
        const count = Number(text);
        if (!Number.isInteger(count) || count < 1) throw new Error(`--threads: expected a positive integer, got ${JSON.stringify(text)}`);
        threads = count;
        break;
      }
      case '--workloads': {
        const names = listOf(value(), [...workloadNames, fastName], '--workloads');
        timeToAccuracy = names.includes(fastName);
        workloads = names.filter((name): name is WorkloadName => name !== fastName);
        break;
      }
      case '--peers':
        runners = listOf(value(), runnerIds, '--peers');
        break;
      case '--python':
        pythons = [value()];
        break;
      case '--help':
      case '-h':
        help = true;
        break;
      default:
        throw new Error(`unknown option ${JSON.stringify(argv[i])} (see --help)`);
    }
  }
  return { json, profile, backend, threads, workloads, timeToAccuracy, runners, pythons, help };
}
