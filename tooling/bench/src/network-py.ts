// `pnpm bench:network-py [--seeds 1-7] [--epochs 30] [--python PATH] [--json]`: does the
// nielsen-ch1 preset train like Nielsen's network.py? For each seed, nnkit trains the preset
// (as `pnpm nnkit train --preset nielsen-ch1 --seed N --threads 1` does), and
// python/network_py.py repeats network.py's float64 arithmetic from the same initial weights and
// the same per-epoch image orders. Equal means over seeds say the two compute the same thing;
// the spread across seeds says how much one run's figure can be trusted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { loadMnist, mnistDataDirectory } from '@nnkit/datasets/node';
import { Sequential } from '@nnkit/layers';
import { createRng, jsKernels, type Kernels } from '@nnkit/tensor';
import { fit, presetData, presetFitOptions, presets } from '@nnkit/train';
import { createWasmKernels } from '@nnkit/wasm';

interface Options {
  readonly seeds: number[];
  readonly epochs: number;
  readonly pythons: string[];
  readonly json: boolean;
}

const usage = 'usage: pnpm bench:network-py [--seeds 1-7 | 1,2,5] [--epochs 30] [--python PATH] [--json]';

/** A bad command line: exit code 2, like the nnkit CLI's usage errors. */
class UsageError extends Error {}

function parseOptions(argv: readonly string[]): Options {
  let seeds = [1, 2, 3, 4, 5];
  let epochs = 30;
  let pythons = ['python3', '/usr/bin/python3'];
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value; ${usage}`);
      return next;
    };
    if (flag === '--json') json = true;
    else if (flag === '--python') pythons = [value()];
    else if (flag === '--epochs') {
      epochs = Number(value());
      if (!Number.isInteger(epochs) || epochs < 1) throw new UsageError(`--epochs: expected a positive integer; ${usage}`);
    } else if (flag === '--seeds') {
      const text = value();
      const range = /^(\d+)-(\d+)$/.exec(text);
      seeds = range ? Array.from({ length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) }, (_, k) => Number(range[1]) + k) : text.split(',').map(Number);
      if (seeds.length === 0 || !seeds.every((seed) => Number.isInteger(seed) && seed >= 0)) throw new UsageError(`--seeds: expected a range like 1-7 or a list like 1,2,5; ${usage}`);
    } else if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${usage}\n`);
      process.exit(0);
    } else throw new UsageError(`unknown option ${flag}; ${usage}`);
  }
  return { seeds, epochs, pythons, json };
}

function findNumpyPython(candidates: readonly string[]): string {
  for (const python of new Set(candidates)) {
    if (spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0) return python;
  }
  throw new Error(`no Python with NumPy among ${candidates.join(', ')}: install with apt-get install -y python3-numpy`);
}

function scriptPath(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++) {
    const candidate = join(directory, 'python', 'network_py.py');
    if (existsSync(candidate)) return candidate;
    directory = dirname(directory);
  }
  throw new Error('python/network_py.py not found');
}

const preset = presets['nielsen-ch1'];

/** The model's initial values, parameter after parameter, as one float32 array (network_py.py's `init`). */
function initialValues(model: Sequential): Float32Array {
  const values = model.params.map((param) => param.value.data);
  const init = new Float32Array(values.reduce((total, data) => total + data.length, 0));
  let offset = 0;
  for (const data of values) {
    init.set(data, offset);
    offset += data.length;
  }
  return init;
}

/** What fit does with `seed` for the order: each epoch a shuffle of 0..n-1 by the 'shuffle' fork. */
function imageOrders(seed: number, count: number, epochs: number): Int32Array {
  const shuffle = createRng(seed).fork('shuffle');
  const orders = new Int32Array(epochs * count);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = Int32Array.from({ length: count }, (_, i) => i);
    shuffle.shuffle(order);
    orders.set(order, epoch * count);
  }
  return orders;
}

function mean(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0) / values.length;
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)} %`;
}

async function main(argv: readonly string[]): Promise<void> {
  const options = parseOptions(argv);
  const python = findNumpyPython(options.pythons);
  setFlagsFromString('--experimental-wasm-relaxed-simd');
  const kernels: Kernels = await createWasmKernels().catch(() => jsKernels);
  const data = presetData(preset, loadMnist());
  const folder = mkdtempSync(join(tmpdir(), 'nnkit-network-py-'));
  const log = (text: string): void => void (options.json ? process.stderr : process.stdout).write(`${text}\n`);
  log(`nielsen-ch1, ${options.epochs} epochs: nnkit against network.py's arithmetic (float64 NumPy, ${python}) from the same start`);
  log('seed   nnkit     network.py   difference');
  const rows: { seed: number; nnkit: number; networkPy: number }[] = [];
  try {
    for (const seed of options.seeds) {
      // The CLI's initialisation; the values are taken before fit trains (and moves) them.
      const model = new Sequential(preset.model, createRng(seed).fork('init'));
      const init = initialValues(model);
      const result = await fit(model, data, { ...presetFitOptions(preset), epochs: options.epochs, seed, kernels });
      const nnkit = result.history.at(-1)?.testAccuracy ?? NaN;

      const orders = imageOrders(seed, data.train.count, options.epochs);
      const initFile = join(folder, `init-${seed}.f32`);
      const ordersFile = join(folder, `orders-${seed}.i32`);
      writeFileSync(initFile, init);
      writeFileSync(ordersFile, orders);
      const spec = { images: mnistDataDirectory(), init: initFile, orders: ordersFile, epochs: options.epochs };
      const child = spawnSync(python, [scriptPath(), JSON.stringify(spec)], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1' } });
      if (child.status !== 0) throw new Error(`network_py.py failed: ${child.stderr.trim().split('\n').pop() ?? `exit code ${child.status}`}`);
      const networkPy = (JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as { accuracies: number[] }).accuracies.at(-1) ?? NaN;
      rows.push({ seed, nnkit, networkPy });
      log(`${String(seed).padStart(4)}   ${percent(nnkit)}   ${percent(networkPy)}    ${((nnkit - networkPy) * 100).toFixed(2).padStart(6)}`);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const summary = { nnkit: mean(rows.map((row) => row.nnkit)), networkPy: mean(rows.map((row) => row.networkPy)) };
  log(`mean   ${percent(summary.nnkit)}   ${percent(summary.networkPy)}    ${((summary.nnkit - summary.networkPy) * 100).toFixed(2).padStart(6)}`);
  if (options.json) process.stdout.write(`${JSON.stringify({ epochs: options.epochs, rows, mean: summary })}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench:network-py: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = error instanceof UsageError ? 2 : 1;
});
