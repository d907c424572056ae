// Turning the runners' results into the nnkit/peer ratios and the table.
import type { PhaseResult } from './measure.js';
import { forwardFlop, trainFlop, workloads, type Phase, type RunnerId, type WorkloadName } from './workloads.js';

/** One library/backend on one workload. */
export interface PeerRow {
  readonly workload: WorkloadName;
  readonly runner: RunnerId;
  /** Library and version, e.g. `torch 1.13.0a0`. */
  readonly library: string;
  /** Backend and threads, e.g. `cpu, 2 threads`. */
  readonly backend: string;
  readonly train: PhaseResult | null;
  readonly infer: PhaseResult | null;
  /** Why `train` or `infer` is null. */
  readonly reasons: { readonly train?: string; readonly infer?: string };
  /** Peak resident set size of the process that ran it (ru_maxrss), MiB; null when it did not run. */
  readonly peakRssMegabytes: number | null;
  /** Resident set size with MNIST loaded and no model yet, MiB (the peak's floor). */
  readonly dataRssMegabytes: number | null;
}

/** The headline ratios: nnkit's throughput ÷ the peer's, same workload and phase (> 1: nnkit is faster). */
export const ratioDefinitions = {
  cnnTrainVsPytorch: { workload: 'bench-cnn', phase: 'train', peer: 'pytorch' },
  cnnTrainVsPytorch1Thread: { workload: 'bench-cnn', phase: 'train', peer: 'pytorch-1thread' },
  cnnTrainVsTfjsCpu: { workload: 'bench-cnn', phase: 'train', peer: 'tfjs-cpu' },
  mlpTrainVsTfjsWasm: { workload: 'bench-mlp', phase: 'train', peer: 'tfjs-wasm' },
  cnnInferVsTfjsWasm: { workload: 'bench-cnn', phase: 'infer', peer: 'tfjs-wasm' },
} as const satisfies Record<string, { workload: WorkloadName; phase: Phase; peer: RunnerId }>;

/** The name of a headline ratio. */
export type RatioName = keyof typeof ratioDefinitions;

/** The ratio names, in report order. */
export const ratioNames = Object.keys(ratioDefinitions) as RatioName[];

/** Each headline ratio, or null with the reason beside it. */
export interface Ratios {
  readonly ratios: Record<RatioName, number | null>;
  readonly reasons: Partial<Record<RatioName, string>>;
}

function findRow(rows: readonly PeerRow[], workload: WorkloadName, runner: RunnerId): PeerRow | undefined {
  return rows.find((row) => row.workload === workload && row.runner === runner);
}

/** nnkit ÷ peer images/s for one workload and phase, or the reason there is none. */
export function ratioOf(rows: readonly PeerRow[], workload: WorkloadName, phase: Phase, peer: RunnerId): { value: number } | { reason: string } {
  const nnkit = findRow(rows, workload, 'nnkit');
  const other = findRow(rows, workload, peer);
  if (!nnkit) return { reason: `nnkit did not run ${workload}` };
  if (!other) return { reason: `${peer} did not run ${workload} (not selected)` };
  const mine = nnkit[phase];
  const theirs = other[phase];
  if (!mine) return { reason: `nnkit: ${nnkit.reasons[phase] ?? `no ${phase} figure`}` };
  if (!theirs) return { reason: other.reasons[phase] ?? `${peer}: no ${phase} figure` };
  if (!(theirs.imagesPerSecond > 0) || !Number.isFinite(mine.imagesPerSecond)) return { reason: `${peer}: no valid ${phase} timing` };
  return { value: mine.imagesPerSecond / theirs.imagesPerSecond };
}

/** The headline ratios of BENCHMARKS.md's comparison, from the rows of one run. */
export function computeRatios(rows: readonly PeerRow[]): Ratios {
  const ratios = {} as Record<RatioName, number | null>;
  const reasons: Partial<Record<RatioName, string>> = {};
  for (const name of ratioNames) {
    const { workload, phase, peer } = ratioDefinitions[name];
    const ratio = ratioOf(rows, workload, phase, peer);
    if ('value' in ratio) ratios[name] = ratio.value;
    else {
      ratios[name] = null;
      reasons[name] = ratio.reason;
    }
  }
  return { ratios, reasons };
}

