// Turning the runners' results into the nnkit/peer ratios and the table.
import type { PhaseResult } from './measure.js';
import type { TimeToAccuracyRow } from './time-to-accuracy.js';
import { forwardFlop, trainFlop, workloadNames, workloads, type Phase, type RunnerId, type WorkloadName } from './workloads.js';

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

/** A peer a ratio compares with: one runner, or PyTorch's faster of its 1- and 2-thread rows. */
export type RatioPeer = RunnerId | 'pytorch-best';

/** PyTorch's rows: its two-thread figures collapse on a busy machine, so ratios take the better one. */
const pytorchRunners: readonly RunnerId[] = ['pytorch', 'pytorch-1thread'];

/**
 * The headline ratios: nnkit's throughput ÷ the peer's, same workload and phase (> 1: nnkit is
 * faster). Against PyTorch, the peer is its best of 1 and 2 threads measured in the same run.
 */
export const ratioDefinitions = {
  mlpTrainVsPytorch: { workload: 'bench-mlp', phase: 'train', peer: 'pytorch-best' },
  mlpInferVsPytorch: { workload: 'bench-mlp', phase: 'infer', peer: 'pytorch-best' },
  cnnTrainVsPytorch: { workload: 'bench-cnn', phase: 'train', peer: 'pytorch-best' },
  cnnInferVsPytorch: { workload: 'bench-cnn', phase: 'infer', peer: 'pytorch-best' },
  recordTrainVsPytorch: { workload: 'bench-record', phase: 'train', peer: 'pytorch-best' },
  cnnTrainVsTfjsCpu: { workload: 'bench-cnn', phase: 'train', peer: 'tfjs-cpu' },
  mlpTrainVsTfjsWasm: { workload: 'bench-mlp', phase: 'train', peer: 'tfjs-wasm' },
  cnnInferVsTfjsWasm: { workload: 'bench-cnn', phase: 'infer', peer: 'tfjs-wasm' },
} as const satisfies Record<string, { workload: WorkloadName; phase: Phase; peer: RatioPeer }>;

/** The time-to-accuracy ratio: nnkit's wall seconds ÷ PyTorch's best (< 1: nnkit is sooner). */
export const timeRatioName = 'fastTimeVsPytorch';

/** The name of a headline ratio. */
export type RatioName = keyof typeof ratioDefinitions | typeof timeRatioName;

/** The ratio names, in report order. */
export const ratioNames = [...(Object.keys(ratioDefinitions) as (keyof typeof ratioDefinitions)[]), timeRatioName] as RatioName[];

/** Each headline ratio, or null with the reason beside it. */
export interface Ratios {
  readonly ratios: Record<RatioName, number | null>;
  readonly reasons: Partial<Record<RatioName, string>>;
}

function findRow(rows: readonly PeerRow[], workload: WorkloadName, runner: RunnerId): PeerRow | undefined {
  return rows.find((row) => row.workload === workload && row.runner === runner);
}

/** The peer's figure for a workload and phase (PyTorch's best row for 'pytorch-best'), or why there is none. */
function peerFigure(rows: readonly PeerRow[], workload: WorkloadName, phase: Phase, peer: RatioPeer): { value: number } | { reason: string } {
  const candidates = peer === 'pytorch-best' ? pytorchRunners : [peer];
  const reasons: string[] = [];
  let best = Number.NaN;
  for (const runner of candidates) {
    const other = findRow(rows, workload, runner);
    const theirs = other?.[phase];
    if (!other) reasons.push(`${runner} did not run ${workload} (not selected)`);
    else if (!theirs) reasons.push(other.reasons[phase] ?? `${runner}: no ${phase} figure`);
    else if (!(theirs.imagesPerSecond > 0)) reasons.push(`${runner}: no valid ${phase} timing`);
    else if (!(theirs.imagesPerSecond <= best)) best = theirs.imagesPerSecond;
  }
  return Number.isNaN(best) ? { reason: [...new Set(reasons)].join('; ') } : { value: best };
}

/** nnkit ÷ peer images/s for one workload and phase, or the reason there is none. */
export function ratioOf(rows: readonly PeerRow[], workload: WorkloadName, phase: Phase, peer: RatioPeer): { value: number } | { reason: string } {
  const nnkit = findRow(rows, workload, 'nnkit');
  if (!nnkit) return { reason: `nnkit did not run ${workload}` };
  const mine = nnkit[phase];
  if (!mine) return { reason: `nnkit: ${nnkit.reasons[phase] ?? `no ${phase} figure`}` };
  const theirs = peerFigure(rows, workload, phase, peer);
  if (!('value' in theirs)) return theirs;
  if (!Number.isFinite(mine.imagesPerSecond)) return { reason: `nnkit: no valid ${phase} timing` };
  return { value: mine.imagesPerSecond / theirs.value };
}

/** nnkit's wall seconds ÷ PyTorch's fewest (of 1 and 2 threads) to train `fast`, or why there is none. */
export function timeRatioOf(rows: readonly TimeToAccuracyRow[]): { value: number } | { reason: string } {
  const nnkit = rows.find((row) => row.runner === 'nnkit');
  if (!nnkit) return { reason: 'nnkit did not run fast' };
  if (nnkit.seconds === null) return { reason: `nnkit: ${nnkit.reason ?? 'no time'}` };
  const pytorch = rows.filter((row) => row.runner !== 'nnkit');
  const times = pytorch.flatMap((row) => (row.seconds === null ? [] : [row.seconds]));
  if (times.length === 0) return { reason: pytorch.length === 0 ? 'PyTorch did not run fast (not selected)' : [...new Set(pytorch.map((row) => row.reason ?? 'no time'))].join('; ') };
  return { value: nnkit.seconds / Math.min(...times) };
}

/** The headline ratios of BENCHMARKS.md's comparison, from the rows of one run. */
export function computeRatios(rows: readonly PeerRow[], timeRows: readonly TimeToAccuracyRow[] = []): Ratios {
  const ratios = {} as Record<RatioName, number | null>;
  const reasons: Partial<Record<RatioName, string>> = {};
  for (const name of ratioNames) {
    const ratio = name === timeRatioName ? timeRatioOf(timeRows) : ratioOf(rows, ratioDefinitions[name].workload, ratioDefinitions[name].phase, ratioDefinitions[name].peer);
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
  return Object.fromEntries(workloadNames.map((name) => [name, entry(name)])) as Record<WorkloadName, { forwardMflop: number; trainMflop: number }>;
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

/** The time-to-accuracy rows as a table: who, threads, wall seconds, test accuracy, peak memory. */
export function formatTimeTable(rows: readonly TimeToAccuracyRow[]): string {
  const header = ['preset fast', 'library', 'backend', 'wall s', 'test acc.', 'peak RSS', 'nnkit/peer time'];
  const nnkit = rows.find((row) => row.runner === 'nnkit');
  const table = rows.map((row) => [
    row.runner,
    row.library,
    row.backend,
    row.seconds === null ? `— (${row.reason ?? 'not run'})` : row.seconds.toFixed(1),
    row.accuracy === null ? '—' : `${row.accuracy.toFixed(2)} %`,
    row.peakRssMegabytes === null ? '—' : `${Math.round(row.peakRssMegabytes)} MiB`,
    row.runner === 'nnkit' || row.seconds === null || !nnkit || nnkit.seconds === null ? '' : formatRatio(nnkit.seconds / row.seconds),
  ]);
  return alignTable([header, ...table], new Set([3, 4, 5, 6]));
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