/** FLOP per image of each workload, and the convention, for the JSON report. */
export function flopTable(): Record<WorkloadName, { forwardMflop: number; trainMflop: number }> {
  const entry = (name: WorkloadName) => ({ forwardMflop: forwardFlop(workloads[name]) / 1e6, trainMflop: trainFlop(workloads[name]) / 1e6 });
  return { 'bench-mlp': entry('bench-mlp'), 'bench-cnn': entry('bench-cnn') };
}

/** How GFLOP/s are counted, in one sentence. */
export const flopConvention =
  'GFLOP/s = images/s × FLOP per image (2 per multiply-add of the convolution and dense layers); inference counts the forward pass, training counts forward + weight gradients + input gradients of all but the first layer (≈ 3 × forward, BENCHMARKS.md’s 0.32 / 9.2 MFLOP).';

function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '—';
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function formatRatio(value: number): string {
  return `${value >= 10 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toPrecision(2)}×`;
}

/** A plain-text table, columns aligned; the first row is the header. */
export function alignTable(rows: readonly (readonly string[])[], rightAligned: ReadonlySet<number>): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => [...row[column]].length)));
  return rows
    .map((row, index) => {
      const cells = row.map((cell, column) => {
        const pad = ' '.repeat(widths[column] - [...cell].length);
        return rightAligned.has(column) ? pad + cell : cell + pad;
      });
      const line = cells.join('  ').trimEnd();
      return index === 0 ? `${line}\n${widths.map((width) => '─'.repeat(width)).join('  ')}` : line;
    })
    .join('\n');
}

/**
 * The table: workload, library, backend, train and infer images/s and GFLOP/s, peak memory,
 * and nnkit ÷ this row for training and inference; then one note per missing figure.
 */
export function formatPeersTable(rows: readonly PeerRow[]): string {
  const header = ['workload', 'library', 'backend', 'train img/s', 'GFLOP/s', 'infer img/s', 'GFLOP/s', 'peak RSS', 'nnkit/peer train', 'nnkit/peer infer'];
  const table: string[][] = [header];
  const notes: string[] = [];
  for (const row of rows) {
    const ratioCell = (phase: Phase): string => {
      if (row.runner === 'nnkit') return '';
      const ratio = ratioOf(rows, row.workload, phase, row.runner);
      return 'value' in ratio ? formatRatio(ratio.value) : '—';
    };
    const phaseCells = (phase: Phase): string[] => {
      const result = row[phase];
      if (!result) {
        const reason = row.reasons[phase];
        if (reason) notes.push(`${row.workload} ${row.runner} ${phase}: ${reason}`);
        return [reason ? `— (${notes.length})` : '—', ''];
      }
      return [formatCount(result.imagesPerSecond), result.gflops.toFixed(result.gflops >= 10 ? 1 : 2)];
    };
    table.push([
      row.workload,
      row.library,
      row.backend,
      ...phaseCells('train'),
      ...phaseCells('infer'),
      row.peakRssMegabytes === null ? '—' : `${Math.round(row.peakRssMegabytes)} MiB`,
      ratioCell('train'),
      ratioCell('infer'),
    ]);
  }
  const text = alignTable(table, new Set([3, 4, 5, 6, 7, 8, 9]));
  return notes.length === 0 ? text : `${text}\n\n${notes.map((note, index) => `(${index + 1}) ${note}`).join('\n')}`;
}

/** The headline ratios as lines, `name  value` or `name  n/a: reason`. */
export function formatRatios({ ratios, reasons }: Ratios): string {
  const width = Math.max(...ratioNames.map((name) => name.length));
  return ratioNames
    .map((name) => {
      const value = ratios[name];
      return `${name.padEnd(width)}  ${value === null ? `n/a: ${reasons[name]}` : formatRatio(value)}`;
    })
    .join('\n');
}
